//! The role policy: a caller may grant, and may resend, cancel or update invites
//! carrying, only the roles its token lists; a super admin any; `INVITES_ROLE_POLICY=any`
//! lets everyone grant everything.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, problem, spawn_app, spawn_app_with, start_error};

/// A token of the default user, in the default tenant, holding only `roles`.
fn holding(app: &TestApp, roles: &[&str]) -> String {
    app.token_with_roles(app.user, Some(app.tenant), false, roles)
}

fn path(invite: &Value, suffix: &str) -> String {
    format!("/user-invites/{}{suffix}", invite["id"].as_str().unwrap())
}

#[tokio::test]
async fn a_send_grants_only_the_roles_the_callers_token_holds_each_invitee_on_its_own() {
    let app = spawn_app().await;
    let editor = holding(&app, &["editor", "viewer"]);
    let sent = json_of(
        app.send(
            &editor,
            app.tenant,
            json!([
                { "email": "kept@example.com", "roles": ["viewer", "editor"] },
                { "email": "owner@example.com", "roles": ["viewer", "owner"] },
                { "email": "none@example.com" },
                { "email": "case@example.com", "roles": ["Editor"] },
            ]),
        )
        .await,
        200,
    )
    .await;
    let emails: Vec<&str> = sent["success"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["kept@example.com", "none@example.com"], "{sent}");
    let errors = sent["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{sent}");
    assert_eq!(errors[0]["index"], 1);
    assert_eq!(errors[0]["code"], "FORBIDDEN");
    assert!(errors[0]["message"].as_str().unwrap().contains("\"owner\""), "{sent}");
    assert_eq!(errors[1]["index"], 3);
    assert_eq!(errors[1]["code"], "FORBIDDEN");
    // Only the two granted invites exist.
    assert_eq!(app.count().await, 2);

    // A token without roles may invite without roles, and grant nothing.
    let bare = holding(&app, &[]);
    let sent = json_of(
        app.send(
            &bare,
            app.tenant,
            json!([{ "email": "plain@example.com" }, { "email": "role@example.com", "roles": ["viewer"] }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sent["success"].as_array().unwrap().len(), 1, "{sent}");
    assert_eq!(sent["errors"][0]["code"], "FORBIDDEN", "{sent}");
    assert_eq!(app.count().await, 3);
}

#[tokio::test]
async fn resend_cancel_and_update_of_an_invite_carrying_a_role_not_held_are_403_and_change_nothing() {
    let app = spawn_app().await;
    let invite = app
        .invite_with(json!({ "email": "boss@example.com", "roles": ["owner"] }))
        .await;
    let before = app.fetch(&invite["id"]).await;
    let editor = holding(&app, &["editor"]);

    for response in [
        app.post(&path(&invite, "/resend"), Some(&editor), json!({ "sendEmail": false }))
            .await,
        app.post(&path(&invite, "/cancel"), Some(&editor), json!({})).await,
        app.patch(
            &path(&invite, ""),
            Some(&editor),
            json!({ "userInvite": { "firstName": "X" } }),
        )
        .await,
    ] {
        let body = problem(response, 403, "FORBIDDEN").await;
        assert!(body["detail"].as_str().unwrap().contains("\"owner\""), "{body}");
    }
    assert_eq!(app.fetch(&invite["id"]).await, before, "nothing changed");

    // Granting a role not held through an update is refused too.
    let viewer_invite = app
        .invite_with(json!({ "email": "viewer@example.com", "roles": ["editor"] }))
        .await;
    let before = app.fetch(&viewer_invite["id"]).await;
    let response = app
        .patch(
            &path(&viewer_invite, ""),
            Some(&editor),
            json!({ "userInvite": { "roles": ["editor", "owner"] } }),
        )
        .await;
    problem(response, 403, "FORBIDDEN").await;
    assert_eq!(app.fetch(&viewer_invite["id"]).await, before);

    // With the roles held, each goes through.
    let updated = json_of(
        app.patch(
            &path(&viewer_invite, ""),
            Some(&editor),
            json!({ "userInvite": { "firstName": "Ed" } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["firstName"], "Ed");
    json_of(
        app.post(
            &path(&viewer_invite, "/resend"),
            Some(&editor),
            json!({ "sendEmail": false }),
        )
        .await,
        200,
    )
    .await;
    let canceled = json_of(
        app.post(&path(&viewer_invite, "/cancel"), Some(&editor), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(canceled["status"], "canceled");
}

#[tokio::test]
async fn another_tenants_invite_stays_not_found_whatever_its_roles() {
    let app = spawn_app().await;
    let invite = app
        .invite_with(json!({ "email": "far@example.com", "roles": ["owner"] }))
        .await;
    let stranger = app.token_with_roles(Uuid::new_v4(), Some(Uuid::new_v4()), false, &[]);
    problem(
        app.post(&path(&invite, "/cancel"), Some(&stranger), json!({})).await,
        404,
        "NOT_FOUND",
    )
    .await;
    problem(
        app.patch(
            &path(&invite, ""),
            Some(&stranger),
            json!({ "userInvite": { "roles": ["owner"] } }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn a_super_admin_grants_any_role() {
    let app = spawn_app().await;
    let admin = app.token_with_roles(Uuid::new_v4(), None, true, &[]);
    let sent = json_of(
        app.send(
            &admin,
            app.tenant,
            json!([{ "email": "root@example.com", "roles": ["owner", "billing"] }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sent["errors"], json!([]), "{sent}");
    let invite = &sent["success"][0];
    json_of(
        app.patch(
            &path(invite, ""),
            Some(&admin),
            json!({ "userInvite": { "roles": ["root"] } }),
        )
        .await,
        200,
    )
    .await;
    json_of(app.post(&path(invite, "/cancel"), Some(&admin), json!({})).await, 200).await;
}

#[tokio::test]
async fn role_policy_any_lets_every_caller_grant_every_role() {
    let app = spawn_app_with(&[("INVITES_ROLE_POLICY", "any")]).await;
    let bare = holding(&app, &[]);
    let sent = json_of(
        app.send(
            &bare,
            app.tenant,
            json!([{ "email": "any@example.com", "roles": ["owner"] }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sent["errors"], json!([]), "{sent}");
    json_of(
        app.post(&path(&sent["success"][0], "/cancel"), Some(&bare), json!({}))
            .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn an_unknown_role_policy_stops_the_start() {
    let error = start_error(&[("INVITES_ROLE_POLICY", "everyone")]).await;
    assert!(error.contains("INVITES_ROLE_POLICY"), "{error}");
}
