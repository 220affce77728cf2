//! Reading a decoded delimited text into a frame of text columns, keeping the line on
//! which every record starts.
//!
//! Why not polars' own CSV reader: it parses in parallel and so cannot tell on which
//! line a bad record is, and it stops the whole file at a record with too many fields.
//! Here every record is either kept, with its line number, or set aside with a reason;
//! typing and validation then happen in polars expressions on the text columns.

use polars::prelude::*;

use crate::lang::Lang;

/// Name of the column holding the physical line on which a record starts (1-based;
/// the header is line 1 in an ordinary file).
pub const LINE: &str = "_line";

/// Cell values that mean "no value": empty, and Brå's `..`.
fn is_missing(cell: &str) -> bool {
    cell.is_empty() || cell == ".."
}

/// Why a text could not be read as a table at all.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The CSV reader failed (it reads from memory, so in practice never).
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// Building the frame failed.
    #[error("{0}")]
    Polars(#[from] PolarsError),
}

/// A delimited file read as text.
#[derive(Debug)]
pub struct RawTable {
    /// The header cells as written in the file (trimmed).
    pub headers: Vec<String>,
    /// One `String` column per header, named `c0`, `c1`, … by position (missing cells
    /// are null), plus [`LINE`].
    pub frame: DataFrame,
    /// Records that could not be taken apart into the header's columns.
    pub problems: Vec<RowProblem>,
    /// Records after the header, kept or not.
    pub rows_read: usize,
}

/// A record rejected before its values were looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// Line on which the record starts.
    pub line: u64,
    /// Short kind of problem, for counting the most common reasons.
    pub kind: String,
    /// The full reason shown to the user.
    pub reason: String,
    /// The record as it stood, fields joined by the file's separator.
    pub content: String,
}

/// Internal name of the text column at `index`.
pub fn column_name(index: usize) -> String {
    format!("c{index}")
}

/// Reads `text` (already decoded) with separator `sep`. Fails only when the text has no
/// header record at all; every other defect becomes a [`RowProblem`].
pub fn read_table(text: &str, sep: u8, lang: Lang) -> Result<Option<RawTable>, TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record)? {
        return Ok(None);
    }
    // Cells are trimmed as they are copied: the reader's own trimming rebuilds every
    // record twice and was a tenth of the time of reading a file.
    let headers: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
    let width = headers.len();
    let estimate = text.len() / (record.as_slice().len() + width).max(16);
    let mut builders: Vec<StringChunkedBuilder> = (0..width)
        .map(|i| StringChunkedBuilder::new(column_name(i).into(), estimate))
        .collect();
    let mut lines: Vec<u64> = Vec::with_capacity(estimate);
    let mut problems = Vec::new();
    let mut rows_read = 0;
    let sep_str = (sep as char).to_string();
    let mut lines_before = LineCounter::new(text);

    while reader.read_record(&mut record)? {
        rows_read += 1;
        let line = lines_before.line_at(record.position().map_or(0, |p| p.byte() as usize));
        if let Some(problem) = shape_problem(&record, width, lang) {
            let (kind, reason) = problem;
            problems.push(RowProblem {
                line,
                kind,
                reason,
                content: record
                    .iter()
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(&sep_str),
            });
            continue;
        }
        for (builder, cell) in builders.iter_mut().zip(record.iter().map(str::trim)) {
            if is_missing(cell) {
                builder.append_null();
            } else {
                builder.append_value(cell);
            }
        }
        lines.push(line);
    }

    let height = lines.len();
    let mut columns: Vec<Column> = builders
        .into_iter()
        .map(|b| b.finish().into_series().into_column())
        .collect();
    columns.push(Column::new(LINE.into(), lines));
    let frame = DataFrame::new(height, columns)?;
    Ok(Some(RawTable {
        headers,
        frame,
        problems,
        rows_read,
    }))
}

/// Why a record cannot be split into the header's columns, if it cannot. Trailing empty
/// fields beyond the header are tolerated (Excel writes them), and so are missing
/// trailing fields only when none are missing: a short record is rejected, because its
/// values may have shifted.
fn shape_problem(record: &csv::StringRecord, width: usize, lang: Lang) -> Option<(String, String)> {
    if record.iter().all(is_blank) {
        let kind = lang.pick("tom rad", "empty row").to_owned();
        return Some((kind.clone(), kind));
    }
    let n = record.len();
    let extra_nonempty = record.iter().skip(width).any(|c| !is_blank(c));
    if n < width || extra_nonempty {
        let kind = lang
            .pick("fel antal fält", "wrong number of fields")
            .to_owned();
        let reason = match lang {
            Lang::Sv => format!("fel antal fält: {n} i stället för {width} som i rubrikraden"),
            Lang::En => format!("wrong number of fields: {n} instead of the header's {width}"),
        };
        return Some((kind, reason));
    }
    None
}

/// Turns record start offsets into line numbers. The CSV reader's own line count is
/// off by one after a blank line, so lines are counted here from byte offsets, which
/// only grow, in one pass over the text.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line on which the record at byte `start` begins. Blank lines skipped by the
    /// reader may lie between `start` and the record's first character.
    fn line_at(&mut self, start: usize) -> u64 {
        let mut start = start.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.offset {
            let span = &self.bytes[self.offset..start];
            self.line += span.iter().filter(|&&b| b == b'\n').count() as u64;
            // A lone \r (old Mac line end) also ends a line.
            self.line += span
                .windows(2)
                .filter(|w| w[0] == b'\r' && w[1] != b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.line
    }
}

fn is_blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(df: &DataFrame, name: &str) -> Vec<Option<String>> {
        df.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_owned))
            .collect()
    }

    #[test]
    fn keeps_lines_of_records_with_embedded_newlines() {
        let text = "id;text\n1;\"rad ett\nfortsätter\"\n2;..\n\n3;\"a;b\"\n";
        let t = read_table(text, b';', Lang::Sv).unwrap().unwrap();
        assert_eq!(t.headers, ["id", "text"]);
        assert_eq!(t.rows_read, 3);
        let lines: Vec<u64> = t
            .frame
            .column(LINE)
            .unwrap()
            .u64()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert_eq!(lines, [2, 4, 6]);
        assert_eq!(
            texts(&t.frame, "c1"),
            [Some("rad ett\nfortsätter".into()), None, Some("a;b".into())]
        );
    }

    #[test]
    fn rejects_short_and_long_records_but_tolerates_trailing_separators() {
        let text = "a;b;c\n1;2\n1;2;3;4\n1;2;3;;\n;;\n";
        let t = read_table(text, b';', Lang::Sv).unwrap().unwrap();
        assert_eq!(t.rows_read, 4);
        assert_eq!(t.frame.height(), 1);
        let lines: Vec<u64> = t.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(
            t.problems[0].reason,
            "fel antal fält: 2 i stället för 3 som i rubrikraden"
        );
        assert_eq!(t.problems[2].kind, "tom rad");
    }

    #[test]
    fn empty_text_has_no_table() {
        assert!(read_table("", b';', Lang::Sv).unwrap().is_none());
    }
}
