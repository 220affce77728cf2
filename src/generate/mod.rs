//! A generator of realistic, clearly marked test data for a municipality: incidents
//! with an offence mix per priority area, a weekday × hour rhythm, seasonality and
//! planted problem places (a fire series in Karstorp, fires in Ankarsrum, drug
//! offences in Edsbruk), and safety-survey responses. Reproducible from its seed;
//! rows are written as they are drawn, so the size is not limited by memory.

use std::io::Write;

pub mod polisen;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use crate::coords::Sweref;
use crate::model::places::Gazetteer;
use crate::model::survey::SurveyDefinition;
use crate::random::SplitMix;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Seed of the random generator.
    pub seed: u64,
    /// First and last year.
    pub years: (i32, i32),
    /// Nothing after this day is written: generated data end where a real export
    /// would, at the day they are made (or the end of the last year, if earlier).
    /// Every row is still drawn, so the rows before it do not depend on it.
    pub until: chrono::NaiveDate,
    /// Incidents per year in the whole municipality (before planted series).
    pub incidents_per_year: u32,
    /// Survey respondents per year.
    pub respondents_per_year: u32,
    /// Municipalities: 1 is the project's municipality alone; more add the other
    /// Swedish municipalities in kommunkod order, at the same rate per inhabitant.
    pub municipalities: usize,
}

/// Offence, relative frequency, source, share with a young suspect, share in a close relation.
const OFFENCES: [(&str, f64, &str, f64, f64); 16] = [
    ("Stöld", 20.0, "polis", 0.15, 0.0),
    ("Skadegörelse", 12.0, "polis", 0.35, 0.0),
    ("Klotter", 5.0, "kommun", 0.5, 0.0),
    ("Misshandel", 7.0, "polis", 0.15, 0.3),
    ("Olaga hot", 6.0, "polis", 0.1, 0.3),
    ("Bedrägeri", 12.0, "polis", 0.02, 0.0),
    ("Narkotikabrott", 6.0, "polis", 0.2, 0.0),
    ("Rattfylleri", 3.0, "polis", 0.02, 0.0),
    ("Olovlig körning", 3.0, "polis", 0.1, 0.0),
    ("Trafikolycka", 5.0, "polis", 0.0, 0.0),
    ("Inbrott", 6.0, "polis", 0.1, 0.0),
    ("Brand", 5.0, "räddningstjänst", 0.0, 0.0),
    ("Ofog barn/ungdom", 3.0, "skola", 1.0, 0.0),
    ("Vapenlagen", 1.0, "polis", 0.15, 0.0),
    ("Kvinnofridskränkning", 1.0, "polis", 0.0, 1.0),
    ("Fylleri/LOB", 5.0, "polis", 0.05, 0.0),
];

/// Hour-of-day rhythm (relative), and extra weight on Friday and Saturday nights.
const HOURS: [f64; 24] = [
    3.0, 2.5, 2.0, 1.2, 0.8, 0.6, 0.8, 1.2, 1.8, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8, 3.8,
    3.6, 3.4, 3.4, 3.4, 3.2,
];
const MONTHS: [f64; 12] = [
    0.85, 0.8, 0.9, 0.95, 1.05, 1.2, 1.4, 1.3, 1.0, 0.95, 0.85, 0.9,
];

impl SplitMix {
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.uniform() * total;
        for (i, w) in weights.iter().enumerate() {
            r -= w;
            if r < 0.0 {
                return i;
            }
        }
        weights.len() - 1
    }
}

/// The header of the generated incident files.
pub const INCIDENT_HEADER: &str =
    "id;occurred_at;occurred_to;offence;place;x;y;suspect_age;close_relation;source;count;description";

/// Writes incidents (canonical columns, `;`, UTF-8) and returns how many rows.
pub fn write_incidents(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
) -> std::io::Result<u64> {
    let home = places
        .places()
        .first()
        .map(|p| p.municipality_code.clone())
        .unwrap_or_default();
    write_incidents_by_municipality(out, spec, places, &home, &mut |_, _| Ok(()))
}

/// [`write_incidents`], also handing each municipality's rows (without the header) to
/// `each` with its code as soon as they are written, so that a caller can store them
/// one municipality at a time while the file streams out.
pub fn write_incidents_by_municipality(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
    home_code: &str,
    each: &mut dyn FnMut(&str, &[u8]) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    writeln!(out, "{INCIDENT_HEADER}")?;
    let mut rows = Vec::new();
    let mut rng = SplitMix(spec.seed);
    let mut n = write_home(&mut rows, spec, places, &mut rng)?;
    out.write_all(&rows)?;
    each(home_code, &rows)?;
    n += write_other_municipalities(out, spec, places, home_code, &mut rng, each)?;
    Ok(n)
}

/// The project's own municipality's rows.
fn write_home(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
    rng: &mut SplitMix,
) -> std::io::Result<u64> {
    let sweref = Sweref::new();
    let positioned: Vec<(&str, f64, f64, f64)> = places
        .places()
        .iter()
        .map(|p| {
            let (x, y) = match (p.x, p.y) {
                (Some(x), Some(y)) => (x, y),
                _ => sweref.from_wgs84(p.lat, p.lon).unwrap_or((0.0, 0.0)),
            };
            let radius = (p.approximate_area_m2() / std::f64::consts::PI).sqrt();
            (p.name.as_str(), x, y, radius)
        })
        .collect();
    let weights: Vec<f64> = places
        .places()
        .iter()
        .map(|p| p.population.unwrap_or(100) as f64)
        .collect();
    let offence_weights: Vec<f64> = OFFENCES.iter().map(|o| o.1).collect();
    let mut n = 0u64;
    for year in spec.years.0..=spec.years.1 {
        let planted = planted_series(year);
        let total = spec.incidents_per_year as usize + planted.iter().map(|p| p.2).sum::<usize>();
        for k in 0..total {
            let (offence_at, place_at) =
                match planted_index(&planted, k, spec.incidents_per_year as usize) {
                    Some((offence, place)) => (
                        OFFENCES.iter().position(|o| o.0 == offence).unwrap_or(0),
                        positioned.iter().position(|p| p.0 == place).unwrap_or(0),
                    ),
                    None => (rng.weighted(&offence_weights), rng.weighted(&weights)),
                };
            let (offence, _, source, young, close) = OFFENCES[offence_at];
            let start = draw_time(rng, year);
            let uncertain = matches!(offence, "Inbrott" | "Skadegörelse" | "Stöld" | "Klotter")
                && rng.uniform() < 0.4;
            let end =
                uncertain.then(|| start + TimeDelta::minutes(30 + (rng.uniform() * 720.0) as i64));
            let (name, cx, cy, r) = positioned[place_at];
            let with_position = rng.uniform() < 0.7;
            let (angle, dist) = (
                rng.uniform() * std::f64::consts::TAU,
                r * rng.uniform().sqrt(),
            );
            let age = (rng.uniform() < young).then(|| 13 + (rng.uniform() * 5.0) as u32);
            let relation = (close > 0.0).then(|| if rng.uniform() < close { "ja" } else { "nej" });
            let keep = start.date() <= spec.until;
            // The drawing goes on for a row not written, so earlier rows stay the same.
            let blank = with_position && rng.uniform() < 0.5;
            if !keep {
                continue;
            }
            n += 1;
            writeln!(
                out,
                "G{year}-{k:05};{};{};{offence};{};{};{};{};{};{source};1;Genererad testdata.",
                start.format("%Y-%m-%d %H:%M"),
                end.map_or(String::new(), |e| e.format("%Y-%m-%d %H:%M").to_string()),
                if blank { "" } else { name },
                if with_position {
                    format!("{:.0}", cx + dist * angle.cos())
                } else {
                    String::new()
                },
                if with_position {
                    format!("{:.0}", cy + dist * angle.sin())
                } else {
                    String::new()
                },
                age.map_or(String::new(), |a| a.to_string()),
                relation.unwrap_or(""),
            )?;
        }
    }
    Ok(n)
}

/// Incidents in the other municipalities (for `municipalities > 1`): the place is the
/// municipality's name and there are no coordinates, as in national statistics.
fn write_other_municipalities(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
    home_code: &str,
    rng: &mut SplitMix,
    each: &mut dyn FnMut(&str, &[u8]) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    if spec.municipalities <= 1 {
        return Ok(0);
    }
    let home: u64 = places
        .places()
        .iter()
        .filter_map(|p| p.population)
        .sum::<u64>()
        .max(1);
    let per_inhabitant = f64::from(spec.incidents_per_year) / home as f64;
    let offence_weights: Vec<f64> = OFFENCES.iter().map(|o| o.1).collect();
    let mut n = 0;
    for kommun in crate::model::sweden::sweden()
        .kommuner()
        .iter()
        .filter(|k| k.code != home_code)
        .take(spec.municipalities - 1)
    {
        let (code, name) = (&kommun.code, &kommun.name);
        let per_year = (per_inhabitant * kommun.population as f64).round() as usize;
        let mut rows: Vec<u8> = Vec::new();
        for year in spec.years.0..=spec.years.1 {
            for k in 0..per_year {
                let (offence, _, source, young, close) = OFFENCES[rng.weighted(&offence_weights)];
                let start = draw_time(rng, year);
                let age = (rng.uniform() < young).then(|| 13 + (rng.uniform() * 5.0) as u32);
                let relation =
                    (close > 0.0).then(|| if rng.uniform() < close { "ja" } else { "nej" });
                if start.date() > spec.until {
                    continue;
                }
                writeln!(
                    rows,
                    "K{code}-{year}-{k:06};{};;{offence};{name};;;{};{};{source};1;Genererad testdata.",
                    start.format("%Y-%m-%d %H:%M"),
                    age.map_or(String::new(), |a| a.to_string()),
                    relation.unwrap_or(""),
                )?;
                n += 1;
            }
        }
        // One municipality at a time: memory stays that of the largest.
        out.write_all(&rows)?;
        each(code, &rows)?;
    }
    Ok(n)
}

/// Planted series per year: (offence, place, incidents). The Karstorp fire series
/// grows in the last years; Edsbruk's drug offences and Ankarsrum's fires persist.
fn planted_series(year: i32) -> Vec<(&'static str, &'static str, usize)> {
    let karstorp = if year >= 2024 {
        25 + 10 * (year - 2024) as usize
    } else {
        6
    };
    vec![
        ("Brand", "Karstorp", karstorp),
        ("Brand", "Ankarsrum", 14),
        ("Narkotikabrott", "Edsbruk", 18),
    ]
}

fn planted_index(
    planted: &[(&'static str, &'static str, usize)],
    k: usize,
    base: usize,
) -> Option<(&'static str, &'static str)> {
    let mut at = k.checked_sub(base)?;
    for &(offence, place, n) in planted {
        if at < n {
            return Some((offence, place));
        }
        at -= n;
    }
    None
}

/// A time in `year` following the month, weekday and hour rhythm.
pub(crate) fn draw_time(rng: &mut SplitMix, year: i32) -> NaiveDateTime {
    let month = rng.weighted(&MONTHS) as u32 + 1;
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let days = (first
        .checked_add_months(chrono::Months::new(1))
        .expect("next month")
        - first)
        .num_days();
    let day = first + TimeDelta::days((rng.uniform() * days as f64) as i64);
    let weekend_night = matches!(day.weekday(), chrono::Weekday::Fri | chrono::Weekday::Sat);
    let hours: Vec<f64> = HOURS
        .iter()
        .enumerate()
        .map(|(h, w)| {
            if weekend_night && (h >= 21 || h <= 2) {
                w * 2.2
            } else {
                *w
            }
        })
        .collect();
    let hour = rng.weighted(&hours) as u32;
    day.and_hms_opt(hour, (rng.uniform() * 60.0) as u32, 0)
        .expect("valid time")
}

/// Writes survey responses for `definition` (`;`, decimal-comma weights, UTF-8).
/// Problem answers are likelier in the planted problem places.
pub fn write_survey(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
    definition: &SurveyDefinition,
) -> std::io::Result<u64> {
    let mut rng = SplitMix(spec.seed ^ 0x5EED_5EED);
    let weights: Vec<f64> = places
        .places()
        .iter()
        .map(|p| (p.population.unwrap_or(100) as f64).sqrt())
        .collect();
    let mut header = "respondent_id;year;place;weight;age;gender".to_owned();
    for item in &definition.items {
        header.push(';');
        header.push_str(&item.id);
    }
    writeln!(out, "{header}")?;
    let mut n = 0u64;
    for year in spec.years.0..=spec.years.1 {
        for r in 0..spec.respondents_per_year {
            let place = &places.places()[rng.weighted(&weights)];
            let trouble = match place.name.as_str() {
                "Karstorp" => 0.35 + 0.04 * f64::from((year - 2021).max(0)),
                "Edsbruk" | "Ankarsrum" => 0.3,
                _ => 0.12,
            };
            let weight = 0.5 + rng.uniform() * 1.5;
            let age = 16 + (rng.uniform() * 70.0) as u32;
            let gender = if rng.uniform() < 0.5 { "kvinna" } else { "man" };
            let mut row = format!(
                "S{year}-{r:04};{year};{};{};{age};{gender}",
                place.name,
                format!("{weight:.2}").replace('.', ",")
            );
            for item in &definition.items {
                let codes = item.codes();
                let answer = if rng.uniform() < 0.05 && !item.missing.is_empty() {
                    item.missing[0]
                } else if rng.uniform() < trouble {
                    item.problem[(rng.uniform() * item.problem.len() as f64) as usize]
                } else {
                    let calm: Vec<i64> = codes
                        .iter()
                        .copied()
                        .filter(|c| !item.problem.contains(c) && !item.missing.contains(c))
                        .collect();
                    calm[(rng.uniform() * calm.len() as f64) as usize]
                };
                row.push(';');
                row.push_str(&answer.to_string());
            }
            writeln!(out, "{row}")?;
            n += 1;
        }
    }
    Ok(n)
}

/// Writes a participation log (`;`, UTF-8): for each year, safety walks and citizen
/// dialogues in the largest places and the planted problem places, with a number of
/// participants (sometimes left out, as real logs do), up to `spec.until`.
pub fn write_dialogues(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
) -> std::io::Result<u64> {
    let mut rng = SplitMix(spec.seed ^ 0xD1A1_0605);
    writeln!(out, "datum;plats;typ;deltagare;beskrivning")?;
    let mut by_size: Vec<_> = places.places().iter().collect();
    by_size.sort_by_key(|p| std::cmp::Reverse(p.population.unwrap_or(0)));
    let mut chosen: Vec<&str> = by_size.iter().take(3).map(|p| p.name.as_str()).collect();
    for planted in ["Karstorp", "Ankarsrum", "Edsbruk"] {
        if places.find(planted).is_some() && !chosen.contains(&planted) {
            chosen.push(planted);
        }
    }
    let kinds = [
        ("trygghetsvandring", 2, 25.0),
        ("medborgardialog", 1, 40.0),
        ("möte med föreningar", 1, 15.0),
    ];
    let mut n = 0u64;
    for year in spec.years.0..=spec.years.1 {
        for place in &chosen {
            for (kind, per_year, size) in kinds {
                for _ in 0..per_year {
                    if rng.uniform() < 0.3 {
                        continue;
                    }
                    let day = chrono::NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or_default()
                        + chrono::Days::new((rng.uniform() * 240.0) as u64);
                    let people = (size * (0.4 + rng.uniform())).round() as u32;
                    let counted = rng.uniform() < 0.9;
                    if day > spec.until {
                        continue;
                    }
                    writeln!(
                        out,
                        "{};{place};{kind};{};Genererad testdata.",
                        day.format("%Y-%m-%d"),
                        if counted {
                            people.to_string()
                        } else {
                            String::new()
                        }
                    )?;
                    n += 1;
                }
            }
        }
    }
    Ok(n)
}
