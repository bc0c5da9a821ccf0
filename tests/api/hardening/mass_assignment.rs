//! Mass assignment: no request may set what the server owns.

use serde_json::{Value, json};
use uuid::Uuid;

use super::error_for;
use crate::helpers::{TestApp, problem, send_body, spawn_app};

/// Fields a caller might try to set, with values of the type the invite carries them in,
/// including the storage-side names (snake_case, the version, the slot key).
fn server_owned_fields(app: &TestApp) -> Vec<(&'static str, Value)> {
    vec![
        ("status", json!("accepted")),
        ("id", json!(Uuid::new_v4())),
        ("tenantId", json!(Uuid::new_v4())),
        ("acceptedByUserId", json!(app.user)),
        ("createdAt", json!("2020-01-01T00:00:00Z")),
        ("updatedAt", json!("2020-01-01T00:00:00Z")),
        ("statusUpdatedAt", json!("2020-01-01T00:00:00Z")),
        ("expiresAt", json!("2099-01-01T00:00:00Z")),
        ("lastSentAt", json!("2020-01-01T00:00:00Z")),
        ("sendCount", json!(0)),
        ("emailStatus", json!("sent")),
        ("tokenHash", json!("ab".repeat(32))),
        ("token", json!("A".repeat(64))),
        ("acceptUrl", json!("https://evil.example/?token=x")),
        // Names only storage uses: unknown to the API, and refused all the same.
        ("version", json!(99)),
        ("token_hash", json!("ab".repeat(32))),
        ("tenant_id", json!(Uuid::new_v4())),
        ("email_canonical", json!("someone@example.com")),
        ("emailCanonical", json!("someone@example.com")),
        ("recentResends", json!([])),
        ("emailError", json!("x")),
        ("messageId", json!("<x@example.com>")),
        // Case variants do not slip past.
        ("Status", json!("accepted")),
        ("TENANTID", json!(Uuid::new_v4())),
    ]
}

#[tokio::test]
async fn mass_assignment_on_send_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    for (field, value) in server_owned_fields(&app) {
        let mut invitee = json!({ "email": "mass@example.com", "firstName": "Mass" });
        invitee[field] = value.clone();
        let on_invitee = send_body(app.tenant, json!([invitee]));
        let mut at_envelope = send_body(app.tenant, json!([{ "email": "mass@example.com" }]));
        at_envelope["userInvites"][field] = value.clone();
        let mut at_top = send_body(app.tenant, json!([{ "email": "mass@example.com" }]));
        at_top[field] = value.clone();
        let mut cases = vec![
            (on_invitee, format!("userInvites.userInvites[0].{field}")),
            (at_top, field.to_owned()),
        ];
        // tenantId is the envelope's own field: another tenant there is a 403 (send.rs).
        if field != "tenantId" {
            cases.push((at_envelope, format!("userInvites.{field}")));
        }
        for (body, path) in cases {
            let p = problem(
                app.post("/user-invites", Some(&app.user_token()), body).await,
                400,
                "VALIDATION_FAILED",
            )
            .await;
            let error = error_for(&p, &path).unwrap_or_else(|| panic!("{path} not listed: {p}"));
            assert!(
                error["message"] == "is read-only" || error["message"] == "is not a known field",
                "{path}: {p}"
            );
        }
    }
    assert_eq!(app.count().await, 0, "nothing was stored");
    assert!(app.outbox().await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn mass_assignment_on_update_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let invite = app.invite("mass-update@example.com").await;
    let token = app.tokens_to("mass-update@example.com").await.remove(0);
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    for caller in [app.user_token(), app.super_admin_token()] {
        for (field, value) in server_owned_fields(&app) {
            if field == "acceptedByUserId" {
                continue; // a real update field, with its own rules (update.rs)
            }
            // Alone, next to a legitimate change, and beside the envelope.
            let alone = json!({ "userInvite": { field: value.clone() } });
            let with_change = json!({ "userInvite": { "firstName": "Changed", field: value.clone() } });
            let beside = json!({ "userInvite": { "firstName": "Changed" }, field: value.clone() });
            for (body, at) in [
                (alone, format!("userInvite.{field}")),
                (with_change, format!("userInvite.{field}")),
                (beside, field.to_owned()),
            ] {
                let p = problem(app.patch(&path, Some(&caller), body).await, 400, "VALIDATION_FAILED").await;
                assert!(error_for(&p, &at).is_some(), "{at} not listed: {p}");
            }
        }
    }
    assert_eq!(app.fetch(&invite["id"]).await, invite, "nothing changed");
    assert_eq!(app.check(&token).await["isValid"], true, "the token still works");
}

#[tokio::test]
async fn mass_assignment_on_accept_resend_cancel_and_check_token_is_refused() {
    let app = spawn_app().await;
    let invite = app.invite("mass-other@example.com").await;
    let token = app.tokens_to("mass-other@example.com").await.remove(0);
    let id = invite["id"].as_str().unwrap();
    let user = app.user_token();
    let someone = Uuid::new_v4();

    let cases: Vec<(String, Value, &str)> = vec![
        (
            "/user-invites/accept".into(),
            json!({ "acceptUserInvite": { "token": token, "status": "canceled" } }),
            "acceptUserInvite.status",
        ),
        (
            "/user-invites/accept".into(),
            json!({ "acceptUserInvite": { "token": token, "tenantId": someone } }),
            "acceptUserInvite.tenantId",
        ),
        (
            "/user-invites/accept".into(),
            json!({ "acceptUserInvite": { "token": token }, "acceptedByUserId": someone }),
            "acceptedByUserId",
        ),
        (
            format!("/user-invites/{id}/resend"),
            json!({ "sendCount": 0 }),
            "sendCount",
        ),
        (
            format!("/user-invites/{id}/resend"),
            json!({ "expiresAt": "2099-01-01T00:00:00Z" }),
            "expiresAt",
        ),
        (
            format!("/user-invites/{id}/resend"),
            json!({ "token": "A".repeat(64) }),
            "token",
        ),
        (
            format!("/user-invites/{id}/cancel"),
            json!({ "status": "accepted" }),
            "status",
        ),
        (
            "/user-invites/check-token".into(),
            json!({ "token": token, "email": "other@example.com" }),
            "email",
        ),
    ];
    for (path, body, field) in cases {
        let p = problem(app.post(&path, Some(&user), body).await, 400, "VALIDATION_FAILED").await;
        assert!(error_for(&p, field).is_some(), "{path}: {field} not listed: {p}");
        assert!(!p.to_string().contains(&token), "the token is not echoed: {p}");
    }
    assert_eq!(app.fetch(&invite["id"]).await, invite, "nothing changed");
    assert_eq!(
        app.mails_to("mass-other@example.com").await.len(),
        1,
        "no resend went out"
    );
    assert_eq!(app.check(&token).await["isValid"], true);
}
