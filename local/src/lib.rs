//! `invites-local`: every route of the API on one port, with an embedded store that
//! survives restarts and an `.eml` outbox, so the whole service runs with no AWS.

pub mod outbox;
pub mod store;

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use invites_shared::auth::Authenticator;
use invites_shared::clock::Clock;
use invites_shared::config::Config;
use invites_shared::domain::MAX_BODY_BYTES;
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::email::Mailer;
use invites_shared::http::{Api, Problem};
use invites_shared::service::{InviteService, Settings};
use invites_shared::store::InviteStore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::outbox::{DEFAULT_SENDER, OutboxMailer};
use crate::store::EmbeddedStore;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = "./.invites";

/// The API description (OpenAPI 3.1), embedded from the repository's `openapi.yaml`.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");
/// Where the local server serves [`OPENAPI_YAML`], as JSON.
pub const OPENAPI_JSON_PATH: &str = "/openapi.json";

/// The API description as JSON.
pub fn openapi_json() -> Result<serde_json::Value, String> {
    yaml_serde::from_str(OPENAPI_YAML).map_err(|e| format!("openapi.yaml is not valid YAML: {e}"))
}

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
}

impl LocalOptions {
    pub fn outbox_dir(data_dir: &Path) -> PathBuf {
        data_dir.join("outbox")
    }
}

/// A running server; dropping it does not stop it, [`RunningServer::stop`] does.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets requests in flight finish, and closes the store.
    pub async fn stop(self) -> io::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.map_err(io::Error::other)?
    }

    /// Runs until `signal` resolves, then stops gracefully.
    pub async fn run_until(self, signal: impl Future<Output = ()>) -> io::Result<()> {
        let Self { shutdown, mut task, .. } = self;
        tokio::select! {
            _ = signal => {
                let _ = shutdown.send(());
                task.await.map_err(io::Error::other)?
            }
            finished = &mut task => finished.map_err(io::Error::other)?,
        }
    }
}

/// Opens the store (DynamoDB when `INVITES_TABLE_NAME` is set, else the embedded one
/// under the data folder) and the outbox, and starts serving every route of the API,
/// and the API description at `GET /openapi.json`.
pub async fn start(options: LocalOptions) -> Result<RunningServer, StartError> {
    let spec = Bytes::from(serde_json::to_vec(&openapi_json().map_err(StartError::Config)?).expect("JSON serializes"));
    let data_dir = &options.data_dir;
    let dir_error = |reason: String| StartError::DataDir {
        path: data_dir.clone(),
        reason,
    };
    std::fs::create_dir_all(data_dir).map_err(|e| dir_error(e.to_string()))?;
    let store: Arc<dyn InviteStore> = match &options.config.table_name {
        Some(table) => {
            let client = dynamo::client_from_env(options.dynamodb_endpoint.as_deref()).await;
            Arc::new(DynamoStore::new(client, table))
        }
        None => Arc::new(EmbeddedStore::open(&data_dir.join("invites.redb")).map_err(|e| dir_error(e.to_string()))?),
    };
    let mailer: Arc<dyn Mailer> =
        Arc::new(OutboxMailer::new(LocalOptions::outbox_dir(data_dir), DEFAULT_SENDER).map_err(dir_error)?);
    let config = &options.config;
    let auth = Authenticator::new(&config.jwt).map_err(|e| StartError::Config(e.to_string()))?;
    let settings = Settings {
        accept_url: config.accept_url.clone(),
        default_expiry_days: config.default_expiry_days,
        resend_limit_per_hour: config.resend_limit_per_hour,
    };
    let service = InviteService::new(store, mailer, options.clock.clone(), settings, &config.cursor_secret);
    let api = Arc::new(Api::new(service, auth));

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
    let app = Router::new()
        .route(
            OPENAPI_JSON_PATH,
            get(move || std::future::ready(openapi_response(spec.clone()))).fallback(openapi_method_not_allowed),
        )
        .fallback(serve)
        .with_state(api);
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    Ok(RunningServer { addr, shutdown, task })
}

/// Reads the body, refusing one over 256 KiB before it is read whole, and hands the
/// request to the shared API.
async fn serve(State(api): State<Arc<Api>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let bytes = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Err(e) => {
            tracing::debug!(error = %e, "could not read a request body");
            return Problem::new(
                http::StatusCode::BAD_REQUEST,
                "VALIDATION_FAILED",
                "the body could not be read",
            )
            .into_response()
            .map(axum::body::Body::from);
        }
    };
    let response = api.handle(http::Request::from_parts(parts, bytes)).await;
    response.map(axum::body::Body::from)
}

fn openapi_response(spec: Bytes) -> Response {
    let mut response = Response::new(axum::body::Body::from(spec));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

async fn openapi_method_not_allowed() -> Response {
    Problem::method_not_allowed(vec![http::Method::GET, http::Method::HEAD])
        .into_response()
        .map(axum::body::Body::from)
}

fn too_large() -> Response {
    let mut response = Problem::payload_too_large("the body is larger than 256 KiB")
        .into_response()
        .map(axum::body::Body::from);
    // The rest of the body is never read, so the connection cannot be reused.
    response
        .headers_mut()
        .insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
    response
}
