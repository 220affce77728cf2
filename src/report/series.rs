//! "Upprepade händelser nära i tid och rum": the Knox test for each focus offence type
//! of the report year, and the chains of near repeats still going on in the last 28
//! days of the data.
//!
//! Disclosure: the Knox table counts pairs of incidents over the compared span of a
//! whole year, not incidents at a place or time ([`Public::Pairs`]); the span's count
//! of the offence type is the same cell the offence tables show and goes through the
//! gate. A chain is listed only with at least the threshold's number of incidents
//! ([`Public::AtLeastThreshold`]); smaller chains are not mentioned one by one.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike};
use polars::prelude::*;

use super::{months_label, t, Paragraph, Piece, Section, Span, Table, Value};
use crate::analysis::classify::offence_filter;
use crate::analysis::disclosure::gate::{Public, Published};
use crate::analysis::nearrepeat::{chains, knox, located_events, near_repeats, KnoxCell};
use crate::analysis::Prepared;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::publication::{CellKey, ANY_AREA};

/// Upper limits of the distance bands (metres), as the Near Repeat Calculator's usual
/// set-up for local data.
const DISTANCES: [f64; 3] = [200.0, 400.0, 800.0];
/// Upper limits of the time bands (days).
const DAYS: [f64; 3] = [7.0, 14.0, 28.0];
/// Permutations of the times.
const PERMUTATIONS: u32 = 999;
/// A fixed seed: the same data give the same report.
const SEED: u64 = 883;
/// Significance level.
const ALPHA: f64 = 0.05;
/// Fewer incidents with coordinates than this are not tested: the bands would hold a
/// handful of pairs and the test could say nothing.
const MIN_EVENTS: usize = 20;
/// The window of current chains, in days before the last incident of the year.
const WINDOW_DAYS: f64 = 28.0;

/// The section: per offence type of `config.report.series_offences` in the report
/// year (January to `through` when the year is not over), its Knox table and a
/// sentence on what it shows, then the current chains.
pub(super) fn section(
    prepared: &Prepared,
    config: &Config,
    through: Option<u32>,
    opts: &super::ReportOptions,
) -> anyhow::Result<Section<Value>> {
    let (lang, year) = (opts.lang, opts.year);
    let mut section = Section::titled(t(
        lang,
        "Upprepade händelser nära i tid och rum",
        "Incidents repeated close in time and place",
    ));
    let months = through.map_or(String::new(), |m| format!(" {}", months_label(m, lang)));
    section.text.push(Paragraph::text(intro(lang)));
    let of_year = incidents_of_year(prepared, config, year)?;
    let offences = offence_types(&of_year)?;
    if offences.is_empty() {
        section.text.push(Paragraph::text(t(
            lang,
            "Underlaget har inga händelser av dessa brottstyper under året.",
            "The data have no incidents of these offence types in the year.",
        )));
        return Ok(section);
    }
    let span = match through {
        Some(m) => Span::YearTo(year, m),
        None => Span::Year(year),
    };
    // One window for every offence type: the last 28 days before the year's last
    // incident of any of them (the data's end), so that a chain is current.
    let (located_all, _) = located_events(&of_year)?;
    let last = located_all.iter().map(|(_, e)| e.t).reduce(f64::max);
    let sensitive = super::offences::sensitive_offences(prepared, config)?;
    let mut chain_rows = Vec::new();
    let mut names = BTreeSet::new();
    for offence in &offences {
        // An offence type of a sensitive area is never shown by place and date.
        if sensitive.contains(offence) {
            continue;
        }
        let all = of_offence(&of_year, offence)?;
        let compared = match through {
            Some(m) => all
                .clone()
                .lazy()
                .filter(col("occurred_at").dt().month().lt_eq(lit(m as i8)))
                .collect()?,
            None => all.clone(),
        };
        let (events, _) = located_events(&compared)?;
        let key = CellKey::offence(ANY_AREA, None, offence, span);
        let count: i64 = compared
            .column("count")?
            .i64()?
            .iter()
            .map(|c| c.unwrap_or(1))
            .sum();
        // A type with fewer than k incidents is not named at all.
        if count < opts.threshold {
            continue;
        }
        if events.len() < MIN_EVENTS {
            section.text.push(Paragraph(vec![Piece::Text(match lang {
                Lang::Sv => format!("{offence} {year}{months}: för få händelser med koordinater för att pröva (minst {MIN_EVENTS} behövs)."),
                Lang::En => format!("{offence} {year}{months}: too few incidents with coordinates to test (at least {MIN_EVENTS} are needed)."),
            })]));
            continue;
        }
        let plain: Vec<_> = events.iter().map(|(_, e)| *e).collect();
        let table = knox(&plain, &DISTANCES, &DAYS, PERMUTATIONS, SEED);
        section
            .text
            .push(finding(offence, &key, &table, year, &months, lang));
        let mut name = format!("narhet-{}", crate::text::fold_key(offence));
        while !names.insert(name.clone()) {
            // Two types that differ only in case or accents get files of their own.
            name.push('-');
        }
        section
            .tables
            .push(knox_table(&name, offence, &table, year, &months, lang));
        // Chains among the offence type's incidents of the year so far (the latest
        // ones too), in the window.
        let Some(last) = last else { continue };
        let (recent, _) = located_events(&all)?;
        let plain: Vec<_> = recent.iter().map(|(_, e)| *e).collect();
        for chain in chains(&plain, &table, ALPHA, last - WINDOW_DAYS) {
            if (chain.len() as i64) < opts.threshold {
                continue;
            }
            let rows: Vec<usize> = chain.iter().map(|&i| recent[i].0).collect();
            chain_rows.push(chain_row(
                &all,
                offence,
                &rows,
                &plain,
                &chain,
                opts.threshold,
                lang,
            )?);
        }
    }
    let until = last.map_or(String::new(), |t| day_of(t).format("%Y-%m-%d").to_string());
    if chain_rows.is_empty() {
        section.text.push(Paragraph::text(match lang {
            Lang::Sv => format!("Inga pågående kedjor med minst {} händelser de senaste 28 dagarna (till och med {until}).", opts.threshold),
            Lang::En => format!("No current chains of at least {} incidents in the last 28 days (up to {until}).", opts.threshold),
        }));
    } else {
        section.text.push(Paragraph::text(match lang {
            Lang::Sv => format!("Pågående kedjor de senaste 28 dagarna (till och med {until}): händelser av samma brottstyp som hänger ihop två och två inom ett band där testet visar nära upprepning. Kedjor med färre än {} händelser visas inte.", opts.threshold),
            Lang::En => format!("Current chains in the last 28 days (up to {until}): incidents of the same offence type linked pair by pair within a band where the test shows near repeats. Chains of fewer than {} incidents are not shown.", opts.threshold),
        }));
        section.tables.push(Table {
            name: "narhet-kedjor".into(),
            title: t(lang, "Pågående kedjor", "Current chains"),
            headers: vec![
                t(lang, "Brottstyp", "Offence type"),
                t(lang, "Plats", "Place"),
                t(lang, "Första veckan", "First week"),
                t(lang, "Senaste veckan", "Latest week"),
                t(lang, "Händelser", "Incidents"),
                t(lang, "Största avstånd (m)", "Largest distance (m)"),
            ],
            rows: chain_rows,
        });
    }
    Ok(section)
}

/// What the test is, in a few words.
fn intro(lang: Lang) -> String {
    match lang {
        Lang::Sv => format!(
            "Knox-test som i Ratcliffes Near Repeat Calculator: för varje brottstyp räknas par av händelser inom {} meter och {} dagar och jämförs med vad slumpen ger när tiderna blandas om mellan platserna ({PERMUTATIONS} omblandningar, fast frö). Nära upprepning betyder att en händelse följs av fler i närheten inom kort tid än slumpen förklarar – som en serie bränder eller inbrott i samma kvarter – och att kort tid efter en händelse är läge att agera i grannskapet. Ett band räknas som nära upprepning när det är signifikant på 5 %-nivån efter Holms korrektion för att tabellens nio band prövas samtidigt och kvoten är minst 1,2 (Ratcliffes tumregel). Händelser utan koordinater ingår inte.",
            bands(&DISTANCES),
            bands(&DAYS)
        ),
        Lang::En => format!(
            "The Knox test as in Ratcliffe's Near Repeat Calculator: for each offence type, pairs of incidents within {} metres and {} days are counted and set against what chance gives when the times are shuffled among the places ({PERMUTATIONS} permutations, fixed seed). A near repeat means that an incident is followed by more nearby within a short time than chance explains – like a series of fires or burglaries in the same block – and that the time just after an incident is the moment to act in the neighbourhood. A band counts as a near repeat when it is significant at 5 % after Holm's correction for testing the table's nine bands together and the ratio is at least 1.2 (Ratcliffe's rule of thumb). Incidents without coordinates are left out.",
            bands(&DISTANCES),
            bands(&DAYS)
        ),
    }
}

/// "200/400/800".
fn bands(limits: &[f64]) -> String {
    limits
        .iter()
        .map(|l| format!("{l}"))
        .collect::<Vec<_>>()
        .join("/")
}

/// The incidents of the report year whose offence matches a series pattern.
fn incidents_of_year(prepared: &Prepared, config: &Config, year: i32) -> PolarsResult<DataFrame> {
    let keep = offence_filter(&prepared.incidents, &config.report.series_offences)?;
    prepared
        .incidents
        .clone()
        .lazy()
        .filter(col("occurred_at").dt().year().eq(lit(year)).and(keep))
        .collect()
}

/// The distinct offence types, most incidents first (then by name).
fn offence_types(incidents: &DataFrame) -> PolarsResult<Vec<String>> {
    let counted = incidents
        .clone()
        .lazy()
        .group_by([col("offence")])
        .agg([col("count").sum().alias("n")])
        .sort_by_exprs(
            [col("n"), col("offence")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    Ok(counted
        .column("offence")?
        .str()?
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect())
}

/// The incidents of one offence type.
fn of_offence(incidents: &DataFrame, offence: &str) -> PolarsResult<DataFrame> {
    incidents
        .clone()
        .lazy()
        .filter(col("offence").eq(lit(offence)))
        .collect()
}

/// The date of a time in days since 1970.
fn day_of(t: f64) -> chrono::NaiveDate {
    DateTime::from_timestamp_millis((t * 86_400_000.0) as i64)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

/// One sentence: the closest near-repeat band with its figures, or that there is none.
fn finding(
    offence: &str,
    key: &CellKey,
    table: &[KnoxCell],
    year: i32,
    months: &str,
    lang: Lang,
) -> Paragraph<Value> {
    let number = |x: f64, d: usize| Value::Sealed(Published::public_number(x, d, Public::Pairs));
    let mut pieces = vec![
        Piece::Text(format!("{offence} {year}{months} (")),
        Piece::Value(Value::Count(key.clone())),
        Piece::Text(format!(" {}): ", t(lang, "händelser", "incidents"))),
    ];
    let near = near_repeats(table, ALPHA);
    match table.iter().zip(&near).find_map(|(c, n)| n.then_some(c)) {
        Some(c) => {
            pieces.push(Piece::Text(match lang {
                Lang::Sv => format!(
                    "nära upprepning inom {}–{} m och {}–{} dagar: ",
                    c.distance.0, c.distance.1, c.days.0, c.days.1
                ),
                Lang::En => format!(
                    "near repeats within {}–{} m and {}–{} days: ",
                    c.distance.0, c.distance.1, c.days.0, c.days.1
                ),
            }));
            pieces.push(Piece::Value(Value::Sealed(Published::public_count(
                c.observed as i64,
                Public::Pairs,
            ))));
            pieces.push(Piece::Text(format!(
                " {} ",
                t(lang, "par mot", "pairs against")
            )));
            pieces.push(Piece::Value(number(c.expected, 1)));
            pieces.push(Piece::Text(format!(
                " {} ",
                t(lang, "väntade (kvot", "expected (ratio")
            )));
            pieces.push(Piece::Value(number(c.ratio.unwrap_or(0.0), 2)));
            pieces.push(Piece::Text(format!("; {} ", t(lang, "p-värde", "p-value"))));
            pieces.push(Piece::Value(Value::Sealed(Published::public_p(
                c.p_value,
                Public::Pairs,
            ))));
            pieces.push(Piece::Text(").".into()));
        }
        None => pieces.push(Piece::Text(t(
            lang,
            "inget band visar nära upprepning (5 % efter Holms korrektion, kvot minst 1,2).",
            "no band shows near repeats (5 % after Holm's correction, ratio at least 1.2).",
        ))),
    }
    Paragraph(pieces)
}

/// The Knox table of one offence type, written as `name`.
fn knox_table(
    name: &str,
    offence: &str,
    table: &[KnoxCell],
    year: i32,
    months: &str,
    lang: Lang,
) -> Table<Value> {
    let number = |x: f64, d: usize| Value::Sealed(Published::public_number(x, d, Public::Pairs));
    let near = near_repeats(table, ALPHA);
    let rows = table
        .iter()
        .zip(near)
        .map(|(c, near)| {
            vec![
                Value::Text(format!("{}–{}", c.distance.0, c.distance.1)),
                Value::Text(format!("{}–{}", c.days.0, c.days.1)),
                Value::Sealed(Published::public_count(c.observed as i64, Public::Pairs)),
                number(c.expected, 1),
                c.ratio.map_or(Value::Empty, |r| number(r, 2)),
                Value::Sealed(Published::public_p(c.p_value, Public::Pairs)),
                Value::Text(if near {
                    t(lang, "ja", "yes")
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    Table {
        name: name.to_owned(),
        title: format!(
            "{offence} {year}{months} – {}",
            t(
                lang,
                "par nära i tid och rum",
                "pairs close in time and place"
            )
        ),
        headers: vec![
            t(lang, "Avstånd (m)", "Distance (m)"),
            t(lang, "Tid (dagar)", "Time (days)"),
            t(lang, "Par", "Pairs"),
            t(lang, "Väntade par", "Expected pairs"),
            t(lang, "Kvot", "Ratio"),
            t(lang, "p-värde", "p-value"),
            t(lang, "Nära upprepning (Holm)", "Near repeat (Holm)"),
        ],
        rows,
    }
}

/// One chain: the offence type, the places with at least `k` of its incidents (the
/// others as a count of places), the weeks of its first and latest incident (not the
/// days: a day and a place would point at one incident), its number of incidents and
/// the largest distance between two of them.
fn chain_row(
    incidents: &DataFrame,
    offence: &str,
    rows: &[usize],
    events: &[crate::analysis::nearrepeat::Event],
    chain: &[usize],
    k: i64,
    lang: Lang,
) -> PolarsResult<Vec<Value>> {
    let place = incidents.column("place")?.str()?;
    let mut at: std::collections::BTreeMap<&str, i64> = Default::default();
    for &r in rows {
        *at.entry(place.get(r).unwrap_or("")).or_default() += 1;
    }
    let mut named: Vec<&str> = at
        .iter()
        .filter(|(p, n)| !p.is_empty() && **n >= k)
        .map(|(p, _)| *p)
        .collect();
    let others = at.len() - named.len();
    let other_text;
    if others > 0 {
        other_text = match (lang, named.is_empty()) {
            (Lang::Sv, true) => "flera platser".to_owned(),
            (Lang::Sv, false) => "andra platser".to_owned(),
            (Lang::En, true) => "several places".to_owned(),
            (Lang::En, false) => "other places".to_owned(),
        };
        named.push(&other_text);
    }
    let week = |t: f64| {
        let d = day_of(t).iso_week();
        match lang {
            Lang::Sv => format!("v. {} {}", d.week(), d.year()),
            Lang::En => format!("week {} {}", d.week(), d.year()),
        }
    };
    let mut widest: f64 = 0.0;
    for (i, &a) in chain.iter().enumerate() {
        for &b in &chain[i + 1..] {
            let (p, q) = (events[a], events[b]);
            widest = widest.max(((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt());
        }
    }
    Ok(vec![
        Value::Text(offence.to_owned()),
        Value::Text(named.join(", ")),
        Value::Text(week(events[chain[0]].t)),
        Value::Text(week(events[chain[chain.len() - 1]].t)),
        Value::Sealed(Published::public_count(
            chain.len() as i64,
            Public::AtLeastThreshold,
        )),
        Value::Sealed(Published::public_number(
            (widest / 10.0).round() * 10.0,
            0,
            Public::AtLeastThreshold,
        )),
    ])
}
