//! Characters that are valid Unicode but hostile in an address or a name: the
//! invisible ones (format characters: zero-width, bidi overrides, BOM), line and
//! paragraph separators, and labels that mix scripts to look like another.

use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, Script};

/// A format character (general category Cf): zero-width spaces and joiners, bidi
/// embeddings, overrides and isolates, the BOM. Invisible, so they make two strings
/// that look alike differ, or reorder what is shown.
pub fn is_format(c: char) -> bool {
    CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

/// U+2028 and U+2029: line breaks that are not control characters.
pub fn is_line_separator(c: char) -> bool {
    matches!(
        CodePointMapData::<GeneralCategory>::new().get(c),
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
    )
}

/// `text`, or its first `max` characters and an ellipsis: for text quoted back in an
/// answer (a field name, an address as sent), whose length the caller chose.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// Whether a text carries something a mail client would turn into a link.
pub fn carries_a_link(text: &str) -> bool {
    let folded = text.to_lowercase();
    folded.contains("://") || folded.contains("www.")
}

/// Whether a domain label mixes scripts the way look-alikes do (a Cyrillic `а` among
/// Latin letters). Allowed are one script, or the combinations of Unicode's "highly
/// restrictive" level (UTS #39, 5.2), which real Japanese, Chinese and Korean names use:
/// Latin with Han, Hiragana and Katakana; Latin with Han and Bopomofo; Latin with Han
/// and Hangul. Common and inherited characters (digits, hyphens, marks) belong to any.
pub fn mixes_scripts(label: &str) -> bool {
    let scripts = CodePointMapData::<Script>::new();
    let mut seen: Vec<Script> = Vec::new();
    for script in label.chars().map(|c| scripts.get(c)) {
        if script != Script::Common && script != Script::Inherited && !seen.contains(&script) {
            seen.push(script);
        }
    }
    if seen.len() <= 1 {
        return false;
    }
    let allowed: [&[Script]; 3] = [
        &[Script::Latin, Script::Han, Script::Hiragana, Script::Katakana],
        &[Script::Latin, Script::Han, Script::Bopomofo],
        &[Script::Latin, Script::Han, Script::Hangul],
    ];
    !allowed.iter().any(|set| seen.iter().all(|s| set.contains(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_separating_characters_are_named() {
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{202E}', '\u{2066}', '\u{FEFF}', '\u{2060}',
        ] {
            assert!(is_format(c), "{:04X}", u32::from(c));
        }
        assert!(is_line_separator('\u{2028}') && is_line_separator('\u{2029}'));
        for c in ['a', 'é', ' ', '-', '例'] {
            assert!(!is_format(c) && !is_line_separator(c), "{c}");
        }
    }

    #[test]
    fn clipping_keeps_short_texts_and_cuts_long_ones_on_a_character() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("ééééé", 3), "ééé…");
        assert_eq!(clip("exactly", 7), "exactly");
    }

    #[test]
    fn look_alike_labels_mix_scripts_and_real_ones_do_not() {
        assert!(mixes_scripts("ex\u{430}mple"), "Cyrillic а among Latin");
        assert!(mixes_scripts("p\u{3B1}ypal"), "Greek α among Latin");
        for label in [
            "example",
            "bücher",
            "пример",
            "例え",
            "例えばカタカナ",
            "한국어",
            "xn--bcher-kva",
            "abc123",
            "日本語abc",
        ] {
            assert!(!mixes_scripts(label), "{label}");
        }
    }
}
