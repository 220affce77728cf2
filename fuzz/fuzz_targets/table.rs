//! Fuzz target `table`: see `lagesbild::fuzzing::table`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::table(data));
