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

/// Text from an input as it may be echoed in a message: control characters (a
/// terminal's escape sequences among them) written as `\u{1b}`, and at most `max`
/// characters, with the length when cut ("…(52428800 tecken)").
pub fn printable(s: &str, max: usize) -> String {
    cut(s, max, |out, c| {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    })
}

/// At most `max` characters of `s`, with the length when cut ("…(52428800 tecken)").
pub fn shorten(s: &str, max: usize) -> String {
    cut(s, max, |out, c| out.push(c))
}

/// The first `max` characters of `s`, each written by `push`, and the length when cut.
fn cut(s: &str, max: usize, push: impl Fn(&mut String, char)) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        n += 1;
        if n <= max {
            push(&mut out, c);
        }
    }
    if n > max {
        out.push_str(&format!("…({n} tecken)"));
    }
    out
}

/// Personnummer and samordningsnummer (with or without century and separator; only
/// with a valid check digit, so dates and other numbers are left alone).
static PERSONAL_NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(?:19|20)?(\d{6})[-+]?(\d{4})\b").expect("valid pattern")
});

/// Swedish telephone numbers: 0 or +46, then 8 to 10 digits in all, with spaces or
/// dashes between groups.
static PHONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:\+46[\s-]?|\b0)(?:\d[\s-]?){6,8}\d\b").expect("valid pattern")
});

/// The Luhn check of the ten digits of a personnummer.
fn luhn_valid(ten: &str) -> bool {
    let sum: u32 = ten
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .enumerate()
        .map(|(i, d)| {
            let d = if i % 2 == 0 { d * 2 } else { d };
            d / 10 + d % 10
        })
        .sum();
    sum % 10 == 0
}

/// `s` with personnummer, samordningsnummer and telephone numbers replaced by
/// "[personnummer]" and "[telefonnummer]": personal data never reaches a published
/// file, whatever column it was typed into.
pub fn mask_personal_data(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let masked = PERSONAL_NUMBER.replace_all(s, |c: &regex::Captures| {
        if luhn_valid(&format!("{}{}", &c[1], &c[2])) {
            "[personnummer]".to_owned()
        } else {
            c[0].to_owned()
        }
    });
    match PHONE.replace_all(&masked, "[telefonnummer]") {
        std::borrow::Cow::Borrowed(_) => masked,
        std::borrow::Cow::Owned(o) => std::borrow::Cow::Owned(o),
    }
}

#[cfg(test)]
mod printable_tests {
    #[test]
    fn control_characters_are_escaped_and_long_text_cut() {
        assert_eq!(super::printable("a\u{1b}[31mb", 80), "a\\u{1b}[31mb");
        assert_eq!(super::printable(&"x".repeat(100), 3), "xxx…(100 tecken)");
        assert_eq!(super::printable("Brottsdatum", 80), "Brottsdatum");
        assert_eq!(super::shorten("a\u{1b}b", 80), "a\u{1b}b");
        assert_eq!(super::shorten("abcd", 2), "ab…(4 tecken)");
    }
}

#[cfg(test)]
mod personal_data_tests {
    use super::mask_personal_data as mask;

    #[test]
    fn personal_numbers_and_phones_are_masked_dates_and_hashes_are_not() {
        assert_eq!(mask("Olaga hot 19900101-1239"), "Olaga hot [personnummer]");
        assert_eq!(mask("7505054564 ringde"), "[personnummer] ringde");
        assert_eq!(mask("ring 0490-123 45"), "ring [telefonnummer]");
        assert_eq!(mask("ring +46 70 123 45 67!"), "ring [telefonnummer]!");
        assert_eq!(mask("070-1234567"), "[telefonnummer]");
        for kept in [
            "2021-01-07 – 2026-12-31",
            "2025-03-02 14:00",
            "1990010112",
            "Stöld 2025-03",
            "30826a0b9f0490123456cd",
            "17115",
            "0883",
        ] {
            assert_eq!(mask(kept), kept);
        }
    }
}
