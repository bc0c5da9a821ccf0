//! sendUserInvites: what is created, in what order, and what one request may and may not do.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{assert_no_secrets, json_of, problem, send_body, sent_emails, spawn_app, spawn_app_with};

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a timestamp string"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn a_send_returns_every_field_of_the_invite_and_mails_it() {
    let app = spawn_app().await;
    let response = app
        .send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "wick.john@gmail.com", "firstName": "John", "lastName": "Wick",
                     "locale": "en-us", "roles": ["content-creator"], "data": {"team": "a"} }]),
        )
        .await;
    let body = json_of(response, 200).await;
    assert_eq!(body["errors"], json!([]));
    let invite = &body["success"][0];
    assert!(Uuid::parse_str(invite["id"].as_str().unwrap()).is_ok());
    assert_eq!(invite["tenantId"], app.tenant.to_string());
    assert_eq!(invite["email"], "wick.john@gmail.com");
    assert_eq!(invite["firstName"], "John");
    assert_eq!(invite["lastName"], "Wick");
    assert_eq!(invite["locale"], "en-US", "the locale is normalized");
    assert_eq!(invite["roles"], json!(["content-creator"]));
    assert_eq!(invite["data"], json!({"team": "a"}));
    assert_eq!(invite["status"], "pending");
    assert_eq!(
        invite["emailStatus"], "queued",
        "the email is queued; the worker sends it"
    );
    assert_eq!(app.delivered(invite).await["emailStatus"], "sent");
    assert_eq!(invite["createdByUserId"], app.user.to_string());
    assert_eq!(invite["acceptedByUserId"], Value::Null);
    assert_eq!(invite["sendCount"], 1);
    let created = time(&invite["createdAt"]);
    assert_eq!(created, app.now());
    assert_eq!(time(&invite["updatedAt"]), created);
    assert_eq!(time(&invite["statusUpdatedAt"]), created);
    assert_eq!(time(&invite["lastSentAt"]), created);
    assert_eq!(time(&invite["expiresAt"]), created + Duration::days(7));
    assert!(invite.get("acceptUrl").is_none());
    assert_no_secrets(&body);

    assert_eq!(app.outbox().await.len(), 1);
    assert_eq!(app.mails_to("wick.john@gmail.com").await.len(), 1);
    // Stored as returned, but for the delivery the worker has since recorded.
    let mut fetched = app.fetch(&invite["id"]).await;
    assert_eq!(fetched["emailStatus"], "sent");
    fetched["emailStatus"] = invite["emailStatus"].clone();
    assert_eq!(&fetched, invite);
}

#[tokio::test]
async fn optional_fields_take_their_defaults() {
    let app = spawn_app().await;
    let invite = app.invite("plain@example.com").await;
    assert_eq!(invite["firstName"], Value::Null);
    assert_eq!(invite["lastName"], Value::Null);
    assert_eq!(invite["locale"], "en-US");
    assert_eq!(invite["roles"], json!([]));
    assert_eq!(invite["data"], json!({}));
}

#[tokio::test]
async fn the_email_is_stored_as_given_and_trimmed() {
    let app = spawn_app().await;
    let invite = app.invite("  Mixed.Case@Example.COM ").await;
    assert_eq!(invite["email"], "Mixed.Case@Example.COM");
    assert_eq!(app.mails_to("mixed.case@example.com").await.len(), 1);
}

#[tokio::test]
async fn many_invitees_succeed_in_request_order() {
    let app = spawn_app().await;
    let invitees: Vec<Value> = (0..12)
        .map(|i| json!({ "email": format!("person{i}@example.com") }))
        .collect();
    let body = json_of(app.send(&app.user_token(), app.tenant, json!(invitees)).await, 200).await;
    let emails = sent_emails(&body);
    let expected: Vec<String> = (0..12).map(|i| format!("person{i}@example.com")).collect();
    assert_eq!(emails, expected);
    assert_eq!(app.count().await, 12);
    assert_eq!(app.outbox().await.len(), 12);
}

#[tokio::test]
async fn one_bad_invitee_never_fails_the_others() {
    let app = spawn_app().await;
    let body = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([
                { "email": "good1@example.com" },
                { "email": "not-an-email" },
                { "email": "good2@example.com", "locale": "english" },
                { "email": "good3@example.com", "firstName": "x".repeat(101) },
                { "email": "good4@example.com", "roles": ["-bad"] },
                { "email": "good5@example.com" },
            ]),
        )
        .await,
        200,
    )
    .await;
    let ok = sent_emails(&body);
    assert_eq!(ok, ["good1@example.com", "good5@example.com"]);
    let errors = body["errors"].as_array().unwrap();
    let indexes: Vec<u64> = errors.iter().map(|e| e["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes, [1, 2, 3, 4]);
    for e in errors {
        assert_eq!(e["code"], "VALIDATION_FAILED", "{e}");
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(errors[0]["email"], "not-an-email");
    assert_eq!(errors[1]["email"], "good2@example.com");
    assert!(
        errors[1]["message"].as_str().unwrap().contains("locale"),
        "{}",
        errors[1]
    );
    assert!(errors[2]["message"].as_str().unwrap().contains("firstName"));
    assert!(errors[3]["message"].as_str().unwrap().contains("roles"));
    assert_eq!(app.count().await, 2);
    assert_eq!(app.outbox().await.len(), 2);
}

#[tokio::test]
async fn the_same_email_twice_in_one_request_keeps_the_first() {
    let app = spawn_app().await;
    let body = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "twice@example.com", "firstName": "First" },
                   { "email": "other@example.com" },
                   { "email": "TWICE@Example.com", "firstName": "Second" }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["success"].as_array().unwrap().len(), 2);
    assert_eq!(body["success"][0]["firstName"], "First");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1);
    assert_eq!(body["errors"][0]["index"], 2);
    assert_eq!(body["errors"][0]["email"], "TWICE@Example.com");
    assert_eq!(body["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
    assert_eq!(app.list("email=twice%40example.com").await["totalCount"], 1);
    assert_eq!(app.mails_to("twice@example.com").await.len(), 1);
}

#[tokio::test]
async fn a_pending_invite_blocks_another_for_the_same_email_in_any_case() {
    let app = spawn_app().await;
    let first = app.invite("dup@example.com").await;
    let body = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "Dup@EXAMPLE.com" }, { "email": "fresh@example.com" }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["success"].as_array().unwrap().len(), 1);
    assert_eq!(body["success"][0]["email"], "fresh@example.com");
    assert_eq!(body["errors"][0]["index"], 0);
    assert_eq!(body["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
    assert_eq!(body["errors"][0]["email"], "Dup@EXAMPLE.com");
    assert_eq!(app.mails_to("dup@example.com").await.len(), 1);
    let still = app.fetch(&first["id"]).await;
    assert_eq!(still["status"], "pending");
}

#[tokio::test]
async fn the_same_email_may_be_pending_in_two_tenants() {
    let app = spawn_app().await;
    app.invite("shared@example.com").await;
    let (tenant, token) = app.stranger_token();
    let body = json_of(
        app.send(&token, tenant, json!([{ "email": "shared@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(body["errors"], json!([]));
    assert_eq!(body["success"][0]["tenantId"], tenant.to_string());
    assert_eq!(app.mails_to("shared@example.com").await.len(), 2);
}

#[tokio::test]
async fn send_email_false_skips_the_mail_and_returns_the_link_once() {
    let app = spawn_app().await;
    let body = json_of(
        app.post(
            "/user-invites",
            Some(&app.user_token()),
            json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": "quiet@example.com" }] },
                    "sendEmail": false }),
        )
        .await,
        200,
    )
    .await;
    let invite = &body["success"][0];
    assert_eq!(invite["emailStatus"], "skipped");
    let url = invite["acceptUrl"].as_str().expect("acceptUrl is returned");
    assert!(url.starts_with("https://app.example.com/accept-invite?token="), "{url}");
    let token = url.split("token=").nth(1).unwrap();
    assert!(token.len() >= 43, "at least 256 bits: {token}");
    assert!(app.outbox().await.is_empty(), "no mail is written");

    let fetched = app.fetch(&invite["id"]).await;
    assert!(fetched.get("acceptUrl").is_none(), "{fetched}");
    assert_eq!(fetched["emailStatus"], "skipped");
    let listed = app.list("").await;
    assert!(listed["data"][0].get("acceptUrl").is_none());
    assert!(!listed.to_string().contains(token));

    assert_eq!(app.check(token).await["isValid"], true);
    let accepted = json_of(app.accept_as_anyone(token).await, 200).await;
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted.get("acceptUrl").is_none());
}

#[tokio::test]
async fn expires_in_days_sets_the_expiry() {
    let app = spawn_app().await;
    let mut body = send_body(app.tenant, json!([{ "email": "soon@example.com" }]));
    body["expiresInDays"] = json!(1);
    let sent = json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    let invite = &sent["success"][0];
    assert_eq!(
        time(&invite["expiresAt"]),
        time(&invite["createdAt"]) + Duration::days(1)
    );

    let mut body = send_body(app.tenant, json!([{ "email": "late@example.com" }]));
    body["expiresInDays"] = json!(30);
    let sent = json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    let invite = &sent["success"][0];
    assert_eq!(
        time(&invite["expiresAt"]),
        time(&invite["createdAt"]) + Duration::days(30)
    );

    // JSON does not tell 2 from 2.0 (nor does the spec's `integer`).
    let mut body = send_body(app.tenant, json!([{ "email": "float@example.com" }]));
    body["expiresInDays"] = json!(2.0);
    let sent = json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    let invite = &sent["success"][0];
    assert_eq!(
        time(&invite["expiresAt"]),
        time(&invite["createdAt"]) + Duration::days(2)
    );
}

#[tokio::test]
async fn expires_in_days_out_of_range_fails_the_whole_request() {
    let app = spawn_app().await;
    for days in [
        json!(0),
        json!(31),
        json!(-1),
        json!(7.5),
        json!(30.5),
        json!(31.0),
        json!("7"),
    ] {
        let mut body = send_body(app.tenant, json!([{ "email": "range@example.com" }]));
        body["expiresInDays"] = days.clone();
        let p = problem(
            app.post("/user-invites", Some(&app.user_token()), body).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "expiresInDays", "{days}: {p}");
    }
    assert_eq!(app.count().await, 0);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn the_default_expiry_is_configurable() {
    let app = spawn_app_with(&[("INVITES_DEFAULT_EXPIRY_DAYS", "3")]).await;
    let invite = app.invite("three@example.com").await;
    assert_eq!(
        time(&invite["expiresAt"]),
        time(&invite["createdAt"]) + Duration::days(3)
    );
}

#[tokio::test]
async fn more_than_100_invitees_is_too_large_and_creates_nothing() {
    let app = spawn_app().await;
    let invitees: Vec<Value> = (0..101)
        .map(|i| json!({ "email": format!("bulk{i}@example.com") }))
        .collect();
    problem(
        app.send(&app.user_token(), app.tenant, json!(invitees)).await,
        413,
        "PAYLOAD_TOO_LARGE",
    )
    .await;
    assert_eq!(app.count().await, 0);
    assert!(app.outbox().await.is_empty());

    let invitees: Vec<Value> = (0..100)
        .map(|i| json!({ "email": format!("bulk{i}@example.com") }))
        .collect();
    let body = json_of(app.send(&app.user_token(), app.tenant, json!(invitees)).await, 200).await;
    assert_eq!(body["success"].as_array().unwrap().len(), 100);
    assert_eq!(app.count().await, 100);
}

#[tokio::test]
async fn a_body_over_256_kib_is_too_large_and_creates_nothing() {
    let app = spawn_app().await;
    let body = json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [
        { "email": "huge@example.com", "data": { "pad": "x".repeat(300 * 1024) } } ] } });
    problem(
        app.post("/user-invites", Some(&app.user_token()), body).await,
        413,
        "PAYLOAD_TOO_LARGE",
    )
    .await;
    assert_eq!(app.count().await, 0);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_user_may_not_send_into_another_tenant() {
    let app = spawn_app().await;
    let other = Uuid::new_v4();
    problem(
        app.send(&app.user_token(), other, json!([{ "email": "x@example.com" }]))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
    let admin = app.super_admin_token();
    let listed = json_of(
        app.get(&format!("/user-invites?tenantId={other}"), Some(&admin)).await,
        200,
    )
    .await;
    assert_eq!(listed["totalCount"], 0);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_user_token_without_a_tenant_may_not_send() {
    let app = spawn_app().await;
    let token = app.token_for(app.user, None, false);
    problem(
        app.send(&token, app.tenant, json!([{ "email": "x@example.com" }]))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn created_by_another_user_is_forbidden_and_creates_nothing() {
    let app = spawn_app().await;
    problem(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "a@example.com" },
                   { "email": "b@example.com", "createdByUserId": Uuid::new_v4() }]),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.count().await, 0);
    assert!(app.outbox().await.is_empty());

    let own = app
        .invite_with(json!({ "email": "c@example.com", "createdByUserId": app.user }))
        .await;
    assert_eq!(own["createdByUserId"], app.user.to_string());
}

#[tokio::test]
async fn a_super_admin_may_send_into_any_tenant_for_anyone() {
    let app = spawn_app().await;
    let admin_id = Uuid::new_v4();
    let admin = app.token_for(admin_id, None, true);
    let creator = Uuid::new_v4();
    let body = json_of(
        app.send(
            &admin,
            app.tenant,
            json!([{ "email": "a@example.com", "createdByUserId": creator },
                   { "email": "b@example.com" }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["errors"], json!([]));
    assert_eq!(body["success"][0]["createdByUserId"], creator.to_string());
    assert_eq!(body["success"][0]["tenantId"], app.tenant.to_string());
    assert_eq!(body["success"][1]["createdByUserId"], admin_id.to_string());
    assert_eq!(app.count().await, 2, "the tenant's own users see them");
}
