//! The lägesbild report as data: sections with text, charts and tables, built from the
//! analysis and with disclosure control applied to everything published. Rendering to
//! HTML, Excel, CSV and GeoJSON is in `render`; nothing here writes files.

use std::collections::BTreeMap;

use polars::prelude::*;

mod sources;

use crate::analysis::aggregate::{aggregate, Dim, Options, Populations};
use crate::analysis::classify::{AREA, OTHER};
use crate::analysis::concentration::concentration;
use crate::analysis::disclosure::{is_small, suppress};
use crate::analysis::events::Imported;
use crate::analysis::hotspots::{grid_hotspots, Grid};
use crate::analysis::period::Period;
use crate::analysis::place::UNKNOWN_PLACE;
use crate::analysis::survey::{shares, SurveyDim, SurveyOptions};
use crate::analysis::{populations, positions, time, Prepared};
use crate::coords::Sweref;
use crate::ingest::bra::BraTable;
use crate::ingest::polisen::EventsRead;
use crate::ingest::report::Loaded;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::render::charts::{
    self, Bar, BarChart, Heatmap, LineChart, LorenzChart, MapChart, Rendered,
};

/// One cell of a published table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A count.
    Int(i64),
    /// A measured number with the decimals to show.
    Num(f64, usize),
    /// A hidden value with the mark shown instead ("<3", "..").
    Hidden(String),
    /// Nothing to show.
    Empty,
}

/// A published table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File and sheet name (ASCII, no spaces).
    pub name: String,
    /// Caption.
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Value>>,
}

/// A chart with its file name.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem.
    pub name: String,
    /// Alternative text.
    pub alt: String,
    /// The drawing.
    pub rendered: Rendered,
}

/// One section of the report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Paragraphs.
    pub text: Vec<String>,
    /// Charts.
    pub charts: Vec<Chart>,
    /// Tables.
    pub tables: Vec<Table>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Title.
    pub title: String,
    /// Subtitle (municipality, police area, year, generation date).
    pub subtitle: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Places with their published figures, for the GeoJSON layer.
    pub places: Vec<PlaceFigures>,
}

/// A place with its published figures: (name, lat, lon, properties).
pub type PlaceFigures = (String, f64, f64, Vec<(String, Value)>);

/// What the report is about.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The year reported on.
    pub year: i32,
    /// Counts from 1 to k − 1 are hidden.
    pub threshold: i64,
    /// Generation date shown in the report.
    pub generated: chrono::NaiveDate,
    /// Language.
    pub lang: Lang,
    /// Places with a section of their own.
    pub focus_places: Vec<String>,
}

/// Everything the report is built from.
pub struct Inputs<'a> {
    /// The project.
    pub config: &'a Config,
    /// Incidents as read (for the data-quality section).
    pub loaded: &'a Loaded,
    /// Placed and classified incidents.
    pub prepared: &'a Prepared,
    /// Survey responses as read, if any.
    pub survey: Option<&'a Loaded>,
    /// SHA-256 of each input file: (file, hex digest).
    pub hashes: Vec<(String, String)>,
    /// Events from the police's open feed, read and imported, if configured.
    pub polisen: Option<(&'a EventsRead, &'a Imported)>,
    /// Brå's tables of reported crimes per municipality, if configured.
    pub bra: Option<&'a BraTable>,
}

fn t(lang: Lang, sv: &str, en: &str) -> String {
    lang.pick(sv, en).to_owned()
}

/// A count as published: hidden when small.
fn count_value(n: i64, k: i64) -> Value {
    if is_small(n, k) {
        Value::Hidden(format!("<{k}"))
    } else {
        Value::Int(n)
    }
}

/// Builds the report.
pub fn build(inputs: &Inputs, opts: &ReportOptions) -> anyhow::Result<Report> {
    let lang = opts.lang;
    let config = inputs.config;
    let pops = populations(config);
    let count = |by: Vec<Dim>, period: Period| {
        let opts = Options {
            by,
            period,
            from: None,
            to: None,
            level: 0.95,
            lang,
        };
        aggregate(
            &inputs.prepared.incidents,
            &inputs.prepared.long,
            &opts,
            &pops,
        )
    };
    let agg = Aggregates {
        yearly: count(vec![Dim::PriorityArea], Period::Year)?,
        monthly: count(vec![Dim::PriorityArea], Period::Month)?,
        by_place: count(vec![Dim::PriorityArea, Dim::Place], Period::Year)?,
    };
    let (yearly, by_place) = (&agg.yearly, &agg.by_place);
    let mut sections = vec![summary(yearly, inputs, opts)?];
    for area in &config.areas.areas {
        sections.push(area_section(
            &area.slug,
            &area_name(config, &area.slug, lang),
            area.sensitive && !config.report.sensitive_by_place,
            &agg,
            &pops,
            opts,
        )?);
    }
    sections.push(area_section(
        OTHER,
        &t(
            lang,
            "Övrigt (inget prioriterat område)",
            "Other (no priority area)",
        ),
        false,
        &agg,
        &pops,
        opts,
    )?);
    for place in &opts.focus_places {
        sections.push(focus_section(place, by_place, config, opts)?);
    }
    sections.push(time_section(inputs.prepared, opts)?);
    let (place_section, places) = place_section(inputs.prepared, by_place, config, opts)?;
    sections.push(place_section);
    if let (Some(survey), Some(def)) = (inputs.survey, &config.survey_definition) {
        sections.push(survey_section(survey, def, config, opts)?);
    }
    if let Some((read, imported)) = inputs.polisen {
        sections.push(sources::polisen_section(read, imported, config, lang)?);
    }
    if let Some(table) = inputs.bra {
        sections.push(sources::bra_section(table, config, lang)?);
    }
    sections.push(quality_section(inputs, opts));
    sections.push(method_section(opts));
    let m = &config.municipality;
    Ok(Report {
        title: format!(
            "{} – {} {}",
            t(lang, "Lägesbild", "Situation picture"),
            m.name,
            opts.year
        ),
        subtitle: format!(
            "{}{} · {} {}",
            m.police_area
                .as_ref()
                .map_or(String::new(), |p| format!("{p} · ")),
            t(
                lang,
                "brott, olyckor och trygghet",
                "crime, accidents and safety"
            ),
            t(lang, "skapad", "generated"),
            opts.generated.format("%Y-%m-%d")
        ),
        sections,
        places,
    })
}

fn area_name(config: &Config, slug: &str, lang: Lang) -> String {
    config
        .areas
        .get(slug)
        .map_or(slug.to_owned(), |a| match lang {
            Lang::Sv => a.name.clone(),
            Lang::En => a.name_en.clone(),
        })
}

/// Rows of an aggregate table as (key columns…) → (count, rate_per_1000, rate_per_100k, change_pct, verdict).
struct Cell {
    count: i64,
    rate_1000: Option<f64>,
    rate_100k: Option<f64>,
    change_pct: Option<f64>,
    previous: Option<i64>,
    verdict: String,
}

fn cells(df: &DataFrame, keys: &[&str]) -> anyhow::Result<BTreeMap<Vec<String>, Cell>> {
    let mut out = BTreeMap::new();
    let count = df.column("count")?.i64()?;
    let r1 = df.column("rate_per_1000")?.f64()?;
    let r2 = df.column("rate_per_100k")?.f64()?;
    let pct = df.column("change_pct")?.f64()?;
    let prev = df.column("previous_count")?.i64()?;
    let verdict = df.column("verdict")?.str()?;
    for i in 0..df.height() {
        let key = keys
            .iter()
            .map(|k| {
                df.column(k)
                    .and_then(|c| c.get(i))
                    .map(|v| v.str_value().to_string())
            })
            .collect::<PolarsResult<Vec<_>>>()?;
        out.insert(
            key,
            Cell {
                count: count.get(i).unwrap_or(0),
                rate_1000: r1.get(i),
                rate_100k: r2.get(i),
                change_pct: pct.get(i),
                previous: prev.get(i),
                verdict: verdict.get(i).unwrap_or("").to_owned(),
            },
        );
    }
    Ok(out)
}

fn years_in(df: &DataFrame) -> anyhow::Result<Vec<String>> {
    let mut years: Vec<String> = df
        .column("period")?
        .str()?
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    years.sort();
    years.dedup();
    Ok(years)
}

fn summary(yearly: &DataFrame, inputs: &Inputs, opts: &ReportOptions) -> anyhow::Result<Section> {
    let lang = opts.lang;
    let k = opts.threshold;
    let all = cells(yearly, &[AREA, "period"])?;
    let year = opts.year.to_string();
    let total = all.get(&vec!["brottskoncentrationer".to_owned(), year.clone()]);
    let mut text = Vec::new();
    match total {
        Some(c) => text.push(format!(
            "{} {}: {} {} ({} {}), {}.",
            t(lang, "Brott och olyckor", "Crime and accidents"),
            year,
            match count_value(c.count, k) {
                Value::Int(n) => charts::swedish_number(n as f64),
                _ => format!("<{k}"),
            },
            t(lang, "registrerade händelser", "recorded incidents"),
            c.rate_100k
                .map_or(String::new(), |r| charts::swedish_number(r.round())),
            t(lang, "per 100 000 invånare", "per 100,000 inhabitants"),
            match (c.previous, c.change_pct) {
                (Some(p), Some(pct)) if !is_small(p, k) && !is_small(c.count, k) => format!(
                    "{} {} {} ({})",
                    format!("{:+.0} %", pct).replace('.', ","),
                    t(
                        lang,
                        "jämfört med året innan:",
                        "compared with the year before:"
                    ),
                    c.verdict,
                    t(lang, "exakt Poisson-test", "exact Poisson test")
                ),
                _ => t(
                    lang,
                    "ingen jämförelse med året innan",
                    "no comparison with the year before"
                ),
            }
        )),
        None => text.push(format!(
            "{} {year}.",
            t(
                lang,
                "Inga händelser i indata för",
                "No incidents in the input for"
            )
        )),
    }
    text.push(match inputs.survey {
        Some(s) => format!(
            "{}: {} {}",
            t(lang, "Trygghet", "Safety"),
            s.accepted(),
            t(
                lang,
                "enkätsvar ingår; se avsnittet om trygghet.",
                "survey responses are included; see the safety section."
            )
        ),
        None => t(
            lang,
            "Trygghet: ingen enkät i indata.",
            "Safety: no survey in the input.",
        ),
    });
    text.push(t(
        lang,
        "Delaktighet: indata saknar mått på delaktighet (t.ex. medborgardialoger); det redovisas därför inte.",
        "Participation: the input has no measure of participation (such as citizen dialogues), so none is shown.",
    ));
    Ok(Section {
        title: t(lang, "Sammanfattning", "Summary"),
        text,
        charts: vec![],
        tables: vec![],
    })
}

#[allow(clippy::too_many_arguments)]
/// The aggregate tables the sections draw on.
struct Aggregates {
    /// Priority area × year.
    yearly: DataFrame,
    /// Priority area × month.
    monthly: DataFrame,
    /// Priority area × place × year.
    by_place: DataFrame,
}

fn area_section(
    slug: &str,
    name: &str,
    sensitive: bool,
    agg: &Aggregates,
    pops: &Populations,
    opts: &ReportOptions,
) -> anyhow::Result<Section> {
    let (yearly, by_place) = (&agg.yearly, &agg.by_place);
    let lang = opts.lang;
    let k = opts.threshold;
    let years = years_in(yearly)?;
    let all = cells(yearly, &[AREA, "period"])?;
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for y in &years {
        let c = all.get(&vec![slug.to_owned(), y.clone()]);
        let count = c.map_or(0, |c| c.count);
        let hidden = is_small(count, k);
        series.push(if hidden {
            None
        } else {
            c.and_then(|c| c.rate_100k)
        });
        rows.push(vec![
            Value::Text(y.clone()),
            count_value(count, k),
            if hidden {
                Value::Hidden(format!("<{k}"))
            } else {
                c.and_then(|c| c.rate_100k)
                    .map_or(Value::Empty, |r| Value::Num(r, 1))
            },
            match c {
                Some(c) if !hidden && !c.previous.is_some_and(|p| is_small(p, k)) => {
                    c.change_pct.map_or(Value::Empty, |p| Value::Num(p, 0))
                }
                _ => Value::Empty,
            },
            match c {
                Some(c) if !hidden && !c.previous.is_some_and(|p| is_small(p, k)) => {
                    Value::Text(c.verdict.clone())
                }
                _ => Value::Empty,
            },
        ]);
    }
    let table = Table {
        name: format!("{slug}-per-ar"),
        title: format!("{name} – {}", t(lang, "per år", "per year")),
        headers: vec![
            t(lang, "År", "Year"),
            t(lang, "Antal", "Count"),
            t(lang, "Per 100 000 inv.", "Per 100,000 inh."),
            t(lang, "Förändring (%)", "Change (%)"),
            t(lang, "Bedömning", "Assessment"),
        ],
        rows,
    };
    let trend = charts::line_chart(&LineChart {
        title: format!(
            "{name}: {}",
            t(
                lang,
                "händelser per 100 000 invånare",
                "incidents per 100,000 inhabitants"
            )
        ),
        x_title: t(lang, "År", "Year"),
        y_title: t(lang, "Per 100 000 invånare", "Per 100,000 inhabitants"),
        periods: years.clone(),
        series: vec![(pops_label(pops, lang), series)],
    })?;
    let months = years_in(&agg.monthly)?;
    let per_month = cells(&agg.monthly, &[AREA, "period"])?;
    let monthly_counts: Vec<Option<f64>> = months
        .iter()
        .map(|m| {
            let n = per_month
                .get(&vec![slug.to_owned(), m.clone()])
                .map_or(0, |c| c.count);
            (!is_small(n, k)).then_some(n as f64)
        })
        .collect();
    let monthly = charts::line_chart(&LineChart {
        title: format!("{name}: {}", t(lang, "antal per månad", "count per month")),
        x_title: t(lang, "Månad", "Month"),
        y_title: t(lang, "Antal händelser", "Incidents"),
        periods: months,
        series: vec![(
            format!(
                "{} ({} <{k} {})",
                t(lang, "Kommunen", "Municipality"),
                t(lang, "antal", "counts"),
                t(lang, "visas inte", "not shown")
            ),
            monthly_counts,
        )],
    })?;
    let mut section = Section {
        title: name.to_owned(),
        text: vec![],
        charts: vec![
            Chart {
                name: format!("{slug}-trend"),
                alt: format!("{name}: trend"),
                rendered: trend,
            },
            Chart {
                name: format!("{slug}-manad"),
                alt: format!("{name}: per månad"),
                rendered: monthly,
            },
        ],
        tables: vec![table],
    };
    if sensitive {
        section.text.push(t(
            lang,
            "Området är känsligt och redovisas bara för hela kommunen.",
            "This area is sensitive and is shown for the whole municipality only.",
        ));
        return Ok(section);
    }
    let (table, bars) = place_table(slug, name, by_place, pops, opts)?;
    section.charts.push(Chart {
        name: format!("{slug}-platser"),
        alt: format!("{name}: per plats"),
        rendered: charts::bar_chart(&bars)?,
    });
    section.tables.push(table);
    Ok(section)
}

fn pops_label(pops: &Populations, lang: Lang) -> String {
    format!(
        "{} ({} {})",
        t(lang, "Kommunen", "Municipality"),
        charts::swedish_number(pops.municipality as f64),
        t(lang, "inv.", "inh.")
    )
}

/// Places × the report year for one area, with the municipality total and secondary
/// suppression against it.
fn place_table(
    slug: &str,
    name: &str,
    by_place: &DataFrame,
    pops: &Populations,
    opts: &ReportOptions,
) -> anyhow::Result<(Table, BarChart)> {
    let lang = opts.lang;
    let k = opts.threshold;
    let year = opts.year.to_string();
    let all = cells(by_place, &[AREA, "place", "period"])?;
    let mut places: Vec<(String, i64, Option<f64>)> = all
        .iter()
        .filter(|(key, _)| key[0] == slug && key[2] == year)
        .map(|(key, c)| (key[1].clone(), c.count, c.rate_1000))
        .collect();
    places.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let body: Vec<Vec<i64>> = places.iter().map(|p| vec![p.1]).collect();
    let s = suppress(&body, false, true, k);
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (i, (place, count, rate)) in places.iter().enumerate() {
        let hidden = s.hidden[i][0];
        let mark = if is_small(*count, k) {
            format!("<{k}")
        } else {
            "..".to_owned()
        };
        rows.push(vec![
            Value::Text(place.clone()),
            if hidden {
                Value::Hidden(mark.clone())
            } else {
                Value::Int(*count)
            },
            if hidden {
                Value::Hidden(mark.clone())
            } else {
                rate.map_or(Value::Empty, |r| Value::Num(r, 2))
            },
            pops.places
                .get(place)
                .map_or(Value::Empty, |p| Value::Int(*p as i64)),
        ]);
        if place != UNKNOWN_PLACE {
            bars.push(Bar {
                label: place.clone(),
                value: if hidden { None } else { *rate },
                interval: None,
                note: hidden.then_some(mark),
            });
        }
    }
    let total: i64 = places.iter().map(|p| p.1).sum();
    rows.push(vec![
        Value::Text(t(lang, "Hela kommunen", "Whole municipality")),
        if s.hidden_column_totals.first().copied().unwrap_or(false) {
            Value::Hidden(format!("<{k}"))
        } else {
            Value::Int(total)
        },
        Value::Num(total as f64 / pops.municipality.max(1) as f64 * 1000.0, 2),
        Value::Int(pops.municipality as i64),
    ]);
    let table = Table {
        name: format!("{slug}-per-plats-{year}"),
        title: format!("{name} – {} {year}", t(lang, "per plats", "per place")),
        headers: vec![
            t(lang, "Plats", "Place"),
            t(lang, "Antal", "Count"),
            t(lang, "Per 1 000 inv.", "Per 1,000 inh."),
            t(lang, "Invånare", "Inhabitants"),
        ],
        rows,
    };
    let chart = BarChart {
        title: format!(
            "{name} {year}: {}",
            t(
                lang,
                "per 1 000 invånare och plats",
                "per 1,000 inhabitants by place"
            )
        ),
        value_title: t(lang, "Per 1 000 invånare", "Per 1,000 inhabitants"),
        bars,
    };
    Ok((table, chart))
}

fn focus_section(
    place: &str,
    by_place: &DataFrame,
    config: &Config,
    opts: &ReportOptions,
) -> anyhow::Result<Section> {
    let lang = opts.lang;
    let k = opts.threshold;
    let all = cells(by_place, &[AREA, "place", "period"])?;
    let years = years_in(by_place)?;
    let mut rows = Vec::new();
    for area in config.areas.areas.iter().filter(|a| !a.sensitive) {
        let mut row = vec![Value::Text(area_name(config, &area.slug, lang))];
        for y in &years {
            let n = all
                .get(&vec![area.slug.clone(), place.to_owned(), y.clone()])
                .map_or(0, |c| c.count);
            row.push(count_value(n, k));
        }
        rows.push(row);
    }
    let mut headers = vec![t(lang, "Prioriterat område", "Priority area")];
    headers.extend(years.iter().cloned());
    let population = config.places.find(place).and_then(|p| p.population);
    Ok(Section {
        title: format!("{}: {place}", t(lang, "Fokusplats", "Focus place")),
        text: vec![format!(
            "{} {}.",
            t(
                lang,
                "Antal händelser per år och prioriterat område. Invånare:",
                "Incidents per year and priority area. Inhabitants:"
            ),
            population.map_or("okänt".to_owned(), |p| charts::swedish_number(p as f64))
        )],
        charts: vec![],
        tables: vec![Table {
            name: format!("fokus-{}", crate::text::fold_key(place)),
            title: place.to_owned(),
            headers,
            rows,
        }],
    })
}

fn time_section(prepared: &Prepared, opts: &ReportOptions) -> anyhow::Result<Section> {
    let lang = opts.lang;
    let year = opts.year;
    let in_year = prepared
        .incidents
        .clone()
        .lazy()
        .filter(col("occurred_at").dt().year().eq(lit(year)))
        .collect()?;
    let groups = time::profile(&in_year, None)?;
    let cells = groups.first().map(|g| g.1).unwrap_or([0.0; time::CELLS]);
    let values: Vec<[f64; 24]> = (0..7)
        .map(|d| std::array::from_fn(|h| cells[d * 24 + h]))
        .collect();
    let rows: Vec<String> = (0..7)
        .map(|d| time::weekday_name(d, lang).to_owned())
        .collect();
    let chart = charts::heatmap(&Heatmap {
        title: format!(
            "{} {year}",
            t(
                lang,
                "Händelser per veckodag och timme",
                "Incidents by weekday and hour"
            )
        ),
        rows,
        values,
        legend: t(lang, "Antal (aoristiskt viktat)", "Count (aoristic)"),
        x_title: t(lang, "Timme", "Hour"),
    })?;
    Ok(Section {
        title: t(lang, "Tid: veckodag och timme", "Time: weekday and hour"),
        text: vec![t(
            lang,
            "Händelser med osäker tid fördelas på timmarna efter hur stor del av intervallet som ligger i varje timme (aoristisk viktning, svensk tid).",
            "Incidents with an uncertain time are spread over the hours in proportion to the time span in each hour (aoristic weighting, Swedish time).",
        )],
        charts: vec![Chart { name: "veckodag-timme".into(), alt: "Veckodag × timme".into(), rendered: chart }],
        tables: vec![],
    })
}

fn place_section(
    prepared: &Prepared,
    by_place: &DataFrame,
    config: &Config,
    opts: &ReportOptions,
) -> anyhow::Result<(Section, Vec<PlaceFigures>)> {
    let lang = opts.lang;
    let k = opts.threshold;
    let year = opts.year.to_string();
    let all = cells(by_place, &[AREA, "place", "period"])?;
    let sweref = Sweref::new();
    let mut places = Vec::new();
    let mut map_places = Vec::new();
    let mut counts = Vec::new();
    for p in config.places.places() {
        let c = all.get(&vec![
            "brottskoncentrationer".to_owned(),
            p.name.clone(),
            year.clone(),
        ]);
        let n = c.map_or(0, |c| c.count);
        counts.push(n as f64);
        let shown_rate = if is_small(n, k) {
            None
        } else {
            c.and_then(|c| c.rate_1000)
        };
        let (x, y) = match (p.x, p.y) {
            (Some(x), Some(y)) => (x, y),
            _ => sweref.from_wgs84(p.lat, p.lon).unwrap_or((0.0, 0.0)),
        };
        map_places.push((p.name.clone(), x, y, shown_rate));
        places.push((
            p.name.clone(),
            p.lat,
            p.lon,
            vec![
                (
                    "invanare".to_owned(),
                    p.population.map_or(Value::Empty, |v| Value::Int(v as i64)),
                ),
                ("antal".to_owned(), count_value(n, k)),
                (
                    "per_1000".to_owned(),
                    shown_rate.map_or(Value::Empty, |r| Value::Num(r, 2)),
                ),
                ("ar".to_owned(), Value::Int(opts.year.into())),
            ],
        ));
    }
    let (points, _) = positions(
        &prepared
            .incidents
            .clone()
            .lazy()
            .filter(col("occurred_at").dt().year().eq(lit(opts.year)))
            .collect()?,
    )?;
    let hot: Vec<(f64, f64, f64)> = match grid_hotspots(&points, 250.0, 0.05, 30.0) {
        Grid::Cells { cells, size } => cells
            .iter()
            .filter(|c| c.class == 1 && c.count >= k as f64)
            .map(|c| (c.x, c.y, size))
            .collect(),
        _ => Vec::new(),
    };
    let map = charts::map_chart(&MapChart {
        title: format!(
            "{} {year}",
            t(
                lang,
                "Händelser per 1 000 invånare och hot spots",
                "Incidents per 1,000 inhabitants and hot spots"
            )
        ),
        legend: t(lang, "Per 1 000 invånare", "Per 1,000 inhabitants"),
        places: map_places,
        cells: hot.clone(),
    })?;
    let mut section = Section {
        title: t(
            lang,
            "Plats: var problemen är störst",
            "Place: where the problems are largest",
        ),
        text: vec![format!(
            "{} {} {}",
            hot.len(),
            t(
                lang,
                "rutor om 250 m är hot spots (Getis–Ord Gi*, FDR 5 %, minst",
                "250 m cells are hot spots (Getis–Ord Gi*, FDR 5 %, at least"
            ),
            format!("{k} {}).", t(lang, "händelser", "incidents"))
        )],
        charts: vec![Chart {
            name: "karta".into(),
            alt: "Karta".into(),
            rendered: map,
        }],
        tables: vec![],
    };
    if let Some(c) = concentration(&counts, 30.0) {
        section.text.push(format!(
            "{}: Gini {}, {} 20 % {} {} %.{}",
            t(
                lang,
                "Koncentration över platserna",
                "Concentration over the places"
            ),
            charts::swedish_number((c.gini * 100.0).round() / 100.0),
            t(lang, "de", "the"),
            t(
                lang,
                "mest drabbade platserna har",
                "most affected places have"
            ),
            charts::swedish_number((c.top_shares[2].1 * 100.0).round()),
            if c.too_few {
                t(
                    lang,
                    " För få händelser för säkra slutsatser.",
                    " Too few incidents for firm conclusions.",
                )
            } else {
                String::new()
            }
        ));
        section.charts.push(Chart {
            name: "lorenz".into(),
            alt: "Lorenzkurva".into(),
            rendered: charts::lorenz_chart(&LorenzChart {
                title: format!(
                    "{} {year}",
                    t(
                        lang,
                        "Koncentration över platser",
                        "Concentration over places"
                    )
                ),
                units: t(lang, "platserna", "the places"),
                points: c.lorenz,
            })?,
        });
    }
    Ok((section, places))
}

fn survey_section(
    survey: &Loaded,
    def: &crate::model::survey::SurveyDefinition,
    config: &Config,
    opts: &ReportOptions,
) -> anyhow::Result<Section> {
    let lang = opts.lang;
    let frame = crate::analysis::place::canonical_names(&survey.frame, "place", &config.places)?;
    let table = shares(
        &frame,
        def,
        &SurveyOptions {
            by: vec![SurveyDim::Place, SurveyDim::Year],
            min_answers: 30,
            level: 0.95,
            lang,
        },
    )?;
    let latest = table
        .column("year")?
        .i32()?
        .iter()
        .flatten()
        .max()
        .unwrap_or(opts.year);
    let rows_latest = table
        .clone()
        .lazy()
        .filter(col("year").eq(lit(latest)))
        .collect()?;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let items = rows_latest.column("item")?.str()?;
    let places = rows_latest.column("place")?.str()?;
    let n = rows_latest.column("n")?.i64()?;
    let share = rows_latest.column("share")?.f64()?;
    let (lo, hi) = (
        rows_latest.column("ci_low")?.f64()?,
        rows_latest.column("ci_high")?.f64()?,
    );
    let verdict = rows_latest.column("verdict")?.str()?;
    let first_item = def.items.first().map(|i| i.id.clone()).unwrap_or_default();
    for i in 0..rows_latest.height() {
        let few = n.get(i).unwrap_or(0) < 30;
        let item = items.get(i).unwrap_or("");
        let place = places.get(i).unwrap_or("");
        rows.push(vec![
            Value::Text(item.to_owned()),
            Value::Text(place.to_owned()),
            Value::Int(n.get(i).unwrap_or(0)),
            if few {
                Value::Hidden(t(lang, "för få svar", "too few answers"))
            } else {
                share
                    .get(i)
                    .map_or(Value::Empty, |s| Value::Num(s * 100.0, 0))
            },
            if few {
                Value::Empty
            } else {
                lo.get(i).map_or(Value::Empty, |s| Value::Num(s * 100.0, 0))
            },
            if few {
                Value::Empty
            } else {
                hi.get(i).map_or(Value::Empty, |s| Value::Num(s * 100.0, 0))
            },
            if few {
                Value::Empty
            } else {
                verdict
                    .get(i)
                    .map_or(Value::Empty, |v| Value::Text(v.to_owned()))
            },
        ]);
        if item == first_item {
            bars.push(Bar {
                label: place.to_owned(),
                value: if few {
                    None
                } else {
                    share.get(i).map(|s| s * 100.0)
                },
                interval: if few {
                    None
                } else {
                    lo.get(i)
                        .zip(hi.get(i))
                        .map(|(a, b)| (a * 100.0, b * 100.0))
                },
                note: few.then(|| t(lang, "för få svar", "too few answers")),
            });
        }
    }
    let question = def.items.first().map_or(String::new(), |i| i.text.clone());
    let chart = charts::bar_chart(&BarChart {
        title: format!(
            "{} {latest}: {}",
            t(lang, "Andel otrygga", "Share feeling unsafe"),
            first_item
        ),
        value_title: t(
            lang,
            "Andel (%) med 95 % konfidensintervall",
            "Share (%) with 95 % confidence interval",
        ),
        bars,
    })?;
    Ok(Section {
        title: t(lang, "Trygghet", "Safety"),
        text: vec![
            format!(
                "{} {question}",
                t(lang, "Fråga i diagrammet:", "Question in the chart:")
            ),
            t(
                lang,
                "Andelar med färre än 30 svar visas inte.",
                "Shares based on fewer than 30 answers are not shown.",
            ),
        ],
        charts: vec![Chart {
            name: "trygghet".into(),
            alt: "Trygghet per plats".into(),
            rendered: chart,
        }],
        tables: vec![Table {
            name: format!("trygghet-{latest}"),
            title: format!("{} {latest}", t(lang, "Trygghetsenkät", "Safety survey")),
            headers: vec![
                t(lang, "Fråga", "Item"),
                t(lang, "Plats", "Place"),
                t(lang, "Svar", "Answers"),
                t(lang, "Andel (%)", "Share (%)"),
                t(lang, "Lägst (%)", "Low (%)"),
                t(lang, "Högst (%)", "High (%)"),
                t(
                    lang,
                    "Jämfört med föregående mätning",
                    "Compared with the previous survey",
                ),
            ],
            rows,
        }],
    })
}

fn quality_section(inputs: &Inputs, opts: &ReportOptions) -> Section {
    let lang = opts.lang;
    let mut rows = Vec::new();
    let hash_of = |file: &str| {
        inputs
            .hashes
            .iter()
            .find(|(f, _)| f == file)
            .map_or(String::new(), |h| h.1.clone())
    };
    // One row per input file: read = accepted + rejected. For the outside sources
    // "accepted" means usable; what became of those rows is in their own sections.
    let mut source_row = |file: &str, kind: String, read: usize, rejected: usize| {
        rows.push(vec![
            Value::Text(file.to_owned()),
            Value::Text(kind),
            Value::Int(read as i64),
            Value::Int((read - rejected) as i64),
            Value::Int(rejected as i64),
            Value::Text(hash_of(file)),
        ]);
    };
    for (loaded, kind) in std::iter::once((inputs.loaded, t(lang, "händelser", "incidents"))).chain(
        inputs
            .survey
            .map(|s| (s, t(lang, "enkätsvar", "survey responses"))),
    ) {
        for f in &loaded.files {
            source_row(&f.file, kind.clone(), f.rows_read, f.rejected);
        }
    }
    if let Some((read, _)) = inputs.polisen {
        for f in &read.files {
            source_row(
                &f.file,
                t(lang, "polisens händelser", "police events"),
                f.read,
                f.rejected,
            );
        }
    }
    if let Some(table) = inputs.bra {
        for f in &table.files {
            source_row(
                &f.file,
                t(lang, "Brå-tabell", "Brå table"),
                f.read,
                f.rejected,
            );
        }
    }
    let p = &inputs.prepared.placement;
    let unmatched: Vec<String> = inputs
        .prepared
        .classification
        .unmatched_offences
        .iter()
        .take(8)
        .map(|(o, n)| format!("{o} ({n})"))
        .collect();
    Section {
        title: t(lang, "Datakvalitet", "Data quality"),
        text: vec![
            period_covered(inputs.prepared, lang),
            format!(
                "{}: {} {}, {} {}, {} {}.",
                t(lang, "Placering av händelser", "Placing incidents"),
                p.by_name,
                t(lang, "efter platsnamn", "by place name"),
                p.by_coordinates,
                t(lang, "efter koordinater", "by coordinates"),
                p.unknown,
                t(lang, "okänd plats", "unknown place")
            ),
            format!(
                "{}: {}",
                t(
                    lang,
                    "Brottstyper utan prioriterat område",
                    "Offences in no priority area"
                ),
                unmatched.join(", ")
            ),
            t(
                lang,
                "Avvisade rader finns bredvid rapporten: avvisade_rader.csv (händelser), avvisade_handelser.csv (polisens händelser) och avvisade_bra.csv (Brå-tabeller) när de används.",
                "Rejected rows are listed beside the report: avvisade_rader.csv (incidents), avvisade_handelser.csv (police events) and avvisade_bra.csv (Brå tables) when used.",
            ),
        ],
        charts: vec![],
        tables: vec![Table {
            name: "indata".into(),
            title: t(lang, "Indatafiler", "Input files"),
            headers: vec![
                t(lang, "Fil", "File"),
                t(lang, "Slag", "Kind"),
                t(lang, "Lästa", "Read"),
                t(lang, "Godkända", "Accepted"),
                t(lang, "Avvisade", "Rejected"),
                "SHA-256".into(),
            ],
            rows,
        }],
    }
}

/// The first and last day with incidents.
fn period_covered(prepared: &Prepared, lang: Lang) -> String {
    let days = prepared
        .incidents
        .column("occurred_at")
        .ok()
        .and_then(|c| c.as_materialized_series().cast(&DataType::Date).ok())
        .map(|s| {
            s.date()
                .map(|d| d.phys.iter().flatten().collect::<Vec<i32>>())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let day = |d: Option<&i32>| {
        d.map(|d| {
            (chrono::NaiveDate::default() + chrono::Days::new(*d as u64))
                .format("%Y-%m-%d")
                .to_string()
        })
    };
    match (day(days.iter().min()), day(days.iter().max())) {
        (Some(a), Some(b)) => format!(
            "{}: {a} – {b}.",
            t(lang, "Händelserna täcker perioden", "The incidents cover")
        ),
        _ => t(lang, "Inga godkända händelser.", "No accepted incidents."),
    }
}

fn method_section(opts: &ReportOptions) -> Section {
    let lang = opts.lang;
    let k = opts.threshold;
    Section {
        title: t(lang, "Metod", "Method"),
        text: vec![
            t(lang, "Takt per 100 000 invånare för kommunen och per 1 000 för platser; platsernas invånartal kommer från ortsregistret (SCB:s tätorter eller uppskattningar).", "Rates per 100,000 inhabitants for the municipality and per 1,000 for places; place populations come from the gazetteer (SCB tätorter or estimates)."),
            t(lang, "Förändring mot året innan prövas med ett exakt Poisson-test av kvoten; bedömningen säger ökning eller minskning bara när skillnaden är statistiskt säker (5 %).", "Change from the year before is tested with an exact Poisson rate-ratio test; an increase or decrease is stated only when the difference is statistically clear (5 %)."),
            format!("{} {k} {}", t(lang, "Antal under", "Counts below"), t(lang, "visas som \"<k\" och sådant som skulle avslöja dem som \"..\".", "are shown as \"<k\", and what would reveal them as \"..\".")).replace("<k", &format!("<{k}")),
            t(lang, "Trygghetsandelar är viktade med Wilson-intervall på effektivt urval.", "Survey shares are weighted, with Wilson intervals on the effective sample size."),
        ],
        charts: vec![],
        tables: vec![],
    }
}
