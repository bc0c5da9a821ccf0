//! The event log: the lifecycle events of every stored change, appended by the very
//! write transaction that stores the change (so an event exists exactly when its change
//! does, and a crash loses neither), with the state of their webhook deliveries.
//!
//! Deliveries go out per webhook URL in the order of the log: the oldest delivery still
//! due for a URL is the only one tried for it, so a receiver sees one invite's events
//! (and everyone's) in the order they were stored. A delivery that fails is tried again
//! after 1 s, 2 s, 4 s, ... (at most 5 minutes apart) until [`MAX_ATTEMPTS`]; then it is
//! `failed`, stays visible in `invites-local events`, and the next one goes.

use chrono::{DateTime, Duration, Utc};
use invites_shared::domain::{Invite, InviteEvent, events_between};
use invites_shared::store::StoreError;
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::{from_json, internal, to_json};

/// Sequence number → the logged event, as JSON.
pub(crate) const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
/// Sequence numbers of the events with a delivery still due: the webhook queue.
pub(crate) const DUE: TableDefinition<u64, &[u8]> = TableDefinition::new("events_due");

/// Attempts of one delivery before it is `failed`.
pub const MAX_ATTEMPTS: u32 = 8;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECONDS: i64 = 300;
/// Events kept once every delivery of theirs is settled; older ones are forgotten,
/// [`PRUNE_BATCH`] per write, so the file stays bounded.
pub const KEPT_EVENTS: u64 = 10_000;
const PRUNE_BATCH: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    Pending,
    Delivered,
    Failed,
}

/// One event's delivery to one webhook URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub url: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// What the last failed attempt got (a status or a connection error); never a body.
    pub last_error: Option<String>,
}

/// An event as the log keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedEvent {
    pub seq: u64,
    pub event: InviteEvent,
    pub deliveries: Vec<Delivery>,
}

fn pending(url: &str, now: DateTime<Utc>) -> Delivery {
    Delivery {
        url: url.to_owned(),
        state: DeliveryState::Pending,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
    }
}

/// Appends the events of the change `before` → `after`, one delivery per URL each.
pub(crate) fn append(
    txn: &WriteTransaction,
    before: Option<&Invite>,
    after: &Invite,
    urls: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let events = events_between(before, after);
    if events.is_empty() {
        return Ok(());
    }
    let mut log = txn.open_table(EVENTS).map_err(internal)?;
    let mut due = txn.open_table(DUE).map_err(internal)?;
    let mut seq = log.last().map_err(internal)?.map_or(0, |(k, _)| k.value());
    for event in events {
        seq += 1;
        let logged = LoggedEvent {
            seq,
            event,
            deliveries: urls.iter().map(|url| pending(url, now)).collect(),
        };
        log.insert(seq, to_json(&logged)?.as_slice()).map_err(internal)?;
        if !logged.deliveries.is_empty() {
            due.insert(seq, [].as_slice()).map_err(internal)?;
        }
    }
    prune(&mut log, &due)
}

/// Forgets the oldest settled events beyond [`KEPT_EVENTS`]; an event with a delivery
/// still due is never forgotten.
fn prune(log: &mut redb::Table<u64, &[u8]>, due: &redb::Table<u64, &[u8]>) -> Result<(), StoreError> {
    let len = log.len().map_err(internal)?;
    if len <= KEPT_EVENTS {
        return Ok(());
    }
    let excess = ((len - KEPT_EVENTS) as usize).min(PRUNE_BATCH);
    let oldest: Vec<u64> = log
        .iter()
        .map_err(internal)?
        .take(excess)
        .map(|entry| entry.map(|(k, _)| k.value()).map_err(internal))
        .collect::<Result<_, _>>()?;
    for seq in oldest {
        if due.get(seq).map_err(internal)?.is_none() {
            log.remove(seq).map_err(internal)?;
        }
    }
    Ok(())
}

/// For each URL, its oldest delivery not yet settled, if it is due at `now`: what the
/// webhook worker tries next, `(seq, index of the delivery)`.
pub(crate) fn next_due(db: &redb::Database, now: DateTime<Utc>) -> Result<Vec<(LoggedEvent, usize)>, StoreError> {
    let txn = db.begin_read().map_err(internal)?;
    let log = txn.open_table(EVENTS).map_err(internal)?;
    let due = txn.open_table(DUE).map_err(internal)?;
    let mut heads: Vec<(String, Option<(LoggedEvent, usize)>)> = Vec::new();
    for entry in due.iter().map_err(internal)? {
        let seq = entry.map_err(internal)?.0.value();
        let Some(bytes) = log.get(seq).map_err(internal)? else {
            continue;
        };
        let logged: LoggedEvent = from_json(bytes.value())?;
        for (index, delivery) in logged.deliveries.iter().enumerate() {
            if delivery.state != DeliveryState::Pending || heads.iter().any(|(url, _)| *url == delivery.url) {
                continue;
            }
            let head = (delivery.next_attempt_at <= now).then(|| (logged.clone(), index));
            heads.push((delivery.url.clone(), head));
        }
    }
    Ok(heads.into_iter().filter_map(|(_, head)| head).collect())
}

/// Records one attempt of delivery `index` of event `seq`: delivered, or failed with
/// `error` (tried again later, or `failed` after [`MAX_ATTEMPTS`]).
pub(crate) fn record(
    txn: &WriteTransaction,
    seq: u64,
    index: usize,
    error: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut log = txn.open_table(EVENTS).map_err(internal)?;
    let Some(bytes) = log.get(seq).map_err(internal)?.map(|b| b.value().to_vec()) else {
        return Ok(());
    };
    let mut logged: LoggedEvent = from_json(&bytes)?;
    let Some(delivery) = logged.deliveries.get_mut(index) else {
        return Ok(());
    };
    delivery.attempts += 1;
    match error {
        None => {
            delivery.state = DeliveryState::Delivered;
            delivery.last_error = None;
        }
        Some(error) if delivery.attempts >= MAX_ATTEMPTS => {
            delivery.state = DeliveryState::Failed;
            delivery.last_error = Some(error);
        }
        Some(error) => {
            let wait = (1i64 << (delivery.attempts - 1).min(16)).min(MAX_BACKOFF_SECONDS);
            delivery.next_attempt_at = now + Duration::seconds(wait);
            delivery.last_error = Some(error);
        }
    }
    let settled = logged.deliveries.iter().all(|d| d.state != DeliveryState::Pending);
    log.insert(seq, to_json(&logged)?.as_slice()).map_err(internal)?;
    if settled {
        txn.open_table(DUE).map_err(internal)?.remove(seq).map_err(internal)?;
    }
    Ok(())
}

/// The newest `limit` events, newest first.
pub(crate) fn recent(db: &redb::Database, limit: usize) -> Result<Vec<LoggedEvent>, StoreError> {
    let txn = db.begin_read().map_err(internal)?;
    let log = txn.open_table(EVENTS).map_err(internal)?;
    log.iter()
        .map_err(internal)?
        .rev()
        .take(limit)
        .map(|entry| entry.map_err(internal).and_then(|(_, v)| from_json(v.value())))
        .collect()
}

/// Delivers the event `id` again to every URL in `urls`, from now on. `false`: the log
/// does not hold it (never, or forgotten).
pub(crate) fn replay(
    txn: &WriteTransaction,
    id: uuid::Uuid,
    urls: &[String],
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut log = txn.open_table(EVENTS).map_err(internal)?;
    let mut found = None;
    for entry in log.iter().map_err(internal)?.rev() {
        let (seq, bytes) = entry.map_err(internal)?;
        let logged: LoggedEvent = from_json(bytes.value())?;
        if logged.event.id == id {
            found = Some((seq.value(), logged));
            break;
        }
    }
    let Some((seq, mut logged)) = found else {
        return Ok(false);
    };
    logged.deliveries = urls.iter().map(|url| pending(url, now)).collect();
    log.insert(seq, to_json(&logged)?.as_slice()).map_err(internal)?;
    if !logged.deliveries.is_empty() {
        txn.open_table(DUE)
            .map_err(internal)?
            .insert(seq, [].as_slice())
            .map_err(internal)?;
    }
    Ok(true)
}
