//! The Lambda side of the service: every function's sample events (events/) run through
//! that function's handler against DynamoDB (moto), seeded as `invites-local
//! seed-fixtures` seeds them; template.yaml against the code (template.rs); the local
//! loops' configuration, cargo lambda watch's and sam local's (local_loops.rs); the
//! stream-driven mailer (mailer.rs); the lifecycle events publisher and expiry sweep
//! (events.rs); the docs' links staying in the repository
//! (docs.rs); API Gateway's authorizer claims (gateway.rs); secrets from SSM and Secrets
//! Manager (secrets.rs); and the Powertools log keys, cold starts and levels
//! (telemetry.rs).

mod burst;
mod docs;
mod events;
mod feedback;
mod gateway;
mod local_loops;
mod mailer;
mod secrets;
mod stack;
mod telemetry;
mod template;

pub(crate) use template::{resources_of_type, template, text};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use invites_local::fixtures::Fixtures;
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET};
use invites_shared::domain::EmailStatus;
use invites_shared::dynamo::{self, DynamoStore, STREAM_VIEW_TYPE};
use invites_shared::email::NoSender;
use invites_shared::http::ROUTES;
use invites_shared::http::endpoints::GetUserInvite;
use invites_shared::http::openapi::openapi_json;
use invites_shared::lambda::Function;
use invites_shared::operation::Operation;
use lambda_http::RequestExt;
use serde_json::Value;

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub(crate) fn operations() -> Vec<Operation> {
    ROUTES.iter().map(|r| r.operation).collect()
}

pub(crate) fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh table holding the fixtures the events act on, and an API over it serving
/// every operation (each function serves one: `a_function_serves_only_its_own_route`).
async fn api_with_fixtures() -> Function {
    let (config, store) = seed_fixtures(EmailStatus::Skipped, None).await;
    Function::new(
        invites_shared::lambda::build_api(&config, store, Arc::new(NoSender))
            .await
            .unwrap(),
    )
}

/// A fresh table holding the fixtures, and `operation`'s function over it as its
/// `main` builds it, configured with `vars` besides the table.
pub(crate) async fn function_with_fixtures(operation: Operation, vars: &[(&str, &str)]) -> Function {
    let (config, store) = seed_fixtures_with(EmailStatus::Skipped, None, vars).await;
    let api = invites_shared::lambda::function_api(operation, &config, store, Arc::new(NoSender))
        .await
        .unwrap();
    Function::new(api)
}

/// A fresh table holding the fixture invites (the first one addressed to `email` when
/// given), with their email in `email_status`, seeded as `invites-local seed-fixtures`
/// seeds them; and the functions' configuration for it.
pub(crate) async fn seed_fixtures(email_status: EmailStatus, email: Option<&str>) -> (Config, Arc<DynamoStore>) {
    seed_fixtures_with(email_status, email, &[("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)]).await
}

/// [`seed_fixtures`], the configuration being `vars` and the table.
pub(crate) async fn seed_fixtures_with(
    email_status: EmailStatus,
    email: Option<&str>,
    vars: &[(&str, &str)],
) -> (Config, Arc<DynamoStore>) {
    let table = format!("invites-events-{}", uuid::Uuid::new_v4());
    let client = invites_tests::moto::dynamodb_client().await;
    dynamo::create_table(&client, &table).await.unwrap();
    let store = DynamoStore::new(client, &table);
    Fixtures::load()
        .seed(&store, email_status, email, Utc::now())
        .await
        .unwrap();
    let mut vars: BTreeMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
    vars.insert("INVITES_TABLE_NAME", table);
    let config = Config::from_lookup(|name| vars.get(name).cloned(), None).unwrap();
    (config, Arc::new(store))
}

pub(crate) fn event(operation: Operation, kind: &str) -> lambda_http::Request {
    event_of(operation.function_crate(), kind)
}

fn event_of(function: &str, kind: &str) -> lambda_http::Request {
    let path = root().join("events").join(function).join(format!("{kind}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lambda_http::request::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not an API Gateway event: {e}", path.display()))
}

/// What each function's success event must show, beyond its 200.
pub(crate) fn check_success(operation: Operation, body: &Value) {
    match operation {
        Operation::SendUserInvites => {
            assert_eq!(body["success"].as_array().unwrap().len(), 1, "{body}");
            assert!(body["success"][0]["acceptUrl"].is_string(), "{body}");
        }
        Operation::ResendUserInvite => assert_eq!(body["sendCount"], 2, "{body}"),
        Operation::CancelUserInvite => assert_eq!(body["status"], "canceled", "{body}"),
        Operation::AcceptUserInvite => assert_eq!(body["status"], "accepted", "{body}"),
        Operation::CheckUserInviteToken => {
            assert_eq!(body["isValid"], true, "{body}");
            assert_eq!(body["email"], "fixture@example.com", "{body}");
        }
        Operation::UpdateUserInvite => assert_eq!(body["firstName"], "Fast", "{body}"),
        Operation::ListUserInvites => assert_eq!(body["totalCount"], 2, "{body}"),
        Operation::GetUserInvite => assert_eq!(body["email"], "fixture@example.com", "{body}"),
    }
}

fn expected_error(operation: Operation) -> (u16, &'static str) {
    match operation {
        Operation::SendUserInvites => (403, "FORBIDDEN"),
        Operation::ResendUserInvite => (404, "NOT_FOUND"),
        Operation::CancelUserInvite => (404, "NOT_FOUND"),
        Operation::AcceptUserInvite => (404, "TOKEN_INVALID"),
        Operation::CheckUserInviteToken => (400, "VALIDATION_FAILED"),
        Operation::UpdateUserInvite => (400, "VALIDATION_FAILED"),
        Operation::ListUserInvites => (400, "VALIDATION_FAILED"),
        Operation::GetUserInvite => (401, "UNAUTHENTICATED"),
    }
}

pub(crate) fn body_of(response: &lambda_http::Response<lambda_http::Body>) -> Value {
    serde_json::from_slice(response.body().as_ref()).expect("a JSON body")
}

#[tokio::test]
async fn every_event_runs_through_its_functions_handler() {
    for operation in operations() {
        let function = function_with_fixtures(operation, &[("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)]).await;
        let response = function.handle(operation, event(operation, "success")).await;
        let body = body_of(&response);
        assert_eq!(response.status(), 200, "{} success: {body}", operation.name());
        assert_eq!(response.headers()["content-type"], "application/json");
        check_success(operation, &body);

        let function = function_with_fixtures(operation, &[("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)]).await;
        let response = function.handle(operation, event(operation, "error")).await;
        let body = body_of(&response);
        let (status, code) = expected_error(operation);
        assert_eq!(response.status(), status, "{} error: {body}", operation.name());
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        assert_eq!(body["code"], code, "{} error: {body}", operation.name());
    }
}

#[tokio::test]
async fn a_function_serves_only_its_own_route() {
    let function = api_with_fixtures().await;
    for operation in operations() {
        for other in operations().into_iter().filter(|o| *o != operation) {
            let response = function.handle(other, event(operation, "success")).await;
            assert_eq!(
                response.status(),
                404,
                "{} served {}'s event",
                other.name(),
                operation.name()
            );
        }
    }
}

#[tokio::test]
async fn a_function_answers_its_lambda_request_id_as_x_request_id() {
    let function = api_with_fixtures().await;
    let mut context = lambda_http::Context::default();
    context.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd".into();
    let request = event(Operation::GetUserInvite, "success").with_lambda_context(context);
    let response = function.handle_one::<GetUserInvite>(request).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["x-request-id"],
        "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
    );
}

#[test]
fn the_api_description_event_runs_through_its_function() {
    let json = openapi_json().unwrap();
    let response = invites_shared::lambda::handle_openapi_document(&json, event_of("openapi-document", "success"));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let served: Value = serde_json::from_slice(response.body().as_ref()).unwrap();
    assert_eq!(served, serde_json::from_slice::<Value>(&json).unwrap());
    assert!(
        matches!(response.body(), lambda_http::Body::Text(_)),
        "JSON goes out as text"
    );

    let (mut parts, body) = event_of("openapi-document", "success").into_parts();
    parts.method = lambda_http::http::Method::POST;
    let response =
        invites_shared::lambda::handle_openapi_document(&json, lambda_http::Request::from_parts(parts, body));
    assert_eq!(response.status(), 405);
}

/// The stream the mailer runs on exists on a table `create-table` (and `seed-fixtures`)
/// made, as on the template's: locally the mailer's stream path can run too.
#[tokio::test]
async fn the_table_the_code_creates_has_the_templates_stream() {
    let client = invites_tests::moto::dynamodb_client().await;
    let table = format!("invites-stream-{}", uuid::Uuid::new_v4());
    assert!(dynamo::create_table(&client, &table).await.unwrap());
    let described = client.describe_table().table_name(&table).send().await.unwrap();
    let description = described.table().unwrap();
    let stream = description.stream_specification().expect("the table has a stream");
    assert!(stream.stream_enabled());
    assert_eq!(stream.stream_view_type().unwrap().as_str(), STREAM_VIEW_TYPE);
    assert!(description.latest_stream_arn().is_some());
    assert!(dynamo::delete_table(&client, &table).await.unwrap());
    assert!(
        !dynamo::delete_table(&client, &table).await.unwrap(),
        "a second delete finds nothing"
    );
}
