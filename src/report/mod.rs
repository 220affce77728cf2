//! The lägesbild report as data: sections with text, chart specifications and tables.
//! Nothing here draws or writes files; `render` does that from a sealed report.
//!
//! A report is built in two steps. [`draft`] builds every section with *draft values*:
//! a count is a [`CellKey`] (area × place × period), a rate or change names the counts
//! it is computed from. [`protect`](protect::protect_report) then decides, for every count the draft
//! publishes anywhere, how it is shown (disclosure control over all tables at once,
//! proven by the exact audit), and [`Report::seal`] turns each draft value into a
//! [`Published`] through that gate. Renderers only ever see `Report<Published>`.

use std::collections::BTreeMap;

use polars::prelude::*;

pub mod chart;
mod harm;
mod offences;
mod participation;
pub mod promises;
pub mod protect;
mod series;
mod sources;

use crate::analysis::aggregate::{Dim, Options, Populations};
use crate::analysis::classify::{AREA, OTHER};
use crate::analysis::concentration::concentration;
use crate::analysis::disclosure::gate::Gate;
pub use crate::analysis::disclosure::gate::{Mark, Public, Published, View};
use crate::analysis::events::Imported;
use crate::analysis::hotspots::{grid_hotspots, Grid};
use crate::analysis::period::Period;
use crate::analysis::place::UNKNOWN_PLACE;
use crate::analysis::survey::{shares, SurveyDim, SurveyOptions};
use crate::analysis::{populations, positions, time, Prepared};
use crate::coords::Sweref;
use crate::ingest::report::Loaded;
use crate::lang::Lang;
use crate::model::bra::BraTable;
use crate::model::config::Config;
use crate::model::feed::EventsRead;
use chart::{Bar, BarChart, ChartSpec, FunnelChart, Heatmap, LineChart, LorenzChart, MapChart};

pub use crate::model::publication::{CellKey, Figure, Located, Location, Span};

/// A value of a draft report, before disclosure control.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// Nothing.
    Empty,
    /// A count of incidents.
    Count(CellKey),
    /// A value computed from counts (a rate, a change, a share): shown only when every
    /// input count is shown.
    Derived {
        /// The counts it is computed from.
        inputs: Vec<CellKey>,
        /// The value, if there is one.
        value: Option<f64>,
        /// Decimals to show.
        decimals: usize,
    },
    /// The p-value of a test on counts: shown only when every input count is shown.
    DerivedP {
        /// The counts the test is computed from.
        inputs: Vec<CellKey>,
        /// The p-value, if there is one.
        p: Option<f64>,
    },
    /// A verdict or other text computed from counts.
    DerivedText {
        /// The counts it is computed from.
        inputs: Vec<CellKey>,
        /// The text.
        text: String,
    },
    /// A figure already decided (not a count of incidents; see [`Public`]).
    Sealed(Published),
}

impl Value {
    /// A count that is not a count of incidents.
    pub fn public(n: i64, why: Public) -> Value {
        Value::Sealed(Published::public_count(n, why))
    }

    /// A value computed from the counts `inputs`, shown only when every one is.
    fn derived(inputs: &[CellKey], value: Option<f64>, decimals: usize) -> Value {
        Value::Derived {
            inputs: inputs.to_vec(),
            value,
            decimals,
        }
    }

    /// A rate of one count: `count / population × per`.
    fn rate(key: CellKey, count: i64, population: u64, per: f64, decimals: usize) -> Value {
        Value::Derived {
            inputs: vec![key],
            value: (population > 0).then(|| count as f64 / population as f64 * per),
            decimals,
        }
    }
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<V> {
    /// Words.
    Text(String),
    /// A figure.
    Value(V),
    /// Pieces shown only when every count of `inputs` is shown, else `otherwise`
    /// (resolved when sealing; a sealed report has none).
    IfShown {
        /// Counts that must be shown.
        inputs: Vec<CellKey>,
        /// What to say then.
        then: Vec<Piece<V>>,
        /// What to say otherwise.
        otherwise: Vec<Piece<V>>,
    },
}

/// A paragraph: words and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph<V>(pub Vec<Piece<V>>);

impl<V> Paragraph<V> {
    /// A paragraph of words only.
    pub fn text(s: impl Into<String>) -> Paragraph<V> {
        Paragraph(vec![Piece::Text(s.into())])
    }
}

/// A published table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<V> {
    /// File and sheet name (ASCII, no spaces).
    pub name: String,
    /// Caption.
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<V>>,
}

/// A chart with its file name.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart<V> {
    /// File stem.
    pub name: String,
    /// Alternative text.
    pub alt: String,
    /// What to draw.
    pub spec: ChartSpec<V>,
}

/// One section of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Section<V> {
    /// Heading.
    pub title: String,
    /// Paragraphs.
    pub text: Vec<Paragraph<V>>,
    /// Charts.
    pub charts: Vec<Chart<V>>,
    /// Tables.
    pub tables: Vec<Table<V>>,
}

impl<V> Section<V> {
    fn titled(title: String) -> Section<V> {
        Section {
            title,
            text: Vec::new(),
            charts: Vec::new(),
            tables: Vec::new(),
        }
    }
}

/// A place with its figures, for the GeoJSON layer.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceFigures<V> {
    /// Name.
    pub name: String,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// (property, value).
    pub properties: Vec<(String, V)>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report<V> {
    /// Title.
    pub title: String,
    /// Subtitle (municipality, police area, year, generation date).
    pub subtitle: String,
    /// A warning shown above everything else, on the page and in the workbook: the
    /// inputs are made-up test data.
    pub notice: Option<String>,
    /// Sections in order.
    pub sections: Vec<Section<V>>,
    /// Places with their figures, for the GeoJSON layer.
    pub places: Vec<PlaceFigures<V>>,
    /// The threshold k of the disclosure control.
    pub threshold: i64,
    /// Every count and value computed from counts in the tables and the GeoJSON layer,
    /// with where it stands (filled when sealing; the audit's map of the files).
    pub figures: Vec<Located>,
    /// Counts never published that must not be worked out either (a sensitive area at
    /// each place): checked by the audit like hidden small counts.
    pub secrets: Vec<CellKey>,
}

/// A report as the renderers get it: every figure through the gate.
pub type Sealed = Report<Published>;

impl Report<Value> {
    /// Every count a figure of the draft is, or is computed from.
    pub fn keys(&self) -> std::collections::BTreeSet<CellKey> {
        let mut keys = std::collections::BTreeSet::new();
        let mut note = |v: &Value| match v {
            Value::Count(k) => {
                keys.insert(k.clone());
            }
            Value::Derived { inputs, .. }
            | Value::DerivedText { inputs, .. }
            | Value::DerivedP { inputs, .. } => {
                keys.extend(inputs.iter().cloned());
            }
            _ => {}
        };
        self.clone().map_values(&mut |v: Value| {
            note(&v);
        });
        keys
    }

    /// Where every count and derived value of the tables and places stands.
    fn locate(&self) -> Vec<Located> {
        let figure = |v: &Value| match v {
            Value::Count(k) => Some(Figure::Count(k.clone())),
            Value::Derived { inputs, .. }
            | Value::DerivedText { inputs, .. }
            | Value::DerivedP { inputs, .. }
                if !inputs.is_empty() =>
            {
                Some(Figure::Derived(inputs.clone()))
            }
            _ => None,
        };
        let mut out = Vec::new();
        for t in self.sections.iter().flat_map(|s| &s.tables) {
            for (row, cells) in t.rows.iter().enumerate() {
                for (column, v) in cells.iter().enumerate() {
                    if let Some(figure) = figure(v) {
                        out.push(Located {
                            at: Location::Table {
                                table: t.name.clone(),
                                row,
                                column,
                            },
                            figure,
                        });
                    }
                }
            }
        }
        for p in &self.places {
            for (property, v) in &p.properties {
                if let Some(figure) = figure(v) {
                    out.push(Located {
                        at: Location::Place {
                            place: p.name.clone(),
                            property: property.clone(),
                        },
                        figure,
                    });
                }
            }
        }
        out
    }

    /// The report with every draft value passed through `gate`, and personal data
    /// masked in every text it publishes: values, paragraphs, titles, headings, chart
    /// labels, table and chart names, place names, and the names in its manifest (a
    /// place or a municipality named in the configuration, an offence name in the
    /// data, may hold what was typed into the wrong field).
    pub fn seal(self, gate: &Gate<CellKey>) -> Sealed {
        use crate::text::masked;
        let figures = self.locate().into_iter().map(Located::masked).collect();
        let mut pass = |v: Value| match v {
            // Free text from the inputs (offence names, event types) may hold
            // personal data typed into the wrong column: masked before it is published.
            Value::Text(s) => Published::text(crate::text::mask_personal_data(&s)),
            Value::Empty => Published::empty(),
            Value::Count(key) => gate.count(&key),
            Value::Derived {
                inputs,
                value,
                decimals,
            } => gate.derived(&inputs, value, decimals),
            Value::DerivedText { inputs, text } => gate.derived_text(&inputs, &text),
            Value::DerivedP { inputs, p } => gate.derived_p(&inputs, p),
            Value::Sealed(p) => p,
        };
        let sections = self
            .sections
            .into_iter()
            .map(|s| Section {
                title: masked(s.title),
                text: s
                    .text
                    .into_iter()
                    .map(|p| Paragraph(resolve(p.0, gate, &mut pass)))
                    // A paragraph with nothing left to say is left out whole: an empty
                    // one in its place would tell that something was hidden there.
                    .filter(|p| !p.0.is_empty())
                    .collect(),
                charts: s
                    .charts
                    .into_iter()
                    .map(|c| Chart {
                        name: masked(c.name),
                        alt: masked(c.alt),
                        spec: c.spec.map(&mut pass).map_labels(&mut masked),
                    })
                    .collect(),
                tables: s
                    .tables
                    .into_iter()
                    .map(|t| map_table(t, &mut pass))
                    .collect(),
            })
            .collect();
        Report {
            title: masked(self.title),
            subtitle: masked(self.subtitle),
            notice: self.notice.map(masked),
            sections,
            places: self
                .places
                .into_iter()
                .map(|p| PlaceFigures {
                    name: masked(p.name),
                    lat: p.lat,
                    lon: p.lon,
                    properties: p
                        .properties
                        .into_iter()
                        .map(|(k, v)| (k, pass(v)))
                        .collect(),
                })
                .collect(),
            threshold: self.threshold,
            figures,
            secrets: self.secrets.into_iter().map(CellKey::masked).collect(),
        }
    }

    /// Visits every value (paragraph conditions included).
    fn map_values(self, f: &mut impl FnMut(Value)) {
        fn pieces(list: Vec<Piece<Value>>, f: &mut impl FnMut(Value)) {
            for piece in list {
                match piece {
                    Piece::Text(_) => {}
                    Piece::Value(v) => f(v),
                    Piece::IfShown {
                        inputs,
                        then,
                        otherwise,
                    } => {
                        f(Value::Derived {
                            inputs,
                            value: None,
                            decimals: 0,
                        });
                        pieces(then, f);
                        pieces(otherwise, f);
                    }
                }
            }
        }
        for s in self.sections {
            for p in s.text {
                pieces(p.0, f);
            }
            for c in s.charts {
                c.spec.map(&mut *f);
            }
            for t in s.tables {
                t.rows.into_iter().flatten().for_each(&mut *f);
            }
        }
        for p in self.places {
            p.properties.into_iter().for_each(|(_, v)| f(v));
        }
    }
}

/// Resolves paragraph conditions and passes the figures.
fn resolve(
    list: Vec<Piece<Value>>,
    gate: &Gate<CellKey>,
    pass: &mut impl FnMut(Value) -> Published,
) -> Vec<Piece<Published>> {
    let mut out = Vec::new();
    for piece in list {
        match piece {
            Piece::Text(s) => out.push(Piece::Text(
                crate::text::mask_personal_data(&s).into_owned(),
            )),
            Piece::Value(v) => out.push(Piece::Value(pass(v))),
            Piece::IfShown {
                inputs,
                then,
                otherwise,
            } => out.extend(resolve(
                if gate.all_shown(&inputs) {
                    then
                } else {
                    otherwise
                },
                gate,
                pass,
            )),
        }
    }
    out
}

/// The table with every value passed through `f`, and personal data masked in its
/// name, title and headers.
fn map_table<V, W>(t: Table<V>, f: &mut impl FnMut(V) -> W) -> Table<W> {
    use crate::text::masked;
    Table {
        name: masked(t.name),
        title: masked(t.title),
        headers: t.headers.into_iter().map(masked).collect(),
        rows: t
            .rows
            .into_iter()
            .map(|r| r.into_iter().map(&mut *f).collect())
            .collect(),
    }
}

/// What the report is about.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The year reported on.
    pub year: i32,
    /// Counts from 1 to k − 1 are hidden (k ≥ 3).
    pub threshold: i64,
    /// Generation date shown in the report.
    pub generated: chrono::NaiveDate,
    /// Language.
    pub lang: Lang,
    /// Places with a section of their own.
    pub focus_places: Vec<String>,
    /// Places with fewer inhabitants get no rate.
    pub min_population: u32,
    /// Survey shares from fewer answers are not shown.
    pub min_answers: u32,
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
    /// The participation log (dialogues, safety walks), if configured.
    pub dialogues: Option<&'a Loaded>,
}

fn t(lang: Lang, sv: &str, en: &str) -> String {
    lang.pick(sv, en).to_owned()
}

/// Builds the report: the draft, disclosure control over all of it, and the seal.
pub fn build(inputs: &Inputs, opts: &ReportOptions) -> anyhow::Result<Sealed> {
    protect_and_seal(draft(inputs, opts)?, inputs, opts)
}

/// Builds a draft promise document for `promises` (see
/// [`promises::promise_document`]), through the same disclosure control.
pub fn build_promise_document(
    inputs: &Inputs,
    opts: &ReportOptions,
    list: &crate::model::promises::Promises,
) -> anyhow::Result<Sealed> {
    protect_and_seal(
        promises::promise_document(inputs, opts, list)?,
        inputs,
        opts,
    )
}

/// Disclosure control over every count of `draft` at once, then the seal.
fn protect_and_seal(
    mut draft: Report<Value>,
    inputs: &Inputs,
    opts: &ReportOptions,
) -> anyhow::Result<Sealed> {
    anyhow::ensure!(
        opts.threshold >= 3,
        "tröskeln för små tal måste vara minst 3 (med 2 skulle markeringen \"<2\" avslöja talet)"
    );
    let config = inputs.config;
    let sensitive: Vec<String> = config
        .areas
        .areas
        .iter()
        .filter(|a| a.sensitive && !config.report.sensitive_by_place)
        .map(|a| a.slug.clone())
        .collect();
    let atoms = protect::Atoms::of(inputs.prepared, &protect::named_offences(&draft))?;
    let published = protect::published_cells(&draft, &atoms);
    // Places with at least nine in ten of the municipality's inhabitants (Göteborg's
    // town has 99,8 % of them, Stockholm's more than all: it reaches past the border):
    // the municipality in all but name.
    let whole: std::collections::BTreeSet<String> = config
        .places
        .places()
        .iter()
        .filter(|p| {
            config.municipality.population > 0
                && p.population
                    .is_some_and(|n| n * 10 >= config.municipality.population * 9)
        })
        .map(|p| p.name.clone())
        .collect();
    let secrets = protect::secrets(&atoms, &sensitive, &whole);
    let gate = protect::protect_report(published, &atoms, &secrets, opts.threshold)?;
    draft.secrets = secrets.into_iter().map(|(key, _)| key).collect();
    Ok(draft.seal(&gate))
}

/// Builds the report with every count shown as it is, small ones included. Only for
/// the test that shows the independent audit finds what an unprotected report leaks.
#[doc(hidden)]
pub fn build_unprotected_for_tests(
    inputs: &Inputs,
    opts: &ReportOptions,
) -> anyhow::Result<Sealed> {
    let mut draft = draft(inputs, opts)?;
    draft.title = format!(
        "UTAN RÖJANDEKONTROLL, FÅR INTE PUBLICERAS – {}",
        draft.title
    );
    let atoms = protect::Atoms::of(inputs.prepared, &protect::named_offences(&draft))?;
    let gate = protect::bypassed_gate(&draft, &atoms, opts.threshold);
    Ok(draft.seal(&gate))
}

/// The report before disclosure control.
pub fn draft(inputs: &Inputs, opts: &ReportOptions) -> anyhow::Result<Report<Value>> {
    anyhow::ensure!(
        opts.threshold >= 3,
        "tröskeln för små tal måste vara minst 3 (med 2 skulle markeringen \"<2\" avslöja talet)"
    );
    let lang = opts.lang;
    let config = inputs.config;
    let pops = populations(config);
    let incidents = &inputs.prepared.incidents;
    let count_in = |by: Vec<Dim>, period: Period, through_month: Option<u32>| {
        let opts = Options {
            by,
            period,
            from: None,
            to: None,
            level: 0.95,
            through_month,
        };
        inputs.prepared.aggregate(&opts, &pops)
    };
    let count = |by: Vec<Dim>, period: Period| count_in(by, period, None);
    let partial =
        match crate::analysis::period::last_complete_month(incidents, opts.year, opts.generated)? {
            // January to the last complete month of every year: the same months.
            Some(through) => Some(Partial {
                through,
                yearly: cells(
                    &count_in(vec![Dim::PriorityArea], Period::Year, Some(through.max(1)))?,
                    &[AREA, "period"],
                )?,
            }),
            None => None,
        };
    let agg = Aggregates {
        yearly: cells(
            &count(vec![Dim::PriorityArea], Period::Year)?,
            &[AREA, "period"],
        )?,
        monthly: cells(
            &count(vec![Dim::PriorityArea], Period::Month)?,
            &[AREA, "period"],
        )?,
        quarterly: cells(
            &count(vec![Dim::PriorityArea], Period::Quarter)?,
            &[AREA, "period"],
        )?,
        by_place: cells(
            &count(vec![Dim::PriorityArea, Dim::Place], Period::Year)?,
            &[AREA, "place", "period"],
        )?,
        partial,
    };
    let all_area = config
        .areas
        .areas
        .iter()
        .find(|a| a.all_incidents)
        .map(|a| a.slug.clone());
    let mut sections = vec![summary(&agg, all_area.as_deref(), inputs, opts)];
    // What stands out goes before the paragraphs on safety and participation.
    let at = sections[0].text.len().saturating_sub(2);
    let found = findings(&agg, config, &pops, opts);
    sections[0].text.splice(at..at, found);
    // Offence types are compared over the same spans as everything else; a year that
    // has only begun (no complete month) is not broken down.
    let offence_cells = match &agg.partial {
        Some(p) if p.through == 0 => None,
        partial => Some(offences::OffenceCells::count(
            inputs.prepared,
            config,
            &pops,
            partial.as_ref().map(|p| p.through),
        )?),
    };
    let mut areas: Vec<(String, String, bool)> = config
        .areas
        .areas
        .iter()
        .map(|a| {
            (
                a.slug.clone(),
                area_name(config, &a.slug, lang),
                a.sensitive && !config.report.sensitive_by_place,
            )
        })
        .collect();
    areas.push((
        OTHER.to_owned(),
        t(
            lang,
            "Övrigt (inget prioriterat område)",
            "Other (no priority area)",
        ),
        false,
    ));
    for (slug, name, sensitive) in &areas {
        let mut section = area_section(
            slug,
            name,
            *sensitive,
            &agg,
            &pops,
            &config.statistics,
            opts,
        );
        if let Some(cells) = &offence_cells {
            let (text, table) = offences::area_breakdown(cells, slug, name, opts);
            section.text.extend(text);
            section.tables.extend(table);
        }
        sections.push(section);
    }
    let named: Vec<(String, String)> = areas
        .iter()
        .map(|(slug, name, _)| (slug.clone(), name.clone()))
        .collect();
    // Which problems hurt most comes right after how many there are.
    sections.push(harm::section(
        &agg,
        offence_cells.as_ref(),
        &named,
        config,
        opts,
    ));
    for place in &opts.focus_places {
        let mut section = focus_section(place, &agg, config, opts);
        let mut police = 0;
        if let Some((_, imported)) = inputs.polisen {
            // What the police's own published events say about the place comes next.
            let lead = police_lead(&imported.frame, place, opts)?;
            police = lead.len();
            section.text.splice(0..0, lead);
        }
        if let Some(cells) = &offence_cells {
            // Which of the place's offence types hurt most follows the police's events.
            let harm = harm::at_place(cells, place, opts);
            section.text.splice(police..police, harm);
            // The place's own problem comes first.
            let (text, table, chart) = offences::focus_breakdown(cells, place, config, opts);
            section.text.splice(0..0, text);
            section.tables.extend(table);
            section.charts.extend(chart);
        }
        sections.push(section);
    }
    match &agg.partial {
        // A year that has only begun has no span to test.
        Some(p) if p.through == 0 => {}
        partial => sections.push(series::section(
            inputs.prepared,
            config,
            partial.as_ref().map(|p| p.through),
            opts,
        )?),
    }
    sections.push(time_section(inputs.prepared, all_area.as_deref(), opts)?);
    let (place_section, places) =
        place_section(inputs.prepared, all_area.as_deref(), &agg, config, opts)?;
    sections.push(place_section);
    if let (Some(survey), Some(def)) = (inputs.survey, &config.survey_definition) {
        sections.push(survey_section(survey, def, config, opts)?);
    }
    if let Some(log) = inputs.dialogues {
        let counted = participation::Participation::count(&log.frame, opts.year)?;
        sections.push(participation::section(&counted, opts.year, lang));
    }
    if let Some((read, imported)) = inputs.polisen {
        sections.push(sources::polisen_section(read, imported, config, lang)?);
    }
    if let Some(table) = inputs.bra {
        sections.push(sources::bra_section(table, config, lang)?);
    }
    let survey_frame = inputs.survey.map(|l| &l.frame);
    match &agg.partial {
        // A year that has only begun has nothing to rank.
        Some(p) if p.through == 0 => {}
        partial => sections.push(promises::candidates_section(
            inputs.prepared,
            config,
            survey_frame,
            partial.as_ref().map(|p| p.through),
            opts,
        )?),
    }
    if let Some(list) = &config.promises {
        sections.push(promises::follow_up_section(
            list,
            inputs.prepared,
            config,
            survey_frame,
            inputs.polisen.map(|(_, i)| &i.frame),
            inputs.dialogues.map(|l| &l.frame),
            opts,
        )?);
    }
    sections.push(quality_section(inputs, all_area.as_deref(), opts)?);
    sections.push(monthly_appendix(config, &agg, opts));
    sections.push(method_section(opts));
    let m = &config.municipality;
    let notice = generated_inputs(inputs).then(|| {
        t(
            lang,
            "Obs! Rapporten bygger på påhittad testdata från lagesbild generate, inte på verkliga händelser eller svar. Ingen slutsats om kommunen kan dras av den.",
            "Note: this report is built on made-up test data from lagesbild generate, not on real incidents or answers. No conclusion about the municipality can be drawn from it.",
        )
    });
    Ok(Report {
        notice,
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
        threshold: opts.threshold,
        figures: Vec::new(),
        secrets: Vec::new(),
    })
}

/// Whether any input is made-up test data: a file `lagesbild generate` wrote (its names
/// begin "genererade-") or incidents it marked ("Genererad testdata.").
fn generated_inputs(inputs: &Inputs) -> bool {
    let generated_name = |file: &str| base_name(file).starts_with("genererade-");
    let incident_files = inputs.loaded.files.iter().map(|f| f.file.as_str());
    let survey_files = inputs
        .survey
        .into_iter()
        .flat_map(|s| s.files.iter().map(|f| f.file.as_str()));
    let polisen_files = inputs
        .polisen
        .into_iter()
        .flat_map(|(r, _)| r.files.iter().map(|f| f.file.as_str()));
    let dialogue_files = inputs
        .dialogues
        .into_iter()
        .flat_map(|d| d.files.iter().map(|f| f.file.as_str()));
    let marked = inputs
        .loaded
        .frame
        .column("description")
        .ok()
        .and_then(|c| {
            c.str()
                .ok()
                .map(|s| s.iter().any(|d| d == Some("Genererad testdata.")))
        })
        .unwrap_or(false);
    marked
        || incident_files
            .chain(survey_files)
            .chain(polisen_files)
            .chain(dialogue_files)
            .any(generated_name)
}

fn area_name(config: &Config, slug: &str, lang: Lang) -> String {
    if slug == OTHER {
        return t(
            lang,
            "Övrigt (inget prioriterat område)",
            "Other (no priority area)",
        );
    }
    config
        .areas
        .get(slug)
        .map_or(slug.to_owned(), |a| match lang {
            Lang::Sv => a.name.clone(),
            Lang::En => a.name_en.clone(),
        })
}

/// One row of an aggregate table.
struct Cell {
    count: i64,
    rate_1000: Option<f64>,
    rate_100k: Option<f64>,
    change_pct: Option<f64>,
    verdict: String,
    /// The sum of the incidents' harm weights in days ([`crate::analysis::harm`]).
    harm: f64,
    /// Incidents the harm table has no weight for.
    harm_unweighted: i64,
}

/// An aggregate table as key columns → cell.
type Cells = BTreeMap<Vec<String>, Cell>;

fn cells(df: &DataFrame, keys: &[&str]) -> anyhow::Result<Cells> {
    let mut out = BTreeMap::new();
    let count = df.column("count")?.i64()?;
    let r1 = df.column("rate_per_1000")?.f64()?;
    let r2 = df.column("rate_per_100k")?.f64()?;
    let pct = df.column("change_pct")?.f64()?;
    let verdict = df.column("verdict")?.str()?;
    let harm = df.column("harm")?.f64()?;
    let unweighted = df.column("harm_unweighted")?.i64()?;
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
                verdict: verdict.get(i).unwrap_or("").to_owned(),
                harm: harm.get(i).unwrap_or(0.0),
                harm_unweighted: unweighted.get(i).unwrap_or(0),
            },
        );
    }
    Ok(out)
}

/// The distinct periods (last key column) of a table, sorted.
fn periods_in(cells: &Cells) -> Vec<String> {
    let mut periods: Vec<String> = cells.keys().filter_map(|k| k.last().cloned()).collect();
    periods.sort();
    periods.dedup();
    periods
}

/// The aggregate tables the sections draw on.
struct Aggregates {
    /// Priority area × year.
    yearly: Cells,
    /// Priority area × month.
    monthly: Cells,
    /// Priority area × quarter, for areas whose months are mostly too small to show.
    quarterly: Cells,
    /// Priority area × place × year.
    by_place: Cells,
    /// When the report year is not over in the data: its last complete month and the
    /// same months of every year (January to that month), which every comparison uses.
    partial: Option<Partial>,
}

impl Aggregates {
    /// The area × year cells every comparison between years uses, and the span each of
    /// their counts covers: the same months of every year when the report year is not
    /// over, whole years otherwise; `None` when the year has only begun (no complete
    /// month to compare).
    fn compared(&self) -> Option<(&Cells, Box<dyn Fn(i32) -> Span + '_>)> {
        match &self.partial {
            Some(p) if p.through > 0 => Some((&p.yearly, Box::new(move |y| p.span(y)))),
            Some(_) => None,
            None => Some((&self.yearly, Box::new(Span::Year))),
        }
    }
}

/// A report year the data do not cover to its end.
struct Partial {
    /// The last complete month (0 when not even January is complete).
    through: u32,
    /// Priority area × year, January to `through` of every year.
    yearly: Cells,
}

impl Partial {
    /// The span of the same months in `year`.
    fn span(&self, year: i32) -> Span {
        Span::YearTo(year, self.through)
    }
}

/// "jan–okt" (or "Jan–Oct"): January to month `through`.
pub fn months_label(through: u32, lang: Lang) -> String {
    const SV: [&str; 12] = [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let names = match lang {
        Lang::Sv => SV,
        Lang::En => EN,
    };
    match through {
        0 => String::new(),
        1 => names[0].to_owned(),
        m => format!("{}–{}", names[0], names[(m as usize).min(12) - 1]),
    }
}

/// The yearly count of `area` in the municipality with its rate, change and verdict.
struct YearFigures {
    count: Value,
    rate_100k: Value,
    change_pct: Value,
    verdict: Value,
}

/// The figures of `area` in the municipality for `year` from `cells` (area × year),
/// whose counts cover `span_of(year)`: the whole year, or the same months of each year.
fn year_figures(
    cells: &Cells,
    span_of: &dyn Fn(i32) -> Span,
    area: &str,
    year: i32,
    lang: Lang,
) -> Option<YearFigures> {
    let prefix = [area.to_owned()];
    let key_of = |s: Span| CellKey::municipality(area, s);
    Some(year_figures_of(
        cells, &prefix, &key_of, span_of, year, lang,
    ))
}

/// The figures for `year` of the row of `cells` whose key starts with `prefix` (the
/// last key column is the year), each count being `key_of(span_of(year))`.
fn year_figures_of(
    cells: &Cells,
    prefix: &[String],
    key_of: &dyn Fn(Span) -> CellKey,
    span_of: &dyn Fn(i32) -> Span,
    year: i32,
    lang: Lang,
) -> YearFigures {
    let row_of = |y: i32| {
        let mut k = prefix.to_vec();
        k.push(y.to_string());
        k
    };
    let key = key_of(span_of(year));
    // A year without a row (no incident at all in its months) still has its count, 0.
    let c = cells.get(&row_of(year));
    let previous = key_of(span_of(year - 1));
    let has_previous = cells.contains_key(&row_of(year - 1));
    let both = vec![key.clone(), previous];
    YearFigures {
        count: Value::Count(key.clone()),
        rate_100k: Value::Derived {
            inputs: vec![key.clone()],
            value: c.and_then(|c| c.rate_100k),
            decimals: 1,
        },
        change_pct: match c.and_then(|c| c.change_pct) {
            Some(p) if has_previous => Value::Derived {
                inputs: both.clone(),
                value: Some(p),
                decimals: 0,
            },
            _ => Value::Empty,
        },
        verdict: if c.is_none_or(|c| c.verdict.is_empty()) {
            Value::Empty
        } else {
            Value::DerivedText {
                // Without a year before, the verdict ("ingen jämförelse") rests on this
                // year's count alone.
                inputs: if has_previous {
                    both
                } else {
                    vec![key.clone()]
                },
                text: c.map_or(String::new(), |c| lang.word(&c.verdict).to_owned()),
            }
        },
    }
}

/// The figures every comparison between years uses: the same months of each year when
/// the report year is not over, else whole years.
fn compared_figures(agg: &Aggregates, area: &str, year: i32, lang: Lang) -> Option<YearFigures> {
    let (cells, span_of) = agg.compared()?;
    year_figures(cells, &*span_of, area, year, lang)
}

/// The findings that matter most, first in the report: areas whose change from the
/// year before (or the same months) is statistically clear, then places whose rate lies
/// above the funnel's 95 % limit. Listed in the configuration's order, never ranked by a
/// value, since a rank would tell something about values that are hidden; each finding
/// is said only when every count it rests on is shown.
fn findings(
    agg: &Aggregates,
    config: &Config,
    pops: &Populations,
    opts: &ReportOptions,
) -> Vec<Paragraph<Value>> {
    let lang = opts.lang;
    let year = opts.year;
    let Some((cells, span_of)) = agg.compared() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let areas: Vec<(&str, String)> = config
        .areas
        .areas
        .iter()
        .map(|a| (a.slug.as_str(), area_name(config, &a.slug, lang)))
        .collect();
    for (slug, name) in &areas {
        let Some(c) = cells.get(&vec![(*slug).to_owned(), year.to_string()]) else {
            continue;
        };
        if !matches!(c.verdict.as_str(), "increase" | "decrease") {
            continue;
        }
        let Some(f) = year_figures(cells, &*span_of, slug, year, lang) else {
            continue;
        };
        let (now, before) = (
            CellKey::municipality(slug, span_of(year)),
            CellKey::municipality(slug, span_of(year - 1)),
        );
        out.push(Paragraph(vec![Piece::IfShown {
            inputs: vec![now, before],
            then: vec![
                Piece::Text(format!("{name}: ")),
                Piece::Value(f.verdict),
                Piece::Text(" (".into()),
                Piece::Value(f.change_pct),
                Piece::Text(format!(
                    " % {}).",
                    t(
                        lang,
                        "mot året innan, exakt test",
                        "from the year before, exact test"
                    )
                )),
            ],
            otherwise: Vec::new(),
        }]));
    }
    let span = Span::Year(year);
    for (slug, name) in &areas {
        if config.areas.get(slug).is_some_and(|a| a.sensitive) && !config.report.sensitive_by_place
        {
            continue;
        }
        let Some(rate) = total_rate(&agg.by_place, slug, &year.to_string(), pops) else {
            continue;
        };
        for place in config.places.places() {
            let Some(population) = pops.places.get(&place.name).copied() else {
                continue;
            };
            if population < u64::from(config.statistics.min_population) {
                continue;
            }
            let count = agg
                .by_place
                .get(&vec![
                    (*slug).to_owned(),
                    place.name.clone(),
                    year.to_string(),
                ])
                .map_or(0, |c| c.count);
            let expected = rate * population as f64;
            let above = count as f64 > expected
                && crate::analysis::stats::outside_funnel(count as f64, expected, 0.95);
            if !above {
                continue;
            }
            let (key, total_key) = (
                CellKey::at(slug, &place.name, span),
                CellKey::municipality(slug, span),
            );
            let per_1000 = |k: &CellKey, x: f64| Value::Derived {
                inputs: vec![k.clone()],
                value: Some(x * 1000.0),
                decimals: 1,
            };
            out.push(Paragraph(vec![Piece::IfShown {
                inputs: vec![key.clone(), total_key.clone()],
                then: vec![
                    Piece::Text(format!("{}, {}: ", place.name, name.to_lowercase())),
                    Piece::Value(per_1000(&key, count as f64 / population as f64)),
                    Piece::Text(format!(
                        " {} ",
                        t(
                            lang,
                            "per 1 000 invånare mot kommunens",
                            "per 1,000 inhabitants against the municipality's"
                        )
                    )),
                    Piece::Value(per_1000(&total_key, rate)),
                    Piece::Text(format!(
                        " – {}.",
                        t(
                            lang,
                            "över vad slumpen förklarar (trattdiagrammets 95 %-gräns)",
                            "above what chance explains (the funnel's 95 % limit)"
                        )
                    )),
                ],
                otherwise: Vec::new(),
            }]));
        }
    }
    out
}

fn summary(
    agg: &Aggregates,
    all_area: Option<&str>,
    inputs: &Inputs,
    opts: &ReportOptions,
) -> Section<Value> {
    let lang = opts.lang;
    let year = opts.year.to_string();
    let mut section = Section::titled(t(lang, "Sammanfattning", "Summary"));
    let figures = all_area.and_then(|area| compared_figures(agg, area, opts.year, lang));
    let span_of = |y: i32| match &agg.partial {
        Some(p) => p.span(y),
        None => Span::Year(y),
    };
    // "jan–okt 2026" when the year is not over, else "2026".
    let period_of = |y: i32| match &agg.partial {
        Some(p) if p.through > 0 => format!("{} {y}", months_label(p.through, lang)),
        _ => y.to_string(),
    };
    if let Some(p) = &agg.partial {
        section.text.push(Paragraph::text(match (lang, p.through) {
            (Lang::Sv, 0) => format!("Året {year} har bara börjat i indata (januari är inte komplett), så det jämförs ännu inte med tidigare år."),
            (Lang::En, 0) => format!("The year {year} has only begun in the input (January is not complete), so it is not yet compared with earlier years."),
            (Lang::Sv, m) => format!("Året {year} är inte slut i indata. Alla jämförelser med tidigare år görs därför på samma månader av varje år: {}.", months_label(m, lang)),
            (Lang::En, m) => format!("The year {year} is not over in the input. Every comparison with earlier years is therefore made on the same months of each year: {}.", months_label(m, lang)),
        }));
    }
    let previous_words = match &agg.partial {
        Some(_) => format!("{} {}", t(lang, "mot", "from"), period_of(opts.year - 1)),
        None => t(lang, "mot året innan", "from the year before"),
    };
    match (figures, all_area) {
        (Some(f), Some(area)) => {
            let key = CellKey::municipality(area, span_of(opts.year));
            let previous = CellKey::municipality(area, span_of(opts.year - 1));
            let comparison = if matches!(f.change_pct, Value::Empty) {
                vec![Piece::Text(format!(
                    "{} {previous_words}",
                    t(lang, "ingen jämförelse", "no comparison")
                ))]
            } else {
                vec![Piece::IfShown {
                    inputs: vec![key.clone(), previous],
                    then: vec![
                        Piece::Text(format!(
                            "{} {previous_words} ",
                            t(lang, "förändring", "change")
                        )),
                        Piece::Value(f.change_pct),
                        Piece::Text(" %: ".into()),
                        Piece::Value(f.verdict),
                        Piece::Text(format!(
                            " ({})",
                            t(lang, "exakt Poisson-test", "exact Poisson test")
                        )),
                    ],
                    otherwise: vec![Piece::Text(format!(
                        "{} {previous_words} ({})",
                        t(lang, "ingen jämförelse", "no comparison"),
                        t(lang, "för små tal", "numbers too small")
                    ))],
                }]
            };
            let mut pieces = vec![
                Piece::Text(format!(
                    "{} {}: ",
                    t(lang, "Brott och olyckor", "Crime and accidents"),
                    period_of(opts.year)
                )),
                Piece::Value(f.count),
                Piece::Text(format!(
                    " {} (",
                    t(lang, "registrerade händelser", "recorded incidents")
                )),
                Piece::Value(f.rate_100k),
                Piece::Text(format!(
                    " {}), ",
                    t(lang, "per 100 000 invånare", "per 100,000 inhabitants"),
                )),
            ];
            pieces.extend(comparison);
            pieces.push(Piece::Text(".".into()));
            section.text.push(Paragraph(pieces));
        }
        _ if matches!(&agg.partial, Some(p) if p.through == 0) => {}
        _ => section.text.push(Paragraph::text(format!(
            "{} {year}.",
            t(
                lang,
                "Inga händelser i indata för",
                "No incidents in the input for"
            )
        ))),
    }
    section.text.push(match inputs.survey {
        Some(s) => Paragraph(vec![
            Piece::Text(format!("{}: ", t(lang, "Trygghet", "Safety"))),
            Piece::Value(Value::public(s.accepted() as i64, Public::SurveyAnswers)),
            Piece::Text(format!(
                " {}",
                t(
                    lang,
                    "enkätsvar ingår; se avsnittet om trygghet.",
                    "survey responses are included; see the safety section."
                )
            )),
        ]),
        None => Paragraph::text(t(
            lang,
            "Trygghet: ingen enkät i indata.",
            "Safety: no survey in the input.",
        )),
    });
    let participation = inputs
        .dialogues
        .and_then(|d| participation::Participation::count(&d.frame, opts.year).ok());
    section.text.push(match participation {
        Some(p) => participation::summary_line(&p, opts.year, lang),
        None => Paragraph::text(t(
            lang,
            "Delaktighet: indata saknar mått på delaktighet (t.ex. medborgardialoger); det redovisas därför inte. En logg över dialoger och trygghetsvandringar anges med [inputs] dialogues.",
            "Participation: the input has no measure of participation (such as citizen dialogues), so none is shown. A log of dialogues and safety walks is given with [inputs] dialogues.",
        )),
    });
    section
}

fn area_section(
    slug: &str,
    name: &str,
    sensitive: bool,
    agg: &Aggregates,
    pops: &Populations,
    stats: &crate::model::config::Statistics,
    opts: &ReportOptions,
) -> Section<Value> {
    let lang = opts.lang;
    let k = opts.threshold;
    let years = periods_in(&agg.yearly);
    let same_months = agg.partial.as_ref().filter(|p| p.through > 0);
    let months = same_months.map(|p| months_label(p.through, lang));
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for y in years.iter().filter_map(|y| y.parse::<i32>().ok()) {
        let Some(whole) = year_figures(&agg.yearly, &Span::Year, slug, y, lang) else {
            continue;
        };
        match same_months {
            Some(p) => {
                let Some(f) = year_figures(&p.yearly, &|y| p.span(y), slug, y, lang) else {
                    continue;
                };
                series.push(f.rate_100k.clone());
                rows.push(vec![
                    Value::Text(y.to_string()),
                    whole.count,
                    f.count,
                    f.rate_100k,
                    f.change_pct,
                    f.verdict,
                ]);
            }
            None => {
                // A year that has only begun is not compared with the year before.
                let begun = agg.partial.is_some() && y == opts.year;
                series.push(whole.rate_100k.clone());
                rows.push(vec![
                    Value::Text(y.to_string()),
                    whole.count,
                    whole.rate_100k,
                    if begun {
                        Value::Empty
                    } else {
                        whole.change_pct
                    },
                    if begun { Value::Empty } else { whole.verdict },
                ]);
            }
        }
    }
    let headers = match &months {
        Some(m) => vec![
            t(lang, "År", "Year"),
            t(lang, "Antal, helår", "Count, whole year"),
            format!("{} {m}", t(lang, "Antal", "Count")),
            format!("{} {m}", t(lang, "Per 100 000 inv.", "Per 100,000 inh.")),
            format!("{} {m} (%)", t(lang, "Förändring", "Change")),
            format!("{} {m}", t(lang, "Bedömning", "Assessment")),
        ],
        None => vec![
            t(lang, "År", "Year"),
            t(lang, "Antal", "Count"),
            t(lang, "Per 100 000 inv.", "Per 100,000 inh."),
            t(lang, "Förändring (%)", "Change (%)"),
            t(lang, "Bedömning", "Assessment"),
        ],
    };
    let table = Table {
        name: format!("{slug}-per-ar"),
        title: format!("{name} – {}", t(lang, "per år", "per year")),
        headers,
        rows,
    };
    let trend = LineChart {
        title: match &months {
            Some(m) => format!(
                "{name}: {} {m} {}",
                t(lang, "händelser", "incidents"),
                t(
                    lang,
                    "varje år, per 100 000 invånare",
                    "of each year, per 100,000 inhabitants"
                )
            ),
            None => format!(
                "{name}: {}",
                t(
                    lang,
                    "händelser per 100 000 invånare",
                    "incidents per 100,000 inhabitants"
                )
            ),
        },
        x_title: t(lang, "År", "Year"),
        y_title: t(lang, "Per 100 000 invånare", "Per 100,000 inhabitants"),
        periods: years.clone(),
        series: vec![(pops_label(lang), series)],
    };
    let by_quarter = shown_by_quarter(agg, slug, k);
    let (periodic, unit) = if by_quarter {
        (
            &agg.quarterly,
            (t(lang, "kvartal", "quarter"), t(lang, "Kvartal", "Quarter")),
        )
    } else {
        (
            &agg.monthly,
            (t(lang, "månad", "month"), t(lang, "Månad", "Month")),
        )
    };
    // A quarter the data do not cover to its end (a year not over) is left out rather
    // than drawn as if it were whole.
    let complete = |label: &String| match (Span::parse(label), &agg.partial) {
        (Some(Span::Quarter(y, q)), Some(p)) if y == opts.year => q * 3 <= p.through,
        _ => true,
    };
    let months: Vec<String> = periods_in(periodic).into_iter().filter(complete).collect();
    let monthly_counts: Vec<Value> = months
        .iter()
        .filter_map(|m| Span::parse(m))
        .map(|span| Value::Count(CellKey::municipality(slug, span)))
        .collect();
    let monthly = LineChart {
        title: format!("{name}: {} {}", t(lang, "antal per", "count per"), unit.0),
        x_title: unit.1,
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
    };
    let monthly_alt = monthly.title.clone();
    let mut section = Section {
        title: name.to_owned(),
        text: vec![],
        charts: vec![
            Chart {
                name: format!("{slug}-trend"),
                alt: format!("{name}: trend"),
                spec: ChartSpec::Line(trend),
            },
            Chart {
                name: format!("{slug}-manad"),
                alt: monthly_alt,
                spec: ChartSpec::Line(monthly),
            },
        ],
        tables: vec![table],
    };
    // The municipality's rhythm: month × year, the same counts as the appendix's.
    section.tables.push(season_table(slug, name, agg, lang));
    if sensitive {
        section.text.push(Paragraph::text(t(
            lang,
            "Området är känsligt och redovisas bara för hela kommunen.",
            "This area is sensitive and is shown for the whole municipality only.",
        )));
        return section;
    }
    let (table, bars, funnel) = place_table(
        slug,
        name,
        &agg.by_place,
        pops,
        stats,
        agg.partial.is_some(),
        opts,
    );
    section.charts.push(Chart {
        name: format!("{slug}-platser"),
        alt: format!("{name}: {}", t(lang, "per plats", "by place")),
        spec: ChartSpec::Bar(bars),
    });
    section.charts.push(Chart {
        name: format!("{slug}-tratt"),
        alt: format!("{name}: {}", t(lang, "trattdiagram", "funnel plot")),
        spec: ChartSpec::Funnel(funnel),
    });
    section.text.push(Paragraph::text(match lang {
        Lang::Sv => format!("Per plats: takt per 1 000 invånare med 95 % intervall; platser under {} invånare får ingen takt. Trattdiagrammet visar vilka platser som verkligen skiljer sig från kommunen (se Metod).", stats.min_population),
        Lang::En => format!("By place: rate per 1,000 inhabitants with a 95 % interval; places under {} inhabitants get no rate. The funnel plot shows which places truly differ from the municipality (see Method).", stats.min_population),
    }));
    section.tables.push(table);
    section
}

/// Month × year for an area in the whole municipality: the season of each year side
/// by side (a tourist municipality's summer differs from an industrial town's). The
/// counts are the monthly counts published in the appendix.
fn season_table(slug: &str, name: &str, agg: &Aggregates, lang: Lang) -> Table<Value> {
    let labels = periods_in(&agg.monthly);
    let months: std::collections::BTreeSet<(i32, u32)> = labels
        .iter()
        .filter_map(|l| match Span::parse(l) {
            Some(Span::Month(y, m)) => Some((y, m)),
            _ => None,
        })
        .collect();
    let mut years: Vec<i32> = months.iter().map(|(y, _)| *y).collect();
    years.dedup();
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let rows = (1..=12u32)
        .map(|m| {
            let mut row = vec![Value::Text(
                match lang {
                    Lang::Sv => crate::model::feed::MONTHS,
                    Lang::En => EN,
                }[m as usize - 1]
                    .to_owned(),
            )];
            row.extend(years.iter().map(|&y| {
                if months.contains(&(y, m)) {
                    Value::Count(CellKey::municipality(slug, Span::Month(y, m)))
                } else {
                    Value::Empty
                }
            }));
            row
        })
        .collect();
    let mut headers = vec![t(lang, "Månad", "Month")];
    headers.extend(years.iter().map(|y| y.to_string()));
    Table {
        name: format!("{slug}-manad-ar"),
        title: format!("{name} – {}", t(lang, "månad och år", "month and year")),
        headers,
        rows,
    }
}

fn pops_label(lang: Lang) -> String {
    t(lang, "Hela kommunen", "Whole municipality")
}

/// Places × the report year for one area, with the municipality total: counts, rates
/// per 1 000 with exact intervals (none for places under the minimum population), a
/// bar chart with the municipality's rate as reference, and a funnel plot.
fn place_table(
    slug: &str,
    name: &str,
    by_place: &Cells,
    pops: &Populations,
    stats: &crate::model::config::Statistics,
    year_not_over: bool,
    opts: &ReportOptions,
) -> (Table<Value>, BarChart<Value>, FunnelChart<Value>) {
    let lang = opts.lang;
    let year = opts.year.to_string();
    // The year so far, when it is not over: places are compared with each other over
    // the same time, but the rates are not rates of a whole year.
    let so_far = if year_not_over {
        t(lang, " (hittills i år)", " (year to date)")
    } else {
        String::new()
    };
    let span = Span::Year(opts.year);
    let mut places: Vec<(String, i64)> = by_place
        .iter()
        .filter(|(key, _)| key[0] == slug && key[2] == year)
        .map(|(key, c)| (key[1].clone(), c.count))
        .collect();
    // Rows in an order that does not depend on the counts (the largest places first,
    // "okänd plats" last): sorting by count would rank hidden counts against each other
    // and against shown ones, and so tell them.
    let inhabitants = |place: &str| {
        if place == UNKNOWN_PLACE {
            None
        } else {
            Some(pops.places.get(place).copied().unwrap_or(0))
        }
    };
    places.sort_by(|a, b| {
        inhabitants(&b.0)
            .cmp(&inhabitants(&a.0))
            .then(a.0.cmp(&b.0))
    });
    let few = lang.word("too_few_inhabitants").to_owned();
    // The municipality's incidents per inhabitant: what each place is held against.
    let per_inhabitant = total_rate(by_place, slug, &year, pops);
    let per_1000 = |key: &CellKey, x: Option<f64>| Value::Derived {
        inputs: vec![key.clone()],
        value: x,
        decimals: 2,
    };
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut points = Vec::new();
    for (place, count) in &places {
        let key = CellKey::at(slug, place, span);
        let population = pops.places.get(place).copied().filter(|p| *p > 0);
        let rated = population.filter(|p| *p >= u64::from(stats.min_population));
        let (rate, low, high) = match rated {
            Some(p) => {
                let (lo, hi) = crate::analysis::stats::garwood(*count as u64, 0.95);
                let scale = 1000.0 / p as f64;
                (
                    per_1000(&key, Some(*count as f64 * scale)),
                    per_1000(&key, Some(lo * scale)),
                    per_1000(&key, Some(hi * scale)),
                )
            }
            None if population.is_some() => (Value::Text(few.clone()), Value::Empty, Value::Empty),
            None => (Value::Empty, Value::Empty, Value::Empty),
        };
        rows.push(vec![
            Value::Text(lang.place_name(place).to_owned()),
            Value::Count(key.clone()),
            rate.clone(),
            low.clone(),
            high.clone(),
            population.map_or(Value::Empty, |p| {
                Value::public(p as i64, Public::Population)
            }),
        ]);
        if let Some(p) = rated {
            bars.push(Bar {
                label: place.clone(),
                value: rate.clone(),
                interval: Some((low, high)),
            });
            let expected = per_inhabitant.map(|r| r * p as f64);
            let outside = expected
                .is_some_and(|e| crate::analysis::stats::outside_funnel(*count as f64, e, 0.95));
            let outside = Value::Derived {
                inputs: vec![key.clone(), CellKey::municipality(slug, span)],
                value: Some(if outside { 1.0 } else { 0.0 }),
                decimals: 0,
            };
            points.push((place.clone(), p as f64, rate, outside));
        }
    }
    let total: i64 = places.iter().map(|p| p.1).sum();
    let total_key = CellKey::municipality(slug, span);
    let municipal_rate = per_inhabitant.map(|r| r * 1000.0);
    let (lo, hi) = crate::analysis::stats::garwood(total.max(0) as u64, 0.95);
    let municipal_scale = 1000.0 / pops.municipality.max(1) as f64;
    rows.push(vec![
        Value::Text(t(lang, "Hela kommunen", "Whole municipality")),
        Value::Count(total_key.clone()),
        Value::rate(total_key.clone(), total, pops.municipality, 1000.0, 2),
        per_1000(&total_key, municipal_rate.map(|_| lo * municipal_scale)),
        per_1000(&total_key, municipal_rate.map(|_| hi * municipal_scale)),
        Value::public(pops.municipality as i64, Public::Population),
    ]);
    let table = Table {
        name: format!("{slug}-per-plats-{year}"),
        title: format!(
            "{name} – {} {year}{so_far}",
            t(lang, "per plats", "per place")
        ),
        headers: vec![
            t(lang, "Plats", "Place"),
            t(lang, "Antal", "Count"),
            t(lang, "Per 1 000 inv.", "Per 1,000 inh."),
            t(lang, "Lägst (95 %)", "Low (95 %)"),
            t(lang, "Högst (95 %)", "High (95 %)"),
            t(lang, "Invånare", "Inhabitants"),
        ],
        rows,
    };
    let reference_label = t(lang, "Hela kommunen", "Whole municipality");
    let chart = BarChart {
        title: format!(
            "{name} {year}{so_far}: {}",
            t(
                lang,
                "per 1 000 invånare och plats",
                "per 1,000 inhabitants by place"
            )
        ),
        value_title: t(
            lang,
            "Per 1 000 invånare, med 95 % intervall",
            "Per 1,000 inhabitants, with 95 % interval",
        ),
        bars,
        reference: Some((
            reference_label.clone(),
            per_1000(&total_key, municipal_rate),
        )),
    };
    let funnel = FunnelChart {
        title: format!(
            "{name} {year}{so_far}: {}",
            t(lang, "trattdiagram", "funnel plot")
        ),
        x_title: t(
            lang,
            "Invånare (logaritmisk skala)",
            "Inhabitants (logarithmic scale)",
        ),
        y_title: t(lang, "Per 1 000 invånare", "Per 1,000 inhabitants"),
        reference: (reference_label, per_1000(&total_key, municipal_rate)),
        limits: funnel_limits(municipal_rate, &points, stats, &total_key, &per_1000),
        points,
        limit_labels: (
            t(lang, "95 % av slumpen", "95 % of chance"),
            t(lang, "99,8 % av slumpen", "99.8 % of chance"),
        ),
    };
    (table, chart, funnel)
}

/// The municipality's incidents per inhabitant in `year` for area `slug` (every place,
/// "okänd plats" included).
fn total_rate(by_place: &Cells, slug: &str, year: &str, pops: &Populations) -> Option<f64> {
    let total: i64 = by_place
        .iter()
        .filter(|(key, _)| key[0] == slug && key[2] == year)
        .map(|(_, c)| c.count)
        .sum();
    (pops.municipality > 0).then(|| total as f64 / pops.municipality as f64)
}

/// The funnel's limits at 60 populations spread evenly (logarithmically) over the
/// places' range: the exact Poisson limits of the expected count at the municipality's
/// rate, as rates. They are computed from the municipality's count alone.
fn funnel_limits(
    rate: Option<f64>,
    points: &[(String, f64, Value, Value)],
    stats: &crate::model::config::Statistics,
    total_key: &CellKey,
    per_1000: &dyn Fn(&CellKey, Option<f64>) -> Value,
) -> Vec<(f64, [Value; 4])> {
    let Some(rate) = rate else {
        return Vec::new();
    };
    let low = f64::from(stats.min_population.max(10));
    let high = points.iter().map(|p| p.1).fold(low * 10.0, f64::max);
    (0..60)
        .map(|i| {
            let x = low * (high / low).powf(f64::from(i) / 59.0);
            let expected = rate * x / 1000.0;
            let (l95, h95) = crate::analysis::stats::funnel_limits(expected, 0.95);
            let (l998, h998) = crate::analysis::stats::funnel_limits(expected, 0.998);
            let as_rate = |c: f64| per_1000(total_key, Some(c / x * 1000.0));
            (
                x,
                [as_rate(l998), as_rate(l95), as_rate(h95), as_rate(h998)],
            )
        })
        .collect()
}

/// The event types the police have published most at `place` (their open feed), as the
/// first words of the place's section: "Brand" at Karstorp before any table. These are
/// events already published one by one, so they are shown as they are.
fn police_lead(
    events: &DataFrame,
    place: &str,
    opts: &ReportOptions,
) -> anyhow::Result<Vec<Paragraph<Value>>> {
    let lang = opts.lang;
    if events.height() == 0 || events.column("place").is_err() {
        return Ok(Vec::new());
    }
    let at_place = events
        .clone()
        .lazy()
        .filter(col("place").eq(lit(place)))
        .group_by([col("offence")])
        .agg([
            len().alias("all"),
            col("occurred_at")
                .dt()
                .year()
                .eq(lit(opts.year))
                .sum()
                .alias("this_year"),
        ])
        .sort(
            ["all", "offence"],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, false])
                .with_maintain_order(true),
        )
        .collect()?;
    let total: i64 = at_place
        .column("all")?
        .cast(&DataType::Int64)?
        .i64()?
        .iter()
        .flatten()
        .sum();
    if total == 0 {
        return Ok(Vec::new());
    }
    let types = at_place.column("offence")?.str()?;
    let all = at_place.column("all")?.cast(&DataType::Int64)?;
    let all = all.i64()?;
    let this_year = at_place.column("this_year")?.cast(&DataType::Int64)?;
    let this_year = this_year.i64()?;
    let public = |n: i64| Piece::Value(Value::public(n, Public::PoliceFeed));
    let mut pieces = vec![Piece::Text(format!(
        "{} {place}: ",
        t(
            lang,
            "Polisens publicerade händelser i",
            "The police's published events in"
        )
    ))];
    for i in 0..at_place.height().min(3) {
        if i > 0 {
            pieces.push(Piece::Text(", ".into()));
        }
        pieces.push(Piece::Text(format!("{} ", types.get(i).unwrap_or(""))));
        pieces.push(public(all.get(i).unwrap_or(0)));
        pieces.push(Piece::Text(format!(
            " ({} {} ",
            t(lang, "varav", "of which"),
            opts.year
        )));
        pieces.push(public(this_year.get(i).unwrap_or(0)));
        pieces.push(Piece::Text(")".into()));
    }
    pieces.push(Piece::Text(
        format!(" {} ", t(lang, "av", "of")).trim_end().to_owned() + " ",
    ));
    pieces.push(public(total));
    pieces.push(Piece::Text(format!(
        " {}.",
        t(
            lang,
            "händelser i flödet sammanlagt",
            "events in the feed altogether"
        )
    )));
    Ok(vec![Paragraph(pieces)])
}

fn focus_section(
    place: &str,
    agg: &Aggregates,
    config: &Config,
    opts: &ReportOptions,
) -> Section<Value> {
    let lang = opts.lang;
    let years = periods_in(&agg.by_place);
    let same_months = agg.partial.as_ref().filter(|p| p.through > 0);
    let mut rows = Vec::new();
    for area in config.areas.areas.iter().filter(|a| !a.sensitive) {
        let mut row = vec![Value::Text(area_name(config, &area.slug, lang))];
        for y in &years {
            row.push(Span::parse(y).map_or(Value::Empty, |span| {
                Value::Count(CellKey::at(&area.slug, place, span))
            }));
        }
        // A year not over is set beside the same months of the year before.
        if let Some(p) = same_months {
            for y in [opts.year - 1, opts.year] {
                row.push(Value::Count(CellKey::at(&area.slug, place, p.span(y))));
            }
        }
        rows.push(row);
    }
    let mut headers = vec![t(lang, "Prioriterat område", "Priority area")];
    headers.extend(years.iter().cloned());
    if let Some(p) = same_months {
        for y in [opts.year - 1, opts.year] {
            headers.push(format!("{} {y}", months_label(p.through, lang)));
        }
    }
    let population = config.places.find(place).and_then(|p| p.population);
    Section {
        title: format!("{}: {place}", t(lang, "Fokusplats", "Focus place")),
        text: vec![Paragraph(vec![
            Piece::Text(format!(
                "{} ",
                t(
                    lang,
                    "Antal händelser per år och prioriterat område. Invånare:",
                    "Incidents per year and priority area. Inhabitants:"
                )
            )),
            population.map_or(Piece::Text(t(lang, "okänt", "unknown")), |p| {
                Piece::Value(Value::public(p as i64, Public::Population))
            }),
            Piece::Text(".".into()),
        ])],
        charts: vec![],
        tables: vec![Table {
            name: format!("fokus-{}", crate::text::fold_key(place)),
            title: place.to_owned(),
            headers,
            rows,
        }],
    }
}

fn time_section(
    prepared: &Prepared,
    all_area: Option<&str>,
    opts: &ReportOptions,
) -> anyhow::Result<Section<Value>> {
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
    // The heat map's colours are estimates (aoristic weights); they are shown when the
    // year's total is, and drawn in classes, never as counts.
    let total: Vec<CellKey> = all_area
        .map(|a| CellKey::municipality(a, Span::Year(year)))
        .into_iter()
        .collect();
    // A weekday-hour with fewer than k (weighted) incidents is drawn as hidden, like
    // any small count.
    let k = opts.threshold as f64;
    let values: Vec<Vec<Value>> = (0..7)
        .map(|d| {
            (0..24)
                .map(|h| match cells[d * 24 + h] {
                    v if v > 0.0 && v < k => {
                        Value::Sealed(Published::unavailable(format!("<{}", opts.threshold)))
                    }
                    v => Value::Derived {
                        inputs: total.clone(),
                        value: Some(v),
                        decimals: 1,
                    },
                })
                .collect()
        })
        .collect();
    let rows: Vec<String> = (0..7)
        .map(|d| time::weekday_name(d, lang).to_owned())
        .collect();
    let chart = Heatmap {
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
        legend: t(
            lang,
            "Antal (aoristiskt), färgklass i % av det största värdet; grått = under tröskeln",
            "Count (aoristic), colour class in % of the largest value; grey = below the threshold",
        ),
        x_title: t(lang, "Timme", "Hour"),
    };
    let mut text = vec![Paragraph::text(t(
        lang,
        "Händelser med osäker tid fördelas på timmarna efter hur stor del av intervallet som ligger i varje timme (aoristisk viktning, svensk tid).",
        "Incidents with an uncertain time are spread over the hours in proportion to the time span in each hour (aoristic weighting, Swedish time).",
    ))];
    // Colours come in five classes of a fifth of the largest value each. Unless a class
    // is at least k wide, a colour would tell a count, and with the year's total the
    // grey (hidden) ones too: then the map is not drawn.
    let largest = cells.iter().copied().fold(0.0, f64::max);
    let charts = if largest >= 5.0 * k {
        vec![Chart {
            name: "veckodag-timme".into(),
            alt: t(lang, "Veckodag × timme", "Weekday × hour"),
            spec: ChartSpec::Heat(chart),
        }]
    } else {
        text.push(Paragraph::text(t(
            lang,
            "För få händelser för att visa veckodag och timme utan att små tal går att räkna ut.",
            "Too few incidents to show weekday and hour without small numbers being given away.",
        )));
        Vec::new()
    };
    Ok(Section {
        title: t(lang, "Tid: veckodag och timme", "Time: weekday and hour"),
        text,
        charts,
        tables: vec![],
    })
}

fn place_section(
    prepared: &Prepared,
    all_area: Option<&str>,
    agg: &Aggregates,
    config: &Config,
    opts: &ReportOptions,
) -> anyhow::Result<(Section<Value>, Vec<PlaceFigures<Value>>)> {
    let lang = opts.lang;
    let k = opts.threshold;
    let year = opts.year.to_string();
    let span = Span::Year(opts.year);
    let sweref = Sweref::new();
    let mut places = Vec::new();
    let mut map_places = Vec::new();
    let mut counts = Vec::new();
    let mut keys = Vec::new();
    let area = all_area.unwrap_or(OTHER);
    for p in config.places.places() {
        let c = agg
            .by_place
            .get(&vec![area.to_owned(), p.name.clone(), year.clone()]);
        let key = CellKey::at(area, &p.name, span);
        counts.push(c.map_or(0, |c| c.count) as f64);
        keys.push(key.clone());
        // Too few inhabitants for a rate, as in the tables (a village of 100 with 16
        // incidents would otherwise be the darkest place on the map).
        let rated = p
            .population
            .is_some_and(|n| n >= u64::from(config.statistics.min_population));
        let rate = if rated {
            Value::Derived {
                inputs: vec![key.clone()],
                value: c.and_then(|c| c.rate_1000),
                decimals: 2,
            }
        } else {
            Value::Empty
        };
        let (x, y) = match (p.x, p.y) {
            (Some(x), Some(y)) => (x, y),
            _ => sweref.from_wgs84(p.lat, p.lon).unwrap_or((0.0, 0.0)),
        };
        map_places.push((p.name.clone(), x, y, rate.clone()));
        places.push(PlaceFigures {
            name: p.name.clone(),
            lat: p.lat,
            lon: p.lon,
            properties: vec![
                (
                    "invanare".to_owned(),
                    p.population.map_or(Value::Empty, |v| {
                        Value::public(v as i64, Public::Population)
                    }),
                ),
                ("antal".to_owned(), Value::Count(key)),
                ("per_1000".to_owned(), rate),
                (
                    "ar".to_owned(),
                    Value::public(opts.year.into(), Public::Label),
                ),
            ],
        });
    }
    let (points, _) = positions(
        &prepared
            .incidents
            .clone()
            .lazy()
            .filter(col("occurred_at").dt().year().eq(lit(opts.year)))
            .collect()?,
    )?;
    let hot: Vec<(f64, f64, f64)> =
        match grid_hotspots(&points, 250.0, 0.05, 30.0, config.boundary.as_ref()) {
            Grid::Cells { cells, size, .. } => cells
                .iter()
                .filter(|c| c.class == 1 && c.count >= k as f64)
                .map(|c| (c.x, c.y, size))
                .collect(),
            _ => Vec::new(),
        };
    let map = MapChart {
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
        outline: config
            .boundary
            .iter()
            .flat_map(|area| area.iter())
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
            .collect(),
    };
    let coordinates_in_year = points.len();
    let mut section = Section {
        title: t(
            lang,
            "Plats: var problemen är störst",
            "Place: where the problems are largest",
        ),
        text: vec![Paragraph::text(format!(
            "{} {} {}",
            hot.len(),
            t(
                lang,
                "rutor om 250 m är hot spots (Getis–Ord Gi*, FDR 5 %, minst",
                "250 m cells are hot spots (Getis–Ord Gi*, FDR 5 %, at least"
            ),
            format!("{k} {}).", t(lang, "händelser", "incidents"))
        )), Paragraph::text(match (lang, config.boundary.is_some()) {
            (Lang::Sv, true) => "Studieområdet är hela kommunen inom dess gräns: varje ruta där räknas, med eller utan händelser, så att en enstaka händelse långt bort inte flyttar resultatet. Händelser utanför gränsen ingår inte.".to_owned(),
            (Lang::En, true) => "The study area is the whole municipality within its boundary: every cell there counts, with or without incidents, so that a single incident far away does not move the result. Incidents outside the boundary are left out.".to_owned(),
            (Lang::Sv, false) => "Konfigurationen anger ingen kommungräns, så studieområdet är händelsernas utbredning plus en ruta; en enstaka händelse långt bort kan då ändra vilka rutor som är hot spots. Ange [reference] boundary för ett fast studieområde.".to_owned(),
            (Lang::En, false) => "The configuration gives no municipal boundary, so the study area is the incidents' extent plus one cell; a single incident far away can then change which cells are hot spots. Set [reference] boundary for a fixed study area.".to_owned(),
        })],
        charts: vec![Chart {
            name: "karta".into(),
            alt: t(lang, "Karta", "Map"),
            spec: ChartSpec::Map(map),
        }],
        tables: vec![],
    };
    if coordinates_in_year == 0 {
        // Say why, rather than show "0 cells are hot spots" over an empty map.
        section.text = vec![Paragraph::text(format!(
            "{} {year} {}",
            t(lang, "Inga händelser", "No incidents in"),
            t(
                lang,
                "har koordinater i indata, så det går inte att söka hot spots; kartan visar bara platsernas takt. Exportera händelserna med koordinater (x/y i SWEREF 99 TM eller lat/lon) för att få hot spots.",
                "have coordinates in the input, so hot spots cannot be sought; the map shows only the places' rates. Export the incidents with coordinates (x/y in SWEREF 99 TM or lat/lon) to get hot spots.",
            )
        ))];
    }
    if let Some(c) = concentration(&counts, 30.0) {
        // Concentration is computed from every place's count: shown only when all are.
        let derived = |value: f64, decimals| Value::Derived {
            inputs: keys.clone(),
            value: Some(value),
            decimals,
        };
        section.text.push(Paragraph(vec![Piece::IfShown {
            inputs: keys.clone(),
            then: vec![
                Piece::Text(format!(
                    "{}: {} ",
                    t(lang, "Koncentration över platserna", "Concentration over the places"),
                    t(lang, "generaliserad Gini", "generalized Gini")
                )),
                Piece::Value(derived((c.generalized_gini * 100.0).round() / 100.0, 2)),
                Piece::Text(format!(" ({} ", t(lang, "vanlig Gini", "plain Gini"))),
                Piece::Value(derived((c.gini * 100.0).round() / 100.0, 2)),
                Piece::Text(format!(
                    "; {}), ",
                    t(
                        lang,
                        "den generaliserade räknar inte en jämn spridning som ojämn bara för att händelserna är färre än platserna",
                        "the generalized one does not call an even spread uneven only because there are fewer incidents than places"
                    )
                )),
                Piece::Text(format!(
                    "{} 20 % {} ",
                    t(lang, "de", "the"),
                    t(lang, "mest drabbade platserna har", "most affected places have")
                )),
                Piece::Value(derived((c.top_shares[2].1 * 100.0).round(), 0)),
                Piece::Text(format!(
                    " %.{}",
                    if c.too_few {
                        t(
                            lang,
                            " För få händelser för säkra slutsatser.",
                            " Too few incidents for firm conclusions.",
                        )
                    } else {
                        String::new()
                    }
                )),
            ],
            otherwise: vec![Piece::Text(t(
                lang,
                "Koncentrationen över platserna (Gini, Lorenzkurva) visas inte: den räknas ur varje plats antal, och några av dem är dolda för att de är små.",
                "The concentration over the places (Gini, Lorenz curve) is not shown: it is computed from every place's count, and some of those are hidden because they are small.",
            ))],
        }]));
        section.charts.push(Chart {
            name: "lorenz".into(),
            alt: t(lang, "Lorenzkurva", "Lorenz curve"),
            spec: ChartSpec::Lorenz(LorenzChart {
                title: format!(
                    "{} {year}",
                    t(
                        lang,
                        "Koncentration över platser",
                        "Concentration over places"
                    )
                ),
                units: t(lang, "platserna", "the places"),
                points: c
                    .lorenz
                    .iter()
                    .map(|(x, y)| (derived(*x, 3), derived(*y, 3)))
                    .collect(),
            }),
        });
    }
    Ok((section, places))
}

fn survey_section(
    survey: &Loaded,
    def: &crate::model::survey::SurveyDefinition,
    config: &Config,
    opts: &ReportOptions,
) -> anyhow::Result<Section<Value>> {
    let lang = opts.lang;
    let min_answers = i64::from(config.statistics.min_answers);
    let frame = crate::analysis::place::canonical_names(&survey.frame, "place", &config.places)?;
    let survey_options = |by: Vec<SurveyDim>| SurveyOptions {
        by,
        min_answers: config.statistics.min_answers,
        level: 0.95,
        design_effect: 1.0,
    };
    let by_place = shares(
        &frame,
        def,
        &survey_options(vec![SurveyDim::Place, SurveyDim::Year]),
    )?;
    // The whole municipality as one more "place", last within each item: the reference
    // every place is read against.
    let whole_label = t(lang, "Hela kommunen", "Whole municipality");
    let order: Vec<Expr> = by_place
        .get_column_names()
        .iter()
        .map(|c| col(c.as_str()))
        .collect();
    let whole = shares(&frame, def, &survey_options(vec![SurveyDim::Year]))?
        .lazy()
        .with_column(lit(whole_label.clone()).alias("place"))
        .select(order);
    let table = concat(
        [by_place.lazy(), whole],
        UnionArgs {
            maintain_order: true,
            ..Default::default()
        },
    )?
    .collect()?;
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
    let mut reference = None;
    let mut left_out = 0usize;
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
    let few = t(lang, "för få svar", "too few answers");
    // Answers of the places whose share is not shown, per item: the whole
    // municipality's share less the shown places' would give theirs away when they are
    // fewer than the minimum together.
    let mut hidden_answers: std::collections::HashMap<&str, i64> = Default::default();
    for i in 0..rows_latest.height() {
        let answers = n.get(i).unwrap_or(0);
        if places.get(i) != Some(whole_label.as_str()) && answers > 0 && answers < min_answers {
            *hidden_answers
                .entry(items.get(i).unwrap_or(""))
                .or_default() += answers;
        }
    }
    let protects = t(
        lang,
        "dold (skyddar små platser)",
        "hidden (protects small places)",
    );
    // Each item in the definition's order: the whole municipality first, then the
    // places with enough answers, then one line naming the places with too few.
    let mut ordered: Vec<Option<usize>> = Vec::new();
    let mut too_few: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for item in &def.items {
        let of_item: Vec<usize> = (0..rows_latest.height())
            .filter(|&i| items.get(i) == Some(item.id.as_str()))
            .collect();
        let is_whole = |i: &usize| places.get(*i) == Some(whole_label.as_str());
        ordered.extend(of_item.iter().copied().filter(is_whole).map(Some));
        ordered.extend(
            of_item
                .iter()
                .copied()
                .filter(|i| !is_whole(i) && n.get(*i).unwrap_or(0) >= min_answers)
                .map(Some),
        );
        let few_places: Vec<usize> = of_item
            .iter()
            .copied()
            .filter(|i| !is_whole(i) && (1..min_answers).contains(&n.get(*i).unwrap_or(0)))
            .collect();
        if !few_places.is_empty() {
            too_few.insert(ordered.len(), few_places);
            ordered.push(None);
        }
    }
    let label_of = |id: &str| {
        def.items
            .iter()
            .find(|i| i.id == id)
            .map_or(id.to_owned(), |i| i.label().to_owned())
    };
    for (at, row) in ordered.iter().enumerate() {
        let Some(i) = *row else {
            let few_places = &too_few[&at];
            let item = items.get(few_places[0]).unwrap_or("");
            let names: Vec<String> = few_places
                .iter()
                .map(|&i| {
                    format!(
                        "{} ({})",
                        places.get(i).unwrap_or(""),
                        n.get(i).unwrap_or(0)
                    )
                })
                .collect();
            let answers: i64 = few_places.iter().map(|&i| n.get(i).unwrap_or(0)).sum();
            if item == first_item {
                left_out += few_places.len();
            }
            rows.push(vec![
                Value::Text(label_of(item)),
                Value::Text(format!(
                    "{} {min_answers} {}: {}",
                    t(lang, "Färre än", "Fewer than"),
                    t(lang, "svar", "answers"),
                    names.join(", ")
                )),
                Value::public(answers, Public::SurveyAnswers),
                Value::Empty,
                Value::Empty,
                Value::Empty,
                Value::Empty,
            ]);
            continue;
        };
        let item = items.get(i).unwrap_or("");
        let place = places.get(i).unwrap_or("");
        let hidden = hidden_answers.get(item).copied().unwrap_or(0);
        let gives_away = place == whole_label && hidden > 0 && hidden < min_answers;
        let answers = n.get(i).unwrap_or(0);
        let gated = |x: Option<f64>| {
            Value::Sealed(if gives_away {
                Published::survey_value(x, 0, 0, min_answers, &protects)
            } else {
                Published::survey_value(x, 0, answers, min_answers, &few)
            })
        };
        let pct = |x: Option<f64>| x.map(|s| s * 100.0);
        rows.push(vec![
            Value::Text(label_of(item)),
            Value::Text(place.to_owned()),
            Value::public(answers, Public::SurveyAnswers),
            gated(pct(share.get(i))),
            if answers < min_answers {
                Value::Empty
            } else {
                gated(pct(lo.get(i)))
            },
            if answers < min_answers {
                Value::Empty
            } else {
                gated(pct(hi.get(i)))
            },
            // A verdict is a word, never a share: "kan inte bedömas" below the limit.
            verdict
                .get(i)
                .map_or(Value::Empty, |v| Value::Text(lang.word(v).to_owned())),
        ]);
        if item == first_item && place == whole_label {
            reference = Some((whole_label.clone(), gated(pct(share.get(i)))));
        } else if item == first_item {
            bars.push(Bar {
                label: place.to_owned(),
                value: gated(pct(share.get(i))),
                interval: (answers >= min_answers)
                    .then(|| lo.get(i).zip(hi.get(i)))
                    .flatten()
                    .map(|(a, b)| (gated(Some(a * 100.0)), gated(Some(b * 100.0)))),
            });
        }
    }
    let question = def.items.first().map_or(String::new(), |i| i.text.clone());
    let chart = BarChart {
        title: format!(
            "{} {latest}: {}",
            t(lang, "Andel problemsvar", "Share of problem answers"),
            label_of(&first_item)
        ),
        value_title: match (lang, left_out) {
            (_, 0) => t(
                lang,
                "Andel (%) med 95 % konfidensintervall",
                "Share (%) with 95 % confidence interval",
            ),
            (Lang::Sv, n) => format!(
                "Andel (%) med 95 % konfidensintervall; {n} platser med färre än {min_answers} svar visas inte"
            ),
            (Lang::En, n) => format!(
                "Share (%) with 95 % confidence interval; {n} places with fewer than {min_answers} answers not shown"
            ),
        },
        bars,
        reference,
    };
    Ok(Section {
        title: t(lang, "Trygghet", "Safety"),
        text: vec![
            Paragraph::text(format!(
                "{} {question}",
                t(lang, "Fråga i diagrammet:", "Question in the chart:")
            )),
            Paragraph::text(match lang {
                Lang::Sv => format!("Andelar med färre än {min_answers} svar visas inte. Förändringen mot föregående mätning bedöms med ett 95-procentigt intervall för skillnaden (Newcombes metod): \"ökat\" eller \"minskat\" bara när hela intervallet ligger på ena sidan om noll, \"kan inte bedömas\" när något av åren har färre än {min_answers} svar."),
                Lang::En => format!("Shares based on fewer than {min_answers} answers are not shown. The change from the previous survey is judged by a 95 % interval for the difference (Newcombe's method): \"increased\" or \"decreased\" only when the whole interval lies on one side of zero, \"cannot be assessed\" when either year has fewer than {min_answers} answers."),
            }),
        ],
        charts: vec![Chart {
            name: "trygghet".into(),
            alt: t(lang, "Trygghet per plats", "Safety by place"),
            spec: ChartSpec::Bar(chart),
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

fn quality_section(
    inputs: &Inputs,
    all_area: Option<&str>,
    opts: &ReportOptions,
) -> PolarsResult<Section<Value>> {
    let lang = opts.lang;
    let mut rows = Vec::new();
    let hash_of = |file: &str| {
        inputs
            .hashes
            .iter()
            .find(|(f, _)| f == file)
            .map_or(String::new(), |h| h.1.clone())
    };
    // The incidents accepted are the sum of every year's count: shown as that total
    // is (a hidden year's count would follow from it otherwise).
    let total = all_area.map(|a| CellKey::municipality(a, Span::Total));
    let unknown = all_area.map(|a| CellKey::at(a, UNKNOWN_PLACE, Span::Total));
    let of_incidents = |x: usize, inputs: &[&Option<CellKey>]| -> Value {
        let keys: Vec<CellKey> = inputs.iter().filter_map(|k| (*k).clone()).collect();
        if keys.is_empty() {
            Value::public(x as i64, Public::InputAccounting)
        } else {
            Value::Derived {
                inputs: keys,
                value: Some(x as f64),
                decimals: 0,
            }
        }
    };
    // One row per input file: read = accepted + rejected. For the outside sources
    // "accepted" means usable; what became of those rows is in their own sections.
    let mut source_row =
        |file: &str, kind: String, read: Value, accepted: Value, rejected: usize| {
            rows.push(vec![
                Value::Text(base_name(file)),
                Value::Text(kind),
                read,
                accepted,
                Value::public(rejected as i64, Public::InputAccounting),
                // A checksum the tool computed, not text from the inputs: as it is.
                Value::Sealed(Published::text(hash_of(file))),
            ]);
        };
    let public = |x: usize| Value::public(x as i64, Public::InputAccounting);
    for f in &inputs.loaded.files {
        source_row(
            &f.file,
            t(lang, "händelser", "incidents"),
            of_incidents(f.rows_read, &[&total]),
            of_incidents(f.rows_read - f.rejected, &[&total]),
            f.rejected,
        );
    }
    if let Some(survey) = inputs.survey {
        for f in &survey.files {
            source_row(
                &f.file,
                t(lang, "enkätsvar", "survey responses"),
                public(f.rows_read),
                public(f.rows_read - f.rejected),
                f.rejected,
            );
        }
    }
    if let Some((read, _)) = inputs.polisen {
        for f in &read.files {
            source_row(
                &f.file,
                t(lang, "polisens händelser", "police events"),
                public(f.read),
                public(f.read - f.rejected),
                f.rejected,
            );
        }
    }
    if let Some(table) = inputs.bra {
        for f in &table.files {
            source_row(
                &f.file,
                t(lang, "Brå-tabell", "Brå table"),
                public(f.read),
                public(f.read - f.rejected),
                f.rejected,
            );
        }
    }
    let p = &inputs.prepared.placement;
    // Offence names only: their counts would be counts of incidents outside every
    // published table, so they stay in the run summary (not published).
    let mut unmatched: Vec<String> = inputs
        .prepared
        .classification()?
        .unmatched_offences
        .iter()
        .take(8)
        .map(|(o, _)| o.clone())
        .collect();
    unmatched.sort();
    // Placed by name or by coordinates add up to the total less the unknown place.
    let placed = |x: usize| Piece::Value(of_incidents(x, &[&total, &unknown]));
    let unplaced = Piece::Value(match &unknown {
        Some(key) => Value::Count(key.clone()),
        None => Value::public(p.unknown as i64, Public::InputAccounting),
    });
    Ok(Section {
        title: t(lang, "Datakvalitet", "Data quality"),
        text: vec![
            period_covered(inputs.prepared, lang),
            Paragraph(vec![
                Piece::Text(format!("{}: ", t(lang, "Placering av händelser", "Placing incidents"))),
                placed(p.by_name),
                Piece::Text(format!(" {}, ", t(lang, "efter platsnamn", "by place name"))),
                placed(p.by_coordinates),
                Piece::Text(format!(" {}, ", t(lang, "efter koordinater", "by coordinates"))),
                unplaced,
                Piece::Text(format!(" {}.", t(lang, "okänd plats", "unknown place"))),
            ]),
            Paragraph::text(format!(
                "{}: {}",
                t(
                    lang,
                    "De vanligaste brottstyperna utan prioriterat område",
                    "The most common offences in no priority area"
                ),
                unmatched.join(", ")
            )),
            Paragraph::text(t(
                lang,
                "Avvisade rader finns bredvid rapporten: avvisade_rader.csv (händelser), avvisade_handelser.csv (polisens händelser) och avvisade_bra.csv (Brå-tabeller) när de används.",
                "Rejected rows are listed beside the report: avvisade_rader.csv (incidents), avvisade_handelser.csv (police events) and avvisade_bra.csv (Brå tables) when used.",
            )),
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
    })
}

/// Every area's count per month, as the monthly charts show them: one table, so the
/// figures behind the charts can be read and checked.
/// Whether an area's chart shows quarters rather than months: when it has fewer than k
/// incidents a month on average, so that most months would be hidden as small. The rule
/// rests on the area's total over the whole period (the sum of its published yearly
/// counts), never on which months are small, so the choice tells nothing hidden.
fn shown_by_quarter(agg: &Aggregates, slug: &str, k: i64) -> bool {
    let (total, months) = agg
        .monthly
        .iter()
        .filter(|(key, _)| key[0] == slug)
        .fold((0i64, 0i64), |(sum, n), (_, c)| (sum + c.count, n + 1));
    months > 0 && total < k * months
}

/// Every area's count per month in the whole municipality, areas charted per quarter
/// included: a month left unpublished could still be worked out from the others (all
/// incidents less the other areas), and only published counts are protected.
fn monthly_appendix(config: &Config, agg: &Aggregates, opts: &ReportOptions) -> Section<Value> {
    let lang = opts.lang;
    let slugs: Vec<String> = config
        .areas
        .areas
        .iter()
        .map(|a| a.slug.clone())
        .chain([OTHER.to_owned()])
        .collect();
    let rows = periods_in(&agg.monthly)
        .iter()
        .filter_map(|m| Some((m, Span::parse(m)?)))
        .map(|(m, span)| {
            std::iter::once(Value::Text(m.clone()))
                .chain(
                    slugs
                        .iter()
                        .map(|s| Value::Count(CellKey::municipality(s, span))),
                )
                .collect()
        })
        .collect();
    Section {
        title: t(lang, "Bilaga: antal per månad", "Appendix: counts per month"),
        text: vec![Paragraph::text(match lang {
            Lang::Sv => format!("Antal händelser per prioriterat område och månad i hela kommunen. Områden med färre än {} händelser i månaden i genomsnitt visas per kvartal i sina diagram.", opts.threshold),
            Lang::En => format!("Incidents per priority area and month in the whole municipality. Areas with fewer than {} incidents a month on average are shown per quarter in their charts.", opts.threshold),
        })],
        charts: vec![],
        tables: vec![Table {
            name: "per-manad".into(),
            title: t(lang, "Antal per månad och prioriterat område", "Counts per month and priority area"),
            headers: std::iter::once(t(lang, "Månad", "Month"))
                .chain(slugs.iter().map(|s| area_name(config, s, lang)))
                .collect(),
            rows,
        }],
    }
}

/// A file named by its base name (a published table does not tell where on the
/// analyst's disk the inputs lie); an embedded file keeps its "(inbyggd)" mark.
fn base_name(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match file.strip_prefix("(inbyggd) ") {
        Some(_) => format!("(inbyggd) {base}"),
        None => base.to_owned(),
    }
}

/// The first and last day with incidents.
fn period_covered(prepared: &Prepared, lang: Lang) -> Paragraph<Value> {
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
        d.and_then(|d| crate::analysis::period::date_of_day(i64::from(*d)))
            .map(|d| d.format("%Y-%m-%d").to_string())
    };
    Paragraph::text(match (day(days.iter().min()), day(days.iter().max())) {
        (Some(a), Some(b)) => format!(
            "{}: {a} – {b}.",
            t(lang, "Händelserna täcker perioden", "The incidents cover")
        ),
        _ => t(lang, "Inga godkända händelser.", "No accepted incidents."),
    })
}

fn method_section(opts: &ReportOptions) -> Section<Value> {
    let lang = opts.lang;
    let k = opts.threshold;
    Section {
        title: t(lang, "Metod", "Method"),
        text: vec![
            Paragraph::text(t(lang, "Takt per 100 000 invånare för kommunen och per 1 000 för platser; platsernas invånartal kommer från ortsregistret (SCB:s tätorter eller uppskattningar).", "Rates per 100,000 inhabitants for the municipality and per 1,000 for places; place populations come from the gazetteer (SCB tätorter or estimates).")),
            Paragraph::text(match lang {
                Lang::Sv => format!("Osäkerhet i små tal: varje plats takt visas med ett 95-procentigt intervall (exakt Poisson-intervall enligt Garwood). Intervallet säger mellan vilka värden den verkliga nivån rimligen ligger; tre händelser på en plats kan lika gärna komma från en nivå som ger en eller nio händelser om året. Platser med färre än {} invånare får ingen takt alls (\"för få invånare\"): där flyttar en enda händelse takten med mer än {} per 1 000. Trattdiagrammet ställer varje plats takt mot dess folkmängd; kurvorna visar var 95 % och 99,8 % av platserna skulle hamna om alla hade kommunens takt och bara slumpen skilde dem åt (exakta Poisson-gränser enligt Spiegelhalter). En plats utanför kurvorna skiljer sig verkligen; en plats innanför kan inte sägas göra det, hur hög stapeln än ser ut.", opts.min_population, 1000 / opts.min_population.max(1)),
                Lang::En => format!("Uncertainty in small numbers: each place's rate is shown with a 95 % interval (Garwood's exact Poisson interval). The interval says between which values the true level plausibly lies; three incidents at a place may as well come from a level giving one or nine a year. Places with fewer than {} inhabitants get no rate at all (\"too few inhabitants\"): there a single incident moves the rate by more than {} per 1,000. The funnel plot sets each place's rate against its population; the curves show where 95 % and 99.8 % of the places would fall if all had the municipality's rate and only chance set them apart (exact Poisson limits after Spiegelhalter). A place outside the curves truly differs; a place inside cannot be said to, however tall its bar looks.", opts.min_population, 1000 / opts.min_population.max(1)),
            }),
            Paragraph::text(t(lang, "Förändring mot året innan prövas med ett exakt Poisson-test av kvoten; bedömningen säger ökning eller minskning bara när skillnaden är statistiskt säker (5 %). När rapportåret inte är slut i indata jämförs samma månader av varje år (t.ex. januari–oktober mot januari–oktober), aldrig ett halvt år mot ett helt.", "Change from the year before is tested with an exact Poisson rate-ratio test; an increase or decrease is stated only when the difference is statistically clear (5 %). When the report year is not over in the input, the same months of each year are compared (e.g. January–October with January–October), never part of a year with a whole one.")),
            Paragraph::text(t(lang, "Hot spots räknas på rutor om 250 m med Getis–Ord Gi* och Benjamini–Hochbergs korrektion för många test (studieområdet står i avsnittet om platser). Koncentrationen anges som generaliserad Gini, som inte kallar en jämn spridning ojämn bara för att händelserna är färre än platserna.", "Hot spots are computed on 250 m cells with Getis–Ord Gi* and the Benjamini–Hochberg correction for many tests (the study area is given in the section on places). Concentration is given as the generalized Gini, which does not call an even spread uneven only because there are fewer incidents than places.")),
            Paragraph::text(t(lang, "Tider är svensk lokal tid. Vid övergången till vintertid finns 02.00–02.59 två gånger; när indata anger tidszon hålls de isär. En tid i timmen som hoppas över när sommartiden börjar (02.00–02.59 sista söndagen i mars) läses som en timme senare, som klockan skulle ha visat.", "Times are Swedish local time. When winter time begins, 02:00–02:59 occurs twice; when the input gives a time zone, the two are kept apart. A time in the hour skipped when summer time begins (02:00–02:59 on the last Sunday of March) is read as one hour later, as the clock would have shown.")),
            Paragraph::text(match lang {
                Lang::Sv => format!("Röjandekontroll: antal från 1 till {} visas som \"<{k}\", liksom takt, förändring och bedömning som räknas ur dem. Därtill döljs, som \"..\", så många andra tal att inget dolt antal går att räkna ut ur rapportens alla tabeller, diagram, karta och GeoJSON tillsammans; det prövas exakt (linjärprogrammering över alla publicerade summor) innan rapporten skrivs. Ett \"..\" kan vara vilket antal som helst. Kommandot lagesbild audit gör samma prövning på en skriven rapportmapp.", k - 1),
                Lang::En => format!("Disclosure control: counts from 1 to {} are shown as \"<{k}\", as are rates, changes and assessments computed from them. Further figures are hidden, as \"..\", so that no hidden count can be worked out from all the report's tables, charts, map and GeoJSON together; this is proven exactly (linear programming over every published sum) before the report is written. A \"..\" may be any count. The command lagesbild audit runs the same check on a written report folder.", k - 1),
            }),
            Paragraph::text(match lang {
                Lang::Sv => format!("Trygghetsandelar är viktade, med Wilson-intervall på det effektiva urvalet (Kish). Andelar ur färre än {} svar visas inte. Förändringen mellan två mätningar bedöms med ett intervall för skillnaden (Newcombes metod): \"ökat\" eller \"minskat\" bara när hela intervallet ligger på ena sidan om noll, och \"kan inte bedömas\" när något av åren har för få svar.", opts.min_answers),
                Lang::En => format!("Survey shares are weighted, with Wilson intervals on the effective sample size (Kish). Shares from fewer than {} answers are not shown. The change between two surveys is judged by an interval for the difference (Newcombe's method): \"increased\" or \"decreased\" only when the whole interval lies on one side of zero, and \"cannot be assessed\" when either year has too few answers.", opts.min_answers),
            }),
        ],
        charts: vec![],
        tables: vec![],
    }
}
