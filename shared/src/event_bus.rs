//! Lifecycle events on AWS: the table's stream (old and new image of every write) turned
//! into [`InviteEvent`]s by the one rule both paths share ([`events_between`]), put on an
//! EventBridge bus with `detail-type` = the event's type and `source` = a configured
//! name. The request path never publishes: a request cannot fail or slow down because
//! the bus is away; the stream keeps the change until it is published (24 hours).
//!
//! Delivery is at least once. An event's id is derived from the invite, its version and
//! the type, so a stream batch processed again publishes the very same ids, and a
//! consumer de-duplicates by `id`. A record whose events could not all be put is
//! reported in `batchItemFailures`; Lambda then retries from it (bounded, bisecting the
//! batch) and parks what still fails in the dead-letter queue (template.yaml).

use aws_lambda_events::event::dynamodb::{Event as StreamEvent, EventRecord};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;

use crate::domain::{Invite, InviteEvent, events_between};
use crate::dynamo::{DOC, invite_id_of_partition_key};

/// What `source` events carry unless `INVITES_EVENT_SOURCE` says otherwise.
pub const DEFAULT_SOURCE: &str = "user-invites";
/// PutEvents takes at most 10 entries per call.
const ENTRIES_PER_CALL: usize = 10;
/// The telemetry name of one publishing invocation.
pub const PUBLISHING: &str = "publishInviteEvents";

/// The bus events are put on, and the `source` they carry.
pub struct EventBus {
    client: Client,
    bus: String,
    source: String,
}

impl EventBus {
    /// `bus`: a bus name or ARN (`default` is the account's default bus).
    pub fn new(client: Client, bus: impl Into<String>, source: impl Into<String>) -> Self {
        Self {
            client,
            bus: bus.into(),
            source: source.into(),
        }
    }

    /// An EventBridge client with the service's retry and timeout policy
    /// ([`crate::aws`]). `AWS_ENDPOINT_URL` (or `endpoint`) points it at an emulator.
    pub async fn client_from_env(endpoint: Option<&str>) -> Client {
        let mut builder = aws_sdk_eventbridge::config::Builder::from(&crate::aws::sdk_config().await);
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Client::from_conf(builder.build())
    }

    /// One batch of stream records: the events of each, put on the bus in stream order.
    /// At the first record whose events could not all be put, publishing stops and that
    /// record is reported: Lambda retries the batch from it, so the events of one invite
    /// are published in the order its changes were written (EventBridge itself does not
    /// promise to deliver them in that order).
    pub async fn publish_stream(&self, event: StreamEvent) -> DynamoDbEventResponse {
        let mut pending: Vec<(Option<String>, PutEventsRequestEntry)> = Vec::new();
        let mut first_failed: Option<Option<String>> = None;
        for record in &event.records {
            let sequence = record.change.sequence_number.clone();
            match record_events(record) {
                Ok(events) => {
                    for event in events {
                        match self.entry(&event) {
                            Ok(entry) => pending.push((sequence.clone(), entry)),
                            Err(e) => {
                                tracing::error!(error = %e, "an event could not be serialized");
                                first_failed = Some(sequence.clone());
                                break;
                            }
                        }
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, sequence = ?sequence, "a stream record could not be read");
                    first_failed = Some(sequence);
                }
            }
            if first_failed.is_some() {
                break;
            }
        }
        let mut published = 0;
        for chunk in pending.chunks(ENTRIES_PER_CALL) {
            match self.put(chunk).await {
                Ok(()) => published += chunk.len(),
                Err(failed) => {
                    // This chunk comes before any record that could not be read.
                    first_failed = Some(failed);
                    break;
                }
            }
        }
        tracing::info!(
            records = event.records.len(),
            events = published,
            failed = first_failed.is_some(),
            "events published"
        );
        let mut response = DynamoDbEventResponse::default();
        if let Some(sequence) = first_failed {
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = sequence;
            response.batch_item_failures = vec![failure];
        }
        response
    }

    fn entry(&self, event: &InviteEvent) -> Result<PutEventsRequestEntry, serde_json::Error> {
        Ok(PutEventsRequestEntry::builder()
            .event_bus_name(&self.bus)
            .source(&self.source)
            .detail_type(event.kind.as_str())
            .detail(serde_json::to_string(event)?)
            .time(aws_sdk_eventbridge::primitives::DateTime::from_millis(
                event.occurred_at.timestamp_millis(),
            ))
            .build())
    }

    /// Puts one call's entries; on failure, the sequence number of the first record
    /// with an entry that was not put.
    async fn put(&self, chunk: &[(Option<String>, PutEventsRequestEntry)]) -> Result<(), Option<String>> {
        let entries = chunk.iter().map(|(_, entry)| entry.clone()).collect();
        match self.client.put_events().set_entries(Some(entries)).send().await {
            Ok(output) if output.failed_entry_count() == 0 => Ok(()),
            Ok(output) => {
                let results = output.entries();
                let index = results.iter().position(|r| r.error_code().is_some()).unwrap_or(0);
                if let Some(result) = results.get(index) {
                    tracing::error!(
                        code = result.error_code().unwrap_or_default(),
                        message = result.error_message().unwrap_or_default(),
                        "the bus refused an event"
                    );
                }
                Err(chunk[index.min(chunk.len() - 1)].0.clone())
            }
            Err(e) => {
                tracing::error!(error = %aws_sdk_eventbridge::error::DisplayErrorContext(&e), "events could not be put");
                Err(chunk[0].0.clone())
            }
        }
    }
}

/// The events of one stream record: none for an item that is not an invite (list
/// entries, slots, idempotency records), nor for a removal (the TTL deleting an
/// invite long after it ended).
pub fn record_events(record: &EventRecord) -> Result<Vec<InviteEvent>, String> {
    let is_invite = match record.change.keys.get(crate::dynamo::PARTITION_KEY) {
        Some(serde_dynamo::AttributeValue::S(pk)) => invite_id_of_partition_key(pk).is_some(),
        _ => false,
    };
    if !is_invite || record.event_name == "REMOVE" {
        return Ok(Vec::new());
    }
    let Some(after) = invite_of(&record.change.new_image)? else {
        return Ok(Vec::new());
    };
    let before = invite_of(&record.change.old_image)?;
    Ok(events_between(before.as_ref(), &after))
}

/// The invite an image holds in `doc`; `None` for an image without one (an insert's
/// old image, or an item of the invite's partition that is not the invite).
fn invite_of(image: &serde_dynamo::Item) -> Result<Option<Invite>, String> {
    match image.get(DOC) {
        Some(serde_dynamo::AttributeValue::S(doc)) => serde_json::from_str(doc)
            .map(Some)
            .map_err(|e| format!("an invite document that does not parse: {e}")),
        Some(_) => Err("an invite item whose doc is not a string".to_owned()),
        None => Ok(None),
    }
}
