//! resendUserInvite: a new token and expiry, the old token dead at once, and a limit.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{json_of, problem, spawn_app, spawn_app_with, unknown_token_answer};

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

#[tokio::test]
async fn resend_issues_a_new_token_and_kills_the_old_one() {
    let app = spawn_app().await;
    let invite = app.invite("again@example.com").await;
    let old = app.tokens_to("again@example.com").await;
    app.advance(Duration::hours(1));
    let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    assert_eq!(resent["id"], invite["id"]);
    assert_eq!(resent["status"], "pending");
    assert_eq!(resent["sendCount"], 2);
    assert_eq!(resent["emailStatus"], "queued");
    assert_eq!(app.delivered(&resent).await["emailStatus"], "sent");
    assert_eq!(time(&resent["lastSentAt"]), app.now());
    assert_eq!(time(&resent["expiresAt"]), app.now() + Duration::days(7));
    assert_eq!(resent["createdAt"], invite["createdAt"]);
    assert!(resent.get("acceptUrl").is_none());

    let new = app.new_token_to("again@example.com", &old).await;
    assert_ne!(new, old[0]);
    assert_eq!(app.check(&old[0]).await, unknown_token_answer());
    problem(app.accept_as_anyone(&old[0]).await, 404, "TOKEN_INVALID").await;
    assert_eq!(app.check(&new).await["isValid"], true);
    json_of(app.accept_as_anyone(&new).await, 200).await;
}

#[tokio::test]
async fn resend_with_send_email_false_returns_the_link_instead() {
    let app = spawn_app().await;
    let invite = app.invite("link@example.com").await;
    let old = app.tokens_to("link@example.com").await;
    let resent = json_of(
        app.resend(&invite["id"], json!({ "sendEmail": false, "expiresInDays": 2 }))
            .await,
        200,
    )
    .await;
    assert_eq!(resent["emailStatus"], "skipped");
    assert_eq!(time(&resent["expiresAt"]), app.now() + Duration::days(2));
    let url = resent["acceptUrl"].as_str().expect("acceptUrl");
    let token = url.split("token=").nth(1).unwrap();
    assert_eq!(app.tokens_to("link@example.com").await, old, "no new mail");
    assert!(app.fetch(&invite["id"]).await.get("acceptUrl").is_none());
    problem(app.accept_as_anyone(&old[0]).await, 404, "TOKEN_INVALID").await;
    json_of(app.accept_as_anyone(token).await, 200).await;
}

#[tokio::test]
async fn an_expired_invite_can_be_resent_and_is_pending_again() {
    let app = spawn_app().await;
    let invite = app.invite("revive@example.com").await;
    let old = app.tokens_to("revive@example.com").await;
    app.advance(Duration::days(10));
    assert_eq!(app.fetch(&invite["id"]).await["status"], "expired");
    let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    assert_eq!(resent["status"], "pending");
    assert_eq!(time(&resent["expiresAt"]), app.now() + Duration::days(7));
    assert_eq!(time(&resent["statusUpdatedAt"]), app.now());
    assert_eq!(app.list("status=pending").await["totalCount"], 1);
    let new = app.new_token_to("revive@example.com", &old).await;
    json_of(app.accept_as_anyone(&new).await, 200).await;
}

#[tokio::test]
async fn a_revived_invite_blocks_a_new_send_again() {
    let app = spawn_app().await;
    let invite = app.invite("block@example.com").await;
    app.advance(Duration::days(10));
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    let body = json_of(
        app.send(&app.user_token(), app.tenant, json!([{ "email": "block@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
}

#[tokio::test]
async fn an_expired_invite_whose_email_was_invited_again_cannot_be_revived() {
    let app = spawn_app().await;
    let old = app.invite("taken@example.com").await;
    app.advance(Duration::days(10));
    let new = app.invite("taken@example.com").await;
    problem(app.resend(&old["id"], json!({})).await, 409, "DUPLICATE_PENDING_INVITE").await;
    assert_eq!(app.fetch(&old["id"]).await["status"], "expired");
    assert_eq!(app.fetch(&old["id"]).await["sendCount"], 1);
    assert_eq!(app.fetch(&new["id"]).await["status"], "pending");
    assert_eq!(
        app.list("status=pending&email=taken%40example.com").await["totalCount"],
        1
    );
}

#[tokio::test]
async fn accepted_or_canceled_invites_cannot_be_resent() {
    let app = spawn_app().await;
    let accepted = app.invite("accepted@example.com").await;
    let token = app.tokens_to("accepted@example.com").await.remove(0);
    json_of(app.accept_as_anyone(&token).await, 200).await;
    problem(app.resend(&accepted["id"], json!({})).await, 409, "INVITE_NOT_PENDING").await;

    let canceled = app.invite("canceled@example.com").await;
    json_of(app.cancel(&canceled["id"]).await, 200).await;
    problem(app.resend(&canceled["id"], json!({})).await, 409, "INVITE_NOT_PENDING").await;

    assert_eq!(app.mails_to("accepted@example.com").await.len(), 1);
    assert_eq!(app.mails_to("canceled@example.com").await.len(), 1);
    assert_eq!(app.fetch(&canceled["id"]).await["status"], "canceled");
    assert_eq!(app.fetch(&canceled["id"]).await["sendCount"], 1);
}

#[tokio::test]
async fn the_sixth_resend_within_an_hour_is_rate_limited() {
    let app = spawn_app().await;
    let invite = app.invite("limit@example.com").await;
    for n in 2..=6 {
        let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
        assert_eq!(resent["sendCount"], n);
    }
    let before = app.tokens_to("limit@example.com").await;
    let response = app.resend(&invite["id"], json!({})).await;
    let wait = retry_after(&response);
    assert!((3500..=3600).contains(&wait), "Retry-After {wait}");
    let p = problem(response, 429, "RATE_LIMITED").await;
    assert!(!p["detail"].as_str().unwrap().is_empty());
    assert_eq!(app.tokens_to("limit@example.com").await, before, "no mail");
    let current = app.fetch(&invite["id"]).await;
    assert_eq!(current["sendCount"], 6);
    let valid: Vec<_> = {
        let mut valid = Vec::new();
        for t in &before {
            if app.check(t).await["isValid"] == true {
                valid.push(t.clone());
            }
        }
        valid
    };
    assert_eq!(valid.len(), 1, "the token of the last resend still works");

    app.advance(Duration::hours(1));
    let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    assert_eq!(resent["sendCount"], 7);
}

#[tokio::test]
async fn the_limit_window_rolls() {
    let app = spawn_app_with(&[("INVITES_RESEND_LIMIT_PER_HOUR", "2")]).await;
    let invite = app.invite("roll@example.com").await;
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    app.advance(Duration::minutes(20));
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    let response = app.resend(&invite["id"], json!({})).await;
    assert_eq!(retry_after(&response), 40 * 60);
    problem(response, 429, "RATE_LIMITED").await;

    app.advance(Duration::minutes(39));
    let response = app.resend(&invite["id"], json!({})).await;
    assert_eq!(retry_after(&response), 60);
    problem(response, 429, "RATE_LIMITED").await;

    app.advance(Duration::minutes(1));
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    // The resend at minute 20 is still inside the window, and now the one at minute 60.
    problem(app.resend(&invite["id"], json!({})).await, 429, "RATE_LIMITED").await;
    assert_eq!(app.fetch(&invite["id"]).await["sendCount"], 4);
}

#[tokio::test]
async fn the_limit_is_per_invite() {
    let app = spawn_app_with(&[("INVITES_RESEND_LIMIT_PER_HOUR", "1")]).await;
    let a = app.invite("a@example.com").await;
    let b = app.invite("b@example.com").await;
    json_of(app.resend(&a["id"], json!({})).await, 200).await;
    problem(app.resend(&a["id"], json!({})).await, 429, "RATE_LIMITED").await;
    json_of(app.resend(&b["id"], json!({})).await, 200).await;
}
