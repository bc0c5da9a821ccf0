//! Who is calling: strict JWT verification, and the contract's authorization rules.

use std::collections::HashSet;

use http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, JwtConfig, JwtKey};
use crate::domain::{Caller, TenantId, UserId};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("an Authorization: Bearer token is required")]
    Missing,
    #[error("the bearer token is not valid")]
    Invalid,
}

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
}

/// The claims read out of a verified token. `iss` and `aud` are checked by the JWT
/// library (which takes `aud` as a string or an array, as RFC 7519 allows) and are not
/// read here, so an array `aud` does not fail deserialization.
#[derive(Deserialize)]
struct VerifiedClaims {
    sub: String,
    #[serde(rename = "tenantId", default)]
    tenant_id: Option<String>,
    #[serde(rename = "superAdmin", default)]
    super_admin: bool,
    /// Read only so that an `exp` that is not a number fails to parse (the library checks its value).
    #[allow(dead_code)]
    exp: u64,
}

pub struct Authenticator {
    key: DecodingKey,
    validation: Validation,
}

impl Authenticator {
    pub fn new(config: &JwtConfig) -> Result<Self, ConfigError> {
        let (key, algorithm) = match &config.key {
            JwtKey::Secret(secret) => (DecodingKey::from_secret(secret.as_bytes()), Algorithm::HS256),
            JwtKey::PublicKey { pem, algorithm } => {
                let key = match algorithm {
                    Algorithm::ES256 => DecodingKey::from_ec_pem(pem.as_bytes()),
                    _ => DecodingKey::from_rsa_pem(pem.as_bytes()),
                }
                .map_err(|e| ConfigError::Invalid {
                    name: "INVITES_JWT_PUBLIC_KEY",
                    reason: e.to_string(),
                })?;
                (key, *algorithm)
            }
        };
        // Exactly one algorithm: a token signed any other way (or `alg: none`) is refused.
        let mut validation = Validation::new(algorithm);
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
        Ok(Self { key, validation })
    }

    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, AuthError> {
        let header = headers.get(http::header::AUTHORIZATION).ok_or(AuthError::Missing)?;
        let value = header.to_str().map_err(|_| AuthError::Invalid)?;
        let (scheme, token) = value.split_once(' ').ok_or(AuthError::Invalid)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::Invalid);
        }
        self.verify(token.trim())
    }

    pub fn verify(&self, token: &str) -> Result<Caller, AuthError> {
        let data = jsonwebtoken::decode::<VerifiedClaims>(token, &self.key, &self.validation).map_err(|e| {
            tracing::debug!(reason = %e, "rejected bearer token");
            AuthError::Invalid
        })?;
        let claims = data.claims;
        let user_id = UserId::parse(&claims.sub).ok_or(AuthError::Invalid)?;
        let tenant_id = match claims.tenant_id.as_deref() {
            None => None,
            Some(raw) => Some(TenantId::parse(raw).ok_or(AuthError::Invalid)?),
        };
        Ok(Caller {
            user_id,
            tenant_id,
            super_admin: claims.super_admin,
        })
    }
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

#[cfg(test)]
mod properties {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use http::HeaderValue;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::strategies::json;

    const SECRET: &str = "the-servers-secret";

    fn authenticator() -> Authenticator {
        Authenticator::new(&JwtConfig {
            key: JwtKey::Secret(SECRET.to_owned()),
            issuer: None,
            audience: None,
        })
        .unwrap()
    }

    fn headers(value: &[u8]) -> Option<HeaderMap> {
        let value = HeaderValue::from_bytes(value).ok()?;
        let mut headers = HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, value);
        Some(headers)
    }

    fn bearer(token: &str) -> HeaderMap {
        headers(format!("Bearer {token}").as_bytes()).expect("a token is a valid header value")
    }

    fn sign(secret: &str, claims: &Value) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    }

    fn in_an_hour() -> u64 {
        (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp() as u64
    }

    /// Claims that the server would accept, if signed with its key.
    fn good_claims() -> impl Strategy<Value = (Value, Caller)> {
        (any::<u128>(), prop::option::of(any::<u128>()), any::<bool>()).prop_map(|(sub, tenant, admin)| {
            let caller = Caller {
                user_id: UserId(uuid::Uuid::from_u128(sub)),
                tenant_id: tenant.map(|t| TenantId(uuid::Uuid::from_u128(t))),
                super_admin: admin,
            };
            let mut claims = json!({ "sub": caller.user_id, "superAdmin": admin, "exp": in_an_hour() });
            if let Some(tenant) = caller.tenant_id {
                claims["tenantId"] = json!(tenant);
            }
            (claims, caller)
        })
    }

    proptest! {
        #[test]
        fn any_header_value_is_refused_without_panic(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Some(headers) = headers(&raw) {
                prop_assert!(authenticator().authenticate(&headers).is_err());
            }
        }

        #[test]
        fn any_three_part_token_of_any_json_is_refused(header in json(), claims in json(), signature in proptest::collection::vec(any::<u8>(), 0..64)) {
            let token = format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode(header.to_string()),
                URL_SAFE_NO_PAD.encode(claims.to_string()),
                URL_SAFE_NO_PAD.encode(signature)
            );
            prop_assert_eq!(authenticator().authenticate(&bearer(&token)), Err(AuthError::Invalid));
        }

        #[test]
        fn a_token_signed_with_another_key_is_refused((claims, _) in good_claims(), other in "[ -~]{1,40}") {
            prop_assume!(other != SECRET);
            prop_assert_eq!(authenticator().authenticate(&bearer(&sign(&other, &claims))), Err(AuthError::Invalid));
        }

        #[test]
        fn a_token_signed_with_the_key_names_its_caller((claims, caller) in good_claims()) {
            prop_assert_eq!(authenticator().authenticate(&bearer(&sign(SECRET, &claims))), Ok(caller));
        }

        #[test]
        fn any_bit_flip_of_a_signed_token_is_refused((claims, _) in good_claims(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
            let mut token = sign(SECRET, &claims).into_bytes();
            let at = at.index(token.len());
            token[at] ^= 1 << bit;
            let mut value = b"Bearer ".to_vec();
            value.extend(token);
            if let Some(headers) = headers(&value) {
                prop_assert!(authenticator().authenticate(&headers).is_err(), "{}", String::from_utf8_lossy(&value));
            }
        }

        #[test]
        fn claims_of_the_wrong_shape_are_refused_even_when_signed(claims in json()) {
            // Signed with the right key, a document that is not valid claims still fails.
            let valid = claims.get("sub").and_then(Value::as_str).is_some_and(|s| UserId::parse(s).is_some())
                && claims.get("exp").is_some_and(|e| e.as_u64().is_some_and(|e| e > in_an_hour() - 3600));
            prop_assume!(!valid);
            prop_assert_eq!(authenticator().authenticate(&bearer(&sign(SECRET, &claims))), Err(AuthError::Invalid));
        }
    }
}
