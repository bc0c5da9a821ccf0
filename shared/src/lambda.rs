//! The glue every Lambda function shares, so each `main` is one line: JSON logs and EMF
//! metrics in Powertools' shapes (every line carrying the invocation), configuration
//! from the environment with its secrets read from SSM or Secrets Manager, SDK clients
//! built once at init with their connections already open, then `lambda_http::run_concurrent`
//! over one operation's handler.
//!
//! `run_concurrent` (lambda_http's `concurrency-tokio` feature): on classic Lambda, and
//! under `cargo lambda watch` (which sets `AWS_LAMBDA_MAX_CONCURRENCY=1`), it polls for
//! one event at a time exactly like `run`; where `AWS_LAMBDA_MAX_CONCURRENCY` is above 1
//! (Lambda Managed Instances) it serves that many at once. Our handlers share only an
//! `Arc` of clients that are safe across tasks, so that is correct; and `run` would
//! warn at every start under `cargo lambda watch` that the variable is ignored.

use std::sync::Arc;

use aws_lambda_events::event::dynamodb::Event as StreamEvent;
use aws_lambda_events::event::sns::SnsEvent;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use bytes::Bytes;
use futures::StreamExt;
use lambda_http::lambda_runtime::{self, LambdaEvent};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Error, Request, RequestExt, Response, service_fn};

use crate::auth::{Authenticator, GatewayClaims};
use crate::clock::SystemClock;
use crate::config::Config;
use crate::domain::InviteId;
use crate::dynamo::{self, DynamoStore};
use crate::email::{Mailer, NoSender, PacedMailer, SesMailer, paced_rate};
use crate::event_bus::{EventBus, PUBLISHING};
use crate::http::endpoints::{
    AcceptUserInvite, CancelUserInvite, CheckUserInviteToken, GetUserInvite, ListUserInvites, ResendUserInvite,
    SendUserInvites, UpdateUserInvite,
};
use crate::http::{Api, Endpoint, REQUEST_ID_HEADER, RequestId, openapi};
use crate::operation::Operation;
use crate::retries::{RetryMessage, RetryScheduler, SqsRetries};
use crate::secrets::{self, Secret};
use crate::service::{DELIVERY, InviteService, StreamDelivery};
use crate::store::InviteStore;
use crate::telemetry::{self, ColdStart, Invocation, Metric};

/// Runs the function that serves `E`'s operation, and only it: the handlers of the
/// other operations are never instantiated, so they are not linked into the binary.
pub async fn run<E: Endpoint>() -> Result<(), Error> {
    telemetry::init();
    let function = Arc::new(function_from_env::<E>().await?);
    lambda_http::run_concurrent(service_fn(move |request: Request| {
        let function = function.clone();
        async move { Ok::<_, Error>(function.handle_one::<E>(request).await) }
    }))
    .await
}

/// The secrets `operation`'s function reads, and may read (the template grants no more):
/// the JWT secret where a caller is authenticated, the cursor key where invites are listed.
pub fn secrets_of(operation: Operation) -> Vec<Secret> {
    match operation {
        Operation::CheckUserInviteToken => vec![],
        Operation::ListUserInvites => vec![Secret::Jwt, Secret::Cursor],
        _ => vec![Secret::Jwt],
    }
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

/// `E`'s function as the environment configures it, on DynamoDB. It only queues email:
/// the table's stream carries each queued invite to the mailer function.
pub async fn function_from_env<E: Endpoint>() -> Result<Function, Error> {
    let config = secrets::config_from_env(&secrets_of(E::OPERATION), None).await?;
    let store = store_from_config(&config).await?;
    Ok(Function::new(
        function_api(E::OPERATION, &config, store, Arc::new(NoSender)).await?,
    ))
}

/// The API of `operation`'s function: a function that takes no JWT (check-token)
/// needs no key, and never holds one.
pub async fn function_api(
    operation: Operation,
    config: &Config,
    store: Arc<dyn InviteStore>,
    mailer: Arc<dyn Mailer>,
) -> Result<Api, Error> {
    if operation == Operation::ListUserInvites && config.cursor_secret.is_none() {
        // Each instance would sign cursors with its own key, and a page would fail on
        // the next instance: the key must be shared.
        return Err(
            "the list function needs INVITES_CURSOR_SECRET (or INVITES_CURSOR_SECRET_PARAMETER / \
                    INVITES_CURSOR_SECRET_ARN) when callers are verified by a key set or API Gateway"
                .into(),
        );
    }
    let service = Arc::new(build_service(config, store, mailer));
    let auth = match operation {
        Operation::CheckUserInviteToken => Authenticator::nobody(),
        _ => Authenticator::from_config(&config.jwt, service.clock()).await?,
    };
    Ok(Api::new(service, auth))
}

/// The DynamoDB store, with the connection opened during init, so the first request
/// does not wait for DNS and the TLS handshake (init runs before Lambda hands out the
/// first event; it is still billed time).
async fn store_from_config(config: &Config) -> Result<Arc<dyn InviteStore>, Error> {
    let table = config.table_name.clone().ok_or("INVITES_TABLE_NAME is required")?;
    let client = dynamo::client_from_env(None).await;
    if let Err(e) = client.describe_table().table_name(&table).send().await {
        tracing::warn!(error = %aws_sdk_dynamodb::error::DisplayErrorContext(&e), "could not warm the DynamoDB connection");
    }
    Ok(Arc::new(DynamoStore::new(client, table)))
}

/// Runs the mailer function: the table's stream, filtered to invites whose email is
/// queued, and the retry queue (`INVITES_MAIL_RETRY_QUEUE_URL`) drive the one delivery
/// core ([`InviteService::deliver`]) through SES, at the account's pace
/// ([`PacedMailer`]: `INVITES_SES_MAX_SEND_RATE`, else SES's `GetAccount`, shared by
/// `INVITES_MAILER_CONCURRENCY` instances).
pub async fn run_mailer() -> Result<(), Error> {
    telemetry::init();
    let config = secrets::config_from_env(&[], None).await?;
    let store = store_from_config(&config).await?;
    let sender = config
        .sender_email
        .clone()
        .ok_or("INVITES_SENDER_EMAIL is required by the mailer")?;
    let queue_url = std::env::var("INVITES_MAIL_RETRY_QUEUE_URL")
        .map_err(|_| "INVITES_MAIL_RETRY_QUEUE_URL is required by the mailer")?;
    let ses = SesMailer::new(
        SesMailer::client_from_env(None).await,
        sender,
        config.ses_configuration_set.clone(),
    );
    let rate = paced_rate(&ses, config.ses_max_send_rate, config.mailer_concurrency).await;
    tracing::info!(emails_per_second = rate, "the mailer's send rate");
    let mailer = Arc::new(PacedMailer::new(Arc::new(ses), rate));
    let service = Arc::new(build_service(&config, store, mailer));
    let retries: Arc<dyn RetryScheduler> =
        Arc::new(SqsRetries::new(SqsRetries::client_from_env(None).await, queue_url));
    let cold_start = Arc::new(ColdStart::default());
    lambda_runtime::run_concurrent(lambda_runtime::service_fn(
        move |event: LambdaEvent<serde_json::Value>| {
            let (service, retries, cold_start) = (service.clone(), retries.clone(), cold_start.clone());
            async move { handle_mailer_invocation(&service, retries.as_ref(), &cold_start, event).await }
        },
    ))
    .await
}

/// One invocation of the mailer: a stream batch or a batch of the retry queue, told
/// apart by the records' `eventSource`, its lines and metrics carrying the invocation,
/// the instance's first one counted as a cold start. Both answer `batchItemFailures`.
pub async fn handle_mailer_invocation(
    service: &InviteService,
    retries: &dyn RetryScheduler,
    cold_start: &ColdStart,
    event: LambdaEvent<serde_json::Value>,
) -> Result<serde_json::Value, Error> {
    let invocation = invocation(&event.context, cold_start);
    let from_queue = event.payload["Records"][0]["eventSource"] == "aws:sqs";
    let work = async move {
        if from_queue {
            let batch: SqsEvent = serde_json::from_value(event.payload)?;
            Ok::<_, Error>(serde_json::to_value(handle_retries(service, retries, batch).await)?)
        } else {
            let batch: StreamEvent = serde_json::from_value(event.payload)?;
            Ok(serde_json::to_value(handle_stream(service, retries, batch).await)?)
        }
    };
    invoked(invocation, DELIVERY, Box::pin(work)).await
}

/// How many deliveries of one batch run at once (the paced mailer spaces their sends).
const STREAM_CONCURRENCY: usize = 8;

/// Delivers one invite; what to report if it could not even be attempted (storage
/// trouble) or its retry could not be scheduled.
async fn deliver_one(service: &InviteService, retries: &dyn RetryScheduler, id: InviteId) -> Result<(), ()> {
    match service.deliver(id).await {
        Ok(outcome) => {
            tracing::info!(invite_id = %id, outcome = ?outcome, "delivery");
            let Some(at) = outcome.retry_at() else { return Ok(()) };
            retries.schedule(id, at, service.clock().now()).await.map_err(|e| {
                tracing::error!(invite_id = %id, error = %e, "the retry could not be scheduled");
            })
        }
        Err(e) => {
            tracing::error!(invite_id = %id, error = %telemetry::describe(&e), "delivery could not be attempted");
            Err(())
        }
    }
}

/// One batch of DynamoDB stream records: delivers each record's invite. A record whose
/// delivery could not even be attempted (storage trouble), or whose retry could not be
/// scheduled, is reported in `batchItemFailures`, so Lambda retries it (bounded,
/// bisecting, then the dead-letter queue); a failed email is not such a failure, since
/// the invite records it.
pub async fn handle_stream(
    service: &InviteService,
    retries: &dyn RetryScheduler,
    event: StreamEvent,
) -> DynamoDbEventResponse {
    let failures: Vec<DynamoDbBatchItemFailure> = futures::stream::iter(event.records)
        .filter_map(|record| async move {
            let id = match record.change.keys.get("pk") {
                Some(serde_dynamo::AttributeValue::S(pk)) => dynamo::invite_id_of_partition_key(pk),
                _ => None,
            }?;
            Some((id, record.change.sequence_number))
        })
        .map(|(id, sequence)| async move {
            deliver_one(service, retries, id).await.err().map(|()| {
                let mut failure = DynamoDbBatchItemFailure::default();
                failure.item_identifier = sequence;
                failure
            })
        })
        .buffer_unordered(STREAM_CONCURRENCY)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures = failures;
    response
}

/// One batch of the retry queue: delivers each message's invite when it is due. A
/// message that does not name an invite is dropped (logged); one whose delivery could
/// not be attempted is reported, so SQS hands it over again (then its dead-letter queue).
pub async fn handle_retries(
    service: &InviteService,
    retries: &dyn RetryScheduler,
    event: SqsEvent,
) -> SqsBatchResponse {
    let failures: Vec<BatchItemFailure> = futures::stream::iter(event.records)
        .map(|message| async move {
            let parsed = message
                .body
                .as_deref()
                .and_then(|body| serde_json::from_str::<RetryMessage>(body).ok());
            let Some(RetryMessage { invite_id }) = parsed else {
                tracing::error!(message_id = ?message.message_id, "a retry message names no invite; dropped");
                return None;
            };
            deliver_one(service, retries, invite_id).await.err().map(|()| {
                let mut failure = BatchItemFailure::default();
                failure.item_identifier = message.message_id.unwrap_or_default();
                failure
            })
        })
        .buffer_unordered(STREAM_CONCURRENCY)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures;
    response
}

/// Runs the events publisher: the table's stream (old and new images) becomes lifecycle
/// events on the EventBridge bus `INVITES_EVENT_BUS` (a name or ARN), with `source`
/// `INVITES_EVENT_SOURCE` (default `user-invites`). It reads no table and no secret.
pub async fn run_event_publisher() -> Result<(), Error> {
    telemetry::init();
    let bus =
        std::env::var("INVITES_EVENT_BUS").map_err(|_| "INVITES_EVENT_BUS is required by the events publisher")?;
    let source = std::env::var("INVITES_EVENT_SOURCE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| crate::event_bus::DEFAULT_SOURCE.to_owned());
    let bus = Arc::new(EventBus::new(EventBus::client_from_env(None).await, bus, source));
    let cold_start = Arc::new(ColdStart::default());
    lambda_runtime::run_concurrent(lambda_runtime::service_fn(move |event: LambdaEvent<StreamEvent>| {
        let (bus, cold_start) = (bus.clone(), cold_start.clone());
        async move {
            let invocation = invocation(&event.context, &cold_start);
            Ok::<_, Error>(invoked(invocation, PUBLISHING, Box::pin(bus.publish_stream(event.payload))).await)
        }
    }))
    .await
}

/// Runs the email feedback function: SES's bounces, complaints, deliveries and rejects
/// (its configuration set publishes them to an SNS topic) recorded on the invites.
pub async fn run_email_feedback() -> Result<(), Error> {
    telemetry::init();
    let config = secrets::config_from_env(&[], None).await?;
    let store = store_from_config(&config).await?;
    let service = Arc::new(build_service(&config, store, Arc::new(NoSender)));
    let cold_start = Arc::new(ColdStart::default());
    lambda_runtime::run_concurrent(lambda_runtime::service_fn(move |event: LambdaEvent<SnsEvent>| {
        let (service, cold_start) = (service.clone(), cold_start.clone());
        async move {
            let invocation = invocation(&event.context, &cold_start);
            let work = async move {
                crate::feedback::handle_feedback(&service, event.payload)
                    .await
                    .map(|_| ())
            };
            invoked(invocation, crate::feedback::FEEDBACK, Box::pin(work))
                .await
                .map_err(Error::from)
        }
    }))
    .await
}

/// How many expired invites one sweep records per round (one read of the backlog).
pub const SWEEP_BATCH: usize = 100;
/// A sweep stops starting rounds after this long, well inside its function's timeout;
/// the next scheduled sweep goes on where it stopped.
const SWEEP_BUDGET: std::time::Duration = std::time::Duration::from_secs(40);
/// The telemetry name of one sweep.
pub const SWEEPING: &str = "sweepExpiredInvites";

/// Runs the expiry sweep, invoked by a schedule every minute: it records the expiry of
/// invites that passed their `expiresAt`, so the stream carries `user-invite.expired`
/// within about a minute of it (and lists file them as expired).
pub async fn run_expiry_sweep() -> Result<(), Error> {
    telemetry::init();
    let config = secrets::config_from_env(&[], None).await?;
    let store = store_from_config(&config).await?;
    let service = Arc::new(build_service(&config, store, Arc::new(NoSender)));
    let cold_start = Arc::new(ColdStart::default());
    lambda_runtime::run_concurrent(lambda_runtime::service_fn(
        move |event: LambdaEvent<serde_json::Value>| {
            let (service, cold_start) = (service.clone(), cold_start.clone());
            async move {
                let invocation = invocation(&event.context, &cold_start);
                invoked(invocation, SWEEPING, sweep(&service)).await
            }
        },
    ))
    .await
}

/// One scheduled sweep: rounds of [`SWEEP_BATCH`] until the backlog is empty or the
/// budget is spent. Answers how many expiries it recorded.
pub async fn sweep(service: &InviteService) -> Result<serde_json::Value, Error> {
    let started = std::time::Instant::now();
    let mut recorded = 0;
    loop {
        let round = service.sweep_expired(SWEEP_BATCH).await?;
        recorded += round;
        if round < SWEEP_BATCH || started.elapsed() > SWEEP_BUDGET {
            break;
        }
    }
    tracing::info!(recorded, "expiry sweep");
    Ok(serde_json::json!({ "recorded": recorded }))
}

/// The API over given parts, with the stream delivering email and every operation's
/// caller authenticated: what the tests run the events through.
pub async fn build_api(
    config: &Config,
    store: Arc<dyn InviteStore>,
    mailer: Arc<dyn Mailer>,
) -> Result<Api, crate::config::ConfigError> {
    Api::from_config(config, Arc::new(build_service(config, store, mailer))).await
}

/// The use cases as the functions run them: the system clock, the stream delivering.
pub fn build_service(config: &Config, store: Arc<dyn InviteStore>, mailer: Arc<dyn Mailer>) -> InviteService {
    InviteService::from_config(config, store, mailer, Arc::new(StreamDelivery), Arc::new(SystemClock))
}

/// The invocation `context` describes; its trace from the context, else from
/// `_X_AMZN_TRACE_ID` (which the runtime sets per invocation).
fn invocation(context: &lambda_runtime::Context, cold_start: &ColdStart) -> Invocation {
    let env_trace = std::env::var("_X_AMZN_TRACE_ID").ok();
    let trace = context.xray_trace_id.as_deref().or(env_trace.as_deref());
    Invocation::new(&context.request_id, trace, cold_start.take())
}

/// Runs `work` as `invocation`, counting the instance's cold start first.
async fn invoked<F: Future>(invocation: Invocation, operation: &'static str, work: F) -> F::Output {
    let cold = invocation.cold_start;
    invocation
        .scope(async move {
            if cold {
                telemetry::count(Metric::ColdStart, operation, 1, chrono::Utc::now());
            }
            work.await
        })
        .await
}

/// One API function instance: its API, and whether it has served an invocation yet.
pub struct Function {
    api: Api,
    cold_start: ColdStart,
}

impl Function {
    pub fn new(api: Api) -> Self {
        Self {
            api,
            cold_start: ColdStart::default(),
        }
    }

    /// One invocation: the API Gateway request through `E`'s handler.
    pub async fn handle_one<E: Endpoint>(&self, request: Request) -> Response<Body> {
        let invocation = request.lambda_context_ref().map(|c| invocation(c, &self.cold_start));
        // Claims only API Gateway's JWT authorizer can have put there.
        let claims = match request.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(context)) => context
                .authorizer
                .as_ref()
                .and_then(|authorizer| authorizer.jwt.as_ref())
                .map(|jwt| GatewayClaims(jwt.claims.clone())),
            _ => None,
        };
        let (mut parts, body) = request.into_parts();
        if let Some(invocation) = &invocation {
            // The request's log line names Lambda's request id.
            parts.extensions.insert(RequestId(invocation.request_id.clone()));
        }
        if let Some(claims) = claims {
            parts.extensions.insert(claims);
        }
        let request = http::Request::from_parts(parts, Bytes::copy_from_slice(body.as_ref()));
        let work = self.api.handle_one::<E>(request);
        let request_id = invocation.as_ref().map(|i| i.request_id.clone());
        let response = match invocation {
            Some(invocation) => invoked(invocation, E::OPERATION.name(), work).await,
            None => work.await,
        };
        with_request_id(response, request_id).map(lambda_body)
    }

    /// One invocation of the function serving `operation`, named at run time: for tests
    /// that run every function's events through its handler. A function's `main` names
    /// its endpoint statically ([`run`]) and never links this.
    pub async fn handle(&self, operation: Operation, request: Request) -> Response<Body> {
        match operation {
            Operation::SendUserInvites => self.handle_one::<SendUserInvites>(request).await,
            Operation::ResendUserInvite => self.handle_one::<ResendUserInvite>(request).await,
            Operation::CancelUserInvite => self.handle_one::<CancelUserInvite>(request).await,
            Operation::AcceptUserInvite => self.handle_one::<AcceptUserInvite>(request).await,
            Operation::CheckUserInviteToken => self.handle_one::<CheckUserInviteToken>(request).await,
            Operation::UpdateUserInvite => self.handle_one::<UpdateUserInvite>(request).await,
            Operation::ListUserInvites => self.handle_one::<ListUserInvites>(request).await,
            Operation::GetUserInvite => self.handle_one::<GetUserInvite>(request).await,
        }
    }
}

/// A response body as API Gateway wants it: text unless it is not UTF-8.
fn lambda_body(bytes: Bytes) -> Body {
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) if text.is_empty() => Body::Empty,
        Ok(text) => Body::Text(text),
        Err(e) => Body::Binary(e.into_bytes()),
    }
}
