//! DynamoDB-only tests, through a fault-injecting proxy in front of moto: the calls each
//! operation makes, and what every write path does when DynamoDB fails.

use std::time::{Duration, Instant};

use invites_shared::aws::{ATTEMPT_TIMEOUT, CALL_TIMEOUT, MAX_ATTEMPTS};
use serde_json::{Value, json};

use invites_tests::proxy::{Fault, FaultProxy};
use invites_tests::{TestApp, json_of, problem, spawn_app_on_dynamodb};

mod ambiguous;
mod conflicts;
mod migrate;

pub(crate) async fn app_behind_proxy() -> (TestApp, FaultProxy) {
    let proxy = FaultProxy::start().await;
    let app = spawn_app_on_dynamodb(&proxy.url).await;
    (app, proxy)
}

/// Sends one invite without email and returns it with its one-time token.
pub(crate) async fn invite_without_email(app: &TestApp, email: &str) -> (Value, String) {
    let body = json!({
        "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": email }] },
        "sendEmail": false
    });
    let sent = json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    let invite = sent["success"][0].clone();
    let url = reqwest::Url::parse(invite["acceptUrl"].as_str().unwrap()).unwrap();
    let token = url.query_pairs().find(|(k, _)| k == "token").unwrap().1.into_owned();
    (invite, token)
}

fn path(invite: &Value, suffix: &str) -> String {
    format!("/user-invites/{}{suffix}", invite["id"].as_str().unwrap())
}

/// How many of `calls` are of `operation`.
fn count(calls: &[String], operation: &str) -> usize {
    calls.iter().filter(|c| *c == operation).count()
}

/// Every attempt the SDK makes at one call: the first and its retries.
const ATTEMPTS: usize = MAX_ATTEMPTS as usize;

#[tokio::test]
async fn each_operation_makes_no_more_round_trips_than_its_budget() {
    let (app, proxy) = app_behind_proxy().await;
    let user = app.user_token();
    let mut rows = Vec::new();
    let mut measure = |operation: &str, budget: usize, calls: Vec<String>| {
        rows.push(format!(
            "| {operation} | {} | {budget} | {} |",
            calls.len(),
            calls.join(", ")
        ));
        assert!(
            calls.len() <= budget,
            "{operation} made {} calls: {calls:?}",
            calls.len()
        );
    };

    proxy.take_calls();
    let (invite, token) = invite_without_email(&app, "rt@example.com").await;
    measure("send (1 invite, sendEmail false)", 1, proxy.take_calls());

    json_of(app.get(&path(&invite, ""), Some(&user)).await, 200).await;
    measure("get", 1, proxy.take_calls());

    let update = json!({ "userInvite": { "firstName": "Round" } });
    json_of(
        app.request(reqwest::Method::PATCH, &path(&invite, ""), Some(&user), Some(update))
            .await,
        200,
    )
    .await;
    measure("update", 2, proxy.take_calls());

    let resent = json_of(
        app.post(&path(&invite, "/resend"), Some(&user), json!({ "sendEmail": false }))
            .await,
        200,
    )
    .await;
    measure("resend (sendEmail false)", 2, proxy.take_calls());
    let url = reqwest::Url::parse(resent["acceptUrl"].as_str().unwrap()).unwrap();
    assert_ne!(token, url.query_pairs().find(|(k, _)| k == "token").unwrap().1);

    // A later resend moves the expiry, so the slot is refreshed in the same transaction.
    app.advance(chrono::Duration::minutes(1));
    json_of(
        app.post(&path(&invite, "/resend"), Some(&user), json!({ "sendEmail": false }))
            .await,
        200,
    )
    .await;
    measure("resend (sendEmail false, new expiry)", 2, proxy.take_calls());

    json_of(app.get("/user-invites?limit=10", Some(&user)).await, 200).await;
    // Counters and the page concurrently, then the page's invites.
    measure("list page", 3, proxy.take_calls());

    let (_, token_after_resend) = invite_without_email(&app, "rt-accept@example.com").await;
    proxy.take_calls();
    json_of(
        app.post(
            "/user-invites/check-token",
            None,
            json!({ "token": token_after_resend }),
        )
        .await,
        200,
    )
    .await;
    measure("check-token", 1, proxy.take_calls());

    let accept = json!({ "acceptUserInvite": { "token": token_after_resend } });
    json_of(
        app.post(
            "/user-invites/accept",
            Some(&app.token_for(uuid::Uuid::new_v4(), None, false)),
            accept,
        )
        .await,
        200,
    )
    .await;
    measure("accept", 2, proxy.take_calls());

    let (other, _) = invite_without_email(&app, "rt2@example.com").await;
    proxy.take_calls();
    json_of(app.post(&path(&other, "/cancel"), Some(&user), json!({})).await, 200).await;
    measure("cancel", 2, proxy.take_calls());

    // With email, the request counts it against the recipient's and the tenant's email
    // quotas (one conditional update each) and queues it: one write. The mailer (here the local
    // worker; on AWS the stream-driven function) then claims, sends and records. Its
    // claim read is held at the proxy until the request has answered, so the calls
    // made by then are the request's alone.
    proxy.hold("GetItem");
    let sent = app
        .send(&user, app.tenant, json!([{ "email": "rt3@example.com" }]))
        .await;
    let sent = json_of(sent, 200).await;
    measure("send (1 invite, emailed): the request", 3, proxy.take_calls());
    proxy.release();
    app.settle().await;
    measure(
        "delivery of that email by the mailer (claim read, claim, suppression read, record)",
        4,
        proxy.take_calls(),
    );
    assert_eq!(app.delivered(&sent["success"][0]).await["emailStatus"], "sent");
    proxy.take_calls();

    let invitees: Vec<Value> = (0..40)
        .map(|i| json!({ "email": format!("bulk{i}@example.com") }))
        .collect();
    let body = json!({ "userInvites": { "tenantId": app.tenant, "userInvites": invitees }, "sendEmail": false });
    let sent = json_of(app.post("/user-invites", Some(&user), body).await, 200).await;
    assert_eq!(sent["success"].as_array().unwrap().len(), 40);
    let concurrent = proxy.max_in_flight("TransactWriteItems");
    let calls = proxy.take_calls();
    assert_eq!(calls.iter().filter(|c| *c == "TransactWriteItems").count(), 40);
    assert!(concurrent > 1, "the 40 writes of one send ran one after another");
    assert!(
        concurrent <= 8,
        "the writes of one send are bounded to 8 at once, saw {concurrent}"
    );
    measure("send (40 invites, sendEmail false)", 40, calls);
    rows.push(format!(
        "\nsend of 40: at most {concurrent} TransactWriteItems under way at once (bound: 8)"
    ));

    // Bulk: the request only stores and queues, so it answers in the time of its writes,
    // whatever the mail service's sending rate. Measured and printed, not asserted.
    let invitees: Vec<Value> = (0..100)
        .map(|i| json!({ "email": format!("hundred{i}@example.com") }))
        .collect();
    let started = std::time::Instant::now();
    let sent = json_of(app.send(&user, app.tenant, json!(invitees)).await, 200).await;
    let answered = started.elapsed();
    assert_eq!(sent["success"].as_array().unwrap().len(), 100, "{}", sent["errors"]);
    assert!(
        sent["success"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["emailStatus"] == "queued")
    );
    rows.push(format!(
        "send of 100 emailed invites answered in {} ms (emails queued for the mailer; API Gateway allows 29 s)",
        answered.as_millis()
    ));
    app.settle().await;
    proxy.take_calls();

    println!(
        "| operation | calls | budget | calls made |\n|---|---|---|---|\n{}",
        rows.join("\n")
    );
}

#[tokio::test]
async fn a_transient_throttle_is_retried_by_the_sdk_and_succeeds() {
    let (app, proxy) = app_behind_proxy().await;
    proxy.fail("TransactWriteItems", Fault::Throttle, 1);
    proxy.take_calls();
    let (invite, _) = invite_without_email(&app, "retry@example.com").await;
    assert_eq!(invite["status"], "pending");
    let calls = proxy.take_calls();
    assert_eq!(
        calls.iter().filter(|c| *c == "TransactWriteItems").count(),
        2,
        "{calls:?}"
    );
}

#[tokio::test]
async fn send_answers_503_when_storage_keeps_failing_and_leaves_nothing_behind() {
    let (app, proxy) = app_behind_proxy().await;
    proxy.fail("TransactWriteItems", Fault::Throttle, usize::MAX);
    proxy.take_calls();
    let response = app
        .send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "a@example.com" }, { "email": "b@example.com" }]),
        )
        .await;
    problem(response, 503, "UNAVAILABLE").await;
    let calls = proxy.take_calls();
    assert_eq!(
        count(&calls, "TransactWriteItems"),
        2 * ATTEMPTS,
        "each invite's write was tried {ATTEMPTS} times: {calls:?}"
    );
    proxy.heal();
    let list = json_of(app.get("/user-invites", Some(&app.user_token())).await, 200).await;
    assert_eq!(list["totalCount"], 0);
    assert!(app.outbox().await.is_empty());
    // No slot was left behind to block inviting the same people now.
    let sent = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "a@example.com" }, { "email": "b@example.com" }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sent["success"].as_array().unwrap().len(), 2, "{sent}");
}

#[tokio::test]
async fn accept_answers_503_under_server_errors_and_the_token_still_works_after() {
    let (app, proxy) = app_behind_proxy().await;
    let (invite, token) = invite_without_email(&app, "accept@example.com").await;
    let accept = json!({ "acceptUserInvite": { "token": token } });
    let invitee = app.token_for(uuid::Uuid::new_v4(), None, false);
    proxy.fail("TransactWriteItems", Fault::ServerError, usize::MAX);
    proxy.take_calls();
    problem(
        app.post("/user-invites/accept", Some(&invitee), accept.clone()).await,
        503,
        "UNAVAILABLE",
    )
    .await;
    let calls = proxy.take_calls();
    assert_eq!(count(&calls, "TransactWriteItems"), ATTEMPTS, "{calls:?}");
    proxy.heal();
    let current = json_of(app.get(&path(&invite, ""), Some(&app.user_token())).await, 200).await;
    assert_eq!(current["status"], "pending");
    assert_eq!(current["updatedAt"], invite["updatedAt"]);
    let accepted = json_of(app.post("/user-invites/accept", Some(&invitee), accept).await, 200).await;
    assert_eq!(accepted["status"], "accepted");
}

#[tokio::test]
async fn cancel_answers_503_under_throttling_and_changes_nothing() {
    let (app, proxy) = app_behind_proxy().await;
    let (invite, _) = invite_without_email(&app, "cancel@example.com").await;
    proxy.fail("TransactWriteItems", Fault::Throttle, usize::MAX);
    proxy.take_calls();
    problem(
        app.post(&path(&invite, "/cancel"), Some(&app.user_token()), json!({}))
            .await,
        503,
        "UNAVAILABLE",
    )
    .await;
    let calls = proxy.take_calls();
    assert_eq!(count(&calls, "TransactWriteItems"), ATTEMPTS, "{calls:?}");
    proxy.heal();
    let current = json_of(app.get(&path(&invite, ""), Some(&app.user_token())).await, 200).await;
    assert_eq!(current, invite_without_accept_url(&invite));
    let canceled = json_of(
        app.post(&path(&invite, "/cancel"), Some(&app.user_token()), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(canceled["status"], "canceled");
}

#[tokio::test]
async fn resend_answers_503_under_throttling_and_the_old_token_stays_valid() {
    let (app, proxy) = app_behind_proxy().await;
    let (invite, token) = invite_without_email(&app, "resend@example.com").await;
    // A resend writes the invite with its ledger and list entries: one transaction.
    proxy.fail("TransactWriteItems", Fault::Throttle, usize::MAX);
    proxy.take_calls();
    let resend = app
        .post(
            &path(&invite, "/resend"),
            Some(&app.user_token()),
            json!({ "sendEmail": false }),
        )
        .await;
    problem(resend, 503, "UNAVAILABLE").await;
    let calls = proxy.take_calls();
    assert_eq!(count(&calls, "TransactWriteItems"), ATTEMPTS, "{calls:?}");
    assert_eq!(count(&calls, "PutItem"), 0, "{calls:?}");
    proxy.heal();
    let current = json_of(app.get(&path(&invite, ""), Some(&app.user_token())).await, 200).await;
    assert_eq!(current, invite_without_accept_url(&invite));
    let check = json_of(
        app.post("/user-invites/check-token", None, json!({ "token": token }))
            .await,
        200,
    )
    .await;
    assert_eq!(check["isValid"], true);
}

#[tokio::test]
async fn update_answers_503_under_server_errors_and_changes_nothing() {
    let (app, proxy) = app_behind_proxy().await;
    let (invite, _) = invite_without_email(&app, "update@example.com").await;
    // An update writes the invite with its list entries: one transaction.
    proxy.fail("TransactWriteItems", Fault::ServerError, usize::MAX);
    proxy.take_calls();
    let update = json!({ "userInvite": { "firstName": "Changed" } });
    let response = app
        .request(
            reqwest::Method::PATCH,
            &path(&invite, ""),
            Some(&app.user_token()),
            Some(update),
        )
        .await;
    problem(response, 503, "UNAVAILABLE").await;
    let calls = proxy.take_calls();
    assert_eq!(count(&calls, "TransactWriteItems"), ATTEMPTS, "{calls:?}");
    proxy.heal();
    let current = json_of(app.get(&path(&invite, ""), Some(&app.user_token())).await, 200).await;
    assert_eq!(current, invite_without_accept_url(&invite));
}

#[tokio::test]
async fn a_read_that_never_answers_times_out_as_503() {
    let (app, proxy) = app_behind_proxy().await;
    let (invite, _) = invite_without_email(&app, "hang@example.com").await;
    proxy.fail("GetItem", Fault::Hang, usize::MAX);
    proxy.take_calls();
    let started = Instant::now();
    problem(
        app.get(&path(&invite, ""), Some(&app.user_token())).await,
        503,
        "UNAVAILABLE",
    )
    .await;
    let elapsed = started.elapsed();
    // Every attempt was cut by the attempt timeout and retried: without it, the first
    // attempt would wait out the whole call and there would be one.
    let reads: Vec<Instant> = proxy
        .take_timed_calls()
        .into_iter()
        .filter(|(operation, _)| operation == "GetItem")
        .map(|(_, at)| at)
        .collect();
    assert_eq!(reads.len(), ATTEMPTS, "{reads:?}");
    for (n, pair) in reads.windows(2).enumerate() {
        // The standard retry mode's jittered backoff before retry n+1 is under 2^n s.
        let backoff = Duration::from_secs(1 << n);
        let gap = pair[1] - pair[0];
        assert!(
            gap >= ATTEMPT_TIMEOUT && gap < ATTEMPT_TIMEOUT + backoff + Duration::from_millis(500),
            "retry {} began {gap:?} after the attempt before it",
            n + 1
        );
    }
    // The whole call is bounded too: the attempts and their backoffs may add up to more
    // than CALL_TIMEOUT, which then cuts the last attempt short.
    assert!(
        elapsed >= ATTEMPT_TIMEOUT * (MAX_ATTEMPTS - 1) && elapsed < CALL_TIMEOUT + Duration::from_secs(1),
        "the read answered 503 after {elapsed:?}"
    );
}

/// Accept and cancel of one invite, made to overlap: both requests' reads are held at
/// the proxy until both have arrived, so both decide from the same pending copy and both
/// write. The version condition lets one write in; the other fails it, re-decides from
/// the copy its failed write returned, and is refused. (The black-box race in
/// tests/api/races.rs cannot see whether its two requests overlapped.)
#[tokio::test]
async fn accept_and_cancel_that_read_the_same_copy_have_one_winner() {
    let (app, proxy) = app_behind_proxy().await;
    let mut winners = Vec::new();
    for round in 0..4 {
        let (invite, token) = invite_without_email(&app, &format!("tug{round}@example.com")).await;
        let invitee = app.token_for(uuid::Uuid::new_v4(), None, false);
        let accept = json!({ "acceptUserInvite": { "token": token } });
        let (cancel, user) = (path(&invite, "/cancel"), app.user_token());
        proxy.take_calls();
        proxy.hold("GetItem");
        let (accepted, canceled, ()) = tokio::join!(
            app.post("/user-invites/accept", Some(&invitee), accept),
            app.post(&cancel, Some(&user), json!({})),
            async {
                proxy.wait_held(2).await;
                proxy.release();
            }
        );
        let calls = proxy.take_calls();
        assert_eq!(count(&calls, "GetItem"), 2, "one read each, nothing re-read: {calls:?}");
        assert_eq!(
            count(&calls, "TransactWriteItems"),
            2,
            "both decided from the pending copy and wrote: {calls:?}"
        );
        let current = json_of(app.get(&path(&invite, ""), Some(&app.user_token())).await, 200).await;
        match (accepted.status().as_u16(), canceled.status().as_u16()) {
            (200, 409) => {
                problem(canceled, 409, "INVITE_NOT_PENDING").await;
                let accepted = json_of(accepted, 200).await;
                assert_eq!(current["status"], "accepted");
                assert_eq!(current, invite_without_accept_url(&accepted));
                winners.push("accept");
            }
            (410, 200) => {
                problem(accepted, 410, "INVITE_CANCELED").await;
                let canceled = json_of(canceled, 200).await;
                assert_eq!(current["status"], "canceled");
                assert_eq!(current, canceled);
                winners.push("cancel");
            }
            other => panic!("both or neither won: {other:?}"),
        }
    }
    println!("winners by round: {winners:?}");
}

fn invite_without_accept_url(invite: &Value) -> Value {
    let mut invite = invite.clone();
    invite.as_object_mut().unwrap().remove("acceptUrl");
    invite
}
