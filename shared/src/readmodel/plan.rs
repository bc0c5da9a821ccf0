//! From a list query to what to read: the lists (and key ranges of them) whose merge is
//! the page, the in-memory check each entry must pass, and how to count.

use chrono::{DateTime, Utc};

use super::lists::{
    Facts, Scope, acceptor_list, all_list, backlog_end, creator_list, email_list, mail_list, search_list, status_list,
};
use crate::domain::{
    EffectiveStatus, EmailStatus, SortField, SortOrder, TenantId, UserId, index_prefix, search_matches,
};
use crate::store::ListQuery;

/// One ordered run of entries: a key range of one list in one sort.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub list: String,
    pub sort: SortField,
    /// Inclusive bounds on the stored keys; `None` is open.
    pub lo: Option<String>,
    pub hi: Option<String>,
    pub order: SortOrder,
    /// The status sort's backlog: listed-pending entries expired by now, whose stored
    /// `pending#…` keys the page reads as `expired#…`.
    pub backlog: bool,
}

impl Range {
    /// A stored key of this range as the page orders it (monotonic within the range).
    pub fn page_key(&self, stored: &str) -> String {
        match stored.strip_prefix("pending#") {
            Some(rest) if self.backlog => format!("expired#{rest}"),
            _ => stored.to_owned(),
        }
    }

    /// The stored key a page key stands for in this range.
    pub fn stored_key(&self, page: &str) -> String {
        match page.strip_prefix("expired#") {
            Some(rest) if self.backlog => format!("pending#{rest}"),
            _ => page.to_owned(),
        }
    }
}

/// What each entry of the page's lists must satisfy: the whole query, checked on the
/// entry's facts (the lists make most of it true already).
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub tenant: Option<TenantId>,
    pub statuses: Vec<EffectiveStatus>,
    pub email_statuses: Vec<EmailStatus>,
    pub email: Option<String>,
    pub created_by: Option<UserId>,
    pub accepted_by: Option<UserId>,
    pub needle: Option<String>,
}

impl Check {
    pub fn passes(&self, facts: &Facts, now: DateTime<Utc>) -> bool {
        self.tenant.is_none_or(|t| t == facts.tenant_id)
            && (self.statuses.is_empty() || self.statuses.contains(&facts.status_at(now)))
            && (self.email_statuses.is_empty() || facts.email_status.is_some_and(|s| self.email_statuses.contains(&s)))
            && self.email.as_ref().is_none_or(|e| *e == facts.email)
            && self.created_by.is_none_or(|u| u == facts.created_by)
            && self.accepted_by.is_none_or(|u| Some(u) == facts.accepted_by)
            && self.needle.as_ref().is_none_or(|n| search_matches(n, &facts.search))
    }
}

/// How `totalCount` is had.
#[derive(Debug, Clone, PartialEq)]
pub enum Count {
    /// From the scope's counters: exact.
    Statuses {
        scope: Scope,
        statuses: Vec<EffectiveStatus>,
    },
    /// From the email's counter: exact.
    Email { scope: Scope, email: String },
    /// By reading the lists (in any order) until more than the cap match, the lists end,
    /// or the count's reads are spent: exact only when the lists end first.
    Scan { ranges: Vec<Range> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub scope: Scope,
    /// Merged, they are the page's order.
    pub ranges: Vec<Range>,
    pub check: Check,
    pub count: Count,
}

/// What one list is, for the statuses its entries can have in the status sort.
#[derive(Clone, Copy, PartialEq)]
enum Holds {
    /// Entries of any listed status.
    Any,
    /// Only this listed status.
    Only(EffectiveStatus),
}

pub fn plan(query: &ListQuery, now: DateTime<Utc>) -> Plan {
    let scope = query.tenant_id.map(Scope::Tenant).unwrap_or(Scope::All);
    let all_statuses = query.statuses.is_empty() || query.statuses.len() == EffectiveStatus::ALL.len();
    let statuses: Vec<EffectiveStatus> = if all_statuses { vec![] } else { query.statuses.clone() };
    let needle = query.search.clone();
    // The one filter that picks the lists, most selective first.
    let lists: Vec<(String, Holds)> = if let Some(email) = &query.email {
        vec![(email_list(scope, email), Holds::Any)]
    } else if let Some(user) = query.accepted_by {
        vec![(acceptor_list(scope, user), Holds::Only(EffectiveStatus::Accepted))]
    } else if let Some(user) = query.created_by {
        vec![(creator_list(scope, user), Holds::Any)]
    } else if let Some(needle) = &needle {
        let (prefix, _) = index_prefix(needle);
        scope
            .shards()
            .into_iter()
            .map(|shard| (search_list(scope, shard, prefix), Holds::Any))
            .collect()
    } else if !query.email_statuses.is_empty() {
        scope
            .shards()
            .into_iter()
            .flat_map(|shard| {
                query
                    .email_statuses
                    .iter()
                    .map(move |s| (mail_list(scope, shard, *s), Holds::Any))
            })
            .collect()
    } else if !statuses.is_empty() {
        let mut listed: Vec<EffectiveStatus> = Vec::new();
        for status in &statuses {
            // The expired include the backlog, still listed pending.
            let wanted: &[EffectiveStatus] = match status {
                EffectiveStatus::Expired => &[EffectiveStatus::Expired, EffectiveStatus::Pending],
                other => std::slice::from_ref(other),
            };
            for s in wanted {
                if !listed.contains(s) {
                    listed.push(*s);
                }
            }
        }
        scope
            .shards()
            .into_iter()
            .flat_map(|shard| {
                listed
                    .iter()
                    .map(move |s| (status_list(scope, shard, *s), Holds::Only(*s)))
            })
            .collect()
    } else {
        scope
            .shards()
            .into_iter()
            .map(|shard| (all_list(scope, shard), Holds::Any))
            .collect()
    };

    let check = Check {
        tenant: query.tenant_id,
        statuses: statuses.clone(),
        email_statuses: query.email_statuses.clone(),
        email: query.email.clone(),
        created_by: query.created_by,
        accepted_by: query.accepted_by,
        needle: needle.clone(),
    };
    let ranges = lists
        .iter()
        .flat_map(|(list, holds)| ranges_of(list, *holds, &statuses, query.sort, query.order, now))
        .collect();
    let filters = [
        !query.email_statuses.is_empty(),
        query.email.is_some(),
        query.created_by.is_some(),
        query.accepted_by.is_some(),
        needle.is_some(),
    ]
    .into_iter()
    .filter(|f| *f)
    .count();
    let count = if filters == 0 {
        Count::Statuses { scope, statuses }
    } else if filters == 1 && statuses.is_empty() && query.email.is_some() {
        Count::Email {
            scope,
            email: query.email.clone().unwrap_or_default(),
        }
    } else {
        Count::Scan {
            ranges: lists
                .iter()
                .map(|(list, _)| Range {
                    list: list.clone(),
                    sort: SortField::CreatedAt,
                    lo: None,
                    hi: None,
                    order: SortOrder::Asc,
                    backlog: false,
                })
                .collect(),
        }
    };
    Plan {
        scope,
        ranges,
        check,
        count,
    }
}

/// The ranges of one list that, merged, give its entries in the query's order. Only the
/// status sort splits a list: the backlog (listed pending, expired by `now`) is its own
/// range, since it sorts among the expired.
fn ranges_of(
    list: &str,
    holds: Holds,
    statuses: &[EffectiveStatus],
    sort: SortField,
    order: SortOrder,
    now: DateTime<Utc>,
) -> Vec<Range> {
    let range = |lo: Option<String>, hi: Option<String>| Range {
        backlog: lo.as_deref() == Some("pending#"),
        list: list.to_owned(),
        sort,
        lo,
        hi,
        order,
    };
    let may_hold_pending = matches!(holds, Holds::Any | Holds::Only(EffectiveStatus::Pending));
    if sort != SortField::Status || !may_hold_pending {
        return vec![range(None, None)];
    }
    let wants = |s: EffectiveStatus| statuses.is_empty() || statuses.contains(&s);
    let mut ranges = Vec::new();
    if holds == Holds::Any {
        // accepted, canceled and recorded expired: everything before `pending#`.
        ranges.push(range(None, Some("pending\"".to_owned())));
    }
    if wants(EffectiveStatus::Expired) {
        ranges.push(range(Some("pending#".to_owned()), Some(backlog_end(now))));
    }
    if wants(EffectiveStatus::Pending) {
        ranges.push(range(Some(backlog_end(now)), None));
    }
    ranges
}
