//! Why an operation is refused: the stable error codes of the contract, and the
//! refusals the invite's own state and the caller's rights give.

use serde::{Deserialize, Serialize};

use super::EffectiveStatus;

/// A problem's stable `code`: what a client branches on. Each maps to exactly one HTTP
/// status, in `http::problem`, the one place where errors become HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    ValidationFailed,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    InviteNotPending,
    InviteNotAccepted,
    InviteAlreadyAccepted,
    InviteExpired,
    InviteCanceled,
    DuplicatePendingInvite,
    TokenInvalid,
    PayloadTooLarge,
    /// The request did not arrive whole in time (a local server's body timeout).
    RequestTimeout,
    IdempotencyKeyReused,
    IdempotencyKeyInProgress,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 19] = [
        Self::ValidationFailed,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::InviteNotPending,
        Self::InviteNotAccepted,
        Self::InviteAlreadyAccepted,
        Self::InviteExpired,
        Self::InviteCanceled,
        Self::DuplicatePendingInvite,
        Self::TokenInvalid,
        Self::PayloadTooLarge,
        Self::RequestTimeout,
        Self::IdempotencyKeyReused,
        Self::IdempotencyKeyInProgress,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "VALIDATION_FAILED",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::InviteNotPending => "INVITE_NOT_PENDING",
            Self::InviteNotAccepted => "INVITE_NOT_ACCEPTED",
            Self::InviteAlreadyAccepted => "INVITE_ALREADY_ACCEPTED",
            Self::InviteExpired => "INVITE_EXPIRED",
            Self::InviteCanceled => "INVITE_CANCELED",
            Self::DuplicatePendingInvite => "DUPLICATE_PENDING_INVITE",
            Self::TokenInvalid => "TOKEN_INVALID",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::RequestTimeout => "REQUEST_TIMEOUT",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::IdempotencyKeyInProgress => "IDEMPOTENCY_KEY_IN_PROGRESS",
            Self::RateLimited => "RATE_LIMITED",
            Self::Unavailable => "UNAVAILABLE",
            Self::Internal => "INTERNAL",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transition the invite's state, or the caller's rights, forbid. The transitions of
/// [`super::Invite`] return these; the use cases pass them on unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Forbidden(&'static str),
    /// A role the caller's token does not hold, under the role policy.
    #[error(
        "your token's roles do not include {0:?}: you may not grant it, nor resend, cancel or update an invite that carries it"
    )]
    RoleNotHeld(String),
    /// No such invite, or one the caller may not see (never say which).
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
    /// An email quota is used up: the recipient's per day, or the tenant's per hour.
    #[error("too many invitation emails {quota}; try again in {retry_after_secs} seconds")]
    EmailQuota { quota: &'static str, retry_after_secs: u64 },
}

impl Refusal {
    /// How long until it may be tried again, for a refusal that says so.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_secs } | Self::EmailQuota { retry_after_secs, .. } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Forbidden(_) | Self::RoleNotHeld(_) => ErrorCode::Forbidden,
            Self::NotFound => ErrorCode::NotFound,
            Self::NotPending(_) => ErrorCode::InviteNotPending,
            Self::NotAccepted(_) => ErrorCode::InviteNotAccepted,
            Self::AlreadyAccepted => ErrorCode::InviteAlreadyAccepted,
            Self::Expired => ErrorCode::InviteExpired,
            Self::Canceled => ErrorCode::InviteCanceled,
            Self::DuplicatePending => ErrorCode::DuplicatePendingInvite,
            Self::TokenInvalid => ErrorCode::TokenInvalid,
            Self::RateLimited { .. } | Self::EmailQuota { .. } => ErrorCode::RateLimited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_its_serde_name() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert_eq!(serde_json::from_value::<ErrorCode>(code.as_str().into()).unwrap(), code);
        }
    }
}
