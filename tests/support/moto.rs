//! The emulators some tests need: DynamoDB and SES as moto servers, named by
//! `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_SESV2` (scripts/test.sh starts both). A test
//! that needs one and finds none fails at once, saying what is missing and how to get
//! it, instead of with the SDK's connection or credentials error.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

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
