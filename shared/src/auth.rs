//! Who is calling: strict JWT verification, and the contract's authorization rules.

use std::collections::HashSet;

use http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, JwtConfig, JwtKey};
use crate::domain::{Invite, TenantId, UserId};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("an Authorization: Bearer token is required")]
    Missing,
    #[error("the bearer token is not valid")]
    Invalid,
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    /// `None` for a token of no tenant (it may still accept invites).
    pub tenant_id: Option<TenantId>,
    pub super_admin: bool,
}

impl Caller {
    /// May act inside `tenant`: a super admin anywhere, a user only in their own.
    pub fn may_act_in(&self, tenant: TenantId) -> bool {
        self.super_admin || self.tenant_id == Some(tenant)
    }

    /// Whether the invite exists for this caller; when not, it reads as not found.
    pub fn can_see(&self, invite: &Invite) -> bool {
        self.may_act_in(invite.tenant_id)
    }
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
