//! The embedded store's read model: an invite's list entries (one redb row per list and
//! sort), its counts by listed status and email, and the index of listed-pending invites
//! by expiry, all changed in the write transaction that changes the invite.

use chrono::{DateTime, Utc};
use invites_shared::domain::{EffectiveStatus, Invite, InviteId, SortField};
use invites_shared::readmodel::lists::{Contribution, Facts, Scope, lists_of, stored_key};
use invites_shared::store::{StoreError, sortable_time};
use redb::{ReadableTable, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::{from_json, internal, to_json};

/// `<list>\0<sort>\0<stored key>` → the entry's facts, as JSON.
pub(super) const ENTRIES: TableDefinition<&str, &[u8]> = TableDefinition::new("list_entries");
/// `S\0<scope>\0<listed status>` and `E\0<scope>\0<email>` → a count.
pub(super) const COUNTS: TableDefinition<&str, i64> = TableDefinition::new("counts");
/// `<scope>\0<expiresAt>\0<id>` for every listed-pending invite.
pub(super) const EXPIRY: TableDefinition<&str, ()> = TableDefinition::new("pending_by_expiry");
/// Invite id → what was derived from it ([`Ledger`]).
pub(super) const LEDGERS: TableDefinition<&str, &[u8]> = TableDefinition::new("ledgers");

/// The shape of what this code derives; another means "derive again" (migration).
pub(super) const SHAPE: u32 = 1;

pub(super) const SORTS: [SortField; 4] = [
    SortField::CreatedAt,
    SortField::UpdatedAt,
    SortField::Email,
    SortField::Status,
];

/// What was derived from one copy of an invite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Ledger {
    pub shape: u32,
    pub lists: Vec<String>,
    /// The stored key in each of [`SORTS`].
    pub keys: Vec<String>,
    pub contribution: Contribution,
}

impl Ledger {
    pub fn of(invite: &Invite) -> Ledger {
        Ledger {
            shape: SHAPE,
            lists: lists_of(invite),
            keys: SORTS.iter().map(|s| stored_key(invite, *s)).collect(),
            contribution: Contribution::of(invite),
        }
    }
}

fn sort_index(sort: SortField) -> usize {
    SORTS.iter().position(|s| *s == sort).expect("every sort is listed")
}

/// The first key of a list in a sort; every key of it starts so.
pub(super) fn entry_prefix(list: &str, sort: SortField) -> String {
    format!("{list}\0{}\0", sort_index(sort))
}

/// The key after every key of a list in a sort.
pub(super) fn entry_end(list: &str, sort: SortField) -> String {
    format!("{list}\0{}\u{1}", sort_index(sort))
}

pub(super) fn status_count_key(scope: Scope, status: EffectiveStatus) -> String {
    format!("S\0{}\0{}", scope.name(), status.as_str())
}

pub(super) fn email_count_key(scope: Scope, email: &str) -> String {
    format!("E\0{}\0{email}", scope.name())
}

pub(super) fn expiry_prefix(scope: Scope) -> String {
    format!("{}\0", scope.name())
}

/// The expiry index's key after every invite of `scope` expired by `now`.
pub(super) fn expiry_end(scope: Scope, now: DateTime<Utc>) -> String {
    format!("{}\0{}\0~", scope.name(), sortable_time(now))
}

fn expiry_key(scope: Scope, expiry: DateTime<Utc>, id: InviteId) -> String {
    format!("{}\0{}\0{id}", scope.name(), sortable_time(expiry))
}

/// The ledger of an invite, if one was written.
pub(super) fn ledger(txn: &WriteTransaction, id: InviteId) -> Result<Option<Ledger>, StoreError> {
    let ledgers = txn.open_table(LEDGERS).map_err(internal)?;
    let found = ledgers.get(id.to_string().as_str()).map_err(internal)?;
    found.map(|bytes| from_json(bytes.value())).transpose()
}

fn add(txn: &WriteTransaction, key: &str, by: i64) -> Result<(), StoreError> {
    let mut counts = txn.open_table(COUNTS).map_err(internal)?;
    let current = counts.get(key).map_err(internal)?.map(|v| v.value()).unwrap_or(0);
    counts.insert(key, current + by).map_err(internal)?;
    Ok(())
}

fn count(txn: &WriteTransaction, contribution: &Contribution, id: InviteId, by: i64) -> Result<(), StoreError> {
    for scope in [Scope::Tenant(contribution.tenant_id), Scope::All] {
        add(txn, &status_count_key(scope, contribution.listed), by)?;
        add(txn, &email_count_key(scope, &contribution.email), by)?;
        if let Some(expiry) = contribution.pending_expiry {
            let mut index = txn.open_table(EXPIRY).map_err(internal)?;
            let key = expiry_key(scope, expiry, id);
            if by > 0 {
                index.insert(key.as_str(), ()).map_err(internal)?;
            } else {
                index.remove(key.as_str()).map_err(internal)?;
            }
        }
    }
    Ok(())
}

/// Replaces what was derived from the previous copy (`previous`, from its ledger; `None`
/// for a new invite or one of a previous version) with what `next` derives, in `txn`.
pub(super) fn derive(txn: &WriteTransaction, previous: Option<&Ledger>, next: &Invite) -> Result<(), StoreError> {
    let derived = Ledger::of(next);
    {
        let mut entries = txn.open_table(ENTRIES).map_err(internal)?;
        if let Some(previous) = previous {
            for list in &previous.lists {
                for (sort, key) in SORTS.iter().zip(&previous.keys) {
                    let row = format!("{}{key}", entry_prefix(list, *sort));
                    entries.remove(row.as_str()).map_err(internal)?;
                }
            }
        }
        let facts = to_json(&Facts::of(next))?;
        for list in &derived.lists {
            for (sort, key) in SORTS.iter().zip(&derived.keys) {
                let row = format!("{}{key}", entry_prefix(list, *sort));
                entries.insert(row.as_str(), facts.as_slice()).map_err(internal)?;
            }
        }
    }
    if let Some(previous) = previous {
        count(txn, &previous.contribution, next.id, -1)?;
    }
    count(txn, &derived.contribution, next.id, 1)?;
    txn.open_table(LEDGERS)
        .map_err(internal)?
        .insert(next.id.to_string().as_str(), to_json(&derived)?.as_slice())
        .map_err(internal)?;
    Ok(())
}
