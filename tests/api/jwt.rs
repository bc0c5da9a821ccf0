//! Authentication: anything but a well-formed, correctly signed, unexpired HS256 token
//! with a UUID `sub` is 401, and nothing happens.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, b64url, json_of, problem, send_body, spawn_app, spawn_app_with, token_answer};

fn in_an_hour() -> i64 {
    (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp()
}

fn unsigned(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}.",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

/// Asserts that `token` is refused by every authenticated route, and that nothing was created.
async fn assert_refused(app: &TestApp, token: &str) {
    let p = problem(
        app.send(token, app.tenant, json!([{ "email": "jwt@example.com" }]))
            .await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(p["status"], 401);
    problem(app.get("/user-invites", Some(token)).await, 401, "UNAUTHENTICATED").await;
    problem(
        app.get(&format!("/user-invites/{}", Uuid::new_v4()), Some(token)).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    problem(
        app.post(
            "/user-invites/accept",
            Some(token),
            json!({ "acceptUserInvite": { "token": "whatever" } }),
        )
        .await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(app.count().await, 0);
    assert!(app.outbox().await.is_empty());
}

fn claims(app: &TestApp) -> Value {
    json!({ "sub": app.user, "tenantId": app.tenant, "exp": in_an_hour() })
}

#[tokio::test]
async fn a_missing_authorization_header_is_401() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/user-invites",
            None,
            send_body(app.tenant, json!([{ "email": "x@example.com" }])),
        )
        .await;
    problem(response, 401, "UNAUTHENTICATED").await;
    problem(app.get("/user-invites", None).await, 401, "UNAUTHENTICATED").await;
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_malformed_token_is_401() {
    let app = spawn_app().await;
    for token in ["", "abc", "a.b.c", "a.b", "....", &"x".repeat(2000)] {
        assert_refused(&app, token).await;
    }
}

#[tokio::test]
async fn a_scheme_other_than_bearer_is_401() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/user-invites", app.address))
        .header("authorization", format!("Basic {}", app.user_token()))
        .send()
        .await
        .unwrap();
    problem(response, 401, "UNAUTHENTICATED").await;
    let response = app
        .client
        .get(format!("{}/user-invites", app.address))
        .header("authorization", app.user_token())
        .send()
        .await
        .unwrap();
    problem(response, 401, "UNAUTHENTICATED").await;
}

#[tokio::test]
async fn a_lowercase_bearer_scheme_is_accepted() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/user-invites", app.address))
        .header("authorization", format!("bearer {}", app.user_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn alg_none_is_401() {
    let app = spawn_app().await;
    let claims = claims(&app);
    for alg in ["none", "None", "NONE"] {
        assert_refused(&app, &unsigned(&json!({ "alg": alg, "typ": "JWT" }), &claims)).await;
    }
    // A valid token with its signature stripped.
    let valid = app.user_token();
    let stripped = format!("{}.", valid.rsplit_once('.').unwrap().0);
    assert_refused(&app, &stripped).await;
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_401() {
    let app = spawn_app().await;
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(&app),
        &EncodingKey::from_secret(b"some-other-secret"),
    )
    .unwrap();
    assert_refused(&app, &token).await;
}

#[tokio::test]
async fn a_token_signed_with_the_right_secret_but_another_algorithm_is_401() {
    let app = spawn_app().await;
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        assert_refused(&app, &app.sign_with(alg, &claims(&app))).await;
    }
}

#[tokio::test]
async fn a_tampered_payload_is_401() {
    let app = spawn_app().await;
    let valid = app.user_token();
    let parts: Vec<&str> = valid.split('.').collect();
    let mut forged = claims(&app);
    forged["superAdmin"] = json!(true);
    let token = format!("{}.{}.{}", parts[0], b64url(forged.to_string().as_bytes()), parts[2]);
    assert_refused(&app, &token).await;
}

#[tokio::test]
async fn an_expired_token_is_401() {
    let app = spawn_app().await;
    let mut expired = claims(&app);
    expired["exp"] = json!((chrono::Utc::now() - chrono::Duration::hours(1)).timestamp());
    assert_refused(&app, &app.sign(&expired)).await;
}

#[tokio::test]
async fn a_token_without_exp_is_401() {
    let app = spawn_app().await;
    let claims = json!({ "sub": app.user, "tenantId": app.tenant });
    assert_refused(&app, &app.sign(&claims)).await;
}

#[tokio::test]
async fn exp_as_a_string_is_401() {
    let app = spawn_app().await;
    let claims = json!({ "sub": app.user, "tenantId": app.tenant, "exp": in_an_hour().to_string() });
    assert_refused(&app, &app.sign(&claims)).await;
}

#[tokio::test]
async fn a_sub_that_is_not_a_uuid_is_401() {
    let app = spawn_app().await;
    for sub in [json!("user-1"), json!(""), json!(42), Value::Null] {
        let claims = json!({ "sub": sub, "tenantId": app.tenant, "exp": in_an_hour() });
        assert_refused(&app, &app.sign(&claims)).await;
    }
    let claims = json!({ "tenantId": app.tenant, "exp": in_an_hour() });
    assert_refused(&app, &app.sign(&claims)).await;
}

#[tokio::test]
async fn a_tenant_id_that_is_not_a_uuid_is_401() {
    let app = spawn_app().await;
    let claims = json!({ "sub": app.user, "tenantId": "acme", "exp": in_an_hour() });
    assert_refused(&app, &app.sign(&claims)).await;
}

#[tokio::test]
async fn super_admin_must_be_a_boolean() {
    let app = spawn_app().await;
    let claims = json!({ "sub": app.user, "tenantId": app.tenant, "superAdmin": "true", "exp": in_an_hour() });
    assert_refused(&app, &app.sign(&claims)).await;
}

#[tokio::test]
async fn a_configured_issuer_is_required_and_checked() {
    let app = spawn_app_with(&[("INVITES_JWT_ISSUER", "https://issuer.example")]).await;
    let mut wrong = claims(&app);
    wrong["iss"] = json!("https://evil.example");
    assert_refused(&app, &app.sign(&wrong)).await;
    assert_refused(&app, &app.sign(&claims(&app))).await;

    let mut right = claims(&app);
    right["iss"] = json!("https://issuer.example");
    let response = app.get("/user-invites", Some(&app.sign(&right))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.get("/user-invites", Some(&app.user_token())).await.status(), 200);
}

#[tokio::test]
async fn a_configured_audience_is_required_and_checked() {
    let app = spawn_app_with(&[("INVITES_JWT_AUDIENCE", "invites-api")]).await;
    let mut wrong = claims(&app);
    wrong["aud"] = json!("other-api");
    assert_refused(&app, &app.sign(&wrong)).await;
    assert_refused(&app, &app.sign(&claims(&app))).await;

    let mut right = claims(&app);
    right["aud"] = json!("invites-api");
    assert_eq!(app.get("/user-invites", Some(&app.sign(&right))).await.status(), 200);
    let mut listed = claims(&app);
    listed["aud"] = json!(["other-api", "invites-api"]);
    assert_eq!(app.get("/user-invites", Some(&app.sign(&listed))).await.status(), 200);
}

#[tokio::test]
async fn without_configuration_iss_and_aud_are_not_required() {
    let app = spawn_app().await;
    let mut extra = claims(&app);
    extra["iss"] = json!("anyone");
    extra["aud"] = json!("anything");
    assert_eq!(app.get("/user-invites", Some(&app.sign(&extra))).await.status(), 200);
}

#[tokio::test]
async fn check_token_needs_no_jwt_and_ignores_a_bad_one() {
    let app = spawn_app().await;
    let invite = app.invite("nojwt@example.com").await;
    let token = app.tokens_to("nojwt@example.com").await.remove(0);
    let without = app.check(&token).await;
    assert_eq!(without, token_answer(&invite, "pending"));
    for bad in ["garbage", &app.sign(&json!({ "sub": app.user, "exp": 1 }))] {
        let response = app
            .post("/user-invites/check-token", Some(bad), json!({ "token": token }))
            .await;
        assert_eq!(
            json_of(response, 200).await,
            without,
            "the same answer as without a JWT"
        );
    }
    assert_eq!(app.fetch(&invite["id"]).await, invite, "a check changes nothing");
}

#[tokio::test]
async fn a_token_not_valid_yet_or_with_an_nbf_that_is_not_a_number_is_401() {
    let app = spawn_app().await;
    // Past the library's 60 s leeway.
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(5)).timestamp();
    for nbf in [
        json!(soon),
        json!(soon.to_string()),
        json!("yesterday"),
        json!(true),
        json!([1]),
    ] {
        let mut early = claims(&app);
        early["nbf"] = nbf;
        assert_refused(&app, &app.sign(&early)).await;
    }
    let mut valid = claims(&app);
    valid["nbf"] = json!((chrono::Utc::now() - chrono::Duration::minutes(5)).timestamp());
    assert_eq!(app.get("/user-invites", Some(&app.sign(&valid))).await.status(), 200);
}
