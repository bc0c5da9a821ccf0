//! Who acts, once authenticated, and the contract's rules of who may act where.

use super::{Invite, TenantId, UserId};

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    /// `None` for a token of no tenant (it may still accept invites).
    pub tenant_id: Option<TenantId>,
    pub super_admin: bool,
    /// The caller's display name, when the token carries one.
    pub name: Option<String>,
    /// The caller's roles in the identity provider (empty when the token names none).
    pub roles: Vec<String>,
}

impl Caller {
    /// May act inside `tenant`: a super admin anywhere, a user only in their own.
    pub fn may_act_in(&self, tenant: TenantId) -> bool {
        self.super_admin || self.tenant_id == Some(tenant)
    }

    /// Whether the invite exists for this caller; when not, it reads as not found.
    pub fn can_see(&self, invite: &Invite) -> bool {
        self.may_act_in(invite.tenant_id)
    }
}
