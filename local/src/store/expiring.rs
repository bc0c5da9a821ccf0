//! What the embedded store forgets once it has expired: idempotency records, the
//! pending-email slots of expired invites, and the windows of email quotas. Each is
//! noted in `EXPIRIES` under its expiry time when written; every write transaction that
//! knows the time then removes up to [`PURGE_BATCH`] of those due, so the file stays
//! bounded by what is live, at a bounded cost per write.

use chrono::{DateTime, Utc};
use invites_shared::store::{IdempotencyRecord, StoreError};
use redb::{ReadableTable, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::{EMAIL_SLOTS, EmailSlot, IDEMPOTENCY, from_json, internal};

/// `{expiry in ms, 20 digits}/{kind}/{key}` → nothing: what expires when.
pub(crate) const EXPIRIES: TableDefinition<&str, &[u8]> = TableDefinition::new("expiries");
/// `recipient/...` or `tenant/...` → the quota's current window and its uses.
pub(crate) const QUOTAS: TableDefinition<&str, &[u8]> = TableDefinition::new("quotas");

/// How many due entries one write removes at most.
pub(crate) const PURGE_BATCH: usize = 16;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Idempotency,
    Slot,
    Quota,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Idempotency => "idempotency",
            Kind::Slot => "slot",
            Kind::Quota => "quota",
        }
    }
}

#[derive(Serialize, Deserialize)]
pub(crate) struct QuotaWindow {
    pub window_end: DateTime<Utc>,
    pub uses: u32,
}

/// Notes that the `kind` entry `key` expires at `at`.
pub(crate) fn remember(txn: &WriteTransaction, kind: Kind, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    let at = at.timestamp_millis().max(0);
    let entry = format!("{at:020}/{}/{key}", kind.name());
    txn.open_table(EXPIRIES)
        .map_err(internal)?
        .insert(entry.as_str(), [].as_slice())
        .map_err(internal)?;
    Ok(())
}

/// Removes `key` from `table` if what it holds has expired (it may have been renewed
/// since its expiry was noted).
fn remove_if_expired<T: for<'de> Deserialize<'de>>(
    txn: &WriteTransaction,
    table: TableDefinition<&str, &[u8]>,
    key: &str,
    expired: impl Fn(T) -> bool,
) -> Result<(), StoreError> {
    let mut table = txn.open_table(table).map_err(internal)?;
    let gone = match table.get(key).map_err(internal)? {
        Some(bytes) => expired(from_json::<T>(bytes.value())?),
        None => false,
    };
    if gone {
        table.remove(key).map_err(internal)?;
    }
    Ok(())
}

/// Removes up to [`PURGE_BATCH`] entries due at `now`; an entry renewed since (a resent
/// invite's slot, a completed idempotency record) is kept. Returns how many it looked at.
pub(crate) fn purge(txn: &WriteTransaction, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let due_before = format!("{:020}/", now.timestamp_millis().max(0) + 1);
    let mut expiries = txn.open_table(EXPIRIES).map_err(internal)?;
    let due: Vec<String> = expiries
        .range(..due_before.as_str())
        .map_err(internal)?
        .take(PURGE_BATCH)
        .map(|entry| entry.map(|(key, _)| key.value().to_owned()).map_err(internal))
        .collect::<Result<_, _>>()?;
    for entry in &due {
        expiries.remove(entry.as_str()).map_err(internal)?;
        let mut parts = entry.splitn(3, '/');
        let (_, kind, key) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        match kind {
            "idempotency" => remove_if_expired(txn, IDEMPOTENCY, key, |r: IdempotencyRecord| r.expires_at <= now)?,
            "slot" => remove_if_expired(txn, EMAIL_SLOTS, key, |s: EmailSlot| s.expires_at <= now)?,
            "quota" => remove_if_expired(txn, QUOTAS, key, |q: QuotaWindow| q.window_end <= now)?,
            _ => {}
        }
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use invites_shared::domain::{TenantId, UserId};
    use invites_shared::store::{IdempotencyKey, InviteStore, QuotaUse};
    use redb::{ReadableDatabase, ReadableTableMetadata};

    use super::*;
    use crate::store::EmbeddedStore;

    fn rows(store: &EmbeddedStore, table: TableDefinition<&str, &[u8]>) -> u64 {
        let txn = store.db.begin_read().unwrap();
        txn.open_table(table).unwrap().len().unwrap()
    }

    #[tokio::test]
    async fn expired_records_and_ended_quota_windows_are_removed_by_later_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("invites.redb")).unwrap();
        let t0 = Utc::now();
        let (tenant, user) = (TenantId(uuid::Uuid::new_v4()), UserId(uuid::Uuid::new_v4()));
        for i in 0..40 {
            let key = IdempotencyKey {
                tenant_id: tenant,
                user_id: user,
                key: format!("key-{i}"),
            };
            let claim = IdempotencyRecord {
                fingerprint: "f".into(),
                response: None,
                expires_at: t0 + Duration::minutes(5),
            };
            store.begin_idempotent(&key, &claim, t0).await.unwrap();
            let done = IdempotencyRecord {
                response: Some(serde_json::json!({ "success": [], "errors": [] })),
                expires_at: t0 + Duration::hours(24),
                ..claim
            };
            store.complete_idempotent(&key, &done).await.unwrap();
        }
        let quota = |key: &str, window_end| QuotaUse {
            key: key.into(),
            window_end,
            limit: 5,
        };
        for i in 0..20 {
            let use_ = quota(&format!("recipient/r{i}@example.com"), t0 + Duration::hours(1));
            assert!(store.take_quota(&use_, t0).await.unwrap());
        }
        assert_eq!(rows(&store, IDEMPOTENCY), 40);
        assert_eq!(rows(&store, QUOTAS), 20);

        // A day later, each write removes up to PURGE_BATCH of what has expired.
        let later = t0 + Duration::hours(25);
        let due: usize = 40 * 2 + 20;
        for _ in 0..due.div_ceil(PURGE_BATCH) {
            let use_ = QuotaUse {
                limit: 100,
                ..quota("tenant/t", later + Duration::hours(1))
            };
            assert!(store.take_quota(&use_, later).await.unwrap());
        }
        assert_eq!(rows(&store, IDEMPOTENCY), 0, "every expired idempotency record is gone");
        assert_eq!(rows(&store, QUOTAS), 1, "only the live window is left");
        assert_eq!(rows(&store, EXPIRIES), 1, "and only its expiry");
    }

    #[tokio::test]
    async fn a_quota_counts_to_its_limit_in_a_window_and_starts_again_in_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("invites.redb")).unwrap();
        let t0 = Utc::now();
        let window = |end| QuotaUse {
            key: "recipient/a@example.com".into(),
            window_end: end,
            limit: 2,
        };
        let first = window(t0 + Duration::hours(1));
        assert!(store.take_quota(&first, t0).await.unwrap());
        assert!(store.take_quota(&first, t0).await.unwrap());
        assert!(!store.take_quota(&first, t0).await.unwrap(), "the third is refused");
        let next = window(t0 + Duration::hours(2));
        assert!(store.take_quota(&next, t0 + Duration::hours(1)).await.unwrap());
    }
}
