//! Observability: one JSON log line per request with its outcome and never a secret,
//! and CloudWatch EMF records for the business events.
//!
//! Secrecy is checked against every line the test process logged, from any thread
//! (`invites_tests::logs`: the embedded store logs from the blocking pool). The line per
//! request and the metrics are read from a capture with the production formatting
//! (`telemetry::subscriber`) installed for the test's thread only, with the filter the
//! test names: `#[tokio::test]` runs the server's tasks on that same thread.

use chrono::Duration;
use invites_shared::domain::InviteToken;
use invites_shared::telemetry;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::util::SubscriberInitExt;
use uuid::Uuid;

use crate::helpers::{TestApp, enc, json_of, problem, send_body, spawn_app};
use invites_tests::logs;

/// The test's own log lines ([`logs::Buffer`]), read as this file's tests read them.
#[derive(Clone, Default)]
struct Capture(logs::Buffer);

impl Capture {
    /// Installs the production subscriber, writing here, for this thread.
    fn install(filter: &str) -> (Self, impl Sized) {
        let capture = Capture::default();
        let guard = telemetry::subscriber(capture.0.clone(), EnvFilter::new(filter)).set_default();
        (capture, guard)
    }

    fn text(&self) -> String {
        self.0.text()
    }

    fn lines(&self) -> Vec<Value> {
        self.0.lines()
    }

    fn request_lines(&self) -> Vec<Value> {
        self.lines()
            .into_iter()
            .filter(|l| l["target"] == telemetry::REQUEST_TARGET)
            .collect()
    }

    /// (metric, operation, count) of every EMF record, in order.
    fn metrics(&self) -> Vec<(String, String, u64)> {
        self.lines()
            .into_iter()
            .filter(|l| l.get("_aws").is_some())
            .map(|record| {
                let directive = &record["_aws"]["CloudWatchMetrics"][0];
                assert_eq!(directive["Namespace"], "UserInvites", "{record}");
                assert!(record["_aws"]["Timestamp"].is_i64(), "{record}");
                let name = directive["Metrics"][0]["Name"].as_str().unwrap().to_owned();
                assert_eq!(directive["Metrics"][0]["Unit"], "Count", "{record}");
                for set in directive["Dimensions"].as_array().unwrap() {
                    for dimension in set.as_array().unwrap() {
                        assert!(record[dimension.as_str().unwrap()].is_string(), "{record}");
                    }
                }
                let operation = record["Operation"].as_str().unwrap().to_owned();
                let count = record[&name].as_u64().unwrap_or_else(|| panic!("no value: {record}"));
                (name, operation, count)
            })
            .collect()
    }
}

/// What one request's log line must say.
struct Expected {
    request_id: String,
    operation: &'static str,
    status: u16,
    tenant: Option<Uuid>,
}

/// Reads the request id the local server answered with, and the status.
fn tracked(response: &Response, operation: &'static str, tenant: Option<Uuid>) -> Expected {
    Expected {
        request_id: response
            .headers()
            .get("x-request-id")
            .expect("every answer names its request id")
            .to_str()
            .unwrap()
            .to_owned(),
        operation,
        status: response.status().as_u16(),
        tenant,
    }
}

/// Every line of `text` that is a request line, each asserted to be one JSON object.
fn request_lines_of(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            assert!(value.is_object(), "not a JSON object: {line}");
            value
        })
        .filter(|l| l["target"] == telemetry::REQUEST_TARGET)
        .collect()
}

/// A multi-threaded runtime, so that the server's tasks run on threads other than the
/// test's, as its blocking work always does: the lines are read from the process-wide
/// capture, which sees them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_logs_one_json_line_with_its_outcome_and_no_secret() {
    let app = spawn_app().await;
    let user = app.user_token();
    // Unique to this test: the capture holds every test's lines.
    let person = format!("Secret.Person.{}", &Uuid::new_v4().simple().to_string()[..12]);
    let email = format!("{person}@Example.com");
    let email = email.as_str();
    let mut expected = Vec::new();

    let response = app.send(&user, app.tenant, json!([{ "email": email }])).await;
    expected.push(tracked(&response, "sendUserInvites", Some(app.tenant)));
    let invite = json_of(response, 200).await["success"][0].clone();
    let id = invite["id"].as_str().unwrap().to_owned();
    let token = app.tokens_to(email).await.remove(0);

    let query = format!("email={}&search={}", enc(email), person.to_lowercase());
    let response = app.get(&format!("/user-invites?{query}"), Some(&user)).await;
    expected.push(tracked(&response, "userInvites", Some(app.tenant)));
    assert_eq!(json_of(response, 200).await["totalCount"], 1);

    let response = app.get(&format!("/user-invites/{id}"), Some(&user)).await;
    expected.push(tracked(&response, "userInvite", Some(app.tenant)));
    json_of(response, 200).await;

    let response = app
        .post("/user-invites/check-token", None, json!({ "token": token }))
        .await;
    expected.push(tracked(&response, "checkUserInviteToken", None));
    json_of(response, 200).await;

    // The invite token where a JWT belongs: refused, and not logged either.
    let response = app
        .post(&format!("/user-invites/{id}/resend"), Some(&token), json!({}))
        .await;
    expected.push(tracked(&response, "resendUserInvite", None));
    problem(response, 401, "UNAUTHENTICATED").await;

    // Accepted by a user of another tenant: the line names the caller's tenant.
    let (other_tenant, stranger) = app.stranger_token();
    let response = app.accept(&stranger, &token).await;
    expected.push(tracked(&response, "acceptUserInvite", Some(other_tenant)));
    json_of(response, 200).await;

    let response = app
        .patch(
            &format!("/user-invites/{id}"),
            Some(&user),
            json!({ "userInvite": { "firstName": "Late" } }),
        )
        .await;
    expected.push(tracked(&response, "updateUserInvite", Some(app.tenant)));
    problem(response, 409, "INVITE_NOT_PENDING").await;

    let response = app.get(&format!("/nowhere?email={}", enc(email)), Some(&user)).await;
    expected.push(tracked(&response, "none", None));
    problem(response, 404, "NOT_FOUND").await;

    // Refused by the local server before the body is read: logged all the same.
    let response = app
        .raw(
            Method::POST,
            "/user-invites/check-token",
            None,
            format!(r#"{{"token":"{token}","pad":"{}"}}"#, "x".repeat(300 * 1024)),
            "application/json",
        )
        .await;
    expected.push(tracked(&response, "checkUserInviteToken", None));
    problem(response, 413, "PAYLOAD_TOO_LARGE").await;
    app.settle().await;

    let everything = logs::captured();
    let lines: Vec<Value> = request_lines_of(&everything)
        .into_iter()
        .filter(|l| expected.iter().any(|e| l["request_id"] == e.request_id))
        .collect();
    assert_eq!(lines.len(), expected.len(), "one line per request: {lines:#?}");
    for tenant in [app.tenant, other_tenant] {
        let of_tenant = request_lines_of(&everything)
            .into_iter()
            .filter(|l| l["tenant"] == tenant.to_string())
            .count();
        let expected_of_tenant = expected.iter().filter(|e| e.tenant == Some(tenant)).count();
        assert_eq!(of_tenant, expected_of_tenant, "no other request line names {tenant}");
    }
    for want in &expected {
        let matching: Vec<&Value> = lines.iter().filter(|l| l["request_id"] == want.request_id).collect();
        assert_eq!(matching.len(), 1, "one line for {}: {lines:#?}", want.operation);
        let line = matching[0];
        assert_eq!(line["message"], "request", "{line}");
        assert_eq!(line["operation"], want.operation, "{line}");
        assert_eq!(line["status"], want.status, "{line}");
        match want.tenant {
            Some(tenant) => assert_eq!(line["tenant"], tenant.to_string(), "{line}"),
            None => assert!(line.get("tenant").is_none(), "{line}"),
        }
        assert!(line["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{line}");
        if want.status >= 400 {
            assert!(line["code"].is_string(), "a failure names its code: {line}");
        }
        for forbidden in ["path", "uri", "query"] {
            assert!(line.get(forbidden).is_none(), "{line}");
        }
    }
    let mut ids: Vec<&str> = expected.iter().map(|e| e.request_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), expected.len(), "every request has its own id");

    // Nothing logged by any thread (request lines, metrics, anything else) holds a
    // secret or an address.
    let lower = everything.to_lowercase();
    let hash = InviteToken::from_submitted(&token).unwrap().hash();
    for secret in [token.as_str(), hash.as_str(), user.as_str(), stranger.as_str()] {
        assert!(!everything.contains(secret), "a log holds a secret: {everything}");
    }
    assert!(
        !lower.contains(&email.to_lowercase()),
        "a log holds the email: {everything}"
    );
    assert!(
        !lower.contains(&person.to_lowercase()),
        "a log holds part of the query: {everything}"
    );
    assert!(!everything.contains(&enc(email)), "a log holds the query: {everything}");
}

/// Makes the outbox unwritable by putting a file where its folder was.
fn break_outbox(app: &TestApp) {
    let outbox = app.data_dir().join("outbox");
    std::fs::remove_dir_all(&outbox).unwrap();
    std::fs::write(&outbox, b"not a folder").unwrap();
}

fn metric(name: &str, operation: &str, count: u64) -> (String, String, u64) {
    (name.to_owned(), operation.to_owned(), count)
}

#[tokio::test]
async fn business_events_are_emitted_as_emf_metrics() {
    // RUST_LOG may quiet the logs; it never drops a metric.
    let (capture, _guard) = Capture::install("warn");
    let app = spawn_app().await;
    let user = app.user_token();

    // Two created in one send; a replay of an idempotent send creates (and counts) none.
    let body = send_body(
        app.tenant,
        json!([{ "email": "m1@example.com" }, { "email": "m2@example.com" }]),
    );
    let sent = json_of(app.send_with_key(&user, "key-1", &body).await, 200).await;
    json_of(app.send_with_key(&user, "key-1", &body).await, 200).await;
    let (first, second) = (&sent["success"][0], &sent["success"][1]);
    assert_eq!(capture.metrics(), [metric("InvitesSent", "sendUserInvites", 2)]);

    let accepted = app.accept_as_anyone(&app.tokens_to("m1@example.com").await[0]).await;
    json_of(accepted, 200).await;
    assert_eq!(
        capture.metrics().last(),
        Some(&metric("InvitesAccepted", "acceptUserInvite", 1)),
        "an accept emits InvitesAccepted"
    );
    json_of(app.cancel(&second["id"]).await, 200).await;

    // Past its expiry: the refused accept, then the resend that revives it.
    let expiring = app.invite("m3@example.com").await;
    app.advance(Duration::days(8));
    problem(
        app.accept_as_anyone(&app.tokens_to("m3@example.com").await[0]).await,
        410,
        "INVITE_EXPIRED",
    )
    .await;
    json_of(app.resend(&expiring["id"], json!({})).await, 200).await;
    app.settle().await;

    // A mail that cannot go out.
    break_outbox(&app);
    json_of(
        app.send(&user, app.tenant, json!([{ "email": "m4@example.com" }]))
            .await,
        200,
    )
    .await;
    app.settle().await;
    // A passing failure: retried until the window (24 hours) closes, then failed.
    app.advance(Duration::hours(25));
    for _ in 0..100 {
        if capture.metrics().iter().any(|m| m.0 == "EmailsFailed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Refusals that meet no expired invite count nothing.
    problem(app.cancel(&first["id"]).await, 409, "INVITE_NOT_PENDING").await;

    assert_eq!(
        capture.metrics(),
        [
            metric("InvitesSent", "sendUserInvites", 2),
            metric("InvitesAccepted", "acceptUserInvite", 1),
            metric("InvitesCanceled", "cancelUserInvite", 1),
            metric("InvitesSent", "sendUserInvites", 1),
            metric("InvitesExpired", "acceptUserInvite", 1),
            metric("InvitesResent", "resendUserInvite", 1),
            metric("InvitesExpired", "resendUserInvite", 1),
            metric("InvitesSent", "sendUserInvites", 1),
            // Recorded by the mailer once its retries are spent.
            metric("EmailsFailed", "deliverInvite", 1),
        ]
    );
    // The record's time is the service's clock, which the test moved 8 days on.
    let last = capture
        .lines()
        .into_iter()
        .rev()
        .find(|l| l.get("_aws").is_some())
        .unwrap();
    assert_eq!(last["_aws"]["Timestamp"], app.now().timestamp_millis());
    assert!(capture.request_lines().is_empty(), "info lines are filtered at warn");
    let everything = capture.text().to_lowercase();
    for address in ["m1@example.com", "m2@example.com", "m3@example.com", "m4@example.com"] {
        assert!(!everything.contains(address), "a log holds {address}: {everything}");
    }
}

#[tokio::test]
async fn an_expired_invite_met_by_cancel_or_update_is_counted() {
    let (capture, _guard) = Capture::install("info");
    let app = spawn_app().await;
    let a = app.invite("e1@example.com").await;
    let b = app.invite("e2@example.com").await;
    app.advance(Duration::days(8));
    let path = format!("/user-invites/{}", a["id"].as_str().unwrap());
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
    json_of(app.cancel(&b["id"]).await, 200).await;
    // Reads of an expired invite count nothing.
    app.fetch(&a["id"]).await;
    app.list("status=expired").await;
    let expired: Vec<_> = capture
        .metrics()
        .into_iter()
        .filter(|(name, ..)| name == "InvitesExpired")
        .collect();
    assert_eq!(
        expired,
        [
            metric("InvitesExpired", "updateUserInvite", 1),
            metric("InvitesExpired", "cancelUserInvite", 1),
        ]
    );
}

#[tokio::test]
async fn every_line_names_the_service_and_powertools_variables_rename_it() {
    let capture = Capture::default();
    let settings = telemetry::Settings::from_lookup(|name| match name {
        "POWERTOOLS_SERVICE_NAME" => Some("invites-local-under-test".to_owned()),
        "POWERTOOLS_METRICS_NAMESPACE" => Some("Test/UserInvites".to_owned()),
        _ => None,
    });
    let _guard = telemetry::subscriber_with(capture.0.clone(), EnvFilter::new("info"), settings).set_default();
    let app = spawn_app().await;
    let user = app.user_token();
    json_of(
        app.send(&user, app.tenant, json!([{ "email": "powertools@example.com" }]))
            .await,
        200,
    )
    .await;
    problem(app.get("/nowhere", Some(&user)).await, 404, "NOT_FOUND").await;

    let lines = capture.lines();
    let (metrics, logs): (Vec<&Value>, Vec<&Value>) = lines.iter().partition(|l| l.get("_aws").is_some());
    assert_eq!(
        logs.iter().filter(|l| l["target"] == telemetry::REQUEST_TARGET).count(),
        2
    );
    for line in &logs {
        assert_eq!(line["service"], "invites-local-under-test", "{line}");
        assert!(line["timestamp"].is_string() && line["level"].is_string(), "{line}");
        // Outside Lambda there is no invocation to name.
        for key in ["cold_start", "function_request_id", "xray_trace_id", "function_name"] {
            assert!(line.get(key).is_none(), "{key}: {line}");
        }
    }
    assert_eq!(metrics.len(), 1, "{metrics:?}");
    let record = metrics[0];
    assert_eq!(record["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Test/UserInvites");
    assert_eq!(record["Service"], "invites-local-under-test");
    assert_eq!(record["level"], "INFO", "an EMF line carries a level");
}
