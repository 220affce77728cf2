//! Candidate problems for medborgarlöften, ranked by a transparent score.
//!
//! A candidate is an offence type or a priority area, at a place or in the whole
//! municipality. Its score is `weight × (level + trend + insecurity)`:
//!
//! * **level**: how far above the rest of the municipality the place lies per
//!   inhabitant – log₂ of the lower 95 % limit of the rate ratio (exact conditional
//!   test), when that limit is above 1 (a place at least twice the level by the
//!   cautious limit scores 1); 0 otherwise and for the whole municipality;
//! * **trend**: +1 for a clear increase from the year before (exact test on the same
//!   months), −0,5 for a clear decrease, else 0;
//! * **insecurity**: the survey item that measures worry about the problem (from the
//!   weight table), a tenth of the lower 95 % limit (in percentage points) of the
//!   place's share above the municipality's, when above 0;
//! * **weight**: for an offence type by default the harm index, log₂(1 + days / 30),
//!   with the days the harm table gives the type as written (`model::harm`); offence
//!   types without a harm weight, every area, and every candidate when the project sets
//!   `candidate_weight = "seriousness"`, take the seriousness table
//!   (`data/sverige/allvarsgrad.toml` or the project's own), where an area weighs as
//!   its heaviest offence type among its incidents.
//!
//! Concentration in place is the level; every part is printed with the candidate so
//! the ranking can be checked by hand.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::aggregate::{Dim, Options, Populations, MISSING};
use super::classify::{OffenceMatcher, AREA};
use super::period::Period;
use super::stats::{rate_ratio_test, RateRatio};
use super::survey::{newcombe, shares, SurveyDim, SurveyOptions};
use crate::model::seriousness::Seriousness;
use crate::model::survey::SurveyDefinition;

/// Significance level of the tests.
const ALPHA: f64 = 0.05;

/// What a candidate is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum CandidateKind {
    /// An offence type as written in the data.
    Offence,
    /// A priority area.
    Area,
}

/// A candidate problem with its evidence and score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Offence type or area.
    pub kind: CandidateKind,
    /// The offence type, or the area's slug.
    pub what: String,
    /// The place, or `None` for the whole municipality.
    pub place: Option<String>,
    /// Incidents in the report year (the compared months).
    pub count: u64,
    /// Incidents in the same months of the year before.
    pub previous: u64,
    /// Incidents in the rest of the municipality in the report year.
    pub rest: Option<u64>,
    /// The place's rate against the rest of the municipality.
    pub level: Option<RateRatio>,
    /// p-value of the change from the year before.
    pub trend_p: Option<f64>,
    /// The seriousness weight.
    pub weight: f64,
    /// Why the weight.
    pub reason: String,
    /// The survey item, the place's and the municipality's share (%) and the lower
    /// limit of their difference (percentage points).
    pub insecurity: Option<(String, f64, f64, f64)>,
    /// Points for the level.
    pub level_points: f64,
    /// Points for the trend.
    pub trend_points: f64,
    /// Points for insecurity.
    pub insecurity_points: f64,
    /// weight × (level + trend + insecurity).
    pub score: f64,
}

/// What the ranking is computed from.
pub struct SuggestInputs<'a> {
    /// The prepared incidents (counted through [`super::Prepared::aggregate`], so
    /// that a table the report has counted is not counted again).
    pub prepared: &'a super::Prepared,
    /// Populations.
    pub pops: &'a Populations,
    /// Places with fewer inhabitants are not compared.
    pub min_population: u64,
    /// At least this many incidents in the report year to be a candidate at a place.
    pub min_count: u64,
    /// Areas never broken down by place (sensitive).
    pub sensitive: Vec<String>,
    /// The areas' slugs in the configuration's order, and whether each counts every
    /// incident (such an area is no candidate of its own: it is the whole picture).
    pub areas: Vec<(String, bool)>,
    /// Weights.
    pub seriousness: &'a Seriousness,
    /// Weigh offence types by this harm table (their weight as written), falling back
    /// to the seriousness table where the table has no weight; `None`: the seriousness
    /// table only.
    pub harm: Option<&'a crate::model::harm::HarmTable>,
    /// Survey responses and definition, when there are any.
    pub survey: Option<(&'a DataFrame, &'a SurveyDefinition, SurveyOptions)>,
    /// The report year.
    pub year: i32,
    /// The last month compared in every year (the same months), `None` for whole
    /// years.
    pub through: Option<u32>,
}

impl<'a> SuggestInputs<'a> {
    /// The inputs of a project: its incidents, populations, areas (sensitive ones
    /// never by place), weights and survey, for `year` compared over January to
    /// `through` of every year (whole years when `None`).
    pub fn of(
        prepared: &'a super::Prepared,
        config: &'a crate::model::config::Config,
        pops: &'a Populations,
        survey: Option<&'a DataFrame>,
        year: i32,
        through: Option<u32>,
    ) -> PolarsResult<SuggestInputs<'a>> {
        Ok(SuggestInputs {
            prepared,
            pops,
            min_population: u64::from(config.statistics.min_population),
            min_count: 3,
            sensitive: config
                .areas
                .areas
                .iter()
                .filter(|a| a.sensitive && !config.report.sensitive_by_place)
                .map(|a| a.slug.clone())
                .collect(),
            areas: config
                .areas
                .areas
                .iter()
                .map(|a| (a.slug.clone(), a.all_incidents))
                .collect(),
            seriousness: &config.seriousness,
            harm: (config.report.candidate_weight == crate::model::config::CandidateWeight::Harm)
                .then_some(&config.harm),
            survey: match (survey, &config.survey_definition) {
                (Some(r), Some(def)) => Some((
                    r,
                    def,
                    SurveyOptions {
                        by: Vec::new(),
                        min_answers: config.statistics.min_answers,
                        level: 0.95,
                        design_effect: config.statistics.design_effect,
                    },
                )),
                _ => None,
            },
            year,
            through,
        })
    }
}

/// Every candidate, highest score first (then most incidents, then by name).
pub fn suggest(inputs: &SuggestInputs) -> PolarsResult<Vec<Candidate>> {
    let count = |by: Vec<Dim>| {
        inputs.prepared.aggregate(
            &Options {
                by,
                period: Period::Year,
                from: None,
                to: None,
                level: 0.95,
                through_month: inputs.through,
            },
            inputs.pops,
        )
    };
    let offence_place = counts(
        &count(vec![Dim::Offence, Dim::Place])?,
        &["offence", "place"],
    )?;
    let offence_all = counts(&count(vec![Dim::Offence])?, &["offence"])?;
    let area_place = counts(
        &count(vec![Dim::PriorityArea, Dim::Place])?,
        &[AREA, "place"],
    )?;
    let area_all = counts(&count(vec![Dim::PriorityArea])?, &[AREA])?;
    let pairs = inputs.prepared.area_offences()?;
    let sensitive_offences = offences_in(pairs, &inputs.sensitive)?;
    let weights = Weights::new(inputs.seriousness);
    let area_weights = area_weights(pairs, &weights)?;
    let harm = inputs.harm.map(super::harm::HarmWeights::new);
    // The weight of an offence type as written, from the table: a setting, never a
    // figure of the data (so it can be printed beside the score).
    let weight_of = |offence: &str| {
        let table = weights.of(offence);
        match harm
            .as_ref()
            .and_then(|h| h.days_of(offence))
            .filter(|d| *d > 0.0)
        {
            Some(days) => harm_weight(days, table.2),
            None => table,
        }
    };
    let insecurity = Insecurity::new(inputs)?;
    let (y, previous) = (inputs.year, inputs.year - 1);
    let municipality = inputs.pops.municipality;
    let mut out = Vec::new();
    let mut add = |kind: CandidateKind,
                   what: &str,
                   place: Option<&str>,
                   table: &Counts,
                   whole: &Counts,
                   weight: (f64, String, Option<String>)| {
        let key = |year: i32| {
            let mut k = vec![what.to_owned()];
            k.extend(place.map(str::to_owned));
            (k, year)
        };
        let now = table.get(&key(y)).copied().unwrap_or(0);
        let before = table.get(&key(previous)).copied().unwrap_or(0);
        if place.is_some() && now < inputs.min_count {
            return;
        }
        if place.is_none() && now + before == 0 {
            return;
        }
        let all_now = whole
            .get(&(vec![what.to_owned()], y))
            .copied()
            .unwrap_or(now);
        let population = place.and_then(|p| inputs.pops.places.get(p).copied());
        let (rest, level) = match population {
            Some(p) if p >= inputs.min_population && p < municipality => {
                let rest = all_now.saturating_sub(now);
                (
                    Some(rest),
                    rate_ratio_test(now, rest, p as f64, (municipality - p) as f64, 0.95),
                )
            }
            _ => (None, None),
        };
        if place.is_some() && level.is_none() {
            return;
        }
        let trend = rate_ratio_test(now, before, 1.0, 1.0, 0.95);
        let level_points = level
            .filter(|r| r.p_value < ALPHA && r.ci_low > 1.0)
            .map_or(0.0, |r| r.ci_low.log2());
        let trend_points = match trend {
            Some(t) if t.p_value < ALPHA && now > before => 1.0,
            Some(t) if t.p_value < ALPHA && now < before => -0.5,
            _ => 0.0,
        };
        let (weight, reason, item) = weight;
        let insecurity = match (place, &item) {
            (Some(p), Some(item)) => insecurity.at(item, p),
            _ => None,
        };
        let insecurity_points = insecurity.as_ref().map_or(0.0, |i| (i.3 / 10.0).max(0.0));
        let score = weight * (level_points + trend_points + insecurity_points);
        out.push(Candidate {
            kind,
            what: what.to_owned(),
            place: place.map(str::to_owned),
            count: now,
            previous: before,
            rest,
            level,
            trend_p: trend.map(|t| t.p_value),
            weight,
            reason,
            insecurity,
            level_points,
            trend_points,
            insecurity_points,
            score,
        });
    };
    let places: BTreeSet<&str> = offence_place
        .keys()
        .filter_map(|(k, _)| k.get(1).map(String::as_str))
        .collect();
    let offences: BTreeSet<&str> = offence_all.keys().map(|(k, _)| k[0].as_str()).collect();
    for offence in &offences {
        let w = weight_of(offence);
        add(
            CandidateKind::Offence,
            offence,
            None,
            &offence_all,
            &offence_all,
            w.clone(),
        );
        if sensitive_offences.contains(*offence) {
            continue;
        }
        for place in &places {
            add(
                CandidateKind::Offence,
                offence,
                Some(place),
                &offence_place,
                &offence_all,
                w.clone(),
            );
        }
    }
    for (slug, all_incidents) in &inputs.areas {
        if *all_incidents {
            continue;
        }
        let w = area_weights.get(slug).cloned().unwrap_or((
            inputs.seriousness.default,
            String::new(),
            None,
        ));
        add(
            CandidateKind::Area,
            slug,
            None,
            &area_all,
            &area_all,
            w.clone(),
        );
        if inputs.sensitive.contains(slug) {
            continue;
        }
        for place in &places {
            add(
                CandidateKind::Area,
                slug,
                Some(place),
                &area_place,
                &area_all,
                w.clone(),
            );
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.count.cmp(&a.count))
            .then(a.what.cmp(&b.what))
            .then(a.place.cmp(&b.place))
    });
    Ok(out)
}

/// The harm index as a candidate weight: log₂(1 + days / 30), so that the general
/// prison minimum of one month weighs 1, a year about 3,7 and ten years about 7; the
/// logarithm keeps one grave offence type from drowning every other part of the score.
fn harm_weight(days: f64, survey_item: Option<String>) -> (f64, String, Option<String>) {
    (
        (1.0 + days / 30.0).log2(),
        format!("skadeindex: {days:.0} dagar (straffskalan)"),
        survey_item,
    )
}

/// Counts keyed by (key columns, year).
type Counts = BTreeMap<(Vec<String>, i32), u64>;

fn counts(frame: &DataFrame, keys: &[&str]) -> PolarsResult<Counts> {
    let period = frame.column("period")?.str()?;
    let count = frame.column("count")?.i64()?;
    let columns: Vec<&StringChunked> = keys
        .iter()
        .map(|k| frame.column(k).and_then(|c| c.str()))
        .collect::<PolarsResult<_>>()?;
    let mut out = Counts::new();
    for i in 0..frame.height() {
        let (Some(p), Some(n)) = (period.get(i), count.get(i)) else {
            continue;
        };
        let Ok(year) = p.parse::<i32>() else {
            continue;
        };
        let key: Vec<String> = columns
            .iter()
            .map(|c| c.get(i).unwrap_or(MISSING).to_owned())
            .collect();
        out.insert((key, year), n.max(0) as u64);
    }
    Ok(out)
}

/// Offence types with an incident in any of `areas` (`pairs`: every pair of area and
/// offence type, [`super::Prepared::area_offences`]).
pub fn offences_in(pairs: &DataFrame, areas: &[String]) -> PolarsResult<BTreeSet<String>> {
    let (area, offence) = (pairs.column(AREA)?.str()?, pairs.column("offence")?.str()?);
    Ok(area
        .iter()
        .zip(offence.iter())
        .filter_map(|(a, o)| Some((a?, o?)))
        .filter(|(a, _)| areas.iter().any(|wanted| wanted == a))
        .map(|(_, o)| o.to_owned())
        .collect())
}

/// The weight table compiled for matching.
struct Weights<'a> {
    table: &'a Seriousness,
    matchers: Vec<OffenceMatcher>,
}

impl<'a> Weights<'a> {
    fn new(table: &'a Seriousness) -> Self {
        Weights {
            table,
            matchers: table
                .rules
                .iter()
                .map(|r| OffenceMatcher::new(&r.offences))
                .collect(),
        }
    }

    /// (weight, reason, survey item) of an offence type.
    fn of(&self, offence: &str) -> (f64, String, Option<String>) {
        self.matchers
            .iter()
            .zip(&self.table.rules)
            .find(|(m, _)| m.matches(offence))
            .map_or((self.table.default, String::new(), None), |(_, r)| {
                (r.weight, r.reason.clone(), r.survey_item.clone())
            })
    }
}

/// Each area's weight: its heaviest offence type among its incidents (`pairs`: every
/// pair of area and offence type, in the order first met).
fn area_weights(
    pairs: &DataFrame,
    weights: &Weights,
) -> PolarsResult<BTreeMap<String, (f64, String, Option<String>)>> {
    let (area, offence) = (pairs.column(AREA)?.str()?, pairs.column("offence")?.str()?);
    let mut out: BTreeMap<String, (f64, String, Option<String>)> = BTreeMap::new();
    for i in 0..pairs.height() {
        let (Some(a), Some(o)) = (area.get(i), offence.get(i)) else {
            continue;
        };
        let w = weights.of(o);
        let entry = out.entry(a.to_owned()).or_insert_with(|| w.clone());
        if w.0 > entry.0 {
            *entry = w;
        }
    }
    Ok(out)
}

/// Survey shares per item × place and item in the whole municipality, in the latest
/// survey year up to the report year.
struct Insecurity {
    /// (item, place) → (share, n_eff); place "" for the municipality.
    shares: BTreeMap<(String, String), (f64, f64)>,
    /// Fewer answers than this are not used.
    enough: BTreeMap<(String, String), bool>,
}

impl Insecurity {
    fn new(inputs: &SuggestInputs) -> PolarsResult<Insecurity> {
        let mut out = Insecurity {
            shares: BTreeMap::new(),
            enough: BTreeMap::new(),
        };
        let Some((responses, def, opts)) = &inputs.survey else {
            return Ok(out);
        };
        let years = responses.column("year")?.cast(&DataType::Int64)?;
        let latest = years
            .i64()?
            .iter()
            .flatten()
            .filter(|&y| y <= i64::from(inputs.year))
            .max();
        let Some(latest) = latest else {
            return Ok(out);
        };
        let chosen = (*responses)
            .clone()
            .lazy()
            .filter(col("year").cast(DataType::Int64).eq(lit(latest)))
            .collect()?;
        for (by, place_column) in [(vec![SurveyDim::Place], true), (Vec::new(), false)] {
            let o = SurveyOptions {
                by,
                min_answers: opts.min_answers,
                level: opts.level,
                design_effect: opts.design_effect,
            };
            let table = shares(&chosen, def, &o)?;
            let item = table.column("item")?.str()?;
            let n = table.column("n")?.i64()?;
            let share = table.column("share")?.f64()?;
            let n_eff = table.column("n_eff")?.f64()?;
            let place = if place_column {
                Some(table.column("place")?.str()?.clone())
            } else {
                None
            };
            for i in 0..table.height() {
                let (Some(it), Some(s), Some(ne)) = (item.get(i), share.get(i), n_eff.get(i))
                else {
                    continue;
                };
                let p = place
                    .as_ref()
                    .and_then(|c| c.get(i))
                    .unwrap_or("")
                    .to_owned();
                let key = (it.to_owned(), p);
                out.enough.insert(
                    key.clone(),
                    n.get(i).unwrap_or(0) >= i64::from(opts.min_answers),
                );
                out.shares.insert(key, (s, ne));
            }
        }
        Ok(out)
    }

    /// (item, place %, municipality %, lower limit of the difference in points).
    fn at(&self, item: &str, place: &str) -> Option<(String, f64, f64, f64)> {
        let here = (item.to_owned(), place.to_owned());
        let all = (item.to_owned(), String::new());
        if !self.enough.get(&here).copied().unwrap_or(false) {
            return None;
        }
        let (p1, n1) = *self.shares.get(&here)?;
        let (p0, n0) = *self.shares.get(&all)?;
        let (low, _) = newcombe(p1, n1, p0, n0, 0.95)?;
        Some((item.to_owned(), p1 * 100.0, p0 * 100.0, low * 100.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::classify::{area_offence_pairs, flag_areas, long_frame};
    use crate::model::priority::PriorityAreas;

    /// The pairs of area and offence type, and so each area's weight and the offence
    /// types of an area, are the pairs of the long frame's texts, in the same order
    /// (ties in weight go to the first met).
    #[test]
    fn area_offence_pairs_are_the_pairs_of_the_texts() {
        let areas =
            PriorityAreas::parse(include_str!("../../data/vastervik/priority_areas.toml")).unwrap();
        let offences = [
            Some("Stöld"),
            Some("Rattfylleri"),
            None,
            Some("Misshandel"),
            Some(MISSING),
            Some("Skadegörelse"),
            Some("Narkotikabrott, innehav"),
            Some("Stöld"),
        ];
        let n = offences.len();
        let incidents = df!(
            "offence" => offences,
            "offence_code" => vec![None::<&str>; n],
            "suspect_age" => (0..n).map(|i| (i % 3 == 0).then_some(16i32)).collect::<Vec<_>>(),
            "close_relation" => (0..n).map(|i| Some(i == 3)).collect::<Vec<_>>(),
            "place" => vec![Some("Edsbruk"); n],
            "count" => vec![1i64; n],
        )
        .unwrap();
        let long = long_frame(&flag_areas(&incidents, &areas).unwrap(), &areas).unwrap();
        let by_number = area_offence_pairs(&long).unwrap();
        let by_text = long
            .clone()
            .lazy()
            .select([col(AREA), col("offence").fill_null(lit(MISSING))])
            .unique_stable(None, UniqueKeepStrategy::First)
            .collect()
            .unwrap();
        assert!(by_number.equals_missing(&by_text), "{by_number}\n{by_text}");
        // A missing offence and the text for it are one pair: no pair twice.
        let distinct = by_number
            .unique_stable(None, UniqueKeepStrategy::First, None)
            .unwrap();
        assert_eq!(distinct.height(), by_number.height(), "{by_number}");
        let seriousness = Seriousness::embedded();
        let weights = Weights::new(&seriousness);
        let weighed = area_weights(&by_number, &weights).unwrap();
        assert!(weighed.len() >= 3, "{weighed:?}");
        let slugs: Vec<String> = areas.areas.iter().map(|a| a.slug.clone()).collect();
        let all = offences_in(&by_number, &slugs).unwrap();
        assert!(all.contains(MISSING) && all.contains("Stöld"), "{all:?}");
    }
}
