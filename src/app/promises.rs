//! The follow-up job of medborgarlöften: every indicator of a promises file counted
//! from the project's incidents, survey answers or police events, tested, and turned
//! into the tables `promises evaluate` writes (`indikatorer.csv`, `aktiviteter.csv`).

use polars::prelude::*;

pub use crate::analysis::promises::{evaluate, Evaluation, IndicatorResult, Sources, ALPHA};
use crate::analysis::promises::{Share, Verdict};
use crate::app::project::Project;
use crate::lang::Lang;
use crate::model::promises::{Indicator, IndicatorKind, Promise, Promises};
pub use crate::report::promises::what;

/// The indicator table (`indikatorer.csv`): one row per indicator with its values,
/// change, test, WDD and verdict in words of `lang`.
pub fn indicator_table(evaluation: &Evaluation, lang: Lang) -> PolarsResult<DataFrame> {
    let rows = &evaluation.indicators;
    let text =
        |f: &dyn Fn(&IndicatorResult) -> String| -> Vec<String> { rows.iter().map(f).collect() };
    let kind = |r: &IndicatorResult| match r.indicator.kind {
        IndicatorKind::Incidents => "incidents",
        IndicatorKind::Survey => "survey",
        IndicatorKind::Events => "events",
    };
    let counts = |r: &IndicatorResult| r.counts.clone();
    let shares = |r: &IndicatorResult| r.shares.clone();
    let places = |list: &[String]| {
        if list.is_empty() {
            lang.pick("hela kommunen", "whole municipality").to_owned()
        } else {
            list.join(", ")
        }
    };
    let value = |r: &IndicatorResult, followup: bool| -> Option<f64> {
        match (counts(r), shares(r)) {
            (Some(c), _) => Some(if followup { c.treated.1 } else { c.treated.0 } as f64),
            (_, Some(s)) => {
                let v = if followup { s.treated.1 } else { s.treated.0 };
                v.map(|v| v.share * 100.0)
            }
            _ => None,
        }
    };
    let control = |r: &IndicatorResult, followup: bool| -> Option<f64> {
        match (counts(r), shares(r)) {
            (Some(c), _) => c.control.map(|c| if followup { c.1 } else { c.0 } as f64),
            (_, Some(s)) => s.control.and_then(|c| {
                let v = if followup { c.1 } else { c.0 };
                v.map(|v| v.share * 100.0)
            }),
            _ => None,
        }
    };
    let change = |r: &IndicatorResult| match (counts(r), shares(r)) {
        (Some(c), _) => Some(c.treated.1 as f64 - c.treated.0 as f64),
        (_, Some(s)) => s.change_pp.map(|c| c.0),
        _ => None,
    };
    let p_value = |r: &IndicatorResult| match counts(r) {
        Some(c) => c.wdd.map(|w| w.p_value).or(c.test.map(|t| t.p_value)),
        None => None,
    };
    // The interval of the measure the verdict rests on: the rate ratio (follow-up /
    // baseline) for counts, the change in percentage points (or the difference in
    // differences) for shares.
    let interval = |r: &IndicatorResult, high: bool| match (counts(r), shares(r)) {
        (Some(c), _) => c
            .test
            .and_then(|t| if high { t.ci_high } else { Some(t.ci_low) }),
        (_, Some(s)) => s
            .did_pp
            .or(s.change_pp)
            .map(|(_, low, hi)| if high { hi } else { low }),
        _ => None,
    };
    // Counts are whole; shares, changes and intervals to two decimals, ratios to
    // three, p-values to four (smaller ones as they are, printed in scientific form).
    let round = |d: usize| move |x: Option<f64>| x.map(|x| crate::render::number::round_to(x, d));
    let (r2, r3) = (round(2), round(3));
    let p4 = |x: Option<f64>| {
        x.map(|p| {
            if p < 1e-4 {
                p
            } else {
                crate::render::number::round_to(p, 4)
            }
        })
    };
    let number = |f: &dyn Fn(&IndicatorResult) -> Option<f64>,
                  d: &dyn Fn(Option<f64>) -> Option<f64>|
     -> Vec<Option<f64>> { rows.iter().map(|r| d(f(r))).collect() };
    df!(
        "promise" => text(&|r| r.promise.clone()),
        "indicator" => text(&|r| r.indicator.id.clone()),
        "kind" => text(&|r| kind(r).to_owned()),
        "what" => text(&|r| what(&r.indicator, lang)),
        "place" => text(&|r| places(&r.indicator.places)),
        "controls" => text(&|r| r.indicator.controls.join(", ")),
        "direction" => text(&|r| match r.indicator.direction {
            crate::model::promises::Direction::Decrease => lang.pick("minska", "decrease").to_owned(),
            crate::model::promises::Direction::Increase => lang.pick("öka", "increase").to_owned(),
        }),
        "baseline_period" => text(&|r| r.indicator.baseline.label()),
        "followup_period" => text(&|r| r.indicator.followup.label()),
        "baseline_value" => number(&|r| value(r, false), &r2),
        "followup_value" => number(&|r| value(r, true), &r2),
        "change" => number(&change, &r2),
        "rate_ratio" => number(&|r| counts(r).and_then(|c| c.test.and_then(|t| t.ratio)), &r3),
        "p_value" => number(&p_value, &p4),
        "ci_low" => number(&|r| interval(r, false), &r3),
        "ci_high" => number(&|r| interval(r, true), &r3),
        "control_baseline" => number(&|r| control(r, false), &r2),
        "control_followup" => number(&|r| control(r, true), &r2),
        "wdd" => number(&|r| counts(r).and_then(|c| c.wdd.map(|w| w.wdd)), &r2),
        "wdd_se" => number(&|r| counts(r).and_then(|c| c.wdd.map(|w| w.se)), &r3),
        "ratio_of_ratios" => number(&|r| counts(r).and_then(|c| c.ratio_of_ratios.map(|x| x.0)), &r3),
        "verdict" => text(&|r| lang.word(r.verdict().code()).to_owned()),
        "sentence" => text(&|r| sentence(r, lang)),
    )
}

/// What an indicator counts, short, as the subject of a sentence: "Brand",
/// "Narkotika, Langning", "område narkotika-alkohol", "alla händelser".
fn subject(i: &Indicator, lang: Lang) -> String {
    match i.kind {
        IndicatorKind::Survey => what(i, lang),
        kind => {
            let mut parts: Vec<String> = i.offences.clone();
            if !i.areas.is_empty() {
                parts.push(format!(
                    "{} {}",
                    lang.pick("område", "area"),
                    i.areas.join(", ")
                ));
            }
            match (parts.is_empty(), kind) {
                (true, IndicatorKind::Events) => {
                    lang.pick("Polisens händelser", "Police events").to_owned()
                }
                (true, _) => lang.pick("Alla händelser", "All incidents").to_owned(),
                (false, IndicatorKind::Events) => format!(
                    "{} ({})",
                    parts.join(", "),
                    lang.pick("polisens händelser", "police events")
                ),
                (false, _) => parts.join(", "),
            }
        }
    }
}

/// The follow-up in one plain sentence.
pub fn sentence(r: &IndicatorResult, lang: Lang) -> String {
    let i = &r.indicator;
    let places = if i.places.is_empty() {
        lang.pick("hela kommunen", "the whole municipality")
            .to_owned()
    } else {
        i.places.join(", ")
    };
    let num = |x: f64, d: usize| crate::render::number::decimals(x, d, lang);
    let p = |x: f64| p_words(x, lang);
    let verdict = lang.word(r.verdict().code());
    if let Some(why) = &r.missing {
        return match (why.as_str(), lang) {
            ("no_survey", Lang::Sv) => {
                format!("{}: inga enkätsvar att följa upp med – {verdict}.", i.id)
            }
            ("no_survey", Lang::En) => {
                format!("{}: no survey answers to follow up with – {verdict}.", i.id)
            }
            (_, Lang::Sv) => format!("{}: inga av polisens händelser inlästa – {verdict}.", i.id),
            (_, Lang::En) => format!("{}: no police events read – {verdict}.", i.id),
        };
    }
    if let Some(c) = &r.counts {
        let (at, during, against) = (
            lang.pick("i", "in"),
            lang.pick("under", "in"),
            lang.pick("mot", "against"),
        );
        let mut s = format!(
            "{} {at} {places}: {} {during} {} {against} {} {during} {}",
            subject(i, lang),
            c.treated.1,
            i.followup.label(),
            c.treated.0,
            i.baseline.label()
        );
        if let Some(t) = c.test {
            s.push_str(&format!(" ({})", p(t.p_value)));
        }
        if let (Some(ctrl), Some(w)) = (c.control, c.wdd) {
            s.push_str(&match lang {
                Lang::Sv => format!(
                    "; jämförelseplatserna {} → {}, WDD {} (SE {}, {})",
                    ctrl.0,
                    ctrl.1,
                    num(w.wdd, 0),
                    num(w.se, 1),
                    p(w.p_value)
                ),
                Lang::En => format!(
                    "; comparison places {} → {}, WDD {} (SE {}, {})",
                    ctrl.0,
                    ctrl.1,
                    num(w.wdd, 0),
                    num(w.se, 1),
                    p(w.p_value)
                ),
            });
        }
        s.push_str(&ending(
            c.verdict,
            lang.pick(
                "för få händelser för att någon förändring ska kunna säkerställas",
                "too few incidents for any change to be told from chance",
            ),
            lang,
        ));
        return s;
    }
    if let Some(sh) = &r.shares {
        let pct = |v: Option<Share>| {
            v.map_or(lang.pick("inga svar", "no answers").to_owned(), |v| {
                format!(
                    "{} % ({} {})",
                    num(v.share * 100.0, 0),
                    v.n,
                    lang.pick("svar", "answers")
                )
            })
        };
        let mut s = format!(
            "{} {} {places}: {} {} {} {} {}",
            what(i, lang),
            lang.pick("i", "in"),
            pct(sh.treated.1),
            i.followup.label(),
            lang.pick("mot", "against"),
            pct(sh.treated.0),
            i.baseline.label()
        );
        if let Some((d, low, high)) = sh.did_pp.or(sh.change_pp) {
            s.push_str(&format!(
                "; {} {} {} (95 % {} {} {} {})",
                if sh.did_pp.is_some() {
                    lang.pick(
                        "skillnad mot jämförelseplatserna",
                        "difference against the comparison places",
                    )
                } else {
                    lang.pick("förändring", "change")
                },
                num(d, 1),
                lang.pick("procentenheter", "percentage points"),
                lang.pick("KI", "CI"),
                num(low, 1),
                lang.pick("till", "to"),
                num(high, 1)
            ));
        }
        s.push_str(&ending(
            sh.verdict,
            lang.pick("för få svar", "too few answers"),
            lang,
        ));
        return s;
    }
    format!("{}: {verdict}.", i.id)
}

/// A sentence's end: " – förbättring." or, when the data cannot tell, why and
/// " … : kan inte bedömas.".
fn ending(verdict: Verdict, too_few: &str, lang: Lang) -> String {
    let word = lang.word(verdict.code());
    if verdict == Verdict::CannotAssess {
        format!(" – {too_few}: {word}.")
    } else {
        format!(" – {word}.")
    }
}

/// A p-value in words: "p < 0,001" or "p = 0,012".
fn p_words(p: f64, lang: Lang) -> String {
    let num = |x: f64| crate::render::number::decimals(x, 3, lang);
    if p < 0.001 {
        format!("p < {}", num(0.001))
    } else {
        format!("p = {}", num(p))
    }
}

/// The activity table (`aktiviteter.csv`): planned and delivered per activity.
pub fn activity_table(promises: &Promises, lang: Lang) -> PolarsResult<DataFrame> {
    let rows: Vec<(&Promise, &crate::model::promises::Activity)> = promises
        .promises
        .iter()
        .flat_map(|p| p.activities.iter().map(move |a| (p, a)))
        .collect();
    let status = |a: &crate::model::promises::Activity| -> String {
        match (a.planned, a.delivered) {
            (_, None) => lang.pick("inte rapporterad", "not reported").to_owned(),
            (Some(p), Some(d)) if d >= p => lang.pick("genomförd", "delivered").to_owned(),
            (Some(_), Some(_)) => lang.pick("delvis genomförd", "partly delivered").to_owned(),
            (None, Some(_)) => lang.pick("genomförd", "delivered").to_owned(),
        }
    };
    df!(
        "promise" => rows.iter().map(|(p, _)| p.id.clone()).collect::<Vec<_>>(),
        "activity" => rows.iter().map(|(_, a)| a.text.clone()).collect::<Vec<_>>(),
        "responsible" => rows.iter().map(|(_, a)| a.responsible.clone().unwrap_or_default()).collect::<Vec<_>>(),
        "planned" => rows.iter().map(|(_, a)| a.planned.map(i64::from)).collect::<Vec<_>>(),
        "delivered" => rows.iter().map(|(_, a)| a.delivered.map(i64::from)).collect::<Vec<_>>(),
        "status" => rows.iter().map(|(_, a)| status(a)).collect::<Vec<_>>(),
    )
}

/// Ranks candidate problems for the project's promises in `year` (the latest year
/// of the data when `None`), compared over the same months of every year when the
/// year is not over on `today`.
pub fn suggest(
    project: &Project,
    survey: Option<&DataFrame>,
    year: Option<i32>,
    today: chrono::NaiveDate,
) -> anyhow::Result<(i32, Option<u32>, Vec<crate::analysis::suggest::Candidate>)> {
    use crate::analysis::suggest::{suggest, SuggestInputs};
    let config = &project.config;
    let prepared = &project.prepared;
    let year = match year {
        Some(y) => y,
        None => crate::app::report::latest_year(prepared)?.ok_or_else(|| {
            anyhow::anyhow!(crate::lang::Said::new(
                "inga godkända händelser att rangordna",
                "no accepted incidents to rank",
            ))
        })?,
    };
    let through = crate::analysis::period::last_complete_month(&prepared.incidents, year, today)?;
    anyhow::ensure!(
        through != Some(0),
        crate::lang::Said::new(
            format!("{year} har ännu ingen hel månad i data; ange ett tidigare år med --year"),
            format!("{year} has no whole month in the data yet; give an earlier year with --year"),
        )
    );
    let pops = crate::analysis::populations(config);
    let inputs = SuggestInputs::of(prepared, config, &pops, survey, year, through)?;
    Ok((year, through, suggest(&inputs)?))
}

/// The name of what a candidate is about: the offence type, or the area's name.
pub fn candidate_name(
    c: &crate::analysis::suggest::Candidate,
    config: &crate::model::config::Config,
    lang: Lang,
) -> String {
    match c.kind {
        crate::analysis::suggest::CandidateKind::Offence => c.what.clone(),
        crate::analysis::suggest::CandidateKind::Area => {
            config
                .areas
                .get(&c.what)
                .map_or(c.what.clone(), |a| match lang {
                    Lang::En => a.name_en.clone(),
                    Lang::Sv => a.name.clone(),
                })
        }
    }
}

/// A candidate's evidence in one plain sentence: "Brand i Karstorp: 47 under 2026
/// jan–nov mot 43 året innan (p = 0,667); 7,8 gånger nivån per invånare i övriga
/// kommunen (95 % KI 5,5–10,9); 38 % ser bränder som ett problem mot 21 % i kommunen."
pub fn candidate_sentence(
    c: &crate::analysis::suggest::Candidate,
    config: &crate::model::config::Config,
    year: i32,
    through: Option<u32>,
    lang: Lang,
) -> String {
    let num = |x: f64, d: usize| crate::render::number::decimals(x, d, lang);
    let p = |x: f64| p_words(x, lang);
    let months = through.map_or(String::new(), |m| {
        format!(" {}", crate::report::months_label(m, lang))
    });
    let name = candidate_name(c, config, lang);
    let place = c.place.clone().unwrap_or_else(|| {
        lang.pick("hela kommunen", "the whole municipality")
            .to_owned()
    });
    let mut s = match lang {
        Lang::Sv => format!(
            "{name} i {place}: {} under {year}{months} mot {} under {}{months}",
            c.count,
            c.previous,
            year - 1
        ),
        Lang::En => format!(
            "{name} in {place}: {} in {year}{months} against {} in {}{months}",
            c.count,
            c.previous,
            year - 1
        ),
    };
    if let Some(t) = c.trend_p {
        s.push_str(&format!(" ({})", p(t)));
    }
    if let Some(r) = c.level {
        let ratio = r.ratio.map_or("∞".to_owned(), |x| num(x, 1));
        let high = r.ci_high.map_or("∞".to_owned(), |x| num(x, 1));
        s.push_str(&match lang {
            Lang::Sv => format!(
                "; {ratio} gånger nivån per invånare i övriga kommunen (95 % KI {}–{high}; {})",
                num(r.ci_low, 1),
                p(r.p_value)
            ),
            Lang::En => format!(
                "; {ratio} times the level per inhabitant in the rest of the municipality (95 % CI {}–{high}; {})",
                num(r.ci_low, 1),
                p(r.p_value)
            ),
        });
    }
    if let Some((item, here, all, _)) = &c.insecurity {
        let label = config
            .survey_definition
            .as_ref()
            .and_then(|d| d.items.iter().find(|i| i.id == *item))
            .map_or(item.clone(), |i| i.label().to_lowercase());
        s.push_str(&match lang {
            Lang::Sv => format!(
                "; {} % svarar \"{label}\" mot {} % i kommunen",
                num(*here, 0),
                num(*all, 0)
            ),
            Lang::En => format!(
                "; {} % answer \"{label}\" against {} % in the municipality",
                num(*here, 0),
                num(*all, 0)
            ),
        });
    }
    s.push('.');
    s
}

/// The candidate table (`promises suggest --format csv`).
pub fn candidate_table(
    list: &[crate::analysis::suggest::Candidate],
    config: &crate::model::config::Config,
    year: i32,
    through: Option<u32>,
    lang: Lang,
) -> PolarsResult<DataFrame> {
    let rank: Vec<i64> = (1..=list.len() as i64).collect();
    df!(
        "rank" => rank,
        "kind" => list.iter().map(|c| match c.kind {
            crate::analysis::suggest::CandidateKind::Offence => "offence",
            crate::analysis::suggest::CandidateKind::Area => "area",
        }).collect::<Vec<_>>(),
        "what" => list.iter().map(|c| candidate_name(c, config, lang)).collect::<Vec<_>>(),
        "place" => list.iter().map(|c| c.place.clone().unwrap_or_default()).collect::<Vec<_>>(),
        "count" => list.iter().map(|c| c.count as i64).collect::<Vec<_>>(),
        "previous" => list.iter().map(|c| c.previous as i64).collect::<Vec<_>>(),
        "trend_p" => list.iter().map(|c| c.trend_p).collect::<Vec<_>>(),
        "rest" => list.iter().map(|c| c.rest.map(|r| r as i64)).collect::<Vec<_>>(),
        "rate_ratio" => list.iter().map(|c| c.level.and_then(|r| r.ratio)).collect::<Vec<_>>(),
        "ci_low" => list.iter().map(|c| c.level.map(|r| r.ci_low)).collect::<Vec<_>>(),
        "ci_high" => list.iter().map(|c| c.level.and_then(|r| r.ci_high)).collect::<Vec<_>>(),
        "p_value" => list.iter().map(|c| c.level.map(|r| r.p_value)).collect::<Vec<_>>(),
        "survey_item" => list.iter().map(|c| c.insecurity.as_ref().map(|i| i.0.clone())).collect::<Vec<_>>(),
        "survey_share" => list.iter().map(|c| c.insecurity.as_ref().map(|i| i.1)).collect::<Vec<_>>(),
        "survey_share_municipality" => list.iter().map(|c| c.insecurity.as_ref().map(|i| i.2)).collect::<Vec<_>>(),
        "weight" => list.iter().map(|c| c.weight).collect::<Vec<_>>(),
        "level_points" => list.iter().map(|c| c.level_points).collect::<Vec<_>>(),
        "trend_points" => list.iter().map(|c| c.trend_points).collect::<Vec<_>>(),
        "insecurity_points" => list.iter().map(|c| c.insecurity_points).collect::<Vec<_>>(),
        "score" => list.iter().map(|c| c.score).collect::<Vec<_>>(),
        "evidence" => list.iter().map(|c| candidate_sentence(c, config, year, through, lang)).collect::<Vec<_>>(),
    )
}
