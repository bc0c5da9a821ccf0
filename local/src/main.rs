//! `invites-local`: the User Invites API on one local port.
//!
//! ```text
//! invites-local                      serve every route on INVITES_LISTEN (default 127.0.0.1:3000)
//! invites-local token --sub UUID --tenant UUID [--role R]... [--super-admin] [--hours N]
//!                                    print a signed development token
//! invites-local create-table         create the DynamoDB table INVITES_TABLE_NAME if missing
//! invites-local seed-fixtures [--queued | --expired]
//!                                    recreate that table on a local emulator with the
//!                                    fixtures the sample events in events/ act on
//! invites-local migrate [--start-after PK]
//!                                    bring every item of the store to the current shape
//! invites-local sweep [--max N]      record the expiry of invites that have expired
//! invites-local outbox [--last-token] list the outbox's emails and their accept links
//! ```
//!
//! Serving, it also answers `GET /` (the developer console), `GET /accept-invite` (the
//! page emailed links open) and, with the development secret only, `POST /dev/token`.
//! `INVITES_LOCAL_CLOCK_OFFSET_HOURS` moves its clock, to see invites expire.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use invites_local::clock::{CLOCK_OFFSET_VARIABLE, OffsetClock};
use invites_local::cors::CorsOrigins;
use invites_local::dev_token::DEV_TOKEN_PATH;
use invites_local::fixtures::Fixtures;
use invites_local::webhooks::WebhookConfig;
use invites_local::{DEFAULT_DATA_DIR, DEFAULT_LISTEN, LocalOptions};
use invites_shared::auth::{Claims, issue_hs256_token};
use invites_shared::clock::{Clock, SystemClock};
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET, JwtKey};
use invites_shared::domain::EmailStatus;
use invites_shared::secrets::{self, Secret};

const USAGE: &str = "usage:
  invites-local                     serve the API and its console (INVITES_LISTEN, INVITES_DATA_DIR;
                                    INVITES_LOCAL_CLOCK_OFFSET_HOURS moves the clock, for development)
  invites-local create-table        create the DynamoDB table INVITES_TABLE_NAME if missing
  invites-local seed-fixtures [--queued | --expired]
                                    delete and recreate the table INVITES_TABLE_NAME on the
                                    emulator at AWS_ENDPOINT_URL, holding the fixtures the
                                    events in events/ act on (--queued: their email queued,
                                    for events/invite-mailer/queued.json; --expired: issued
                                    long ago, for the expiry sweep's event)
  invites-local migrate [--start-after PK]
                                    bring every item of the store (INVITES_TABLE_NAME, else
                                    INVITES_DATA_DIR) to the current shape; idempotent,
                                    resumable, safe while the API runs
  invites-local sweep [--max N]     record the expiry of up to N (default 1000) invites that
                                    expired, so lists file them as expired
  invites-local outbox [--last-token]
                                    list the emails in the outbox with their accept links
                                    (--last-token: print only the newest email's token)
  invites-local events [--limit N] [--json]
                                    list the newest N (default 20) lifecycle events of the
                                    embedded store with their webhook deliveries (--json: one
                                    JSON object per line); run it while the server is stopped
  invites-local events replay ID    deliver event ID again to INVITES_WEBHOOK_URL (at the
                                    server's next start)
  invites-local token --sub UUID --tenant UUID [--role R]... [--super-admin] [--hours N]
                                    print a signed development token (HS256)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("token") => token(&args[1..]).await,
        Some("create-table") => create_table().await,
        Some("seed-fixtures") => seed_fixtures(&args[1..]).await,
        Some("migrate") => migrate(&args[1..]).await,
        Some("sweep") => sweep(&args[1..]).await,
        Some("outbox") => outbox(&args[1..]),
        Some("events") => events(&args[1..]).await,
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("invites-local: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The configuration, with its secrets read from SSM or Secrets Manager when the
/// environment names them there, and the development secret when it names no key.
async fn config_from_env() -> Result<Config, String> {
    secrets::config_from_env(&Secret::ALL, Some(DEVELOPMENT_JWT_SECRET))
        .await
        .map_err(|e| e.to_string())
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

async fn serve() -> Result<(), String> {
    // JSON logs and EMF metrics on stdout, as in Lambda (see the README's Observability).
    invites_shared::telemetry::init();
    let config = config_from_env().await?;
    let development_secret = matches!(&config.jwt.key, JwtKey::Secret(s) if s == DEVELOPMENT_JWT_SECRET);
    let data_dir = PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR));
    let table = config.table_name.clone();
    let cors = CorsOrigins::from_lookup(|name| std::env::var(name).ok())?;
    let offset = std::env::var(CLOCK_OFFSET_VARIABLE).ok().filter(|v| !v.is_empty());
    let clock: Arc<dyn Clock> = match &offset {
        Some(hours) => Arc::new(OffsetClock::parse(hours)?),
        None => Arc::new(SystemClock),
    };
    let options = LocalOptions {
        listen: env_or("INVITES_LISTEN", DEFAULT_LISTEN),
        data_dir: data_dir.clone(),
        config,
        clock,
        dynamodb_endpoint: None,
        limits: Default::default(),
        cors: cors.clone(),
        webhooks: WebhookConfig::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?,
    };
    let server = invites_local::start(options).await.map_err(|e| e.to_string())?;
    println!("User Invites API listening on http://{}", server.addr);
    println!(
        "  console:     http://{}/ (accept page: /accept-invite?token=...)",
        server.addr
    );
    match &table {
        Some(table) => println!("  storage:     DynamoDB table {table}"),
        None => println!("  data folder: {}", data_dir.display()),
    }
    println!("  outbox:      {}", LocalOptions::outbox_dir(&data_dir).display());
    println!(
        "  browse:      http://{}{}",
        server.addr,
        invites_local::docs::DOCS_PATH
    );
    match &cors {
        CorsOrigins::None => {}
        CorsOrigins::Any => println!("  CORS:        any origin"),
        CorsOrigins::List(origins) => println!("  CORS:        {}", origins.join(", ")),
    }
    if development_secret {
        println!("  JWT secret:  {DEVELOPMENT_JWT_SECRET} (HS256, development only; set INVITES_JWT_SECRET to change)");
        println!("  dev tokens:  POST {DEV_TOKEN_PATH} (only with the development secret)");
    }
    if let Some(hours) = offset {
        println!("  clock:       shifted by {hours} hours ({CLOCK_OFFSET_VARIABLE}, development only)");
    }
    println!("  get a token: invites-local token --sub $(uuidgen) --tenant $(uuidgen)");
    println!("  stop:        Ctrl-C");
    server.run_until(shutdown_signal()).await.map_err(|e| e.to_string())?;
    println!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

async fn create_table() -> Result<(), String> {
    let table = std::env::var("INVITES_TABLE_NAME")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or("INVITES_TABLE_NAME is required")?;
    let client = invites_shared::dynamo::client_from_env(None).await;
    match invites_shared::dynamo::create_table(&client, &table).await {
        Ok(true) => println!("created table {table}"),
        Ok(false) => println!("table {table} exists already"),
        Err(e) => return Err(format!("could not create table {table}: {e}")),
    }
    Ok(())
}

/// Starts the emulator's table afresh with the fixtures of the sample events, so each
/// `cargo lambda invoke <fn> --data-file events/<fn>/success.json` (or `sam local
/// invoke`) finds what it acts on. It deletes the table first, so it refuses to run
/// against anything but an emulator (`AWS_ENDPOINT_URL` set).
async fn seed_fixtures(args: &[String]) -> Result<(), String> {
    let now = chrono::Utc::now();
    let (email_status, issued) = match args {
        [] => (EmailStatus::Skipped, now),
        [flag] if flag == "--queued" => (EmailStatus::Queued, now),
        // Issued long enough ago that every fixture has expired, unrecorded.
        [flag] if flag == "--expired" => (EmailStatus::Skipped, now - chrono::Duration::days(400)),
        _ => return Err(format!("unknown options {args:?}\n{USAGE}")),
    };
    let table = std::env::var("INVITES_TABLE_NAME")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or("INVITES_TABLE_NAME is required")?;
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty())
        .ok_or("seed-fixtures deletes and recreates the table, so it runs only against a local emulator: set AWS_ENDPOINT_URL (e.g. http://127.0.0.1:8000, see scripts/local-dynamodb.sh)")?;
    let client = invites_shared::dynamo::client_from_env(None).await;
    let fail = |e: invites_shared::store::StoreError| format!("table {table} at {endpoint}: {e}");
    invites_shared::dynamo::delete_table(&client, &table)
        .await
        .map_err(fail)?;
    invites_shared::dynamo::create_table(&client, &table)
        .await
        .map_err(fail)?;
    let store = invites_shared::dynamo::DynamoStore::new(client, &table);
    let fixtures = Fixtures::load();
    fixtures.seed(&store, email_status, None, issued).await.map_err(fail)?;
    println!(
        "table {table} at {endpoint}: {} fixture invites of tenant {}",
        fixtures.invites.len(),
        fixtures.tenant_id
    );
    // The mailer sends from INVITES_SENDER_EMAIL, which SES (and moto) want verified.
    if let Some(sender) = std::env::var("INVITES_SENDER_EMAIL").ok().filter(|s| !s.is_empty()) {
        invites_shared::email::SesMailer::client_from_env(None)
            .await
            .create_email_identity()
            .email_identity(&sender)
            .send()
            .await
            .map_err(|e| format!("could not verify the sender {sender} at {endpoint}: {e}"))?;
        println!("sender {sender} verified");
    }
    Ok(())
}

fn table_name() -> Option<String> {
    std::env::var("INVITES_TABLE_NAME").ok().filter(|t| !t.is_empty())
}

/// Brings a store of an earlier version to the current shape (see docs/dynamodb.md,
/// *Migration*): on DynamoDB a scan of the table, printing where it got so a run can be
/// resumed with `--start-after`; the embedded store does it when it opens.
async fn migrate(args: &[String]) -> Result<(), String> {
    let start_after = match args {
        [] => None,
        [flag, pk] if flag == "--start-after" => Some(pk.clone()),
        _ => return Err(format!("unknown options {args:?}\n{USAGE}")),
    };
    match table_name() {
        Some(table) => {
            let client = invites_shared::dynamo::client_from_env(None).await;
            let store = invites_shared::dynamo::DynamoStore::new(client, &table);
            let report = store
                .migrate(start_after.as_deref(), |r| {
                    eprintln!(
                        "scanned {} invites, migrated {}; resume with --start-after {}",
                        r.scanned,
                        r.migrated,
                        r.last.as_deref().unwrap_or("(nothing yet)")
                    )
                })
                .await
                .map_err(|e| {
                    format!(
                        "migration of table {table}: {}",
                        invites_shared::telemetry::describe(&e)
                    )
                })?;
            println!(
                "table {table}: {} invites scanned, {} brought to the current shape",
                report.scanned, report.migrated
            );
        }
        None => {
            if start_after.is_some() {
                return Err("--start-after is for a DynamoDB table".into());
            }
            let data_dir = PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR));
            std::fs::create_dir_all(&data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
            let (_, migrated) = invites_local::store::EmbeddedStore::open_migrating(&data_dir.join("invites.redb"))
                .map_err(|e| format!("data folder {}: {e}", data_dir.display()))?;
            println!(
                "data folder {}: {migrated} invites brought to the current shape",
                data_dir.display()
            );
        }
    }
    Ok(())
}

/// Runs the expiry sweep once, over the configured store.
async fn sweep(args: &[String]) -> Result<(), String> {
    let max = match args {
        [] => 1000,
        [flag, n] if flag == "--max" => n.parse().map_err(|_| "--max takes a whole number".to_owned())?,
        _ => return Err(format!("unknown options {args:?}\n{USAGE}")),
    };
    let config = Config::from_env(Some(DEVELOPMENT_JWT_SECRET)).map_err(|e| e.to_string())?;
    let store: Arc<dyn invites_shared::store::InviteStore> = match table_name() {
        Some(table) => Arc::new(invites_shared::dynamo::DynamoStore::new(
            invites_shared::dynamo::client_from_env(None).await,
            table,
        )),
        None => {
            let data_dir = PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR));
            Arc::new(
                invites_local::store::EmbeddedStore::open(&data_dir.join("invites.redb"))
                    .map_err(|e| format!("data folder {}: {e}", data_dir.display()))?,
            )
        }
    };
    let service = invites_shared::service::InviteService::from_config(
        &config,
        store,
        Arc::new(invites_shared::email::NoSender),
        Arc::new(invites_shared::service::StreamDelivery),
        Arc::new(SystemClock),
    );
    let recorded = service
        .sweep_expired(max)
        .await
        .map_err(|e| format!("sweep: {}", invites_shared::telemetry::describe(&e)))?;
    println!("recorded the expiry of {recorded} invites");
    Ok(())
}

/// Reads the outbox the way a mail client would (MIME-decoded), for the developer at the
/// terminal: who each email went to, its subject and its accept link.
/// Lists the event log, or replays one event.
async fn events(args: &[String]) -> Result<(), String> {
    let data_dir = PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR));
    let open = || {
        invites_local::store::EmbeddedStore::open(&data_dir.join("invites.redb")).map_err(|e| {
            format!(
                "data folder {}: {e} (is invites-local running on it? stop it first)",
                data_dir.display()
            )
        })
    };
    if let [command, id] = args
        && command == "replay"
    {
        let id = uuid::Uuid::parse_str(id).map_err(|_| format!("{id:?} is not an event id"))?;
        let webhooks = WebhookConfig::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?
            .ok_or("INVITES_WEBHOOK_URL is not set: there is nowhere to replay to")?;
        let store = open()?.with_webhooks(webhooks.urls);
        return match store.replay_event(id, SystemClock.now()).await {
            Ok(true) => {
                println!("event {id} will be delivered again at the server's next start");
                Ok(())
            }
            Ok(false) => Err(format!("the event log holds no event {id}")),
            Err(e) => Err(e.to_string()),
        };
    }
    let mut limit = 20;
    let mut json = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--limit" => {
                limit = rest
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--limit takes a whole number")?;
            }
            "--json" => json = true,
            _ => return Err(format!("unknown options {args:?}\n{USAGE}")),
        }
    }
    for logged in open()?.recent_events(limit).await.map_err(|e| e.to_string())? {
        if json {
            println!("{}", serde_json::to_string(&logged).map_err(|e| e.to_string())?);
            continue;
        }
        println!(
            "{}  {}  {}  invite {}",
            logged.event.occurred_at.to_rfc3339(),
            logged.event.id,
            logged.event.kind.as_str(),
            logged.event.data.id
        );
        for d in &logged.deliveries {
            let error = d.last_error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
            println!("    {:?} after {} attempts: {}{error}", d.state, d.attempts, d.url);
        }
    }
    Ok(())
}

fn outbox(args: &[String]) -> Result<(), String> {
    let last_token_only = match args {
        [] => false,
        [flag] if flag == "--last-token" => true,
        _ => return Err(format!("unknown options {args:?}\n{USAGE}")),
    };
    let dir = LocalOptions::outbox_dir(&PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR)));
    let emails = invites_local::outbox::read_outbox(&dir)?;
    if last_token_only {
        let last = emails.last().ok_or("the outbox is empty")?;
        println!("{}", last.token().ok_or("the newest email has no accept link")?);
        return Ok(());
    }
    for email in emails {
        println!("{}", email.path.display());
        println!("  to:      {}", email.to);
        println!("  subject: {}", email.subject);
        println!("  link:    {}", email.accept_url);
    }
    Ok(())
}

async fn token(args: &[String]) -> Result<(), String> {
    let mut sub = None;
    let mut tenant = None;
    let mut super_admin = false;
    let mut roles = Vec::new();
    let mut hours: u64 = 24;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--sub" => sub = Some(value()?),
            "--tenant" => tenant = Some(value()?),
            "--super-admin" => super_admin = true,
            "--role" => roles.push(value()?),
            "--hours" => {
                hours = value()?
                    .parse()
                    .map_err(|_| "--hours takes a whole number".to_owned())?
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let sub = sub.ok_or(format!("--sub is required\n{USAGE}"))?;
    if uuid::Uuid::try_parse(&sub).is_err() {
        return Err("--sub must be a UUID".into());
    }
    if tenant.as_deref().is_some_and(|t| uuid::Uuid::try_parse(t).is_err()) {
        return Err("--tenant must be a UUID".into());
    }
    if tenant.is_none() && !super_admin {
        return Err(format!("--tenant is required for a user token\n{USAGE}"));
    }
    let config = config_from_env().await?;
    let JwtKey::Secret(secret) = &config.jwt.key else {
        return Err("tokens can only be minted with an HS256 secret (INVITES_JWT_SECRET)".into());
    };
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs()
        + hours * 3600;
    let claims = Claims {
        sub,
        tenant_id: tenant,
        super_admin,
        exp,
        iss: config.jwt.issuer.clone(),
        aud: config.jwt.audience.clone(),
        roles,
    };
    println!("{}", issue_hs256_token(secret, &claims));
    Ok(())
}
