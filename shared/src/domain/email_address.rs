use std::net::Ipv4Addr;

use const_format::formatcp;
use email_address::Options;
use icu_normalizer::ComposingNormalizerBorrowed;
use serde::{Deserialize, Serialize};

use super::text::{is_format, is_line_separator, mixes_scripts};
use super::{MAX_EMAIL_LEN, fold_case};

/// An email address as the inviter typed it, with the form it is mailed to and the
/// canonical form it is matched by.
///
/// Uniqueness of pending invites compares canonical forms, so `Wick.John@Gmail.com`
/// and `wick.john@gmail.com` are one invitee, as are `a@bücher.de` and
/// `a@xn--bcher-kva.de`; the address is still stored as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    given: String,
    canonical: String,
}

const TOO_LONG: &str = formatcp!("must be at most {MAX_EMAIL_LEN} bytes long");
const NOT_AN_ADDRESS: &str = "must be a valid email address such as name@example.com";

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let given = raw.trim();
        if given.is_empty() {
            return Err("must not be empty");
        }
        if given.len() > MAX_EMAIL_LEN {
            return Err(TOO_LONG);
        }
        // CR/LF must never reach a mail header; no other control character belongs in an address.
        if given.chars().any(char::is_control) {
            return Err("must not contain control characters");
        }
        // Invisible characters make two addresses that look alike differ.
        if given.chars().any(|c| is_format(c) || is_line_separator(c)) {
            return Err("must not contain invisible characters (zero-width, bidi controls, BOM, line separators)");
        }
        // A quoted local part (`"john doe"@example.com`) is valid RFC 5321, but mail
        // transports refuse most of them: such an invite could never be delivered.
        if given.starts_with('"') {
            return Err("must not have a quoted local part; use a plain address such as name@example.com");
        }
        let mailed = Self::mailed_form(given)?;
        if mailed.len() > MAX_EMAIL_LEN {
            return Err(TOO_LONG);
        }
        let options = Options::default()
            .with_required_tld()
            .without_domain_literal()
            .without_display_text();
        email_address::EmailAddress::parse_with_options(&mailed, options).map_err(|_| NOT_AN_ADDRESS)?;
        Ok(Self {
            given: given.to_owned(),
            canonical: Self::canonicalize(given),
        })
    }

    /// The address as it is mailed: the local part as given, the domain in its ASCII
    /// (punycode) form. SES takes nothing else: no non-ASCII mailbox (SMTPUTF8), so
    /// such an address is refused rather than accepted and never delivered.
    fn mailed_form(address: &str) -> Result<String, &'static str> {
        let address = nfc(address);
        let (local, domain) = address.rsplit_once('@').ok_or(NOT_AN_ADDRESS)?;
        if !local.is_ascii() {
            return Err(
                "must have an ASCII name before the @: mail to internationalized mailboxes cannot be delivered",
            );
        }
        if domain.parse::<Ipv4Addr>().is_ok() {
            return Err("must have a domain name, not an IP address");
        }
        for label in domain.split('.') {
            if mixes_scripts(label) {
                return Err("must not have a domain that mixes scripts (such as a Cyrillic letter among Latin ones)");
            }
        }
        // UTS #46 with the STD3 rules: letters, digits and hyphens, so no `_`.
        let ascii = idna::domain_to_ascii_strict(domain).map_err(|_| "must have a valid domain name")?;
        if ascii
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err("must not have a numeric top-level domain");
        }
        Ok(format!("{local}@{ascii}"))
    }

    /// The form addresses are compared in: NFC, the local part in lower case (it is
    /// ASCII), the domain case-folded ([`fold_case`], so `ß` and `SS` match as they do in
    /// names) and then in its ASCII form, so a Unicode domain and its punycode match.
    /// Only for addresses [`parse`](Self::parse) accepts.
    pub fn canonicalize(address: &str) -> String {
        let address = nfc(address.trim());
        match address.rsplit_once('@') {
            Some((local, domain)) => {
                let folded = fold_case(domain);
                let domain = idna::domain_to_ascii_strict(&folded).unwrap_or(folded);
                format!("{}@{domain}", fold_case(local))
            }
            None => fold_case(&address),
        }
    }

    pub fn as_given(&self) -> &str {
        &self.given
    }

    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The inbox the address reaches, for counting emails only: the canonical form with
    /// a `+tag` and the dots of the local part folded away (`a.b+x@example.com` and
    /// `ab@example.com` count as one recipient), as many providers deliver them.
    pub fn counting_address(&self) -> String {
        Self::counting_form(&self.canonical)
    }

    /// [`Self::counting_address`] of a canonical form (as an invite stores it).
    pub fn counting_form(canonical: &str) -> String {
        let (local, domain) = canonical.rsplit_once('@').unwrap_or((canonical, ""));
        let local = local.split('+').next().unwrap_or(local).replace('.', "");
        format!("{local}@{domain}")
    }

    /// The address to put in a `To:`: ASCII only, the domain as punycode.
    pub fn mailed(&self) -> String {
        Self::mailed_form(&self.given).unwrap_or_else(|_| self.given.clone())
    }
}

fn nfc(text: &str) -> String {
    ComposingNormalizerBorrowed::new_nfc().normalize(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_tags_and_dots_count_as_one_recipient_but_stay_distinct_addresses() {
        let counted = |a: &str| EmailAddress::parse(a).unwrap().counting_address();
        for a in [
            "victim@example.com",
            "Victim+0@example.com",
            "v.i.c.t.i.m+99@EXAMPLE.com",
            "victim+@example.com",
        ] {
            assert_eq!(counted(a), "victim@example.com", "{a}");
        }
        assert_ne!(counted("victim@example.org"), "victim@example.com");
        assert_ne!(counted("victim2@example.com"), "victim@example.com");
        // Only for counting: they remain two invites' addresses.
        assert_ne!(
            EmailAddress::parse("a.b@example.com").unwrap().canonical(),
            EmailAddress::parse("ab@example.com").unwrap().canonical()
        );
    }

    #[test]
    fn case_variants_of_a_domain_are_one_address() {
        for (a, b) in [
            ("a@stra\u{DF}e.example", "A@STRASSE.EXAMPLE"),
            ("a@\u{131}i.example", "a@II.example"),
            ("a@\u{3C3}\u{3B1}\u{3C2}.gr", "a@\u{3A3}\u{391}\u{3A3}.gr"),
            ("a@\u{212A}elvin.example", "a@kelvin.example"),
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
        assert_eq!(a.mailed(), "Wick.John@gmail.com");
    }

    #[test]
    fn a_unicode_domain_its_punycode_and_its_nfd_form_are_one_address() {
        let nfc = EmailAddress::parse("a@b\u{FC}cher.de").unwrap();
        let nfd = EmailAddress::parse("a@bu\u{308}cher.de").unwrap();
        let puny = EmailAddress::parse("a@xn--bcher-kva.de").unwrap();
        assert_eq!(nfc.canonical(), "a@xn--bcher-kva.de");
        assert_eq!(nfd.canonical(), nfc.canonical());
        assert_eq!(puny.canonical(), nfc.canonical());
        // Mailed as ASCII, never the raw Unicode domain.
        assert_eq!(nfc.mailed(), "a@xn--bcher-kva.de");
        assert_eq!(nfd.mailed(), "a@xn--bcher-kva.de");
        assert_eq!(nfc.as_given(), "a@b\u{FC}cher.de");
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

    #[test]
    fn rejects_valid_looking_but_hostile_addresses() {
        for (bad, why) in [
            ("jo\u{200B}hn@example.com", "invisible"),
            ("john@exam\u{200D}ple.com", "invisible"),
            ("\u{FEFF}john@example.com", "invisible"),
            ("john@\u{202E}moc.elpmaxe", "invisible"),
            ("john\u{2028}@example.com", "invisible"),
            ("jos\u{E9}@example.com", "ASCII"),
            ("jose\u{301}@example.com", "ASCII"),
            ("john@127.0.0.1", "IP address"),
            ("john@example.123", "numeric"),
            ("john@my_host.example.com", "valid domain"),
            ("john@ex\u{430}mple.com", "mixes scripts"),
        ] {
            let message = EmailAddress::parse(bad).expect_err(bad);
            assert!(message.contains(why), "{bad:?}: {message}");
        }
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
