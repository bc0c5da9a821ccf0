//! The two writers: JSON log lines with Powertools' keys, and EMF records.
//!
//! A log line is one JSON object: `timestamp`, `level`, `message`, `target`, the event's
//! fields, `service`, and in Lambda `function_name`, `cold_start`,
//! `function_request_id` and `xray_trace_id`. An EMF record is built here from the
//! metric event's fields, with the configured namespace and service, and a `level` that
//! Lambda's log filtering never drops.

use std::fmt;
use std::io::Write;

use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};

use super::{Invocation, Settings};

/// An event's fields as JSON values.
#[derive(Default)]
struct Fields(Map<String, Value>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), json!(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), json!(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), json!(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), json!(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), json!(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.0.insert(field.name().to_owned(), json!(value.to_string()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // `message` is the format string's output; other values are their Debug text.
        self.0.insert(field.name().to_owned(), json!(format!("{value:?}")));
    }
}

fn write_line<W: for<'w> MakeWriter<'w>>(writer: &W, value: &Value) {
    let mut line = value.to_string();
    line.push('\n');
    let _ = writer.make_writer().write_all(line.as_bytes());
}

/// The invocation's keys, as Powertools names them.
fn add_invocation(record: &mut Map<String, Value>, settings: &Settings) {
    if let Some(name) = &settings.function_name {
        record.insert("function_name".into(), json!(name));
    }
    if let Some(invocation) = Invocation::current() {
        record.insert("cold_start".into(), json!(invocation.cold_start));
        record.insert("function_request_id".into(), json!(invocation.request_id));
        if let Some(trace) = invocation.xray_trace_id {
            record.insert("xray_trace_id".into(), json!(trace));
        }
    }
}

pub(super) struct LogLayer<W> {
    pub writer: W,
    pub settings: Settings,
}

impl<S, W> Layer<S> for LogLayer<W>
where
    S: Subscriber,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut record = fields.0;
        let metadata = event.metadata();
        record.insert(
            "timestamp".into(),
            json!(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)),
        );
        record.insert("level".into(), json!(metadata.level().as_str()));
        record.insert("target".into(), json!(metadata.target()));
        record.insert("service".into(), json!(self.settings.service));
        add_invocation(&mut record, &self.settings);
        write_line(&self.writer, &Value::Object(record));
    }
}

pub(super) struct EmfLayer<W> {
    pub writer: W,
    pub settings: Settings,
}

impl<S, W> Layer<S> for EmfLayer<W>
where
    S: Subscriber,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let fields = fields.0;
        let (Some(metric), Some(operation), Some(count), Some(at)) = (
            fields.get("metric").and_then(Value::as_str),
            fields.get("operation").and_then(Value::as_str),
            fields.get("count").and_then(Value::as_u64),
            fields.get("timestamp_ms").and_then(Value::as_i64),
        ) else {
            return;
        };
        let mut record = super::emf_record(&self.settings, metric, operation, count, at);
        if let Value::Object(map) = &mut record {
            map.insert("level".into(), json!(self.settings.metrics_level()));
            add_invocation(map, &self.settings);
        }
        write_line(&self.writer, &record);
    }
}
