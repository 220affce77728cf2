//! Fuzz targets: every reader of untrusted input, given arbitrary bytes, must return a
//! value or an error – never panic, hang or allocate without bound – and every row it
//! reads must be accounted for. The same functions are driven two ways: by cargo-fuzz
//! (`fuzz/`, coverage-guided, needs a nightly toolchain) and by the test suite
//! (`tests/cli/fuzz.rs`: the kept corpus plus random input, on stable, in CI).
//!
//! Each target panics only when an invariant is broken; that is what a fuzzer reports.

use crate::embedded::Location;
use crate::ingest::columns::AliasTables;
use crate::lang::Lang;

/// The names of the targets, as used for `fuzz/fuzz_targets/NAME.rs` and the corpus
/// folders `fuzz/corpus/NAME/`.
pub const TARGETS: [&str; 7] = [
    "table",
    "incidents",
    "datetime",
    "police_feed",
    "bra",
    "spreadsheet",
    "config",
];

/// Runs the target called `name` on `data`.
///
/// # Panics
/// When `name` is no target, or when the target finds a broken invariant.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "table" => table(data),
        "incidents" => incidents(data),
        "datetime" => datetime(data),
        "police_feed" => police_feed(data),
        "bra" => bra(data),
        "spreadsheet" => spreadsheet(data),
        "config" => config(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// The dialect sniffer and the record reader: every record after the header is a row
/// or a problem, and masking personal data keeps the shape.
pub fn table(data: &[u8]) {
    let (text, _) = crate::ingest::dialect::decode(data);
    let separator = crate::ingest::dialect::sniff_separator(&text);
    let Ok(Some(mut table)) = crate::ingest::table::read_table(&text, separator, Lang::Sv) else {
        return;
    };
    let rows = table.frame.height();
    assert_eq!(
        table.rows_read,
        rows + table.problems.len(),
        "every record is a row or a problem"
    );
    crate::ingest::personal::mask_table(&mut table, &[]).expect("masking a text table");
    assert_eq!(table.frame.height(), rows, "masking keeps every row");
}

/// A whole incident file through the loader: `read = accepted + rejected`, and the
/// rejects frame holds exactly the rejected rows.
pub fn incidents(data: &[u8]) {
    with_file("handelser.csv", data, |at| {
        let aliases = AliasTables::builtin().incidents;
        if let Ok(loaded) = crate::ingest::incidents::load_incidents(&[at], &aliases, Lang::Sv) {
            assert!(loaded.reconciles(), "incident accounting reconciles");
        }
    });
}

/// The date-time parsers: the vectorised one used for incidents and the police feed's.
pub fn datetime(data: &[u8]) {
    use polars::prelude::*;
    let text = String::from_utf8_lossy(data);
    let _ = crate::ingest::polisen::parse_published(&text);
    let Ok(frame) = df!("t" => [text.as_ref()]) else {
        return;
    };
    let Ok(parsed) = crate::ingest::values::datetime(col("t")) else {
        return;
    };
    let _ = frame.lazy().select([parsed.value.alias("v")]).collect();
}

/// The police feed reader (JSON array, JSON lines or CSV): every event read is kept,
/// replaced by a later version, or rejected.
pub fn police_feed(data: &[u8]) {
    let name = if data.first() == Some(&b'[') || data.first() == Some(&b'{') {
        "handelser.json"
    } else {
        "handelser.csv"
    };
    with_file(name, data, |at| {
        if let Ok(read) = crate::ingest::polisen::read_events(&[at], Lang::Sv) {
            for file in &read.files {
                assert!(file.reconciles(), "event accounting reconciles: {file:?}");
            }
        }
    });
}

/// Brå tables (long or block layout): every row is used, empty, a heading or rejected.
pub fn bra(data: &[u8]) {
    with_file("bra.csv", data, |at| {
        if let Ok(table) = crate::ingest::bra::read_bra(&[at], Lang::Sv) {
            for file in &table.files {
                assert!(file.reconciles(), "Brå accounting reconciles");
            }
        }
    });
}

/// The spreadsheet reader on any bytes (mostly not a zip at all, some damaged ones):
/// an error or text, within bounds.
pub fn spreadsheet(data: &[u8]) {
    let _ = crate::ingest::spreadsheet::first_sheet_as_text(data);
}

/// The configuration loaders: the project file (with the embedded reference files
/// beside it) and each reference file's parser on the same text.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let origin = Location::embedded("vastervik/lagesbild.toml").expect("embedded config");
    let read = |at: &Location| -> Result<String, crate::model::said::Said> {
        if *at == origin {
            return Ok(text.clone());
        }
        at.read()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| crate::model::said::Said::new(e.to_string(), e.to_string()))
    };
    let _ = crate::model::config::Config::load(origin.clone(), &read);
    let _ = crate::model::places::Gazetteer::parse(&text);
    let _ = crate::model::priority::PriorityAreas::parse(&text);
    let _ = crate::model::survey::SurveyDefinition::parse(&text);
    let _ = crate::model::event_types::EventTypes::parse(&text);
}

/// Runs `check` on `data` written to a fresh temporary file called `name` (the readers
/// take files: the name decides CSV, JSON or spreadsheet).
fn with_file(name: &str, data: &[u8], check: impl FnOnce(Location)) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, data).expect("write fuzz input");
    check(Location::Path(path));
}
