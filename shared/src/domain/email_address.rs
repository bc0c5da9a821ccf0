use const_format::formatcp;
use email_address::Options;
use serde::{Deserialize, Serialize};

use super::{MAX_EMAIL_LEN, fold_case};

/// An email address as the inviter typed it, with the canonical form it is matched by.
///
/// Uniqueness of pending invites compares canonical forms, so `Wick.John@Gmail.com`
/// and `wick.john@gmail.com` are one invitee; the address is still stored and mailed
/// as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    given: String,
    canonical: String,
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let given = raw.trim();
        if given.is_empty() {
            return Err("must not be empty");
        }
        if given.len() > MAX_EMAIL_LEN {
            return Err(formatcp!("must be at most {MAX_EMAIL_LEN} bytes long"));
        }
        // CR/LF must never reach a mail header; no other control character belongs in an address.
        if given.chars().any(char::is_control) {
            return Err("must not contain control characters");
        }
        // A quoted local part (`"john doe"@example.com`) is valid RFC 5321, but mail
        // transports refuse most of them: such an invite could never be delivered.
        if given.starts_with('"') {
            return Err("must not have a quoted local part; use a plain address such as name@example.com");
        }
        let options = Options::default()
            .with_required_tld()
            .without_domain_literal()
            .without_display_text();
        email_address::EmailAddress::parse_with_options(given, options)
            .map_err(|_| "must be a valid email address such as name@example.com")?;
        Ok(Self {
            given: given.to_owned(),
            canonical: Self::canonicalize(given),
        })
    }

    /// The form addresses are compared in: the whole address case-folded
    /// ([`fold_case`]), so that two addresses that differ only in case, also outside
    /// ASCII (`Straße` and `STRASSE`), have one canonical form.
    pub fn canonicalize(address: &str) -> String {
        fold_case(address.trim())
    }

    pub fn as_given(&self) -> &str {
        &self.given
    }

    pub fn canonical(&self) -> &str {
        &self.canonical
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_variants_outside_ascii_are_one_address() {
        for (a, b) in [
            ("straße@example.com", "STRASSE@EXAMPLE.COM"),
            ("ıi@example.com", "II@example.com"),
            ("σας@example.com", "ΣΑΣ@example.com"),
            ("ﬃ@example.com", "FFI@example.com"),
            ("\u{212A}elvin@example.com", "kelvin@example.com"),
        ] {
            let (a, b) = (EmailAddress::parse(a).unwrap(), EmailAddress::parse(b).unwrap());
            assert_eq!(a.canonical(), b.canonical());
        }
    }

    #[test]
    fn keeps_the_given_form_and_matches_case_insensitively() {
        let a = EmailAddress::parse(" Wick.John@Gmail.com ").unwrap();
        assert_eq!(a.as_given(), "Wick.John@Gmail.com");
        assert_eq!(a.canonical(), "wick.john@gmail.com");
    }

    #[test]
    fn rejects_what_is_not_a_bare_address() {
        for bad in [
            "",
            "john",
            "john@localhost",
            "John <john@example.com>",
            "john@[127.0.0.1]",
            "john@example.com\r\nBcc: x@example.com",
            "a@b@example.com",
            "\"john doe\"@example.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(EmailAddress::parse(&long).is_err());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::strategies::{email, email_with_a_line_break, near_email, recase};

    proptest! {
        #[test]
        fn a_line_break_or_nul_inside_an_otherwise_valid_address_is_refused(raw in email_with_a_line_break()) {
            prop_assert!(EmailAddress::parse(&raw).is_err(), "{:?} was accepted", raw);
        }

        #[test]
        fn an_address_that_parses_never_keeps_a_control_character(raw in near_email()) {
            if let Ok(address) = EmailAddress::parse(&raw) {
                for form in [address.as_given(), address.canonical()] {
                    prop_assert!(!form.chars().any(char::is_control), "{:?} from {:?}", form, raw);
                }
                prop_assert_eq!(address.as_given(), raw.trim());
            }
        }

        #[test]
        fn parse_never_panics(raw in any::<String>()) {
            let _ = EmailAddress::parse(&raw);
        }

        #[test]
        fn parse_never_panics_on_near_addresses(raw in "[ -~\r\n\t\u{80}-\u{10FFFF}]{0,40}@[ -~\u{80}-\u{2FF}]{0,40}") {
            let _ = EmailAddress::parse(&raw);
        }

        #[test]
        fn the_canonical_form_is_idempotent(raw in email()) {
            let address = EmailAddress::parse(&raw);
            prop_assume!(address.is_ok());
            let canonical = address.unwrap().canonical().to_owned();
            prop_assert_eq!(EmailAddress::canonicalize(&canonical), canonical.clone());
            if let Ok(again) = EmailAddress::parse(&canonical) {
                prop_assert_eq!(again.canonical(), canonical);
            }
        }

        #[test]
        fn addresses_that_differ_only_in_case_are_one_address(raw in email(), choices in proptest::collection::vec(any::<u8>(), 1..40)) {
            let recased = recase(&raw, &choices);
            let (a, b) = (EmailAddress::parse(&raw), EmailAddress::parse(&recased));
            prop_assume!(a.is_ok() && b.is_ok());
            let (a, b) = (a.unwrap(), b.unwrap());
            prop_assert_eq!(a.canonical(), b.canonical(), "{:?} and {:?}", raw, recased);
            prop_assert_eq!(b.as_given(), recased.trim(), "the address is kept as given");
        }
    }
}
