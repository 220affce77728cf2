//! Output for people and programs: tables (this module) and charts ([`charts`]).
//!
//! Writing tables for people and programs: CSV in the Excel dialect (`;`, decimal
//! comma, UTF-8 with BOM) or plain (`,`, decimal point), JSON records, Parquet.

use std::io::Write;
use std::path::Path;

pub mod charts;
pub mod geo;
pub mod number;
pub mod report_files;

use polars::prelude::*;

use crate::lang::Lang;

/// Output format of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV.
    Csv,
    /// JSON: an array of objects, one per row.
    Json,
    /// Apache Parquet.
    Parquet,
}

/// CSV dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvDialect {
    /// `;`, decimal comma, UTF-8 with BOM: what Swedish Excel opens directly.
    Excel,
    /// `,`, decimal point, no BOM: for programs.
    Plain,
}

/// Columns of analysis results that hold codes ([`Lang::word`]), not words.
const CODE_COLUMNS: [&str; 2] = ["verdict", "flag"];

/// The frame with the values lagesbild itself puts in cells named in `lang`: its
/// `place` column's places that are no place of the register ([`Lang::place_name`]), a
/// missing offence, source or group in any column, and a survey answer's missing
/// gender and age band.
fn place_names(frame: DataFrame, lang: Lang) -> PolarsResult<DataFrame> {
    use crate::model::{
        MISSING_VALUE, MUNICIPALITY_PLACE, UNKNOWN_AGE_BAND, UNKNOWN_GENDER, UNKNOWN_PLACE,
    };
    if lang == Lang::Sv {
        return Ok(frame);
    }
    let places = [UNKNOWN_PLACE, MUNICIPALITY_PLACE];
    let missing = lang.pick(MISSING_VALUE, "(not given)");
    let unknown = lang.pick(UNKNOWN_GENDER, "unknown");
    let words = |column: &str| -> Vec<(&str, &str)> {
        let mut words = vec![(MISSING_VALUE, missing)];
        match column {
            "place" => words.extend(places.map(|n| (n, lang.place_name(n)))),
            "gender" => words.push((UNKNOWN_GENDER, unknown)),
            "age_band" => words.push((UNKNOWN_AGE_BAND, unknown)),
            _ => {}
        }
        words
    };
    let replaced: Vec<Expr> = frame
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| {
            let (names, shown): (Vec<&str>, Vec<&str>) = words(c.name()).into_iter().unzip();
            col(c.name().clone()).replace(
                lit(Series::new("names".into(), names)),
                lit(Series::new("shown".into(), shown)),
            )
        })
        .collect();
    if replaced.is_empty() {
        return Ok(frame);
    }
    frame.lazy().with_columns(replaced).collect()
}

/// The frame with the codes of its verdict and flag columns put in words.
pub fn in_words(frame: DataFrame, lang: Lang) -> PolarsResult<DataFrame> {
    let frame = place_names(frame, lang)?;
    let present: Vec<&str> = CODE_COLUMNS
        .iter()
        .copied()
        .filter(|c| {
            frame
                .column(c)
                .is_ok_and(|col| col.dtype() == &DataType::String)
        })
        .collect();
    if present.is_empty() {
        return Ok(frame);
    }
    let (codes, words): (Vec<&str>, Vec<&str>) = lang.words().unzip();
    let codes = Series::new("codes".into(), codes);
    let words = Series::new("words".into(), words);
    frame
        .lazy()
        .with_columns(
            present
                .iter()
                .map(|c| {
                    col(*c)
                        .replace(lit(codes.clone()), lit(words.clone()))
                        .alias(*c)
                })
                .collect::<Vec<_>>(),
        )
        .collect()
}

/// Writes `frame` to `out` in `format`, personal data masked in every text cell
/// ([`personal_data_masked`]).
pub fn write_table(
    frame: &mut DataFrame,
    format: TableFormat,
    dialect: CsvDialect,
    out: &mut dyn Write,
) -> PolarsResult<()> {
    let mut masked = personal_data_masked(frame)?;
    let frame = &mut masked;
    match format {
        TableFormat::Csv => {
            let mut safe = neutralize_formulas(frame)?;
            write_csv(&mut safe, dialect, out)
        }
        TableFormat::Json => {
            let json = frame_to_json(frame)?;
            serde_json::to_writer_pretty(&mut *out, &json)
                .map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
            out.write_all(b"\n")?;
            Ok(())
        }
        TableFormat::Parquet => {
            let mut buffer = Vec::new();
            ParquetWriter::new(&mut buffer).finish(frame)?;
            out.write_all(&buffer)?;
            Ok(())
        }
    }
}

/// The frame with personal data masked in its text cells and column names
/// ([`crate::text::mask_personal_data`]): whatever a table holds (an activity or a
/// promise typed by hand, a name from the configuration), no personnummer, telephone
/// number or e-mail address is written. Only the cells the byte scan finds possible
/// are looked at closely.
pub fn personal_data_masked(frame: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = frame.clone();
    for column in frame.columns() {
        let name = column.name().to_string();
        let shown = crate::text::masked(name.clone());
        if shown != name {
            out.rename(&name, shown.as_str().into())?;
        }
        if column.dtype() != &DataType::String {
            continue;
        }
        let text = column.str()?;
        let needs = text
            .iter()
            .any(|v| v.is_some_and(crate::text::may_hold_personal_data));
        if !needs {
            continue;
        }
        let masked: StringChunked = text
            .iter()
            .map(|v| v.map(|v| crate::text::mask_personal_data(v).into_owned()))
            .collect();
        out.replace(
            &shown,
            masked.with_name(shown.as_str().into()).into_column(),
        )?;
    }
    Ok(out)
}

/// Text cells a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab or
/// carriage return first) and that are not numbers get a leading `'`, so a cell from an
/// untrusted export is shown, never run.
pub fn neutralize_formulas(frame: &DataFrame) -> PolarsResult<DataFrame> {
    let text: Vec<String> = frame
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().to_string())
        .collect();
    if text.is_empty() {
        return Ok(frame.clone());
    }
    frame
        .clone()
        .lazy()
        .with_columns(
            text.iter()
                .map(|c| {
                    let risky = col(c.as_str())
                        .str()
                        .contains(lit(r"^[=+\-@\t\r]"), false)
                        .and(
                            col(c.as_str())
                                .str()
                                .contains(lit(r"^[+-]?[0-9]+([.,][0-9]+)?$"), false)
                                .not(),
                        );
                    when(risky)
                        .then(concat_str([lit("'"), col(c.as_str())], "", false))
                        .otherwise(col(c.as_str()))
                        .alias(c.as_str())
                })
                .collect::<Vec<_>>(),
        )
        .collect()
}

/// CSV as it is, for callers that have neutralized formulas already: [`write_table`]
/// and the canonical incidents.
fn write_csv(frame: &mut DataFrame, dialect: CsvDialect, out: &mut dyn Write) -> PolarsResult<()> {
    let excel = dialect == CsvDialect::Excel;
    CsvWriter::new(out)
        .include_bom(excel)
        .with_separator(if excel { b';' } else { b',' })
        .with_decimal_comma(excel)
        .with_datetime_format(Some("%Y-%m-%d %H:%M:%S".into()))
        .with_line_terminator(if excel { "\r\n" } else { "\n" }.into())
        .finish(frame)
}

/// Writes a frame as CSV for Excel (`;`, decimal comma, UTF-8 with BOM) to `path`.
pub fn write_excel_csv(path: &Path, frame: &mut DataFrame) -> std::io::Result<()> {
    crate::files::write_atomically(path, |w| {
        write_table(frame, TableFormat::Csv, CsvDialect::Excel, w).map_err(std::io::Error::other)
    })
}

/// Writes accepted incidents in the canonical columns (docs/data-formats.md), in the
/// same Excel-friendly dialect as every CSV lagesbild writes: `;`, decimal comma, UTF-8
/// with a byte-order mark, date-times as `YYYY-MM-DD HH:MM:SS` (a bare date where no
/// time was given). Provenance columns are left out; lagesbild reads the file back to
/// the same rows.
pub fn write_canonical(path: &Path, incidents: &DataFrame) -> std::io::Result<()> {
    // A bare date stays a bare date, so that reading the file back gives the same rows;
    // a known UTC offset is written with the time ("2025-10-26 02:30:00+01:00"), so the
    // two 02:30 of the October night stay apart.
    let with_offset = |time: &str, offset: &str| {
        let timed = col(time).dt().to_string("%Y-%m-%d %H:%M:%S");
        if incidents.column(offset).is_err() {
            return timed;
        }
        let minutes = col(offset).cast(DataType::Int32);
        let sign = when(minutes.clone().lt(lit(0)))
            .then(lit("-"))
            .otherwise(lit("+"));
        let two = |e: Expr| e.cast(DataType::String).str().zfill(lit(2));
        let hours = two(minutes.clone().abs() / lit(60));
        let rest = two(minutes.clone().abs() % lit(60));
        when(minutes.is_not_null())
            .then(concat_str(
                [timed.clone(), sign, hours, lit(":"), rest],
                "",
                false,
            ))
            .otherwise(timed)
    };
    let start = when(col("has_time"))
        .then(with_offset("occurred_at", "utc_offset"))
        .otherwise(col("occurred_at").dt().to_string("%Y-%m-%d"))
        .alias("occurred_at");
    let end = with_offset("occurred_to", "utc_offset_to").alias("occurred_to");
    let columns: Vec<Expr> = crate::model::INCIDENT_COLUMNS
        .iter()
        .filter(|c| {
            !["has_time", "utc_offset", "utc_offset_to"].contains(c) && incidents.column(c).is_ok()
        })
        .map(|c| match *c {
            "occurred_at" => start.clone(),
            "occurred_to" => end.clone(),
            other => col(other),
        })
        .collect();
    let out = incidents
        .clone()
        .lazy()
        .select(columns)
        .collect()
        .map_err(std::io::Error::other)?;
    // Opened in Excel by analysts and read back by lagesbild: formula-like text gets
    // Excel's text marker `'`, which the reader takes off again (`ingest::table`).
    let mut out = neutralize_formulas(&out).map_err(std::io::Error::other)?;
    crate::files::write_atomically(path, |w| {
        write_csv(&mut out, CsvDialect::Excel, w).map_err(std::io::Error::other)
    })
}

/// Writes rejected rows as a CSV that Excel opens with å, ä, ö intact: `;`-separated,
/// UTF-8 with a byte-order mark, Swedish (or English) headers.
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

/// Text rows as CSV for Excel (`;`, UTF-8 with BOM, CRLF), through the same writer as
/// every other table: cells are already formatted (decimal comma), so they are written
/// as they are.
pub fn excel_csv(headers: &[String], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    for row in rows {
        for (c, cell) in row.into_iter().enumerate().take(headers.len()) {
            columns[c].push(cell);
        }
    }
    let height = columns.first().map_or(0, Vec::len);
    // An empty cell is written as nothing, not as "".
    let columns: Vec<Vec<Option<String>>> = columns
        .into_iter()
        .map(|c| {
            c.into_iter()
                .map(|v| (!v.is_empty()).then_some(v))
                .collect()
        })
        .collect();
    // Column names must be unique in a frame; a repeated header gets a number.
    let mut seen = std::collections::HashSet::new();
    let names: Vec<String> = headers
        .iter()
        .map(|h| {
            let mut name = h.clone();
            let mut k = 2;
            while !seen.insert(name.clone()) {
                name = format!("{h} ({k})");
                k += 1;
            }
            name
        })
        .collect();
    let frame = DataFrame::new(
        height,
        names
            .into_iter()
            .zip(columns)
            .map(|(n, v)| Column::new(n.into(), v))
            .collect(),
    );
    let mut out = Vec::new();
    if let Ok(mut frame) = frame {
        // Writing strings to memory cannot fail.
        let _ = write_table(&mut frame, TableFormat::Csv, CsvDialect::Excel, &mut out);
    }
    out
}

/// The frame as an array of row objects (numbers as numbers, missing as null).
pub fn frame_to_json(frame: &DataFrame) -> PolarsResult<serde_json::Value> {
    let columns = frame.columns();
    let mut rows = Vec::with_capacity(frame.height());
    for i in 0..frame.height() {
        let mut row = serde_json::Map::new();
        for c in columns {
            row.insert(c.name().to_string(), any_to_json(c.get(i)?));
        }
        rows.push(serde_json::Value::Object(row));
    }
    Ok(serde_json::Value::Array(rows))
}

fn any_to_json(v: AnyValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::String(s.to_owned()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::Int8(n) => n.into(),
        AnyValue::Int16(n) => n.into(),
        AnyValue::Int32(n) => n.into(),
        AnyValue::Int64(n) => n.into(),
        AnyValue::UInt8(n) => n.into(),
        AnyValue::UInt16(n) => n.into(),
        AnyValue::UInt32(n) => n.into(),
        AnyValue::UInt64(n) => n.into(),
        AnyValue::Float32(f) => {
            serde_json::Number::from_f64(f64::from(f)).map_or(Value::Null, Value::Number)
        }
        AnyValue::Float64(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        other => Value::String(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralized_and_numbers_kept() {
        let frame = df!(
            "text" => ["=HYPERLINK(\"x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "-12", "-0,5", "Gamleby", "\tx"],
            "n" => [1i64, 2, 3, 4, 5, 6, 7, 8],
        )
        .unwrap();
        let mut out = Vec::new();
        write_table(
            &mut frame.clone(),
            TableFormat::Csv,
            CsvDialect::Excel,
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        for bad in ["'=HYPERLINK", "'+cmd", "'@SUM", "'-2+3", "'\tx"] {
            assert!(text.contains(bad), "{bad} in {text}");
        }
        for kept in ["\r\n-12;5", "\r\n-0,5;6", "\r\nGamleby;7"] {
            assert!(text.contains(kept), "{kept} in {text}");
        }
    }
}
