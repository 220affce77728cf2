//! The report's sections on medborgarlöften: the candidate problems the lägesbild
//! points at ("Underlag för medborgarlöften") and the follow-up of the promises the
//! project names ("Uppföljning av medborgarlöften").
//!
//! Every count is a [`CellKey`], so it goes through the same disclosure control as the
//! rest of the report; a score, ratio or verdict is shown only when every count it
//! rests on is. An indicator whose counts no key can name (a wildcard, several places
//! or areas, months that are not whole years) is shown with its verdict alone, and its
//! counts stay in `lagesbild promises evaluate`'s working tables.

use polars::prelude::*;

use super::{months_label, t, Paragraph, Piece, Public, Published, Section, Span, Table, Value};
use crate::analysis::classify::OffenceMatcher;
use crate::analysis::promises::{evaluate, IndicatorResult, Sources};
use crate::analysis::suggest::{suggest, Candidate, CandidateKind, SuggestInputs};
use crate::analysis::Prepared;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::promises::{Indicator, IndicatorKind, Promises};
use crate::model::publication::{CellKey, ANY_AREA};

/// How many candidates the report lists.
const TOP: usize = 10;

/// What an indicator counts, in words.
pub fn what(i: &Indicator, lang: Lang) -> String {
    match i.kind {
        IndicatorKind::Survey => format!(
            "{} {}",
            lang.pick("enkätfrågan", "survey item"),
            i.item.as_deref().unwrap_or_default()
        ),
        kind => {
            let mut parts = Vec::new();
            if !i.offences.is_empty() {
                parts.push(i.offences.join(", "));
            }
            if !i.areas.is_empty() {
                parts.push(format!(
                    "{} {}",
                    lang.pick("område", "area"),
                    i.areas.join(", ")
                ));
            }
            if parts.is_empty() {
                parts.push(lang.pick("alla", "all").to_owned());
            }
            let source = match kind {
                IndicatorKind::Events => lang.pick("polisens händelser", "police events"),
                _ => lang.pick("händelser", "incidents"),
            };
            format!("{source}: {}", parts.join("; "))
        }
    }
}

/// The counts of a candidate in a year's compared span.
fn candidate_key(c: &Candidate, span: Span) -> CellKey {
    match c.kind {
        CandidateKind::Offence => CellKey::offence(ANY_AREA, c.place.as_deref(), &c.what, span),
        CandidateKind::Area => match &c.place {
            Some(p) => CellKey::at(&c.what, p, span),
            None => CellKey::municipality(&c.what, span),
        },
    }
}

/// "Underlag för medborgarlöften": the strongest candidate problems with their
/// evidence and score.
pub(super) fn candidates_section(
    prepared: &Prepared,
    config: &Config,
    survey: Option<&DataFrame>,
    through: Option<u32>,
    opts: &super::ReportOptions,
) -> anyhow::Result<Section<Value>> {
    let (lang, year) = (opts.lang, opts.year);
    let pops = crate::analysis::populations(config);
    let inputs = SuggestInputs::of(prepared, config, &pops, survey, year, through)?;
    let list: Vec<Candidate> = suggest(&inputs)?.into_iter().take(TOP).collect();
    let span = |y: i32| through.map_or(Span::Year(y), |m| Span::YearTo(y, m));
    let months = through.map_or(String::new(), |m| format!(" {}", months_label(m, lang)));
    let mut rows = Vec::new();
    for (rank, c) in list.iter().enumerate() {
        let (now, before) = (
            candidate_key(c, span(year)),
            candidate_key(c, span(year - 1)),
        );
        let whole = Candidate {
            place: None,
            ..c.clone()
        };
        let all = candidate_key(&whole, span(year));
        let level_inputs = vec![now.clone(), all.clone()];
        let derived = |inputs: &Vec<CellKey>, x: Option<f64>, d: usize| Value::Derived {
            inputs: inputs.clone(),
            value: x,
            decimals: d,
        };
        let name = match c.kind {
            CandidateKind::Offence => c.what.clone(),
            CandidateKind::Area => {
                config
                    .areas
                    .get(&c.what)
                    .map_or(c.what.clone(), |a| match lang {
                        Lang::Sv => a.name.clone(),
                        Lang::En => a.name_en.clone(),
                    })
            }
        };
        let level = c.level;
        rows.push(vec![
            Value::Sealed(Published::public_count(rank as i64 + 1, Public::Label)),
            Value::Text(name),
            Value::Text(
                c.place
                    .clone()
                    .unwrap_or_else(|| t(lang, "Hela kommunen", "Whole municipality")),
            ),
            Value::Count(before.clone()),
            Value::Count(now.clone()),
            Value::DerivedP {
                inputs: vec![now.clone(), before.clone()],
                p: c.trend_p,
            },
            derived(&level_inputs, level.and_then(|r| r.ratio), 1),
            derived(&level_inputs, level.map(|r| r.ci_low), 1),
            derived(&level_inputs, level.and_then(|r| r.ci_high), 1),
            Value::DerivedP {
                inputs: level_inputs.clone(),
                p: level.map(|r| r.p_value),
            },
            Value::Sealed(Published::public_number(c.weight, 1, Public::Setting)),
            derived(&vec![now, before, all], Some(c.score), 2),
        ]);
    }
    let table = Table {
        name: "medborgarloften-underlag".into(),
        title: t(lang, "Kandidatproblem", "Candidate problems"),
        headers: vec![
            t(lang, "Rang", "Rank"),
            t(lang, "Problem", "Problem"),
            t(lang, "Plats", "Place"),
            format!("{} {}{months}", t(lang, "Antal", "Count"), year - 1),
            format!("{} {year}{months}", t(lang, "Antal", "Count")),
            t(lang, "p-värde, förändring", "p-value, change"),
            t(
                lang,
                "Kvot mot övriga kommunen",
                "Ratio to rest of municipality",
            ),
            t(lang, "95 % KI, nedre", "95 % CI, lower"),
            t(lang, "95 % KI, övre", "95 % CI, upper"),
            t(lang, "p-värde, nivå", "p-value, level"),
            t(lang, "Vikt", "Weight"),
            t(lang, "Poäng", "Score"),
        ],
        rows,
    };
    let text = vec![
        Paragraph::text(t(
            lang,
            "Ett underlag för att välja medborgarlöften, inte ett beslut: brottstyper och prioriterade områden per plats och i hela kommunen, rangordnade efter poängen vikt × (nivå + trend + otrygghet). Nivå är log₂ av den nedre 95 %-gränsen för kvoten mot övriga kommunen per invånare när den ligger över 1 (exakt test); trend är +1 för en säker ökning från samma månader året innan och −0,5 för en säker minskning; otrygghet är en tiondel av den nedre gränsen (procentenheter) för hur många fler som ser problemet i enkäten än i kommunen; vikten är allvarsgraden ur projektets vikttabell. Samma lista med alla delar: lagesbild promises suggest.",
            "A basis for choosing medborgarlöften, not a decision: offence types and priority areas by place and in the whole municipality, ranked by the score weight × (level + trend + insecurity). Level is log₂ of the lower 95 % limit of the ratio to the rest of the municipality per inhabitant when above 1 (exact test); trend is +1 for a clear increase from the same months of the year before and −0.5 for a clear decrease; insecurity is a tenth of the lower limit (percentage points) of how many more see the problem in the survey than in the municipality; the weight is the seriousness from the project's weight table. The same list with every part: lagesbild promises suggest.",
        )),
    ];
    Ok(Section {
        title: t(
            lang,
            "Underlag för medborgarlöften",
            "Basis for medborgarlöften",
        ),
        text,
        charts: Vec::new(),
        tables: vec![table],
    })
}

/// The keys of an indicator's counts at `places` (one or none) when a key can name
/// them: one offence as written (the pattern matching exactly one offence of the
/// data) or one area, and whole years.
fn indicator_keys(
    r: &IndicatorResult,
    places: &[String],
    offences_in_data: &[String],
) -> Option<(CellKey, CellKey)> {
    let i = &r.indicator;
    if i.kind != IndicatorKind::Incidents || places.len() > 1 {
        return None;
    }
    let (b, f) = (i.baseline.year()?, i.followup.year()?);
    let place = places.first().map(String::as_str);
    match (i.offences.as_slice(), i.areas.as_slice()) {
        ([pattern], []) => {
            let matcher = OffenceMatcher::new(std::slice::from_ref(pattern));
            let mut found = offences_in_data.iter().filter(|o| matcher.matches(o));
            let offence = found.next()?;
            if found.next().is_some() {
                return None;
            }
            Some((
                CellKey::offence(ANY_AREA, place, offence, Span::Year(b)),
                CellKey::offence(ANY_AREA, place, offence, Span::Year(f)),
            ))
        }
        ([], [area]) => {
            let key = |y| match place {
                Some(p) => CellKey::at(area, p, Span::Year(y)),
                None => CellKey::municipality(area, Span::Year(y)),
            };
            Some((key(b), key(f)))
        }
        _ => None,
    }
}

/// "Uppföljning av medborgarlöften": each indicator's counts or shares, test and
/// verdict, and each activity planned and delivered.
pub(super) fn follow_up_section(
    promises: &Promises,
    prepared: &Prepared,
    config: &Config,
    survey: Option<&DataFrame>,
    events: Option<&DataFrame>,
    dialogues: Option<&DataFrame>,
    opts: &super::ReportOptions,
) -> anyhow::Result<Section<Value>> {
    let lang = opts.lang;
    let evaluation = evaluate(
        promises,
        &Sources {
            prepared,
            config,
            survey,
            events,
        },
    )?;
    let offences = crate::analysis::promises::distinct(&prepared.incidents, "offence")?;
    let min_answers = i64::from(config.statistics.min_answers);
    let few = lang.word("too_few_answers").to_owned();
    let mut rows = Vec::new();
    let mut hidden_counts = false;
    for r in &evaluation.indicators {
        let i = &r.indicator;
        let treated = indicator_keys(r, &i.places, &offences);
        let control = if i.controls.is_empty() {
            None
        } else {
            indicator_keys(r, &i.controls, &offences)
        };
        let named = treated.is_some() && (i.controls.is_empty() || control.is_some());
        let mut inputs: Vec<CellKey> = Vec::new();
        let pair = |keys: &Option<(CellKey, CellKey)>| match keys {
            Some((b, f)) => (Value::Count(b.clone()), Value::Count(f.clone())),
            None => (Value::Empty, Value::Empty),
        };
        let (mut base, mut follow) = pair(&treated);
        let (cbase, cfollow) = pair(&control);
        if let Some((b, f)) = &treated {
            inputs.extend([b.clone(), f.clone()]);
        }
        if let Some((b, f)) = &control {
            inputs.extend([b.clone(), f.clone()]);
        }
        if let Some(s) = &r.shares {
            let share = |v: Option<crate::analysis::promises::Share>| {
                Value::Sealed(Published::survey_value(
                    v.map(|v| v.share * 100.0),
                    0,
                    v.map_or(0, |v| v.n as i64),
                    min_answers,
                    &few,
                ))
            };
            base = share(s.treated.0);
            follow = share(s.treated.1);
        }
        if r.counts.is_some() && !named {
            hidden_counts = true;
        }
        let verdict_word = lang.word(r.verdict().code()).to_owned();
        // A verdict on counts the report cannot name rests on no published count: it
        // is said, with the counts left to the working tables.
        let verdict = Value::DerivedText {
            inputs: if named { inputs.clone() } else { Vec::new() },
            text: verdict_word,
        };
        let p = r
            .counts
            .as_ref()
            .and_then(|c| c.wdd.map(|w| w.p_value).or(c.test.map(|t| t.p_value)));
        rows.push(vec![
            Value::Text(r.title.clone()),
            Value::Text(what(i, lang)),
            Value::Text(if i.places.is_empty() {
                t(lang, "Hela kommunen", "Whole municipality")
            } else {
                i.places.join(", ")
            }),
            Value::Text(i.baseline.label()),
            Value::Text(i.followup.label()),
            base,
            follow,
            Value::Text(i.controls.join(", ")),
            cbase,
            cfollow,
            if named {
                Value::DerivedP {
                    inputs: inputs.clone(),
                    p,
                }
            } else {
                Value::Empty
            },
            verdict,
        ]);
    }
    let indicators = Table {
        name: "medborgarloften-indikatorer".into(),
        title: t(lang, "Indikatorer", "Indicators"),
        // Short headers: twelve columns fit the printed page.
        headers: vec![
            t(lang, "Löfte", "Promise"),
            t(lang, "Indikator", "Indicator"),
            t(lang, "Plats", "Place"),
            t(lang, "Bas", "Base"),
            t(lang, "Uppf.", "Follow-up"),
            t(lang, "Värde bas", "Value base"),
            t(lang, "Värde uppf.", "Value follow-up"),
            t(lang, "Jämförelse", "Comparison"),
            t(lang, "Jmf. bas", "Comp. base"),
            t(lang, "Jmf. uppf.", "Comp. follow-up"),
            t(lang, "p", "p"),
            t(lang, "Omdöme", "Verdict"),
        ],
        rows,
    };
    let activity_rows: Vec<Vec<Value>> = promises
        .promises
        .iter()
        .flat_map(|p| {
            p.activities.iter().map(move |a| {
                let n = super::participation::public_if_known;
                vec![
                    Value::Text(p.title.clone()),
                    Value::Text(a.text.clone()),
                    Value::Text(a.responsible.clone().unwrap_or_default()),
                    n(a.planned),
                    n(a.delivered),
                ]
            })
        })
        .collect();
    let activities = Table {
        name: "medborgarloften-aktiviteter".into(),
        title: t(lang, "Aktiviteter", "Activities"),
        headers: vec![
            t(lang, "Löfte", "Promise"),
            t(lang, "Aktivitet", "Activity"),
            t(lang, "Ansvarig", "Responsible"),
            t(lang, "Planerat", "Planned"),
            t(lang, "Genomfört", "Delivered"),
        ],
        rows: activity_rows,
    };
    let mut text = vec![Paragraph::text(t(
        lang,
        "Varje indikator jämför en basperiod med en lika lång uppföljningsperiod. Antal prövas med ett exakt test; med jämförelseplatser prövas skillnaden mot dem (WDD, weighted displacement difference), så att en minskning som också skett där inte räknas som löftets verkan. Enkätandelar jämförs med Newcombes intervall. Omdömet är förbättring, försämring, ingen säker förändring eller kan inte bedömas (för få händelser eller svar för att någon förändring ska kunna säkerställas).",
        "Each indicator compares a baseline with a follow-up period of the same length. Counts are tested with an exact test; with comparison places the difference against them is tested (WDD, weighted displacement difference), so that a fall that also happened there is not taken as the promise's effect. Survey shares are compared with Newcombe's interval. The verdict is improvement, deterioration, no clear change or cannot be assessed (too few incidents or answers for any change to be told from chance).",
    ))];
    if hidden_counts {
        text.push(Paragraph::text(t(
            lang,
            "Indikatorer med flera platser, mönster eller månader som inte är hela år visas med omdömet; deras antal finns i lagesbild promises evaluate.",
            "Indicators with several places, patterns or months that are not whole years are shown with their verdict; their counts are in lagesbild promises evaluate.",
        )));
    }
    // Delaktighet: the dialogues held at each promise's places in its follow-up year.
    if let Some(log) = dialogues {
        for promise in &promises.promises {
            let Some(year) = promise.indicators.first().map(|i| i.followup.last.0) else {
                continue;
            };
            let (occasions, people) =
                super::participation::Participation::at_places(log, &promise.places, year)?;
            let public = |n: i64| Piece::Value(super::participation::public(n));
            text.push(Paragraph(vec![
                Piece::Text(format!(
                    "{} – {} {year}: ",
                    promise.title,
                    t(
                        lang,
                        "dialoger och trygghetsvandringar på löftets platser",
                        "dialogues and safety walks at the promise's places in"
                    )
                )),
                public(occasions),
                Piece::Text(format!(" {}, ", t(lang, "tillfällen", "occasions"))),
                public(people),
                Piece::Text(format!(" {}.", t(lang, "deltagare", "participants"))),
            ]));
        }
    }
    text.extend(
        evaluation
            .indicators
            .iter()
            .filter(|r| r.missing.is_some())
            .map(|r| {
                Paragraph(vec![Piece::Text(format!(
                    "{}: {}",
                    r.indicator.id,
                    t(
                        lang,
                        "underlaget saknas i projektet (enkät eller polisens händelser).",
                        "the project has no data for it (survey or police events)."
                    )
                ))])
            }),
    );
    Ok(Section {
        title: t(
            lang,
            "Uppföljning av medborgarlöften",
            "Follow-up of medborgarlöften",
        ),
        text,
        charts: Vec::new(),
        tables: vec![indicators, activities],
    })
}

/// Promises drawn from the strongest candidate problems at places (offence types),
/// for a draft when the project has no promises file: "Färre bränder"-style titles
/// are left to the parties; the draft names the problem as counted.
pub fn promises_from_candidates(candidates: &[Candidate], year: i32, count: usize) -> Promises {
    let promises = candidates
        .iter()
        .filter(|c| c.kind == CandidateKind::Offence && c.place.is_some())
        .take(count)
        .map(|c| {
            let place = c.place.clone().unwrap_or_default();
            let id = crate::text::fold_key(&format!("{place}-{}", c.what));
            let months = crate::model::promises::Months {
                first: (year, 1),
                last: (year, 12),
            };
            crate::model::promises::Promise {
                id: id.clone(),
                title: format!("{} – {place}", c.what),
                text: String::new(),
                places: vec![place.clone()],
                areas: Vec::new(),
                responsible: Vec::new(),
                start: chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default(),
                activities: Vec::new(),
                indicators: vec![Indicator {
                    id,
                    kind: IndicatorKind::Incidents,
                    offences: vec![c.what.clone()],
                    areas: Vec::new(),
                    item: None,
                    places: vec![place],
                    baseline: months,
                    followup: crate::model::promises::Months {
                        first: (year + 1, 1),
                        last: (year + 1, 12),
                    },
                    direction: crate::model::promises::Direction::Decrease,
                    controls: Vec::new(),
                }],
            }
        })
        .collect();
    Promises { promises }
}

/// A draft promise document in the shape of a medborgarlöfte: for each promise its
/// text and parties, the problem picture at its places (the offence types against the
/// rest of the municipality, with the trend), what each party does, and the
/// indicators with their baselines and how they are followed up. Marked as a draft
/// for the kommunpolis and the municipality to edit.
pub(super) fn promise_document(
    inputs: &super::Inputs,
    opts: &super::ReportOptions,
    list: &Promises,
) -> anyhow::Result<super::Report<Value>> {
    let (lang, config, prepared) = (opts.lang, inputs.config, inputs.prepared);
    let through = crate::analysis::period::last_complete_month(
        &prepared.incidents,
        opts.year,
        opts.generated,
    )?;
    let pops = crate::analysis::populations(config);
    let cells = match through {
        Some(0) => None,
        t => Some(super::offences::OffenceCells::count(
            prepared, config, &pops, t,
        )?),
    };
    let offences = crate::analysis::promises::distinct(&prepared.incidents, "offence")?;
    let survey = inputs.survey.map(|l| &l.frame);
    let evaluation = evaluate(
        list,
        &Sources {
            prepared,
            config,
            survey,
            events: inputs.polisen.map(|(_, i)| &i.frame),
        },
    )?;
    let mut sections = vec![Section {
        title: t(lang, "Om utkastet", "About this draft"),
        text: vec![Paragraph::text(t(
            lang,
            "UTKAST – ett förslag för kommunpolisen och kommunen att bearbeta, inte ett beslutat medborgarlöfte. Problembilden är hämtad ur lägesbilden; aktiviteter, ansvar och formuleringar bestäms i dialog med medborgarna. Små antal är dolda som i lägesbilden.",
            "DRAFT – a proposal for the kommunpolis and the municipality to edit, not an agreed medborgarlöfte. The problem picture is taken from the situation picture; activities, responsibilities and wording are decided in dialogue with the citizens. Small numbers are hidden as in the situation picture.",
        ))],
        charts: Vec::new(),
        tables: Vec::new(),
    }];
    let min_answers = i64::from(config.statistics.min_answers);
    let few = lang.word("too_few_answers").to_owned();
    for (n, promise) in list.promises.iter().enumerate() {
        let mut section = Section {
            title: promise.title.clone(),
            text: Vec::new(),
            charts: Vec::new(),
            tables: Vec::new(),
        };
        if !promise.text.is_empty() {
            section.text.push(Paragraph::text(promise.text.clone()));
        }
        if !promise.responsible.is_empty() {
            section.text.push(Paragraph::text(format!(
                "{}: {}. {}: {}.",
                t(lang, "Ansvariga", "Responsible"),
                promise.responsible.join(", "),
                t(lang, "Start", "Start"),
                promise.start
            )));
        }
        section.text.push(Paragraph::text(t(
            lang,
            "Problembilden:",
            "The problem picture:",
        )));
        for place in &promise.places {
            if let Some(cells) = &cells {
                let (text, table, chart) =
                    super::offences::focus_breakdown(cells, place, config, opts);
                section.text.extend(text);
                section.tables.extend(table.map(|mut tb| {
                    // The same table may stand in two promises; names stay unique.
                    tb.name = format!("utkast-{n}-{}", tb.name);
                    tb
                }));
                section.charts.extend(chart.map(|mut c| {
                    c.name = format!("utkast-{n}-{}", c.name);
                    c
                }));
            }
        }
        let activities: Vec<Vec<Value>> = promise
            .activities
            .iter()
            .map(|a| {
                let count = super::participation::public_if_known;
                vec![
                    Value::Text(a.text.clone()),
                    Value::Text(a.responsible.clone().unwrap_or_default()),
                    count(a.planned),
                ]
            })
            .collect();
        section.text.push(Paragraph::text(if activities.is_empty() {
            t(
                lang,
                "Vad parterna gör: att fylla i (aktiviteter med ansvarig och planerat antal).",
                "What the parties do: to be filled in (activities with who is responsible and how many are planned).",
            )
        } else {
            t(lang, "Vad parterna gör: se tabellen Aktiviteter.", "What the parties do: see the table Activities.")
        }));
        if !activities.is_empty() {
            section.tables.push(Table {
                name: format!("utkast-{n}-aktiviteter"),
                title: format!(
                    "{} – {}",
                    promise.title,
                    t(lang, "aktiviteter", "activities")
                ),
                headers: vec![
                    t(lang, "Aktivitet", "Activity"),
                    t(lang, "Ansvarig", "Responsible"),
                    t(lang, "Planerat", "Planned"),
                ],
                rows: activities,
            });
        }
        let mut indicator_rows = Vec::new();
        for r in evaluation
            .indicators
            .iter()
            .filter(|r| r.promise == promise.id)
        {
            let i = &r.indicator;
            let baseline = match (&r.shares, indicator_keys(r, &i.places, &offences)) {
                (Some(s), _) => Value::Sealed(Published::survey_value(
                    s.treated.0.map(|v| v.share * 100.0),
                    0,
                    s.treated.0.map_or(0, |v| v.n as i64),
                    min_answers,
                    &few,
                )),
                (None, Some((b, _))) => Value::Count(b),
                (None, None) => Value::Empty,
            };
            let how = match (i.kind, i.controls.is_empty()) {
                (IndicatorKind::Survey, _) => t(
                    lang,
                    "andel problemsvar, Newcombes intervall",
                    "share of problem answers, Newcombe's interval",
                ),
                (_, true) => t(lang, "antal, exakt test", "count, exact test"),
                (_, false) => t(
                    lang,
                    "antal mot jämförelseplatserna (WDD)",
                    "count against the comparison places (WDD)",
                ),
            };
            indicator_rows.push(vec![
                Value::Text(what(i, lang)),
                Value::Text(if i.places.is_empty() {
                    t(lang, "Hela kommunen", "Whole municipality")
                } else {
                    i.places.join(", ")
                }),
                Value::Text(i.baseline.label()),
                baseline,
                Value::Text(i.followup.label()),
                Value::Text(match i.direction {
                    crate::model::promises::Direction::Decrease => t(lang, "minska", "decrease"),
                    crate::model::promises::Direction::Increase => t(lang, "öka", "increase"),
                }),
                Value::Text(i.controls.join(", ")),
                Value::Text(how),
            ]);
        }
        if !indicator_rows.is_empty() {
            section.tables.push(Table {
                name: format!("utkast-{n}-indikatorer"),
                title: format!(
                    "{} – {}",
                    promise.title,
                    t(lang, "indikatorer", "indicators")
                ),
                headers: vec![
                    t(lang, "Indikator", "Indicator"),
                    t(lang, "Plats", "Place"),
                    t(lang, "Basperiod", "Baseline"),
                    t(lang, "Värde, bas", "Value, baseline"),
                    t(lang, "Uppföljning", "Follow-up"),
                    t(lang, "Riktning", "Direction"),
                    t(lang, "Jämförelseplatser", "Comparison places"),
                    t(lang, "Hur det prövas", "How it is tested"),
                ],
                rows: indicator_rows,
            });
        }
        sections.push(section);
    }
    let m = &config.municipality;
    let notice = super::generated_inputs(inputs).then(|| {
        t(
            lang,
            "Obs! Utkastet bygger på påhittad testdata från lagesbild generate, inte på verkliga händelser eller svar.",
            "Note: this draft is built on made-up test data from lagesbild generate, not on real incidents or answers.",
        )
    });
    Ok(super::Report {
        notice,
        title: format!(
            "{} – {}",
            t(lang, "Utkast till medborgarlöften", "Draft medborgarlöften"),
            m.name
        ),
        subtitle: format!(
            "{}{} {} · {} {}",
            m.police_area
                .as_ref()
                .map_or(String::new(), |p| format!("{p} · ")),
            t(
                lang,
                "underlag ur lägesbilden",
                "from the situation picture"
            ),
            opts.year,
            t(lang, "skapad", "generated"),
            opts.generated.format("%Y-%m-%d")
        ),
        sections,
        places: Vec::new(),
        threshold: opts.threshold,
        figures: Vec::new(),
        secrets: Vec::new(),
    })
}
