//! The invite store on DynamoDB: one table, every change conditional or transactional.
//! The design (items, keys, indexes, round trips) is written up in `docs/dynamodb.md`.

mod table;

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, Put, ReturnValuesOnConditionCheckFailure, Select, TransactWriteItem,
};
use chrono::{DateTime, Duration, Utc};

pub use table::{
    LIST_INDEXES, ListIndex, PARTITION_KEY, SORT_KEY, TENANT_KEY, TTL_ATTRIBUTE, create_table, list_index,
};

use crate::domain::{EffectiveStatus, Invite, InviteId, InviteStatus, fold_case};
use crate::service::IDEMPOTENCY_LEASE_SECONDS;
use crate::store::{
    IdempotencyBegin, IdempotencyKey, IdempotencyRecord, InviteStore, ListPage, ListQuery, PageStart, SortField,
    SortOrder, StoreError, sortable_time,
};

/// How long DynamoDB keeps a pending invite after it expires (then TTL may purge it;
/// until then it reads as `expired` and can be resent).
pub const EXPIRED_RETENTION_DAYS: i64 = 90;

/// A DynamoDB client with the service's retry and timeout policy: throttling and 5xx
/// answers are retried by the SDK (standard mode, 3 attempts, jittered backoff); each
/// attempt and the whole call are bounded so a request never outlives API Gateway's 29 s.
/// `AWS_ENDPOINT_URL` (or `endpoint`) points it at an emulator.
pub async fn client_from_env(endpoint: Option<&str>) -> Client {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(StdDuration::from_secs(2))
                .operation_attempt_timeout(StdDuration::from_secs(3))
                .operation_timeout(StdDuration::from_secs(10))
                .build(),
        )
        .load()
        .await;
    let mut builder = aws_sdk_dynamodb::config::Builder::from(&config);
    if let Some(endpoint) = endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    Client::from_conf(builder.build())
}

/// Errors worth a 503: the SDK gave up on throttling, 5xx answers, timeouts or the network.
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
    let message = DisplayErrorContext(&e).to_string();
    if transient {
        StoreError::Unavailable(message)
    } else {
        StoreError::Internal(message)
    }
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

type Item = HashMap<String, AttributeValue>;

fn invite_key(id: InviteId) -> Item {
    HashMap::from([
        (PARTITION_KEY.to_owned(), s(format!("INVITE#{id}"))),
        (SORT_KEY.to_owned(), s("INVITE")),
    ])
}

fn slot_key(invite: &Invite) -> Item {
    HashMap::from([
        (
            PARTITION_KEY.to_owned(),
            s(format!("SLOT#{}#{}", invite.tenant_id, invite.email_canonical)),
        ),
        (SORT_KEY.to_owned(), s("SLOT")),
    ])
}

fn idempotency_key(key: &IdempotencyKey) -> Item {
    HashMap::from([
        (
            PARTITION_KEY.to_owned(),
            s(format!("IDEMPOTENCY#{}", key.storage_key())),
        ),
        (SORT_KEY.to_owned(), s("IDEMPOTENCY")),
    ])
}

fn stored_status(status: InviteStatus) -> &'static str {
    match status {
        InviteStatus::Pending => "pending",
        InviteStatus::Accepted => "accepted",
        InviteStatus::Canceled => "canceled",
    }
}

/// The index sort key of an invite, for `sort`.
fn index_sort_value(invite: &Invite, sort: SortField) -> String {
    let value = match sort {
        SortField::CreatedAt => sortable_time(invite.created_at),
        SortField::UpdatedAt => sortable_time(invite.updated_at),
        SortField::Email => invite.email_canonical.clone(),
        SortField::Status => format!("{}#{}", stored_status(invite.status), sortable_time(invite.expires_at)),
    };
    format!("{value}#{}", invite.id)
}

/// The invite as an item: the whole invite as a JSON document in `doc`, beside the
/// attributes that keys, conditions and filters read.
fn invite_item(invite: &Invite) -> Result<Item, StoreError> {
    let doc = serde_json::to_string(invite).map_err(|e| StoreError::Internal(e.to_string()))?;
    let mut item = invite_key(invite.id);
    item.extend([
        ("doc".to_owned(), s(doc)),
        ("version".to_owned(), n(invite.version as i64)),
        (TENANT_KEY.to_owned(), s(invite.tenant_id.to_string())),
        ("status".to_owned(), s(stored_status(invite.status))),
        ("expires_key".to_owned(), s(sortable_time(invite.expires_at))),
        ("email_canonical".to_owned(), s(&invite.email_canonical)),
        ("created_by".to_owned(), s(invite.created_by_user_id.to_string())),
    ]);
    for index in &LIST_INDEXES {
        item.insert(index.sort_key.to_owned(), s(index_sort_value(invite, index.sort)));
    }
    if let Some(accepted_by) = invite.accepted_by_user_id {
        item.insert("accepted_by".to_owned(), s(accepted_by.to_string()));
    }
    if let Some(first) = &invite.first_name {
        item.insert("first_lc".to_owned(), s(fold_case(first)));
    }
    if let Some(last) = &invite.last_name {
        item.insert("last_lc".to_owned(), s(fold_case(last)));
    }
    // What the mailer function's stream filter selects: invites whose email waits for a
    // mailer. The claim write drops it, so a claimed delivery does not trigger again.
    if invite.awaits_delivery() {
        item.insert("mail_state".to_owned(), s("queued"));
    }
    // Only a pending invite may ever be purged, long after it expired; accepted and
    // canceled invites are history and stay.
    if invite.status == InviteStatus::Pending {
        let purge_at = invite.expires_at + Duration::days(EXPIRED_RETENTION_DAYS);
        item.insert(TTL_ATTRIBUTE.to_owned(), n(purge_at.timestamp()));
    }
    Ok(item)
}

fn invite_from_item(item: &Item) -> Result<Invite, StoreError> {
    let doc = item
        .get("doc")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| StoreError::Internal("an invite item without doc".into()))?;
    serde_json::from_str(doc).map_err(|e| StoreError::Internal(e.to_string()))
}

fn slot_item(invite: &Invite) -> Item {
    let mut item = slot_key(invite);
    item.extend([
        ("invite_id".to_owned(), s(invite.id.to_string())),
        ("expires_key".to_owned(), s(sortable_time(invite.expires_at))),
        (TTL_ATTRIBUTE.to_owned(), n(invite.expires_at.timestamp())),
    ]);
    item
}

/// The slot may be taken when nobody holds it, this invite holds it, or its holder expired.
const SLOT_FREE_FOR_US: &str = "attribute_not_exists(pk) OR invite_id = :id OR expires_key <= :now";
/// The slot is given back only by the invite that holds it.
const SLOT_HELD_BY_US_OR_GONE: &str = "attribute_not_exists(pk) OR invite_id = :id";

/// Which slot operation a replace needs, derived from the two versions.
enum SlotChange {
    None,
    Take,
    GiveBack,
}

fn slot_change(previous: &Invite, next: &Invite, now: DateTime<Utc>) -> SlotChange {
    if next.holds_email_slot(now) {
        // Already ours, for the same expiry: nothing to write.
        if previous.holds_email_slot(now) && previous.expires_at == next.expires_at {
            SlotChange::None
        } else {
            SlotChange::Take
        }
    } else if previous.status == InviteStatus::Pending {
        SlotChange::GiveBack
    } else {
        SlotChange::None
    }
}

pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn put_invite(&self, invite: &Invite, condition: &str, values: Item) -> Result<Put, StoreError> {
        Put::builder()
            .table_name(&self.table)
            .set_item(Some(invite_item(invite)?))
            .condition_expression(condition)
            .set_expression_attribute_values((!values.is_empty()).then_some(values))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    fn put_slot(&self, invite: &Invite, now: DateTime<Utc>) -> Result<Put, StoreError> {
        Put::builder()
            .table_name(&self.table)
            .set_item(Some(slot_item(invite)))
            .condition_expression(SLOT_FREE_FOR_US)
            .expression_attribute_values(":id", s(invite.id.to_string()))
            .expression_attribute_values(":now", s(sortable_time(now)))
            .build()
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    fn delete_slot(&self, invite: &Invite) -> Result<Delete, StoreError> {
        Delete::builder()
            .table_name(&self.table)
            .set_key(Some(slot_key(invite)))
            .condition_expression(SLOT_HELD_BY_US_OR_GONE)
            .expression_attribute_values(":id", s(invite.id.to_string()))
            .build()
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    /// Runs a transaction; on cancellation, says which items' conditions failed (and
    /// the current copy of the first, when DynamoDB returned it).
    async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), Cancelled> {
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(cancel)) => {
                    let reasons = cancel.cancellation_reasons();
                    let failed = |i: usize| reasons.get(i).and_then(|r| r.code()) == Some("ConditionalCheckFailed");
                    if (0..reasons.len()).any(|i| {
                        reasons
                            .get(i)
                            .and_then(|r| r.code())
                            .is_some_and(|c| c != "None" && c != "ConditionalCheckFailed")
                    }) {
                        // Another transaction held an item (TransactionConflict) or DynamoDB throttled it.
                        return Err(Cancelled::Store(StoreError::Conflict(None)));
                    }
                    let first_item = reasons.first().and_then(|r| r.item()).map(invite_from_item).transpose();
                    Err(Cancelled::Conditions {
                        failed: (0..reasons.len()).filter(|i| failed(*i)).collect(),
                        first_item: first_item.ok().flatten().map(Box::new),
                    })
                }
                _ => Err(Cancelled::Store(sdk_error(e))),
            },
        }
    }
}

enum Cancelled {
    Conditions {
        failed: Vec<usize>,
        first_item: Option<Box<Invite>>,
    },
    Store(StoreError),
}

fn transact_put(put: Put) -> TransactWriteItem {
    TransactWriteItem::builder().put(put).build()
}

fn transact_delete(delete: Delete) -> TransactWriteItem {
    TransactWriteItem::builder().delete(delete).build()
}

#[async_trait]
impl InviteStore for DynamoStore {
    /// One round trip: the invite and its slot in one transaction.
    async fn insert(&self, invite: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let items = vec![
            transact_put(self.put_slot(invite, now)?),
            transact_put(self.put_invite(invite, "attribute_not_exists(pk)", HashMap::new())?),
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(Cancelled::Conditions { failed, .. }) if failed.contains(&0) => Err(StoreError::DuplicatePending),
            Err(Cancelled::Conditions { .. }) => {
                Err(StoreError::Internal(format!("invite {} exists already", invite.id)))
            }
            Err(Cancelled::Store(e)) => Err(e),
        }
    }

    /// One round trip, strongly consistent.
    async fn get(&self, id: InviteId) -> Result<Option<Invite>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(invite_key(id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        output.item().map(invite_from_item).transpose()
    }

    /// One round trip: a conditional put, or a transaction when the slot changes hands.
    async fn replace(&self, previous: &Invite, next: &Invite, now: DateTime<Utc>) -> Result<(), StoreError> {
        let version_matches = HashMap::from([(":v".to_owned(), n(previous.version as i64))]);
        let put = self.put_invite(next, "version = :v", version_matches)?;
        let slot = match slot_change(previous, next, now) {
            SlotChange::None => None,
            SlotChange::Take => Some(transact_put(self.put_slot(next, now)?)),
            SlotChange::GiveBack => Some(transact_delete(self.delete_slot(previous)?)),
        };
        let Some(slot) = slot else {
            return self.put_alone(put).await;
        };
        let giving_back = matches!(slot_change(previous, next, now), SlotChange::GiveBack);
        match self.transact(vec![transact_put(put.clone()), slot]).await {
            Ok(()) => Ok(()),
            Err(Cancelled::Conditions { failed, first_item }) if failed.contains(&0) => {
                Err(StoreError::Conflict(first_item))
            }
            // The slot was taken over by a newer invite after ours expired: it is not
            // ours to give back, so store the invite alone.
            Err(Cancelled::Conditions { .. }) if giving_back => self.put_alone(put).await,
            Err(Cancelled::Conditions { .. }) => Err(StoreError::DuplicatePending),
            Err(Cancelled::Store(e)) => Err(e),
        }
    }

    /// One Query for the page and one COUNT Query for `totalCount`, run together, both
    /// inside the tenant's partition of the index for the requested sort.
    async fn list(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError> {
        let index = list_index(query.sort);
        let filter = ListFilter::new(query, now);
        let (page, total_count) =
            tokio::try_join!(self.page(query, index, &filter), self.count(query, index, &filter))?;
        let (items, has_more) = page;
        Ok(ListPage {
            total_count,
            items,
            has_more,
        })
    }

    /// One round trip: a conditional put that returns the existing record when it fails.
    async fn begin_idempotent(
        &self,
        key: &IdempotencyKey,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyBegin, StoreError> {
        let claim = IdempotencyRecord {
            fingerprint: fingerprint.to_owned(),
            response: None,
            expires_at: now + Duration::seconds(IDEMPOTENCY_LEASE_SECONDS),
        };
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(idempotency_item(key, &claim)?))
            .condition_expression("attribute_not_exists(pk) OR expires_key <= :now")
            .expression_attribute_values(":now", s(sortable_time(now)))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        let existing = match result {
            Ok(_) => return Ok(IdempotencyBegin::Claimed),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(failed)) => match failed.item() {
                    Some(item) => idempotency_from_item(item)?,
                    None => self.read_idempotency(key).await?,
                },
                _ => return Err(sdk_error(e)),
            },
        };
        Ok(existing.outcome_for(fingerprint))
    }

    async fn complete_idempotent(&self, key: &IdempotencyKey, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(idempotency_item(key, record)?))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// A Scan for `mail_state`: O(table), for a local server starting up. On AWS the
    /// stream delivers, and nothing calls this.
    async fn queued_for_delivery(&self) -> Result<Vec<InviteId>, StoreError> {
        let mut queued = Vec::new();
        let mut start_key = None;
        loop {
            let output = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("attribute_exists(mail_state)")
                .projection_expression("pk")
                .consistent_read(true)
                .set_exclusive_start_key(start_key)
                .send()
                .await
                .map_err(sdk_error)?;
            queued.extend(output.items().iter().filter_map(|item| {
                let pk = item.get(PARTITION_KEY)?.as_s().ok()?;
                InviteId::parse(pk.strip_prefix("INVITE#")?)
            }));
            start_key = output.last_evaluated_key().cloned();
            if start_key.is_none() {
                return Ok(queued);
            }
        }
    }

    async fn release_idempotent(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(idempotency_key(key)))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }
}

fn idempotency_item(key: &IdempotencyKey, record: &IdempotencyRecord) -> Result<Item, StoreError> {
    let mut item = idempotency_key(key);
    item.extend([
        ("fingerprint".to_owned(), s(&record.fingerprint)),
        ("expires_key".to_owned(), s(sortable_time(record.expires_at))),
        (TTL_ATTRIBUTE.to_owned(), n(record.expires_at.timestamp())),
    ]);
    if let Some(response) = &record.response {
        item.insert("response".to_owned(), s(response.to_string()));
    }
    Ok(item)
}

fn idempotency_from_item(item: &Item) -> Result<IdempotencyRecord, StoreError> {
    let text = |name: &str| item.get(name).and_then(|v| v.as_s().ok()).cloned();
    let expires_at = text("expires_key")
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| StoreError::Internal("an idempotency record without expiry".into()))?;
    Ok(IdempotencyRecord {
        fingerprint: text("fingerprint").unwrap_or_default(),
        response: text("response")
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(|e| StoreError::Internal(e.to_string()))?,
        expires_at,
    })
}

impl DynamoStore {
    /// A conditional put of an invite on its own; a failed condition returns the current copy.
    async fn put_alone(&self, put: Put) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(put.item))
            .set_condition_expression(put.condition_expression)
            .set_expression_attribute_values(put.expression_attribute_values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(failed)) => Err(StoreError::Conflict(
                    failed.item().and_then(|item| invite_from_item(item).ok()).map(Box::new),
                )),
                _ => Err(sdk_error(e)),
            },
        }
    }

    async fn read_idempotency(&self, key: &IdempotencyKey) -> Result<IdempotencyRecord, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(idempotency_key(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        output
            .item()
            .map(idempotency_from_item)
            .transpose()?
            .ok_or(StoreError::Conflict(None))
    }

    fn query_builder(
        &self,
        query: &ListQuery,
        index: &ListIndex,
        filter: &ListFilter,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        let mut values = filter.values.clone();
        values.insert(":tenant".to_owned(), s(query.tenant_id.to_string()));
        let mut names = filter.names.clone();
        names.insert("#tenant".to_owned(), TENANT_KEY.to_owned());
        self.client
            .query()
            .table_name(&self.table)
            .index_name(index.name)
            .key_condition_expression("#tenant = :tenant")
            .set_filter_expression(filter.expression.clone())
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
    }

    async fn page(
        &self,
        query: &ListQuery,
        index: &ListIndex,
        filter: &ListFilter,
    ) -> Result<(Vec<Invite>, bool), StoreError> {
        let limit = query.limit as usize;
        let (mut skip, mut start_key) = match &query.start {
            PageStart::Offset(offset) => (*offset as usize, None),
            PageStart::After(after) => {
                let mut key = invite_key(after.id);
                key.insert(TENANT_KEY.to_owned(), s(query.tenant_id.to_string()));
                // A cursor holds the effective status; the index holds the stored one.
                let value = match query.sort {
                    SortField::Status => after.value.replacen(EffectiveStatus::Expired.as_str(), "pending", 1),
                    _ => after.value.clone(),
                };
                key.insert(index.sort_key.to_owned(), s(format!("{value}#{}", after.id)));
                (0, Some(key))
            }
        };
        let mut items = Vec::with_capacity(limit + 1);
        loop {
            let mut request = self
                .query_builder(query, index, filter)
                .scan_index_forward(query.order == SortOrder::Asc)
                .set_exclusive_start_key(start_key.take());
            // Without a filter every item read is a match: read exactly what the page needs
            // (one more, to know whether another page follows).
            if filter.expression.is_none() {
                request = request.limit((skip + limit + 1).min(1000) as i32);
            }
            let output = request.send().await.map_err(sdk_error)?;
            for item in output.items() {
                if skip > 0 {
                    skip -= 1;
                } else if items.len() <= limit {
                    items.push(invite_from_item(item)?);
                }
            }
            start_key = output.last_evaluated_key().cloned();
            if items.len() > limit || start_key.is_none() {
                break;
            }
        }
        let has_more = items.len() > limit;
        items.truncate(limit);
        Ok((items, has_more))
    }

    async fn count(&self, query: &ListQuery, index: &ListIndex, filter: &ListFilter) -> Result<u64, StoreError> {
        let mut total = 0u64;
        let mut start_key = None;
        loop {
            let output = self
                .query_builder(query, index, filter)
                .select(Select::Count)
                .set_exclusive_start_key(start_key)
                .send()
                .await
                .map_err(sdk_error)?;
            total += output.count().max(0) as u64;
            start_key = output.last_evaluated_key().cloned();
            if start_key.is_none() {
                return Ok(total);
            }
        }
    }
}

/// The list filters as a DynamoDB filter expression. `expired` and `pending` are both
/// stored as `pending` and told apart by `expires_key` against now.
#[derive(Default)]
struct ListFilter {
    expression: Option<String>,
    names: HashMap<String, String>,
    values: Item,
}

impl ListFilter {
    fn new(query: &ListQuery, now: DateTime<Utc>) -> Self {
        let mut filter = Self::default();
        // Each clause is a list of alternatives joined by OR. DynamoDB refuses redundant
        // parentheses, so an OR-group is wrapped only when ANDed with other clauses, and
        // `a AND b` inside one needs none (AND binds tighter than OR).
        let mut clauses: Vec<Vec<&str>> = Vec::new();
        if !query.statuses.is_empty() {
            filter.names.insert("#status".into(), "status".into());
            let alternatives: Vec<&str> = query
                .statuses
                .iter()
                .map(|status| match status {
                    EffectiveStatus::Pending => "#status = :pending AND expires_key > :now",
                    EffectiveStatus::Expired => "#status = :pending AND expires_key <= :now",
                    EffectiveStatus::Accepted => "#status = :accepted",
                    EffectiveStatus::Canceled => "#status = :canceled",
                })
                .collect();
            for (name, value) in [
                (":pending", s("pending")),
                (":accepted", s("accepted")),
                (":canceled", s("canceled")),
                (":now", s(sortable_time(now))),
            ] {
                // DynamoDB also refuses values that no clause uses.
                if alternatives.iter().any(|c| c.contains(name)) {
                    filter.values.insert(name.into(), value);
                }
            }
            clauses.push(alternatives);
        }
        if let Some(email) = &query.email {
            filter.values.insert(":email".into(), s(email));
            clauses.push(vec!["email_canonical = :email"]);
        }
        if let Some(user) = query.created_by {
            filter.values.insert(":created_by".into(), s(user.to_string()));
            clauses.push(vec!["created_by = :created_by"]);
        }
        if let Some(user) = query.accepted_by {
            filter.values.insert(":accepted_by".into(), s(user.to_string()));
            clauses.push(vec!["accepted_by = :accepted_by"]);
        }
        if let Some(needle) = &query.search {
            filter.values.insert(":search".into(), s(needle));
            clauses.push(vec![
                "contains(email_canonical, :search)",
                "contains(first_lc, :search)",
                "contains(last_lc, :search)",
            ]);
        }
        let several = clauses.len() > 1;
        let joined: Vec<String> = clauses
            .into_iter()
            .map(|alternatives| match alternatives.len() {
                1 => alternatives[0].to_owned(),
                _ if several => format!("({})", alternatives.join(" OR ")),
                _ => alternatives.join(" OR "),
            })
            .collect();
        if !joined.is_empty() {
            filter.expression = Some(joined.join(" AND "));
        }
        filter
    }
}
