//! Rows of Brå's tables of reported crimes per municipality as read, with the
//! accounting per file. `ingest::bra` fills them; analysis compares them.

use crate::model::feed::Rejected;

/// Which area a row is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaKey {
    /// A municipality, by kommunkod.
    Kommun(String),
    /// A county, by länskod.
    County(String),
    /// The whole country.
    Country,
}

/// One row with a value.
#[derive(Debug, Clone, PartialEq)]
pub struct BraRow {
    /// The area.
    pub area: AreaKey,
    /// The year, when the table has a year column.
    pub year: Option<i32>,
    /// The crime category, when the table has one.
    pub category: Option<String>,
    /// Reported crimes.
    pub count: Option<f64>,
    /// Reported crimes per 100 000 inhabitants.
    pub rate: Option<f64>,
    /// File index and line, for messages.
    pub file: usize,
    /// Line in the file.
    pub line: u64,
}

/// The accounting of one Brå file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BraFile {
    /// File name as shown to people.
    pub file: String,
    /// Rows read.
    pub read: usize,
    /// Rows with a count or a rate.
    pub used: usize,
    /// Rows whose values are all missing (`..` or empty): Brå's "uppgift saknas".
    pub without_value: usize,
    /// Rows that only name the area of the rows below them (block tables).
    pub headings: usize,
    /// Rows rejected (unknown area, bad number, duplicate).
    pub rejected: usize,
    /// Whether the table has a year column; without one the year is not known.
    pub has_year: bool,
}

impl BraFile {
    /// `read = used + without_value + headings + rejected`.
    pub fn reconciles(&self) -> bool {
        self.read == self.used + self.without_value + self.headings + self.rejected
    }
}

/// The rows of all Brå files.
#[derive(Debug, Clone, Default)]
pub struct BraTable {
    /// Rows with a value, in file and line order.
    pub rows: Vec<BraRow>,
    /// Rejected rows.
    pub rejects: Vec<Rejected>,
    /// One report per file.
    pub files: Vec<BraFile>,
}
