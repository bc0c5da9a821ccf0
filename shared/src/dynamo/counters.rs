//! Counters: how many invites a scope (a tenant, or the whole table) has by listed
//! status, sharded so that concurrent transactions rarely meet on one item, and how many
//! listed-pending invites expire when, in a calendar of buckets fine enough to count
//! those expired by any instant exactly while reading four items per shard.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::item::{Item, s};
use super::table::{PARTITION_KEY, SORT_KEY};
use crate::domain::EffectiveStatus;
use crate::readmodel::lists::{Contribution, Scope, StatusCounts};

/// Shards per scope.
pub const COUNTER_SHARDS: u32 = 8;
/// The items a read of one scope's counts takes: four per shard.
pub const COUNTER_READS: usize = 4 * COUNTER_SHARDS as usize;
const TOTAL: &str = "TOTAL";
/// How long past its window a calendar item is kept (it is never read again).
const KEEP_DAYS: i64 = 7;

/// The partition of one shard of a scope's counters.
pub fn counter_partition(scope: Scope, shard: u32) -> String {
    match scope {
        Scope::Tenant(tenant) => format!("CT#{tenant}#{shard}"),
        Scope::All => format!("CG#{shard}"),
    }
}

/// The item counting a scope's invites to one email.
pub fn email_counter_key(scope: Scope, email: &str) -> Item {
    let pk = match scope {
        Scope::Tenant(tenant) => format!("CE#{tenant}#{email}"),
        Scope::All => format!("CGE#{email}"),
    };
    Item::from([(PARTITION_KEY.to_owned(), s(pk)), (SORT_KEY.to_owned(), s(TOTAL))])
}

pub const EMAIL_TOTAL: &str = "total";

/// One bucket of the expiry calendar: which item (`sk`) and attribute, and when the item
/// may be purged.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bucket {
    sk: String,
    attribute: String,
    ttl: Option<i64>,
}

/// The four buckets an expiry falls in: ~11.6 days, ~16.7 minutes, a second, a
/// millisecond (powers of 1000 of epoch milliseconds).
fn buckets(expiry: DateTime<Utc>) -> [Bucket; 4] {
    let ms = expiry.timestamp_millis();
    let keep = Duration::days(KEEP_DAYS).num_seconds();
    let (w0, w1, w2) = (ms / 1_000_000_000, ms / 1_000_000, ms / 1_000);
    [
        Bucket {
            sk: TOTAL.to_owned(),
            attribute: format!("b{w0}"),
            ttl: None,
        },
        Bucket {
            sk: format!("L1#{w0}"),
            attribute: format!("b{}", w1 % 1000),
            ttl: Some((w0 + 1) * 1_000_000 + keep),
        },
        Bucket {
            sk: format!("L2#{w1}"),
            attribute: format!("b{}", w2 % 1000),
            ttl: Some((w1 + 1) * 1_000 + keep),
        },
        Bucket {
            sk: format!("L3#{w2}"),
            attribute: format!("b{}", ms % 1000),
            ttl: Some(w2 + 1 + keep),
        },
    ]
}

/// The sort keys of the items a read of counts at `now` needs in each shard.
pub fn read_sort_keys(now: DateTime<Utc>) -> [String; 4] {
    buckets(now).map(|b| b.sk)
}

/// One counter item's additions (attribute → signed amount) and its `ttl`, if any.
type ItemDeltas = (BTreeMap<String, i64>, Option<i64>);

/// Signed additions to counter items, merged per item (a transaction may name an item
/// once), with the `ttl` each calendar item carries.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Deltas {
    items: BTreeMap<(String, String), ItemDeltas>,
}

impl Deltas {
    fn add(&mut self, pk: &str, sk: &str, attribute: &str, by: i64, ttl: Option<i64>) {
        let (attributes, item_ttl) = self.items.entry((pk.to_owned(), sk.to_owned())).or_default();
        *attributes.entry(attribute.to_owned()).or_default() += by;
        *item_ttl = item_ttl.or(ttl);
    }

    /// `by` times what `contribution` adds, in one shard of each scope.
    pub fn apply(&mut self, contribution: &Contribution, by: i64, shard: u32) {
        for scope in [Scope::Tenant(contribution.tenant_id), Scope::All] {
            let pk = counter_partition(scope, shard);
            self.add(&pk, TOTAL, contribution.listed.as_str(), by, None);
            if let Some(expiry) = contribution.pending_expiry {
                for bucket in buckets(expiry) {
                    self.add(&pk, &bucket.sk, &bucket.attribute, by, bucket.ttl);
                }
            }
            let email = email_counter_key(scope, &contribution.email);
            let (pk, sk) = (text(&email, PARTITION_KEY), text(&email, SORT_KEY));
            self.add(&pk, &sk, EMAIL_TOTAL, by, None);
        }
    }

    /// Each item with its non-zero additions and `ttl`.
    pub fn updates(&self) -> impl Iterator<Item = (Item, Vec<(&str, i64)>, Option<i64>)> + '_ {
        self.items.iter().filter_map(|((pk, sk), (attributes, ttl))| {
            let changes: Vec<(&str, i64)> = attributes
                .iter()
                .filter(|(_, by)| **by != 0)
                .map(|(a, by)| (a.as_str(), *by))
                .collect();
            (!changes.is_empty()).then(|| {
                (
                    Item::from([(PARTITION_KEY.to_owned(), s(pk)), (SORT_KEY.to_owned(), s(sk))]),
                    changes,
                    *ttl,
                )
            })
        })
    }
}

fn text(item: &Item, name: &str) -> String {
    item.get(name).and_then(|v| v.as_s().ok()).cloned().unwrap_or_default()
}

fn number(item: &Item, name: &str) -> i64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A scope's counts at `now` from the items of [`read_sort_keys`] of every shard: the
/// listed counts, corrected by the backlog (listed pending, expired by `now`) that the
/// calendar gives: the level-0 buckets before `now`'s, then within `now`'s bucket at each
/// level the finer buckets before `now`'s, down to its millisecond included.
pub fn counts_at(items: &[Item], now: DateTime<Utc>) -> StatusCounts {
    let at = buckets(now);
    let ms = now.timestamp_millis();
    let position = [
        ms / 1_000_000_000,
        (ms / 1_000_000) % 1000,
        (ms / 1_000) % 1000,
        ms % 1000,
    ];
    let mut listed: HashMap<EffectiveStatus, i64> = HashMap::new();
    let mut backlog = 0;
    for item in items {
        let sk = text(item, SORT_KEY);
        let Some(level) = at.iter().position(|b| b.sk == sk) else {
            continue;
        };
        if level == 0 {
            for status in EffectiveStatus::ALL {
                *listed.entry(status).or_default() += number(item, status.as_str());
            }
        }
        for (name, value) in item {
            let Some(bucket) = name.strip_prefix('b').and_then(|b| b.parse::<i64>().ok()) else {
                continue;
            };
            let expired = if level == 3 {
                bucket <= position[3]
            } else {
                bucket < position[level]
            };
            if expired {
                backlog += value.as_n().ok().and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
            }
        }
    }
    let get = |status| listed.get(&status).copied().unwrap_or(0);
    StatusCounts::from_listed(
        get(EffectiveStatus::Pending),
        get(EffectiveStatus::Expired),
        get(EffectiveStatus::Accepted),
        get(EffectiveStatus::Canceled),
        backlog,
    )
}

pub fn email_total(item: Option<&Item>) -> u64 {
    item.map(|i| number(i, EMAIL_TOTAL).max(0) as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TenantId;

    fn at(ms: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(ms).unwrap()
    }

    /// The items a read of a tenant's counts at `now` would find, given the deltas written.
    fn read(deltas: &Deltas, now: DateTime<Utc>) -> Vec<Item> {
        let wanted = read_sort_keys(now);
        deltas
            .updates()
            .filter(|(key, _, _)| text(key, PARTITION_KEY).starts_with("CT#"))
            .filter(|(key, _, _)| wanted.contains(&text(key, SORT_KEY)))
            .map(|(key, changes, _)| {
                let mut item = key.clone();
                for (name, by) in changes {
                    item.insert(
                        name.to_owned(),
                        aws_sdk_dynamodb::types::AttributeValue::N(by.to_string()),
                    );
                }
                item
            })
            .collect()
    }

    #[test]
    fn the_calendar_counts_the_expired_exactly_at_every_instant() {
        let tenant = TenantId::random();
        let base = 1_790_000_000_000i64;
        // Expiries spread over milliseconds, seconds, minutes and days, in several shards.
        let expiries: Vec<i64> = vec![
            base,
            base,
            base + 1,
            base + 999,
            base + 1_000,
            base + 61_000,
            base + 1_000_000,
            base + 17 * 60_000,
            base + 86_400_000 * 12,
            base + 86_400_000 * 30,
        ];
        let mut deltas = Deltas::default();
        for (i, e) in expiries.iter().enumerate() {
            let contribution = Contribution {
                tenant_id: tenant,
                email: format!("{i}@x.io"),
                listed: EffectiveStatus::Pending,
                pending_expiry: Some(at(*e)),
            };
            deltas.apply(&contribution, 1, i as u32 % COUNTER_SHARDS);
        }
        let mut probes: Vec<i64> = expiries.iter().flat_map(|e| [e - 1, *e, e + 1]).collect();
        probes.extend([base - 86_400_000 * 20, base + 86_400_000 * 40]);
        for now in probes {
            let expected = expiries.iter().filter(|e| **e <= now).count() as u64;
            let counts = counts_at(&read(&deltas, at(now)), at(now));
            assert_eq!(counts.expired, expected, "at {now}");
            assert_eq!(counts.pending, expiries.len() as u64 - expected, "at {now}");
        }
    }

    #[test]
    fn a_change_of_status_moves_one_count_in_both_scopes() {
        let tenant = TenantId::random();
        let pending = Contribution {
            tenant_id: tenant,
            email: "a@x.io".into(),
            listed: EffectiveStatus::Pending,
            pending_expiry: Some(at(1_790_000_000_000)),
        };
        let accepted = Contribution {
            listed: EffectiveStatus::Accepted,
            pending_expiry: None,
            ..pending.clone()
        };
        let mut deltas = Deltas::default();
        deltas.apply(&pending, 1, 3);
        deltas.apply(&pending, -1, 5);
        deltas.apply(&accepted, 1, 5);
        let now = at(1_700_000_000_000);
        let counts = counts_at(&read(&deltas, now), now);
        assert_eq!(
            counts,
            StatusCounts {
                accepted: 1,
                ..StatusCounts::default()
            }
        );
        // The email's totals: +1 -1 +1 in each scope.
        let emails: Vec<_> = deltas
            .updates()
            .filter(|(_, changes, _)| changes.iter().any(|(name, _)| *name == EMAIL_TOTAL))
            .collect();
        assert_eq!(emails.len(), 2);
        assert!(emails.iter().all(|(_, changes, _)| changes == &vec![(EMAIL_TOTAL, 1)]));
    }
}
