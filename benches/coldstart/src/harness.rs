//! One cold start of one function binary: fixtures, the spawned process, its answer.

use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use bytes::Bytes;
use chrono::Utc;
use invites_shared::config::DEVELOPMENT_JWT_SECRET;
use invites_shared::domain::{EmailAddress, EmailStatus, Invite, InviteId, InviteToken, NewInvite, TenantId, UserId};
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::store::InviteStore;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::runtime_api::*;
use crate::{Args, Error, MEMORY_SIZE_MB, SAMPLE_TIMEOUT};

/// One cold start of one binary.
pub(crate) struct Sample {
    pub(crate) init: Duration,
    pub(crate) first_invocation: Duration,
    pub(crate) peak_rss_kib: u64,
}

/// Which response counts as right.
#[derive(Clone, Copy)]
pub(crate) enum Expect {
    Hello,
    Json,
    Sent(usize),
}

pub(crate) struct Fixtures {
    pub(crate) json: Value,
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

pub(crate) struct Harness {
    pub(crate) args: Args,
    pub(crate) client: Client,
    pub(crate) fixtures: Fixtures,
    pub(crate) endpoint: String,
}

impl Harness {
    pub(crate) async fn sample(&self, binary: &str, event: &Bytes, expect: Expect) -> Result<Sample, Error> {
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

pub(crate) struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn vm_hwm_kib(pid: u32) -> Result<u64, Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/<pid>/status")?;
    Ok(line.split_whitespace().nth(1).ok_or("VmHWM without a value")?.parse()?)
}

/// The function's answer must be an API Gateway (payload 2.0) 200.
pub(crate) fn check_response(binary: &str, raw: &[u8], expect: Expect) -> Result<(), Error> {
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
pub(crate) fn large_send_event(events: &Path, n: usize) -> Result<Bytes, Error> {
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
