//! Generated events in the shape of the police's open feed (polisen.se/api/events):
//! a JSON array of notices about the municipality, with titles, summaries naming its
//! villages, the feed's change of January 2026 (`location.name` becomes the county),
//! shift summaries and updated versions of the same id. Every summary ends with
//! "(Genererad testhändelse.)".

use std::io::Write;

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use serde_json::json;

use super::{draw_time, Spec};
use crate::model::feed::MONTHS;
use crate::model::places::Gazetteer;
use crate::random::SplitMix;

/// Event types with their relative frequency and summary templates (`{ort}` is a
/// village; the second template is used when no village is named).
const TYPES: &[(&str, f64, &str, &str)] = &[
    (
        "Trafikolycka",
        34.0,
        "Trafikolycka med två personbilar i {ort}.",
        "Singelolycka på E22.",
    ),
    (
        "Brand",
        14.0,
        "Brand i ett förråd i {ort}.",
        "Brand i skog, räddningstjänsten på plats.",
    ),
    (
        "Misshandel",
        12.0,
        "Man misshandlad utanför en krog i {ort}.",
        "Misshandel, en person till sjukhus.",
    ),
    (
        "Rattfylleri",
        9.0,
        "Rattfyllerist stoppad i {ort}.",
        "Misstänkt rattfylleri på länsväg 40.",
    ),
    (
        "Försvunnen person",
        4.0,
        "Äldre man saknad från sitt hem i {ort}.",
        "Sökande efter försvunnen person.",
    ),
    (
        "Trafikkontroll",
        4.0,
        "Trafikkontroll i {ort}: hastighet och nykterhet.",
        "Trafikkontroll på E22.",
    ),
    (
        "Skadegörelse",
        3.0,
        "Fönster krossade på skolan i {ort}.",
        "Skadegörelse på busskur.",
    ),
    (
        "Trafikolycka, vilt",
        3.0,
        "Viltolycka med rådjur vid {ort}.",
        "Viltolycka med älg.",
    ),
    (
        "Narkotikabrott",
        3.0,
        "Man gripen för narkotikabrott i {ort}.",
        "Narkotikabrott vid kontroll.",
    ),
    (
        "Stöld/inbrott",
        3.0,
        "Inbrott i fritidshus i {ort}.",
        "Inbrott i förråd.",
    ),
    (
        "Stöld, försök",
        2.0,
        "Försök till stöld av båtmotor i {ort}.",
        "Stöldförsök natt mot lördag.",
    ),
    (
        "Olaga hot",
        2.0,
        "Person hotad med kniv i {ort}.",
        "Olaga hot mot anställd.",
    ),
    (
        "Bråk",
        2.0,
        "Bråk mellan ungdomar i {ort}.",
        "Bråk vid en fest.",
    ),
    (
        "Mord/dråp, försök",
        0.5,
        "Man knivskuren i {ort}, en person gripen.",
        "Man allvarligt skadad, mordförsök utreds.",
    ),
];

/// Notices per year before the planted ones.
const PER_YEAR: usize = 100;
/// The month the feed started giving the county in `location.name`.
const FEED_CHANGE: (i32, u32) = (2026, 1);

/// Writes the events as one JSON array (one notice per line) and returns how many
/// notices it holds, summaries and updated versions included.
pub fn write_police_events(
    out: &mut dyn Write,
    spec: &Spec,
    places: &Gazetteer,
    municipality: &str,
    county: &str,
) -> std::io::Result<u64> {
    let mut rng = SplitMix(spec.seed ^ 0x5011_5E11);
    let names: Vec<&str> = places.places().iter().map(|p| p.name.as_str()).collect();
    let weights: Vec<f64> = places
        .places()
        .iter()
        .map(|p| (p.population.unwrap_or(100) as f64).sqrt())
        .collect();
    let type_weights: Vec<f64> = TYPES.iter().map(|t| t.1).collect();
    let mut notices: Vec<(NaiveDateTime, serde_json::Value)> = Vec::new();
    let mut id = 900_000u64;
    for year in spec.years.0..=spec.years.1 {
        let planted = [
            ("Brand", "Karstorp", 4),
            ("Brand", "Ankarsrum", 3),
            ("Narkotikabrott", "Edsbruk", 3),
        ];
        let draws = (0..PER_YEAR)
            .map(|_| (rng.weighted(&type_weights), None))
            .chain(planted.iter().flat_map(|(kind, place, n)| {
                let at = TYPES.iter().position(|t| t.0 == *kind).unwrap_or(0);
                std::iter::repeat_n((at, Some(*place)), *n)
            }))
            .collect::<Vec<_>>();
        for (at, planted_place) in draws {
            let (kind, _, with_place, without) = TYPES[at];
            let place = planted_place
                .or_else(|| (rng.uniform() < 0.6).then(|| names[rng.weighted(&weights)]));
            let summary = match place {
                Some(p) => with_place.replace("{ort}", p),
                None => without.to_owned(),
            };
            let when = draw_time(&mut rng, year);
            id += 1;
            let published = when + TimeDelta::minutes(10 + (rng.uniform() * 110.0) as i64);
            notices.push((
                published,
                notice(id, when, published, kind, &summary, municipality, county),
            ));
            if rng.uniform() < 0.03 {
                let later = published + TimeDelta::minutes(60);
                let updated = format!("Uppdatering: {summary}");
                notices.push((
                    later,
                    notice(id, when, later, kind, &updated, municipality, county),
                ));
            }
        }
        for _ in 0..4 {
            let when = draw_time(&mut rng, year);
            id += 1;
            notices.push((
                when,
                notice(
                    id,
                    when,
                    when,
                    "Sammanfattning natt",
                    "Lugn natt i länet.",
                    county,
                    county,
                ),
            ));
        }
    }
    // Nothing is published after the day the data are made.
    notices.retain(|(published, _)| published.date() <= spec.until);
    notices.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1["id"].as_u64().cmp(&b.1["id"].as_u64()))
    });
    writeln!(out, "[")?;
    for (i, (_, n)) in notices.iter().enumerate() {
        let sep = if i + 1 < notices.len() { "," } else { "" };
        writeln!(
            out,
            "{}{sep}",
            serde_json::to_string(n).map_err(std::io::Error::other)?
        )?;
    }
    writeln!(out, "]")?;
    Ok(notices.len() as u64)
}

/// One notice in the API's shape. Before the feed's change `location.name` is the
/// municipality; afterwards it is the county, and the municipality is only in the title.
fn notice(
    id: u64,
    when: NaiveDateTime,
    published: NaiveDateTime,
    kind: &str,
    summary: &str,
    municipality: &str,
    county: &str,
) -> serde_json::Value {
    use chrono::Datelike;
    let title = format!(
        "{} {} {}, {kind}, {municipality}",
        when.day(),
        MONTHS[when.month0() as usize],
        when.format("%H.%M")
    );
    let changed = (published.year(), published.month()) >= FEED_CHANGE;
    let location = if changed { county } else { municipality };
    json!({
        "id": id,
        "datetime": with_offset(published),
        "name": title,
        "summary": format!("{summary} (Genererad testhändelse.)"),
        "url": format!("/genererad/{id}/"),
        "type": kind,
        "location": {"name": location, "gps": "57.757,16.637"},
    })
}

/// "2026-08-14 9:05:00 +02:00": the feed's form, hour without a leading zero.
fn with_offset(local: NaiveDateTime) -> String {
    let zone: chrono_tz::Tz = crate::model::LOCAL_TIME_ZONE
        .parse()
        .expect("a valid zone name");
    let offset = zone
        .from_local_datetime(&local)
        .earliest()
        .map_or("+01:00".to_owned(), |t| t.format("%:z").to_string());
    format!("{} {offset}", local.format("%Y-%m-%d %-H:%M:%S"))
}
