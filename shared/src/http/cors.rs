//! What a browser on another origin may do: the request headers a preflight allows,
//! the methods, and the response headers a page may read. API Gateway's
//! `CorsConfiguration` (template.yaml, origins from the `CorsAllowedOrigins` parameter)
//! and `invites-local` (`INVITES_CORS_ORIGINS`) answer with these same lists;
//! tests/lambda checks the template against them.

use http::Method;

use super::ROUTES;
use super::openapi::OPENAPI_JSON_PATH;

/// Request headers a caller's page may send: the bearer token, the JSON body's type,
/// and send's `Idempotency-Key`.
pub const ALLOW_HEADERS: [&str; 3] = ["authorization", "content-type", super::IDEMPOTENCY_KEY_HEADER];

/// Response headers a page may read besides the CORS-safelisted ones: a 429's
/// `Retry-After`, and the id that pairs an answer with its log line.
pub const EXPOSE_HEADERS: [&str; 2] = ["retry-after", super::REQUEST_ID_HEADER];

/// How long a browser may reuse a preflight's answer.
pub const MAX_AGE_SECONDS: u64 = 600;

/// Every method some route takes (the route table's, and GET for the API description
/// at [`OPENAPI_JSON_PATH`]), in the route table's order.
pub fn allow_methods() -> Vec<Method> {
    let mut methods: Vec<Method> = Vec::new();
    let document = std::iter::once((Method::GET, OPENAPI_JSON_PATH));
    for (method, _) in ROUTES.iter().map(|r| (r.method.clone(), r.path)).chain(document) {
        if !methods.contains(&method) {
            methods.push(method);
        }
    }
    methods
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_routed_method_is_allowed_once() {
        assert_eq!(allow_methods(), vec![Method::POST, Method::PATCH, Method::GET]);
    }
}
