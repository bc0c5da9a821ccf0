//! `invite-events`: the table's stream becomes lifecycle events on an EventBridge bus.
//! Everything lives in the shared crate.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run_event_publisher().await
}
