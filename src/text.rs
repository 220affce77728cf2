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

/// Personnummer and samordningsnummer: with or without century, with or without a
/// separator (`-`, `+`, an en dash, a space); only those with a valid check digit are
/// masked, so dates and other numbers are left alone. ASCII digits only: other digits
/// are folded to ASCII first (NFKC).
static PERSONAL_NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"((?:19|20)?[0-9]{6})[ \t]?[-+–−_/.:]?[ \t]?([0-9]{4})")
        .expect("valid pattern")
});

/// Swedish telephone numbers: a leading 0 (or +46, 0046, with or without "(0)" or a
/// 0 kept after it, the area code perhaps in brackets), then seven to nine more
/// digits, groups separated by spaces, dashes, slashes, dots or brackets:
/// `0490-123 45`, `070-123 45 67`, `(070) 123 45 67`, `070.123.45.67`,
/// `+46 70 123 45 67`, `+46 (70) 123 45 67`, `+46 0701234567`, `0046701234567`; and
/// an area code set apart by a spaced dash, `070 - 123 45 67`, `0490 - 123 45` (the
/// rest at least five digits, so that a date range such as `2021-01-07 - 2026-12-31`
/// stays). Other dashes and spaces are folded to these first ([`fold_separators`]).
static PHONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:\+ ?46|00 ?46)[ \-]?(?:\(0\)[ \-]?|0)?\(?[0-9](?:(?:[ \-/.()]{0,2}| - )[0-9]){6,8}|\(?0[1-9](?:[ \-/.()]{0,2}[0-9]){6,8}|\(?0(?:8|[1-9][0-9]{1,3})\)? - [0-9](?:[ \-]?[0-9]){4,7}",
    )
    .expect("valid pattern")
});

/// What [`PHONE`] would otherwise take for a number that begins with 0: a time range
/// (`02.00-02.59`, the hour the clocks are turned back) and a date written day first
/// (`07.03.2025`, `01/07/2026`), with the start of a time or of a second date after it
/// as far as the match reaches (`07.03.2025 14.30`, `07.03.2025–09.03.2025`), and the
/// day and second date of an ISO date range (`2021-01-08 - 2026-12-31`).
static TIME_RANGE_OR_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^\(?(?:[0-2]?[0-9][.:][0-5][0-9] ?- ?[0-2]?[0-9][.:][0-5][0-9]|[0-3][0-9] - (?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]|[0-3]?[0-9][./-][01]?[0-9][./-](?:19|20)?[0-9]{2}(?: ?- ?[0-3]?[0-9](?:[./-][01]?[0-9](?:[./-](?:19|20)?[0-9]{0,2})?)?| [0-2]?[0-9](?:[.:][0-5]?[0-9]?)?)?)\)?$",
    )
    .expect("valid pattern")
});

/// Whether `c` is a dash or a space other than ASCII's, which word processors and
/// phones put between the groups of a number: hyphens, the non-breaking hyphen, en
/// and em dashes, the minus sign, full-width and small dashes; no-break, thin and
/// other spaces.
fn is_other_separator(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    ) || (!c.is_ascii() && c.is_whitespace())
}

/// `s` with the dashes and spaces of [`is_other_separator`] folded to `-` and ` ` and
/// the characters of [`is_invisible`] left out, so that `070–123 45 67` and
/// `850101‑1236` are found as their ASCII forms are.
fn fold_separators(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(|c| is_other_separator(c) || is_invisible(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .filter(|c| !is_invisible(*c))
            .map(|c| match c {
                c if c.is_whitespace() && is_other_separator(c) => ' ',
                c if is_other_separator(c) => '-',
                c => c,
            })
            .collect(),
    )
}

/// Characters that show nothing and may sit inside a number (a soft hyphen, zero-width
/// spaces and joiners, the word joiner, a byte order mark): left out before numbers
/// are looked for.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whether `yymmdd` can begin a personnummer: a month 01–12 and a day 01–31, or 61–91
/// for a samordningsnummer (day + 60).
fn plausible_birth_date(yymmdd: &str) -> bool {
    let number = |range: std::ops::Range<usize>| yymmdd[range].parse::<u32>().unwrap_or(0);
    let (month, day) = (number(2..4), number(4..6));
    (1..=12).contains(&month) && ((1..=31).contains(&day) || (61..=91).contains(&day))
}

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
    sum.is_multiple_of(10)
}

/// `s` with every match of `pattern` that stands alone (no character `joined` takes
/// right before or after it) and that `accept` takes replaced by `with`.
fn replace_standalone<'a>(
    s: &'a str,
    pattern: &regex::Regex,
    joined: fn(char) -> bool,
    accept: impl Fn(&regex::Captures) -> bool,
    with: &str,
) -> std::borrow::Cow<'a, str> {
    let mut out = String::new();
    let mut last = 0;
    for found in pattern.captures_iter(s) {
        let whole = found.get(0).expect("a match");
        let alone = !s[..whole.start()].ends_with(joined) && !s[whole.end()..].starts_with(joined);
        if alone && accept(&found) {
            out.push_str(&s[last..whole.start()]);
            out.push_str(with);
            last = whole.end();
        }
    }
    if last == 0 && out.is_empty() {
        return std::borrow::Cow::Borrowed(s);
    }
    out.push_str(&s[last..]);
    std::borrow::Cow::Owned(out)
}

/// Whether [`mask_personal_data`] may change `s`: a byte scan that never says no where
/// masking would change the text (a property test holds it to that), so that the two
/// regular expressions run only on the few cells that need them. A date, a time, a
/// coordinate or an id such as `G2013-00042` is not a candidate.
pub fn may_hold_personal_data(s: &str) -> bool {
    if !s.is_ascii() && s.chars().any(|c| c.is_numeric() && !c.is_ascii_digit()) {
        return true;
    }
    may_hold_with_ascii_separators(&fold_separators(s))
}

/// [`may_hold_personal_data`] of a text whose separators are folded.
fn may_hold_with_ascii_separators(s: &str) -> bool {
    let b = s.as_bytes();
    let standalone = |at: usize| at == 0 || !b[at - 1].is_ascii_alphanumeric();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            // "+46 70 …": the chain after the plus.
            if b[i] == b'+' && standalone(i) && phone_digits(b, i + 1) >= PHONE_DIGITS {
                return true;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = i - start;
        // A personnummer: ten or twelve digits in a row, or six or eight, a separator
        // and four.
        if run >= 10 || (run >= 6 && digits_after_separator(&s[i..]) >= 4) {
            return true;
        }
        // A telephone number begins with a 0 that stands apart from letters and digits.
        if b[start] == b'0' && standalone(start) && phone_digits(b, start) >= PHONE_DIGITS {
            return true;
        }
    }
    false
}

/// Fewest digits of a telephone number [`PHONE`] matches (0 + digit + six more).
const PHONE_DIGITS: usize = 8;

/// Digits in the chain starting at `from`, where digits may be parted by at most three
/// of the separators [`PHONE`] allows (two, or a spaced dash).
fn phone_digits(b: &[u8], from: usize) -> usize {
    let mut digits = 0;
    let mut gap = 0;
    for &c in b.iter().skip(from) {
        if c.is_ascii_digit() {
            digits += 1;
            gap = 0;
        } else if matches!(c, b' ' | b'-' | b'/' | b'.' | b'(' | b')') && gap < 3 {
            gap += 1;
        } else {
            break;
        }
    }
    digits
}

/// Digits in a row after one to three of the separators [`PERSONAL_NUMBER`] allows
/// between the birth date and the last four digits.
fn digits_after_separator(rest: &str) -> usize {
    let mut chars = rest.chars().peekable();
    let mut gap = 0;
    while gap < 3
        && chars
            .next_if(|c| {
                matches!(
                    c,
                    ' ' | '\t' | '-' | '+' | '–' | '−' | '_' | '/' | '.' | ':'
                )
            })
            .is_some()
    {
        gap += 1;
    }
    if gap == 0 {
        return 0;
    }
    chars.take_while(char::is_ascii_digit).count()
}

/// `s` with personnummer, samordningsnummer and telephone numbers replaced by
/// "[personnummer]" and "[telefonnummer]": personal data never reaches a published
/// file, whatever column it was typed into.
pub fn mask_personal_data(s: &str) -> std::borrow::Cow<'_, str> {
    let other_digits = !s.is_ascii() && s.chars().any(|c| c.is_numeric() && !c.is_ascii_digit());
    // Full-width and other digits folded to ASCII (NFKC), other dashes and spaces to
    // ASCII's; the folded text is kept only where something was masked.
    let folded = if other_digits {
        std::borrow::Cow::Owned(fold_separators(&s.nfkc().collect::<String>()).into_owned())
    } else {
        fold_separators(s)
    };
    match folded {
        std::borrow::Cow::Borrowed(_) => mask_ascii(s),
        std::borrow::Cow::Owned(folded) => match mask_ascii(&folded) {
            std::borrow::Cow::Owned(masked) => std::borrow::Cow::Owned(masked),
            std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(s),
        },
    }
}

fn mask_ascii(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return std::borrow::Cow::Borrowed(s);
    }
    // A personnummer may be glued to letters ("pnr199001011239") but not to digits; a
    // telephone number stands apart from letters too, so that hexadecimal checksums and
    // codes keep their digits.
    let personal = |c: &regex::Captures| {
        let date = &c[1][c[1].len() - 6..];
        plausible_birth_date(date) && luhn_valid(&format!("{date}{}", &c[2]))
    };
    let digit = |c: char| c.is_ascii_digit();
    let alphanumeric = |c: char| c.is_ascii_alphanumeric();
    let masked = replace_standalone(s, &PERSONAL_NUMBER, digit, personal, "[personnummer]");
    let phone = |c: &regex::Captures| !TIME_RANGE_OR_DATE.is_match(&c[0]);
    match replace_standalone(&masked, &PHONE, alphanumeric, phone, "[telefonnummer]") {
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
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// The cheap test never passes over a text the exact masker would change.
        #[test]
        fn the_prefilter_never_misses_what_masking_changes(
            s in "[0-9]{0,3}([0-9 \\-+/.()\t–—‑−\u{a0}\u{ad}\u{200b}:a-zö_１]{0,6}[0-9]{0,10}){0,4}"
        ) {
            if matches!(mask(&s), std::borrow::Cow::Owned(_)) {
                prop_assert!(super::may_hold_personal_data(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn dates_times_coordinates_and_ids_are_not_candidates() {
        for s in [
            "2025-03-02 14:00",
            "2013-11-25 00:15",
            "6412345.5",
            "G2013-00042",
            "Stöld",
            "17115",
        ] {
            assert!(!super::may_hold_personal_data(s), "{s}");
        }
        // A date range is a candidate since a spaced dash may part a telephone
        // number's area code from the rest (the exact masker leaves it).
        for s in [
            "19900101-1239",
            "ring 0490-123 45",
            "+46 70 123 45 67",
            "pnr199001011239",
            "１９９００１０１-１２３９",
            "(070) 123 45 67",
            "070 - 123 45 67",
            "070–123 45 67",
        ] {
            assert!(super::may_hold_personal_data(s), "{s}");
        }
    }

    #[test]
    fn personal_numbers_and_phones_are_masked_dates_and_hashes_are_not() {
        assert_eq!(mask("Olaga hot 19900101-1239"), "Olaga hot [personnummer]");
        assert_eq!(mask("7505054564 ringde"), "[personnummer] ringde");
        assert_eq!(mask("ring 0490-123 45"), "ring [telefonnummer]");
        assert_eq!(mask("ring +46 70 123 45 67!"), "ring [telefonnummer]!");
        assert_eq!(mask("070-1234567"), "[telefonnummer]");
        // Forms found in review: other separators, glued to text, other phone styles.
        for (text, masked) in [
            ("19900101 1239", "[personnummer]"),
            ("19900101–1239", "[personnummer]"),
            ("pnr199001011239", "pnr[personnummer]"),
            ("pnr_7505054564", "pnr_[personnummer]"),
            ("19900101-1239abc", "[personnummer]abc"),
            ("(070) 123 45 67", "[telefonnummer]"),
            ("0490/123 45", "[telefonnummer]"),
            ("070.123.45.67", "[telefonnummer]"),
            ("0046701234567", "[telefonnummer]"),
            ("１９９００１０１-１２３９", "[personnummer]"),
            ("anmalan_19900101-1239.csv", "anmalan_[personnummer].csv"),
            // Forms found in the fourteenth review: other dashes and spaces, a spaced
            // dash after the area code, the area code in brackets or its 0 kept.
            ("Hot mot 070–123 45 67", "Hot mot [telefonnummer]"),
            ("070—123 45 67", "[telefonnummer]"),
            ("070\u{2011}123\u{a0}45\u{a0}67", "[telefonnummer]"),
            ("070 - 123 45 67", "[telefonnummer]"),
            ("ring 0490 - 123 45.", "ring [telefonnummer]."),
            ("+46 (70) 123 45 67", "[telefonnummer]"),
            ("+46 0701234567", "[telefonnummer]"),
            ("850101\u{2011}1236", "[personnummer]"),
            ("19850101—1236", "[personnummer]"),
            // The second review: more prefixes, separators and invisible characters.
            ("+46 70 - 123 45 67", "[telefonnummer]"),
            ("+46 70 – 123 45 67", "[telefonnummer]"),
            ("08 - 123 456 78", "[telefonnummer]"),
            ("00 46 70 123 45 67", "[telefonnummer]"),
            ("+ 46 70 123 45 67", "[telefonnummer]"),
            ("070\u{00AD}123 45 67", "[telefonnummer]"),
            ("070\u{200B}1234567", "[telefonnummer]"),
            ("19900101_1239", "[personnummer]"),
            ("19900101/1239", "[personnummer]"),
            ("900101.1239", "[personnummer]"),
            ("900101:1239", "[personnummer]"),
            ("19900101\u{2060}-1239", "[personnummer]"),
        ] {
            assert_eq!(mask(text), masked, "{text}");
        }
        for kept in [
            "2021-01-07 – 2026-12-31",
            "2021-01-07 - 2026-12-31",
            "2021-01-07 — 2026-12-31",
            "2021-01-08 - 2026-12-31",
            "kl 08 - 10",
            "finns 02.00–02.59 två gånger",
            "(02.00-02.59 sista söndagen i mars)",
            "07.03.2025",
            "07/03/2025",
            "01-07-2026",
            "07.03.2025 14.30",
            "07.03.2025 14:30",
            "07.03.2025–09.03.2025",
            "07.03.2025 02.00–02.59",
            "3 000 000 000 kr",
            "10 000 000 000",
            "2025-03-02 14:00",
            "1990010112",
            "Stöld 2025-03",
            "30826a0b9f0490123456cd",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "1990131212",
            "17115",
            "0883",
        ] {
            assert_eq!(mask(kept), kept);
        }
    }
}
