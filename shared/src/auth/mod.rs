//! Who is calling: strict JWT verification (a shared secret, a public key, or the
//! identity provider's key set), or the claims API Gateway's JWT authorizer verified;
//! then the configured claim names map the claims to a [`Caller`].

mod claims;
mod fetch;
mod jwks;
#[cfg(test)]
mod properties;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use fetch::{FETCH_TIMEOUT, MAX_BODY_BYTES as MAX_KEY_SET_BYTES, https_or_http_connector};
pub use jwks::{MAX_AGE as KEY_SET_MAX_AGE, MIN_REFRESH_INTERVAL as KEY_SET_MIN_REFRESH_INTERVAL};

use crate::clock::Clock;
use crate::config::{ClaimNames, ConfigError, JwtConfig, JwtKey};
use crate::domain::Caller;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("an Authorization: Bearer token is required")]
    Missing,
    #[error("the bearer token is not valid")]
    Invalid,
    #[error("the request did not come through the API's JWT authorizer")]
    NotThroughAuthorizer,
}

/// The claims of a token this service issues (`invites-local token`, the tests).
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(rename = "tenantId", default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(rename = "superAdmin", default, skip_serializing_if = "std::ops::Not::not")]
    pub super_admin: bool,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// The roles the caller may grant (the role policy, `INVITES_ROLE_POLICY`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// The claims API Gateway's JWT authorizer verified, as the request context carries
/// them (`requestContext.authorizer.jwt.claims`, every value a string). The Lambda glue
/// puts them into the request's extensions; nothing a caller sends can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayClaims(pub HashMap<String, String>);

enum Verifier {
    /// One key, one algorithm.
    Key { key: DecodingKey, validation: Validation },
    /// The provider's keys, picked by `kid`.
    KeySet {
        keys: Box<jwks::KeySet>,
        validation: Validation,
    },
    /// API Gateway verified the token already.
    Gateway,
    /// No caller can be authenticated (check-token and the mailer take no JWT).
    Nobody,
}

pub struct Authenticator {
    verifier: Verifier,
    claims: ClaimNames,
}

impl Authenticator {
    /// The authenticator `config` describes; a key set is fetched now, so an
    /// unreachable provider fails the start rather than every request.
    pub async fn from_config(config: &JwtConfig, clock: Arc<dyn Clock>) -> Result<Self, ConfigError> {
        let verifier = match &config.key {
            JwtKey::Secret(secret) => Verifier::Key {
                key: DecodingKey::from_secret(secret.as_bytes()),
                validation: validation(config, &[Algorithm::HS256]),
            },
            JwtKey::PublicKey { pem, algorithm } => {
                let key = match algorithm {
                    Algorithm::ES256 => DecodingKey::from_ec_pem(pem.as_bytes()),
                    _ => DecodingKey::from_rsa_pem(pem.as_bytes()),
                }
                .map_err(|e| ConfigError::Invalid {
                    name: "INVITES_JWT_PUBLIC_KEY",
                    reason: e.to_string(),
                })?;
                Verifier::Key {
                    key,
                    validation: validation(config, &[*algorithm]),
                }
            }
            JwtKey::Jwks { url, algorithms } => {
                let keys =
                    jwks::KeySet::load(url, algorithms.clone(), clock)
                        .await
                        .map_err(|e| ConfigError::Invalid {
                            name: "INVITES_JWT_JWKS_URL",
                            reason: crate::telemetry::describe(&e),
                        })?;
                Verifier::KeySet {
                    keys: Box::new(keys),
                    validation: validation(config, algorithms),
                }
            }
            JwtKey::ApiGateway => Verifier::Gateway,
            JwtKey::Unconfigured => {
                return Err(ConfigError::Missing(
                    "a JWT key: INVITES_JWT_SECRET (or INVITES_JWT_SECRET_PARAMETER / INVITES_JWT_SECRET_ARN), \
                     INVITES_JWT_PUBLIC_KEY, INVITES_JWT_JWKS_URL, or INVITES_AUTH_MODE=apigateway,",
                ));
            }
        };
        Ok(Self {
            verifier,
            claims: config.claims.clone(),
        })
    }

    /// An authenticator that accepts nobody: for the functions that take no JWT.
    pub fn nobody() -> Self {
        Self {
            verifier: Verifier::Nobody,
            claims: ClaimNames::default(),
        }
    }

    /// The caller of `request`: its bearer token verified, or in API Gateway mode the
    /// claims the authorizer put into its extensions (a request without them did not
    /// come through the authorizer, and is refused).
    pub async fn authenticate<B>(&self, request: &http::Request<B>) -> Result<Caller, AuthError> {
        if let Verifier::Gateway = self.verifier {
            let GatewayClaims(claims) = request
                .extensions()
                .get::<GatewayClaims>()
                .ok_or(AuthError::NotThroughAuthorizer)?;
            return claims::caller(claims, &self.claims);
        }
        self.verify(bearer(request.headers())?).await
    }

    pub async fn verify(&self, token: &str) -> Result<Caller, AuthError> {
        let decoded = match &self.verifier {
            Verifier::Key { key, validation } => jsonwebtoken::decode::<Map<String, Value>>(token, key, validation),
            Verifier::KeySet { keys, validation } => {
                let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Invalid)?;
                // The algorithm is the configuration's choice; the header may only name one of them.
                if !keys.algorithms().contains(&header.alg) {
                    return Err(AuthError::Invalid);
                }
                let kid = header.kid.ok_or(AuthError::Invalid)?;
                let key = keys.key(&kid).await.ok_or_else(|| {
                    tracing::debug!("a bearer token names a key the key set does not hold");
                    AuthError::Invalid
                })?;
                let mut validation = validation.clone();
                validation.algorithms = key.algorithms.clone();
                jsonwebtoken::decode::<Map<String, Value>>(token, &key.decoding, &validation)
            }
            Verifier::Gateway | Verifier::Nobody => return Err(AuthError::Invalid),
        };
        let claims = decoded
            .map_err(|e| {
                tracing::debug!(reason = %e, "rejected bearer token");
                AuthError::Invalid
            })?
            .claims;
        // `exp` is checked by the library; a value that is not a number fails there too.
        claims::caller(&claims, &self.claims)
    }
}

/// The token of an `Authorization: Bearer` header (the scheme in any case).
fn bearer(headers: &HeaderMap) -> Result<&str, AuthError> {
    let header = headers.get(http::header::AUTHORIZATION).ok_or(AuthError::Missing)?;
    let value = header.to_str().map_err(|_| AuthError::Invalid)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::Invalid)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::Invalid);
    }
    Ok(token.trim())
}

/// What every verified token must satisfy: one of `algorithms` (never what the token's
/// header asks for, so `alg: none` and key confusion are refused), an `exp`, and the
/// configured `iss` and `aud` (an `aud` may be a string or an array, as RFC 7519 allows).
fn validation(config: &JwtConfig, algorithms: &[Algorithm]) -> Validation {
    let mut validation = Validation::new(algorithms[0]);
    validation.algorithms = algorithms.to_vec();
    // `nbf` is honoured when present: a token not valid yet, or whose `nbf` is not a
    // number, is refused.
    validation.validate_nbf = true;
    let mut required: HashSet<String> = HashSet::from(["exp".to_owned()]);
    validation.validate_aud = false;
    if let Some(issuer) = &config.issuer {
        validation.set_issuer(&[issuer]);
        required.insert("iss".to_owned());
    }
    if let Some(audience) = &config.audience {
        validation.set_audience(&[audience]);
        validation.validate_aud = true;
        required.insert("aud".to_owned());
    }
    validation.required_spec_claims = required;
    validation
}

/// Signs an HS256 token: for `invites-local token` and the tests, never the functions.
pub fn issue_hs256_token(secret: &str, claims: &Claims) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("HS256 signing cannot fail")
}
