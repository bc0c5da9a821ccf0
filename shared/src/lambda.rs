//! The glue every Lambda function shares, so each `main` is one line: JSON logs carrying
//! the Lambda request id, configuration from the environment, SDK clients built once at
//! init with their connections already open, then `lambda_http::run` over the shared API.

use std::sync::Arc;

use bytes::Bytes;
use lambda_http::{Body, Error, Request, Response, service_fn};

use crate::auth::Authenticator;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::dynamo::{self, DynamoStore};
use crate::email::{Mailer, NoSender, SesMailer};
use crate::http::{Api, Operation};
use crate::service::{DeliveryQueue, InviteService, Settings, StreamDelivery};

/// Runs the function that serves `operation`.
pub async fn run(operation: Operation) -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    let api = Arc::new(api_from_env().await?);
    lambda_http::run(service_fn(move |request: Request| {
        let api = api.clone();
        async move { Ok::<_, Error>(handle(&api, operation, request).await) }
    }))
    .await
}

/// The API as configured by the environment, on DynamoDB (and SES when a sender is set).
pub async fn api_from_env() -> Result<Api, Error> {
    let config = Config::from_env(None)?;
    let table = config.table_name.clone().ok_or("INVITES_TABLE_NAME is required")?;
    let client = dynamo::client_from_env(None).await;
    // Open the connection during init (which Lambda does not bill as request time), so
    // the first request does not pay for DNS and the TLS handshake.
    if let Err(e) = client.describe_table().table_name(&table).send().await {
        tracing::warn!(error = %aws_sdk_dynamodb::error::DisplayErrorContext(&e), "could not warm the DynamoDB connection");
    }
    let mailer: Arc<dyn Mailer> = match &config.sender_email {
        Some(sender) => {
            let configuration_set = std::env::var("INVITES_SES_CONFIGURATION_SET")
                .ok()
                .filter(|s| !s.is_empty());
            Arc::new(SesMailer::new(
                SesMailer::client_from_env().await,
                sender,
                configuration_set,
            ))
        }
        None => Arc::new(NoSender),
    };
    let service = build_service(
        &config,
        Arc::new(DynamoStore::new(client, table)),
        mailer,
        Arc::new(StreamDelivery),
    );
    Ok(Api::new(Arc::new(service), Authenticator::new(&config.jwt)?))
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
    let (parts, body) = request.into_parts();
    let request = http::Request::from_parts(parts, Bytes::copy_from_slice(body.as_ref()));
    api.handle_operation(operation, request)
        .await
        .map(|bytes| match String::from_utf8(bytes.to_vec()) {
            Ok(text) if text.is_empty() => Body::Empty,
            Ok(text) => Body::Text(text),
            Err(e) => Body::Binary(e.into_bytes()),
        })
}
