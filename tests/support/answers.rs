//! What the API answers, read and checked: JSON bodies, problems, send results.

use reqwest::Response;
use serde_json::{Value, json};
use uuid::Uuid;

pub fn send_body(tenant: Uuid, invitees: Value) -> Value {
    json!({ "userInvites": { "tenantId": tenant, "userInvites": invitees } })
}

/// The emails of a send's successful invitees, in request order.
pub fn sent_emails(body: &Value) -> Vec<&str> {
    body["success"]
        .as_array()
        .expect("a send response")
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect()
}

/// The indexes of a send's invitees refused for an invalid value, asserting that each
/// was refused as VALIDATION_FAILED.
pub fn invalid_indexes(body: &Value) -> Vec<u64> {
    body["errors"]
        .as_array()
        .expect("a send response")
        .iter()
        .map(|e| {
            assert_eq!(e["code"], "VALIDATION_FAILED", "{e}");
            e["index"].as_u64().unwrap()
        })
        .collect()
}

/// Reads a JSON body, asserting the status first (and showing the body if it differs).
pub async fn json_of(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {text}");
    let expected_type = if status < 400 {
        "application/json"
    } else {
        "application/problem+json"
    };
    assert_eq!(content_type, expected_type, "body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts a problem response with this status and code; returns it.
pub async fn problem(response: Response, status: u16, code: &str) -> Value {
    let body = json_of(response, status).await;
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    for key in ["type", "title", "detail", "errors"] {
        assert!(body.get(key).is_some(), "problem lacks {key}: {body}");
    }
    body
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// base64url without padding, for hand-built tokens.
pub fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Asserts that no invite JSON anywhere in `value` carries a token or its hash.
pub fn assert_no_secrets(value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let lower = key.to_ascii_lowercase();
                assert!(
                    !lower.contains("token") && !lower.contains("hash") && !lower.contains("secret"),
                    "a response carries {key}: {value}"
                );
                assert_no_secrets(inner);
            }
        }
        Value::Array(items) => items.iter().for_each(assert_no_secrets),
        Value::String(text) => {
            let hex64 = text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit());
            assert!(!hex64, "a response carries something like a SHA-256: {text}");
        }
        _ => {}
    }
}

/// What check-token answers for a token that is not current (unknown, garbled, or
/// replaced by a resend): two `false`s, and nothing about any invite.
pub fn unknown_token_answer() -> Value {
    json!({
        "isValid": false, "isExpired": false, "email": null, "status": null, "roles": null,
        "expiresAt": null, "tenantId": null, "tenantName": null, "createdByName": null,
    })
}

/// What check-token answers for the current token of `invite` (as the API returned
/// it) whose status is now `status`: what the token's holder may know, no more.
pub fn token_answer(invite: &Value, status: &str) -> Value {
    let or_null = |field: &str| invite.get(field).cloned().unwrap_or(Value::Null);
    json!({
        "isValid": status == "pending",
        "isExpired": status == "expired",
        "email": invite["email"],
        "status": status,
        "roles": invite["roles"],
        "expiresAt": invite["expiresAt"],
        "tenantId": invite["tenantId"],
        // Display names the invite carries (none yet); check-token must pass them on.
        "tenantName": or_null("tenantName"),
        "createdByName": or_null("createdByName"),
    })
}
