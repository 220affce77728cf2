//! Fuzz target `config`: see `lagesbild::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::config(data));
