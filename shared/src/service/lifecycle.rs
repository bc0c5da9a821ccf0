//! The changes of one invite after it was sent: resend, cancel, accept and update.
//! Each is one transition of `domain`, stored over the version it was decided on.

use chrono::Duration;

use super::{InviteError, InviteService, Transition};
use crate::domain::{
    Caller, EffectiveStatus, Invite, InviteChanges, InviteId, InviteToken, InviteView, Refusal, Reissue, UserId,
};
use crate::operation::Operation;
use crate::requests::{AcceptRequest, ResendRequest};
use crate::telemetry::Metric;

impl InviteService {
    /// resendUserInvite: a new token and a new expiry; the old token stops working at once.
    pub async fn resend(
        &self,
        caller: &Caller,
        id: InviteId,
        request: ResendRequest,
    ) -> Result<InviteView, InviteError> {
        let token = InviteToken::generate(id);
        let reissue = Reissue {
            token_hash: token.hash(),
            valid_for: Duration::days(i64::from(
                request.expires_in_days.unwrap_or(self.settings.default_expiry_days),
            )),
            send_email: request.send_email,
            limit_per_hour: self.settings.resend_limit_per_hour,
        };
        let decide = |current: &Invite, now| {
            self.settings.role_policy.may_manage(caller, current)?;
            current.reissued(caller, &reissue, now)
        };
        let resent = if request.send_email {
            // An email: decided once first, so that only a resend that will happen
            // counts against the email quotas, then counted, then written.
            let current = self.store.get(id).await?.ok_or(Refusal::NotFound)?;
            decide(&current, self.clock.now())?;
            self.take_email_quotas(current.tenant_id, &current.email_canonical)
                .await?;
            self.transition_from(current, decide).await?
        } else {
            self.transition(id, decide).await?
        };
        self.count(Metric::InvitesResent, Operation::ResendUserInvite.name(), 1);
        self.count_if_expired(&resent, Operation::ResendUserInvite);
        Ok(self.issued(&resent.after, &token, request.send_email))
    }

    /// cancelUserInvite: a pending (or expired) invite becomes canceled and frees its email.
    pub async fn cancel(&self, caller: &Caller, id: InviteId) -> Result<InviteView, InviteError> {
        let canceled = self
            .transition(id, |current, now| {
                self.settings.role_policy.may_manage(caller, current)?;
                current.canceled(caller, now)
            })
            .await?;
        self.count(Metric::InvitesCanceled, Operation::CancelUserInvite.name(), 1);
        self.count_if_expired(&canceled, Operation::CancelUserInvite);
        Ok(canceled.after.view(self.clock.now()))
    }

    /// acceptUserInvite: the token grants access, whatever the caller's tenant.
    pub async fn accept(&self, caller: &Caller, request: AcceptRequest) -> Result<InviteView, InviteError> {
        let accepted_by = match (caller.super_admin, request.accepted_by) {
            (true, named) => named.unwrap_or_else(UserId::random),
            (false, Some(named)) if named != caller.user_id => {
                return Err(Refusal::Forbidden("acceptedByUserId must be your own user id").into());
            }
            (false, _) => caller.user_id,
        };
        let token = InviteToken::from_submitted(&request.token).ok_or(Refusal::TokenInvalid)?;
        let accepted = self
            .transition(token.invite_id(), |current, now| {
                current.accepted(&token, accepted_by, now)
            })
            .await
            .map_err(|e| match e {
                InviteError::Refused(Refusal::NotFound) => Refusal::TokenInvalid.into(),
                InviteError::Refused(Refusal::Expired) => {
                    self.count(Metric::InvitesExpired, Operation::AcceptUserInvite.name(), 1);
                    e
                }
                other => other,
            })?;
        self.count(Metric::InvitesAccepted, Operation::AcceptUserInvite.name(), 1);
        Ok(accepted.after.view(self.clock.now()))
    }

    /// updateUserInvite: the profile while pending; who accepted, by a super admin, once accepted.
    pub async fn update(
        &self,
        caller: &Caller,
        id: InviteId,
        changes: InviteChanges,
    ) -> Result<InviteView, InviteError> {
        let updated = self
            .transition(id, |current, now| {
                let policy = self.settings.role_policy;
                policy.may_manage(caller, current)?;
                if let Some(roles) = &changes.roles
                    && caller.can_see(current)
                {
                    policy.may_grant(caller, &roles.to_strings())?;
                }
                current.updated(caller, &changes, now)
            })
            .await
            .inspect_err(|e| {
                if matches!(
                    e,
                    InviteError::Refused(
                        Refusal::NotPending(EffectiveStatus::Expired) | Refusal::NotAccepted(EffectiveStatus::Expired)
                    )
                ) {
                    self.count(Metric::InvitesExpired, Operation::UpdateUserInvite.name(), 1);
                }
            })?;
        Ok(updated.after.view(self.clock.now()))
    }

    /// Counts an invite met past its expiry by a write that revived or closed it.
    fn count_if_expired(&self, transition: &Transition, operation: Operation) {
        if transition.before.effective_status(transition.at) == EffectiveStatus::Expired {
            self.count(Metric::InvitesExpired, operation.name(), 1);
        }
    }
}
