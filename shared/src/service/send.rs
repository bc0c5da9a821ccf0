//! sendUserInvites: many invitees in one request, each created (or refused) on its own,
//! and an optional idempotency key that makes a repeat replay the first answer.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};

use super::{IDEMPOTENCY_LEASE_SECONDS, InviteError, InviteService};
use crate::domain::{
    Caller, EmailStatus, ErrorCode, FieldError, IDEMPOTENCY_WINDOW_HOURS, Invite, InviteId, InviteToken, InviteView,
    MAX_EMAIL_LEN, MAX_ERROR_TEXT_CHARS, MAX_INVITEE_ERRORS_DESCRIBED, MAX_REPLAY_BYTES, NewInvite, PersonName,
    Refusal, TenantId, UserId, clip,
};
use crate::operation::Operation;
use crate::requests::{NewInvitee, SendRequest};
use crate::store::{IdempotencyBegin, IdempotencyKey, IdempotencyRecord};
use crate::telemetry::{self, Metric};

/// How many invites of one send are written at once.
const SEND_CONCURRENCY: usize = 8;

/// `sendUserInvites`' answer, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendResponse {
    pub success: Vec<InviteView>,
    pub errors: Vec<SendError>,
}

/// One invitee that was not invited, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendError {
    /// Position of the invitee in the request.
    pub index: usize,
    pub email: Option<String>,
    pub code: ErrorCode,
    pub message: String,
}

impl InviteService {
    /// sendUserInvites. With an idempotency key (and the request's fingerprint), a
    /// repeat within 24 hours replays the first response and creates nothing.
    pub async fn send(
        &self,
        caller: &Caller,
        request: SendRequest,
        idempotency: Option<(String, String)>,
    ) -> Result<SendResponse, InviteError> {
        if !caller.may_act_in(request.tenant_id) {
            return Err(Refusal::Forbidden("you may only invite into your own tenant").into());
        }
        let foreign_creator = request
            .invitees
            .iter()
            .flatten()
            .any(|i| i.created_by.is_some_and(|by| by != caller.user_id));
        if foreign_creator && !caller.super_admin {
            return Err(Refusal::Forbidden("createdByUserId must be your own user id").into());
        }
        let Some((key, fingerprint)) = idempotency else {
            return self.send_now(caller, request).await;
        };
        let key = IdempotencyKey {
            tenant_id: request.tenant_id,
            user_id: caller.user_id,
            key,
        };
        let now = self.clock.now();
        let claim = IdempotencyRecord {
            fingerprint,
            response: None,
            expires_at: now + Duration::seconds(IDEMPOTENCY_LEASE_SECONDS),
        };
        match self.store.begin_idempotent(&key, &claim, now).await? {
            IdempotencyBegin::Claimed => {}
            IdempotencyBegin::Replay(response) => {
                return serde_json::from_value(response).map_err(InviteError::internal);
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
                let replay = serde_json::to_vec(&replay).map_err(InviteError::internal)?;
                let kept = if replay.len() <= MAX_REPLAY_BYTES {
                    Some(serde_json::from_slice(&replay).map_err(InviteError::internal)?)
                } else {
                    // Cannot happen within the body limit (see MAX_REPLAY_BYTES); should it,
                    // the key stays claimed for its whole window rather than run twice.
                    tracing::error!(bytes = replay.len(), "a send answer too large to keep for replay");
                    None
                };
                let record = IdempotencyRecord {
                    response: kept,
                    expires_at: self.clock.now() + Duration::hours(IDEMPOTENCY_WINDOW_HOURS),
                    ..claim
                };
                if let Err(e) = self.store.complete_idempotent(&key, &record).await {
                    // The invites exist; the key stays claimed until its lease runs out.
                    tracing::error!(error = %telemetry::describe(&e), "could not record an idempotent response");
                }
                Ok(response)
            }
            Err(e) => {
                if let Err(release) = self.store.release_idempotent(&key).await {
                    tracing::error!(error = %telemetry::describe(&release), "could not release an idempotency key");
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
        let tenant_name = request.tenant_name.map(PersonName::into_inner);
        let tenant_name = tenant_name.as_deref();
        let send_email = request.send_email;
        // The name shown to an invitee whose creator is the sender: the sender's own,
        // when it is a name the API would take (no links, no control or invisible
        // characters); else none. Read once per request, not per invitee.
        let sender_name = caller
            .name
            .as_deref()
            .and_then(|n| PersonName::parse(n).ok().flatten())
            .map(PersonName::into_inner);
        let sender_name = sender_name.as_deref();
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
                    email: rejected.email.map(|e| clip(&e, MAX_EMAIL_LEN)),
                    code: ErrorCode::ValidationFailed,
                    message: describe_field_errors(index, &rejected.errors),
                }),
                Ok(invitee) if !seen.insert(invitee.email.canonical().to_owned()) => Err(SendError {
                    index,
                    email: Some(invitee.email.as_given().to_owned()),
                    code: ErrorCode::DuplicatePendingInvite,
                    message: "the same email appears earlier in this request".into(),
                }),
                Ok(invitee) => match self.settings.role_policy.may_grant(caller, &invitee.roles.to_strings()) {
                    Ok(()) => Ok(invitee),
                    Err(refusal) => Err(SendError {
                        index,
                        email: Some(invitee.email.as_given().to_owned()),
                        code: refusal.code(),
                        message: refusal.to_string(),
                    }),
                },
            })
            .collect();
        let outcomes: Vec<Result<InviteView, SendError>> = futures::stream::iter(plans.into_iter().enumerate())
            .map(|(index, plan)| async move {
                let invitee = plan?;
                let email = invitee.email.as_given().to_owned();
                let created_by = invitee.created_by.unwrap_or(caller.user_id);
                let refused = |e: InviteError| SendError {
                    index,
                    email: Some(email.clone()),
                    code: e.code(),
                    message: e.to_string(),
                };
                if send_email {
                    self.take_email_quotas(tenant_id, invitee.email.canonical())
                        .await
                        .map_err(refused)?;
                }
                let origin = Origin {
                    tenant_id,
                    tenant_name: tenant_name.map(str::to_owned),
                    created_by,
                    created_by_name: (created_by == caller.user_id)
                        .then(|| sender_name.map(str::to_owned))
                        .flatten(),
                };
                self.create_one(origin, invitee, expiry, send_email, now)
                    .await
                    .map_err(refused)
            })
            .buffered(SEND_CONCURRENCY)
            .collect()
            .await;
        // If storage failed every write, say so as a whole: nothing was created.
        let all_unavailable = outcomes
            .iter()
            .all(|o| matches!(o, Err(e) if e.code == ErrorCode::Unavailable));
        if !outcomes.is_empty() && all_unavailable {
            return Err(InviteError::Unavailable("no invite could be stored".into()));
        }
        let (success, errors): (Vec<_>, Vec<_>) = outcomes.into_iter().partition(Result::is_ok);
        let success: Vec<InviteView> = success.into_iter().flatten().collect();
        let errors: Vec<SendError> = errors.into_iter().filter_map(Result::err).collect();
        self.count(Metric::InvitesSent, Operation::SendUserInvites.name(), success.len());
        Ok(SendResponse { success, errors })
    }

    async fn create_one(
        &self,
        origin: Origin,
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
            tenant_id: origin.tenant_id,
            email: &invitee.email,
            created_by: origin.created_by,
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
            time_zone: invitee.time_zone.map(|z| z.name().to_owned()),
            created_by_name: origin.created_by_name,
            tenant_name: origin.tenant_name,
            ..Invite::issued(issue, now)
        };
        self.store.insert(&invite, now).await?;
        Ok(self.issued(&invite, &token, send_email))
    }
}

/// Who an invite comes from, and into which tenant: the same for every invitee of a send
/// but its creator (`createdByUserId` may name another user, whose name the sender's
/// token does not carry).
struct Origin {
    tenant_id: TenantId,
    tenant_name: Option<String>,
    created_by: UserId,
    created_by_name: Option<String>,
}

/// One line for an invitee's field errors, with paths relative to the invitee: the first
/// few, then how many more, so the line does not grow with the invitee (1,200 bad roles).
fn describe_field_errors(index: usize, errors: &[FieldError]) -> String {
    let prefix = format!("userInvites.userInvites[{index}].");
    let mut line = errors
        .iter()
        .take(MAX_INVITEE_ERRORS_DESCRIBED)
        .map(|e| {
            let field = e.field.strip_prefix(&prefix).unwrap_or(&e.field);
            format!(
                "{} {}",
                clip(field, MAX_ERROR_TEXT_CHARS),
                clip(&e.message, MAX_ERROR_TEXT_CHARS)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(more) = errors
        .len()
        .checked_sub(MAX_INVITEE_ERRORS_DESCRIBED)
        .filter(|n| *n > 0)
    {
        line.push_str(&format!("; and {more} more"));
    }
    line
}
