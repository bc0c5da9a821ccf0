//! The invitee's profile fields: names, roles and free-form data, each with its limits.

use const_format::formatcp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::text::{carries_a_link, is_format, is_line_separator};
use super::{MAX_DATA_BYTES, MAX_DATA_DEPTH, MAX_NAME_CHARS, MAX_ROLE_KEY_CHARS, MAX_ROLES};

/// A first or last name: at most 100 characters and no control characters as given
/// (so no CR/LF can ever travel from a name into a mail header), then trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    /// An empty or blank name is no name: `Ok(None)`.
    pub fn parse(raw: &str) -> Result<Option<Self>, &'static str> {
        // The limits apply to the name as given (as the API description says), so that a
        // tab or a run of spaces around it is no way past them.
        if raw.chars().count() > MAX_NAME_CHARS {
            return Err(formatcp!("must be at most {MAX_NAME_CHARS} characters long"));
        }
        if raw.chars().any(char::is_control) {
            return Err("must not contain control characters");
        }
        // Invisible characters reorder or hide what an email shows (bidi overrides,
        // zero-width joiners); U+2028/U+2029 break its lines.
        if raw.chars().any(|c| is_format(c) || is_line_separator(c)) {
            return Err("must not contain invisible characters (zero-width, bidi controls, line separators)");
        }
        // A name is rendered into an email the service signs with its own domain: a
        // link there would be the service vouching for it.
        if carries_a_link(raw) {
            return Err("must not contain a link (://, www.)");
        }
        let name = raw.trim();
        if name.is_empty() {
            return Ok(None);
        }
        Ok(Some(Self(name.to_owned())))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A role key such as `content-creator`: a letter or digit, then letters, digits, `_ . : -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleKey(String);

impl RoleKey {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let valid_start = raw.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        let valid_rest = raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'));
        if !valid_start || !valid_rest || raw.len() > MAX_ROLE_KEY_CHARS {
            return Err(formatcp!(
                "must be 1 to {MAX_ROLE_KEY_CHARS} characters: letters, digits and _ . : - starting with a letter or digit"
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

/// The roles an invite grants: at most 20, no repeats, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Roles(Vec<RoleKey>);

impl Roles {
    pub fn new(keys: Vec<RoleKey>) -> Result<Self, &'static str> {
        if keys.len() > MAX_ROLES {
            return Err(formatcp!("must hold at most {MAX_ROLES} roles"));
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].contains(key) {
                return Err("must not repeat a role");
            }
        }
        Ok(Self(keys))
    }

    pub fn into_strings(self) -> Vec<String> {
        self.0.into_iter().map(|k| k.0).collect()
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(|k| k.0.clone()).collect()
    }
}

/// Free-form JSON the caller keeps on the invite: an object, at most 8 KiB and 5 levels deep.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomData(Map<String, Value>);

impl CustomData {
    pub fn parse(value: &Value) -> Result<Self, &'static str> {
        let Value::Object(map) = value else {
            return Err("must be a JSON object");
        };
        if depth(value) > MAX_DATA_DEPTH {
            return Err(formatcp!("must be nested at most {MAX_DATA_DEPTH} levels deep"));
        }
        let size = serde_json::to_vec(value).map(|v| v.len()).unwrap_or(usize::MAX);
        if size > MAX_DATA_BYTES {
            return Err(formatcp!("must be at most {MAX_DATA_BYTES} bytes as JSON"));
        }
        Ok(Self(map.clone()))
    }

    pub fn into_inner(self) -> Map<String, Value> {
        self.0
    }
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  John ").unwrap().unwrap().into_inner(), "John");
        assert_eq!(PersonName::parse("   ").unwrap(), None);
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        assert!(PersonName::parse(&"é".repeat(101)).is_err());
        assert!(PersonName::parse("John\r\nBcc: x@example.com").is_err());
        assert!(PersonName::parse("\tJohn\n").is_err());
        assert!(PersonName::parse(&format!(" {} ", "a".repeat(99))).is_err());
    }

    #[test]
    fn names_that_hide_text_or_carry_a_link_are_refused() {
        for (bad, why) in [
            ("John\u{202E}kciW", "invisible"),
            ("Jo\u{200B}hn", "invisible"),
            ("John\u{2028}Wick", "invisible"),
            ("\u{FEFF}John", "invisible"),
            ("John https://evil.example", "link"),
            ("visit WWW.evil.example", "link"),
            ("ftp://x", "link"),
        ] {
            let message = PersonName::parse(bad).expect_err(bad);
            assert!(message.contains(why), "{bad:?}: {message}");
        }
        for good in ["Jean-Luc", "O'Brien", "Dr. Smith Jr.", "María José", "李小龍", "www"] {
            assert!(PersonName::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn roles_are_checked_and_unique() {
        assert!(RoleKey::parse("content-creator").is_ok());
        assert!(RoleKey::parse("-admin").is_err());
        assert!(RoleKey::parse("ad min").is_err());
        assert!(RoleKey::parse(&"a".repeat(65)).is_err());
        let admin = RoleKey::parse("admin").unwrap();
        assert!(Roles::new(vec![admin.clone(), admin]).is_err());
        let many = (0..21).map(|i| RoleKey::parse(&format!("r{i}")).unwrap()).collect();
        assert!(Roles::new(many).is_err());
    }

    #[test]
    fn data_is_an_object_within_bounds() {
        assert!(CustomData::parse(&json!({"team": "a"})).is_ok());
        assert!(CustomData::parse(&json!(["a"])).is_err());
        assert!(CustomData::parse(&json!({"a": {"b": {"c": {"d": {"e": 1}}}}})).is_ok());
        assert!(CustomData::parse(&json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}})).is_err());
        assert!(CustomData::parse(&json!({"big": "x".repeat(9000)})).is_err());
    }
}
