use std::fmt;

use serde::{Deserialize, Serialize};

/// A BCP 47 language tag of the common shape `ll`, `ll-RR` or `ll-Ssss-RR`,
/// normalized to its canonical case (`en-us` becomes `en-US`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Locale(String);

impl Default for Locale {
    fn default() -> Self {
        Self("en-US".to_owned())
    }
}

impl Locale {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        const MESSAGE: &str = "must be a language tag such as en-US, de or zh-Hant-TW";
        let mut parts = raw.split(['-', '_']);
        let language = parts.next().unwrap_or_default();
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(MESSAGE);
        }
        let mut canonical = language.to_ascii_lowercase();
        let mut rest: Vec<&str> = parts.collect();
        if rest.len() > 2 {
            return Err(MESSAGE);
        }
        if let Some(script) = rest.first().filter(|p| p.len() == 4) {
            if !script.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(MESSAGE);
            }
            canonical.push('-');
            canonical.push_str(&script[..1].to_ascii_uppercase());
            canonical.push_str(&script[1..].to_ascii_lowercase());
            rest.remove(0);
        }
        match rest.as_slice() {
            [] => {}
            [region] if region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic()) => {
                canonical.push('-');
                canonical.push_str(&region.to_ascii_uppercase());
            }
            [region] if region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit()) => {
                canonical.push('-');
                canonical.push_str(region);
            }
            _ => return Err(MESSAGE),
        }
        Ok(Self(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`de` of `de-AT`), for template fallback.
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_separator() {
        assert_eq!(Locale::parse("en-us").unwrap().as_str(), "en-US");
        assert_eq!(Locale::parse("id_ID").unwrap().as_str(), "id-ID");
        assert_eq!(Locale::parse("zh-hant-tw").unwrap().as_str(), "zh-Hant-TW");
        assert_eq!(Locale::parse("es-419").unwrap().as_str(), "es-419");
        assert_eq!(Locale::parse("DE").unwrap().language(), "de");
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "e",
            "english",
            "en-",
            "en-USA1",
            "en-US-x-1",
            "en US",
            "1a",
            "en-U5",
        ] {
            assert!(Locale::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::strategies::{locale, locale_with_a_line_break, near_locale};

    proptest! {
        #[test]
        fn a_normalized_locale_reparses_to_itself(raw in near_locale()) {
            if let Ok(parsed) = Locale::parse(&raw) {
                prop_assert_eq!(Locale::parse(parsed.as_str()), Ok(parsed.clone()));
                prop_assert!(parsed.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{:?}", parsed);
                prop_assert_eq!(parsed.as_str().len(), raw.len(), "{:?} from {:?}", parsed, raw);
            }
        }

        #[test]
        fn a_line_break_or_nul_anywhere_in_a_locale_is_refused(raw in locale_with_a_line_break()) {
            prop_assert!(Locale::parse(&raw).is_err(), "{:?} was accepted", raw);
        }

        #[test]
        fn every_casing_and_separator_normalizes_to_one_form((raw, normal) in locale()) {
            let parsed = Locale::parse(&raw).map_err(|e| TestCaseError::fail(format!("{raw:?}: {e}")))?;
            prop_assert_eq!(parsed.as_str(), normal.as_str());
            prop_assert_eq!(Locale::parse(&normal), Ok(parsed.clone()));
            prop_assert_eq!(parsed.language(), normal[..normal.find('-').unwrap_or(normal.len())].to_owned());
        }

        #[test]
        fn parse_never_panics_on_near_locales(raw in "[a-zA-Z0-9_\u{80}-\u{10FFFF}-]{0,16}") {
            let _ = Locale::parse(&raw);
        }
    }
}
