//! Who acts, once authenticated, and the contract's rules of who may act where.

use super::{Invite, Refusal, TenantId, UserId};

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

/// Who may grant which role: the roles an invite carries become the invitee's once
/// accepted, so granting one is a privilege. `Held` (the default): a caller may grant,
/// and may resend, cancel or update an invite carrying, only roles its token's `roles`
/// claim lists; a super admin any. `Any` (`INVITES_ROLE_POLICY=any`): every caller
/// may grant every role, as before the policy existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RolePolicy {
    #[default]
    Held,
    Any,
}

impl RolePolicy {
    /// The value of `INVITES_ROLE_POLICY`: `held` or `any`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "held" => Some(Self::Held),
            "any" => Some(Self::Any),
            _ => None,
        }
    }

    /// Whether `caller` may grant every one of `roles`; else the first it may not.
    pub fn may_grant(self, caller: &Caller, roles: &[String]) -> Result<(), Refusal> {
        if self == Self::Any || caller.super_admin {
            return Ok(());
        }
        match roles.iter().find(|role| !caller.roles.contains(role)) {
            Some(role) => Err(Refusal::RoleNotHeld(role.clone())),
            None => Ok(()),
        }
    }

    /// Whether `caller` may resend, cancel or update `invite`. An invite the caller
    /// cannot see passes here: the transition answers it as not found, never saying
    /// whether it exists.
    pub fn may_manage(self, caller: &Caller, invite: &Invite) -> Result<(), Refusal> {
        if !caller.can_see(invite) {
            return Ok(());
        }
        self.may_grant(caller, &invite.roles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(roles: &[&str], super_admin: bool) -> Caller {
        Caller {
            user_id: UserId::random(),
            tenant_id: Some(TenantId(uuid::Uuid::from_u128(7))),
            super_admin,
            name: None,
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }

    fn roles(list: &[&str]) -> Vec<String> {
        list.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn a_caller_grants_only_the_roles_its_token_holds_unless_the_policy_is_any() {
        let editor = caller(&["editor", "viewer"], false);
        assert_eq!(
            RolePolicy::Held.may_grant(&editor, &roles(&["viewer", "editor"])),
            Ok(())
        );
        assert_eq!(RolePolicy::Held.may_grant(&editor, &[]), Ok(()));
        assert_eq!(
            RolePolicy::Held.may_grant(&editor, &roles(&["viewer", "owner", "admin"])),
            Err(Refusal::RoleNotHeld("owner".into()))
        );
        assert_eq!(RolePolicy::Any.may_grant(&editor, &roles(&["owner"])), Ok(()));
        // Role names are compared exactly.
        assert!(RolePolicy::Held.may_grant(&editor, &roles(&["Editor"])).is_err());
    }

    #[test]
    fn a_super_admin_grants_any_role() {
        assert_eq!(
            RolePolicy::Held.may_grant(&caller(&[], true), &roles(&["owner"])),
            Ok(())
        );
    }

    #[test]
    fn the_policy_reads_held_or_any_only() {
        assert_eq!(RolePolicy::parse("held"), Some(RolePolicy::Held));
        assert_eq!(RolePolicy::parse("any"), Some(RolePolicy::Any));
        assert_eq!(RolePolicy::parse("ANY"), None);
        assert_eq!(RolePolicy::parse(""), None);
    }
}
