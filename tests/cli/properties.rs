//! Property tests: for any CSV content, every row is accounted for and nothing panics.

use lagesbild::embedded::Location;
use lagesbild::ingest::columns::AliasTables;
use lagesbild::ingest::incidents::load_incidents;
use lagesbild::lang::Lang;
use proptest::prelude::*;

use crate::util::Workdir;

/// Header cells: real column names, aliases and junk.
fn header_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id".to_owned()),
        Just("datum".to_owned()),
        Just("brottstyp".to_owned()),
        Just("brottskod".to_owned()),
        Just("plats".to_owned()),
        Just("antal".to_owned()),
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("lat".to_owned()),
        Just("nära_relation".to_owned()),
        Just("tid_till".to_owned()),
        "[a-zåäö ]{0,6}",
    ]
}

/// Cells: plausible values, near misses and hostile text (quotes, separators, newlines).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("..".to_owned()),
        Just("2026-08-22 9:36:54 +02:00".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("6403188,96".to_owned()),
        Just("Överum".to_owned()),
        Just("ja".to_owned()),
        Just("\"".to_owned()),
        Just("\"a;b\nc\"".to_owned()),
        "[0-9]{1,5}",
        "[ -~åäöÅÄÖ\\t\\r\\n;,\"]{0,12}",
        any::<String>(),
    ]
}

fn csv_text() -> impl Strategy<Value = (String, u8)> {
    let sep = prop_oneof![Just(b';'), Just(b','), Just(b'\t')];
    (
        prop::collection::vec(header_cell(), 1..7),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
        sep,
    )
        .prop_map(|(header, rows, sep)| {
            let s = (sep as char).to_string();
            let mut text = header.join(&s);
            for row in rows {
                text.push('\n');
                text.push_str(&row.join(&s));
            }
            (text, sep)
        })
}

/// Records after the header as an independent reader sees them (blank lines are no
/// records), or None where the header itself is missing.
fn records_after_header(text: &str, sep: u8) -> Option<usize> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let n = reader.byte_records().count();
    n.checked_sub(1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_row_is_accepted_or_rejected((text, sep) in csv_text(), bytes in prop::collection::vec(any::<u8>(), 0..64), raw in any::<bool>()) {
        let wd = Workdir::new();
        let content: Vec<u8> = if raw { bytes } else { text.clone().into_bytes() };
        let path = wd.write("p.csv", &content);
        match load_incidents(&[Location::Path(path)], &AliasTables::builtin().incidents, Lang::Sv) {
            Ok(loaded) => {
                prop_assert!(loaded.reconciles());
                prop_assert_eq!(loaded.rows_read(), loaded.frame.height() + loaded.rejects.height());
                if !raw && lagesbild::ingest::dialect::sniff_separator(&text) == sep {
                    prop_assert_eq!(Some(loaded.rows_read()), records_after_header(&text, sep));
                }
            }
            // A file may be unusable as a whole (no header, missing columns); that is an
            // error, never a panic.
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_binary_never_panics((text, _sep) in csv_text()) {
        let wd = Workdir::new();
        wd.write("p.csv", &text);
        let run = wd.run(&["check", "--format", "json", "p.csv"]);
        prop_assert!(run.code() == 0 || run.code() == 2, "exit {}: {}", run.code(), run.stderr());
        prop_assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
        if run.code() == 0 {
            let s: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
            let (read, acc, rej) = (s["rows_read"].as_u64().unwrap(), s["accepted"].as_u64().unwrap(), s["rejected"].as_u64().unwrap());
            prop_assert_eq!(read, acc + rej);
        }
    }
}
