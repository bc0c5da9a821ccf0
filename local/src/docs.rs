//! `GET /docs`: Swagger UI over the API description at `/openapi.json`, to browse the
//! API and try it against this server or a deployed stack (openapi.yaml's `servers`).
//!
//! Swagger UI's files are vendored from npm (`scripts/vendor-swagger-ui.sh`, pinned and
//! integrity-checked) and embedded in the binary: the page loads nothing from anywhere
//! else, and its Content-Security-Policy lets the browser run no script but these.

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderValue, header};

/// Where the page is.
pub const DOCS_PATH: &str = "/docs";

/// The vendored Swagger UI files this module serves, by name under
/// `local/assets/swagger-ui/` (checked against `SHA256SUMS` by a test).
pub const SWAGGER_UI_BUNDLE: &[u8] = include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js");
pub const SWAGGER_UI_CSS: &[u8] = include_bytes!("../assets/swagger-ui/swagger-ui.css");

/// Scripts and styles only from this server (no CDN, no inline script); requests from
/// "Try it out" may go to any server the description names.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self' http: https:; frame-ancestors 'none'";

const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>User Invites API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"##;

/// Starts Swagger UI on this server's own description; `validatorUrl: null` keeps it
/// from sending the description to swagger.io's validator.
const INIT: &str = r##"window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null
  });
});
"##;

/// The page and its assets, to merge into the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            DOCS_PATH,
            get(|| async { asset("text/html; charset=utf-8", PAGE.as_bytes()) }),
        )
        .route(
            "/docs/swagger-ui-bundle.js",
            get(|| async { asset("text/javascript; charset=utf-8", SWAGGER_UI_BUNDLE) }),
        )
        .route(
            "/docs/swagger-ui.css",
            get(|| async { asset("text/css; charset=utf-8", SWAGGER_UI_CSS) }),
        )
        .route(
            "/docs/init.js",
            get(|| async { asset("text/javascript; charset=utf-8", INIT.as_bytes()) }),
        )
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    /// The embedded files are the ones `scripts/vendor-swagger-ui.sh` took from the
    /// integrity-checked npm tarball, unedited.
    #[test]
    fn the_embedded_swagger_ui_is_the_vendored_one() {
        let sums = include_str!("../assets/swagger-ui/SHA256SUMS");
        for (name, bytes) in [
            ("swagger-ui-bundle.js", SWAGGER_UI_BUNDLE),
            ("swagger-ui.css", SWAGGER_UI_CSS),
        ] {
            let expected = sums
                .lines()
                .find_map(|line| Some(line.strip_suffix(name)?.trim()))
                .unwrap_or_else(|| panic!("SHA256SUMS has no {name}"));
            let actual: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(actual, expected, "{name} differs from the vendored file");
        }
    }
}
