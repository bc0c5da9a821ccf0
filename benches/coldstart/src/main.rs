//! Cold-start benchmark for the Lambda functions.
//!
//! A fake Lambda Runtime API on loopback stands in for Lambda. For each function binary
//! (and the `hello-lambda` baseline) it spawns the binary with the Lambda environment,
//! hands out that function's `events/<function>/success.json` on the first
//! `GET /2018-06-01/runtime/invocation/next` and hangs every later poll. It measures
//!
//! - **init**: from just before `exec` to the first `/next` poll;
//! - **first invocation**: from handing out the event to the `/response` POST;
//! - **peak RSS**: `VmHWM` from `/proc/<pid>/status` once the function polls again;
//!
//! checks that the response is an API Gateway (HTTP API v2) 200, and repeats every
//! measurement `--runs` times, interleaving the binaries so that noise from other work on
//! the machine falls on all of them alike. Each sample gets a fresh DynamoDB table seeded
//! with `events/fixtures.json` (the events change what they act on). A last set of
//! samples sends 100 invitees (`sendEmail: false`) through `send-user-invites`.
//!
//! Usage: `coldstart --bin-dir target/release --events events [--runs 7] [--logs DIR]`,
//! with `AWS_ENDPOINT_URL` pointing at a DynamoDB emulator (moto). Prints Markdown tables.

mod harness;
mod runtime_api;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use invites_shared::dynamo::{self};
use invites_shared::http::ROUTES;

use crate::harness::*;

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;

/// The memory size the SAM template gives every function (`MemorySize: 256`).
pub(crate) const MEMORY_SIZE_MB: &str = "256";
pub(crate) const BASELINE: &str = "hello-lambda";
/// Invitees in the large send (the contract's maximum per request).
pub(crate) const LARGE_SEND: usize = 100;
/// How long one sample may take before the run fails.
pub(crate) const SAMPLE_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) struct Args {
    pub(crate) bin_dir: PathBuf,
    pub(crate) events: PathBuf,
    pub(crate) runs: usize,
    pub(crate) logs: PathBuf,
}

fn args() -> Result<Args, Error> {
    let mut args = Args {
        bin_dir: PathBuf::from("target/release"),
        events: PathBuf::from("events"),
        runs: 7,
        logs: PathBuf::from("target/bench/logs"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--bin-dir" => args.bin_dir = value.into(),
            "--events" => args.events = value.into(),
            "--runs" => args.runs = value.parse()?,
            "--logs" => args.logs = value.into(),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    if args.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(args)
}

fn median<T: Copy + Ord>(values: &[T]) -> T {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

struct Summary {
    size: u64,
    init: Duration,
    init_min: Duration,
    init_max: Duration,
    first_invocation: Duration,
    /// What a caller waits for on a cold start: init, then the first invocation.
    cold_start: Duration,
    rss_kib: u64,
}

fn summarize(size: u64, samples: &[Sample]) -> Summary {
    let inits: Vec<Duration> = samples.iter().map(|s| s.init).collect();
    Summary {
        size,
        init: median(&inits),
        init_min: *inits.iter().min().expect("samples"),
        init_max: *inits.iter().max().expect("samples"),
        first_invocation: median(&samples.iter().map(|s| s.first_invocation).collect::<Vec<_>>()),
        cold_start: median(&samples.iter().map(|s| s.init + s.first_invocation).collect::<Vec<_>>()),
        rss_kib: median(&samples.iter().map(|s| s.peak_rss_kib).collect::<Vec<_>>()),
    }
}

/// Target limits from the issue.
pub(crate) const INIT_RATIO_LIMIT: f64 = 1.5;
pub(crate) const SIZE_LIMIT_BYTES: u64 = 8_000_000;
pub(crate) const LARGE_SEND_RSS_LIMIT_KIB: u64 = 32 * 1024;

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = args()?;
    let endpoint = std::env::var("AWS_ENDPOINT_URL").map_err(|_| "AWS_ENDPOINT_URL must point at moto")?;
    std::fs::create_dir_all(&args.logs)?;
    let fixtures = Fixtures {
        json: serde_json::from_slice(&std::fs::read(args.events.join("fixtures.json"))?)?,
    };
    let client = dynamo::client_from_env(None).await;

    // The baseline answers any event; give it the get event, the smallest real one.
    let mut binaries: Vec<(String, Bytes, Expect)> = vec![(
        BASELINE.to_owned(),
        Bytes::from(std::fs::read(args.events.join("get-user-invite/success.json"))?),
        Expect::Hello,
    )];
    for route in ROUTES {
        let name = route.operation.function_crate();
        let event = std::fs::read(args.events.join(name).join("success.json"))?;
        binaries.push((name.to_owned(), Bytes::from(event), Expect::Json));
    }
    let large_send = large_send_event(&args.events, LARGE_SEND)?;
    let large_name = format!("send-user-invites ({LARGE_SEND} invitees)");

    let mut sizes = BTreeMap::new();
    for (name, _, _) in &binaries {
        let path = args.bin_dir.join(name);
        let size = std::fs::metadata(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        sizes.insert(name.clone(), size);
    }

    let harness = Harness {
        args,
        client,
        fixtures,
        endpoint,
    };
    let mut samples: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    // Round-robin: run r of every binary, then run r + 1, so that drift in the machine's
    // load falls on every binary alike.
    for run in 0..harness.args.runs {
        eprintln!("run {}/{}", run + 1, harness.args.runs);
        for (name, event, expect) in &binaries {
            let sample = harness.sample(name, event, *expect).await?;
            samples.entry(name.clone()).or_default().push(sample);
        }
        let sample = harness
            .sample("send-user-invites", &large_send, Expect::Sent(LARGE_SEND))
            .await?;
        samples.entry(large_name.clone()).or_default().push(sample);
    }

    let runs = harness.args.runs;
    let summaries: Vec<(String, Summary)> = binaries
        .iter()
        .map(|(name, _, _)| (name.clone(), summarize(sizes[name], &samples[name])))
        .collect();
    let base = &summaries[0].1;

    println!("### Cold start (medians of {runs} runs; init range in brackets)\n");
    println!(
        "| binary | size (MiB) | size ×hello | init ms [min–max] | init ×hello | first invocation ms | init + first invocation ms | ×hello | peak RSS (MiB) | RSS ×hello |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, s) in &summaries {
        println!(
            "| {name} | {:.2} | {:.2} | {:.1} [{:.1}–{:.1}] | {:.2} | {:.1} | {:.1} | {:.2} | {:.1} | {:.2} |",
            s.size as f64 / 1_048_576.0,
            s.size as f64 / base.size as f64,
            ms(s.init),
            ms(s.init_min),
            ms(s.init_max),
            ms(s.init) / ms(base.init),
            ms(s.first_invocation),
            ms(s.cold_start),
            ms(s.cold_start) / ms(base.cold_start),
            mib(s.rss_kib),
            s.rss_kib as f64 / base.rss_kib as f64,
        );
    }
    let large = summarize(sizes["send-user-invites"], &samples[&large_name]);
    println!("\n### Peak RSS, send of {LARGE_SEND} invitees (`sendEmail: false`, medians of {runs} runs)\n");
    println!("| binary | init ms | invocation ms | peak RSS (MiB) | RSS ×hello |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| {large_name} | {:.1} | {:.1} | {:.1} | {:.2} |",
        ms(large.init),
        ms(large.first_invocation),
        mib(large.rss_kib),
        large.rss_kib as f64 / base.rss_kib as f64,
    );

    let functions = &summaries[1..];
    let worst_init = functions
        .iter()
        .map(|(n, s)| (n, ms(s.init) / ms(base.init)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("functions");
    let largest = functions.iter().max_by_key(|(_, s)| s.size).expect("functions");
    println!("\n### Targets\n");
    println!(
        "- init ≤ {INIT_RATIO_LIMIT}× hello-world: {} (worst: {} at {:.2}×)",
        verdict(worst_init.1 <= INIT_RATIO_LIMIT),
        worst_init.0,
        worst_init.1
    );
    println!(
        "- each binary ≤ 8 MB (8,000,000 bytes): {} (largest: {} at {} bytes)",
        verdict(largest.1.size <= SIZE_LIMIT_BYTES),
        largest.0,
        largest.1.size
    );
    println!(
        "- peak RSS for a {LARGE_SEND}-invite send ≤ 32 MiB: {} ({:.1} MiB)",
        verdict(large.rss_kib <= LARGE_SEND_RSS_LIMIT_KIB),
        mib(large.rss_kib)
    );
    Ok(())
}
