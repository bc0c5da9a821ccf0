//! Every error the API answers, as `application/problem+json` (RFC 9457) with a stable
//! `code`. This is the one place where errors become HTTP.

use bytes::Bytes;
use http::{HeaderValue, Method, Response, StatusCode, header};
use serde::Serialize;

use crate::auth::AuthError;
use crate::domain::{
    ErrorCode, FieldError, MAX_BODY_BYTES, MAX_ERROR_TEXT_CHARS, MAX_LISTED_ERRORS, MAX_PROBLEM_BYTES, clip,
};
use crate::requests::RequestError;
use crate::service::InviteError;
use crate::telemetry::describe;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    pub errors: Vec<FieldError>,
    /// Field errors beyond the first [`MAX_LISTED_ERRORS`], counted, not listed.
    #[serde(rename = "errorsOmitted", skip_serializing_if = "is_zero")]
    errors_omitted: usize,
    #[serde(skip)]
    retry_after: Option<u64>,
    #[serde(skip)]
    allow: Vec<Method>,
}

impl Problem {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        let status = status_of(code);
        Self {
            kind: format!(
                "urn:user-invites:problem:{}",
                code.as_str().to_ascii_lowercase().replace('_', "-")
            ),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            errors: Vec::new(),
            errors_omitted: 0,
            retry_after: None,
            allow: Vec::new(),
        }
    }

    pub fn route_not_found() -> Self {
        Self::new(ErrorCode::NotFound, "no such route")
    }

    pub fn method_not_allowed(allow: Vec<Method>) -> Self {
        let mut problem = Self::new(ErrorCode::MethodNotAllowed, "this route does not take that method");
        problem.allow = allow;
        problem
    }

    pub fn payload_too_large(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::PayloadTooLarge, detail)
    }

    /// Lists `errors`: the first [`MAX_LISTED_ERRORS`], each field and message clipped to
    /// [`MAX_ERROR_TEXT_CHARS`], and a count of the rest, so that no problem grows with
    /// the request that caused it.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors_omitted = errors.len().saturating_sub(MAX_LISTED_ERRORS);
        self.errors = errors
            .into_iter()
            .take(MAX_LISTED_ERRORS)
            .map(|e| {
                FieldError::new(
                    clip(&e.field, MAX_ERROR_TEXT_CHARS),
                    clip(&e.message, MAX_ERROR_TEXT_CHARS),
                )
            })
            .collect();
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn into_response(mut self) -> Response<Bytes> {
        self.detail = clip(&self.detail, MAX_ERROR_TEXT_CHARS * 2);
        let mut body = serde_json::to_vec(&self).expect("a problem serializes");
        // The clipped list fits with room to spare; this holds the bound whatever changes.
        while body.len() > MAX_PROBLEM_BYTES && !self.errors.is_empty() {
            self.errors.pop();
            self.errors_omitted += 1;
            body = serde_json::to_vec(&self).expect("a problem serializes");
        }
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

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The one status each code answers with.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::ValidationFailed => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound | ErrorCode::TokenInvalid => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::InviteNotPending
        | ErrorCode::InviteNotAccepted
        | ErrorCode::InviteAlreadyAccepted
        | ErrorCode::DuplicatePendingInvite
        | ErrorCode::IdempotencyKeyInProgress => StatusCode::CONFLICT,
        ErrorCode::InviteExpired | ErrorCode::InviteCanceled => StatusCode::GONE,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a request over [`MAX_BODY_BYTES`] is told.
pub fn body_too_large() -> String {
    format!("the body is larger than {} KiB", MAX_BODY_BYTES / 1024)
}

impl From<InviteError> for Problem {
    fn from(e: InviteError) -> Self {
        let code = e.code();
        // Internal causes are logged here with their context, never echoed to callers.
        let detail = match &e {
            InviteError::Unavailable(_) => {
                tracing::error!(cause = %describe(&e), "storage unavailable");
                "storage is unavailable; nothing was changed, try again shortly".to_owned()
            }
            InviteError::Internal(_) => {
                tracing::error!(cause = %describe(&e), "internal error");
                "an internal error occurred".to_owned()
            }
            InviteError::Invalid(_) => "the request is invalid; see errors".to_owned(),
            other => other.to_string(),
        };
        let mut problem = Problem::new(code, detail);
        match e {
            InviteError::Invalid(errors) => problem = problem.with_errors(errors),
            InviteError::Refused(refusal) if refusal.retry_after_secs().is_some() => {
                problem.retry_after = refusal.retry_after_secs()
            }
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
        Problem::new(ErrorCode::Unauthenticated, e.to_string())
    }
}
