//! Lifecycle events: what changed between two stored versions of an invite, as the
//! events a consumer receives. One function decides them ([`events_between`]) for both
//! paths: the table's stream on AWS (old and new image) and the embedded store's event
//! log locally (the copy a transition read and the copy it stored).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{EmailStatus, Invite, InviteStatus, InviteView, TenantId, UserId};

/// The namespace of event ids: an event's id is the UUIDv5 of its invite, the invite's
/// version and its type, so a redelivered stream record yields the very same ids.
const EVENT_NAMESPACE: Uuid = Uuid::from_u128(0x6f1d_0c9e_5b2a_4e47_9c61_3a8d_2f4b_7e10);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "user-invite.created")]
    Created,
    #[serde(rename = "user-invite.email.sent")]
    EmailSent,
    #[serde(rename = "user-invite.email.failed")]
    EmailFailed,
    #[serde(rename = "user-invite.email.bounced")]
    EmailBounced,
    #[serde(rename = "user-invite.resent")]
    Resent,
    #[serde(rename = "user-invite.accepted")]
    Accepted,
    #[serde(rename = "user-invite.canceled")]
    Canceled,
    #[serde(rename = "user-invite.updated")]
    Updated,
    #[serde(rename = "user-invite.expired")]
    Expired,
}

impl EventType {
    pub const ALL: [EventType; 9] = [
        Self::Created,
        Self::EmailSent,
        Self::EmailFailed,
        Self::EmailBounced,
        Self::Resent,
        Self::Accepted,
        Self::Canceled,
        Self::Updated,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "user-invite.created",
            Self::EmailSent => "user-invite.email.sent",
            Self::EmailFailed => "user-invite.email.failed",
            Self::EmailBounced => "user-invite.email.bounced",
            Self::Resent => "user-invite.resent",
            Self::Accepted => "user-invite.accepted",
            Self::Canceled => "user-invite.canceled",
            Self::Updated => "user-invite.updated",
            Self::Expired => "user-invite.expired",
        }
    }
}

/// One event, in the envelope every consumer receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteEvent {
    /// Unique per event and stable across redelivery: consumers de-duplicate by it.
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub occurred_at: DateTime<Utc>,
    pub tenant_id: TenantId,
    /// The invite as the API returns it after the change (never a token or its hash).
    pub data: InviteView,
    /// `accepted` only: who accepted, and the roles they now hold, so a consumer needs
    /// no extra read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub accepted_by_user_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub roles: Option<Vec<String>>,
}

/// The events of one stored change from `before` (`None`: the invite was created) to
/// `after`, in the order they happened. A write that changed nothing a consumer sees
/// (a delivery claim, a requeue after a passing failure, a migration) yields none.
pub fn events_between(before: Option<&Invite>, after: &Invite) -> Vec<InviteEvent> {
    let mut kinds = Vec::new();
    match before {
        None => kinds.push((EventType::Created, after.created_at)),
        Some(before) => {
            if after.send_count > before.send_count {
                kinds.push((EventType::Resent, after.last_sent_at));
            }
            if before.status == InviteStatus::Pending {
                match after.status {
                    InviteStatus::Accepted => kinds.push((EventType::Accepted, after.status_updated_at)),
                    InviteStatus::Canceled => kinds.push((EventType::Canceled, after.status_updated_at)),
                    InviteStatus::Pending => {}
                }
            }
            if profile_changed(before, after) {
                kinds.push((EventType::Updated, after.updated_at));
            }
            if after.recorded_expiry.is_some()
                && after.recorded_expiry == Some(after.expires_at)
                && before.recorded_expiry != after.recorded_expiry
                && after.status == InviteStatus::Pending
            {
                // It happened when the invite expired, not when the sweep noticed.
                kinds.push((EventType::Expired, after.expires_at));
            }
        }
    }
    // Delivery results: the same issue (no resend in between) moving to sent or failed,
    // or an invite created already delivered (never today, but a migration could).
    let delivered_before = before
        .filter(|b| b.send_count == after.send_count)
        .map(|b| b.email_status);
    if delivered_before != Some(after.email_status) {
        match after.email_status {
            EmailStatus::Sent => kinds.push((EventType::EmailSent, after.updated_at)),
            EmailStatus::Failed => kinds.push((EventType::EmailFailed, after.updated_at)),
            EmailStatus::Bounced => kinds.push((EventType::EmailBounced, after.updated_at)),
            // Delivery and complaints are on the invite (emailStatus), not events.
            EmailStatus::Queued | EmailStatus::Skipped | EmailStatus::Delivered | EmailStatus::Complained => {}
        }
    }
    kinds
        .into_iter()
        .map(|(kind, occurred_at)| event(kind, occurred_at, after))
        .collect()
}

fn profile_changed(before: &Invite, after: &Invite) -> bool {
    before.first_name != after.first_name
        || before.last_name != after.last_name
        || before.locale != after.locale
        || before.roles != after.roles
        || before.data != after.data
        || (before.accepted_by_user_id != after.accepted_by_user_id && after.status == before.status)
}

fn event(kind: EventType, occurred_at: DateTime<Utc>, after: &Invite) -> InviteEvent {
    let name = format!("{}:{}:{}", after.id, after.version, kind.as_str());
    let accepted = kind == EventType::Accepted;
    InviteEvent {
        id: Uuid::new_v5(&EVENT_NAMESPACE, name.as_bytes()),
        kind,
        occurred_at,
        tenant_id: after.tenant_id,
        // As the API would have answered at the moment it happened.
        data: after.view(occurred_at.max(after.updated_at)),
        accepted_by_user_id: if accepted { after.accepted_by_user_id } else { None },
        roles: accepted.then(|| after.roles.clone()),
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
