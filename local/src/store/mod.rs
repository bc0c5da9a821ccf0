//! The embedded store: redb, a pure-Rust, ACID, single-file database.
//!
//! redb serializes write transactions, so each check-then-write below (the version
//! check, the pending-email slot) runs with no other writer in between: exactly one of
//! many concurrent accepts wins, and one email has at most one pending invite per
//! tenant, also under concurrent sends. Each commit is durable before it returns.
//!
//! Lists are read the way the DynamoDB store reads them ([`invites_shared::readmodel`]),
//! over redb tables that the same write transaction keeps in step (`index`): no list
//! request loads a tenant, and a data folder of the previous version is brought to this
//! shape when it opens (`migrate`).

pub mod events;
mod expiring;
mod index;
mod migrate;
mod reads;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use invites_shared::domain::{EmailStatus, Invite, InviteId, InviteStatus, TenantId};
use invites_shared::readmodel::{self, lists::Scope};
use invites_shared::store::{
    IdempotencyBegin, IdempotencyKey, IdempotencyRecord, InviteStore, ListPage, ListQuery, QuotaUse, StoreError,
};

use expiring::{Kind, QuotaWindow};
use redb::{Database, ReadableDatabase, ReadableTable, Table, TableDefinition};
use serde::{Deserialize, Serialize};

/// Invites by id, as JSON.
const INVITES: TableDefinition<&str, &[u8]> = TableDefinition::new("invites");
/// `tenant/canonical email` → the invite holding the pending slot.
const EMAIL_SLOTS: TableDefinition<&str, &[u8]> = TableDefinition::new("pending_email_slots");
/// `tenant/user/key` → the idempotency record.
const IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency");

#[derive(Serialize, Deserialize)]
pub(crate) struct EmailSlot {
    invite_id: InviteId,
    expires_at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
    /// The webhook URLs every new event gets a delivery for (`INVITES_WEBHOOK_URL`).
    webhooks: Arc<Vec<String>>,
}

pub(crate) fn internal(e: impl Into<invites_shared::store::BoxError>) -> StoreError {
    StoreError::Internal(e.into())
}

pub(crate) fn to_json(value: &impl Serialize) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(internal)
}

pub(crate) fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(internal)
}

fn slot_key(invite: &Invite) -> String {
    format!("{}/{}", invite.tenant_id, invite.email_canonical)
}

/// Takes (or refreshes) the invite's pending slot, unless another invite holds it
/// unexpired; the slot is forgotten once the invite has expired (`expiring`).
fn take_slot(
    txn: &redb::WriteTransaction,
    slots: &mut Table<&str, &[u8]>,
    invite: &Invite,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let key = slot_key(invite);
    expiring::remember(txn, Kind::Slot, &key, invite.expires_at)?;
    if let Some(existing) = slots.get(key.as_str()).map_err(internal)? {
        let holder: EmailSlot = from_json(existing.value())?;
        if holder.invite_id != invite.id && holder.expires_at > now {
            return Err(StoreError::DuplicatePending);
        }
    }
    let slot = to_json(&EmailSlot {
        invite_id: invite.id,
        expires_at: invite.expires_at,
    })?;
    slots.insert(key.as_str(), slot.as_slice()).map_err(internal)?;
    Ok(())
}

/// Frees the invite's slot, if it is still the one holding it.
fn give_back_slot(slots: &mut Table<&str, &[u8]>, invite: &Invite) -> Result<(), StoreError> {
    let key = slot_key(invite);
    let held = match slots.get(key.as_str()).map_err(internal)? {
        Some(existing) => from_json::<EmailSlot>(existing.value())?.invite_id == invite.id,
        None => false,
    };
    if held {
        slots.remove(key.as_str()).map_err(internal)?;
    }
    Ok(())
}

impl EmbeddedStore {
    /// Opens (or creates) the data file, bringing the invites of an earlier version to
    /// the current shape (see [`EmbeddedStore::migrate`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_migrating(path).map(|(store, _)| store)
    }

    /// [`EmbeddedStore::open`], and how many invites it brought to the current shape.
    pub fn open_migrating(path: &Path) -> Result<(Self, u64), StoreError> {
        let db = Database::create(path).map_err(internal)?;
        let txn = db.begin_write().map_err(internal)?;
        txn.open_table(INVITES).map_err(internal)?;
        txn.open_table(EMAIL_SLOTS).map_err(internal)?;
        txn.open_table(IDEMPOTENCY).map_err(internal)?;
        txn.open_table(index::ENTRIES).map_err(internal)?;
        txn.open_table(index::COUNTS).map_err(internal)?;
        txn.open_table(index::EXPIRY).map_err(internal)?;
        txn.open_table(index::LEDGERS).map_err(internal)?;
        txn.open_table(expiring::EXPIRIES).map_err(internal)?;
        txn.open_table(expiring::QUOTAS).map_err(internal)?;
        txn.open_table(events::EVENTS).map_err(internal)?;
        txn.open_table(events::DUE).map_err(internal)?;
        txn.commit().map_err(internal)?;
        let store = Self {
            db: Arc::new(db),
            webhooks: Arc::new(Vec::new()),
        };
        let migrated = store.migrate()?;
        Ok((store, migrated))
    }

    /// The store, with every event stored from now on delivered to `urls`.
    pub fn with_webhooks(self, urls: Vec<String>) -> Self {
        Self {
            webhooks: Arc::new(urls),
            ..self
        }
    }

    /// For each webhook URL, its oldest delivery not yet settled, when due at `now`.
    pub async fn due_deliveries(&self, now: DateTime<Utc>) -> Result<Vec<(events::LoggedEvent, usize)>, StoreError> {
        self.blocking(move |db| events::next_due(db, now)).await
    }

    /// Records an attempt of delivery `index` of event `seq` (`error`: it failed).
    pub async fn record_delivery(
        &self,
        seq: u64,
        index: usize,
        error: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(move |txn| events::record(txn, seq, index, error, now)).await
    }

    /// The newest `limit` events of the log, newest first.
    pub async fn recent_events(&self, limit: usize) -> Result<Vec<events::LoggedEvent>, StoreError> {
        self.blocking(move |db| events::recent(db, limit)).await
    }

    /// Delivers event `id` again to the configured webhooks; `false` if the log lacks it.
    pub async fn replay_event(&self, id: uuid::Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let urls = self.webhooks.clone();
        self.write(move |txn| events::replay(txn, id, &urls, now)).await
    }

    /// Runs blocking database work off the async runtime.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || work(&db)).await.map_err(internal)?
    }

    /// Runs `work` in one write transaction, committed only if it succeeds.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&redb::WriteTransaction) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(internal)?;
            let value = work(&txn)?;
            txn.commit().map_err(internal)?;
            Ok(value)
        })
        .await
    }
}

/// Addresses that bounced permanently, by `tenant#email` (canonical).
const SUPPRESSED: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("suppressed");

#[async_trait]
impl InviteStore for EmbeddedStore {
    async fn insert(&self, invite: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let invite = invite.clone();
        let webhooks = self.webhooks.clone();
        self.write(move |txn| {
            let mut invites = txn.open_table(INVITES).map_err(internal)?;
            let id = invite.id.to_string();
            if invites.get(id.as_str()).map_err(internal)?.is_some() {
                return Err(StoreError::internal(format!("invite {id} exists already")));
            }
            expiring::purge(txn, now)?;
            take_slot(txn, &mut txn.open_table(EMAIL_SLOTS).map_err(internal)?, &invite, now)?;
            invites
                .insert(id.as_str(), to_json(&invite)?.as_slice())
                .map_err(internal)?;
            events::append(txn, None, &invite, &webhooks, now)?;
            index::derive(txn, None, &invite)
        })
        .await
    }

    async fn get(&self, id: InviteId) -> Result<Option<Invite>, StoreError> {
        // One point read, on the runtime: readers never wait for redb's writer, and the
        // read takes microseconds, less than handing it to the blocking pool and back
        // (two thread switches per request, most of GET's cost under load; see
        // docs/BENCHMARKS.md). Writes and list scans stay on the blocking pool.
        let txn = self.db.begin_read().map_err(internal)?;
        let invites = txn.open_table(INVITES).map_err(internal)?;
        let found = invites.get(id.to_string().as_str()).map_err(internal)?;
        found.map(|bytes| from_json(bytes.value())).transpose()
    }

    async fn replace(&self, previous: &Invite, next: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let (previous, next) = (previous.clone(), next.clone());
        let webhooks = self.webhooks.clone();
        self.write(move |txn| {
            expiring::purge(txn, now)?;
            let mut invites = txn.open_table(INVITES).map_err(internal)?;
            let id = previous.id.to_string();
            let stored: Option<Invite> = invites
                .get(id.as_str())
                .map_err(internal)?
                .map(|bytes| from_json(bytes.value()))
                .transpose()?;
            match stored {
                None => return Err(StoreError::Conflict(None)),
                Some(stored) if stored.version != previous.version => {
                    return Err(StoreError::Conflict(Some(Box::new(stored))));
                }
                Some(_) => {}
            }
            let mut slots = txn.open_table(EMAIL_SLOTS).map_err(internal)?;
            if next.holds_email_slot(now) {
                take_slot(txn, &mut slots, &next, now)?;
            } else if previous.status == InviteStatus::Pending {
                give_back_slot(&mut slots, &previous)?;
            }
            invites
                .insert(id.as_str(), to_json(&next)?.as_slice())
                .map_err(internal)?;
            drop(invites);
            events::append(txn, Some(&previous), &next, &webhooks, now)?;
            let ledger = index::ledger(txn, next.id)?;
            index::derive(txn, ledger.as_ref(), &next)
        })
        .await
    }

    async fn list(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError> {
        readmodel::list(self, query, now).await
    }

    async fn unrecorded_expired(&self, now: DateTime<Utc>, max: usize) -> Result<Vec<InviteId>, StoreError> {
        self.backlog_ids(Scope::All, now, max)
    }

    async fn begin_idempotent(
        &self,
        key: &IdempotencyKey,
        claim: &IdempotencyRecord,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyBegin, StoreError> {
        let (key, claim) = (key.storage_key(), claim.clone());
        self.write(move |txn| {
            expiring::purge(txn, now)?;
            let mut records = txn.open_table(IDEMPOTENCY).map_err(internal)?;
            let existing: Option<IdempotencyRecord> = records
                .get(key.as_str())
                .map_err(internal)?
                .map(|bytes| from_json(bytes.value()))
                .transpose()?;
            if let Some(record) = existing.filter(|r| r.expires_at > now) {
                return Ok(record.outcome_for(&claim.fingerprint));
            }
            records
                .insert(key.as_str(), to_json(&claim)?.as_slice())
                .map_err(internal)?;
            expiring::remember(txn, Kind::Idempotency, &key, claim.expires_at)?;
            Ok(IdempotencyBegin::Claimed)
        })
        .await
    }

    async fn complete_idempotent(&self, key: &IdempotencyKey, record: &IdempotencyRecord) -> Result<(), StoreError> {
        let (key, expires_at, record) = (key.storage_key(), record.expires_at, to_json(record)?);
        self.write(move |txn| {
            let mut records = txn.open_table(IDEMPOTENCY).map_err(internal)?;
            records.insert(key.as_str(), record.as_slice()).map_err(internal)?;
            expiring::remember(txn, Kind::Idempotency, &key, expires_at)?;
            Ok(())
        })
        .await
    }

    async fn release_idempotent(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        let key = key.storage_key();
        self.write(move |txn| {
            txn.open_table(IDEMPOTENCY)
                .map_err(internal)?
                .remove(key.as_str())
                .map_err(internal)?;
            Ok(())
        })
        .await
    }

    /// One write transaction: the quota's window, reset when a new one has begun.
    async fn suppress(&self, tenant: TenantId, email: &str) -> Result<(), StoreError> {
        let key = format!("{tenant}#{email}");
        self.write(move |txn| {
            let mut table = txn.open_table(SUPPRESSED).map_err(internal)?;
            table.insert(key.as_str(), [].as_slice()).map_err(internal)?;
            Ok(())
        })
        .await
    }

    async fn suppressed(&self, tenant: TenantId, email: &str) -> Result<bool, StoreError> {
        let key = format!("{tenant}#{email}");
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(internal)?;
            let table = match txn.open_table(SUPPRESSED) {
                Ok(table) => table,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(false),
                Err(e) => return Err(internal(e)),
            };
            Ok(table.get(key.as_str()).map_err(internal)?.is_some())
        })
        .await
    }

    async fn take_quota(&self, quota: &QuotaUse, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let quota = quota.clone();
        self.write(move |txn| {
            expiring::purge(txn, now)?;
            let mut quotas = txn.open_table(expiring::QUOTAS).map_err(internal)?;
            let current: Option<QuotaWindow> = quotas
                .get(quota.key.as_str())
                .map_err(internal)?
                .map(|bytes| from_json(bytes.value()))
                .transpose()?;
            let uses = match current {
                Some(window) if window.window_end == quota.window_end => window.uses,
                _ => {
                    expiring::remember(txn, Kind::Quota, &quota.key, quota.window_end)?;
                    0
                }
            };
            if uses >= quota.limit {
                return Ok(false);
            }
            let window = QuotaWindow {
                window_end: quota.window_end,
                uses: uses + 1,
            };
            quotas
                .insert(quota.key.as_str(), to_json(&window)?.as_slice())
                .map_err(internal)?;
            Ok(true)
        })
        .await
    }

    /// Invites whose email is queued, claimed or not: the worker that claimed one has
    /// stopped, since only one process opens the file.
    async fn queued_for_delivery(&self) -> Result<Vec<InviteId>, StoreError> {
        self.blocking(|db| {
            let txn = db.begin_read().map_err(internal)?;
            let invites = txn.open_table(INVITES).map_err(internal)?;
            let mut queued = Vec::new();
            for entry in invites.iter().map_err(internal)? {
                let (_, bytes) = entry.map_err(internal)?;
                let invite: Invite = from_json(bytes.value())?;
                if invite.status == InviteStatus::Pending && invite.email_status == EmailStatus::Queued {
                    queued.push(invite.id);
                }
            }
            Ok(queued)
        })
        .await
    }
}
