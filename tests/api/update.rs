//! updateUserInvite: the profile while pending; who accepted, by a super admin, once accepted.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, problem, spawn_app};

async fn patch(app: &TestApp, id: &Value, token: &str, change: Value) -> reqwest::Response {
    let path = format!("/user-invites/{}", id.as_str().unwrap());
    app.patch(&path, Some(token), json!({ "userInvite": change })).await
}

#[tokio::test]
async fn the_profile_of_a_pending_invite_can_be_changed() {
    let app = spawn_app().await;
    let invite = app
        .invite_with(
            json!({ "email": "edit@example.com", "firstName": "John", "lastName": "Wick",
                             "roles": ["viewer"], "data": {"a": 1} }),
        )
        .await;
    app.advance(Duration::minutes(3));
    let updated = json_of(
        patch(
            &app,
            &invite["id"],
            &app.user_token(),
            json!({ "firstName": "Fast", "lastName": "Ninja", "locale": "id_id",
                    "data": {"address": "Brosot ST."}, "roles": ["editor", "admin"] }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["firstName"], "Fast");
    assert_eq!(updated["lastName"], "Ninja");
    assert_eq!(updated["locale"], "id-ID");
    assert_eq!(updated["data"], json!({"address": "Brosot ST."}));
    assert_eq!(updated["roles"], json!(["editor", "admin"]));
    assert_eq!(updated["status"], "pending");
    assert_eq!(updated["email"], invite["email"]);
    assert_eq!(updated["createdAt"], invite["createdAt"]);
    assert_eq!(updated["expiresAt"], invite["expiresAt"]);
    assert_eq!(updated["statusUpdatedAt"], invite["statusUpdatedAt"]);
    assert_eq!(updated["sendCount"], 1);
    assert_ne!(updated["updatedAt"], invite["updatedAt"]);
    assert_eq!(app.fetch(&invite["id"]).await, updated);
    // The token still works after a profile change.
    let token = app.tokens_to("edit@example.com").await.remove(0);
    json_of(app.accept_as_anyone(&token).await, 200).await;
}

#[tokio::test]
async fn a_partial_update_leaves_other_fields_and_null_clears_a_name() {
    let app = spawn_app().await;
    let invite = app
        .invite_with(json!({ "email": "part@example.com", "firstName": "John", "lastName": "Wick", "roles": ["r"] }))
        .await;
    let updated = json_of(
        patch(&app, &invite["id"], &app.user_token(), json!({ "lastName": null })).await,
        200,
    )
    .await;
    assert_eq!(updated["firstName"], "John");
    assert_eq!(updated["lastName"], Value::Null);
    assert_eq!(updated["roles"], json!(["r"]));
    let updated = json_of(
        patch(&app, &invite["id"], &app.user_token(), json!({ "roles": [] })).await,
        200,
    )
    .await;
    assert_eq!(updated["roles"], json!([]));
}

#[tokio::test]
async fn read_only_fields_are_refused_by_name() {
    let app = spawn_app().await;
    let invite = app.invite("ro@example.com").await;
    for field in [
        "status",
        "tenantId",
        "email",
        "id",
        "createdAt",
        "updatedAt",
        "expiresAt",
        "statusUpdatedAt",
        "lastSentAt",
        "sendCount",
        "emailStatus",
        "createdByUserId",
    ] {
        let mut change = json!({ "firstName": "Ok" });
        change[field] = json!("x");
        let p = problem(
            patch(&app, &invite["id"], &app.user_token(), change).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        let error = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == format!("userInvite.{field}"))
            .unwrap_or_else(|| panic!("{field} not listed: {p}"));
        assert_eq!(error["message"], "is read-only", "{field}");
    }
    assert_eq!(app.fetch(&invite["id"]).await, invite, "nothing changed");
}

#[tokio::test]
async fn every_bad_field_of_an_update_is_listed() {
    let app = spawn_app().await;
    let invite = app.invite("bad@example.com").await;
    let p = problem(
        patch(
            &app,
            &invite["id"],
            &app.user_token(),
            json!({ "firstName": 1, "locale": "nope-nope-nope", "roles": "x", "data": null,
                    "nickname": "n", "lastName": "x".repeat(101) }),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "userInvite.firstName",
        "userInvite.locale",
        "userInvite.roles",
        "userInvite.data",
        "userInvite.nickname",
        "userInvite.lastName",
    ] {
        assert!(fields.contains(&f), "{f} missing: {p}");
    }
    assert_eq!(app.fetch(&invite["id"]).await, invite);
}

#[tokio::test]
async fn an_update_needs_a_change_and_the_envelope() {
    let app = spawn_app().await;
    let invite = app.invite("empty@example.com").await;
    // A write now, refused or not, would show in updatedAt.
    app.advance(Duration::minutes(1));
    problem(
        patch(&app, &invite["id"], &app.user_token(), json!({})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    let p = problem(
        app.patch(&path, Some(&app.user_token()), json!({ "firstName": "X" }))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(p.to_string().contains("userInvite"), "{p}");
    assert_eq!(app.fetch(&invite["id"]).await, invite, "nothing changed");
}

#[tokio::test]
async fn a_crlf_in_a_name_is_refused_on_update() {
    let app = spawn_app().await;
    let invite = app.invite("crlf@example.com").await;
    app.advance(Duration::minutes(1));
    let p = problem(
        patch(
            &app,
            &invite["id"],
            &app.user_token(),
            json!({ "firstName": "Eve\r\nBcc: x@evil.example" }),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "userInvite.firstName");
    assert_eq!(app.fetch(&invite["id"]).await, invite, "nothing changed");
}

#[tokio::test]
async fn non_pending_invites_cannot_be_updated() {
    let app = spawn_app().await;
    let canceled = app.invite("c@example.com").await;
    let canceled = json_of(app.cancel(&canceled["id"]).await, 200).await;
    // A write now, refused or not, would show in updatedAt.
    app.advance(Duration::minutes(1));
    problem(
        patch(&app, &canceled["id"], &app.user_token(), json!({ "firstName": "X" })).await,
        409,
        "INVITE_NOT_PENDING",
    )
    .await;
    assert_eq!(app.fetch(&canceled["id"]).await, canceled, "nothing changed");

    app.invite("a@example.com").await;
    let token = app.tokens_to("a@example.com").await.remove(0);
    let accepted = json_of(app.accept_as_anyone(&token).await, 200).await;
    app.advance(Duration::minutes(1));
    problem(
        patch(&app, &accepted["id"], &app.user_token(), json!({ "roles": ["x"] })).await,
        409,
        "INVITE_NOT_PENDING",
    )
    .await;
    assert_eq!(app.fetch(&accepted["id"]).await, accepted, "nothing changed");
}

#[tokio::test]
async fn only_a_super_admin_may_set_who_accepted() {
    let app = spawn_app().await;
    let invite = app.invite("who@example.com").await;
    let token = app.tokens_to("who@example.com").await.remove(0);
    let original = Uuid::new_v4();
    let accepted = json_of(app.accept(&app.token_for(original, None, false), &token).await, 200).await;
    // A write now, refused or not, would show in updatedAt.
    app.advance(Duration::minutes(1));

    let someone = Uuid::new_v4();
    problem(
        patch(
            &app,
            &invite["id"],
            &app.user_token(),
            json!({ "acceptedByUserId": someone }),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.fetch(&invite["id"]).await, accepted, "nothing changed");
    assert_eq!(accepted["acceptedByUserId"], original.to_string());

    let updated = json_of(
        patch(
            &app,
            &invite["id"],
            &app.super_admin_token(),
            json!({ "acceptedByUserId": someone }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["acceptedByUserId"], someone.to_string());
    assert_eq!(updated["status"], "accepted");
    assert_eq!(app.fetch(&invite["id"]).await["acceptedByUserId"], someone.to_string());
    let by = app.list(&format!("acceptedByUserId={someone}")).await;
    assert_eq!(by["totalCount"], 1);
}

#[tokio::test]
async fn who_accepted_can_only_be_set_on_an_accepted_invite() {
    let app = spawn_app().await;
    let pending = app.invite("p@example.com").await;
    let admin = app.super_admin_token();
    // A write now, refused or not, would show in updatedAt.
    app.advance(Duration::minutes(1));
    problem(
        patch(
            &app,
            &pending["id"],
            &admin,
            json!({ "acceptedByUserId": Uuid::new_v4() }),
        )
        .await,
        409,
        "INVITE_NOT_ACCEPTED",
    )
    .await;
    let canceled = app.invite("c@example.com").await;
    let canceled = json_of(app.cancel(&canceled["id"]).await, 200).await;
    app.advance(Duration::minutes(1));
    problem(
        patch(
            &app,
            &canceled["id"],
            &admin,
            json!({ "acceptedByUserId": Uuid::new_v4() }),
        )
        .await,
        409,
        "INVITE_NOT_ACCEPTED",
    )
    .await;
    let fetched = app.fetch(&pending["id"]).await;
    assert_eq!(fetched, pending, "nothing changed");
    assert_eq!(fetched["acceptedByUserId"], Value::Null);
    assert_eq!(app.fetch(&canceled["id"]).await, canceled, "nothing changed");
}

#[tokio::test]
async fn a_user_setting_who_accepted_on_a_pending_invite_is_forbidden() {
    let app = spawn_app().await;
    let pending = app.invite("p@example.com").await;
    app.advance(Duration::minutes(1));
    problem(
        patch(
            &app,
            &pending["id"],
            &app.user_token(),
            json!({ "acceptedByUserId": app.user }),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.fetch(&pending["id"]).await, pending, "nothing changed");
}

#[tokio::test]
async fn who_accepted_cannot_be_cleared() {
    let app = spawn_app().await;
    let invite = app.invite("keep@example.com").await;
    let token = app.tokens_to("keep@example.com").await.remove(0);
    let user = Uuid::new_v4();
    let accepted = json_of(app.accept(&app.token_for(user, None, false), &token).await, 200).await;
    app.advance(Duration::minutes(1));
    let response = patch(
        &app,
        &invite["id"],
        &app.super_admin_token(),
        json!({ "acceptedByUserId": null }),
    )
    .await;
    problem(response, 409, "INVITE_ALREADY_ACCEPTED").await;
    assert_eq!(app.fetch(&invite["id"]).await, accepted, "nothing changed");
    assert_eq!(accepted["acceptedByUserId"], user.to_string());
}

#[tokio::test]
async fn a_closed_invite_is_not_touched_even_by_a_patch_that_changes_nothing() {
    let app = spawn_app().await;
    let canceled = app.invite("closed@example.com").await;
    let canceled = json_of(app.cancel(&canceled["id"]).await, 200).await;
    let expired = app.invite("old@example.com").await;
    app.advance(Duration::days(8));
    for (invite, status) in [(&canceled, "canceled"), (&expired, "expired")] {
        let p = problem(
            patch(
                &app,
                &invite["id"],
                &app.user_token(),
                json!({ "acceptedByUserId": null }),
            )
            .await,
            409,
            "INVITE_NOT_PENDING",
        )
        .await;
        assert!(p["detail"].as_str().unwrap().contains(status), "{p}");
        let after = app.fetch(&invite["id"]).await;
        assert_eq!(after["updatedAt"], invite["updatedAt"], "{status}: updatedAt moved");
        assert_eq!(after["status"], status);
    }
}
