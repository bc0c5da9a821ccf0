//! The read model on DynamoDB, through the counting proxy in front of moto: the items
//! every list request reads stay within the bound whatever the tenant's size, and a table
//! of the previous version migrates. These tests fill tables of thousands of items; they
//! run one at a time (moto serves one request at a time, and a test waiting behind
//! another's writes would time out and retry, which the proxy would count).

use invites_tests::proxy::FaultProxy;
use invites_tests::{TestApp, spawn_app_on_dynamodb};

mod list_bound;
mod migration;

/// Held by each test for its whole run.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub(crate) async fn app_behind_proxy() -> (TestApp, FaultProxy) {
    let proxy = FaultProxy::start().await;
    let app = spawn_app_on_dynamodb(&proxy.url).await;
    (app, proxy)
}
