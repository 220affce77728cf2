//! Reading inputs: recognising file dialects, matching columns, typing and validating
//! values, and accounting for every row.

pub mod columns;
pub mod dialect;
pub mod table;
pub mod values;
