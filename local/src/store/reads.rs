//! The read model's reads on redb: a key range of a list, walked in either direction
//! from where the last batch stopped; invites by id; counts, the backlog counted by
//! walking the expiry index (keys only, nothing loaded).

use std::ops::Bound;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use invites_shared::domain::{EffectiveStatus, Invite, InviteId, SortOrder};
use invites_shared::readmodel::lists::{Facts, Scope, StatusCounts};
use invites_shared::readmodel::plan::Range;
use invites_shared::readmodel::{Batch, ListSource};
use invites_shared::store::StoreError;
use redb::ReadableDatabase;

use super::index::{
    COUNTS, ENTRIES, EXPIRY, email_count_key, entry_end, entry_prefix, expiry_end, expiry_prefix, status_count_key,
};
use super::{EmbeddedStore, INVITES, from_json, internal};

fn as_str(bound: &Bound<String>) -> Bound<&str> {
    match bound {
        Bound::Included(k) => Bound::Included(k.as_str()),
        Bound::Excluded(k) => Bound::Excluded(k.as_str()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

impl EmbeddedStore {
    /// Listed-pending invites of `scope` expired by `now`, earliest first, up to `max`.
    pub(super) fn backlog_ids(
        &self,
        scope: Scope,
        now: DateTime<Utc>,
        max: usize,
    ) -> Result<Vec<InviteId>, StoreError> {
        let txn = self.db.begin_read().map_err(internal)?;
        let index = txn.open_table(EXPIRY).map_err(internal)?;
        let (start, end) = (expiry_prefix(scope), expiry_end(scope, now));
        let mut ids = Vec::new();
        for entry in index.range(start.as_str()..=end.as_str()).map_err(internal)?.take(max) {
            let (key, _) = entry.map_err(internal)?;
            if let Some(id) = key.value().rsplit('\0').next().and_then(InviteId::parse) {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

#[async_trait]
impl ListSource for EmbeddedStore {
    /// The last key read.
    type Cont = String;

    async fn read(&self, range: &Range, cont: Option<String>, max: usize) -> Result<Batch<String>, StoreError> {
        let range = range.clone();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(internal)?;
            let entries = txn.open_table(ENTRIES).map_err(internal)?;
            let prefix = entry_prefix(&range.list, range.sort);
            let lo = match &range.lo {
                Some(lo) => Bound::Included(format!("{prefix}{lo}")),
                None => Bound::Included(prefix.clone()),
            };
            let hi = match &range.hi {
                Some(hi) => Bound::Included(format!("{prefix}{hi}")),
                None => Bound::Excluded(entry_end(&range.list, range.sort)),
            };
            let (lo, hi) = match (range.order, cont) {
                (_, None) => (lo, hi),
                (SortOrder::Asc, Some(last)) => (Bound::Excluded(last), hi),
                (SortOrder::Desc, Some(last)) => (lo, Bound::Excluded(last)),
            };
            let walk = entries.range::<&str>((as_str(&lo), as_str(&hi))).map_err(internal)?;
            let walk: Box<dyn Iterator<Item = _>> = match range.order {
                SortOrder::Asc => Box::new(walk),
                SortOrder::Desc => Box::new(walk.rev()),
            };
            let mut found = Vec::new();
            let mut last = None;
            for entry in walk.take(max) {
                let (key, facts) = entry.map_err(internal)?;
                let key = key.value().to_owned();
                found.push((key[prefix.len()..].to_owned(), from_json::<Facts>(facts.value())?));
                last = Some(key);
            }
            let read = found.len();
            Ok(Batch {
                entries: found,
                // Fewer than asked: the range ended.
                cont: last.filter(|_| read == max),
                read,
            })
        })
        .await
    }

    async fn invites(&self, ids: &[InviteId]) -> Result<(Vec<Invite>, usize), StoreError> {
        let txn = self.db.begin_read().map_err(internal)?;
        let invites = txn.open_table(INVITES).map_err(internal)?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(bytes) = invites.get(id.to_string().as_str()).map_err(internal)? {
                found.push(from_json::<Invite>(bytes.value())?);
            }
        }
        let read = found.len();
        Ok((found, read))
    }

    async fn status_counts(&self, scope: Scope, now: DateTime<Utc>) -> Result<(StatusCounts, usize), StoreError> {
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(internal)?;
            let counts = txn.open_table(COUNTS).map_err(internal)?;
            let get = |status: EffectiveStatus| -> Result<i64, StoreError> {
                let key = status_count_key(scope, status);
                Ok(counts
                    .get(key.as_str())
                    .map_err(internal)?
                    .map(|v| v.value())
                    .unwrap_or(0))
            };
            let index = txn.open_table(EXPIRY).map_err(internal)?;
            let (start, end) = (expiry_prefix(scope), expiry_end(scope, now));
            let backlog = index.range(start.as_str()..=end.as_str()).map_err(internal)?.count() as i64;
            let counts = StatusCounts::from_listed(
                get(EffectiveStatus::Pending)?,
                get(EffectiveStatus::Expired)?,
                get(EffectiveStatus::Accepted)?,
                get(EffectiveStatus::Canceled)?,
                backlog,
            );
            Ok((counts, 4))
        })
        .await
    }

    async fn email_total(&self, scope: Scope, email: &str) -> Result<(u64, usize), StoreError> {
        let txn = self.db.begin_read().map_err(internal)?;
        let counts = txn.open_table(COUNTS).map_err(internal)?;
        let key = email_count_key(scope, email);
        let total = counts
            .get(key.as_str())
            .map_err(internal)?
            .map(|v| v.value())
            .unwrap_or(0);
        Ok((total.max(0) as u64, 1))
    }

    fn status_counts_cost(&self) -> usize {
        4
    }
}
