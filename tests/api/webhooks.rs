//! Issue 13, locally: every lifecycle event reaches `INVITES_WEBHOOK_URL`, signed as
//! Standard Webhooks says (checked by its reference library), at least once, in order,
//! through a receiver that is down or failing, and across a restart.

use std::collections::HashSet;

use chrono::Duration;
use invites_local::store::EmbeddedStore;
use invites_local::store::events::{DeliveryState, MAX_ATTEMPTS};
use invites_tests::events::{Delivered, types_about};
use invites_tests::receiver::{Received, Receiver};
use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of, spawn_app_embedded_with};

/// A key of 32 bytes, as `whsec_` + base64.
const SECRET: &str = "whsec_dGhpcy1pcy1hLXRlc3Qta2V5LW9mLTMyLWJ5dGVzISE=";

async fn app_posting_to(receiver: &Receiver) -> TestApp {
    spawn_app_embedded_with(&[
        ("INVITES_WEBHOOK_URL", &receiver.url),
        ("INVITES_WEBHOOK_SECRET", SECRET),
    ])
    .await
}

/// The types of `requests`, verified one by one by the `standardwebhooks` package from
/// PyPI (scripts/verify_webhooks.py); panics if any signature does not verify.
fn verified_types(requests: &[Received]) -> Vec<String> {
    let delivered: Vec<Delivered> = requests
        .iter()
        .map(|r| Delivered {
            headers: &r.headers,
            body: &r.body,
        })
        .collect();
    invites_tests::events::verified_types(Some(SECRET), &delivered)
}

/// Moves the server's clock 10 minutes every 50 ms until `receiver` has at least `n`
/// requests: a retry is due a few seconds after the failure is recorded, which the
/// worker does after the receiver answered, so one step of the clock may come too early.
async fn drive_until(app: &TestApp, receiver: &Receiver, n: usize) -> Vec<Received> {
    for _ in 0..400 {
        let got = receiver.received();
        if got.len() >= n {
            return got;
        }
        app.advance(Duration::minutes(10));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("expected {n} webhook requests, got {:?}", receiver.received());
}

fn types_of(requests: &[Received]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_change_reaches_the_webhook_signed_in_order() {
    let receiver = Receiver::start(true).await;
    let app = app_posting_to(&receiver).await;
    let token = app.user_token();

    let a = app.invite("a@example.com").await;
    let resent = json_of(app.resend(&a["id"], json!({})).await, 200).await;
    app.delivered(&resent).await;
    let path = format!("/user-invites/{}", a["id"].as_str().unwrap());
    json_of(
        app.patch(&path, Some(&token), json!({ "userInvite": { "firstName": "Ann" } }))
            .await,
        200,
    )
    .await;
    let mail = app.mails_to("a@example.com").await.pop().unwrap();
    json_of(app.accept_as_anyone(&mail.token()).await, 200).await;

    let b = app.invite("b@example.com").await;
    json_of(app.cancel(&b["id"]).await, 200).await;

    let c = app.invite("c@example.com").await;
    app.advance(Duration::days(8));
    assert_eq!(app.sweep().await, 1);

    let requests = receiver.wait_for(12).await;
    let types = types_of(&requests);
    let payloads: Vec<Value> = requests.iter().map(Received::json).collect();
    let of = |invite: &Value| types_about(&payloads, &types, invite);
    assert_eq!(
        of(&a),
        [
            "user-invite.created",
            "user-invite.email.sent",
            "user-invite.resent",
            "user-invite.email.sent",
            "user-invite.updated",
            "user-invite.accepted"
        ]
    );
    assert_eq!(
        of(&b),
        ["user-invite.created", "user-invite.email.sent", "user-invite.canceled"]
    );
    assert_eq!(
        of(&c),
        ["user-invite.created", "user-invite.email.sent", "user-invite.expired"]
    );
    assert_eq!(verified_types(&requests), types, "every signature verifies");

    let ids: HashSet<&str> = requests.iter().map(|r| r.header("webhook-id").unwrap()).collect();
    assert_eq!(ids.len(), 12, "one id per event");
    for request in &requests {
        let event = request.json();
        assert_eq!(
            request.header("webhook-id"),
            event["id"].as_str(),
            "the id of the envelope"
        );
        assert_eq!(event["tenantId"], json!(app.tenant));
        assert!(!request.body.contains("token"), "never a token: {}", request.body);
        assert!(
            !request.body.to_lowercase().contains("hash"),
            "never a hash: {}",
            request.body
        );
    }
    let accepted = requests
        .iter()
        .map(Received::json)
        .find(|e| e["type"] == "user-invite.accepted")
        .unwrap();
    assert_eq!(accepted["roles"], a["roles"]);
    assert!(accepted["acceptedByUserId"].is_string(), "{accepted}");
    assert_eq!(accepted["data"]["status"], "accepted");
    let expired = requests
        .iter()
        .map(Received::json)
        .find(|e| e["type"] == "user-invite.expired")
        .unwrap();
    assert_eq!(expired["occurredAt"], c["expiresAt"], "when it expired");
    assert_eq!(expired["data"]["status"], "expired");
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_every_event_once_it_is_back_even_across_a_restart() {
    let mut receiver = Receiver::start(false).await;
    let mut app = app_posting_to(&receiver).await;
    let invite = app.invite("down@example.com").await;
    // The worker tries and fails (connection refused), then the server restarts.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    app.restart().await;
    receiver.up().await;
    let requests = drive_until(&app, &receiver, 2).await;
    for _ in 0..8 {
        app.advance(Duration::minutes(10));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let requests_after = receiver.received();
    assert_eq!(requests_after.len(), requests.len(), "nothing twice once delivered");
    assert_eq!(types_of(&requests), ["user-invite.created", "user-invite.email.sent"]);
    assert!(requests.iter().all(|r| r.json()["data"]["id"] == invite["id"]));
    assert_eq!(verified_types(&requests).len(), 2);
}

#[tokio::test]
async fn a_receiver_failing_forever_gets_bounded_attempts_then_a_visible_failure_and_a_replay() {
    let receiver = Receiver::start(true).await;
    receiver.answer(500);
    let mut app = app_posting_to(&receiver).await;
    let body = json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": "fail@example.com" }] },
                       "sendEmail": false });
    json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    drive_until(&app, &receiver, MAX_ATTEMPTS as usize).await;
    for _ in 0..10 {
        app.advance(Duration::minutes(10));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        receiver.received().len(),
        MAX_ATTEMPTS as usize,
        "then no more attempts"
    );
    let id = receiver.received()[0].header("webhook-id").unwrap().to_owned();
    assert!(
        receiver.received().iter().all(|r| r.header("webhook-id") == Some(&id)),
        "retries keep the id"
    );

    app.stop().await;
    let store = EmbeddedStore::open(&app.data_dir().join("invites.redb")).unwrap();
    let log = store.recent_events(10).await.unwrap();
    assert_eq!(log.len(), 1);
    let delivery = &log[0].deliveries[0];
    assert_eq!(
        (delivery.state, delivery.attempts),
        (DeliveryState::Failed, MAX_ATTEMPTS)
    );
    assert!(delivery.last_error.as_deref().unwrap().contains("500"), "{delivery:?}");

    // `invites-local events replay ID` delivers it again at the next start.
    let store = store.with_webhooks(vec![receiver.url.clone()]);
    assert!(store.replay_event(log[0].event.id, app.now()).await.unwrap());
    drop(store);
    receiver.answer(204);
    app.start().await;
    let requests = receiver.wait_for(MAX_ATTEMPTS as usize + 1).await;
    assert_eq!(requests.last().unwrap().header("webhook-id"), Some(id.as_str()));
}

#[tokio::test]
async fn an_email_the_outbox_cannot_take_is_retried_then_an_email_failed_event() {
    let receiver = Receiver::start(true).await;
    let app = spawn_app_embedded_with(&[
        ("INVITES_WEBHOOK_URL", &receiver.url),
        ("INVITES_WEBHOOK_SECRET", SECRET),
        ("INVITES_EMAIL_RETRY_HOURS", "1"),
    ])
    .await;
    // The outbox folder becomes a file: every write into it fails, as a full disk would.
    let outbox = app.data_dir().join("outbox");
    std::fs::remove_dir_all(&outbox).unwrap();
    std::fs::write(&outbox, "not a folder").unwrap();
    let response = app
        .send(&app.user_token(), app.tenant, json!([{ "email": "f@example.com" }]))
        .await;
    let sent = json_of(response, 200).await;
    assert_eq!(sent["errors"], json!([]), "{sent}");
    app.settle().await;
    let path = format!("/user-invites/{}", sent["success"][0]["id"].as_str().unwrap());
    let waiting = json_of(app.get(&path, Some(&app.super_admin_token())).await, 200).await;
    assert_eq!(
        waiting["emailStatus"], "queued",
        "a passing failure is retried, not failed"
    );
    // The retries come due as the clock moves; the window (an hour) then closes.
    let requests = drive_until(&app, &receiver, 2).await;
    assert_eq!(
        verified_types(&requests),
        ["user-invite.created", "user-invite.email.failed"]
    );
    let failed = requests[1].json();
    assert_eq!(failed["data"]["id"], sent["success"][0]["id"]);
    assert_eq!(failed["data"]["emailStatus"], "failed");
}
