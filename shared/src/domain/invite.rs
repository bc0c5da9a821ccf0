use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::TokenHash;
use super::{EmailAddress, InviteId, TenantId, UserId};

/// The status an invite is stored with. `expired` is never stored: it is read off
/// `expiresAt` (see [`Invite::effective_status`]), so an invite past its expiry reads
/// as expired whether or not storage has purged it yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InviteStatus {
    Pending,
    Accepted,
    Canceled,
}

/// The status callers see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EffectiveStatus {
    Accepted,
    Canceled,
    Expired,
    Pending,
}

impl EffectiveStatus {
    pub const ALL: [EffectiveStatus; 4] = [Self::Pending, Self::Accepted, Self::Canceled, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailStatus {
    /// Committed, delivery not yet recorded.
    Queued,
    /// SES accepted the message.
    Sent,
    /// The recipient's mail server accepted it (SES's delivery event).
    Delivered,
    Failed,
    /// It came back (SES's bounce event, or a hard bounce to this address before).
    Bounced,
    /// The recipient marked it as spam (SES's complaint event).
    Complained,
    /// The caller asked for no email (`sendEmail: false`).
    Skipped,
}

impl EmailStatus {
    pub const ALL: [EmailStatus; 7] = [
        Self::Queued,
        Self::Sent,
        Self::Delivered,
        Self::Failed,
        Self::Bounced,
        Self::Complained,
        Self::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Bounced => "bounced",
            Self::Complained => "complained",
            Self::Skipped => "skipped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// An invite as stored: what callers see, plus the token hash, the delivery record,
/// the resend log and the version that every conditional write checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub id: InviteId,
    pub tenant_id: TenantId,
    pub email: String,
    pub email_canonical: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub locale: String,
    pub roles: Vec<String>,
    pub data: Map<String, Value>,
    pub status: InviteStatus,
    pub email_status: EmailStatus,
    /// Why the last delivery failed; kept for operators, never returned.
    pub email_error: Option<String>,
    /// The mail transport's id for the last delivery.
    pub message_id: Option<String>,
    pub created_by_user_id: UserId,
    /// The inviter's display name, from the sender's token (`name` claim, or the claim
    /// `INVITES_CLAIM_NAME` names) when it is a valid name; shown to the invitee.
    #[serde(default)]
    pub created_by_name: Option<String>,
    /// The tenant's display name as the sender gave it (`tenantName`); shown to the invitee.
    #[serde(default)]
    pub tenant_name: Option<String>,
    /// The invitee's IANA time zone (`timeZone`), in which the email shows the expiry; UTC when `None`.
    #[serde(default)]
    pub time_zone: Option<String>,
    pub accepted_by_user_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status_updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// When the current token was issued (by send or resend).
    pub last_sent_at: DateTime<Utc>,
    /// How many tokens have been issued: 1 after send, +1 per resend.
    pub send_count: u32,
    pub token_hash: TokenHash,
    /// Resends within the last hour, for the resend limit.
    pub recent_resends: Vec<DateTime<Utc>>,
    /// When a mailer claimed the delivery of the queued email (and minted the token it
    /// mails); `None` while nobody has. A claim older than the lease may be taken over.
    #[serde(default)]
    pub sending_since: Option<DateTime<Utc>>,
    /// Deliveries of the current issue that failed for a passing reason.
    #[serde(default)]
    pub delivery_attempts: u32,
    /// After a passing failure (SES throttling, a timeout): the delivery waits until
    /// then, and no mailer may claim it before. `None` when it may go at once.
    #[serde(default)]
    pub retry_at: Option<DateTime<Utc>>,
    /// Why a delivered email came back or was refused: the bounce type and the mail
    /// server's diagnostic, or the complaint's type; never the address.
    #[serde(default)]
    pub email_status_reason: Option<String>,
    /// The `expires_at` whose passing the expiry sweep has recorded: from then on the
    /// invite is *listed* as expired (its list entries and counts moved from pending to
    /// expired). `None`, or an older expiry (a resend moved it), while it is not.
    #[serde(default)]
    pub recorded_expiry: Option<DateTime<Utc>>,
    /// Bumped by every write; a write succeeds only over the version it read.
    pub version: u64,
}

/// What the issuer of a new invite decides; [`Invite::issued`] fills in the rest.
pub struct NewInvite<'a> {
    pub id: InviteId,
    pub tenant_id: TenantId,
    pub email: &'a EmailAddress,
    pub created_by: UserId,
    pub token_hash: TokenHash,
    /// `Queued` when email was asked for, else `Skipped`.
    pub email_status: EmailStatus,
    pub expires_at: DateTime<Utc>,
}

impl Invite {
    /// A pending invite just issued at `now`: version 1, one token issued, no resends,
    /// nothing delivered yet. Its profile starts empty (no names, roles or data, en-US):
    /// set it with struct update syntax.
    pub fn issued(new: NewInvite<'_>, now: DateTime<Utc>) -> Invite {
        Invite {
            id: new.id,
            tenant_id: new.tenant_id,
            email: new.email.as_given().to_owned(),
            email_canonical: new.email.canonical().to_owned(),
            first_name: None,
            last_name: None,
            locale: super::Locale::default().as_str().to_owned(),
            roles: Vec::new(),
            data: Map::new(),
            status: InviteStatus::Pending,
            email_status: new.email_status,
            email_error: None,
            message_id: None,
            created_by_user_id: new.created_by,
            created_by_name: None,
            tenant_name: None,
            time_zone: None,
            accepted_by_user_id: None,
            created_at: now,
            updated_at: now,
            status_updated_at: now,
            expires_at: new.expires_at,
            last_sent_at: now,
            send_count: 1,
            token_hash: new.token_hash,
            recent_resends: Vec::new(),
            sending_since: None,
            delivery_attempts: 0,
            retry_at: None,
            email_status_reason: None,
            recorded_expiry: None,
            version: 1,
        }
    }

    pub fn effective_status(&self, now: DateTime<Utc>) -> EffectiveStatus {
        match self.status {
            InviteStatus::Pending if now >= self.expires_at => EffectiveStatus::Expired,
            InviteStatus::Pending => EffectiveStatus::Pending,
            InviteStatus::Accepted => EffectiveStatus::Accepted,
            InviteStatus::Canceled => EffectiveStatus::Canceled,
        }
    }

    /// The status lists and counters file this invite under, which does not move with
    /// the clock: the stored status, except that a pending invite whose expiry the sweep
    /// has recorded is `Expired`. An expired invite not yet swept is listed `Pending`
    /// (lists and counts correct for it when they read).
    pub fn listed_status(&self) -> EffectiveStatus {
        match self.status {
            InviteStatus::Pending if self.recorded_expiry == Some(self.expires_at) => EffectiveStatus::Expired,
            InviteStatus::Pending => EffectiveStatus::Pending,
            InviteStatus::Accepted => EffectiveStatus::Accepted,
            InviteStatus::Canceled => EffectiveStatus::Canceled,
        }
    }

    /// Whether this invite, as stored, claims its tenant's one pending slot for its
    /// email. An expired claim is void: the next send may take the slot over.
    pub fn holds_email_slot(&self, now: DateTime<Utc>) -> bool {
        self.status == InviteStatus::Pending && now < self.expires_at
    }

    /// Whether this invite's email waits for a mailer to claim it now (not deferred
    /// to a later retry).
    pub fn awaits_delivery(&self) -> bool {
        self.status == InviteStatus::Pending
            && self.email_status == EmailStatus::Queued
            && self.sending_since.is_none()
            && self.retry_at.is_none()
    }

    /// Whether this invite's email waits for a retry after a passing failure.
    pub fn delivery_deferred(&self) -> bool {
        self.status == InviteStatus::Pending
            && self.email_status == EmailStatus::Queued
            && self.sending_since.is_none()
            && self.retry_at.is_some()
    }

    /// The copy that a write stores over this one.
    pub fn next_version(&self, now: DateTime<Utc>) -> Invite {
        Invite {
            updated_at: now,
            version: self.version + 1,
            ..self.clone()
        }
    }

    pub fn view(&self, now: DateTime<Utc>) -> InviteView {
        InviteView {
            id: self.id,
            tenant_id: self.tenant_id,
            email: self.email.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            locale: self.locale.clone(),
            roles: self.roles.clone(),
            data: self.data.clone(),
            status: self.effective_status(now),
            email_status: self.email_status,
            email_status_reason: self.email_status_reason.clone(),
            created_by_user_id: self.created_by_user_id,
            created_by_name: self.created_by_name.clone(),
            tenant_name: self.tenant_name.clone(),
            time_zone: self.time_zone.clone(),
            accepted_by_user_id: self.accepted_by_user_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            status_updated_at: self.status_updated_at,
            expires_at: self.expires_at,
            last_sent_at: self.last_sent_at,
            send_count: self.send_count,
            accept_url: None,
        }
    }
}

/// The invite as the API returns it: never the token nor its hash, except the
/// one-time `acceptUrl` of an invite created or resent with `sendEmail: false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteView {
    pub id: InviteId,
    pub tenant_id: TenantId,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub locale: String,
    pub roles: Vec<String>,
    pub data: Map<String, Value>,
    pub status: EffectiveStatus,
    pub email_status: EmailStatus,
    pub email_status_reason: Option<String>,
    pub created_by_user_id: UserId,
    pub created_by_name: Option<String>,
    pub tenant_name: Option<String>,
    pub time_zone: Option<String>,
    pub accepted_by_user_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status_updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_sent_at: DateTime<Utc>,
    pub send_count: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_url: Option<String>,
}
