//! The Lambda invocation a log line belongs to: its request id, its X-Ray trace and
//! whether it is the instance's first (a cold start). The Lambda glue runs each
//! invocation inside [`Invocation::scope`]; every line written within carries it.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// Lambda's request id (Powertools' `function_request_id`).
    pub request_id: String,
    /// The X-Ray trace id (the `Root` of `_X_AMZN_TRACE_ID`), when tracing is on.
    pub xray_trace_id: Option<String>,
    pub cold_start: bool,
}

tokio::task_local! {
    static CURRENT: Invocation;
}

impl Invocation {
    /// The invocation of Lambda's `request_id` and trace header (`Root=1-…;Parent=…;Sampled=1`).
    pub fn new(request_id: &str, trace_header: Option<&str>, cold_start: bool) -> Self {
        Self {
            request_id: request_id.to_owned(),
            xray_trace_id: trace_header.and_then(trace_root).map(str::to_owned),
            cold_start,
        }
    }

    /// Runs `future` as this invocation: its log lines and metrics carry it.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }

    /// The invocation being served on this task, if any.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Clone::clone).ok()
    }
}

/// The trace id of an X-Ray trace header: its `Root`, as Powertools logs it.
pub fn trace_root(header: &str) -> Option<&str> {
    header
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Root="))
        .filter(|root| !root.is_empty())
}

/// True for the first invocation an instance serves, false ever after.
#[derive(Debug)]
pub struct ColdStart(AtomicBool);

impl Default for ColdStart {
    fn default() -> Self {
        Self(AtomicBool::new(true))
    }
}

impl ColdStart {
    pub fn take(&self) -> bool {
        self.0.swap(false, Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_id_is_the_headers_root() {
        let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        assert_eq!(trace_root(header), Some("1-5759e988-bd862e3fe1be46a994272793"));
        assert_eq!(trace_root("Parent=1;Root=1-a-b"), Some("1-a-b"));
        assert_eq!(trace_root("Sampled=0"), None);
        assert_eq!(trace_root("Root="), None);
    }

    #[test]
    fn only_the_first_invocation_is_cold() {
        let cold = ColdStart::default();
        assert!(cold.take());
        assert!(!cold.take());
        assert!(!cold.take());
    }
}
