//! Webhooks from `invites-local`: every event of the log (`store::events`) is POSTed to
//! each `INVITES_WEBHOOK_URL`, signed as the Standard Webhooks specification says
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
//! "{id}.{timestamp}.{body}">` under the key of `INVITES_WEBHOOK_SECRET`, `whsec_...`).
//! Deliveries are retried with backoff from the log, which the store keeps durable, so
//! a restart loses nothing.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use invites_shared::auth::https_or_http_connector;
use invites_shared::clock::Clock;
use sha2::Sha256;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::store::EmbeddedStore;
use crate::store::events::LoggedEvent;

/// How long one attempt may take, connection and answer included.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the worker looks for deliveries that are due.
const TICK: Duration = Duration::from_millis(100);

/// `INVITES_WEBHOOK_URL` and `INVITES_WEBHOOK_SECRET`, checked.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub urls: Vec<String>,
    key: Vec<u8>,
}

impl WebhookConfig {
    /// `None` when no URL is configured. A URL needs the secret: unsigned webhooks would
    /// let anyone who guesses the receiver's address forge events.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, String> {
        let Some(raw) = var("INVITES_WEBHOOK_URL") else {
            return Ok(None);
        };
        let urls: Vec<String> = raw
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect();
        for url in &urls {
            let uri: http::Uri = url.parse().map_err(|e| format!("INVITES_WEBHOOK_URL: {url:?}: {e}"))?;
            if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
                return Err(format!(
                    "INVITES_WEBHOOK_URL: {url:?} is not an http:// or https:// URL"
                ));
            }
        }
        let secret = var("INVITES_WEBHOOK_SECRET")
            .ok_or("INVITES_WEBHOOK_SECRET is required with INVITES_WEBHOOK_URL (whsec_ and a base64 key)")?;
        let key = secret
            .strip_prefix("whsec_")
            .and_then(|k| STANDARD.decode(k).ok())
            .filter(|k| k.len() >= 24)
            .ok_or("INVITES_WEBHOOK_SECRET must be whsec_ followed by a base64 key of at least 24 bytes")?;
        Ok(Some(Self { urls, key }))
    }

    /// The `webhook-signature` of `body` sent as message `id` at `timestamp`.
    pub fn signature(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The worker that delivers the log's due webhooks until stopped.
pub struct WebhookWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WebhookWorker {
    pub fn start(store: EmbeddedStore, config: WebhookConfig, clock: Arc<dyn Clock>) -> std::io::Result<Self> {
        // The URLs' schemes were checked by WebhookConfig: http or https.
        let https = https_or_http_connector(ATTEMPT_TIMEOUT)?;
        let client: HttpsClient = Client::builder(TokioExecutor::new()).build(https);
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                let now = clock.now();
                match store.due_deliveries(now).await {
                    Ok(due) => {
                        // One attempt per URL at a time, the URLs side by side.
                        let attempts = due.into_iter().map(|(logged, index)| {
                            let (client, config, store, clock) = (&client, &config, &store, &clock);
                            async move {
                                // The signed timestamp is the wall clock's, which receivers
                                // compare with theirs; the retry schedule follows `clock`.
                                let sent_at = chrono::Utc::now().timestamp();
                                let error = post(client, config, &logged, index, sent_at).await.err();
                                if let Some(error) = &error {
                                    tracing::warn!(event_id = %logged.event.id, error = %error, "webhook delivery failed");
                                }
                                if let Err(e) = store.record_delivery(logged.seq, index, error, clock.now()).await {
                                    tracing::error!(error = %e, "could not record a webhook delivery");
                                }
                            }
                        });
                        futures::future::join_all(attempts).await;
                    }
                    Err(e) => tracing::error!(error = %e, "could not read the event log"),
                }
                tokio::select! {
                    _ = stopped.changed() => return,
                    _ = tokio::time::sleep(TICK) => {}
                }
            }
        });
        Ok(Self { stop, task })
    }

    /// Stops after the attempts under way; what is due is delivered after the next start.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// One attempt: `Ok` on a 2xx answer, else what went wrong (status or transport error).
async fn post(
    client: &HttpsClient,
    config: &WebhookConfig,
    logged: &LoggedEvent,
    index: usize,
    timestamp: i64,
) -> Result<(), String> {
    let url = &logged.deliveries[index].url;
    let body = serde_json::to_vec(&logged.event).map_err(|e| e.to_string())?;
    let id = logged.event.id.to_string();
    let request = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", config.signature(&id, timestamp, &body))
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    match tokio::time::timeout(ATTEMPT_TIMEOUT, client.request(request)).await {
        Err(_) => Err(format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs())),
        Ok(Err(e)) => Err(format!("transport: {e}")),
        Ok(Ok(answer)) if answer.status().is_success() => Ok(()),
        Ok(Ok(answer)) => Err(format!("answered {}", answer.status())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn signs_as_the_specification_says() {
        let config = WebhookConfig::from_lookup(|name| match name {
            "INVITES_WEBHOOK_URL" => Some("https://example.com/hook".into()),
            "INVITES_WEBHOOK_SECRET" => Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()),
            _ => None,
        })
        .unwrap()
        .unwrap();
        assert_eq!(
            config.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_url_needs_a_well_formed_secret() {
        let lookup = |secret: Option<&'static str>| {
            move |name: &str| match name {
                "INVITES_WEBHOOK_URL" => Some("http://127.0.0.1:9/hook".to_owned()),
                "INVITES_WEBHOOK_SECRET" => secret.map(str::to_owned),
                _ => None,
            }
        };
        assert!(WebhookConfig::from_lookup(lookup(None)).is_err());
        assert!(WebhookConfig::from_lookup(lookup(Some("plain-secret"))).is_err());
        assert!(WebhookConfig::from_lookup(lookup(Some("whsec_c2hvcnQ="))).is_err());
        assert!(WebhookConfig::from_lookup(|_| None).unwrap().is_none());
    }
}
