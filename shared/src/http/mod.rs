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
use crate::domain::{MAX_BODY_BYTES, TenantId};
use crate::requests;
use crate::requests::RequestError;
use crate::service::{InviteError, InviteService};
use crate::telemetry::REQUEST_TARGET;
pub use problem::Problem;
pub use routes::{Operation, ROUTES, Resolved};

pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The id of one request, for its log line: put into the request's extensions by the
/// caller of [`Api::handle`] (the Lambda request id; a fresh UUID in `invites-local`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

pub struct Api {
    service: Arc<InviteService>,
    auth: Authenticator,
}

/// What the request's log line says besides its status.
#[derive(Default)]
struct Outcome {
    operation: Option<Operation>,
    /// The caller's tenant, once the caller is known.
    tenant: Option<TenantId>,
    /// The problem's code, when the request failed.
    code: Option<&'static str>,
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

    /// Answers a request that was refused before its body could be read (too large,
    /// unreadable) with `problem`, logged like any other request.
    pub fn refuse(&self, request: &http::request::Parts, problem: Problem) -> Response<Bytes> {
        let started = Instant::now();
        let operation = match routes::resolve(&request.method, request.uri.path()) {
            Resolved::Operation(op, _) => Some(op),
            _ => None,
        };
        let outcome = Outcome {
            operation,
            tenant: None,
            code: Some(problem.code),
        };
        let response = problem.into_response();
        let request_id = request.extensions.get::<RequestId>();
        log_request(&request.method, request_id, &outcome, &response, started);
        response
    }

    async fn handle_as(&self, only: Option<Operation>, request: Request<Bytes>) -> Response<Bytes> {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let request_id = request.extensions().get::<RequestId>().cloned();
        let mut outcome = Outcome::default();
        let response = match routes::resolve(&method, &path) {
            Resolved::Operation(op, _) if only.is_some_and(|only| only != op) => {
                outcome.operation = Some(op);
                problem_response(Problem::route_not_found(), &mut outcome)
            }
            Resolved::Operation(op, id) => {
                outcome.operation = Some(op);
                let id = id.map(str::to_owned);
                match self.dispatch(op, id, request, &mut outcome).await {
                    Ok(response) => response,
                    Err(Failure::Auth(e)) => problem_response(e.into(), &mut outcome),
                    Err(Failure::Invite(e)) => problem_response(e.into(), &mut outcome),
                }
            }
            Resolved::MethodNotAllowed(allow) => problem_response(Problem::method_not_allowed(allow), &mut outcome),
            Resolved::NotFound => problem_response(Problem::route_not_found(), &mut outcome),
        };
        log_request(&method, request_id.as_ref(), &outcome, &response, started);
        response
    }

    async fn dispatch(
        &self,
        op: Operation,
        id: Option<String>,
        request: Request<Bytes>,
        outcome: &mut Outcome,
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
        outcome.tenant = caller.tenant_id;
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

fn problem_response(problem: Problem, outcome: &mut Outcome) -> Response<Bytes> {
    outcome.code = Some(problem.code);
    problem.into_response()
}

/// The one log line of a request. It names the route's operation, never the path or
/// the query: those are the caller's text, and may hold anything (an email, a token).
fn log_request(
    method: &http::Method,
    request_id: Option<&RequestId>,
    outcome: &Outcome,
    response: &Response<Bytes>,
    started: Instant,
) {
    // A fresh id when the platform gave none: the line still pairs with nothing else,
    // but stays one distinct request.
    let request_id = match request_id {
        Some(RequestId(id)) => id.clone(),
        None => uuid::Uuid::new_v4().to_string(),
    };
    let operation = outcome.operation.map(Operation::name).unwrap_or("none");
    let tenant = outcome.tenant.map(|t| t.to_string());
    let status = response.status().as_u16();
    let latency_ms = (started.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0;
    macro_rules! line {
        ($level:expr) => {
            tracing::event!(
                target: REQUEST_TARGET,
                $level,
                operation,
                method = method.as_str(),
                tenant = tenant.as_deref(),
                status,
                code = outcome.code,
                latency_ms,
                request_id = request_id.as_str(),
                "request"
            )
        };
    }
    if status >= 500 {
        line!(tracing::Level::ERROR);
    } else {
        line!(tracing::Level::INFO);
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
