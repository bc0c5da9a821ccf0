//! Logs and metrics, the same in Lambda and locally.
//!
//! - **Logs**: JSON, one object per line. The HTTP layer (`http::Api`) writes exactly one line
//!   per request on the target [`REQUEST_TARGET`] (operation, caller's tenant, status,
//!   latency, request id); warnings and errors have their own lines. No log line ever
//!   holds a token, a token hash, an email address or a query string.
//! - **Metrics**: CloudWatch Embedded Metric Format (EMF). Each business event is one
//!   JSON line whose root holds `_aws.CloudWatchMetrics`; in Lambda, CloudWatch Logs turns
//!   it into a metric in the [`NAMESPACE`] namespace, with no API call and no agent.
//!
//! Both go through `tracing`: [`subscriber`] formats them (and tests capture them with
//! their own writer); [`init`] installs it on stdout, where Lambda ships it.

use std::fmt;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::{FilterExt, filter_fn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// The target of the one log line per request.
pub const REQUEST_TARGET: &str = "invites::request";
/// The target of EMF records; they are written as they are, one JSON object a line.
pub const METRICS_TARGET: &str = "invites::metrics";
/// The CloudWatch namespace of every metric.
pub const NAMESPACE: &str = "UserInvites";
/// The value of the `Service` dimension.
pub const SERVICE: &str = "user-invites";

/// A business event worth a CloudWatch metric (unit: Count).
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
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Self::InvitesSent,
        Self::InvitesResent,
        Self::InvitesAccepted,
        Self::InvitesCanceled,
        Self::InvitesExpired,
        Self::EmailsFailed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::InvitesSent => "InvitesSent",
            Self::InvitesResent => "InvitesResent",
            Self::InvitesAccepted => "InvitesAccepted",
            Self::InvitesCanceled => "InvitesCanceled",
            Self::InvitesExpired => "InvitesExpired",
            Self::EmailsFailed => "EmailsFailed",
        }
    }
}

/// The EMF record of `count` events of `metric` during `operation`, at `at`.
///
/// It is published under two dimension sets: `Service` (the total) and
/// `Service, Operation` (which operation it happened in).
pub fn emf_record(metric: Metric, operation: &str, count: u64, at: DateTime<Utc>) -> serde_json::Value {
    json!({
        "_aws": {
            "Timestamp": at.timestamp_millis(),
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Service"], ["Service", "Operation"]],
                "Metrics": [{ "Name": metric.name(), "Unit": "Count" }],
            }],
        },
        "Service": SERVICE,
        "Operation": operation,
        metric.name(): count,
    })
}

/// Emits `count` events of `metric` (nothing for zero).
pub fn count(metric: Metric, operation: &str, count: u64, at: DateTime<Utc>) {
    if count == 0 {
        return;
    }
    let record = emf_record(metric, operation, count, at).to_string();
    tracing::info!(target: METRICS_TARGET, emf = record.as_str());
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

/// Writes EMF records as they are: the JSON object must be the whole line for
/// CloudWatch to read it.
struct EmfLayer<W> {
    writer: W,
}

struct EmfField(Option<String>);

impl Visit for EmfField {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "emf" {
            self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn fmt::Debug) {}
}

impl<S, W> Layer<S> for EmfLayer<W>
where
    S: Subscriber,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut field = EmfField(None);
        event.record(&mut field);
        if let Some(mut line) = field.0 {
            line.push('\n');
            let _ = self.writer.make_writer().write_all(line.as_bytes());
        }
    }
}

/// The filter `RUST_LOG` sets, `info` by default.
pub fn env_filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// JSON logs filtered by `filter`, and EMF records (never filtered out), all to `writer`.
pub fn subscriber<W>(writer: W, filter: EnvFilter) -> impl Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Clone + Send + Sync + 'static,
{
    let logs = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_writer(writer.clone())
        .with_filter(filter.and(filter_fn(|meta| meta.target() != METRICS_TARGET)));
    let metrics = EmfLayer { writer }.with_filter(filter_fn(|meta| meta.target() == METRICS_TARGET));
    tracing_subscriber::registry().with(logs).with(metrics)
}

/// Installs [`subscriber`] on stdout with [`env_filter`], once per process (a Lambda
/// function's `main`, `invites-local serve`). A second call changes nothing.
pub fn init() {
    let _ = tracing::subscriber::set_global_default(subscriber(std::io::stdout, env_filter()));
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
            Metric::InvitesAccepted,
            crate::operation::Operation::AcceptUserInvite.name(),
            1,
            at,
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
