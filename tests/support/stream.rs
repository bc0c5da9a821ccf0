//! A table's DynamoDB stream as moto recorded it, read back over the DynamoDB Streams
//! API and shaped as the batch Lambda hands a stream-driven function: what the events
//! publisher receives on AWS, from real writes of the real store.
//!
//! moto answers the Streams API unsigned, so a plain JSON call does; its records differ
//! from Lambda's only in `ApproximateCreationDateTime` (a date text, not epoch seconds)
//! and the missing `eventSourceARN`, which are set here.

use serde_json::{Value, json};

async fn call(endpoint: &str, target: &str, body: Value) -> Value {
    let answer = reqwest::Client::new()
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", target)
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .expect("moto answers");
    let status = answer.status();
    let body: Value = answer.json().await.expect("a JSON answer");
    assert!(status.is_success(), "{target}: {status} {body}");
    body
}

/// Every record `table`'s stream holds so far, oldest first, as Lambda's records.
pub async fn stream_records(endpoint: &str, table: &str) -> Vec<Value> {
    let described = call(
        endpoint,
        "DynamoDB_20120810.DescribeTable",
        json!({ "TableName": table }),
    )
    .await;
    let arn = described["Table"]["LatestStreamArn"]
        .as_str()
        .expect("the table has a stream")
        .to_owned();
    let stream = call(
        endpoint,
        "DynamoDBStreams_20120810.DescribeStream",
        json!({ "StreamArn": arn }),
    )
    .await;
    let mut records = Vec::new();
    for shard in stream["StreamDescription"]["Shards"].as_array().unwrap() {
        let mut iterator = call(
            endpoint,
            "DynamoDBStreams_20120810.GetShardIterator",
            json!({ "StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON" }),
        )
        .await["ShardIterator"]
            .clone();
        loop {
            let page = call(
                endpoint,
                "DynamoDBStreams_20120810.GetRecords",
                json!({ "ShardIterator": iterator, "Limit": 1000 }),
            )
            .await;
            let batch = page["Records"].as_array().cloned().unwrap_or_default();
            if batch.is_empty() {
                break;
            }
            records.extend(batch.into_iter().map(|mut record| {
                record["dynamodb"]["ApproximateCreationDateTime"] = json!(chrono::Utc::now().timestamp());
                record["eventSourceARN"] = json!(arn);
                record
            }));
            iterator = page["NextShardIterator"].clone();
            if iterator.is_null() {
                break;
            }
        }
    }
    records
}

/// The records that are an invite's own item (`sk` = `INVITE`), inserted or modified:
/// what the publisher's filter in template.yaml lets through.
pub fn invite_records(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .filter(|r| r["dynamodb"]["Keys"]["sk"]["S"] == "INVITE" && r["eventName"] != "REMOVE")
        .cloned()
        .collect()
}

/// `records` as one Lambda batch.
pub fn batch(records: &[Value]) -> Value {
    json!({ "Records": records })
}
