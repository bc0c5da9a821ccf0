//! The built-in development secret is public: `invites-local` refuses it beyond this
//! machine, and every configured HS256 secret has at least 32 bytes.

use std::collections::HashMap;
use std::sync::Arc;

use invites_local::{LocalOptions, StartError};
use invites_shared::clock::SystemClock;
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET};

fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
    let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Config::from_lookup(|name| vars.get(name).cloned(), None).map_err(|e| e.to_string())
}

async fn start(listen: &str, vars: &[(&str, &str)]) -> Result<(), String> {
    let data_dir = tempfile::tempdir().unwrap();
    let options = LocalOptions {
        listen: listen.to_owned(),
        data_dir: data_dir.path().to_path_buf(),
        config: config(vars)?,
        clock: Arc::new(SystemClock),
        dynamodb_endpoint: None,
        limits: Default::default(),
        cors: Default::default(),
        webhooks: None,
    };
    match invites_local::start(options).await {
        Ok(server) => {
            server.stop().await.unwrap();
            Ok(())
        }
        Err(StartError::Config(reason)) => Err(reason),
        Err(other) => panic!("{other}"),
    }
}

#[tokio::test]
async fn the_development_secret_serves_this_machine_only() {
    let dev = [("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET)];
    assert_eq!(start("127.0.0.1:0", &dev).await, Ok(()));
    assert_eq!(start("localhost:0", &dev).await, Ok(()));
    let everywhere = start("0.0.0.0:0", &dev).await.unwrap_err();
    assert!(everywhere.contains("development secret"), "{everywhere}");
    let with_table = [dev[0], ("INVITES_TABLE_NAME", "invites")];
    assert!(
        start("127.0.0.1:0", &with_table)
            .await
            .unwrap_err()
            .contains("DynamoDB")
    );
    let with_ses = [dev[0], ("INVITES_SENDER_EMAIL", "invites@example.com")];
    assert!(start("127.0.0.1:0", &with_ses).await.unwrap_err().contains("SES"));
    // Another secret may listen anywhere.
    let own = [("INVITES_JWT_SECRET", "a-secret-of-our-own-that-is-long-enough")];
    assert_eq!(start("0.0.0.0:0", &own).await, Ok(()));
}

#[tokio::test]
async fn an_hs256_secret_shorter_than_32_bytes_is_refused_at_start() {
    let short = config(&[("INVITES_JWT_SECRET", "only-31-bytes-long-secret-here!")]).unwrap_err();
    assert!(short.contains("at least 32 bytes"), "{short}");
    assert!(config(&[("INVITES_JWT_SECRET", "exactly-32-bytes-long-secret-ok!")]).is_ok());
}
