//! Delaktighet, the seeds' third goal: how often police and municipality met the
//! public (medborgardialoger, trygghetsvandringar, meetings) and how many took part,
//! from the participation log. These are counts of the parties' own work, not of
//! people's offences or answers, so they are published as they are
//! ([`Public::Setting`]).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{t, Paragraph, Piece, Public, Published, Section, Table, Value};
use crate::lang::Lang;

/// Occasions and participants per (kind, place) in `year`, and per year.
pub(super) struct Participation {
    /// (kind, place) → (occasions, participants, occasions without a count).
    by_kind_place: BTreeMap<(String, String), (i64, i64, i64)>,
    /// year → (occasions, participants).
    by_year: BTreeMap<i32, (i64, i64)>,
}

impl Participation {
    /// Counts the log `frame` (columns of [`crate::ingest::dialogues::COLUMNS`]).
    pub(super) fn count(frame: &DataFrame, year: i32) -> PolarsResult<Participation> {
        let rows = frame
            .clone()
            .lazy()
            .select([
                col("date").dt().year().alias("y"),
                col("kind"),
                col("place"),
                col("participants"),
            ])
            .collect()?;
        let (y, kind, place, n) = (
            rows.column("y")?.i32()?,
            rows.column("kind")?.str()?,
            rows.column("place")?.str()?,
            rows.column("participants")?.i64()?,
        );
        let mut out = Participation {
            by_kind_place: BTreeMap::new(),
            by_year: BTreeMap::new(),
        };
        for i in 0..rows.height() {
            let Some(yr) = y.get(i) else { continue };
            let people = n.get(i);
            let e = out.by_year.entry(yr).or_default();
            e.0 += 1;
            e.1 += people.unwrap_or(0);
            if yr == year {
                let key = (
                    kind.get(i).unwrap_or("").to_owned(),
                    place.get(i).unwrap_or("").to_owned(),
                );
                let e = out.by_kind_place.entry(key).or_default();
                e.0 += 1;
                e.1 += people.unwrap_or(0);
                e.2 += i64::from(people.is_none());
            }
        }
        Ok(out)
    }

    /// Occasions and participants of the log `frame` at `places` in `year` (all
    /// places when empty).
    pub(super) fn at_places(
        frame: &DataFrame,
        places: &[String],
        year: i32,
    ) -> PolarsResult<(i64, i64)> {
        let mut filter = col("date").dt().year().eq(lit(year));
        if !places.is_empty() {
            let list = Series::new("p".into(), places.to_vec());
            filter = filter.and(col("place").is_in(lit(list).implode(true), false));
        }
        let chosen = frame.clone().lazy().filter(filter).collect()?;
        let people: i64 = chosen.column("participants")?.i64()?.iter().flatten().sum();
        Ok((chosen.height() as i64, people))
    }
}

/// A count of the parties' own work (activities, occasions, participants), shown as
/// it is ([`Public::Setting`]).
pub(super) fn public(n: i64) -> Value {
    Value::Sealed(Published::public_count(n, Public::Setting))
}

/// [`public`] of a count that may not be known yet: empty then.
pub(super) fn public_if_known(n: Option<u32>) -> Value {
    n.map_or(Value::Empty, |n| public(i64::from(n)))
}

/// The summary's sentence on delaktighet for `year`.
pub(super) fn summary_line(p: &Participation, year: i32, lang: Lang) -> Paragraph<Value> {
    let (occasions, people) = p.by_year.get(&year).copied().unwrap_or_default();
    Paragraph(vec![
        Piece::Text(format!("{}: ", t(lang, "Delaktighet", "Participation"))),
        Piece::Value(public(occasions)),
        Piece::Text(format!(
            " {} {year} ",
            t(
                lang,
                "dialoger, trygghetsvandringar och möten under",
                "dialogues, safety walks and meetings in"
            )
        )),
        Piece::Text(t(lang, "med sammanlagt ", "with altogether ")),
        Piece::Value(public(people)),
        Piece::Text(format!(
            " {}",
            t(
                lang,
                "deltagare; se avsnittet om delaktighet.",
                "participants; see the participation section."
            )
        )),
    ])
}

/// The section "Delaktighet": occasions and participants per kind and place in the
/// report year, and per year.
pub(super) fn section(p: &Participation, year: i32, lang: Lang) -> Section<Value> {
    let rows: Vec<Vec<Value>> = p
        .by_kind_place
        .iter()
        .map(|((kind, place), (occasions, people, unknown))| {
            vec![
                Value::Text(kind.clone()),
                Value::Text(place.clone()),
                public(*occasions),
                public(*people),
                if *unknown > 0 {
                    public(*unknown)
                } else {
                    Value::Empty
                },
            ]
        })
        .collect();
    let years: Vec<Vec<Value>> = p
        .by_year
        .iter()
        .map(|(y, (occasions, people))| {
            vec![
                Value::Text(y.to_string()),
                public(*occasions),
                public(*people),
            ]
        })
        .collect();
    Section {
        title: t(lang, "Delaktighet", "Participation"),
        text: vec![Paragraph::text(t(
            lang,
            "Medborgardialoger, trygghetsvandringar och möten med allmänheten ur projektets logg: hur ofta polisen och kommunen mötte medborgarna och hur många som deltog. Beskrivningar i loggen publiceras aldrig.",
            "Citizen dialogues, safety walks and meetings with the public from the project's log: how often police and municipality met the citizens and how many took part. Descriptions in the log are never published.",
        ))],
        charts: Vec::new(),
        tables: vec![
            Table {
                name: format!("delaktighet-{year}"),
                title: format!("{} {year}", t(lang, "Delaktighet", "Participation")),
                headers: vec![
                    t(lang, "Typ", "Kind"),
                    t(lang, "Plats", "Place"),
                    t(lang, "Tillfällen", "Occasions"),
                    t(lang, "Deltagare", "Participants"),
                    t(lang, "Tillfällen utan antal deltagare", "Occasions without a count"),
                ],
                rows,
            },
            Table {
                name: "delaktighet-per-ar".into(),
                title: t(lang, "Delaktighet per år", "Participation per year"),
                headers: vec![
                    t(lang, "År", "Year"),
                    t(lang, "Tillfällen", "Occasions"),
                    t(lang, "Deltagare", "Participants"),
                ],
                rows: years,
            },
        ],
    }
}
