//! Fuzz target `spreadsheet`: see `lagesbild::fuzzing::spreadsheet`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::spreadsheet(data));
