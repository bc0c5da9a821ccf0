//! `invite-email-feedback`: SES's bounces, complaints, deliveries and rejects, from the
//! configuration set's SNS topic, recorded on the invites. Everything lives in the
//! shared crate.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run_email_feedback().await
}
