//! The glue every Lambda function shares, so each `main` is one line: JSON logs (one
//! line per request, carrying the Lambda request id) and EMF metrics, configuration from the environment, SDK clients built once at
//! init with their connections already open, then `lambda_http::run` over the shared API.

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use lambda_http::lambda_runtime::{self, LambdaEvent};
use lambda_http::{Body, Error, Request, RequestExt, Response, service_fn};
use serde_json::{Value, json};

use crate::auth::Authenticator;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::domain::InviteId;
use crate::dynamo::{self, DynamoStore};
use crate::email::{Mailer, NoSender, SesMailer};
use crate::http::{Api, Operation, RequestId};
use crate::service::{DeliveryQueue, InviteService, Settings, StreamDelivery};

/// Runs the function that serves `operation`.
pub async fn run(operation: Operation) -> Result<(), Error> {
    crate::telemetry::init();
    let api = Arc::new(api_from_env().await?);
    lambda_http::run(service_fn(move |request: Request| {
        let api = api.clone();
        async move { Ok::<_, Error>(handle(&api, operation, request).await) }
    }))
    .await
}

/// The API as configured by the environment, on DynamoDB. It only queues email: the
/// table's stream carries each queued invite to the mailer function.
pub async fn api_from_env() -> Result<Api, Error> {
    let (config, store) = store_from_env().await?;
    let service = build_service(&config, store, Arc::new(NoSender), Arc::new(StreamDelivery));
    Ok(Api::new(Arc::new(service), Authenticator::new(&config.jwt)?))
}

/// The configuration and the DynamoDB store, with the connection opened during init, so
/// the first request does not wait for DNS and the TLS handshake (init runs before
/// Lambda hands out the first event; it is still billed time).
async fn store_from_env() -> Result<(Config, Arc<dyn crate::store::InviteStore>), Error> {
    let config = Config::from_env(None)?;
    let table = config.table_name.clone().ok_or("INVITES_TABLE_NAME is required")?;
    let client = dynamo::client_from_env(None).await;
    if let Err(e) = client.describe_table().table_name(&table).send().await {
        tracing::warn!(error = %aws_sdk_dynamodb::error::DisplayErrorContext(&e), "could not warm the DynamoDB connection");
    }
    Ok((config, Arc::new(DynamoStore::new(client, table))))
}

/// Runs the mailer function: the table's stream, filtered to invites whose email is
/// queued, drives the one delivery core ([`InviteService::deliver`]) through SES.
pub async fn run_mailer() -> Result<(), Error> {
    crate::telemetry::init();
    let (config, store) = store_from_env().await?;
    let sender = config
        .sender_email
        .clone()
        .ok_or("INVITES_SENDER_EMAIL is required by the mailer")?;
    let configuration_set = std::env::var("INVITES_SES_CONFIGURATION_SET")
        .ok()
        .filter(|s| !s.is_empty());
    let mailer = Arc::new(SesMailer::new(
        SesMailer::client_from_env(None).await,
        sender,
        configuration_set,
    ));
    let service = Arc::new(build_service(&config, store, mailer, Arc::new(StreamDelivery)));
    lambda_runtime::run(lambda_runtime::service_fn(move |event: LambdaEvent<Value>| {
        let service = service.clone();
        async move { Ok::<_, Error>(handle_stream(&service, event.payload).await) }
    }))
    .await
}

/// How many deliveries of one batch run at once.
const STREAM_CONCURRENCY: usize = 8;

/// One batch of DynamoDB stream records: delivers each record's invite. A record whose
/// delivery could not even be attempted (storage trouble) is reported in
/// `batchItemFailures`, so Lambda retries it (bounded, bisecting, then the dead-letter
/// queue); a failed email is not such a failure, since the invite records it.
pub async fn handle_stream(service: &InviteService, event: Value) -> Value {
    let records = event["Records"].as_array().cloned().unwrap_or_default();
    let failures: Vec<Value> = futures::stream::iter(records)
        .map(|record| async move {
            let sequence = record["dynamodb"]["SequenceNumber"].as_str().map(str::to_owned);
            let id = record["dynamodb"]["Keys"]["pk"]["S"]
                .as_str()
                .and_then(|pk| pk.strip_prefix("INVITE#"))
                .and_then(InviteId::parse)?;
            match service.deliver(id).await {
                Ok(outcome) => {
                    tracing::info!(invite_id = %id, outcome = ?outcome, "delivery");
                    None
                }
                Err(e) => {
                    tracing::error!(invite_id = %id, error = %e, "delivery could not be attempted");
                    Some(json!({ "itemIdentifier": sequence }))
                }
            }
        })
        .buffer_unordered(STREAM_CONCURRENCY)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;
    json!({ "batchItemFailures": failures })
}

/// The API over given parts, with the stream delivering email; what `api_from_env`
/// does once the clients exist.
pub fn build_api(
    config: &Config,
    store: Arc<dyn crate::store::InviteStore>,
    mailer: Arc<dyn Mailer>,
) -> Result<Api, crate::config::ConfigError> {
    let service = build_service(config, store, mailer, Arc::new(StreamDelivery));
    Ok(Api::new(Arc::new(service), Authenticator::new(&config.jwt)?))
}

/// The use cases over given parts, as configured.
pub fn build_service(
    config: &Config,
    store: Arc<dyn crate::store::InviteStore>,
    mailer: Arc<dyn Mailer>,
    queue: Arc<dyn DeliveryQueue>,
) -> InviteService {
    let settings = Settings {
        accept_url: config.accept_url.clone(),
        default_expiry_days: config.default_expiry_days,
        resend_limit_per_hour: config.resend_limit_per_hour,
    };
    InviteService::new(
        store,
        mailer,
        queue,
        Arc::new(SystemClock),
        settings,
        &config.cursor_secret,
    )
}

/// One invocation: the API Gateway request through the shared handler for `operation`.
pub async fn handle(api: &Api, operation: Operation, request: Request) -> Response<Body> {
    // Every log line of the request carries Lambda's request id.
    let request_id = request.lambda_context_ref().map(|context| context.request_id.clone());
    let (mut parts, body) = request.into_parts();
    if let Some(id) = request_id {
        parts.extensions.insert(RequestId(id));
    }
    let request = http::Request::from_parts(parts, Bytes::copy_from_slice(body.as_ref()));
    api.handle_operation(operation, request)
        .await
        .map(|bytes| match String::from_utf8(bytes.to_vec()) {
            Ok(text) if text.is_empty() => Body::Empty,
            Ok(text) => Body::Text(text),
            Err(e) => Body::Binary(e.into_bytes()),
        })
}
