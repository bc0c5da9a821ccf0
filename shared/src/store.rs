//! The storage seam. The use cases decide every transition; a store only has to make
//! each write atomic and conditional on the version that was read, and keep the
//! pending-email slot (invariant 5) in step with the invites it stores.

use crate::domain::EmailStatus;
use std::cmp::Ordering;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    EffectiveStatus, Invite, InviteId, SortField, SortOrder, TenantId, UserId, search_fields, search_matches,
};

/// The cause of a failure, kept whole (with its own `source()` chain) for the log.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The invite changed since it was read (its version moved on): decide again over
    /// the current copy, which the store returns when the failed write gave it back.
    #[error("the invite was changed by another request")]
    Conflict(Option<Box<Invite>>),
    /// Another invite holds the pending slot for this tenant and email.
    #[error("another pending invite exists for this email in this tenant")]
    DuplicatePending,
    /// Storage could not be reached, or kept failing after retries.
    #[error("storage unavailable")]
    Unavailable(#[source] BoxError),
    #[error("storage error")]
    Internal(#[source] BoxError),
}

impl StoreError {
    pub fn internal(cause: impl Into<BoxError>) -> Self {
        Self::Internal(cause.into())
    }
}

/// An invite store. Every method is all-or-nothing.
///
/// The pending slot of (tenant, canonical email) follows the invites written:
/// `insert` and any `replace` whose `next` holds the slot (see
/// [`Invite::holds_email_slot`]) take it, failing with `DuplicatePending` when another
/// invite holds it unexpired; a `replace` whose `previous` held it and whose `next`
/// does not gives it back, unless another invite has since taken it over.
#[async_trait]
pub trait InviteStore: Send + Sync {
    /// Stores a new invite and takes its pending slot.
    async fn insert(&self, invite: &Invite, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// The invite with this id, read with strong consistency.
    async fn get(&self, id: InviteId) -> Result<Option<Invite>, StoreError>;

    /// Stores `next` over `previous`, only if the stored version is still
    /// `previous.version` (else `Conflict`). `next.version` is `previous.version + 1`.
    async fn replace(&self, previous: &Invite, next: &Invite, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// One page of a tenant's (or every tenant's) invites, and how many match in all.
    /// Reads at most `offset + 2 * limit + LIST_READ_ALLOWANCE` items, whatever the data.
    async fn list(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError>;

    /// Up to `max` invites that have expired by `now` but are still listed as pending
    /// (their expiry not yet recorded), earliest expiry first: the expiry sweep's work.
    async fn unrecorded_expired(&self, now: DateTime<Utc>, max: usize) -> Result<Vec<InviteId>, StoreError>;

    /// Claims an idempotency key with `claim` (its fingerprint, no response yet, and
    /// the lease the use case gives it as `expires_at`), unless a live record holds it.
    async fn begin_idempotent(
        &self,
        key: &IdempotencyKey,
        claim: &IdempotencyRecord,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyBegin, StoreError>;

    /// Records the response of a claimed key, to replay until `expires_at`.
    async fn complete_idempotent(&self, key: &IdempotencyKey, record: &IdempotencyRecord) -> Result<(), StoreError>;

    /// Gives a claimed key back (the request failed as a whole), so a retry runs anew.
    async fn release_idempotent(&self, key: &IdempotencyKey) -> Result<(), StoreError>;

    /// The invites whose email waits for a mailer: what a mailer that has no stream to
    /// follow (`invites-local`'s worker) picks up when it starts.
    async fn queued_for_delivery(&self) -> Result<Vec<InviteId>, StoreError>;

    /// Counts one use of `quota` in its window, unless `quota.limit` uses are counted
    /// there already: `true` when counted, `false` when the quota is used up. Atomic
    /// against concurrent uses; a window's count is forgotten once it has ended.
    async fn take_quota(&self, quota: &QuotaUse, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Records that mail to `email` (canonical) in `tenant` bounced permanently: no
    /// invitation email goes to it again in that tenant.
    async fn suppress(&self, tenant: TenantId, email: &str) -> Result<(), StoreError>;

    /// Whether mail to `email` (canonical) in `tenant` is suppressed.
    async fn suppressed(&self, tenant: TenantId, email: &str) -> Result<bool, StoreError>;
}

/// One use of a quota: what it counts (`recipient/...`, `tenant/...`), the end of the
/// fixed window it counts in, and how many uses that window allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaUse {
    pub key: String,
    pub window_end: DateTime<Utc>,
    pub limit: u32,
}

/// Idempotency keys are scoped to the tenant and the caller: two callers cannot
/// collide, nor read each other's responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub key: String,
}

impl IdempotencyKey {
    pub fn storage_key(&self) -> String {
        format!("{}/{}/{}", self.tenant_id, self.user_id, self.key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    pub fingerprint: String,
    /// `None` while the first request is still running.
    pub response: Option<serde_json::Value>,
    pub expires_at: DateTime<Utc>,
}

impl IdempotencyRecord {
    /// What a request with `fingerprint` meets when this record holds its key.
    pub fn outcome_for(self, fingerprint: &str) -> IdempotencyBegin {
        match self.response {
            _ if self.fingerprint != fingerprint => IdempotencyBegin::Mismatch,
            Some(response) => IdempotencyBegin::Replay(response),
            None => IdempotencyBegin::InProgress,
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum IdempotencyBegin {
    /// The key is ours: run the request, then complete or release it.
    Claimed,
    /// The same request ran before: here is its response.
    Replay(serde_json::Value),
    /// The same request is running right now.
    InProgress,
    /// The key was used with another body.
    Mismatch,
}

/// What the store returns for one list call.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub total_count: u64,
    /// Whether `total_count` is the number of matches; `false` means at least that many.
    pub total_exact: bool,
    pub items: Vec<Invite>,
    /// Where the next page starts, when more invites may follow: after the last invite
    /// returned, or after the last one examined when the read budget ran out first.
    pub next: Option<SortKey>,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStart {
    Offset(u32),
    /// Right after the invite with this sort key (from a cursor).
    After(SortKey),
}

/// An invite's position in a sort: the sort field's value, then the id to break ties.
/// Positions compare as their [`SortKey::encoded`] text, which is the order of the
/// index keys every store reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortKey {
    pub value: String,
    pub id: InviteId,
}

impl SortKey {
    /// `<value>#<id>`: the key an index orders this position by.
    pub fn encoded(&self) -> String {
        format!("{}#{}", self.value, self.id)
    }

    /// The position an index key names (`<value>#<id>`, the id being a UUID).
    pub fn from_encoded(key: &str) -> Option<SortKey> {
        let (value, id) = key.rsplit_once('#')?;
        Some(SortKey {
            value: value.to_owned(),
            id: InviteId::parse(id)?,
        })
    }
}

/// A validated list query: one tenant's invites, or every tenant's.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// `None`: every tenant (a super admin's list without `tenantId`).
    pub tenant_id: Option<TenantId>,
    /// Empty: every status.
    pub statuses: Vec<EffectiveStatus>,
    /// Empty: every email status.
    pub email_statuses: Vec<EmailStatus>,
    /// Canonical form.
    pub email: Option<String>,
    pub created_by: Option<UserId>,
    pub accepted_by: Option<UserId>,
    /// Folded ([`search_needle`](crate::domain::search_needle)).
    pub search: Option<String>,
    pub sort: SortField,
    pub order: SortOrder,
    pub limit: u32,
    pub start: PageStart,
}

impl ListQuery {
    /// Whether an invite is in this query's scope and matches its filters.
    pub fn matches(&self, invite: &Invite, now: DateTime<Utc>) -> bool {
        self.tenant_id.is_none_or(|t| t == invite.tenant_id)
            && (self.statuses.is_empty() || self.statuses.contains(&invite.effective_status(now)))
            && (self.email_statuses.is_empty() || self.email_statuses.contains(&invite.email_status))
            && self.email.as_ref().is_none_or(|e| *e == invite.email_canonical)
            && self.created_by.is_none_or(|u| u == invite.created_by_user_id)
            && self.accepted_by.is_none_or(|u| Some(u) == invite.accepted_by_user_id)
            && self
                .search
                .as_ref()
                .is_none_or(|needle| search_matches(needle, &search_fields(invite)))
    }

    /// An invite's position in this query's order, with its status as it reads at `now`.
    pub fn sort_key(&self, invite: &Invite, now: DateTime<Utc>) -> SortKey {
        let value = match self.sort {
            SortField::CreatedAt => sortable_time(invite.created_at),
            SortField::UpdatedAt => sortable_time(invite.updated_at),
            SortField::Email => invite.email_canonical.clone(),
            // Within a status, by expiry: this is the order a stored `pending#<expiresAt>`
            // key gives too, since the expired among the pending are those expiring first.
            SortField::Status => format!(
                "{}#{}",
                invite.effective_status(now).as_str(),
                sortable_time(invite.expires_at)
            ),
        };
        SortKey { value, id: invite.id }
    }

    /// Page order: by encoded sort key (value, then id), in the query's direction.
    pub fn compare(&self, a: &SortKey, b: &SortKey) -> Ordering {
        let ascending = a.encoded().cmp(&b.encoded());
        match self.order {
            SortOrder::Asc => ascending,
            SortOrder::Desc => ascending.reverse(),
        }
    }
}

/// RFC 3339 with fixed millisecond width, so that text order is time order.
pub fn sortable_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
