//! The body as one JSON document: nothing before or after it, no key named twice, and
//! no number that would not come back as it was sent.

use serde_json::{Map, Value};

use super::RequestError;
use super::exact_numbers::first_inexact_number;

/// Parses a body as JSON. An absent (zero-length) body reads as `{}` where
/// `empty_is_object`; any other body must be one JSON document, so whitespace alone
/// (`"\r"`, `" "`) is malformed JSON, not "no body".
pub fn parse_json(body: &[u8], empty_is_object: bool) -> Result<Value, RequestError> {
    if body.is_empty() {
        return if empty_is_object {
            Ok(Value::Object(Map::new()))
        } else {
            Err(RequestError::one("", "a JSON body is required"))
        };
    }
    let value = serde_json::from_slice(body)
        .map(|Unambiguous(value)| value)
        .map_err(|e| RequestError::one("", format!("the body is not valid JSON: {e}")))?;
    // Numbers are kept as 64-bit integers or doubles. One that neither holds exactly
    // (12345678901234567890123, 0.1000000000000000000001) would be stored and answered
    // as another number: refused instead, never changed silently.
    if let Some(field) = first_inexact_number(body, &value) {
        return Err(RequestError::one(
            &field,
            "must be a number that can be kept exactly (an integer within 64 bits, or at most 17 significant digits); send it as a string",
        ));
    }
    Ok(value)
}

/// A JSON value read with one rule more than `serde_json::Value`: an object may not name
/// the same key twice. `Value` keeps the last one silently, so `{"roles": ["admin"],
/// "roles": []}` would mean whatever the last parser in the chain decides; it is
/// refused instead (RFC 8259 leaves duplicates to the implementation). serde_json's
/// nesting limit still applies: it is the deserializer's, not the value's.
struct Unambiguous(Value);

impl<'de> serde::Deserialize<'de> for Unambiguous {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UnambiguousVisitor).map(Unambiguous)
    }
}

struct UnambiguousVisitor;

impl<'de> serde::de::Visitor<'de> for UnambiguousVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json hands out finite floats only, which `From<f64>` keeps as numbers.
        Ok(v.into())
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Unambiguous(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!("the key {key:?} appears twice")));
            }
            let Unambiguous(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}
