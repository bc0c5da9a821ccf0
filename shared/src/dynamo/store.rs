//! The invite store on DynamoDB: every change one conditional write or one transaction.

use crate::domain::TenantId;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{Delete, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem};
use chrono::{DateTime, Utc};
use const_format::concatcp;

use super::entries::{Derived, Ledger, ledger_from_item, ledger_key};
use super::item::{
    CLAIM_ID, EXPIRES_KEY, INVITE_ID, Item, MAIL_STATE, VERSION, idempotency_from_item, idempotency_item,
    idempotency_key, invite_from_item, invite_id_of, invite_key, n, s, slot_item, slot_key,
};
use super::sdk_error;
use super::table::{PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE};
use super::write::{InviteWrite, ShardPicker, WriteFailure};
use crate::domain::{Invite, InviteId, InviteStatus};
use crate::store::{
    IdempotencyBegin, IdempotencyKey, IdempotencyRecord, InviteStore, ListPage, ListQuery, QuotaUse, StoreError,
    sortable_time,
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
pub(super) const INVITE_IS_NEW: &str = concatcp!("attribute_not_exists(", PARTITION_KEY, ")");
/// Every other write of an invite is over the version that was read.
pub(super) const VERSION_UNCHANGED: &str = concatcp!(VERSION, " = :v");
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
    pub(super) shards: ShardPicker,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            shards: ShardPicker::new(),
        }
    }

    pub(super) fn put_slot(&self, invite: &Invite, now: DateTime<Utc>) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(slot_item(invite)))
            .condition_expression(SLOT_FREE_FOR_US)
            .expression_attribute_values(":id", s(invite.id.to_string()))
            .expression_attribute_values(":now", s(sortable_time(now)))
            .build()
            .map_err(StoreError::internal)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn delete_slot(&self, invite: &Invite) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(slot_key(invite)))
            .condition_expression(SLOT_HELD_BY_US_OR_GONE)
            .expression_attribute_values(":id", s(invite.id.to_string()))
            .build()
            .map_err(StoreError::internal)?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// The ledger of an invite, read with strong consistency.
    pub(super) async fn read_ledger(&self, id: InviteId) -> Result<Ledger, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(ledger_key(id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        ledger_from_item(output.item())
    }

    /// Writes `next` over the stored copy `previous` (version and ledger as the write
    /// expects them), bringing entries and counters along; a ledger out of step (the
    /// previous version of the code wrote the invite, or it was never migrated) is read
    /// and written over instead.
    pub(super) async fn write_over(
        &self,
        previous_version: u64,
        ledger: Ledger,
        next: &Invite,
        slot: Option<TransactWriteItem>,
        slot_optional: bool,
    ) -> Result<(), StoreError> {
        let mut write = InviteWrite {
            invite: next.clone(),
            invite_condition: (
                VERSION_UNCHANGED.to_owned(),
                Item::from([(":v".to_owned(), n(previous_version as i64))]),
            ),
            ledger,
            slot,
        };
        let mut ledger_reread = false;
        loop {
            match self.run_write(&write).await {
                Ok(()) => return Ok(()),
                Err(WriteFailure::Invite(current)) => return Err(StoreError::Conflict(current)),
                Err(WriteFailure::Ledger) if !ledger_reread => {
                    ledger_reread = true;
                    write.ledger = self.read_ledger(next.id).await?;
                }
                Err(WriteFailure::Ledger) => return Err(StoreError::Conflict(None)),
                // The slot was taken over by a newer invite after ours expired: it is not
                // ours to give back, so the invite is written without it.
                Err(WriteFailure::Slot) if slot_optional => write.slot = None,
                Err(WriteFailure::Slot) => return Err(StoreError::DuplicatePending),
                Err(WriteFailure::Store(e)) => return Err(e),
            }
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

#[async_trait]
impl InviteStore for DynamoStore {
    /// One conditional UpdateItem on the window's own item (`QUOTA#key`, the window's
    /// end as sort key), which expires (TTL) a day after its window.
    async fn take_quota(&self, quota: &QuotaUse, _now: DateTime<Utc>) -> Result<bool, StoreError> {
        let window = quota.window_end.timestamp_millis();
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(PARTITION_KEY, s(format!("QUOTA#{}", quota.key)))
            .key(SORT_KEY, s(format!("WINDOW#{window}")))
            .update_expression("ADD #uses :one SET #ttl = :ttl")
            .condition_expression("attribute_not_exists(#uses) OR #uses < :limit")
            .expression_attribute_names("#uses", "uses")
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":limit", n(i64::from(quota.limit)))
            .expression_attribute_values(":ttl", n(quota.window_end.timestamp() + 86_400))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(UpdateItemError::ConditionalCheckFailedException(_))
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(sdk_error(e)),
        }
    }

    async fn suppress(&self, tenant: TenantId, email: &str) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item(PARTITION_KEY, s(format!("SUPPRESSED#{tenant}#{email}")))
            .item(SORT_KEY, s("SUPPRESSED"))
            .send()
            .await
            .map(|_| ())
            .map_err(sdk_error)
    }

    async fn suppressed(&self, tenant: TenantId, email: &str) -> Result<bool, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(PARTITION_KEY, s(format!("SUPPRESSED#{tenant}#{email}")))
            .key(SORT_KEY, s("SUPPRESSED"))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(output.item().is_some())
    }

    /// One round trip: the invite, its slot, ledger, entries and counts in one transaction.
    async fn insert(&self, invite: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let write = InviteWrite {
            invite: invite.clone(),
            invite_condition: (INVITE_IS_NEW.to_owned(), Item::new()),
            ledger: Ledger::Absent,
            slot: Some(self.put_slot(invite, now)?),
        };
        match self.run_write(&write).await {
            Ok(()) => Ok(()),
            // A retry of a transaction that went through (the SDK gave up waiting on it):
            // the invite there is this very one.
            Err(WriteFailure::Invite(Some(current))) if *current == *invite => Ok(()),
            Err(WriteFailure::Slot) => Err(StoreError::DuplicatePending),
            Err(WriteFailure::Invite(_) | WriteFailure::Ledger) => {
                Err(StoreError::internal(format!("invite {} exists already", invite.id)))
            }
            Err(WriteFailure::Store(e)) => Err(e),
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

    /// One round trip: a transaction over the invite, its ledger, entries and counts, and
    /// its slot when the slot changes hands.
    async fn replace(&self, previous: &Invite, next: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let slot = match slot_change(previous, next, now) {
            SlotChange::None => None,
            SlotChange::Take => Some(self.put_slot(next, now)?),
            SlotChange::GiveBack => Some(self.delete_slot(previous)?),
        };
        let giving_back = matches!(slot_change(previous, next, now), SlotChange::GiveBack);
        let ledger = Ledger::At {
            version: previous.version as i64,
            shape: super::entries::SHAPE,
            derived: Box::new(Derived::of(previous)),
        };
        self.write_over(previous.version, ledger, next, slot, giving_back).await
    }

    async fn list(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError> {
        crate::readmodel::list(self, query, now).await
    }

    async fn unrecorded_expired(&self, now: DateTime<Utc>, max: usize) -> Result<Vec<InviteId>, StoreError> {
        self.backlog(now, max).await
    }

    /// One round trip: a conditional put that returns the existing record when it fails.
    async fn begin_idempotent(
        &self,
        key: &IdempotencyKey,
        claim: &IdempotencyRecord,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyBegin, StoreError> {
        // This claim's id: a retry of a claim whose reply was lost finds it and goes on.
        let claim_id = uuid::Uuid::new_v4().to_string();
        let mut item = idempotency_item(key, claim);
        item.insert(CLAIM_ID.to_owned(), s(claim_id.as_str()));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(IDEMPOTENCY_FREE)
            .expression_attribute_values(":now", s(sortable_time(now)))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        let existing = match result {
            Ok(_) => return Ok(IdempotencyBegin::Claimed),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(failed)) => match failed.item() {
                    Some(item) if item.get(CLAIM_ID).and_then(|id| id.as_s().ok()) == Some(&claim_id) => {
                        return Ok(IdempotencyBegin::Claimed);
                    }
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
