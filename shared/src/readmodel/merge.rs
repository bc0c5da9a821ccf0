//! Merging ordered ranges into one page under a read budget: each range is read lazily,
//! in batches that grow while it keeps supplying the page, and only once its first key
//! could come next; reading stops when the page is found, every range is done, or the
//! budget is spent.

use std::collections::{HashSet, VecDeque};

use chrono::{DateTime, Utc};

use super::ListSource;
use super::lists::{Facts, virtual_key};
use super::plan::{Check, Range};
use crate::domain::{InviteId, SortOrder};
use crate::store::StoreError;

/// Largest batch a range is read in (DynamoDB's `Limit` is as good as any).
const MAX_BATCH: usize = 1000;
/// Rounds of reads one merge makes at most: batches double, so a page needs few; this
/// only stops a store that keeps answering empty batches that go on.
const MAX_ROUNDS: usize = 32;

/// One entry the merge let through, at its place in the page's order.
#[derive(Debug, Clone)]
pub struct Found {
    /// The key the page sorts by ([`virtual_key`]).
    pub key: String,
    pub facts: Facts,
}

#[derive(Debug)]
pub struct Merged {
    pub found: Vec<Found>,
    /// The last entry taken off the merge, matching or not: where to resume.
    pub last_examined: Option<String>,
    /// Every range was read to its end.
    pub complete: bool,
    pub read: usize,
}

struct State<C> {
    range: Range,
    buffer: VecDeque<(String, Facts)>,
    cont: Option<C>,
    started: bool,
    done: bool,
    last_batch: usize,
    /// Before its first read: the first key it can hold, in page order.
    floor: String,
}

/// Whether `a` comes before `b` in `order`.
fn before(order: SortOrder, a: &str, b: &str) -> bool {
    match order {
        SortOrder::Asc => a < b,
        SortOrder::Desc => a > b,
    }
}

/// A range cut to what follows the position `after` (a page key), or `None` when
/// nothing of it does. Within a range the page key is the stored key, or the stored key
/// with `pending#` read as `expired#` for a backlog range: either way monotonic.
fn resume(range: &Range, after: Option<&str>) -> Option<Range> {
    let Some(after) = after else {
        return Some(range.clone());
    };
    let mut cut = range.clone();
    match range.order {
        SortOrder::Asc => {
            if range
                .hi
                .as_deref()
                .is_some_and(|hi| after >= range.page_key(hi).as_str())
            {
                return None;
            }
            if range.lo.as_deref().is_none_or(|lo| after > range.page_key(lo).as_str()) {
                cut.lo = Some(range.stored_key(after));
            }
        }
        SortOrder::Desc => {
            if range
                .lo
                .as_deref()
                .is_some_and(|lo| after <= range.page_key(lo).as_str())
            {
                return None;
            }
            if range.hi.as_deref().is_none_or(|hi| after < range.page_key(hi).as_str()) {
                cut.hi = Some(range.stored_key(after));
            }
        }
    }
    Some(cut)
}

/// Merges `ranges` in `order` from after `after`, keeping the entries that pass `check`,
/// until `need` are found, every range ends, or `budget` items have been read.
#[allow(clippy::too_many_arguments)]
pub async fn merge<S: ListSource>(
    source: &S,
    ranges: &[Range],
    order: SortOrder,
    after: Option<&str>,
    check: &Check,
    now: DateTime<Utc>,
    need: usize,
    budget: usize,
) -> Result<Merged, StoreError> {
    let mut states: Vec<State<S::Cont>> = ranges
        .iter()
        .filter_map(|r| resume(r, after))
        .map(|range| {
            let floor = match order {
                SortOrder::Asc => range.lo.as_deref().map(|k| range.page_key(k)).unwrap_or_default(),
                SortOrder::Desc => range
                    .hi
                    .as_deref()
                    .map(|k| range.page_key(k))
                    .unwrap_or_else(|| char::MAX.to_string()),
            };
            State {
                range,
                buffer: VecDeque::new(),
                cont: None,
                started: false,
                done: false,
                last_batch: 0,
                floor,
            }
        })
        .collect();
    let mut found = Vec::new();
    let mut seen: HashSet<InviteId> = HashSet::new();
    let mut last_examined = None;
    let mut read = 0;
    let mut complete = false;
    let mut rounds = 0;
    while found.len() < need {
        let best = states
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.buffer.front().map(|(k, _)| (i, k)))
            .reduce(|a, b| if before(order, b.1, a.1) { b } else { a })
            .map(|(i, k)| (i, k.clone()));
        // A range with nothing buffered must be read before the best head is taken, unless
        // it has not started and its first key cannot come before that head (or, with no
        // head yet, before the first key of another range that has not started).
        let lowest_floor = states
            .iter()
            .filter(|s| !s.started && !s.done)
            .map(|s| s.floor.as_str())
            .reduce(|a, b| if before(order, b, a) { b } else { a })
            .map(str::to_owned);
        let to_read: Vec<usize> = states
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.done && s.buffer.is_empty())
            .filter(|(_, s)| {
                s.started
                    || match &best {
                        Some((_, head)) => !before(order, head, &s.floor),
                        None => lowest_floor.as_deref() == Some(s.floor.as_str()),
                    }
            })
            .map(|(i, _)| i)
            .collect();
        if !to_read.is_empty() {
            let left = budget.saturating_sub(read);
            rounds += 1;
            if left == 0 || rounds > MAX_ROUNDS {
                break;
            }
            let want = need - found.len();
            let active = states.iter().filter(|s| !s.done).count().max(1);
            let mut sizes: Vec<usize> = to_read
                .iter()
                .map(|&i| {
                    let s = &states[i];
                    let size = if s.started {
                        s.last_batch * 2
                    } else {
                        want.div_ceil(active) + 2
                    };
                    size.clamp(1, MAX_BATCH)
                })
                .collect();
            // Within the budget: shrink the batches alike, at least one entry each, as
            // many ranges as the budget reaches.
            let total: usize = sizes.iter().sum();
            if total > left {
                for size in &mut sizes {
                    *size = (*size * left / total).max(1);
                }
            }
            let mut spend = left;
            let reads: Vec<(usize, usize)> = to_read
                .iter()
                .zip(sizes)
                .filter_map(|(&i, size)| {
                    let size = size.min(spend);
                    spend -= size;
                    (size > 0).then_some((i, size))
                })
                .collect();
            let batches = futures::future::try_join_all(reads.iter().map(|&(i, size)| {
                let state = &states[i];
                source.read(&state.range, state.cont.clone(), size)
            }))
            .await?;
            for ((i, size), batch) in reads.into_iter().zip(batches) {
                read += batch.read;
                let state = &mut states[i];
                state.started = true;
                state.last_batch = size;
                state.done = batch.cont.is_none();
                state.cont = batch.cont;
                for (stored, facts) in batch.entries {
                    let key = virtual_key(&stored, state.range.sort, &facts, now);
                    if after.is_none_or(|a| before(order, a, &key)) {
                        state.buffer.push_back((key, facts));
                    }
                }
            }
            continue;
        }
        let Some((i, _)) = best else {
            complete = true;
            break;
        };
        let (key, facts) = states[i].buffer.pop_front().expect("the best range has a head");
        last_examined = Some(key.clone());
        if seen.insert(facts.id) && check.passes(&facts, now) {
            found.push(Found { key, facts });
        }
    }
    Ok(Merged {
        found,
        last_examined,
        complete,
        read,
    })
}

/// Counts the entries of `ranges` that pass `check`, reading until more than `cap`
/// match, every range ends, or `budget` items are read. Returns the matches and whether
/// the ranges ended (so the count is exact).
pub async fn count<S: ListSource>(
    source: &S,
    ranges: &[Range],
    check: &Check,
    now: DateTime<Utc>,
    cap: u64,
    budget: usize,
) -> Result<(u64, bool, usize), StoreError> {
    let mut conts: Vec<(usize, Option<S::Cont>)> = (0..ranges.len()).map(|i| (i, None)).collect();
    let mut matched = 0u64;
    let mut read = 0usize;
    let mut rounds = 0;
    while !conts.is_empty() && matched <= cap {
        let left = budget.saturating_sub(read);
        rounds += 1;
        if left == 0 || rounds > MAX_ROUNDS {
            return Ok((matched, false, read));
        }
        // The reads left, shared out so that together they stay within them.
        let (base, extra) = (left / conts.len(), left % conts.len());
        let shares: Vec<usize> = (0..conts.len())
            .map(|k| (base + usize::from(k < extra)).min(MAX_BATCH))
            .collect();
        // A range the reads do not reach this round waits, still unfinished.
        let mut next = Vec::new();
        let mut reading: Vec<(usize, Option<S::Cont>, usize)> = Vec::new();
        for ((i, cont), share) in conts.into_iter().zip(shares) {
            if share == 0 {
                next.push((i, cont));
            } else {
                reading.push((i, cont, share));
            }
        }
        let batches = futures::future::try_join_all(
            reading
                .iter()
                .map(|(i, cont, share)| source.read(&ranges[*i], cont.clone(), *share)),
        )
        .await?;
        for ((i, _, _), batch) in reading.into_iter().zip(batches) {
            read += batch.read;
            matched += batch
                .entries
                .iter()
                .filter(|(_, facts)| check.passes(facts, now))
                .count() as u64;
            if batch.cont.is_some() {
                next.push((i, batch.cont));
            }
        }
        conts = next;
    }
    Ok((matched, conts.is_empty(), read))
}
