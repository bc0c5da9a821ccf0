//! Who may call and how their token is verified: the key source, its algorithms, and
//! the names of the claims that say who the caller is.

use jsonwebtoken::Algorithm;

use super::{ConfigError, DEFAULT_JWKS_ALGORITHMS};

/// How a caller's token is verified.
#[derive(Clone)]
pub enum JwtKey {
    /// HS256 with a shared secret.
    Secret(String),
    /// RS256 or ES256 with a PEM public key.
    PublicKey { pem: String, algorithm: Algorithm },
    /// The identity provider's key set (JWKS), fetched at init, each token's key picked
    /// by its `kid`; a token may use only `algorithms`, whatever its header says.
    Jwks { url: String, algorithms: Vec<Algorithm> },
    /// API Gateway's JWT authorizer verified the token (`INVITES_AUTH_MODE=apigateway`);
    /// the functions read its claims from the request context and verify nothing.
    ApiGateway,
    /// Nothing configured: this process can authenticate no caller. Enough for the
    /// functions that take no JWT (check-token, the mailer); any other refuses to start.
    Unconfigured,
}

impl std::fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Secret(_) => f.write_str("Secret(<redacted>)"),
            Self::PublicKey { algorithm, .. } => write!(f, "PublicKey({algorithm:?})"),
            Self::Jwks { url, algorithms } => write!(f, "Jwks({url}, {algorithms:?})"),
            Self::ApiGateway => f.write_str("ApiGateway"),
            Self::Unconfigured => f.write_str("Unconfigured"),
        }
    }
}

/// Where a caller is found in a token's claims: providers name them differently
/// (Cognito `custom:tenant_id` and `cognito:groups`, Auth0 namespaced URLs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    /// A string holding a UUID (`INVITES_CLAIM_USER_ID`, default `sub`).
    pub user_id: String,
    /// A string holding a UUID, or absent (`INVITES_CLAIM_TENANT`, default `tenantId`).
    pub tenant: String,
    /// An array of strings, or absent (`INVITES_CLAIM_ROLES`, default `roles`).
    pub roles: String,
    /// `INVITES_CLAIM_SUPER_ADMIN`, default `superAdmin`.
    pub super_admin: SuperAdminClaim,
    /// A string, or absent (`INVITES_CLAIM_NAME`, default `name`).
    pub name: String,
}

/// What makes a caller a super admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuperAdminClaim {
    /// A boolean claim (`superAdmin`).
    Flag(String),
    /// A claim holding `value`, or an array of strings that contains it
    /// (`cognito:groups=platform-admins`).
    Member { claim: String, value: String },
}

impl Default for ClaimNames {
    fn default() -> Self {
        Self {
            user_id: "sub".into(),
            tenant: "tenantId".into(),
            roles: "roles".into(),
            super_admin: SuperAdminClaim::Flag("superAdmin".into()),
            name: "name".into(),
        }
    }
}

/// The first key source set, in the order: API Gateway, a key set, a public key, a
/// secret, the development secret.
pub(super) fn jwt_key(
    var: &impl Fn(&str) -> Option<String>,
    development_secret: Option<&str>,
) -> Result<JwtKey, ConfigError> {
    match var("INVITES_AUTH_MODE").as_deref() {
        None | Some("function") => {}
        Some("apigateway") => return Ok(JwtKey::ApiGateway),
        Some(other) => {
            return Err(ConfigError::Invalid {
                name: "INVITES_AUTH_MODE",
                reason: format!("{other:?} is not function or apigateway"),
            });
        }
    }
    if let Some(url) = var("INVITES_JWT_JWKS_URL") {
        check_jwks_url(&url)?;
        let algorithms = match var("INVITES_JWT_ALGORITHMS") {
            None => DEFAULT_JWKS_ALGORITHMS.to_vec(),
            Some(list) => jwks_algorithms(&list)?,
        };
        return Ok(JwtKey::Jwks { url, algorithms });
    }
    if let Some(pem) = var("INVITES_JWT_PUBLIC_KEY") {
        let algorithm = match var("INVITES_JWT_ALGORITHM").as_deref() {
            Some("RS256") => Algorithm::RS256,
            Some("ES256") => Algorithm::ES256,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "INVITES_JWT_ALGORITHM",
                    reason: format!("{other:?} is not RS256 or ES256"),
                });
            }
            None => return Err(ConfigError::Missing("INVITES_JWT_ALGORITHM")),
        };
        return Ok(JwtKey::PublicKey { pem, algorithm });
    }
    Ok(match (var("INVITES_JWT_SECRET"), development_secret) {
        (Some(secret), _) if secret.len() < super::MIN_HS256_SECRET_BYTES => {
            return Err(ConfigError::Invalid {
                name: "INVITES_JWT_SECRET",
                reason: format!(
                    "is {} bytes; an HS256 secret must be at least {} bytes (RFC 7518, 3.2)",
                    secret.len(),
                    super::MIN_HS256_SECRET_BYTES
                ),
            });
        }
        (Some(secret), _) => JwtKey::Secret(secret),
        (None, Some(secret)) => JwtKey::Secret(secret.to_owned()),
        (None, None) => JwtKey::Unconfigured,
    })
}

/// A key set is fetched over HTTPS: over plain HTTP anyone on the path could hand us
/// their keys. Plain HTTP is for a key set on this machine only (tests, a local IdP).
fn check_jwks_url(url: &str) -> Result<(), ConfigError> {
    let invalid = |reason: &str| ConfigError::Invalid {
        name: "INVITES_JWT_JWKS_URL",
        reason: format!("{url:?} {reason}"),
    };
    let uri: http::Uri = url.parse().map_err(|_| invalid("is not a URL"))?;
    let host = uri.host().ok_or_else(|| invalid("has no host"))?;
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(invalid("must be https (plain http only on this machine)")),
        _ => Err(invalid("must be an https URL")),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `RS256,ES256`: the public-key algorithms a key set's tokens may use. HMAC is not
/// among them: a key set holds public keys, and a shared secret has its own variable.
fn jwks_algorithms(list: &str) -> Result<Vec<Algorithm>, ConfigError> {
    let mut algorithms = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let algorithm = match name {
            "RS256" => Algorithm::RS256,
            "RS384" => Algorithm::RS384,
            "RS512" => Algorithm::RS512,
            "PS256" => Algorithm::PS256,
            "PS384" => Algorithm::PS384,
            "PS512" => Algorithm::PS512,
            "ES256" => Algorithm::ES256,
            "ES384" => Algorithm::ES384,
            "EdDSA" => Algorithm::EdDSA,
            other => {
                return Err(ConfigError::Invalid {
                    name: "INVITES_JWT_ALGORITHMS",
                    reason: format!(
                        "{other:?} is not one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA"
                    ),
                });
            }
        };
        if !algorithms.contains(&algorithm) {
            algorithms.push(algorithm);
        }
    }
    if algorithms.is_empty() {
        return Err(ConfigError::Invalid {
            name: "INVITES_JWT_ALGORITHMS",
            reason: "names no algorithm".into(),
        });
    }
    Ok(algorithms)
}

pub(super) fn claim_names(var: &impl Fn(&str) -> Option<String>) -> Result<ClaimNames, ConfigError> {
    let defaults = ClaimNames::default();
    let super_admin = match var("INVITES_CLAIM_SUPER_ADMIN") {
        None => defaults.super_admin,
        Some(raw) => match raw.split_once('=') {
            None => SuperAdminClaim::Flag(raw),
            Some((claim, value)) if !claim.is_empty() && !value.is_empty() => SuperAdminClaim::Member {
                claim: claim.to_owned(),
                value: value.to_owned(),
            },
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "INVITES_CLAIM_SUPER_ADMIN",
                    reason: format!("{raw:?} is not a claim, nor claim=value"),
                });
            }
        },
    };
    Ok(ClaimNames {
        user_id: var("INVITES_CLAIM_USER_ID").unwrap_or(defaults.user_id),
        tenant: var("INVITES_CLAIM_TENANT").unwrap_or(defaults.tenant),
        roles: var("INVITES_CLAIM_ROLES").unwrap_or(defaults.roles),
        super_admin,
        name: var("INVITES_CLAIM_NAME").unwrap_or(defaults.name),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::config::Config;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned(), None)
    }

    #[test]
    fn a_key_set_url_is_https_or_on_this_machine() {
        for url in [
            "https://idp.example.com/.well-known/jwks.json",
            "http://127.0.0.1:8080/jwks",
            "http://localhost/jwks",
            "http://[::1]:9/jwks",
        ] {
            let key = config(&[("INVITES_JWT_JWKS_URL", url)]).unwrap().jwt.key;
            assert!(
                matches!(key, JwtKey::Jwks { ref algorithms, .. } if algorithms == &[Algorithm::RS256]),
                "{url}"
            );
        }
        for url in [
            "http://idp.example.com/jwks",
            "ftp://idp.example.com/jwks",
            "not a url",
            "/jwks",
        ] {
            let error = config(&[("INVITES_JWT_JWKS_URL", url)]).unwrap_err().to_string();
            assert!(error.starts_with("INVITES_JWT_JWKS_URL is invalid"), "{url}: {error}");
        }
    }

    #[test]
    fn a_key_sets_algorithms_are_public_key_algorithms_from_configuration() {
        let key = config(&[
            ("INVITES_JWT_JWKS_URL", "https://idp.example/jwks"),
            ("INVITES_JWT_ALGORITHMS", "RS256, ES256,RS256"),
        ])
        .unwrap()
        .jwt
        .key;
        assert!(
            matches!(key, JwtKey::Jwks { ref algorithms, .. } if algorithms == &[Algorithm::RS256, Algorithm::ES256])
        );
        for bad in ["HS256", "RS256,none", ",", "rs256"] {
            let error = config(&[
                ("INVITES_JWT_JWKS_URL", "https://idp.example/jwks"),
                ("INVITES_JWT_ALGORITHMS", bad),
            ])
            .unwrap_err();
            assert!(
                error.to_string().starts_with("INVITES_JWT_ALGORITHMS is invalid"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn claim_names_default_to_todays_claims_and_are_configurable() {
        assert_eq!(config(&[]).unwrap().jwt.claims, ClaimNames::default());
        let claims = config(&[
            ("INVITES_CLAIM_USER_ID", "https://invites.example.com/user_id"),
            ("INVITES_CLAIM_TENANT", "custom:tenant_id"),
            ("INVITES_CLAIM_ROLES", "cognito:groups"),
            ("INVITES_CLAIM_SUPER_ADMIN", "cognito:groups=platform-admins"),
            ("INVITES_CLAIM_NAME", "given_name"),
        ])
        .unwrap()
        .jwt
        .claims;
        assert_eq!(claims.user_id, "https://invites.example.com/user_id");
        assert_eq!(claims.tenant, "custom:tenant_id");
        assert_eq!(claims.roles, "cognito:groups");
        assert_eq!(
            claims.super_admin,
            SuperAdminClaim::Member {
                claim: "cognito:groups".into(),
                value: "platform-admins".into()
            }
        );
        assert_eq!(claims.name, "given_name");
        for bad in ["=x", "claim=", "="] {
            assert!(config(&[("INVITES_CLAIM_SUPER_ADMIN", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_auth_mode_is_function_or_apigateway() {
        assert!(matches!(config(&[]).unwrap().jwt.key, JwtKey::Unconfigured));
        let gateway = config(&[("INVITES_AUTH_MODE", "apigateway"), ("INVITES_JWT_SECRET", "s")]).unwrap();
        assert!(matches!(gateway.jwt.key, JwtKey::ApiGateway));
        assert!(
            gateway.cursor_secret.is_none(),
            "nothing secret to derive a cursor key from"
        );
        assert!(config(&[("INVITES_AUTH_MODE", "lambda")]).is_err());
    }
}
