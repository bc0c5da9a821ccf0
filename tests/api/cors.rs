//! Browsers: with `INVITES_CORS_ORIGINS`, a real preflight (OPTIONS with `Origin` and
//! `Access-Control-Request-*`) of every route is answered as API Gateway's
//! `CorsConfiguration` answers it (the same lists, shared/src/http/cors.rs), without
//! reaching the API; the answers themselves let the page read `Retry-After` and
//! `X-Request-Id`; another origin gets no CORS header; and without the variable the
//! server answers no browser on another origin.

use invites_shared::http::ROUTES;
use invites_shared::http::openapi::OPENAPI_JSON_PATH;
use reqwest::header::HeaderMap;
use reqwest::{Method, Response};
use serde_json::json;

use crate::helpers::{TestApp, json_of, problem, spawn_app, spawn_app_with};

const ORIGIN: &str = "https://app.example.com";
const OTHER_ORIGIN: &str = "http://localhost:5173";
const REQUESTED_HEADERS: &str = "authorization,content-type,idempotency-key";

async fn app_for_browsers() -> TestApp {
    let origins = format!("{ORIGIN}, {OTHER_ORIGIN}");
    spawn_app_with(&[
        ("INVITES_CORS_ORIGINS", origins.as_str()),
        ("INVITES_RESEND_LIMIT_PER_HOUR", "1"),
    ])
    .await
}

/// Every route's method and path (an id where the route takes one), and the API
/// description's.
fn every_route() -> Vec<(Method, String)> {
    let id = uuid::Uuid::new_v4().to_string();
    ROUTES
        .iter()
        .map(|r| {
            (
                Method::from_bytes(r.method.as_str().as_bytes()).unwrap(),
                r.path.replace("{id}", &id),
            )
        })
        .chain([(Method::GET, OPENAPI_JSON_PATH.to_owned())])
        .collect()
}

/// What a browser sends before a cross-origin request that has a body or a token.
async fn preflight(app: &TestApp, origin: &str, method: &Method, path: &str) -> Response {
    app.client
        .request(Method::OPTIONS, format!("{}{path}", app.address))
        .header("origin", origin)
        .header("access-control-request-method", method.as_str())
        .header("access-control-request-headers", REQUESTED_HEADERS)
        .send()
        .await
        .unwrap()
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).map(|v| v.to_str().unwrap().to_owned())
}

/// A comma-separated header as a lower-case list.
fn list(headers: &HeaderMap, name: &str) -> Vec<String> {
    header(headers, name)
        .unwrap_or_default()
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .filter(|item| !item.is_empty())
        .collect()
}

#[tokio::test]
async fn a_preflight_of_every_route_allows_its_method_and_the_apis_headers() {
    let app = app_for_browsers().await;
    for (method, path) in every_route() {
        for origin in [ORIGIN, OTHER_ORIGIN] {
            let response = preflight(&app, origin, &method, &path).await;
            assert!(response.status().is_success(), "{method} {path}: {}", response.status());
            let headers = response.headers();
            assert_eq!(header(headers, "access-control-allow-origin").as_deref(), Some(origin));
            assert!(
                list(headers, "access-control-allow-methods").contains(&method.as_str().to_ascii_lowercase()),
                "{method} {path}: {headers:?}"
            );
            let allowed = list(headers, "access-control-allow-headers");
            for requested in REQUESTED_HEADERS.split(',') {
                assert!(allowed.contains(&requested.to_owned()), "{requested}: {headers:?}");
            }
            assert_eq!(header(headers, "access-control-max-age").as_deref(), Some("600"));
            assert!(list(headers, "vary").contains(&"origin".to_owned()), "{headers:?}");
            assert!(
                header(headers, "access-control-allow-credentials").is_none(),
                "bearer tokens, never cookies"
            );
        }
    }
    // Preflights never reach the API: the send's preflight created nothing.
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_page_may_read_retry_after_and_the_request_id() {
    let app = app_for_browsers().await;
    let invite = app.invite("browser@example.com").await;
    let resend = |app: &TestApp| {
        let path = format!("/user-invites/{}/resend", invite["id"].as_str().unwrap());
        app.client
            .post(format!("{}{path}", app.address))
            .header("origin", ORIGIN)
            .bearer_auth(app.user_token())
            .json(&json!({}))
            .send()
    };
    let first = resend(&app).await.unwrap();
    let headers = first.headers().clone();
    json_of(first, 200).await;
    assert_eq!(header(&headers, "access-control-allow-origin").as_deref(), Some(ORIGIN));
    let exposed = list(&headers, "access-control-expose-headers");
    assert!(exposed.contains(&"retry-after".to_owned()), "{headers:?}");
    assert!(exposed.contains(&"x-request-id".to_owned()), "{headers:?}");
    assert!(header(&headers, "x-request-id").is_some());

    // One resend an hour: the second is a 429 whose Retry-After the page can read.
    let limited = resend(&app).await.unwrap();
    let headers = limited.headers().clone();
    problem(limited, 429, "RATE_LIMITED").await;
    assert!(header(&headers, "retry-after").is_some());
    assert_eq!(header(&headers, "access-control-allow-origin").as_deref(), Some(ORIGIN));
    assert!(list(&headers, "access-control-expose-headers").contains(&"retry-after".to_owned()));
}

#[tokio::test]
async fn another_origin_gets_no_cors_header() {
    let app = app_for_browsers().await;
    let response = preflight(&app, "https://evil.example.com", &Method::GET, "/user-invites").await;
    assert!(header(response.headers(), "access-control-allow-origin").is_none());
    let response = app
        .client
        .get(format!("{}/user-invites", app.address))
        .header("origin", "https://evil.example.com")
        .bearer_auth(app.user_token())
        .send()
        .await
        .unwrap();
    assert!(header(response.headers(), "access-control-allow-origin").is_none());
    // The server still answers (a browser is what refuses to hand the answer over).
    json_of(response, 200).await;
}

#[tokio::test]
async fn a_star_allows_any_origin() {
    let app = spawn_app_with(&[("INVITES_CORS_ORIGINS", "*")]).await;
    let response = preflight(&app, "https://anywhere.example", &Method::PATCH, "/user-invites/x").await;
    assert!(response.status().is_success());
    assert_eq!(
        header(response.headers(), "access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[tokio::test]
async fn without_origins_no_browser_on_another_origin_is_answered() {
    let app = spawn_app().await;
    let response = preflight(&app, ORIGIN, &Method::POST, "/user-invites").await;
    assert!(header(response.headers(), "access-control-allow-origin").is_none());
    let allow = header(response.headers(), "allow");
    problem(response, 405, "METHOD_NOT_ALLOWED").await;
    assert_eq!(
        allow.as_deref(),
        Some("POST, GET, HEAD"),
        "OPTIONS is no route of its own"
    );

    let response = app
        .client
        .get(format!("{}/user-invites", app.address))
        .header("origin", ORIGIN)
        .bearer_auth(app.user_token())
        .send()
        .await
        .unwrap();
    assert!(header(response.headers(), "access-control-allow-origin").is_none());
}
