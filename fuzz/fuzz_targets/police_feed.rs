//! Fuzz target `police_feed`: see `lagesbild::fuzzing::police_feed`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lagesbild::fuzzing::police_feed(data));
