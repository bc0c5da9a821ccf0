//! The mailer's retry queue on moto's SQS, and its messages as the batch Lambda hands
//! the mailer function: what `SqsRetries` sends with a delay comes back when due.

use invites_shared::retries::SqsRetries;
use serde_json::{Value, json};

pub struct RetryQueue {
    sqs: aws_sdk_sqs::Client,
    pub url: String,
}

impl RetryQueue {
    /// A fresh queue on the moto at `AWS_ENDPOINT_URL`.
    pub async fn create() -> Self {
        let endpoint = crate::moto::dynamodb_endpoint();
        let sqs = SqsRetries::client_from_env(Some(&endpoint)).await;
        let url = sqs
            .create_queue()
            .queue_name(format!("mail-retries-{}", uuid::Uuid::new_v4()))
            .send()
            .await
            .expect("moto creates the queue")
            .queue_url()
            .unwrap()
            .to_owned();
        Self { sqs, url }
    }

    /// What the mailer schedules its retries with.
    pub fn scheduler(&self) -> SqsRetries {
        SqsRetries::new(self.sqs.clone(), &self.url)
    }

    /// The messages due now (SQS holds back those whose delay has not passed), taken off
    /// the queue, as the records of one Lambda batch.
    pub async fn take_due(&self) -> Vec<Value> {
        let mut records = Vec::new();
        loop {
            let page = self
                .sqs
                .receive_message()
                .queue_url(&self.url)
                .max_number_of_messages(10)
                .send()
                .await
                .expect("moto answers");
            if page.messages().is_empty() {
                return records;
            }
            for message in page.messages() {
                records.push(json!({
                    "messageId": message.message_id(),
                    "receiptHandle": message.receipt_handle(),
                    "body": message.body(),
                    "attributes": {},
                    "messageAttributes": {},
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:mail-retries",
                    "awsRegion": "us-east-1",
                }));
                self.sqs
                    .delete_message()
                    .queue_url(&self.url)
                    .receipt_handle(message.receipt_handle().unwrap())
                    .send()
                    .await
                    .expect("moto deletes the message");
            }
        }
    }

    /// How many messages the queue holds, due or not.
    pub async fn held(&self) -> usize {
        let attributes = self
            .sqs
            .get_queue_attributes()
            .queue_url(&self.url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesDelayed)
            .send()
            .await
            .expect("moto answers");
        attributes
            .attributes()
            .into_iter()
            .flat_map(|a| a.values())
            .map(|v| v.parse::<usize>().unwrap_or(0))
            .sum()
    }
}

/// `records` as one Lambda batch of SQS messages.
pub fn sqs_batch(records: &[Value]) -> Value {
    json!({ "Records": records })
}
