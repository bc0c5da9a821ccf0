//! A fake Lambda Runtime API on loopback: hands out one event, records what the function does.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bytes::Bytes;
use chrono::Utc;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// What the fake Runtime API saw, in order.
#[derive(Debug)]
pub(crate) enum Seen {
    Poll { at: Instant },
    HandedOut { at: Instant },
    Response { at: Instant, body: Bytes },
    Error { path: String, body: Bytes },
}

pub(crate) struct RuntimeApi {
    pub(crate) event: Bytes,
    pub(crate) request_id: String,
    pub(crate) polls: AtomicUsize,
    pub(crate) seen: mpsc::UnboundedSender<Seen>,
}

pub(crate) async fn runtime_api(
    api: Arc<RuntimeApi>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if method == Method::GET && path == "/2018-06-01/runtime/invocation/next" {
        let _ = api.seen.send(Seen::Poll { at: Instant::now() });
        if api.polls.fetch_add(1, Ordering::SeqCst) > 0 {
            // One invocation per process: later polls wait until the process is killed.
            std::future::pending::<()>().await;
        }
        let deadline = Utc::now().timestamp_millis() + 15_000;
        let response = Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/json")
            .header("lambda-runtime-aws-request-id", &api.request_id)
            .header("lambda-runtime-deadline-ms", deadline.to_string())
            .header(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:bench",
            )
            .header(
                "lambda-runtime-trace-id",
                "Root=1-00000000-000000000000000000000000;Sampled=0",
            )
            .body(Full::new(api.event.clone()))
            .expect("a valid response");
        let _ = api.seen.send(Seen::HandedOut { at: Instant::now() });
        return Ok(response);
    }
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if method == Method::POST && path == format!("/2018-06-01/runtime/invocation/{}/response", api.request_id) {
        let _ = api.seen.send(Seen::Response {
            at: Instant::now(),
            body,
        });
    } else if method == Method::POST && path.ends_with("/error") {
        let _ = api.seen.send(Seen::Error { path, body });
    } else {
        let _ = api.seen.send(Seen::Error {
            path: format!("unexpected {method} {path}"),
            body,
        });
        return Ok(Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Full::default())
            .expect("a valid response"));
    }
    Ok(Response::builder()
        .status(StatusCode::ACCEPTED)
        .body(Full::new(Bytes::from_static(br#"{"status":"OK"}"#)))
        .expect("a valid response"))
}

/// Serves the Runtime API until dropped; aborting the task drops every connection too.
pub(crate) async fn serve(listener: TcpListener, api: Arc<RuntimeApi>) {
    let mut connections = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        let api = api.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| runtime_api(api.clone(), request));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
