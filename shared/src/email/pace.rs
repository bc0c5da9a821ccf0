//! Sending at SES's pace: a mailer that waits for its turn before each send, so the
//! instances together never send faster than the account's `MaxSendRate`.
//!
//! Each instance holds one token bucket (GCRA, `governor`) of rate R / N, where R is the
//! account's rate and N the most instances that run at once (the mailer function's
//! reserved concurrency in template.yaml, `INVITES_MAILER_CONCURRENCY`). The bucket
//! holds one token: sends are spaced evenly, never in bursts.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::{Delivery, MailError, Mailer, OutgoingEmail};

/// The rate of one instance: `account_rate` (emails per second) shared by `instances`.
pub fn instance_rate(account_rate: f64, instances: u32) -> f64 {
    account_rate / f64::from(instances.max(1))
}

/// A mailer that sends through `inner` at most `per_second` emails per second.
pub struct PacedMailer {
    inner: Arc<dyn Mailer>,
    limiter: DefaultDirectRateLimiter,
    per_second: f64,
}

impl PacedMailer {
    pub fn new(inner: Arc<dyn Mailer>, per_second: f64) -> Self {
        let period = Duration::from_secs_f64(1.0 / per_second.max(0.001));
        let quota = Quota::with_period(period)
            .expect("a period above zero")
            .allow_burst(NonZeroU32::MIN);
        Self {
            inner,
            limiter: RateLimiter::direct(quota),
            per_second,
        }
    }

    pub fn per_second(&self) -> f64 {
        self.per_second
    }
}

#[async_trait]
impl Mailer for PacedMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<Delivery, MailError> {
        self.limiter.until_ready().await;
        self.inner.send(email).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InviteId;
    use std::sync::Mutex;
    use std::time::Instant;

    struct Clocked(Mutex<Vec<Instant>>);

    #[async_trait]
    impl Mailer for Clocked {
        async fn send(&self, _email: &OutgoingEmail) -> Result<Delivery, MailError> {
            self.0.lock().unwrap().push(Instant::now());
            Ok(Delivery { message_id: "m".into() })
        }
    }

    #[test]
    fn the_instances_share_the_account_rate() {
        assert_eq!(instance_rate(14.0, 2), 7.0);
        assert_eq!(instance_rate(1.0, 0), 1.0);
    }

    #[tokio::test]
    async fn concurrent_sends_are_spaced_by_the_rate_never_bunched() {
        let inner = Arc::new(Clocked(Mutex::new(Vec::new())));
        let paced = Arc::new(PacedMailer::new(inner.clone(), 50.0));
        let email = OutgoingEmail {
            invite_id: InviteId::random(),
            to: "a@example.com".into(),
            to_name: None,
            subject: "s".into(),
            html: "h".into(),
            text: "t".into(),
            accept_url: "u".into(),
            sender_name: None,
            reply_to: None,
        };
        let sends = (0..10).map(|_| {
            let (paced, email) = (paced.clone(), email.clone());
            tokio::spawn(async move { paced.send(&email).await.unwrap() })
        });
        futures::future::join_all(sends).await;
        let mut times = inner.0.lock().unwrap().clone();
        times.sort();
        assert_eq!(times.len(), 10);
        for pair in times.windows(2) {
            // 20 ms apart at 50/s; a little slack for the timer.
            assert!(
                pair[1] - pair[0] >= Duration::from_millis(17),
                "{:?}",
                pair[1] - pair[0]
            );
        }
    }
}
