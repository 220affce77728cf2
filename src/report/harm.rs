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
    let Some(offences) = offences else {
        section.text.push(Paragraph::text(t(
            lang,
            "Året har just börjat: det finns ingen hel månad att väga.",
            "The year has only begun: there is no complete month to weigh.",
        )));
        return section;
    };
    let k = opts.threshold;
    section.text.push(Paragraph::text(match lang {
        Lang::Sv => format!("Skadevärdet räknar de brottstyper som har minst {k} händelser i området och perioden: ett brott som är sällsynt där syns inte heller genom skadan."),
        Lang::En => format!("The harm counts the offence types with at least {k} incidents in the area and period: an offence that is rare there does not show through the harm either."),
    }));
    let months = offences.months(lang);
    let span_of = |y: i32| offences.span(y);
    let population = config.municipality.population;
    let per_1000 = |h: f64| (population > 0).then(|| h / population as f64 * 1000.0);
    let mut rows = Vec::new();
    for (slug, name) in areas {
        let key = |y: i32| CellKey::municipality(slug, span_of(y));
        let harm = |y: i32| {
            shown_harm(&offences.by_area, slug, &y.to_string(), k, |o| {
                CellKey::offence(slug, None, o, span_of(y))
            })
        };
        // Each harm rests on the area's count and on the counts of the types it sums.
        let (before, mut before_inputs) = harm(year - 1);
        before_inputs.push(key(year - 1));
        let (now, mut now_inputs) = harm(year);
        now_inputs.push(key(year));
        rows.push(vec![
            Value::Text(name.clone()),
            Value::Count(key(year - 1)),
            Value::derived(&before_inputs, Some(before), 0),
            Value::Count(key(year)),
            Value::derived(&now_inputs, Some(now), 0),
            Value::derived(&now_inputs, per_1000(now), 1),
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
        ],
        rows,
    });
    section
        .charts
        .extend(trend_chart(agg, offences, areas, opts));
    let (text, table) = most_harm(offences, &config.harm, opts);
    section.text.extend(text);
    section.tables.extend(table);
    section
}

/// The harm of area `slug` in period `period` over its offence types with at least `k`
/// incidents (`cells`: area × offence × period), and those types' keys (`key_of`):
/// the figure says nothing about a type it does not count.
fn shown_harm(
    cells: &super::Cells,
    slug: &str,
    period: &str,
    k: i64,
    key_of: impl Fn(&str) -> CellKey,
) -> (f64, Vec<CellKey>) {
    let mut harm = 0.0;
    let mut keys = Vec::new();
    for (key, c) in cells {
        if key[0] == slug && key[2] == period && c.count >= k {
            harm += c.harm;
            keys.push(key_of(&key[1]));
        }
    }
    (harm, keys)
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
/// a small area's trend is as visible as a large one's (the table has the sizes),
/// counting the offence types with at least k incidents in each year. A report year
/// not yet over is left out: its months are compared in the table, and the same months
/// of earlier years beside their whole years would give away their last months.
fn trend_chart(
    agg: &Aggregates,
    offences: &OffenceCells,
    areas: &[(String, String)],
    opts: &super::ReportOptions,
) -> Option<Chart<Value>> {
    let lang = opts.lang;
    let last = match &agg.partial {
        Some(_) => opts.year - 1,
        None => opts.year,
    };
    let numbers: Vec<i32> = periods_in(&agg.yearly)
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
                shown_harm(&offences.whole, slug, &y.to_string(), opts.threshold, |o| {
                    CellKey::offence(slug, None, o, Span::Year(y))
                })
            };
            let (base, base_keys) = harm(first);
            let points = numbers
                .iter()
                .map(|&y| {
                    let (h, mut keys) = harm(y);
                    keys.extend(base_keys.iter().cloned());
                    keys.push(CellKey::municipality(slug, Span::Year(y)));
                    Value::derived(&keys, (base > 0.0).then(|| h / base * 100.0), 0)
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
    table: &crate::model::harm::HarmTable,
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
    // Shares of harm are of the harm of the types with at least k incidents, so that
    // they say nothing about the rare types.
    let counted: Vec<(&String, &super::Cell)> = in_year
        .iter()
        .copied()
        .filter(|(_, c)| c.count >= opts.threshold)
        .collect();
    let total_harm: f64 = counted.iter().map(|(_, c)| c.harm).sum();
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
    let harm_keys: Vec<CellKey> = counted
        .iter()
        .map(|(o, _)| CellKey::offence(ANY_AREA, None, o, span))
        .collect();
    let weights = crate::analysis::harm::HarmWeights::new(table);
    let mut rows = Vec::new();
    for (offence, c) in &ranked {
        let key = CellKey::offence(ANY_AREA, None, offence, span);
        rows.push(vec![
            Value::Text((*offence).clone()),
            Value::Count(key.clone()),
            Value::derived(
                &[key.clone(), total.clone()],
                Some(c.count as f64 / total_count as f64 * 100.0),
                1,
            ),
            Value::derived(std::slice::from_ref(&key), Some(c.harm), 0),
            Value::derived(&harm_keys, Some(c.harm / total_harm * 100.0), 1),
            // The table's weight for the type as written: a setting, not a figure of
            // the data (codes may weigh some incidents otherwise).
            weights.days_of(offence).map_or(Value::Empty, |d| {
                Value::Sealed(Published::public_number(d, 0, Public::Setting))
            }),
        ]);
    }
    let (lead, lead_cell) = ranked[0];
    let key = CellKey::offence(ANY_AREA, None, lead, span);
    let both = vec![key.clone(), total.clone()];
    let share = |x: f64, inputs: &[CellKey]| Value::derived(inputs, Some(x * 100.0), 0);
    let mut every = harm_keys.clone();
    every.push(total.clone());
    text.push(Paragraph(vec![Piece::IfShown {
        inputs: every,
        then: vec![
            Piece::Text(format!(
                "{} {year}{months}: {lead} – ",
                t(lang, "Mest skada", "Most harm")
            )),
            Piece::Value(Value::derived(
                std::slice::from_ref(&key),
                Some(lead_cell.harm),
                0,
            )),
            Piece::Text(format!(" {} ", t(lang, "dagar från", "days from"))),
            Piece::Value(Value::Count(key.clone())),
            Piece::Text(format!(" {} (", t(lang, "händelser", "incidents"))),
            Piece::Value(share(lead_cell.harm / total_harm, &harm_keys)),
            Piece::Text(format!(
                " % {} ",
                t(lang, "av skadevärdet men", "of the harm but")
            )),
            Piece::Value(share(lead_cell.count as f64 / total_count as f64, &both)),
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
                t(lang, "Vikt enligt tabellen", "Weight in the table")
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
                Piece::Value(Value::derived(std::slice::from_ref(&key), Some(*harm), 0)),
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
