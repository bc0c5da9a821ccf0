//! Hostile JSON: deep nesting, huge strings, bytes that are not UTF-8, unknown and repeated keys.

use reqwest::Method;
use serde_json::{Value, json};

use super::{assert_untouched, body_routes, error_for, padded_body, seeded};
use crate::helpers::{json_of, problem, send_body, spawn_app};

#[tokio::test]
async fn deeply_nested_json_is_a_400_and_the_server_stays_up() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    let depth = 10_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    // Nested where a value is expected, behind a valid envelope.
    let in_data = format!(
        r#"{{"userInvites":{{"tenantId":"{}","userInvites":[{{"email":"deep@example.com","data":{objects}}}]}}}}"#,
        app.tenant
    );
    for (method, path) in body_routes(invite["id"].as_str().unwrap()) {
        for body in [&arrays, &objects, &in_data] {
            app.refused_json(method.clone(), &path, Some(&user), body, "not valid JSON")
                .await;
        }
    }
    // Nesting that JSON parsing allows still stops at data's own limit of 5 levels.
    let mut data = json!(1);
    for _ in 0..100 {
        data = json!({ "a": data });
    }
    let body = json_of(
        app.send(
            &user,
            app.tenant,
            json!([{ "email": "deep@example.com", "data": data }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["success"], json!([]), "{body}");
    assert_eq!(body["errors"][0]["code"], "VALIDATION_FAILED");
    assert_untouched(&app, &invite, &token).await;
}

#[tokio::test]
async fn huge_strings_are_refused_and_not_stored() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    let huge = "x".repeat(200 * 1024);

    // Values of one invitee (together within the body limit): each fails alone.
    let body = json_of(
        app.send(
            &user,
            app.tenant,
            json!([
                { "email": format!("{}@example.com", &huge[..50_000]) },
                { "email": "h1@example.com", "firstName": &huge[..50_000] },
                { "email": "h2@example.com", "roles": [&huge[..50_000]] },
                { "email": "h3@example.com", "locale": &huge[..50_000] },
            ]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["success"], json!([]), "{body}");
    let failed: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["VALIDATION_FAILED"; 4], "{body}");

    // A huge key name, a huge token, a huge update.
    let id = invite["id"].as_str().unwrap();
    let cases: Vec<(Method, String, Value, String)> = vec![
        (
            Method::POST,
            "/user-invites".into(),
            json!({ &huge[..100_000]: 1 }),
            huge[..100_000].to_owned(),
        ),
        (
            Method::POST,
            "/user-invites/accept".into(),
            json!({ "acceptUserInvite": { "token": huge } }),
            "acceptUserInvite.token".into(),
        ),
        (
            Method::POST,
            "/user-invites/check-token".into(),
            json!({ "token": huge }),
            "token".into(),
        ),
        (
            Method::PATCH,
            format!("/user-invites/{id}"),
            json!({ "userInvite": { "lastName": huge } }),
            "userInvite.lastName".into(),
        ),
        (
            Method::PATCH,
            format!("/user-invites/{id}"),
            json!({ "userInvite": { "data": { "k": huge } } }),
            "userInvite.data".into(),
        ),
    ];
    for (method, path, body, field) in cases {
        let p = problem(
            app.request(method.clone(), &path, Some(&user), Some(body)).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        // A field name is quoted back clipped to 200 characters (the key may be huge).
        let quoted = match field.char_indices().nth(200) {
            Some((end, _)) => format!("{}…", &field[..end]),
            None => field.clone(),
        };
        assert!(error_for(&p, &quoted).is_some(), "{method} {path}: {p}");
    }

    // Huge values outside the body.
    let p = problem(
        app.get(&format!("/user-invites/{}", &huge[..10_000]), Some(&user))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "id");
    problem(
        app.get(&format!("/user-invites?email={}", &huge[..10_000]), Some(&user))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.send_with_key(
            &user,
            &huge[..10_000],
            &send_body(app.tenant, json!([{ "email": "k@example.com" }])),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.get("/user-invites", Some(&huge[..60_000])).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    assert_untouched(&app, &invite, &token).await;
}

#[tokio::test]
async fn bodies_that_are_not_utf8_json_are_a_400() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    let tenant = app.tenant.to_string();
    let send_with = |email: &[u8]| {
        let mut body = format!(r#"{{"userInvites":{{"tenantId":"{tenant}","userInvites":[{{"email":""#).into_bytes();
        body.extend_from_slice(email);
        body.extend_from_slice(br#""}]}}"#);
        body
    };
    let utf16: Vec<u8> = r#"{"token":"x"}"#.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let id = invite["id"].as_str().unwrap();
    let cases: Vec<(Method, String, Vec<u8>)> = vec![
        // Invalid UTF-8 inside a string: a lone continuation byte, an overlong NUL, a
        // truncated sequence, a surrogate encoded directly.
        (Method::POST, "/user-invites".into(), send_with(b"\xff\xfe@example.com")),
        (
            Method::POST,
            "/user-invites".into(),
            send_with(b"a\xc0\x80@example.com"),
        ),
        (
            Method::POST,
            "/user-invites".into(),
            send_with(b"a\xe2\x82@example.com"),
        ),
        (
            Method::POST,
            "/user-invites".into(),
            send_with(b"a\xed\xa0\x80@example.com"),
        ),
        // A lone surrogate escape is not a character either.
        (Method::POST, "/user-invites".into(), send_with(br"a\ud800@example.com")),
        (
            Method::PATCH,
            format!("/user-invites/{id}"),
            b"{\"userInvite\":{\"firstName\":\"\x80\x81\"}}".to_vec(),
        ),
        (
            Method::POST,
            "/user-invites/check-token".into(),
            b"{\"token\":\"\xff\"}".to_vec(),
        ),
        // Invalid UTF-8 outside strings, a byte-order mark, UTF-16.
        (Method::POST, "/user-invites/accept".into(), b"\xff\xff\xff".to_vec()),
        (
            Method::POST,
            format!("/user-invites/{id}/cancel"),
            b"\xef\xbb\xbf{}".to_vec(),
        ),
        (Method::POST, "/user-invites/check-token".into(), utf16),
    ];
    for (method, path, body) in cases {
        app.refused_json(method, &path, Some(&user), body, "not valid JSON")
            .await;
    }
    assert_untouched(&app, &invite, &token).await;
}

#[tokio::test]
async fn unknown_fields_at_every_level_are_a_400() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    let id = invite["id"].as_str().unwrap();
    let cases: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::POST,
            "/user-invites".into(),
            json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": "u@example.com" }],
                                     "sendEmail": false } }),
            "userInvites.sendEmail",
        ),
        (
            Method::POST,
            "/user-invites/accept".into(),
            json!({ "acceptUserInvite": { "token": token, "email": "u@example.com" } }),
            "acceptUserInvite.email",
        ),
        (
            Method::POST,
            "/user-invites/check-token".into(),
            json!({ "token": token, "acceptUserInvite": {} }),
            "acceptUserInvite",
        ),
        (
            Method::PATCH,
            format!("/user-invites/{id}"),
            json!({ "userInvite": { "firstName": "X" }, "sendEmail": true }),
            "sendEmail",
        ),
        (
            Method::PATCH,
            format!("/user-invites/{id}"),
            json!({ "userInvite": { "first_name": "X" } }),
            "userInvite.first_name",
        ),
        (
            Method::POST,
            format!("/user-invites/{id}/resend"),
            json!({ "send_email": false }),
            "send_email",
        ),
    ];
    for (method, path, body, field) in cases {
        let p = problem(
            app.request(method.clone(), &path, Some(&user), Some(body)).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        let error = error_for(&p, field).unwrap_or_else(|| panic!("{method} {path}: {field} not listed: {p}"));
        assert_eq!(error["message"], "is not a known field", "{p}");
    }
    assert_untouched(&app, &invite, &token).await;
}

#[tokio::test]
async fn a_key_named_twice_in_one_object_is_a_400_on_every_body_route() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    let tenant = app.tenant.to_string();
    let id = invite["id"].as_str().unwrap();
    // Each body would pass if the repeated key were read once, either way: a parser that
    // kept the first or the last value would act on it.
    let cases: Vec<(Method, String, String)> = vec![
        (
            Method::POST,
            "/user-invites".into(),
            format!(
                r#"{{"userInvites":{{"tenantId":"{tenant}","userInvites":[{{"email":"new@example.com","roles":["admin"],"roles":[]}}]}},"sendEmail":false}}"#
            ),
        ),
        (
            Method::POST,
            "/user-invites".into(),
            format!(
                r#"{{"userInvites":{{"tenantId":"{tenant}","tenantId":"{tenant}","userInvites":[{{"email":"new@example.com"}}]}}}}"#
            ),
        ),
        (
            Method::PATCH,
            format!("/user-invites/{id}"),
            r#"{"userInvite":{"firstName":"A","firstName":"B"}}"#.into(),
        ),
        (
            Method::POST,
            format!("/user-invites/{id}/resend"),
            r#"{"sendEmail":false,"sendEmail":false}"#.into(),
        ),
        (
            Method::POST,
            format!("/user-invites/{id}/cancel"),
            r#"{"a":1,"a":1}"#.into(),
        ),
        (
            Method::POST,
            "/user-invites/check-token".into(),
            format!(r#"{{"token":"{token}","token":"{token}"}}"#),
        ),
        (
            Method::POST,
            "/user-invites/accept".into(),
            format!(r#"{{"acceptUserInvite":{{"token":"{token}","token":"{token}"}}}}"#),
        ),
    ];
    for (method, path, body) in cases {
        app.refused_json(method, &path, Some(&user), body, "appears twice")
            .await;
    }
    assert_untouched(&app, &invite, &token).await;
}

#[tokio::test]
async fn a_request_that_is_refused_early_leaves_the_server_serving() {
    let app = spawn_app().await;
    let user = app.user_token();
    // A burst of hostile requests of every kind, then ordinary work goes on.
    for _ in 0..3 {
        let deep = "[".repeat(50_000);
        problem(
            app.raw(Method::POST, "/user-invites", Some(&user), deep, "application/json")
                .await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        problem(
            app.raw(
                Method::POST,
                "/user-invites/check-token",
                None,
                padded_body(300 * 1024),
                "application/json",
            )
            .await,
            413,
            "PAYLOAD_TOO_LARGE",
        )
        .await;
    }
    let invite = app.invite("after@example.com").await;
    assert_eq!(invite["status"], "pending");
    assert_eq!(app.count().await, 1);
}
