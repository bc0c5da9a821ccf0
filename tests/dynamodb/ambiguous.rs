//! Ambiguous commits: DynamoDB commits a write and its reply is lost (a 500 instead, or
//! no reply at all), so the SDK sends it again. Every state change answers as though it
//! ran once: the right answer, the state it wrote, and exactly one email.

use serde_json::{Value, json};

use invites_tests::proxy::{Fault, FaultProxy};
use invites_tests::{TestApp, json_of};

use super::{app_behind_proxy, invite_without_email, path};

/// Every way a reply is lost, once (the SDK's retry then goes through) and on every
/// attempt (no attempt of the call is ever answered).
fn lost_replies() -> Vec<(Fault, usize)> {
    vec![
        (Fault::CommitThenServerError, 1),
        (Fault::CommitThenServerError, usize::MAX),
        (Fault::CommitThenSilence, 1),
        (Fault::CommitThenSilence, usize::MAX),
    ]
}

/// The invite as stored, read past the proxy's faults.
async fn stored(app: &TestApp, proxy: &FaultProxy, invite: &Value) -> Value {
    proxy.heal();
    app.settle().await;
    json_of(app.get(&path(invite, ""), Some(&app.super_admin_token())).await, 200).await
}

#[tokio::test]
async fn a_send_of_one_whose_reply_is_lost_creates_one_invite_and_queues_one_email() {
    for (fault, times) in lost_replies() {
        let (app, proxy) = app_behind_proxy().await;
        let email = "once@example.com";
        proxy.fail("TransactWriteItems", fault, times);
        let sent = json_of(
            app.send(&app.user_token(), app.tenant, json!([{ "email": email }]))
                .await,
            200,
        )
        .await;
        assert_eq!(sent["errors"], json!([]), "{fault:?} ×{times}: {sent}");
        let invite = &sent["success"][0];
        let now = stored(&app, &proxy, invite).await;
        assert_eq!(now["email"], email);
        assert_eq!(now["emailStatus"], "sent", "{fault:?} ×{times}: {now}");
        assert_eq!(app.count().await, 1, "{fault:?} ×{times}");
        assert_eq!(app.mails_to(email).await.len(), 1, "{fault:?} ×{times}: one email");
    }
}

#[tokio::test]
async fn a_send_of_a_hundred_whose_replies_are_lost_creates_each_invite_once() {
    let (app, proxy) = app_behind_proxy().await;
    let invitees: Vec<Value> = (0..100)
        .map(|i| json!({ "email": format!("many{i}@example.com") }))
        .collect();
    // The first hundred attempts commit and lose their replies: some calls once, some
    // again on their retries.
    proxy.fail("TransactWriteItems", Fault::CommitThenServerError, 100);
    let sent = json_of(app.send(&app.user_token(), app.tenant, json!(invitees)).await, 200).await;
    assert_eq!(sent["errors"], json!([]), "{sent}");
    assert_eq!(sent["success"].as_array().unwrap().len(), 100);
    proxy.heal();
    app.settle().await;
    assert_eq!(app.count().await, 100);
    for i in 0..100 {
        let email = format!("many{i}@example.com");
        assert_eq!(app.mails_to(&email).await.len(), 1, "{email}: one email");
    }
}

#[tokio::test]
async fn accept_cancel_resend_and_update_whose_replies_are_lost_answer_as_done_once() {
    for (fault, times) in lost_replies() {
        let context = format!("{fault:?} ×{times}");
        let (app, proxy) = app_behind_proxy().await;
        let user = app.user_token();

        // accept
        let (invite, token) = invite_without_email(&app, "accept@example.com").await;
        proxy.fail("TransactWriteItems", fault, times);
        let accepted = json_of(app.accept(&user, &token).await, 200).await;
        assert_eq!(accepted["status"], "accepted", "{context}: {accepted}");
        assert_eq!(stored(&app, &proxy, &invite).await["status"], "accepted", "{context}");

        // cancel
        let (invite, _) = invite_without_email(&app, "cancel@example.com").await;
        proxy.fail("TransactWriteItems", fault, times);
        let canceled = json_of(app.post(&path(&invite, "/cancel"), Some(&user), json!({})).await, 200).await;
        assert_eq!(canceled["status"], "canceled", "{context}: {canceled}");
        assert_eq!(stored(&app, &proxy, &invite).await["status"], "canceled", "{context}");

        // update
        let (invite, _) = invite_without_email(&app, "update@example.com").await;
        proxy.fail("TransactWriteItems", fault, times);
        let change = json!({ "userInvite": { "firstName": "Once" } });
        let updated = json_of(app.patch(&path(&invite, ""), Some(&user), change).await, 200).await;
        assert_eq!(updated["firstName"], "Once", "{context}: {updated}");
        let now = stored(&app, &proxy, &invite).await;
        assert_eq!(now["firstName"], "Once", "{context}");

        // resend, with its email: the new token works, and one email carries it
        let (invite, old_token) = invite_without_email(&app, "resend@example.com").await;
        proxy.fail("TransactWriteItems", fault, times);
        let resent = json_of(
            app.post(&path(&invite, "/resend"), Some(&user), json!({ "sendEmail": true }))
                .await,
            200,
        )
        .await;
        assert_eq!(resent["sendCount"], 2, "{context}: {resent}");
        let now = stored(&app, &proxy, &invite).await;
        assert_eq!(now["sendCount"], 2, "{context}: one resend, counted once");
        assert_eq!(now["emailStatus"], "sent", "{context}: {now}");
        let mails = app.mails_to("resend@example.com").await;
        assert_eq!(mails.len(), 1, "{context}: one email");
        assert_eq!(app.check(&old_token).await["isValid"], false, "{context}");
        assert_eq!(app.check(&mails[0].token()).await["isValid"], true, "{context}");
    }
}
