//! A webhook receiver for the tests: records every POST (headers and body) and answers
//! with the status it is told; it can be down (not listening) and come back on the
//! same port.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tokio::task::JoinHandle;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a webhook body is JSON")
    }
}

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

pub struct Receiver {
    pub url: String,
    port: u16,
    shared: Shared,
    task: Option<JoinHandle<()>>,
}

async fn record(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let headers = headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    shared.received.lock().unwrap().push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    StatusCode::from_u16(shared.status.load(Ordering::SeqCst)).unwrap()
}

impl Receiver {
    /// A receiver on a free port, answering 204, listening (`up`) or not yet.
    pub async fn start(up: bool) -> Self {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let shared = Shared::default();
        shared.status.store(204, Ordering::SeqCst);
        let mut receiver = Self {
            url: format!("http://127.0.0.1:{port}/hooks/invites"),
            port,
            shared,
            task: None,
        };
        if up {
            receiver.up().await;
        }
        receiver
    }

    /// Starts listening (again).
    pub async fn up(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        let app = Router::new()
            .route("/hooks/invites", post(record))
            .with_state(self.shared.clone());
        self.task = Some(tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        }));
    }

    /// Every later request is answered with `status`.
    pub fn answer(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits (up to 20 s) until at least `n` requests arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..400 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("expected {n} webhook requests, got {:?}", self.received());
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
