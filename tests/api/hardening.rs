//! Hardening: who may do what (the whole operation × caller matrix), mass assignment,
//! and hostile bodies. Every refusal is a clear 4xx problem+json, and nothing is stored.
//!
//! Size limits already covered elsewhere: 101 invitees (send.rs), a declared body over
//! 256 KiB on send (send.rs), over-long tokens and search terms (validation.rs, list.rs).

use std::fmt;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, problem, send_body, spawn_app};

// ---------------------------------------------------------------------------------
// The authorization matrix
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Caller {
    /// No Authorization header at all.
    NoToken,
    /// A token claiming to be a super admin of the owner's tenant, signed with another key.
    Forged,
    /// A user of another tenant.
    OtherTenant,
    /// A user of the invite's tenant.
    Owner,
    /// A super admin (a token of no tenant).
    SuperAdmin,
}

const CALLERS: [Caller; 5] = [
    Caller::NoToken,
    Caller::Forged,
    Caller::OtherTenant,
    Caller::Owner,
    Caller::SuperAdmin,
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Send,
    Resend,
    Cancel,
    Accept,
    CheckToken,
    Update,
    List,
    Get,
}

/// What each caller gets, on a pending invite of the owner's tenant (send and list
/// name that tenant explicitly). Columns in the order of [`CALLERS`].
#[rustfmt::skip]
const MATRIX: [(Op, [u16; 5]); 8] = [
    //                  no token  forged  other tenant  owner  super admin
    (Op::Send,         [401,      401,    403,          200,   200]),
    (Op::Resend,       [401,      401,    404,          200,   200]),
    (Op::Cancel,       [401,      401,    404,          200,   200]),
    // The invite token is the credential: a user of any tenant accepts for themselves.
    (Op::Accept,       [401,      401,    200,          200,   200]),
    // No JWT is needed, and a bad one is ignored.
    (Op::CheckToken,   [200,      200,    200,          200,   200]),
    (Op::Update,       [401,      401,    404,          200,   200]),
    (Op::List,         [401,      401,    403,          200,   200]),
    (Op::Get,          [401,      401,    404,          200,   200]),
];

fn code_for(status: u16) -> &'static str {
    match status {
        401 => "UNAUTHENTICATED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        other => panic!("no refusal code for {other}"),
    }
}

struct Cell {
    op: Op,
    caller: Caller,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} as {:?}", self.op, self.caller)
    }
}

/// The token a caller presents, and the user id it names (if any).
fn credentials(app: &TestApp, caller: Caller) -> (Option<String>, Option<Uuid>) {
    let exp = (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp();
    match caller {
        Caller::NoToken => (None, None),
        Caller::Forged => {
            let claims = json!({ "sub": app.user, "tenantId": app.tenant, "superAdmin": true, "exp": exp });
            let token = jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                &claims,
                &EncodingKey::from_secret(b"not-the-servers-secret"),
            )
            .unwrap();
            (Some(token), Some(app.user))
        }
        Caller::OtherTenant => {
            let user = Uuid::new_v4();
            (Some(app.token_for(user, Some(Uuid::new_v4()), false)), Some(user))
        }
        Caller::Owner => (Some(app.user_token()), Some(app.user)),
        Caller::SuperAdmin => {
            let user = Uuid::new_v4();
            (Some(app.token_for(user, None, true)), Some(user))
        }
    }
}

/// Runs one cell on a fresh pending invite; returns a description of what went wrong.
async fn run_cell(app: &TestApp, cell: &Cell, expected: u16, n: usize) -> Result<(), String> {
    let email = format!("matrix-{n}@example.com");
    let invite = app.invite(&email).await;
    let invite_token = app.tokens_to(&email).await.remove(0);
    let id = invite["id"].as_str().unwrap().to_owned();
    let count_before = app.count().await;
    let (token, user) = credentials(app, cell.caller);
    let token = token.as_deref();

    let new_email = format!("matrix-new-{n}@example.com");
    let response: Response = match cell.op {
        Op::Send => {
            app.post(
                "/user-invites",
                token,
                send_body(app.tenant, json!([{ "email": new_email }])),
            )
            .await
        }
        Op::Resend => app.post(&format!("/user-invites/{id}/resend"), token, json!({})).await,
        Op::Cancel => app.post(&format!("/user-invites/{id}/cancel"), token, json!({})).await,
        Op::Accept => {
            app.post(
                "/user-invites/accept",
                token,
                json!({ "acceptUserInvite": { "token": invite_token } }),
            )
            .await
        }
        Op::CheckToken => {
            app.post("/user-invites/check-token", token, json!({ "token": invite_token }))
                .await
        }
        Op::Update => {
            app.patch(
                &format!("/user-invites/{id}"),
                token,
                json!({ "userInvite": { "firstName": "Changed" } }),
            )
            .await
        }
        Op::List => {
            let query = format!("tenantId={}&email={}", app.tenant, email.replace('@', "%40"));
            app.get(&format!("/user-invites?{query}"), token).await
        }
        Op::Get => app.get(&format!("/user-invites/{id}"), token).await,
    };
    let status = response.status().as_u16();
    if status != expected {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("{cell}: expected {expected}, got {status}: {}", brief(&body)));
    }
    let after = app.fetch(&invite["id"]).await;
    let count_after = app.count().await;
    let mails = app.mails_to(&email).await.len();

    if expected >= 400 {
        let p = problem(response, expected, code_for(expected)).await;
        if p.to_string().contains(&invite_token) {
            return Err(format!("{cell}: the refusal echoes the invite token"));
        }
        // A refusal changes nothing and sends nothing.
        if after != invite {
            return Err(format!("{cell}: refused, yet the invite changed: {after}"));
        }
        if count_after != count_before || !app.mails_to(&new_email).await.is_empty() {
            return Err(format!("{cell}: refused, yet an invite was created"));
        }
        if mails != 1 {
            return Err(format!("{cell}: refused, yet {mails} mails went out"));
        }
        return Ok(());
    }

    let body = json_of(response, 200).await;
    let ok = match cell.op {
        Op::Send => {
            body["success"][0]["email"] == new_email.as_str()
                && count_after == count_before + 1
                && after == invite
                && app.mails_to(&new_email).await.len() == 1
        }
        Op::Resend => after["sendCount"] == 2 && mails == 2 && body["id"] == invite["id"],
        Op::Cancel => after["status"] == "canceled" && body["status"] == "canceled",
        Op::Accept => {
            after["status"] == "accepted"
                && match cell.caller {
                    // A super admin naming no one records a new user id.
                    Caller::SuperAdmin => {
                        after["acceptedByUserId"].is_string() && after["acceptedByUserId"] != json!(user.unwrap())
                    }
                    _ => after["acceptedByUserId"] == json!(user.unwrap()),
                }
        }
        Op::CheckToken => body == json!({ "isValid": true, "isExpired": false, "email": email }) && after == invite,
        Op::Update => after["firstName"] == "Changed" && body["firstName"] == "Changed",
        Op::List => body["totalCount"] == 1 && body["data"][0] == invite && after == invite,
        Op::Get => body == invite && after == invite,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{cell}: allowed, but the effect is wrong: {}; stored: {}",
            brief(&body.to_string()),
            brief(&after.to_string())
        ))
    }
}

/// The start of a long body, for a failure message.
fn brief(text: &str) -> String {
    text.chars().take(300).collect()
}

#[tokio::test]
async fn every_operation_answers_every_kind_of_caller_as_the_matrix_says() {
    let app = spawn_app().await;
    let mut failures = Vec::new();
    let mut n = 0;
    for (op, row) in MATRIX {
        for (caller, expected) in CALLERS.into_iter().zip(row) {
            n += 1;
            if let Err(failure) = run_cell(&app, &Cell { op, caller }, expected, n).await {
                failures.push(failure);
            }
        }
    }
    assert_eq!(n, 40, "the matrix covers 8 operations × 5 callers");
    assert!(
        failures.is_empty(),
        "{} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------
// Mass assignment
// ---------------------------------------------------------------------------------

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

fn error_for<'a>(problem: &'a Value, field: &str) -> Option<&'a Value> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
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

// ---------------------------------------------------------------------------------
// Hostile bodies
// ---------------------------------------------------------------------------------

/// Every route that reads a body, for an existing invite: (method, path, needs a JWT).
fn body_routes(id: &str) -> Vec<(Method, String)> {
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
async fn seeded(app: &TestApp) -> (Value, String) {
    let invite = app.invite("seed@example.com").await;
    let token = app.tokens_to("seed@example.com").await.remove(0);
    (invite, token)
}

async fn assert_untouched(app: &TestApp, invite: &Value, token: &str) {
    assert_eq!(app.count().await, 1, "nothing new was stored");
    assert_eq!(&app.fetch(&invite["id"]).await, invite, "the invite did not change");
    assert_eq!(app.outbox().await.len(), 1, "nothing was sent");
    assert_eq!(app.check(token).await["isValid"], true);
}

/// A JSON object of exactly `size` bytes: `{"pad":"xxx…"}`.
fn padded_body(size: usize) -> String {
    let overhead = r#"{"pad":""}"#.len();
    format!(r#"{{"pad":"{}"}}"#, "x".repeat(size - overhead))
}

#[tokio::test]
async fn a_body_over_256_kib_is_413_on_every_route_and_256_kib_is_read() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    for (method, path) in body_routes(invite["id"].as_str().unwrap()) {
        for caller in [Some(user.as_str()), None] {
            let too_big = padded_body(256 * 1024 + 1);
            problem(
                app.raw(method.clone(), &path, caller, too_big, "application/json")
                    .await,
                413,
                "PAYLOAD_TOO_LARGE",
            )
            .await;
        }
        // At the limit the body is read, and refused for what it says.
        let response = app
            .raw(
                method.clone(),
                &path,
                Some(&user),
                padded_body(256 * 1024),
                "application/json",
            )
            .await;
        let p = problem(response, 400, "VALIDATION_FAILED").await;
        assert!(error_for(&p, "pad").is_some(), "{method} {path}: {p}");
    }
    assert_untouched(&app, &invite, &token).await;
}

/// Sends a request with a chunked body (no Content-Length) over a raw connection and
/// returns the status line and the rest of the response.
async fn chunked_request(app: &TestApp, path: &str, token: &str, body: &[u8]) -> (u16, String) {
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for chunk in body.chunks(16 * 1024) {
        request.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend(chunk);
        request.extend(b"\r\n");
    }
    request.extend(b"0\r\n\r\n");
    let (mut reader, mut writer) = stream.split();
    // The server may answer before it has read everything: write and read at once.
    let write = async {
        let _ = writer.write_all(&request).await;
        let _ = writer.flush().await;
    };
    let read = async {
        let mut response = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => response.extend_from_slice(&buffer[..n]),
            }
            let text = String::from_utf8_lossy(&response);
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length: ")
                            .map(str::to_owned)
                    })
                    .and_then(|l| l.trim().parse::<usize>().ok());
                if length.is_some_and(|l| rest.len() >= l) {
                    break;
                }
            }
        }
        String::from_utf8_lossy(&response).into_owned()
    };
    let ((), response) = tokio::join!(write, read);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {response:?}"));
    (status, response)
}

#[tokio::test]
async fn a_chunked_body_over_256_kib_is_413_without_a_content_length() {
    let app = spawn_app().await;
    let (invite, token) = seeded(&app).await;
    let user = app.user_token();
    let body = serde_json::to_vec(&send_body(
        app.tenant,
        json!([{ "email": "chunked@example.com", "data": { "pad": "x".repeat(300 * 1024) } }]),
    ))
    .unwrap();
    let (status, response) = chunked_request(&app, "/user-invites", &user, &body).await;
    assert_eq!(status, 413, "{response}");
    assert!(response.contains("application/problem+json"), "{response}");
    assert!(response.contains("PAYLOAD_TOO_LARGE"), "{response}");

    // A chunked body within the limit is read as usual.
    let body = serde_json::to_vec(&send_body(app.tenant, json!([{ "email": "chunked@example.com" }]))).unwrap();
    let (status, response) = chunked_request(&app, "/user-invites", &user, &body).await;
    assert_eq!(status, 200, "{response}");
    assert_eq!(app.count().await, 2);
    assert_eq!(app.fetch(&invite["id"]).await, invite);
    assert_eq!(app.check(&token).await["isValid"], true);
}

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
        assert!(error_for(&p, &field).is_some(), "{method} {path}: {p}");
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
