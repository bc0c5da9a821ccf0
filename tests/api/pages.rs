//! The browser pages `invites-local` serves beside the API (the console at `/`, the
//! accept page that emailed links open), and `POST /dev/token`, which exists only
//! with the development secret. The pages themselves are tested in Chromium
//! (`scripts/test-web.sh`); these tests hold the server's side.

use std::collections::BTreeSet;
use std::path::Path;

use invites_local::dev_token::{DEV_TOKEN_PATH, DEVELOPMENT_ROLES, DEVELOPMENT_TENANT_ID};
use invites_local::web::{ASSETS, CONTENT_SECURITY_POLICY};
use invites_shared::config::{DEFAULT_ACCEPT_URL, DEVELOPMENT_JWT_SECRET};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, problem, send_body, spawn_app, spawn_app_embedded_with};

async fn development_app() -> TestApp {
    // The development secret is refused with DynamoDB: these run on the embedded store.
    spawn_app_embedded_with(&[("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)]).await
}

async fn mint(app: &TestApp, identity: &str) -> Value {
    json_of(app.post(DEV_TOKEN_PATH, None, json!({ "as": identity })).await, 200).await
}

#[tokio::test]
async fn every_page_is_served_with_its_type_and_a_strict_policy() {
    let app = spawn_app().await;
    for asset in &ASSETS {
        let response = app.get(asset.path, None).await;
        assert_eq!(response.status(), 200, "{}", asset.path);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(header("content-type"), asset.content_type, "{}", asset.path);
        assert_eq!(header("content-security-policy"), CONTENT_SECURITY_POLICY);
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(
            header("referrer-policy"),
            "no-referrer",
            "the accept page's address holds a token"
        );
        let body = response.bytes().await.unwrap();
        assert_eq!(&body[..], asset.body, "{}", asset.path);
    }
    assert!(
        !CONTENT_SECURITY_POLICY.contains("unsafe-"),
        "{CONTENT_SECURITY_POLICY}"
    );
    assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
}

#[tokio::test]
async fn the_html_pages_load_no_inline_script_or_style() {
    for asset in ASSETS.iter().filter(|a| a.content_type.starts_with("text/html")) {
        let html = std::str::from_utf8(asset.body).unwrap().to_ascii_lowercase();
        for tag in html.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(
                open.contains(" src=\"/assets/"),
                "{}: an inline script: <script{open}>",
                asset.file
            );
        }
        assert!(!html.contains(" style="), "{}: an inline style", asset.file);
        assert!(!html.contains("<style"), "{}: an inline style sheet", asset.file);
    }
}

#[tokio::test]
async fn the_link_of_the_default_accept_url_opens_the_accept_page() {
    let app = spawn_app().await;
    let link = DEFAULT_ACCEPT_URL.replace("{token}", "any-token");
    let path = &link[link.find("/accept-invite").expect("the default link's path")..];
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<user-invite-accept>"), "{html}");
}

#[tokio::test]
async fn the_pages_take_get_and_head_only() {
    let app = spawn_app().await;
    let head = app.request(Method::HEAD, "/", None, None).await;
    assert_eq!(head.status(), 200);
    let post = app.post("/accept-invite", None, json!({})).await;
    assert_eq!(post.headers()["allow"], "GET, HEAD");
    problem(post, 405, "METHOD_NOT_ALLOWED").await;
    problem(app.get("/assets/missing.js", None).await, 404, "NOT_FOUND").await;
}

#[test]
fn every_built_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../local/web");
    let mut on_disk = BTreeSet::new();
    let mut stack = vec![dir.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                on_disk.insert(path.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let embedded: BTreeSet<String> = ASSETS.iter().map(|a| a.file.to_owned()).collect();
    assert_eq!(on_disk, embedded, "local/web/ and invites_local::web::ASSETS differ");
}

#[tokio::test]
async fn without_the_development_secret_no_token_is_minted() {
    let app = spawn_app().await;
    problem(
        app.post(DEV_TOKEN_PATH, None, json!({ "as": "admin" })).await,
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn the_development_admin_invites_into_its_tenant_and_a_new_user_accepts() {
    let app = development_app().await;
    let admin = mint(&app, "admin").await;
    assert_eq!(admin["tenantId"], DEVELOPMENT_TENANT_ID);
    assert_eq!(admin["roles"], json!(DEVELOPMENT_ROLES));
    assert_eq!(admin["superAdmin"], false);
    let token = admin["token"].as_str().unwrap();
    let tenant = Uuid::parse_str(DEVELOPMENT_TENANT_ID).unwrap();
    let sent = json_of(
        app.post(
            "/user-invites",
            Some(token),
            send_body(tenant, json!([{ "email": "dev@example.com", "roles": ["editor"] }])),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sent["errors"], json!([]), "{sent}");
    let listed = json_of(app.get("/user-invites", Some(token)).await, 200).await;
    assert_eq!(listed["totalCount"], 1);

    let user = mint(&app, "new-user").await;
    let other = mint(&app, "new-user").await;
    assert_ne!(user["sub"], other["sub"], "each sign-in is a new user");
    assert_eq!(user["tenantId"], Value::Null);
    let invite_token = app.tokens_to("dev@example.com").await.remove(0);
    let accepted = json_of(app.accept(user["token"].as_str().unwrap(), &invite_token).await, 200).await;
    assert_eq!(accepted["acceptedByUserId"], user["sub"]);
}

#[tokio::test]
async fn the_development_super_admin_has_no_tenant() {
    let app = development_app().await;
    let admin = mint(&app, "super-admin").await;
    assert_eq!(admin["superAdmin"], true);
    assert_eq!(admin["tenantId"], Value::Null);
    let token = admin["token"].as_str().unwrap();
    let other = Uuid::new_v4();
    let listed = json_of(
        app.get(&format!("/user-invites?tenantId={other}"), Some(token)).await,
        200,
    )
    .await;
    assert_eq!(listed["totalCount"], 0);
}

#[tokio::test]
async fn a_mint_request_names_a_known_identity() {
    let app = development_app().await;
    for body in [json!({}), json!({ "as": "root" }), json!({ "as": "admin", "sub": "x" })] {
        let p = problem(
            app.post(DEV_TOKEN_PATH, None, body.clone()).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "as", "{body}");
    }
    let get = app.get(DEV_TOKEN_PATH, None).await;
    assert_eq!(get.headers()["allow"], "POST");
    problem(get, 405, "METHOD_NOT_ALLOWED").await;
}
