//! lagesbild: the local crime-and-safety situation picture of a Swedish municipality.
pub mod ingest;
pub mod lang;
pub mod text;
