//! `list-user-invites`: everything lives in the shared crate; this binary names its one
//! operation's handler, so only that handler is linked.

use invites_shared::http::endpoints::ListUserInvites;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run::<ListUserInvites>().await
}
