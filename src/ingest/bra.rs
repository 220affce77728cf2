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
use crate::ingest::source::{open_source, IngestError};
use crate::lang::Lang;
use crate::model::sweden::{sweden, Area};

/// Which area a row is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaKey {
    /// A municipality, by kommunkod.
    Kommun(String),
    /// A county, by länskod.
    County(String),
    /// The whole country.
    Country,
}

/// One row with a value.
#[derive(Debug, Clone, PartialEq)]
pub struct BraRow {
    /// The area.
    pub area: AreaKey,
    /// The year, when the table has a year column.
    pub year: Option<i32>,
    /// The crime category, when the table has one.
    pub category: Option<String>,
    /// Reported crimes.
    pub count: Option<f64>,
    /// Reported crimes per 100 000 inhabitants.
    pub rate: Option<f64>,
    /// File index and line, for messages.
    pub file: usize,
    /// Line in the file.
    pub line: u64,
}

/// The accounting of one Brå file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BraFile {
    /// File name as shown to people.
    pub file: String,
    /// Rows read.
    pub read: usize,
    /// Rows with a count or a rate.
    pub used: usize,
    /// Rows whose values are all missing (`..` or empty): Brå's "uppgift saknas".
    pub without_value: usize,
    /// Rows rejected (unknown area, bad number, duplicate).
    pub rejected: usize,
    /// Whether the table has a year column; without one the year is not known.
    pub has_year: bool,
}

impl BraFile {
    /// `read = used + without_value + rejected`.
    pub fn reconciles(&self) -> bool {
        self.read == self.used + self.without_value + self.rejected
    }
}

/// The rows of all Brå files.
#[derive(Debug, Clone, Default)]
pub struct BraTable {
    /// Rows with a value, in file and line order.
    pub rows: Vec<BraRow>,
    /// Rejected rows.
    pub rejects: Vec<Rejected>,
    /// One report per file.
    pub files: Vec<BraFile>,
}

/// What makes a row unique: area, year, category.
type RowKey = (AreaKey, Option<i32>, Option<String>);

/// Reads Brå tables. A file without an area column or without both a count and a rate
/// column is an error naming the columns found.
pub fn read_bra(inputs: &[Location], lang: Lang) -> Result<BraTable, IngestError> {
    let aliases = AliasTables::builtin().bra;
    let mut table = BraTable::default();
    let mut seen: HashMap<RowKey, (String, u64)> = HashMap::new();
    for (index, at) in inputs.iter().enumerate() {
        let src = open_source(at, &aliases, &[&["region"], &["count", "rate"]], lang)?;
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
            rejected: 0,
            has_year: src.mapping.position("year").is_some(),
        };
        for problem in &src.table.problems {
            table.rejects.push(Rejected {
                file: src.file.clone(),
                line: problem.line,
                reason: problem.reason.clone(),
                content: problem.content.clone(),
            });
            report.rejected += 1;
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
            let reject = |reason: String| Rejected {
                file: src.file.clone(),
                line: lines[i],
                reason,
                content: content.clone(),
            };
            let name = region[i].as_deref().unwrap_or("").trim();
            let area = match sweden().area(name) {
                Some(Area::Kommun(k)) => AreaKey::Kommun(k.code.clone()),
                Some(Area::County(code, _)) => AreaKey::County(code.to_owned()),
                Some(Area::Country) => AreaKey::Country,
                None => {
                    table.rejects.push(reject(match lang {
                        Lang::Sv => format!("'{name}' är ingen kommun, inget län och inte riket"),
                        Lang::En => {
                            format!("'{name}' is not a municipality, county or the country")
                        }
                    }));
                    report.rejected += 1;
                    continue;
                }
            };
            let unreadable = [
                ("count", &count_text[i], count.get(i).copied().flatten()),
                ("rate", &rate_text[i], rate.get(i).copied().flatten()),
                ("year", &year_text[i], year.get(i).copied().flatten()),
            ]
            .into_iter()
            .find(|(_, text, value)| text.is_some() && value.is_none_or(|v| v < 0.0));
            if let Some((what, text, _)) = unreadable {
                let header = src.header(what);
                table.rejects.push(reject(match lang {
                    Lang::Sv => format!(
                        "{header} '{}' är inget tal ≥ 0",
                        text.as_deref().unwrap_or("")
                    ),
                    Lang::En => format!(
                        "{header} '{}' is not a number ≥ 0",
                        text.as_deref().unwrap_or("")
                    ),
                }));
                report.rejected += 1;
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
            let key = (row.area.clone(), row.year, row.category.clone());
            if let Some((file, line)) = seen.get(&key) {
                table.rejects.push(reject(match lang {
                    Lang::Sv => format!("'{name}' står redan på rad {line} i {file} med samma år och kategori"),
                    Lang::En => format!("'{name}' already appears on line {line} of {file} with the same year and category"),
                }));
                report.rejected += 1;
                continue;
            }
            seen.insert(key, (src.file.clone(), row.line));
            table.rows.push(row);
            report.used += 1;
        }
        table.files.push(report);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let reasons: Vec<(u64, &str)> = t
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
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
}
