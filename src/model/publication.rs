//! What a published report's figures are: the key of every count (area × place ×
//! period) and where each figure stands in the written files. The report writes this
//! as `rojandekontroll.json` beside its tables, without any values, so that `lagesbild
//! audit` can read the files back and check them independently of the code that hid
//! the small counts.

use serde::{Deserialize, Serialize};

/// The period a published count covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// A calendar year.
    Year(i32),
    /// A calendar month (year, month 1–12).
    Month(i32, u32),
    /// January to a month of a year (year, last month 1–12): the same months of each
    /// year, so that a year not yet over is compared with like.
    YearTo(i32, u32),
    /// A calendar quarter (year, quarter 1–4).
    Quarter(i32, u32),
    /// Every period of the data together.
    Total,
}

impl Span {
    /// From an aggregate's period label ("2025" or "2025-03").
    pub fn parse(label: &str) -> Option<Span> {
        match label.split_once('-') {
            Some((y, q)) if q.starts_with('Q') => {
                Some(Span::Quarter(y.parse().ok()?, q[1..].parse().ok()?))
            }
            Some((y, m)) => Some(Span::Month(y.parse().ok()?, m.parse().ok()?)),
            None => Some(Span::Year(label.parse().ok()?)),
        }
    }

    /// The calendar year, unless the span is every period.
    pub fn year(self) -> Option<i32> {
        match self {
            Span::Year(y) | Span::Month(y, _) | Span::YearTo(y, _) | Span::Quarter(y, _) => Some(y),
            Span::Total => None,
        }
    }

    /// Whether an incident in `year`/`month` falls in it.
    pub fn holds(self, year: i32, month: u32) -> bool {
        match self {
            Span::Year(y) => y == year,
            Span::Month(y, m) => y == year && m == month,
            Span::YearTo(y, last) => y == year && month <= last,
            Span::Quarter(y, q) => y == year && month.div_ceil(3) == q,
            Span::Total => true,
        }
    }
}

/// What a published count counts: incidents of a priority area (by slug, or
/// [`ANY_AREA`]), of one offence type when `offence` is given, at a place (or in the
/// whole municipality), in a period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellKey {
    /// Priority-area slug (or "ovrigt", or [`ANY_AREA`]).
    pub area: String,
    /// Place, or `None` for the whole municipality.
    pub place: Option<String>,
    /// Period.
    pub span: Span,
    /// Offence type as written in the data, or `None` for every offence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offence: Option<String>,
}

/// The area of a count that takes every incident whatever its priority areas (used
/// with an offence: "fires at Karstorp").
pub const ANY_AREA: &str = "*";

impl CellKey {
    /// The count of `area` in the whole municipality.
    pub fn municipality(area: &str, span: Span) -> CellKey {
        CellKey {
            area: area.to_owned(),
            place: None,
            span,
            offence: None,
        }
    }

    /// The count of `area` at `place`.
    pub fn at(area: &str, place: &str, span: Span) -> CellKey {
        CellKey {
            area: area.to_owned(),
            place: Some(place.to_owned()),
            span,
            offence: None,
        }
    }

    /// The count of one offence type within `area` ([`ANY_AREA`] for all), at `place`
    /// or in the whole municipality.
    pub fn offence(area: &str, place: Option<&str>, offence: &str, span: Span) -> CellKey {
        CellKey {
            area: area.to_owned(),
            place: place.map(str::to_owned),
            span,
            offence: Some(offence.to_owned()),
        }
    }

    /// Whether incidents of the areas `areas` and offence `offence` are counted here
    /// (at its place and in its period).
    pub fn counts_kind(&self, areas: &[String], offence: Option<&str>) -> bool {
        (self.area == ANY_AREA || areas.contains(&self.area))
            && self.offence.as_deref().is_none_or(|o| Some(o) == offence)
    }

    /// Whether an incident of the areas `areas`, offence `offence`, at `place`, in
    /// `year`/`month` is counted here.
    pub fn counts(
        &self,
        areas: &[String],
        offence: Option<&str>,
        place: &str,
        year: i32,
        month: u32,
    ) -> bool {
        self.counts_kind(areas, offence)
            && self.place.as_deref().is_none_or(|p| p == place)
            && self.span.holds(year, month)
    }
}

/// Where a figure stands in the written report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A table cell: the table's name (CSV file, sheet, `data-table` in the page), its
    /// body row and column, both from 0.
    Table {
        /// Table name.
        table: String,
        /// Body row (after the header).
        row: usize,
        /// Column.
        column: usize,
    },
    /// A property of a place in `places.geojson`.
    Place {
        /// The place (`namn`).
        place: String,
        /// The property.
        property: String,
    },
}

/// What a figure is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// A count.
    Count(CellKey),
    /// A value computed from these counts (a rate, a change, an assessment).
    Derived(Vec<CellKey>),
}

impl CellKey {
    /// The key with personal data masked in its place and offence names
    /// ([`crate::text::masked`]), as they are in the published report.
    pub fn masked(self) -> CellKey {
        CellKey {
            place: self.place.map(crate::text::masked),
            offence: self.offence.map(crate::text::masked),
            ..self
        }
    }
}

/// A figure and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    /// Where.
    pub at: Location,
    /// What.
    pub figure: Figure,
}

impl Located {
    /// The figure with personal data masked in every name it holds, as the names are in
    /// the published report.
    pub fn masked(self) -> Located {
        Located {
            at: match self.at {
                Location::Table { table, row, column } => Location::Table {
                    table: crate::text::masked(table),
                    row,
                    column,
                },
                Location::Place { place, property } => Location::Place {
                    place: crate::text::masked(place),
                    property,
                },
            },
            figure: match self.figure {
                Figure::Count(key) => Figure::Count(key.masked()),
                Figure::Derived(keys) => {
                    Figure::Derived(keys.into_iter().map(CellKey::masked).collect())
                }
            },
        }
    }
}

/// The structure of a written report: enough to rebuild every published equation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Counts from 1 to threshold − 1 are hidden.
    pub threshold: i64,
    /// The sets of priority areas incidents belong to (an incident of a set counts in
    /// each of its areas).
    pub area_sets: Vec<Vec<String>>,
    /// The kinds of incidents the finest counts are made of: a set of areas (index
    /// into `area_sets`) and an offence type that some published count names, or
    /// `None` for every other offence. Empty in a report that publishes no count by
    /// offence: then every set of areas is one kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<(usize, Option<String>)>,
    /// The places incidents are placed at ("okänd plats" included).
    pub places: Vec<String>,
    /// The workbook's sheet for each table (sheet names are at most 31 characters).
    pub sheets: std::collections::BTreeMap<String, String>,
    /// Every published count and value computed from counts, with where it stands.
    pub figures: Vec<Located>,
    /// Counts never published that must not be worked out from what is (a sensitive
    /// area at each place).
    #[serde(default)]
    pub secrets: Vec<CellKey>,
}

/// One figure as read back from one file of a written report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The file it was read from.
    pub file: String,
    /// Where in the report it stands.
    pub at: Location,
    /// The text of the cell ("" when empty).
    pub text: String,
}

/// The manifest's file name in a report folder.
pub const MANIFEST: &str = "rojandekontroll.json";
