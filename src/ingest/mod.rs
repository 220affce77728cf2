//! Reading inputs: recognising file dialects, matching columns, typing and validating
//! values, and accounting for every row.
//!
//! Invariant: every record after a file's header is either in the accepted frame or in
//! the rejects frame with its file, line and reason; [`report::Loaded::reconciles`]
//! checks it.

pub mod bra;
pub mod columns;
pub mod dialect;
pub mod dialogues;
pub mod incidents;
pub mod load;
pub mod personal;
pub mod polisen;
pub mod project;
pub mod published;
pub mod report;
pub mod source;
pub mod spreadsheet;
pub mod store;
pub mod survey;
pub mod table;
pub mod validate;
pub mod values;
