//! What SES says after it accepted a message: the configuration set publishes bounces,
//! complaints, deliveries and rejects to an SNS topic (template.yaml), whose messages
//! this reads and records on the invite the message was sent for, found by the
//! `invite_id` tag the mailer sets and checked against the invite's current message id.

use std::collections::HashMap;

use aws_lambda_events::event::sns::SnsEvent;
use serde::Deserialize;

use crate::domain::{EmailFeedback, InviteId};
use crate::service::{FeedbackOutcome, InviteError, InviteService};

/// The telemetry name of one invocation.
pub const FEEDBACK: &str = "recordEmailFeedback";

/// The longest `emailStatusReason` kept.
const MAX_REASON_CHARS: usize = 300;

/// An SES event record, as SES publishes it to SNS (only what is read here).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesEvent {
    /// `eventType` with event publishing; `notificationType` with identity notifications.
    #[serde(alias = "notificationType")]
    pub event_type: String,
    pub mail: SesMail,
    pub bounce: Option<SesBounce>,
    pub complaint: Option<SesComplaint>,
    pub reject: Option<SesReject>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesMail {
    pub message_id: String,
    #[serde(default)]
    pub tags: HashMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesBounce {
    pub bounce_type: String,
    #[serde(default)]
    pub bounce_sub_type: String,
    #[serde(default)]
    pub bounced_recipients: Vec<SesRecipient>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesRecipient {
    pub diagnostic_code: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesComplaint {
    pub complaint_feedback_type: Option<String>,
    pub complaint_sub_type: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SesReject {
    pub reason: Option<String>,
}

/// `text` with every word that holds an `@` (an address, bracketed or not) replaced,
/// cut to [`MAX_REASON_CHARS`]: a mail server's diagnostic quotes the recipient.
pub fn without_addresses(text: &str) -> String {
    let redacted: Vec<&str> = text
        .split_whitespace()
        .map(|word| if word.contains('@') { "<address>" } else { word })
        .collect();
    redacted.join(" ").chars().take(MAX_REASON_CHARS).collect()
}

impl SesEvent {
    /// The invite the message was sent for (the mailer's `invite_id` tag).
    pub fn invite_id(&self) -> Option<InviteId> {
        self.mail
            .tags
            .get("invite_id")
            .and_then(|values| values.first())
            .and_then(|id| InviteId::parse(id))
    }

    /// What it says, if it is a kind this service records.
    pub fn feedback(&self) -> Option<EmailFeedback> {
        match self.event_type.as_str() {
            "Delivery" => Some(EmailFeedback::Delivered),
            "Bounce" => {
                let bounce = self.bounce.as_ref()?;
                let recipient = bounce.bounced_recipients.first();
                let diagnostic = recipient
                    .and_then(|r| r.diagnostic_code.clone().or_else(|| r.status.clone()))
                    .unwrap_or_default();
                let mut reason = format!("{}/{}", bounce.bounce_type, bounce.bounce_sub_type);
                if !diagnostic.is_empty() {
                    reason = format!("{reason}: {diagnostic}");
                }
                Some(EmailFeedback::Bounced {
                    permanent: bounce.bounce_type == "Permanent",
                    reason: without_addresses(&reason),
                })
            }
            "Complaint" => {
                let complaint = self.complaint.as_ref();
                let kind = complaint
                    .and_then(|c| {
                        c.complaint_feedback_type
                            .clone()
                            .or_else(|| c.complaint_sub_type.clone())
                    })
                    .unwrap_or_else(|| "complaint".to_owned());
                Some(EmailFeedback::Complained {
                    reason: without_addresses(&format!("Complaint: {kind}")),
                })
            }
            "Reject" => {
                let reason = self.reject.as_ref().and_then(|r| r.reason.clone()).unwrap_or_default();
                Some(EmailFeedback::Rejected {
                    reason: without_addresses(&format!("Reject: {reason}")),
                })
            }
            _ => None,
        }
    }
}

/// One SNS invocation: each record's SES event recorded on its invite. Events that
/// name no invite of ours, or a message the invite has moved on from, are logged and
/// left alone; storage trouble fails the invocation, so Lambda tries it again (then its
/// dead-letter queue). Answers what came of each record, in order.
pub async fn handle_feedback(service: &InviteService, event: SnsEvent) -> Result<Vec<FeedbackOutcome>, InviteError> {
    let mut outcomes = Vec::new();
    for record in event.records {
        let parsed: Option<SesEvent> = serde_json::from_str(&record.sns.message).ok();
        let Some(ses) = parsed else {
            tracing::warn!(sns_message_id = %record.sns.message_id, "not an SES event; ignored");
            outcomes.push(FeedbackOutcome::UnknownInvite);
            continue;
        };
        let (Some(id), Some(feedback)) = (ses.invite_id(), ses.feedback()) else {
            tracing::info!(event_type = %ses.event_type, message_id = %ses.mail.message_id, "an SES event of no invite; ignored");
            outcomes.push(FeedbackOutcome::UnknownInvite);
            continue;
        };
        let outcome = service.record_feedback(id, &ses.mail.message_id, &feedback).await?;
        tracing::info!(invite_id = %id, event_type = %ses.event_type, outcome = ?outcome, "email feedback");
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_loses_every_address_it_quotes() {
        assert_eq!(
            without_addresses("smtp; 550 5.1.1 <wick.jonh@gmail.com>: Recipient address rejected"),
            "smtp; 550 5.1.1 <address> Recipient address rejected"
        );
        assert_eq!(without_addresses(&"x".repeat(1000)).chars().count(), MAX_REASON_CHARS);
    }
}
