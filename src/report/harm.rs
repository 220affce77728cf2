//! Harm: the priority areas and offence types weighted by the harm index (days of
//! imprisonment from the statutory penalty scales, [`crate::model::harm`]), always with
//! the unweighted count beside them.
//!
//! Every harm figure is computed from exactly one count's incidents (an area's, or an
//! offence type's, over the same spans every comparison uses), so it is shown only when
//! that count is: it goes through the same linked disclosure control. At places only
//! offence types are weighted, never a place's total, since the total less the shown
//! offence types would give the harm, and so the count, of the sensitive offence types
//! that are never broken down by place.

use super::chart::{ChartSpec, LineChart};
use super::offences::OffenceCells;
use super::{periods_in, t, Aggregates, Chart, Paragraph, Piece, Section, Span, Table, Value};
use crate::analysis::disclosure::gate::{Public, Published};
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::harm::Scale;
use crate::model::publication::{CellKey, ANY_AREA};

/// How many offence types the "most harm" table lists.
const TOP: usize = 10;

/// A harm figure of one count: shown only when the count is.
fn harm_of(key: &CellKey, harm: Option<f64>, decimals: usize) -> Value {
    Value::Derived {
        inputs: vec![key.clone()],
        value: harm,
        decimals,
    }
}

/// The section "Skada": what the index is, the areas' harm beside their counts with a
/// trend over the years, and the offence types that do the most harm. `areas` are
/// (slug, name) in the report's order.
pub(super) fn section(
    agg: &Aggregates,
    offences: Option<&OffenceCells>,
    areas: &[(String, String)],
    config: &Config,
    opts: &super::ReportOptions,
) -> Section<Value> {
    let (lang, year) = (opts.lang, opts.year);
    let mut section = Section::titled(t(
        lang,
        "Skada: brotten vägda efter straffskalan",
        "Harm: offences weighted by their penalty scale",
    ));
    section.text.push(explanation(config, lang));
    let Some((cells, span_of)) = agg.compared() else {
        section.text.push(Paragraph::text(t(
            lang,
            "Året har just börjat: det finns ingen hel månad att väga.",
            "The year has only begun: there is no complete month to weigh.",
        )));
        return section;
    };
    let months = offences.map_or(String::new(), |o| o.months(lang));
    let population = config.municipality.population;
    let per_1000 = |h: f64| (population > 0).then(|| h / population as f64 * 1000.0);
    let mut rows = Vec::new();
    for (slug, name) in areas {
        let key = |y: i32| CellKey::municipality(slug, span_of(y));
        let cell = |y: i32| cells.get(&vec![slug.clone(), y.to_string()]);
        let harm = |y: i32| Some(cell(y).map_or(0.0, |c| c.harm));
        let per_incident = cell(year).and_then(|c| {
            let weighted = c.count - c.harm_unweighted;
            (weighted > 0).then(|| c.harm / weighted as f64)
        });
        rows.push(vec![
            Value::Text(name.clone()),
            Value::Count(key(year - 1)),
            harm_of(&key(year - 1), harm(year - 1), 0),
            Value::Count(key(year)),
            harm_of(&key(year), harm(year), 0),
            harm_of(&key(year), harm(year).and_then(per_1000), 1),
            harm_of(&key(year), per_incident, 0),
        ]);
    }
    let days = t(lang, "dagar", "days");
    section.tables.push(Table {
        name: "skada-omraden".into(),
        title: t(
            lang,
            "Prioriterade områden – antal och skadevärde",
            "Priority areas – count and harm",
        ),
        headers: vec![
            t(lang, "Område", "Area"),
            format!("{} {}{months}", t(lang, "Antal", "Count"), year - 1),
            format!(
                "{} {}{months} ({days})",
                t(lang, "Skadevärde", "Harm"),
                year - 1
            ),
            format!("{} {year}{months}", t(lang, "Antal", "Count")),
            format!("{} {year}{months} ({days})", t(lang, "Skadevärde", "Harm")),
            t(lang, "Skadevärde per 1 000 inv.", "Harm per 1,000 inh."),
            format!(
                "{} ({days})",
                t(lang, "Skada per händelse", "Harm per incident")
            ),
        ],
        rows,
    });
    section.charts.extend(trend_chart(agg, areas, opts));
    if let Some(offences) = offences {
        let (text, table) = most_harm(offences, opts);
        section.text.extend(text);
        section.tables.extend(table);
    }
    section
}

/// What the index is and how it was built, from the project's table.
fn explanation(config: &Config, lang: Lang) -> Paragraph<Value> {
    let h = &config.harm;
    let point = match (h.scale, lang) {
        (Scale::Minimum, Lang::Sv) => "straffskalans minimum",
        (Scale::Minimum, Lang::En) => "the minimum of its penalty scale",
        (Scale::Midpoint, Lang::Sv) => {
            "mitten av straffskalan (medelvärdet av minimum och maximum)"
        }
        (Scale::Midpoint, Lang::En) => {
            "the middle of its penalty scale (the mean of minimum and maximum)"
        }
    };
    let setting = |days: f64| {
        Piece::Value(Value::Sealed(Published::public_number(
            days,
            if days.fract() == 0.0 { 0 } else { 1 },
            Public::Setting,
        )))
    };
    let (head, mid, tail) = match lang {
        Lang::Sv => (
            format!("Skadevärdet väger varje händelse med {point} i dagars fängelse enligt lagen (brottsbalken och specialstraffrätten; ett brott med böter i skalan väger "),
            " dagar, ett brott med enbart böter ",
            ", en händelse som inte är ett brott 0). Det visar vilka problem som skadar mest, inte hur många de är, och står därför alltid bredvid antalet. Vikterna är lagens skalor, inte domstolarnas praxis: det svenska skadeindexet (Kärrholm m.fl. 2020) använde utdömda medelstraff, som inte är offentliga här, och skalor ändras när lagen skärps. Se docs/harm.md.",
        ),
        Lang::En => (
            format!("Harm weighs each incident by {point} in days of imprisonment under Swedish law (the penal code and special statutes; an offence with a fine in its scale weighs "),
            " days, one with fines only ",
            ", an event that is not an offence 0). It shows which problems hurt most, not how many there are, so the count always stands beside it. The weights are the law's scales, not the courts' practice: the Swedish crime harm index (Kärrholm et al. 2020) used average imposed sentences, which are not public here, and scales change when the law is made harsher. See docs/harm.md.",
        ),
    };
    Paragraph(vec![
        Piece::Text(head),
        setting(h.fine_floor_days),
        Piece::Text(mid.into()),
        setting(h.fine_only_days),
        Piece::Text(tail.into()),
    ])
}

/// Each area's harm over the whole years as an index (the first year = 100), so that
/// a small area's trend is as visible as a large one's (the table has the sizes). A
/// report year not yet over is left out: its months are compared in the table, and the
/// same months of earlier years beside their whole years would give away their last
/// months.
fn trend_chart(
    agg: &Aggregates,
    areas: &[(String, String)],
    opts: &super::ReportOptions,
) -> Option<Chart<Value>> {
    let lang = opts.lang;
    let cells = &agg.yearly;
    let last = match &agg.partial {
        Some(_) => opts.year - 1,
        None => opts.year,
    };
    let numbers: Vec<i32> = periods_in(cells)
        .iter()
        .filter_map(|y| y.parse().ok())
        .filter(|&y| y <= last)
        .collect();
    let &first = numbers.first()?;
    if numbers.len() < 2 {
        return None;
    }
    let series = areas
        .iter()
        .map(|(slug, name)| {
            let harm = |y: i32| {
                cells
                    .get(&vec![slug.clone(), y.to_string()])
                    .map_or(0.0, |c| c.harm)
            };
            let base = CellKey::municipality(slug, Span::Year(first));
            let points = numbers
                .iter()
                .map(|&y| Value::Derived {
                    inputs: vec![CellKey::municipality(slug, Span::Year(y)), base.clone()],
                    value: (harm(first) > 0.0).then(|| harm(y) / harm(first) * 100.0),
                    decimals: 0,
                })
                .collect();
            (name.clone(), points)
        })
        .collect();
    let title = format!(
        "{} ({first} = 100)",
        t(
            lang,
            "Skadevärde per område och helt år, index",
            "Harm per area and whole year, index"
        ),
    );
    Some(Chart {
        name: "skada-trend".into(),
        alt: title.clone(),
        spec: ChartSpec::Line(LineChart {
            title,
            x_title: t(lang, "År", "Year"),
            y_title: t(lang, "Index", "Index"),
            periods: numbers.iter().map(|y| y.to_string()).collect(),
            series,
        }),
    })
}

/// The offence types with the most harm in the whole municipality in the report year
/// (at least `k` incidents, so that no row is a row of marks and the order says nothing
/// about hidden counts), with their share of all harm beside their share of incidents.
fn most_harm(
    cells: &OffenceCells,
    opts: &super::ReportOptions,
) -> (Vec<Paragraph<Value>>, Option<Table<Value>>) {
    let (lang, year) = (opts.lang, opts.year);
    let this = year.to_string();
    let in_year: Vec<(&String, &super::Cell)> = cells
        .any
        .iter()
        .filter(|(key, _)| key[1] == this)
        .map(|(key, c)| (&key[0], c))
        .collect();
    let total_count: i64 = in_year.iter().map(|(_, c)| c.count).sum();
    let total_harm: f64 = in_year.iter().map(|(_, c)| c.harm).sum();
    let unweighted: Vec<&str> = in_year
        .iter()
        .filter(|(_, c)| c.harm_unweighted > 0 && c.count >= opts.threshold)
        .map(|(o, _)| o.as_str())
        .collect();
    let mut ranked: Vec<(&String, &super::Cell)> = in_year
        .iter()
        .copied()
        .filter(|(_, c)| c.count >= opts.threshold && c.harm > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.1.harm.total_cmp(&a.1.harm).then(a.0.cmp(b.0)));
    ranked.truncate(TOP);
    let mut text = Vec::new();
    if !unweighted.is_empty() {
        text.push(Paragraph::text(match lang {
            Lang::Sv => format!(
                "Brottstyper som skadetabellen saknar vikt för ingår inte i skadevärdet: {}.",
                unweighted.join(", ")
            ),
            Lang::En => format!(
                "Offence types the harm table has no weight for are left out of the harm: {}.",
                unweighted.join(", ")
            ),
        }));
    }
    if ranked.is_empty() || total_count == 0 || total_harm <= 0.0 {
        return (text, None);
    }
    let span = cells.span(year);
    let months = cells.months(lang);
    let total = CellKey::municipality(ANY_AREA, span);
    let mut rows = Vec::new();
    for (offence, c) in &ranked {
        let key = CellKey::offence(ANY_AREA, None, offence, span);
        let both = vec![key.clone(), total.clone()];
        let weighted = c.count - c.harm_unweighted;
        rows.push(vec![
            Value::Text((*offence).clone()),
            Value::Count(key.clone()),
            Value::Derived {
                inputs: both.clone(),
                value: Some(c.count as f64 / total_count as f64 * 100.0),
                decimals: 1,
            },
            harm_of(&key, Some(c.harm), 0),
            Value::Derived {
                inputs: both,
                value: Some(c.harm / total_harm * 100.0),
                decimals: 1,
            },
            harm_of(&key, (weighted > 0).then(|| c.harm / weighted as f64), 0),
        ]);
    }
    let (lead, lead_cell) = ranked[0];
    let key = CellKey::offence(ANY_AREA, None, lead, span);
    let both = vec![key.clone(), total.clone()];
    let share = |x: f64| Value::Derived {
        inputs: both.clone(),
        value: Some(x * 100.0),
        decimals: 0,
    };
    text.push(Paragraph(vec![Piece::IfShown {
        inputs: both.clone(),
        then: vec![
            Piece::Text(format!(
                "{} {year}{months}: {lead} – ",
                t(lang, "Mest skada", "Most harm")
            )),
            Piece::Value(harm_of(&key, Some(lead_cell.harm), 0)),
            Piece::Text(format!(" {} ", t(lang, "dagar från", "days from"))),
            Piece::Value(Value::Count(key.clone())),
            Piece::Text(format!(" {} (", t(lang, "händelser", "incidents"))),
            Piece::Value(share(lead_cell.harm / total_harm)),
            Piece::Text(format!(
                " % {} ",
                t(lang, "av skadevärdet men", "of the harm but")
            )),
            Piece::Value(share(lead_cell.count as f64 / total_count as f64)),
            Piece::Text(format!(
                " % {}).",
                t(lang, "av händelserna", "of the incidents")
            )),
        ],
        otherwise: Vec::new(),
    }]));
    let days = t(lang, "dagar", "days");
    let table = Table {
        name: "skada-brottstyper".into(),
        title: format!(
            "{} {year}{months}",
            t(
                lang,
                "Brottstyper med mest skada",
                "Offence types with the most harm"
            )
        ),
        headers: vec![
            t(lang, "Brottstyp", "Offence type"),
            t(lang, "Antal", "Count"),
            t(lang, "Andel av antalet (%)", "Share of count (%)"),
            format!("{} ({days})", t(lang, "Skadevärde", "Harm")),
            t(lang, "Andel av skadevärdet (%)", "Share of harm (%)"),
            format!(
                "{} ({days})",
                t(lang, "Skada per händelse", "Harm per incident")
            ),
        ],
        rows,
    };
    (text, Some(table))
}

/// The offence types with the most harm at a focus place in the report year (those the
/// place's offence table may show: at least `k` incidents, none of a sensitive area),
/// as one sentence with the count beside each.
pub(super) fn at_place(
    cells: &OffenceCells,
    place: &str,
    opts: &super::ReportOptions,
) -> Option<Paragraph<Value>> {
    let (lang, year) = (opts.lang, opts.year);
    let this = year.to_string();
    let mut list: Vec<(&String, f64)> = cells
        .at_place
        .iter()
        .filter(|(key, c)| {
            key[1] == place && key[2] == this && c.count >= opts.threshold && c.harm > 0.0
        })
        .filter(|(key, _)| !cells.sensitive.contains(&key[0]))
        .map(|(key, c)| (&key[0], c.harm))
        .collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    list.truncate(3);
    if list.is_empty() {
        return None;
    }
    let span = cells.span(year);
    let months = cells.months(lang);
    let mut pieces = vec![Piece::Text(format!(
        "{} {place} {year}{months}:",
        t(lang, "Mest skada i", "Most harm in")
    ))];
    for (i, (offence, harm)) in list.iter().enumerate() {
        let key = CellKey::offence(ANY_AREA, Some(place), offence, span);
        let sep = if i == 0 { " " } else { "; " };
        pieces.push(Piece::IfShown {
            inputs: vec![key.clone()],
            then: vec![
                Piece::Text(format!("{sep}{offence} ")),
                Piece::Value(harm_of(&key, Some(*harm), 0)),
                Piece::Text(format!(" {} ", t(lang, "dagar från", "days from"))),
                Piece::Value(Value::Count(key.clone())),
                Piece::Text(format!(" {}", t(lang, "händelser", "incidents"))),
            ],
            otherwise: Vec::new(),
        });
    }
    pieces.push(Piece::Text(format!(
        " ({}).",
        t(
            lang,
            "skadevärde i dagar enligt straffskalorna",
            "harm in days from the penalty scales"
        )
    )));
    Some(Paragraph(pieces))
}
