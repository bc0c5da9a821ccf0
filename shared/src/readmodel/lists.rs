//! Which lists an invite is in, the keys it sorts by in each, and the facts an entry
//! carries: pure functions of the stored invite, so every store derives the same entries
//! and a write can tell which entries of the previous copy to remove.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    EffectiveStatus, EmailStatus, Invite, InviteId, SortField, TenantId, UserId, index_prefixes, search_fields,
};
use crate::store::sortable_time;

/// How many shards each cross-tenant list that every write reaches is split into.
pub const GLOBAL_SHARDS: u32 = 8;

/// Whose invites a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Tenant(TenantId),
    /// Every tenant's.
    All,
}

impl Scope {
    /// The scope's name in counter keys: the tenant id, or `*`.
    pub fn name(&self) -> String {
        match self {
            Scope::Tenant(tenant) => tenant.to_string(),
            Scope::All => "*".to_owned(),
        }
    }

    /// The shards a list of this scope is split into: none for a tenant's lists.
    pub fn shards(&self) -> Vec<Option<u32>> {
        match self {
            Scope::Tenant(_) => vec![None],
            Scope::All => (0..GLOBAL_SHARDS).map(Some).collect(),
        }
    }
}

/// The shard of the cross-tenant lists an invite's entries go to.
pub fn shard_of(id: InviteId) -> u32 {
    (id.0.as_u128() % u128::from(GLOBAL_SHARDS)) as u32
}

fn sharded(prefix: &str, scope: Scope, shard: Option<u32>) -> String {
    match (scope, shard) {
        (Scope::Tenant(tenant), _) => format!("L{prefix}#{tenant}"),
        (Scope::All, Some(shard)) => format!("G{prefix}#{shard}"),
        (Scope::All, None) => unreachable!("a cross-tenant list of every invite is sharded"),
    }
}

fn whole(prefix: &str, scope: Scope) -> String {
    match scope {
        Scope::Tenant(tenant) => format!("L{prefix}#{tenant}"),
        Scope::All => format!("G{prefix}"),
    }
}

/// Every invite of the scope (one shard of it across tenants).
pub fn all_list(scope: Scope, shard: Option<u32>) -> String {
    sharded("T", scope, shard)
}

pub fn status_list(scope: Scope, shard: Option<u32>, status: EffectiveStatus) -> String {
    format!("{}#{}", sharded("S", scope, shard), status.as_str())
}

/// The invites whose email is in `status` (one shard of them across tenants).
pub fn mail_list(scope: Scope, shard: Option<u32>, status: EmailStatus) -> String {
    format!("{}#{}", sharded("M", scope, shard), status.as_str())
}

pub fn email_list(scope: Scope, email: &str) -> String {
    format!("{}#{email}", whole("E", scope))
}

pub fn creator_list(scope: Scope, user: UserId) -> String {
    format!("{}#{user}", whole("C", scope))
}

pub fn acceptor_list(scope: Scope, user: UserId) -> String {
    format!("{}#{user}", whole("A", scope))
}

pub fn search_list(scope: Scope, shard: Option<u32>, prefix: &str) -> String {
    format!("{}#{prefix}", sharded("W", scope, shard))
}

/// The keys of every list the invite is in, in its tenant and across tenants.
pub fn lists_of(invite: &Invite) -> Vec<String> {
    let prefixes = index_prefixes(&search_fields(invite));
    let mut lists = Vec::with_capacity(12 + 2 * prefixes.len());
    for (scope, shard) in [
        (Scope::Tenant(invite.tenant_id), None),
        (Scope::All, Some(shard_of(invite.id))),
    ] {
        lists.push(all_list(scope, shard));
        lists.push(status_list(scope, shard, invite.listed_status()));
        lists.push(mail_list(scope, shard, invite.email_status));
        lists.push(email_list(scope, &invite.email_canonical));
        lists.push(creator_list(scope, invite.created_by_user_id));
        if let Some(user) = invite.accepted_by_user_id {
            lists.push(acceptor_list(scope, user));
        }
        lists.extend(prefixes.iter().map(|p| search_list(scope, shard, p)));
    }
    lists
}

/// An entry's key in one sort: `<value>#<id>`, ordered as the page is. The status sort
/// files the invite by its listed status, so it does not move with the clock.
pub fn stored_key(invite: &Invite, sort: SortField) -> String {
    let value = match sort {
        SortField::CreatedAt => sortable_time(invite.created_at),
        SortField::UpdatedAt => sortable_time(invite.updated_at),
        SortField::Email => invite.email_canonical.clone(),
        SortField::Status => format!(
            "{}#{}",
            invite.listed_status().as_str(),
            sortable_time(invite.expires_at)
        ),
    };
    format!("{value}#{}", invite.id)
}

/// Where the listed-pending invites that have expired by `now` (the backlog) end, in
/// the status sort's keys: `pending#<now>#~` sorts after every `pending#<t>#<id>` with
/// `t <= now` and before any with `t > now`.
pub fn backlog_end(now: DateTime<Utc>) -> String {
    format!("pending#{}#~", sortable_time(now))
}

/// What the page sorts an entry by: its stored key, except that in the status sort a
/// listed-pending entry that has expired by `now` sorts among the expired.
pub fn virtual_key(stored: &str, sort: SortField, facts: &Facts, now: DateTime<Utc>) -> String {
    match stored.strip_prefix("pending#") {
        Some(rest) if sort == SortField::Status && facts.expires_at <= now => format!("expired#{rest}"),
        _ => stored.to_owned(),
    }
}

/// What a list entry knows of its invite: enough to check any filter in memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub id: InviteId,
    pub tenant_id: TenantId,
    pub listed: EffectiveStatus,
    pub expires_at: DateTime<Utc>,
    /// Canonical form.
    pub email: String,
    pub created_by: UserId,
    pub accepted_by: Option<UserId>,
    /// The folded search fields ([`search_fields`]).
    pub search: Vec<String>,
    /// `None` in an entry written before email statuses were listed.
    #[serde(default)]
    pub email_status: Option<EmailStatus>,
}

impl Facts {
    pub fn of(invite: &Invite) -> Facts {
        Facts {
            id: invite.id,
            tenant_id: invite.tenant_id,
            listed: invite.listed_status(),
            expires_at: invite.expires_at,
            email: invite.email_canonical.clone(),
            created_by: invite.created_by_user_id,
            accepted_by: invite.accepted_by_user_id,
            search: search_fields(invite),
            email_status: Some(invite.email_status),
        }
    }

    /// The status as it reads at `now`: a listed-pending invite past its expiry is expired.
    pub fn status_at(&self, now: DateTime<Utc>) -> EffectiveStatus {
        match self.listed {
            EffectiveStatus::Pending if self.expires_at <= now => EffectiveStatus::Expired,
            listed => listed,
        }
    }
}

/// What an invite adds to its scopes' counters: one to its listed status, and, while it
/// is listed pending, one to the bucket of its expiry (see the stores' counters); and
/// one to its email's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub tenant_id: TenantId,
    pub email: String,
    pub listed: EffectiveStatus,
    /// `expires_at`, while listed pending.
    pub pending_expiry: Option<DateTime<Utc>>,
}

impl Contribution {
    pub fn of(invite: &Invite) -> Contribution {
        let listed = invite.listed_status();
        Contribution {
            tenant_id: invite.tenant_id,
            email: invite.email_canonical.clone(),
            listed,
            pending_expiry: (listed == EffectiveStatus::Pending).then_some(invite.expires_at),
        }
    }
}

/// How many invites of a scope have each status at some instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub pending: u64,
    pub expired: u64,
    pub accepted: u64,
    pub canceled: u64,
}

impl StatusCounts {
    pub fn of(&self, status: EffectiveStatus) -> u64 {
        match status {
            EffectiveStatus::Pending => self.pending,
            EffectiveStatus::Expired => self.expired,
            EffectiveStatus::Accepted => self.accepted,
            EffectiveStatus::Canceled => self.canceled,
        }
    }

    /// From counts by listed status (signed, as shards may be) and the backlog: the
    /// listed-pending invites that have expired by then.
    pub fn from_listed(pending: i64, expired: i64, accepted: i64, canceled: i64, backlog: i64) -> StatusCounts {
        let clamp = |n: i64| n.max(0) as u64;
        StatusCounts {
            pending: clamp(pending - backlog),
            expired: clamp(expired + backlog),
            accepted: clamp(accepted),
            canceled: clamp(canceled),
        }
    }
}
