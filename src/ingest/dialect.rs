//! Recognising how a delimited text file was written: its character encoding and its
//! field separator. Analysts' exports come as UTF-8, UTF-8 with a byte-order mark, or
//! Windows-1252 (Excel's "CSV (semikolonavgränsad)" on Swedish Windows), separated by
//! `;`, `,` or tab.

use std::fmt;

/// The character encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Plain UTF-8.
    Utf8,
    /// UTF-8 that starts with a byte-order mark (as Excel writes "CSV UTF-8").
    Utf8Bom,
    /// Windows-1252, the legacy Western code page (a superset of Latin-1 in practice).
    Windows1252,
    /// Not text at all: the first sheet of a spreadsheet (.xlsx, .xls, .ods).
    Spreadsheet,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 med BOM",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Spreadsheet => "kalkylblad (första bladet)",
        })
    }
}

/// Decodes raw file bytes to text. Valid UTF-8 is taken as it is (a leading byte-order
/// mark is removed); anything else is read as Windows-1252, which maps every byte to a
/// character, so decoding itself never fails.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if let Some(rest) = bytes.strip_prefix(BOM) {
        if let Ok(text) = std::str::from_utf8(rest) {
            return (text.to_owned(), Encoding::Utf8Bom);
        }
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), Encoding::Utf8);
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    // decode() sniffs a BOM too; a file that starts with one but is not valid UTF-8 is
    // still best read as Windows-1252 after the mark.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_owned();
    (text, Encoding::Windows1252)
}

/// Picks the field separator from the header line: the candidate (`;`, tab, `,`) that
/// occurs most often outside quotes. Ties go to `;`, then tab, then `,`, because a
/// Swedish header with a single column and a decimal comma elsewhere is likelier to be
/// `;`-separated.
pub fn sniff_separator(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b'\t', b','];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &b in first_record(text).as_bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                counts[i] += 1;
            }
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// The text of the first record (normally the header), stopping at the first line break
/// outside quotes.
fn first_record(text: &str) -> &str {
    let mut in_quotes = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => return &text[..i],
            _ => {}
        }
    }
    text
}

/// A human name for a separator byte, as shown in `check`.
pub fn separator_name(sep: u8) -> &'static str {
    match sep {
        b';' => "semikolon (;)",
        b'\t' => "tabb",
        b',' => "komma (,)",
        _ => "okänd",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_encodings() {
        assert_eq!(
            decode("Överum;Åby".as_bytes()),
            ("Överum;Åby".into(), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFplats\nG\xC3\xA4ddeholm"),
            ("plats\nGäddeholm".into(), Encoding::Utf8Bom)
        );
        // "Överum;Åby" in Windows-1252.
        assert_eq!(
            decode(b"\xD6verum;\xC5by"),
            ("Överum;Åby".into(), Encoding::Windows1252)
        );
    }

    #[test]
    fn sniffs_separator_outside_quotes() {
        assert_eq!(sniff_separator("id;datum;brottstyp\n1;2;3"), b';');
        assert_eq!(sniff_separator("id,datum,brottstyp"), b',');
        assert_eq!(sniff_separator("id\tdatum\tbrottstyp"), b'\t');
        assert_eq!(sniff_separator("\"a;b\",c,d\n"), b',');
        assert_eq!(sniff_separator("ensam"), b';');
    }
}
