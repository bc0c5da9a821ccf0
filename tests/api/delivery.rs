//! Invariant 7: an email that fails to send never loses the invite; resend delivers it.

use serde_json::json;

use crate::helpers::{TestApp, invalid_indexes, json_of, spawn_app};

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
    let app = spawn_app().await;
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
    // The outbox failing is a passing failure: retried, then recorded as failed.
    let stored = app.delivered(invite).await;
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
    let app = spawn_app().await;
    let invite = app.invite("flaky@example.com").await;
    let old = app.tokens_to("flaky@example.com").await;
    break_outbox(&app);
    let resent = json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    assert_eq!(resent["status"], "pending");
    assert_eq!(resent["emailStatus"], "queued");
    assert_eq!(app.delivered(&resent).await["emailStatus"], "failed");
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
