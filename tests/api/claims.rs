//! Claim mapping: the caller's user id, tenant, roles, super-admin mark and name are
//! read from the claims the configuration names (Cognito's, Auth0's namespaced ones),
//! and a mapped claim of the wrong type refuses the token.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, problem, spawn_app, spawn_app_with};

fn in_an_hour() -> i64 {
    (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp()
}

const COGNITO: [(&str, &str); 3] = [
    ("INVITES_CLAIM_TENANT", "custom:tenant_id"),
    ("INVITES_CLAIM_ROLES", "cognito:groups"),
    ("INVITES_CLAIM_SUPER_ADMIN", "cognito:groups=platform-admins"),
];

async fn list_tenant(app: &TestApp, token: &str, tenant: Uuid) -> reqwest::Response {
    app.get(&format!("/user-invites?tenantId={tenant}"), Some(token)).await
}

#[tokio::test]
async fn cognito_claims_name_the_tenant_and_a_group_makes_a_super_admin() {
    let app = spawn_app_with(&COGNITO).await;
    let member = app.sign(&json!({
        "sub": app.user, "custom:tenant_id": app.tenant, "cognito:groups": ["editors"], "exp": in_an_hour()
    }));
    json_of(
        app.send(&member, app.tenant, json!([{ "email": "cognito@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(
        json_of(list_tenant(&app, &member, app.tenant).await, 200).await["totalCount"],
        1
    );

    // In the platform-admins group, with no tenant of its own: any tenant's invites.
    let admin = app.sign(&json!({
        "sub": Uuid::new_v4(), "cognito:groups": ["editors", "platform-admins"], "exp": in_an_hour()
    }));
    assert_eq!(
        json_of(list_tenant(&app, &admin, app.tenant).await, 200).await["totalCount"],
        1
    );

    // Today's claim names mean nothing under the mapping: no tenant, not an admin.
    let unmapped = app.sign(&json!({
        "sub": app.user, "tenantId": app.tenant, "superAdmin": true, "exp": in_an_hour()
    }));
    problem(list_tenant(&app, &unmapped, app.tenant).await, 403, "FORBIDDEN").await;
    let outsider = app.sign(&json!({
        "sub": Uuid::new_v4(), "custom:tenant_id": Uuid::new_v4(), "cognito:groups": ["admins"], "exp": in_an_hour()
    }));
    problem(list_tenant(&app, &outsider, app.tenant).await, 403, "FORBIDDEN").await;
}

#[tokio::test]
async fn a_mapped_claim_of_the_wrong_type_is_401() {
    let app = spawn_app_with(&[("INVITES_CLAIM_NAME", "given_name"), COGNITO[0], COGNITO[1], COGNITO[2]]).await;
    let base = json!({ "sub": app.user, "custom:tenant_id": app.tenant, "exp": in_an_hour() });
    let with = |claim: &str, value: Value| {
        let mut claims = base.clone();
        claims[claim] = value;
        app.sign(&claims)
    };
    assert_eq!(list_tenant(&app, &app.sign(&base), app.tenant).await.status(), 200);
    assert_eq!(
        list_tenant(&app, &with("given_name", json!("Ada")), app.tenant)
            .await
            .status(),
        200
    );
    for (claim, value) in [
        ("cognito:groups", json!("platform-admins")),
        ("cognito:groups", json!([1, 2])),
        ("custom:tenant_id", json!(42)),
        ("custom:tenant_id", json!("acme")),
        ("given_name", json!({ "first": "Ada" })),
        ("given_name", json!(["Ada"])),
    ] {
        let p = problem(
            list_tenant(&app, &with(claim, value.clone()), app.tenant).await,
            401,
            "UNAUTHENTICATED",
        )
        .await;
        assert_eq!(p["status"], 401, "{claim}: {value}");
    }
    // The default roles claim is strict too.
    let app = spawn_app_with(&[]).await;
    let token = app.sign(&json!({ "sub": app.user, "tenantId": app.tenant, "roles": "owner", "exp": in_an_hour() }));
    problem(app.get("/user-invites", Some(&token)).await, 401, "UNAUTHENTICATED").await;
    let token = app.sign(
        &json!({ "sub": app.user, "tenantId": app.tenant, "roles": ["owner"], "name": "Ada", "exp": in_an_hour() }),
    );
    assert_eq!(app.get("/user-invites", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn auth0_namespaced_claims_carry_the_user_id_when_sub_is_not_a_uuid() {
    const NS: &str = "https://invites.example.com/";
    let (user_id, tenant, roles) = (format!("{NS}user_id"), format!("{NS}tenant_id"), format!("{NS}roles"));
    let admin_rule = format!("{roles}=platform-admins");
    let app = spawn_app_with(&[
        ("INVITES_CLAIM_USER_ID", user_id.as_str()),
        ("INVITES_CLAIM_TENANT", tenant.as_str()),
        ("INVITES_CLAIM_ROLES", roles.as_str()),
        ("INVITES_CLAIM_SUPER_ADMIN", admin_rule.as_str()),
    ])
    .await;
    let caller = Uuid::new_v4();
    let token = app.sign(&json!({
        "sub": "auth0|64f1c2d3e4a5b6c7d8e9f0a1", (user_id.clone()): caller, (tenant.clone()): app.tenant,
        (roles.clone()): ["editor"], "exp": in_an_hour()
    }));
    let sent = json_of(
        app.send(&token, app.tenant, json!([{ "email": "auth0@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(sent["success"][0]["createdByUserId"], caller.to_string());

    let admin = app.sign(&json!({
        "sub": "auth0|admin", (user_id.clone()): Uuid::new_v4(), (roles.clone()): ["platform-admins"], "exp": in_an_hour()
    }));
    assert_eq!(
        json_of(list_tenant(&app, &admin, app.tenant).await, 200).await["totalCount"],
        1
    );
    // Without the namespaced id, `sub` is not a UUID: refused.
    let bare = app.sign(&json!({ "sub": "auth0|64f1", (tenant.clone()): app.tenant, "exp": in_an_hour() }));
    problem(list_tenant(&app, &bare, app.tenant).await, 401, "UNAUTHENTICATED").await;
}

#[tokio::test]
async fn the_senders_name_claim_is_the_invites_created_by_name_when_it_is_a_name() {
    let app = spawn_app().await;
    let exp = (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp();
    let named = |name: &str| {
        app.sign(&json!({ "sub": app.user, "tenantId": app.tenant, "exp": exp, "name": name, "roles": [] }))
    };
    let quiet = |email: &str| json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": email }] }, "sendEmail": false });
    for (name, email, shown) in [
        ("Alice Admin", "named@example.com", json!("Alice Admin")),
        ("  Bob  ", "trimmed@example.com", json!("Bob")),
        ("see https://evil.example", "linked@example.com", json!(null)),
        ("bell\u{7}", "control@example.com", json!(null)),
    ] {
        let sent = json_of(app.post("/user-invites", Some(&named(name)), quiet(email)).await, 200).await;
        let invite = &sent["success"][0];
        assert_eq!(invite["createdByName"], shown, "{name:?}: {sent}");
        let url = reqwest::Url::parse(invite["acceptUrl"].as_str().unwrap()).unwrap();
        let token = url.query_pairs().find(|(k, _)| k == "token").unwrap().1.into_owned();
        assert_eq!(app.check(&token).await["createdByName"], shown, "{name:?}");
    }
    // Without a name claim, none.
    let sent = json_of(
        app.post("/user-invites", Some(&app.user_token()), quiet("bare@example.com"))
            .await,
        200,
    )
    .await;
    assert_eq!(sent["success"][0]["createdByName"], json!(null));
}
