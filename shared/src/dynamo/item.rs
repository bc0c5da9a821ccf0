//! The items of the table and their attributes: how an invite, its pending-email slot
//! and an idempotency record are written as DynamoDB items and read back. The read
//! model's items (ledgers, list entries, counters) are in `entries` and `counters`.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use super::table::{PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE};
use crate::domain::{Invite, InviteId};
use crate::store::{IdempotencyKey, IdempotencyRecord, StoreError, sortable_time};

/// The whole invite, as JSON: what a read returns.
pub const DOC: &str = "doc";
/// Bumped by every write; every conditional write checks it.
pub const VERSION: &str = "version";
/// The id of the write that put the item, so that a retry of a write whose reply was
/// lost (the SDK retries a 500 or a timeout) knows its own write when it meets it.
pub const WRITE_ID: &str = "write_id";
/// The id of the request that claimed an idempotency key, for the same reason.
pub const CLAIM_ID: &str = "claim_id";
/// An expiry as sortable text (RFC 3339, fixed width), compared in conditions.
pub const EXPIRES_KEY: &str = "expires_key";
/// `queued` while the invite's email waits for a mailer: the mailer's stream filter.
pub const MAIL_STATE: &str = "mail_state";
/// On a slot: the invite holding it.
pub const INVITE_ID: &str = "invite_id";
/// On an idempotency record: the body's hash, and the response to replay.
pub const FINGERPRINT: &str = "fingerprint";
pub const RESPONSE: &str = "response";

const INVITE_PREFIX: &str = "INVITE#";

pub type Item = HashMap<String, AttributeValue>;

pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub fn invite_key(id: InviteId) -> Item {
    HashMap::from([
        (PARTITION_KEY.to_owned(), s(format!("{INVITE_PREFIX}{id}"))),
        (SORT_KEY.to_owned(), s("INVITE")),
    ])
}

/// The invite an item's key names, if it is an invite's key (from a scan, a stream record).
pub fn invite_id_of(key: &Item) -> Option<InviteId> {
    let pk = key.get(PARTITION_KEY)?.as_s().ok()?;
    InviteId::parse(pk.strip_prefix(INVITE_PREFIX)?)
}

/// [`invite_id_of`] for a partition key's text alone.
pub fn invite_id_of_partition_key(pk: &str) -> Option<InviteId> {
    InviteId::parse(pk.strip_prefix(INVITE_PREFIX)?)
}

pub fn slot_key(invite: &Invite) -> Item {
    HashMap::from([
        (
            PARTITION_KEY.to_owned(),
            s(format!("SLOT#{}#{}", invite.tenant_id, invite.email_canonical)),
        ),
        (SORT_KEY.to_owned(), s("SLOT")),
    ])
}

pub fn idempotency_key(key: &IdempotencyKey) -> Item {
    HashMap::from([
        (
            PARTITION_KEY.to_owned(),
            s(format!("IDEMPOTENCY#{}", key.storage_key())),
        ),
        (SORT_KEY.to_owned(), s("IDEMPOTENCY")),
    ])
}

/// The invite as an item: the whole invite as a JSON document in `doc`, its `version`
/// for conditions, and `mail_state` for the mailer's stream filter. Lists, their order
/// and counts live in other items (see `entries`), so the invite item is in no index.
pub fn invite_item(invite: &Invite) -> Result<Item, StoreError> {
    let doc = serde_json::to_string(invite).map_err(StoreError::internal)?;
    let mut item = invite_key(invite.id);
    item.extend([(DOC.to_owned(), s(doc)), (VERSION.to_owned(), n(invite.version as i64))]);
    // What the mailer function's stream filter selects: invites whose email waits for a
    // mailer. The claim write drops it, so a claimed delivery does not trigger again.
    if invite.awaits_delivery() {
        item.insert(MAIL_STATE.to_owned(), s("queued"));
    } else if invite.delivery_deferred() {
        // Not for the stream (its filter takes `queued` only: the retry queue brings it
        // back), but still found by a mailer that starts and looks for queued email.
        item.insert(MAIL_STATE.to_owned(), s("deferred"));
    }
    Ok(item)
}

pub fn invite_from_item(item: &Item) -> Result<Invite, StoreError> {
    let doc = item
        .get(DOC)
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| StoreError::internal("an invite item without doc"))?;
    serde_json::from_str(doc).map_err(StoreError::internal)
}

pub fn slot_item(invite: &Invite) -> Item {
    let mut item = slot_key(invite);
    item.extend([
        (INVITE_ID.to_owned(), s(invite.id.to_string())),
        (EXPIRES_KEY.to_owned(), s(sortable_time(invite.expires_at))),
        (TTL_ATTRIBUTE.to_owned(), n(invite.expires_at.timestamp())),
    ]);
    item
}

pub fn idempotency_item(key: &IdempotencyKey, record: &IdempotencyRecord) -> Item {
    let mut item = idempotency_key(key);
    item.extend([
        (FINGERPRINT.to_owned(), s(&record.fingerprint)),
        (EXPIRES_KEY.to_owned(), s(sortable_time(record.expires_at))),
        (TTL_ATTRIBUTE.to_owned(), n(record.expires_at.timestamp())),
    ]);
    if let Some(response) = &record.response {
        item.insert(RESPONSE.to_owned(), s(response.to_string()));
    }
    item
}

pub fn idempotency_from_item(item: &Item) -> Result<IdempotencyRecord, StoreError> {
    let text = |name: &str| item.get(name).and_then(|v| v.as_s().ok()).cloned();
    let expires_at = text(EXPIRES_KEY)
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| StoreError::internal("an idempotency record without expiry"))?;
    Ok(IdempotencyRecord {
        fingerprint: text(FINGERPRINT).unwrap_or_default(),
        response: text(RESPONSE)
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(StoreError::internal)?,
        expires_at,
    })
}
