//! Input generators for the property tests next to each parser.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

/// Latin letters whose case mappings are not one-to-one (no other script, so a domain
/// label of them is not a mixed-script look-alike), next to plain ASCII.
const TRICKY_LATIN: &[char] = &[
    '\u{DF}', '\u{1E9E}', '\u{131}', '\u{130}', '\u{FB03}', '\u{212A}', '\u{17F}', '\u{E9}', '\u{C9}',
];
/// Greek, whose final sigma lower-cases by context.
const GREEK: &[char] = &['\u{3C3}', '\u{3C2}', '\u{3A3}', '\u{3B1}', '\u{391}', '\u{3BB}'];

fn domain_label() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(
            prop_oneof![6 => proptest::char::range('a', 'z'), 3 => proptest::char::range('A', 'Z'), 2 => select(TRICKY_LATIN)],
            1..=10
        ),
        1 => proptest::collection::vec(select(GREEK), 1..=6),
    ]
    .prop_map(|chars| chars.into_iter().collect())
}

/// Addresses of the usual shape (dotted ASCII local part, a domain and a TLD), in mixed
/// case and with non-ASCII letters in the domain: nearly always valid.
pub fn email() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec("[a-zA-Z0-9]{1,10}", 1..3),
        prop::option::of(select(&["+", "-", "_"][..])),
        proptest::collection::vec(domain_label(), 1..3),
        "[a-zA-Z]{2,6}",
    )
        .prop_map(|(local, sep, domain, tld)| {
            let mut local = local.join(".");
            if let Some(sep) = sep {
                local.push_str(sep);
                local.push('x');
            }
            format!("{local}@{}.{tld}", domain.join("."))
        })
}

/// Changes the case of some characters of `text`, each as `std` maps it (which may
/// turn one character into several: `ß` into `SS`).
pub fn recase(text: &str, choices: &[u8]) -> String {
    text.chars()
        .zip(choices.iter().copied().cycle())
        .map(|(c, choice)| match choice % 3 {
            0 => c.to_string(),
            1 => c.to_uppercase().collect(),
            _ => c.to_lowercase().collect(),
        })
        .collect()
}

/// A locale as a caller might write it: any case, `-` or `_`, with an optional script
/// and region; and the form it normalizes to.
pub fn locale() -> impl Strategy<Value = (String, String)> {
    (
        "[a-zA-Z]{2,3}",
        prop::option::of("[a-zA-Z]{4}"),
        prop::option::of(prop_oneof!["[a-zA-Z]{2}", "[0-9]{3}"]),
        select(&["-", "_"][..]),
    )
        .prop_map(|(language, script, region, sep)| {
            let mut raw = language.clone();
            let mut normal = language.to_ascii_lowercase();
            if let Some(script) = &script {
                raw.push_str(sep);
                raw.push_str(script);
                normal.push('-');
                normal.push_str(&script[..1].to_ascii_uppercase());
                normal.push_str(&script[1..].to_ascii_lowercase());
            }
            if let Some(region) = &region {
                raw.push_str(sep);
                raw.push_str(region);
                normal.push('-');
                normal.push_str(&region.to_ascii_uppercase());
            }
            (raw, normal)
        })
}

/// Every key a request parser looks for, and some it must refuse.
pub const KEYS: &[&str] = &[
    "userInvites",
    "tenantId",
    "sendEmail",
    "expiresInDays",
    "email",
    "firstName",
    "lastName",
    "locale",
    "roles",
    "data",
    "createdByUserId",
    "acceptUserInvite",
    "token",
    "acceptedByUserId",
    "userInvite",
    "status",
    "id",
    "tokenHash",
    "sendCount",
    "createdAt",
    "",
];

/// Strings a parser treats specially, and some it must refuse.
pub const STRINGS: &[&str] = &[
    "",
    " ",
    "wick.john@gmail.com",
    "WICK.john@Gmail.COM ",
    "john@localhost",
    "\"quoted\"@example.com",
    "a@b\r\nBcc: x@example.com",
    "ee764883-5d29-4d2e-a6a8-1c6c2f3c5a10",
    "EE764883-5D29-4D2E-A6A8-1C6C2F3C5A10",
    "urn:uuid:ee764883-5d29-4d2e-a6a8-1c6c2f3c5a10",
    "en-US",
    "zh_hant_tw",
    "content-creator",
    "-admin",
    "\u{0}",
    "\u{202e}",
    "é",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0u64..40).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        ".{0,12}".prop_map(Value::String),
        select(STRINGS).prop_map(|s| Value::String(s.to_owned())),
        email().prop_map(Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => select(KEYS).prop_map(str::to_owned), 1 => ".{0,8}"]
}

/// Any JSON value, leaning towards the keys and strings the parsers look at.
pub fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An object of known keys with any values: gets past the first checks of a parser.
pub fn json_object_of(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    proptest::collection::vec((select(keys), json()), 0..keys.len() + 1)
        .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>()))
}
