//! The fuzz targets of `lagesbild::fuzzing` on the stable toolchain: files of the kept
//! corpus (`fuzz/corpus/TARGET/`, minimised by cargo-fuzz), then random input – bytes,
//! and seeds from the corpus with random edits. `LAGESBILD_FUZZ_CASES` sets the number
//! of random cases per target and of corpus files replayed (default 48, spread evenly
//! over the corpus, so that CI stays brief; a long run e.g. 200 000 replays it all).

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn cases() -> u32 {
    std::env::var("LAGESBILD_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

/// A corpus seed with up to eight random edits: a byte set, a byte inserted, a span
/// removed or a span repeated.
fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((0u8..4, any::<usize>(), any::<u8>(), 0usize..64), 0..8);
    (0..seeds.len(), edits).prop_map(move |(pick, edits)| {
        let mut bytes = seeds[pick].clone();
        for (kind, at, byte, len) in edits {
            let at = if bytes.is_empty() {
                0
            } else {
                at % bytes.len()
            };
            match kind {
                0 if !bytes.is_empty() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                2 => {
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => {
                    let end = (at + len).min(bytes.len());
                    let span = bytes[at..end].to_vec();
                    bytes.splice(at..at, span);
                }
            }
        }
        bytes
    })
}

fn fuzz(target: &str) {
    let seeds = corpus(target);
    assert!(!seeds.is_empty(), "fuzz/corpus/{target} holds seeds");
    // Every k-th file, the seeds written by hand (named seed-…) always among them.
    let step = (seeds.len() / cases().max(1) as usize).max(1);
    let replayed = seeds.iter().enumerate().filter(|(i, (path, _))| {
        i % step == 0
            || path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
    });
    for (_, (path, bytes)) in replayed {
        let result = std::panic::catch_unwind(|| lagesbild::fuzzing::run(target, bytes));
        assert!(result.is_ok(), "{target} failed on {}", path.display());
    }
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        mutated(seeds.into_iter().map(|(_, b)| b).collect()),
    ];
    runner
        .run(&strategy, |bytes| {
            lagesbild::fuzzing::run(target, &bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{target}: {e}"));
}

#[test]
fn every_fuzz_target_has_a_corpus_and_a_cargo_fuzz_binary() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for target in lagesbild::fuzzing::TARGETS {
        assert!(
            root.join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "{target}"
        );
        assert!(root.join("corpus").join(target).is_dir(), "{target}");
    }
}

#[test]
fn fuzz_table() {
    fuzz("table");
}

#[test]
fn fuzz_incidents() {
    fuzz("incidents");
}

#[test]
fn fuzz_datetime() {
    fuzz("datetime");
}

#[test]
fn fuzz_police_feed() {
    fuzz("police_feed");
}

#[test]
fn fuzz_bra() {
    fuzz("bra");
}

#[test]
fn fuzz_spreadsheet() {
    fuzz("spreadsheet");
}

#[test]
fn fuzz_config() {
    fuzz("config");
}
