//! Expiry is read off `expiresAt` with the server's clock: no job has to run.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{json_of, problem, send_body, spawn_app, token_answer};

#[tokio::test]
async fn past_expires_at_an_invite_reads_expired_everywhere() {
    let app = spawn_app().await;
    let invite = app.invite("late@example.com").await;
    let token = app.tokens_to("late@example.com").await.remove(0);
    app.advance(Duration::days(8));

    let fetched = app.fetch(&invite["id"]).await;
    assert_eq!(fetched["status"], "expired");
    assert_eq!(fetched["expiresAt"], invite["expiresAt"]);
    let listed = app.list("").await;
    assert_eq!(listed["data"][0]["status"], "expired");
    assert_eq!(app.list("status=expired").await["totalCount"], 1);
    assert_eq!(app.list("status=pending").await["totalCount"], 0);

    problem(app.accept_as_anyone(&token).await, 410, "INVITE_EXPIRED").await;
    assert_eq!(app.check(&token).await, token_answer(&invite, "expired"));
    assert_eq!(
        app.fetch(&invite["id"]).await,
        fetched,
        "a failed accept changes nothing"
    );
}

#[tokio::test]
async fn expiry_is_exact_to_the_millisecond() {
    let app = spawn_app().await;
    let invite = app.invite("edge@example.com").await;
    let token = app.tokens_to("edge@example.com").await.remove(0);
    app.advance(Duration::days(7) - Duration::milliseconds(1));
    assert_eq!(app.fetch(&invite["id"]).await["status"], "pending");
    assert_eq!(app.check(&token).await["isValid"], true);
    app.advance(Duration::milliseconds(1));
    let expired = app.fetch(&invite["id"]).await;
    assert_eq!(expired["status"], "expired");
    problem(app.accept_as_anyone(&token).await, 410, "INVITE_EXPIRED").await;
    assert_eq!(
        app.fetch(&invite["id"]).await,
        expired,
        "a refused accept changes nothing"
    );
}

#[tokio::test]
async fn an_expired_invite_no_longer_blocks_a_new_send() {
    let app = spawn_app().await;
    let old = app.invite("renew@example.com").await;
    let old_token = app.tokens_to("renew@example.com").await.remove(0);
    app.advance(Duration::days(8));
    let new = app.invite("Renew@Example.com").await;
    assert_ne!(new["id"], old["id"]);
    assert_eq!(new["status"], "pending");
    let new_token = app
        .new_token_to("renew@example.com", std::slice::from_ref(&old_token))
        .await;
    let expired = app.fetch(&old["id"]).await;
    problem(app.accept_as_anyone(&old_token).await, 410, "INVITE_EXPIRED").await;
    json_of(app.accept_as_anyone(&new_token).await, 200).await;
    assert_eq!(expired["status"], "expired");
    assert_eq!(app.fetch(&old["id"]).await, expired, "a refused accept changes nothing");
}

#[tokio::test]
async fn an_expired_invite_cannot_be_updated() {
    let app = spawn_app().await;
    let invite = app.invite("frozen@example.com").await;
    app.advance(Duration::days(8));
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    let expired = app.fetch(&invite["id"]).await;
    assert_eq!(expired["status"], "expired");
    problem(
        app.patch(
            &path,
            Some(&app.user_token()),
            json!({ "userInvite": { "firstName": "X" } }),
        )
        .await,
        409,
        "INVITE_NOT_PENDING",
    )
    .await;
    let after = app.fetch(&invite["id"]).await;
    assert_eq!(after, expired, "a refused update changes nothing");
    assert_eq!(after["updatedAt"], invite["updatedAt"]);
}

#[tokio::test]
async fn a_one_day_invite_expires_after_a_day() {
    let app = spawn_app().await;
    let mut body = send_body(app.tenant, json!([{ "email": "day@example.com" }]));
    body["expiresInDays"] = json!(1);
    let sent = json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    let token = app.tokens_to("day@example.com").await.remove(0);
    app.advance(Duration::hours(25));
    let expired = app.fetch(&sent["success"][0]["id"]).await;
    assert_eq!(expired["status"], "expired");
    problem(app.accept_as_anyone(&token).await, 410, "INVITE_EXPIRED").await;
    assert_eq!(app.fetch(&sent["success"][0]["id"]).await, expired);
}
