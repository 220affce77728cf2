//! Jobs a user runs, as library functions: writing a report folder and auditing one.
//! `cli` parses arguments, calls these and prints; nothing here knows of the terminal.

pub mod audit;
pub mod import;
pub mod init;
pub mod project;
pub mod promises;
pub mod report;
pub mod store;
