//! Hardening: who may do what (the whole operation × caller matrix), mass assignment,
//! and hostile bodies. Every refusal is a clear 4xx problem+json, and nothing is stored.
//!
//! Size limits already covered elsewhere: 101 invitees (send.rs), a declared body over
//! 256 KiB on send (send.rs), over-long tokens and search terms (validation.rs, list.rs).

mod bodies;
mod bounded_answers;
mod mass_assignment;
mod matrix;
mod sizes;

use reqwest::Method;
use serde_json::Value;

use crate::helpers::TestApp;

/// Every route that reads a body, for an existing invite: (method, path, needs a JWT).
pub(super) fn body_routes(id: &str) -> Vec<(Method, String)> {
    vec![
        (Method::POST, "/user-invites".to_owned()),
        (Method::POST, format!("/user-invites/{id}/resend")),
        (Method::POST, format!("/user-invites/{id}/cancel")),
        (Method::POST, "/user-invites/accept".to_owned()),
        (Method::POST, "/user-invites/check-token".to_owned()),
        (Method::PATCH, format!("/user-invites/{id}")),
    ]
}

/// A seeded invite and its token, to prove afterwards that nothing changed.
pub(super) async fn seeded(app: &TestApp) -> (Value, String) {
    let invite = app.invite("seed@example.com").await;
    let token = app.tokens_to("seed@example.com").await.remove(0);
    (invite, token)
}

pub(super) async fn assert_untouched(app: &TestApp, invite: &Value, token: &str) {
    assert_eq!(app.count().await, 1, "nothing new was stored");
    assert_eq!(&app.fetch(&invite["id"]).await, invite, "the invite did not change");
    assert_eq!(app.outbox().await.len(), 1, "nothing was sent");
    assert_eq!(app.check(token).await["isValid"], true);
}

/// A JSON object of exactly `size` bytes: `{"pad":"xxx…"}`.
pub(super) fn padded_body(size: usize) -> String {
    let overhead = r#"{"pad":""}"#.len();
    format!(r#"{{"pad":"{}"}}"#, "x".repeat(size - overhead))
}

pub(super) fn error_for<'a>(problem: &'a Value, field: &str) -> Option<&'a Value> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
}
