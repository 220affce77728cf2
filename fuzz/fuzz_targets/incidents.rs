//! Fuzz target `incidents`: see `lagesbild::fuzzing::incidents`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::incidents(data));
