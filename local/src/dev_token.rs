//! `POST /dev/token`: development tokens for the browser pages (the console's admin
//! token, "sign in as a new user" on the console and the accept page).
//!
//! It exists only while the server verifies tokens with the development secret
//! ([`DEVELOPMENT_JWT_SECRET`]), which is printed at start and written in the source:
//! whoever reaches such a server can mint any token with it already. With any other
//! key (`INVITES_JWT_SECRET`, a public key) the route is not there at all and the path
//! answers as every unknown route does, 404.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::response::Response;
use axum::routing::post;
use http::{HeaderValue, Method, header};
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET, JwtKey};
use invites_shared::domain::{ErrorCode, FieldError};
use invites_shared::http::Problem;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const DEV_TOKEN_PATH: &str = "/dev/token";

/// The tenant of the development admin: the console lists and invites into it.
pub const DEVELOPMENT_TENANT_ID: &str = "5f0c2a1e-7b3d-4c8e-9a6f-0d1e2f3a4b5c";
/// The development admin's user id (`sub`).
pub const DEVELOPMENT_ADMIN_ID: &str = "a1d3e5f7-2b4c-4d6e-8f0a-1b2c3d4e5f60";
/// The roles the development admin may grant (its token's `roles` claim).
pub const DEVELOPMENT_ROLES: [&str; 3] = ["admin", "editor", "viewer"];
/// How long a development token lasts.
pub const DEV_TOKEN_HOURS: u64 = 12;

/// Who the token is for.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Identity {
    /// The development tenant's admin.
    Admin,
    /// A super admin of no tenant: lists every tenant.
    SuperAdmin,
    /// A user never seen before, of no tenant: what an invitee signs in as.
    NewUser,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MintRequest {
    #[serde(rename = "as")]
    identity: Identity,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Minted {
    token: String,
    sub: String,
    tenant_id: Option<&'static str>,
    super_admin: bool,
    roles: Vec<&'static str>,
    name: &'static str,
    /// Seconds since the epoch.
    expires_at: u64,
}

struct Minter {
    key: EncodingKey,
    issuer: Option<String>,
    audience: Option<String>,
}

/// The route, when `config` verifies with the development secret; else nothing.
pub fn routes<S: Clone + Send + Sync + 'static>(config: &Config) -> Option<Router<S>> {
    let JwtKey::Secret(secret) = &config.jwt.key else {
        return None;
    };
    if secret != DEVELOPMENT_JWT_SECRET {
        return None;
    }
    let minter = Arc::new(Minter {
        key: EncodingKey::from_secret(secret.as_bytes()),
        issuer: config.jwt.issuer.clone(),
        audience: config.jwt.audience.clone(),
    });
    let route = post(move |body: Bytes| std::future::ready(minter.answer(&body)))
        .fallback(|| std::future::ready(crate::web::method_not_allowed(vec![Method::POST])));
    Some(Router::new().route(DEV_TOKEN_PATH, route))
}

impl Minter {
    fn answer(&self, body: &[u8]) -> Response {
        let identity = match serde_json::from_slice::<MintRequest>(body) {
            Ok(request) => request.identity,
            Err(_) => {
                let mut problem = Problem::new(ErrorCode::ValidationFailed, "the body must be {\"as\": IDENTITY}");
                problem.errors.push(FieldError::new(
                    "as",
                    "must be \"admin\", \"super-admin\" or \"new-user\"",
                ));
                return problem.into_response().map(Body::from);
            }
        };
        let minted = self.mint(identity);
        let mut response = Response::new(Body::from(serde_json::to_vec(&minted).expect("JSON serializes")));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    fn mint(&self, identity: Identity) -> Minted {
        let (sub, tenant_id, super_admin, roles, name) = match identity {
            Identity::Admin => (
                DEVELOPMENT_ADMIN_ID.to_owned(),
                Some(DEVELOPMENT_TENANT_ID),
                false,
                DEVELOPMENT_ROLES.to_vec(),
                "Development Admin",
            ),
            Identity::SuperAdmin => (
                DEVELOPMENT_ADMIN_ID.to_owned(),
                None,
                true,
                Vec::new(),
                "Development Super Admin",
            ),
            Identity::NewUser => (uuid::Uuid::new_v4().to_string(), None, false, Vec::new(), "New User"),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let expires_at = now + DEV_TOKEN_HOURS * 3600;
        // A JSON object rather than the library's `Claims`: `roles` and `name` are claims
        // the API reads (the roles a caller may grant, the inviter's display name).
        let mut claims = json!({ "sub": sub, "exp": expires_at, "iat": now, "name": name, "roles": roles });
        if let Some(tenant) = tenant_id {
            claims["tenantId"] = Value::from(tenant);
        }
        if super_admin {
            claims["superAdmin"] = Value::Bool(true);
        }
        if let Some(iss) = &self.issuer {
            claims["iss"] = Value::from(iss.as_str());
        }
        if let Some(aud) = &self.audience {
            claims["aud"] = Value::from(aud.as_str());
        }
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.key)
            .expect("HS256 signing cannot fail");
        Minted {
            token,
            sub,
            tenant_id,
            super_admin,
            roles,
            name,
            expires_at,
        }
    }
}
