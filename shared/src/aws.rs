//! The AWS SDK configuration every client of the service shares (DynamoDB and SES):
//! one retry and timeout policy, loaded once per process.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};

/// Attempts per call: the first, and two retries.
pub const MAX_ATTEMPTS: u32 = 3;
/// The bound on one attempt (connection included).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);
/// The bound on one call, retries included: a request never outlives API Gateway's 29 s.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// The SDK configuration from the environment (region, credentials, and
/// `AWS_ENDPOINT_URL` for an emulator), with the service's policy: the standard retry
/// mode (throttling, 5xx and timeouts, with jittered backoff), a 2 s connect timeout,
/// [`ATTEMPT_TIMEOUT`] per attempt and [`CALL_TIMEOUT`] per call.
pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(CALL_TIMEOUT)
                .build(),
        )
        .load()
        .await
}
