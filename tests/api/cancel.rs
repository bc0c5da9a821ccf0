//! cancelUserInvite: pending or expired becomes canceled and frees the email.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{json_of, problem, spawn_app};

#[tokio::test]
async fn a_pending_invite_is_canceled_and_its_token_stops_working() {
    let app = spawn_app().await;
    let invite = app.invite("cancel@example.com").await;
    let token = app.tokens_to("cancel@example.com").await.remove(0);
    app.advance(Duration::minutes(5));
    let canceled = json_of(app.cancel(&invite["id"]).await, 200).await;
    assert_eq!(canceled["id"], invite["id"]);
    assert_eq!(canceled["status"], "canceled");
    assert_ne!(canceled["statusUpdatedAt"], invite["statusUpdatedAt"]);
    assert_eq!(canceled["email"], invite["email"]);
    assert_eq!(app.fetch(&invite["id"]).await, canceled);
    problem(app.accept_as_anyone(&token).await, 410, "INVITE_CANCELED").await;
    assert_eq!(app.check(&token).await["isValid"], false);
}

#[tokio::test]
async fn canceling_twice_is_a_conflict() {
    let app = spawn_app().await;
    let invite = app.invite("twice@example.com").await;
    json_of(app.cancel(&invite["id"]).await, 200).await;
    let p = problem(app.cancel(&invite["id"]).await, 409, "INVITE_NOT_PENDING").await;
    assert!(p["detail"].as_str().unwrap().contains("canceled"), "{p}");
}

#[tokio::test]
async fn an_accepted_invite_cannot_be_canceled() {
    let app = spawn_app().await;
    let invite = app.invite("accepted@example.com").await;
    let token = app.tokens_to("accepted@example.com").await.remove(0);
    json_of(app.accept_as_anyone(&token).await, 200).await;
    problem(app.cancel(&invite["id"]).await, 409, "INVITE_NOT_PENDING").await;
    assert_eq!(app.fetch(&invite["id"]).await["status"], "accepted");
}

#[tokio::test]
async fn an_expired_invite_can_be_canceled() {
    let app = spawn_app().await;
    let invite = app.invite("expired@example.com").await;
    app.advance(Duration::days(8));
    assert_eq!(app.fetch(&invite["id"]).await["status"], "expired");
    let canceled = json_of(app.cancel(&invite["id"]).await, 200).await;
    assert_eq!(canceled["status"], "canceled");
    assert_eq!(app.fetch(&invite["id"]).await["status"], "canceled");
}

#[tokio::test]
async fn after_cancel_the_same_email_can_be_invited_again() {
    let app = spawn_app().await;
    let first = app.invite("reinvite@example.com").await;
    let first_token = app.tokens_to("reinvite@example.com").await;
    json_of(app.cancel(&first["id"]).await, 200).await;
    let second = app.invite("ReInvite@example.com").await;
    assert_ne!(first["id"], second["id"]);
    let token = app.new_token_to("reinvite@example.com", &first_token).await;
    let accepted = json_of(app.accept_as_anyone(&token).await, 200).await;
    assert_eq!(accepted["id"], second["id"]);
    assert_eq!(app.fetch(&first["id"]).await["status"], "canceled");
}

#[tokio::test]
async fn canceling_one_invite_does_not_free_another_tenants_or_emails_slot() {
    let app = spawn_app().await;
    let a = app.invite("a@example.com").await;
    app.invite("b@example.com").await;
    json_of(app.cancel(&a["id"]).await, 200).await;
    let body = json_of(
        app.send(&app.user_token(), app.tenant, json!([{ "email": "b@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
}
