//! Every state change of an invite, as a pure function from the copy that was read to
//! the copy to store: the use cases run them inside a conditional write and run them
//! again over the newer copy when they lose a race, so they must decide from their
//! arguments alone.

use chrono::{DateTime, Duration, Utc};

use super::{
    Caller, CustomData, EffectiveStatus, EmailStatus, Invite, InviteStatus, InviteToken, Locale, PersonName, Refusal,
    Roles, TokenHash, UserId,
};

/// A partial update of an invite: `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InviteChanges {
    pub first_name: Option<Option<PersonName>>,
    pub last_name: Option<Option<PersonName>>,
    pub locale: Option<Locale>,
    pub data: Option<CustomData>,
    pub roles: Option<Roles>,
    pub accepted_by: Option<Option<UserId>>,
}

impl InviteChanges {
    /// Whether it touches the invitee's profile (allowed only while pending).
    pub fn changes_profile(&self) -> bool {
        self.first_name.is_some()
            || self.last_name.is_some()
            || self.locale.is_some()
            || self.data.is_some()
            || self.roles.is_some()
    }
}

/// What a resend decides beyond the invite: its new token and expiry, whether it is
/// mailed, and the resend limit.
pub struct Reissue {
    pub token_hash: TokenHash,
    pub valid_for: Duration,
    pub send_email: bool,
    pub limit_per_hour: u32,
}

/// How a delivery that failed for a passing reason is tried again: after a delay that
/// doubles from [`Self::FIRST_DELAY_SECS`] up to [`Self::MAX_DELAY_SECS`], with jitter, for
/// as long as `window` after the email was queued; then it is recorded failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub window: Duration,
}

impl RetryPolicy {
    pub const FIRST_DELAY_SECS: i64 = 2;
    /// 15 minutes: also the longest delay an SQS message may carry.
    pub const MAX_DELAY_SECS: i64 = 900;

    /// The wait before retry number `attempt` (1 for the first retry): "equal jitter",
    /// half the doubled delay plus `jitter` (in [0, 1)) times the other half, so retries
    /// of a burst spread out and the first still comes within seconds.
    pub fn delay(attempt: u32, jitter: f64) -> Duration {
        let doubled = Self::FIRST_DELAY_SECS
            .saturating_mul(1i64 << attempt.saturating_sub(1).min(20))
            .min(Self::MAX_DELAY_SECS);
        let half_ms = doubled * 500;
        Duration::milliseconds(half_ms + (jitter.clamp(0.0, 1.0) * half_ms as f64) as i64)
    }
}

/// What one attempt to deliver the invitation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    Sent {
        message_id: String,
    },
    /// Worth another attempt (throttling, a timeout).
    Transient(String),
    /// This message will never be accepted as it is.
    Rejected(String),
    /// Not sent: the address bounced permanently before, in this tenant.
    Suppressed(String),
}

/// What SES said happened to a message after it accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailFeedback {
    Delivered,
    /// `permanent`: a hard bounce (the address does not exist); else a soft one that SES
    /// gave up retrying. `reason`: type and diagnostic, without the address.
    Bounced {
        permanent: bool,
        reason: String,
    },
    Complained {
        reason: String,
    },
    /// SES accepted the message, then refused to deliver it (a virus).
    Rejected {
        reason: String,
    },
}

impl Invite {
    /// What resend and cancel both require: an invite the caller can see that is still
    /// open (pending, or expired and so revivable or cancelable). Returns its status.
    pub fn open_for(&self, caller: &Caller, now: DateTime<Utc>) -> Result<EffectiveStatus, Refusal> {
        if !caller.can_see(self) {
            return Err(Refusal::NotFound);
        }
        match self.effective_status(now) {
            status @ (EffectiveStatus::Accepted | EffectiveStatus::Canceled) => Err(Refusal::NotPending(status)),
            status => Ok(status),
        }
    }

    /// Resend: a new token and a new expiry, back to pending; the old token stops
    /// working with this very write. At most `limit_per_hour` resends per rolling hour.
    pub fn reissued(&self, caller: &Caller, reissue: &Reissue, now: DateTime<Utc>) -> Result<Invite, Refusal> {
        let status = self.open_for(caller, now)?;
        let window_start = now - Duration::hours(1);
        let mut recent: Vec<DateTime<Utc>> = self
            .recent_resends
            .iter()
            .copied()
            .filter(|t| *t > window_start)
            .collect();
        if recent.len() >= reissue.limit_per_hour as usize {
            let oldest = recent.iter().min().copied().unwrap_or(now);
            let wait_ms = (oldest + Duration::hours(1) - now).num_milliseconds().max(1);
            return Err(Refusal::RateLimited {
                retry_after_secs: (wait_ms as u64).div_ceil(1000),
            });
        }
        recent.push(now);
        let mut next = self.next_version(now);
        if status == EffectiveStatus::Expired {
            next.status_updated_at = now;
        }
        next.token_hash = reissue.token_hash.clone();
        next.expires_at = now + reissue.valid_for;
        next.last_sent_at = now;
        next.send_count += 1;
        next.recent_resends = recent;
        next.email_status = if reissue.send_email {
            EmailStatus::Queued
        } else {
            EmailStatus::Skipped
        };
        next.email_error = None;
        next.message_id = None;
        // A new issue starts a new delivery: any claim on the old one is void.
        next.sending_since = None;
        next.delivery_attempts = 0;
        next.retry_at = None;
        next.email_status_reason = None;
        Ok(next)
    }

    /// Cancel: a pending (or expired) invite becomes canceled and frees its email.
    pub fn canceled(&self, caller: &Caller, now: DateTime<Utc>) -> Result<Invite, Refusal> {
        self.open_for(caller, now)?;
        let mut next = self.next_version(now);
        next.status = InviteStatus::Canceled;
        next.status_updated_at = now;
        Ok(next)
    }

    /// Accept with `token`, for `by`: only the current token of a pending invite.
    pub fn accepted(&self, token: &InviteToken, by: UserId, now: DateTime<Utc>) -> Result<Invite, Refusal> {
        if !self.token_hash.matches(token) {
            return Err(Refusal::TokenInvalid);
        }
        match self.effective_status(now) {
            EffectiveStatus::Accepted => return Err(Refusal::AlreadyAccepted),
            EffectiveStatus::Canceled => return Err(Refusal::Canceled),
            EffectiveStatus::Expired => return Err(Refusal::Expired),
            EffectiveStatus::Pending => {}
        }
        let mut next = self.next_version(now);
        next.status = InviteStatus::Accepted;
        next.accepted_by_user_id = Some(by);
        next.status_updated_at = now;
        Ok(next)
    }

    /// Update: the profile while pending; who accepted, by a super admin, once accepted.
    pub fn updated(&self, caller: &Caller, changes: &InviteChanges, now: DateTime<Utc>) -> Result<Invite, Refusal> {
        if !caller.can_see(self) {
            return Err(Refusal::NotFound);
        }
        let status = self.effective_status(now);
        if changes.changes_profile() && status != EffectiveStatus::Pending {
            return Err(Refusal::NotPending(status));
        }
        // A canceled or expired invite is closed: nothing may touch it (not even a
        // `acceptedByUserId: null` that would change nothing but `updatedAt`), and only
        // naming an acceptor is answered by why that cannot be done.
        let closed = matches!(status, EffectiveStatus::Canceled | EffectiveStatus::Expired);
        if closed && !matches!(changes.accepted_by, Some(Some(_))) {
            return Err(Refusal::NotPending(status));
        }
        let mut next = self.next_version(now);
        match changes.accepted_by {
            Some(Some(user)) => {
                if !caller.super_admin {
                    return Err(Refusal::Forbidden("only a super admin may set acceptedByUserId"));
                }
                if status != EffectiveStatus::Accepted {
                    return Err(Refusal::NotAccepted(status));
                }
                next.accepted_by_user_id = Some(user);
            }
            // Who accepted an invite is history: it cannot be cleared.
            Some(None) if self.accepted_by_user_id.is_some() => return Err(Refusal::AlreadyAccepted),
            _ => {}
        }
        if let Some(first) = &changes.first_name {
            next.first_name = first.clone().map(PersonName::into_inner);
        }
        if let Some(last) = &changes.last_name {
            next.last_name = last.clone().map(PersonName::into_inner);
        }
        if let Some(locale) = &changes.locale {
            next.locale = locale.as_str().to_owned();
        }
        if let Some(data) = &changes.data {
            next.data = data.clone().into_inner();
        }
        if let Some(roles) = &changes.roles {
            next.roles = roles.clone().into_strings();
        }
        Ok(next)
    }

    /// A mailer's claim on the queued email: the hash of the token it is about to mail
    /// replaces the current one, and the claim holds for `lease`. Refused (as not
    /// pending) when nothing is queued or another mailer's claim is still live.
    pub fn delivery_claimed(
        &self,
        token_hash: TokenHash,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Invite, Refusal> {
        let queued = self.status == InviteStatus::Pending && self.email_status == EmailStatus::Queued;
        let claim_is_live = self.sending_since.is_some_and(|since| now - since < lease);
        let deferred = self.retry_at.is_some_and(|at| at > now);
        let status = self.effective_status(now);
        if !queued || claim_is_live || deferred || status != EffectiveStatus::Pending {
            return Err(Refusal::NotPending(status));
        }
        let mut next = self.next_version(now);
        next.token_hash = token_hash;
        next.sending_since = Some(now);
        next.retry_at = None;
        Ok(next)
    }

    /// The expiry sweep records that this pending invite has expired, so that lists and
    /// counters file it as expired from now on. Nothing a caller sees changes: not
    /// `updatedAt`, not its status (it read as expired already).
    pub fn expiry_recorded(&self, now: DateTime<Utc>) -> Result<Invite, Refusal> {
        if self.effective_status(now) != EffectiveStatus::Expired || self.listed_status() == EffectiveStatus::Expired {
            return Err(Refusal::NotPending(self.effective_status(now)));
        }
        Ok(Invite {
            recorded_expiry: Some(self.expires_at),
            version: self.version + 1,
            ..self.clone()
        })
    }

    /// The outcome of the delivery claimed as `claim`, recorded only over that very
    /// claim (a resend or cancel since then wins). A passing failure queues the email
    /// again until `max_attempts` of them, then it is `failed`, as a rejection is at once.
    pub fn delivery_recorded(
        &self,
        claim: &Invite,
        result: &DeliveryResult,
        retry: RetryPolicy,
        jitter: f64,
        now: DateTime<Utc>,
    ) -> Result<Invite, Refusal> {
        if self.token_hash != claim.token_hash || self.sending_since != claim.sending_since {
            return Err(Refusal::NotPending(self.effective_status(now)));
        }
        let mut next = self.next_version(now);
        next.sending_since = None;
        match result {
            DeliveryResult::Sent { message_id } => {
                next.email_status = EmailStatus::Sent;
                next.message_id = Some(message_id.clone());
                next.email_error = None;
            }
            DeliveryResult::Transient(reason) => {
                let attempt = self.delivery_attempts + 1;
                let at = now + RetryPolicy::delay(attempt, jitter);
                if at <= self.last_sent_at + retry.window {
                    next.delivery_attempts = attempt;
                    next.retry_at = Some(at);
                    next.email_error = Some(reason.clone());
                } else {
                    next.email_status = EmailStatus::Failed;
                    next.email_error = Some(format!("{reason} (still failing after {attempt} attempts)"));
                }
            }
            DeliveryResult::Rejected(reason) => {
                next.email_status = EmailStatus::Failed;
                next.email_error = Some(reason.clone());
            }
            DeliveryResult::Suppressed(reason) => {
                next.email_status = EmailStatus::Bounced;
                next.email_status_reason = Some(reason.clone());
            }
        }
        Ok(next)
    }

    /// SES's word on the message `message_id`, recorded on the invite it was sent for.
    /// Refused (`NotFound`) when that is not the invite's current message: a resend
    /// moved on, and the old message's bounce must not mark the new one. A later word
    /// never undoes a worse one (a delivery after a bounce changes nothing).
    pub fn feedback_recorded(
        &self,
        message_id: &str,
        feedback: &EmailFeedback,
        now: DateTime<Utc>,
    ) -> Result<Invite, Refusal> {
        if self.message_id.as_deref() != Some(message_id) {
            return Err(Refusal::NotFound);
        }
        let from_sent = self.email_status == EmailStatus::Sent;
        let from_sent_or_delivered = from_sent || self.email_status == EmailStatus::Delivered;
        let (status, reason) = match feedback {
            EmailFeedback::Delivered if from_sent => (EmailStatus::Delivered, None),
            EmailFeedback::Bounced { reason, .. } if from_sent_or_delivered => {
                (EmailStatus::Bounced, Some(reason.clone()))
            }
            EmailFeedback::Complained { reason } if from_sent_or_delivered => {
                (EmailStatus::Complained, Some(reason.clone()))
            }
            EmailFeedback::Rejected { reason } if from_sent => (EmailStatus::Failed, Some(reason.clone())),
            _ => return Err(Refusal::NotPending(self.effective_status(now))),
        };
        let mut next = self.next_version(now);
        next.email_status = status;
        next.email_status_reason = reason;
        Ok(next)
    }
}

#[cfg(test)]
#[path = "transitions_tests.rs"]
mod tests;
