//! invites-local's connections: a slow or idle client is cut off, the number of
//! connections is bounded, and a stop closes what is left once its deadline passes.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, spawn_app};

/// A server restarted with `change` applied to its limits.
async fn limited(change: impl FnOnce(&mut invites_local::listener::ServerLimits)) -> TestApp {
    let mut app = spawn_app().await;
    change(&mut app.limits);
    app.restart().await;
    app
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the server closes the connection (or 10 s pass); returns what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_slow_to_send_its_headers_or_idle_between_requests_is_cut_off() {
    let app = limited(|l| l.header_timeout = Duration::from_millis(500)).await;
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /user-invites HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert_eq!(read_to_close(&mut slow).await, "", "cut off without an answer");

    let mut idle = connect(&app).await;
    idle.write_all(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut idle).await;
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the request was answered, then the idle connection closed"
    );
    // The server still serves.
    assert_eq!(app.get("/openapi.json", None).await.status(), 200);
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_a_408() {
    let app = limited(|l| l.body_timeout = Duration::from_millis(500)).await;
    let mut stream = connect(&app).await;
    let request = "POST /user-invites/check-token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"tok";
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = read_to_close(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"REQUEST_TIMEOUT\""), "{answer}");
}

#[tokio::test]
async fn held_connections_take_only_their_share_and_a_freed_one_serves_the_next_client() {
    let app = limited(|l| {
        l.max_connections = 4;
        l.header_timeout = Duration::from_secs(60);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(&app).await;
        stream.write_all(b"GET /user-invites HTTP/1.1\r\n").await.unwrap();
        held.push(stream);
    }
    let next = || async { app.client.get(format!("{}/openapi.json", app.address)).send().await };
    let waiting = tokio::time::timeout(Duration::from_secs(1), next()).await;
    assert!(waiting.is_err(), "a fifth connection is not served while four are held");
    drop(held.pop());
    let served = tokio::time::timeout(Duration::from_secs(10), next()).await;
    assert_eq!(served.expect("served once a slot is free").unwrap().status(), 200);
}

#[tokio::test]
async fn a_request_that_never_finishes_does_not_block_a_stop_past_its_deadline() {
    let mut app = limited(|l| l.shutdown_deadline = Duration::from_millis(500)).await;
    let mut stuck = connect(&app).await;
    // Headers in, body never: the request is in flight until the 30 s body timeout.
    stuck
        .write_all(b"POST /user-invites/check-token HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    app.stop().await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "stop took {took:?} with a stuck request");
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stuck.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the stuck connection was closed at the deadline");
}
