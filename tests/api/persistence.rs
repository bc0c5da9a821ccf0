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

#[tokio::test]
async fn an_email_still_queued_when_the_server_stopped_goes_out_at_the_next_start() {
    let mut app = spawn_app().await;
    let invite = app.invite("waiting@example.com").await;
    let first = app.tokens_to("waiting@example.com").await;
    assert_eq!(first.len(), 1);

    // As if a resend had committed and the server stopped before its worker mailed it.
    app.stop().await;
    {
        let store = app.open_store().await;
        let id = invites_shared::domain::InviteId::parse(invite["id"].as_str().unwrap()).unwrap();
        let current = store.get(id).await.unwrap().unwrap();
        let now = app.now();
        let mut queued = current.next_version(now);
        queued.email_status = invites_shared::domain::EmailStatus::Queued;
        queued.token_hash = invites_shared::domain::InviteToken::generate(id).hash();
        queued.send_count += 1;
        store.replace(&current, &queued, now).await.unwrap();
    }
    app.start().await;

    let tokens = app.tokens_to("waiting@example.com").await;
    assert_eq!(tokens.len(), 2, "the queued email went out on start");
    let fresh = app.new_token_to("waiting@example.com", &first).await;
    assert_eq!(app.check(&first[0]).await["isValid"], false);
    assert_eq!(app.fetch(&invite["id"]).await["emailStatus"], "sent");
    json_of(app.accept_as_anyone(&fresh).await, 200).await;
}
