//! The invite store on DynamoDB: one table, every change conditional or transactional.
//! The design (items, keys, indexes, round trips) is written up in `docs/dynamodb.md`.
//!
//! - `table`: the one definition of the table, its indexes and TTL;
//! - `item`: how invites, slots and idempotency records are written as items;
//! - `entries`, `counters`: the read model's items (ledgers, list entries, counters);
//! - `write`: one write of an invite, a transaction over all of them;
//! - `store`: the [`InviteStore`](crate::store::InviteStore) over them;
//! - `list`: the reads `userInvites` plans over ([`crate::readmodel`]);
//! - `migrate`: bringing a table of an earlier version to the current shape.

mod counters;
mod entries;
mod item;
mod list;
mod migrate;
mod store;
mod table;
mod write;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

pub use item::{DOC, invite_id_of_partition_key};
pub use migrate::MigrationReport;
pub use store::DynamoStore;
pub use table::{
    LIST_INDEXES, ListIndex, PARTITION_KEY, SORT_KEY, STREAM_VIEW_TYPE, TENANT_KEY, TTL_ATTRIBUTE, create_table,
    delete_table, list_index,
};

use crate::store::StoreError;

/// A DynamoDB client with the service's retry and timeout policy ([`crate::aws`]).
/// `AWS_ENDPOINT_URL` (or `endpoint`) points it at an emulator.
pub async fn client_from_env(endpoint: Option<&str>) -> Client {
    client(&crate::aws::sdk_config().await, endpoint)
}

/// A DynamoDB client over an SDK configuration loaded once for every client.
pub fn client(config: &aws_config::SdkConfig, endpoint: Option<&str>) -> Client {
    let mut builder = aws_sdk_dynamodb::config::Builder::from(config);
    if let Some(endpoint) = endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    Client::from_conf(builder.build())
}

/// Errors worth a 503: the SDK gave up on throttling, 5xx answers, timeouts or the
/// network. The SDK's error is kept whole as the cause.
pub(crate) fn sdk_error<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let transient = match &e {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => true,
        SdkError::ServiceError(ctx) => matches!(
            ctx.err().code(),
            Some(
                "ThrottlingException"
                    | "ProvisionedThroughputExceededException"
                    | "RequestLimitExceeded"
                    | "InternalServerError"
                    | "ServiceUnavailable"
                    | "LimitExceededException"
            )
        ),
        _ => false,
    };
    if transient {
        StoreError::Unavailable(Box::new(e))
    } else {
        StoreError::Internal(Box::new(e))
    }
}
