//! An identity provider's key set (JWKS), served by the test itself on a loopback
//! port: the keys it publishes can change (rotation), it can stop answering (an outage),
//! and it counts the fetches it is asked for.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tokio::net::TcpListener;

pub const JWKS_PATH: &str = "/.well-known/jwks.json";

#[derive(Default)]
struct Published {
    keys: Mutex<Vec<Value>>,
    fetches: AtomicUsize,
    down: AtomicBool,
}

pub struct JwksServer {
    pub url: String,
    published: Arc<Published>,
    task: tokio::task::JoinHandle<()>,
}

impl JwksServer {
    /// Publishes `keys` (JWKs) at `url`.
    pub async fn start(keys: Vec<Value>) -> Self {
        let published = Arc::new(Published::default());
        *published.keys.lock().unwrap() = keys;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://{}{JWKS_PATH}", listener.local_addr().unwrap());
        let app = Router::new().route(JWKS_PATH, get(serve)).with_state(published.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, published, task }
    }

    /// Publishes `keys` instead, as a provider does when it rotates.
    pub fn publish(&self, keys: Vec<Value>) {
        *self.published.keys.lock().unwrap() = keys;
    }

    /// How many times the key set was asked for (answered or not).
    pub fn fetches(&self) -> usize {
        self.published.fetches.load(Ordering::SeqCst)
    }

    /// From now on every fetch fails with 503 (`false`: answers again).
    pub fn set_down(&self, down: bool) {
        self.published.down.store(down, Ordering::SeqCst);
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(State(published): State<Arc<Published>>) -> Response {
    published.fetches.fetch_add(1, Ordering::SeqCst);
    if published.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let keys = published.keys.lock().unwrap().clone();
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json!({ "keys": keys }).to_string(),
    )
        .into_response()
}

/// A URL where nothing listens: the port was free a moment ago.
pub async fn unreachable_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}{JWKS_PATH}")
}
