//! The invitee's time zone: an IANA name, in which the email shows when the invite expires.

use std::str::FromStr;

use chrono_tz::Tz;

/// An IANA time zone name the tz database knows (`Europe/Berlin`, `UTC`), spelled as
/// the database spells it (openapi.yaml lists them all: `TimeZone`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl TimeZone {
    pub const MESSAGE: &'static str = "must be an IANA time zone name such as Europe/Berlin or UTC";

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        // The tz database's longest name is 32 characters; a longer one is never a zone.
        if raw.len() > 64 {
            return Err(Self::MESSAGE);
        }
        Tz::from_str(raw).map(Self).map_err(|_| Self::MESSAGE)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn tz(&self) -> Tz {
        self.0
    }

    /// Every name taken, in the tz database's order.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_parse_to_their_canonical_name() {
        assert_eq!(TimeZone::parse("Europe/Berlin").unwrap().name(), "Europe/Berlin");
        assert_eq!(TimeZone::parse("UTC").unwrap().name(), "UTC");
        assert_eq!(TimeZone::parse("Asia/Jakarta").unwrap().name(), "Asia/Jakarta");
    }

    #[test]
    fn anything_else_is_refused() {
        for raw in [
            "",
            "europe/berlin",
            "Europe/Nowhere",
            "+01:00",
            "CEST ",
            "Mars/Olympus_Mons",
            &"A".repeat(100),
        ] {
            assert_eq!(TimeZone::parse(raw), Err(TimeZone::MESSAGE), "{raw:?}");
        }
    }
}
