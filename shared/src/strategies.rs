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

/// Characters that must never reach a mail header or a stored field: CR, LF and NUL.
pub const LINE_BREAKS_AND_NUL: &[char] = &['\r', '\n', '\0'];

/// A valid address (from [`email`]) with one of CR, LF or NUL inserted into its local
/// part or its domain (somewhere after the `@`), where the rest of the address would
/// still pass for valid: each must be refused.
pub fn email_with_a_line_break() -> impl Strategy<Value = String> {
    (
        email(),
        select(LINE_BREAKS_AND_NUL),
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(address, bad, in_domain, at)| {
            let split = address.find('@').expect("an address has an @");
            // Inside the address, not at its ends (where trimming would rightly remove
            // a CR or LF): in the local part up to the `@`, or anywhere after it.
            let range = if in_domain {
                split + 1..address.len()
            } else {
                1..split + 1
            };
            let boundaries: Vec<usize> = range.filter(|i| address.is_char_boundary(*i)).collect();
            let position = boundaries[at.index(boundaries.len())];
            let mut broken = address.clone();
            broken.insert(position, bad);
            broken
        })
}

/// A valid address with one small edit: a character (a control character, a space, a
/// quote, an `@`, a dot, a letter) inserted, or one removed, anywhere: addresses just
/// inside and just outside the rules, most of which still parse.
pub fn near_email() -> impl Strategy<Value = String> {
    let inserted = select(
        &[
            '\r', '\n', '\0', '\t', ' ', '"', '@', '.', '-', 'x', '\u{7F}', '\u{85}', '\u{2028}',
        ][..],
    );
    (email(), prop::option::of(inserted), any::<prop::sample::Index>()).prop_map(|(address, inserted, at)| {
        let boundaries: Vec<usize> = (0..=address.len()).filter(|i| address.is_char_boundary(*i)).collect();
        let position = boundaries[at.index(boundaries.len())];
        let mut edited = address.clone();
        match inserted {
            Some(c) => edited.insert(position, c),
            None if position < address.len() => {
                edited.remove(position);
            }
            None => {}
        }
        edited
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

/// A locale as a caller might write it (from [`locale`]) with one small edit: a
/// character inserted (a separator, a letter, a digit, a space, a non-ASCII letter, or
/// CR, LF or NUL) or removed, anywhere: tags just inside and just outside the rules.
pub fn near_locale() -> impl Strategy<Value = String> {
    let inserted = select(&['-', '_', 'a', 'Z', '4', ' ', '\u{E9}', '\r', '\n', '\0'][..]);
    (locale(), prop::option::of(inserted), any::<prop::sample::Index>()).prop_map(|((raw, _), inserted, at)| {
        let position = at.index(raw.len() + 1);
        let mut edited = raw.clone();
        match inserted {
            Some(c) => edited.insert(position, c),
            None if position < raw.len() => {
                edited.remove(position);
            }
            None => {}
        }
        edited
    })
}

/// A locale as a caller might write it with CR, LF or NUL inserted anywhere (the
/// separators and subtags around it valid): each must be refused.
pub fn locale_with_a_line_break() -> impl Strategy<Value = String> {
    (locale(), select(LINE_BREAKS_AND_NUL), any::<prop::sample::Index>()).prop_map(|((raw, _), bad, at)| {
        let mut broken = raw.clone();
        broken.insert(at.index(raw.len() + 1), bad);
        broken
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
