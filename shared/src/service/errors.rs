//! Why a use case refused, with the stable code each answer carries. Mapped to
//! problem+json in exactly one place, `http::problem`, which only has to know the
//! status of each [`ErrorCode`].

use crate::domain::{ErrorCode, FieldError, Refusal};
use crate::requests::RequestError;
use crate::store::{BoxError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The invite's state or the caller's rights forbid it.
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("this Idempotency-Key was used with a different request body")]
    IdempotencyKeyReused,
    #[error("a request with this Idempotency-Key is still running")]
    IdempotencyKeyInProgress,
    /// Storage could not be reached, or kept failing: nothing was changed.
    #[error("storage is unavailable")]
    Unavailable(#[source] BoxError),
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl InviteError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(_) => ErrorCode::ValidationFailed,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::Refused(refusal) => refusal.code(),
            Self::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            Self::IdempotencyKeyInProgress => ErrorCode::IdempotencyKeyInProgress,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn internal(cause: impl Into<BoxError>) -> Self {
        Self::Internal(cause.into())
    }
}

impl From<StoreError> for InviteError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::DuplicatePending => Self::Refused(Refusal::DuplicatePending),
            StoreError::Conflict(_) => Self::Unavailable("the invite kept changing; try again".into()),
            unavailable @ StoreError::Unavailable(_) => Self::Unavailable(Box::new(unavailable)),
            internal @ StoreError::Internal(_) => Self::Internal(Box::new(internal)),
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
