//! The reads: one invite, a page of a tenant's invites, and what a token's holder may know.

use serde::{Deserialize, Serialize};

use super::{InviteError, InviteService};
use chrono::{DateTime, Utc};

use crate::domain::{Caller, EffectiveStatus, FieldError, InviteId, InviteToken, InviteView, Refusal, TenantId};
use crate::requests::ListParams;
use crate::store::{ListQuery, PageStart};

/// What the holder of an invite token may know about its invite: enough for an accept
/// page to say who invites them, into which tenant, with which roles and until when,
/// and whether the invite is still open. Every field but the two flags is `null` for a
/// token that is not current (unknown, garbled, or replaced by a resend), so an unknown
/// token reveals nothing. Never the invite's id, names, data or anyone's user id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckTokenResponse {
    pub is_valid: bool,
    pub is_expired: bool,
    pub email: Option<String>,
    pub status: Option<EffectiveStatus>,
    pub roles: Option<Vec<String>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub tenant_id: Option<TenantId>,
    /// The tenant's display name, when the sender gave one (`tenantName`).
    pub tenant_name: Option<String>,
    /// The inviter's display name, from the sender's token, when it carried a valid one.
    pub created_by_name: Option<String>,
}

impl CheckTokenResponse {
    /// The answer for a token that is not current.
    pub fn unknown() -> Self {
        Self {
            is_valid: false,
            is_expired: false,
            email: None,
            status: None,
            roles: None,
            expires_at: None,
            tenant_id: None,
            tenant_name: None,
            created_by_name: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse {
    pub total_count: u64,
    /// `false`: at least `total_count` match (a count no counter covers stops at 100).
    pub total_count_exact: bool,
    pub data: Vec<InviteView>,
    pub next_cursor: Option<String>,
}

impl InviteService {
    /// checkUserInviteToken: what the token's holder may know; consumes nothing.
    pub async fn check_token(&self, raw: &str) -> Result<CheckTokenResponse, InviteError> {
        let Some(token) = InviteToken::from_submitted(raw) else {
            return Ok(CheckTokenResponse::unknown());
        };
        let Some(invite) = self.store.get(token.invite_id()).await? else {
            return Ok(CheckTokenResponse::unknown());
        };
        if !invite.token_hash.matches(&token) {
            return Ok(CheckTokenResponse::unknown());
        }
        let status = invite.effective_status(self.clock.now());
        Ok(CheckTokenResponse {
            is_valid: status == EffectiveStatus::Pending,
            is_expired: status == EffectiveStatus::Expired,
            email: Some(invite.email),
            status: Some(status),
            roles: Some(invite.roles),
            expires_at: Some(invite.expires_at),
            tenant_id: Some(invite.tenant_id),
            tenant_name: invite.tenant_name,
            created_by_name: invite.created_by_name,
        })
    }

    /// userInvite.
    pub async fn get(&self, caller: &Caller, id: InviteId) -> Result<InviteView, InviteError> {
        match self.store.get(id).await? {
            Some(invite) if caller.can_see(&invite) => Ok(invite.view(self.clock.now())),
            _ => Err(Refusal::NotFound.into()),
        }
    }

    /// userInvites: one tenant's invites, or every tenant's for a super admin who names
    /// none, filtered, sorted and paged.
    pub async fn list(&self, caller: &Caller, params: ListParams) -> Result<ListResponse, InviteError> {
        let tenant_id = match (params.tenant_id, caller.tenant_id) {
            (Some(tenant), _) if caller.may_act_in(tenant) => Some(tenant),
            (Some(_), _) => return Err(Refusal::Forbidden("only a super admin may list another tenant").into()),
            // Whatever tenant its token names, a super admin lists every tenant.
            (None, _) if caller.super_admin => None,
            (None, Some(own)) => Some(own),
            (None, None) => return Err(Refusal::Forbidden("the token names no tenant").into()),
        };
        let mut query = ListQuery {
            tenant_id,
            statuses: params.statuses,
            email_statuses: params.email_statuses,
            email: params.email,
            created_by: params.created_by,
            accepted_by: params.accepted_by,
            search: params.search,
            sort: params.sort,
            order: params.order,
            limit: params.limit,
            start: PageStart::Offset(params.offset.unwrap_or(0)),
        };
        if let Some(cursor) = &params.cursor {
            let after = self.cursors.decode(&query, cursor).ok_or_else(|| {
                InviteError::Invalid(vec![FieldError::new(
                    "cursor",
                    "is not a cursor of this query; list again without it",
                )])
            })?;
            query.start = PageStart::After(after);
        }
        let now = self.clock.now();
        let page = self.store.list(&query, now).await?;
        let next_cursor = page.next.map(|after| self.cursors.encode(&query, after));
        Ok(ListResponse {
            total_count: page.total_count,
            total_count_exact: page.total_exact,
            data: page.items.iter().map(|i| i.view(now)).collect(),
            next_cursor,
        })
    }

    /// The expiry sweep: records the expiry of up to `max` invites that expired but are
    /// still listed as pending, oldest first, so lists file them as expired. Counts are
    /// exact without it; it keeps the pending and expired lists free of what the clock
    /// moved. Returns how many it recorded.
    pub async fn sweep_expired(&self, max: usize) -> Result<usize, InviteError> {
        let ids = self.store.unrecorded_expired(self.clock.now(), max).await?;
        let mut recorded = 0;
        for id in ids {
            match self.transition(id, |current, now| current.expiry_recorded(now)).await {
                Ok(_) => recorded += 1,
                // Resent, canceled or recorded in the meantime: nothing to record.
                Err(InviteError::Refused(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(recorded)
    }
}
