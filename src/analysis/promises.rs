//! Follow-up of medborgarlöften: the tests behind each indicator's verdict, and the
//! counts and shares they are computed from. No I/O.
//!
//! * Counts, treated place alone: the exact conditional test of two Poisson rates
//!   (baseline and follow-up periods of the same length), [`rate_ratio_test`].
//! * Counts with comparison places: the weighted displacement difference (Wheeler &
//!   Ratcliffe 2018; ptools `wdd`), WDD = (T₁ − T₀) − (C₁ − C₀) with variance
//!   T₀ + T₁ + C₀ + C₁, and the ratio of rate ratios (T₁/T₀)/(C₁/C₀) with a log-normal
//!   interval.
//! * Survey shares: the difference of proportions with Newcombe's score interval, and
//!   with comparison places the difference in differences (normal interval on the
//!   effective sample sizes).
//!
//! A verdict is "kan inte bedömas" when the data cannot tell: fewer events than any
//! outcome of the test could make significant, or fewer survey answers than the
//! project's minimum.

use std::collections::BTreeMap;

use polars::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

use super::stats::{rate_ratio_test, RateRatio};
use super::survey::{newcombe, z_value};
use super::survey::{shares, SurveyDim, SurveyOptions};
use crate::model::promises::{Direction, Months};
use crate::model::promises::{Indicator, IndicatorKind, Promise, Promises};

/// The plain verdict on an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// A clear change the promised way.
    Improvement,
    /// A clear change the other way.
    Deterioration,
    /// No change that can be told from chance.
    NoClearChange,
    /// Too few events or answers to tell anything.
    CannotAssess,
}

impl Verdict {
    /// The verdict's code (words: [`crate::lang::Lang::word`]).
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Improvement => "improvement",
            Verdict::Deterioration => "deterioration",
            Verdict::NoClearChange => "no_clear_change",
            Verdict::CannotAssess => "cannot_assess",
        }
    }

    /// From a clear change's sign (`Some(true)` = up) and the direction wanted.
    fn of(up: Option<bool>, direction: Direction) -> Verdict {
        match (up, direction) {
            (None, _) => Verdict::NoClearChange,
            (Some(true), Direction::Increase) | (Some(false), Direction::Decrease) => {
                Verdict::Improvement
            }
            _ => Verdict::Deterioration,
        }
    }
}

/// The weighted displacement difference of a treated and a control area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wdd {
    /// (T₁ − T₀) − (C₁ − C₀).
    pub wdd: f64,
    /// Its standard error, √(T₀ + T₁ + C₀ + C₁).
    pub se: f64,
    /// wdd / se.
    pub z: f64,
    /// Two-sided p-value of the normal test.
    pub p_value: f64,
    /// Confidence interval at the level asked.
    pub ci: (f64, f64),
}

/// The WDD of treated counts (before, after) against control counts (before, after),
/// with an interval at `level` (ptools uses 0.90). `None` when every count is 0.
pub fn wdd(treated: (u64, u64), control: (u64, u64), level: f64) -> Option<Wdd> {
    let (t0, t1, c0, c1) = (
        treated.0 as f64,
        treated.1 as f64,
        control.0 as f64,
        control.1 as f64,
    );
    let variance = t0 + t1 + c0 + c1;
    if variance <= 0.0 {
        return None;
    }
    let wdd = (t1 - t0) - (c1 - c0);
    let se = variance.sqrt();
    let z = wdd / se;
    let p_value = 2.0 * (1.0 - Normal::standard().cdf(z.abs()));
    let half = z_value(level) * se;
    Some(Wdd {
        wdd,
        se,
        z,
        p_value,
        ci: (wdd - half, wdd + half),
    })
}

/// The ratio of rate ratios (T₁/T₀)/(C₁/C₀) with a log-normal interval at `level`
/// (SE of the log = √(1/T₀ + 1/T₁ + 1/C₀ + 1/C₁)); `None` when a count is 0.
pub fn ratio_of_ratios(
    treated: (u64, u64),
    control: (u64, u64),
    level: f64,
) -> Option<(f64, f64, f64)> {
    let counts = [treated.0, treated.1, control.0, control.1];
    if counts.contains(&0) {
        return None;
    }
    let [t0, t1, c0, c1] = counts.map(|c| c as f64);
    let ratio = (t1 / t0) / (c1 / c0);
    let se = (1.0 / t0 + 1.0 / t1 + 1.0 / c0 + 1.0 / c1).sqrt();
    let half = z_value(level) * se;
    Some((ratio, (ratio.ln() - half).exp(), (ratio.ln() + half).exp()))
}

/// Whether any outcome of the exact test on `n` events over two periods of equal
/// length could be significant at `alpha`: the most extreme split (all in one period)
/// has p = 2 · 0.5ⁿ.
pub fn can_assess_counts(n: u64, alpha: f64) -> bool {
    n > 0 && 2.0 * 0.5f64.powi(n.min(1000) as i32) < alpha
}

/// The follow-up of a count indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct CountFollowUp {
    /// Treated (baseline, follow-up).
    pub treated: (u64, u64),
    /// Comparison places (baseline, follow-up), when there are any.
    pub control: Option<(u64, u64)>,
    /// The exact test of follow-up against baseline at the treated places.
    pub test: Option<RateRatio>,
    /// WDD against the comparison places (90 % interval).
    pub wdd: Option<Wdd>,
    /// Ratio of rate ratios with its 95 % interval.
    pub ratio_of_ratios: Option<(f64, f64, f64)>,
    /// The verdict: from the WDD when there are comparison places, else from the
    /// exact test.
    pub verdict: Verdict,
}

/// Follows up counts: `treated` and `control` are (baseline, follow-up) over periods
/// of the same length.
pub fn follow_up_counts(
    treated: (u64, u64),
    control: Option<(u64, u64)>,
    direction: Direction,
    alpha: f64,
) -> CountFollowUp {
    let test = rate_ratio_test(treated.1, treated.0, 1.0, 1.0, 1.0 - alpha);
    let wdd = control.and_then(|c| wdd(treated, c, 0.90));
    let ratio_of_ratios = control.and_then(|c| ratio_of_ratios(treated, c, 1.0 - alpha));
    let assessable = can_assess_counts(treated.0 + treated.1, alpha);
    let verdict = if !assessable {
        Verdict::CannotAssess
    } else {
        let clear = match (&wdd, &test) {
            (Some(w), _) => (w.p_value < alpha).then_some(w.wdd > 0.0),
            (None, Some(t)) => (t.p_value < alpha).then_some(treated.1 > treated.0),
            (None, None) => None,
        };
        Verdict::of(clear, direction)
    };
    CountFollowUp {
        treated,
        control,
        test,
        wdd,
        ratio_of_ratios,
        verdict,
    }
}

/// A survey share: the weighted share, its effective and actual number of answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// Weighted share of problem answers (0–1).
    pub share: f64,
    /// Effective sample size (Kish).
    pub n_eff: f64,
    /// Answers.
    pub n: u64,
}

/// The follow-up of a survey indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareFollowUp {
    /// Treated (baseline, follow-up).
    pub treated: (Option<Share>, Option<Share>),
    /// Comparison places (baseline, follow-up).
    pub control: Option<(Option<Share>, Option<Share>)>,
    /// Follow-up minus baseline (percentage points) with its interval.
    pub change_pp: Option<(f64, f64, f64)>,
    /// Difference in differences against the comparison places (percentage points)
    /// with its interval.
    pub did_pp: Option<(f64, f64, f64)>,
    /// The verdict: from the difference in differences when there are comparison
    /// places, else from the change.
    pub verdict: Verdict,
}

/// Follows up a survey share; shares on fewer than `min_answers` answers cannot be
/// assessed.
pub fn follow_up_shares(
    treated: (Option<Share>, Option<Share>),
    control: Option<(Option<Share>, Option<Share>)>,
    direction: Direction,
    min_answers: u64,
    level: f64,
) -> ShareFollowUp {
    let enough = |s: &Option<Share>| s.is_some_and(|s| s.n >= min_answers);
    let change = |(b, f): (Option<Share>, Option<Share>)| -> Option<(f64, f64, f64)> {
        let (b, f) = (b?, f?);
        let (low, high) = newcombe(f.share, f.n_eff, b.share, b.n_eff, level)?;
        Some(((f.share - b.share) * 100.0, low * 100.0, high * 100.0))
    };
    let change_pp = change(treated);
    let did_pp = control.and_then(|c| {
        let (tb, tf, cb, cf) = (treated.0?, treated.1?, c.0?, c.1?);
        let var = |s: Share| s.share * (1.0 - s.share) / s.n_eff.max(1.0);
        let d = (tf.share - tb.share) - (cf.share - cb.share);
        let se = (var(tb) + var(tf) + var(cb) + var(cf)).sqrt();
        let half = z_value(level) * se;
        Some((d * 100.0, (d - half) * 100.0, (d + half) * 100.0))
    });
    let assessable = enough(&treated.0)
        && enough(&treated.1)
        && control.is_none_or(|c| enough(&c.0) && enough(&c.1));
    let verdict = if !assessable {
        Verdict::CannotAssess
    } else {
        let interval = if control.is_some() { did_pp } else { change_pp };
        let clear =
            interval.and_then(|(d, low, high)| (low > 0.0 || high < 0.0).then_some(d > 0.0));
        Verdict::of(clear, direction)
    };
    ShareFollowUp {
        treated,
        control,
        change_pp,
        did_pp,
        verdict,
    }
}

/// Which incidents (or events) an indicator counts.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Offence or event-type patterns (`*` wildcard, any case); empty = all.
    pub offences: Vec<String>,
    /// Priority areas; empty = all.
    pub areas: Vec<String>,
    /// Places; empty = all.
    pub places: Vec<String>,
}

/// Counts per (year, month) of the rows of `frame` the selection takes. `frame` has
/// `offence`, `place` and `occurred_at`, and `count` when rows are counted with a
/// weight; `long` (one row per incident and area, with `id` and the area column) is
/// needed when the selection names areas.
pub fn monthly_counts(
    frame: &DataFrame,
    long: Option<&DataFrame>,
    selection: &Selection,
) -> PolarsResult<BTreeMap<(i32, u32), u64>> {
    let source = match (selection.areas.is_empty(), long) {
        (false, Some(long)) => {
            let areas = Series::new("a".into(), selection.areas.clone());
            long.clone()
                .lazy()
                .filter(col(super::classify::AREA).is_in(lit(areas).implode(true), false))
                // An incident in two of the areas is still one incident.
                .unique_stable(Some(cols(["id"])), UniqueKeepStrategy::First)
        }
        _ => frame.clone().lazy(),
    };
    let mut filter = lit(true);
    if !selection.offences.is_empty() {
        filter = filter.and(super::classify::offence_filter(frame, &selection.offences)?);
    }
    if !selection.places.is_empty() {
        let places = Series::new("p".into(), selection.places.clone());
        filter = filter.and(col("place").is_in(lit(places).implode(true), false));
    }
    let weight = if frame.column("count").is_ok() {
        col("count").cast(DataType::Int64)
    } else {
        lit(1i64)
    };
    let counted = source
        .filter(filter.and(col("occurred_at").is_not_null()))
        .select([
            col("occurred_at").dt().year().alias("y"),
            col("occurred_at")
                .dt()
                .month()
                .cast(DataType::Int32)
                .alias("m"),
            weight.alias("n"),
        ])
        .group_by([col("y"), col("m")])
        .agg([col("n").sum()])
        .collect()?;
    let (y, m, n) = (
        counted.column("y")?.i32()?,
        counted.column("m")?.i32()?,
        counted.column("n")?.i64()?,
    );
    let mut out = BTreeMap::new();
    for i in 0..counted.height() {
        if let (Some(y), Some(m), Some(n)) = (y.get(i), m.get(i), n.get(i)) {
            out.insert((y, m as u32), n.max(0) as u64);
        }
    }
    Ok(out)
}

/// The distinct non-null values of a string column.
pub fn distinct(frame: &DataFrame, column: &str) -> PolarsResult<Vec<String>> {
    let unique = frame.column(column)?.str()?.unique()?;
    Ok(unique.iter().flatten().map(str::to_owned).collect())
}

/// The sum of `monthly` over `months`.
pub fn total_in(monthly: &BTreeMap<(i32, u32), u64>, months: Months) -> u64 {
    monthly
        .range(months.first..=months.last)
        .map(|(_, n)| *n)
        .sum()
}

/// Rolling 12-month sums ending at each month from `first` to `last`.
pub fn rolling_12(
    monthly: &BTreeMap<(i32, u32), u64>,
    first: (i32, u32),
    last: (i32, u32),
) -> Vec<((i32, u32), u64)> {
    let mut out = Vec::new();
    let mut at = first;
    while at <= last {
        let start = back_11(at);
        out.push((at, monthly.range(start..=at).map(|(_, n)| *n).sum()));
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    out
}

fn back_11((y, m): (i32, u32)) -> (i32, u32) {
    let index = y * 12 + m as i32 - 1 - 11;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// Significance level of every follow-up test.
pub const ALPHA: f64 = 0.05;

/// The follow-up of one indicator.
#[derive(Debug, Clone)]
pub struct IndicatorResult {
    /// The promise's id.
    pub promise: String,
    /// The promise's title.
    pub title: String,
    /// The promise's start.
    pub start: chrono::NaiveDate,
    /// The indicator.
    pub indicator: Indicator,
    /// Count follow-up (incidents, events).
    pub counts: Option<CountFollowUp>,
    /// Share follow-up (survey).
    pub shares: Option<ShareFollowUp>,
    /// Why the indicator could not be computed at all (no survey, no events).
    pub missing: Option<String>,
    /// Rolling 12-month counts at the treated places (incidents, events).
    pub rolling: Vec<((i32, u32), u64)>,
}

impl IndicatorResult {
    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        self.counts
            .as_ref()
            .map(|c| c.verdict)
            .or(self.shares.as_ref().map(|s| s.verdict))
            .unwrap_or(Verdict::CannotAssess)
    }
}

/// The follow-up of every indicator of every promise.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// One per indicator, in the file's order.
    pub indicators: Vec<IndicatorResult>,
}

/// Where the indicators are counted from.
pub struct Sources<'a> {
    /// Placed and classified incidents.
    pub prepared: &'a crate::analysis::Prepared,
    /// The project's configuration.
    pub config: &'a crate::model::config::Config,
    /// Survey responses, when the project has any.
    pub survey: Option<&'a DataFrame>,
    /// The police's events (imported), when the project has any.
    pub events: Option<&'a DataFrame>,
}

/// Follows up every indicator of `promises`.
pub fn evaluate(promises: &Promises, sources: &Sources) -> anyhow::Result<Evaluation> {
    let mut indicators = Vec::new();
    for promise in &promises.promises {
        for indicator in &promise.indicators {
            indicators.push(follow_up(promise, indicator, sources)?);
        }
    }
    Ok(Evaluation { indicators })
}

fn follow_up(
    promise: &Promise,
    indicator: &Indicator,
    sources: &Sources,
) -> anyhow::Result<IndicatorResult> {
    let mut result = IndicatorResult {
        promise: promise.id.clone(),
        title: promise.title.clone(),
        start: promise.start,
        indicator: indicator.clone(),
        counts: None,
        shares: None,
        missing: None,
        rolling: Vec::new(),
    };
    let selection = |places: &[String]| Selection {
        offences: indicator.offences.clone(),
        areas: indicator.areas.clone(),
        places: places.to_vec(),
    };
    let (baseline, followup) = (indicator.baseline, indicator.followup);
    match indicator.kind {
        IndicatorKind::Incidents | IndicatorKind::Events => {
            let prepared = sources.prepared;
            let (frame, long) = match indicator.kind {
                IndicatorKind::Incidents => (Some(&prepared.incidents), Some(prepared.long()?)),
                _ => (sources.events, None),
            };
            let Some(frame) = frame else {
                result.missing = Some("no_events".into());
                return Ok(result);
            };
            if indicator.kind == IndicatorKind::Events && !indicator.areas.is_empty() {
                anyhow::bail!(
                    "löftet '{}', indikatorn '{}': polisens händelser väljs med offences (händelsetyper), inte areas",
                    promise.id,
                    indicator.id
                );
            }
            let treated = monthly_counts(frame, long, &selection(&indicator.places))?;
            let pair = |m: &std::collections::BTreeMap<(i32, u32), u64>| {
                (total_in(m, baseline), total_in(m, followup))
            };
            let control = if indicator.controls.is_empty() {
                None
            } else {
                let monthly = monthly_counts(frame, long, &selection(&indicator.controls))?;
                Some(pair(&monthly))
            };
            result.counts = Some(follow_up_counts(
                pair(&treated),
                control,
                indicator.direction,
                ALPHA,
            ));
            // From a year before the baseline's end to the follow-up's end.
            let first = baseline.first;
            result.rolling = rolling_12(&treated, first, followup.last)
                .into_iter()
                .filter(|(at, _)| *at >= back(baseline.last, 0).max(first))
                .collect();
        }
        IndicatorKind::Survey => {
            let config = sources.config;
            let (Some(responses), Some(def)) = (sources.survey, &config.survey_definition) else {
                result.missing = Some("no_survey".into());
                return Ok(result);
            };
            let item = indicator.item.as_deref().unwrap_or_default();
            anyhow::ensure!(
                def.items.iter().any(|i| i.id == item),
                "löftet '{}', indikatorn '{}': frågan '{item}' finns inte i enkätdefinitionen",
                promise.id,
                indicator.id
            );
            let share_of = |places: &[String], year: i32| -> anyhow::Result<Option<Share>> {
                survey_share(responses, def, config, item, places, year)
            };
            let years = (baseline.first.0, followup.first.0);
            let treated = (
                share_of(&indicator.places, years.0)?,
                share_of(&indicator.places, years.1)?,
            );
            let control = if indicator.controls.is_empty() {
                None
            } else {
                Some((
                    share_of(&indicator.controls, years.0)?,
                    share_of(&indicator.controls, years.1)?,
                ))
            };
            result.shares = Some(follow_up_shares(
                treated,
                control,
                indicator.direction,
                u64::from(config.statistics.min_answers),
                1.0 - ALPHA,
            ));
        }
    }
    Ok(result)
}

/// The month `n` months before `at`.
fn back(at: (i32, u32), n: u32) -> (i32, u32) {
    let index = at.0 * 12 + at.1 as i32 - 1 - n as i32;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The weighted share of problem answers to `item` at `places` (all when empty) in
/// the survey of `year`.
fn survey_share(
    responses: &DataFrame,
    def: &crate::model::survey::SurveyDefinition,
    config: &crate::model::config::Config,
    item: &str,
    places: &[String],
    year: i32,
) -> anyhow::Result<Option<Share>> {
    let mut filter = col("year").cast(DataType::Int64).eq(lit(i64::from(year)));
    if !places.is_empty() {
        let list = Series::new("p".into(), places.to_vec());
        filter = filter.and(col("place").is_in(lit(list).implode(true), false));
    }
    let chosen = responses.clone().lazy().filter(filter).collect()?;
    if chosen.height() == 0 {
        return Ok(None);
    }
    let opts = SurveyOptions {
        by: vec![SurveyDim::Year],
        min_answers: config.statistics.min_answers,
        level: 1.0 - ALPHA,
        design_effect: config.statistics.design_effect,
    };
    let table = shares(&chosen, def, &opts)?;
    let row = table
        .clone()
        .lazy()
        .filter(col("item").eq(lit(item)))
        .collect()?;
    if row.height() == 0 {
        return Ok(None);
    }
    let n = row.column("n")?.i64()?.get(0).unwrap_or(0);
    let share = row.column("share")?.f64()?.get(0);
    let n_eff = row.column("n_eff")?.f64()?.get(0);
    Ok(match (share, n_eff) {
        (Some(share), Some(n_eff)) if n > 0 => Some(Share {
            share,
            n_eff,
            n: n as u64,
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// anchors.md §2 (ptools `wdd`, control first): control 20 → 20, treated 20 → 10
    /// gives WDD −10, SE 8,3666, Z −1,195, 90 % interval −23,76 to 3,76.
    #[test]
    fn wdd_matches_ptools() {
        let w = wdd((20, 10), (20, 20), 0.90).unwrap();
        assert_eq!(w.wdd, -10.0);
        assert!(close(w.se, 8.3666, 5e-5), "{w:?}");
        assert!(close(w.z, -1.195, 5e-4), "{w:?}");
        assert!(
            close(w.ci.0, -23.76, 5e-3) && close(w.ci.1, 3.76, 5e-3),
            "{w:?}"
        );
        assert_eq!(wdd((0, 0), (0, 0), 0.9), None);
    }

    /// Treated 20 → 10 against control 20 → 20: (10/20)/(20/20) = 0,5; log SE
    /// √(1/20 + 1/10 + 1/20 + 1/20) = √0,25 = 0,5; 95 % interval 0,5·e^(±1,96·0,5) =
    /// 0,1877 to 1,3322.
    #[test]
    fn ratio_of_ratios_by_hand() {
        let (r, low, high) = ratio_of_ratios((20, 10), (20, 20), 0.95).unwrap();
        assert!(close(r, 0.5, 1e-12));
        assert!(close(low, 0.5 * (-1.959964 * 0.5f64).exp(), 1e-5), "{low}");
        assert!(close(high, 0.5 * (1.959964 * 0.5f64).exp(), 1e-5), "{high}");
        assert!(close(low, 0.1877, 1e-4) && close(high, 1.3322, 1e-4));
        assert_eq!(ratio_of_ratios((0, 3), (4, 4), 0.95), None);
    }

    #[test]
    fn verdicts_say_improvement_only_when_the_data_can_tell() {
        // Fires 50 → 20 (a 60 % drop) with a steady control 40 → 41.
        let drop = follow_up_counts((50, 20), Some((40, 41)), Direction::Decrease, 0.05);
        assert_eq!(drop.verdict, Verdict::Improvement, "{drop:?}");
        // No effect: 50 → 48 with the control 40 → 41.
        let none = follow_up_counts((50, 48), Some((40, 41)), Direction::Decrease, 0.05);
        assert_eq!(none.verdict, Verdict::NoClearChange);
        // Both fall alike: no effect of the promise.
        let alike = follow_up_counts((50, 20), Some((50, 20)), Direction::Decrease, 0.05);
        assert_ne!(alike.verdict, Verdict::Improvement);
        // A place with 3 incidents in all cannot be assessed (3 → 0 gives p = 0,25).
        let few = follow_up_counts((3, 0), None, Direction::Decrease, 0.05);
        assert_eq!(few.verdict, Verdict::CannotAssess);
        // Without controls, the exact test: 30 → 10 is a clear drop; 10 → 30 worse.
        assert_eq!(
            follow_up_counts((30, 10), None, Direction::Decrease, 0.05).verdict,
            Verdict::Improvement
        );
        assert_eq!(
            follow_up_counts((10, 30), None, Direction::Decrease, 0.05).verdict,
            Verdict::Deterioration
        );
        assert!(!can_assess_counts(5, 0.05) && can_assess_counts(6, 0.05));
    }

    #[test]
    fn survey_follow_up_needs_enough_answers() {
        let s = |share: f64, n: u64| {
            Some(Share {
                share,
                n_eff: n as f64,
                n,
            })
        };
        let better = follow_up_shares(
            (s(0.40, 400), s(0.25, 400)),
            None,
            Direction::Decrease,
            30,
            0.95,
        );
        assert_eq!(better.verdict, Verdict::Improvement);
        let (d, low, high) = better.change_pp.unwrap();
        assert!(close(d, -15.0, 1e-9) && low < d && d < high && high < 0.0);
        let few = follow_up_shares(
            (s(0.40, 20), s(0.25, 400)),
            None,
            Direction::Decrease,
            30,
            0.95,
        );
        assert_eq!(few.verdict, Verdict::CannotAssess);
        // The control fell as much: no effect.
        let alike = follow_up_shares(
            (s(0.40, 400), s(0.25, 400)),
            Some((s(0.40, 400), s(0.25, 400))),
            Direction::Decrease,
            30,
            0.95,
        );
        assert_eq!(alike.verdict, Verdict::NoClearChange);
    }

    #[test]
    fn rolling_sums_and_totals() {
        let mut monthly = BTreeMap::new();
        for m in 1..=12 {
            monthly.insert((2024, m), 1);
            monthly.insert((2025, m), 2);
        }
        let year = Months::parse("2025").unwrap();
        assert_eq!(total_in(&monthly, year), 24);
        let r = rolling_12(&monthly, (2024, 12), (2025, 12));
        assert_eq!(r.first(), Some(&((2024, 12), 12)));
        assert_eq!(r.get(1), Some(&((2025, 1), 13)));
        assert_eq!(r.last(), Some(&((2025, 12), 24)));
    }
}
