//! Spreadsheets (.xlsx, .xls, .xlsm, .xlsb, .ods) as `;`-separated text, so that a
//! table downloaded from Brå's statistics database (or saved by an analyst in Excel)
//! goes through the same reading, checks and line accounting as a CSV file. Row N of
//! the first sheet is line N of the text.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use crate::model::said::Said;

/// True when the file name says spreadsheet.
pub fn is_spreadsheet(name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    )
}

/// The first sheet of a workbook as `;`-separated text, one line per sheet row from
/// row 1 (empty rows kept, so line numbers are row numbers). Numbers are written with a
/// decimal point, error cells as `..` (missing), line breaks inside a cell as spaces.
///
/// The spreadsheet reader is a dependency fed untrusted bytes: a panic inside it (the
/// fuzzer found one on a cell reference too large for its arithmetic) becomes an error
/// about the file, never the end of the program.
pub fn first_sheet_as_text(bytes: &[u8]) -> Result<String, Said> {
    quiet_panics(|| read_first_sheet(bytes)).unwrap_or_else(|| {
        Err(Said::new(
            "filen är skadad eller inte ett kalkylblad som går att läsa",
            "the file is damaged or not a workbook that can be read",
        ))
    })
}

/// The spreadsheet reader's own message (in English) as it is, in both languages.
fn theirs(error: impl std::fmt::Display) -> Said {
    let text = error.to_string();
    Said::new(text.clone(), text)
}

std::thread_local! {
    /// Set while a panic on this thread is expected and caught: the panic hook then
    /// prints nothing (the caller reports the file as unreadable instead).
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without the panic message on standard error.
/// Other threads' panics are reported as before.
fn quiet_panics<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    QUIET.with(|q| q.set(false));
    result
}

fn read_first_sheet(bytes: &[u8]) -> Result<String, Said> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(theirs)?;
    if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
        check_extent(xlsx)?;
    }
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| Said::new("arbetsboken har inget blad", "the workbook has no sheet"))?
        .map_err(theirs)?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for _ in 0..first_row {
        writer.write_record([""]).map_err(theirs)?;
    }
    for row in range.rows() {
        let cells =
            std::iter::repeat_n(String::new(), first_col as usize).chain(row.iter().map(cell_text));
        writer.write_record(cells).map_err(theirs)?;
    }
    let bytes = writer.into_inner().map_err(theirs)?;
    String::from_utf8(bytes).map_err(theirs)
}

/// Most cells a sheet may span (rows × columns from A1 to its last cell): the reader
/// allocates every cell of that rectangle, so one cell at XFD1048576 would ask for half
/// a terabyte. Ten million is far beyond any table of municipalities or incidents.
const MAX_CELLS: u64 = 10_000_000;

/// Reads the first sheet's cells one by one (without allocating the rectangle) and
/// refuses a sheet that spans more than [`MAX_CELLS`].
fn check_extent<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
) -> Result<(), Said> {
    let Some(name) = xlsx.sheet_names().first().cloned() else {
        return Ok(());
    };
    let mut cells = xlsx.worksheet_cells_reader(&name).map_err(theirs)?;
    let (mut rows, mut columns, mut used) = (0u64, 0u64, 0u64);
    while let Some(cell) = cells.next_cell().map_err(theirs)? {
        let (r, c) = cell.get_position();
        rows = rows.max(u64::from(r) + 1);
        columns = columns.max(u64::from(c) + 1);
        used += 1;
    }
    if rows.saturating_mul(columns) > MAX_CELLS {
        return Err(Said::new(
            format!("bladet {name} sträcker sig över {rows} rader och {columns} kolumner men har bara {used} ifyllda celler; ta bort det som står långt utanför tabellen (eller kopiera tabellen till ett nytt blad) och spara om"),
            format!("the sheet {name} spans {rows} rows and {columns} columns but has only {used} cells filled in; remove what stands far outside the table (or copy the table to a new sheet) and save again"),
        ));
    }
    Ok(())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.replace(['\r', '\n'], " "),
        Data::Bool(b) => b.to_string(),
        // Brå's tables hold no dates; an Excel serial number is kept as it is.
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => "..".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_written_here_reads_back_row_for_row() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Anmälda brott").unwrap();
        sheet.write_string(2, 1, "2021").unwrap();
        sheet.write_string(3, 0, "Västerviks kommun").unwrap();
        sheet.write_number(3, 1, 603.0).unwrap();
        sheet.write_number(3, 2, 12.5).unwrap();
        sheet
            .write_string(4, 0, "två\nrader; och semikolon")
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let text = first_sheet_as_text(&bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Anmälda brott;;");
        assert_eq!(lines[2], ";2021;");
        assert_eq!(lines[3], "Västerviks kommun;603;12.5");
        assert_eq!(lines[4], "\"två rader; och semikolon\";;");
        assert!(is_spreadsheet("SOL_export.XLS"));
        assert!(!is_spreadsheet("bra.csv"));
        assert!(first_sheet_as_text(b"not a workbook").is_err());
    }

    #[test]
    fn a_cell_far_outside_the_table_is_an_error_not_an_allocation() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Kommun").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let error = first_sheet_as_text(&bytes).unwrap_err();
        assert!(
            error.sv.contains("1048576 rader") && error.en.contains("only 2 cells"),
            "{error}"
        );
    }
}
