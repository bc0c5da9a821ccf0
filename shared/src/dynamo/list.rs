//! `userInvites` on DynamoDB: a page and its total, each a Query inside one tenant's
//! partition of the index for the requested sort.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::Select;
use chrono::{DateTime, Utc};

use super::item::{Item, invite_from_item, invite_key, s};
use super::table::{ListIndex, TENANT_KEY, list_index};
use super::{DynamoStore, sdk_error};
use crate::domain::{EffectiveStatus, Invite, SortField, SortOrder};
use crate::store::{ListPage, ListQuery, PageStart, StoreError, sortable_time};

impl DynamoStore {
    /// One Query for the page and one COUNT Query for `totalCount`, run together.
    pub(super) async fn list_page(&self, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError> {
        let index = list_index(query.sort);
        let filter = ListFilter::new(query, now);
        let ((items, has_more), total_count) =
            tokio::try_join!(self.page(query, index, &filter), self.count(query, index, &filter))?;
        Ok(ListPage {
            total_count,
            items,
            has_more,
        })
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
        let (mut skip, start_key) = match &query.start {
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
        let mut request = self
            .query_builder(query, index, filter)
            .scan_index_forward(query.order == SortOrder::Asc)
            .set_exclusive_start_key(start_key);
        // Without a filter every item read is a match: read exactly what the page needs
        // (one more, to know whether another page follows).
        if filter.expression.is_none() {
            request = request.limit((skip + limit + 1).min(1000) as i32);
        }
        let mut pages = request.into_paginator().send();
        let mut items = Vec::with_capacity(limit + 1);
        while let Some(output) = pages.next().await {
            for item in output.map_err(sdk_error)?.items() {
                if skip > 0 {
                    skip -= 1;
                } else if items.len() <= limit {
                    items.push(invite_from_item(item)?);
                }
            }
            if items.len() > limit {
                break;
            }
        }
        let has_more = items.len() > limit;
        items.truncate(limit);
        Ok((items, has_more))
    }

    async fn count(&self, query: &ListQuery, index: &ListIndex, filter: &ListFilter) -> Result<u64, StoreError> {
        self.query_builder(query, index, filter)
            .select(Select::Count)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(sdk_error)
            .map(|pages| pages.iter().map(|page| page.count().max(0) as u64).sum())
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
