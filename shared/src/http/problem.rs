//! Every error the API answers, as `application/problem+json` (RFC 9457) with a stable
//! `code`. This is the one place where errors become HTTP.

use bytes::Bytes;
use http::{HeaderValue, Method, Response, StatusCode, header};
use serde::Serialize;

use crate::auth::AuthError;
use crate::domain::FieldError;
use crate::requests::RequestError;
use crate::service::InviteError;
use crate::telemetry::redact_emails;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    pub errors: Vec<FieldError>,
    #[serde(skip)]
    retry_after: Option<u64>,
    #[serde(skip)]
    allow: Vec<Method>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!(
                "urn:user-invites:problem:{}",
                code.to_ascii_lowercase().replace('_', "-")
            ),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            errors: Vec::new(),
            retry_after: None,
            allow: Vec::new(),
        }
    }

    pub fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such route")
    }

    pub fn method_not_allowed(allow: Vec<Method>) -> Self {
        let mut problem = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "this route does not take that method",
        );
        problem.allow = allow;
        problem
    }

    pub fn payload_too_large(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", detail)
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn into_response(self) -> Response<Bytes> {
        let body = serde_json::to_vec(&self).expect("a problem serializes");
        let mut response = Response::builder()
            .status(self.status())
            .header(header::CONTENT_TYPE, PROBLEM_JSON)
            .body(Bytes::from(body))
            .expect("a problem response is valid");
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if !self.allow.is_empty() {
            let allow = self.allow.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
            response.headers_mut().insert(
                header::ALLOW,
                HeaderValue::from_str(&allow).expect("methods are valid header text"),
            );
        }
        response
    }
}

/// The stable code of a use-case error.
pub fn code_of(e: &InviteError) -> &'static str {
    match e {
        InviteError::Invalid(_) => "VALIDATION_FAILED",
        InviteError::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
        InviteError::Forbidden(_) => "FORBIDDEN",
        InviteError::NotFound => "NOT_FOUND",
        InviteError::NotPending(_) => "INVITE_NOT_PENDING",
        InviteError::NotAccepted(_) => "INVITE_NOT_ACCEPTED",
        InviteError::AlreadyAccepted => "INVITE_ALREADY_ACCEPTED",
        InviteError::Expired => "INVITE_EXPIRED",
        InviteError::Canceled => "INVITE_CANCELED",
        InviteError::DuplicatePending => "DUPLICATE_PENDING_INVITE",
        InviteError::TokenInvalid => "TOKEN_INVALID",
        InviteError::RateLimited { .. } => "RATE_LIMITED",
        InviteError::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
        InviteError::IdempotencyKeyInProgress => "IDEMPOTENCY_KEY_IN_PROGRESS",
        InviteError::Unavailable(_) => "UNAVAILABLE",
        InviteError::Internal(_) => "INTERNAL",
    }
}

impl From<InviteError> for Problem {
    fn from(e: InviteError) -> Self {
        let status = match &e {
            InviteError::Invalid(_) => StatusCode::BAD_REQUEST,
            InviteError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            InviteError::Forbidden(_) => StatusCode::FORBIDDEN,
            InviteError::NotFound | InviteError::TokenInvalid => StatusCode::NOT_FOUND,
            InviteError::NotPending(_)
            | InviteError::NotAccepted(_)
            | InviteError::AlreadyAccepted
            | InviteError::DuplicatePending
            | InviteError::IdempotencyKeyInProgress => StatusCode::CONFLICT,
            InviteError::Expired | InviteError::Canceled => StatusCode::GONE,
            InviteError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            InviteError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            InviteError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            InviteError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        // Internal causes are logged here with their context, never echoed to callers.
        let detail = match &e {
            InviteError::Unavailable(cause) => {
                tracing::error!(cause = %redact_emails(cause), "storage unavailable");
                "storage is unavailable; nothing was changed, try again shortly".to_owned()
            }
            InviteError::Internal(cause) => {
                tracing::error!(cause = %redact_emails(cause), "internal error");
                "an internal error occurred".to_owned()
            }
            InviteError::Invalid(_) => "the request is invalid; see errors".to_owned(),
            other => other.to_string(),
        };
        let mut problem = Problem::new(status, code_of(&e), detail);
        match e {
            InviteError::Invalid(errors) => problem.errors = errors,
            InviteError::RateLimited { retry_after_secs } => problem.retry_after = Some(retry_after_secs),
            _ => {}
        }
        problem
    }
}

impl From<RequestError> for Problem {
    fn from(e: RequestError) -> Self {
        InviteError::from(e).into()
    }
}

impl From<AuthError> for Problem {
    fn from(e: AuthError) -> Self {
        Problem::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", e.to_string())
    }
}
