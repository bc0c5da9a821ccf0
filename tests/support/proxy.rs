//! A fault-injecting proxy in front of moto: every DynamoDB call of the service passes
//! through it, so a test can count the calls each operation makes and the items they
//! read, see how many run at once and when each began, hold calls back until the test
//! lets them go (to make concurrent requests read the same copy), and make chosen calls
//! fail on cue (moto itself cannot).

use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;

#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// 429 TooManyRequestsException (SES's throttling), which the SDK retries.
    TooManyRequests,
    /// 400 MessageRejected: SES will not send this message.
    MessageRejected,
    /// 400 ThrottlingException, which the SDK retries.
    Throttle,
    /// 500 InternalServerError, which the SDK retries.
    ServerError,
    /// No answer, ever: longer than the SDK waits for an attempt, and for a whole call.
    Hang,
    /// The call reaches DynamoDB and commits, then its reply is lost: a 500 instead,
    /// which the SDK retries (an ambiguous commit).
    CommitThenServerError,
    /// The call commits, then no reply ever comes: the SDK's attempt times out and it
    /// retries (a reply lost on the network).
    CommitThenSilence,
    /// 400 TransactionCanceledException for `TransactionConflict`: another transaction
    /// held one of the items (moto runs transactions one at a time, so never says so).
    TransactionConflict,
}

struct Rule {
    operation: &'static str,
    fault: Fault,
    remaining: usize,
}

#[derive(Default)]
struct Calls {
    log: Vec<String>,
    in_flight: usize,
    max_in_flight: Vec<(String, usize)>,
    /// When each call in `log` arrived, in the same order.
    started: Vec<Instant>,
    /// Each answered read and the items DynamoDB read for it.
    reads: Vec<(String, usize)>,
}

/// SES's sending limit, as the proxy enforces it on one operation: at most `per_second`
/// calls passed on within any second; the others are answered 429 TooManyRequests.
struct RateLimit {
    operation: &'static str,
    per_second: usize,
    passed: std::collections::VecDeque<Instant>,
}

struct ProxyState {
    upstream: String,
    limit: Mutex<Option<RateLimit>>,
    client: reqwest::Client,
    calls: Mutex<Calls>,
    rules: Mutex<Vec<Rule>>,
    /// The operation whose calls wait at the proxy until released, if any.
    hold: tokio::sync::watch::Sender<Option<&'static str>>,
    /// How many calls are waiting there now.
    held: Mutex<usize>,
}

pub struct FaultProxy {
    pub url: String,
    state: Arc<ProxyState>,
}

impl FaultProxy {
    /// A proxy in front of the moto server at `AWS_ENDPOINT_URL`.
    pub async fn start() -> Self {
        Self::start_for(crate::moto::dynamodb_endpoint()).await
    }

    /// A proxy in front of `upstream`.
    pub async fn start_for(upstream: String) -> Self {
        let state = Arc::new(ProxyState {
            upstream,
            limit: Mutex::default(),
            client: reqwest::Client::new(),
            calls: Mutex::default(),
            rules: Mutex::default(),
            hold: tokio::sync::watch::Sender::new(None),
            held: Mutex::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new().fallback(forward).with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, state }
    }

    /// Makes the next `times` calls of `operation` fail: a DynamoDB operation name (e.g.
    /// "TransactWriteItems") or a REST path (e.g. "/v2/email/outbound-emails").
    pub fn fail(&self, operation: &'static str, fault: Fault, times: usize) {
        self.state.rules.lock().unwrap().push(Rule {
            operation,
            fault,
            remaining: times,
        });
    }

    /// From now on, passes at most `per_second` calls of `operation` on within any
    /// second (a sliding window), and answers the others 429 TooManyRequestsException,
    /// as SES does above the account's send rate.
    pub fn limit_rate(&self, operation: &'static str, per_second: usize) {
        *self.state.limit.lock().unwrap() = Some(RateLimit {
            operation,
            per_second,
            passed: std::collections::VecDeque::new(),
        });
    }

    pub fn heal(&self) {
        self.state.rules.lock().unwrap().clear();
    }

    /// The operations called since the last `take_calls`, in order.
    pub fn take_calls(&self) -> Vec<String> {
        self.take_timed_calls()
            .into_iter()
            .map(|(operation, _)| operation)
            .collect()
    }

    /// The operations called since the last `take_calls`, in order, each with the
    /// instant it reached the proxy.
    pub fn take_timed_calls(&self) -> Vec<(String, Instant)> {
        let mut calls = self.state.calls.lock().unwrap();
        calls.max_in_flight.clear();
        let started = std::mem::take(&mut calls.started);
        std::mem::take(&mut calls.log).into_iter().zip(started).collect()
    }

    /// Holds every call of `operation` at the proxy, unanswered and not yet logged,
    /// until [`Self::release`]: requests made meanwhile all get as far as that call.
    pub fn hold(&self, operation: &'static str) {
        self.state.hold.send_replace(Some(operation));
    }

    /// Waits (up to 10 s, else panics) until `count` calls are held.
    pub async fn wait_held(&self, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let held = *self.state.held.lock().unwrap();
            if held >= count {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "only {held} of {count} calls reached the proxy's hold"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Lets the held calls (and all later ones) through, in the order they arrived.
    pub fn release(&self) {
        self.state.hold.send_replace(None);
    }

    /// The reads answered since the last `take_reads`, each with the items DynamoDB read
    /// for it: `ScannedCount` of a Query or Scan (a COUNT query too), 1 for a GetItem that
    /// found its item, the items a BatchGetItem returned.
    pub fn take_reads(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut self.state.calls.lock().unwrap().reads)
    }

    /// The most calls of `operation` that were under way at once since the last `take_calls`.
    pub fn max_in_flight(&self, operation: &str) -> usize {
        let calls = self.state.calls.lock().unwrap();
        calls
            .max_in_flight
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0)
    }
}

async fn forward(State(state): State<Arc<ProxyState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    // JSON protocols (DynamoDB) name the operation in X-Amz-Target; REST ones (SES v2)
    // in the path.
    let operation = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .map(str::to_owned)
        .unwrap_or_else(|| parts.uri.path().to_owned());
    let mut hold = state.hold.subscribe();
    if hold.borrow_and_update().is_some_and(|held| held == operation) {
        *state.held.lock().unwrap() += 1;
        let _ = hold.wait_for(|held| held.is_none_or(|held| held != operation)).await;
        *state.held.lock().unwrap() -= 1;
    }
    let fault = {
        let mut rules = state.rules.lock().unwrap();
        rules
            .iter_mut()
            .find(|r| r.operation == operation && r.remaining > 0)
            .map(|rule| {
                rule.remaining -= 1;
                rule.fault
            })
    };
    let fault = fault.or_else(|| {
        let mut limit = state.limit.lock().unwrap();
        let limit = limit.as_mut().filter(|l| l.operation == operation)?;
        let now = Instant::now();
        while limit.passed.front().is_some_and(|t| now - *t >= Duration::from_secs(1)) {
            limit.passed.pop_front();
        }
        if limit.passed.len() >= limit.per_second {
            return Some(Fault::TooManyRequests);
        }
        limit.passed.push_back(now);
        None
    });
    {
        let mut calls = state.calls.lock().unwrap();
        calls.log.push(operation.clone());
        calls.started.push(Instant::now());
        calls.in_flight += 1;
        let in_flight = calls.in_flight;
        calls.max_in_flight.push((operation.clone(), in_flight));
    }
    let response = match fault {
        Some(Fault::TooManyRequests) => error(429, "TooManyRequestsException", "Maximum sending rate exceeded."),
        Some(Fault::MessageRejected) => error(400, "MessageRejected", "Email address is on the suppression list."),
        Some(Fault::Throttle) => error(
            400,
            "ThrottlingException",
            "Rate of requests exceeds the allowed throughput.",
        ),
        Some(Fault::ServerError) => error(500, "InternalServerError", "Internal server error"),
        Some(Fault::TransactionConflict) => Response::builder()
            .status(400)
            .header("content-type", "application/x-amz-json-1.0")
            .header("x-amzn-errortype", "TransactionCanceledException")
            .body(Body::from(
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, None, TransactionConflict]","CancellationReasons":[{"Code":"None"},{"Code":"None"},{"Code":"None"},{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}]}"#,
            ))
            .unwrap(),
        Some(Fault::Hang) => std::future::pending().await,
        Some(Fault::CommitThenServerError) => {
            pass_through(&state, &parts, body, &operation).await;
            error(500, "InternalServerError", "Internal server error")
        }
        Some(Fault::CommitThenSilence) => {
            pass_through(&state, &parts, body, &operation).await;
            std::future::pending().await
        }
        None => pass_through(&state, &parts, body, &operation).await,
    };
    state.calls.lock().unwrap().in_flight -= 1;
    response
}

/// The call as it came, sent on to moto, and moto's answer.
async fn pass_through(
    state: &ProxyState,
    parts: &axum::http::request::Parts,
    body: Bytes,
    operation: &str,
) -> Response {
    let mut upstream = state
        .client
        .request(parts.method.clone(), format!("{}{}", state.upstream, parts.uri));
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = upstream.body(body).send().await.expect("moto answers");
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.unwrap();
    if let Some(read) = items_read(operation, &bytes) {
        state.calls.lock().unwrap().reads.push((operation.to_owned(), read));
    }
    response.body(Body::from(bytes)).unwrap()
}

/// The items DynamoDB read to answer a read, from its answer.
fn items_read(operation: &str, body: &[u8]) -> Option<usize> {
    let answer: serde_json::Value = serde_json::from_slice(body).ok()?;
    match operation {
        "Query" | "Scan" => answer["ScannedCount"].as_u64().map(|n| n as usize),
        "GetItem" => Some(usize::from(answer.get("Item").is_some())),
        "BatchGetItem" => Some(
            answer["Responses"]
                .as_object()
                .map(|tables| tables.values().filter_map(|items| items.as_array()).map(Vec::len).sum())
                .unwrap_or(0),
        ),
        _ => None,
    }
}

fn error(status: u16, kind: &str, message: &str) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-errortype", kind)
        .body(Body::from(format!(
            r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{kind}","message":"{message}"}}"#
        )))
        .unwrap()
}
