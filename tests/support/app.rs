//! `spawn_app`: `invites-local` on port 0 with a fresh data folder (or a fresh
//! DynamoDB table) and a clock the test controls, and tokens for any caller.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Duration;
use invites_local::cors::CorsOrigins;
use invites_local::listener::ServerLimits;
use invites_local::webhooks::WebhookConfig;
use invites_local::{LocalOptions, RunningServer};
use invites_shared::auth::Claims;
use invites_shared::clock::{Clock, ManualClock};
use invites_shared::config::Config;
use tempfile::TempDir;
use uuid::Uuid;

use crate::keys::TestKey;
use crate::moto::{MotoLease, moto_endpoint};

pub const ACCEPT_URL: &str = "https://app.example.com/accept-invite?token={token}";

/// The roles the default test caller holds, so it may grant every role the tests use
/// (the role policy is on, as by default). Tests of the policy mint narrower tokens.
pub const TEST_ROLES: [&str; 8] = ["admin", "content-creator", "editor", "owner", "viewer", "x", "r", "a.b"];

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    /// The tenant and user most tests act as.
    pub tenant: Uuid,
    pub user: Uuid,
    secret: String,
    /// The key tokens are signed with, when the server takes a public key instead of the secret.
    key: Option<Arc<TestKey>>,
    vars: HashMap<String, String>,
    data_dir: TempDir,
    /// Where the server reaches DynamoDB: the leased moto server, or a proxy in front of moto.
    dynamodb_endpoint: Option<String>,
    /// The server's connection limits; `restart` applies a change.
    pub limits: ServerLimits,
    /// The moto server the test holds while it runs (the suite on DynamoDB).
    moto: Option<MotoLease>,
    server: Option<RunningServer>,
}

/// A server with the default configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Which store the suite runs against: `INVITES_TEST_STORE=dynamodb` gives every
/// test a fresh table on a moto server of its own while it runs ([`MotoLease`]);
/// otherwise the embedded store in a fresh data folder.
async fn store() -> Option<(String, MotoLease)> {
    match std::env::var("INVITES_TEST_STORE").as_deref() {
        Err(_) | Ok("embedded") => None,
        Ok("dynamodb") => {
            let moto = MotoLease::take();
            let table = format!("invites-test-{}", Uuid::new_v4());
            let client = invites_shared::dynamo::client_from_env(Some(&moto.url)).await;
            invites_shared::dynamo::create_table(&client, &table)
                .await
                .expect("the test table is created");
            Some((table, moto))
        }
        Ok(other) => panic!("INVITES_TEST_STORE={other:?}: use embedded or dynamodb"),
    }
}

/// A server with extra configuration variables (`INVITES_JWT_ISSUER`, ...).
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let mut all: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let Some((table, moto)) = store().await else {
        return spawn(all, None, None).await;
    };
    all.push(("INVITES_TABLE_NAME".to_owned(), table));
    let endpoint = moto.url.clone();
    spawn(all, Some(endpoint), Some(moto)).await
}

/// A server on the embedded store whatever the suite's store: for what only runs
/// there (the development secret, which refuses DynamoDB).
pub async fn spawn_app_embedded_with(vars: &[(&str, &str)]) -> TestApp {
    let all: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    spawn(all, None, None).await
}

/// A server that verifies tokens with `key`'s public key (`INVITES_JWT_PUBLIC_KEY`),
/// and whose tokens (`user_token`, `token_for`, ...) are signed with it.
pub async fn spawn_app_signed_by(key: TestKey) -> TestApp {
    let pem = key.public_pem();
    let mut app = spawn_app_with(&[
        ("INVITES_JWT_PUBLIC_KEY", pem.as_str()),
        ("INVITES_JWT_ALGORITHM", key.algorithm_name()),
    ])
    .await;
    app.key = Some(Arc::new(key));
    app
}

/// A server on a fresh DynamoDB table that it reaches through `endpoint` (a proxy in
/// front of the moto server at `AWS_ENDPOINT_URL`).
pub async fn spawn_app_on_dynamodb(endpoint: &str) -> TestApp {
    let table = format!("invites-test-{}", Uuid::new_v4());
    let client = crate::moto::dynamodb_client().await;
    invites_shared::dynamo::create_table(&client, &table)
        .await
        .expect("the test table is created");
    spawn(
        vec![("INVITES_TABLE_NAME".to_owned(), table)],
        Some(endpoint.to_owned()),
        None,
    )
    .await
}

/// A server on an existing DynamoDB table (one a test filled itself), reached through
/// `endpoint` when given.
pub async fn spawn_app_on_table(table: &str, endpoint: Option<&str>) -> TestApp {
    spawn(
        vec![("INVITES_TABLE_NAME".to_owned(), table.to_owned())],
        endpoint.map(str::to_owned),
        None,
    )
    .await
}

/// Why a server configured with `vars` (besides the accept URL) refuses to start: its
/// configuration, or the start itself.
pub async fn start_error(vars: &[(&str, &str)]) -> String {
    let mut all: HashMap<String, String> = HashMap::from([("INVITES_ACCEPT_URL".to_owned(), ACCEPT_URL.to_owned())]);
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = match Config::from_lookup(|name| all.get(name).cloned(), None) {
        Ok(config) => config,
        Err(e) => return e.to_string(),
    };
    let data_dir = tempfile::tempdir().expect("a temporary data folder");
    let options = LocalOptions {
        listen: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_path_buf(),
        config,
        clock: Arc::new(ManualClock::starting_now()),
        dynamodb_endpoint: None,
        limits: ServerLimits::default(),
        cors: CorsOrigins::default(),
        webhooks: match WebhookConfig::from_lookup(|name| all.get(name).cloned()) {
            Ok(webhooks) => webhooks,
            Err(e) => return e,
        },
    };
    match invites_local::start(options).await {
        Ok(server) => {
            server.stop().await.expect("the server stops");
            panic!("the server started with {vars:?}");
        }
        Err(e) => e.to_string(),
    }
}

async fn spawn(vars: Vec<(String, String)>, dynamodb_endpoint: Option<String>, moto: Option<MotoLease>) -> TestApp {
    // Every thread's logs, captured (and the warnings shown when a test fails).
    crate::logs::install();
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
        key: None,
        vars: all,
        data_dir: tempfile::tempdir().expect("a temporary data folder"),
        dynamodb_endpoint,
        limits: ServerLimits::default(),
        moto,
        server: None,
    };
    app.start().await;
    app
}

impl TestApp {
    /// Starts the server on the data folder (or table) it had.
    pub async fn start(&mut self) {
        let vars = self.vars.clone();
        let config = Config::from_lookup(|name| vars.get(name).cloned(), None).expect("test configuration");
        let cors = CorsOrigins::from_lookup(|name| vars.get(name).cloned()).expect("test CORS origins");
        let options = LocalOptions {
            listen: "127.0.0.1:0".into(),
            data_dir: self.data_dir.path().to_path_buf(),
            config,
            clock: self.clock.clone(),
            dynamodb_endpoint: self.dynamodb_endpoint.clone(),
            limits: self.limits,
            cors,
            webhooks: WebhookConfig::from_lookup(|name| vars.get(name).cloned()).expect("test webhooks"),
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
                let moto = self.moto.as_ref().map_or_else(moto_endpoint, |lease| lease.url.clone());
                let client = invites_shared::dynamo::client_from_env(Some(&moto)).await;
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

    /// Runs the expiry sweep once (what `invites-local sweep` does), at the test's clock.
    pub async fn sweep(&self) -> usize {
        let server = self.server.as_ref().expect("the server runs");
        server.sweep_expired(10_000).await.expect("the sweep runs")
    }

    /// The server's configuration variable `name`.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
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

    /// A token signed with the server's secret, expiring in an hour, holding the roles
    /// the tests grant ([`TEST_ROLES`]).
    pub fn token_for(&self, sub: Uuid, tenant: Option<Uuid>, super_admin: bool) -> String {
        self.token_with_roles(sub, tenant, super_admin, &TEST_ROLES)
    }

    /// A token like [`Self::token_for`]'s, holding exactly `roles`.
    pub fn token_with_roles(&self, sub: Uuid, tenant: Option<Uuid>, super_admin: bool, roles: &[&str]) -> String {
        let claims = Claims {
            sub: sub.to_string(),
            tenant_id: tenant.map(|t| t.to_string()),
            super_admin,
            exp: (chrono::Utc::now() + Duration::hours(1)).timestamp() as u64,
            iss: self.vars.get("INVITES_JWT_ISSUER").cloned(),
            aud: self.vars.get("INVITES_JWT_AUDIENCE").cloned(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        };
        self.sign(&claims)
    }

    pub fn sign(&self, claims: &impl serde::Serialize) -> String {
        if let Some(key) = &self.key {
            return key.sign(None, claims);
        }
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
}
