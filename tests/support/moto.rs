//! The emulators the tests talk to: DynamoDB and SES as moto servers, named by
//! `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_SESV2` (scripts/test.sh starts them on free
//! loopback ports, fresh for each test binary). A test that needs one and finds none
//! fails at once, saying what is missing and how to get it, instead of with the SDK's
//! connection or credentials error.
//!
//! moto answers one request at a time (scripts/moto_server.py), so tests that share one
//! queue behind each other's calls; on a loaded machine a call can then wait longer than
//! the SDK's 3 s attempt timeout, and a test fails for another's burst. The black-box
//! suite on DynamoDB therefore gets a pool, one server per test thread
//! (`INVITES_TEST_MOTO_POOL`), and each running test leases the least used one for its
//! whole life: tests running at once do not share a queue.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Mutex;
use std::time::Duration;

/// How many running tests hold each server of the pool.
static LEASES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// The DynamoDB emulator (moto), from `AWS_ENDPOINT_URL`. Every helper that creates AWS
/// resources asks for it first, so that a test run outside `scripts/test.sh`, with real
/// credentials in the environment, stops here instead of creating tables in a real
/// account.
pub fn moto_endpoint() -> String {
    dynamodb_endpoint()
}

/// The servers of the pool: `INVITES_TEST_MOTO_POOL` (URLs separated by spaces), else
/// `AWS_ENDPOINT_URL` alone.
fn pool() -> Vec<String> {
    let first = moto_endpoint();
    let pool: Vec<String> = std::env::var("INVITES_TEST_MOTO_POOL")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if pool.is_empty() { vec![first] } else { pool }
}

/// One test's hold on a server of the pool, given back when dropped.
pub struct MotoLease {
    pub url: String,
    index: usize,
}

impl MotoLease {
    /// The least used server of the pool.
    pub fn take() -> Self {
        let pool = pool();
        let mut leases = LEASES.lock().unwrap();
        leases.resize(pool.len(), 0);
        let index = (0..pool.len())
            .min_by_key(|i| leases[*i])
            .expect("a pool of one at least");
        leases[index] += 1;
        Self {
            url: pool[index].clone(),
            index,
        }
    }
}

impl Drop for MotoLease {
    fn drop(&mut self) {
        if let Ok(mut leases) = LEASES.lock() {
            leases[self.index] -= 1;
        }
    }
}

/// What to do about a missing emulator, in every such failure.
const HOW_TO_GET_IT: &str = concat!(
    "  - the whole suite, moto included: scripts/test.sh\n",
    "  - by hand: scripts/install-test-tools.sh (installs moto into .venv), then\n",
    "      .venv/bin/python scripts/moto_server.py 127.0.0.1 8000 &\n",
    "      export AWS_ENDPOINT_URL=http://127.0.0.1:8000 AWS_ENDPOINT_URL_SESV2=http://127.0.0.1:8000 \\\n",
    "             AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1\n",
    "  - without moto or Python, the unit tests and the black-box suite on the embedded store:\n",
    "      cargo test-fast",
);

/// The DynamoDB emulator's URL, once it is known to answer.
pub fn dynamodb_endpoint() -> String {
    require("AWS_ENDPOINT_URL", "DynamoDB")
}

/// The SES emulator's URL, once it is known to answer.
pub fn ses_endpoint() -> String {
    require("AWS_ENDPOINT_URL_SESV2", "SES")
}

/// A DynamoDB client for the emulator, as the service builds its own.
pub async fn dynamodb_client() -> aws_sdk_dynamodb::Client {
    dynamodb_endpoint();
    invites_shared::dynamo::client_from_env(None).await
}

fn require(var: &str, service: &str) -> String {
    let fail =
        |what: String| -> ! { panic!("\n\nthis test needs a {service} emulator (moto): {what}\n{HOW_TO_GET_IT}\n\n") };
    let Some(url) = std::env::var(var).ok().filter(|u| !u.is_empty()) else {
        fail(format!("{var} is not set"));
    };
    let missing: Vec<&str> = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]
        .into_iter()
        .filter(|v| std::env::var(v).map_or(true, |value| value.is_empty()))
        .collect();
    if !missing.is_empty() {
        fail(format!("{} not set (any value; moto checks none)", missing.join(", ")));
    }
    let authority = url
        .split_once("://")
        .map_or(url.as_str(), |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    let answers = authority
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok());
    if !answers {
        fail(format!("nothing answers at {var}={url}"));
    }
    url
}

/// A fresh sender address, verified in moto's SES (which refuses to send from any other).
pub async fn verified_sender() -> String {
    let sender = format!("invites-{}@example.com", uuid::Uuid::new_v4());
    invites_shared::email::SesMailer::client_from_env(Some(&ses_endpoint()))
        .await
        .create_email_identity()
        .email_identity(&sender)
        .send()
        .await
        .expect("moto verifies the sender");
    sender
}
