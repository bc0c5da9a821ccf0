//! Which JSON numbers survive being read into a `serde_json::Value` and written again.
//!
//! serde_json keeps a number as an `i64`/`u64` when it is an integer that fits, else as
//! an `f64`, written back in its shortest form. A number is kept exactly when that form
//! has the value of the text sent: `7.00` and `1e2` are (they come back as `7.0` and
//! `100.0`), `12345678901234567890123` is not (it comes back as `1.2345678901234568e22`).

use serde_json::Value;

/// The JSON path of the first number in `body` that would not be kept exactly, if any.
/// `body` is known to be valid JSON, read as `value`.
pub(super) fn first_inexact_number(body: &[u8], value: &Value) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let lossy = number_tokens(text).into_iter().find(|token| !kept_exactly(token))?;
    let as_read = lossy.parse::<f64>().ok()?;
    Some(path_of(value, as_read, "").unwrap_or_default())
}

/// Every number of a JSON text, outside its strings, in order.
fn number_tokens(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
        } else if b == b'"' {
            in_string = true;
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                i += 1;
            }
            tokens.push(&text[start..i]);
        } else {
            i += 1;
        }
    }
    tokens
}

fn kept_exactly(token: &str) -> bool {
    let integer = !token.contains(['.', 'e', 'E']);
    if integer && (token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok()) {
        return true;
    }
    match token.parse::<f64>() {
        Ok(f) if f.is_finite() => decimal(token) == decimal(&serde_json::Value::from(f).to_string()),
        _ => false,
    }
}

/// A decimal number as (negative, significant digits without leading or trailing
/// zeros, exponent of the last digit): equal exactly when the values are.
fn decimal(token: &str) -> (bool, String, i64) {
    let (negative, unsigned) = match token.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let mut exponent = exponent - fraction.len() as i64;
    let trimmed = digits.trim_start_matches('0');
    let significant = trimmed.trim_end_matches('0');
    exponent += (trimmed.len() - significant.len()) as i64;
    if significant.is_empty() {
        return (false, String::new(), 0);
    }
    (negative, significant.to_owned(), exponent)
}

/// The path of a float in `value` equal to `target`.
fn path_of(value: &Value, target: f64, at: &str) -> Option<String> {
    match value {
        Value::Number(n) if n.is_f64() && n.as_f64() == Some(target) => Some(at.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| path_of(item, target, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            path_of(item, target, &path)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_come_back_as_sent_are_kept() {
        for token in [
            "0",
            "-0",
            "7",
            "7.0",
            "7.00",
            "1e2",
            "0.1",
            "-2.5e-3",
            "18446744073709551615",
            "-9223372036854775808",
            "1.7976931348623157e308",
            "5e-324",
        ] {
            assert!(kept_exactly(token), "{token}");
        }
    }

    #[test]
    fn numbers_that_would_change_are_found_with_their_path() {
        for token in [
            "12345678901234567890123",
            "18446744073709551616",
            "0.10000000000000000000001",
            "1.00000000000000001",
            "-99999999999999999999",
        ] {
            assert!(!kept_exactly(token), "{token}");
        }
        let body = br#"{"userInvite": {"data": {"a": [1, "x 123456789012345678901234 y", {"big": 12345678901234567890123}]}}}"#;
        let value: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            first_inexact_number(body, &value).as_deref(),
            Some("userInvite.data.a[2].big")
        );
        let fine = br#"{"a": "12345678901234567890123", "b": 1.5}"#;
        assert_eq!(first_inexact_number(fine, &serde_json::from_slice(fine).unwrap()), None);
    }
}
