//! The identity provider's key set (JWKS): fetched at init, each token's key picked by
//! its `kid`, refreshed when a token names a key we do not hold (the provider rotated)
//! or the set has grown old, at most once per [`MIN_REFRESH_INTERVAL`].
//!
//! A refresh that fails keeps the keys already held: the provider being unreachable
//! for a while does not lock every caller out.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

use super::fetch::{FetchError, Fetcher};
use crate::clock::Clock;

/// Refreshes are at least this far apart, however many unknown `kid`s arrive: a flood
/// of forged tokens cannot turn into a flood of requests to the provider.
pub const MIN_REFRESH_INTERVAL: Duration = Duration::seconds(60);
/// A set older than this is fetched again at the next verification, so a key the
/// provider withdrew stops being trusted.
pub const MAX_AGE: Duration = Duration::hours(1);

/// One usable key and the algorithms a token signed with it may use.
pub struct Key {
    pub decoding: DecodingKey,
    pub algorithms: Vec<Algorithm>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeySetError {
    #[error("could not fetch the key set from {url}: {source}")]
    Fetch { url: String, source: FetchError },
    #[error("{url} is not a JSON Web Key Set: {reason}")]
    NotAKeySet { url: String, reason: String },
    #[error("{url} holds no signing key with a kid for {algorithms:?}")]
    NoUsableKey { url: String, algorithms: Vec<Algorithm> },
}

struct Held {
    keys: HashMap<String, Arc<Key>>,
    fetched_at: DateTime<Utc>,
}

pub struct KeySet {
    url: http::Uri,
    algorithms: Vec<Algorithm>,
    fetcher: Fetcher,
    clock: Arc<dyn Clock>,
    held: RwLock<Held>,
    /// When a refresh was last attempted; held while one runs, so concurrent
    /// verifications that want one share it.
    last_refresh: tokio::sync::Mutex<Option<DateTime<Utc>>>,
}

impl KeySet {
    /// Fetches the set; an unreachable provider or a set with no usable key fails the
    /// start (a clear error at init rather than every request refused later).
    pub async fn load(url: &str, algorithms: Vec<Algorithm>, clock: Arc<dyn Clock>) -> Result<Self, KeySetError> {
        let uri: http::Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| KeySetError::NotAKeySet {
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        let fetcher = Fetcher::new().map_err(|e| KeySetError::Fetch {
            url: url.to_owned(),
            source: FetchError::Transport(format!("the platform's root certificates: {e}")),
        })?;
        let keys = fetch(&fetcher, &uri, &algorithms).await?;
        let fetched_at = clock.now();
        Ok(Self {
            url: uri,
            algorithms,
            fetcher,
            clock,
            held: RwLock::new(Held { keys, fetched_at }),
            // The load does not count: a token naming a key published since then may
            // refresh at once.
            last_refresh: tokio::sync::Mutex::new(None),
        })
    }

    pub fn algorithms(&self) -> &[Algorithm] {
        &self.algorithms
    }

    /// The key named `kid`, refreshing the set first when it does not hold it or has
    /// grown old (at most once per [`MIN_REFRESH_INTERVAL`]).
    pub async fn key(&self, kid: &str) -> Option<Arc<Key>> {
        let (found, stale) = self.lookup(kid);
        if found.is_some() && !stale {
            return found;
        }
        self.refresh().await;
        self.lookup(kid).0
    }

    fn lookup(&self, kid: &str) -> (Option<Arc<Key>>, bool) {
        let held = self.held.read().unwrap_or_else(|e| e.into_inner());
        let stale = self.clock.now() - held.fetched_at > MAX_AGE;
        (held.keys.get(kid).cloned(), stale)
    }

    async fn refresh(&self) {
        let mut last = self.last_refresh.lock().await;
        let now = self.clock.now();
        if last.is_some_and(|at| now - at < MIN_REFRESH_INTERVAL) {
            return;
        }
        *last = Some(now);
        match fetch(&self.fetcher, &self.url, &self.algorithms).await {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "refreshed the JWT key set");
                let mut held = self.held.write().unwrap_or_else(|e| e.into_inner());
                *held = Held { keys, fetched_at: now };
            }
            Err(e) => {
                tracing::warn!(error = %crate::telemetry::describe(&e), "could not refresh the JWT key set; keeping the keys held");
            }
        }
    }
}

async fn fetch(
    fetcher: &Fetcher,
    url: &http::Uri,
    algorithms: &[Algorithm],
) -> Result<HashMap<String, Arc<Key>>, KeySetError> {
    let body = fetcher.get(url).await.map_err(|source| KeySetError::Fetch {
        url: url.to_string(),
        source,
    })?;
    let set = parse(&body).map_err(|reason| KeySetError::NotAKeySet {
        url: url.to_string(),
        reason,
    })?;
    let keys = usable_keys(&set, algorithms);
    if keys.is_empty() {
        return Err(KeySetError::NoUsableKey {
            url: url.to_string(),
            algorithms: algorithms.to_vec(),
        });
    }
    Ok(keys)
}

/// The set's keys, one by one: a key of a kind this library does not know (a provider
/// may publish encryption keys too) is skipped, not a reason to refuse the others.
fn parse(body: &[u8]) -> Result<JwkSet, String> {
    #[derive(serde::Deserialize)]
    struct RawSet {
        keys: Vec<Value>,
    }
    let raw: RawSet = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let keys = raw
        .keys
        .into_iter()
        .filter_map(|value| match serde_json::from_value::<Jwk>(value) {
            Ok(jwk) => Some(jwk),
            Err(e) => {
                tracing::debug!(error = %e, "skipped a key of the set");
                None
            }
        })
        .collect();
    Ok(JwkSet { keys })
}

/// Each signing key with a `kid`, and the configured algorithms it may verify: those
/// of its kind, narrowed to its own `alg` when it names one.
fn usable_keys(set: &JwkSet, algorithms: &[Algorithm]) -> HashMap<String, Arc<Key>> {
    let mut keys = HashMap::new();
    for jwk in &set.keys {
        let Some(kid) = jwk.common.key_id.as_deref() else {
            continue;
        };
        if matches!(&jwk.common.public_key_use, Some(u) if *u != PublicKeyUse::Signature) {
            continue;
        }
        let Ok(decoding) = DecodingKey::from_jwk(jwk) else {
            continue;
        };
        let mut allowed: Vec<Algorithm> = algorithms
            .iter()
            .copied()
            .filter(|a| family(jwk).algorithms().contains(a))
            .collect();
        if let Some(named) = jwk.common.key_algorithm.and_then(signing_algorithm) {
            allowed.retain(|a| *a == named);
        } else if jwk.common.key_algorithm.is_some() {
            // It names an algorithm that is not for signatures (RSA-OAEP, ...).
            allowed.clear();
        }
        if !allowed.is_empty() {
            keys.insert(
                kid.to_owned(),
                Arc::new(Key {
                    decoding,
                    algorithms: allowed,
                }),
            );
        }
    }
    keys
}

fn family(jwk: &Jwk) -> jsonwebtoken::AlgorithmFamily {
    use jsonwebtoken::AlgorithmFamily;
    use jsonwebtoken::jwk::AlgorithmParameters;
    match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => AlgorithmFamily::Rsa,
        AlgorithmParameters::EllipticCurve(_) => AlgorithmFamily::Ec,
        AlgorithmParameters::OctetKeyPair(_) => AlgorithmFamily::Ed,
        // A shared secret in a key set is never trusted: anyone who can read the set
        // could sign with it.
        AlgorithmParameters::OctetKey(_) => AlgorithmFamily::Hmac,
    }
}

fn signing_algorithm(named: KeyAlgorithm) -> Option<Algorithm> {
    Some(match named {
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        _ => return None,
    })
}
