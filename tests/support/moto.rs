//! The moto servers the tests talk to (scripts/test.sh starts them on free loopback
//! ports, fresh for each test binary).
//!
//! moto answers one request at a time (scripts/moto_server.py), so tests that share one
//! queue behind each other's calls; on a loaded machine a call can then wait longer than
//! the SDK's 3 s attempt timeout, and a test fails for another's burst. The black-box
//! suite on DynamoDB therefore gets a pool, one server per test thread
//! (`INVITES_TEST_MOTO_POOL`), and each running test leases the least used one for its
//! whole life: tests running at once do not share a queue.

use std::sync::Mutex;

/// How many running tests hold each server of the pool.
static LEASES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// The DynamoDB emulator (moto), from `AWS_ENDPOINT_URL`. Every helper that creates AWS
/// resources asks for it first, so that a test run outside `scripts/test.sh`, with real
/// credentials in the environment, stops here instead of creating tables in a real
/// account.
pub fn moto_endpoint() -> String {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("AWS_ENDPOINT_URL must name the moto server these tests use (run scripts/test.sh)"),
    }
}

/// The servers of the pool: `INVITES_TEST_MOTO_POOL` (URLs separated by spaces), else
/// `AWS_ENDPOINT_URL` alone.
fn pool() -> Vec<String> {
    let first = moto_endpoint();
    let pool: Vec<String> = std::env::var("INVITES_TEST_MOTO_POOL")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if pool.is_empty() { vec![first] } else { pool }
}

/// One test's hold on a server of the pool, given back when dropped.
pub struct MotoLease {
    pub url: String,
    index: usize,
}

impl MotoLease {
    /// The least used server of the pool.
    pub fn take() -> Self {
        let pool = pool();
        let mut leases = LEASES.lock().unwrap();
        leases.resize(pool.len(), 0);
        let index = (0..pool.len())
            .min_by_key(|i| leases[*i])
            .expect("a pool of one at least");
        leases[index] += 1;
        Self {
            url: pool[index].clone(),
            index,
        }
    }
}

impl Drop for MotoLease {
    fn drop(&mut self) {
        if let Ok(mut leases) = LEASES.lock() {
            leases[self.index] -= 1;
        }
    }
}
