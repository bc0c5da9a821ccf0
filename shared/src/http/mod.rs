//! HTTP mapping over `http::Request<Bytes>` / `http::Response<Bytes>`, the types
//! `lambda_http` uses, so a Lambda function and the local server run the same code.
//!
//! Each operation's handler is a type ([`endpoints`]): a Lambda function serves one with
//! [`Api::handle_one`], so it instantiates (and links) that handler only, while the
//! local server serves them all with [`Api::handle`].

pub mod cors;
pub mod endpoints;
pub mod openapi;
pub mod problem;
pub mod routes;

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use serde::Serialize;

pub use endpoints::Endpoint;
pub use problem::Problem;
pub use routes::{ROUTES, Resolved};

use crate::auth::{AuthError, Authenticator};
use crate::config::{Config, ConfigError};
use crate::domain::{ErrorCode, TenantId};
use crate::operation::Operation;
use crate::requests::RequestError;
use crate::service::{InviteError, InviteService};
use crate::telemetry::REQUEST_TARGET;

pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The response header that carries the request's id, as in its log line.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

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
pub struct Outcome {
    operation: Option<Operation>,
    /// The caller's tenant, once the caller is known.
    tenant: Option<TenantId>,
    /// The problem's code, when the request failed.
    code: Option<ErrorCode>,
}

/// Which operations a handler serves: one (a Lambda function), or every route.
trait Serves {
    fn serves(operation: Operation) -> bool;

    fn call(
        api: &Api,
        operation: Operation,
        id: Option<String>,
        request: Request<Bytes>,
        outcome: &mut Outcome,
    ) -> impl Future<Output = Result<Response<Bytes>, Failure>> + Send;
}

/// Every route of the table.
struct AllRoutes;

impl Serves for AllRoutes {
    fn serves(_: Operation) -> bool {
        true
    }

    async fn call(
        api: &Api,
        operation: Operation,
        id: Option<String>,
        request: Request<Bytes>,
        outcome: &mut Outcome,
    ) -> Result<Response<Bytes>, Failure> {
        use endpoints::*;
        match operation {
            Operation::SendUserInvites => Only::<SendUserInvites>::call(api, operation, id, request, outcome).await,
            Operation::ResendUserInvite => Only::<ResendUserInvite>::call(api, operation, id, request, outcome).await,
            Operation::CancelUserInvite => Only::<CancelUserInvite>::call(api, operation, id, request, outcome).await,
            Operation::AcceptUserInvite => Only::<AcceptUserInvite>::call(api, operation, id, request, outcome).await,
            Operation::CheckUserInviteToken => {
                Only::<CheckUserInviteToken>::call(api, operation, id, request, outcome).await
            }
            Operation::UpdateUserInvite => Only::<UpdateUserInvite>::call(api, operation, id, request, outcome).await,
            Operation::ListUserInvites => Only::<ListUserInvites>::call(api, operation, id, request, outcome).await,
            Operation::GetUserInvite => Only::<GetUserInvite>::call(api, operation, id, request, outcome).await,
        }
    }
}

/// One operation's route only.
struct Only<E>(std::marker::PhantomData<E>);

impl<E: Endpoint> Serves for Only<E> {
    fn serves(operation: Operation) -> bool {
        operation == E::OPERATION
    }

    async fn call(
        api: &Api,
        _: Operation,
        id: Option<String>,
        request: Request<Bytes>,
        outcome: &mut Outcome,
    ) -> Result<Response<Bytes>, Failure> {
        if request.body().len() > crate::domain::MAX_BODY_BYTES {
            return Err(InviteError::PayloadTooLarge(problem::body_too_large()).into());
        }
        let caller = match E::OPERATION {
            // The invite token is the credential here: no JWT.
            Operation::CheckUserInviteToken => None,
            _ => {
                let caller = api.auth.authenticate(&request).await?;
                outcome.tenant = caller.tenant_id;
                Some(caller)
            }
        };
        let id = id.as_deref().map(crate::requests::invite_id).transpose()?;
        E::handle(&api.service, endpoints::Input { caller, id, request }).await
    }
}

impl Api {
    pub fn new(service: Arc<InviteService>, auth: Authenticator) -> Self {
        Self { service, auth }
    }

    /// The API over `service`, authenticating callers as `config` says (a key set is
    /// fetched now, its refreshes paced by the service's clock).
    pub async fn from_config(config: &Config, service: Arc<InviteService>) -> Result<Self, ConfigError> {
        let auth = Authenticator::from_config(&config.jwt, service.clock()).await?;
        Ok(Self::new(service, auth))
    }

    /// Serves any route of the table.
    pub async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        self.handle_as::<AllRoutes>(request).await
    }

    /// Serves `E`'s route only: what a Lambda function behind one route does.
    pub async fn handle_one<E: Endpoint>(&self, request: Request<Bytes>) -> Response<Bytes> {
        self.handle_as::<Only<E>>(request).await
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
        let response = no_store(problem.into_response());
        let request_id = request.extensions.get::<RequestId>();
        log_request(&request.method, request_id, &outcome, &response, started);
        response
    }

    async fn handle_as<S: Serves>(&self, request: Request<Bytes>) -> Response<Bytes> {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let request_id = request.extensions().get::<RequestId>().cloned();
        let mut outcome = Outcome::default();
        let response = match routes::resolve(&method, &path) {
            Resolved::Operation(op, _) if !S::serves(op) => {
                outcome.operation = Some(op);
                problem_response(Problem::route_not_found(), &mut outcome)
            }
            Resolved::Operation(op, id) => {
                outcome.operation = Some(op);
                let id = id.map(str::to_owned);
                match S::call(self, op, id, request, &mut outcome).await {
                    Ok(response) => response,
                    Err(Failure::Auth(e)) => problem_response(e.into(), &mut outcome),
                    Err(Failure::Invite(e)) => problem_response(e.into(), &mut outcome),
                }
            }
            Resolved::MethodNotAllowed(allow) => problem_response(Problem::method_not_allowed(allow), &mut outcome),
            Resolved::NotFound => problem_response(Problem::route_not_found(), &mut outcome),
        };
        let mut response = no_store(response);
        if method == http::Method::HEAD {
            // The headers GET would answer, the length of its body, and no body.
            let length = response.body().len();
            *response.body_mut() = Bytes::new();
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        log_request(&method, request_id.as_ref(), &outcome, &response, started);
        response
    }
}

/// Every answer carries personal data, and some a one-time `acceptUrl`: no cache, shared
/// or private, may keep one.
fn no_store(mut response: Response<Bytes>) -> Response<Bytes> {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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
    let code = outcome.code.map(ErrorCode::as_str);
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
                code,
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
pub enum Failure {
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
    let body = serde_json::to_vec(body).map_err(InviteError::internal)?;
    let mut response = Response::new(Bytes::from(body));
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}
