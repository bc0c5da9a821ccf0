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

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use bytes::Bytes;
use chrono::Utc;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use invites_shared::config::DEVELOPMENT_JWT_SECRET;
use invites_shared::domain::{EmailAddress, EmailStatus, Invite, InviteId, InviteToken, NewInvite, TenantId, UserId};
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::http::ROUTES;
use invites_shared::store::InviteStore;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The memory size the SAM template gives every function (`MemorySize: 256`).
const MEMORY_SIZE_MB: &str = "256";
const BASELINE: &str = "hello-lambda";
/// Invitees in the large send (the contract's maximum per request).
const LARGE_SEND: usize = 100;
/// How long one sample may take before the run fails.
const SAMPLE_TIMEOUT: Duration = Duration::from_secs(30);

struct Args {
    bin_dir: PathBuf,
    events: PathBuf,
    runs: usize,
    logs: PathBuf,
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

/// What the fake Runtime API saw, in order.
#[derive(Debug)]
enum Seen {
    Poll { at: Instant },
    HandedOut { at: Instant },
    Response { at: Instant, body: Bytes },
    Error { path: String, body: Bytes },
}

struct RuntimeApi {
    event: Bytes,
    request_id: String,
    polls: AtomicUsize,
    seen: mpsc::UnboundedSender<Seen>,
}

async fn runtime_api(api: Arc<RuntimeApi>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if method == Method::GET && path == "/2018-06-01/runtime/invocation/next" {
        let _ = api.seen.send(Seen::Poll { at: Instant::now() });
        if api.polls.fetch_add(1, Ordering::SeqCst) > 0 {
            // One invocation per process: later polls wait until the process is killed.
            std::future::pending::<()>().await;
        }
        let deadline = Utc::now().timestamp_millis() + 15_000;
        let response = Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/json")
            .header("lambda-runtime-aws-request-id", &api.request_id)
            .header("lambda-runtime-deadline-ms", deadline.to_string())
            .header(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:bench",
            )
            .header(
                "lambda-runtime-trace-id",
                "Root=1-00000000-000000000000000000000000;Sampled=0",
            )
            .body(Full::new(api.event.clone()))
            .expect("a valid response");
        let _ = api.seen.send(Seen::HandedOut { at: Instant::now() });
        return Ok(response);
    }
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if method == Method::POST && path == format!("/2018-06-01/runtime/invocation/{}/response", api.request_id) {
        let _ = api.seen.send(Seen::Response {
            at: Instant::now(),
            body,
        });
    } else if method == Method::POST && path.ends_with("/error") {
        let _ = api.seen.send(Seen::Error { path, body });
    } else {
        let _ = api.seen.send(Seen::Error {
            path: format!("unexpected {method} {path}"),
            body,
        });
        return Ok(Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Full::default())
            .expect("a valid response"));
    }
    Ok(Response::builder()
        .status(StatusCode::ACCEPTED)
        .body(Full::new(Bytes::from_static(br#"{"status":"OK"}"#)))
        .expect("a valid response"))
}

/// Serves the Runtime API until dropped; aborting the task drops every connection too.
async fn serve(listener: TcpListener, api: Arc<RuntimeApi>) {
    let mut connections = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        let api = api.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| runtime_api(api.clone(), request));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// One cold start of one binary.
struct Sample {
    init: Duration,
    first_invocation: Duration,
    peak_rss_kib: u64,
}

/// Which response counts as right.
#[derive(Clone, Copy)]
enum Expect {
    Hello,
    Json,
    Sent(usize),
}

struct Fixtures {
    json: Value,
}

impl Fixtures {
    /// A fresh table holding the fixtures the sample events act on (as tests/lambda does).
    async fn seed(&self, client: &Client) -> Result<String, Error> {
        let fixtures = &self.json;
        let table = format!("bench-{}", uuid::Uuid::new_v4());
        dynamo::create_table(client, &table).await?;
        let store = DynamoStore::new(client.clone(), &table);
        let now = Utc::now();
        let tenant = TenantId::parse(fixtures["tenantId"].as_str().unwrap_or_default()).ok_or("fixtures: tenantId")?;
        let user = UserId::parse(fixtures["userId"].as_str().unwrap_or_default()).ok_or("fixtures: userId")?;
        for fixture in fixtures["invites"].as_array().ok_or("fixtures: invites")? {
            let id = InviteId::parse(fixture["id"].as_str().unwrap_or_default()).ok_or("fixture: id")?;
            let token = match fixture["token"].as_str() {
                Some(token) => InviteToken::from_submitted(token).ok_or("fixture token")?,
                None => InviteToken::generate(id),
            };
            let email = EmailAddress::parse(fixture["email"].as_str().ok_or("fixture: email")?)?;
            let issue = NewInvite {
                id,
                tenant_id: tenant,
                email: &email,
                created_by: user,
                token_hash: token.hash(),
                email_status: EmailStatus::Skipped,
                expires_at: now + chrono::Duration::days(7),
            };
            let invite = Invite {
                roles: vec!["content-creator".into()],
                ..Invite::issued(issue, now)
            };
            store.insert(&invite, now).await?;
        }
        Ok(table)
    }
}

struct Harness {
    args: Args,
    client: Client,
    fixtures: Fixtures,
    endpoint: String,
}

impl Harness {
    async fn sample(&self, binary: &str, event: &Bytes, expect: Expect) -> Result<Sample, Error> {
        let table = self.fixtures.seed(&self.client).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let runtime_address = listener.local_addr()?;
        let (seen_tx, mut seen) = mpsc::unbounded_channel();
        let api = Arc::new(RuntimeApi {
            event: event.clone(),
            request_id: uuid::Uuid::new_v4().to_string(),
            polls: AtomicUsize::new(0),
            seen: seen_tx,
        });
        let server = tokio::spawn(serve(listener, api));

        let log = File::options()
            .create(true)
            .append(true)
            .open(self.args.logs.join(format!("{binary}.log")))?;
        let mut command = Command::new(self.args.bin_dir.join(binary));
        command
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("LANG", "en_US.UTF-8")
            .env("TZ", ":UTC")
            .env("AWS_LAMBDA_RUNTIME_API", runtime_address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", binary)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", MEMORY_SIZE_MB)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{binary}"))
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
            .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_SESSION_TOKEN", "test")
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)
            .env("INVITES_TABLE_NAME", &table)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let started = Instant::now();
        let child = command.spawn().map_err(|e| format!("{binary}: {e}"))?;
        let mut child = KillOnDrop(child);

        let result = tokio::time::timeout(SAMPLE_TIMEOUT, async {
            let mut first_poll = None;
            let mut handed_out = None;
            let mut response = None;
            while let Some(event) = seen.recv().await {
                match event {
                    Seen::Poll { at } if first_poll.is_none() => first_poll = Some(at),
                    // The second poll: the invocation is over, memory has peaked.
                    Seen::Poll { .. } => break,
                    Seen::HandedOut { at } => handed_out = Some(at),
                    Seen::Response { at, body } => response = Some((at, body)),
                    Seen::Error { path, body } => {
                        return Err(format!("{binary}: {path}: {}", String::from_utf8_lossy(&body)).into());
                    }
                }
            }
            let peak_rss_kib = vm_hwm_kib(child.0.id())?;
            let (Some(first_poll), Some(handed_out), Some((answered, body))) = (first_poll, handed_out, response)
            else {
                return Err(format!("{binary}: exited before answering").into());
            };
            check_response(binary, &body, expect)?;
            Ok::<_, Error>(Sample {
                init: first_poll - started,
                first_invocation: answered - handed_out,
                peak_rss_kib,
            })
        })
        .await;
        let _ = child.0.kill();
        let _ = child.0.wait();
        server.abort();
        let _ = self.client.delete_table().table_name(&table).send().await;
        match result {
            Ok(sample) => sample,
            Err(_) => Err(format!("{binary}: no answer within {SAMPLE_TIMEOUT:?}").into()),
        }
    }
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn vm_hwm_kib(pid: u32) -> Result<u64, Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/<pid>/status")?;
    Ok(line.split_whitespace().nth(1).ok_or("VmHWM without a value")?.parse()?)
}

/// The function's answer must be an API Gateway (payload 2.0) 200.
fn check_response(binary: &str, raw: &[u8], expect: Expect) -> Result<(), Error> {
    let response: Value = serde_json::from_slice(raw).map_err(|e| format!("{binary}: response is not JSON: {e}"))?;
    let fail = |why: &str| -> Error { format!("{binary}: {why}: {response}").into() };
    if response["statusCode"] != 200 {
        return Err(fail("not a 200"));
    }
    if !response["headers"].is_object() || response["isBase64Encoded"] != false {
        return Err(fail("not an API Gateway response"));
    }
    let body = response["body"].as_str().ok_or_else(|| fail("no text body"))?;
    match expect {
        Expect::Hello if body == "hello" => Ok(()),
        Expect::Hello => Err(fail("not hello")),
        Expect::Json => {
            if response["headers"]["content-type"] != "application/json" {
                return Err(fail("not application/json"));
            }
            serde_json::from_str::<Value>(body).map_err(|_| fail("body is not JSON"))?;
            Ok(())
        }
        Expect::Sent(n) => {
            let body: Value = serde_json::from_str(body).map_err(|_| fail("body is not JSON"))?;
            let sent = body["success"].as_array().map_or(0, Vec::len);
            let failed = body["errors"].as_array().map_or(0, Vec::len);
            if sent != n || failed != 0 {
                return Err(fail(&format!("{sent} sent and {failed} failed, not {n} sent")));
            }
            Ok(())
        }
    }
}

/// The send success event with `n` distinct invitees and `sendEmail: false`.
fn large_send_event(events: &Path, n: usize) -> Result<Bytes, Error> {
    let mut event: Value = serde_json::from_slice(&std::fs::read(events.join("send-user-invites/success.json"))?)?;
    let mut body: Value = serde_json::from_str(event["body"].as_str().ok_or("send event: body")?)?;
    let template = body["userInvites"]["userInvites"][0].clone();
    let invitees: Vec<Value> = (0..n)
        .map(|i| {
            let mut invitee = template.clone();
            invitee["email"] = json!(format!("bench.invitee.{i:03}@example.com"));
            invitee["firstName"] = json!(format!("Invitee{i}"));
            invitee
        })
        .collect();
    body["userInvites"]["userInvites"] = Value::Array(invitees);
    body["sendEmail"] = json!(false);
    event["body"] = json!(body.to_string());
    Ok(Bytes::from(event.to_string()))
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
const INIT_RATIO_LIMIT: f64 = 1.5;
const SIZE_LIMIT_BYTES: u64 = 8_000_000;
const LARGE_SEND_RSS_LIMIT_KIB: u64 = 32 * 1024;

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
