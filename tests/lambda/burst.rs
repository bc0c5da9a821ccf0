//! Issue 17, part 1, measured: a burst far beyond SES's send rate is delivered in full,
//! at the rate. The SES fault proxy in front of moto answers TooManyRequestsException
//! above R sends in any second. Two mailer instances (the template's reserved
//! concurrency) share R, each pacing itself at R / 2; they take the stream's batches of
//! queued emails and the retry queue's due messages, one invocation each at a time, as
//! Lambda hands them out. Prints the figures docs/BENCHMARKS.md records:
//!
//!     cargo test -p invites-tests --test lambda burst -- --nocapture

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::join_all;
use invites_shared::clock::SystemClock;
use invites_shared::domain::{EmailStatus, InviteId};
use invites_shared::email::{Mailer, PacedMailer, instance_rate};
use invites_shared::service::InviteService;
use invites_tests::retry_queue::{RetryQueue, sqs_batch};
use invites_tests::stream::batch;
use serde_json::Value;
use uuid::Uuid;

use crate::stack::{Stack, ses_through_proxy};

const SEND_EMAIL: &str = "/v2/email/outbound-emails";
/// The account's send rate the proxy enforces, emails per second.
const RATE: usize = 5;
/// The mailer's reserved concurrency.
const INSTANCES: u32 = 2;
const TENANTS: usize = 4;
const PER_TENANT: usize = 50;
/// The template's batch size for the stream.
const STREAM_BATCH: usize = 25;

enum Work {
    Stream(Vec<Value>),
    Retries(Vec<Value>),
}

/// Every message moto's SES accepted for this run's addresses, by recipient.
async fn mailed(run: Uuid) -> BTreeMap<String, usize> {
    let data: Value = reqwest::get(format!("{}/moto-api/data.json", invites_tests::moto::ses_endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut by_recipient = BTreeMap::new();
    for message in data["ses"]["Message"].as_array().into_iter().flatten() {
        for to in message["destinations"]["ToAddresses"].as_array().into_iter().flatten() {
            let to = to.as_str().unwrap();
            if to.contains(&run.to_string()) {
                *by_recipient.entry(to.to_owned()).or_insert(0) += 1;
            }
        }
    }
    by_recipient
}

#[tokio::test]
async fn a_burst_beyond_the_send_rate_is_delivered_in_full_at_the_rate() {
    let (proxy, ses) = ses_through_proxy().await;
    proxy.limit_rate(SEND_EMAIL, RATE);
    let ses: Arc<dyn Mailer> = Arc::new(ses);
    let stack = Stack::start(Arc::new(SystemClock), ses.clone(), &[]).await;
    let per_instance = instance_rate(RATE as f64, INSTANCES);
    let instances: Vec<Arc<InviteService>> = (0..INSTANCES)
        .map(|_| Arc::new(stack.instance(Arc::new(PacedMailer::new(ses.clone(), per_instance)))))
        .collect();
    let retries = Arc::new(RetryQueue::create().await);

    // Four tenants invite fifty people each, at once.
    let run = Uuid::new_v4();
    let sends = (0..TENANTS).map(|t| {
        let emails: Vec<String> = (0..PER_TENANT)
            .map(|i| format!("burst-{run}-{t}-{i}@example.com"))
            .collect();
        let stack = &stack;
        async move { stack.invite_all(Uuid::new_v4(), &emails, true).await }
    });
    let invites: Vec<Value> = join_all(sends).await.concat();
    let total = TENANTS * PER_TENANT;
    assert_eq!(invites.len(), total);

    // What the stream carries to the mailer: one record per queued email.
    let records = stack.queued_records().await;
    assert_eq!(records.len(), total);
    let work: Arc<Mutex<VecDeque<Work>>> = Arc::new(Mutex::new(
        records.chunks(STREAM_BATCH).map(|c| Work::Stream(c.to_vec())).collect(),
    ));
    proxy.take_timed_calls();
    let started = Instant::now();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Each instance runs one invocation at a time: a stream batch or a retry batch.
    let workers = instances.iter().map(|service| {
        let (service, work, retries, done) = (service.clone(), work.clone(), retries.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let next = work.lock().unwrap().pop_front();
                let response = match next {
                    Some(Work::Stream(records)) => {
                        let event = serde_json::from_value(batch(&records)).unwrap();
                        let response =
                            invites_shared::lambda::handle_stream(&service, &retries.scheduler(), event).await;
                        serde_json::to_value(response).unwrap()
                    }
                    Some(Work::Retries(messages)) => {
                        let event = serde_json::from_value(sqs_batch(&messages)).unwrap();
                        let response =
                            invites_shared::lambda::handle_retries(&service, &retries.scheduler(), event).await;
                        serde_json::to_value(response).unwrap()
                    }
                    None => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                assert_eq!(response["batchItemFailures"], serde_json::json!([]));
            }
        })
    });
    let workers: Vec<_> = workers.collect();
    // Lambda's poller of the retry queue: due messages, ten to a batch.
    let mut retried = 0;
    let deadline = started + Duration::from_secs(180);
    loop {
        let due = retries.take_due().await;
        retried += due.len();
        work.lock()
            .unwrap()
            .extend(due.chunks(10).map(|c| Work::Retries(c.to_vec())));
        let mailed_now = mailed(run).await;
        if mailed_now.len() == total && work.lock().unwrap().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "only {} of {total} mailed", mailed_now.len());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    for worker in workers {
        worker.await.unwrap();
    }

    // Every invite sent, exactly one email each.
    let mailed = mailed(run).await;
    assert_eq!(mailed.len(), total);
    assert!(
        mailed.values().all(|n| *n == 1),
        "an address got two emails: {mailed:?}"
    );
    for invite in &invites {
        let stored = stack
            .stored(InviteId::parse(invite["id"].as_str().unwrap()).unwrap())
            .await;
        assert_eq!(stored.email_status, EmailStatus::Sent, "{}", stored.id);
    }

    // What SES saw: every send, passed or refused.
    let arrivals: Vec<Instant> = proxy
        .take_timed_calls()
        .into_iter()
        .filter(|(operation, _)| operation == SEND_EMAIL)
        .map(|(_, at)| at)
        .collect();
    let first = arrivals[0];
    let last = *arrivals.last().unwrap();
    let busiest = arrivals
        .iter()
        .filter(|at| **at >= first + Duration::from_secs(1))
        .map(|at| {
            arrivals
                .iter()
                .filter(|b| **b >= *at && **b < *at + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0);
    let elapsed = last - started;
    let ideal = Duration::from_secs_f64(total as f64 / RATE as f64);
    println!(
        "burst: {total} emails across {TENANTS} tenants, R = {RATE}/s, {INSTANCES} instances at {per_instance}/s each: \
         all sent once in {:.1} s (ideal {:.0} s, ratio {:.2}); busiest second after the first: {busiest} sends \
         (bound {:.0}); SES calls {}, refused {}; retries from the queue {retried}",
        elapsed.as_secs_f64(),
        ideal.as_secs_f64(),
        elapsed.as_secs_f64() / ideal.as_secs_f64(),
        RATE as f64 * 1.2,
        arrivals.len(),
        arrivals.len() - total,
    );
    assert!(
        busiest as f64 <= RATE as f64 * 1.2,
        "{busiest} sends reached SES within one second"
    );
    assert!(
        elapsed.as_secs_f64() <= 1.5 * ideal.as_secs_f64(),
        "{elapsed:?} for {total} emails at {RATE}/s"
    );
}
