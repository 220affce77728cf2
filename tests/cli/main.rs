//! Integration tests: they run the real `lagesbild` binary on files written here, and
//! the library on generated input. One test binary, because every binary links polars.

mod aggregate;
mod bra;
mod check;
mod concentration;
mod disclosure;
mod fuzz;
mod harm;
mod hostile;
mod init;
mod layers;
mod polisen;
mod promises;
mod properties;
mod reference;
mod report;
mod safety;
mod series;
mod shared;
mod store;
mod survey;
mod util;
