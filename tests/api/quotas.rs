//! Email quotas: one inbox gets at most so many invitation emails a day (plus tags and
//! dots folded), one tenant sends at most so many an hour, whatever the invites.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of, problem, spawn_app_with, start_error};

fn codes(sent: &Value) -> Vec<(u64, String)> {
    sent["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["code"].as_str().unwrap().to_owned()))
        .collect()
}

async fn send(app: &TestApp, invitees: Value) -> Value {
    json_of(app.send(&app.user_token(), app.tenant, invitees).await, 200).await
}

#[tokio::test]
async fn plus_tags_and_dots_do_not_multiply_the_emails_one_inbox_gets() {
    let app = spawn_app_with(&[("INVITES_RECIPIENT_EMAILS_PER_DAY", "3")]).await;
    let invitees: Vec<Value> = (0..5)
        .map(|i| json!({ "email": format!("v.ictim+{i}@example.com") }))
        .collect();
    let sent = send(&app, json!(invitees)).await;
    // Three of the five (invitees are written concurrently: which three is not fixed).
    assert_eq!(sent["success"].as_array().unwrap().len(), 3, "{sent}");
    let refused = codes(&sent);
    assert_eq!(refused.len(), 2, "{sent}");
    assert!(refused.iter().all(|(_, code)| code == "RATE_LIMITED"), "{sent}");
    assert!(
        sent["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("to this address today")
    );
    app.settle().await;
    let mails: usize = futures_count(&app, 5).await;
    assert_eq!(mails, 3, "three emails reached the inbox");
    // Another inbox is not affected; without email, nothing is counted.
    let other = send(&app, json!([{ "email": "someone@example.com" }])).await;
    assert_eq!(other["errors"], json!([]));
    let quiet = json_of(
        app.post(
            "/user-invites",
            Some(&app.user_token()),
            json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": "victim+9@example.com" }] },
                    "sendEmail": false }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(quiet["errors"], json!([]), "{quiet}");
    // The next UTC day, the inbox may be invited again.
    app.advance(Duration::days(1));
    let next_day = send(&app, json!([{ "email": "victim+10@example.com" }])).await;
    assert_eq!(next_day["errors"], json!([]), "{next_day}");
}

/// How many outbox emails went to `victim+0..n@example.com`.
async fn futures_count(app: &TestApp, n: usize) -> usize {
    let mut total = 0;
    for i in 0..n {
        total += app.mails_to(&format!("v.ictim+{i}@example.com")).await.len();
    }
    total
}

#[tokio::test]
async fn send_cancel_and_send_again_stops_at_the_recipients_quota_and_resend_answers_429() {
    let app = spawn_app_with(&[("INVITES_RECIPIENT_EMAILS_PER_DAY", "3")]).await;
    let email = "again@example.com";
    for round in 0..3 {
        let sent = send(&app, json!([{ "email": email }])).await;
        assert_eq!(sent["errors"], json!([]), "round {round}: {sent}");
        let id = &sent["success"][0]["id"];
        json_of(app.cancel(id).await, 200).await;
    }
    let refused = send(&app, json!([{ "email": email }])).await;
    assert_eq!(codes(&refused), [(0, "RATE_LIMITED".into())], "{refused}");
    assert_eq!(app.count().await, 3, "the refused invitee was not created");

    // A resend with its email is refused whole, with when to retry.
    let quiet = json_of(
        app.post(
            "/user-invites",
            Some(&app.user_token()),
            json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": email }] }, "sendEmail": false }),
        )
        .await,
        200,
    )
    .await;
    let invite = &quiet["success"][0];
    let before = app.fetch(&invite["id"]).await;
    let response = app.resend(&invite["id"], json!({ "sendEmail": true })).await;
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&retry_after), "{retry_after}");
    problem(response, 429, "RATE_LIMITED").await;
    assert_eq!(app.fetch(&invite["id"]).await, before, "nothing changed");
    // Without an email, a resend is not an email.
    json_of(app.resend(&invite["id"], json!({ "sendEmail": false })).await, 200).await;
}

#[tokio::test]
async fn a_tenant_sends_at_most_its_hourly_quota_of_emails() {
    let app = spawn_app_with(&[("INVITES_TENANT_EMAILS_PER_HOUR", "2")]).await;
    let sent = send(
        &app,
        json!([{ "email": "t1@example.com" }, { "email": "t2@example.com" }, { "email": "t3@example.com" }]),
    )
    .await;
    assert_eq!(sent["success"].as_array().unwrap().len(), 2, "{sent}");
    assert_eq!(codes(&sent).len(), 1, "{sent}");
    assert_eq!(sent["errors"][0]["code"], "RATE_LIMITED");
    assert!(
        sent["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("from this tenant this hour")
    );
    // Another tenant has its own quota.
    let (other, token) = app.stranger_token();
    let theirs = json_of(
        app.send(&token, other, json!([{ "email": "t3@example.com" }])).await,
        200,
    )
    .await;
    assert_eq!(theirs["errors"], json!([]), "{theirs}");
    // The next hour, the tenant sends again.
    app.advance(Duration::hours(1));
    let refused = sent["errors"][0]["email"].as_str().unwrap().to_owned();
    let later = send(&app, json!([{ "email": refused }])).await;
    assert_eq!(later["errors"], json!([]), "{later}");
}

#[tokio::test]
async fn a_quota_of_zero_or_not_a_number_stops_the_start() {
    for (name, value) in [
        ("INVITES_RECIPIENT_EMAILS_PER_DAY", "0"),
        ("INVITES_TENANT_EMAILS_PER_HOUR", "many"),
    ] {
        let error = start_error(&[(name, value)]).await;
        assert!(error.contains(name), "{error}");
    }
}
