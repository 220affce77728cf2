//! Brå's tables of reported crimes per municipality (anmälda brott, from Brå's
//! statistics database or its published files): one row per municipality (counties
//! and the whole country may stand there too), optionally per year and crime category,
//! with a count, a rate per 100 000 inhabitants, or both. `;` or `,`, UTF-8 with or
//! without BOM or Windows-1252, names in the genitive ("Västerviks kommun") or not,
//! trailing spaces, `..` for a missing value: all are read.

use std::collections::HashMap;

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::AliasTables;
use crate::ingest::polisen::Rejected;
use crate::ingest::source::{open_text, read_text, IngestError, SourceTable};
use crate::lang::Lang;
use crate::model::sweden::{sweden, Area};

pub use crate::model::bra::{AreaKey, BraFile, BraRow, BraTable};

/// What makes a row unique: area, year, category.
type RowKey = (AreaKey, Option<i32>, Option<String>);

/// Rows accepted so far, by key, with the file and line they came from.
type Seen = HashMap<RowKey, (String, u64)>;

/// Reads Brå tables: CSV files, or spreadsheets (.xlsx, .xls, .ods: the first sheet).
/// Two layouts are understood. A *long* table has a header row with an area column and
/// a count or rate column (optionally year and category). A *block* table is what
/// Brå's statistics database exports: title rows, a row of years and a unit ("Antal"
/// or "/100 000 inv"), then for each area a row with its name followed by one row per
/// crime category with a value under each year. A file in neither layout is an error
/// naming the columns found.
pub fn read_bra(inputs: &[Location], lang: Lang) -> Result<BraTable, IngestError> {
    let aliases = AliasTables::builtin().bra;
    let mut table = BraTable::default();
    let mut seen = Seen::new();
    for (index, at) in inputs.iter().enumerate() {
        let file = at.display_name();
        let (text, encoding, _) = read_text(at, &file)?;
        let required: &[&[&str]] = &[&["region"], &["count", "rate"]];
        let report = match open_text(file.clone(), &text, encoding, &aliases, required, lang) {
            Ok(src) => read_long(&src, index, &mut table, &mut seen, lang)?,
            Err(missing @ IngestError::MissingColumns { .. }) => {
                // The block layout is read from the text itself: personal data typed
                // into a heading or category is masked first.
                let text = crate::text::mask_personal_data(&text);
                match read_blocks(&text, &file, index, &mut table, &mut seen, lang) {
                    Some(report) => report,
                    None => return Err(missing),
                }
            }
            Err(e) => return Err(e),
        };
        table.files.push(report);
    }
    Ok(table)
}

/// What area a name means, as a row key.
fn area_key(name: &str) -> Option<AreaKey> {
    Some(match sweden().area(name)? {
        Area::Kommun(k) => AreaKey::Kommun(k.code.clone()),
        Area::County(code, _) => AreaKey::County(code.to_owned()),
        Area::Country => AreaKey::Country,
    })
}

fn unknown_area(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("'{name}' är ingen kommun, inget län och inte riket"),
        Lang::En => format!("'{name}' is not a municipality, county or the country"),
    }
}

fn not_a_number(header: &str, text: &str, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("{header} '{text}' är inget tal ≥ 0"),
        Lang::En => format!("{header} '{text}' is not a number ≥ 0"),
    }
}

/// Adds `row` unless its area, year and category were seen before; returns the
/// rejection reason for a duplicate.
fn accept(
    row: BraRow,
    name: &str,
    file: &str,
    table: &mut BraTable,
    seen: &mut Seen,
    lang: Lang,
) -> Result<(), String> {
    let key = (row.area.clone(), row.year, row.category.clone());
    if let Some((first_file, line)) = seen.get(&key) {
        return Err(match lang {
            Lang::Sv => format!("'{name}' står redan på rad {line} i {first_file} med samma år och kategori"),
            Lang::En => format!("'{name}' already appears on line {line} of {first_file} with the same year and category"),
        });
    }
    seen.insert(key, (file.to_owned(), row.line));
    table.rows.push(row);
    Ok(())
}

/// Records a rejected row against its file.
fn push_reject(
    table: &mut BraTable,
    report: &mut BraFile,
    line: u64,
    content: &str,
    reason: String,
) {
    table.rejects.push(Rejected {
        file: report.file.clone(),
        line,
        reason: crate::text::mask_personal_data(&reason).into_owned(),
        content: crate::text::mask_personal_data(content).into_owned(),
    });
    report.rejected += 1;
}

/// A long table: one row per area (and year and category).
fn read_long(
    src: &SourceTable,
    index: usize,
    table: &mut BraTable,
    seen: &mut Seen,
    lang: Lang,
) -> Result<BraFile, IngestError> {
    let frame = src
        .table
        .frame
        .clone()
        .lazy()
        .select([
            src.raw("region").alias("region"),
            src.raw("year").alias("year_text"),
            src.integer(src.raw("year")).alias("year"),
            src.raw("category").alias("category"),
            src.raw("count").alias("count_text"),
            src.number(src.raw("count")).alias("count"),
            src.raw("rate").alias("rate_text"),
            src.number(src.raw("rate")).alias("rate"),
            col(crate::ingest::table::LINE),
        ])
        .collect()
        .map_err(IngestError::frame(&src.file))?;
    let mut report = BraFile {
        file: src.file.clone(),
        read: src.table.rows_read,
        used: 0,
        without_value: 0,
        headings: 0,
        rejected: 0,
        has_year: src.mapping.position("year").is_some(),
    };
    for problem in &src.table.problems {
        push_reject(
            table,
            &mut report,
            problem.line,
            &problem.content,
            problem.reason.clone(),
        );
    }
    let text = |name: &str| -> Vec<Option<String>> {
        frame
            .column(name)
            .and_then(|c| {
                c.str()
                    .map(|s| s.iter().map(|v| v.map(str::to_owned)).collect())
            })
            .unwrap_or_default()
    };
    let number = |name: &str| -> Vec<Option<f64>> {
        frame
            .column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .and_then(|c| c.f64().map(|s| s.iter().collect()))
            .unwrap_or_default()
    };
    let (region, year_text, category) = (text("region"), text("year_text"), text("category"));
    let (count_text, count, rate_text, rate) = (
        text("count_text"),
        number("count"),
        text("rate_text"),
        number("rate"),
    );
    let year = number("year");
    let lines: Vec<u64> = frame
        .column(crate::ingest::table::LINE)
        .and_then(|c| c.cast(&DataType::UInt64))
        .and_then(|c| c.u64().map(|s| s.iter().map(|v| v.unwrap_or(0)).collect()))
        .unwrap_or_default();
    for i in 0..frame.height() {
        let content = [
            &region[i],
            &year_text[i],
            &category[i],
            &count_text[i],
            &rate_text[i],
        ]
        .iter()
        .map(|v| v.as_deref().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(";");
        let line = lines[i];
        let name = region[i].as_deref().unwrap_or("").trim();
        let Some(area) = area_key(name) else {
            push_reject(table, &mut report, line, &content, unknown_area(name, lang));
            continue;
        };
        let unreadable = [
            ("count", &count_text[i], count.get(i).copied().flatten()),
            ("rate", &rate_text[i], rate.get(i).copied().flatten()),
            ("year", &year_text[i], year.get(i).copied().flatten()),
        ]
        .into_iter()
        .find(|(_, text, value)| text.is_some() && value.is_none_or(|v| v < 0.0));
        if let Some((what, text, _)) = unreadable {
            push_reject(
                table,
                &mut report,
                line,
                &content,
                not_a_number(&src.header(what), text.as_deref().unwrap_or(""), lang),
            );
            continue;
        }
        let (count, rate) = (
            count.get(i).copied().flatten(),
            rate.get(i).copied().flatten(),
        );
        if count.is_none() && rate.is_none() {
            report.without_value += 1;
            continue;
        }
        let row = BraRow {
            area,
            year: year.get(i).copied().flatten().map(|y| y as i32),
            category: category[i].as_ref().map(|c| c.trim().to_owned()),
            count,
            rate,
            file: index,
            line: lines[i],
        };
        match accept(row, name, &src.file, table, seen, lang) {
            Ok(()) => report.used += 1,
            Err(reason) => push_reject(table, &mut report, line, &content, reason),
        }
    }
    Ok(report)
}

/// The unit of a block table's values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Count,
    Rate,
}

/// A block table as Brå's statistics database exports it. `None` when the text has no
/// row of years with a unit above it, i.e. is not such a table.
fn read_blocks(
    text: &str,
    file: &str,
    index: usize,
    table: &mut BraTable,
    seen: &mut Seen,
    lang: Lang,
) -> Option<BraFile> {
    let separator = crate::ingest::dialect::sniff_separator(text);
    let rows: Vec<(u64, Vec<String>)> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            (
                r.position().map_or(0, |p| p.line()),
                r.iter().map(|c| c.trim().to_owned()).collect(),
            )
        })
        .collect();
    let is_year =
        |c: &str| c.len() == 4 && c.parse::<i32>().is_ok_and(|y| (1975..=2100).contains(&y));
    let header_at = rows
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| is_year(c)))?;
    let years: Vec<(usize, i32)> = rows[header_at]
        .1
        .iter()
        .enumerate()
        .filter(|(_, c)| is_year(c))
        .map(|(i, c)| (i, c.parse().unwrap_or_default()))
        .collect();
    // The unit stands in the rows around the years ("/100 000 inv", "Antal").
    let unit = rows
        .iter()
        .take(header_at + 3)
        .flat_map(|(_, cells)| cells.iter())
        .find_map(|c| {
            let folded = crate::text::fold(c);
            if folded.contains("100 000") || folded.contains("100000") {
                Some(Unit::Rate)
            } else if folded == "antal" || folded.starts_with("antal ") {
                Some(Unit::Count)
            } else {
                None
            }
        })?;
    let first_data = rows
        .iter()
        .enumerate()
        .skip(header_at + 1)
        .find(|(_, (_, cells))| cells.first().is_some_and(|c| !c.is_empty()))
        .map_or(rows.len(), |(i, _)| i);
    let mut report = BraFile {
        file: file.to_owned(),
        read: 0,
        used: 0,
        without_value: 0,
        headings: 0,
        rejected: 0,
        has_year: true,
    };
    let mut current: Option<(AreaKey, String)> = None;
    for (line, cells) in &rows[first_data..] {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        report.read += 1;
        let label = cells.first().map_or("", String::as_str);
        let values: Vec<(i32, Option<&str>)> = years
            .iter()
            .map(|(i, y)| {
                (
                    *y,
                    cells
                        .get(*i)
                        .map(String::as_str)
                        .filter(|v| !v.is_empty() && *v != ".."),
                )
            })
            .collect();
        let has_value = values.iter().any(|(_, v)| v.is_some());
        let (line, content) = (*line, cells.join(";"));
        let (area, category) = match (area_key(label), &current) {
            // An area's own row starts its block (it may carry a total itself).
            (Some(area), _) => {
                current = Some((area.clone(), label.to_owned()));
                if !has_value {
                    report.headings += 1;
                    continue;
                }
                (area, None)
            }
            (None, Some((area, _))) => (
                area.clone(),
                Some(label.to_owned()).filter(|l| !l.is_empty()),
            ),
            (None, None) => {
                push_reject(
                    table,
                    &mut report,
                    line,
                    &content,
                    unknown_area(label, lang),
                );
                continue;
            }
        };
        if !has_value {
            report.without_value += 1;
            continue;
        }
        let name = current
            .as_ref()
            .map_or(label, |(_, n)| n.as_str())
            .to_owned();
        let mut parsed = Vec::new();
        for (year, value) in &values {
            let Some(text) = value else { continue };
            match plain_value(text) {
                Some(v) => parsed.push((*year, v)),
                None => {
                    push_reject(
                        table,
                        &mut report,
                        line,
                        &content,
                        not_a_number(&year.to_string(), text, lang),
                    );
                    parsed.clear();
                    break;
                }
            }
        }
        if parsed.is_empty() {
            continue;
        }
        let mut duplicate = None;
        for (year, value) in parsed {
            let row = BraRow {
                area: area.clone(),
                year: Some(year),
                category: category.clone(),
                count: (unit == Unit::Count).then_some(value),
                rate: (unit == Unit::Rate).then_some(value),
                file: index,
                line,
            };
            if let Err(reason) = accept(row, &name, file, table, seen, lang) {
                duplicate = Some(reason);
            }
        }
        match duplicate {
            Some(reason) => push_reject(table, &mut report, line, &content, reason),
            None => report.used += 1,
        }
    }
    Some(report)
}

/// A number as spreadsheets and Swedish tables write it: "7 685", "603,5", "603.5";
/// `None` for anything else or a negative number.
fn plain_value(text: &str) -> Option<f64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    compact
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, reason) of every rejected row.
    fn reasons(t: &BraTable) -> Vec<(u64, &str)> {
        t.rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect()
    }

    fn read(bytes: &[u8]) -> BraTable {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bra.csv");
        std::fs::write(&path, bytes).unwrap();
        read_bra(&[Location::Path(path)], Lang::Sv).unwrap()
    }

    #[test]
    fn reads_genitive_names_bom_trailing_spaces_and_missing_values() {
        let t = read(
            "\u{feff}name;numCrimes;crimesRelative\n\
             Västerviks kommun;2813;7685\n\
             Tranås kommun ;1745;9229\n\
             Stockholm;207861;21262\n\
             Heby kommun;..;..\n\
             Atlantis kommun;1;2\n\
             Ale kommun;12x;3\n\
             Västerviks kommun;1;1\n"
                .as_bytes(),
        );
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].area, AreaKey::Kommun("0883".into()));
        assert_eq!(
            (t.rows[0].count, t.rows[0].rate),
            (Some(2813.0), Some(7685.0))
        );
        assert_eq!(t.rows[1].area, AreaKey::Kommun("0687".into()));
        let f = &t.files[0];
        assert_eq!((f.read, f.used, f.without_value, f.rejected), (7, 3, 1, 3));
        assert!(f.reconciles());
        assert!(!f.has_year);
        let reasons = reasons(&t);
        assert_eq!(
            reasons[0],
            (
                6,
                "'Atlantis kommun' är ingen kommun, inget län och inte riket"
            )
        );
        assert_eq!(reasons[1], (7, "numCrimes '12x' är inget tal ≥ 0"));
        assert!(
            reasons[2].1.contains("står redan på rad 2"),
            "{}",
            reasons[2].1
        );
    }

    #[test]
    fn reads_windows_1252_long_tables_with_year_and_category() {
        let text = "kommun;år;brottskategori;per 100 000 inv\r\n\
                    Västervik kommun;2021;3 kap. Brott mot liv och hälsa;603\r\n\
                    Kalmar län;2021;3 kap. Brott mot liv och hälsa;612,5\r\n\
                    Riket;2021;3 kap. Brott mot liv och hälsa;..\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let t = read(&bytes);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].year, Some(2021));
        assert_eq!(
            t.rows[0].category.as_deref(),
            Some("3 kap. Brott mot liv och hälsa")
        );
        assert_eq!(t.rows[1].area, AreaKey::County("08".into()));
        assert_eq!(t.rows[1].rate, Some(612.5));
        assert_eq!(t.files[0].without_value, 1);
        assert!(t.files[0].has_year);
    }

    #[test]
    fn reads_block_tables_as_the_statistics_database_exports_them() {
        let t = read(
            "Anmälda brott;;;Brottsförebyggande rådet\n\
             ;;;\n\
             ;År;;\n\
             ;2020;2021;\n\
             ;Antal;Antal;\n\
             Utan kommun;1;2;\n\
             Västerviks kommun;;;\n\
             3 kap. Brott mot liv och hälsa;210;1 185;\n\
             4 kap. Brott mot frihet och frid;..;..;\n\
             Kalmar län;9 000;9 100;\n\
             3 kap. Brott mot liv och hälsa;1x;3;\n\
             ;;;\n"
                .as_bytes(),
        );
        let f = &t.files[0];
        assert_eq!(
            (f.read, f.used, f.without_value, f.headings, f.rejected),
            (6, 2, 1, 1, 2)
        );
        assert!(f.reconciles());
        type Found<'a> = (AreaKey, Option<i32>, Option<&'a str>, Option<f64>);
        let rows: Vec<Found> = t
            .rows
            .iter()
            .map(|r| (r.area.clone(), r.year, r.category.as_deref(), r.count))
            .collect();
        let liv = Some("3 kap. Brott mot liv och hälsa");
        assert_eq!(
            rows,
            [
                (AreaKey::Kommun("0883".into()), Some(2020), liv, Some(210.0)),
                (
                    AreaKey::Kommun("0883".into()),
                    Some(2021),
                    liv,
                    Some(1185.0)
                ),
                (AreaKey::County("08".into()), Some(2020), None, Some(9000.0)),
                (AreaKey::County("08".into()), Some(2021), None, Some(9100.0)),
            ]
        );
        let reasons = reasons(&t);
        assert_eq!(
            reasons[0],
            (6, "'Utan kommun' är ingen kommun, inget län och inte riket")
        );
        assert_eq!(reasons[1], (11, "2020 '1x' är inget tal ≥ 0"));
    }
}
