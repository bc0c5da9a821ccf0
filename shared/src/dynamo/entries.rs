//! The read model's items for one invite: its list entries (one per list it is in,
//! ordered by the base key and three indexes) and its ledger (what was derived from it,
//! so the next write knows which entries and counts to take back).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::item::{EXPIRES_KEY, INVITE_ID, Item, VERSION, invite_key, n, s};
use super::table::{PARTITION_KEY, SORT_KEY, TENANT_KEY, list_index};
use crate::domain::{EffectiveStatus, Invite, InviteId, SortField, TenantId, UserId};
use crate::readmodel::lists::{Contribution, Facts, lists_of, stored_key};
use crate::store::{StoreError, sortable_time};

/// The shape of the derived items this code writes; a ledger of another shape is
/// brought to this one by the next write or by `invites-local migrate`.
pub const SHAPE: i64 = 1;

const LEDGER: &str = "LEDGER";
const SHAPE_ATTRIBUTE: &str = "shape";
const DERIVED: &str = "derived";
const TENANT_ID: &str = "tenant_id";
const LISTED: &str = "listed";
const EMAIL_CANONICAL: &str = "email_canonical";
const CREATED_BY: &str = "created_by";
const ACCEPTED_BY: &str = "accepted_by";
/// The folded search fields, one per line.
const SEARCH_TEXT: &str = "search_text";

/// What the store derived from one copy of an invite: its entries' lists and key, and
/// what it adds to the counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    pub lists: Vec<String>,
    pub entry_sk: String,
    pub contribution: Contribution,
}

impl Derived {
    pub fn of(invite: &Invite) -> Derived {
        Derived {
            lists: lists_of(invite),
            entry_sk: stored_key(invite, SortField::CreatedAt),
            contribution: Contribution::of(invite),
        }
    }
}

/// The ledger as read: absent (a new invite, or one the previous version wrote), or
/// what it records and for which version and shape of the invite.
#[derive(Debug, Clone, PartialEq)]
pub enum Ledger {
    Absent,
    At {
        version: i64,
        shape: i64,
        derived: Box<Derived>,
    },
}

impl Ledger {
    pub fn derived(&self) -> Option<&Derived> {
        match self {
            Ledger::Absent => None,
            Ledger::At { derived, .. } => Some(derived),
        }
    }

    /// Whether it records exactly what this code derives from `invite`.
    pub fn is_current_for(&self, invite: &Invite) -> bool {
        matches!(self, Ledger::At { version, shape, derived }
            if *version == invite.version as i64 && *shape == SHAPE && **derived == Derived::of(invite))
    }
}

pub fn ledger_key(id: InviteId) -> Item {
    let mut key = invite_key(id);
    key.insert(SORT_KEY.to_owned(), s(LEDGER));
    key
}

pub fn ledger_item(invite: &Invite, derived: &Derived) -> Result<Item, StoreError> {
    let mut item = ledger_key(invite.id);
    item.extend([
        (VERSION.to_owned(), n(invite.version as i64)),
        (SHAPE_ATTRIBUTE.to_owned(), n(SHAPE)),
        (
            DERIVED.to_owned(),
            s(serde_json::to_string(derived).map_err(StoreError::internal)?),
        ),
    ]);
    Ok(item)
}

pub fn ledger_from_item(item: Option<&Item>) -> Result<Ledger, StoreError> {
    let Some(item) = item else {
        return Ok(Ledger::Absent);
    };
    let number = |name: &str| {
        item.get(name)
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse::<i64>().ok())
    };
    let derived = item
        .get(DERIVED)
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| StoreError::internal("a ledger without derived"))?;
    Ok(Ledger::At {
        version: number(VERSION).unwrap_or_default(),
        shape: number(SHAPE_ATTRIBUTE).unwrap_or_default(),
        derived: Box::new(serde_json::from_str(derived).map_err(StoreError::internal)?),
    })
}

/// The condition a write puts on the ledger: that it is still what the write was
/// computed from.
pub fn ledger_condition(ledger: &Ledger) -> (String, Item) {
    match ledger {
        Ledger::Absent => (format!("attribute_not_exists({PARTITION_KEY})"), Item::new()),
        Ledger::At { version, shape, .. } => (
            format!("{VERSION} = :lv AND {SHAPE_ATTRIBUTE} = :ls"),
            Item::from([(":lv".to_owned(), n(*version)), (":ls".to_owned(), n(*shape))]),
        ),
    }
}

pub fn entry_key(list: &str, entry_sk: &str) -> Item {
    Item::from([(PARTITION_KEY.to_owned(), s(list)), (SORT_KEY.to_owned(), s(entry_sk))])
}

/// The invite's entry in `list`: the base key orders it by `createdAt`; `tenant_key`
/// (the list) and the other sort keys put it in three indexes; the facts let a list
/// check any filter without reading the invite.
pub fn entry_item(list: &str, invite: &Invite) -> Item {
    let facts = Facts::of(invite);
    let mut item = entry_key(list, &stored_key(invite, SortField::CreatedAt));
    item.insert(TENANT_KEY.to_owned(), s(list));
    for sort in [SortField::UpdatedAt, SortField::Email, SortField::Status] {
        item.insert(list_index(sort).sort_key.to_owned(), s(stored_key(invite, sort)));
    }
    item.extend([
        (INVITE_ID.to_owned(), s(facts.id.to_string())),
        (TENANT_ID.to_owned(), s(facts.tenant_id.to_string())),
        (LISTED.to_owned(), s(facts.listed.as_str())),
        (EXPIRES_KEY.to_owned(), s(sortable_time(facts.expires_at))),
        (EMAIL_CANONICAL.to_owned(), s(&facts.email)),
        (CREATED_BY.to_owned(), s(facts.created_by.to_string())),
        (SEARCH_TEXT.to_owned(), s(facts.search.join("\n"))),
    ]);
    if let Some(user) = facts.accepted_by {
        item.insert(ACCEPTED_BY.to_owned(), s(user.to_string()));
    }
    if let Some(status) = facts.email_status {
        item.insert(EMAIL_STATUS.to_owned(), s(status.as_str()));
    }
    item
}

/// The entry's email status (absent from entries written before it was listed).
const EMAIL_STATUS: &str = "email_status";

/// An entry's facts, read back.
pub fn facts_from_item(item: &Item) -> Result<Facts, StoreError> {
    let text = |name: &str| item.get(name).and_then(|v| v.as_s().ok());
    let missing = |name: &str| StoreError::internal(format!("a list entry without a valid {name}"));
    let time = |raw: &String| DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc));
    Ok(Facts {
        id: text(INVITE_ID)
            .and_then(|v| InviteId::parse(v))
            .ok_or_else(|| missing(INVITE_ID))?,
        tenant_id: text(TENANT_ID)
            .and_then(|v| TenantId::parse(v))
            .ok_or_else(|| missing(TENANT_ID))?,
        listed: text(LISTED)
            .and_then(|v| EffectiveStatus::parse(v))
            .ok_or_else(|| missing(LISTED))?,
        expires_at: text(EXPIRES_KEY).and_then(time).ok_or_else(|| missing(EXPIRES_KEY))?,
        email: text(EMAIL_CANONICAL).ok_or_else(|| missing(EMAIL_CANONICAL))?.clone(),
        created_by: text(CREATED_BY)
            .and_then(|v| UserId::parse(v))
            .ok_or_else(|| missing(CREATED_BY))?,
        accepted_by: text(ACCEPTED_BY).and_then(|v| UserId::parse(v)),
        search: text(SEARCH_TEXT)
            .map(|t| t.split('\n').map(str::to_owned).collect())
            .unwrap_or_default(),
        email_status: text(EMAIL_STATUS).and_then(|v| crate::domain::EmailStatus::parse(v)),
    })
}
