//! HTTP mapping over `http::Request<Bytes>` / `http::Response<Bytes>`, the types
//! `lambda_http` uses, so a Lambda function and the local server run the same code.

pub mod problem;
pub mod routes;

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::{AuthError, Authenticator};
use crate::domain::MAX_BODY_BYTES;
use crate::requests;
use crate::requests::RequestError;
use crate::service::{InviteError, InviteService};
pub use problem::Problem;
pub use routes::{Operation, ROUTES, Resolved};

pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

pub struct Api {
    service: Arc<InviteService>,
    auth: Authenticator,
}

impl Api {
    pub fn new(service: Arc<InviteService>, auth: Authenticator) -> Self {
        Self { service, auth }
    }

    /// Serves any route of the table.
    pub async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        self.handle_as(None, request).await
    }

    /// Serves `operation` only: what a Lambda function behind one route does.
    pub async fn handle_operation(&self, operation: Operation, request: Request<Bytes>) -> Response<Bytes> {
        self.handle_as(Some(operation), request).await
    }

    async fn handle_as(&self, only: Option<Operation>, request: Request<Bytes>) -> Response<Bytes> {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let (operation, response) = match routes::resolve(&method, &path) {
            Resolved::Operation(op, _) if only.is_some_and(|only| only != op) => {
                (Some(op), Problem::route_not_found().into_response())
            }
            Resolved::Operation(op, id) => {
                let id = id.map(str::to_owned);
                let response = self
                    .dispatch(op, id, request)
                    .await
                    .unwrap_or_else(|failure| match failure {
                        Failure::Auth(e) => Problem::from(e).into_response(),
                        Failure::Invite(e) => Problem::from(e).into_response(),
                    });
                (Some(op), response)
            }
            Resolved::MethodNotAllowed(allow) => (None, Problem::method_not_allowed(allow).into_response()),
            Resolved::NotFound => (None, Problem::route_not_found().into_response()),
        };
        tracing::info!(
            operation = operation.map(Operation::name).unwrap_or("none"),
            method = %method,
            path = %path,
            status = response.status().as_u16(),
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            "request"
        );
        response
    }

    async fn dispatch(
        &self,
        op: Operation,
        id: Option<String>,
        request: Request<Bytes>,
    ) -> Result<Response<Bytes>, Failure> {
        if request.body().len() > MAX_BODY_BYTES {
            return Err(InviteError::PayloadTooLarge("the body is larger than 256 KiB".into()).into());
        }
        if op == Operation::CheckUserInviteToken {
            // The invite token is the credential here: no JWT.
            let body = requests::parse_json(request.body(), false)?;
            let token = requests::check_token_request(&body)?;
            return ok(&self.service.check_token(&token).await?);
        }
        let caller = self.auth.authenticate(request.headers())?;
        let id = id.as_deref().map(requests::invite_id).transpose()?;
        let body = request.body();
        match (op, id) {
            (Operation::SendUserInvites, _) => {
                let idempotency = match request.headers().get(IDEMPOTENCY_KEY_HEADER) {
                    None => None,
                    Some(value) => {
                        let key = requests::idempotency_key(value.as_bytes())?;
                        Some((key, hex_sha256(body)))
                    }
                };
                let send = requests::send_request(&requests::parse_json(body, false)?)?;
                ok(&self.service.send(&caller, send, idempotency).await?)
            }
            (Operation::AcceptUserInvite, _) => {
                let accept = requests::accept_request(&requests::parse_json(body, false)?)?;
                ok(&self.service.accept(&caller, accept).await?)
            }
            (Operation::ListUserInvites, _) => {
                let params = requests::list_params(request.uri().query())?;
                ok(&self.service.list(&caller, params).await?)
            }
            (Operation::ResendUserInvite, Some(id)) => {
                let resend = requests::resend_request(&requests::parse_json(body, true)?)?;
                ok(&self.service.resend(&caller, id, resend).await?)
            }
            (Operation::CancelUserInvite, Some(id)) => {
                requests::cancel_request(&requests::parse_json(body, true)?)?;
                ok(&self.service.cancel(&caller, id).await?)
            }
            (Operation::UpdateUserInvite, Some(id)) => {
                let update = requests::update_request(&requests::parse_json(body, false)?)?;
                ok(&self.service.update(&caller, id, update).await?)
            }
            (Operation::GetUserInvite, Some(id)) => ok(&self.service.get(&caller, id).await?),
            (op, None) => unreachable!("the route of {} has an id", op.name()),
            (Operation::CheckUserInviteToken, _) => unreachable!("answered above"),
        }
    }
}

/// Why a request failed, before it becomes a problem response.
enum Failure {
    Auth(AuthError),
    Invite(InviteError),
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        Self::Auth(e)
    }
}

impl From<InviteError> for Failure {
    fn from(e: InviteError) -> Self {
        Self::Invite(e)
    }
}

impl From<RequestError> for Failure {
    fn from(e: RequestError) -> Self {
        Self::Invite(e.into())
    }
}

fn ok(body: &impl Serialize) -> Result<Response<Bytes>, Failure> {
    let body = serde_json::to_vec(body).map_err(|e| InviteError::Internal(e.to_string()))?;
    let mut response = Response::new(Bytes::from(body));
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
