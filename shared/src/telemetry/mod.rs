//! Logs and metrics, the same in Lambda and locally, in the shapes AWS users expect
//! (Powertools for AWS Lambda's keys and environment variables).
//!
//! - **Logs**: JSON, one object per line. The HTTP layer (`http::Api`) writes exactly one line
//!   per request on the target [`REQUEST_TARGET`] (operation, caller's tenant, status,
//!   latency, request id); warnings and errors have their own lines. Every line carries
//!   `service`; in Lambda also `function_name`, `cold_start`, `function_request_id` and
//!   `xray_trace_id` ([`Invocation`]). No log line ever holds a token, a token hash, an
//!   email address or a query string.
//! - **Metrics**: CloudWatch Embedded Metric Format (EMF). Each business event is one
//!   JSON line whose root holds `_aws.CloudWatchMetrics`; in Lambda, CloudWatch Logs turns
//!   it into a metric in the configured namespace, with no API call and no agent.
//!
//! Both go through `tracing`: [`subscriber_with`] formats them (and tests capture them
//! with their own writer); [`init`] installs it on stdout, where Lambda ships it.

mod invocation;
mod layers;
mod settings;

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::{FilterExt, filter_fn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Layer, SubscriberExt};

pub use invocation::{ColdStart, Invocation, trace_root};
pub use settings::{LambdaLevel, Settings};

/// The target of the one log line per request.
pub const REQUEST_TARGET: &str = "invites::request";
/// The target of metric events; each becomes one EMF record, written as it is.
pub const METRICS_TARGET: &str = "invites::metrics";
/// The CloudWatch namespace of every metric, unless `POWERTOOLS_METRICS_NAMESPACE` says otherwise.
pub const NAMESPACE: &str = "UserInvites";
/// The service name (`service` in logs, the `Service` dimension), unless
/// `POWERTOOLS_SERVICE_NAME` says otherwise.
pub const SERVICE: &str = "user-invites";

/// An event worth a CloudWatch metric (unit: Count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Invites created by a send (an idempotent replay creates none).
    InvitesSent,
    /// Resends that issued a new token.
    InvitesResent,
    InvitesAccepted,
    InvitesCanceled,
    /// A write met an invite past its expiry: an accept refused with 410, a resend or
    /// cancel of an expired invite, an update refused because it expired.
    InvitesExpired,
    /// Invitation emails the mail transport refused or failed to take.
    EmailsFailed,
    /// A Lambda instance served its first invocation (Powertools' metric of that name).
    ColdStart,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Self::InvitesSent,
        Self::InvitesResent,
        Self::InvitesAccepted,
        Self::InvitesCanceled,
        Self::InvitesExpired,
        Self::EmailsFailed,
        Self::ColdStart,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::InvitesSent => "InvitesSent",
            Self::InvitesResent => "InvitesResent",
            Self::InvitesAccepted => "InvitesAccepted",
            Self::InvitesCanceled => "InvitesCanceled",
            Self::InvitesExpired => "InvitesExpired",
            Self::EmailsFailed => "EmailsFailed",
            Self::ColdStart => "ColdStart",
        }
    }
}

/// The EMF record of `count` events of the metric `name` during `operation`, at
/// `at_ms` (milliseconds since the epoch), in `settings`' namespace and service.
///
/// It is published under two dimension sets: `Service` (the total) and
/// `Service, Operation` (which operation it happened in).
pub fn emf_record(settings: &Settings, name: &str, operation: &str, count: u64, at_ms: i64) -> serde_json::Value {
    json!({
        "_aws": {
            "Timestamp": at_ms,
            "CloudWatchMetrics": [{
                "Namespace": settings.namespace,
                "Dimensions": [["Service"], ["Service", "Operation"]],
                "Metrics": [{ "Name": name, "Unit": "Count" }],
            }],
        },
        "Service": settings.service,
        "Operation": operation,
        name: count,
    })
}

/// Emits `count` events of `metric` (nothing for zero).
pub fn count(metric: Metric, operation: &str, count: u64, at: DateTime<Utc>) {
    if count == 0 {
        return;
    }
    tracing::info!(
        target: METRICS_TARGET,
        metric = metric.name(),
        operation,
        count,
        timestamp_ms = at.timestamp_millis()
    );
}

/// Replaces every word holding an `@` with `<email>`: for error texts from outside
/// (a mail transport, a storage SDK) that may quote an address, before they are logged.
pub fn redact_emails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str("<email>");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// An error and every cause in its `source()` chain, one after the other, with email
/// addresses redacted: what a log line says of a failure.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let inner_text = inner.to_string();
        // Some errors repeat their cause in their own message: say it once.
        if !text.ends_with(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        cause = inner.source();
    }
    redact_emails(&text)
}

/// The filter `RUST_LOG` sets, `info` by default.
pub fn env_filter() -> EnvFilter {
    let settings = Settings {
        rust_log: crate::config::env_var("RUST_LOG"),
        ..Settings::default()
    };
    settings.log_filter()
}

/// JSON logs filtered by `filter`, and EMF records (never filtered out), all to
/// `writer`, with the default service and namespace.
pub fn subscriber<W>(writer: W, filter: EnvFilter) -> impl Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Clone + Send + Sync + 'static,
{
    subscriber_with(writer, filter, Settings::default())
}

/// JSON logs filtered by `filter`, and EMF records (never filtered out), all to
/// `writer`, named as `settings` says.
pub fn subscriber_with<W>(writer: W, filter: EnvFilter, settings: Settings) -> impl Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Clone + Send + Sync + 'static,
{
    let logs = layers::LogLayer {
        writer: writer.clone(),
        settings: settings.clone(),
    }
    .with_filter(filter.and(filter_fn(|meta| meta.target() != METRICS_TARGET)));
    let metrics = layers::EmfLayer { writer, settings }.with_filter(filter_fn(|meta| meta.target() == METRICS_TARGET));
    tracing_subscriber::registry().with(logs).with(metrics)
}

/// Installs [`subscriber_with`] on stdout, configured by the environment ([`Settings`]),
/// once per process (a Lambda function's `main`, `invites-local serve`). A second call
/// changes nothing.
pub fn init() {
    let settings = Settings::from_env();
    let filter = settings.log_filter();
    let _ = tracing::subscriber::set_global_default(subscriber_with(std::io::stdout, filter, settings));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emf_record_names_its_metric_namespace_and_dimensions() {
        let at = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.678Z")
            .unwrap()
            .with_timezone(&Utc);
        let record = emf_record(
            &Settings::default(),
            Metric::InvitesAccepted.name(),
            crate::operation::Operation::AcceptUserInvite.name(),
            1,
            at.timestamp_millis(),
        );
        let directive = &record["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(record["_aws"]["Timestamp"], 1_767_323_045_678_i64);
        assert_eq!(directive["Namespace"], "UserInvites");
        assert_eq!(
            directive["Metrics"],
            json!([{ "Name": "InvitesAccepted", "Unit": "Count" }])
        );
        // Every dimension named is a root member, as EMF requires.
        for set in directive["Dimensions"].as_array().unwrap() {
            for name in set.as_array().unwrap() {
                assert!(record[name.as_str().unwrap()].is_string(), "{name}");
            }
        }
        assert_eq!(record["Operation"], "acceptUserInvite");
        assert_eq!(record["InvitesAccepted"], 1);
    }

    #[test]
    fn email_addresses_are_redacted_from_error_texts() {
        assert_eq!(
            redact_emails("Email address is not verified: Wick.John@Gmail.com, <a@b.c> (x@y)"),
            "Email address is not verified: <email>, <<email>> (<email>)"
        );
        assert_eq!(redact_emails("no address here"), "no address here");
    }
}
