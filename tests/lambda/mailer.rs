//! The stream-driven mailer: its event (events/invite-mailer/queued.json) through its
//! handler, delivering through moto's SES, with faults injected by a proxy in front of
//! it. No test may end with an invite lost or with two emails for one token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;
use invites_shared::aws::ATTEMPT_TIMEOUT;
use invites_shared::domain::{Caller, EmailStatus, InviteId, TenantId, UserId};
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::email::SesMailer;
use invites_shared::lambda::build_service;
use invites_shared::requests::ResendRequest;
use invites_shared::service::InviteService;
use invites_shared::store::InviteStore;
use serde_json::{Value, json};

use crate::{read_json, root, seed_fixtures};
use invites_tests::proxy::{Fault, FaultProxy};
use invites_tests::retry_queue::{RetryQueue, sqs_batch};

const SEND_EMAIL: &str = "/v2/email/outbound-emails";

struct Mailroom {
    service: InviteService,
    store: Arc<DynamoStore>,
    /// In front of moto's SES.
    proxy: FaultProxy,
    /// In front of moto's DynamoDB, for the mailer's reads and writes of the invite.
    table: FaultProxy,
    invite: InviteId,
    tenant: TenantId,
    /// The fixture invite's address, unique to the test (moto's outbox is shared).
    email: String,
    /// The mailer's retry queue, on moto's SQS.
    retries: RetryQueue,
    table_name: String,
}

/// A table with the fixture invite queued for delivery, and the mailer function's
/// service over it, mailing through a proxy in front of moto's SES and storing through
/// one in front of moto's DynamoDB.
async fn mailroom() -> Mailroom {
    let ses = ses_endpoint();
    let email = format!("invitee-{}@example.com", uuid::Uuid::new_v4());
    ses_endpoint();
    let (mut config, store) = seed_fixtures(EmailStatus::Queued, Some(&email)).await;
    let table = FaultProxy::start().await;
    let table_name = config.table_name.clone().expect("the fixtures' table");
    let proxied = Arc::new(DynamoStore::new(
        dynamo::client_from_env(Some(&table.url)).await,
        &table_name,
    ));
    let sender = invites_tests::moto::verified_sender().await;
    config.sender_email = Some(sender.clone());
    let proxy = FaultProxy::start_for(ses).await;
    let mailer = SesMailer::new(SesMailer::client_from_env(Some(&proxy.url)).await, sender, None);
    let service = build_service(&config, proxied, Arc::new(mailer));
    let fixtures = read_json(&root().join("events/fixtures.json"));
    Mailroom {
        service,
        store,
        proxy,
        table,
        invite: InviteId::parse(fixtures["invites"][0]["id"].as_str().unwrap()).unwrap(),
        tenant: TenantId::parse(fixtures["tenantId"].as_str().unwrap()).unwrap(),
        email,
        retries: RetryQueue::create().await,
        table_name,
    }
}

/// SES runs on its own moto (scripts/test.sh), so its sent mail reads fast.
fn ses_endpoint() -> String {
    invites_tests::moto::ses_endpoint()
}

/// Every message moto's SES accepted so far (from all tests: filter by recipient).
async fn ses_messages() -> Vec<Value> {
    let data: Value = reqwest::get(format!("{}/moto-api/data.json", ses_endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    data["ses"]["Message"].as_array().cloned().unwrap_or_default()
}

fn queued_event() -> Value {
    read_json(&root().join("events/invite-mailer/queued.json"))
}

/// The stream batch `event` through the mailer's handler, parsed and answered as Lambda
/// does: JSON in, JSON out.
async fn handle_stream(service: &InviteService, retries: &RetryQueue, event: Value) -> Value {
    let event = serde_json::from_value(event).expect("a DynamoDB stream event");
    let response = invites_shared::lambda::handle_stream(service, &retries.scheduler(), event).await;
    serde_json::to_value(response).expect("a JSON response")
}

impl Mailroom {
    async fn run(&self) -> Value {
        handle_stream(&self.service, &self.retries, queued_event()).await
    }

    /// The retry queue's messages that are due, through the mailer's handler.
    async fn run_retries(&self) -> Value {
        let batch = serde_json::from_value(sqs_batch(&self.retries.take_due().await)).expect("an SQS event");
        let response = invites_shared::lambda::handle_retries(&self.service, &self.retries.scheduler(), batch).await;
        serde_json::to_value(response).expect("a JSON response")
    }

    async fn stored(&self) -> invites_shared::domain::Invite {
        self.store
            .get(self.invite)
            .await
            .unwrap()
            .expect("the invite is never lost")
    }

    /// The tokens of every email moto's SES accepted for this test's invitee, read out
    /// of the accept link in the HTML body.
    async fn mailed_tokens(&self) -> Vec<String> {
        let messages = ses_messages().await;
        let tokens: Vec<String> = messages
            .iter()
            .filter(|m| {
                m["destinations"]["ToAddresses"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a == &json!(self.email))
            })
            .map(|m| {
                let body = m["body"].as_str().unwrap();
                let start = body.find("token=").expect("the email has the accept link") + "token=".len();
                body[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect()
            })
            .collect();
        let mut distinct = tokens.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), tokens.len(), "a token was mailed twice: {tokens:?}");
        tokens
    }

    async fn is_valid(&self, token: &str) -> bool {
        self.service.check_token(token).await.unwrap().is_valid
    }

    async fn resend(&self) {
        let caller = Caller {
            user_id: UserId::random(),
            tenant_id: Some(self.tenant),
            super_admin: false,
            name: None,
            // The fixtures' role, which the role policy wants the resender to hold.
            roles: vec!["content-creator".into()],
        };
        let request = ResendRequest {
            send_email: true,
            expires_in_days: None,
        };
        let view = self.service.resend(&caller, self.invite, request).await.unwrap();
        assert_eq!(view.email_status, EmailStatus::Queued);
    }

    fn ses_calls(&self) -> usize {
        self.proxy.take_calls().iter().filter(|c| *c == SEND_EMAIL).count()
    }
}

fn no_failures() -> Value {
    json!({ "batchItemFailures": [] })
}

#[tokio::test]
async fn the_stream_event_mails_the_invite_once_and_records_it_sent() {
    let room = mailroom().await;
    assert_eq!(room.run().await, no_failures());
    let invite = room.stored().await;
    assert_eq!(invite.email_status, EmailStatus::Sent);
    assert!(invite.message_id.as_deref().is_some_and(|id| !id.is_empty()));
    let tokens = room.mailed_tokens().await;
    assert_eq!(tokens.len(), 1);
    assert!(room.is_valid(&tokens[0]).await, "the mailed token works");

    // A redelivered record sends nothing and changes nothing.
    assert_eq!(room.run().await, no_failures());
    assert_eq!(room.stored().await, invite);
    assert_eq!(room.mailed_tokens().await.len(), 1);
}

/// Five deliveries of one record at once, on several threads: the mailer's claim read
/// is held at the proxy until all five have made it, so all five decide from the same
/// queued copy and race to claim it; exactly one claim may win and mail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_deliveries_of_one_record_send_one_email() {
    const DELIVERIES: usize = 5;
    let room = Arc::new(mailroom().await);
    room.table.take_calls();
    room.table.hold("GetItem");
    let runs: Vec<_> = (0..DELIVERIES)
        .map(|_| {
            let room = room.clone();
            tokio::spawn(async move { room.run().await })
        })
        .collect();
    room.table.wait_held(DELIVERIES).await;
    room.table.release();
    let results: Vec<Value> = join_all(runs).await.into_iter().map(Result::unwrap).collect();
    assert!(results.iter().all(|r| *r == no_failures()), "{results:?}");
    let calls = room.table.take_calls();
    assert_eq!(
        calls.iter().filter(|c| *c == "GetItem").count(),
        DELIVERIES + 1,
        "each delivery read the invite once (the losers re-decide from the copy their failed claim returned), \
         and the winner whether the address is suppressed: {calls:?}"
    );
    let writes = calls.iter().filter(|c| *c != "GetItem").count();
    assert_eq!(
        writes,
        DELIVERIES + 1,
        "every delivery tried to claim, and only the winner recorded the outcome: {calls:?}"
    );
    assert_eq!(room.ses_calls(), 1);
    let tokens = room.mailed_tokens().await;
    assert_eq!(tokens.len(), 1);
    assert!(room.is_valid(&tokens[0]).await);
    assert_eq!(room.stored().await.email_status, EmailStatus::Sent);
}

#[tokio::test]
async fn ses_throttling_defers_the_email_to_the_retry_queue_which_delivers_it_when_due() {
    let room = mailroom().await;
    room.proxy.fail(SEND_EMAIL, Fault::TooManyRequests, 1);
    room.ses_calls();
    let before = chrono::Utc::now();
    assert_eq!(room.run().await, no_failures());
    assert_eq!(
        room.ses_calls(),
        1,
        "the SDK does not retry at once: the core retries later"
    );
    let deferred = room.stored().await;
    assert_eq!(deferred.email_status, EmailStatus::Queued);
    assert_eq!(deferred.delivery_attempts, 1);
    let at = deferred.retry_at.expect("a retry time");
    // The first retry: 1 to 2 s later (2 s, half of it jittered).
    assert!(at >= before + chrono::Duration::seconds(1) && at <= chrono::Utc::now() + chrono::Duration::seconds(2));
    assert!(!deferred.awaits_delivery());
    // Its item says `deferred`: the stream's filter (queued only) does not bring it back
    // at once, and a mailer that starts without a stream still finds it.
    let item = invites_tests::moto::dynamodb_client()
        .await
        .get_item()
        .table_name(&room.table_name)
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("INVITE#{}", room.invite)),
        )
        .key("sk", aws_sdk_dynamodb::types::AttributeValue::S("INVITE".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        item.item().unwrap()["mail_state"],
        aws_sdk_dynamodb::types::AttributeValue::S("deferred".into())
    );
    assert!(room.store.queued_for_delivery().await.unwrap().contains(&room.invite));
    assert!(room.mailed_tokens().await.is_empty());
    assert_eq!(room.retries.held().await, 1, "one delayed message brings it back");
    assert!(room.retries.take_due().await.is_empty(), "not before its delay");

    // The stream hands the record over again (a retried batch): the invite is not due,
    // nothing is sent, and it is scheduled again.
    assert_eq!(room.run().await, no_failures());
    assert_eq!(room.ses_calls(), 0);
    assert_eq!(room.stored().await.version, deferred.version, "nothing written");

    tokio::time::sleep((at - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(1100)).await;
    assert_eq!(room.run_retries().await, no_failures());
    assert_eq!(room.ses_calls(), 1, "the two messages deliver it once");
    let tokens = room.mailed_tokens().await;
    assert_eq!(tokens.len(), 1);
    assert!(room.is_valid(&tokens[0]).await);
    let sent = room.stored().await;
    assert_eq!((sent.email_status, sent.retry_at), (EmailStatus::Sent, None));
}

#[tokio::test]
async fn a_rejected_message_is_recorded_failed_at_once_and_a_resend_delivers() {
    let room = mailroom().await;
    room.proxy.fail(SEND_EMAIL, Fault::MessageRejected, 1);
    room.ses_calls();
    assert_eq!(room.run().await, no_failures());
    assert_eq!(room.ses_calls(), 1, "a rejection is not retried");
    let failed = room.stored().await;
    assert_eq!(failed.email_status, EmailStatus::Failed);
    assert!(
        failed
            .email_error
            .as_deref()
            .is_some_and(|e| e.contains("MessageRejected"))
    );
    assert_eq!(
        room.run().await,
        no_failures(),
        "a failed email is not delivered again by itself"
    );
    assert!(room.mailed_tokens().await.is_empty());

    room.resend().await;
    room.run().await;
    let tokens = room.mailed_tokens().await;
    assert_eq!(tokens.len(), 1);
    assert!(room.is_valid(&tokens[0]).await);
}

/// An SES call that never answers is abandoned after `ATTEMPT_TIMEOUT` (the delivery
/// never outlives the invocation), and the email is retried later, when due, from the
/// retry queue: delivered once.
#[tokio::test]
async fn a_timeout_is_abandoned_within_the_attempt_timeout_and_retried_when_due() {
    let room = mailroom().await;
    room.proxy.fail(SEND_EMAIL, Fault::Hang, 1);
    room.proxy.take_calls();
    let started = Instant::now();
    assert_eq!(room.run().await, no_failures());
    let elapsed = started.elapsed();
    assert!(
        elapsed >= ATTEMPT_TIMEOUT - Duration::from_millis(100) && elapsed < ATTEMPT_TIMEOUT * 2,
        "the delivery took {elapsed:?}; the attempt timeout is {ATTEMPT_TIMEOUT:?}"
    );
    assert_eq!(room.ses_calls(), 1, "one attempt, abandoned");
    let deferred = room.stored().await;
    assert_eq!(deferred.email_status, EmailStatus::Queued);
    assert!(deferred.email_error.as_deref().is_some_and(|e| e.contains("temporary")));
    let at = deferred.retry_at.expect("a retry time");
    tokio::time::sleep((at - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(1100)).await;
    assert_eq!(room.run_retries().await, no_failures());
    assert_eq!(room.stored().await.email_status, EmailStatus::Sent);
    assert_eq!(room.mailed_tokens().await.len(), 1);
}

#[tokio::test]
async fn storage_trouble_is_reported_so_the_stream_retries_the_record() {
    let room = mailroom().await;
    // A mailer whose table is gone cannot even read the invite.
    let client = dynamo::client_from_env(None).await;
    let missing = Arc::new(DynamoStore::new(client, "no-such-table"));
    let (config, _) = seed_fixtures(EmailStatus::Queued, Some(&room.email)).await;
    let service = build_service(&config, missing, Arc::new(invites_shared::email::NoSender));
    let response = handle_stream(&service, &room.retries, queued_event()).await;
    let sequence = queued_event()["Records"][0]["dynamodb"]["SequenceNumber"].clone();
    assert_eq!(
        response,
        json!({ "batchItemFailures": [{ "itemIdentifier": sequence }] })
    );
    assert!(room.mailed_tokens().await.is_empty());
}

/// Issue 16 through moto's SES: the message SES received says who, what and when, comes
/// from the configured display name, and sends replies to the configured address.
#[tokio::test]
async fn ses_receives_who_what_and_when_with_the_sender_name_and_reply_to() {
    use invites_shared::domain::{EmailAddress, Invite, InviteToken, NewInvite};
    use invites_shared::email::{EmailRenderer, EmailSettings, Mailer, RoleLabels};
    let endpoint = ses_endpoint();
    let client = SesMailer::client_from_env(Some(&endpoint)).await;
    let sender = invites_tests::moto::verified_sender().await;
    let settings = EmailSettings {
        product_name: Some("Rocket".into()),
        sender_name: Some("Rocket Team".into()),
        reply_to: Some("support@rocket.example".into()),
        role_labels: RoleLabels::parse(r#"{"editor": {"fr": "Éditeur"}}"#).unwrap(),
        ..EmailSettings::default()
    };
    let address = format!("ses-{}@example.com", uuid::Uuid::new_v4());
    let email = EmailAddress::parse(&address).unwrap();
    let id = InviteId::random();
    let expires_at = chrono::DateTime::parse_from_rfc3339("2026-12-07T07:15:00Z")
        .unwrap()
        .to_utc();
    let invite = Invite {
        locale: "fr-FR".into(),
        roles: vec!["editor".into()],
        created_by_name: Some("Alice Admin".into()),
        tenant_name: Some("Acme".into()),
        time_zone: Some("America/New_York".into()),
        ..Invite::issued(
            NewInvite {
                id,
                tenant_id: TenantId::random(),
                email: &email,
                created_by: UserId::random(),
                token_hash: InviteToken::generate(id).hash(),
                email_status: EmailStatus::Queued,
                expires_at,
            },
            chrono::Utc::now(),
        )
    };
    let rendered = EmailRenderer::new(&settings)
        .unwrap()
        .render(&invite, "https://app.example.com/accept-invite?token=t");
    SesMailer::new(client, &sender, None)
        .send(&rendered)
        .await
        .expect("moto takes it");

    let messages = ses_messages().await;
    let message = messages
        .iter()
        .find(|m| m["destinations"]["ToAddresses"][0] == address.as_str())
        .unwrap_or_else(|| panic!("moto has the message: {messages:?}"));
    assert_eq!(
        message["subject"], "Alice Admin vous invite à rejoindre Acme sur Rocket",
        "{message}"
    );
    // moto keeps the HTML part, as a browser gets it: `/` written as a character reference.
    let body = invites_tests::unescape(message["body"].as_str().unwrap());
    assert!(
        body.contains("7 décembre 2026 à 02:15 EST (America/New_York)"),
        "{body}"
    );
    assert!(body.contains("Éditeur"), "{body}");
    assert_eq!(message["source"], format!("\"Rocket Team\" <{sender}>"), "{message}");
}
