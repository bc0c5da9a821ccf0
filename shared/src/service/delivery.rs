//! The one mailer core, run by the stream-driven mailer function and by
//! `invites-local`'s worker.

use chrono::Duration;

use super::{InviteError, InviteService};
use crate::domain::{DeliveryResult, EmailStatus, InviteId, InviteToken, Refusal};
use crate::email::{EmailRenderer, accept_url};
use crate::telemetry::{self, Metric};

/// What one delivery attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Nothing was queued (already sent, failed, skipped, canceled or accepted, or
    /// another mailer holds a live claim): nothing was sent.
    NothingToDo,
    Sent,
    /// Rejected, or failed for a passing reason too often: `emailStatus: failed`.
    Failed,
    /// Failed for a passing reason: queued again for another attempt.
    Requeued,
}

/// The metrics dimension of deliveries, which no API operation makes.
pub const DELIVERY: &str = "deliverInvite";

/// How long a mailer's claim on a delivery holds before another may take it over.
pub const DELIVERY_LEASE_SECONDS: i64 = 300;
/// Passing failures of one delivery before it is recorded as failed.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 3;

impl InviteService {
    /// Delivers an invite's queued email.
    ///
    /// 1. **Claim**: over the version read, mint a new token, store its hash and the
    ///    claim time. Of any number of mailers given the same invite (a redelivered
    ///    stream record, a worker restart), one claim wins; the others send nothing.
    /// 2. **Send** the email carrying that token, which already works.
    /// 3. **Record** `sent` (with the transport's message id) or, over the same claim,
    ///    `failed` (rejected, or too many passing failures) or queued again.
    ///
    /// So no token is ever mailed twice, and a failure never loses the invite: it stays
    /// pending, says `failed`, and a resend delivers it later (invariant 7).
    pub async fn deliver(&self, id: InviteId) -> Result<DeliveryOutcome, InviteError> {
        let token = InviteToken::generate(id);
        let lease = Duration::seconds(DELIVERY_LEASE_SECONDS);
        let claimed = self
            .transition(id, |current, now| current.delivery_claimed(token.hash(), lease, now))
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
        let result = match self.mailer.send(&email).await {
            Ok(delivery) => DeliveryResult::Sent {
                message_id: delivery.message_id,
            },
            Err(e) => {
                // A transport's error text may quote the address: it is redacted from the log.
                tracing::warn!(invite_id = %id, error = %telemetry::describe(&e), "invitation email failed");
                e.into()
            }
        };
        let recorded = self
            .transition_from(claim.clone(), |current, now| {
                current.delivery_recorded(&claim, &result, MAX_DELIVERY_ATTEMPTS, now)
            })
            .await;
        match recorded.map(|t| t.after) {
            Ok(invite) if invite.email_status == EmailStatus::Sent => Ok(DeliveryOutcome::Sent),
            Ok(invite) if invite.email_status == EmailStatus::Failed => {
                self.count(Metric::EmailsFailed, DELIVERY, 1);
                Ok(DeliveryOutcome::Failed)
            }
            Ok(_) => {
                self.queue.enqueue(id);
                Ok(DeliveryOutcome::Requeued)
            }
            Err(InviteError::Refused(Refusal::NotFound | Refusal::NotPending(_))) => Ok(DeliveryOutcome::NothingToDo),
            Err(e) => Err(e),
        }
    }
}
