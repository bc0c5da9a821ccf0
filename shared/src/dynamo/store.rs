//! The invite store on DynamoDB: every change one conditional write or one transaction.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Delete, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem};
use chrono::{DateTime, Utc};
use const_format::concatcp;

use super::item::{
    EXPIRES_KEY, INVITE_ID, Item, MAIL_STATE, VERSION, idempotency_from_item, idempotency_item, idempotency_key,
    invite_from_item, invite_id_of, invite_item, invite_key, n, s, slot_item, slot_key,
};
use super::sdk_error;
use super::table::PARTITION_KEY;
use crate::domain::{Invite, InviteId, InviteStatus};
use crate::store::{
    IdempotencyBegin, IdempotencyKey, IdempotencyRecord, InviteStore, ListPage, ListQuery, StoreError, sortable_time,
};

/// The slot may be taken when nobody holds it, this invite holds it, or its holder expired.
const SLOT_FREE_FOR_US: &str = concatcp!(
    "attribute_not_exists(",
    PARTITION_KEY,
    ") OR ",
    INVITE_ID,
    " = :id OR ",
    EXPIRES_KEY,
    " <= :now"
);
/// The slot is given back only by the invite that holds it.
const SLOT_HELD_BY_US_OR_GONE: &str = concatcp!("attribute_not_exists(", PARTITION_KEY, ") OR ", INVITE_ID, " = :id");

/// An insert never overwrites: invite ids are random, so this only fails on a retry of
/// the same write.
const INVITE_IS_NEW: &str = concatcp!("attribute_not_exists(", PARTITION_KEY, ")");
/// Every other write of an invite is over the version that was read.
const VERSION_UNCHANGED: &str = concatcp!(VERSION, " = :v");
/// A claim may be taken when there is none, or when the one there expired.
const IDEMPOTENCY_FREE: &str = concatcp!("attribute_not_exists(", PARTITION_KEY, ") OR ", EXPIRES_KEY, " <= :now");

/// Which slot operation a replace needs, derived from the two versions.
enum SlotChange {
    None,
    Take,
    GiveBack,
}

fn slot_change(previous: &Invite, next: &Invite, now: DateTime<Utc>) -> SlotChange {
    if next.holds_email_slot(now) {
        // Already ours, for the same expiry: nothing to write.
        if previous.holds_email_slot(now) && previous.expires_at == next.expires_at {
            SlotChange::None
        } else {
            SlotChange::Take
        }
    } else if previous.status == InviteStatus::Pending {
        SlotChange::GiveBack
    } else {
        SlotChange::None
    }
}

pub struct DynamoStore {
    pub(super) client: Client,
    pub(super) table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn put_invite(&self, invite: &Invite, condition: &str, values: Item) -> Result<Put, StoreError> {
        Put::builder()
            .table_name(&self.table)
            .set_item(Some(invite_item(invite)?))
            .condition_expression(condition)
            .set_expression_attribute_values((!values.is_empty()).then_some(values))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
            .map_err(StoreError::internal)
    }

    fn put_slot(&self, invite: &Invite, now: DateTime<Utc>) -> Result<Put, StoreError> {
        Put::builder()
            .table_name(&self.table)
            .set_item(Some(slot_item(invite)))
            .condition_expression(SLOT_FREE_FOR_US)
            .expression_attribute_values(":id", s(invite.id.to_string()))
            .expression_attribute_values(":now", s(sortable_time(now)))
            .build()
            .map_err(StoreError::internal)
    }

    fn delete_slot(&self, invite: &Invite) -> Result<Delete, StoreError> {
        Delete::builder()
            .table_name(&self.table)
            .set_key(Some(slot_key(invite)))
            .condition_expression(SLOT_HELD_BY_US_OR_GONE)
            .expression_attribute_values(":id", s(invite.id.to_string()))
            .build()
            .map_err(StoreError::internal)
    }

    /// Runs a transaction; on cancellation, says which items' conditions failed (and
    /// the current copy of the first, when DynamoDB returned it).
    async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), Cancelled> {
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(cancel)) => {
                    let reasons = cancel.cancellation_reasons();
                    let failed = |i: usize| reasons.get(i).and_then(|r| r.code()) == Some("ConditionalCheckFailed");
                    if (0..reasons.len()).any(|i| {
                        reasons
                            .get(i)
                            .and_then(|r| r.code())
                            .is_some_and(|c| c != "None" && c != "ConditionalCheckFailed")
                    }) {
                        // Another transaction held an item (TransactionConflict) or DynamoDB throttled it.
                        return Err(Cancelled::Store(StoreError::Conflict(None)));
                    }
                    let first_item = reasons.first().and_then(|r| r.item()).map(invite_from_item).transpose();
                    Err(Cancelled::Conditions {
                        failed: (0..reasons.len()).filter(|i| failed(*i)).collect(),
                        first_item: first_item.ok().flatten().map(Box::new),
                    })
                }
                _ => Err(Cancelled::Store(sdk_error(e))),
            },
        }
    }

    /// A conditional put of an invite on its own; a failed condition returns the current copy.
    async fn put_alone(&self, put: Put) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(put.item))
            .set_condition_expression(put.condition_expression)
            .set_expression_attribute_values(put.expression_attribute_values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(failed)) => Err(StoreError::Conflict(
                    failed.item().and_then(|item| invite_from_item(item).ok()).map(Box::new),
                )),
                _ => Err(sdk_error(e)),
            },
        }
    }

    async fn read_idempotency(&self, key: &IdempotencyKey) -> Result<IdempotencyRecord, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(idempotency_key(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        output
            .item()
            .map(idempotency_from_item)
            .transpose()?
            .ok_or(StoreError::Conflict(None))
    }
}

enum Cancelled {
    Conditions {
        failed: Vec<usize>,
        first_item: Option<Box<Invite>>,
    },
    Store(StoreError),
}

fn transact_put(put: Put) -> TransactWriteItem {
    TransactWriteItem::builder().put(put).build()
}

fn transact_delete(delete: Delete) -> TransactWriteItem {
    TransactWriteItem::builder().delete(delete).build()
}

#[async_trait]
impl InviteStore for DynamoStore {
    /// One round trip: the invite and its slot in one transaction.
    async fn insert(&self, invite: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let items = vec![
            transact_put(self.put_slot(invite, now)?),
            transact_put(self.put_invite(invite, INVITE_IS_NEW, HashMap::new())?),
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(Cancelled::Conditions { failed, .. }) if failed.contains(&0) => Err(StoreError::DuplicatePending),
            Err(Cancelled::Conditions { .. }) => {
                Err(StoreError::internal(format!("invite {} exists already", invite.id)))
            }
            Err(Cancelled::Store(e)) => Err(e),
        }
    }

    /// One round trip, strongly consistent.
    async fn get(&self, id: InviteId) -> Result<Option<Invite>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(invite_key(id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        output.item().map(invite_from_item).transpose()
    }

    /// One round trip: a conditional put, or a transaction when the slot changes hands.
    async fn replace(&self, previous: &Invite, next: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let version_matches = HashMap::from([(":v".to_owned(), n(previous.version as i64))]);
        let put = self.put_invite(next, VERSION_UNCHANGED, version_matches)?;
        let slot = match slot_change(previous, next, now) {
            SlotChange::None => None,
            SlotChange::Take => Some(transact_put(self.put_slot(next, now)?)),
            SlotChange::GiveBack => Some(transact_delete(self.delete_slot(previous)?)),
        };
        let Some(slot) = slot else {
            return self.put_alone(put).await;
        };
        let giving_back = matches!(slot_change(previous, next, now), SlotChange::GiveBack);
        match self.transact(vec![transact_put(put.clone()), slot]).await {
            Ok(()) => Ok(()),
            Err(Cancelled::Conditions { failed, first_item }) if failed.contains(&0) => {
                Err(StoreError::Conflict(first_item))
            }
            // The slot was taken over by a newer invite after ours expired: it is not
            // ours to give back, so store the invite alone.
            Err(Cancelled::Conditions { .. }) if giving_back => self.put_alone(put).await,
            Err(Cancelled::Conditions { .. }) => Err(StoreError::DuplicatePending),
            Err(Cancelled::Store(e)) => Err(e),
        }
    }

    async fn list(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError> {
        self.list_page(query, now).await
    }

    /// One round trip: a conditional put that returns the existing record when it fails.
    async fn begin_idempotent(
        &self,
        key: &IdempotencyKey,
        claim: &IdempotencyRecord,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyBegin, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(idempotency_item(key, claim)))
            .condition_expression(IDEMPOTENCY_FREE)
            .expression_attribute_values(":now", s(sortable_time(now)))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        let existing = match result {
            Ok(_) => return Ok(IdempotencyBegin::Claimed),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(failed)) => match failed.item() {
                    Some(item) => idempotency_from_item(item)?,
                    None => self.read_idempotency(key).await?,
                },
                _ => return Err(sdk_error(e)),
            },
        };
        Ok(existing.outcome_for(&claim.fingerprint))
    }

    async fn complete_idempotent(&self, key: &IdempotencyKey, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(idempotency_item(key, record)))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// A Scan for `mail_state`: O(table), for a local server starting up. On AWS the
    /// stream delivers, and nothing calls this.
    async fn queued_for_delivery(&self) -> Result<Vec<InviteId>, StoreError> {
        self.client
            .scan()
            .table_name(&self.table)
            .filter_expression(concatcp!("attribute_exists(", MAIL_STATE, ")"))
            .projection_expression(PARTITION_KEY)
            .consistent_read(true)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(sdk_error)
            .map(|items| items.iter().filter_map(invite_id_of).collect())
    }

    async fn release_idempotent(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(idempotency_key(key)))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }
}
