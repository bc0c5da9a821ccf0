//! The edge: request bodies and query strings become validated inputs here, and every
//! invalid field is reported at once, by its JSON path.
//!
//! On send, a fault in the request's *shape* (malformed JSON, a wrong type, a missing
//! or unknown or read-only field) fails the whole request with 400, since it is a
//! client bug; a bad *value* of one invitee (an invalid email, a too-long name) fails
//! only that invitee, reported in the response's `errors`, since one bad invitee never
//! fails the others.

mod bodies;
mod exact_numbers;
mod json;
mod query;
mod reader;
#[cfg(test)]
mod tests;

use crate::domain::EmailStatus;
pub use crate::domain::InviteChanges as UpdateRequest;
pub use bodies::{accept_request, cancel_request, check_token_request, resend_request, send_request, update_request};
pub use json::parse_json;
pub use query::{idempotency_key, invite_id, list_params};

use crate::domain::{
    CustomData, EffectiveStatus, EmailAddress, FieldError, Locale, PersonName, Roles, SortField, SortOrder, TenantId,
    TimeZone, UserId,
};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RequestError {
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    TooLarge(String),
}

impl RequestError {
    fn one(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

/// The fields every invite carries that no request may set.
pub(crate) const READ_ONLY_INVITE_FIELDS: &[&str] = &[
    "id",
    "tenantId",
    "status",
    "emailStatus",
    "acceptedByUserId",
    "createdAt",
    "updatedAt",
    "statusUpdatedAt",
    "expiresAt",
    "lastSentAt",
    "sendCount",
    "token",
    "tokenHash",
    "acceptUrl",
];

/// One invitee of a send, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvitee {
    pub email: EmailAddress,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub locale: Locale,
    pub roles: Roles,
    pub data: CustomData,
    pub time_zone: Option<TimeZone>,
    pub created_by: Option<UserId>,
}

/// An invitee whose values did not validate: reported in the send's `errors`.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedInvitee {
    /// The email as sent, when it was a string.
    pub email: Option<String>,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SendRequest {
    pub tenant_id: TenantId,
    /// The tenant's display name for the emails (`userInvites.tenantName`).
    pub tenant_name: Option<PersonName>,
    pub invitees: Vec<Result<NewInvitee, RejectedInvitee>>,
    pub send_email: bool,
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResendRequest {
    pub send_email: bool,
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AcceptRequest {
    pub token: String,
    pub accepted_by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListParams {
    pub tenant_id: Option<TenantId>,
    pub statuses: Vec<EffectiveStatus>,
    pub email_statuses: Vec<EmailStatus>,
    pub email: Option<String>,
    pub created_by: Option<UserId>,
    pub accepted_by: Option<UserId>,
    pub search: Option<String>,
    pub sort: SortField,
    pub order: SortOrder,
    pub limit: u32,
    pub offset: Option<u32>,
    pub cursor: Option<String>,
}
