//! `invite-mailer`: the table's stream delivers queued invitation emails through SES.
//! Everything lives in the shared crate.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run_mailer().await
}
