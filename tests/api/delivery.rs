//! Invariant 7: an email that fails to send never loses the invite; resend delivers it.
//! Issue 17 locally: a passing failure is retried after a backoff, from the store, across
//! a restart, for as long as the retry window; sends keep the configured pace.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, invalid_indexes, json_of, spawn_app, spawn_app_with};

/// A server whose emails are retried for an hour (the tests move its clock past that).
async fn app_retrying_for_an_hour() -> TestApp {
    spawn_app_with(&[("INVITES_EMAIL_RETRY_HOURS", "1")]).await
}

async fn stored(app: &TestApp, invite: &Value) -> Value {
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    json_of(app.get(&path, Some(&app.super_admin_token())).await, 200).await
}

/// Moves the server's clock 10 minutes at a time, giving the worker a moment after each
/// step, until the invite's email reads `status`.
async fn drive_until_email(app: &TestApp, invite: &Value, status: &str) -> Value {
    for _ in 0..100 {
        let now = stored(app, invite).await;
        if now["emailStatus"] == status {
            return now;
        }
        app.advance(Duration::minutes(10));
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    }
    panic!("the email never became {status}: {}", stored(app, invite).await);
}

/// Makes the outbox unwritable by putting a file where its folder was.
fn break_outbox(app: &TestApp) {
    let outbox = app.data_dir().join("outbox");
    std::fs::remove_dir_all(&outbox).unwrap();
    std::fs::write(&outbox, b"not a folder").unwrap();
}

fn repair_outbox(app: &TestApp) {
    let outbox = app.data_dir().join("outbox");
    std::fs::remove_file(&outbox).unwrap();
    std::fs::create_dir(&outbox).unwrap();
}

#[tokio::test]
async fn a_failed_email_keeps_the_invite_and_a_resend_delivers_it() {
    let app = app_retrying_for_an_hour().await;
    break_outbox(&app);
    let body = json_of(
        app.send(&app.user_token(), app.tenant, json!([{ "email": "later@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(body["errors"], json!([]), "the invite is created all the same");
    let invite = &body["success"][0];
    assert_eq!(invite["status"], "pending");
    assert_eq!(invite["emailStatus"], "queued");
    // The outbox failing is a passing failure: retried later, not failed at once.
    let waiting = app.delivered(invite).await;
    assert_eq!(waiting["emailStatus"], "queued");
    // Retried until the window closes, then recorded as failed.
    let stored = drive_until_email(&app, invite, "failed").await;
    assert_eq!(stored["status"], "pending");
    assert_eq!(stored["emailStatus"], "failed");
    assert!(
        !stored.to_string().contains("outbox"),
        "the failure's cause is not returned"
    );

    // It still holds the email's pending slot.
    let again = json_of(
        app.send(&app.user_token(), app.tenant, json!([{ "email": "later@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(again["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");

    repair_outbox(&app);
    let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    assert_eq!(app.delivered(&resent).await["emailStatus"], "sent");
    assert_eq!(resent["sendCount"], 2);
    let mails = app.mails_to("later@example.com").await;
    assert_eq!(mails.len(), 1);
    json_of(app.accept_as_anyone(&mails[0].token()).await, 200).await;
}

#[tokio::test]
async fn a_failed_email_on_resend_keeps_the_invite_pending() {
    let app = app_retrying_for_an_hour().await;
    let invite = app.invite("flaky@example.com").await;
    let old = app.tokens_to("flaky@example.com").await;
    break_outbox(&app);
    let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    assert_eq!(resent["status"], "pending");
    assert_eq!(resent["emailStatus"], "queued");
    drive_until_email(&app, &resent, "failed").await;
    repair_outbox(&app);
    // The old token was replaced even though its successor was not delivered.
    assert_eq!(app.check(&old[0]).await["isValid"], false);
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    let token = app.tokens_to("flaky@example.com").await.remove(0);
    json_of(app.accept_as_anyone(&token).await, 200).await;
}

#[tokio::test]
async fn every_accepted_address_can_be_mailed() {
    let app = spawn_app().await;
    let body = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([
                { "email": "a+tag@example.com" },
                { "email": "ünicode@example.com" },
                { "email": "kunde@bücher.example" },
                { "email": "x@sub.example.co.uk" },
                { "email": "o'neil@example.com" },
                { "email": "\"john doe\"@example.com" },
                { "email": "\"a@b\"@example.com" },
            ]),
        )
        .await,
        200,
    )
    .await;
    for invite in body["success"].as_array().unwrap() {
        assert_eq!(app.delivered(invite).await["emailStatus"], "sent", "{invite}");
    }
    let failed = invalid_indexes(&body);
    assert_eq!(
        failed,
        [1, 5, 6],
        "non-ASCII mailboxes and quoted local parts cannot be delivered, so they are refused"
    );
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 4);
    // A Unicode domain is mailed in its ASCII form; the invite keeps the address as given.
    assert!(
        outbox.iter().any(|m| m.to == "kunde@xn--bcher-kva.example"),
        "{:?}",
        outbox.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    assert!(
        body["success"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["email"] == "kunde@bücher.example")
    );
}

#[tokio::test]
async fn a_passing_failure_is_retried_after_a_backoff_even_across_a_restart_and_mails_once() {
    let mut app = spawn_app().await;
    break_outbox(&app);
    let body = json_of(
        app.send(&app.user_token(), app.tenant, json!([{ "email": "retry@example.com" }]))
            .await,
        200,
    )
    .await;
    let invite = body["success"][0].clone();
    let waiting = app.delivered(&invite).await;
    assert_eq!(waiting["emailStatus"], "queued");
    // Not at once: the clock has not moved, the retry is not due.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(stored(&app, &invite).await["emailStatus"], "queued");

    // The server stops with the retry pending; the outbox is repaired meanwhile.
    app.stop().await;
    repair_outbox(&app);
    app.start().await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        app.mails_to("retry@example.com").await.is_empty(),
        "not before it is due"
    );
    let sent = drive_until_email(&app, &invite, "sent").await;
    assert_eq!(sent["sendCount"], 1);
    let mails = app.mails_to("retry@example.com").await;
    assert_eq!(mails.len(), 1, "mailed once");
    json_of(app.accept_as_anyone(&mails[0].token()).await, 200).await;
}

#[tokio::test]
async fn sends_keep_the_configured_pace() {
    let app = spawn_app_with(&[("INVITES_SES_MAX_SEND_RATE", "20")]).await;
    let invitees: Vec<Value> = (0..12)
        .map(|i| json!({ "email": format!("pace-{i}@example.com") }))
        .collect();
    let body = json_of(app.send(&app.user_token(), app.tenant, json!(invitees)).await, 200).await;
    assert_eq!(body["errors"], json!([]));
    app.settle().await;
    // The outbox names each message by the time it was written, to the millisecond.
    let dir = app.data_dir().join("outbox");
    let mut times: Vec<chrono::NaiveDateTime> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".eml"))
        .map(|name| chrono::NaiveDateTime::parse_from_str(&name[..19], "%Y%m%dT%H%M%S%.3f").unwrap())
        .collect();
    times.sort();
    assert_eq!(times.len(), 12);
    for pair in times.windows(2) {
        // 50 ms apart at 20 a second; the file is named a moment after the turn came.
        assert!(
            pair[1] - pair[0] >= Duration::milliseconds(40),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}
