//! Reading a written report folder back: its manifest and every figure the manifest
//! names, from each file the figure stands in – the CSV tables, the tables of
//! `index.html`, the workbook's sheets and the GeoJSON layer – for `lagesbild audit`.

use std::path::Path;

use crate::model::publication::{Location, Manifest, Reading, MANIFEST};

/// A report folder as read back.
pub struct ReadBack {
    /// The structure of the report.
    pub manifest: Manifest,
    /// Every cell of every table and every place property, from every file.
    pub readings: Vec<Reading>,
    /// The files read.
    pub files: Vec<String>,
}

/// Why a report folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadBackError {
    /// A file is missing or unreadable.
    #[error("{file}: {message}")]
    File {
        /// The file.
        file: String,
        /// What went wrong, in both languages.
        message: crate::model::said::Said,
    },
}

impl ReadBackError {
    /// The message in `lang`.
    pub fn in_lang(&self, lang: crate::lang::Lang) -> String {
        match self {
            ReadBackError::File { file, message } => format!("{file}: {}", message.in_lang(lang)),
        }
    }
}

/// An error reading `path`: a library's or the system's message, in English.
fn file_error(path: &Path, message: impl std::fmt::Display) -> ReadBackError {
    let text = message.to_string();
    said_error(path, crate::model::said::Said::new(text.clone(), text))
}

/// An error reading `path`, said in both languages.
fn said_error(path: &Path, message: crate::model::said::Said) -> ReadBackError {
    ReadBackError::File {
        file: path.display().to_string(),
        message,
    }
}

/// Reads the report folder `dir`.
pub fn read_report(dir: &Path) -> Result<ReadBack, ReadBackError> {
    let manifest_path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        said_error(
            &manifest_path,
            crate::model::said::Said::new(
                format!("{e} – är mappen en rapport skriven av lagesbild report?"),
                format!("{e} – is the folder a report written by lagesbild report?"),
            ),
        )
    })?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| file_error(&manifest_path, e))?;
    let mut readings = Vec::new();
    let mut files = Vec::new();
    let tables = dir.join("tables");
    if let Ok(entries) = std::fs::read_dir(&tables) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        {
            readings.extend(read_csv_table(path)?);
            files.push(path.display().to_string());
        }
    }
    let page = dir.join("index.html");
    if page.exists() {
        readings.extend(read_html_tables(&page)?);
        files.push(page.display().to_string());
    }
    let book = dir.join("lagesbild.xlsx");
    if book.exists() {
        readings.extend(read_workbook(&book, &manifest)?);
        files.push(book.display().to_string());
    }
    let places = dir.join("places.geojson");
    if places.exists() {
        readings.extend(read_places(&places)?);
        files.push(places.display().to_string());
    }
    Ok(ReadBack {
        manifest,
        readings,
        files,
    })
}

/// One body cell of a table as read from `path`.
fn table_cell(path: &Path, table: &str, row: usize, column: usize, text: String) -> Reading {
    Reading {
        file: path.display().to_string(),
        at: Location::Table {
            table: table.to_owned(),
            row,
            column,
        },
        text,
    }
}

/// Body cells of one CSV table (`;`, UTF-8 with BOM); its name is the file stem.
fn read_csv_table(path: &Path) -> Result<Vec<Reading>, ReadBackError> {
    let bytes = std::fs::read(path).map_err(|e| file_error(path, e))?;
    let text = String::from_utf8_lossy(
        bytes
            .strip_prefix(crate::ingest::dialect::BOM)
            .unwrap_or(&bytes),
    );
    let table = path
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| file_error(path, e))?;
        for (column, cell) in record.iter().enumerate() {
            out.push(table_cell(path, &table, row, column, cell.to_owned()));
        }
    }
    Ok(out)
}

/// Body cells of every `<table data-table="…">` of the page.
fn read_html_tables(path: &Path) -> Result<Vec<Reading>, ReadBackError> {
    let html = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    let table_re = regex::Regex::new(r#"(?s)<table data-table="([^"]*)">(.*?)</table>"#)
        .expect("valid pattern");
    let body_re = regex::Regex::new(r"(?s)<tbody>(.*?)</tbody>").expect("valid pattern");
    let row_re = regex::Regex::new(r"(?s)<tr>(.*?)</tr>").expect("valid pattern");
    let cell_re = regex::Regex::new(r"(?s)<td[^>]*>(.*?)</td>").expect("valid pattern");
    let mut out = Vec::new();
    for t in table_re.captures_iter(&html) {
        let table = unescape(&t[1]);
        let Some(body) = body_re.captures(&t[2]) else {
            continue;
        };
        for (row, r) in row_re.captures_iter(&body[1]).enumerate() {
            for (column, c) in cell_re.captures_iter(&r[1]).enumerate() {
                out.push(table_cell(path, &table, row, column, unescape(&c[1])));
            }
        }
    }
    Ok(out)
}

/// Text with HTML character references decoded: the five named ones the page uses
/// and numeric ones (`&#60;`, `&#x3C;`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail.find(';').and_then(|end| {
            let entity = &tail[1..end];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Body cells of every sheet the manifest names (a sheet name is at most 31
/// characters, so the manifest says which table each sheet holds); row 1 is the
/// title, row 2 the headers.
fn read_workbook(path: &Path, manifest: &Manifest) -> Result<Vec<Reading>, ReadBackError> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut book = open_workbook_auto(path).map_err(|e| file_error(path, e))?;
    let mut out = Vec::new();
    for (table, sheet) in &manifest.sheets {
        let range = book.worksheet_range(sheet).map_err(|e| {
            said_error(
                path,
                crate::model::said::Said::new(
                    format!("blad {sheet}: {e}"),
                    format!("sheet {sheet}: {e}"),
                ),
            )
        })?;
        for (row, cells) in range.rows().skip(2).enumerate() {
            for (column, cell) in cells.iter().enumerate() {
                let text = match cell {
                    Data::Float(x) if x.fract() == 0.0 => format!("{x:.0}"),
                    Data::Float(x) => x.to_string(),
                    Data::Int(n) => n.to_string(),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                };
                out.push(table_cell(path, table, row, column, text));
            }
        }
    }
    Ok(out)
}

/// Properties of every place in the GeoJSON layer.
fn read_places(path: &Path) -> Result<Vec<Reading>, ReadBackError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    let collection: geojson::FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| file_error(path, e))?;
    let mut out = Vec::new();
    for feature in collection.features {
        let Some(props) = feature.properties else {
            continue;
        };
        let name = props
            .get("namn")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned();
        for (property, value) in &props {
            let text = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push(Reading {
                file: path.display().to_string(),
                at: Location::Place {
                    place: name.clone(),
                    property: property.clone(),
                },
                text,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            super::unescape("&#60;3 &amp; &lt;3 &#x27;a&#39; &bogus; & x"),
            "<3 & <3 'a' &bogus; & x"
        );
    }
}
