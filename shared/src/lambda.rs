//! The glue every Lambda function shares, so each `main` is one line: JSON logs (one
//! line per request, carrying the Lambda request id) and EMF metrics, configuration
//! from the environment, SDK clients built once at init with their connections already
//! open, then `lambda_http::run_concurrent` over one operation's handler.
//!
//! `run_concurrent` (lambda_http's `concurrency-tokio` feature): on classic Lambda, and
//! under `cargo lambda watch` (which sets `AWS_LAMBDA_MAX_CONCURRENCY=1`), it polls for
//! one event at a time exactly like `run`; where `AWS_LAMBDA_MAX_CONCURRENCY` is above 1
//! (Lambda Managed Instances) it serves that many at once. Our handlers share only an
//! `Arc` of clients that are safe across tasks, so that is correct; and `run` would
//! warn at every start under `cargo lambda watch` that the variable is ignored.

use std::sync::Arc;

use aws_lambda_events::event::dynamodb::Event as StreamEvent;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use bytes::Bytes;
use futures::StreamExt;
use lambda_http::lambda_runtime::{self, LambdaEvent};
use lambda_http::{Body, Error, Request, RequestExt, Response, service_fn};

use crate::clock::SystemClock;
use crate::config::Config;
use crate::dynamo::{self, DynamoStore};
use crate::email::{Mailer, NoSender, SesMailer};
use crate::http::endpoints::{
    AcceptUserInvite, CancelUserInvite, CheckUserInviteToken, GetUserInvite, ListUserInvites, ResendUserInvite,
    SendUserInvites, UpdateUserInvite,
};
use crate::http::{Api, Endpoint, REQUEST_ID_HEADER, RequestId, openapi};
use crate::operation::Operation;
use crate::service::{InviteService, StreamDelivery};
use crate::store::InviteStore;

/// Runs the function that serves `E`'s operation, and only it: the handlers of the
/// other operations are never instantiated, so they are not linked into the binary.
pub async fn run<E: Endpoint>() -> Result<(), Error> {
    crate::telemetry::init();
    let api = Arc::new(api_from_env().await?);
    lambda_http::run_concurrent(service_fn(move |request: Request| {
        let api = api.clone();
        async move { Ok::<_, Error>(handle_one::<E>(&api, request).await) }
    }))
    .await
}

/// Runs the function that serves the API description at `GET /openapi.json`: no
/// configuration, no table, no token; the JSON is converted once, at init.
pub async fn run_openapi_document() -> Result<(), Error> {
    crate::telemetry::init();
    let json = openapi::openapi_json()?;
    lambda_http::run_concurrent(service_fn(move |request: Request| {
        let json = json.clone();
        async move { Ok::<_, Error>(handle_openapi_document(&json, request)) }
    }))
    .await
}

/// One request for the API description.
pub fn handle_openapi_document(json: &Bytes, request: Request) -> Response<Body> {
    let response = openapi::openapi_response(request.method(), json);
    with_request_id(response, lambda_request_id(&request)).map(lambda_body)
}

fn lambda_request_id(request: &Request) -> Option<String> {
    request.lambda_context_ref().map(|context| context.request_id.clone())
}

/// Answers the Lambda request id as `x-request-id`, as `invites-local` answers its own:
/// the id a caller quotes to find the request's log line. (CORS exposes it to pages.)
fn with_request_id<B>(mut response: Response<B>, request_id: Option<String>) -> Response<B> {
    if let Some(value) = request_id.and_then(|id| http::HeaderValue::from_str(&id).ok()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// The API as configured by the environment, on DynamoDB. It only queues email: the
/// table's stream carries each queued invite to the mailer function.
pub async fn api_from_env() -> Result<Api, Error> {
    let (config, store) = store_from_env().await?;
    Ok(build_api(&config, store, Arc::new(NoSender))?)
}

/// The configuration and the DynamoDB store, with the connection opened during init, so
/// the first request does not wait for DNS and the TLS handshake (init runs before
/// Lambda hands out the first event; it is still billed time).
async fn store_from_env() -> Result<(Config, Arc<dyn InviteStore>), Error> {
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
    let mailer = Arc::new(SesMailer::new(
        SesMailer::client_from_env(None).await,
        sender,
        config.ses_configuration_set.clone(),
    ));
    let service = Arc::new(build_service(&config, store, mailer));
    lambda_runtime::run_concurrent(lambda_runtime::service_fn(move |event: LambdaEvent<StreamEvent>| {
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
pub async fn handle_stream(service: &InviteService, event: StreamEvent) -> DynamoDbEventResponse {
    let failures: Vec<DynamoDbBatchItemFailure> = futures::stream::iter(event.records)
        .filter_map(|record| async move {
            let id = match record.change.keys.get("pk") {
                Some(serde_dynamo::AttributeValue::S(pk)) => dynamo::invite_id_of_partition_key(pk),
                _ => None,
            }?;
            Some((id, record.change.sequence_number))
        })
        .map(|(id, sequence)| async move {
            match service.deliver(id).await {
                Ok(outcome) => {
                    tracing::info!(invite_id = %id, outcome = ?outcome, "delivery");
                    None
                }
                Err(e) => {
                    tracing::error!(invite_id = %id, error = %crate::telemetry::describe(&e), "delivery could not be attempted");
                    let mut failure = DynamoDbBatchItemFailure::default();
                    failure.item_identifier = sequence;
                    Some(failure)
                }
            }
        })
        .buffer_unordered(STREAM_CONCURRENCY)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures = failures;
    response
}

/// The API over given parts, with the stream delivering email; what `api_from_env`
/// does once the clients exist.
pub fn build_api(
    config: &Config,
    store: Arc<dyn InviteStore>,
    mailer: Arc<dyn Mailer>,
) -> Result<Api, crate::config::ConfigError> {
    Api::from_config(config, Arc::new(build_service(config, store, mailer)))
}

/// The use cases as the functions run them: the system clock, the stream delivering.
pub fn build_service(config: &Config, store: Arc<dyn InviteStore>, mailer: Arc<dyn Mailer>) -> InviteService {
    InviteService::from_config(config, store, mailer, Arc::new(StreamDelivery), Arc::new(SystemClock))
}

/// One invocation: the API Gateway request through `E`'s handler.
pub async fn handle_one<E: Endpoint>(api: &Api, request: Request) -> Response<Body> {
    // Every log line of the request carries Lambda's request id.
    let request_id = lambda_request_id(&request);
    let (mut parts, body) = request.into_parts();
    if let Some(id) = &request_id {
        parts.extensions.insert(RequestId(id.clone()));
    }
    let request = http::Request::from_parts(parts, Bytes::copy_from_slice(body.as_ref()));
    with_request_id(api.handle_one::<E>(request).await, request_id).map(lambda_body)
}

/// A response body as API Gateway wants it: text unless it is not UTF-8.
fn lambda_body(bytes: Bytes) -> Body {
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) if text.is_empty() => Body::Empty,
        Ok(text) => Body::Text(text),
        Err(e) => Body::Binary(e.into_bytes()),
    }
}

/// One invocation of the function serving `operation`, named at run time: for tests
/// that run every function's events through its handler. A function's `main` names its
/// endpoint statically ([`run`]) and never links this.
pub async fn handle(api: &Api, operation: Operation, request: Request) -> Response<Body> {
    match operation {
        Operation::SendUserInvites => handle_one::<SendUserInvites>(api, request).await,
        Operation::ResendUserInvite => handle_one::<ResendUserInvite>(api, request).await,
        Operation::CancelUserInvite => handle_one::<CancelUserInvite>(api, request).await,
        Operation::AcceptUserInvite => handle_one::<AcceptUserInvite>(api, request).await,
        Operation::CheckUserInviteToken => handle_one::<CheckUserInviteToken>(api, request).await,
        Operation::UpdateUserInvite => handle_one::<UpdateUserInvite>(api, request).await,
        Operation::ListUserInvites => handle_one::<ListUserInvites>(api, request).await,
        Operation::GetUserInvite => handle_one::<GetUserInvite>(api, request).await,
    }
}
