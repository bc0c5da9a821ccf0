//! The local server keeps everything across restarts.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{json_of, problem, send_body, spawn_app, spawn_app_with};

#[tokio::test]
async fn invites_and_tokens_survive_a_restart() {
    let mut app = spawn_app().await;
    let invite = app
        .invite_with(json!({ "email": "keep@example.com", "firstName": "Kept", "data": {"k": [1, 2]} }))
        .await;
    let canceled = app.invite("gone@example.com").await;
    json_of(app.cancel(&canceled["id"]).await, 200).await;
    let canceled = app.fetch(&canceled["id"]).await;
    let token = app.tokens_to("keep@example.com").await.remove(0);
    let invite = app.fetch(&invite["id"]).await;

    app.restart().await;

    assert_eq!(app.fetch(&invite["id"]).await, invite);
    assert_eq!(app.fetch(&canceled["id"]).await, canceled);
    assert_eq!(app.count().await, 2);
    assert_eq!(app.check(&token).await["isValid"], true);
    let accepted = json_of(app.accept_as_anyone(&token).await, 200).await;
    assert_eq!(accepted["id"], invite["id"]);

    app.restart().await;
    assert_eq!(app.fetch(&invite["id"]).await["status"], "accepted");
    problem(app.accept_as_anyone(&token).await, 409, "INVITE_ALREADY_ACCEPTED").await;
}

#[tokio::test]
async fn the_pending_slot_survives_a_restart() {
    let mut app = spawn_app().await;
    app.invite("slot@example.com").await;
    app.restart().await;
    let body = json_of(
        app.send(&app.user_token(), app.tenant, json!([{ "email": "SLOT@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
}

#[tokio::test]
async fn the_resend_limit_survives_a_restart() {
    let mut app = spawn_app_with(&[("INVITES_RESEND_LIMIT_PER_HOUR", "1")]).await;
    let invite = app.invite("limit@example.com").await;
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    app.restart().await;
    problem(app.resend(&invite["id"], json!({})).await, 429, "RATE_LIMITED").await;
    app.advance(Duration::hours(1));
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
}

#[tokio::test]
async fn an_idempotent_response_survives_a_restart() {
    let mut app = spawn_app().await;
    let body = send_body(app.tenant, json!([{ "email": "idem@example.com" }]));
    let first = json_of(app.send_with_key(&app.user_token(), "restart-key", &body).await, 200).await;
    app.restart().await;
    let again = json_of(app.send_with_key(&app.user_token(), "restart-key", &body).await, 200).await;
    assert_eq!(again, first);
    assert_eq!(app.outbox().await.len(), 1);
}

#[tokio::test]
async fn the_store_never_holds_a_token_in_the_clear() {
    let app = spawn_app().await;
    app.invite("hashed@example.com").await;
    let token = app.tokens_to("hashed@example.com").await.remove(0);
    let quiet = json_of(
        app.post(
            "/user-invites",
            Some(&app.user_token()),
            json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": "q@example.com" }] },
                    "sendEmail": false }),
        )
        .await,
        200,
    )
    .await;
    let url = quiet["success"][0]["acceptUrl"].as_str().unwrap();
    let quiet_token = url.split("token=").nth(1).unwrap().to_owned();
    let db = app.stored_data().await;
    assert!(!db.contains(&token), "the mailed token is stored in the clear");
    assert!(!db.contains(&quiet_token), "the returned token is stored in the clear");
}
