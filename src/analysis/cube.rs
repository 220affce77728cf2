//! The month cube: the incidents counted once per set of priority areas × offence
//! type × place × month, with their harm. A table that counts by area, offence type
//! or place over whole months (every table of a report) is a sum over the cube's
//! cells, so a report groups its incidents once instead of once per table: for
//! Stockholm over seventeen years, 1,5 M incidents (about 3 M rows of the long frame)
//! make about 6 500 cells.
//!
//! The cube is counted like the incidents it is made of: [`crate::analysis::aggregate`]
//! reads its sums where a frame of incidents has one value per incident (a property
//! test holds the two to the same tables). Harm is summed in two steps, per cell and
//! then per table: exact, and so the same to the last digit, for weights in whole or
//! half days (the embedded table's); a project's own fractional weights may differ
//! from the incident-by-incident sum in the last binary digits.

use polars::prelude::*;

use super::aggregate::{HARM_UNWEIGHTED, MISSING};
use super::classify::{by_area, claimed_by_a_specific_area, code_column, code_of, CODED, OTHER};
use super::harm::HARM;
use super::period::{month_index_of, MONTH_INDEX};
use crate::model::priority::PriorityAreas;

/// Column of a cell: the time of its earliest incident (`occurred_at` holds the
/// latest), so that the first and last day counted are those of the incidents.
pub const FIRST_AT: &str = "_first_at";

/// Column of a cell: the row of its first incident among the incidents, so that the
/// cells keep the order in which the incidents first met their values.
const FIRST_ROW: &str = "_first_row";

/// The cube's cells two ways: once per cell, and once per cell and area of its set.
#[derive(Debug)]
pub struct Cube {
    /// One row per cell: counted as the incidents are (by offence type and place).
    pub cells: DataFrame,
    /// One row per cell and priority area of its set, `ovrigt` for a cell no
    /// specific area claims: counted as the long frame is (by area), with the same
    /// numbers for area, offence and place ([`code_column`]).
    pub by_area: DataFrame,
}

impl Cube {
    /// The finest counts every published count of a report is a sum of (the atoms of
    /// disclosure control): incidents per set of priority areas (slugs joined by "|",
    /// in the rules' order, `ovrigt` last for an incident no specific rule claims) ×
    /// offence type (as written, [`MISSING`] when not given) × place × year × month. An
    /// incident belongs to every area of its set, so the count of one area is the sum
    /// over the sets that hold it. They are the cube's cells, named: a cell's place is
    /// one text, since every incident is placed (`okänd plats` when nothing places it).
    pub fn atoms(&self, areas: &PriorityAreas) -> PolarsResult<DataFrame> {
        let text_if = |flag: Expr, slug: &str| {
            when(flag)
                .then(lit(slug))
                .otherwise(lit(NULL).cast(DataType::String))
        };
        let mut parts: Vec<Expr> = areas
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| text_if(col(format!("_area{i}")), &a.slug))
            .collect();
        parts.push(text_if(col("_other"), OTHER));
        self.cells
            .clone()
            .lazy()
            .select([
                concat_str(parts, "|", true).alias("areas"),
                col("offence").fill_null(lit(MISSING)),
                col("place"),
                // Years are positive, so integer division is the floor.
                (col(MONTH_INDEX) / lit(12i32)).alias("year"),
                (col(MONTH_INDEX) % lit(12i32) + lit(1i32)).alias("month"),
                col("count"),
            ])
            .sort(
                ["areas", "offence", "place", "year", "month"],
                SortMultipleOptions::default(),
            )
            .collect()
    }
}

/// The cube of `flagged` (the output of `classify::flag_areas` on placed incidents
/// with their harm). An incident without a time is a cell of its own kind (no month):
/// counting leaves it out, as it leaves out the incident, but it still names the
/// offence types an area holds.
pub fn cube(flagged: &DataFrame, areas: &PriorityAreas) -> PolarsResult<Cube> {
    let flags: Vec<String> = (0..areas.areas.len())
        .map(|i| format!("_area{i}"))
        .collect();
    let flag_columns = || flags.iter().map(|f| col(f.as_str()));
    let coded = CODED.map(code_column);
    let columns: Vec<Expr> = flag_columns()
        .chain([claimed_by_a_specific_area(areas).not().alias("_other")])
        .chain(CODED.map(|c| code_of(flagged, c)))
        .chain([
            month_index_of(flagged)?.alias(MONTH_INDEX),
            col("offence"),
            col("place"),
            col("count"),
            col(HARM),
            when(col(HARM).is_null())
                .then(col("count"))
                .otherwise(lit(0i64))
                .alias(HARM_UNWEIGHTED),
            col("occurred_at"),
            col(FIRST_ROW),
        ])
        .collect();
    let keys: Vec<Expr> = flag_columns()
        .chain(["_other", &coded[0], &coded[1], MONTH_INDEX].map(col))
        .collect();
    let cells = flagged
        .clone()
        .lazy()
        .with_row_index(FIRST_ROW, None)
        .select(columns)
        .group_by(keys)
        .agg([
            col("offence").first(),
            col("place").first(),
            col("count").sum(),
            col(HARM).sum(),
            col(HARM_UNWEIGHTED).sum(),
            col("occurred_at").min().alias(FIRST_AT),
            col("occurred_at").max(),
            col(FIRST_ROW).min(),
        ])
        // In the order the incidents first met each cell: the same cube from the
        // same incidents, and the same order of first meeting as the incidents.
        .sort([FIRST_ROW], SortMultipleOptions::default())
        .collect()?;
    let by_area = by_area(&cells, areas, col("_other"))?.collect()?;
    Ok(Cube { cells, by_area })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aggregate::tests::{incident_rows, incidents, same_tables};
    use crate::analysis::aggregate::Dim;
    use crate::analysis::classify::{area_offence_pairs, flag_areas, long_frame, AREA};
    use crate::analysis::period::Period;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Every table counted over whole months from the cube is the table counted
        /// from the incidents and the long frame, the cube names the same pairs of
        /// area and offence type in the same order, and its atoms hold each area's
        /// incidents. Harm weights are whole or half days, as in the embedded table:
        /// the cube adds them in another order, and such sums are exact in either.
        #[test]
        fn the_cube_counts_as_the_incidents_do(
            rows in incident_rows(8, (0u32..400).prop_map(|h| f64::from(h) / 2.0), 0..80),
            through in prop::option::of(1u32..=12),
        ) {
            let areas =
                PriorityAreas::parse(include_str!("../../data/vastervik/priority_areas.toml"))
                    .unwrap();
            let plain = incidents(&rows);
            let flagged = flag_areas(&plain, &areas).unwrap();
            let long = long_frame(&flagged, &areas).unwrap();
            let cube = cube(&flagged, &areas).unwrap();
            prop_assert!(cube.cells.height() <= plain.height());
            prop_assert!(
                area_offence_pairs(&cube.by_area)
                    .unwrap()
                    .equals_missing(&area_offence_pairs(&long).unwrap())
            );
            // The atoms hold every incident once, and each area's incidents in the
            // sets that name it.
            let atoms = cube.atoms(&areas).unwrap();
            let sum = |f: &DataFrame| f.column("count").unwrap().i64().unwrap().sum().unwrap_or(0);
            prop_assert_eq!(sum(&atoms), sum(&plain));
            let sets = atoms.column("areas").unwrap().str().unwrap();
            let counts = atoms.column("count").unwrap().i64().unwrap();
            let slugs = long.column(AREA).unwrap().str().unwrap();
            let long_counts = long.column("count").unwrap().i64().unwrap();
            for slug in areas.areas.iter().map(|a| a.slug.as_str()).chain([OTHER]) {
                let in_atoms: i64 = sets
                    .iter()
                    .zip(counts.iter())
                    .filter(|(set, _)| set.is_some_and(|set| set.split('|').any(|s| s == slug)))
                    .map(|(_, n)| n.unwrap_or(0))
                    .sum();
                let in_long: i64 = slugs
                    .iter()
                    .zip(long_counts.iter())
                    .filter(|(s, _)| *s == Some(slug))
                    .map(|(_, n)| n.unwrap_or(0))
                    .sum();
                prop_assert_eq!(in_atoms, in_long, "{}", slug);
            }
            same_tables(
                (&cube.cells, &cube.by_area),
                (&plain, &long),
                &[Period::Year, Period::Quarter, Period::Month, Period::Rolling12],
                &[
                    vec![],
                    vec![Dim::PriorityArea],
                    vec![Dim::PriorityArea, Dim::Place],
                    vec![Dim::Offence, Dim::PriorityArea],
                    vec![Dim::Offence],
                    vec![Dim::Offence, Dim::Place],
                    vec![Dim::Place],
                ],
                (None, None),
                through,
            )?;
        }
    }
}
