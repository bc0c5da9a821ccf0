//! `invite-expiry-sweep`: every minute, records the expiry of invites past `expiresAt`,
//! so `user-invite.expired` is published when it happens. Everything lives in the
//! shared crate.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run_expiry_sweep().await
}
