//! Cross-origin access for browser apps, `INVITES_CORS_ORIGINS`: what API Gateway does
//! on AWS with the template's `CorsAllowedOrigins`, from the same lists
//! ([`invites_shared::http::cors`]). Unset (the default), the server sends no CORS
//! headers, so a page on another origin cannot read its answers.
//!
//! With origins set, every `OPTIONS` request is a preflight, answered here for every
//! route without reaching the API, as API Gateway answers them before any function.

use std::time::Duration;

use http::{HeaderName, HeaderValue};
use invites_shared::http::cors::{ALLOW_HEADERS, EXPOSE_HEADERS, MAX_AGE_SECONDS, allow_methods};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The variable that names the origins.
pub const CORS_ORIGINS_VAR: &str = "INVITES_CORS_ORIGINS";

/// Which origins may call the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CorsOrigins {
    /// No cross-origin access (no CORS headers at all).
    #[default]
    None,
    /// `*`: any origin (bearer tokens, never cookies, so no credentials mode).
    Any,
    /// These exact origins (`scheme://host[:port]`, as a browser sends `Origin`).
    List(Vec<String>),
}

impl CorsOrigins {
    /// Reads `INVITES_CORS_ORIGINS`: a comma-separated list of origins, or `*`.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        Self::parse(var(CORS_ORIGINS_VAR).as_deref().unwrap_or(""))
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        let origins: Vec<&str> = raw.split(',').map(str::trim).filter(|o| !o.is_empty()).collect();
        match origins.as_slice() {
            [] => Ok(Self::None),
            ["*"] => Ok(Self::Any),
            _ => origins
                .iter()
                .map(|origin| check_origin(origin).map(|()| origin.to_string()))
                .collect::<Result<Vec<_>, _>>()
                .map(Self::List),
        }
    }

    /// The layer that answers preflights and marks responses, if any origin is allowed.
    pub fn layer(&self) -> Option<CorsLayer> {
        let allow_origin = match self {
            Self::None => return None,
            Self::Any => AllowOrigin::any(),
            Self::List(origins) => AllowOrigin::list(
                origins
                    .iter()
                    .map(|o| HeaderValue::from_str(o).expect("a checked origin is a header value")),
            ),
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow_origin)
                .allow_methods(allow_methods())
                .allow_headers(ALLOW_HEADERS.map(HeaderName::from_static))
                .expose_headers(EXPOSE_HEADERS.map(HeaderName::from_static))
                .max_age(Duration::from_secs(MAX_AGE_SECONDS)),
        )
    }
}

/// An origin as browsers send it: `http` or `https`, a host, an optional port, and
/// nothing else (no path, not even `/`), or it would never match.
fn check_origin(origin: &str) -> Result<(), String> {
    let refuse =
        || format!("{CORS_ORIGINS_VAR}: {origin:?} is not an origin; use scheme://host[:port], comma-separated, or *");
    let uri: http::Uri = origin.parse().map_err(|_| refuse())?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(refuse());
    };
    let exact = origin == format!("{scheme}://{authority}");
    // Nothing in the authority but the host and a numeric port.
    let rebuilt = match authority.port_u16() {
        Some(port) => format!("{}:{port}", authority.host()),
        None => authority.host().to_owned(),
    };
    let plain_host = !authority.host().is_empty() && rebuilt == authority.as_str() && !rebuilt.contains('*');
    if !matches!(scheme, "http" | "https") || !exact || !plain_host {
        return Err(refuse());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_parse_as_browsers_send_them() {
        assert_eq!(CorsOrigins::parse("").unwrap(), CorsOrigins::None);
        assert_eq!(CorsOrigins::parse(" , ").unwrap(), CorsOrigins::None);
        assert_eq!(CorsOrigins::parse("*").unwrap(), CorsOrigins::Any);
        assert_eq!(
            CorsOrigins::parse("https://app.example.com, http://localhost:5173").unwrap(),
            CorsOrigins::List(vec!["https://app.example.com".into(), "http://localhost:5173".into()])
        );
        assert!(CorsOrigins::parse("http://[::1]:3000").is_ok());
        for bad in [
            "app.example.com",
            "ftp://app.example.com",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://",
            "https://app.example.com:port",
            "https://*.example.com",
            "*, https://app.example.com",
            "https://user@app.example.com",
        ] {
            let error = CorsOrigins::parse(bad).unwrap_err();
            assert!(error.contains(CORS_ORIGINS_VAR), "{bad}: {error}");
        }
    }
}
