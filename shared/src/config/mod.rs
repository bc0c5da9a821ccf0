//! Configuration from the environment: the same variables in Lambda and locally.

use std::env;

use crate::domain::{MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS};

/// The HS256 secret `invites-local` uses when `INVITES_JWT_SECRET` is unset.
/// Never used by the Lambda functions, which require a configured key.
pub const DEVELOPMENT_JWT_SECRET: &str = "invites-local-development-secret-do-not-use-in-production";

pub const DEFAULT_ACCEPT_URL: &str = "http://localhost:3000/accept-invite?token={token}";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

#[derive(Clone)]
pub enum JwtKey {
    /// HS256 with a shared secret.
    Secret(String),
    /// RS256 or ES256 with a PEM public key.
    PublicKey {
        pem: String,
        algorithm: jsonwebtoken::Algorithm,
    },
}

impl std::fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Secret(_) => f.write_str("Secret(<redacted>)"),
            Self::PublicKey { algorithm, .. } => write!(f, "PublicKey({algorithm:?})"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct JwtConfig {
    pub key: JwtKey,
    pub issuer: Option<String>,
    pub audience: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub jwt: JwtConfig,
    /// Link template holding `{token}`.
    pub accept_url: String,
    pub default_expiry_days: u32,
    /// Resends allowed per invite per rolling hour.
    pub resend_limit_per_hour: u32,
    /// Key for signing list cursors.
    pub cursor_secret: Vec<u8>,
    pub table_name: Option<String>,
    pub sender_email: Option<String>,
    /// SES configuration set for the invitation emails.
    pub ses_configuration_set: Option<String>,
}

impl Config {
    /// Reads the environment. `development_secret` is the HS256 secret to fall back
    /// on when no key is configured (the local server's); `None` makes a key required.
    pub fn from_env(development_secret: Option<&str>) -> Result<Self, ConfigError> {
        Self::from_lookup(|name| env::var(name).ok().filter(|v| !v.is_empty()), development_secret)
    }

    pub fn from_lookup(
        var: impl Fn(&str) -> Option<String>,
        development_secret: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let key = match (var("INVITES_JWT_PUBLIC_KEY"), var("INVITES_JWT_SECRET")) {
            (Some(pem), _) => {
                let algorithm = match var("INVITES_JWT_ALGORITHM").as_deref() {
                    Some("RS256") => jsonwebtoken::Algorithm::RS256,
                    Some("ES256") => jsonwebtoken::Algorithm::ES256,
                    Some(other) => {
                        return Err(ConfigError::Invalid {
                            name: "INVITES_JWT_ALGORITHM",
                            reason: format!("{other:?} is not RS256 or ES256"),
                        });
                    }
                    None => return Err(ConfigError::Missing("INVITES_JWT_ALGORITHM")),
                };
                JwtKey::PublicKey { pem, algorithm }
            }
            (None, Some(secret)) => JwtKey::Secret(secret),
            (None, None) => match development_secret {
                Some(secret) => JwtKey::Secret(secret.to_owned()),
                None => return Err(ConfigError::Missing("INVITES_JWT_SECRET or INVITES_JWT_PUBLIC_KEY")),
            },
        };
        let accept_url = var("INVITES_ACCEPT_URL").unwrap_or_else(|| DEFAULT_ACCEPT_URL.to_owned());
        if !accept_url.contains("{token}") {
            return Err(ConfigError::Invalid {
                name: "INVITES_ACCEPT_URL",
                reason: "must contain {token}".into(),
            });
        }
        let default_expiry_days = match var("INVITES_DEFAULT_EXPIRY_DAYS") {
            None => 7,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|d| (MIN_EXPIRY_DAYS..=MAX_EXPIRY_DAYS).contains(d))
                .ok_or(ConfigError::Invalid {
                    name: "INVITES_DEFAULT_EXPIRY_DAYS",
                    reason: format!("{raw:?} is not a whole number of days from 1 to 30"),
                })?,
        };
        let resend_limit_per_hour = match var("INVITES_RESEND_LIMIT_PER_HOUR") {
            None => 5,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or(ConfigError::Invalid {
                    name: "INVITES_RESEND_LIMIT_PER_HOUR",
                    reason: format!("{raw:?} is not a whole number of at least 1"),
                })?,
        };
        // Cursors are signed so they cannot be forged or moved to another query. Without
        // a dedicated secret, derive one from the JWT key material (documented in the README).
        let cursor_secret = match (var("INVITES_CURSOR_SECRET"), &key) {
            (Some(secret), _) => secret.into_bytes(),
            (None, JwtKey::Secret(secret)) => format!("cursor:{secret}").into_bytes(),
            (None, JwtKey::PublicKey { pem, .. }) => format!("cursor:{pem}").into_bytes(),
        };
        Ok(Self {
            jwt: JwtConfig {
                key,
                issuer: var("INVITES_JWT_ISSUER"),
                audience: var("INVITES_JWT_AUDIENCE"),
            },
            accept_url,
            default_expiry_days,
            resend_limit_per_hour,
            cursor_secret,
            table_name: var("INVITES_TABLE_NAME"),
            sender_email: var("INVITES_SENDER_EMAIL"),
            ses_configuration_set: var("INVITES_SES_CONFIGURATION_SET"),
        })
    }
}
