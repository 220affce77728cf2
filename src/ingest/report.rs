//! What happened to every row: per-file accounting that reconciles
//! `read = accepted + rejected` (writing the rejected rows is `render::write_rejects`).

use polars::prelude::*;

use crate::ingest::columns::ColumnMapping;
use crate::ingest::dialect::Encoding;
use crate::ingest::source::SourceTable;

/// Inputs read and checked: the accepted rows, the rejected rows, and one report per file.
#[derive(Debug)]
pub struct Loaded {
    /// Accepted rows in canonical columns, plus provenance `_file`, `_line`.
    pub frame: DataFrame,
    /// Rejected rows: `file`, `line`, `reason`, `content`.
    pub rejects: DataFrame,
    /// One report per input file, in input order.
    pub files: Vec<FileReport>,
}

impl Loaded {
    /// Rows read over all files.
    pub fn rows_read(&self) -> usize {
        self.files.iter().map(|f| f.rows_read).sum()
    }

    /// Rows accepted over all files.
    pub fn accepted(&self) -> usize {
        self.files.iter().map(|f| f.accepted).sum()
    }

    /// Rows rejected over all files.
    pub fn rejected(&self) -> usize {
        self.files.iter().map(|f| f.rejected).sum()
    }

    /// True when every file reconciles and the totals agree with the frames.
    pub fn reconciles(&self) -> bool {
        self.files.iter().all(FileReport::reconciles)
            && self.accepted() == self.frame.height()
            && self.rejected() == self.rejects.height()
    }
}

/// The accounting for one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    /// File name as shown to people.
    pub file: String,
    /// Encoding detected.
    pub encoding: Encoding,
    /// Separator detected.
    #[serde(serialize_with = "as_char")]
    pub separator: u8,
    /// Whether numbers were written with a decimal comma.
    pub decimal_comma: bool,
    /// How the columns were understood.
    pub columns: ColumnMapping,
    /// Records after the header.
    pub rows_read: usize,
    /// Rows accepted.
    pub accepted: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Rows hit by each reason, most common first (a row may have several reasons).
    pub reasons: Vec<(String, usize)>,
    /// Corrections made without rejecting (e.g. swapped coordinate axes).
    pub notes: Vec<(String, usize)>,
    /// Cells whose personnummer or telephone numbers were masked, per header.
    pub masked: Vec<(String, usize)>,
    /// Lines decoded as Windows-1252 in a file that is otherwise UTF-8 (a warning:
    /// the file was pasted together from two exports).
    pub legacy_lines: Vec<u64>,
}

/// Adds each count of `more` to the entry of the same kind in `counts`, appending kinds
/// not yet there.
fn add_by_kind(counts: &mut Vec<(String, usize)>, more: Vec<(String, usize)>) {
    for (kind, n) in more {
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, count)) => *count += n,
            None => counts.push((kind, n)),
        }
    }
}

/// Adds each count of `more` to the entry at the same position in `counts`.
fn add_by_position(counts: &mut [(String, usize)], more: Vec<(String, usize)>) {
    debug_assert_eq!(
        counts.len(),
        more.len(),
        "parts of one file list the same kinds"
    );
    for ((_, count), (_, n)) in counts.iter_mut().zip(more) {
        *count += n;
    }
}

fn as_char<S: serde::Serializer>(b: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&(*b as char).to_string())
}

impl FileReport {
    /// The report for a file once its rows have been split.
    pub fn new(
        src: &SourceTable,
        accepted: usize,
        rejected: usize,
        reasons: Vec<(String, usize)>,
        notes: Vec<(String, usize)>,
        decimal_comma: bool,
    ) -> Self {
        Self {
            file: src.file.clone(),
            encoding: src.encoding,
            separator: src.separator,
            decimal_comma,
            columns: src.mapping.clone(),
            rows_read: src.table.rows_read,
            accepted,
            rejected,
            reasons,
            // Every note of the schema, in its order, zeros too: parts add up by
            // position ([`FileReport::absorb`]); `load_files` drops the zeros.
            notes,
            masked: src.masked.clone(),
            legacy_lines: src.legacy_lines.clone(),
        }
    }

    /// Adds the accounting of a later part of the same file: counts summed, reasons
    /// summed by kind (then most common first), notes and masked cells summed by
    /// position (every part lists every note of the schema and every masked column of
    /// the file, in the same order, zeros too; the zeros are dropped once the file is
    /// read).
    pub fn absorb(&mut self, part: FileReport) {
        self.rows_read += part.rows_read;
        self.accepted += part.accepted;
        self.rejected += part.rejected;
        self.decimal_comma |= part.decimal_comma;
        add_by_kind(&mut self.reasons, part.reasons);
        crate::ingest::validate::sort_reasons(&mut self.reasons);
        add_by_position(&mut self.notes, part.notes);
        add_by_position(&mut self.masked, part.masked);
    }

    /// The report of incidents read from the store: checked when they were imported,
    /// so every row read is accepted.
    pub fn stored(file: String, rows: usize) -> FileReport {
        FileReport {
            file,
            encoding: crate::ingest::dialect::Encoding::Utf8,
            separator: b';',
            decimal_comma: false,
            columns: crate::ingest::columns::ColumnMapping::default(),
            rows_read: rows,
            accepted: rows,
            rejected: 0,
            reasons: Vec::new(),
            notes: Vec::new(),
            masked: Vec::new(),
            legacy_lines: Vec::new(),
        }
    }

    /// `read = accepted + rejected`.
    pub fn reconciles(&self) -> bool {
        self.rows_read == self.accepted + self.rejected
    }

    /// Moves this file's rows found in `duplicates` (a rejects frame) from accepted to
    /// rejected, under reason `kind`.
    pub fn move_duplicates(&mut self, duplicates: &DataFrame, kind: &str) {
        let n = duplicates
            .column("file")
            .ok()
            .and_then(|c| {
                c.str()
                    .ok()
                    .map(|s| s.iter().filter(|f| *f == Some(self.file.as_str())).count())
            })
            .unwrap_or(0);
        if n > 0 {
            self.accepted -= n;
            self.rejected += n;
            self.reasons.push((kind.to_owned(), n));
            crate::ingest::validate::sort_reasons(&mut self.reasons);
        }
    }
}
