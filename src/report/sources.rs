//! Report sections for the outside sources: the police's open events feed and Brå's
//! statistics of reported crimes per municipality.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::chart::{Bar, BarChart, ChartSpec, LineChart};
use super::{t, Chart, Paragraph, Section, Table, Value};
use crate::analysis::classify::OTHER;
use crate::analysis::disclosure::gate::{Public, Published};
use crate::analysis::events::Imported;
use crate::analysis::reference::{compare, Comparison, GroupRate};
use crate::lang::Lang;
use crate::model::bra::BraTable;
use crate::model::config::Config;
use crate::model::feed::EventsRead;

/// Counts per row label and year.
type Crosstab = BTreeMap<String, BTreeMap<i32, i64>>;

/// Counts of `frame` per value of `column` and year of `occurred_at`.
fn crosstab(frame: &DataFrame, column: Expr) -> PolarsResult<Crosstab> {
    let counted = frame
        .clone()
        .lazy()
        .select([
            column.alias("key"),
            col("occurred_at").dt().year().alias("year"),
        ])
        .group_by([col("key"), col("year")])
        .agg([len().cast(DataType::Int64).alias("n")])
        .collect()?;
    let mut out: Crosstab = BTreeMap::new();
    for ((key, year), n) in counted
        .column("key")?
        .str()?
        .iter()
        .zip(counted.column("year")?.i32()?.iter())
        .zip(counted.column("n")?.i64()?.iter())
    {
        if let (Some(year), Some(n)) = (year, n) {
            *out.entry(key.unwrap_or("").to_owned())
                .or_default()
                .entry(year)
                .or_default() += n;
        }
    }
    Ok(out)
}

/// A table with one row per label (largest total first, or in `order`), one column
/// per year and a total, and a last row with the events per year: an event that
/// belongs to several rows (areas) is counted once there.
fn year_table(
    name: &str,
    title: String,
    first: String,
    tab: &Crosstab,
    order: Option<&[String]>,
    events: &BTreeMap<i32, i64>,
    lang: Lang,
) -> Table<Value> {
    let years: Vec<i32> = tab
        .values()
        .flat_map(|m| m.keys().copied())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let empty = BTreeMap::new();
    let row_of = |label: &String| tab.get(label).unwrap_or(&empty);
    let total_of = |m: &BTreeMap<i32, i64>| m.values().sum::<i64>();
    let mut labels: Vec<&String> = match order {
        Some(order) => order.iter().collect(),
        None => tab.keys().collect(),
    };
    if order.is_none() {
        labels.sort_by(|a, b| total_of(row_of(b)).cmp(&total_of(row_of(a))).then(a.cmp(b)));
    }
    let mut rows: Vec<Vec<Value>> = labels
        .iter()
        .map(|label| {
            let m = row_of(label);
            std::iter::once(Value::Text((*label).clone()))
                .chain(
                    years
                        .iter()
                        .map(|y| Value::public(m.get(y).copied().unwrap_or(0), Public::PoliceFeed)),
                )
                .chain([Value::public(total_of(m), Public::PoliceFeed)])
                .collect()
        })
        .collect();
    rows.push(
        std::iter::once(Value::Text(t(lang, "Alla händelser", "All events")))
            .chain(
                years.iter().map(|y| {
                    Value::public(events.get(y).copied().unwrap_or(0), Public::PoliceFeed)
                }),
            )
            .chain([Value::public(events.values().sum(), Public::PoliceFeed)])
            .collect(),
    );
    Table {
        name: name.to_owned(),
        title,
        headers: std::iter::once(first)
            .chain(years.iter().map(i32::to_string))
            .chain([t(lang, "Totalt", "Total")])
            .collect(),
        rows,
    }
}

/// "Händelser från polisens öppna data": what the feed says about the municipality,
/// with the feed's limits stated.
pub fn polisen_section(
    read: &EventsRead,
    imported: &Imported,
    config: &Config,
    lang: Lang,
) -> anyhow::Result<Section<Value>> {
    let frame = &imported.frame;
    let name = &config.municipality.short_name;
    let mut section = Section::titled(t(
        lang,
        "Händelser från polisens öppna data",
        "Events from the police's open data",
    ));
    section.text.push(Paragraph::text(t(
        lang,
        "Polisens öppna händelser (polisen.se/api/events) är ett urval av de utryckningar polisen väljer att berätta om, med inledande uppgifter som kan ändras. De är ingen brottsstatistik och ska inte jämföras med anmälda brott; de visar vad som har hänt och var, i polisens egna ord. Händelsens koordinat i flödet är kommunens eller länets mittpunkt och används aldrig; orten är hämtad ur sammanfattningen eller brödtexten. Uppgifterna är redan offentliga hos polisen och visas därför utan döljning av små tal.",
        "The police's open events (polisen.se/api/events) are a selection of the call-outs the police choose to report, with first details that may change. They are not crime statistics and must not be compared with reported crimes; they show what happened and where, in the police's own words. The feed's coordinate is the centre of the municipality or county and is never used; the place is taken from the summary or body text. The events are already public at the police, so small numbers are shown without suppression.",
    )));
    let files = &read.files;
    let sum = |f: fn(&crate::model::feed::EventFile) -> usize| files.iter().map(f).sum::<usize>();
    let span = period_of(frame)?;
    let p = &imported.places;
    section.text.push(Paragraph::text(match lang {
        Lang::Sv => format!(
            "{} händelser i {name} {span}. Lästa: {} i {} fil(er); {} ersatta av en senare version av samma händelse, {} avvisade, {} sammanfattningar (inga händelser) och {} i andra kommuner eller utan kommun borträknade. Kommunen kom ur location.name för {} och ur rubriken för {} (från januari 2026 anger location.name länet). Orten hittades i sammanfattningen för {}, i brödtexten för {}; {} nämner flera orter utan att en är mer specifik och {} ingen ort i ortsregistret.",
            frame.height(), sum(|f| f.read), files.len(), sum(|f| f.replaced), sum(|f| f.rejected),
            imported.summaries, imported.outside, imported.municipality_from.0, imported.municipality_from.1,
            p.summary, p.body, p.ambiguous, p.none,
        ),
        Lang::En => format!(
            "{} events in {name} {span}. Read: {} in {} file(s); {} replaced by a later version of the same event, {} rejected, {} summaries (not events) and {} in other or no municipality left out. The municipality came from location.name for {} and from the title for {} (from January 2026 location.name gives the county). The place was found in the summary for {}, in the body text for {}; {} name several places none more specific and {} no place of the gazetteer.",
            frame.height(), sum(|f| f.read), files.len(), sum(|f| f.replaced), sum(|f| f.rejected),
            imported.summaries, imported.outside, imported.municipality_from.0, imported.municipality_from.1,
            p.summary, p.body, p.ambiguous, p.none,
        ),
    }));
    if frame.height() == 0 {
        return Ok(section);
    }
    section.charts.push(monthly_chart(frame, name, lang)?);
    let events = crosstab(frame, lit("alla"))?
        .remove("alla")
        .unwrap_or_default();
    let areas_order: Vec<String> = config
        .areas
        .areas
        .iter()
        .filter(|a| !a.all_incidents)
        .map(|a| a.slug.clone())
        .chain([OTHER.to_owned()])
        .collect();
    let by_area = crosstab(
        &frame
            .clone()
            .lazy()
            .with_column(col("priority_areas").str().split(lit("|")))
            .explode(
                by_name(["priority_areas"], true, false),
                ExplodeOptions {
                    empty_as_null: true,
                    keep_nulls: true,
                },
            )
            .collect()?,
        col("priority_areas"),
    )?;
    let by_area: Crosstab = by_area
        .into_iter()
        .map(|(slug, m)| (super::area_name(config, &slug, lang), m))
        .collect();
    let area_names: Vec<String> = areas_order
        .iter()
        .map(|s| {
            if s == OTHER {
                t(
                    lang,
                    "Övrigt (inget prioriterat område)",
                    "Other (no priority area)",
                )
            } else {
                super::area_name(config, s, lang)
            }
        })
        .collect();
    let mut by_area = by_area;
    if let Some(m) = by_area.remove(OTHER) {
        by_area.insert(area_names.last().cloned().unwrap_or_default(), m);
    }
    section.tables.push(year_table(
        "polisen-omraden",
        t(lang, "Polisens händelser per prioriterat område och år (en händelse kan höra till flera områden)", "Police events by priority area and year (an event may belong to several areas)"),
        t(lang, "Område", "Area"),
        &by_area,
        Some(&area_names),
        &events,
        lang,
    ));
    section.tables.push(year_table(
        "polisen-handelsetyper",
        t(
            lang,
            "Polisens händelser per händelsetyp och år",
            "Police events by event type and year",
        ),
        t(lang, "Händelsetyp", "Event type"),
        &crosstab(frame, col("offence"))?,
        None,
        &events,
        lang,
    ));
    if !config.report.focus_places.is_empty() {
        let focus = frame
            .clone()
            .lazy()
            .filter(
                col("place").is_in(
                    lit(Series::new(
                        "focus".into(),
                        config.report.focus_places.clone(),
                    ))
                    .implode(true),
                    false,
                ),
            )
            .collect()?;
        let rows: Vec<String> = config.report.focus_places.clone();
        let mut by_place_and_type = crosstab(
            &focus,
            concat_str([col("place"), col("offence")], ": ", true),
        )?;
        // Every focus place has a row, even without events.
        for place in &rows {
            if !by_place_and_type
                .keys()
                .any(|k| k.starts_with(&format!("{place}: ")))
            {
                by_place_and_type.insert(format!("{place}: –"), BTreeMap::new());
            }
        }
        let order: Vec<String> = rows
            .iter()
            .flat_map(|p| {
                let mut keys: Vec<String> = by_place_and_type
                    .keys()
                    .filter(|k| k.starts_with(&format!("{p}: ")))
                    .cloned()
                    .collect();
                keys.sort_by_key(|k| std::cmp::Reverse(by_place_and_type[k].values().sum::<i64>()));
                keys
            })
            .collect();
        let in_focus = crosstab(&focus, lit("alla"))?
            .remove("alla")
            .unwrap_or_default();
        let mut table = year_table(
            "polisen-fokusplatser",
            t(
                lang,
                "Polisens händelser på fokusplatserna, per händelsetyp och år",
                "Police events at the focus places, by event type and year",
            ),
            t(lang, "Ort: händelsetyp", "Place: event type"),
            &by_place_and_type,
            Some(&order),
            &in_focus,
            lang,
        );
        if let Some(last) = table.rows.last_mut() {
            last[0] = Value::Text(t(
                lang,
                "Alla händelser på fokusplatserna",
                "All events at the focus places",
            ));
        }
        section.tables.push(table);
    }
    let unknown = t(lang, "ingen ort i texten", "no place in the text");
    section.tables.push(year_table(
        "polisen-orter",
        t(
            lang,
            "Polisens händelser per ort (ur texten) och år",
            "Police events by place (from the text) and year",
        ),
        t(lang, "Ort", "Place"),
        &crosstab(frame, col("place").fill_null(lit(unknown)))?,
        None,
        &events,
        lang,
    ));
    Ok(section)
}

/// "från 2023-03-28 till 2026-08-21"
fn period_of(frame: &DataFrame) -> PolarsResult<String> {
    let dates = frame
        .clone()
        .lazy()
        .select([
            col("occurred_at")
                .min()
                .dt()
                .to_string("%Y-%m-%d")
                .alias("from"),
            col("occurred_at")
                .max()
                .dt()
                .to_string("%Y-%m-%d")
                .alias("to"),
        ])
        .collect()?;
    let get = |c: &str| -> PolarsResult<String> {
        Ok(dates.column(c)?.str()?.get(0).unwrap_or("").to_owned())
    };
    Ok(format!("{} – {}", get("from")?, get("to")?))
}

/// Events per month, all and those in a priority area.
fn monthly_chart(frame: &DataFrame, name: &str, lang: Lang) -> anyhow::Result<Chart<Value>> {
    let monthly = frame
        .clone()
        .lazy()
        .select([
            col("occurred_at").dt().to_string("%Y-%m").alias("month"),
            col("priority_areas").neq(lit(OTHER)).alias("in_area"),
        ])
        .group_by([col("month")])
        .agg([
            len().cast(DataType::Int64).alias("all"),
            col("in_area").sum().cast(DataType::Int64).alias("in_area"),
        ])
        .collect()?;
    let mut counts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for ((m, a), b) in monthly
        .column("month")?
        .str()?
        .iter()
        .zip(monthly.column("all")?.i64()?.iter())
        .zip(monthly.column("in_area")?.i64()?.iter())
    {
        counts.insert(m.unwrap_or("").to_owned(), (a.unwrap_or(0), b.unwrap_or(0)));
    }
    let periods = months_between(counts.keys().next(), counts.keys().last());
    let series = |pick: fn(&(i64, i64)) -> i64| -> Vec<Value> {
        periods
            .iter()
            .map(|p| Value::public(counts.get(p).map_or(0, pick), Public::PoliceFeed))
            .collect()
    };
    let spec = ChartSpec::Line(LineChart {
        title: format!(
            "{} – {name}",
            t(
                lang,
                "Polisens händelser per månad",
                "Police events per month"
            )
        ),
        x_title: t(lang, "Månad", "Month"),
        y_title: t(lang, "Antal händelser", "Events"),
        series: vec![
            (t(lang, "Alla händelser", "All events"), series(|c| c.0)),
            (
                t(lang, "Inom ett prioriterat område", "In a priority area"),
                series(|c| c.1),
            ),
        ],
        periods,
    });
    Ok(Chart {
        name: "polisen-per-manad".into(),
        alt: t(
            lang,
            "Polisens händelser per månad",
            "Police events per month",
        ),
        spec,
    })
}

/// Every month from `first` to `last` ("YYYY-MM"), so that empty months show as 0.
fn months_between(first: Option<&String>, last: Option<&String>) -> Vec<String> {
    let parse = |s: Option<&String>| -> Option<(i32, u32)> {
        let (y, m) = s?.split_once('-')?;
        Some((y.parse().ok()?, m.parse().ok()?))
    };
    let (Some(mut at), Some(end)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while at <= end {
        out.push(format!("{}-{:02}", at.0, at.1));
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    out
}

/// "Jämförelse med länet och riket": Brå's reported crimes per 100 000 inhabitants.
pub fn bra_section(
    table: &BraTable,
    config: &Config,
    lang: Lang,
) -> anyhow::Result<Section<Value>> {
    let m = &config.municipality;
    let rows = compare(table, &m.code);
    let county = m
        .county
        .clone()
        .unwrap_or_else(|| t(lang, "länet", "the county"));
    let mut section = Section::titled(t(
        lang,
        "Anmälda brott: jämförelse med länet och riket (Brå)",
        "Reported crimes: compared with the county and the country (Brå)",
    ));
    section.text.push(Paragraph::text(t(
        lang,
        "Brå:s officiella statistik över anmälda brott per kommun (där brottet begicks), i antal per 100 000 invånare. Länets och rikets tal tas ur tabellen när de står där; annars räknas de fram ur kommunernas rader och metoden anges. Brå räknar ett brott per lagöverträdelse; en ändring i anmälningsbenägenhet eller polisens arbetssätt syns också här.",
        "Brå's official statistics of reported crimes per municipality (where the crime was committed), per 100 000 inhabitants. The county's and country's rates are taken from the table when it has them; otherwise they are computed from the municipalities' rows and the method is given. Brå counts one crime per offence; changes in reporting or in police practice show here too.",
    )));
    let no_year: Vec<&str> = table
        .files
        .iter()
        .filter(|f| !f.has_year)
        .map(|f| f.file.rsplit(['/', '\\']).next().unwrap_or(&f.file))
        .collect();
    if !no_year.is_empty() {
        section.text.push(Paragraph::text(match lang {
            Lang::Sv => format!("Obs: {} anger inget år; kontrollera vilket år siffrorna gäller innan de citeras.", no_year.join(", ")),
            Lang::En => format!("Note: {} gives no year; check which year the figures refer to before quoting them.", no_year.join(", ")),
        }));
    }
    if rows.is_empty() {
        section.text.push(Paragraph::text(match lang {
            Lang::Sv => format!("Tabellerna har inga värden för {}.", m.name),
            Lang::En => format!("The tables have no values for {}.", m.name),
        }));
        return Ok(section);
    }
    let all = t(lang, "Samtliga brott", "All crimes");
    let category = |r: &Comparison| r.category.clone().unwrap_or_else(|| all.clone());
    let missing = || Value::Sealed(Published::unavailable(".."));
    let stat =
        |x: f64, d| Value::Sealed(Published::public_number(x, d, Public::OfficialStatistics));
    let rate = |g: &Option<GroupRate>| g.map_or(missing(), |g| stat(g.rate, 1));
    let method = |g: &Option<GroupRate>| {
        g.map_or(Value::Empty, |g| {
            let (sv, en) = g.method.describe();
            Value::Text(lang.pick(sv, en).to_owned())
        })
    };
    section.tables.push(Table {
        name: "bra-jamforelse".into(),
        title: t(
            lang,
            "Anmälda brott per 100 000 invånare: kommunen, länet och riket",
            "Reported crimes per 100 000 inhabitants: municipality, county and country",
        ),
        headers: vec![
            t(lang, "Brottskategori", "Crime category"),
            t(lang, "År", "Year"),
            t(lang, "Antal", "Count"),
            m.short_name.clone(),
            county.clone(),
            t(lang, "Riket", "Country"),
            t(
                lang,
                "Plats i länet (1 = högst)",
                "Rank in county (1 = highest)",
            ),
            t(lang, "Länets tal", "County figure"),
            t(lang, "Rikets tal", "Country figure"),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Value::Text(category(r)),
                    Value::Text(
                        r.year
                            .map_or(t(lang, "ej angivet", "not given"), |y| y.to_string()),
                    ),
                    r.count.map_or(missing(), |c| {
                        Value::public(c.round() as i64, Public::OfficialStatistics)
                    }),
                    r.rate.map_or(missing(), |x| stat(x, 1)),
                    rate(&r.county),
                    rate(&r.country),
                    r.rank_in_county
                        .map_or(Value::Empty, |(k, n)| Value::Text(format!("{k} / {n}"))),
                    method(&r.county),
                    method(&r.country),
                ]
            })
            .collect(),
    });
    for (i, r) in rows.iter().enumerate().take(4) {
        let bar = |label: &str, value: Option<f64>| Bar {
            label: label.to_owned(),
            value: value.map_or(missing(), |x| stat(x, 1)),
            interval: None,
        };
        let spec = ChartSpec::Bar(BarChart {
            title: format!(
                "{}{}",
                category(r),
                r.year.map_or(String::new(), |y| format!(" {y}"))
            ),
            value_title: t(
                lang,
                "Anmälda brott per 100 000 invånare",
                "Reported crimes per 100 000 inhabitants",
            ),
            bars: vec![
                bar(&m.short_name, r.rate),
                bar(&county, r.county.map(|g| g.rate)),
                bar(&t(lang, "Riket", "Country"), r.country.map(|g| g.rate)),
            ],
            reference: None,
        });
        section.charts.push(Chart {
            name: format!("bra-jamforelse-{}", i + 1),
            alt: format!(
                "{} – {}",
                t(
                    lang,
                    "Anmälda brott per 100 000",
                    "Reported crimes per 100 000"
                ),
                category(r)
            ),
            spec,
        });
    }
    Ok(section)
}
