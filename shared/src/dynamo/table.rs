//! The one definition of the table: the code creates it from this, and a test proves
//! `template.yaml` declares the same keys, indexes, TTL attribute and stream.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, StreamSpecification, StreamViewType, TimeToLiveSpecification,
};

use crate::domain::SortField;
use crate::store::StoreError;

pub const PARTITION_KEY: &str = "pk";
pub const SORT_KEY: &str = "sk";
/// Epoch seconds after which DynamoDB may purge an item (eventually, hence the
/// service never relies on it: expiry is read off `expiresAt`).
pub const TTL_ATTRIBUTE: &str = "ttl";
/// The partition key of every list index: the invite's tenant.
pub const TENANT_KEY: &str = "tenant_key";
/// What the table's stream carries: both images. The mailer reads `mail_state` in the new
/// one (the template filters the stream on it, so the mailer only sees queued emails);
/// the events publisher compares the invite before and after each write.
pub const STREAM_VIEW_TYPE: &str = "NEW_AND_OLD_IMAGES";

pub struct ListIndex {
    pub name: &'static str,
    /// The sort key attribute: `<sortable value>#<invite id>`.
    pub sort_key: &'static str,
    pub sort: SortField,
}

/// One index per sort order of `userInvites`, each partitioned by tenant, so a page
/// is one Query inside one tenant.
pub const LIST_INDEXES: [ListIndex; 4] = [
    ListIndex {
        name: "by-tenant-created",
        sort_key: "created_key",
        sort: SortField::CreatedAt,
    },
    ListIndex {
        name: "by-tenant-updated",
        sort_key: "updated_key",
        sort: SortField::UpdatedAt,
    },
    ListIndex {
        name: "by-tenant-email",
        sort_key: "email_key",
        sort: SortField::Email,
    },
    ListIndex {
        name: "by-tenant-status",
        sort_key: "status_key",
        sort: SortField::Status,
    },
];

pub fn list_index(sort: SortField) -> &'static ListIndex {
    LIST_INDEXES
        .iter()
        .find(|i| i.sort == sort)
        .expect("every sort has an index")
}

fn key(name: &str, kind: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .expect("a key schema element has its fields")
}

fn string_attribute(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .expect("an attribute definition has its fields")
}

/// Creates the table (on-demand, with its indexes, stream and TTL) unless it exists.
/// Returns whether it created it.
pub async fn create_table(client: &Client, table: &str) -> Result<bool, StoreError> {
    match client.describe_table().table_name(table).send().await {
        Ok(_) => return Ok(false),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) => {}
        Err(e) => return Err(super::sdk_error(e)),
    }
    let mut request = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(PARTITION_KEY, KeyType::Hash))
        .key_schema(key(SORT_KEY, KeyType::Range))
        .attribute_definitions(string_attribute(PARTITION_KEY))
        .attribute_definitions(string_attribute(SORT_KEY))
        .attribute_definitions(string_attribute(TENANT_KEY))
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(STREAM_VIEW_TYPE))
                .build()
                .expect("a stream specification has its fields"),
        );
    for index in &LIST_INDEXES {
        request = request
            .attribute_definitions(string_attribute(index.sort_key))
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(index.name)
                    .key_schema(key(TENANT_KEY, KeyType::Hash))
                    .key_schema(key(index.sort_key, KeyType::Range))
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .build()
                    .expect("an index has its fields"),
            );
    }
    request.send().await.map_err(super::sdk_error)?;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name(TTL_ATTRIBUTE)
                .enabled(true)
                .build()
                .expect("a TTL specification has its fields"),
        )
        .send()
        .await
        .map_err(super::sdk_error)?;
    Ok(true)
}

/// Deletes the table if it exists (for `invites-local seed-fixtures`, which starts a
/// local emulator's table afresh). Returns whether it existed.
pub async fn delete_table(client: &Client, table: &str) -> Result<bool, StoreError> {
    match client.delete_table().table_name(table).send().await {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(false)
        }
        Err(e) => Err(super::sdk_error(e)),
    }
}
