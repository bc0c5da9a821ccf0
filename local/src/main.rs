//! `invites-local`: the User Invites API on one local port.
//!
//! ```text
//! invites-local                      serve every route on INVITES_LISTEN (default 127.0.0.1:3000)
//! invites-local token --sub UUID --tenant UUID [--super-admin] [--hours N]
//!                                    print a signed development token
//! invites-local create-table         create the DynamoDB table INVITES_TABLE_NAME if missing
//! invites-local migrate [--start-after PK]
//!                                    bring every item of the store to the current shape
//! invites-local sweep [--max N]      record the expiry of invites that have expired
//! invites-local outbox [--last-token] list the outbox's emails and their accept links
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use invites_local::{DEFAULT_DATA_DIR, DEFAULT_LISTEN, LocalOptions};
use invites_shared::auth::{Claims, issue_hs256_token};
use invites_shared::clock::SystemClock;
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET, JwtKey};

const USAGE: &str = "usage:
  invites-local                     serve the API (INVITES_LISTEN, INVITES_DATA_DIR)
  invites-local create-table        create the DynamoDB table INVITES_TABLE_NAME if missing
  invites-local migrate [--start-after PK]
                                    bring every item of the store (INVITES_TABLE_NAME, else
                                    INVITES_DATA_DIR) to the current shape; idempotent,
                                    resumable, safe while the API runs
  invites-local sweep [--max N]     record the expiry of up to N (default 1000) invites that
                                    expired, so lists file them as expired
  invites-local outbox [--last-token]
                                    list the emails in the outbox with their accept links
                                    (--last-token: print only the newest email's token)
  invites-local token --sub UUID --tenant UUID [--super-admin] [--hours N]
                                    print a signed development token (HS256)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("token") => token(&args[1..]),
        Some("create-table") => create_table().await,
        Some("migrate") => migrate(&args[1..]).await,
        Some("sweep") => sweep(&args[1..]).await,
        Some("outbox") => outbox(&args[1..]),
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

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

async fn serve() -> Result<(), String> {
    // JSON logs and EMF metrics on stdout, as in Lambda (see the README's Observability).
    invites_shared::telemetry::init();
    let config = Config::from_env(Some(DEVELOPMENT_JWT_SECRET)).map_err(|e| e.to_string())?;
    let development_secret = matches!(&config.jwt.key, JwtKey::Secret(s) if s == DEVELOPMENT_JWT_SECRET);
    let data_dir = PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR));
    let table = config.table_name.clone();
    let options = LocalOptions {
        listen: env_or("INVITES_LISTEN", DEFAULT_LISTEN),
        data_dir: data_dir.clone(),
        config,
        clock: Arc::new(SystemClock),
        dynamodb_endpoint: None,
    };
    let server = invites_local::start(options).await.map_err(|e| e.to_string())?;
    println!("User Invites API listening on http://{}", server.addr);
    match &table {
        Some(table) => println!("  storage:     DynamoDB table {table}"),
        None => println!("  data folder: {}", data_dir.display()),
    }
    println!("  outbox:      {}", LocalOptions::outbox_dir(&data_dir).display());
    if development_secret {
        println!("  JWT secret:  {DEVELOPMENT_JWT_SECRET} (HS256, development only; set INVITES_JWT_SECRET to change)");
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
fn outbox(args: &[String]) -> Result<(), String> {
    let last_token_only = match args {
        [] => false,
        [flag] if flag == "--last-token" => true,
        _ => return Err(format!("unknown options {args:?}\n{USAGE}")),
    };
    let dir = LocalOptions::outbox_dir(&PathBuf::from(env_or("INVITES_DATA_DIR", DEFAULT_DATA_DIR)));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("outbox {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    if last_token_only {
        files = files.split_off(files.len().saturating_sub(1));
    }
    for path in files {
        let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let message = mail_parser::MessageParser::default()
            .parse(&raw)
            .ok_or_else(|| format!("{}: not an email", path.display()))?;
        let text = message.body_text(0).unwrap_or_default();
        let link = text
            .split_whitespace()
            .find(|word| word.contains("token="))
            .unwrap_or_default();
        if last_token_only {
            println!("{}", link.rsplit("token=").next().unwrap_or_default());
            continue;
        }
        let to = message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default();
        println!("{}", path.display());
        println!("  to:      {to}");
        println!("  subject: {}", message.subject().unwrap_or_default());
        println!("  link:    {link}");
    }
    Ok(())
}

fn token(args: &[String]) -> Result<(), String> {
    let mut sub = None;
    let mut tenant = None;
    let mut super_admin = false;
    let mut hours: u64 = 24;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--sub" => sub = Some(value()?),
            "--tenant" => tenant = Some(value()?),
            "--super-admin" => super_admin = true,
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
    let config = Config::from_env(Some(DEVELOPMENT_JWT_SECRET)).map_err(|e| e.to_string())?;
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
    };
    println!("{}", issue_hs256_token(secret, &claims));
    Ok(())
}
