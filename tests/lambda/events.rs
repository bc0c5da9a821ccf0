//! Issue 13 on AWS: lifecycle events from the table's stream onto an EventBridge bus.
//! The API and the mailer write a table on moto; moto's own stream of those writes goes
//! through the publisher's handler; moto's EventBridge routes the events by a rule to an
//! SQS queue, which the test reads. Every event type, a redelivered batch (the same ids)
//! and a failing bus (the record reported, for Lambda's retries and dead-letter queue).

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;
use invites_shared::clock::ManualClock;
use invites_shared::domain::{EmailFeedback, EventType, InviteId};
use invites_shared::email::NoSender;
use invites_shared::event_bus::EventBus;
use invites_shared::lambda::sweep;
use invites_tests::events::{Delivered, types_about};
use invites_tests::proxy::{Fault, FaultProxy};
use invites_tests::stream::batch;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::stack::{Stack, ses_through_proxy};
use crate::{read_json, root};

const SEND_EMAIL: &str = "/v2/email/outbound-emails";

/// A bus on moto with a rule sending everything of `source` to a fresh SQS queue.
struct Bus {
    name: String,
    source: String,
    queue_url: String,
    sqs: aws_sdk_sqs::Client,
}

impl Bus {
    async fn create() -> Self {
        let endpoint = invites_tests::moto::dynamodb_endpoint();
        let config = invites_shared::aws::sdk_config().await;
        let events = aws_sdk_eventbridge::Client::from_conf(
            aws_sdk_eventbridge::config::Builder::from(&config)
                .endpoint_url(&endpoint)
                .build(),
        );
        let sqs = aws_sdk_sqs::Client::from_conf(
            aws_sdk_sqs::config::Builder::from(&config)
                .endpoint_url(&endpoint)
                .build(),
        );
        let id = Uuid::new_v4();
        let (name, source) = (format!("invites-{id}"), format!("test.invites.{id}"));
        events.create_event_bus().name(&name).send().await.unwrap();
        let queue_url = sqs
            .create_queue()
            .queue_name(format!("events-{id}"))
            .send()
            .await
            .unwrap()
            .queue_url()
            .unwrap()
            .to_owned();
        let queue_arn = sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes()
            .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
            .clone();
        // The rule of template.yaml's webhook destination: everything of our source.
        events
            .put_rule()
            .name("all-invite-events")
            .event_bus_name(&name)
            .event_pattern(json!({ "source": [source] }).to_string())
            .send()
            .await
            .unwrap();
        events
            .put_targets()
            .rule("all-invite-events")
            .event_bus_name(&name)
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("queue")
                    .arn(queue_arn)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        Self {
            name,
            source,
            queue_url,
            sqs,
        }
    }

    async fn publisher(&self, endpoint: Option<&str>) -> EventBus {
        EventBus::new(EventBus::client_from_env(endpoint).await, &self.name, &self.source)
    }

    /// Every EventBridge event the rule delivered to the queue since the last call.
    async fn drain(&self) -> Vec<Value> {
        let mut events = Vec::new();
        loop {
            let page = self
                .sqs
                .receive_message()
                .queue_url(&self.queue_url)
                .max_number_of_messages(10)
                .send()
                .await
                .unwrap();
            if page.messages().is_empty() {
                return events;
            }
            for message in page.messages() {
                events.push(serde_json::from_str(message.body().unwrap()).unwrap());
                self.sqs
                    .delete_message()
                    .queue_url(&self.queue_url)
                    .receipt_handle(message.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
    }
}

async fn publish(bus: &EventBus, records: &[Value]) -> Value {
    let event = serde_json::from_value(batch(records)).expect("a DynamoDB stream event");
    serde_json::to_value(bus.publish_stream(event).await).unwrap()
}

fn no_failures() -> Value {
    json!({ "batchItemFailures": [] })
}

/// Each payload checked against openapi.yaml's `InviteEvent` (EventBridge carries no
/// signature); answers their types.
fn schema_checked_types(details: &[Value]) -> Vec<String> {
    let bodies: Vec<String> = details.iter().map(Value::to_string).collect();
    let delivered: Vec<Delivered> = bodies.iter().map(|body| Delivered { headers: &[], body }).collect();
    invites_tests::events::verified_types(None, &delivered)
}

#[tokio::test]
async fn every_change_on_the_table_reaches_the_bus_as_its_event_once_per_id() {
    let clock = Arc::new(ManualClock::starting_now());
    let (ses, mailer) = ses_through_proxy().await;
    let stack = Stack::start(clock.clone(), Arc::new(mailer), &[]).await;
    let bus = Bus::create().await;
    let publisher = bus.publisher(None).await;
    let email = |name: &str| format!("{name}-{}@example.com", Uuid::new_v4());

    // a: created, email.sent, resent, email.sent, updated, canceled.
    let a = stack.invite(&email("a"), true).await;
    stack.deliver(&a).await;
    let path = format!("/user-invites/{}", a["id"].as_str().unwrap());
    stack
        .call("POST", &format!("{path}/resend"), stack.admin, json!({}))
        .await;
    stack.deliver(&a).await;
    stack
        .call(
            "PATCH",
            &path,
            stack.admin,
            json!({ "userInvite": { "firstName": "Ann" } }),
        )
        .await;
    stack
        .call("POST", &format!("{path}/cancel"), stack.admin, json!({}))
        .await;
    // b: created, accepted (by a user of no tenant yet).
    let b = stack.invite(&email("b"), false).await;
    let token = b["acceptUrl"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_owned();
    let joiner = Uuid::new_v4();
    stack
        .call(
            "POST",
            "/user-invites/accept",
            joiner,
            json!({ "acceptUserInvite": { "token": token } }),
        )
        .await;
    // c: created, email.failed (SES rejects the message).
    let c = stack.invite(&email("c"), true).await;
    ses.fail(SEND_EMAIL, Fault::MessageRejected, 1);
    stack.deliver(&c).await;
    // e: created, email.sent, email.bounced (SES's notice, through the feedback core).
    let e = stack.invite(&email("e"), true).await;
    stack.deliver(&e).await;
    let e_id = InviteId::parse(e["id"].as_str().unwrap()).unwrap();
    let message = stack.stored(e_id).await.message_id.unwrap();
    let bounce = EmailFeedback::Bounced {
        permanent: true,
        reason: "Permanent/General: smtp; 550 5.1.1 <address>".into(),
    };
    stack.service.record_feedback(e_id, &message, &bounce).await.unwrap();
    // d: created, then expired (and c and e with it), recorded by the sweep function's handler.
    let d = stack.invite(&email("d"), false).await;
    clock.advance(Duration::days(8));
    assert_eq!(sweep(&stack.service).await.unwrap(), json!({ "recorded": 3 }));

    // The stream in batches of 25, as template.yaml has Lambda hand it over.
    let records = stack.records().await;
    if std::env::var_os("UPDATE_SAMPLE_EVENTS").is_some() {
        // events/invite-events/accepted.json: the record of b's accept, as moto streamed it.
        let accept = records
            .iter()
            .rfind(|r| {
                r["dynamodb"]["Keys"]["pk"]["S"]
                    .as_str()
                    .unwrap()
                    .ends_with(b["id"].as_str().unwrap())
            })
            .unwrap();
        std::fs::write(
            root().join("events/invite-events/accepted.json"),
            serde_json::to_string_pretty(&batch(std::slice::from_ref(accept))).unwrap() + "\n",
        )
        .unwrap();
    }
    for chunk in records.chunks(25) {
        assert_eq!(publish(&publisher, chunk).await, no_failures());
    }
    let delivered = bus.drain().await;
    for event in &delivered {
        assert_eq!(event["source"], json!(bus.source));
        assert_eq!(event["detail-type"], event["detail"]["type"], "{event}");
        assert_eq!(
            event["time"].as_str().unwrap()[..16],
            event["detail"]["occurredAt"].as_str().unwrap()[..16]
        );
        let text = event.to_string();
        assert!(!text.contains("tokenHash") && !text.contains(&token), "{text}");
    }
    let details: Vec<Value> = delivered.iter().map(|e| e["detail"].clone()).collect();
    let types = schema_checked_types(&details);
    let of = |invite: &Value| types_about(&details, &types, invite);
    assert_eq!(
        of(&a),
        [
            "user-invite.created",
            "user-invite.email.sent",
            "user-invite.resent",
            "user-invite.email.sent",
            "user-invite.updated",
            "user-invite.canceled"
        ]
    );
    assert_eq!(of(&b), ["user-invite.created", "user-invite.accepted"]);
    assert_eq!(
        of(&c),
        ["user-invite.created", "user-invite.email.failed", "user-invite.expired"]
    );
    assert_eq!(of(&d), ["user-invite.created", "user-invite.expired"]);
    assert_eq!(
        of(&e),
        [
            "user-invite.created",
            "user-invite.email.sent",
            "user-invite.email.bounced",
            "user-invite.expired"
        ]
    );
    let seen: BTreeSet<&str> = types.iter().map(String::as_str).collect();
    assert_eq!(seen, EventType::ALL.iter().map(|t| t.as_str()).collect());

    let accepted = details.iter().find(|d| d["type"] == "user-invite.accepted").unwrap();
    assert_eq!(accepted["acceptedByUserId"], json!(joiner));
    assert_eq!(accepted["roles"], json!(["editor"]));
    assert_eq!(accepted["tenantId"], json!(stack.tenant));
    let expired = details
        .iter()
        .find(|e| e["type"] == "user-invite.expired" && e["data"]["id"] == d["id"])
        .unwrap();
    assert_eq!(
        expired["occurredAt"], d["expiresAt"],
        "it happened when the invite expired"
    );
    assert_eq!(expired["data"]["status"], "expired");
    let ids: BTreeSet<&str> = details.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), details.len(), "one id per event");

    // Lambda hands the same stream over again (a retried batch, a redeployed mapping):
    // the very same ids, each event once more, none new.
    for chunk in records.chunks(25) {
        assert_eq!(publish(&publisher, chunk).await, no_failures());
    }
    let again = bus.drain().await;
    let again_ids: Vec<&str> = again.iter().map(|e| e["detail"]["id"].as_str().unwrap()).collect();
    assert_eq!(again_ids.len(), details.len());
    assert_eq!(again_ids.iter().copied().collect::<BTreeSet<_>>(), ids);
}

#[tokio::test]
async fn a_failing_bus_reports_the_first_unpublished_record_and_a_retry_publishes_it() {
    let stack = Stack::start(Arc::new(ManualClock::starting_now()), Arc::new(NoSender), &[]).await;
    let bus = Bus::create().await;
    let first = stack.invite(&format!("f-{}@example.com", Uuid::new_v4()), false).await;
    let second = stack.invite(&format!("g-{}@example.com", Uuid::new_v4()), false).await;
    let records = stack.records().await;
    assert_eq!(records.len(), 2);
    let sequence = |i: usize| records[i]["dynamodb"]["SequenceNumber"].clone();

    // A bus that is not there: nothing is published, the batch's first record is
    // reported, so Lambda retries from it, then parks it in the dead-letter queue.
    let missing = EventBus::new(EventBus::client_from_env(None).await, "no-such-bus", &bus.source);
    assert_eq!(
        publish(&missing, &records).await,
        json!({ "batchItemFailures": [{ "itemIdentifier": sequence(0) }] })
    );

    // EventBridge failing (500s past the SDK's retries), then recovering.
    let proxy = FaultProxy::start_for(invites_tests::moto::dynamodb_endpoint()).await;
    let flaky = bus.publisher(Some(&proxy.url)).await;
    proxy.fail("PutEvents", Fault::ServerError, 3);
    assert_eq!(
        publish(&flaky, &records).await,
        json!({ "batchItemFailures": [{ "itemIdentifier": sequence(0) }] })
    );
    assert!(bus.drain().await.is_empty(), "nothing was published");
    // Lambda's retry of the batch from the reported record.
    assert_eq!(publish(&flaky, &records).await, no_failures());
    let published: Vec<Value> = bus.drain().await;
    let invites: Vec<&Value> = published.iter().map(|e| &e["detail"]["data"]["id"]).collect();
    assert_eq!(invites, [&first["id"], &second["id"]]);
}

#[tokio::test]
async fn the_sample_event_is_a_real_records_shape_and_yields_its_event() {
    let event = read_json(&root().join("events/invite-events/accepted.json"));
    let event: aws_lambda_events::event::dynamodb::Event = serde_json::from_value(event).unwrap();
    let events: Vec<_> = event
        .records
        .iter()
        .flat_map(|r| invites_shared::event_bus::record_events(r).unwrap())
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventType::Accepted);
    assert!(events[0].accepted_by_user_id.is_some() && events[0].roles.is_some());
}
