//! Classification of incidents into the priority areas by the rules file. Offence
//! names and brottskoder have few distinct values, so the rules are evaluated once per
//! distinct value in Rust and joined back; the age and relation rules are polars
//! expressions. One incident may belong to several areas.

use polars::prelude::*;

use super::aggregate::MISSING;
use super::period::{month_index_of, MONTH_INDEX};
use crate::model::priority::{fold_pattern, PriorityAreas};
use crate::text::fold;

/// The slug of the catch-all group for incidents that no specific rule claims.
pub const OTHER: &str = crate::model::priority::OTHER_SLUG;

/// Column holding the priority-area slug in the classified (long) frame.
pub const AREA: &str = "priority_area";

/// The column of the long frame (see [`long_frame`]) that numbers the values of
/// `column` (the priority area, offence or place): counting by a number is much
/// cheaper than by a text. Missing values are numbered as [`MISSING`], as they are
/// counted.
pub fn code_column(column: &str) -> String {
    format!("_{column}_code")
}

/// Columns no count by area reads, left out of the long frame: its rows are the
/// incidents' several times over. Free text has no place in a count either.
const NOT_IN_LONG: [&str; 4] = ["description", "_file", "_line", "place_given"];

/// The text columns the long frame numbers besides the priority area.
pub const CODED: [&str; 2] = ["offence", "place"];

/// What classification found, for the run summary.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Classification {
    /// Incidents (summing `count`) per area slug, in the rules' order, then "ovrigt".
    pub per_area: Vec<(String, i64)>,
    /// Offences that no rule claimed, with their incident counts, largest first.
    pub unmatched_offences: Vec<(String, i64)>,
}

/// A compiled offence pattern (folded; `*` matches anything).
struct Pattern(regex::Regex);

impl Pattern {
    fn new(pattern: &str) -> Self {
        let folded = fold_pattern(pattern);
        let body: Vec<String> = folded.split('*').map(regex::escape).collect();
        Self(regex::Regex::new(&format!("^{}$", body.join(".*"))).expect("escaped pattern"))
    }

    fn matches(&self, folded: &str) -> bool {
        self.0.is_match(folded)
    }
}

/// Adds one boolean column `_area{i}` per area, true where the incident belongs to it.
pub fn flag_areas(incidents: &DataFrame, areas: &PriorityAreas) -> PolarsResult<DataFrame> {
    let n = areas.areas.len();
    let patterns: Vec<Vec<Pattern>> = areas
        .areas
        .iter()
        .map(|a| a.offences.iter().map(|p| Pattern::new(p)).collect())
        .collect();
    let offence_map = value_map(incidents, "offence", "_o", n, |value, i| {
        let folded = fold(value);
        patterns[i].iter().any(|p| p.matches(&folded))
            || areas.event_type_in_area(&folded, &areas.areas[i].slug)
    })?;
    let ranges: Vec<_> = areas.areas.iter().map(|a| a.code_ranges()).collect();
    let code_map = value_map(incidents, "offence_code", "_c", n, |value, i| {
        value
            .trim()
            .parse::<u16>()
            .is_ok_and(|c| ranges[i].iter().any(|r| (r.from..=r.to).contains(&c)))
    })?;
    let mut flags = Vec::with_capacity(n);
    for (i, area) in areas.areas.iter().enumerate() {
        let mut rule = col(format!("_o{i}"))
            .fill_null(lit(false))
            .or(col(format!("_c{i}")).fill_null(lit(false)));
        if let Some(age) = area.suspect_age_below {
            rule = rule.or(col("suspect_age").lt(lit(age as i32)).fill_null(lit(false)));
        }
        if area.close_relation {
            rule = rule.or(col("close_relation").fill_null(lit(false)));
        }
        if area.all_incidents {
            rule = lit(true);
        }
        flags.push(rule.alias(format!("_area{i}")));
    }
    // The flags are worked out on the columns the rules read and put beside the
    // incidents: joining the incidents themselves would copy every column.
    let in_order = || {
        let mut args = JoinArgs::new(JoinType::Left);
        args.maintain_order = MaintainOrderJoin::Left;
        args
    };
    let read: Vec<Expr> = ["offence", "offence_code", "suspect_age", "close_relation"]
        .into_iter()
        .filter(|c| incidents.column(c).is_ok())
        .map(col)
        .collect();
    let flagged = incidents
        .clone()
        .lazy()
        .select(read)
        .join(
            offence_map.lazy(),
            [col("offence")],
            [col("offence")],
            in_order(),
        )
        .join(
            code_map.lazy(),
            [col("offence_code")],
            [col("offence_code")],
            in_order(),
        )
        .select(flags)
        .collect()?;
    incidents.hstack(flagged.columns())
}

/// Whether some area other than an all-incidents one claims the incident (its flags
/// are `_area{i}` from [`flag_areas`]); what none claims is [`OTHER`].
pub fn claimed_by_a_specific_area(areas: &PriorityAreas) -> Expr {
    areas
        .areas
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.all_incidents)
        .map(|(i, _)| col(format!("_area{i}")))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false))
}

/// Offence patterns as the rules write them (`*` wildcard, any case and accents
/// folded), for selections outside the priority areas (promise indicators).
pub struct OffenceMatcher(Vec<Pattern>);

impl OffenceMatcher {
    /// Compiles `patterns`.
    pub fn new(patterns: &[String]) -> Self {
        Self(patterns.iter().map(|p| Pattern::new(p)).collect())
    }

    /// Whether an offence as written matches any pattern.
    pub fn matches(&self, offence: &str) -> bool {
        let folded = fold(offence);
        self.0.iter().any(|p| p.matches(&folded))
    }
}

/// A filter that keeps the rows of `frame` whose offence (as written) matches one of
/// `patterns`. Each distinct offence is matched once, not each row; a missing offence
/// never matches.
pub fn offence_filter(frame: &DataFrame, patterns: &[String]) -> PolarsResult<Expr> {
    let matcher = OffenceMatcher::new(patterns);
    let wanted: Vec<String> = super::promises::distinct(frame, "offence")?
        .into_iter()
        .filter(|o| matcher.matches(o))
        .collect();
    Ok(col("offence").is_in(lit(Series::new("o".into(), wanted)).implode(true), false))
}

/// For each distinct value of `column`, whether it satisfies the rule of each area.
fn value_map(
    df: &DataFrame,
    column: &str,
    prefix: &str,
    n: usize,
    rule: impl Fn(&str, usize) -> bool,
) -> PolarsResult<DataFrame> {
    let distinct = super::occurring_values(df.column(column)?).unique_stable()?;
    let values: Vec<Option<&str>> = distinct.str()?.iter().collect();
    let mut columns = vec![Column::new(column.into(), values.clone())];
    for i in 0..n {
        let hits: Vec<bool> = values
            .iter()
            .map(|v| v.is_some_and(|v| rule(v, i)))
            .collect();
        columns.push(Column::new(format!("{prefix}{i}").into(), hits));
    }
    DataFrame::new(values.len(), columns)
}

/// The long frame: one row per incident and area it belongs to, with the area slug in
/// [`AREA`]; incidents claimed by no specific rule (only by `all_incidents` areas, or
/// by none) also appear once under [`OTHER`]. A count by area that is not over whole
/// months (see `analysis::cube`) goes through this frame, as do the indicators of a
/// promise, so it carries each incident's month ([`MONTH_INDEX`]) and numbers for the
/// area, offence and place ([`code_column`]): counting by them then converts no date
/// and hashes no text again. It leaves out the free text and where each row was read
/// ([`NOT_IN_LONG`]), and it is left in chunks (one per area): putting it in one would
/// hold a second copy of the incidents' texts.
pub fn long_frame(flagged: &DataFrame, areas: &PriorityAreas) -> PolarsResult<DataFrame> {
    let n = areas.areas.len();
    let drop: Vec<String> = (0..n).map(|i| format!("_area{i}")).collect();
    let specific = claimed_by_a_specific_area(areas);
    let mut once = Vec::new();
    if flagged.column("occurred_at").is_ok() {
        once.push(month_index_of(flagged)?.alias(MONTH_INDEX));
    }
    for name in CODED.into_iter().filter(|c| flagged.column(c).is_ok()) {
        once.push(code_of(flagged, name));
    }
    let numbered = flagged
        .clone()
        .lazy()
        .drop(by_name(NOT_IN_LONG, false, false))
        .with_columns(once)
        .collect()?;
    by_area(&numbered, areas, specific.not())?
        .drop(by_name(drop, true, false))
        .collect()
}

/// The numbers of `column`'s values ([`code_column`]): missing values numbered as
/// [`MISSING`], as they are counted.
pub fn code_expr(column: &str) -> Expr {
    col(column)
        .fill_null(lit(MISSING))
        .cast(DataType::from_categories(Categories::global()))
        .to_physical()
        .alias(code_column(column))
}

/// The distinct values of the text column `values` in sort order, missing first where
/// a value is missing (named as `values`), and each row's position among them: one
/// pass hashes the texts, and what is found per distinct text is then given to every
/// row by its position, a number.
pub(crate) fn numbered_values(values: &Column) -> PolarsResult<(Series, IdxCa)> {
    let values = values.as_materialized_series();
    if let Ok(texts) = values.str() {
        return numbered_texts(texts);
    }
    numbered_by_lookup(values)
}

/// [`numbered_values`] of any column: its distinct values sorted, and each row's
/// position among them looked up.
fn numbered_by_lookup(values: &Series) -> PolarsResult<(Series, IdxCa)> {
    let distinct = values.drop_nulls().unique()?.sort(SortOptions::default())?;
    let missing = values.null_count() > 0;
    let positions = if distinct.is_empty() {
        // Every value missing (or none at all): all rows hold the first, the missing.
        IdxCa::full("_position".into(), 0, values.len())
    } else {
        let first = IdxSize::from(missing);
        let numbers: Vec<IdxSize> = (first..first + distinct.len() as IdxSize).collect();
        let looked = values
            .clone()
            .into_frame()
            .lazy()
            .select([crate::analysis::place::looked_up(
                values.name(),
                &distinct,
                Series::new("_position".into(), numbers),
            )
            .fill_null(lit(0 as IdxSize))
            .alias("_position")])
            .collect()?;
        looked.column("_position")?.idx()?.clone()
    };
    let mut all = if missing {
        Series::full_null(values.name().clone(), 1, values.dtype())
    } else {
        Series::new_empty(values.name().clone(), values.dtype())
    };
    all.append(&distinct)?;
    Ok((all, positions))
}

/// [`numbered_values`] of a text column: each row's text numbered once through polars'
/// categories (a 4-byte number per row), the numbers put in the texts' sort order, and
/// each row's position then looked up by its number. Looking the texts up among the
/// distinct ones instead held several times the column's size while it ran (12 M
/// incidents: 0,1 GB more at the highest, place and offence at once). Categories of its
/// own, not the global ones: their texts are let go with them, numbered from 0, and
/// every one of them occurs in the column, so the column is hashed only once.
fn numbered_texts(values: &StringChunked) -> PolarsResult<(Series, IdxCa)> {
    let categories = Categories::random(PlSmallStr::EMPTY, CategoricalPhysical::U32);
    let coded = values
        .clone()
        .into_series()
        .cast(&DataType::from_categories(categories))?;
    let mapping = coded.cat32()?.get_mapping().clone();
    let numbers = coded.to_physical_repr();
    let numbers = numbers.u32()?;
    let count = mapping.num_cats_upper_bound();
    let mut distinct: Vec<(&str, u32)> = (0..count as u32)
        .filter_map(|n| Some((mapping.cat_to_str(n)?, n)))
        .collect();
    distinct.sort_unstable();
    let missing = values.null_count() > 0;
    let first = IdxSize::from(missing);
    let mut position_of = vec![0 as IdxSize; count];
    for (at, (_, n)) in distinct.iter().enumerate() {
        position_of[*n as usize] = first + at as IdxSize;
    }
    let positions = IdxCa::from_vec("_position".into(), position_of)
        .take(numbers)?
        .fill_null_with_values(0)?;
    let texts = missing
        .then_some(None)
        .into_iter()
        .chain(distinct.iter().map(|(t, _)| Some(*t)));
    let all = Series::new(values.name().clone(), texts.collect::<Vec<Option<&str>>>());
    Ok((all, positions))
}

/// The numbers of `column` ([`code_column`]) for rows whose value is `texts` at their
/// position (`positions`, as [`numbered_values`] gives them): the texts are numbered
/// as they are counted, missing as [`MISSING`] and equal texts alike, so that counting
/// by these numbers counts as [`code_expr`]'s do. The numbers are the texts' order of
/// first appearance in `texts`.
pub(crate) fn codes_by_position(
    column: &str,
    texts: &StringChunked,
    positions: &IdxCa,
) -> PolarsResult<Column> {
    let mut numbers: std::collections::HashMap<&str, IdxSize> = Default::default();
    let per_text: Vec<IdxSize> = texts
        .iter()
        .map(|t| {
            let next = numbers.len() as IdxSize;
            *numbers.entry(t.unwrap_or(MISSING)).or_insert(next)
        })
        .collect();
    let per_text = IdxCa::from_vec(code_column(column).into(), per_text);
    Ok(per_text.take(positions)?.into_column())
}

/// [`code_expr`] unless `frame` already numbers `column`, then its numbers.
pub fn code_of(frame: &DataFrame, column: &str) -> Expr {
    let code = code_column(column);
    if frame.column(&code).is_ok() {
        col(code)
    } else {
        code_expr(column)
    }
}

/// The rows of `frame` once per area whose flag (`_area{i}`) they carry, with the
/// area's slug in [`AREA`] and its number, then once under [`OTHER`] where `other`
/// holds: the long frame's layout, in the rules' order.
pub fn by_area(frame: &DataFrame, areas: &PriorityAreas, other: Expr) -> PolarsResult<LazyFrame> {
    let part = |rule: Expr, slug: &str, code: usize| {
        frame.clone().lazy().filter(rule).with_columns([
            lit(slug).alias(AREA),
            lit(code as u32).alias(code_column(AREA)),
        ])
    };
    let n = areas.areas.len();
    let mut parts = Vec::with_capacity(n + 1);
    for (i, area) in areas.areas.iter().enumerate() {
        parts.push(part(col(format!("_area{i}")), &area.slug, i));
    }
    parts.push(part(other, OTHER, n));
    concat(parts, UnionArgs::default())
}

/// Every pair of area and offence type (missing as [`MISSING`]) in the long frame (or
/// the month cube's cells by area, which keep its order), in the order first met: what
/// the offence types of an area and an area's heaviest offence type are worked out
/// from. Found by the frame's numbers for area and offence ([`code_column`]), which
/// [`long_frame`] adds.
pub fn area_offence_pairs(long: &DataFrame) -> PolarsResult<DataFrame> {
    long.clone()
        .lazy()
        .group_by_stable([AREA, "offence"].map(|c| col(code_column(c))))
        .agg([
            col(AREA).first(),
            col("offence").fill_null(lit(MISSING)).first(),
        ])
        .select([col(AREA), col("offence")])
        .collect()
}

/// What classification found, from the flags alone (without building the long frame):
/// the incidents (summing `count`) of each area and of [`OTHER`], and the offences no
/// specific area claims, most common first.
pub fn classification(flagged: &DataFrame, areas: &PriorityAreas) -> PolarsResult<Classification> {
    let specific = claimed_by_a_specific_area(areas);
    let sum_where = |rule: Expr| col("count").filter(rule).sum();
    let mut totals: Vec<Expr> = (0..areas.areas.len())
        .map(|i| sum_where(col(format!("_area{i}"))).alias(format!("_total{i}")))
        .collect();
    totals.push(sum_where(specific.clone().not()).alias("_other"));
    let sums = flagged.clone().lazy().select(totals).collect()?;
    let total =
        |name: &str| -> PolarsResult<i64> { Ok(sums.column(name)?.i64()?.get(0).unwrap_or(0)) };
    let mut per_area = Vec::with_capacity(areas.areas.len() + 1);
    for (i, area) in areas.areas.iter().enumerate() {
        per_area.push((area.slug.clone(), total(&format!("_total{i}"))?));
    }
    per_area.push((OTHER.to_owned(), total("_other")?));
    let unmatched = flagged
        .clone()
        .lazy()
        .filter(specific.not())
        .group_by([col("offence")])
        .agg([col("count").sum()])
        .sort_by_exprs(
            [col("count"), col("offence")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let unmatched_offences = unmatched
        .column("offence")?
        .str()?
        .iter()
        .zip(unmatched.column("count")?.i64()?.iter())
        .map(|(o, c)| (o.unwrap_or("").to_owned(), c.unwrap_or(0)))
        .collect();
    Ok(Classification {
        per_area,
        unmatched_offences,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column of numbers is numbered too: its distinct values in order, missing first.
    #[test]
    fn numbered_values_of_other_types_are_numbered_by_lookup() {
        let column = Column::new("year".into(), [Some(2025i32), None, Some(2013), Some(2025)]);
        let (values, positions) = numbered_values(&column).unwrap();
        let values: Vec<Option<i32>> = values.i32().unwrap().iter().collect();
        assert_eq!(values, [None, Some(2013), Some(2025)]);
        let positions: Vec<u32> = positions.into_no_null_iter().collect();
        assert_eq!(positions, [2, 0, 1, 2]);
    }

    proptest::proptest! {
        /// Texts numbered through categories come out as looked up among the distinct
        /// texts: the same distinct texts in the same order (missing first), the same
        /// position for every row.
        #[test]
        fn texts_numbered_by_category_are_numbered_as_by_lookup(
            texts in proptest::collection::vec(
                proptest::option::weighted(0.8, "[a-cÅÄÖé ]{0,3}|[a-z]{13,20}"),
                0..40,
            ),
        ) {
            let series = Series::new("place".into(), texts.clone());
            let (by_category, at_category) = numbered_texts(series.str().unwrap()).unwrap();
            let (by_lookup, at_lookup) = numbered_by_lookup(&series).unwrap();
            proptest::prop_assert!(by_category.equals_missing(&by_lookup), "{by_category:?} {by_lookup:?}");
            proptest::prop_assert_eq!(at_category.to_vec(), at_lookup.to_vec());
        }
    }

    /// The distinct texts and each row's position are what grouping by the text
    /// gives, and the numbers made from them count as [`code_expr`]'s: one number per
    /// text as counted, a missing value and the text standing for it alike. With and
    /// without missing values, for one text and for none.
    #[test]
    fn numbered_values_are_the_texts_grouped_and_count_as_code_expr() {
        let cases: [Vec<Option<&str>>; 6] = [
            vec![
                Some("b"),
                None,
                Some("a"),
                Some("b"),
                None,
                Some("Å"),
                Some("a"),
                Some("b"),
            ],
            vec![Some("b"), Some("a"), Some("b")],
            vec![None, Some(MISSING), Some("a"), None],
            vec![None, None],
            vec![Some("ensam")],
            vec![],
        ];
        for values in cases {
            let column = Column::new("place".into(), values.clone());
            let (texts, positions) = numbered_values(&column).unwrap();
            let grouped = column
                .clone()
                .into_frame()
                .lazy()
                .group_by([col("place")])
                .agg([len()])
                .sort(["place"], SortMultipleOptions::default())
                .collect()
                .unwrap();
            assert_eq!(
                &texts,
                grouped.column("place").unwrap().as_materialized_series()
            );
            let texts = texts.str().unwrap();
            let of_rows: Vec<Option<&str>> = positions
                .iter()
                .map(|i| texts.get(i.unwrap() as usize))
                .collect();
            assert_eq!(of_rows, values);
            // Two rows share a number exactly when code_expr gives them one.
            let ours = codes_by_position("place", texts, &positions).unwrap();
            let theirs = column
                .clone()
                .into_frame()
                .lazy()
                .select([code_expr("place")])
                .collect()
                .unwrap();
            let ours: Vec<Option<u32>> = ours.u32().unwrap().iter().collect();
            let theirs: Vec<Option<u32>> = theirs.columns()[0].u32().unwrap().iter().collect();
            assert_eq!(ours.len(), values.len());
            for i in 0..ours.len() {
                for j in 0..ours.len() {
                    assert_eq!(
                        ours[i] == ours[j],
                        theirs[i] == theirs[j],
                        "{values:?} {i} {j}"
                    );
                }
            }
        }
    }

    fn areas() -> PriorityAreas {
        PriorityAreas::parse(include_str!("../../data/vastervik/priority_areas.toml")).unwrap()
    }

    #[test]
    fn rattfylleri_is_alcohol_and_traffic_and_rules_on_age_and_relation_apply() {
        let df = df!(
            "offence" => ["Rattfylleri", "Stöld", "Misshandel", "Trafikolycka, personskada", "Okänt", "Skadegörelse"],
            "offence_code" => [None::<&str>, None, None, None, None, Some("9801")],
            "suspect_age" => [Some(40i32), Some(15), None, None, None, None],
            "close_relation" => [None, None, Some(true), None, None, None::<bool>],
            "count" => [1i64, 1, 1, 1, 2, 1],
        )
        .unwrap();
        let mut rules = areas();
        rules
            .areas
            .iter_mut()
            .find(|a| a.slug == "valfardsbrottslighet")
            .unwrap()
            .brottskoder = vec!["9801-9802".into()];
        let flagged = flag_areas(&df, &rules).unwrap();
        let (long, summary) = (
            long_frame(&flagged, &rules).unwrap(),
            classification(&flagged, &rules).unwrap(),
        );
        // The counts from the flags are the long frame's, area by area.
        for (slug, n) in &summary.per_area {
            let in_long: i64 = long
                .clone()
                .lazy()
                .filter(col(AREA).eq(lit(slug.as_str())))
                .select([col("count").sum()])
                .collect()
                .unwrap()
                .column("count")
                .unwrap()
                .i64()
                .unwrap()
                .get(0)
                .unwrap_or(0);
            assert_eq!(*n, in_long, "{slug}");
        }
        let memberships = |offence: &str| -> Vec<String> {
            let rows = long
                .clone()
                .lazy()
                .filter(col("offence").eq(lit(offence)))
                .collect()
                .unwrap();
            rows.column(AREA)
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|s| s.unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            memberships("Rattfylleri"),
            ["brottskoncentrationer", "narkotika-alkohol", "trafikbrott"]
        );
        assert_eq!(
            memberships("Stöld"),
            ["ungdomskriminalitet", "brottskoncentrationer"]
        );
        assert_eq!(
            memberships("Misshandel"),
            ["vald-i-nara-relation", "brottskoncentrationer"]
        );
        assert_eq!(
            memberships("Trafikolycka, personskada"),
            ["brottskoncentrationer", "trafikbrott"]
        );
        assert_eq!(memberships("Okänt"), ["brottskoncentrationer", OTHER]);
        assert_eq!(
            memberships("Skadegörelse"),
            ["valfardsbrottslighet", "brottskoncentrationer"]
        );
        assert_eq!(summary.unmatched_offences, [("Okänt".to_owned(), 2)]);
        let total = |slug: &str| summary.per_area.iter().find(|(s, _)| s == slug).unwrap().1;
        assert_eq!(total("brottskoncentrationer"), 7);
        assert_eq!(total(OTHER), 2);
    }
}
