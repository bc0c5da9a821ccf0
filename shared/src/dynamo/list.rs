//! The read model's reads on DynamoDB: a key range of a list (a base-table Query for
//! `createdAt`, an index Query for the other sorts), the page's invites in one
//! `BatchGetItem`, and the counters in another.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use chrono::{DateTime, Utc};

use super::counters::{
    COUNTER_READS, COUNTER_SHARDS, counter_partition, counts_at, email_counter_key, email_total, read_sort_keys,
};
use super::entries::facts_from_item;
use super::item::{Item, invite_from_item, invite_key, s};
use super::table::{PARTITION_KEY, SORT_KEY, TENANT_KEY, list_index};
use super::{DynamoStore, sdk_error};
use crate::domain::{EffectiveStatus, Invite, InviteId, SortField, SortOrder};
use crate::readmodel::lists::{Scope, StatusCounts, backlog_end, status_list};
use crate::readmodel::plan::Range;
use crate::readmodel::{Batch, ListSource};
use crate::store::StoreError;

/// How often a `BatchGetItem` is repeated for the keys DynamoDB left unprocessed.
const BATCH_GET_ATTEMPTS: usize = 5;

impl DynamoStore {
    /// Gets items by key, in batches of at most 100, repeating unprocessed keys.
    async fn batch_get(&self, keys: Vec<Item>, consistent: bool) -> Result<Vec<Item>, StoreError> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            let mut pending = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(chunk.to_vec()))
                    .consistent_read(consistent)
                    .build()
                    .map_err(StoreError::internal)?,
            );
            for _ in 0..BATCH_GET_ATTEMPTS {
                let Some(request) = pending.take() else { break };
                let output = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(sdk_error)?;
                if let Some(items) = output.responses().and_then(|r| r.get(&self.table)) {
                    found.extend(items.iter().cloned());
                }
                pending = output
                    .unprocessed_keys()
                    .and_then(|u| u.get(&self.table))
                    .filter(|k| !k.keys().is_empty())
                    .cloned();
            }
            if pending.is_some() {
                return Err(StoreError::Unavailable("keys stayed unprocessed".into()));
            }
        }
        Ok(found)
    }

    /// Backlog invites (listed pending, expired by `now`), earliest expiry first, from
    /// the cross-tenant status lists.
    pub(super) async fn backlog(&self, now: DateTime<Utc>, max: usize) -> Result<Vec<InviteId>, StoreError> {
        let per_shard = max.div_ceil(COUNTER_SHARDS as usize).max(1);
        let ranges: Vec<Range> = Scope::All
            .shards()
            .into_iter()
            .map(|shard| Range {
                list: status_list(Scope::All, shard, EffectiveStatus::Pending),
                sort: SortField::Status,
                lo: Some("pending#".to_owned()),
                hi: Some(backlog_end(now)),
                order: SortOrder::Asc,
                backlog: true,
            })
            .collect();
        let batches = futures::future::try_join_all(ranges.iter().map(|r| self.read(r, None, per_shard))).await?;
        let mut due: Vec<(DateTime<Utc>, InviteId)> = batches
            .into_iter()
            .flat_map(|b| b.entries)
            .map(|(_, facts)| (facts.expires_at, facts.id))
            .collect();
        due.sort();
        Ok(due.into_iter().take(max).map(|(_, id)| id).collect())
    }
}

#[async_trait]
impl ListSource for DynamoStore {
    type Cont = HashMap<String, AttributeValue>;

    async fn read(&self, range: &Range, cont: Option<Self::Cont>, max: usize) -> Result<Batch<Self::Cont>, StoreError> {
        // `createdAt` is the entries' base key; the other sorts are indexes keyed by list.
        let (index, partition, sort_key) = match range.sort {
            SortField::CreatedAt => (None, PARTITION_KEY, SORT_KEY),
            sort => (Some(list_index(sort).name), TENANT_KEY, list_index(sort).sort_key),
        };
        let mut condition = "#p = :p".to_owned();
        let mut request = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(index.map(str::to_owned))
            .expression_attribute_names("#p", partition)
            .expression_attribute_values(":p", s(&range.list))
            .scan_index_forward(range.order == SortOrder::Asc)
            .limit(max.min(1000) as i32)
            .consistent_read(index.is_none())
            .set_exclusive_start_key(cont);
        match (&range.lo, &range.hi) {
            (Some(lo), Some(hi)) => {
                condition.push_str(" AND #k BETWEEN :lo AND :hi");
                request = request
                    .expression_attribute_values(":lo", s(lo))
                    .expression_attribute_values(":hi", s(hi));
            }
            (Some(lo), None) => {
                condition.push_str(" AND #k >= :lo");
                request = request.expression_attribute_values(":lo", s(lo));
            }
            (None, Some(hi)) => {
                condition.push_str(" AND #k <= :hi");
                request = request.expression_attribute_values(":hi", s(hi));
            }
            (None, None) => {}
        }
        if range.lo.is_some() || range.hi.is_some() {
            request = request.expression_attribute_names("#k", sort_key);
        }
        let output = request
            .key_condition_expression(condition)
            .send()
            .await
            .map_err(sdk_error)?;
        let entries = output
            .items()
            .iter()
            .map(|item| {
                let key = item
                    .get(sort_key)
                    .and_then(|v| v.as_s().ok())
                    .cloned()
                    .ok_or_else(|| StoreError::internal("a list entry without its sort key"))?;
                Ok((key, facts_from_item(item)?))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Batch {
            entries,
            cont: output.last_evaluated_key().cloned(),
            read: output.scanned_count().max(0) as usize,
        })
    }

    async fn invites(&self, ids: &[InviteId]) -> Result<(Vec<Invite>, usize), StoreError> {
        // Eventually consistent: the entries were read from indexes that are anyway.
        let items = self
            .batch_get(ids.iter().map(|id| invite_key(*id)).collect(), false)
            .await?;
        let invites = items.iter().map(invite_from_item).collect::<Result<Vec<_>, _>>()?;
        Ok((invites, items.len()))
    }

    async fn status_counts(&self, scope: Scope, now: DateTime<Utc>) -> Result<(StatusCounts, usize), StoreError> {
        let sort_keys = read_sort_keys(now);
        let keys = (0..COUNTER_SHARDS)
            .flat_map(|shard| {
                let pk = counter_partition(scope, shard);
                sort_keys
                    .iter()
                    .map(move |sk| Item::from([(PARTITION_KEY.to_owned(), s(&pk)), (SORT_KEY.to_owned(), s(sk))]))
            })
            .collect();
        let items = self.batch_get(keys, true).await?;
        Ok((counts_at(&items, now), items.len()))
    }

    async fn email_total(&self, scope: Scope, email: &str) -> Result<(u64, usize), StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(email_counter_key(scope, email)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok((email_total(output.item()), usize::from(output.item().is_some())))
    }

    fn status_counts_cost(&self) -> usize {
        COUNTER_READS
    }
}
