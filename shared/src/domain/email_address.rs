use email_address::Options;
use serde::{Deserialize, Serialize};

use super::MAX_EMAIL_LEN;

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
            return Err("must be at most 254 bytes long");
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

    /// The form addresses are compared in: the whole address case-folded.
    pub fn canonicalize(address: &str) -> String {
        address.trim().to_lowercase()
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
