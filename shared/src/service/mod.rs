//! The use cases of all eight operations. They decide every transition; the store
//! only makes each decision stick atomically (see [`InviteStore`]).

mod cursor;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};

pub use cursor::CursorCodec;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::domain::{
    EffectiveStatus, EmailStatus, FieldError, IDEMPOTENCY_WINDOW_HOURS, Invite, InviteId, InviteStatus, InviteView,
    NewInvite, TenantId, UserId,
};
use crate::email::{EmailRenderer, MailError, Mailer, accept_url};
use crate::http::Operation;
use crate::requests::{AcceptRequest, ListParams, NewInvitee, RequestError, ResendRequest, SendRequest, UpdateRequest};
use crate::store::{
    IdempotencyBegin, IdempotencyKey, IdempotencyRecord, InviteStore, ListQuery, PageStart, StoreError,
};
use crate::telemetry::{self, Metric};
use crate::token::InviteToken;

/// How many invites of one send are written (and mailed) at once.
const SEND_CONCURRENCY: usize = 8;
/// How often a transition re-reads and redecides after losing a race.
const MAX_CONFLICT_RETRIES: usize = 16;
/// How long a claimed idempotency key blocks its twins while the first request runs;
/// past it (the first request died) the key can be claimed again.
pub const IDEMPOTENCY_LEASE_SECONDS: i64 = 300;

/// Why a use case refused. Mapped to problem+json in exactly one place, `http::problem`.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("no such invite")]
    NotFound,
    #[error("the invite is {}, not pending", .0.as_str())]
    NotPending(EffectiveStatus),
    #[error("the invite is {}, not accepted", .0.as_str())]
    NotAccepted(EffectiveStatus),
    #[error("the invite has already been accepted")]
    AlreadyAccepted,
    #[error("the invite has expired")]
    Expired,
    #[error("the invite has been canceled")]
    Canceled,
    #[error("a pending invite for this email already exists in this tenant")]
    DuplicatePending,
    #[error("the invite token is not valid")]
    TokenInvalid,
    #[error("too many resends of this invite; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("this Idempotency-Key was used with a different request body")]
    IdempotencyKeyReused,
    #[error("a request with this Idempotency-Key is still running")]
    IdempotencyKeyInProgress,
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for InviteError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::DuplicatePending => Self::DuplicatePending,
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            StoreError::Conflict(_) => Self::Unavailable("the invite kept changing; try again".into()),
            StoreError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<RequestError> for InviteError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Invalid(errors) => Self::Invalid(errors),
            RequestError::TooLarge(detail) => Self::PayloadTooLarge(detail),
        }
    }
}

/// `sendUserInvites`' answer, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendResponse {
    pub success: Vec<InviteView>,
    pub errors: Vec<SendError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendError {
    /// Position of the invitee in the request.
    pub index: usize,
    pub email: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckTokenResponse {
    pub is_valid: bool,
    pub is_expired: bool,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse {
    pub total_count: u64,
    pub data: Vec<InviteView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub accept_url: String,
    pub default_expiry_days: u32,
    pub resend_limit_per_hour: u32,
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

    /// sendUserInvites. With an idempotency key (and the request's fingerprint), a
    /// repeat within 24 hours replays the first response and creates nothing.
    pub async fn send(
        &self,
        caller: &Caller,
        request: SendRequest,
        idempotency: Option<(String, String)>,
    ) -> Result<SendResponse, InviteError> {
        if !caller.may_act_in(request.tenant_id) {
            return Err(InviteError::Forbidden("you may only invite into your own tenant"));
        }
        let foreign_creator = request
            .invitees
            .iter()
            .flatten()
            .any(|i| i.created_by.is_some_and(|by| by != caller.user_id));
        if foreign_creator && !caller.super_admin {
            return Err(InviteError::Forbidden("createdByUserId must be your own user id"));
        }
        let Some((key, fingerprint)) = idempotency else {
            return self.send_now(caller, request).await;
        };
        let key = IdempotencyKey {
            tenant_id: request.tenant_id,
            user_id: caller.user_id,
            key,
        };
        match self
            .store
            .begin_idempotent(&key, &fingerprint, self.clock.now())
            .await?
        {
            IdempotencyBegin::Claimed => {}
            IdempotencyBegin::Replay(response) => {
                return serde_json::from_value(response).map_err(|e| InviteError::Internal(e.to_string()));
            }
            IdempotencyBegin::InProgress => return Err(InviteError::IdempotencyKeyInProgress),
            IdempotencyBegin::Mismatch => return Err(InviteError::IdempotencyKeyReused),
        }
        match self.send_now(caller, request).await {
            Ok(response) => {
                // Only a token's hash is ever stored (invariant 1): the replayed response
                // leaves out the one-time `acceptUrl`; a resend issues a new link.
                let mut replay = response.clone();
                for view in &mut replay.success {
                    view.accept_url = None;
                }
                let record = IdempotencyRecord {
                    fingerprint,
                    response: Some(serde_json::to_value(&replay).map_err(|e| InviteError::Internal(e.to_string()))?),
                    expires_at: self.clock.now() + Duration::hours(IDEMPOTENCY_WINDOW_HOURS),
                };
                if let Err(e) = self.store.complete_idempotent(&key, &record).await {
                    // The invites exist; the key stays claimed until its lease runs out.
                    tracing::error!(error = %telemetry::redact_emails(&e.to_string()), "could not record an idempotent response");
                }
                Ok(response)
            }
            Err(e) => {
                if let Err(release) = self.store.release_idempotent(&key).await {
                    tracing::error!(error = %telemetry::redact_emails(&release.to_string()), "could not release an idempotency key");
                }
                Err(e)
            }
        }
    }

    async fn send_now(&self, caller: &Caller, request: SendRequest) -> Result<SendResponse, InviteError> {
        let now = self.clock.now();
        let expiry = Duration::days(i64::from(
            request.expires_in_days.unwrap_or(self.settings.default_expiry_days),
        ));
        let tenant_id = request.tenant_id;
        let send_email = request.send_email;
        // Duplicates within the request are settled here, in request order, so the first
        // one wins deterministically; the store settles them across requests.
        let mut seen = HashSet::new();
        let plans: Vec<Result<NewInvitee, SendError>> = request
            .invitees
            .into_iter()
            .enumerate()
            .map(|(index, invitee)| match invitee {
                Err(rejected) => Err(SendError {
                    index,
                    email: rejected.email,
                    code: "VALIDATION_FAILED".into(),
                    message: describe_field_errors(index, &rejected.errors),
                }),
                Ok(invitee) if !seen.insert(invitee.email.canonical().to_owned()) => Err(SendError {
                    index,
                    email: Some(invitee.email.as_given().to_owned()),
                    code: "DUPLICATE_PENDING_INVITE".into(),
                    message: "the same email appears earlier in this request".into(),
                }),
                Ok(invitee) => Ok(invitee),
            })
            .collect();
        let outcomes: Vec<Result<InviteView, SendError>> = futures::stream::iter(plans.into_iter().enumerate())
            .map(|(index, plan)| async move {
                let invitee = plan?;
                let email = invitee.email.as_given().to_owned();
                let created_by = invitee.created_by.unwrap_or(caller.user_id);
                self.create_one(tenant_id, created_by, invitee, expiry, send_email, now)
                    .await
                    .map_err(|e| SendError {
                        index,
                        email: Some(email),
                        code: crate::http::problem::code_of(&e).into(),
                        message: e.to_string(),
                    })
            })
            .buffered(SEND_CONCURRENCY)
            .collect()
            .await;
        // If storage failed every write, say so as a whole: nothing was created.
        if !outcomes.is_empty() && outcomes.iter().all(|o| matches!(o, Err(e) if e.code == "UNAVAILABLE")) {
            return Err(InviteError::Unavailable("no invite could be stored".into()));
        }
        let (success, errors) = outcomes
            .into_iter()
            .fold((vec![], vec![]), |(mut ok, mut err), outcome| {
                match outcome {
                    Ok(view) => ok.push(view),
                    Err(e) => err.push(e),
                }
                (ok, err)
            });
        self.count(Metric::InvitesSent, Operation::SendUserInvites.name(), success.len());
        Ok(SendResponse { success, errors })
    }

    async fn create_one(
        &self,
        tenant_id: TenantId,
        created_by: UserId,
        invitee: NewInvitee,
        expiry: Duration,
        send_email: bool,
        now: DateTime<Utc>,
    ) -> Result<InviteView, InviteError> {
        let id = InviteId::random();
        let token = InviteToken::generate(id);
        let email_status = if send_email {
            EmailStatus::Queued
        } else {
            EmailStatus::Skipped
        };
        let issue = NewInvite {
            id,
            tenant_id,
            email: &invitee.email,
            created_by,
            token_hash: token.hash(),
            email_status,
            expires_at: now + expiry,
        };
        let invite = Invite {
            first_name: invitee.first_name.map(|n| n.into_inner()),
            last_name: invitee.last_name.map(|n| n.into_inner()),
            locale: invitee.locale.as_str().to_owned(),
            roles: invitee.roles.into_strings(),
            data: invitee.data.into_inner(),
            ..Invite::issued(issue, now)
        };
        self.store.insert(&invite, now).await?;
        Ok(self.issued(invite, &token, send_email).await)
    }

    /// Emits `n` events of `metric` (see [`telemetry`]).
    fn count(&self, metric: Metric, operation: &str, n: usize) {
        telemetry::count(metric, operation, n as u64, self.clock.now());
    }

    /// After a token was issued (send or resend): queue the email, or hand the link back once.
    ///
    /// Only a token's hash is ever stored, so a queued email cannot carry the token
    /// issued here: the mailer mints the token it mails when it claims the delivery
    /// (see [`InviteService::deliver`]), and this one, unknown to anybody, never works.
    async fn issued(&self, invite: Invite, token: &InviteToken, send_email: bool) -> InviteView {
        let mut view = invite.view(self.clock.now());
        if send_email {
            self.queue.enqueue(invite.id);
        } else {
            view.accept_url = Some(accept_url(&self.settings.accept_url, token));
        }
        view
    }

    /// Delivers an invite's queued email: the one mailer core, run by the stream-driven
    /// mailer function and by `invites-local`'s worker.
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
            .transition(id, |current, now| {
                let queued = current.status == InviteStatus::Pending && current.email_status == EmailStatus::Queued;
                let claim_is_live = current.sending_since.is_some_and(|since| now - since < lease);
                if !queued || claim_is_live || current.effective_status(now) != EffectiveStatus::Pending {
                    return Err(InviteError::NotPending(current.effective_status(now)));
                }
                let mut next = current.next_version(now);
                next.token_hash = token.hash();
                next.sending_since = Some(now);
                Ok(next)
            })
            .await;
        let claimed = match claimed {
            Ok(invite) => invite,
            Err(InviteError::NotFound | InviteError::NotPending(_)) => return Ok(DeliveryOutcome::NothingToDo),
            Err(e) => return Err(e),
        };
        let email = self
            .renderer
            .get_or_init(EmailRenderer::new)
            .render(&claimed, &accept_url(&self.settings.accept_url, &token));
        let result = self.mailer.send(&email).await;
        if let Err(e) = &result {
            // A transport's error text may quote the address: it is redacted from the log.
            let error = telemetry::redact_emails(&e.to_string());
            tracing::warn!(invite_id = %id, error = %error, "invitation email failed");
        }
        let recorded = self
            .transition_from(claimed.clone(), |current, now| {
                // Only over our own claim: a resend or cancel since then wins.
                if current.token_hash != claimed.token_hash || current.sending_since != claimed.sending_since {
                    return Err(InviteError::NotPending(current.effective_status(now)));
                }
                let mut next = current.next_version(now);
                next.sending_since = None;
                match &result {
                    Ok(delivery) => {
                        next.email_status = EmailStatus::Sent;
                        next.message_id = Some(delivery.message_id.clone());
                        next.email_error = None;
                    }
                    Err(MailError::Transient(reason)) if current.delivery_attempts + 1 < MAX_DELIVERY_ATTEMPTS => {
                        next.delivery_attempts += 1;
                        next.email_error = Some(reason.clone());
                    }
                    Err(e) => {
                        next.email_status = EmailStatus::Failed;
                        next.email_error = Some(e.to_string());
                    }
                }
                Ok(next)
            })
            .await;
        match recorded {
            Ok(invite) if invite.email_status == EmailStatus::Sent => Ok(DeliveryOutcome::Sent),
            Ok(invite) if invite.email_status == EmailStatus::Failed => {
                self.count(Metric::EmailsFailed, DELIVERY, 1);
                Ok(DeliveryOutcome::Failed)
            }
            Ok(_) => {
                self.queue.enqueue(id);
                Ok(DeliveryOutcome::Requeued)
            }
            Err(InviteError::NotFound | InviteError::NotPending(_)) => Ok(DeliveryOutcome::NothingToDo),
            Err(e) => Err(e),
        }
    }

    /// Reads an invite, lets `decide` compute its next state from what was read, and
    /// stores it only over that very version; on losing a race, reads and decides again.
    async fn transition(
        &self,
        id: InviteId,
        decide: impl Fn(&Invite, DateTime<Utc>) -> Result<Invite, InviteError>,
    ) -> Result<Invite, InviteError> {
        let current = self.store.get(id).await?.ok_or(InviteError::NotFound)?;
        self.transition_from(current, decide).await
    }

    /// [`Self::transition`] over a copy already in hand, saving the first read.
    async fn transition_from(
        &self,
        mut current: Invite,
        decide: impl Fn(&Invite, DateTime<Utc>) -> Result<Invite, InviteError>,
    ) -> Result<Invite, InviteError> {
        let id = current.id;
        for _ in 0..MAX_CONFLICT_RETRIES {
            let now = self.clock.now();
            let next = decide(&current, now)?;
            match self.store.replace(&current, &next, now).await {
                Ok(()) => return Ok(next),
                // The failed write returned the current copy: no extra read.
                Err(StoreError::Conflict(Some(latest))) => current = *latest,
                Err(StoreError::Conflict(None)) => {
                    current = self.store.get(id).await?.ok_or(InviteError::NotFound)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict(None).into())
    }

    /// resendUserInvite: a new token and a new expiry; the old token stops working at once.
    pub async fn resend(
        &self,
        caller: &Caller,
        id: InviteId,
        request: ResendRequest,
    ) -> Result<InviteView, InviteError> {
        let token = InviteToken::generate(id);
        let expiry = Duration::days(i64::from(
            request.expires_in_days.unwrap_or(self.settings.default_expiry_days),
        ));
        let limit = self.settings.resend_limit_per_hour as usize;
        // Whether the decision that was stored revived an expired invite.
        let was_expired = AtomicBool::new(false);
        let invite = self
            .transition(id, |current, now| {
                let status = still_open(caller, current, now)?;
                was_expired.store(status == EffectiveStatus::Expired, Ordering::Relaxed);
                let window_start = now - Duration::hours(1);
                let mut recent: Vec<DateTime<Utc>> = current
                    .recent_resends
                    .iter()
                    .copied()
                    .filter(|t| *t > window_start)
                    .collect();
                if recent.len() >= limit {
                    let oldest = recent.iter().min().copied().unwrap_or(now);
                    let wait_ms = (oldest + Duration::hours(1) - now).num_milliseconds().max(1);
                    return Err(InviteError::RateLimited {
                        retry_after_secs: (wait_ms as u64).div_ceil(1000),
                    });
                }
                recent.push(now);
                let mut next = current.next_version(now);
                if status == EffectiveStatus::Expired {
                    next.status_updated_at = now;
                }
                next.token_hash = token.hash();
                next.expires_at = now + expiry;
                next.last_sent_at = now;
                next.send_count += 1;
                next.recent_resends = recent;
                next.email_status = if request.send_email {
                    EmailStatus::Queued
                } else {
                    EmailStatus::Skipped
                };
                next.email_error = None;
                next.message_id = None;
                // A new issue starts a new delivery: any claim on the old one is void.
                next.sending_since = None;
                next.delivery_attempts = 0;
                Ok(next)
            })
            .await?;
        self.count(Metric::InvitesResent, Operation::ResendUserInvite.name(), 1);
        if was_expired.load(Ordering::Relaxed) {
            self.count(Metric::InvitesExpired, Operation::ResendUserInvite.name(), 1);
        }
        Ok(self.issued(invite, &token, request.send_email).await)
    }

    /// cancelUserInvite: a pending (or expired) invite becomes canceled and frees its email.
    pub async fn cancel(&self, caller: &Caller, id: InviteId) -> Result<InviteView, InviteError> {
        let was_expired = AtomicBool::new(false);
        let invite = self
            .transition(id, |current, now| {
                let status = still_open(caller, current, now)?;
                was_expired.store(status == EffectiveStatus::Expired, Ordering::Relaxed);
                let mut next = current.next_version(now);
                next.status = InviteStatus::Canceled;
                next.status_updated_at = now;
                Ok(next)
            })
            .await?;
        self.count(Metric::InvitesCanceled, Operation::CancelUserInvite.name(), 1);
        if was_expired.load(Ordering::Relaxed) {
            self.count(Metric::InvitesExpired, Operation::CancelUserInvite.name(), 1);
        }
        Ok(invite.view(self.clock.now()))
    }

    /// acceptUserInvite: the token grants access, whatever the caller's tenant.
    pub async fn accept(&self, caller: &Caller, request: AcceptRequest) -> Result<InviteView, InviteError> {
        let accepted_by = match (caller.super_admin, request.accepted_by) {
            (true, named) => named.unwrap_or_else(UserId::random),
            (false, Some(named)) if named != caller.user_id => {
                return Err(InviteError::Forbidden("acceptedByUserId must be your own user id"));
            }
            (false, _) => caller.user_id,
        };
        let token = InviteToken::from_submitted(&request.token).ok_or(InviteError::TokenInvalid)?;
        let invite = self
            .transition(token.invite_id(), |current, now| {
                if !current.token_hash.matches(&token) {
                    return Err(InviteError::TokenInvalid);
                }
                match current.effective_status(now) {
                    EffectiveStatus::Accepted => return Err(InviteError::AlreadyAccepted),
                    EffectiveStatus::Canceled => return Err(InviteError::Canceled),
                    EffectiveStatus::Expired => return Err(InviteError::Expired),
                    EffectiveStatus::Pending => {}
                }
                let mut next = current.next_version(now);
                next.status = InviteStatus::Accepted;
                next.accepted_by_user_id = Some(accepted_by);
                next.status_updated_at = now;
                Ok(next)
            })
            .await
            .map_err(|e| match e {
                InviteError::NotFound => InviteError::TokenInvalid,
                InviteError::Expired => {
                    self.count(Metric::InvitesExpired, Operation::AcceptUserInvite.name(), 1);
                    InviteError::Expired
                }
                other => other,
            })?;
        self.count(Metric::InvitesAccepted, Operation::AcceptUserInvite.name(), 1);
        Ok(invite.view(self.clock.now()))
    }

    /// checkUserInviteToken: what the token's holder may know; consumes nothing.
    pub async fn check_token(&self, raw: &str) -> Result<CheckTokenResponse, InviteError> {
        let unknown = CheckTokenResponse {
            is_valid: false,
            is_expired: false,
            email: None,
        };
        let Some(token) = InviteToken::from_submitted(raw) else {
            return Ok(unknown);
        };
        let Some(invite) = self.store.get(token.invite_id()).await? else {
            return Ok(unknown);
        };
        if !invite.token_hash.matches(&token) {
            return Ok(unknown);
        }
        let status = invite.effective_status(self.clock.now());
        Ok(CheckTokenResponse {
            is_valid: status == EffectiveStatus::Pending,
            is_expired: status == EffectiveStatus::Expired,
            email: Some(invite.email),
        })
    }

    /// updateUserInvite: the profile while pending; who accepted, by a super admin, once accepted.
    pub async fn update(
        &self,
        caller: &Caller,
        id: InviteId,
        request: UpdateRequest,
    ) -> Result<InviteView, InviteError> {
        let invite = self
            .transition(id, |current, now| {
                if !caller.can_see(current) {
                    return Err(InviteError::NotFound);
                }
                let status = current.effective_status(now);
                if request.changes_profile() && status != EffectiveStatus::Pending {
                    return Err(InviteError::NotPending(status));
                }
                let mut next = current.next_version(now);
                match request.accepted_by {
                    Some(Some(user)) => {
                        if !caller.super_admin {
                            return Err(InviteError::Forbidden("only a super admin may set acceptedByUserId"));
                        }
                        if status != EffectiveStatus::Accepted {
                            return Err(InviteError::NotAccepted(status));
                        }
                        next.accepted_by_user_id = Some(user);
                    }
                    // Who accepted an invite is history: it cannot be cleared.
                    Some(None) if current.accepted_by_user_id.is_some() => return Err(InviteError::AlreadyAccepted),
                    _ => {}
                }
                if let Some(first) = &request.first_name {
                    next.first_name = first.clone().map(|n| n.into_inner());
                }
                if let Some(last) = &request.last_name {
                    next.last_name = last.clone().map(|n| n.into_inner());
                }
                if let Some(locale) = &request.locale {
                    next.locale = locale.as_str().to_owned();
                }
                if let Some(data) = &request.data {
                    next.data = data.clone().into_inner();
                }
                if let Some(roles) = &request.roles {
                    next.roles = roles.clone().into_strings();
                }
                Ok(next)
            })
            .await
            .inspect_err(|e| {
                if matches!(
                    e,
                    InviteError::NotPending(EffectiveStatus::Expired)
                        | InviteError::NotAccepted(EffectiveStatus::Expired)
                ) {
                    self.count(Metric::InvitesExpired, Operation::UpdateUserInvite.name(), 1);
                }
            })?;
        Ok(invite.view(self.clock.now()))
    }

    /// userInvite.
    pub async fn get(&self, caller: &Caller, id: InviteId) -> Result<InviteView, InviteError> {
        match self.store.get(id).await? {
            Some(invite) if caller.can_see(&invite) => Ok(invite.view(self.clock.now())),
            _ => Err(InviteError::NotFound),
        }
    }

    /// userInvites: one tenant's invites, filtered, sorted and paged.
    pub async fn list(&self, caller: &Caller, params: ListParams) -> Result<ListResponse, InviteError> {
        let tenant_id = match (params.tenant_id, caller.tenant_id) {
            (Some(tenant), _) if caller.may_act_in(tenant) => tenant,
            (Some(_), _) => return Err(InviteError::Forbidden("only a super admin may list another tenant")),
            (None, Some(own)) => own,
            (None, None) if caller.super_admin => {
                return Err(InviteError::Invalid(vec![FieldError::new(
                    "tenantId",
                    "is required with a super admin token that names no tenant",
                )]));
            }
            (None, None) => return Err(InviteError::Forbidden("the token names no tenant")),
        };
        let mut query = ListQuery {
            tenant_id,
            statuses: params.statuses,
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
        let next_cursor = page
            .items
            .last()
            .filter(|_| page.has_more)
            .map(|last| self.cursors.encode(&query, query.sort_key(last, now)));
        Ok(ListResponse {
            total_count: page.total_count,
            data: page.items.iter().map(|i| i.view(now)).collect(),
            next_cursor,
        })
    }
}

/// What resend and cancel both require: an invite the caller can see that is still
/// open (pending, or expired and so revivable or cancelable). Returns its status.
fn still_open(caller: &Caller, invite: &Invite, now: DateTime<Utc>) -> Result<EffectiveStatus, InviteError> {
    if !caller.can_see(invite) {
        return Err(InviteError::NotFound);
    }
    match invite.effective_status(now) {
        status @ (EffectiveStatus::Accepted | EffectiveStatus::Canceled) => Err(InviteError::NotPending(status)),
        status => Ok(status),
    }
}

/// One line for an invitee's field errors, with paths relative to the invitee.
fn describe_field_errors(index: usize, errors: &[FieldError]) -> String {
    let prefix = format!("userInvites.userInvites[{index}].");
    errors
        .iter()
        .map(|e| format!("{} {}", e.field.strip_prefix(&prefix).unwrap_or(&e.field), e.message))
        .collect::<Vec<_>>()
        .join("; ")
}
