//! Configuration from the environment: the same variables in Lambda and locally.
//!
//! Secrets may instead be named by a reference (`..._PARAMETER`, `..._ARN`); the
//! `secrets` module reads them at init and hands their values in as the plain variables.

use std::env;

use jsonwebtoken::Algorithm;

mod identity;

pub use identity::{ClaimNames, JwtKey, SuperAdminClaim};

use crate::domain::{MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS, RolePolicy};

/// The HS256 secret `invites-local` uses when `INVITES_JWT_SECRET` is unset.
/// Never used by the Lambda functions, which require a configured key.
pub const DEVELOPMENT_JWT_SECRET: &str = "invites-local-development-secret-do-not-use-in-production";

/// The shortest HS256 secret taken: a key at least as long as the hash (RFC 7518, 3.2).
pub const MIN_HS256_SECRET_BYTES: usize = 32;

pub const DEFAULT_ACCEPT_URL: &str = "http://localhost:3000/accept-invite?token={token}";

/// The algorithms a key set's tokens may use when `INVITES_JWT_ALGORITHMS` is unset:
/// what Cognito, Auth0, Clerk and Entra sign with.
pub const DEFAULT_JWKS_ALGORITHMS: [Algorithm; 1] = [Algorithm::RS256];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

#[derive(Debug, Clone)]
pub struct JwtConfig {
    pub key: JwtKey,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub claims: ClaimNames,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub jwt: JwtConfig,
    /// Link template holding `{token}`.
    pub accept_url: String,
    pub default_expiry_days: u32,
    /// Resends allowed per invite per rolling hour.
    pub resend_limit_per_hour: u32,
    /// Who may grant which role (`INVITES_ROLE_POLICY`: `held`, the default, or `any`).
    pub role_policy: RolePolicy,
    /// Invitation emails to one recipient (plus tags and dots folded) per UTC day.
    pub recipient_emails_per_day: u32,
    /// Invitation emails from one tenant per clock hour.
    pub tenant_emails_per_hour: u32,
    /// Key for signing list cursors: `INVITES_CURSOR_SECRET`, else derived from the JWT
    /// key material. `None` when there is none to derive from (a key set, API Gateway):
    /// cursors then hold only within one process, and the list function refuses to start.
    pub cursor_secret: Option<Vec<u8>>,
    pub table_name: Option<String>,
    pub sender_email: Option<String>,
    /// SES configuration set for the invitation emails.
    pub ses_configuration_set: Option<String>,
    /// The invitation email: product, sender name, reply-to, role labels, templates.
    pub email: crate::email::EmailSettings,
    /// The SES account's send rate, emails per second (`INVITES_SES_MAX_SEND_RATE`);
    /// `None`: the mailer asks SES (`GetAccount`) at start.
    pub ses_max_send_rate: Option<f64>,
    /// How many mailer instances share that rate (`INVITES_MAILER_CONCURRENCY`): each
    /// sends at most rate / instances per second.
    pub mailer_concurrency: u32,
    /// How long after it was queued an email that keeps failing for a passing reason is
    /// retried before it is recorded failed (`INVITES_EMAIL_RETRY_HOURS`, 1 to 72).
    pub email_retry_hours: u32,
}

impl Config {
    /// Reads the environment. `development_secret` is the HS256 secret to fall back
    /// on when no key is configured (the local server's).
    pub fn from_env(development_secret: Option<&str>) -> Result<Self, ConfigError> {
        Self::from_lookup(env_var, development_secret)
    }

    pub fn from_lookup(
        var: impl Fn(&str) -> Option<String>,
        development_secret: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let key = identity::jwt_key(&var, development_secret)?;
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
        let resend_limit_per_hour = positive(&var, "INVITES_RESEND_LIMIT_PER_HOUR", 5)?;
        let recipient_emails_per_day = positive(&var, "INVITES_RECIPIENT_EMAILS_PER_DAY", 10)?;
        let tenant_emails_per_hour = positive(&var, "INVITES_TENANT_EMAILS_PER_HOUR", 1000)?;
        let ses_max_send_rate = match var("INVITES_SES_MAX_SEND_RATE") {
            None => None,
            Some(raw) => Some(
                raw.parse::<f64>()
                    .ok()
                    .filter(|r| r.is_finite() && *r > 0.0 && *r <= 100_000.0)
                    .ok_or(ConfigError::Invalid {
                        name: "INVITES_SES_MAX_SEND_RATE",
                        reason: format!("{raw:?} is not a number of emails per second above 0"),
                    })?,
            ),
        };
        let mailer_concurrency = positive(&var, "INVITES_MAILER_CONCURRENCY", 1)?;
        // 0: a passing failure fails at once (no retries), e.g. for local development.
        let email_retry_hours = match var("INVITES_EMAIL_RETRY_HOURS") {
            None => 24,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|h| *h <= 72)
                .ok_or(ConfigError::Invalid {
                    name: "INVITES_EMAIL_RETRY_HOURS",
                    reason: format!("{raw:?} is not a whole number of hours from 0 to 72"),
                })?,
        };
        let role_policy = match var("INVITES_ROLE_POLICY") {
            None => RolePolicy::default(),
            Some(raw) => RolePolicy::parse(&raw).ok_or(ConfigError::Invalid {
                name: "INVITES_ROLE_POLICY",
                reason: format!("{raw:?} is not held or any"),
            })?,
        };
        // Cursors are signed so they cannot be forged or moved to another query. Without
        // a dedicated secret, derive one from the JWT key material (documented in the README).
        let cursor_secret = match (var("INVITES_CURSOR_SECRET"), &key) {
            (Some(secret), _) => Some(secret.into_bytes()),
            (None, JwtKey::Secret(secret)) => Some(format!("cursor:{secret}").into_bytes()),
            (None, JwtKey::PublicKey { pem, .. }) => Some(format!("cursor:{pem}").into_bytes()),
            (None, JwtKey::Jwks { .. } | JwtKey::ApiGateway | JwtKey::Unconfigured) => None,
        };
        // Checked (and override templates test-rendered) now, so a bad value stops the
        // start with a message instead of failing the first delivery.
        let email = crate::email::EmailSettings::from_lookup(&var)
            .map_err(|(name, reason)| ConfigError::Invalid { name, reason })?;
        Ok(Self {
            jwt: JwtConfig {
                key,
                issuer: var("INVITES_JWT_ISSUER"),
                audience: var("INVITES_JWT_AUDIENCE"),
                claims: identity::claim_names(&var)?,
            },
            accept_url,
            default_expiry_days,
            resend_limit_per_hour,
            role_policy,
            recipient_emails_per_day,
            tenant_emails_per_hour,
            cursor_secret,
            table_name: var("INVITES_TABLE_NAME"),
            sender_email: var("INVITES_SENDER_EMAIL"),
            ses_configuration_set: var("INVITES_SES_CONFIGURATION_SET"),
            email,
            ses_max_send_rate,
            mailer_concurrency,
            email_retry_hours,
        })
    }
}

/// A whole number of at least 1 from `name`, `default` when it is unset.
fn positive(var: &impl Fn(&str) -> Option<String>, name: &'static str, default: u32) -> Result<u32, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw.parse::<u32>().ok().filter(|n| *n >= 1).ok_or(ConfigError::Invalid {
            name,
            reason: format!("{raw:?} is not a whole number of at least 1"),
        }),
    }
}

/// A variable of the process environment; empty counts as unset.
pub fn env_var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.is_empty())
}
