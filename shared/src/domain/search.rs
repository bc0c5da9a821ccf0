//! What `search` means: a case- and accent-insensitive prefix match on the words of an
//! invite's email, first name and last name, and which prefixes an index keeps so that
//! a search reads only the invites that can match.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{Invite, SEARCH_PREFIX_CHARS, SEARCH_PREFIXES_PER_INVITE, fold_case};

/// Folds a text for search: case folded ([`fold_case`]), decomposed (NFD) and stripped of
/// combining marks, so `Zoë`, `ZOE` and `zoë` all read `zoe`, and `Straße` reads `strasse`.
pub fn search_fold(text: &str) -> String {
    fold_case(text).nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// A search needle as the query gives it, folded; `None` when nothing is left to search
/// for. Characters that cannot start a word (spaces, `@`, `.`) are dropped from its front:
/// a needle is matched from a word's start.
pub fn search_needle(raw: &str) -> Option<String> {
    let folded = search_fold(raw.trim());
    let start = folded.find(|c: char| c.is_alphanumeric())?;
    Some(folded[start..].trim_end().to_owned())
}

/// The fields search reads, folded, in the order their words are indexed: first name,
/// last name, email.
pub fn search_fields(invite: &Invite) -> Vec<String> {
    [
        invite.first_name.as_deref(),
        invite.last_name.as_deref(),
        Some(&invite.email),
    ]
    .into_iter()
    .flatten()
    .map(search_fold)
    .collect()
}

/// The byte offsets where a word starts: a letter or digit after anything else.
fn word_starts(field: &str) -> impl Iterator<Item = usize> + '_ {
    let mut previous_is_word = false;
    field.char_indices().filter_map(move |(at, c)| {
        let starts = c.is_alphanumeric() && !previous_is_word;
        previous_is_word = c.is_alphanumeric();
        starts.then_some(at)
    })
}

/// Whether `needle` (from [`search_needle`]) matches one of the folded `fields`: some
/// field, read from one of its word starts, begins with it.
pub fn search_matches<S: AsRef<str>>(needle: &str, fields: &[S]) -> bool {
    fields.iter().any(|field| {
        let field = field.as_ref();
        word_starts(field).any(|at| field[at..].starts_with(needle))
    })
}

/// The prefix whose index list holds every invite a needle can match: its first
/// [`SEARCH_PREFIX_CHARS`] characters. When it is the whole needle, every invite in
/// that list matches; a longer needle is checked against each one.
pub fn index_prefix(needle: &str) -> (&str, bool) {
    match needle.char_indices().nth(SEARCH_PREFIX_CHARS) {
        Some((cut, _)) => (&needle[..cut], false),
        None => (needle, true),
    }
}

/// The prefixes an invite is indexed under: from every word start of its fields, the
/// first 1 to [`SEARCH_PREFIX_CHARS`] characters, distinct, at most
/// [`SEARCH_PREFIXES_PER_INVITE`]. The first word of each field comes first (first
/// name, last name, the email), so a long name never crowds out the email; then the
/// other words in the same order, the email's domain last: the words people search by
/// come first.
pub fn index_prefixes(fields: &[String]) -> Vec<String> {
    let mut prefixes: Vec<String> = Vec::new();
    let mut ordered: Vec<((bool, usize), &str)> = Vec::new();
    for (rank, field) in fields.iter().enumerate() {
        // An email's domain ranks after every local part.
        let domain_at = if rank + 1 == fields.len() {
            field.find('@')
        } else {
            None
        };
        for (nth, at) in word_starts(field).enumerate() {
            let late = domain_at.is_some_and(|d| at > d);
            ordered.push(((nth > 0, rank * 2 + usize::from(late)), &field[at..]));
        }
    }
    ordered.sort_by_key(|(rank, _)| *rank);
    for (_, suffix) in ordered {
        let mut end = 0;
        for c in suffix.chars().take(SEARCH_PREFIX_CHARS) {
            end += c.len_utf8();
            let prefix = &suffix[..end];
            if !prefixes.iter().any(|p| p == prefix) {
                if prefixes.len() == SEARCH_PREFIXES_PER_INVITE {
                    return prefixes;
                }
                prefixes.push(prefix.to_owned());
            }
        }
    }
    prefixes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(first: &str, last: &str, email: &str) -> Vec<String> {
        [first, last, email].iter().map(|f| search_fold(f)).collect()
    }

    #[test]
    fn jo_finds_a_first_name_a_word_inside_an_email_and_a_whole_local_part() {
        let needle = search_needle("jo").unwrap();
        assert!(search_matches(&needle, &fields("John", "", "x@example.com")));
        assert!(search_matches(&needle, &fields("", "", "wick.john@gmail.com")));
        assert!(search_matches(&needle, &fields("", "", "jo@x.io")));
        // Not inside a word.
        assert!(!search_matches(&needle, &fields("Major", "", "bjorn@x.io")));
    }

    #[test]
    fn case_and_accents_do_not_matter() {
        for raw in ["ZOE", "zoë", "Zoë", "ZOË"] {
            let needle = search_needle(raw).unwrap();
            assert!(search_matches(&needle, &fields("Zoë", "", "z@x.io")), "{raw}");
            assert!(search_matches(&needle, &fields("ZOE", "", "z@x.io")), "{raw}");
        }
        let needle = search_needle("STRASSE").unwrap();
        assert!(search_matches(&needle, &fields("", "", "straße@example.com")));
        let needle = search_needle("Ångström").unwrap();
        assert_eq!(needle, "angstrom");
    }

    #[test]
    fn a_needle_may_run_across_word_boundaries_from_a_word_start() {
        let f = fields("John", "Wick", "wick.john@gmail.com");
        for raw in ["wick.jo", "john@gm", "gmail.com", " John ", "@gmail"] {
            let needle = search_needle(raw).unwrap();
            assert!(search_matches(&needle, &f), "{raw}");
        }
        assert!(!search_matches(&search_needle("ick").unwrap(), &f));
        assert_eq!(search_needle(" .@ "), None);
        assert_eq!(search_needle(""), None);
    }

    #[test]
    fn every_match_is_found_in_the_list_of_its_index_prefix() {
        let f = fields("John", "Wick", "wick.john@gmail.com");
        let prefixes = index_prefixes(&f);
        assert_eq!(
            prefixes,
            [
                "j", "jo", "joh", "john", "w", "wi", "wic", "wick", "g", "gm", "gma", "gmai", "c", "co", "com"
            ]
        );
        for raw in ["j", "jo", "john", "johnny", "wick.john", "gmail.com", "com"] {
            let needle = search_needle(raw).unwrap();
            let (prefix, whole) = index_prefix(&needle);
            assert_eq!(whole, needle.chars().count() <= SEARCH_PREFIX_CHARS);
            if search_matches(&needle, &f) {
                assert!(prefixes.iter().any(|p| p == prefix), "{raw}");
            }
        }
    }

    #[test]
    fn an_invite_indexes_at_most_the_cap_names_first() {
        let f = fields(
            "Alexander Benedict",
            "Hamilton-Smith",
            "alexander.hamilton@company.co.uk",
        );
        let prefixes = index_prefixes(&f);
        assert_eq!(prefixes.len(), SEARCH_PREFIXES_PER_INVITE);
        for name in ["alex", "bene", "hami", "smit"] {
            assert!(prefixes.iter().any(|p| p == name), "{name}: {prefixes:?}");
        }
    }

    #[test]
    fn a_name_of_many_words_never_crowds_out_the_email() {
        // A name of seven words would take all 20 prefixes if its words came first.
        let f = fields(r#"<img src=x onerror="window.__pwned=1">"#, "", "mallory@example.com");
        let prefixes = index_prefixes(&f);
        assert!(prefixes.iter().any(|p| p == "mall"), "{prefixes:?}");
        assert!(search_matches(&search_needle("mallory").unwrap(), &f), "{f:?}");
    }
}
