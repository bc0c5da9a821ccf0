//! Bodies over the size limit, declared or chunked.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{assert_untouched, body_routes, error_for, padded_body, seeded};
use crate::helpers::{TestApp, problem, send_body, spawn_app};

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
