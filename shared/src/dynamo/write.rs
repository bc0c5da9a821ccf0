//! One write of an invite: a single transaction over the invite, its ledger, its list
//! entries, the counters and (when it changes hands) its pending-email slot, computed
//! from what the ledger says was derived before. A transaction that meets another on a
//! counter shard is run again on the next shard.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Delete, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update};

use super::counters::{COUNTER_SHARDS, Deltas};
use super::entries::{Derived, Ledger, entry_item, entry_key, ledger_condition, ledger_item};
use super::item::{Item, WRITE_ID, invite_from_item, invite_item, invite_key, n, s};
use super::table::TTL_ATTRIBUTE;
use super::{DynamoStore, sdk_error};
use crate::domain::Invite;
use crate::store::StoreError;

/// How many times a transaction cancelled by a conflict or throttling is run again.
const MAX_TRANSACT_ATTEMPTS: u32 = 8;

/// A write of one invite, before the counter shard is chosen.
pub(super) struct InviteWrite {
    /// The invite's put and its condition (and its values).
    pub invite: Invite,
    pub invite_condition: (String, Item),
    /// What the ledger holds now, which the write undoes and conditions on.
    pub ledger: Ledger,
    /// The slot operation, if the slot changes.
    pub slot: Option<TransactWriteItem>,
}

/// Which part of a write made it fail.
pub(super) enum WriteFailure {
    /// The invite's condition: here is the current item, if DynamoDB returned it.
    Invite(Option<Box<Invite>>),
    Ledger,
    Slot,
    Store(StoreError),
}

/// The counter shard each write starts on, round-robin within a process, so the
/// concurrent writes of one request spread over the shards.
pub(super) struct ShardPicker(AtomicU32);

impl ShardPicker {
    pub fn new() -> Self {
        let mut seed = [0u8; 4];
        let _ = getrandom::fill(&mut seed);
        Self(AtomicU32::new(u32::from_le_bytes(seed)))
    }

    fn next(&self) -> u32 {
        self.0.fetch_add(1, Ordering::Relaxed) % COUNTER_SHARDS
    }
}

fn put(table: &str, item: Item, condition: Option<(String, Item)>) -> Result<TransactWriteItem, StoreError> {
    let mut put = Put::builder().table_name(table).set_item(Some(item));
    if let Some((expression, values)) = condition {
        put = put
            .condition_expression(expression)
            .set_expression_attribute_values((!values.is_empty()).then_some(values))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    }
    Ok(TransactWriteItem::builder()
        .put(put.build().map_err(StoreError::internal)?)
        .build())
}

impl DynamoStore {
    /// The transaction's items: invite, ledger, then the slot operation, entries and
    /// counters (so failures of the first three are told by position).
    fn write_items(
        &self,
        write: &InviteWrite,
        write_id: &str,
        shard: u32,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let table = &self.table;
        let next = Derived::of(&write.invite);
        let mut invite = invite_item(&write.invite)?;
        invite.insert(WRITE_ID.to_owned(), s(write_id));
        let mut items = vec![
            put(table, invite, Some(write.invite_condition.clone()))?,
            put(
                table,
                ledger_item(&write.invite, &next)?,
                Some(ledger_condition(&write.ledger)),
            )?,
        ];
        items.extend(write.slot.clone());
        if let Some(previous) = write.ledger.derived() {
            for list in &previous.lists {
                let kept = previous.entry_sk == next.entry_sk && next.lists.contains(list);
                if !kept {
                    let delete = Delete::builder()
                        .table_name(table)
                        .set_key(Some(entry_key(list, &previous.entry_sk)))
                        .build()
                        .map_err(StoreError::internal)?;
                    items.push(TransactWriteItem::builder().delete(delete).build());
                }
            }
        }
        for list in &next.lists {
            items.push(put(table, entry_item(list, &write.invite), None)?);
        }
        let mut deltas = Deltas::default();
        if let Some(previous) = write.ledger.derived() {
            deltas.apply(&previous.contribution, -1, shard);
        }
        deltas.apply(&next.contribution, 1, shard);
        for (key, changes, ttl) in deltas.updates() {
            let mut expression = String::from("ADD ");
            let mut update = Update::builder().table_name(table).set_key(Some(key));
            for (i, (attribute, by)) in changes.iter().enumerate() {
                if i > 0 {
                    expression.push_str(", ");
                }
                expression.push_str(&format!("#a{i} :a{i}"));
                update = update
                    .expression_attribute_names(format!("#a{i}"), *attribute)
                    .expression_attribute_values(format!(":a{i}"), n(*by));
            }
            if let Some(ttl) = ttl {
                expression.push_str(" SET #ttl = :ttl");
                update = update
                    .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
                    .expression_attribute_values(":ttl", n(ttl));
            }
            let update = update
                .update_expression(expression)
                .build()
                .map_err(StoreError::internal)?;
            items.push(TransactWriteItem::builder().update(update).build());
        }
        Ok(items)
    }

    /// Runs a write as one transaction, on another counter shard after a conflict.
    ///
    /// A write answers as though it ran exactly once, even when DynamoDB committed it
    /// and its reply was lost (a 500 or a timeout, which the SDK retries):
    /// - each transaction carries a `ClientRequestToken`, so DynamoDB itself answers a
    ///   retry of a committed one with success (for ten minutes);
    /// - the invite item carries this write's id: a retry whose condition fails on the
    ///   invite finds its own write there (`ALL_OLD`) and succeeds (moto, which ignores
    ///   the token, and a retry past those ten minutes);
    /// - when every attempt failed without an answer, a consistent read of the invite
    ///   tells whether one of them committed.
    pub(super) async fn run_write(&self, write: &InviteWrite) -> Result<(), WriteFailure> {
        let write_id = uuid::Uuid::new_v4().to_string();
        match self.try_write(write, &write_id).await {
            Err(WriteFailure::Store(StoreError::Unavailable(cause))) => match self.written(write, &write_id).await {
                Ok(true) => Ok(()),
                _ => Err(WriteFailure::Store(StoreError::Unavailable(cause))),
            },
            other => other,
        }
    }

    /// Whether the invite stored now is the one `write_id` put.
    async fn written(&self, write: &InviteWrite, write_id: &str) -> Result<bool, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(invite_key(write.invite.id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(super::sdk_error)?;
        Ok(is_written_by(output.item(), write_id))
    }

    async fn try_write(&self, write: &InviteWrite, write_id: &str) -> Result<(), WriteFailure> {
        let mut shard = self.shards.next();
        for attempt in 0..MAX_TRANSACT_ATTEMPTS {
            let items = self.write_items(write, write_id, shard).map_err(WriteFailure::Store)?;
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items))
                // One token per transaction we build: the SDK's retries of it reuse it.
                .client_request_token(uuid::Uuid::new_v4().to_string())
                .send()
                .await;
            let error = match result {
                Ok(_) => return Ok(()),
                Err(e) => e,
            };
            let Some(TransactWriteItemsError::TransactionCanceledException(cancel)) = error.as_service_error() else {
                return Err(WriteFailure::Store(sdk_error(error)));
            };
            let reasons = cancel.cancellation_reasons();
            let code = |i: usize| reasons.get(i).and_then(|r| r.code()).unwrap_or("None");
            if code(0) == "ConditionalCheckFailed" {
                if is_written_by(reasons[0].item(), write_id) {
                    // An earlier attempt of this very write committed; its reply was lost.
                    return Ok(());
                }
                let current = reasons[0].item().map(invite_from_item).transpose().ok().flatten();
                return Err(WriteFailure::Invite(current.map(Box::new)));
            }
            if code(1) == "ConditionalCheckFailed" {
                return Err(WriteFailure::Ledger);
            }
            if write.slot.is_some() && code(2) == "ConditionalCheckFailed" {
                return Err(WriteFailure::Slot);
            }
            let passing =
                (0..reasons.len()).all(|i| matches!(code(i), "None" | "TransactionConflict" | "ThrottlingError"));
            if !passing || attempt + 1 == MAX_TRANSACT_ATTEMPTS {
                let described = (0..reasons.len())
                    .map(code)
                    .filter(|c| *c != "None")
                    .collect::<Vec<_>>();
                return Err(WriteFailure::Store(StoreError::Unavailable(
                    format!("the transaction was cancelled: {described:?}").into(),
                )));
            }
            // Another transaction holds one of the items (a counter shard, most likely):
            // wait a little, jittered, and try the next shard.
            let mut jitter = [0u8; 1];
            let _ = getrandom::fill(&mut jitter);
            let wait = 10u64 * (1 << attempt.min(4)) + u64::from(jitter[0] % 10);
            tokio::time::sleep(Duration::from_millis(wait)).await;
            shard = (shard + 1) % COUNTER_SHARDS;
        }
        unreachable!("the loop returns on its last attempt")
    }
}

/// Whether `item` (an invite item) was put by the write `write_id`.
fn is_written_by(item: Option<&Item>, write_id: &str) -> bool {
    item.and_then(|item| item.get(WRITE_ID))
        .and_then(|id| id.as_s().ok())
        .is_some_and(|id| id == write_id)
}
