//! The one mailer core, run by the stream-driven mailer function and by
//! `invites-local`'s worker.

use chrono::{DateTime, Duration, Utc};

use super::{InviteError, InviteService};
use crate::domain::{DeliveryResult, EmailFeedback, EmailStatus, InviteId, InviteToken, Refusal};
use crate::email::{EmailRenderer, accept_url};
use crate::telemetry::{self, Metric};

/// What one delivery attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Nothing was queued (already sent, failed, skipped, canceled or accepted, or
    /// another mailer holds a live claim): nothing was sent.
    NothingToDo,
    Sent,
    /// Rejected, or still failing for a passing reason at the end of the retry
    /// window: `emailStatus: failed`.
    Failed,
    /// Failed for a passing reason: still queued, to be tried again at `at` (whoever
    /// drives the mailer must bring it back then: the stream will not).
    Requeued {
        at: DateTime<Utc>,
    },
    /// Not due yet: an earlier passing failure deferred it to `at`. Nothing was sent.
    Deferred {
        at: DateTime<Utc>,
    },
    /// Not sent: the address bounced permanently before in this tenant (`bounced`).
    Suppressed,
}

/// Why an email to a suppressed address is not sent (its `emailStatusReason`).
const SUPPRESSED: &str = "not sent: an earlier email to this address bounced permanently";

/// What SES's word on a message came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackOutcome {
    /// Recorded on the invite.
    Recorded,
    /// No such invite (deleted, or never this service's).
    UnknownInvite,
    /// The invite's current message is another one (a resend moved on).
    Superseded,
    /// Nothing to record: the invite already says as much or worse.
    Unchanged,
}

impl DeliveryOutcome {
    /// When the invite must be brought back to a mailer, if it must.
    pub fn retry_at(self) -> Option<DateTime<Utc>> {
        match self {
            Self::Requeued { at } | Self::Deferred { at } => Some(at),
            Self::NothingToDo | Self::Sent | Self::Failed | Self::Suppressed => None,
        }
    }
}

/// The metrics dimension of deliveries, which no API operation makes.
pub const DELIVERY: &str = "deliverInvite";

/// How long a mailer's claim on a delivery holds before another may take it over.
pub const DELIVERY_LEASE_SECONDS: i64 = 300;

impl InviteService {
    /// Delivers an invite's queued email.
    ///
    /// 1. **Claim**: over the version read, mint a new token, store its hash and the
    ///    claim time. Of any number of mailers given the same invite (a redelivered
    ///    stream record, a worker restart), one claim wins; the others send nothing.
    /// 2. **Send** the email carrying that token, which already works.
    /// 3. **Record** `sent` (with the transport's message id) or, over the same claim,
    ///    `failed` (rejected, or still failing at the end of the retry window) or
    ///    queued for a retry after a backoff ([`crate::domain::RetryPolicy`]).
    ///
    /// An invite whose retry is not due yet is left alone ([`DeliveryOutcome::Deferred`]).
    ///
    /// So no token is ever mailed twice, and a failure never loses the invite: it stays
    /// pending, says `failed`, and a resend delivers it later (invariant 7).
    pub async fn deliver(&self, id: InviteId) -> Result<DeliveryOutcome, InviteError> {
        let token = InviteToken::generate(id);
        let lease = Duration::seconds(DELIVERY_LEASE_SECONDS);
        let Some(current) = self.store.get(id).await? else {
            return Ok(DeliveryOutcome::NothingToDo);
        };
        if let Some(at) = current.retry_at.filter(|at| *at > self.clock.now())
            && current.email_status == EmailStatus::Queued
        {
            return Ok(DeliveryOutcome::Deferred { at });
        }
        let claimed = self
            .transition_from(current, |current, now| {
                current.delivery_claimed(token.hash(), lease, now)
            })
            .await;
        let claim = match claimed {
            Ok(claimed) => claimed.after,
            Err(InviteError::Refused(Refusal::NotFound | Refusal::NotPending(_))) => {
                return Ok(DeliveryOutcome::NothingToDo);
            }
            Err(e) => return Err(e),
        };
        let email = self
            .renderer
            .get_or_init(|| {
                EmailRenderer::new(&self.settings.email)
                    .expect("the email settings were checked when the configuration was read")
            })
            .render(&claim, &accept_url(&self.settings.accept_url, &token));
        let suppressed = self.store.suppressed(claim.tenant_id, &claim.email_canonical).await?;
        let result = match suppressed {
            true => Err(SUPPRESSED),
            false => Ok(self.mailer.send(&email).await),
        };
        let result = match result {
            Err(reason) => DeliveryResult::Suppressed(reason.to_owned()),
            Ok(sent) => match sent {
                Ok(delivery) => DeliveryResult::Sent {
                    message_id: delivery.message_id,
                },
                Err(e) => {
                    // A transport's error text may quote the address: it is redacted from the log.
                    tracing::warn!(invite_id = %id, error = %telemetry::describe(&e), "invitation email failed");
                    e.into()
                }
            },
        };
        let mut jitter = [0u8; 2];
        getrandom::fill(&mut jitter).expect("the operating system's CSPRNG is unavailable");
        let jitter = f64::from(u16::from_le_bytes(jitter)) / 65536.0;
        let retry = self.settings.email_retry;
        let recorded = self
            .transition_from(claim.clone(), |current, now| {
                current.delivery_recorded(&claim, &result, retry, jitter, now)
            })
            .await;
        match recorded.map(|t| t.after) {
            Ok(invite) if invite.email_status == EmailStatus::Sent => Ok(DeliveryOutcome::Sent),
            Ok(invite) if invite.email_status == EmailStatus::Bounced => Ok(DeliveryOutcome::Suppressed),
            Ok(invite) if invite.email_status == EmailStatus::Failed => {
                self.count(Metric::EmailsFailed, DELIVERY, 1);
                Ok(DeliveryOutcome::Failed)
            }
            Ok(invite) => match invite.retry_at {
                Some(at) => Ok(DeliveryOutcome::Requeued { at }),
                // Not recorded by this write (never: a passing failure sets retry_at).
                None => Ok(DeliveryOutcome::NothingToDo),
            },
            Err(InviteError::Refused(Refusal::NotFound | Refusal::NotPending(_))) => Ok(DeliveryOutcome::NothingToDo),
            Err(e) => Err(e),
        }
    }

    /// Records SES's word on the message `message_id` of invite `id`. A permanent bounce
    /// also suppresses the address in the invite's tenant: no invitation email goes to
    /// it again there (a new invite to a corrected address is how an admin goes on).
    pub async fn record_feedback(
        &self,
        id: InviteId,
        message_id: &str,
        feedback: &EmailFeedback,
    ) -> Result<FeedbackOutcome, InviteError> {
        let Some(current) = self.store.get(id).await? else {
            return Ok(FeedbackOutcome::UnknownInvite);
        };
        let (tenant, email) = (current.tenant_id, current.email_canonical.clone());
        if let EmailFeedback::Bounced { permanent: true, .. } = feedback
            && current.message_id.as_deref() == Some(message_id)
        {
            // First, so that a retry after a failure here still suppresses.
            self.store.suppress(tenant, &email).await?;
        }
        match self
            .transition_from(current, |current, now| {
                current.feedback_recorded(message_id, feedback, now)
            })
            .await
        {
            Ok(_) => Ok(FeedbackOutcome::Recorded),
            Err(InviteError::Refused(Refusal::NotFound)) => Ok(FeedbackOutcome::Superseded),
            Err(InviteError::Refused(_)) => Ok(FeedbackOutcome::Unchanged),
            Err(e) => Err(e),
        }
    }
}
