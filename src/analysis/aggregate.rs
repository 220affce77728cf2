//! Counts per chosen dimensions × period, with rates, shares and a test of the change
//! from the previous period. The heavy work (filtering, grouping, the complete grid of
//! cells including zeros, windows) is one polars plan; only the per-cell tests run in
//! Rust, over the aggregated rows.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use crate::analysis::classify::{code_column, code_expr, AREA, CODED};
use crate::analysis::cube::FIRST_AT;
use crate::analysis::harm::HARM;
use crate::analysis::period::{Period, MONTH_INDEX};
use crate::analysis::stats::{e_test, percent_change, rate_ratio_test, RateRatio, Verdict};

/// A dimension to count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Dim {
    /// The priority area (an incident counts once in each of its areas).
    PriorityArea,
    /// The offence or event type as written.
    Offence,
    /// The resolved place.
    Place,
    /// The reporting source.
    Source,
}

impl Dim {
    /// Column name in inputs and outputs.
    pub fn column(self) -> &'static str {
        match self {
            Dim::PriorityArea => AREA,
            Dim::Offence => "offence",
            Dim::Place => "place",
            Dim::Source => "source",
        }
    }
}

/// What to aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Dimensions, in output order.
    pub by: Vec<Dim>,
    /// Period.
    pub period: Period,
    /// First day included (default: the first day with data).
    pub from: Option<NaiveDate>,
    /// Last day included (default: the last day with data).
    pub to: Option<NaiveDate>,
    /// Confidence level of the rate-ratio interval, e.g. 0.95.
    pub level: f64,
    /// Count only January to this month of every year (1–12): the same months of
    /// each year, so that a year not yet over is compared with like. Exposure days
    /// follow.
    pub through_month: Option<u32>,
}

/// Denominators for rates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Populations {
    /// Inhabitants of the municipality.
    pub municipality: u64,
    /// Inhabitants per place name.
    pub places: HashMap<String, u64>,
}

/// Output column: incidents (summing `count`) the harm table has no weight for, so
/// that `harm` is never read as complete when it is not.
pub const HARM_UNWEIGHTED: &str = "harm_unweighted";

/// Text used for a missing offence or source, so that the cell is still counted.
pub const MISSING: &str = crate::model::MISSING_VALUE;

/// Aggregates. `incidents` has one row per incident (with `place` resolved); `long`
/// has one row per incident and priority area. Counts sum the `count` column. The
/// month cube's cells and cells by area (`analysis::cube`) may stand for the two when
/// the table is over whole months: a cell's sums count as its incidents do.
pub fn aggregate(
    incidents: &DataFrame,
    long: &DataFrame,
    opts: &Options,
    pops: &Populations,
) -> PolarsResult<DataFrame> {
    let source = if opts.by.contains(&Dim::PriorityArea) {
        long
    } else {
        incidents
    };
    let dims: Vec<&str> = opts.by.iter().map(|d| d.column()).collect();
    let numbered = numbered_texts(source, &dims)?;
    let source = numbered.as_ref().unwrap_or(source);
    let Some((first_day, last_day)) = day_range(source, opts)? else {
        return empty_output(opts);
    };
    let p = opts.period;
    let (first, last) = (p.index_of(first_day), p.index_of(last_day));
    // Rolling windows are counted from months; the first full window ends 11 months in.
    let first_out = if p == Period::Rolling12 {
        first + 11
    } else {
        first
    };

    // Compare date-times with midnights rather than converting every value to a date.
    let midnight = |d: NaiveDate| {
        lit(d.and_hms_opt(0, 0, 0).expect("midnight"))
            .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
    };
    let after_last = last_day.succ_opt().unwrap_or(last_day);
    // Only the conditions that can exclude a row: a bound not given is the data's
    // own, and filtering copies every column counted.
    let mut conditions = Vec::new();
    if opts.from.is_some() {
        conditions.push(col("occurred_at").gt_eq(midnight(first_day)));
    }
    if opts.to.is_some() {
        conditions.push(col("occurred_at").lt(midnight(after_last)));
    }
    // A frame that carries each incident's month is counted from it (see
    // `classify::long_frame` and `analysis::cube`): no date-time is converted.
    let months = source.column(MONTH_INDEX).is_ok();
    if let Some(m) = opts.through_month {
        conditions.push(if months {
            (col(MONTH_INDEX) % lit(12i32)).lt(lit(m as i32))
        } else {
            col("occurred_at").dt().month().lt_eq(lit(m as i8))
        });
    }
    if source.column("occurred_at")?.null_count() > 0 {
        conditions.push(col("occurred_at").is_not_null());
    }
    let mut filtered = source.clone().lazy();
    if let Some(keep) = conditions.into_iter().reduce(Expr::and) {
        filtered = filtered.filter(keep);
    }
    if source.column(HARM).is_err() {
        // Frames not prepared by `analysis::prepare` carry no weights: all unweighted.
        filtered = filtered.with_column(lit(NULL).cast(DataType::Float64).alias(HARM));
    }
    let index = match p.index_from_month(col(MONTH_INDEX)) {
        Some(from_month) if months => from_month,
        _ => p.index_by_day(col("occurred_at"), first_day, last_day),
    };
    // A dimension is counted by its number where the frame has one, and its text
    // taken from the first row of each group: grouping by a text costs far more.
    let coded: Vec<&str> = dims
        .iter()
        .copied()
        .filter(|d| source.column(&code_column(d)).is_ok())
        .collect();
    // Only columns that have missing values are rewritten (a copy of every string);
    // those counted by number only in the counted rows.
    let missing = |d: &str| source.column(d).is_ok_and(|c| c.null_count() > 0);
    let fill = |d: &&str| col(*d).fill_null(lit(MISSING));
    let before: Vec<Expr> = dims
        .iter()
        .filter(|d| missing(d) && !coded.contains(d))
        .map(fill)
        .collect();
    let after: Vec<Expr> = coded.iter().filter(|d| missing(d)).map(fill).collect();
    // Harm in whole or half days (the embedded table's weights) is added up as a whole
    // number of half days, which comes to the same in any order: the counting is then
    // left to polars' streaming engine, about twice as fast on a million incidents.
    // Other weights are added up in row order, as the in-memory engine does when a
    // sum is taken over part of a group (the unweighted incidents) or beside firsts.
    let in_any_order = harm_in_half_days(source)?;
    // The month cube (`analysis::cube`) carries each cell's unweighted incidents.
    let unweighted = if source.column(HARM_UNWEIGHTED).is_ok() {
        col(HARM_UNWEIGHTED).sum()
    } else if in_any_order {
        filtered = filtered.with_column(
            when(col(HARM).is_null())
                .then(col("count"))
                .otherwise(lit(0i64))
                .alias(HARM_UNWEIGHTED),
        );
        col(HARM_UNWEIGHTED).sum()
    } else {
        col("count").filter(col(HARM).is_null()).sum()
    };
    let harm = if in_any_order {
        (col(HARM) * lit(2.0)).cast(DataType::Int64).sum()
    } else {
        col(HARM).sum()
    };
    let mut sums = vec![
        col("count").sum().alias("count"),
        harm.alias(HARM),
        unweighted.alias(HARM_UNWEIGHTED),
    ];
    sums.extend(coded.iter().map(|d| col(*d).first()));
    let filtered = filtered
        .with_columns(before)
        .with_column(index.alias("_pidx"));
    let counts = match packed_key(source, &coded, &dims, last - first + 1)? {
        // Every key a number: grouped by one integer made of them all. Keep the
        // firsts among the sums: with sums alone polars adds up parts of each group
        // separately, and weights with many decimals then summed to another last
        // digit than the same rows grouped by their texts (a test found it).
        Some(key) => {
            sums.push(col("_pidx").first());
            filtered
                .with_column((key + col("_pidx") - lit(first)).alias("_key"))
                .group_by([col("_key")])
                .agg(sums)
                .drop(by_name(["_key"], true, false))
        }
        None => {
            let keys: Vec<Expr> = dims
                .iter()
                .map(|d| {
                    if coded.contains(d) {
                        col(code_column(d))
                    } else {
                        col(*d)
                    }
                })
                .chain([col("_pidx")])
                .collect();
            filtered.group_by(keys).agg(sums).drop(by_name(
                coded.iter().map(|d| code_column(d)).collect::<Vec<_>>(),
                true,
                false,
            ))
        }
    }
    .with_columns(after);
    let counts = if in_any_order {
        counts
            .with_column((col(HARM).cast(DataType::Float64) / lit(2.0)).alias(HARM))
            .collect_with_engine(Engine::Streaming)?
            .unwrap_single()
    } else {
        counts.collect()?
    }
    .lazy();
    let keys = counts
        .clone()
        .select(dims.iter().map(|d| col(*d)).collect::<Vec<_>>())
        .unique_stable(None, UniqueKeepStrategy::First);
    let periods = df!("_pidx" => (first..=last).collect::<Vec<i64>>())?.lazy();
    let grid = if dims.is_empty() {
        periods
    } else {
        keys.cross_join(periods, None)
    };
    let mut join_on: Vec<Expr> = dims.iter().map(|d| col(*d)).collect();
    join_on.push(col("_pidx"));
    let partition: Vec<Expr> = if dims.is_empty() {
        vec![lit(1)]
    } else {
        dims.iter().map(|d| col(*d)).collect()
    };
    let mut sort_by: Vec<PlSmallStr> = dims.iter().map(|d| PlSmallStr::from(*d)).collect();
    sort_by.push("_pidx".into());
    let mut plan = grid
        .join(
            counts,
            join_on.clone(),
            join_on,
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .with_columns([
            col("count").fill_null(lit(0i64)),
            col(HARM).fill_null(lit(0.0)),
            col(HARM_UNWEIGHTED).fill_null(lit(0i64)),
        ])
        .sort(
            sort_by,
            SortMultipleOptions::default().with_maintain_order(true),
        );
    if p == Period::Rolling12 {
        let rolling = |name: &str, zero: Expr| -> PolarsResult<Expr> {
            let cum = col(name).cum_sum(false).over(partition.clone())?;
            Ok(
                (cum.clone() - cum.shift(lit(12)).over(partition.clone())?.fill_null(zero))
                    .alias(name),
            )
        };
        plan = plan.with_columns([
            rolling("count", lit(0i64))?,
            rolling(HARM, lit(0.0))?,
            rolling(HARM_UNWEIGHTED, lit(0i64))?,
        ]);
    }
    let lag = p.comparison_lag();
    plan = plan
        .with_column(
            when((col("_pidx") - lit(lag)).gt_eq(lit(first_out)))
                .then(col("count").shift(lit(lag)).over(partition.clone())?)
                .otherwise(lit(NULL).cast(DataType::Int64))
                .alias("previous_count"),
        )
        .filter(col("_pidx").gt_eq(lit(first_out)));
    if opts.by.contains(&Dim::Place) {
        let mut others: Vec<Expr> = dims
            .iter()
            .filter(|d| **d != "place")
            .map(|d| col(*d))
            .collect();
        others.push(col("_pidx"));
        let total = col("count").sum().over(others)?;
        plan = plan.with_column(
            when(total.clone().gt(lit(0i64)))
                .then(col("count").cast(DataType::Float64) / total.cast(DataType::Float64))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("share_of_municipality"),
        );
    } else {
        plan = plan.with_column(
            lit(NULL)
                .cast(DataType::Float64)
                .alias("share_of_municipality"),
        );
    }
    let cells = plan.collect()?;
    finish(cells, &dims, opts, pops, (first_day, last_day))
}

/// Whether every [`HARM`] value of `source` is a whole or half number of days and all
/// of them together stay far inside the integers a double holds exactly: then their
/// sums, in half days, are the same whatever order they are added in, and the same as
/// adding them up as doubles in row order.
fn harm_in_half_days(source: &DataFrame) -> PolarsResult<bool> {
    if source.column(HARM).is_err() {
        // No weights: every value missing (added as such by `aggregate`).
        return Ok(true);
    }
    // As doubles whatever the column holds (`with_harm` makes doubles; a frame made
    // otherwise still counts). Not a number and infinity are no half days: polars
    // takes NaN as equal to itself, so they are ruled out by name.
    let harm = col(HARM).cast(DataType::Float64);
    let twice = harm.clone() * lit(2.0);
    let checked = source
        .clone()
        .lazy()
        .select([
            twice
                .clone()
                .floor()
                .eq(twice)
                .and(harm.clone().is_finite())
                .all(true)
                .alias("whole"),
            harm.abs().sum().alias("total"),
        ])
        // A piece of the column at a time: the in-memory engine held four copies of
        // it (12 M incidents: 0,4 GB more at the highest).
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single();
    let whole = checked.column("whole")?.bool()?.get(0).unwrap_or(true);
    let total = checked.column("total")?.f64()?.get(0).unwrap_or(0.0);
    Ok(whole && 2.0 * total < EXACT_HALF_DAYS)
}

/// Half days below which every sum of half days is exact as a double and as an
/// integer: 2⁵⁰, far below both limits.
const EXACT_HALF_DAYS: f64 = (1u64 << 50) as f64;

/// One integer standing for every key of a row when every dimension is counted by
/// number ([`code_column`]): the numbers and the period's place among the `periods`
/// counted, in mixed radix. `None` when a dimension is a text or the integer could
/// overflow. Polars groups by one integer much faster than by several keys.
fn packed_key(
    source: &DataFrame,
    coded: &[&str],
    dims: &[&str],
    periods: i64,
) -> PolarsResult<Option<Expr>> {
    if coded.len() != dims.len() {
        return Ok(None);
    }
    let mut stride = periods;
    let mut key = lit(0i64);
    for d in coded {
        let largest: Option<i64> = source
            .column(&code_column(d))?
            .as_materialized_series()
            .max()?;
        let values = largest.unwrap_or(0).max(0) + 1;
        key = key + col(code_column(d)).cast(DataType::Int64) * lit(stride);
        let Some(next) = stride.checked_mul(values) else {
            return Ok(None);
        };
        stride = next;
    }
    Ok(Some(key))
}

/// `source` with the numbers of its texts counted by ([`code_expr`]) where it has none
/// yet, so that it is grouped by one number made of all its keys; `None` when it
/// already has them (prepared incidents, the long frame, the cube) or counts by no
/// such text.
fn numbered_texts(source: &DataFrame, dims: &[&str]) -> PolarsResult<Option<DataFrame>> {
    let wanted: Vec<Expr> = dims
        .iter()
        .filter(|d| CODED.contains(d) && source.column(&code_column(d)).is_err())
        .map(|d| code_expr(d))
        .collect();
    if wanted.is_empty() {
        return Ok(None);
    }
    let codes = source.clone().lazy().select(wanted).collect()?;
    Ok(Some(source.hstack(codes.columns())?))
}

/// The first and last day counted: the options' bounds, else the data's.
fn day_range(source: &DataFrame, opts: &Options) -> PolarsResult<Option<(NaiveDate, NaiveDate)>> {
    // A cell of the month cube holds its earliest time beside its latest.
    let earliest = if source.column(FIRST_AT).is_ok() {
        FIRST_AT
    } else {
        "occurred_at"
    };
    let extent = super::period::date_extent(source, earliest)?;
    let lo = opts.from.or(extent.map(|e| e.0));
    let hi = opts.to.or(extent.map(|e| e.1));
    Ok(match (lo, hi) {
        (Some(lo), Some(hi)) if lo <= hi => Some((lo, hi)),
        _ => None,
    })
}

/// The last day of month `m` (1–12, clamped) of `year`.
fn last_day_of_month(year: i32, m: u32) -> NaiveDate {
    let m = m.clamp(1, 12);
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, m + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// Adds labels, exposure, rates and the change tests, and orders the columns.
fn finish(
    cells: DataFrame,
    dims: &[&str],
    opts: &Options,
    pops: &Populations,
    (first_day, last_day): (NaiveDate, NaiveDate),
) -> PolarsResult<DataFrame> {
    let p = opts.period;
    let idx: Vec<i64> = cells
        .column("_pidx")?
        .i64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    let count: Vec<i64> = cells
        .column("count")?
        .i64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    let prev: Vec<Option<i64>> = cells.column("previous_count")?.i64()?.iter().collect();
    let harm: Vec<f64> = cells
        .column(HARM)?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect();
    // Exposure: the days of each period that lie inside the counted range (and, for
    // the same months of each year, inside January to the last month counted).
    let counted_bounds = |i: i64| {
        let (a, b) = p.bounds(i);
        match opts.through_month {
            Some(m) => (a, b.min(last_day_of_month(a.year(), m))),
            None => (a, b),
        }
    };
    let covered = |i: i64| {
        let (a, b) = counted_bounds(i);
        let (a, b) = (a.max(first_day), b.min(last_day));
        if a > b {
            0
        } else {
            (b - a).num_days() + 1
        }
    };
    let full = |i: i64| {
        let (a, b) = counted_bounds(i);
        (b - a).num_days() + 1
    };
    let place_pop: Vec<Option<u64>> = if dims.contains(&"place") {
        cells
            .column("place")?
            .str()?
            .iter()
            .map(|pl| pl.and_then(|pl| pops.places.get(pl).copied()))
            .collect()
    } else {
        vec![Some(pops.municipality).filter(|&m| m > 0); cells.height()]
    };
    let n = cells.height();
    // What each cell's test of change is on: none when the previous period is not
    // comparable (no count, or no day of it counted).
    let inputs: Vec<Option<TestInput>> = (0..n)
        .map(|r| {
            let prev_days = covered(idx[r] - p.comparison_lag());
            let before = prev[r].filter(|_| prev_days > 0)?;
            Some(TestInput {
                now: count[r] as u64,
                before: before as u64,
                days: covered(idx[r]),
                prev_days,
            })
        })
        .collect();
    let tests = change_tests(inputs.iter().flatten().copied(), opts.level);
    let mut cols = Cols::default();
    for r in 0..n {
        let days = covered(idx[r]);
        let prev_days = covered(idx[r] - p.comparison_lag());
        let pop = place_pop[r];
        let rate = |per: f64| pop.map(|pop| count[r] as f64 / pop as f64 * per);
        cols.period.push(p.label(idx[r]));
        cols.days.push(days);
        cols.complete.push(days == full(idx[r]));
        cols.population.push(pop);
        cols.rate_1000.push(rate(1_000.0));
        // Per year of exposure: a month or a year not over is set on the scale of a
        // whole year (365,25 days).
        cols.annual_rate_1000.push(
            rate(1_000.0)
                .filter(|_| days > 0)
                .map(|r| r * 365.25 / days as f64),
        );
        cols.rate_100k.push(rate(100_000.0));
        cols.harm_1000
            .push(pop.map(|pop| harm[r] / pop as f64 * 1_000.0));
        let Some(input) = inputs[r] else {
            cols.previous_count.push(None);
            cols.push_no_change();
            continue;
        };
        let before = input.before as i64;
        cols.previous_count.push(Some(before));
        let (now, before_f) = (count[r] as f64, before as f64);
        cols.change.push(Some(count[r] - before));
        cols.change_pct.push(percent_change(before_f, now));
        let (test, e_p) = tests[&input];
        cols.rate_ratio.push(test.and_then(|t| t.ratio));
        cols.ci_low.push(test.map(|t| t.ci_low));
        cols.ci_high.push(test.and_then(|t| t.ci_high));
        cols.p.push(test.map(|t| t.p_value));
        cols.e_p.push(e_p);
        let p_value = test.map(|t| t.p_value);
        cols.verdict.push(
            Verdict::from_test(
                before_f / prev_days as f64,
                now / days as f64,
                p_value,
                1.0 - opts.level,
            )
            .code()
            .to_owned(),
        );
    }
    let mut columns: Vec<Column> = dims
        .iter()
        .map(|d| cells.column(d).cloned())
        .collect::<PolarsResult<_>>()?;
    let harm_columns = [
        cells.column(HARM)?.clone(),
        cells.column(HARM_UNWEIGHTED)?.clone(),
    ];
    columns.extend(cols.into_columns(
        count,
        cells.column("share_of_municipality")?.clone(),
        harm_columns,
    ));
    DataFrame::new(n, columns)
}

/// What a cell's test of change depends on: its count and the previous period's, and
/// the days each was counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TestInput {
    now: u64,
    before: u64,
    days: i64,
    prev_days: i64,
}

/// The exact rate-ratio test and the E-test of every distinct input. Many cells share
/// their inputs (zeros, small counts, whole months), and the E-test's double sum is the
/// costly part of aggregating, so each distinct input is tested once, on all cores.
fn change_tests(
    inputs: impl Iterator<Item = TestInput>,
    level: f64,
) -> HashMap<TestInput, (Option<RateRatio>, Option<f64>)> {
    use rayon::prelude::*;
    let distinct: std::collections::HashSet<TestInput> = inputs.collect();
    distinct
        .into_par_iter()
        .map(|t| {
            let (x1, x2, t1, t2) = (t.now, t.before, t.days as f64, t.prev_days as f64);
            (
                t,
                (
                    rate_ratio_test(x1, x2, t1, t2, level),
                    e_test(x1, x2, t1, t2),
                ),
            )
        })
        .collect()
}

/// The computed output columns, built row by row over the (small) aggregated frame.
#[derive(Default)]
struct Cols {
    period: Vec<String>,
    days: Vec<i64>,
    complete: Vec<bool>,
    population: Vec<Option<u64>>,
    rate_1000: Vec<Option<f64>>,
    rate_100k: Vec<Option<f64>>,
    annual_rate_1000: Vec<Option<f64>>,
    previous_count: Vec<Option<i64>>,
    change: Vec<Option<i64>>,
    change_pct: Vec<Option<f64>>,
    rate_ratio: Vec<Option<f64>>,
    ci_low: Vec<Option<f64>>,
    ci_high: Vec<Option<f64>>,
    p: Vec<Option<f64>>,
    e_p: Vec<Option<f64>>,
    verdict: Vec<String>,
    harm_1000: Vec<Option<f64>>,
}

impl Cols {
    fn push_no_change(&mut self) {
        self.change.push(None);
        self.change_pct.push(None);
        self.rate_ratio.push(None);
        self.ci_low.push(None);
        self.ci_high.push(None);
        self.p.push(None);
        self.e_p.push(None);
        self.verdict.push("no_comparison".to_owned());
    }

    fn into_columns(self, count: Vec<i64>, share: Column, harm: [Column; 2]) -> Vec<Column> {
        let [harm, unweighted] = harm;
        vec![
            Column::new("period".into(), self.period),
            Column::new("count".into(), count),
            Column::new("rate_per_1000".into(), self.rate_1000),
            Column::new("rate_per_100k".into(), self.rate_100k),
            share,
            Column::new("population".into(), self.population),
            Column::new("days".into(), self.days),
            Column::new("annual_rate_per_1000".into(), self.annual_rate_1000),
            Column::new("complete".into(), self.complete),
            Column::new("previous_count".into(), self.previous_count),
            Column::new("change".into(), self.change),
            Column::new("change_pct".into(), self.change_pct),
            Column::new("rate_ratio".into(), self.rate_ratio),
            Column::new("rr_ci_low".into(), self.ci_low),
            Column::new("rr_ci_high".into(), self.ci_high),
            Column::new("p_value".into(), self.p),
            Column::new("e_test_p".into(), self.e_p),
            Column::new("verdict".into(), self.verdict),
            harm,
            Column::new("harm_per_1000".into(), self.harm_1000),
            unweighted,
        ]
    }
}

fn empty_output(opts: &Options) -> PolarsResult<DataFrame> {
    let mut columns: Vec<Column> = opts
        .by
        .iter()
        .map(|d| Column::new(d.column().into(), Vec::<String>::new()))
        .collect();
    let share = Column::new("share_of_municipality".into(), Vec::<f64>::new());
    let harm = [
        Column::new(HARM.into(), Vec::<f64>::new()),
        Column::new(HARM_UNWEIGHTED.into(), Vec::<i64>::new()),
    ];
    columns.extend(Cols::default().into_columns(Vec::new(), share, harm));
    DataFrame::new(0, columns)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::classify::{flag_areas, long_frame};
    use crate::model::priority::PriorityAreas;
    use proptest::prelude::*;

    /// Incidents from (milliseconds after 2019-01-01 or none, offence, place, count,
    /// harm).
    pub(crate) fn incidents(rows: &[(Option<i64>, usize, usize, i64, Option<f64>)]) -> DataFrame {
        // A text that reads like a missing value is counted with the missing ones.
        const OFFENCES: [Option<&str>; 6] = [
            Some("Stöld"),
            Some("Rattfylleri"),
            Some("Misshandel"),
            Some("Brand"),
            None,
            Some(MISSING),
        ];
        const PLACES: [Option<&str>; 4] = [Some("Karstorp"), Some("Edsbruk"), None, Some(MISSING)];
        let start = NaiveDate::from_ymd_opt(2019, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let times: Vec<Option<chrono::NaiveDateTime>> = rows
            .iter()
            .map(|r| r.0.map(|ms| start + chrono::Duration::milliseconds(ms)))
            .collect();
        df!(
            "occurred_at" => times,
            "offence" => rows.iter().map(|r| OFFENCES[r.1]).collect::<Vec<_>>(),
            "offence_code" => vec![None::<&str>; rows.len()],
            "suspect_age" => rows.iter().map(|r| (r.1 == 0).then_some(15i32)).collect::<Vec<_>>(),
            "close_relation" => rows.iter().map(|r| Some(r.1 == 2)).collect::<Vec<_>>(),
            "place" => rows.iter().map(|r| PLACES[r.2]).collect::<Vec<_>>(),
            "count" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
            HARM => rows.iter().map(|r| r.4).collect::<Vec<_>>(),
        )
        .unwrap()
    }

    /// Rows for [`incidents`]: a time in the first `years` years after 2019-01-01 (one in
    /// twenty missing), an offence, a place, a count from 1 to 3 and a harm weight drawn
    /// by `harm` (or none); `len` rows.
    pub(crate) fn incident_rows(
        years: i64,
        harm: impl Strategy<Value = f64>,
        len: std::ops::Range<usize>,
    ) -> impl Strategy<Value = Vec<(Option<i64>, usize, usize, i64, Option<f64>)>> {
        prop::collection::vec(
            (
                prop::option::weighted(0.95, 0i64..years * 365 * 86_400_000),
                0usize..6,
                0usize..4,
                1i64..4,
                prop::option::of(harm),
            ),
            len,
        )
    }

    /// Fails unless counting `left` and `right` (each incidents and long frame, or
    /// stand-ins for them) gives the same table for every period and set of dimensions.
    pub(crate) fn same_tables(
        left: (&DataFrame, &DataFrame),
        right: (&DataFrame, &DataFrame),
        periods: &[Period],
        bys: &[Vec<Dim>],
        (from, to): (Option<NaiveDate>, Option<NaiveDate>),
        through: Option<u32>,
    ) -> Result<(), TestCaseError> {
        for &period in periods {
            for by in bys {
                let opts = Options {
                    by: by.clone(),
                    period,
                    from,
                    to,
                    level: 0.95,
                    through_month: through,
                };
                let pops = Populations::default();
                let a = aggregate(left.0, left.1, &opts, &pops).unwrap();
                let b = aggregate(right.0, right.1, &opts, &pops).unwrap();
                prop_assert!(a.equals_missing(&b), "{period:?} {by:?}\n{a}\n{b}");
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        /// Counting by the month, area, offence and place numbers the long frame
        /// carries gives the same table as counting by its dates and texts.
        #[test]
        fn the_long_frames_numbers_count_as_its_dates_and_texts(
            rows in incident_rows(8, 0.5f64..100.0, 0..80),
            through in prop::option::of(1u32..=12),
            bounded in any::<bool>(),
        ) {
            let areas =
                PriorityAreas::parse(include_str!("../../data/vastervik/priority_areas.toml"))
                    .unwrap();
            let plain = incidents(&rows);
            let long = long_frame(&flag_areas(&plain, &areas).unwrap(), &areas).unwrap();
            let numbers = [AREA, "offence", "place"].map(code_column);
            prop_assert!(numbers.iter().all(|c| long.column(c).is_ok()));
            prop_assert!(long.column(MONTH_INDEX).is_ok());
            let by_dates = long.drop_many(numbers.iter().chain([&MONTH_INDEX.to_owned()]));
            let (from, to) = if bounded {
                (NaiveDate::from_ymd_opt(2020, 3, 15), NaiveDate::from_ymd_opt(2024, 8, 2))
            } else {
                (None, None)
            };
            same_tables(
                (&plain, &long),
                (&plain, &by_dates),
                &[
                    Period::Year,
                    Period::Quarter,
                    Period::Month,
                    Period::Week,
                    Period::Rolling12,
                ],
                &[
                    vec![Dim::PriorityArea],
                    vec![Dim::PriorityArea, Dim::Place],
                    vec![Dim::Offence, Dim::PriorityArea],
                    vec![Dim::Place],
                ],
                (from, to),
                through,
            )?;
        }

        /// Weights in whole or half days are added up in any order (as half days, by
        /// the streaming engine): every cell's count and harm are the sums over its own
        /// incidents, worked out here one incident at a time.
        #[test]
        fn half_day_weights_add_up_to_each_cells_own_sum(
            rows in incident_rows(3, (-400i32..4000).prop_map(|h| f64::from(h) / 2.0), 1..200),
        ) {
            let plain = incidents(&rows);
            prop_assert!(harm_in_half_days(&plain).unwrap());
            let opts = Options {
                by: vec![Dim::Offence, Dim::Place],
                period: Period::Month,
                from: None,
                to: None,
                level: 0.95,
                through_month: None,
            };
            let table = aggregate(&plain, &plain, &opts, &Populations::default()).unwrap();
            let text = |c: Option<&str>| c.unwrap_or(MISSING).to_owned();
            let mut expected: HashMap<(String, String, String), (i64, f64, i64)> = HashMap::new();
            let times = plain.column("occurred_at").unwrap().datetime().unwrap().clone();
            let offences = plain.column("offence").unwrap().str().unwrap().clone();
            let places = plain.column("place").unwrap().str().unwrap().clone();
            for (i, row) in rows.iter().enumerate() {
                let Some(ms) = times.phys.get(i) else { continue };
                let month = chrono::DateTime::from_timestamp_millis(ms).unwrap().format("%Y-%m");
                let cell = expected
                    .entry((text(offences.get(i)), text(places.get(i)), month.to_string()))
                    .or_default();
                cell.0 += row.3;
                cell.1 += row.4.unwrap_or(0.0);
                cell.2 += if row.4.is_none() { row.3 } else { 0 };
            }
            let column = |name: &str| table.column(name).unwrap().clone();
            let (offence, place, period) = (column("offence"), column("place"), column("period"));
            let (count, harm, unweighted) =
                (column("count"), column(HARM), column(HARM_UNWEIGHTED));
            let mut seen = 0;
            for r in 0..table.height() {
                let key = (
                    offence.str().unwrap().get(r).unwrap().to_owned(),
                    place.str().unwrap().get(r).unwrap().to_owned(),
                    period.str().unwrap().get(r).unwrap().to_owned(),
                );
                let (n, h, u) = expected.get(&key).copied().unwrap_or((0, 0.0, 0));
                seen += usize::from(expected.contains_key(&key));
                prop_assert_eq!(count.i64().unwrap().get(r), Some(n), "{:?}", key);
                prop_assert_eq!(harm.f64().unwrap().get(r), Some(h), "{:?}", key);
                prop_assert_eq!(unweighted.i64().unwrap().get(r), Some(u), "{:?}", key);
            }
            prop_assert_eq!(seen, expected.len());
        }
    }

    #[test]
    fn harm_is_added_up_in_any_order_only_in_whole_or_half_days() {
        let frame = |harm: &[Option<f64>]| df!(HARM => harm.to_vec()).unwrap();
        assert!(harm_in_half_days(&frame(&[Some(1.0), Some(0.5), None, Some(365.0)])).unwrap());
        assert!(harm_in_half_days(&frame(&[])).unwrap());
        assert!(harm_in_half_days(&frame(&[None])).unwrap());
        assert!(harm_in_half_days(&df!("count" => [1i64]).unwrap()).unwrap());
        assert!(!harm_in_half_days(&frame(&[Some(1.0), Some(0.25)])).unwrap());
        assert!(!harm_in_half_days(&frame(&[Some(0.1)])).unwrap());
        // So large that a sum of them would no longer be exact as a double.
        assert!(!harm_in_half_days(&frame(&[Some(1e15), Some(1e15)])).unwrap());
        // Negative weights are whole or half days too; not a number and infinity not.
        assert!(harm_in_half_days(&frame(&[Some(-1.5), Some(2.0)])).unwrap());
        assert!(!harm_in_half_days(&frame(&[Some(1.0), Some(f64::NAN)])).unwrap());
        assert!(!harm_in_half_days(&frame(&[Some(f64::INFINITY)])).unwrap());
        assert!(!harm_in_half_days(&frame(&[Some(f64::NEG_INFINITY), Some(1.0)])).unwrap());
        // A column of whole numbers is read as the doubles they are.
        assert!(harm_in_half_days(&df!(HARM => [3i64, 4]).unwrap()).unwrap());
    }
}
