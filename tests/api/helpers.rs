// Shared by the `api` and `dynamodb` test binaries, each of which uses part of it.
#![allow(dead_code)]

//! `spawn_app`: `invites-local` on port 0 with a fresh data folder and a clock the test
//! controls, a client, tokens for any caller, and the outbox read as a user reads mail.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Duration;
use invites_local::{LocalOptions, RunningServer};
use invites_shared::auth::Claims;
use invites_shared::clock::{Clock, ManualClock};
use invites_shared::config::Config;
use mail_parser::MessageParser;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use tempfile::TempDir;
use uuid::Uuid;

pub const ACCEPT_URL: &str = "https://app.example.com/accept-invite?token={token}";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    /// The tenant and user most tests act as.
    pub tenant: Uuid,
    pub user: Uuid,
    secret: String,
    vars: HashMap<String, String>,
    data_dir: TempDir,
    dynamodb_endpoint: Option<String>,
    server: Option<RunningServer>,
}

/// A server with the default configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Which store the suite runs against: `INVITES_TEST_STORE=dynamodb` gives every
/// test a fresh table on the DynamoDB server at `AWS_ENDPOINT_URL` (the test command
/// starts moto for it); otherwise the embedded store in a fresh data folder.
async fn store_vars() -> Vec<(String, String)> {
    match std::env::var("INVITES_TEST_STORE").as_deref() {
        Err(_) | Ok("embedded") => vec![],
        Ok("dynamodb") => {
            assert!(
                std::env::var("AWS_ENDPOINT_URL").is_ok(),
                "INVITES_TEST_STORE=dynamodb needs AWS_ENDPOINT_URL (run scripts/test.sh)"
            );
            let table = format!("invites-test-{}", Uuid::new_v4());
            let client = invites_shared::dynamo::client_from_env(None).await;
            invites_shared::dynamo::create_table(&client, &table)
                .await
                .expect("the test table is created");
            vec![("INVITES_TABLE_NAME".to_owned(), table)]
        }
        Ok(other) => panic!("INVITES_TEST_STORE={other:?}: use embedded or dynamodb"),
    }
}

/// A server with extra configuration variables (`INVITES_JWT_ISSUER`, ...).
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let mut all: Vec<(String, String)> = store_vars().await;
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    spawn(all, None).await
}

/// A server on a fresh DynamoDB table that it reaches through `endpoint` (a proxy in
/// front of the moto server at `AWS_ENDPOINT_URL`).
pub async fn spawn_app_on_dynamodb(endpoint: &str) -> TestApp {
    let table = format!("invites-test-{}", Uuid::new_v4());
    let client = invites_shared::dynamo::client_from_env(None).await;
    invites_shared::dynamo::create_table(&client, &table)
        .await
        .expect("the test table is created");
    spawn(
        vec![("INVITES_TABLE_NAME".to_owned(), table)],
        Some(endpoint.to_owned()),
    )
    .await
}

async fn spawn(vars: Vec<(String, String)>, dynamodb_endpoint: Option<String>) -> TestApp {
    // The server's warnings and errors, shown by the test runner when a test fails.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .try_init();
    let secret = format!("test-secret-{}", Uuid::new_v4());
    let mut all: HashMap<String, String> = HashMap::from([
        ("INVITES_JWT_SECRET".to_owned(), secret.clone()),
        ("INVITES_ACCEPT_URL".to_owned(), ACCEPT_URL.to_owned()),
    ]);
    all.extend(vars);
    let mut app = TestApp {
        address: String::new(),
        client: reqwest::Client::new(),
        clock: Arc::new(ManualClock::starting_now()),
        tenant: Uuid::new_v4(),
        user: Uuid::new_v4(),
        secret,
        vars: all,
        data_dir: tempfile::tempdir().expect("a temporary data folder"),
        dynamodb_endpoint,
        server: None,
    };
    app.start().await;
    app
}

/// A parsed email from the outbox.
pub struct Mail {
    pub to: String,
    pub to_header: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub raw: String,
}

impl Mail {
    /// The accept link, read out of the text part exactly as a user would click it.
    pub fn accept_link(&self) -> String {
        let start = self
            .text
            .find("https://app.example.com/accept-invite?token=")
            .expect("the mail has a link");
        self.text[start..].split_whitespace().next().unwrap().to_owned()
    }

    /// The token in the accept link.
    pub fn token(&self) -> String {
        let link = self.accept_link();
        let url = reqwest::Url::parse(&link).expect("the link is a URL");
        url.query_pairs()
            .find(|(k, _)| k == "token")
            .expect("the link has a token")
            .1
            .into_owned()
    }
}

impl TestApp {
    /// Starts the server on the data folder (or table) it had.
    pub async fn start(&mut self) {
        let vars = self.vars.clone();
        let config = Config::from_lookup(|name| vars.get(name).cloned(), None).expect("test configuration");
        let options = LocalOptions {
            listen: "127.0.0.1:0".into(),
            data_dir: self.data_dir.path().to_path_buf(),
            config,
            clock: self.clock.clone(),
            dynamodb_endpoint: self.dynamodb_endpoint.clone(),
        };
        let server = invites_local::start(options).await.expect("the server starts");
        self.address = format!("http://{}", server.addr);
        self.server = Some(server);
    }

    /// Stops the server gracefully and starts it again on the same data folder.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    /// Stops the server gracefully; `start` brings it back.
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.expect("the server stops");
        }
    }

    /// The store the server uses, opened directly: only while the server is stopped
    /// (the embedded store's file admits one process at a time).
    pub async fn open_store(&self) -> std::sync::Arc<dyn invites_shared::store::InviteStore> {
        match self.vars.get("INVITES_TABLE_NAME") {
            None => std::sync::Arc::new(
                invites_local::store::EmbeddedStore::open(&self.data_dir.path().join("invites.redb"))
                    .expect("the store opens"),
            ),
            Some(table) => {
                let client = invites_shared::dynamo::client_from_env(self.dynamodb_endpoint.as_deref()).await;
                std::sync::Arc::new(invites_shared::dynamo::DynamoStore::new(client, table))
            }
        }
    }

    /// Everything the store holds, as text: the redb file, or a scan of the DynamoDB table.
    pub async fn stored_data(&self) -> String {
        match self.vars.get("INVITES_TABLE_NAME") {
            None => {
                String::from_utf8_lossy(&std::fs::read(self.data_dir.path().join("invites.redb")).unwrap()).into_owned()
            }
            Some(table) => {
                let client = invites_shared::dynamo::client_from_env(None).await;
                let mut items = String::new();
                let mut start = None;
                loop {
                    let page = client
                        .scan()
                        .table_name(table)
                        .set_exclusive_start_key(start)
                        .send()
                        .await
                        .unwrap();
                    items.push_str(&format!("{:?}", page.items()));
                    start = page.last_evaluated_key().cloned();
                    if start.is_none() {
                        return items;
                    }
                }
            }
        }
    }

    /// Waits until the server's mail worker has delivered everything queued.
    pub async fn settle(&self) {
        if let Some(server) = &self.server {
            server.settle().await;
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.path().to_path_buf()
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// A token signed with the server's secret, expiring in an hour.
    pub fn token_for(&self, sub: Uuid, tenant: Option<Uuid>, super_admin: bool) -> String {
        let claims = Claims {
            sub: sub.to_string(),
            tenant_id: tenant.map(|t| t.to_string()),
            super_admin,
            exp: (chrono::Utc::now() + Duration::hours(1)).timestamp() as u64,
            iss: self.vars.get("INVITES_JWT_ISSUER").cloned(),
            aud: self.vars.get("INVITES_JWT_AUDIENCE").cloned(),
        };
        self.sign(&claims)
    }

    pub fn sign(&self, claims: &impl serde::Serialize) -> String {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(self.secret.as_bytes()),
        )
        .unwrap()
    }

    /// Signs with the server's secret but another HMAC algorithm.
    pub fn sign_with(&self, algorithm: jsonwebtoken::Algorithm, claims: &impl serde::Serialize) -> String {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(algorithm),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(self.secret.as_bytes()),
        )
        .unwrap()
    }

    /// The default caller: `self.user` in `self.tenant`.
    pub fn user_token(&self) -> String {
        self.token_for(self.user, Some(self.tenant), false)
    }

    pub fn super_admin_token(&self) -> String {
        self.token_for(Uuid::new_v4(), None, true)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Response {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the request reaches the server")
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token, None).await
    }

    /// POST /user-invites as `token` into `tenant`.
    pub async fn send(&self, token: &str, tenant: Uuid, invitees: Value) -> Response {
        self.post("/user-invites", Some(token), send_body(tenant, invitees))
            .await
    }

    /// Sends one invite as the default caller and returns it (asserting success).
    pub async fn invite(&self, email: &str) -> Value {
        let response = self
            .send(&self.user_token(), self.tenant, json!([{ "email": email }]))
            .await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"], json!([]), "{body}");
        self.delivered(&body["success"][0]).await
    }

    /// The invite as stored once its queued email has been delivered.
    pub async fn delivered(&self, invite: &Value) -> Value {
        self.settle().await;
        let path = format!("/user-invites/{}", invite["id"].as_str().expect("an invite"));
        json_of(self.get(&path, Some(&self.super_admin_token())).await, 200).await
    }

    /// Every email in the outbox, oldest first.
    pub async fn outbox(&self) -> Vec<Mail> {
        self.settle().await;
        let dir = LocalOptions::outbox_dir(self.data_dir.path());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let raw = std::fs::read(&path).unwrap();
                let message = MessageParser::default().parse(&raw).expect("an RFC 5322 message");
                Mail {
                    to: message
                        .to()
                        .and_then(|a| a.first())
                        .and_then(|a| a.address())
                        .unwrap_or_default()
                        .to_owned(),
                    to_header: message.header_raw("To").unwrap_or_default().trim().to_owned(),
                    subject: message.subject().unwrap_or_default().to_owned(),
                    text: message.body_text(0).unwrap_or_default().into_owned(),
                    html: message.body_html(0).unwrap_or_default().into_owned(),
                    raw: String::from_utf8_lossy(&raw).into_owned(),
                }
            })
            .collect()
    }

    /// The emails sent to `address` (compared case-insensitively), oldest first.
    pub async fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.outbox()
            .await
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(address))
            .collect()
    }
}

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

impl TestApp {
    /// A token of a user in another, fresh tenant.
    pub fn stranger_token(&self) -> (Uuid, String) {
        let tenant = Uuid::new_v4();
        (tenant, self.token_for(Uuid::new_v4(), Some(tenant), false))
    }

    /// A request with a raw body and content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: impl Into<reqwest::Body>,
        content_type: &str,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the request reaches the server")
    }

    /// Sends `body` as `application/json` and asserts it is refused as malformed: 400
    /// `VALIDATION_FAILED` whose first error says `why`. Returns the problem.
    pub async fn refused_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: impl AsRef<[u8]>,
        why: &str,
    ) -> Value {
        let body = body.as_ref();
        let p = problem(
            self.raw(method.clone(), path, token, body.to_vec(), "application/json")
                .await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(
            p["errors"][0]["message"].as_str().unwrap().contains(why),
            "{method} {path} {:?}: {p}",
            String::from_utf8_lossy(body)
        );
        p
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    /// POST /user-invites with an `Idempotency-Key`.
    pub async fn send_with_key(&self, token: &str, key: &str, body: &Value) -> Response {
        self.client
            .post(format!("{}/user-invites", self.address))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("the request reaches the server")
    }

    /// Sends one invitee (any fields) as the default caller; returns the created invite.
    pub async fn invite_with(&self, invitee: Value) -> Value {
        let response = self.send(&self.user_token(), self.tenant, json!([invitee])).await;
        let body = json_of(response, 200).await;
        assert_eq!(body["errors"], json!([]), "{body}");
        self.delivered(&body["success"][0]).await
    }

    /// POST /user-invites/accept with an invite token, as `caller`.
    pub async fn accept(&self, caller: &str, token: &str) -> Response {
        self.post(
            "/user-invites/accept",
            Some(caller),
            json!({ "acceptUserInvite": { "token": token } }),
        )
        .await
    }

    /// Accepts as a fresh user of no tenant.
    pub async fn accept_as_anyone(&self, token: &str) -> Response {
        self.accept(&self.token_for(Uuid::new_v4(), None, false), token).await
    }

    /// POST /user-invites/check-token, without a JWT; returns the JSON answer.
    pub async fn check(&self, token: &str) -> Value {
        json_of(
            self.post("/user-invites/check-token", None, json!({ "token": token }))
                .await,
            200,
        )
        .await
    }

    /// GET /user-invites/{id} as the default caller.
    pub async fn fetch(&self, id: &Value) -> Value {
        let path = format!("/user-invites/{}", id.as_str().unwrap());
        json_of(self.get(&path, Some(&self.user_token())).await, 200).await
    }

    /// GET /user-invites?{query} as the default caller; returns the JSON answer.
    pub async fn list(&self, query: &str) -> Value {
        json_of(
            self.get(&format!("/user-invites?{query}"), Some(&self.user_token()))
                .await,
            200,
        )
        .await
    }

    /// How many invites the default tenant holds.
    pub async fn count(&self) -> u64 {
        self.list("limit=1").await["totalCount"].as_u64().unwrap()
    }

    pub async fn cancel(&self, id: &Value) -> Response {
        let path = format!("/user-invites/{}/cancel", id.as_str().unwrap());
        self.post(&path, Some(&self.user_token()), json!({})).await
    }

    pub async fn resend(&self, id: &Value, body: Value) -> Response {
        let path = format!("/user-invites/{}/resend", id.as_str().unwrap());
        self.post(&path, Some(&self.user_token()), body).await
    }

    /// Every accept token mailed to `address`.
    pub async fn tokens_to(&self, address: &str) -> Vec<String> {
        self.mails_to(address).await.iter().map(Mail::token).collect()
    }

    /// The one token mailed to `address` that is not in `before`.
    pub async fn new_token_to(&self, address: &str, before: &[String]) -> String {
        let fresh: Vec<String> = self
            .tokens_to(address)
            .await
            .into_iter()
            .filter(|t| !before.contains(t))
            .collect();
        assert_eq!(fresh.len(), 1, "expected exactly one new mail to {address}");
        fresh.into_iter().next().unwrap()
    }
}

impl TestApp {
    pub async fn cancel_with(&self, id: &Value, body: Value) -> Response {
        let path = format!("/user-invites/{}/cancel", id.as_str().unwrap());
        self.post(&path, Some(&self.user_token()), body).await
    }
}
