//! lagesbild: the local crime-and-safety situation picture (lägesbild) of a Swedish
//! municipality and its local police area.
//!
//! Data flows one way: [`ingest`] reads and validates inputs, [`model`] holds the
//! municipality, its places and priority areas, and later stages analyse and render.
//! The library never prints; the `lagesbild` binary is a thin command-line layer.

#[macro_export]
#[doc(hidden)]
macro_rules! lap {
    ($n:expr, $t:expr) => {
        if std::env::var_os("LT").is_some() {
            eprintln!(
                "{}: {:.3} s, {} MB",
                $n,
                $t.elapsed().as_secs_f64(),
                std::fs::read_to_string("/proc/self/statm")
                    .ok()
                    .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .unwrap_or(0)
                    * 4096
                    / 1_000_000
            );
        }
    };
} // LAP
pub mod analysis;
pub mod app;
pub mod cli;
pub mod coords;
pub mod embedded;
pub mod files;
pub mod fuzzing;
pub mod generate;
pub mod ingest;
pub mod lang;
pub mod model;
pub mod random;
pub mod render;
pub mod report;
pub mod text;
