//! The request's shape: a fault there fails the whole request with 400, lists every bad
//! field by its JSON path, and creates nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, invalid_indexes, json_of, problem, send_body, sent_emails, spawn_app, unknown_token_answer,
};

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

fn message_of<'a>(problem: &'a Value, field: &str) -> &'a str {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error for {field}: {problem}"))["message"]
        .as_str()
        .unwrap()
}

async fn rejected_send(app: &TestApp, body: Value) -> Value {
    let p = problem(
        app.post("/user-invites", Some(&app.user_token()), body).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(app.count().await, 0, "nothing is created: {p}");
    assert!(app.outbox().await.is_empty(), "nothing is sent: {p}");
    p
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    for raw in ["{", "not json", "{\"userInvites\": }", "[1,2"] {
        let p = problem(
            app.raw(
                Method::POST,
                "/user-invites",
                Some(&app.user_token()),
                raw.to_owned(),
                "application/json",
            )
            .await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(!p["errors"].as_array().unwrap().is_empty(), "{raw}: {p}");
    }
    problem(
        app.raw(
            Method::POST,
            "/user-invites",
            Some(&app.user_token()),
            "",
            "application/json",
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_a_400() {
    let app = spawn_app().await;
    for body in [json!([]), json!("x"), json!(1), json!(null)] {
        rejected_send(&app, body).await;
    }
}

#[tokio::test]
async fn missing_envelope_fields_are_listed() {
    let app = spawn_app().await;
    let p = rejected_send(&app, json!({})).await;
    assert_eq!(fields(&p), ["userInvites"]);
    assert_eq!(message_of(&p, "userInvites"), "is required");

    let p = rejected_send(&app, json!({ "userInvites": {} })).await;
    let f = fields(&p);
    assert!(f.contains(&"userInvites.tenantId".to_owned()), "{p}");
    assert!(f.contains(&"userInvites.userInvites".to_owned()), "{p}");
}

#[tokio::test]
async fn an_empty_invitee_list_is_a_400() {
    let app = spawn_app().await;
    let p = rejected_send(&app, send_body(app.tenant, json!([]))).await;
    assert_eq!(fields(&p), ["userInvites.userInvites"]);
}

#[tokio::test]
async fn a_bad_tenant_id_is_a_400() {
    let app = spawn_app().await;
    let p = rejected_send(
        &app,
        json!({ "userInvites": { "tenantId": "not-a-uuid", "userInvites": [{ "email": "a@example.com" }] } }),
    )
    .await;
    assert_eq!(fields(&p), ["userInvites.tenantId"]);
}

#[tokio::test]
async fn every_bad_field_of_every_invitee_is_listed_at_once() {
    let app = spawn_app().await;
    let p = rejected_send(
        &app,
        json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [
            { "email": "ok@example.com" },
            { "email": "a@example.com", "status": "accepted" },
            { "firstName": "No Email" },
            { "email": "b@example.com", "firstName": 5, "roles": "admin", "data": [1] },
            { "email": "c@example.com", "nickname": "x" },
            { "email": "d@example.com", "id": "9b1f0a5e-8c53-4b5e-9b4d-1a2b3c4d5e6f" },
            "just a string",
            { "email": "not-an-email" }
        ] }, "sendEmail": "yes", "extra": true }),
    )
    .await;
    let f = fields(&p);
    for expected in [
        "userInvites.userInvites[1].status",
        "userInvites.userInvites[2].email",
        "userInvites.userInvites[3].firstName",
        "userInvites.userInvites[3].roles",
        "userInvites.userInvites[3].data",
        "userInvites.userInvites[4].nickname",
        "userInvites.userInvites[5].id",
        "userInvites.userInvites[6]",
        "userInvites.userInvites[7].email",
        "sendEmail",
        "extra",
    ] {
        assert!(f.contains(&expected.to_owned()), "{expected} missing: {p}");
    }
    assert!(
        !f.iter().any(|f| f.starts_with("userInvites.userInvites[0]")),
        "the good invitee is not listed: {p}"
    );
    assert_eq!(message_of(&p, "userInvites.userInvites[1].status"), "is read-only");
    assert_eq!(message_of(&p, "userInvites.userInvites[5].id"), "is read-only");
    assert_eq!(message_of(&p, "userInvites.userInvites[2].email"), "is required");
    assert_eq!(
        message_of(&p, "userInvites.userInvites[4].nickname"),
        "is not a known field"
    );
}

#[tokio::test]
async fn every_read_only_field_on_an_invitee_is_refused() {
    let app = spawn_app().await;
    for field in [
        "id",
        "tenantId",
        "status",
        "emailStatus",
        "acceptedByUserId",
        "createdAt",
        "updatedAt",
        "expiresAt",
        "sendCount",
        "token",
        "acceptUrl",
    ] {
        let mut invitee = json!({ "email": "ro@example.com" });
        invitee[field] = json!("x");
        let p = rejected_send(&app, send_body(app.tenant, json!([invitee]))).await;
        let path = format!("userInvites.userInvites[0].{field}");
        assert_eq!(message_of(&p, &path), "is read-only", "{field}");
    }
}

#[tokio::test]
async fn a_wrong_json_type_for_any_invitee_field_is_a_400() {
    let app = spawn_app().await;
    for (field, value) in [
        ("email", json!(42)),
        ("lastName", json!(["x"])),
        ("locale", json!(true)),
        ("roles", json!([1])),
        ("data", json!("x")),
        ("createdByUserId", json!(7)),
    ] {
        let mut invitee = json!({ "email": "t@example.com" });
        invitee[field] = value;
        let p = rejected_send(
            &app,
            send_body(app.tenant, json!([invitee, { "email": "u@example.com" }])),
        )
        .await;
        assert!(
            fields(&p)[0].starts_with(&format!("userInvites.userInvites[0].{field}")),
            "{field}: {p}"
        );
    }
}

#[tokio::test]
async fn values_at_their_limits_pass_and_past_them_fail_only_that_invitee() {
    // Twenty roles of any name: a super admin may grant them all (the role policy).
    let app = spawn_app().await;
    let admin = app.super_admin_token();
    let twenty: Vec<String> = (0..20).map(|i| format!("role-{i}")).collect();
    let twenty_one: Vec<String> = (0..21).map(|i| format!("role-{i}")).collect();
    let deep_ok = json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
    let too_deep = json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}});
    let long_local = format!("{}@example.com", "a".repeat(64));
    let body = json_of(
        app.send(
            &admin,
            app.tenant,
            json!([
                { "email": "l0@example.com", "firstName": "é".repeat(100), "lastName": "x".repeat(100) },
                { "email": "l1@example.com", "firstName": "é".repeat(101) },
                { "email": "l2@example.com", "roles": twenty },
                { "email": "l3@example.com", "roles": twenty_one },
                { "email": "l4@example.com", "roles": ["admin", "admin"] },
                { "email": "l5@example.com", "roles": ["a".repeat(65)] },
                { "email": "l6@example.com", "data": deep_ok },
                { "email": "l7@example.com", "data": too_deep },
                { "email": "l8@example.com", "data": { "big": "x".repeat(9000) } },
                { "email": "l9@example.com", "locale": "zh-Hant-TW" },
                { "email": "l10@example.com", "locale": "en_us_x" },
                { "email": "l11@example.com", "createdByUserId": "nope" },
                { "email": "john@localhost" },
                { "email": long_local },
                { "email": "John <john@example.com>" },
            ]),
        )
        .await,
        200,
    )
    .await;
    let ok = sent_emails(&body);
    assert_eq!(
        ok,
        [
            "l0@example.com",
            "l2@example.com",
            "l6@example.com",
            "l9@example.com",
            long_local.as_str()
        ]
    );
    let failed = invalid_indexes(&body);
    assert_eq!(failed, [1, 3, 4, 5, 7, 8, 10, 11, 12, 14]);
    assert_eq!(body["success"][3]["locale"], "zh-Hant-TW");
    assert_eq!(app.count().await, 5);
}

#[tokio::test]
async fn names_are_limited_as_given_then_trimmed() {
    let app = spawn_app().await;
    let body = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([
                { "email": "n0@example.com", "firstName": format!(" {}", "a".repeat(100)) },
                { "email": "n1@example.com", "lastName": "\tWick" },
                { "email": "n2@example.com", "firstName": format!(" {} ", "a".repeat(98)) },
            ]),
        )
        .await,
        200,
    )
    .await;
    let failed: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(failed, [(0, "VALIDATION_FAILED"), (1, "VALIDATION_FAILED")], "{body}");
    assert_eq!(body["success"][0]["firstName"], "a".repeat(98));

    let id = body["success"][0]["id"].as_str().unwrap();
    let p = problem(
        app.patch(
            &format!("/user-invites/{id}"),
            Some(&app.user_token()),
            json!({ "userInvite": { "firstName": "John\n" } }),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["userInvite.firstName"]);
}

#[tokio::test]
async fn a_blank_name_is_no_name() {
    let app = spawn_app().await;
    let invite = app
        .invite_with(json!({ "email": "blank@example.com", "firstName": "   ", "lastName": " Wick " }))
        .await;
    assert_eq!(invite["firstName"], Value::Null);
    assert_eq!(invite["lastName"], "Wick");
}

#[tokio::test]
async fn an_unknown_route_or_method_is_refused() {
    let app = spawn_app().await;
    problem(app.get("/users", Some(&app.user_token())).await, 404, "NOT_FOUND").await;
    let response = app
        .request(Method::DELETE, "/user-invites/accept", Some(&app.user_token()), None)
        .await;
    let allow = response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned());
    problem(response, 405, "METHOD_NOT_ALLOWED").await;
    assert_eq!(allow.as_deref(), Some("POST"));
}

#[tokio::test]
async fn accept_and_check_token_bodies_are_validated() {
    let app = spawn_app().await;
    let p = problem(
        app.post("/user-invites/accept", Some(&app.user_token()), json!({ "token": "x" }))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let f = fields(&p);
    assert!(
        f.contains(&"token".to_owned()) && f.contains(&"acceptUserInvite".to_owned()),
        "{p}"
    );

    let p = problem(
        app.post(
            "/user-invites/accept",
            Some(&app.user_token()),
            json!({ "acceptUserInvite": { "token": "", "acceptedByUserId": "nope" } }),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let f = fields(&p);
    assert!(f.contains(&"acceptUserInvite.token".to_owned()), "{p}");
    assert!(f.contains(&"acceptUserInvite.acceptedByUserId".to_owned()), "{p}");

    let p = problem(
        app.post("/user-invites/check-token", None, json!({ "token": 5 })).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["token"]);
    let p = problem(
        app.post("/user-invites/check-token", None, json!({ "token": "x".repeat(513) }))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["token"]);
    // 512 characters is the limit, however many bytes they take.
    assert_eq!(app.check(&"é".repeat(512)).await, unknown_token_answer());
    problem(
        app.post("/user-invites/check-token", None, json!({ "token": "é".repeat(513) }))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.raw(Method::POST, "/user-invites/check-token", None, "{", "application/json")
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
}

#[tokio::test]
async fn resend_and_cancel_bodies_are_validated() {
    let app = spawn_app().await;
    let invite = app.invite("body@example.com").await;
    let p = problem(
        app.cancel_with(&invite["id"], json!({ "reason": "x" })).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["reason"]);
    let p = problem(
        app.resend(&invite["id"], json!({ "expiresInDays": 0, "force": true }))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let f = fields(&p);
    assert!(
        f.contains(&"expiresInDays".to_owned()) && f.contains(&"force".to_owned()),
        "{p}"
    );
    let fetched = app.fetch(&invite["id"]).await;
    assert_eq!(fetched["status"], "pending");
    assert_eq!(fetched["sendCount"], 1);

    // An empty body means "no options".
    let path = format!("/user-invites/{}/resend", invite["id"].as_str().unwrap());
    let resent = json_of(
        app.raw(Method::POST, &path, Some(&app.user_token()), "", "application/json")
            .await,
        200,
    )
    .await;
    assert_eq!(resent["sendCount"], 2);

    // Whitespace alone is not "no body" but malformed JSON, on resend and cancel alike
    // (Schemathesis found `\r` accepted as `{}`), and it changes nothing.
    for body in ["\r", " ", "\n\t"] {
        for action in ["resend", "cancel"] {
            let path = format!("/user-invites/{}/{action}", invite["id"].as_str().unwrap());
            app.refused_json(Method::POST, &path, Some(&app.user_token()), body, "not valid JSON")
                .await;
        }
    }
    let fetched = app.fetch(&invite["id"]).await;
    assert_eq!(fetched["status"], "pending");
    assert_eq!(fetched["sendCount"], 2);
}
