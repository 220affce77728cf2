//! Fuzz target `datetime`: see `lagesbild::fuzzing::datetime`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::datetime(data));
