//! Email quotas: how many invitation emails one inbox may get per day, and one tenant
//! may send per hour, whatever the invites (a send, cancel and send again; one request
//! to `victim+0..99@`). Counted in storage, in fixed UTC windows, before an email is
//! queued; a use is counted even if the write after it fails.

use chrono::{DateTime, Duration, DurationRound, Utc};

use super::{InviteError, InviteService};
use crate::domain::{EmailAddress, Refusal, TenantId};
use crate::store::QuotaUse;

impl InviteService {
    /// Counts one invitation email from `tenant` to the canonical address `canonical`,
    /// unless the recipient's daily or the tenant's hourly quota is used up (then
    /// `EmailQuota`, with when to retry).
    pub(super) async fn take_email_quotas(&self, tenant: TenantId, canonical: &str) -> Result<(), InviteError> {
        let now = self.clock.now();
        let day_end = window_end(now, Duration::days(1));
        let recipient = QuotaUse {
            key: format!("recipient/{}", EmailAddress::counting_form(canonical)),
            window_end: day_end,
            limit: self.settings.recipient_emails_per_day,
        };
        if !self.store.take_quota(&recipient, now).await? {
            return Err(quota_refusal("to this address today", day_end, now));
        }
        let hour_end = window_end(now, Duration::hours(1));
        let sender = QuotaUse {
            key: format!("tenant/{tenant}"),
            window_end: hour_end,
            limit: self.settings.tenant_emails_per_hour,
        };
        if !self.store.take_quota(&sender, now).await? {
            return Err(quota_refusal("from this tenant this hour", hour_end, now));
        }
        Ok(())
    }
}

/// The end of the fixed UTC window of length `length` that holds `now`.
fn window_end(now: DateTime<Utc>, length: Duration) -> DateTime<Utc> {
    now.duration_trunc(length).unwrap_or(now) + length
}

fn quota_refusal(quota: &'static str, window_end: DateTime<Utc>, now: DateTime<Utc>) -> InviteError {
    let wait_ms = (window_end - now).num_milliseconds().max(1) as u64;
    Refusal::EmailQuota {
        quota,
        retry_after_secs: wait_ms.div_ceil(1000),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_whole_utc_hours_and_days() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T10:47:54.123Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            window_end(at, Duration::hours(1)).to_rfc3339(),
            "2026-11-30T11:00:00+00:00"
        );
        assert_eq!(
            window_end(at, Duration::days(1)).to_rfc3339(),
            "2026-12-01T00:00:00+00:00"
        );
        let refusal = quota_refusal("x", window_end(at, Duration::hours(1)), at);
        assert!(matches!(
            refusal,
            InviteError::Refused(Refusal::EmailQuota {
                retry_after_secs: 726,
                ..
            })
        ));
    }
}
