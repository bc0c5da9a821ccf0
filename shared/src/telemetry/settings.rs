//! What the environment says about logs and metrics, with the names AWS users know:
//! Powertools' `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_METRICS_NAMESPACE`, and the
//! level Lambda's own log filtering applies (`AWS_LAMBDA_LOG_LEVEL`).

use tracing_subscriber::EnvFilter;

use super::{NAMESPACE, SERVICE};

/// A level of Lambda's application log filtering (the function's `ApplicationLogLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LambdaLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl LambdaLevel {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_uppercase().as_str() {
            "TRACE" => Self::Trace,
            "DEBUG" => Self::Debug,
            "INFO" => Self::Info,
            "WARN" => Self::Warn,
            "ERROR" => Self::Error,
            "FATAL" => Self::Fatal,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trace => "TRACE",
            Self::Debug => "DEBUG",
            Self::Info => "INFO",
            Self::Warn => "WARN",
            Self::Error => "ERROR",
            Self::Fatal => "FATAL",
        }
    }

    /// The `tracing` filter that emits what Lambda keeps (it has no FATAL: ERROR).
    fn directive(self) -> &'static str {
        match self {
            Self::Trace => "trace",
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error | Self::Fatal => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The `service` of every log line and the `Service` dimension of every metric.
    pub service: String,
    /// The CloudWatch namespace of every metric.
    pub namespace: String,
    /// `AWS_LAMBDA_FUNCTION_NAME`, in Lambda.
    pub function_name: Option<String>,
    /// The level Lambda drops application log lines below (`AWS_LAMBDA_LOG_LEVEL`).
    pub lambda_log_level: Option<LambdaLevel>,
    /// `RUST_LOG`, which filters the logs where Lambda sets no level.
    pub rust_log: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            service: SERVICE.to_owned(),
            namespace: NAMESPACE.to_owned(),
            function_name: None,
            lambda_log_level: None,
            rust_log: None,
        }
    }
}

impl Settings {
    pub fn from_env() -> Self {
        Self::from_lookup(crate::config::env_var)
    }

    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Self {
        let defaults = Self::default();
        Self {
            service: var("POWERTOOLS_SERVICE_NAME").unwrap_or(defaults.service),
            namespace: var("POWERTOOLS_METRICS_NAMESPACE").unwrap_or(defaults.namespace),
            function_name: var("AWS_LAMBDA_FUNCTION_NAME"),
            lambda_log_level: var("AWS_LAMBDA_LOG_LEVEL").as_deref().and_then(LambdaLevel::parse),
            rust_log: var("RUST_LOG"),
        }
    }

    /// The log filter: Lambda's level when it sets one (it would drop anything below
    /// it anyway, as Powertools also lets it win), else `RUST_LOG`, else `info`.
    pub fn log_filter(&self) -> EnvFilter {
        if let Some(level) = self.lambda_log_level {
            return EnvFilter::new(level.directive());
        }
        self.rust_log
            .as_deref()
            .and_then(|directives| EnvFilter::try_new(directives).ok())
            .unwrap_or_else(|| EnvFilter::new("info"))
    }

    /// The level an EMF line carries: Lambda's own level when it filters above INFO,
    /// so the line is never dropped however high the application log level is set;
    /// INFO otherwise.
    pub fn metrics_level(&self) -> &'static str {
        match self.lambda_log_level {
            Some(level) if level > LambdaLevel::Info => level.as_str(),
            _ => LambdaLevel::Info.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        Settings::from_lookup(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn powertools_names_are_honoured() {
        let defaults = settings(&[]);
        assert_eq!(
            (defaults.service.as_str(), defaults.namespace.as_str()),
            (SERVICE, NAMESPACE)
        );
        let named = settings(&[
            ("POWERTOOLS_SERVICE_NAME", "invites-prod"),
            ("POWERTOOLS_METRICS_NAMESPACE", "Acme/Invites"),
            ("AWS_LAMBDA_FUNCTION_NAME", "user-invites-SendUserInvites-1A2B"),
        ]);
        assert_eq!(named.service, "invites-prod");
        assert_eq!(named.namespace, "Acme/Invites");
        assert_eq!(
            named.function_name.as_deref(),
            Some("user-invites-SendUserInvites-1A2B")
        );
    }

    #[test]
    fn lambdas_log_level_wins_and_metrics_keep_above_it() {
        let lambda = settings(&[("AWS_LAMBDA_LOG_LEVEL", "error"), ("RUST_LOG", "debug")]);
        assert_eq!(lambda.log_filter().to_string(), "error");
        assert_eq!(lambda.metrics_level(), "ERROR");
        assert_eq!(settings(&[("AWS_LAMBDA_LOG_LEVEL", "FATAL")]).metrics_level(), "FATAL");
        assert_eq!(settings(&[("AWS_LAMBDA_LOG_LEVEL", "DEBUG")]).metrics_level(), "INFO");
        assert_eq!(settings(&[("RUST_LOG", "warn")]).log_filter().to_string(), "warn");
        assert_eq!(settings(&[]).log_filter().to_string(), "info");
        assert_eq!(settings(&[]).metrics_level(), "INFO");
    }
}
