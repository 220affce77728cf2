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
    /// UTF-8 on some lines and Windows-1252 on others (files pasted together from two
    /// exports): each line decoded as what it is.
    Mixed,
    /// UTF-16, little-endian (Windows' "Unicode").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Not text at all: the first sheet of a spreadsheet (.xlsx, .xls, .ods).
    Spreadsheet,
}

impl Encoding {
    /// The encoding's name in `lang`.
    pub fn name(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => lang.pick("UTF-8 med BOM", "UTF-8 with BOM"),
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Mixed => lang.pick(
                "blandad: UTF-8 och Windows-1252 på olika rader",
                "mixed: UTF-8 and Windows-1252 on different lines",
            ),
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
            Encoding::Spreadsheet => lang.pick(
                "kalkylblad (första bladet)",
                "spreadsheet (the first sheet)",
            ),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(crate::lang::Lang::Sv))
    }
}

/// Decodes raw file bytes to text. Valid UTF-8 is taken as it is (a leading byte-order
/// mark is removed). Otherwise each line is decoded as what it is: a line that is valid
/// UTF-8 as UTF-8, any other as Windows-1252 (which maps every byte to a character, so
/// decoding never fails). A file where both kinds carry non-ASCII text is `Mixed`; one
/// invalid byte no longer turns every "ä" of a UTF-8 file into "Ã¤".
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let decoded = decode_lines(bytes);
    (decoded.text, decoded.encoding)
}

/// The UTF-8 byte-order mark (Excel's "CSV UTF-8" begins with it).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Text decoded by [`decode`], with the lines that were not UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// What it was decoded from.
    pub encoding: Encoding,
    /// Lines (from 1) decoded as Windows-1252 in a file that also holds UTF-8 text;
    /// empty unless `encoding` is `Mixed`.
    pub legacy_lines: Vec<u64>,
}

/// [`decode_lines`] of bytes the caller gives up: a UTF-8 file (the usual case) becomes
/// its text in place, without a copy of the whole file.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    let Some((body_start, encoding)) = utf8_body(&bytes) else {
        return decode_lines(&bytes);
    };
    let mut bytes = bytes;
    bytes.drain(..body_start);
    Decoded {
        text: String::from_utf8(bytes).expect("checked to be UTF-8 by utf8_body"),
        encoding,
        legacy_lines: Vec::new(),
    }
}

/// Where the text of `bytes` begins (after a byte order mark) and its encoding, when
/// the bytes are UTF-8 text as they are (no UTF-16, every byte sequence valid); `None`
/// when they must be decoded ([`decode_lines`]).
pub fn utf8_body(bytes: &[u8]) -> Option<(usize, Encoding)> {
    if utf16_encoding(bytes).is_some() {
        return None;
    }
    let (body_start, encoding) = if bytes.starts_with(BOM) {
        (BOM.len(), Encoding::Utf8Bom)
    } else {
        (0, Encoding::Utf8)
    };
    std::str::from_utf8(&bytes[body_start..]).ok()?;
    Some((body_start, encoding))
}

/// [`decode`], keeping the numbers of the lines that were Windows-1252 in a mixed file
/// (for the warning that names them).
pub fn decode_lines(bytes: &[u8]) -> Decoded {
    if let Some(utf16) = decode_utf16(bytes) {
        return utf16;
    }
    let (body, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if let Ok(text) = std::str::from_utf8(body) {
        let encoding = if bom {
            Encoding::Utf8Bom
        } else {
            Encoding::Utf8
        };
        return Decoded {
            text: text.to_owned(),
            encoding,
            legacy_lines: Vec::new(),
        };
    }
    let mut text = String::with_capacity(body.len() + body.len() / 8);
    let mut utf8_lines = 0usize;
    let mut legacy_lines = Vec::new();
    for (n, line) in body.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(s) => {
                utf8_lines += usize::from(!s.is_ascii());
                text.push_str(s);
            }
            Err(_) => {
                legacy_lines.push(n as u64 + 1);
                text.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(line)
                        .0,
                );
            }
        }
    }
    if utf8_lines > 0 {
        Decoded {
            text,
            encoding: Encoding::Mixed,
            legacy_lines,
        }
    } else {
        Decoded {
            text,
            encoding: Encoding::Windows1252,
            legacy_lines: Vec::new(),
        }
    }
}

/// UTF-16 text (as Excel's "Unicode text" and some Windows tools save it): with a
/// byte-order mark, or without one when most of the first bytes are ASCII characters
/// with a zero byte beside each.
fn decode_utf16(bytes: &[u8]) -> Option<Decoded> {
    let encoding = utf16_encoding(bytes)?;
    let (text, _, _) = encoding.decode(bytes);
    Some(Decoded {
        text: text.into_owned(),
        encoding: if encoding == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        },
        legacy_lines: Vec::new(),
    })
}

/// The UTF-16 byte order of `bytes`, told as [`decode_utf16`] says; `None` for other
/// text.
fn utf16_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(200) & !1];
    let zeros_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let pairs = head.len() / 2;
    let encoding = if bytes.starts_with(b"\xFF\xFE") {
        encoding_rs::UTF_16LE
    } else if bytes.starts_with(b"\xFE\xFF") {
        encoding_rs::UTF_16BE
    } else if pairs >= 4 && zeros_at(1) * 10 >= pairs * 9 && zeros_at(0) == 0 {
        encoding_rs::UTF_16LE
    } else if pairs >= 4 && zeros_at(0) * 10 >= pairs * 9 && zeros_at(1) == 0 {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    Some(encoding)
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

/// A human name for a separator byte in `lang`, as shown in `check`.
pub fn separator_name(sep: u8, lang: crate::lang::Lang) -> &'static str {
    match sep {
        b';' => lang.pick("semikolon (;)", "semicolon (;)"),
        b'\t' => lang.pick("tabb", "tab"),
        b',' => lang.pick("komma (,)", "comma (,)"),
        _ => lang.pick("okänd", "unknown"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Decoding bytes given up gives what decoding borrowed bytes gives.
        #[test]
        fn decoding_owned_bytes_is_decoding_borrowed_ones(
            bom in proptest::bool::ANY,
            body in proptest::collection::vec(proptest::prop_oneof![
                proptest::num::u8::ANY,
                proptest::strategy::Just(b'a'),
                proptest::strategy::Just(b'\n'),
                proptest::strategy::Just(0xC3u8),
                proptest::strategy::Just(0xA4u8),
            ], 0..64),
        ) {
            let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            bytes.extend(body);
            proptest::prop_assert_eq!(decode_owned(bytes.clone()), decode_lines(&bytes));
        }
    }

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

#[cfg(test)]
mod mixed_tests {
    use super::*;

    #[test]
    fn each_line_is_decoded_as_what_it_is() {
        let mut bytes = "id;ort\n1;Överum\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"2;\xd6verum\n3;V\xe4stervik\n");
        let (text, encoding) = decode(&bytes);
        assert_eq!(text, "id;ort\n1;Överum\n2;Överum\n3;Västervik\n");
        assert_eq!(encoding, Encoding::Mixed);
        let (text, encoding) = decode(b"id;ort\n2;\xd6verum\n");
        assert_eq!(
            (text.as_str(), encoding),
            ("id;ort\n2;Överum\n", Encoding::Windows1252)
        );
        let (text, encoding) = decode("\u{feff}a;b\nå;ä\n".as_bytes());
        assert_eq!((text.as_str(), encoding), ("a;b\nå;ä\n", Encoding::Utf8Bom));
    }
}
