//! Issue 17, part 2: what SES says after it accepted a message reaches the invite. The
//! SNS notifications of events/invite-email-feedback/ (SES's documented shapes) go
//! through the feedback function's handler, for invites the mailer really sent through
//! moto's SES.

use std::sync::Arc;

use invites_shared::clock::SystemClock;
use invites_shared::domain::{EmailStatus, InviteId};
use invites_shared::feedback::handle_feedback;
use invites_shared::service::FeedbackOutcome;
use invites_tests::proxy::FaultProxy;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::stack::{Stack, ses_through_proxy};
use crate::{read_json, root};

const SEND_EMAIL: &str = "/v2/email/outbound-emails";

/// The sample `name`, about the message `message_id` of invite `invite`.
fn notification(name: &str, invite: &str, message_id: &str) -> Value {
    let mut event = read_json(&root().join(format!("events/invite-email-feedback/{name}.json")));
    let raw = event["Records"][0]["Sns"]["Message"].as_str().unwrap().to_owned();
    let mut ses: Value = serde_json::from_str(&raw).unwrap();
    ses["mail"]["messageId"] = json!(message_id);
    ses["mail"]["tags"]["invite_id"] = json!([invite]);
    event["Records"][0]["Sns"]["Message"] = json!(ses.to_string());
    event
}

struct Room {
    stack: Stack,
    ses: FaultProxy,
}

impl Room {
    async fn start() -> Self {
        let (ses, mailer) = ses_through_proxy().await;
        let stack = Stack::start(Arc::new(SystemClock), Arc::new(mailer), &[]).await;
        Self { stack, ses }
    }

    /// An invite to `email` in `tenant`, delivered through SES: its id and message id.
    async fn sent(&self, tenant: Uuid, email: &str) -> (InviteId, String) {
        let invite = self.stack.invite_all(tenant, &[email.to_owned()], true).await.remove(0);
        self.stack.deliver(&invite).await;
        let id = InviteId::parse(invite["id"].as_str().unwrap()).unwrap();
        let stored = self.stack.stored(id).await;
        assert_eq!(stored.email_status, EmailStatus::Sent);
        (id, stored.message_id.expect("SES's message id"))
    }

    async fn feed(&self, name: &str, id: InviteId, message_id: &str) -> Vec<FeedbackOutcome> {
        let event = serde_json::from_value(notification(name, &id.to_string(), message_id)).unwrap();
        handle_feedback(&self.stack.service, event).await.unwrap()
    }

    /// A resend of invite `id`, and the mailer's delivery of it.
    async fn resend_and_deliver(&self, tenant: Uuid, id: InviteId) {
        let path = format!("/user-invites/{id}/resend");
        self.stack
            .call_in(tenant, "POST", &path, self.stack.admin, json!({}))
            .await;
        self.stack.deliver(&json!({ "id": id })).await;
    }

    async fn api_view(&self, tenant: Uuid, id: InviteId) -> Value {
        self.stack
            .call_in(
                tenant,
                "GET",
                &format!("/user-invites/{id}"),
                self.stack.admin,
                json!(null),
            )
            .await
    }
}

fn address() -> String {
    format!("wick.jonh-{}@example.com", Uuid::new_v4())
}

#[tokio::test]
async fn a_permanent_bounce_marks_the_invite_and_stops_mail_to_that_address_in_the_tenant() {
    let room = Room::start().await;
    let tenant = Uuid::new_v4();
    let email = address();
    let (id, message) = room.sent(tenant, &email).await;
    assert_eq!(
        room.feed("bounce-permanent", id, &message).await,
        [FeedbackOutcome::Recorded]
    );
    let view = room.api_view(tenant, id).await;
    assert_eq!(view["emailStatus"], "bounced");
    let reason = view["emailStatusReason"].as_str().unwrap();
    assert!(reason.starts_with("Permanent/General: smtp; 550 5.1.1"), "{reason}");
    assert!(!reason.contains('@'), "the reason never holds the address: {reason}");

    // A resend to the same address is kept, but not mailed: it says bounced at once.
    room.ses.take_calls();
    room.resend_and_deliver(tenant, id).await;
    let resent = room.stack.stored(id).await;
    assert_eq!(resent.email_status, EmailStatus::Bounced);
    assert!(resent.email_status_reason.unwrap().contains("bounced permanently"));
    assert!(
        room.ses.take_calls().iter().all(|c| c != SEND_EMAIL),
        "SES was not called"
    );
    // Another tenant's invite to that address still goes out; so does a corrected one.
    room.sent(Uuid::new_v4(), &email).await;
    room.sent(tenant, &address()).await;
}

#[tokio::test]
async fn a_transient_bounce_a_complaint_and_a_delivery_each_reach_their_invite() {
    let room = Room::start().await;
    let tenant = Uuid::new_v4();
    let (soft, soft_message) = room.sent(tenant, &address()).await;
    assert_eq!(
        room.feed("bounce-transient", soft, &soft_message).await,
        [FeedbackOutcome::Recorded]
    );
    let view = room.api_view(tenant, soft).await;
    assert_eq!(view["emailStatus"], "bounced");
    assert!(
        view["emailStatusReason"]
            .as_str()
            .unwrap()
            .starts_with("Transient/MailboxFull")
    );
    // A soft bounce suppresses nothing: a resend is mailed.
    room.resend_and_deliver(tenant, soft).await;
    let resent = room.stack.stored(soft).await;
    assert_eq!(
        (resent.email_status, resent.email_status_reason),
        (EmailStatus::Sent, None)
    );

    let (delivered, delivered_message) = room.sent(tenant, &address()).await;
    assert_eq!(
        room.feed("delivery", delivered, &delivered_message).await,
        [FeedbackOutcome::Recorded]
    );
    assert_eq!(room.api_view(tenant, delivered).await["emailStatus"], "delivered");
    // A complaint comes after the delivery.
    assert_eq!(
        room.feed("complaint", delivered, &delivered_message).await,
        [FeedbackOutcome::Recorded]
    );
    let view = room.api_view(tenant, delivered).await;
    assert_eq!(view["emailStatus"], "complained");
    assert_eq!(view["emailStatusReason"], "Complaint: abuse");
    // A late delivery event does not undo the complaint.
    assert_eq!(
        room.feed("delivery", delivered, &delivered_message).await,
        [FeedbackOutcome::Unchanged]
    );
    assert_eq!(room.api_view(tenant, delivered).await["emailStatus"], "complained");
}

#[tokio::test]
async fn a_bounce_of_a_message_the_invite_moved_on_from_or_of_no_invite_changes_nothing() {
    let room = Room::start().await;
    let tenant = Uuid::new_v4();
    let (id, old_message) = room.sent(tenant, &address()).await;
    room.resend_and_deliver(tenant, id).await;
    let resent = room.stack.stored(id).await;
    assert_ne!(resent.message_id.as_deref(), Some(old_message.as_str()));
    // The first message's bounce arrives late: its claim has moved on.
    assert_eq!(
        room.feed("bounce-permanent", id, &old_message).await,
        [FeedbackOutcome::Superseded]
    );
    let after = room.stack.stored(id).await;
    assert_eq!((after.email_status, after.version), (EmailStatus::Sent, resent.version));
    // Nor is the address suppressed: its next message goes out.
    room.resend_and_deliver(tenant, id).await;
    assert_eq!(room.stack.stored(id).await.email_status, EmailStatus::Sent);

    // An invite this table never held: ignored.
    let unknown = InviteId::random();
    assert_eq!(
        room.feed("bounce-permanent", unknown, "0100019a-unknown").await,
        [FeedbackOutcome::UnknownInvite]
    );
}
