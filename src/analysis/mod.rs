//! Analysis: classification into priority areas, place resolution, aggregation per
//! priority area × place × period, and tests of change. Analysis never prints.

pub mod classify;
pub mod place;
pub mod stats;
