//! Text folding used wherever names typed by people are compared: column headers,
//! place names, offence names and answer codes.

use unicode_normalization::UnicodeNormalization;

/// Folds a name for comparison: lower case, diacritics removed (å→a, ä→a, ö→o, é→e),
/// every run of non-alphanumeric characters collapsed to one space, trimmed.
///
/// `"Ankarsrums  Centrum"` → `"ankarsrums centrum"`, `"Händelse-typ"` → `"handelse typ"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Folds a column header: like [`fold`] but with the separators removed entirely, so
/// `"Ålder misstänkt"`, `"alder_misstankt"` and `"ÅLDER-MISSTÄNKT"` all become `"aldermisstankt"`.
pub fn fold_key(s: &str) -> String {
    fold(s).replace(' ', "")
}

fn is_combining_mark(c: char) -> bool {
    // Combining Diacritical Marks block: what NFD splits off å, ä, ö, é, ü.
    ('\u{0300}'..='\u{036F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_swedish_letters_case_and_separators() {
        assert_eq!(fold("Ankarsrums  Centrum"), "ankarsrums centrum");
        assert_eq!(fold("ÖVERUM"), "overum");
        assert_eq!(fold(" Händelse-typ "), "handelse typ");
        assert_eq!(fold_key("Ålder misstänkt"), "aldermisstankt");
        assert_eq!(fold_key("alder_misstankt"), "aldermisstankt");
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold(""), "");
    }
}
