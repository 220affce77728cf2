//! Events from the police's open feed turned into canonical incidents: which
//! municipality each belongs to (the feed changed in January 2026), when it happened
//! (the title's time), what kind of notice it is (summaries are not incidents), which
//! priority areas it counts towards, and which village or area its text names.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use polars::prelude::*;

use crate::analysis::classify::{flag_areas, OTHER};
use crate::analysis::place_text::{Mention, PlaceFinder};
use crate::model::event_types::{EventTypes, Kind};
use crate::model::feed::{Event, EventsRead};
use crate::model::places::Gazetteer;
use crate::model::priority::PriorityAreas;
use crate::model::sweden::{sweden, Area, Kommun};

/// The `source` value of imported events.
pub const SOURCE: &str = "polisen.se";

/// Where an event's municipality was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MunicipalityFrom {
    /// `location.name` (the feed until January 2026).
    Location,
    /// The last part of the title (the feed from January 2026, when `location.name`
    /// became the county).
    Title,
}

impl MunicipalityFrom {
    /// The label written in the output.
    pub fn label(self) -> &'static str {
        match self {
            MunicipalityFrom::Location => "location.name",
            MunicipalityFrom::Title => "rubrik",
        }
    }
}

/// Where an event belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whereabouts<'a> {
    /// The municipality, when the event names one.
    pub kommun: Option<(&'a Kommun, MunicipalityFrom)>,
    /// The county code: the municipality's, or the county the event names.
    pub county: Option<&'a str>,
}

/// The municipality of an event: `location.name` when it names a municipality (the
/// feed until January 2026), else the last part of the title, "14 augusti 11.19,
/// Trafikolycka, Västervik" (from January 2026 `location.name` is the county). Event
/// types may contain commas; the municipality is always after the last one.
pub fn whereabouts(event: &Event) -> Whereabouts<'static> {
    whereabouts_of(&event.location, title_suffix(&event.title))
}

/// [`whereabouts`] from `location.name` and the title's last part.
fn whereabouts_of(location: &str, suffix: Option<&str>) -> Whereabouts<'static> {
    let sweden = sweden();
    let from_location = sweden.area(location);
    let from_title = suffix.and_then(|s| sweden.area(s));
    let kommun = match (from_location, from_title) {
        (Some(Area::Kommun(k)), _) => Some((k, MunicipalityFrom::Location)),
        (_, Some(Area::Kommun(k))) => Some((k, MunicipalityFrom::Title)),
        _ => None,
    };
    let county = match (kommun, from_location, from_title) {
        (Some((k, _)), _, _) => Some(k.county_code()),
        (None, Some(Area::County(code, _)), _) | (None, _, Some(Area::County(code, _))) => {
            Some(code)
        }
        _ => None,
    };
    Whereabouts { kommun, county }
}

/// The part of a title after its last comma, when not empty.
fn title_suffix(title: &str) -> Option<&str> {
    title
        .rsplit_once(',')
        .map(|(_, s)| s.trim())
        .filter(|s| !s.is_empty())
}

pub use crate::model::feed::MONTHS;

/// The time the title gives ("14 augusti 11.19" or "26 september 14:21"), in the year
/// that puts it nearest before or at publication: a notice about 31 December published
/// on 1 January belongs to the year before. `None` when the title has no time.
pub fn title_time(title: &str, published: NaiveDateTime) -> Option<NaiveDateTime> {
    let head = title.split(',').next()?.trim();
    let mut words = head.split_whitespace();
    let day: u32 = words.next()?.parse().ok()?;
    let month_name = words.next()?.to_lowercase();
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let (hour, minute) = words.next()?.split_once(['.', ':'])?;
    let (hour, minute): (u32, u32) = (hour.parse().ok()?, minute.parse().ok()?);
    if words.next().is_some() {
        return None;
    }
    let year = published.year();
    [year, year - 1, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day)?.and_hms_opt(hour, minute, 0))
        .min_by_key(|t| {
            let ahead = (*t - published).num_minutes();
            // Times after publication are possible (a planned event) but rarer.
            if ahead > 0 {
                ahead * 4
            } else {
                -ahead
            }
        })
        // The same rule as every other path for the hour skipped in March.
        .map(|t| crate::model::spring_forward(t).0)
}

/// What the import is asked to do.
pub struct ImportOptions<'a> {
    /// Keep only this municipality's events.
    pub kommun: Option<&'a Kommun>,
    /// The gazetteer for place names, and the municipality it belongs to.
    pub gazetteer: Option<(&'a Gazetteer, &'a Kommun)>,
    /// The event-type mapping.
    pub types: &'a EventTypes,
    /// The classification rules (the event-type mapping added).
    pub areas: &'a PriorityAreas,
}

/// Events as canonical incidents, and the accounting of what was left out.
#[derive(Debug)]
pub struct Imported {
    /// Canonical incident columns (docs/data-formats.md) plus `published_at`, `kind`,
    /// `municipality_code`, `municipality`, `county`, `municipality_from`,
    /// `place_from`, `place_candidates`, `priority_areas`, `url`, `_file`, `_line`.
    pub frame: DataFrame,
    /// Events read and kept (latest version of each id).
    pub events: usize,
    /// Summaries ("Sammanfattning natt"): not incidents.
    pub summaries: usize,
    /// Events of other municipalities (or of none) when one was asked for.
    pub outside: usize,
    /// Events without a municipality (county-wide notices, unknown names).
    pub without_municipality: usize,
    /// Location names and title endings that are neither municipality nor county.
    pub unknown_locations: Vec<(String, usize)>,
    /// Event types not in the mapping (counted as "övrigt").
    pub unknown_types: Vec<(String, usize)>,
    /// Events whose municipality came from `location.name` and from the title.
    pub municipality_from: (usize, usize),
    /// Events placed from the summary, from the body text, ambiguous, and not placed.
    pub places: PlaceCounts,
}

/// How the place of the written events was found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PlaceCounts {
    /// Placed by the summary.
    pub summary: usize,
    /// Placed by the body text.
    pub body: usize,
    /// Two or more places named, none more specific: left unknown.
    pub ambiguous: usize,
    /// No place named.
    pub none: usize,
}

impl Imported {
    /// `events = summaries + outside + written`.
    pub fn reconciles(&self) -> bool {
        self.events == self.summaries + self.outside + self.frame.height()
    }
}

/// Columns collected event by event before they become a frame.
#[derive(Default)]
struct Builder {
    id: Vec<String>,
    occurred_at: Vec<NaiveDateTime>,
    published_at: Vec<NaiveDateTime>,
    offence: Vec<String>,
    kind: Vec<&'static str>,
    place: Vec<Option<String>>,
    place_from: Vec<Option<&'static str>>,
    candidates: Vec<Option<String>>,
    description: Vec<String>,
    municipality_code: Vec<Option<&'static str>>,
    municipality: Vec<Option<&'static str>>,
    county: Vec<Option<&'static str>>,
    municipality_from: Vec<Option<&'static str>>,
    url: Vec<String>,
    file: Vec<u32>,
    line: Vec<u64>,
}

/// Turns the events read into canonical incidents. Summaries are left out and
/// counted; with `kommun`, so are the other municipalities' events. Places come
/// from the summary, else the body text, and only for the gazetteer's municipality:
/// the feed's GPS is the municipality's or county's centre and is never used.
pub fn import_events(read: &EventsRead, options: &ImportOptions) -> PolarsResult<Imported> {
    let sweden = sweden();
    let finder = options
        .gazetteer
        .map(|(g, home)| (PlaceFinder::new(g, &home.name), home.code.as_str()));
    let mut b = Builder::default();
    let mut summaries = 0;
    let mut outside = 0;
    let mut without_municipality = 0;
    let mut unknown_locations: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown_types: BTreeMap<String, usize> = BTreeMap::new();
    let mut municipality_from = (0, 0);
    let mut places = PlaceCounts::default();
    // Few distinct names and types: each is looked up once.
    let mut where_cache: HashMap<(&str, Option<&str>), Whereabouts<'static>> = HashMap::new();
    let mut type_cache: HashMap<&str, (Kind, bool)> = HashMap::new();
    for event in &read.events {
        let (kind, mapped) = *type_cache.entry(&event.event_type).or_insert_with(|| {
            (
                options.types.kind(&event.event_type),
                options.types.areas(&event.event_type).is_some(),
            )
        });
        if kind == Kind::Summary {
            summaries += 1;
            continue;
        }
        let suffix = title_suffix(&event.title);
        let at = *where_cache
            .entry((&event.location, suffix))
            .or_insert_with(|| whereabouts_of(&event.location, suffix));
        if let Some(wanted) = options.kommun {
            if at.kommun.map(|(k, _)| &k.code) != Some(&wanted.code) {
                outside += 1;
                continue;
            }
        }
        match at.kommun {
            Some((_, MunicipalityFrom::Location)) => municipality_from.0 += 1,
            Some((_, MunicipalityFrom::Title)) => municipality_from.1 += 1,
            None => {
                without_municipality += 1;
                if at.county.is_none() {
                    let name = if event.location.is_empty() {
                        suffix.unwrap_or("")
                    } else {
                        &event.location
                    };
                    *unknown_locations.entry(name.to_owned()).or_default() += 1;
                }
            }
        }
        if !mapped {
            *unknown_types.entry(event.event_type.clone()).or_default() += 1;
        }
        let mention = match (&finder, at.kommun) {
            (Some((finder, code)), Some((k, _))) if k.code == *code => {
                place_of(finder, event, &mut places)
            }
            _ => {
                places.none += 1;
                (None, None, None)
            }
        };
        b.id.push(event.id.to_string());
        b.occurred_at
            .push(title_time(&event.title, event.published).unwrap_or(event.published));
        b.published_at.push(event.published);
        b.offence.push(event.event_type.clone());
        b.kind.push(kind.label());
        b.place.push(mention.0);
        b.place_from.push(mention.1);
        b.candidates.push(mention.2);
        b.description.push(event.summary.clone());
        b.municipality_code
            .push(at.kommun.map(|(k, _)| k.code.as_str()));
        b.municipality.push(at.kommun.map(|(k, _)| k.name.as_str()));
        b.county.push(at.county.and_then(|c| sweden.county_name(c)));
        b.municipality_from.push(at.kommun.map(|(_, f)| f.label()));
        b.url.push(event.url.clone());
        b.file.push(event.file as u32);
        b.line.push(event.line);
    }
    let frame = with_priority_areas(b.finish()?, options.areas)?;
    let by_count = |m: BTreeMap<String, usize>| {
        let mut v: Vec<(String, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    Ok(Imported {
        frame,
        events: read.events.len(),
        summaries,
        outside,
        without_municipality,
        unknown_locations: by_count(unknown_locations),
        unknown_types: by_count(unknown_types),
        municipality_from,
        places,
    })
}

/// The place an event's text names: the summary first, the body text when the
/// summary names none. Returns (place, field, candidates when ambiguous).
fn place_of(
    finder: &PlaceFinder,
    event: &Event,
    counts: &mut PlaceCounts,
) -> (Option<String>, Option<&'static str>, Option<String>) {
    for (text, field) in [
        (&event.summary, "sammanfattning"),
        (&event.body, "brödtext"),
    ] {
        match finder.find(text) {
            Mention::None => continue,
            Mention::Place(name) => {
                if field == "sammanfattning" {
                    counts.summary += 1;
                } else {
                    counts.body += 1;
                }
                return (Some(name), Some(field), None);
            }
            Mention::Ambiguous(names) => {
                counts.ambiguous += 1;
                return (None, Some(field), Some(names.join(" | ")));
            }
        }
    }
    counts.none += 1;
    (None, None, None)
}

impl Builder {
    fn finish(self) -> PolarsResult<DataFrame> {
        let n = self.id.len();
        let times = |name: &str, v: Vec<NaiveDateTime>| {
            Column::new(name.into(), v).cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        };
        let nulls = |name: &str, dtype: DataType| Column::full_null(name.into(), n, &dtype);
        DataFrame::new(
            n,
            vec![
                Column::new("id".into(), self.id),
                times("occurred_at", self.occurred_at)?,
                nulls(
                    "occurred_to",
                    DataType::Datetime(TimeUnit::Milliseconds, None),
                ),
                Column::new("has_time".into(), vec![true; n]),
                Column::new("offence".into(), self.offence),
                nulls("offence_code", DataType::String),
                Column::new("place".into(), self.place),
                nulls("x", DataType::Float64),
                nulls("y", DataType::Float64),
                nulls("lat", DataType::Float64),
                nulls("lon", DataType::Float64),
                nulls("suspect_age", DataType::Int32),
                nulls("close_relation", DataType::Boolean),
                Column::new("source".into(), vec![SOURCE; n]),
                Column::new("count".into(), vec![1i64; n]),
                Column::new("description".into(), self.description),
                times("published_at", self.published_at)?,
                Column::new("kind".into(), self.kind),
                Column::new("municipality_code".into(), self.municipality_code),
                Column::new("municipality".into(), self.municipality),
                Column::new("county".into(), self.county),
                Column::new("municipality_from".into(), self.municipality_from),
                Column::new("place_from".into(), self.place_from),
                Column::new("place_candidates".into(), self.candidates),
                Column::new("url".into(), self.url),
                Column::new("_file".into(), self.file),
                Column::new("_line".into(), self.line),
            ],
        )
    }
}

/// Adds `priority_areas`: the slugs of the specific areas the event counts towards,
/// by the same rules as every other incident, joined by `|`; "ovrigt" when none.
fn with_priority_areas(frame: DataFrame, areas: &PriorityAreas) -> PolarsResult<DataFrame> {
    let specific: Vec<(usize, &str)> = areas
        .areas
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.all_incidents)
        .map(|(i, a)| (i, a.slug.as_str()))
        .collect();
    let parts: Vec<Expr> = specific
        .iter()
        .map(|(i, slug)| {
            when(col(format!("_area{i}")))
                .then(lit(*slug))
                .otherwise(lit(NULL))
        })
        .collect();
    let drop: Vec<String> = (0..areas.areas.len())
        .map(|i| format!("_area{i}"))
        .collect();
    let joined = if parts.is_empty() {
        lit(OTHER)
    } else {
        concat_str(parts, "|", true)
    };
    let after_line = frame.get_column_names().len() - 2;
    let flagged = flag_areas(&frame, areas)?;
    let mut out = flagged
        .lazy()
        .with_column(
            when(joined.clone().eq(lit("")))
                .then(lit(OTHER))
                .otherwise(joined)
                .alias("priority_areas"),
        )
        .drop(by_name(drop, true, false))
        .collect()?;
    // Keep the provenance columns last.
    let mut names: Vec<PlSmallStr> = out.get_column_names_owned();
    let areas_column = names.pop().expect("priority_areas was just added");
    names.insert(after_line, areas_column);
    out = out.select(names)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn event(title: &str, location: &str) -> Event {
        Event {
            id: 1,
            published: at("2026-08-14 12:00"),
            title: title.into(),
            summary: String::new(),
            body: String::new(),
            url: String::new(),
            event_type: "Stöld, försök".into(),
            location: location.into(),
            file: 0,
            line: 1,
        }
    }

    #[test]
    fn municipality_from_location_until_2026_and_from_the_title_after() {
        let before = whereabouts(&event(
            "14 augusti 11.19, Stöld, försök, Västervik",
            "Västervik",
        ));
        assert_eq!(before.kommun.unwrap().0.code, "0883");
        assert_eq!(before.kommun.unwrap().1, MunicipalityFrom::Location);
        assert_eq!(before.county, Some("08"));
        let after = whereabouts(&event(
            "14 augusti 11.19, Stöld, försök, Västervik",
            "Kalmar län",
        ));
        assert_eq!(after.kommun.unwrap().0.code, "0883");
        assert_eq!(after.kommun.unwrap().1, MunicipalityFrom::Title);
        let county_wide = whereabouts(&event("11 april 07:30, Övrigt, Kalmar län", "Kalmar län"));
        assert_eq!(county_wide.kommun, None);
        assert_eq!(county_wide.county, Some("08"));
        let empty = whereabouts(&event(
            "20 maj 13.09, Trafikkontroll,  ",
            "Västerbottens län",
        ));
        assert_eq!((empty.kommun, empty.county), (None, Some("24")));
        // location.name wins when both name a municipality.
        let both = whereabouts(&event("25 november 13.10, Bråk, Upplands-Bro", "Järfälla"));
        assert_eq!(both.kommun.unwrap().0.name, "Järfälla");
    }

    #[test]
    fn title_times_take_the_year_of_publication_or_the_one_before() {
        assert_eq!(
            title_time(
                "14 augusti 11.19, Trafikolycka, Västervik",
                at("2026-08-14 12:00")
            ),
            Some(at("2026-08-14 11:19"))
        );
        assert_eq!(
            title_time("2 maj 6:05, Brand, Kalmar", at("2024-05-02 07:00")),
            Some(at("2024-05-02 06:05"))
        );
        assert_eq!(
            title_time("31 december 23.50, Bråk, Västervik", at("2025-01-01 00:20")),
            Some(at("2024-12-31 23:50"))
        );
        assert_eq!(
            title_time(
                "29 februari 10.00, Brand, Västervik",
                at("2024-03-01 08:00")
            ),
            Some(at("2024-02-29 10:00"))
        );
        assert_eq!(
            title_time("Sammanfattning natt, Kalmar län", at("2024-03-01 08:00")),
            None
        );
        assert_eq!(
            title_time("14 augusti, Brand, Västervik", at("2024-03-01 08:00")),
            None
        );
    }
}
