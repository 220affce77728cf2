//! Offence types: what drives each priority area, and what stands out at each focus
//! place against the rest of the municipality.
//!
//! Every figure is a count of one offence type (as written in the data) over the same
//! spans every comparison between years uses (whole years, or the same months when
//! the report year is not over), so that it goes through the same linked disclosure
//! control as every other count ([`super::protect`]). At places, offence types that
//! any incident of a sensitive area has (reported for the whole municipality only) are
//! never broken down, so that the sensitive area cannot be read off them.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::chart::{ChartSpec, LineChart};
use super::{
    months_label, periods_in, t, year_figures_of, Cells, Chart, Paragraph, Piece, Span, Table,
    Value,
};
use crate::analysis::aggregate::{Dim, Options, Populations};
use crate::analysis::classify::AREA;
use crate::analysis::period::Period;
use crate::analysis::stats::rate_ratio_test;
use crate::analysis::Prepared;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::publication::{CellKey, ANY_AREA};

/// How many offence types each area's table lists.
const TOP_IN_AREA: usize = 8;
/// How many offence types each focus place's table lists.
const TOP_AT_PLACE: usize = 6;
/// Significance level of the tests.
const ALPHA: f64 = 0.05;

/// Offence counts per area and place over the spans comparisons use.
pub(super) struct OffenceCells {
    /// Area × offence × year, whole years: which offence types weigh most.
    pub(super) whole: Cells,
    /// Area × offence × year over the compared spans.
    pub(super) by_area: Cells,
    /// Offence × year in the whole municipality (every area), compared spans.
    pub(super) any: Cells,
    /// Offence × place × year (every area), compared spans.
    pub(super) at_place: Cells,
    /// Offence types with an incident of an area reported for the whole municipality
    /// only: never broken down by place.
    pub(super) sensitive: BTreeSet<String>,
    /// The span a compared count of a year covers.
    pub(super) through: Option<u32>,
}

impl OffenceCells {
    /// Counts the offence types of `prepared`. `through` is the last month of every
    /// year compared (the same months when the report year is not over), `None` for
    /// whole years.
    pub(super) fn count(
        prepared: &Prepared,
        config: &Config,
        pops: &Populations,
        through: Option<u32>,
    ) -> anyhow::Result<OffenceCells> {
        let count = |by: Vec<Dim>, through_month: Option<u32>| {
            let opts = Options {
                by,
                period: Period::Year,
                from: None,
                to: None,
                level: 0.95,
                through_month,
            };
            prepared.aggregate(&opts, pops)
        };
        let area_offence = vec![Dim::PriorityArea, Dim::Offence];
        let place_offence = vec![Dim::Offence, Dim::Place];
        Ok(OffenceCells {
            whole: super::cells(
                &count(area_offence.clone(), None)?,
                &[AREA, "offence", "period"],
            )?,
            by_area: super::cells(&count(area_offence, through)?, &[AREA, "offence", "period"])?,
            any: super::cells(&count(vec![Dim::Offence], through)?, &["offence", "period"])?,
            at_place: super::cells(
                &count(place_offence, through)?,
                &["offence", "place", "period"],
            )?,
            sensitive: sensitive_offences(prepared, config)?,
            through,
        })
    }

    /// The span the compared count of `year` covers.
    pub(super) fn span(&self, year: i32) -> Span {
        match self.through {
            Some(m) => Span::YearTo(year, m),
            None => Span::Year(year),
        }
    }

    /// " jan–okt" when years are compared over the same months, else "".
    pub(super) fn months(&self, lang: Lang) -> String {
        self.through
            .map_or(String::new(), |m| format!(" {}", months_label(m, lang)))
    }
}

/// Offence types that any incident of a sensitive area (not reported by place) has.
pub(super) fn sensitive_offences(
    prepared: &Prepared,
    config: &Config,
) -> PolarsResult<BTreeSet<String>> {
    let sensitive: Vec<String> = config
        .areas
        .areas
        .iter()
        .filter(|a| a.sensitive && !config.report.sensitive_by_place)
        .map(|a| a.slug.clone())
        .collect();
    crate::analysis::suggest::offences_in(prepared.area_offences()?, &sensitive)
}

/// The offence types of `area` that weigh most over the whole data (at least `k`
/// incidents), largest first (by name on a tie).
fn top_in_area(cells: &OffenceCells, area: &str, k: i64) -> Vec<String> {
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for (key, c) in &cells.whole {
        if key[0] == area {
            *totals.entry(key[1].as_str()).or_default() += c.count;
        }
    }
    let mut list: Vec<(&str, i64)> = totals.into_iter().filter(|(_, n)| *n >= k).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    list.into_iter()
        .take(TOP_IN_AREA)
        .map(|(o, _)| o.to_owned())
        .collect()
}

/// What drives an area: its largest offence types with the counts of the year before
/// and the report year, the rate, change and assessment, and the whole data's count;
/// then the offence types whose change is statistically clear. Empty when the area has
/// no offence type with `k` incidents or the report year has only begun.
pub(super) fn area_breakdown(
    cells: &OffenceCells,
    slug: &str,
    name: &str,
    opts: &super::ReportOptions,
) -> (Vec<Paragraph<Value>>, Option<Table<Value>>) {
    let (lang, year) = (opts.lang, opts.year);
    let offences = top_in_area(cells, slug, opts.threshold);
    if offences.is_empty() {
        return (Vec::new(), None);
    }
    let months = cells.months(lang);
    let span_of = |y: i32| cells.span(y);
    let mut rows = Vec::new();
    let mut moved = Vec::new();
    for offence in &offences {
        let key_of = |s: Span| CellKey::offence(slug, None, offence, s);
        let prefix = [slug.to_owned(), offence.clone()];
        let f = year_figures_of(&cells.by_area, &prefix, &key_of, &span_of, year, lang);
        let previous = Value::Count(key_of(span_of(year - 1)));
        rows.push(vec![
            Value::Text(offence.clone()),
            previous,
            f.count.clone(),
            f.rate_100k,
            f.change_pct.clone(),
            f.verdict.clone(),
            Value::Count(key_of(Span::Total)),
        ]);
        let clear = cells
            .by_area
            .get(&vec![slug.to_owned(), offence.clone(), year.to_string()])
            .is_some_and(|c| matches!(c.verdict.as_str(), "increase" | "decrease"));
        if clear {
            moved.push(Piece::IfShown {
                inputs: vec![key_of(span_of(year)), key_of(span_of(year - 1))],
                then: vec![
                    Piece::Text(format!(" {offence}: ")),
                    Piece::Value(f.verdict),
                    Piece::Text(" (".into()),
                    Piece::Value(Value::Count(key_of(span_of(year - 1)))),
                    Piece::Text(" → ".into()),
                    Piece::Value(f.count),
                    Piece::Text(").".into()),
                ],
                otherwise: Vec::new(),
            });
        }
    }
    let table = Table {
        name: format!("{slug}-brottstyper"),
        title: format!("{name} – {}", t(lang, "brottstyper", "offence types")),
        headers: vec![
            t(lang, "Brottstyp", "Offence type"),
            format!("{} {}{months}", t(lang, "Antal", "Count"), year - 1),
            format!("{} {year}{months}", t(lang, "Antal", "Count")),
            format!(
                "{} {year}{months}",
                t(lang, "Per 100 000 inv.", "Per 100,000 inh.")
            ),
            format!("{} (%)", t(lang, "Förändring", "Change")),
            t(lang, "Bedömning", "Assessment"),
            t(lang, "Antal, alla år", "Count, all years"),
        ],
        rows,
    };
    let mut text = vec![Paragraph::text(match lang {
        Lang::Sv => format!(
            "Vad driver området: de brottstyper (som de står i underlaget) som har flest händelser under hela perioden, med {}{months} jämfört med {}{months} (exakt test, 5 %).",
            year,
            year - 1
        ),
        Lang::En => format!(
            "What drives the area: the offence types (as written in the data) with the most incidents over the whole period, {}{months} against {}{months} (exact test, 5 %).",
            year,
            year - 1
        ),
    })];
    if !moved.is_empty() {
        let mut pieces = vec![Piece::Text(t(
            lang,
            "Tydliga förändringar:",
            "Clear changes:",
        ))];
        pieces.extend(moved);
        text.push(Paragraph(pieces));
    }
    (text, Some(table))
}

/// One offence type at a place against the rest of the municipality.
struct AtPlace {
    offence: String,
    /// Count at the place in the report year (compared span).
    here: i64,
    /// The exact rate-ratio test against the rest of the municipality, when the
    /// place's population is known.
    test: Option<crate::analysis::stats::RateRatio>,
}

impl AtPlace {
    /// Clearly above the rest of the municipality.
    fn stands_out(&self) -> bool {
        self.test
            .is_some_and(|r| r.p_value < ALPHA && r.ratio.is_none_or(|x| x > 1.0))
    }
}

/// The offence types with at least `k` incidents at `place` in the report year, those clearly above the rest of
/// the municipality first (the strongest evidence first: the highest lower limit), then
/// the rest by count.
fn offences_at(
    cells: &OffenceCells,
    place: &str,
    population: Option<u64>,
    municipality: u64,
    year: i32,
    k: i64,
) -> Vec<AtPlace> {
    let this = year.to_string();
    let mut list: Vec<AtPlace> = cells
        .at_place
        .iter()
        // An offence type with fewer than k incidents in the report year would be a row
        // of marks, and its small counts would cost other figures to protect.
        .filter(|(key, c)| key[1] == place && key[2] == this && c.count >= k)
        .filter(|(key, _)| !cells.sensitive.contains(&key[0]))
        .map(|(key, c)| {
            let all = cells
                .any
                .get(&vec![key[0].clone(), this.clone()])
                .map_or(c.count, |m| m.count);
            let test = population
                .filter(|&p| p > 0 && p < municipality)
                .and_then(|p| {
                    rate_ratio_test(
                        c.count as u64,
                        (all - c.count).max(0) as u64,
                        p as f64,
                        (municipality - p) as f64,
                        0.95,
                    )
                });
            AtPlace {
                offence: key[0].clone(),
                here: c.count,
                test,
            }
        })
        .collect();
    list.sort_by(|a, b| {
        b.stands_out()
            .cmp(&a.stands_out())
            .then_with(|| {
                let low = |x: &AtPlace| x.test.map_or(0.0, |r| r.ci_low);
                low(b).total_cmp(&low(a))
            })
            .then(b.here.cmp(&a.here))
            .then(a.offence.cmp(&b.offence))
    });
    list.truncate(TOP_AT_PLACE);
    list
}

/// What stands out at a focus place: a lead sentence on the offence type furthest
/// above the rest of the municipality, a table of the place's offence types with rates,
/// rate ratios, exact tests and changes, and the lead offence's yearly trend.
pub(super) fn focus_breakdown(
    cells: &OffenceCells,
    place: &str,
    config: &Config,
    opts: &super::ReportOptions,
) -> (
    Vec<Paragraph<Value>>,
    Option<Table<Value>>,
    Option<Chart<Value>>,
) {
    let (lang, year) = (opts.lang, opts.year);
    let population = config
        .places
        .find(place)
        .and_then(|p| p.population)
        .filter(|&p| p > 0);
    let municipality = config.municipality.population;
    let list = offences_at(cells, place, population, municipality, year, opts.threshold);
    if list.is_empty() {
        return (
            vec![Paragraph::text(match lang {
                // Said so that it is true whether there were no incidents or only types
                // with fewer than k (which are not published).
                Lang::Sv => format!(
                    "Ingen brottstyp har {k} eller fler händelser i {place} under {year}, så det finns ingen uppdelning på brottstyper att visa.",
                    k = opts.threshold
                ),
                Lang::En => format!(
                    "No offence type has {k} or more incidents in {place} in {year}, so there is no breakdown by offence type to show.",
                    k = opts.threshold
                ),
            })],
            None,
            None,
        );
    }
    let months = cells.months(lang);
    let span_of = |y: i32| cells.span(y);
    let here = |o: &str, s: Span| CellKey::offence(ANY_AREA, Some(place), o, s);
    let all = |o: &str, s: Span| CellKey::offence(ANY_AREA, None, o, s);
    let per_1000 = |inputs: Vec<CellKey>, x: Option<f64>| Value::Derived {
        inputs,
        value: x.map(|x| x * 1000.0),
        decimals: 1,
    };
    let mut rows = Vec::new();
    for row in &list {
        let o = row.offence.as_str();
        let (now, then, whole) = (
            here(o, span_of(year)),
            here(o, span_of(year - 1)),
            all(o, span_of(year)),
        );
        let both = vec![now.clone(), whole.clone()];
        let all_count = cells
            .any
            .get(&vec![o.to_owned(), year.to_string()])
            .map_or(0, |c| c.count);
        let rest_rate = population.and_then(|p| {
            (municipality > p).then(|| (all_count - row.here) as f64 / (municipality - p) as f64)
        });
        let prefix = [o.to_owned(), place.to_owned()];
        let f = year_figures_of(
            &cells.at_place,
            &prefix,
            &|s| here(o, s),
            &span_of,
            year,
            lang,
        );
        let test = row.test;
        rows.push(vec![
            Value::Text(o.to_owned()),
            Value::Count(then),
            Value::Count(now.clone()),
            per_1000(
                vec![now.clone()],
                population.map(|p| row.here as f64 / p as f64),
            ),
            per_1000(both.clone(), rest_rate),
            Value::Derived {
                inputs: both.clone(),
                value: test.and_then(|r| r.ratio),
                decimals: 1,
            },
            Value::Derived {
                inputs: both.clone(),
                value: test.map(|r| r.ci_low),
                decimals: 1,
            },
            Value::Derived {
                inputs: both.clone(),
                value: test.and_then(|r| r.ci_high),
                decimals: 1,
            },
            Value::DerivedP {
                inputs: both,
                p: test.map(|r| r.p_value),
            },
            f.verdict,
        ]);
    }
    let table = Table {
        name: format!("fokus-{}-brottstyper", crate::text::fold_key(place)),
        title: format!(
            "{place} – {}",
            t(
                lang,
                "brottstyper mot övriga kommunen",
                "offence types against the rest of the municipality"
            )
        ),
        headers: vec![
            t(lang, "Brottstyp", "Offence type"),
            format!("{} {}{months}", t(lang, "Antal", "Count"), year - 1),
            format!("{} {year}{months}", t(lang, "Antal", "Count")),
            t(lang, "Per 1 000 inv.", "Per 1,000 inh."),
            t(
                lang,
                "Övriga kommunen per 1 000 inv.",
                "Rest of municipality per 1,000 inh.",
            ),
            t(
                lang,
                "Kvot mot övriga kommunen",
                "Ratio to rest of municipality",
            ),
            t(lang, "95 % KI, nedre", "95 % CI, lower"),
            t(lang, "95 % KI, övre", "95 % CI, upper"),
            t(lang, "p-värde", "p-value"),
            format!("{} {}–{year}", t(lang, "Bedömning", "Assessment"), year - 1),
        ],
        rows,
    };
    let lead = &list[0];
    let o = lead.offence.as_str();
    let mut text = Vec::new();
    match lead.test {
        Some(test) if lead.stands_out() => {
            let (now, then, whole) = (here(o, span_of(year)), here(o, span_of(year - 1)), all(o, span_of(year)));
            let inputs = vec![now.clone(), whole.clone()];
            let derived = |x: Option<f64>| Value::Derived {
                inputs: inputs.clone(),
                value: x,
                decimals: 1,
            };
            text.push(Paragraph(vec![Piece::IfShown {
                inputs: vec![now.clone(), whole.clone(), then.clone()],
                then: vec![
                    Piece::Text(format!("{} {place}: {o} – ", t(lang, "Det som sticker ut i", "What stands out in"))),
                    Piece::Value(Value::Count(now.clone())),
                    Piece::Text(format!(" {} {year}{months} (", t(lang, "under", "in"))),
                    Piece::Value(Value::Count(then)),
                    Piece::Text(format!(" {} {}{months}), ", t(lang, "under", "in"), year - 1)),
                    Piece::Value(derived(test.ratio)),
                    Piece::Text(format!(" {} (95 % {} ", t(lang, "gånger nivån per invånare i övriga kommunen", "times the level per inhabitant in the rest of the municipality"), t(lang, "KI", "CI"))),
                    Piece::Value(derived(Some(test.ci_low))),
                    Piece::Text("–".into()),
                    Piece::Value(derived(test.ci_high)),
                    Piece::Text(format!("; {} ", t(lang, "p-värde", "p-value"))),
                    Piece::Value(Value::DerivedP {
                        inputs: inputs.clone(),
                        p: Some(test.p_value),
                    }),
                    Piece::Text(").".into()),
                ],
                otherwise: vec![Piece::Text(format!(
                    "{} {place}: {o}. {}",
                    t(lang, "Den brottstyp som ligger längst över övriga kommunen i", "The offence type furthest above the rest of the municipality in"),
                    t(lang, "Antalen är för små för att visas.", "The counts are too small to show.")
                ))],
            }]));
        }
        Some(_) => {
            let inputs: Vec<CellKey> = list
                .iter()
                .flat_map(|r| [here(&r.offence, span_of(year)), all(&r.offence, span_of(year))])
                .collect();
            text.push(Paragraph(vec![Piece::IfShown {
                inputs,
                then: vec![Piece::Text(match lang {
                    Lang::Sv => format!("Ingen brottstyp ligger tydligt över nivån per invånare i övriga kommunen i {place} under {year}{months} (exakt test, 5 %)."),
                    Lang::En => format!("No offence type is clearly above the level per inhabitant in the rest of the municipality in {place} in {year}{months} (exact test, 5 %)."),
                })],
                otherwise: Vec::new(),
            }]));
        }
        None => text.push(Paragraph::text(match lang {
            Lang::Sv => format!("{place} saknar invånarantal, så brottstyperna jämförs inte med övriga kommunen; tabellen visar antalen."),
            Lang::En => format!("{place} has no population, so its offence types are not compared with the rest of the municipality; the table shows the counts."),
        })),
    }
    // Over the same months of every year when the report year is not over, so that
    // the last point is not a part-year beside whole ones.
    let years = periods_in(&cells.at_place);
    let series: Vec<Value> = years
        .iter()
        .filter_map(|y| y.parse::<i32>().ok())
        .map(|y| Value::Count(here(o, span_of(y))))
        .collect();
    let title = match cells.through {
        Some(_) => format!(
            "{place}: {o},{months} {}",
            t(lang, "varje år", "of each year")
        ),
        None => format!(
            "{place}: {o}, {}",
            t(lang, "antal per år", "count per year")
        ),
    };
    let chart = Chart {
        name: format!("fokus-{}-trend", crate::text::fold_key(place)),
        alt: title.clone(),
        spec: ChartSpec::Line(LineChart {
            title,
            x_title: t(lang, "År", "Year"),
            y_title: t(lang, "Antal händelser", "Incidents"),
            periods: years,
            series: vec![(format!("{o} {} {place}", t(lang, "i", "in")), series)],
        }),
    };
    (text, Some(table), Some(chart))
}
