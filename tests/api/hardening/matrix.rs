//! The authorization matrix: every operation, every kind of caller.

use std::fmt;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Response;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, problem, send_body, spawn_app, token_answer};

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
        Op::CheckToken => body == token_answer(&invite, "pending") && after == invite,
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
