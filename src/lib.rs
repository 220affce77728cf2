//! lagesbild: the local crime-and-safety situation picture (lägesbild) of a Swedish
//! municipality and its local police area.
//!
//! Data flows one way: [`ingest`] reads and validates inputs, [`model`] holds the
//! municipality, its places and priority areas, and later stages analyse and render.
//! The library never prints; the `lagesbild` binary is a thin command-line layer.

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
pub mod memory;
pub mod model;
pub mod random;
pub mod render;
pub mod report;
pub mod text;
