//! What happened to every row: per-file accounting that reconciles
//! `read = accepted + rejected`, and the list of rejected rows written for people.

use std::path::Path;

use polars::prelude::*;

use crate::ingest::columns::ColumnMapping;
use crate::ingest::dialect::Encoding;
use crate::ingest::source::SourceTable;
use crate::lang::Lang;

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
            notes: notes.into_iter().filter(|(_, n)| *n > 0).collect(),
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

/// Writes accepted incidents in the canonical columns (docs/data-formats.md), in the
/// same Excel-friendly dialect as every CSV lagesbild writes: `;`, decimal comma, UTF-8
/// with a byte-order mark, date-times as `YYYY-MM-DD HH:MM:SS` (a bare date where no
/// time was given). Provenance columns are left out; lagesbild reads the file back to
/// the same rows.
pub fn write_canonical(path: &Path, incidents: &DataFrame) -> std::io::Result<()> {
    // A bare date stays a bare date, so that reading the file back gives the same rows.
    let start = when(col("has_time"))
        .then(col("occurred_at").dt().to_string("%Y-%m-%d %H:%M:%S"))
        .otherwise(col("occurred_at").dt().to_string("%Y-%m-%d"))
        .alias("occurred_at");
    let columns: Vec<Expr> = crate::ingest::incidents::COLUMNS
        .iter()
        .filter(|c| **c != "has_time" && incidents.column(c).is_ok())
        .map(|c| {
            if *c == "occurred_at" {
                start.clone()
            } else {
                col(*c)
            }
        })
        .collect();
    let mut out = incidents
        .clone()
        .lazy()
        .select(columns)
        .collect()
        .map_err(std::io::Error::other)?;
    write_excel_csv(path, &mut out)
}

/// Writes a frame as `;`-separated UTF-8 with BOM and decimal comma, through a
/// temporary file renamed into place.
pub fn write_excel_csv(path: &Path, frame: &mut DataFrame) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("csv.tmp");
    {
        let mut file = std::fs::File::create(&tmp)?;
        CsvWriter::new(&mut file)
            .include_bom(true)
            .with_separator(b';')
            .with_decimal_comma(true)
            .with_datetime_format(Some("%Y-%m-%d %H:%M:%S".into()))
            .with_line_terminator("\r\n".into())
            .finish(frame)
            .map_err(std::io::Error::other)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// Writes rejected rows as a CSV that Excel opens with å, ä, ö intact: `;`-separated,
/// UTF-8 with a byte-order mark, Swedish (or English) headers. The file is written
/// beside its final name and renamed, so a reader never sees half a file.
pub fn write_rejects(path: &Path, rejects: &DataFrame, lang: Lang) -> std::io::Result<()> {
    let names = match lang {
        Lang::Sv => ["fil", "rad", "orsak", "innehåll"],
        Lang::En => ["file", "line", "reason", "content"],
    };
    let mut out = rejects
        .clone()
        .lazy()
        .select([
            col("file").alias(names[0]),
            col("line").alias(names[1]),
            col("reason").alias(names[2]),
            col("content").alias(names[3]),
        ])
        .collect()
        .map_err(std::io::Error::other)?;
    write_excel_csv(path, &mut out)
}
