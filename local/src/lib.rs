//! `invites-local`: every route of the API on one port, with an embedded store that
//! survives restarts and an `.eml` outbox, so the whole service runs with no AWS.

pub mod clock;
pub mod cors;
pub mod dev_token;
pub mod docs;
pub mod fixtures;
pub mod listener;
pub mod outbox;
pub mod store;
pub mod web;
pub mod webhooks;

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::any;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use invites_shared::clock::Clock;
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET, JwtKey};
use invites_shared::domain::{ErrorCode, InviteId, MAX_BODY_BYTES};
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::email::{Mailer, PacedMailer, SesMailer, instance_rate, paced_rate};
use invites_shared::http::openapi::{OPENAPI_JSON_PATH, openapi_json, openapi_response};
use invites_shared::http::problem::body_too_large;
use invites_shared::http::{Api, Problem, RequestId};
use invites_shared::service::{DeliveryQueue, InviteService};
use invites_shared::store::InviteStore;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::cors::CorsOrigins;
use crate::listener::ServerLimits;
use crate::outbox::{DEFAULT_SENDER, OutboxMailer};
use crate::store::EmbeddedStore;
use crate::webhooks::{WebhookConfig, WebhookWorker};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = "./.invites";

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("data folder {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: io::Error },
}

pub struct LocalOptions {
    pub listen: String,
    pub data_dir: PathBuf,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    /// Where DynamoDB is, when `INVITES_TABLE_NAME` is set; `None` lets the SDK read
    /// `AWS_ENDPOINT_URL` (or use AWS itself).
    pub dynamodb_endpoint: Option<String>,
    /// Timeouts and the connection limit ([`ServerLimits::default`] but in tests).
    pub limits: ServerLimits,
    /// Which browser origins may call the API (`INVITES_CORS_ORIGINS`).
    pub cors: CorsOrigins,
    /// Where the lifecycle events go (`INVITES_WEBHOOK_URL`, `INVITES_WEBHOOK_SECRET`).
    pub webhooks: Option<WebhookConfig>,
}

impl LocalOptions {
    pub fn outbox_dir(data_dir: &Path) -> PathBuf {
        data_dir.join("outbox")
    }
}

/// A running server; dropping it does not stop it, [`RunningServer::stop`] does.
pub struct RunningServer {
    pub addr: SocketAddr,
    service: Arc<InviteService>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
    worker: DeliveryWorker,
    webhooks: Option<WebhookWorker>,
}

impl RunningServer {
    /// Stops accepting, lets requests in flight finish, stops the mail worker after the
    /// delivery it is making (what is still queued is picked up at the next start), and
    /// closes the store.
    pub async fn stop(self) -> io::Result<()> {
        let _ = self.shutdown.send(());
        let served = self.task.await.map_err(io::Error::other)?;
        self.worker.stop().await;
        if let Some(webhooks) = self.webhooks {
            webhooks.stop().await;
        }
        served
    }

    /// Runs until `signal` resolves, then stops gracefully.
    pub async fn run_until(self, signal: impl Future<Output = ()>) -> io::Result<()> {
        let Self {
            shutdown,
            mut task,
            worker,
            webhooks,
            ..
        } = self;
        let served = tokio::select! {
            _ = signal => {
                let _ = shutdown.send(());
                task.await.map_err(io::Error::other)?
            }
            finished = &mut task => finished.map_err(io::Error::other)?,
        };
        worker.stop().await;
        if let Some(webhooks) = webhooks {
            webhooks.stop().await;
        }
        served
    }

    /// Waits until the mail worker has nothing queued (for tests and scripts that read
    /// the outbox right after a send).
    pub async fn settle(&self) {
        self.worker.settle().await
    }

    /// Runs the expiry sweep once over the server's store and clock (as
    /// `invites-local sweep` does); returns how many expiries it recorded.
    pub async fn sweep_expired(&self, max: usize) -> Result<usize, String> {
        self.service
            .sweep_expired(max)
            .await
            .map_err(|e| invites_shared::telemetry::describe(&e))
    }
}

/// `invites-local`'s delivery queue: invite ids handed to the in-process worker.
struct WorkerQueue {
    ids: mpsc::UnboundedSender<InviteId>,
    pending: Arc<AtomicUsize>,
}

impl DeliveryQueue for WorkerQueue {
    fn enqueue(&self, invite: InviteId) {
        self.pending.fetch_add(1, Ordering::SeqCst);
        if self.ids.send(invite).is_err() {
            // The worker has stopped; the invite stays queued for the next start.
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The in-process mail worker: the same delivery core as the stream-driven mailer
/// function, fed by a channel instead of the table's stream, and by its own timer for
/// deliveries a passing failure deferred (the function's retry queue). The deferral is
/// on the invite (`retry_at`), so a restart loses none: every queued invite is handed
/// to the worker at start, and one not due yet waits again.
struct DeliveryWorker {
    pending: Arc<AtomicUsize>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// How often the worker looks for deferred deliveries that came due.
const RETRY_TICK: std::time::Duration = std::time::Duration::from_millis(100);

impl DeliveryWorker {
    fn start(
        service: Arc<InviteService>,
        mut ids: mpsc::UnboundedReceiver<InviteId>,
        pending: Arc<AtomicUsize>,
    ) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let counter = pending.clone();
        let task = tokio::spawn(async move {
            let mut waiting: std::collections::BTreeSet<(chrono::DateTime<chrono::Utc>, InviteId)> =
                std::collections::BTreeSet::new();
            let mut tick = tokio::time::interval(RETRY_TICK);
            loop {
                let (id, counted) = tokio::select! {
                    _ = stopped.changed() => return,
                    id = ids.recv() => match id {
                        Some(id) => (id, true),
                        None => return,
                    },
                    _ = tick.tick() => match waiting.first().copied() {
                        Some((at, id)) if at <= service.clock().now() => {
                            waiting.pop_first();
                            (id, false)
                        }
                        _ => continue,
                    },
                };
                match service.deliver(id).await {
                    Ok(outcome) => {
                        if let Some(at) = outcome.retry_at() {
                            waiting.insert((at, id));
                        }
                    }
                    // The invite stays queued; the next start (or a resend) delivers it.
                    Err(e) => tracing::error!(invite_id = %id, error = %e, "delivery failed"),
                }
                if counted {
                    counter.fetch_sub(1, Ordering::SeqCst);
                }
            }
        });
        Self { pending, stop, task }
    }

    async fn settle(&self) {
        while self.pending.load(Ordering::SeqCst) > 0 && !self.task.is_finished() {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Opens the store (DynamoDB when `INVITES_TABLE_NAME` is set, else the embedded one
/// under the data folder) and the mailer (SES when `INVITES_SENDER_EMAIL` is set, else
/// the outbox), starts the mail worker, and starts serving every route of the API, the
/// API description at `GET /openapi.json`, Swagger UI over it at `GET /docs`, the
/// browser pages (`/`, `/accept-invite`) and, with the development secret only,
/// `POST /dev/token`.
pub async fn start(options: LocalOptions) -> Result<RunningServer, StartError> {
    refuse_development_secret_beyond_this_machine(&options).await?;
    let spec = openapi_json().map_err(StartError::Config)?;
    let data_dir = &options.data_dir;
    let dir_error = |reason: String| StartError::DataDir {
        path: data_dir.clone(),
        reason,
    };
    let config = &options.config;
    if matches!(config.jwt.key, JwtKey::ApiGateway) {
        // Only API Gateway can put verified claims into a request: locally there is
        // no authorizer, so every request would be refused.
        return Err(StartError::Config(
            "INVITES_AUTH_MODE=apigateway needs API Gateway's JWT authorizer; invites-local verifies tokens itself \
             (unset INVITES_AUTH_MODE)"
                .into(),
        ));
    }
    if config.cursor_secret.is_none() {
        tracing::warn!("no INVITES_CURSOR_SECRET: list cursors hold until this server stops");
    }
    std::fs::create_dir_all(data_dir).map_err(|e| dir_error(e.to_string()))?;
    let mut webhooks = None;
    let store: Arc<dyn InviteStore> = match &config.table_name {
        Some(_) if options.webhooks.is_some() => {
            // On DynamoDB the events come from the table's stream (the events function).
            return Err(StartError::Config(
                "INVITES_WEBHOOK_URL needs invites-local's embedded store (unset INVITES_TABLE_NAME)".into(),
            ));
        }
        Some(table) => {
            let client = dynamo::client_from_env(options.dynamodb_endpoint.as_deref()).await;
            Arc::new(DynamoStore::new(client, table))
        }
        None => {
            let mut store =
                EmbeddedStore::open(&data_dir.join("invites.redb")).map_err(|e| dir_error(e.to_string()))?;
            if let Some(config) = &options.webhooks {
                store = store.with_webhooks(config.urls.clone());
                let worker = WebhookWorker::start(store.clone(), config.clone(), options.clock.clone())
                    .map_err(|e| StartError::Config(format!("webhooks: {e}")))?;
                webhooks = Some(worker);
            }
            Arc::new(store)
        }
    };
    // Emails still queued when the server last stopped go out once the worker runs.
    let queued = store
        .queued_for_delivery()
        .await
        .map_err(|e| dir_error(e.to_string()))?;
    // SES at the account's pace, as the mailer function sends; the outbox at the
    // configured pace, if one is (to rehearse a burst).
    let mailer: Arc<dyn Mailer> = match &config.sender_email {
        Some(sender) => {
            let ses = SesMailer::new(
                SesMailer::client_from_env(None).await,
                sender,
                config.ses_configuration_set.clone(),
            );
            let rate = paced_rate(&ses, config.ses_max_send_rate, config.mailer_concurrency).await;
            Arc::new(PacedMailer::new(Arc::new(ses), rate))
        }
        None => {
            let outbox =
                Arc::new(OutboxMailer::new(LocalOptions::outbox_dir(data_dir), DEFAULT_SENDER).map_err(dir_error)?);
            match config.ses_max_send_rate {
                Some(rate) => Arc::new(PacedMailer::new(outbox, instance_rate(rate, config.mailer_concurrency))),
                None => outbox,
            }
        }
    };
    let (ids, receiver) = mpsc::unbounded_channel();
    let pending = Arc::new(AtomicUsize::new(0));
    let queue = Arc::new(WorkerQueue {
        ids,
        pending: pending.clone(),
    });
    let service = Arc::new(InviteService::from_config(
        config,
        store,
        mailer,
        queue.clone(),
        options.clock.clone(),
    ));
    let worker = DeliveryWorker::start(service.clone(), receiver, pending);
    let service_for_sweep = service.clone();
    for id in queued {
        queue.enqueue(id);
    }
    let api = Arc::new(
        Api::from_config(config, service)
            .await
            .map_err(|e| StartError::Config(e.to_string()))?,
    );

    let listener = TcpListener::bind(&options.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: options.listen.clone(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: options.listen.clone(),
        source,
    })?;
    let mut app = Router::new()
        .route(
            OPENAPI_JSON_PATH,
            any(move |method: http::Method| std::future::ready(openapi_response(&method, &spec).map(Body::from))),
        )
        .merge(docs::routes())
        .merge(web::routes());
    if let Some(dev) = dev_token::routes(config) {
        app = app.merge(dev);
    }
    let mut app = app.fallback(serve).with_state(Served {
        api,
        body_timeout: options.limits.body_timeout,
    });
    if let Some(cors) = options.cors.layer() {
        app = app.layer(cors);
    }
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(listener::serve(listener, app, options.limits, stopped));
    Ok(RunningServer {
        addr,
        service: service_for_sweep,
        shutdown,
        task,
        worker,
        webhooks,
    })
}

/// The built-in development secret is public (it is in this repository): a server
/// using it must be reachable from this machine only, and must not reach real
/// storage or real mail.
async fn refuse_development_secret_beyond_this_machine(options: &LocalOptions) -> Result<(), StartError> {
    let config = &options.config;
    if !matches!(&config.jwt.key, JwtKey::Secret(s) if s == DEVELOPMENT_JWT_SECRET) {
        return Ok(());
    }
    let refuse = |why: &str| {
        Err(StartError::Config(format!(
            "the built-in development secret cannot be used {why}; set INVITES_JWT_SECRET (at least 32 bytes)"
        )))
    };
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host(&options.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: options.listen.clone(),
            source,
        })?
        .collect();
    if addresses.iter().any(|a| !a.ip().is_loopback()) {
        return refuse("on an address other machines can reach");
    }
    if config.table_name.is_some() {
        return refuse("with DynamoDB (INVITES_TABLE_NAME)");
    }
    if config.sender_email.is_some() {
        return refuse("with SES email (INVITES_SENDER_EMAIL)");
    }
    Ok(())
}

pub use invites_shared::http::REQUEST_ID_HEADER;

/// What the fallback route serves with.
#[derive(Clone)]
struct Served {
    api: Arc<Api>,
    body_timeout: std::time::Duration,
}

/// Gives the request a fresh id, reads the body (refusing one over 256 KiB before it is
/// read whole, and one that does not arrive within the body timeout), and hands the
/// request to the shared API.
async fn serve(State(Served { api, body_timeout }): State<Served>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let request_id = uuid::Uuid::new_v4().to_string();
    parts.extensions.insert(RequestId(request_id.clone()));
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let response = if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        too_large(&api, &parts)
    } else {
        match tokio::time::timeout(body_timeout, Limited::new(body, MAX_BODY_BYTES).collect()).await {
            Ok(Ok(collected)) => api.handle(http::Request::from_parts(parts, collected.to_bytes())).await,
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => too_large(&api, &parts),
            Err(_) => {
                let problem = Problem::new(ErrorCode::RequestTimeout, "the body did not arrive in time");
                closing(api.refuse(&parts, problem))
            }
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "could not read a request body");
                let problem = Problem::new(ErrorCode::ValidationFailed, "the body could not be read");
                api.refuse(&parts, problem)
            }
        }
    };
    let mut response = response.map(axum::body::Body::from);
    if let Ok(value) = http::HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

fn too_large(api: &Api, parts: &http::request::Parts) -> http::Response<bytes::Bytes> {
    closing(api.refuse(parts, Problem::payload_too_large(body_too_large())))
}

/// The rest of the body is never read, so the connection cannot be reused.
fn closing(mut response: http::Response<bytes::Bytes>) -> http::Response<bytes::Bytes> {
    response
        .headers_mut()
        .insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
    response
}
