//! One bounded HTTPS GET, for the identity provider's key set.
//!
//! It rides the HTTP stack the AWS SDK links already (hyper-util's client, hyper-rustls
//! with the platform's root certificates, rustls on aws-lc-rs), so it adds no crate and
//! no second TLS implementation to the functions.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The bound on one fetch, connection included: a Lambda init must not hang on it.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// A key set is a few KiB; anything this large is not one.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("no answer within {} s", FETCH_TIMEOUT.as_secs())]
    Timeout,
    #[error("{0}")]
    Transport(String),
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("the body is over {MAX_BODY_BYTES} bytes or could not be read: {0}")]
    Body(String),
}

pub struct Fetcher {
    client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
}

/// The connector of every outbound HTTP client of the service (the key set fetcher,
/// `invites-local`'s webhooks): TLS with the system's roots through aws-lc-rs, plain
/// http where the caller's configuration allowed it, HTTP/1.1, connecting within
/// `connect_timeout`.
pub fn https_or_http_connector(connect_timeout: Duration) -> std::io::Result<HttpsConnector<HttpConnector>> {
    let mut http = HttpConnector::new();
    http.set_connect_timeout(Some(connect_timeout));
    http.enforce_http(false);
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http))
}

impl Fetcher {
    pub fn new() -> std::io::Result<Self> {
        // The URL's scheme was checked by the configuration: https, or http on loopback.
        let https = https_or_http_connector(CONNECT_TIMEOUT)?;
        Ok(Self {
            client: Client::builder(TokioExecutor::new()).build(https),
        })
    }

    /// The body of a 200 answer to `GET uri`.
    pub async fn get(&self, uri: &http::Uri) -> Result<Bytes, FetchError> {
        let request = http::Request::get(uri.clone())
            .header(http::header::ACCEPT, "application/json")
            .body(Empty::new())
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        let fetch = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| FetchError::Transport(crate::telemetry::describe(&e)))?;
            if response.status() != http::StatusCode::OK {
                return Err(FetchError::Status(response.status().as_u16()));
            }
            Limited::new(response.into_body(), MAX_BODY_BYTES)
                .collect()
                .await
                .map(|body| body.to_bytes())
                .map_err(|e| FetchError::Body(e.to_string()))
        };
        tokio::time::timeout(FETCH_TIMEOUT, fetch)
            .await
            .map_err(|_| FetchError::Timeout)?
    }
}
