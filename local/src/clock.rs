//! A development clock for `invites-local`: the system clock shifted by a fixed number of
//! hours (`INVITES_LOCAL_CLOCK_OFFSET_HOURS`), so that a developer (or a browser test)
//! can see how invites look once they have expired without waiting a week: send with
//! the real clock, restart with `INVITES_LOCAL_CLOCK_OFFSET_HOURS=200`, and every
//! invite sent more than 200 hours before its expiry reads `expired`.
//!
//! Only this binary reads the variable; the Lambda functions always use the system
//! clock. JWT expiry is checked against the real time whatever the offset.

use chrono::{DateTime, Duration, Utc};
use invites_shared::clock::{Clock, SystemClock};

pub const CLOCK_OFFSET_VARIABLE: &str = "INVITES_LOCAL_CLOCK_OFFSET_HOURS";
/// A year either way: enough for any expiry (at most 30 days), far from overflow.
pub const MAX_OFFSET_HOURS: i64 = 24 * 366;

/// The system clock, `offset` ahead (or behind, when negative).
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock {
    offset: Duration,
}

impl OffsetClock {
    pub fn hours(hours: i64) -> Self {
        Self {
            offset: Duration::hours(hours),
        }
    }

    /// Reads the variable's value: a whole number of hours, at most a year either way.
    pub fn parse(value: &str) -> Result<Self, String> {
        let hours: i64 = value
            .trim()
            .parse()
            .map_err(|_| format!("{CLOCK_OFFSET_VARIABLE} must be a whole number of hours, not {value:?}"))?;
        if hours.abs() > MAX_OFFSET_HOURS {
            return Err(format!(
                "{CLOCK_OFFSET_VARIABLE} must be between -{MAX_OFFSET_HOURS} and {MAX_OFFSET_HOURS}"
            ));
        }
        Ok(Self::hours(hours))
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_shifts_the_system_clock() {
        let ahead = OffsetClock::parse(" 200 ").unwrap().now();
        let now = SystemClock.now();
        let shift = ahead - now;
        assert!(shift > Duration::hours(199) && shift <= Duration::hours(200), "{shift}");
        let behind = OffsetClock::parse("-48").unwrap().now();
        assert!(behind < now - Duration::hours(47));
    }

    #[test]
    fn only_whole_hours_within_a_year_are_taken() {
        for bad in ["", "1.5", "8d", "8784000", "-9000"] {
            assert!(OffsetClock::parse(bad).is_err(), "{bad:?}");
        }
        assert!(OffsetClock::parse("8784").is_ok());
    }
}
