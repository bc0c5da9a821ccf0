//! The browser pages `invites-local` serves beside the API: the developer console at
//! `/` and the accept page at `/accept-invite`, so that the link in every `.eml` of the
//! outbox opens a page that accepts the invite.
//!
//! The files are built from `clients/web` (its `npm run build:local`) into `local/web/`,
//! committed, and embedded here: `cargo run -p invites-local` needs no Node. The web
//! test script rebuilds them and fails if the build differs from what is committed.

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use axum::routing::{MethodRouter, get};
use http::{HeaderValue, Method, header};
use invites_shared::http::Problem;

/// One embedded file and the path it is served at.
pub struct Asset {
    /// The URL path (`/`, `/accept-invite`, `/assets/console.js`).
    pub path: &'static str,
    /// The file under `local/web/`.
    pub file: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $file:literal, $type:literal) => {
        Asset {
            path: $path,
            file: $file,
            content_type: $type,
            body: include_bytes!(concat!("../web/", $file)),
        }
    };
}

/// Every file of `local/web/` (a test checks that none is missing from this list).
pub const ASSETS: [Asset; 6] = [
    asset!("/", "index.html", "text/html; charset=utf-8"),
    asset!("/accept-invite", "accept-invite.html", "text/html; charset=utf-8"),
    asset!(
        "/assets/console.js",
        "assets/console.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "/assets/accept-invite.js",
        "assets/accept-invite.js",
        "text/javascript; charset=utf-8"
    ),
    asset!("/assets/page.css", "assets/page.css", "text/css; charset=utf-8"),
    asset!("/assets/favicon.svg", "assets/favicon.svg", "image/svg+xml"),
];

/// Scripts and styles only from files of this origin (no inline script, no inline
/// style, no `eval`); requests only to this origin; no framing, no plugins, no forms
/// posted anywhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The pages' routes, added to the API's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    ASSETS.iter().fold(Router::new(), |router, asset| {
        let route: MethodRouter<S> = get(move || std::future::ready(page(asset))).fallback(get_only);
        router.route(asset.path, route)
    })
}

fn page(asset: &'static Asset) -> Response {
    let mut response = Response::new(Body::from(asset.body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The accept page's address holds the invite token: it must not leave in a Referer.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // A rebuilt binary serves new files at the same paths: always revalidate.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn get_only() -> Response {
    method_not_allowed(vec![Method::GET, Method::HEAD])
}

pub(crate) fn method_not_allowed(allow: Vec<Method>) -> Response {
    Problem::method_not_allowed(allow).into_response().map(Body::from)
}
