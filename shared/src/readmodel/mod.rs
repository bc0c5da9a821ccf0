//! The read model both stores share: which lists an invite is in ([`lists`]), how a list
//! query becomes key ranges of those lists and a count ([`plan`]), and how ranges merge
//! into a page under a read budget ([`merge`]). A store supplies the reads
//! ([`ListSource`]); [`list`] answers `userInvites` over them. The design, and why the
//! work of a request does not grow with the data, is in `docs/dynamodb.md`.

pub mod lists;
pub mod merge;
pub mod plan;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{EXACT_COUNT_CAP, Invite, InviteId, LIST_READ_ALLOWANCE};
use crate::store::{ListPage, ListQuery, PageStart, SortKey, StoreError};
use lists::{Facts, Scope, StatusCounts};
use plan::{Count, Range};

/// What a capped count may read: one more than the cap, to know it is passed.
pub const COUNT_READS: usize = EXACT_COUNT_CAP as usize + 1;

/// Some entries of one range, in its order.
pub struct Batch<C> {
    /// Each entry's stored key in the range's sort, and its facts.
    pub entries: Vec<(String, Facts)>,
    /// Where the range goes on; `None` when it ended.
    pub cont: Option<C>,
    /// Items read from storage.
    pub read: usize,
}

/// The reads a store offers the read model.
#[async_trait]
pub trait ListSource: Send + Sync {
    /// Where a read of a range left off.
    type Cont: Clone + Send + Sync + 'static;

    /// At most `max` entries of `range` (from its start, or from `cont`).
    async fn read(&self, range: &Range, cont: Option<Self::Cont>, max: usize) -> Result<Batch<Self::Cont>, StoreError>;

    /// The invites with these ids that exist, and the items read.
    async fn invites(&self, ids: &[InviteId]) -> Result<(Vec<Invite>, usize), StoreError>;

    /// A scope's invites by status at `now`, exactly, and the items read.
    async fn status_counts(&self, scope: Scope, now: DateTime<Utc>) -> Result<(StatusCounts, usize), StoreError>;

    /// How many invites were ever sent to `email` (canonical) in a scope, and the items read.
    async fn email_total(&self, scope: Scope, email: &str) -> Result<(u64, usize), StoreError>;

    /// The most items [`ListSource::status_counts`] reads.
    fn status_counts_cost(&self) -> usize;

    /// The most items one list request may read; `None` for no bound (a store whose
    /// reads are local and cheap may page to the end of a short page).
    fn budget(&self, query: &ListQuery) -> Option<usize> {
        let offset = match query.start {
            PageStart::Offset(offset) => offset as usize,
            PageStart::After(_) => 0,
        };
        Some(offset + 2 * query.limit as usize + LIST_READ_ALLOWANCE as usize)
    }
}

/// `userInvites` over a store's reads: one page, and `totalCount`.
pub async fn list<S: ListSource>(source: &S, query: &ListQuery, now: DateTime<Utc>) -> Result<ListPage, StoreError> {
    let plan = plan::plan(query, now);
    let budget = source.budget(query).unwrap_or(usize::MAX);
    let limit = query.limit as usize;
    let (offset, after) = match &query.start {
        PageStart::Offset(offset) => (*offset as usize, None),
        PageStart::After(key) => (0, Some(key.encoded())),
    };
    let count_cost = match &plan.count {
        Count::Statuses { .. } => source.status_counts_cost(),
        Count::Email { .. } => 1,
        Count::Scan { .. } => COUNT_READS,
    };
    let page_budget = budget.saturating_sub(count_cost + limit);
    let counting = async {
        match &plan.count {
            Count::Statuses { scope, statuses } => {
                let (counts, read) = source.status_counts(*scope, now).await?;
                let total = if statuses.is_empty() {
                    counts.pending + counts.expired + counts.accepted + counts.canceled
                } else {
                    statuses.iter().map(|s| counts.of(*s)).sum()
                };
                Ok::<_, StoreError>((total, true, read))
            }
            Count::Email { scope, email } => {
                let (total, read) = source.email_total(*scope, email).await?;
                Ok((total, true, read))
            }
            Count::Scan { ranges } => {
                let (matched, ended, read) =
                    merge::count(source, ranges, &plan.check, now, EXACT_COUNT_CAP, COUNT_READS).await?;
                Ok(match (ended, matched > EXACT_COUNT_CAP) {
                    (_, true) => (EXACT_COUNT_CAP, false, read),
                    (ended, false) => (matched, ended, read),
                })
            }
        }
    };
    let paging = merge::merge(
        source,
        &plan.ranges,
        query.order,
        after.as_deref(),
        &plan.check,
        now,
        offset + limit + 1,
        page_budget,
    );
    let ((total_count, total_exact, _), merged) = tokio::try_join!(counting, paging)?;

    let page: Vec<&merge::Found> = merged.found.iter().skip(offset).take(limit).collect();
    let full = merged.found.len() > offset + limit;
    let next_key = if full {
        page.last().map(|f| f.key.clone())
    } else if !merged.complete {
        // The budget ran out first: go on after the last entry looked at.
        merged.last_examined.clone().or(after)
    } else {
        None
    };
    let ids: Vec<InviteId> = page.iter().map(|f| f.facts.id).collect();
    let (mut fetched, _) = if ids.is_empty() {
        (Vec::new(), 0)
    } else {
        source.invites(&ids).await?
    };
    // The page's order is the entries'; an invite the entry no longer describes (an
    // index that has not caught up) is left out rather than shown against the query.
    let items = ids
        .iter()
        .filter_map(|id| {
            let at = fetched.iter().position(|i| i.id == *id)?;
            Some(fetched.swap_remove(at))
        })
        .filter(|invite| query.matches(invite, now))
        .collect();
    Ok(ListPage {
        total_count,
        total_exact,
        items,
        next: next_key.as_deref().and_then(SortKey::from_encoded),
    })
}
