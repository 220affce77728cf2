//! Opening one input file: bytes → text → table → understood columns, or a clear error
//! that names the file and what to do about it.

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::{map_columns, Aliases, ColumnMapping};
use crate::ingest::dialect::{sniff_separator, Encoding};
use crate::ingest::spreadsheet::{first_sheet_as_text, is_spreadsheet};
use crate::ingest::table::{column_name, RawTable, TableError, TableParts};
use crate::ingest::values;
use crate::lang::Lang;

/// A file that cannot be used at all. Row-level problems are never errors: they are
/// rejected rows.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{file}: filen kan inte läsas: {source}. Kontrollera sökvägen och behörigheten.")]
    Read {
        /// File name.
        file: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file's content cannot be read in its format (a cut-off JSON array, a damaged
    /// workbook).
    #[error("{file}: {message}")]
    Malformed {
        /// File name.
        file: String,
        /// What is wrong, where, and what to do, in both languages.
        message: crate::model::said::Said,
    },
    /// The file is JSON, not a table.
    #[error("{file}: filen är JSON, ingen tabell. Polisens öppna händelser (polisen.se/api/events) läses med `lagesbild import polisen {file} --out handelser.csv`; den filen kan sedan användas här.")]
    Json {
        /// File name.
        file: String,
    },
    /// The file is Parquet, not text.
    #[error("{file}: filen är en Parquet-fil, ingen texttabell (CSV). En lagesbild-databas läses med `--store MAPP`; en tabell som ska läsas in igen skrivs som CSV (`--out fil.csv`).")]
    Parquet {
        /// File name.
        file: String,
    },
    /// The file has no header row.
    #[error("{file}: filen är tom; den ska börja med en rubrikrad med kolumnnamn (se docs/data-formats.md).")]
    Empty {
        /// File name.
        file: String,
    },
    /// Required columns are missing.
    #[error("{file}: obligatoriska kolumner saknas: {missing}. Kolumner i filen: {found}. Byt namn på kolumnerna till något av de godkända namnen i docs/data-formats.md.")]
    MissingColumns {
        /// File name.
        file: String,
        /// The missing canonical columns (alternatives joined by "eller").
        missing: String,
        /// The headers found in the file.
        found: String,
    },
    /// Two headers mean the same column.
    #[error("{file}: kolumnerna '{first}' och '{second}' betyder båda {canonical}; ta bort eller byt namn på den ena.")]
    Conflict {
        /// File name.
        file: String,
        /// The canonical column.
        canonical: String,
        /// First header.
        first: String,
        /// Second header.
        second: String,
    },
    /// An internal data-frame error while validating.
    #[error("{file}: {source}")]
    Frame {
        /// File name.
        file: String,
        /// The error.
        source: PolarsError,
    },
}

impl IngestError {
    /// The message in `lang` (the Swedish one is the error's own text).
    pub fn in_lang(&self, lang: Lang) -> String {
        if lang == Lang::Sv {
            return self.to_string();
        }
        match self {
            IngestError::Read { file, source } => {
                format!("{file}: the file cannot be read: {source}. Check the path and the permissions.")
            }
            IngestError::Malformed { file, message } => format!("{file}: {}", message.en),
            IngestError::Json { file } => format!("{file}: the file is JSON, not a table. The police's open events (polisen.se/api/events) are read with `lagesbild import polisen {file} --out events.csv`; that file can then be used here."),
            IngestError::Parquet { file } => format!("{file}: the file is a Parquet file, not a table of text (CSV). A lagesbild store is read with `--store FOLDER`; a table to be read again is written as CSV (`--out file.csv`)."),
            IngestError::Empty { file } => format!("{file}: the file is empty; it must begin with a header row of column names (see docs/data-formats.md)."),
            IngestError::MissingColumns { file, missing, found } => format!("{file}: required columns are missing: {missing}. Columns in the file: {found}. Rename the columns to one of the accepted names in docs/data-formats.md."),
            IngestError::Conflict { file, canonical, first, second } => format!("{file}: the columns '{first}' and '{second}' both mean {canonical}; remove or rename one of them."),
            IngestError::Frame { file, source } => format!("{file}: {source}"),
        }
    }

    /// Wraps a polars error with the file it happened in.
    pub fn frame(file: &str) -> impl FnOnce(PolarsError) -> IngestError + '_ {
        move |source| IngestError::Frame {
            file: file.to_owned(),
            source,
        }
    }
}

/// One input file read as text, with its dialect and column mapping.
#[derive(Debug)]
pub struct SourceTable {
    /// Name shown to people.
    pub file: String,
    /// Encoding detected.
    pub encoding: Encoding,
    /// Separator detected.
    pub separator: u8,
    /// The records.
    pub table: RawTable,
    /// How the headers were understood.
    pub mapping: ColumnMapping,
    /// Cells whose personal data was masked on reading, per header.
    pub masked: Vec<(String, usize)>,
    /// Lines decoded as Windows-1252 in a file that is otherwise UTF-8.
    pub legacy_lines: Vec<u64>,
    /// Whether the text holds any control character other than tab and line ends
    /// (found in one pass over the text, so that a clean file skips the per-cell test).
    pub control_characters: bool,
}

impl SourceTable {
    /// The text column for a canonical name, or a null text column when the file lacks it
    /// or this part of the file has no value in it (a column left empty): a null
    /// literal is computed once, not once per row, by every expression built on it.
    pub fn raw(&self, canonical: &str) -> Expr {
        match self.mapping.position(canonical) {
            Some(i) if !self.all_missing(i) => col(column_name(i)),
            _ => lit(NULL).cast(DataType::String),
        }
    }

    /// Whether the `i`th column of the file has no value in this part.
    fn all_missing(&self, i: usize) -> bool {
        self.table
            .frame
            .column(&column_name(i))
            .is_ok_and(|c| c.null_count() == c.len())
    }

    /// `expr` computed now over the part, as a literal column of its values, so that
    /// expressions using it several times (the checks of a parsed date-time or number)
    /// do not parse the text again each time; `expr` itself when it does not give one
    /// value per row or fails (then the whole plan reports the failure as before).
    fn computed(&self, expr: Expr) -> Expr {
        let height = self.table.frame.height();
        self.table
            .frame
            .clone()
            .lazy()
            .select([expr.clone().alias("v")])
            .collect()
            .ok()
            .and_then(|df| df.column("v").ok().cloned())
            .filter(|c| c.len() == height)
            .map_or(expr, |c| lit(c.take_materialized_series()))
    }

    /// The text column whose header folds to the same key as `name` (for columns that
    /// are not in the alias table, such as survey items), or a null text column.
    pub fn raw_header(&self, name: &str) -> Expr {
        let key = crate::text::fold_key(name);
        match self
            .table
            .headers
            .iter()
            .position(|h| crate::text::fold_key(h) == key)
        {
            Some(i) => col(column_name(i)),
            None => lit(NULL).cast(DataType::String),
        }
    }

    /// Whether the file has a column whose header folds like `name`.
    pub fn has_header(&self, name: &str) -> bool {
        let key = crate::text::fold_key(name);
        self.table
            .headers
            .iter()
            .any(|h| crate::text::fold_key(h) == key)
    }

    /// Whether `condition` holds for any row of the file (evaluated now, on the text
    /// columns). Used to leave out slow parsing paths that no row needs.
    pub fn any(&self, condition: Expr) -> bool {
        self.table
            .frame
            .clone()
            .lazy()
            .select([condition.fill_null(lit(false)).any(true).alias("any")])
            .collect()
            .ok()
            .and_then(|df| df.column("any").ok()?.bool().ok()?.get(0))
            .unwrap_or(true)
    }

    /// A number column (see [`values::number`]); when every value is a plain number the
    /// decimal-comma rewriting is left out.
    pub fn number(&self, text: Expr) -> Expr {
        let plain = values::plain_number(text.clone());
        self.computed(if self.any(text.clone().is_not_null().and(plain.not())) {
            values::number(text)
        } else {
            values::plain_number_value(text)
        })
    }

    /// A whole-number column (see [`values::integer`]), with the same shortcut.
    pub fn integer(&self, text: Expr) -> Expr {
        values::whole(self.number(text))
    }

    /// A date-time column, in the format of its first value where that is a common one,
    /// with the general pattern only when some value needs it.
    pub fn datetime(&self, canonical: &str) -> values::ParsedDateTime {
        let text = self.raw(canonical);
        let Some(sample) = self.sample(canonical) else {
            // No value at all (a column left empty, or a part of a file where it is):
            // nothing to parse, and the general pattern would cost as much as if every
            // value needed it.
            return values::fixed_format(text, values::FAST_FORMATS[0]);
        };
        let Some(format) = values::detect_format(&sample) else {
            return values::datetime_with(text, None, true);
        };
        // The column parsed in the file's format once: whether any value needs the
        // general pattern is asked of it, and the checks of the skipped hour use it.
        let parsed = self.computed(values::fixed_parse(text.clone(), format));
        let general = self.any(text.clone().is_not_null().and(parsed.clone().is_null()));
        let fast = values::fixed_format_of(parsed, format);
        values::datetime_with(text, Some(fast), general)
    }

    /// The first value present in a canonical column, if any (to recognise its format).
    pub fn sample(&self, canonical: &str) -> Option<String> {
        let i = self.mapping.position(canonical)?;
        let column = self.table.frame.column(&column_name(i)).ok()?;
        column
            .str()
            .ok()?
            .iter()
            .flatten()
            .next()
            .map(str::to_owned)
    }

    /// The header as written in the file for a canonical column, or the canonical name.
    pub fn header(&self, canonical: &str) -> String {
        self.mapping
            .header(canonical)
            .unwrap_or(canonical)
            .to_owned()
    }

    /// All text columns of the file, in file order (for showing a rejected record).
    pub fn all_raw(&self) -> Vec<Expr> {
        (0..self.table.headers.len())
            .map(|i| col(column_name(i)))
            .collect()
    }
}

/// Reads and understands one file part by part. `required` lists groups of canonical
/// columns of which at least one must be present (e.g. `[["offence", "offence_code"]]`).
/// `each` gets every part of the body ([`PART_BYTES`] of text, ending at a line end;
/// see [`TableParts`]) as a [`SourceTable`] with the file's header, dialect and column
/// mapping, in file order; there is always at least one part.
pub fn open_source_parts(
    at: &Location,
    aliases: &Aliases,
    required: &[&[&str]],
    lang: Lang,
    part_bytes: usize,
    each: impl FnMut(SourceTable) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let file = at.display_name();
    let (text, encoding, legacy_lines) = read_file_text(at, &file, part_bytes)?;
    if matches!(
        text.as_str().trim_start().as_bytes().first(),
        Some(b'[' | b'{')
    ) {
        return Err(IngestError::Json { file });
    }
    if text.as_str().starts_with(PARQUET_MAGIC) {
        return Err(IngestError::Parquet { file });
    }
    let opened = OpenedText {
        file,
        text: text.as_str(),
        encoding,
        legacy_lines,
    };
    let release = |read_up_to: usize| text.release_before(read_up_to);
    open_text_parts(opened, aliases, required, lang, part_bytes, &release, each)
}

/// The four bytes every Parquet file begins with.
const PARQUET_MAGIC: &str = "PAR1";

/// A file's text: decoded into memory ([`read_text`]), or a long UTF-8 file on disk
/// mapped into memory as it is, so that the pages of the parts already read can be
/// given back while the rest is read ([`FileText::release_before`]): a file of 1,1 GB
/// (12 M incidents) is then no longer held whole beside the rows typed from it.
pub enum FileText {
    /// Text read and decoded into memory.
    Decoded(String),
    /// A UTF-8 file mapped read-only; its text begins at byte `body` (after a byte
    /// order mark).
    Mapped {
        /// The mapping of the whole file.
        map: memmap2::Mmap,
        /// Where the text begins.
        body: usize,
    },
}

impl FileText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            FileText::Decoded(text) => text,
            // SAFETY: the bytes from `body` on were checked to be UTF-8 when mapped
            // (`utf8_body`), and the mapping is read-only.
            FileText::Mapped { map, body } => unsafe {
                std::str::from_utf8_unchecked(&map[*body..])
            },
        }
    }

    /// Gives the memory of the text before byte `offset` (and of the rest of the page
    /// holding it) back to the system where that costs nothing to undo: a mapped
    /// file's pages are dropped and, if touched again, read again from the file (the
    /// same bytes). Decoded text is kept.
    pub fn release_before(&self, offset: usize) {
        #[cfg(unix)]
        if let FileText::Mapped { map, body } = self {
            let end = body.saturating_add(offset).min(map.len());
            // SAFETY: `map` is a read-only shared mapping of a file, whose dropped pages
            // are read from the file again when next touched; MADV_DONTNEED changes
            // what a range holds only in private or written mappings. Failing to drop
            // them only keeps the memory in use.
            let _ =
                unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, end) };
        }
        #[cfg(not(unix))]
        let _ = offset;
    }
}

/// [`read_text`], with a file on disk longer than `map_from` bytes mapped into memory
/// instead of read: a UTF-8 one kept mapped ([`FileText::Mapped`]), one in another
/// encoding decoded from the mapping. Shorter files, spreadsheets, pipes and files that
/// cannot be mapped are read.
pub fn read_file_text(
    at: &Location,
    file: &str,
    map_from: usize,
) -> Result<(FileText, Encoding, Vec<u64>), IngestError> {
    if let Location::Path(path) = at {
        if !is_spreadsheet(file) {
            if let Some(mapped) = map_long_text(path, map_from) {
                return Ok(mapped);
            }
        }
    }
    let (text, encoding, legacy_lines) = read_text(at, file)?;
    Ok((FileText::Decoded(text), encoding, legacy_lines))
}

/// The file at `path` mapped when it is longer than `map_from` bytes: as it is when it
/// is UTF-8, else decoded from the mapping. `None` when it is not that long or cannot
/// be opened or mapped ([`read_text`] then reads it, and says what went wrong).
fn map_long_text(
    path: &std::path::Path,
    map_from: usize,
) -> Option<(FileText, Encoding, Vec<u64>)> {
    // Looked at before it is opened: opening a named pipe waits for a writer, and the
    // pipe is then read once, by `read_text`.
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() <= map_from as u64 {
        return None;
    }
    crate::files::mark_read(path);
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: an export is not written while lagesbild reads it (as for ripgrep's
    // mapped files); the mapping is read-only, and what it holds is checked to be
    // UTF-8 before it is used as text. A file cut short by another program while it is
    // read would stop the process (SIGBUS), and one rewritten in place could show
    // other bytes than were checked; lagesbild itself writes its outputs to a new file
    // and renames it, never into a file it reads.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    match crate::ingest::dialect::utf8_body(&map) {
        Some((body, encoding)) => Some((FileText::Mapped { map, body }, encoding, Vec::new())),
        None => {
            let decoded = crate::ingest::dialect::decode_lines(&map);
            Some((
                FileText::Decoded(decoded.text),
                decoded.encoding,
                decoded.legacy_lines,
            ))
        }
    }
}

/// Text of a size that is typed and checked a part at a time: about 180 000 records
/// of an ordinary export, so that a long file is not held as text columns whole (from
/// the first quote character on, the rest of a file is one part: see [`TableParts`]).
pub const PART_BYTES: usize = 16 << 20;

/// A file as text: a spreadsheet's first sheet as `;`-separated lines (row N on line
/// N), or the bytes decoded (UTF-8, with or without BOM, or Windows-1252).
/// Also returns the lines decoded as Windows-1252 in a file that mixes encodings.
pub fn read_text(at: &Location, file: &str) -> Result<(String, Encoding, Vec<u64>), IngestError> {
    let bytes = at.read().map_err(|source| IngestError::Read {
        file: file.to_owned(),
        source,
    })?;
    if is_spreadsheet(file) {
        let text = first_sheet_as_text(&bytes).map_err(|e| IngestError::Malformed {
            file: file.to_owned(),
            message: crate::model::said::Said::new(
                format!("kalkylbladet kan inte läsas ({}); spara det igen från Excel som .xlsx eller som CSV", e.sv),
                format!("the workbook cannot be read ({}); save it again from Excel as .xlsx or as CSV", e.en),
            ),
        })?;
        return Ok((text, Encoding::Spreadsheet, Vec::new()));
    }
    let decoded = crate::ingest::dialect::decode_owned(bytes.into_owned());
    Ok((decoded.text, decoded.encoding, decoded.legacy_lines))
}

/// Understands text already read (e.g. a spreadsheet turned into `;`-separated text)
/// as one table: as [`open_source_parts`] from the decoded text on, in one part.
pub fn open_text(
    file: String,
    text: &str,
    encoding: Encoding,
    aliases: &Aliases,
    required: &[&[&str]],
    lang: Lang,
) -> Result<SourceTable, IngestError> {
    let mut whole = None;
    let opened = OpenedText {
        file,
        text,
        encoding,
        legacy_lines: Vec::new(),
    };
    open_text_parts(
        opened,
        aliases,
        required,
        lang,
        usize::MAX,
        &|_| {},
        |src| {
            whole = Some(src);
            Ok(())
        },
    )?;
    Ok(whole.expect("a text has at least one part"))
}

/// A file's text as decoded, with what decoding found.
struct OpenedText<'a> {
    file: String,
    text: &'a str,
    encoding: Encoding,
    legacy_lines: Vec<u64>,
}

/// The header understood once, then every part of the body read, masked and given to
/// `each`.
fn open_text_parts(
    opened: OpenedText,
    aliases: &Aliases,
    required: &[&[&str]],
    lang: Lang,
    part_bytes: usize,
    release: &dyn Fn(usize),
    mut each: impl FnMut(SourceTable) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let OpenedText {
        file,
        text,
        encoding,
        legacy_lines,
    } = opened;
    let table_error = |file: &str, e: TableError| match e {
        TableError::Polars(source) => IngestError::Frame {
            file: file.to_owned(),
            source,
        },
        TableError::Csv(e) => IngestError::Read {
            file: file.to_owned(),
            source: std::io::Error::other(e.to_string()),
        },
    };
    let separator = sniff_separator(text);
    let mut parts = match TableParts::open(text, separator, lang, part_bytes) {
        Ok(Some(parts)) => parts,
        Ok(None) => return Err(IngestError::Empty { file }),
        Err(e) => return Err(table_error(&file, e)),
    };
    let headers = parts.headers().to_vec();
    let mapping = map_columns(&headers, aliases).map_err(|c| IngestError::Conflict {
        file: file.clone(),
        canonical: c.canonical,
        first: c.first,
        second: c.second,
    })?;
    let missing: Vec<String> = required
        .iter()
        .filter(|group| group.iter().all(|c| mapping.position(c).is_none()))
        .map(|group| group.join(lang.pick(" eller ", " or ")))
        .collect();
    if !missing.is_empty() {
        return Err(IngestError::MissingColumns {
            found: quoted_headers(&headers),
            file,
            missing: missing.join(", "),
        });
    }
    // Identity columns are masked only after duplicates are found (`load_files`).
    let identity = ["id", "respondent_id"].map(|c| mapping.position(c));
    let control_characters = holds_control_characters(text);
    // Looking through the whole text touched all of it: from here on only the part
    // being read is held.
    release(text.len());
    while let Some(part) = parts.next() {
        let mut table = part.map_err(|e| table_error(&file, e))?;
        let masked =
            crate::ingest::personal::mask_table(&mut table, &identity).map_err(|source| {
                IngestError::Frame {
                    file: file.clone(),
                    source,
                }
            })?;
        each(SourceTable {
            file: file.clone(),
            encoding,
            separator,
            table,
            mapping: mapping.clone(),
            masked,
            legacy_lines: legacy_lines.clone(),
            control_characters,
        })?;
        release(parts.read_up_to());
    }
    Ok(())
}

/// Whether `text` holds a control character (see [`is_control_character`]), looked
/// for in blocks the compiler can vectorise.
fn holds_control_characters(text: &str) -> bool {
    text.as_bytes().chunks(256).any(|block| {
        block
            .iter()
            .fold(false, |any, &b| any | is_control_character(b))
    })
}

/// NUL and the other control characters but tab and line ends: no text a person typed.
pub fn is_control_character(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F
}

/// The characters of [`is_control_character`] as a pattern, for the per-cell check (a
/// test holds the two to the same set).
pub const CONTROL_CHARACTERS: &str = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]";

/// Headers as listed in error messages: `'Datum', 'Plats'`, personal data typed into a
/// header masked, the first 40 of a longer list and then the number of all.
pub fn quoted_headers(headers: &[String]) -> String {
    let shown: Vec<String> = headers
        .iter()
        .take(40)
        .map(|h| format!("'{}'", crate::text::masked(crate::text::printable(h, 60))))
        .collect();
    match headers.len() {
        n if n > 40 => format!("{} … ({n})", shown.join(", ")),
        _ => shown.join(", "),
    }
}

#[cfg(test)]
mod control_character_tests {
    #[test]
    fn the_pattern_and_the_byte_test_name_the_same_characters() {
        let pattern = regex::Regex::new(super::CONTROL_CHARACTERS).unwrap();
        for b in 0u8..=0x7F {
            let text = (b as char).to_string();
            assert_eq!(
                pattern.is_match(&text),
                super::is_control_character(b),
                "{b:#x}"
            );
        }
    }
}

#[cfg(test)]
mod mapped_text_tests {
    use super::{read_file_text, read_text, FileText};
    use crate::embedded::Location;

    /// A text of several pages, with Swedish letters, and the same as Windows-1252,
    /// UTF-16 and UTF-8 with a byte order mark.
    fn encodings() -> Vec<(&'static str, String, Vec<u8>)> {
        let mut text = String::from("id;datum;brott;plats\n");
        for i in 0..4000 {
            text.push_str(&format!("{i};2025-03-01;Skadegörelse;Överum {i}\n"));
        }
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let bom: Vec<u8> = crate::ingest::dialect::BOM
            .iter()
            .copied()
            .chain(text.bytes())
            .collect();
        vec![
            ("utf8.csv", text.clone(), text.clone().into_bytes()),
            ("bom.csv", text.clone(), bom),
            ("latin.csv", text.clone(), latin.into_owned()),
            ("utf16.csv", text.clone(), utf16),
        ]
    }

    /// A long file on disk is read as [`read_text`] reads it whether or not it is
    /// mapped, in every encoding; giving back a mapped file's pages, all of them or a
    /// part not ending at a page, leaves the text as it was (the pages are read again).
    #[test]
    fn a_mapped_file_reads_as_a_read_one_and_stays_so_when_its_pages_are_given_back() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text, bytes) in encodings() {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let at = Location::Path(path);
            let (read, encoding, legacy) = read_text(&at, name).unwrap();
            assert_eq!(read, text, "{name}");
            let (mapped, mapped_encoding, mapped_legacy) = read_file_text(&at, name, 1000).unwrap();
            assert_eq!(mapped.as_str(), read, "{name}");
            assert_eq!(
                (mapped_encoding, mapped_legacy),
                (encoding, legacy),
                "{name}"
            );
            // Only UTF-8 stays mapped; other encodings are decoded.
            let utf8 = name.starts_with("utf8") || name.starts_with("bom");
            assert_eq!(matches!(mapped, FileText::Mapped { .. }), utf8, "{name}");
            for offset in [5000, 4096, text.len()] {
                mapped.release_before(offset);
                assert_eq!(mapped.as_str(), text, "{name} after {offset}");
            }
            // Not longer than the limit: read, not mapped.
            let (short, _, _) = read_file_text(&at, name, bytes.len()).unwrap();
            assert!(matches!(short, FileText::Decoded(_)), "{name}");
            assert_eq!(short.as_str(), text, "{name}");
        }
    }

    /// A file that cannot be opened is reported as [`read_text`] reports it.
    #[test]
    fn a_missing_file_is_the_same_error_mapped_or_not() {
        let at = Location::Path("/finns/inte/handelser.csv".into());
        let mapped = read_file_text(&at, "handelser.csv", 0)
            .err()
            .unwrap()
            .to_string();
        let read = read_text(&at, "handelser.csv").err().unwrap().to_string();
        assert_eq!(mapped, read);
    }
}
