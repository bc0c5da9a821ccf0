//! Logs and metrics in Lambda, as Powertools users expect them: every line of an
//! invocation carries `service`, `function_name`, `cold_start`, `function_request_id`
//! and `xray_trace_id`; `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_METRICS_NAMESPACE`
//! name them; the first invocation counts a `ColdStart`; `AWS_LAMBDA_LOG_LEVEL` filters
//! the logs, and EMF lines carry a level it never drops. The template turns on X-Ray
//! tracing, JSON logs at a chosen level, and the API's access logs.

use std::sync::Arc;

use invites_shared::config::DEVELOPMENT_JWT_SECRET;
use invites_shared::domain::EmailStatus;
use invites_shared::email::NoSender;
use invites_shared::lambda::{build_service, handle_mailer_invocation};
use invites_shared::operation::Operation;
use invites_shared::telemetry::{self, ColdStart, Settings};
use invites_tests::logs;
use lambda_http::RequestExt;
use lambda_http::lambda_runtime::{Context, LambdaEvent};
use serde_json::Value;
use tracing_subscriber::util::SubscriberInitExt;

use crate::gateway::tagged;
use crate::{event, function_with_fixtures, read_json, root, seed_fixtures, template, text};

/// The test's own log lines ([`logs::Buffer`]), read as this file's tests read them.
#[derive(Clone, Default)]
struct Capture(logs::Buffer);

impl Capture {
    /// The production subscriber configured by `vars` as Lambda sets them, writing
    /// here, for this thread (a `#[tokio::test]` runs everything on it).
    fn install(vars: &[(&str, &str)]) -> (Self, impl Sized) {
        let settings = Settings::from_lookup(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()));
        let capture = Capture::default();
        let guard = telemetry::subscriber_with(capture.0.clone(), settings.log_filter(), settings).set_default();
        (capture, guard)
    }

    fn lines(&self) -> Vec<Value> {
        self.0.lines()
    }

    fn metrics(&self) -> Vec<Value> {
        self.lines().into_iter().filter(|l| l.get("_aws").is_some()).collect()
    }

    fn logs(&self) -> Vec<Value> {
        self.lines().into_iter().filter(|l| l.get("_aws").is_none()).collect()
    }
}

const TRACE_1: &str = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
const TRACE_2: &str = "Root=1-67891233-abcdef012345678912345678;Parent=0000000000000001;Sampled=0";

fn context(request_id: &str, trace: &str) -> Context {
    let mut context = Context::default();
    context.request_id = request_id.to_owned();
    context.xray_trace_id = Some(trace.to_owned());
    context
}

const POWERTOOLS: [(&str, &str); 3] = [
    ("POWERTOOLS_SERVICE_NAME", "invites-under-test"),
    ("POWERTOOLS_METRICS_NAMESPACE", "Test/UserInvites"),
    ("AWS_LAMBDA_FUNCTION_NAME", "user-invites-AcceptUserInvite-1A2B3C"),
];

fn metric_name(record: &Value) -> &str {
    record["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"]
        .as_str()
        .unwrap()
}

/// One test, its cases one after the other: a subscriber installed for one thread while
/// another thread installs its own can miss events (tracing's callsite interest is
/// shared by all threads), and the cases differ in what they filter.
#[tokio::test]
async fn powertools_conventions_in_lambda() {
    every_line_of_an_invocation_carries_powertools_keys().await;
    lambdas_log_level_filters_the_logs_but_never_the_metrics().await;
    the_mailers_invocations_carry_the_same_keys_and_count_one_cold_start().await;
}

async fn every_line_of_an_invocation_carries_powertools_keys() {
    let accept = Operation::AcceptUserInvite;
    let function = function_with_fixtures(accept, &[("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)]).await;
    let (capture, _guard) = Capture::install(&POWERTOOLS);
    let first = event(accept, "success").with_lambda_context(context("req-first", TRACE_1));
    assert_eq!(function.handle(accept, first).await.status(), 200);
    let second = event(accept, "error").with_lambda_context(context("req-second", TRACE_2));
    assert_eq!(function.handle(accept, second).await.status(), 404);

    let logs = capture.logs();
    assert!(!logs.is_empty(), "{:#?}", capture.lines());
    for line in &logs {
        assert_eq!(line["service"], "invites-under-test", "{line}");
    }
    // Log lines and EMF lines alike.
    for line in capture.lines() {
        assert_eq!(line["function_name"], "user-invites-AcceptUserInvite-1A2B3C", "{line}");
        let (cold, trace) = match line["function_request_id"].as_str() {
            Some("req-first") => (true, "1-5759e988-bd862e3fe1be46a994272793"),
            Some("req-second") => (false, "1-67891233-abcdef012345678912345678"),
            other => panic!("a line outside an invocation ({other:?}): {line}"),
        };
        assert_eq!(line["cold_start"], cold, "{line}");
        assert_eq!(line["xray_trace_id"], trace, "{line}");
    }
    let requests: Vec<&Value> = logs
        .iter()
        .filter(|l| l["target"] == telemetry::REQUEST_TARGET)
        .collect();
    assert_eq!(requests.len(), 2, "{logs:#?}");
    for line in requests {
        assert_eq!(line["request_id"], line["function_request_id"], "{line}");
    }

    let metrics = capture.metrics();
    let names: Vec<&str> = metrics.iter().map(metric_name).collect();
    assert_eq!(
        names,
        ["ColdStart", "InvitesAccepted"],
        "one cold start, then the business event"
    );
    for record in &metrics {
        assert_eq!(record["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Test/UserInvites");
        assert_eq!(record["Service"], "invites-under-test");
        assert_eq!(record["Operation"], "acceptUserInvite");
        assert_eq!(record["level"], "INFO");
        assert_eq!(record[metric_name(record)], 1);
    }
}

async fn lambdas_log_level_filters_the_logs_but_never_the_metrics() {
    let accept = Operation::AcceptUserInvite;
    let function = function_with_fixtures(accept, &[("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)]).await;
    let (capture, _guard) = Capture::install(&[("AWS_LAMBDA_LOG_LEVEL", "ERROR"), ("RUST_LOG", "debug")]);
    let request = event(accept, "success").with_lambda_context(context("req-quiet", TRACE_1));
    assert_eq!(function.handle(accept, request).await.status(), 200);
    assert!(capture.logs().is_empty(), "{:#?}", capture.logs());
    let metrics = capture.metrics();
    assert_eq!(
        metrics.iter().map(metric_name).collect::<Vec<_>>(),
        ["ColdStart", "InvitesAccepted"]
    );
    for record in metrics {
        // Lambda drops lines below ERROR: at ERROR, the metric is kept.
        assert_eq!(record["level"], "ERROR", "{record}");
        assert_eq!(
            record["service"],
            Value::Null,
            "EMF lines hold the dimension, not the log key"
        );
        assert_eq!(record["Service"], "user-invites");
        assert_eq!(record["_aws"]["CloudWatchMetrics"][0]["Namespace"], "UserInvites");
    }
}

async fn the_mailers_invocations_carry_the_same_keys_and_count_one_cold_start() {
    let (config, store) = seed_fixtures(EmailStatus::Queued, None).await;
    let service = build_service(&config, store, Arc::new(NoSender));
    let (capture, _guard) = Capture::install(&POWERTOOLS);
    let cold_start = ColdStart::default();
    let retries = invites_tests::retry_queue::RetryQueue::create().await;
    for (request_id, trace) in [("req-mail-1", TRACE_1), ("req-mail-2", TRACE_2)] {
        let payload = read_json(&root().join("events/invite-mailer/queued.json"));
        handle_mailer_invocation(
            &service,
            &retries.scheduler(),
            &cold_start,
            LambdaEvent::new(payload, context(request_id, trace)),
        )
        .await
        .unwrap();
    }
    let deliveries: Vec<Value> = capture
        .logs()
        .into_iter()
        .filter(|l| l["message"] == "delivery")
        .collect();
    assert_eq!(deliveries.len(), 2, "{:#?}", capture.logs());
    assert_eq!(deliveries[0]["function_request_id"], "req-mail-1");
    assert_eq!(deliveries[0]["cold_start"], true);
    assert_eq!(deliveries[1]["function_request_id"], "req-mail-2");
    assert_eq!(deliveries[1]["cold_start"], false);
    assert_eq!(deliveries[1]["xray_trace_id"], "1-67891233-abcdef012345678912345678");
    let cold: Vec<Value> = capture
        .metrics()
        .into_iter()
        .filter(|m| metric_name(m) == "ColdStart")
        .collect();
    assert_eq!(cold.len(), 1);
    assert_eq!(cold[0]["Operation"], "deliverInvite");
    assert_eq!(cold[0]["function_request_id"], "req-mail-1");
}

#[test]
fn the_template_traces_logs_json_at_a_level_and_logs_api_access() {
    let template = template();
    let function = &template["Globals"]["Function"];
    assert_eq!(function["Tracing"].as_str(), Some("Active"));
    assert_eq!(function["LoggingConfig"]["LogFormat"].as_str(), Some("JSON"));
    let level = tagged(&function["LoggingConfig"]["ApplicationLogLevel"]).unwrap();
    assert_eq!((level.0.as_str(), level.1.as_str()), ("Ref", Some("LogLevel")));
    let variables = &function["Environment"]["Variables"];
    for (variable, parameter) in [
        ("POWERTOOLS_SERVICE_NAME", "ServiceName"),
        ("POWERTOOLS_METRICS_NAMESPACE", "MetricsNamespace"),
    ] {
        let value = tagged(&variables[variable]).unwrap_or_else(|| panic!("{variable}"));
        assert_eq!((value.0.as_str(), value.1.as_str()), ("Ref", Some(parameter)));
    }

    let access = &template["Resources"]["InvitesApi"]["Properties"]["AccessLogSettings"];
    let (tag, args) = tagged(&access["DestinationArn"]).expect("an access log destination");
    assert_eq!(tag, "GetAtt");
    let group = text(args).split('.').next().unwrap().to_owned();
    let group = &template["Resources"][group.as_str()];
    assert_eq!(group["Type"].as_str(), Some("AWS::Logs::LogGroup"));
    assert!(
        !group["Properties"]["RetentionInDays"].is_null(),
        "the access logs expire"
    );
    let format: Value = serde_json::from_str(access["Format"].as_str().unwrap()).expect("a JSON access log line");
    for (key, variable) in [
        ("requestId", "$context.requestId"),
        ("routeKey", "$context.routeKey"),
        ("status", "$context.status"),
        ("integrationRequestId", "$context.integration.requestId"),
    ] {
        assert_eq!(format[key], variable, "{format}");
    }
    // Like the functions' own lines, never the path nor the query: they may hold anything.
    let raw = access["Format"].as_str().unwrap();
    for forbidden in ["$context.path", "querystring", "$context.authorizer.claims", "$request"] {
        assert!(!raw.contains(forbidden), "{forbidden} in {raw}");
    }
}
