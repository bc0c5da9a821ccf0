//! One type per operation: how its request becomes a use case's input, and its answer
//! a response. The request was routed, sized and (but for check-token) authenticated
//! before it gets here.

use bytes::Bytes;
use http::{Request, Response};
use sha2::{Digest, Sha256};

use super::{Failure, IDEMPOTENCY_KEY_HEADER, ok};
use crate::auth::AuthError;
use crate::domain::{Caller, InviteId};
use crate::operation::Operation;
use crate::requests::{self, RequestError};
use crate::service::InviteService;

/// What an endpoint is handed.
pub struct Input {
    /// `None` only for check-token, which takes no JWT.
    pub caller: Option<Caller>,
    /// The `{id}` of the route, parsed.
    pub id: Option<InviteId>,
    pub request: Request<Bytes>,
}

impl Input {
    fn caller(&self) -> Result<&Caller, Failure> {
        self.caller.as_ref().ok_or(Failure::Auth(AuthError::Missing))
    }

    fn id(&self) -> Result<InviteId, Failure> {
        self.id
            .ok_or_else(|| RequestError::Invalid(vec![crate::domain::FieldError::new("id", "is required")]).into())
    }

    fn body(&self) -> &[u8] {
        self.request.body()
    }
}

/// The handler of one operation.
pub trait Endpoint {
    const OPERATION: Operation;

    fn handle(service: &InviteService, input: Input) -> impl Future<Output = Result<Response<Bytes>, Failure>> + Send;
}

pub struct SendUserInvites;

impl Endpoint for SendUserInvites {
    const OPERATION: Operation = Operation::SendUserInvites;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        let idempotency = match input.request.headers().get(IDEMPOTENCY_KEY_HEADER) {
            None => None,
            Some(value) => {
                let key = requests::idempotency_key(value.as_bytes())?;
                Some((key, hex_sha256(input.body())))
            }
        };
        let send = requests::send_request(&requests::parse_json(input.body(), false)?)?;
        ok(&service.send(input.caller()?, send, idempotency).await?)
    }
}

pub struct ResendUserInvite;

impl Endpoint for ResendUserInvite {
    const OPERATION: Operation = Operation::ResendUserInvite;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        let resend = requests::resend_request(&requests::parse_json(input.body(), true)?)?;
        ok(&service.resend(input.caller()?, input.id()?, resend).await?)
    }
}

pub struct CancelUserInvite;

impl Endpoint for CancelUserInvite {
    const OPERATION: Operation = Operation::CancelUserInvite;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        requests::cancel_request(&requests::parse_json(input.body(), true)?)?;
        ok(&service.cancel(input.caller()?, input.id()?).await?)
    }
}

pub struct AcceptUserInvite;

impl Endpoint for AcceptUserInvite {
    const OPERATION: Operation = Operation::AcceptUserInvite;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        let accept = requests::accept_request(&requests::parse_json(input.body(), false)?)?;
        ok(&service.accept(input.caller()?, accept).await?)
    }
}

pub struct CheckUserInviteToken;

impl Endpoint for CheckUserInviteToken {
    const OPERATION: Operation = Operation::CheckUserInviteToken;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        let token = requests::check_token_request(&requests::parse_json(input.body(), false)?)?;
        ok(&service.check_token(&token).await?)
    }
}

pub struct UpdateUserInvite;

impl Endpoint for UpdateUserInvite {
    const OPERATION: Operation = Operation::UpdateUserInvite;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        let changes = requests::update_request(&requests::parse_json(input.body(), false)?)?;
        ok(&service.update(input.caller()?, input.id()?, changes).await?)
    }
}

pub struct ListUserInvites;

impl Endpoint for ListUserInvites {
    const OPERATION: Operation = Operation::ListUserInvites;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        let params = requests::list_params(input.request.uri().query())?;
        ok(&service.list(input.caller()?, params).await?)
    }
}

pub struct GetUserInvite;

impl Endpoint for GetUserInvite {
    const OPERATION: Operation = Operation::GetUserInvite;

    async fn handle(service: &InviteService, input: Input) -> Result<Response<Bytes>, Failure> {
        ok(&service.get(input.caller()?, input.id()?).await?)
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
