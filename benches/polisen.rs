//! Importing the national archive of the police's events feed (85 011 events,
//! ../shared/data/polisen-events/events_all.jsonl, 30 MB of JSON lines): reading and
//! checking every event, de-duplicating, resolving municipalities, mapping event
//! types, extracting places and classifying — for the whole country and for Västervik.
//! `cargo bench --bench polisen`. The target is under 2 seconds in release mode.
//! `benches/duckdb_compare.py --polisen` runs DuckDB's `read_json` on the same file.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use lagesbild::analysis::events::{import_events, ImportOptions};
use lagesbild::embedded::Location;
use lagesbild::ingest::polisen::read_events;
use lagesbild::lang::Lang;
use lagesbild::model::config::Config;
use lagesbild::model::sweden::sweden;

fn main() {
    if archive().is_none() {
        eprintln!("SKIPPED: ../shared/data/polisen-events/events_all.jsonl saknas; inget att mäta");
        return;
    }
    divan::main();
}

fn archive() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/polisen-events/events_all.jsonl");
    path.exists().then_some(path)
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::embedded_default().unwrap())
}

fn import(kommun: Option<&str>) -> usize {
    let config = config();
    let inputs = [Location::Path(archive().unwrap())];
    let read = read_events(&inputs, Lang::Sv).unwrap();
    let home = sweden().by_code(&config.municipality.code);
    let options = ImportOptions {
        kommun: kommun.and_then(|k| sweden().kommun(k)),
        gazetteer: home.map(|h| (&config.places, h)),
        types: &config.event_types,
        areas: &config.areas,
    };
    let imported = import_events(&read, &options).unwrap();
    assert!(read.reconciles() && imported.reconciles());
    imported.frame.height()
}

/// The whole country: every municipality's events written.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn national(bencher: Bencher) {
    bencher
        .counter(ItemsCount::new(85_011usize))
        .bench(|| import(None));
}

/// One municipality (`--kommun Västervik`): the same reading, fewer events written.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn vastervik(bencher: Bencher) {
    bencher
        .counter(ItemsCount::new(85_011usize))
        .bench(|| import(Some("Västervik")));
}
