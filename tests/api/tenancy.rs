//! Tenants never see each other: another tenant's invite reads as not found, and only a
//! super admin crosses tenants.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{json_of, problem, spawn_app};

#[tokio::test]
async fn another_tenants_invite_does_not_exist_for_a_user() {
    let app = spawn_app().await;
    let invite = app.invite("mine@example.com").await;
    let id = invite["id"].as_str().unwrap();
    let (_, stranger) = app.stranger_token();

    let not_found = |response: reqwest::Response| problem(response, 404, "NOT_FOUND");
    not_found(app.get(&format!("/user-invites/{id}"), Some(&stranger)).await).await;
    not_found(
        app.patch(
            &format!("/user-invites/{id}"),
            Some(&stranger),
            json!({ "userInvite": { "firstName": "Hacked" } }),
        )
        .await,
    )
    .await;
    not_found(
        app.post(&format!("/user-invites/{id}/cancel"), Some(&stranger), json!({}))
            .await,
    )
    .await;
    not_found(
        app.post(&format!("/user-invites/{id}/resend"), Some(&stranger), json!({}))
            .await,
    )
    .await;

    // The same answer as for an invite that never existed: nothing is revealed.
    let missing = Uuid::new_v4();
    let a = problem(
        app.get(&format!("/user-invites/{missing}"), Some(&stranger)).await,
        404,
        "NOT_FOUND",
    )
    .await;
    let b = problem(
        app.get(&format!("/user-invites/{id}"), Some(&stranger)).await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_eq!(a, b);

    let untouched = app.fetch(&invite["id"]).await;
    assert_eq!(untouched, invite, "nothing changed");
    assert_eq!(app.mails_to("mine@example.com").await.len(), 1, "no resend");
    let stranger_list = json_of(app.get("/user-invites", Some(&stranger)).await, 200).await;
    assert_eq!(stranger_list["totalCount"], 0);
}

#[tokio::test]
async fn a_user_of_the_same_tenant_sees_and_manages_a_colleagues_invite() {
    let app = spawn_app().await;
    let invite = app.invite("team@example.com").await;
    let colleague = app.token_for(Uuid::new_v4(), Some(app.tenant), false);
    let id = invite["id"].as_str().unwrap();
    let got = json_of(app.get(&format!("/user-invites/{id}"), Some(&colleague)).await, 200).await;
    assert_eq!(got["id"], invite["id"]);
    let canceled = json_of(
        app.post(&format!("/user-invites/{id}/cancel"), Some(&colleague), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(canceled["status"], "canceled");
}

#[tokio::test]
async fn a_super_admin_reads_and_manages_any_tenants_invites() {
    let app = spawn_app().await;
    let invite = app.invite("admin-view@example.com").await;
    let id = invite["id"].as_str().unwrap();
    let admin = app.super_admin_token();
    let got = json_of(app.get(&format!("/user-invites/{id}"), Some(&admin)).await, 200).await;
    assert_eq!(got["id"], invite["id"]);
    let updated = json_of(
        app.patch(
            &format!("/user-invites/{id}"),
            Some(&admin),
            json!({ "userInvite": { "firstName": "Admin" } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["firstName"], "Admin");
    let resent = json_of(
        app.post(&format!("/user-invites/{id}/resend"), Some(&admin), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(resent["sendCount"], 2);
    let canceled = json_of(
        app.post(&format!("/user-invites/{id}/cancel"), Some(&admin), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(canceled["status"], "canceled");
    let listed = json_of(
        app.get(&format!("/user-invites?tenantId={}", app.tenant), Some(&admin))
            .await,
        200,
    )
    .await;
    assert_eq!(listed["totalCount"], 1);
}

#[tokio::test]
async fn a_bad_uuid_in_the_path_is_a_400() {
    let app = spawn_app().await;
    let token = app.user_token();
    for (method, path) in [
        (Method::GET, "/user-invites/not-a-uuid"),
        (Method::PATCH, "/user-invites/123"),
        (Method::POST, "/user-invites/xyz/cancel"),
        (Method::POST, "/user-invites/xyz/resend"),
    ] {
        let body = (method == Method::PATCH).then(|| json!({ "userInvite": { "firstName": "X" } }));
        let p = problem(
            app.request(method.clone(), path, Some(&token), body).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "id", "{method} {path}: {p}");
    }
}

#[tokio::test]
async fn an_unknown_invite_is_a_404() {
    let app = spawn_app().await;
    let id = Uuid::new_v4();
    let token = app.user_token();
    problem(
        app.get(&format!("/user-invites/{id}"), Some(&token)).await,
        404,
        "NOT_FOUND",
    )
    .await;
    problem(
        app.post(&format!("/user-invites/{id}/cancel"), Some(&token), json!({}))
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    problem(
        app.post(&format!("/user-invites/{id}/resend"), Some(&token), json!({}))
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    problem(
        app.patch(
            &format!("/user-invites/{id}"),
            Some(&token),
            json!({ "userInvite": { "firstName": "X" } }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn a_user_may_not_list_another_tenant_but_may_name_their_own() {
    let app = spawn_app().await;
    app.invite("list-own@example.com").await;
    problem(
        app.get(
            &format!("/user-invites?tenantId={}", Uuid::new_v4()),
            Some(&app.user_token()),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.list(&format!("tenantId={}", app.tenant)).await["totalCount"], 1);
}

#[tokio::test]
async fn a_user_token_of_no_tenant_lists_nothing() {
    let app = spawn_app().await;
    app.invite("x@example.com").await;
    problem(
        app.get("/user-invites", Some(&app.token_for(app.user, None, false)))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
}
