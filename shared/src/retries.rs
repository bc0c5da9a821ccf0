//! Delayed delivery retries on AWS. The table's stream cannot wait: a write it carries
//! reaches the mailer at once. So an email that failed for a passing reason is written
//! back with `mail_state: deferred` (the stream filter, which takes `queued`, lets it
//! by) and its `retry_at`, and a message naming it goes to an SQS queue with that delay (at most
//! 15 minutes, the longest backoff). The mailer function also consumes the queue: the
//! message brings the invite back to the same delivery core when it is due.
//!
//! A lost message cannot lose an email: the message is sent after the write, and if it
//! cannot be sent the stream record (or queue message) is reported failed, so Lambda
//! hands it over again, the core finds the invite deferred and it is scheduled again.

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use chrono::{DateTime, Utc};

use crate::domain::{InviteId, RetryPolicy};

/// Brings an invite back to a mailer at a later time.
#[async_trait]
pub trait RetryScheduler: Send + Sync {
    async fn schedule(&self, invite: InviteId, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), String>;
}

/// The message body: the invite to deliver.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryMessage {
    pub invite_id: InviteId,
}

/// The mailer's retry queue (`INVITES_MAIL_RETRY_QUEUE_URL`).
pub struct SqsRetries {
    client: Client,
    queue_url: String,
}

impl SqsRetries {
    pub fn new(client: Client, queue_url: impl Into<String>) -> Self {
        Self {
            client,
            queue_url: queue_url.into(),
        }
    }

    /// An SQS client with the service's retry and timeout policy ([`crate::aws`]).
    /// `AWS_ENDPOINT_URL` (or `endpoint`) points it at an emulator.
    pub async fn client_from_env(endpoint: Option<&str>) -> Client {
        let mut builder = aws_sdk_sqs::config::Builder::from(&crate::aws::sdk_config().await);
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Client::from_conf(builder.build())
    }
}

/// The whole seconds to wait from `now` until `at`, within what SQS allows.
pub fn delay_seconds(at: DateTime<Utc>, now: DateTime<Utc>) -> i32 {
    let millis = (at - now).num_milliseconds().max(0);
    (((millis + 999) / 1000) as i32).min(RetryPolicy::MAX_DELAY_SECS as i32)
}

#[async_trait]
impl RetryScheduler for SqsRetries {
    async fn schedule(&self, invite: InviteId, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), String> {
        let body = serde_json::to_string(&RetryMessage { invite_id: invite }).map_err(|e| e.to_string())?;
        self.client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .delay_seconds(delay_seconds(at, now))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(&e).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delay_is_rounded_up_to_whole_seconds_within_sqs_bounds() {
        let now = Utc::now();
        assert_eq!(delay_seconds(now - chrono::Duration::seconds(5), now), 0);
        assert_eq!(delay_seconds(now + chrono::Duration::milliseconds(1001), now), 2);
        assert_eq!(delay_seconds(now + chrono::Duration::hours(2), now), 900);
    }
}
