//! Reading a decoded delimited text into a frame of text columns, keeping the line on
//! which every record starts.
//!
//! Why not polars' own CSV reader: it parses in parallel and so cannot tell on which
//! line a bad record is, and it stops the whole file at a record with too many fields.
//! Here every record is either kept, with its line number, or set aside with a reason;
//! typing and validation then happen in polars expressions on the text columns.

use polars::prelude::*;

use crate::ingest::dialect::BOM;
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

/// Bodies at least this long, without a single quote character, are split at line
/// ends and read on all cores; anything else is read in one pass. Without quotes every
/// line end ends a record, so the split cannot cut one in two.
const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// Reads `text` (already decoded) with separator `sep`. Fails only when the text has no
/// header record at all; every other defect becomes a [`RowProblem`].
pub fn read_table(text: &str, sep: u8, lang: Lang) -> Result<Option<RawTable>, TableError> {
    read_table_split(text, sep, lang, PARALLEL_FROM_BYTES)
}

/// A CSV reader over `start..end` of `text`, and the offset its positions count from.
/// The reader drops a byte-order mark at the start of its input; one at `start` (a
/// line of a file put together with `cat`) is text like any other, as it is to a reader
/// of the whole text, so the reader is then started on the line end before it (an
/// empty line, which it skips).
fn reader_at(text: &str, start: usize, end: usize, sep: u8) -> (csv::Reader<&[u8]>, usize) {
    let bytes = text.as_bytes();
    let from = if start > 0
        && bytes[start..end].starts_with(BOM)
        && matches!(bytes[start - 1], b'\n' | b'\r')
    {
        start - 1
    } else {
        start
    };
    (csv_reader(sep, &bytes[from..end]), from)
}

fn csv_reader(sep: u8, bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(bytes)
}

/// [`read_table`] with the size from which a quote-free body is read in parallel.
fn read_table_split(
    text: &str,
    sep: u8,
    lang: Lang,
    parallel_from: usize,
) -> Result<Option<RawTable>, TableError> {
    let Some(mut parts) = TableParts::open(text, sep, lang, usize::MAX)? else {
        return Ok(None);
    };
    parts.parallel_from = parallel_from;
    parts.next().transpose()
}

/// A delimited text read part by part: the header first, then the body in parts of
/// about `part_bytes` that each end at a line end, so that a long file is typed and
/// checked a part at a time and not held as text columns whole. Parts are cut only
/// where no quote character has been seen yet (without quotes every line end ends a
/// record); from the first quote on, the rest of the body is one part, read by the
/// careful reader that recovers from a quote never closed. There is always at least
/// one part, possibly empty.
pub struct TableParts<'a> {
    text: &'a str,
    headers: Vec<String>,
    shape: Shape,
    /// Line numbers, counted forward once over the whole text as parts are read.
    lines: LineCounter<'a>,
    /// Whether the body before the next part holds an odd number of quote characters
    /// (the careful reader's test for a quote never closed counts from the body's start).
    odd_quotes_before: bool,
    /// Bytes of a typical record, to size the columns of a part.
    record_bytes: usize,
    /// Where the next part starts; `None` when the body is read.
    next: Option<usize>,
    part_bytes: usize,
    parallel_from: usize,
    /// Whether well-formed parts go to polars' reader (off only to compare the paths).
    fast: bool,
}

impl<'a> TableParts<'a> {
    /// Reads the header of `text`; `None` when there is none (an empty text).
    pub fn open(
        text: &'a str,
        sep: u8,
        lang: Lang,
        part_bytes: usize,
    ) -> Result<Option<Self>, TableError> {
        let mut reader = csv_reader(sep, text.as_bytes());
        let mut record = csv::StringRecord::new();
        if !reader.read_record(&mut record)? {
            return Ok(None);
        }
        // Cells are trimmed as they are copied: the reader's own trimming rebuilds every
        // record twice and was a tenth of the time of reading a file.
        let headers: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
        let shape = Shape {
            width: headers.len(),
            sep,
            lang,
            estimate: 0,
        };
        // The reader stops a CRLF header between its CR and LF; the body begins after
        // both, so that its first line is no blank one.
        let mut body = reader.position().byte() as usize;
        let bytes = text.as_bytes();
        if body > 0 && bytes[body - 1] == b'\r' && bytes.get(body) == Some(&b'\n') {
            body += 1;
        }
        Ok(Some(Self {
            text,
            record_bytes: (record.as_slice().len() + headers.len()).max(16),
            headers,
            shape,
            lines: LineCounter::new(text),
            odd_quotes_before: false,
            next: Some(body),
            part_bytes: part_bytes.max(1),
            parallel_from: PARALLEL_FROM_BYTES,
            fast: true,
        }))
    }

    /// The header cells as written in the file (trimmed).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Where the next part begins: the text before it has been read (all of it when
    /// the body is read).
    pub fn read_up_to(&self) -> usize {
        self.next.unwrap_or(self.text.len())
    }

    /// Where the part starting at `start` ends: just after the first line end at least
    /// `part_bytes` on; when the part holds a quote (a line end may then lie inside a
    /// quoted field), after the first record the CSV reader ends there. True when the
    /// part ends just after a line whose quote is never closed ([`Self::record_end`]).
    fn part_end(&self, start: usize) -> (usize, bool) {
        let bytes = self.text.as_bytes();
        let target = start.saturating_add(self.part_bytes);
        let end = cut_at(bytes, target, bytes.len());
        if memchr::memchr(b'"', &bytes[start..end]).is_some() {
            self.record_end(start, target)
        } else {
            (end, false)
        }
    }

    /// Just after the first record from `start` that ends at or after `target` at a
    /// line feed, where another record follows; the end of the text when none does.
    /// A quote never closed makes the CSV reader take the rest of the text as one
    /// record: the part then ends just after that record's first line (and `true`),
    /// which the careful reader rejects, so that the rest of a long file is still read
    /// a part at a time (it was one part, and memory grew with the file).
    fn record_end(&self, start: usize, target: usize) -> (usize, bool) {
        let bytes = self.text.as_bytes();
        let (mut reader, from) = reader_at(self.text, start, bytes.len(), self.shape.sep);
        let mut record = csv::ByteRecord::new();
        let mut last = None;
        while let Ok(true) = reader.read_byte_record(&mut record) {
            let at = from + reader.position().byte() as usize;
            if at >= target
                && at < bytes.len()
                && bytes[at - 1] == b'\n'
                // A record followed only by line ends is the text's last: it stays with
                // the part that reaches the end, where a quote never closed is found.
                && bytes[at..].iter().any(|b| !matches!(b, b'\r' | b'\n'))
            {
                return (at, false);
            }
            last = Some((
                from + record.position().map_or(0, |p| p.byte() as usize),
                record
                    .iter()
                    .any(|f| f.contains(&b'\n') || f.contains(&b'\r')),
            ));
        }
        // The same test as the careful reader's (`read_body`): the quotes from here to
        // the end do not pair up, and the last record spans lines.
        let quotes = memchr::memchr_iter(b'"', &bytes[start..]).count();
        let unbalanced = self.odd_quotes_before ^ (quotes % 2 == 1);
        // Only where the rest is longer than a part: a text read whole stays one part.
        let longer_than_a_part = bytes.len() - start > self.part_bytes;
        let Some((at, true)) = last.filter(|_| unbalanced && longer_than_a_part) else {
            return (bytes.len(), false);
        };
        match first_line(bytes, at, bytes.len()) {
            (_, Some(line_end)) if line_end < bytes.len() => (line_end, true),
            _ => (bytes.len(), false),
        }
    }

    /// Reads the records in `start..end`: with polars' multi-threaded reader when the
    /// part is well formed ([`well_formed`]), else with the careful reader.
    fn read_part(
        &mut self,
        start: usize,
        end: usize,
        open_quote: bool,
    ) -> Result<RawTable, TableError> {
        let lines = self.lines.at(start);
        self.lines = lines.clone();
        if self.fast && well_formed(&self.text[start..end], self.shape.width, self.shape.sep) {
            return self.read_well_formed(start, end, &lines);
        }
        self.read_carefully(start, end, &lines, open_quote)
    }

    /// A well-formed part read by polars straight into text columns: every line is one
    /// record of the header's width, so the record in row `i` is on the part's first
    /// line plus `i`.
    fn read_well_formed(
        &self,
        start: usize,
        end: usize,
        lines: &LineCounter<'a>,
    ) -> Result<RawTable, TableError> {
        let schema: polars::prelude::Schema = (0..self.shape.width)
            .map(|i| Field::new(column_name(i).into(), DataType::String))
            .collect();
        let parse = CsvParseOptions::default()
            .with_separator(self.shape.sep)
            .with_quote_char(None)
            .with_missing_is_null(true)
            .with_null_values(Some(NullValues::AllColumns(vec!["..".into()])));
        let mut frame = CsvReadOptions::default()
            .with_has_header(false)
            .with_schema(Some(std::sync::Arc::new(schema)))
            .with_parse_options(parse)
            .into_reader_with_file_handle(std::io::Cursor::new(&self.text.as_bytes()[start..end]))
            .finish()?;
        let first = lines.line;
        let height = frame.height();
        frame.with_column(Column::new(
            LINE.into(),
            (first..first + height as u64).collect::<Vec<u64>>(),
        ))?;
        Ok(RawTable {
            headers: self.headers.clone(),
            frame,
            problems: Vec::new(),
            rows_read: height,
        })
    }

    /// Reads the records in `start..end` one by one with the CSV reader, on all cores
    /// when the part is long and quote-free; `open_quote` when the part ends just after
    /// a line whose quote is never closed.
    fn read_carefully(
        &self,
        start: usize,
        end: usize,
        lines: &LineCounter<'a>,
        open_quote: bool,
    ) -> Result<RawTable, TableError> {
        let text = self.text;
        let shape = Shape {
            estimate: (end - start) / self.record_bytes,
            ..self.shape
        };
        let chunks = chunks(text, start, end, self.parallel_from);
        let parts: Vec<Part> = if chunks.len() <= 1 {
            read_body(
                text,
                start,
                end,
                lines.clone(),
                self.odd_quotes_before,
                open_quote,
                &shape,
            )?
        } else {
            // Each chunk's first line, counted forward from the part's.
            let mut counter = lines.clone();
            let firsts: Vec<LineCounter> = chunks
                .iter()
                .map(|&(start, _)| {
                    counter = counter.at(start);
                    counter.clone()
                })
                .collect();
            std::thread::scope(|scope| {
                let handles: Vec<_> = chunks
                    .iter()
                    .zip(firsts)
                    .map(|(&(start, end), lines)| {
                        let shape = &shape;
                        scope.spawn(move || {
                            let (mut reader, from) = reader_at(text, start, end, shape.sep);
                            read_records(&mut reader, lines, from, shape)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a reader thread does not panic"))
                    .collect::<Result<Vec<_>, _>>()
            })?
        };
        let mut parts = parts.into_iter();
        let mut all = parts.next().expect("at least one part");
        for part in parts {
            all.append(part)?;
        }
        let height = all.lines.len();
        let mut columns: Vec<Column> = all.columns.into_iter().map(Series::into_column).collect();
        columns.push(Column::new(LINE.into(), all.lines));
        let frame = DataFrame::new(height, columns)?;
        Ok(RawTable {
            headers: self.headers.clone(),
            frame,
            problems: all.problems,
            rows_read: all.rows_read,
        })
    }
}

impl Iterator for TableParts<'_> {
    type Item = Result<RawTable, TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.next?;
        let (end, open_quote) = self.part_end(start);
        self.next = (end < self.text.len()).then_some(end);
        let read = self.read_part(start, end, open_quote);
        let quotes = memchr::memchr_iter(b'"', &self.text.as_bytes()[start..end]).count();
        // After a line whose quote is never closed, the rest is counted afresh, as the
        // careful reader counts it once the line is rejected.
        self.odd_quotes_before = !open_quote && (self.odd_quotes_before ^ (quotes % 2 == 1));
        // Lines counted on to the next part now, while this part's text is at hand: a
        // mapped file's pages are given back once the part is read (`FileText`).
        self.lines = self.lines.at(end);
        Some(read)
    }
}

/// Where the first line of the record at byte `at` begins and where it ends (just after
/// its line feed, if one comes before `end`): the record's offset may lie on blank lines
/// before it, which the CSV reader skips.
fn first_line(bytes: &[u8], at: usize, end: usize) -> (usize, Option<usize>) {
    let at = at
        + bytes[at..end]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
    let line_end = memchr::memchr(b'\n', &bytes[at..end]).map(|i| at + i + 1);
    (at, line_end)
}

/// Reads `start..end` of the text in one pass. A quote opened and never closed makes the
/// CSV reader take everything after it, to the end of the file (or of a part that
/// ends just after its line: `open_quote`), as one record: that record is rejected at
/// the line where it starts (with the reason), and reading goes on with the next line,
/// so the rest of the file is not lost.
fn read_body<'a>(
    text: &'a str,
    mut start: usize,
    end: usize,
    mut lines: LineCounter<'a>,
    mut odd_quotes_before: bool,
    open_quote: bool,
    shape: &Shape,
) -> Result<Vec<Part>, TableError> {
    let mut parts = Vec::new();
    loop {
        let (mut reader, from) = reader_at(text, start, end, shape.sep);
        lines = lines.at(from);
        let mut part = read_records(&mut reader, lines.clone(), from, shape)?;
        let rest = &text.as_bytes()[start..end];
        let quotes = memchr::memchr_iter(b'"', rest).count();
        let unbalanced = odd_quotes_before ^ (quotes % 2 == 1);
        odd_quotes_before = false;
        // Only a record that runs to the end of the text can have swallowed it.
        let swallowed = part
            .last
            // A part cut after such a line was found so by `TableParts::record_end`, with
            // the quotes counted to the end of the text as here.
            .filter(|last| (open_quote || (end == text.len() && unbalanced)) && last.spans_lines)
            .map(|last| last.start);
        let Some(at) = swallowed else {
            parts.push(part);
            return Ok(parts);
        };
        part.drop_last()?;
        let (at, line_end) = first_line(text.as_bytes(), at, end);
        let first_line = text[at..line_end.unwrap_or(end)].trim_end();
        let line = lines.at(at).line_at(at);
        part.problems.push(RowProblem {
            line,
            kind: shape
                .lang
                .pick("citattecken stängs aldrig", "quote never closed")
                .to_owned(),
            reason: match shape.lang {
                Lang::Sv => format!(
                    "ett citattecken öppnas på rad {line} men stängs aldrig, så resten av filen skulle bli ett enda fält; raden avvisas och läsningen fortsätter på nästa rad"
                ),
                Lang::En => format!(
                    "a quote opened on line {line} is never closed, so the rest of the file would become one field; the line is rejected and reading goes on with the next line"
                ),
            },
            content: crate::text::shorten(first_line, 200),
        });
        parts.push(part);
        match line_end {
            Some(next) if next < end => start = next,
            _ => return Ok(parts),
        }
    }
}

/// Whether `part` (whole lines) has the shape polars' reader
/// takes as it is and reads exactly as the careful reader would: every line ends in a
/// line feed (a carriage return only right before it), no quote character is seen, every
/// line is one record of `width`
/// fields, no line is blank or holds only empty fields, and no field has white space
/// at either end (the careful reader trims it) or begins with Excel's text marker.
fn well_formed(part: &str, width: usize, sep: u8) -> bool {
    use rayon::prelude::*;
    // polars' reader, like the CSV reader, would drop a byte-order mark at the start.
    if part.is_empty()
        || !part.ends_with('\n')
        || part.starts_with('\u{feff}')
        || memchr::memchr(b'"', part.as_bytes()).is_some()
    {
        return false;
    }
    // Blocks of whole lines, checked on all cores.
    let bytes = part.as_bytes();
    let mut blocks = Vec::new();
    let mut from = 0;
    while from < bytes.len() {
        let target = (from + (1 << 20)).min(bytes.len() - 1);
        let to = memchr::memchr(b'\n', &bytes[target..]).map_or(bytes.len(), |i| target + i + 1);
        blocks.push(&part[from..to]);
        from = to;
    }
    blocks.into_par_iter().all(|block| {
        block
            .split_terminator('\n')
            .all(|line| well_formed_line(line, width, sep))
    })
}

/// One line of [`well_formed`], without its line feed.
fn well_formed_line(line: &str, width: usize, sep: u8) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.contains('\r') {
        return false;
    }
    let mut fields = 0;
    let mut empty = 0;
    for field in line.split(sep as char) {
        fields += 1;
        let bytes = field.as_bytes();
        match (bytes.first(), bytes.last()) {
            (None, _) | (_, None) => empty += 1,
            (Some(&first), Some(&last)) => {
                // Bytes that may begin or end a white-space character.
                let edge_space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ') || !b.is_ascii();
                if (edge_space(first) && field.starts_with(char::is_whitespace))
                    || (edge_space(last) && field.ends_with(char::is_whitespace))
                    || without_text_marker(field).len() != field.len()
                {
                    return false;
                }
            }
        }
    }
    fields == width && empty < width
}

/// Where text may be cut at or after `target` (and before `end`): just after a line
/// end; `end` when there is none.
fn cut_at(bytes: &[u8], target: usize, end: usize) -> usize {
    memchr::memchr(b'\n', &bytes[target.min(end)..end]).map_or(end, |i| target + i + 1)
}

/// Where to read `start..end` of the text: one range, or (for a long range without
/// quote characters) one per core, each ending just after a line end.
fn chunks(text: &str, start: usize, end: usize, parallel_from: usize) -> Vec<(usize, usize)> {
    let body = &text.as_bytes()[start..end];
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores < 2 || body.len() < parallel_from || memchr::memchr(b'"', body).is_some() {
        return vec![(start, end)];
    }
    let mut ranges = Vec::with_capacity(cores);
    let mut from = start;
    for k in 1..cores {
        let target = (start + body.len() * k / cores).max(from);
        let to = cut_at(text.as_bytes(), target, end);
        if to >= end {
            break;
        }
        ranges.push((from, to));
        from = to;
    }
    ranges.push((from, end));
    ranges
}

/// What every part of a file shares: the header's width, the separator, the language
/// of messages and a size estimate.
#[derive(Clone, Copy)]
struct Shape {
    width: usize,
    sep: u8,
    lang: Lang,
    estimate: usize,
}

/// The records of one part of a file.
struct Part {
    columns: Vec<Series>,
    lines: Vec<u64>,
    problems: Vec<RowProblem>,
    rows_read: usize,
    /// The last record read, if any.
    last: Option<LastRecord>,
}

/// Where the last record of a part starts, and how it was taken.
#[derive(Clone, Copy)]
struct LastRecord {
    /// Byte offset in the whole text.
    start: usize,
    /// Whether it went to the problems rather than the columns.
    rejected: bool,
    /// Whether one of its fields holds a line end.
    spans_lines: bool,
}

impl Part {
    /// Takes the last record back out (it is rejected instead).
    fn drop_last(&mut self) -> PolarsResult<()> {
        match self.last.take() {
            Some(LastRecord { rejected: true, .. }) => {
                self.problems.pop();
            }
            Some(_) => {
                self.lines.pop();
                for column in &mut self.columns {
                    *column = column.slice(0, column.len().saturating_sub(1));
                }
            }
            None => {}
        }
        Ok(())
    }

    /// Appends the next part of the same file.
    fn append(&mut self, other: Part) -> PolarsResult<()> {
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            mine.append(theirs)?;
        }
        self.lines.extend(other.lines);
        self.problems.extend(other.problems);
        self.rows_read += other.rows_read;
        self.last = other.last;
        Ok(())
    }
}

/// A cell without Excel's text marker: `'=SUMMA(1)` is the text `=SUMMA(1)`, as Excel
/// shows it and as lagesbild writes formula-like text (`render::neutralize_formulas`).
fn without_text_marker(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => &cell[1..],
        _ => cell,
    }
}

/// Most line ends one record may hold inside quoted fields. A description of a few
/// paragraphs has a handful; hundreds mean a quote left open that a later stray quote
/// happened to close.
const MAX_LINE_ENDS_IN_RECORD: usize = 50;

/// A problem when the record's quoted fields span more than
/// [`MAX_LINE_ENDS_IN_RECORD`] line ends.
fn too_many_lines(record: &csv::StringRecord, line: u64, lang: Lang) -> Option<(String, String)> {
    let ends: usize = record.iter().map(|c| c.matches('\n').count()).sum();
    (ends > MAX_LINE_ENDS_IN_RECORD).then(|| {
        let last = line + ends as u64;
        (
            lang.pick("fält över många rader", "field over many lines").to_owned(),
            match lang {
                Lang::Sv => format!("posten sträcker sig över rad {line}–{last} ({ends} radbrytningar inom citattecken); troligen saknas ett citattecken på rad {line} – rätta raden och läs in filen igen"),
                Lang::En => format!("the record spans lines {line}–{last} ({ends} line breaks inside quotes); a quote is probably missing on line {line} – correct the line and read the file again"),
            },
        )
    })
}

/// A problem when a quoted field holds, after a line break, a line with exactly as many
/// separators as a record has (at least two): two stray quotes (`"` typed at the
/// start of two descriptions a few lines apart) that made the records between them
/// one field. Read as it is, the record would be accepted and the records inside it
/// lost without a word; a description written over several lines does not hold a
/// whole record's separators on one line.
fn swallowed_records(
    record: &csv::StringRecord,
    line: u64,
    shape: &Shape,
) -> Option<(String, String)> {
    // Exactly a record's separators: prose with many commas (a comma-separated file's
    // description) has more or fewer, a swallowed record as many.
    let separators = shape.width.saturating_sub(1);
    let sep = shape.sep as char;
    let looks_like_a_record =
        |l: &str| separators >= 2 && l.trim_end_matches('\r').matches(sep).count() == separators;
    let inside: Vec<&str> = record
        .iter()
        .flat_map(|cell| cell.split('\n').skip(1))
        .collect();
    if !inside.iter().any(|l| looks_like_a_record(l)) {
        return None;
    }
    let last = line + inside.len() as u64;
    Some((
        shape
            .lang
            .pick("poster inom citattecken", "records inside quotes")
            .to_owned(),
        match shape.lang {
            Lang::Sv => format!("ett fält inom citattecken sträcker sig över rad {line}–{last} och innehåller rader som ser ut som egna poster; troligen är ett citattecken på rad {line} inte stängt – rätta raden (ta bort citattecknet eller stäng det) och läs in filen igen"),
            Lang::En => format!("a quoted field spans lines {line}–{last} and holds lines that look like records of their own; a quote on line {line} is probably not closed – correct the line (remove or close the quote) and read the file again"),
        },
    ))
}

/// Reads every remaining record of `reader`. `offset` is where the reader's input
/// starts in the whole text, so that `lines` (which counts in the whole text) gives
/// each record its line.
fn read_records(
    reader: &mut csv::Reader<&[u8]>,
    mut lines_before: LineCounter,
    offset: usize,
    shape: &Shape,
) -> Result<Part, TableError> {
    let mut builders: Vec<StringChunkedBuilder> = (0..shape.width)
        .map(|i| StringChunkedBuilder::new(column_name(i).into(), shape.estimate))
        .collect();
    let mut lines: Vec<u64> = Vec::with_capacity(shape.estimate);
    let mut problems = Vec::new();
    let mut rows_read = 0;
    let sep_str = (shape.sep as char).to_string();
    let mut record = csv::StringRecord::new();
    let mut last = None;
    while reader.read_record(&mut record)? {
        rows_read += 1;
        let at = offset + record.position().map_or(0, |p| p.byte() as usize);
        let line = lines_before.line_at(at);
        let problem = shape_problem(&record, shape.width, shape.lang)
            .or_else(|| too_many_lines(&record, line, shape.lang))
            .or_else(|| swallowed_records(&record, line, shape));
        last = Some(LastRecord {
            start: at,
            rejected: problem.is_some(),
            spans_lines: record.iter().any(|c| c.contains('\n') || c.contains('\r')),
        });
        if let Some((kind, reason)) = problem {
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
                builder.append_value(without_text_marker(cell));
            }
        }
        lines.push(line);
    }
    Ok(Part {
        columns: builders
            .into_iter()
            .map(|b| b.finish().into_series())
            .collect(),
        lines,
        problems,
        rows_read,
        last,
    })
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
/// only grow, in one pass over the text. The events reader uses it too, for the
/// elements of a JSON array.
#[derive(Clone)]
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// This counter moved on to byte `offset` (not before where it is), with the line
    /// there counted.
    fn at(&self, offset: usize) -> Self {
        let mut counter = self.clone();
        counter.advance_to(offset);
        counter
    }

    /// The line on which the record at byte `start` begins. Blank lines skipped by the
    /// reader may lie between `start` and the record's first character.
    pub(crate) fn line_at(&mut self, start: usize) -> u64 {
        let mut start = start.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.advance_to(start);
        self.line
    }

    /// Counts the line ends between the last position and `to`: `\n`, and a lone `\r`
    /// (old Mac line end). Whether a `\r` is lone is decided by the byte after it in
    /// the whole text, so a `\r\n` split by `to` still counts once.
    fn advance_to(&mut self, to: usize) {
        if to <= self.offset {
            return;
        }
        let span = &self.bytes[self.offset..to];
        for at in memchr::memchr2_iter(b'\n', b'\r', span) {
            let absolute = self.offset + at;
            let lone_cr = span[at] == b'\r' && self.bytes.get(absolute + 1) != Some(&b'\n');
            if span[at] == b'\n' || lone_cr {
                self.line += 1;
            }
        }
        self.offset = to;
    }
}

fn is_blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn old_mac_line_ends_count_as_lines() {
        let t = read_table("id;x\r1;a\r2;b\r\r3;c", b';', Lang::Sv)
            .unwrap()
            .unwrap();
        let lines = lines_of(&t.frame);
        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn a_long_quote_free_body_is_split_after_line_ends_and_a_quoted_one_is_not() {
        let text = format!("a;b\n{}", "1;2\n".repeat(100));
        let ranges = chunks(&text, 4, text.len(), 0);
        if std::thread::available_parallelism().map_or(1, usize::from) > 1 {
            assert!(ranges.len() > 1, "{ranges:?}");
        }
        assert_eq!(ranges.first().unwrap().0, 4);
        assert_eq!(ranges.last().unwrap().1, text.len());
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
            assert_eq!(text.as_bytes()[pair[0].1 - 1], b'\n');
        }
        let quoted = format!("{text}\"x\";y\n");
        assert_eq!(chunks(&quoted, 4, quoted.len(), 0), [(4, quoted.len())]);
    }

    /// Quote-free text with blank lines, CRLF and lone CR, short and long records.
    fn quote_free() -> impl Strategy<Value = String> {
        let cell = prop_oneof![
            Just(String::new()),
            Just("..".to_owned()),
            "[a-zåäö0-9 ]{0,6}"
        ];
        // A line may begin with a byte-order mark (files put together with `cat`).
        let bom = prop_oneof![9 => Just(""), 1 => Just("\u{feff}")];
        let line = (bom, prop::collection::vec(cell, 0..5))
            .prop_map(|(bom, cells)| format!("{bom}{}", cells.join(";")));
        let end = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")];
        let header = prop_oneof![Just("a;b;c\n"), Just("a;b;c\r\n")];
        (
            header,
            prop::collection::vec((line, end), 0..40),
            any::<bool>(),
        )
            .prop_map(|(header, lines, last)| {
                let mut text = String::from(header);
                for (line, end) in lines {
                    text.push_str(&line);
                    text.push_str(end);
                }
                if last {
                    text.push_str("x;y;z");
                }
                text
            })
    }

    proptest! {
        /// Reading a quote-free body in parallel parts gives exactly what one pass gives.
        #[test]
        fn parallel_parts_read_like_one_pass(text in quote_free()) {
            let one = read_table_split(&text, b';', Lang::Sv, usize::MAX).unwrap().unwrap();
            let parts = read_table_split(&text, b';', Lang::Sv, 0).unwrap().unwrap();
            prop_assert!(one.frame.equals_missing(&parts.frame), "{:?}\n{:?}", one.frame, parts.frame);
            prop_assert_eq!(one.problems, parts.problems);
            prop_assert_eq!(one.rows_read, parts.rows_read);
        }
    }

    /// Quote-free text with a quoted field (closed, over two lines, or never closed)
    /// put at the start of one of its lines.
    fn with_quotes() -> impl Strategy<Value = String> {
        let quoted = prop_oneof![
            Just("\"a;b\";c;d\n"),
            Just("\"två\nrader\";x;y\n"),
            Just("\"aldrig stängd;x;y\n"),
            Just("5\" skärm;x;y\n"),
            Just("a;\"b \"\"c\"\"\";d\r\n"),
        ];
        let insert = (quoted, any::<prop::sample::Index>());
        (quote_free(), prop::collection::vec(insert, 1..4)).prop_map(|(mut text, inserts)| {
            for (quoted, at) in inserts {
                let starts: Vec<usize> = std::iter::once(6)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .filter(|&i| i <= text.len())
                    .collect();
                let at = starts[at.index(starts.len())];
                text = format!("{}{quoted}{}", &text[..at], &text[at..]);
            }
            text
        })
    }

    /// Every part of `text` read `part_bytes` at a time, put together.
    fn in_parts(text: &str, part_bytes: usize) -> (DataFrame, Vec<RowProblem>, usize) {
        read_with(text, part_bytes, true)
    }

    proptest! {
        /// Reading a text in parts of any size gives exactly what one pass gives, with
        /// or without quoted fields.
        #[test]
        fn parts_read_like_the_whole(
            text in prop_oneof![quote_free(), with_quotes()],
            part_bytes in 1usize..48,
        ) {
            let whole = read_table_split(&text, b';', Lang::Sv, usize::MAX).unwrap().unwrap();
            let (frame, problems, rows_read) = in_parts(&text, part_bytes);
            prop_assert!(whole.frame.equals_missing(&frame), "{:?}\n{:?}", whole.frame, frame);
            prop_assert_eq!(whole.problems, problems);
            prop_assert_eq!(whole.rows_read, rows_read);
        }
    }

    /// Every part of `text`, `part_bytes` at a time.
    fn parts_of(text: &str, part_bytes: usize) -> Vec<RawTable> {
        TableParts::open(text, b';', Lang::Sv, part_bytes)
            .unwrap()
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_long_quote_free_body_comes_in_parts_ending_at_line_ends() {
        let text = format!("a;b\n{}", "1;2\n".repeat(100));
        let parts = parts_of(&text, 40);
        // 40 bytes and the rest of the line they end in: 11 lines a part.
        assert_eq!(parts.len(), 10);
        assert_eq!(lines_of(&parts[0].frame).len(), 11);
        assert_eq!(lines_of(&parts[1].frame)[0], 13);
        // With quotes, parts end after records: a field over two lines is not cut.
        let quoted = format!(
            "a;b\n{}\"två\nrader\";y\n{}",
            "1;2\n".repeat(9),
            "1;2\n".repeat(80)
        );
        let parts = parts_of(&quoted, 40);
        assert_eq!(parts.len(), 9);
        assert_eq!(lines_of(&parts[0].frame).len(), 10);
        assert_eq!(texts(&parts[0].frame, "c0")[9], Some("två\nrader".into()));
        assert_eq!(lines_of(&parts[1].frame)[0], 13);
    }

    /// Exports as they come: mostly well formed, with the defects the careful reader
    /// handles (short and long records, blank lines, white space around fields, text
    /// markers, CRLF and lone CR line ends).
    fn export_like() -> impl Strategy<Value = String> {
        let cell = prop_oneof![
            6 => "[a-zåäö0-9]{1,6}",
            1 => Just(String::new()),
            1 => Just("..".to_owned()),
            1 => Just(" x".to_owned()),
            1 => Just("y\u{a0}".to_owned()),
            1 => Just("\u{b}z".to_owned()),
            1 => Just("'=1".to_owned()),
        ];
        let line = prop_oneof![
            8 => prop::collection::vec(cell.clone(), 3..=3),
            1 => prop::collection::vec(cell, 0..5),
        ]
        .prop_map(|cells| cells.join(";"));
        let end =
            prop_oneof![8 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r"), 1 => Just("\n\n")];
        prop::collection::vec((line, end), 0..40).prop_map(|lines| {
            let mut text = String::from("a;b;c\n");
            for (line, end) in lines {
                text.push_str(&line);
                text.push_str(end);
            }
            text
        })
    }

    /// Every part of `text`, read with polars' reader where a part is well formed or
    /// always with the careful reader.
    fn read_with(text: &str, part_bytes: usize, fast: bool) -> (DataFrame, Vec<RowProblem>, usize) {
        let mut parts = TableParts::open(text, b';', Lang::Sv, part_bytes)
            .unwrap()
            .unwrap();
        parts.fast = fast;
        let mut first = parts.next().unwrap().unwrap();
        for part in parts {
            let part = part.unwrap();
            first.frame.vstack_mut(&part.frame).unwrap();
            first.problems.extend(part.problems);
            first.rows_read += part.rows_read;
        }
        (first.frame, first.problems, first.rows_read)
    }

    proptest! {
        /// polars' reader on the well-formed parts gives exactly what the careful
        /// reader gives: the same cells, lines, problems and count of records.
        #[test]
        fn the_fast_reader_reads_like_the_careful_one(
            text in export_like(),
            part_bytes in prop_oneof![Just(usize::MAX), 1usize..64],
        ) {
            let (fast, fast_problems, fast_read) = read_with(&text, part_bytes, true);
            let (careful, problems, read) = read_with(&text, part_bytes, false);
            prop_assert!(fast.equals_missing(&careful), "{text:?}\n{fast:?}\n{careful:?}");
            prop_assert_eq!(fast_problems, problems);
            prop_assert_eq!(fast_read, read);
        }
    }

    /// Found in review: a reader started at a line that begins with a byte-order mark
    /// dropped the mark, which a reader of the whole text keeps.
    #[test]
    fn no_part_begins_at_a_byte_order_mark() {
        let text = format!(
            "a;b\n{}\u{feff}x;1\n{}",
            "1;2\n".repeat(10),
            "3;4\n".repeat(10)
        );
        let whole = read_table_split(&text, b';', Lang::Sv, usize::MAX)
            .unwrap()
            .unwrap();
        for part_bytes in 1..text.len() {
            let (frame, _, _) = read_with(&text, part_bytes, true);
            assert!(whole.frame.equals_missing(&frame), "{part_bytes}");
        }
        assert_eq!(texts(&whole.frame, "c0")[10], Some("\u{feff}x".into()));
        // A part may begin at the marked line, and keeps the mark.
        assert_eq!(cut_at(text.as_bytes(), 40, text.len()), 44);
        let (frame, _, _) = read_with(&text, 40, false);
        assert_eq!(texts(&frame, "c0")[10], Some("\u{feff}x".into()));
    }

    /// Found in review: the header's reader stops between a CRLF's two bytes; the body
    /// starts after both, so that a CRLF file's first part can be well formed.
    #[test]
    fn a_crlf_body_begins_after_the_line_feed() {
        let text = "a;b;c\r\n1;2;3\r\n4;5;6\r\n";
        let parts = TableParts::open(text, b';', Lang::Sv, usize::MAX)
            .unwrap()
            .unwrap();
        assert_eq!(parts.next, Some(7));
        assert!(well_formed(&text[7..], 3, b';'));
        let (frame, problems, read) = read_with(text, usize::MAX, true);
        assert!(problems.is_empty());
        assert_eq!((lines_of(&frame), read), (vec![2, 3], 2));
    }

    #[test]
    fn an_ordinary_export_is_well_formed_and_a_defect_is_not() {
        let export = "1;2025-03-01 10:00;Stöld\r\n2;..;Brand\r\n3;;Rån\n";
        assert!(well_formed(export, 3, b';'));
        for defect in [
            "1;2;3\n\n",
            "1;2\n",
            "1;2;3;\n",
            " 1;2;3\n",
            "1;2;3 \n",
            "1;2\u{a0};3\n",
            ";;\n",
            "'=1;2;3\n",
            "1;2;3\r4;5;6\n",
            "1;2;3",
            "1;\"2\";3\n",
        ] {
            assert!(!well_formed(defect, 3, b';'), "{defect:?}");
        }
        let (fast, problems, read) = read_with(&format!("a;b;c\n{export}"), usize::MAX, true);
        assert!(problems.is_empty());
        assert_eq!(read, 3);
        assert_eq!(lines_of(&fast), [2, 3, 4]);
        assert_eq!(
            texts(&fast, "c1"),
            [Some("2025-03-01 10:00".into()), None, None]
        );
    }

    /// The line each accepted record starts on.
    fn lines_of(df: &DataFrame) -> Vec<u64> {
        df.column(LINE)
            .unwrap()
            .u64()
            .unwrap()
            .into_no_null_iter()
            .collect()
    }

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
        let lines = lines_of(&t.frame);
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
    fn an_unclosed_quote_rejects_its_line_and_the_rest_is_read() {
        let mut text = String::from("id;offence;place\n1;Stöld;Gamleby\n2;\"Brand;Karstorp\n");
        for i in 3..10 {
            text.push_str(&format!("{i};Stöld;Edsbruk\n"));
        }
        let t = read_table(&text, b';', Lang::Sv).unwrap().unwrap();
        assert_eq!(texts(&t.frame, "c0").len(), 8, "{:?}", t.problems);
        assert_eq!(t.problems.len(), 1);
        assert_eq!(t.problems[0].line, 3);
        assert!(t.problems[0].reason.contains("stängs aldrig"));
        assert_eq!(t.rows_read, 9, "read = accepted + rejected");
        let lines = lines_of(&t.frame);
        assert_eq!(lines, [2, 4, 5, 6, 7, 8, 9, 10]);
        // A properly closed multi-line field is no problem.
        let fine = "id;text\n1;\"two\nlines\"\n2;x\n";
        let t = read_table(fine, b';', Lang::Sv).unwrap().unwrap();
        assert!(t.problems.is_empty());
        assert_eq!(t.rows_read, 2);
    }

    /// Found by `parts_read_like_the_whole`: the reader puts a record's start on the
    /// blank line before it, and the line was rejected twice, once with no content.
    #[test]
    fn a_quote_never_closed_after_a_blank_line_is_rejected_once() {
        let text = "a;b;c\n1;2;3\n\n\"aldrig stängd;x;y\n4;5;6\n";
        let t = read_table(text, b';', Lang::Sv).unwrap().unwrap();
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        assert_eq!(t.problems[0].line, 4);
        assert_eq!(t.problems[0].content, "\"aldrig stängd;x;y");
        assert_eq!(lines_of(&t.frame), [2, 5]);
        assert_eq!(t.rows_read, 3);
    }

    #[test]
    fn empty_text_has_no_table() {
        assert!(read_table("", b';', Lang::Sv).unwrap().is_none());
    }
}
