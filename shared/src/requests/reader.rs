//! Walks a JSON document and collects every invalid field by its path: shape faults
//! (a wrong type, an unknown or read-only key) apart from bad values.

use const_format::formatcp;
use serde_json::{Map, Value};

use super::RequestError;
use crate::domain::{CustomData, FieldError, MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS, PersonName, RoleKey, Roles};

const EXPIRY_DAYS_MESSAGE: &str =
    formatcp!("must be a whole number of days from {MIN_EXPIRY_DAYS} to {MAX_EXPIRY_DAYS}");

/// Collects field errors while walking a JSON document.
#[derive(Default)]
pub(super) struct Reader {
    pub(super) structural: Vec<FieldError>,
    pub(super) values: Vec<FieldError>,
}

pub(super) fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Reader {
    pub(super) fn shape(&mut self, field: String, message: &str) {
        self.structural.push(FieldError::new(field, message));
    }

    pub(super) fn object<'v>(&mut self, value: &'v Value, field: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            _ => {
                self.shape(field.to_owned(), "must be a JSON object");
                None
            }
        }
    }

    /// Flags every key that is not in `allowed`, naming read-only ones as such.
    pub(super) fn known_keys(&mut self, map: &Map<String, Value>, parent: &str, allowed: &[&str], read_only: &[&str]) {
        for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let message = if read_only.contains(&key.as_str()) {
                "is read-only"
            } else {
                "is not a known field"
            };
            self.shape(path(parent, key), message);
        }
    }

    /// A present, non-null field.
    pub(super) fn field<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        parent: &str,
        key: &str,
        required: bool,
    ) -> Option<&'v Value> {
        match map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.shape(path(parent, key), "is required");
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    pub(super) fn string<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        parent: &str,
        key: &str,
        required: bool,
    ) -> Option<&'v str> {
        let value = self.field(map, parent, key, required)?;
        let text = value.as_str();
        if text.is_none() {
            self.shape(path(parent, key), "must be a string");
        }
        text
    }

    pub(super) fn boolean(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<bool> {
        let value = self.field(map, parent, key, false)?;
        let flag = value.as_bool();
        if flag.is_none() {
            self.shape(path(parent, key), "must be true or false");
        }
        flag
    }

    pub(super) fn expiry_days(&mut self, map: &Map<String, Value>, parent: &str) -> Option<u32> {
        let value = self.field(map, parent, "expiresInDays", false)?;
        let days =
            whole_number(value).filter(|d| (u64::from(MIN_EXPIRY_DAYS)..=u64::from(MAX_EXPIRY_DAYS)).contains(d));
        if days.is_none() {
            self.shape(path(parent, "expiresInDays"), EXPIRY_DAYS_MESSAGE);
        }
        days.map(|d| d as u32)
    }

    /// Parses a string field's value; a bad value is a value error, a non-string a shape error.
    pub(super) fn parsed<T>(
        &mut self,
        map: &Map<String, Value>,
        parent: &str,
        key: &str,
        required: bool,
        parse: impl FnOnce(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        let raw = self.string(map, parent, key, required)?;
        match parse(raw) {
            Ok(value) => Some(value),
            Err(message) => {
                self.values.push(FieldError::new(path(parent, key), message));
                None
            }
        }
    }

    pub(super) fn uuid<T>(
        &mut self,
        map: &Map<String, Value>,
        parent: &str,
        key: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.parsed(map, parent, key, false, |raw| parse(raw).ok_or("must be a UUID"))
    }

    pub(super) fn name(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<Option<PersonName>> {
        match map.get(key) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(_) => self.parsed(map, parent, key, false, PersonName::parse),
        }
    }

    pub(super) fn roles(&mut self, map: &Map<String, Value>, parent: &str) -> Option<Roles> {
        let value = self.field(map, parent, "roles", false)?;
        let field = path(parent, "roles");
        let Some(items) = value.as_array() else {
            self.shape(field, "must be an array of role keys");
            return None;
        };
        let mut keys = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                None => self.shape(format!("{field}[{i}]"), "must be a string"),
                Some(raw) => match RoleKey::parse(raw) {
                    Ok(key) => keys.push(key),
                    Err(message) => self.values.push(FieldError::new(format!("{field}[{i}]"), message)),
                },
            }
        }
        if keys.len() != items.len() {
            return None;
        }
        Roles::new(keys)
            .map_err(|message| self.values.push(FieldError::new(field, message)))
            .ok()
    }

    pub(super) fn data(&mut self, map: &Map<String, Value>, parent: &str) -> Option<CustomData> {
        let value = self.field(map, parent, "data", false)?;
        if !value.is_object() {
            self.shape(path(parent, "data"), "must be a JSON object");
            return None;
        }
        CustomData::parse(value)
            .map_err(|message| self.values.push(FieldError::new(path(parent, "data"), message)))
            .ok()
    }

    pub(super) fn finish<T>(self, value: T) -> Result<T, RequestError> {
        let mut errors = self.structural;
        errors.extend(self.values);
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(RequestError::Invalid(errors))
        }
    }
}

/// A JSON number that is a whole number, written `7` or `7.0` alike: JSON (and JSON
/// Schema's `integer`) does not tell them apart, so neither may we.
pub(super) fn whole_number(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(f))
            .map(|f| f as u64)
    })
}
