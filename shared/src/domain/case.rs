//! Case-insensitive comparison beyond ASCII.

/// Folds case so that texts that differ only in case compare equal: emails' canonical
/// form, and the list's `search`.
///
/// Lower-casing alone does not do that outside ASCII: `ß` upper-cases to `SS`, `ı` to
/// `I`, `ﬃ` to `FFI`, and `str::to_lowercase` turns a word-final `Σ` into `ς`, not `σ`.
/// Here each character is mapped on its own (no context) through lower, upper, then lower
/// case, which folds every case variant of it onto one string: `ß`, `ẞ`, `SS` and `ss`
/// all become `ss`. A test checks, for every `char`, that the fold is idempotent and
/// absorbs `std`'s upper- and lower-casing. ASCII folds to plain lower case.
pub fn fold_case(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fold_is_idempotent_and_absorbs_case_for_every_char() {
        let has_case = |c: char| c.to_lowercase().ne([c]) || c.to_uppercase().ne([c]);
        // A char with no case mapping folds to itself: nothing to check.
        for c in (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| has_case(*c))
        {
            let folded = fold_case(&c.to_string());
            assert_eq!(fold_case(&folded), folded, "{c:?} (U+{:04X})", u32::from(c));
            for variant in [c.to_uppercase().collect::<String>(), c.to_lowercase().collect()] {
                assert_eq!(
                    fold_case(&variant),
                    folded,
                    "{c:?} (U+{:04X}) and {variant:?}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn ascii_folds_to_lower_case() {
        assert_eq!(fold_case("Wick.John@Gmail.COM"), "wick.john@gmail.com");
        assert_eq!(fold_case("STRASSE"), fold_case("Straße"));
    }
}
