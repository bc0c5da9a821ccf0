//! `check-user-invite-token`: everything lives in the shared crate; this binary only names its operation.

use invites_shared::http::Operation;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run(Operation::CheckUserInviteToken).await
}
