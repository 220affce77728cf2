//! Survey analysis: the weighted share giving the "problem" answer per item × place ×
//! year (and gender and age band), with a Wilson interval on the Kish effective sample
//! size, a "för få svar" flag, the change from the previous survey year, and a
//! problem index with a bootstrap interval.
//!
//! Wilson's interval behaves at small n and at 0 % and 100 % (it never leaves [0, 1]
//! and is not degenerate); with weights, n is replaced by n_eff = (Σw)² / Σw².

use polars::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::model::survey::SurveyDefinition;

/// A dimension to break survey results down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SurveyDim {
    /// Place.
    Place,
    /// Survey year.
    Year,
    /// Gender as answered.
    Gender,
    /// Age band (16–24, 25–44, 45–64, 65+).
    AgeBand,
}

impl SurveyDim {
    /// Column name.
    pub fn column(self) -> &'static str {
        match self {
            SurveyDim::Place => "place",
            SurveyDim::Year => "year",
            SurveyDim::Gender => "gender",
            SurveyDim::AgeBand => "age_band",
        }
    }
}

/// Options of the survey tables.
#[derive(Debug, Clone)]
pub struct SurveyOptions {
    /// Breakdown, in output order.
    pub by: Vec<SurveyDim>,
    /// Fewer (unweighted) answers than this are flagged "för få svar".
    pub min_answers: u32,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    /// Design effect of published shares (no weights known): n_eff = n / this.
    pub design_effect: f64,
}

/// Wilson score interval for proportion `p` on `n` (effective) observations.
pub fn wilson(p: f64, n: f64, level: f64) -> Option<(f64, f64)> {
    if n <= 0.0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let z = z_value(level);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 % and 100 % the bound is exactly 0 or 1; rounding must not move it.
    let lo = if p == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if p == 1.0 {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((lo, hi))
}

/// Newcombe's hybrid score interval (his method 10) for the difference `p1 − p0` of
/// two independent proportions on `n1` and `n0` (effective) observations: built from
/// the two Wilson intervals, so it stays honest at small n and at 0 % or 100 %, where
/// the Wald interval claims changes that are not there.
pub fn newcombe(p1: f64, n1: f64, p0: f64, n0: f64, level: f64) -> Option<(f64, f64)> {
    let (l1, u1) = wilson(p1, n1, level)?;
    let (l0, u0) = wilson(p0, n0, level)?;
    let d = p1 - p0;
    let low = d - ((p1 - l1).powi(2) + (u0 - p0).powi(2)).sqrt();
    let high = d + ((u1 - p1).powi(2) + (p0 - l0).powi(2)).sqrt();
    Some((low.max(-1.0), high.min(1.0)))
}

/// The two-sided standard-normal quantile for a confidence level.
pub fn z_value(level: f64) -> f64 {
    Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

/// Expression for the age band of an `age` column.
fn age_band() -> Expr {
    let age = col("age");
    when(age.clone().is_null())
        .then(lit(crate::model::UNKNOWN_AGE_BAND))
        .when(age.clone().lt(lit(16)))
        .then(lit("<16"))
        .when(age.clone().lt(lit(25)))
        .then(lit("16–24"))
        .when(age.clone().lt(lit(45)))
        .then(lit("25–44"))
        .when(age.lt(lit(65)))
        .then(lit("45–64"))
        .otherwise(lit("65+"))
        .alias("age_band")
}

/// Responses in long form: one row per respondent and answered item (answers coded
/// as missing/"vet ej" are dropped), with `problem` = 1.0 or 0.0.
fn long_answers(
    responses: &DataFrame,
    def: &SurveyDefinition,
    dims: &[&str],
) -> PolarsResult<LazyFrame> {
    let base = responses
        .clone()
        .lazy()
        .with_column(age_band())
        .with_column(col("gender").fill_null(lit(crate::model::UNKNOWN_GENDER)));
    let mut parts = Vec::new();
    for item in &def.items {
        let missing = Series::new("m".into(), item.missing.clone());
        let problem = Series::new("p".into(), item.problem.clone());
        let code = col(item.id.as_str());
        let mut select: Vec<Expr> = dims.iter().map(|d| col(*d)).collect();
        select.extend([
            lit(item.id.as_str()).alias("item"),
            col("weight"),
            code.clone()
                .is_in(lit(problem).implode(true), false)
                .cast(DataType::Float64)
                .alias("problem"),
        ]);
        parts.push(
            base.clone()
                .filter(
                    code.clone()
                        .is_not_null()
                        .and(code.is_in(lit(missing).implode(true), false).not()),
                )
                .select(select),
        );
    }
    concat(parts, UnionArgs::default())
}

/// The share table: item, the `by` columns, n, n_eff, share, ci_low, ci_high, flag;
/// plus previous_share, change_pp with its interval (change_low_pp, change_high_pp,
/// Newcombe) and verdict against the previous survey year
/// when `year` is among `by`. Cells of a place and year with no valid answer to an
/// item appear with n = 0.
pub fn shares(
    responses: &DataFrame,
    def: &SurveyDefinition,
    opts: &SurveyOptions,
) -> PolarsResult<DataFrame> {
    let dims: Vec<&str> = opts.by.iter().map(|d| d.column()).collect();
    let long = long_answers(responses, def, &dims)?;
    let mut group: Vec<Expr> = vec![col("item")];
    group.extend(dims.iter().map(|d| col(*d)));
    let stats = long.group_by(group.clone()).agg([
        len().cast(DataType::Int64).alias("n"),
        col("weight").sum().alias("sw"),
        (col("weight") * col("weight")).sum().alias("sw2"),
        (col("weight") * col("problem")).sum().alias("swy"),
    ]);
    // Items that some respondent answered at all (a file need not carry every item).
    let present: Vec<&str> = def
        .items
        .iter()
        .filter(|i| {
            responses
                .column(&i.id)
                .is_ok_and(|c| c.null_count() < c.len())
        })
        .map(|i| i.id.as_str())
        .collect();
    // Every combination of the dimensions' values, so that a place without answers in
    // a year shows as n = 0 rather than disappearing.
    let with_bands = responses
        .clone()
        .lazy()
        .with_column(age_band())
        .with_column(col("gender").fill_null(lit(crate::model::UNKNOWN_GENDER)));
    let mut grid = df!("item" => present)?.lazy();
    for d in &dims {
        grid = grid.cross_join(
            with_bands
                .clone()
                .select([col(*d)])
                .unique_stable(None, UniqueKeepStrategy::First),
            None,
        );
    }
    let mut sort_by: Vec<PlSmallStr> = dims.iter().map(|d| PlSmallStr::from(*d)).collect();
    sort_by.insert(0, "item".into());
    let table = grid
        .join(
            stats,
            group.clone(),
            group,
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .with_columns([
            col("n").fill_null(lit(0i64)),
            (col("swy") / col("sw")).alias("share"),
            (col("sw") * col("sw") / col("sw2")).alias("n_eff"),
        ])
        .sort(
            sort_by,
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()?;
    finish_shares(table, &dims, Some(def), opts)
}

/// The share table for published shares (see `ingest::survey::load_share_tables`):
/// intervals where the number of answers is given (no weights are known, so n_eff = n),
/// flags, and the change from the previous year within the same item, place and
/// breakdown.
pub fn published_shares(table: &DataFrame, opts: &SurveyOptions) -> PolarsResult<DataFrame> {
    let dims = ["place", "year", "dimension", "group", "subgroup"];
    let mut sort_by: Vec<PlSmallStr> = vec!["item".into()];
    sort_by.extend(dims.iter().map(|d| PlSmallStr::from(*d)));
    let prepared = table
        .clone()
        .lazy()
        .with_column((col("n").cast(DataType::Float64) / lit(opts.design_effect)).alias("n_eff"))
        .sort(
            sort_by,
            SortMultipleOptions::default()
                .with_maintain_order(true)
                .with_nulls_last(true),
        )
        .collect()?;
    finish_shares(prepared, &dims, None, opts)
}

/// Adds intervals, flags and the change from the previous year.
fn finish_shares(
    table: DataFrame,
    dims: &[&str],
    def: Option<&SurveyDefinition>,
    opts: &SurveyOptions,
) -> PolarsResult<DataFrame> {
    let h = table.height();
    let n: Vec<Option<i64>> = table.column("n")?.i64()?.iter().collect();
    let share: Vec<Option<f64>> = table.column("share")?.f64()?.iter().collect();
    let n_eff: Vec<Option<f64>> = table.column("n_eff")?.f64()?.iter().collect();
    let few = "too_few_answers";
    let unknown_n = "answers_unknown";
    let (mut lo, mut hi, mut flag) = (
        Vec::with_capacity(h),
        Vec::with_capacity(h),
        Vec::with_capacity(h),
    );
    for r in 0..h {
        let ci = share[r]
            .zip(n_eff[r])
            .and_then(|(p, ne)| wilson(p, ne, opts.level));
        lo.push(ci.map(|c| c.0));
        hi.push(ci.map(|c| c.1));
        flag.push(match n[r] {
            None => Some(unknown_n),
            Some(n) if n < i64::from(opts.min_answers) => Some(few),
            Some(_) => None,
        });
    }
    // The previous year: same item and other dims, the nearest earlier year present.
    let (mut prev, mut diff, mut diff_lo, mut diff_hi, mut verdict) = (
        vec![None; h],
        vec![None; h],
        vec![None; h],
        vec![None; h],
        vec![None; h],
    );
    let enough = |r: usize| n[r].is_some_and(|n| n >= i64::from(opts.min_answers));
    if let Some(year_at) = dims.iter().position(|d| *d == "year") {
        let key = |r: usize| -> PolarsResult<Vec<String>> {
            let mut k = vec![table.column("item")?.get(r)?.to_string()];
            for (i, d) in dims.iter().enumerate() {
                if i != year_at {
                    k.push(table.column(d)?.get(r)?.to_string());
                }
            }
            Ok(k)
        };
        let years: Vec<Option<i32>> = table.column("year")?.i32()?.iter().collect();
        let mut last: std::collections::HashMap<Vec<String>, usize> = Default::default();
        let mut order: Vec<usize> = (0..h).collect();
        order.sort_by_key(|&r| years[r]);
        for r in order {
            let k = key(r)?;
            if let Some(&q) = last.get(&k) {
                if let (Some(p1), Some(p0), Some(n1), Some(n0)) =
                    (share[r], share[q], n_eff[r], n_eff[q])
                {
                    prev[r] = Some(p0);
                    diff[r] = Some((p1 - p0) * 100.0);
                    let interval = newcombe(p1, n1, p0, n0, opts.level);
                    diff_lo[r] = interval.map(|i| i.0 * 100.0);
                    diff_hi[r] = interval.map(|i| i.1 * 100.0);
                    verdict[r] = Some(match interval {
                        _ if !(enough(r) && enough(q)) => "cannot_assess",
                        Some((low, _)) if low > 0.0 => "increased",
                        Some((_, high)) if high < 0.0 => "decreased",
                        Some(_) => "no_clear_change",
                        None => "cannot_assess",
                    });
                }
            }
            if share[r].is_some() {
                last.insert(k, r);
            }
        }
    }
    let texts: std::collections::HashMap<&str, &str> = def
        .map(|d| {
            d.items
                .iter()
                .map(|i| (i.id.as_str(), i.text.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let question: Vec<Option<&str>> = table
        .column("item")?
        .str()?
        .iter()
        .map(|i| i.and_then(|i| texts.get(i).copied()))
        .collect();
    let mut columns: Vec<Column> = vec![
        table.column("item")?.clone(),
        Column::new("question".into(), question),
    ];
    for d in dims {
        columns.push(table.column(d)?.clone());
    }
    columns.extend([
        table.column("n")?.clone(),
        table.column("n_eff")?.clone(),
        table.column("share")?.clone(),
        Column::new("ci_low".into(), lo),
        Column::new("ci_high".into(), hi),
        Column::new("flag".into(), flag),
        Column::new("previous_share".into(), prev),
        Column::new("change_pp".into(), diff),
        Column::new("change_low_pp".into(), diff_lo),
        Column::new("change_high_pp".into(), diff_hi),
        Column::new("verdict".into(), verdict),
    ]);
    DataFrame::new(h, columns)
}

/// The problem index per group: each respondent's mean score over the items that have
/// a score mapping and were answered, then the weighted mean over respondents, with a
/// percentile bootstrap interval over respondents (`replicates` draws, fixed `seed`).
pub fn problem_index(
    responses: &DataFrame,
    def: &SurveyDefinition,
    opts: &SurveyOptions,
    replicates: usize,
    seed: u64,
) -> PolarsResult<DataFrame> {
    let dims: Vec<&str> = opts.by.iter().map(|d| d.column()).collect();
    let scored: Vec<_> = def.items.iter().filter(|i| !i.scores.is_empty()).collect();
    let mut score_exprs = Vec::new();
    for item in &scored {
        let mut e = lit(NULL).cast(DataType::Float64);
        for (code, score) in &item.scores {
            let code: i64 = code.parse().expect("checked when the definition was read");
            e = when(col(item.id.as_str()).eq(lit(code)))
                .then(lit(*score))
                .otherwise(e);
        }
        score_exprs.push(e);
    }
    let answered = score_exprs
        .iter()
        .map(|e| e.clone().is_not_null().cast(DataType::Float64))
        .reduce(|a, b| a + b);
    let total = score_exprs
        .iter()
        .map(|e| e.clone().fill_null(lit(0.0)))
        .reduce(|a, b| a + b);
    let (Some(answered), Some(total)) = (answered, total) else {
        return DataFrame::new(0, vec![Column::new("index".into(), Vec::<f64>::new())]);
    };
    let mut sort_by: Vec<PlSmallStr> = dims.iter().map(|d| PlSmallStr::from(*d)).collect();
    sort_by.push("_row".into());
    let per_respondent = responses
        .clone()
        .lazy()
        .with_row_index("_row", None)
        .with_column(age_band())
        .with_column(col("gender").fill_null(lit(crate::model::UNKNOWN_GENDER)))
        .with_column(
            when(answered.clone().gt(lit(0.0)))
                .then(total / answered)
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("_score"),
        )
        .filter(col("_score").is_not_null())
        .sort(sort_by, SortMultipleOptions::default())
        .collect()?;
    let parts = if dims.is_empty() {
        vec![per_respondent]
    } else {
        per_respondent.partition_by_stable(dims.iter().copied(), true)?
    };
    let mut rows: Vec<IndexRow> = Vec::new();
    let mut rng = crate::random::SplitMix(seed);
    for part in &parts {
        let scores: Vec<f64> = part
            .column("_score")?
            .f64()?
            .iter()
            .map(|v| v.unwrap_or(0.0))
            .collect();
        let weights: Vec<f64> = part
            .column("weight")?
            .f64()?
            .iter()
            .map(|v| v.unwrap_or(1.0))
            .collect();
        let mean = weighted_mean(
            &scores,
            &weights,
            (0..scores.len()).collect::<Vec<_>>().iter().copied(),
        );
        let mut draws: Vec<f64> = (0..replicates)
            .map(|_| {
                weighted_mean(
                    &scores,
                    &weights,
                    (0..scores.len()).map(|_| rng.below(scores.len())),
                )
            })
            .collect();
        draws.sort_by(f64::total_cmp);
        let alpha = 1.0 - opts.level;
        let ci = (!draws.is_empty() && scores.len() > 1).then(|| {
            let at = |q: f64| {
                draws[((q * (draws.len() - 1) as f64).round() as usize).min(draws.len() - 1)]
            };
            (at(alpha / 2.0), at(1.0 - alpha / 2.0))
        });
        let key = dims
            .iter()
            .map(|d| {
                part.column(d)
                    .and_then(|c| c.get(0))
                    .map(|v| v.into_static())
            })
            .collect::<PolarsResult<Vec<_>>>()?;
        rows.push((key, scores.len(), mean, ci));
    }
    let few = "too_few_answers";
    let mut columns: Vec<Column> = Vec::new();
    for (i, d) in dims.iter().enumerate() {
        let values: Vec<AnyValue> = rows.iter().map(|r| r.0[i].clone()).collect();
        columns.push(Series::from_any_values((*d).into(), &values, true)?.into_column());
    }
    columns.extend([
        Column::new(
            "n".into(),
            rows.iter().map(|r| r.1 as i64).collect::<Vec<_>>(),
        ),
        Column::new("index".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
        Column::new(
            "ci_low".into(),
            rows.iter().map(|r| r.3.map(|c| c.0)).collect::<Vec<_>>(),
        ),
        Column::new(
            "ci_high".into(),
            rows.iter().map(|r| r.3.map(|c| c.1)).collect::<Vec<_>>(),
        ),
        Column::new(
            "flag".into(),
            rows.iter()
                .map(|r| (r.1 < opts.min_answers as usize).then_some(few))
                .collect::<Vec<_>>(),
        ),
    ]);
    DataFrame::new(rows.len(), columns)
}

/// One group of the problem index: key values, respondents, index, interval.
type IndexRow = (Vec<AnyValue<'static>>, usize, f64, Option<(f64, f64)>);

fn weighted_mean(values: &[f64], weights: &[f64], rows: impl Iterator<Item = usize>) -> f64 {
    let (mut sw, mut swx) = (0.0, 0.0);
    for r in rows {
        sw += weights[r];
        swx += weights[r] * values[r];
    }
    if sw > 0.0 {
        swx / sw
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe (1998), Table II, example (a) 56/70 vs 48/80: difference 0.2000, hybrid
    /// score interval 0.0524 to 0.3339.
    #[test]
    fn newcombe_interval_matches_the_published_example() {
        let (low, high) = newcombe(56.0 / 70.0, 70.0, 48.0 / 80.0, 80.0, 0.95).unwrap();
        assert!((low - 0.0524).abs() < 5e-5, "{low}");
        assert!((high - 0.3339).abs() < 5e-5, "{high}");
    }

    /// One published share table: item q for place P in two years.
    fn change(
        n0: i64,
        k0: i64,
        n1: i64,
        k1: i64,
        min: u32,
    ) -> (Option<String>, Option<f64>, Option<f64>) {
        let table = df!(
            "item" => ["q", "q"],
            "place" => ["P", "P"],
            "year" => [2024i32, 2025],
            "dimension" => [None::<&str>, None],
            "group" => [None::<&str>, None],
            "subgroup" => [None::<&str>, None],
            "n" => [n0, n1],
            "share" => [k0 as f64 / n0 as f64, k1 as f64 / n1 as f64],
        )
        .unwrap();
        let opts = SurveyOptions {
            min_answers: min,
            ..opts(Vec::new())
        };
        let out = published_shares(&table, &opts).unwrap();
        let row = out.height() - 1;
        let verdict = out
            .column("verdict")
            .unwrap()
            .str()
            .unwrap()
            .get(row)
            .map(str::to_owned);
        let low = out.column("change_low_pp").unwrap().f64().unwrap().get(row);
        let high = out
            .column("change_high_pp")
            .unwrap()
            .f64()
            .unwrap()
            .get(row);
        (verdict, low, high)
    }

    #[test]
    fn survey_changes_on_few_answers_are_not_called_changes() {
        // The Wald test said "ökat" for these (p = 0.014 and 2.5e-10; Fisher: 0.40, 0.49).
        let (verdict, low, _) = change(3, 0, 3, 2, 1);
        assert_eq!(verdict.as_deref(), Some("no_clear_change"));
        assert!(low.unwrap() < 0.0);
        let (verdict, ..) = change(2, 0, 40, 20, 1);
        assert_eq!(verdict.as_deref(), Some("no_clear_change"));
        // Below the minimum number of answers in either year: no verdict at all.
        assert_eq!(
            change(15, 2, 40, 20, 30).0.as_deref(),
            Some("cannot_assess")
        );
        assert_eq!(
            change(40, 2, 15, 10, 30).0.as_deref(),
            Some("cannot_assess")
        );
    }

    #[test]
    fn a_real_change_on_many_answers_is_still_found() {
        // 20 % → 30 % of 200 answers a year: the interval lies above zero.
        let (verdict, low, high) = change(200, 40, 200, 60, 30);
        assert_eq!(verdict.as_deref(), Some("increased"));
        assert!(
            low.unwrap() > 0.0 && high.unwrap() < 20.0,
            "{low:?} {high:?}"
        );
        assert_eq!(change(200, 60, 200, 40, 30).0.as_deref(), Some("decreased"));
    }

    #[test]
    fn the_design_effect_widens_published_intervals() {
        let table = df!(
            "item" => ["q"], "place" => ["P"], "year" => [2025i32],
            "dimension" => [None::<&str>], "group" => [None::<&str>], "subgroup" => [None::<&str>],
            "n" => [100i64], "share" => [0.3],
        )
        .unwrap();
        let width = |deff: f64| {
            let out = published_shares(
                &table,
                &SurveyOptions {
                    design_effect: deff,
                    ..opts(Vec::new())
                },
            )
            .unwrap();
            let n_eff = out.column("n_eff").unwrap().f64().unwrap().get(0).unwrap();
            let lo = out.column("ci_low").unwrap().f64().unwrap().get(0).unwrap();
            let hi = out
                .column("ci_high")
                .unwrap()
                .f64()
                .unwrap()
                .get(0)
                .unwrap();
            (n_eff, hi - lo)
        };
        let (n1, w1) = width(1.0);
        let (n2, w2) = width(2.0);
        assert_eq!((n1, n2), (100.0, 50.0));
        assert!(w2 > w1 * 1.3, "{w1} {w2}");
    }

    fn definition() -> SurveyDefinition {
        SurveyDefinition::parse(
            r#"
            [survey]
            name = "Test"
            [[item]]
            id = "q"
            text = "Otrygg?"
            scale = { 1 = "Mycket trygg", 2 = "Ganska trygg", 3 = "Ganska otrygg", 4 = "Mycket otrygg", 9 = "Vet ej" }
            problem = [3, 4]
            missing = [9]
            scores = { 1 = 0, 2 = 2, 3 = 4, 4 = 6 }
            "#,
        )
        .unwrap()
    }

    fn responses() -> DataFrame {
        df!(
            "respondent_id" => ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
            "year" => [2025i32, 2025, 2025, 2025, 2025, 2025, 2025, 2024, 2024],
            "place" => ["A", "A", "A", "A", "B", "C", "C", "C", "C"],
            "weight" => [1.0, 1.0, 10.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0],
            "age" => [Some(30i32), Some(70), None, Some(17), Some(40), Some(50), Some(50), Some(20), Some(20)],
            "gender" => [Some("kvinna"), Some("man"), Some("kvinna"), None, Some("man"), Some("man"), Some("man"), Some("kvinna"), Some("man")],
            "q" => [Some(3i64), Some(1), Some(4), Some(9), Some(9), Some(4), Some(3), Some(1), Some(2)],
        )
        .unwrap()
    }

    fn opts(by: Vec<SurveyDim>) -> SurveyOptions {
        SurveyOptions {
            by,
            min_answers: 30,
            level: 0.95,
            design_effect: 1.0,
        }
    }

    fn row(
        t: &DataFrame,
        place: &str,
        year: i32,
    ) -> (i64, Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
        let r = t
            .clone()
            .lazy()
            .filter(col("place").eq(lit(place)).and(col("year").eq(lit(year))))
            .collect()
            .unwrap();
        let f = |c: &str| r.column(c).unwrap().f64().unwrap().get(0);
        (
            r.column("n").unwrap().i64().unwrap().get(0).unwrap(),
            f("share"),
            f("n_eff"),
            f("ci_low"),
            f("ci_high"),
        )
    }

    #[test]
    fn wilson_at_the_edges() {
        let (lo, hi) = wilson(0.0, 10.0, 0.95).unwrap();
        let z2 = 1.959963984540054f64.powi(2);
        assert_eq!(lo, 0.0);
        assert!((hi - z2 / (10.0 + z2)).abs() < 1e-12);
        let (lo, hi) = wilson(1.0, 10.0, 0.95).unwrap();
        assert!((lo - 10.0 / (10.0 + z2)).abs() < 1e-12 && hi == 1.0);
        assert_eq!(wilson(0.5, 0.0, 0.95), None);
    }

    #[test]
    fn weighted_shares_by_hand() {
        let t = shares(
            &responses(),
            &definition(),
            &opts(vec![SurveyDim::Place, SurveyDim::Year]),
        )
        .unwrap();
        // A 2025: answers 3 (w 1), 1 (w 1), 4 (w 10); "vet ej" left out. Σw = 12, Σwy = 11, Σw² = 102.
        let (n, share, n_eff, lo, hi) = row(&t, "A", 2025);
        assert_eq!(n, 3);
        assert!((share.unwrap() - 11.0 / 12.0).abs() < 1e-12);
        assert!((n_eff.unwrap() - 144.0 / 102.0).abs() < 1e-12);
        let (wl, wh) = wilson(11.0 / 12.0, 144.0 / 102.0, 0.95).unwrap();
        assert_eq!((lo.unwrap(), hi.unwrap()), (wl, wh));
        // B 2025: only "vet ej" → n = 0, no share.
        let (n, share, _, lo, _) = row(&t, "B", 2025);
        assert_eq!((n, share, lo), (0, None, None));
        // C: 2025 all problem answers (weights 1 and 2), 2024 none.
        let (n, share, n_eff, lo, hi) = row(&t, "C", 2025);
        assert_eq!((n, share), (2, Some(1.0)));
        assert!((n_eff.unwrap() - 9.0 / 5.0).abs() < 1e-12);
        assert!(lo.unwrap() > 0.0 && hi == Some(1.0));
        assert_eq!(row(&t, "C", 2024).1, Some(0.0));
        // Every cell has fewer than 30 answers.
        assert!(t
            .column("flag")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .all(|f| f == Some("too_few_answers")));
        // C changed from 0 % to 100 %, but on 2 answers a year the test gives no verdict.
        let c = t
            .clone()
            .lazy()
            .filter(col("place").eq(lit("C")).and(col("year").eq(lit(2025))))
            .collect()
            .unwrap();
        assert_eq!(
            c.column("previous_share").unwrap().f64().unwrap().get(0),
            Some(0.0)
        );
        assert_eq!(
            c.column("change_pp").unwrap().f64().unwrap().get(0),
            Some(100.0)
        );
    }

    #[test]
    fn problem_index_and_reproducible_bootstrap() {
        let def = definition();
        let o = opts(vec![SurveyDim::Place]);
        let a = problem_index(&responses(), &def, &o, 500, 7).unwrap();
        let b = problem_index(&responses(), &def, &o, 500, 7).unwrap();
        assert!(a.equals_missing(&b), "same seed, same result");
        let c = problem_index(&responses(), &def, &o, 500, 8).unwrap();
        assert!(!a.equals_missing(&c), "another seed, another bootstrap");
        // A: scores 4 (w 1), 0 (w 1), 6 (w 10) → (4 + 0 + 60) / 12.
        let index = a.column("index").unwrap().f64().unwrap();
        assert!((index.get(0).unwrap() - 64.0 / 12.0).abs() < 1e-12);
        let (lo, hi) = (
            a.column("ci_low").unwrap().f64().unwrap().get(0).unwrap(),
            a.column("ci_high").unwrap().f64().unwrap().get(0).unwrap(),
        );
        assert!(lo <= 64.0 / 12.0 && 64.0 / 12.0 <= hi && lo >= 0.0 && hi <= 6.0);
    }

    #[test]
    fn age_bands_and_gender_breakdown() {
        let t = shares(&responses(), &definition(), &opts(vec![SurveyDim::AgeBand])).unwrap();
        let bands: Vec<&str> = t
            .column("age_band")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|b| b.unwrap())
            .collect();
        // Respondent 4 is 17: 16–24; respondent 3 gave no age.
        assert_eq!(bands, ["16–24", "25–44", "45–64", "65+", "okänd"]);
        let n: Vec<i64> = t
            .column("n")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect();
        // Valid answers: 16–24 → resp. 8, 9 (4 said "vet ej"); 25–44 → 1, 5 is "vet ej" → 1; 45–64 → 6, 7; 65+ → 2; okänd → 3.
        assert_eq!(n, [2, 1, 2, 1, 1]);
    }
}
