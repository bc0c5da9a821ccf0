//! The use cases of all eight operations, and the delivery of their emails. They decide
//! every transition (each one a pure function of the invite, in `domain`); the store
//! only makes each decision stick atomically (see [`InviteStore`]).
//!
//! - `send`: sendUserInvites, with idempotency keys;
//! - `lifecycle`: resend, cancel, accept and update of one invite;
//! - `reads`: get, list and check-token;
//! - `delivery`: the one mailer core (claim, send, record).

mod cursor;
mod delivery;
mod errors;
mod lifecycle;
mod quotas;
mod reads;
mod send;

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use cursor::CursorCodec;
pub use delivery::{DELIVERY, DELIVERY_LEASE_SECONDS, DeliveryOutcome, FeedbackOutcome};
pub use errors::InviteError;
pub use reads::{CheckTokenResponse, ListResponse};
pub use send::{SendError, SendResponse};

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::{Invite, InviteId, InviteToken, InviteView, Refusal, RolePolicy};
use crate::email::{EmailRenderer, Mailer, accept_url};
use crate::store::{InviteStore, StoreError};
use crate::telemetry::{self, Metric};

/// How often a transition re-reads and redecides after losing a race.
const MAX_CONFLICT_RETRIES: usize = 16;
/// How long a claimed idempotency key blocks its twins while the first request runs;
/// past it (the first request died) the key can be claimed again.
pub const IDEMPOTENCY_LEASE_SECONDS: i64 = 300;

#[derive(Debug, Clone)]
pub struct Settings {
    pub accept_url: String,
    pub default_expiry_days: u32,
    pub resend_limit_per_hour: u32,
    pub role_policy: RolePolicy,
    pub recipient_emails_per_day: u32,
    pub tenant_emails_per_hour: u32,
    /// Product, sender, role labels and templates of the invitation email.
    pub email: crate::email::EmailSettings,
    /// How an email that failed for a passing reason is retried.
    pub email_retry: crate::domain::RetryPolicy,
}

/// How a queued email reaches a mailer. On AWS the table's stream carries every write
/// to the mailer function, so there is nothing to do; `invites-local` hands the id to
/// its in-process worker.
pub trait DeliveryQueue: Send + Sync {
    fn enqueue(&self, invite: InviteId);
}

/// The DynamoDB stream delivers: every write that queues an email is already on it.
pub struct StreamDelivery;

impl DeliveryQueue for StreamDelivery {
    fn enqueue(&self, _invite: InviteId) {}
}

pub struct InviteService {
    store: Arc<dyn InviteStore>,
    mailer: Arc<dyn Mailer>,
    queue: Arc<dyn DeliveryQueue>,
    clock: Arc<dyn Clock>,
    /// Built on first use, by the mailer only: a Lambda function that only queues email
    /// then neither pays for the templates at init nor links the template engine.
    renderer: std::sync::OnceLock<EmailRenderer>,
    cursors: CursorCodec,
    settings: Settings,
}

/// A stored transition: the copy it was decided over, the copy stored, and when.
struct Transition {
    before: Invite,
    after: Invite,
    at: DateTime<Utc>,
}

impl InviteService {
    pub fn new(
        store: Arc<dyn InviteStore>,
        mailer: Arc<dyn Mailer>,
        queue: Arc<dyn DeliveryQueue>,
        clock: Arc<dyn Clock>,
        settings: Settings,
        cursor_secret: &[u8],
    ) -> Self {
        Self {
            store,
            mailer,
            queue,
            clock,
            renderer: std::sync::OnceLock::new(),
            cursors: CursorCodec::new(cursor_secret),
            settings,
        }
    }

    /// The clock the use cases read.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The use cases as `config` sets them (accept link, expiry, resend limit, cursor
    /// key), over the given parts: what every Lambda function and `invites-local` build.
    pub fn from_config(
        config: &Config,
        store: Arc<dyn InviteStore>,
        mailer: Arc<dyn Mailer>,
        queue: Arc<dyn DeliveryQueue>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let settings = Settings {
            accept_url: config.accept_url.clone(),
            default_expiry_days: config.default_expiry_days,
            resend_limit_per_hour: config.resend_limit_per_hour,
            role_policy: config.role_policy,
            recipient_emails_per_day: config.recipient_emails_per_day,
            tenant_emails_per_hour: config.tenant_emails_per_hour,
            email: config.email.clone(),
            email_retry: crate::domain::RetryPolicy {
                window: chrono::Duration::hours(i64::from(config.email_retry_hours)),
            },
        };
        match &config.cursor_secret {
            Some(secret) => Self::new(store, mailer, queue, clock, settings, secret),
            None => {
                // No key to share: cursors signed with this process's own key hold
                // within this process only (the list function requires a shared one).
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).expect("the operating system's CSPRNG is unavailable");
                Self::new(store, mailer, queue, clock, settings, &key)
            }
        }
    }

    /// Reads an invite, lets `decide` compute its next state from what was read, and
    /// stores it only over that very version; on losing a race, reads and decides again.
    async fn transition(
        &self,
        id: InviteId,
        decide: impl Fn(&Invite, DateTime<Utc>) -> Result<Invite, Refusal>,
    ) -> Result<Transition, InviteError> {
        let current = self.store.get(id).await?.ok_or(Refusal::NotFound)?;
        self.transition_from(current, decide).await
    }

    /// [`Self::transition`] over a copy already in hand, saving the first read.
    async fn transition_from(
        &self,
        mut current: Invite,
        decide: impl Fn(&Invite, DateTime<Utc>) -> Result<Invite, Refusal>,
    ) -> Result<Transition, InviteError> {
        let id = current.id;
        for _ in 0..MAX_CONFLICT_RETRIES {
            let now = self.clock.now();
            let next = decide(&current, now)?;
            match self.store.replace(&current, &next, now).await {
                Ok(()) => {
                    return Ok(Transition {
                        before: current,
                        after: next,
                        at: now,
                    });
                }
                // The failed write returned the current copy: no extra read.
                Err(StoreError::Conflict(Some(latest))) => current = *latest,
                Err(StoreError::Conflict(None)) => {
                    current = self.store.get(id).await?.ok_or(Refusal::NotFound)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict(None).into())
    }

    /// Emits `n` events of `metric` during `operation` (see [`telemetry`]).
    fn count(&self, metric: Metric, operation: &str, n: usize) {
        telemetry::count(metric, operation, n as u64, self.clock.now());
    }

    /// After a token was issued (send or resend): queue the email, or hand the link back once.
    ///
    /// Only a token's hash is ever stored, so a queued email cannot carry the token
    /// issued here: the mailer mints the token it mails when it claims the delivery
    /// (see [`InviteService::deliver`]), and this one, unknown to anybody, never works.
    fn issued(&self, invite: &Invite, token: &InviteToken, send_email: bool) -> InviteView {
        let mut view = invite.view(self.clock.now());
        if send_email {
            self.queue.enqueue(invite.id);
        } else {
            view.accept_url = Some(accept_url(&self.settings.accept_url, token));
        }
        view
    }
}
