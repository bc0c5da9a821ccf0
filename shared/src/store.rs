//! The storage seam. The use cases decide every transition; a store only has to make
//! each write atomic and conditional on the version that was read, and keep the
//! pending-email slot (invariant 5) in step with the invites it stores.

use std::cmp::Ordering;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{EffectiveStatus, Invite, InviteId, SortField, SortOrder, TenantId, UserId, fold_case};

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

    /// One page of a tenant's invites, and how many match in all.
    async fn list(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError>;

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
    pub items: Vec<Invite>,
    /// Whether more invites follow the last one returned.
    pub has_more: bool,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStart {
    Offset(u32),
    /// Right after the invite with this sort key (from a cursor).
    After(SortKey),
}

/// An invite's position in a sort: the sort field's value, then the id to break ties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortKey {
    pub value: String,
    pub id: InviteId,
}

/// A validated list query, always within one tenant.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub tenant_id: TenantId,
    /// Empty: every status.
    pub statuses: Vec<EffectiveStatus>,
    /// Canonical form.
    pub email: Option<String>,
    pub created_by: Option<UserId>,
    pub accepted_by: Option<UserId>,
    /// Case-folded ([`fold_case`]).
    pub search: Option<String>,
    pub sort: SortField,
    pub order: SortOrder,
    pub limit: u32,
    pub start: PageStart,
}

impl ListQuery {
    /// Whether an invite of this query's tenant matches its filters.
    pub fn matches(&self, invite: &Invite, now: DateTime<Utc>) -> bool {
        invite.tenant_id == self.tenant_id
            && (self.statuses.is_empty() || self.statuses.contains(&invite.effective_status(now)))
            && self.email.as_ref().is_none_or(|e| *e == invite.email_canonical)
            && self.created_by.is_none_or(|u| u == invite.created_by_user_id)
            && self.accepted_by.is_none_or(|u| Some(u) == invite.accepted_by_user_id)
            && self.search.as_ref().is_none_or(|needle| {
                [
                    Some(&invite.email),
                    invite.first_name.as_ref(),
                    invite.last_name.as_ref(),
                ]
                .into_iter()
                .flatten()
                .any(|field| fold_case(field).contains(needle.as_str()))
            })
    }

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

    /// Page order: by sort key, ties by id, both in the query's direction.
    pub fn compare(&self, a: &SortKey, b: &SortKey) -> Ordering {
        let ascending = a.value.cmp(&b.value).then_with(|| a.id.cmp(&b.id));
        match self.order {
            SortOrder::Asc => ascending,
            SortOrder::Desc => ascending.reverse(),
        }
    }

    /// Filters, sorts and pages invites in memory; for stores that hold a tenant's
    /// invites in process.
    pub fn page_in_memory(&self, invites: impl IntoIterator<Item = Invite>, now: DateTime<Utc>) -> ListPage {
        let mut matching: Vec<(SortKey, Invite)> = invites
            .into_iter()
            .filter(|invite| self.matches(invite, now))
            .map(|invite| (self.sort_key(&invite, now), invite))
            .collect();
        matching.sort_by(|a, b| self.compare(&a.0, &b.0));
        let total_count = matching.len() as u64;
        let skip = match &self.start {
            PageStart::Offset(offset) => *offset as usize,
            PageStart::After(after) => matching
                .iter()
                .position(|(key, _)| self.compare(key, after) == Ordering::Greater)
                .unwrap_or(matching.len()),
        };
        let limit = self.limit as usize;
        let has_more = matching.len() > skip.saturating_add(limit);
        let items = matching
            .into_iter()
            .skip(skip)
            .take(limit)
            .map(|(_, invite)| invite)
            .collect();
        ListPage {
            total_count,
            items,
            has_more,
        }
    }
}

/// RFC 3339 with fixed millisecond width, so that text order is time order.
pub fn sortable_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
