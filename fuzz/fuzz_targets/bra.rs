//! Fuzz target `bra`: see `lagesbild::fuzzing::bra`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::bra(data));
