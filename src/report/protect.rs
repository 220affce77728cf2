//! Disclosure control over the whole report: every count the draft publishes anywhere
//! (tables, charts, text, map, GeoJSON) is a sum of atoms (incidents per set of areas ×
//! offence × place × month, [`crate::analysis::cube::Cube::atoms`]); suppression is decided for all
//! of them at once ([`linked::protect`]) and the result is the report's [`Gate`].

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::{CellKey, Report, Span, Value};
use crate::analysis::disclosure::gate::Gate;
use crate::analysis::disclosure::linked;
use crate::analysis::place::UNKNOWN_PLACE;
use crate::analysis::Prepared;

/// The atoms of a report: one per set of areas × offence × place × year × month with
/// incidents. Offence types no published count names are merged into one (`None`),
/// since nothing published tells them apart.
pub struct Atoms {
    /// The areas of each atom.
    pub areas: Vec<Vec<String>>,
    /// The offence type of each atom when a published count names it.
    pub offence: Vec<Option<String>>,
    /// Place of each atom.
    pub place: Vec<String>,
    /// (year, month) of each atom.
    pub when: Vec<(i32, u32)>,
    /// Incidents in each atom.
    pub count: Vec<i64>,
}

/// The identity of an atom: areas, offence, place, (year, month).
type AtomId = (Vec<String>, Option<String>, String, (i32, u32));

impl Atoms {
    /// Reads the atoms frame of [`Prepared`], keeping the offence types in `named`
    /// apart and merging the rest.
    pub fn of(prepared: &Prepared, named: &BTreeSet<String>) -> PolarsResult<Atoms> {
        let f = prepared.atoms()?;
        let areas = f.column("areas")?.str()?;
        let offence = f.column("offence")?.str()?;
        let place = f.column("place")?.str()?;
        let year = f.column("year")?.i32()?;
        let month = f.column("month")?.i32()?;
        let count = f.column("count")?.i64()?;
        let mut merged: BTreeMap<AtomId, i64> = BTreeMap::new();
        for i in 0..f.height() {
            let (Some(y), Some(m)) = (year.get(i), month.get(i)) else {
                continue;
            };
            let areas = areas
                .get(i)
                .unwrap_or("")
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            let offence = offence
                .get(i)
                .filter(|o| named.contains(*o))
                .map(str::to_owned);
            let place = place.get(i).unwrap_or("").to_owned();
            *merged
                .entry((areas, offence, place, (y, m as u32)))
                .or_default() += count.get(i).unwrap_or(0);
        }
        let mut atoms = Atoms {
            areas: Vec::with_capacity(merged.len()),
            offence: Vec::with_capacity(merged.len()),
            place: Vec::with_capacity(merged.len()),
            when: Vec::with_capacity(merged.len()),
            count: Vec::with_capacity(merged.len()),
        };
        for ((areas, offence, place, when), n) in merged {
            atoms.areas.push(areas);
            atoms.offence.push(offence);
            atoms.place.push(place);
            atoms.when.push(when);
            atoms.count.push(n);
        }
        Ok(atoms)
    }

    /// The atoms a published count sums.
    pub fn of_key(&self, key: &CellKey, by_year: &BTreeMap<i32, Vec<usize>>) -> Vec<usize> {
        let atoms: Box<dyn Iterator<Item = usize>> = match key.span.year() {
            Some(year) => Box::new(by_year.get(&year).into_iter().flatten().copied()),
            None => Box::new(0..self.count.len()),
        };
        atoms
            .filter(|&a| {
                key.counts(
                    &self.areas[a],
                    self.offence[a].as_deref(),
                    &self.place[a],
                    self.when[a].0,
                    self.when[a].1,
                )
            })
            .collect()
    }

    /// Atom indices per year.
    pub fn by_year(&self) -> BTreeMap<i32, Vec<usize>> {
        let mut out: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (i, (y, _)) in self.when.iter().enumerate() {
            out.entry(*y).or_default().push(i);
        }
        out
    }

    /// The distinct kinds of atoms (set of areas, offence) in order.
    pub fn kinds(&self) -> Vec<(Vec<String>, Option<String>)> {
        let set: BTreeSet<(Vec<String>, Option<String>)> = self
            .areas
            .iter()
            .cloned()
            .zip(self.offence.iter().cloned())
            .collect();
        set.into_iter().collect()
    }
}

/// The offence types the draft's counts name.
pub fn named_offences(draft: &Report<Value>) -> BTreeSet<String> {
    draft.keys().into_iter().filter_map(|k| k.offence).collect()
}

/// Every count the draft publishes, with the atoms it sums.
pub fn published_cells(draft: &Report<Value>, atoms: &Atoms) -> Vec<(CellKey, Vec<usize>)> {
    let by_year = atoms.by_year();
    draft
        .keys()
        .into_iter()
        .map(|k| {
            let list = atoms.of_key(&k, &by_year);
            (k, list)
        })
        .collect()
}

/// Decides how every published count (`cells`, from [`published_cells`]) is shown,
/// keeping `secrets` (from [`secrets`]) from being worked out too.
pub fn protect_report(
    cells: Vec<(CellKey, Vec<usize>)>,
    atoms: &Atoms,
    secrets: &[(CellKey, Vec<usize>)],
    k: i64,
) -> anyhow::Result<Gate<CellKey>> {
    let mut lists: Vec<Vec<usize>> = cells.iter().map(|(_, l)| l.clone()).collect();
    lists.extend(secrets.iter().map(|(_, list)| list.clone()));
    let secret: Vec<bool> = (0..lists.len()).map(|c| c >= cells.len()).collect();
    // What a reader loses with each hidden count: a yearly total for the whole
    // municipality most, a place's year less, a month least.
    let weights: Vec<i64> = cells
        .iter()
        .map(|(key, _)| match (&key.place, key.span) {
            // A count by offence is detail: the first to go when one must.
            _ if key.offence.is_some() => 1,
            (None, Span::Year(_)) => 100,
            (Some(_), Span::Year(_)) => 15,
            (None, Span::YearTo(..)) => 50,
            (Some(_), Span::YearTo(..)) => 10,
            (_, Span::Month(..)) => 5,
            (_, Span::Quarter(..)) => 10,
            (_, Span::Total) => 100,
        })
        .chain(secrets.iter().map(|_| 0))
        .collect();
    // Rows: sets of areas × offence; columns: place and month.
    let mut rows: BTreeMap<(&Vec<String>, &Option<String>), usize> = BTreeMap::new();
    let mut columns: BTreeMap<(&str, (i32, u32)), usize> = BTreeMap::new();
    for a in 0..atoms.count.len() {
        let next = rows.len();
        rows.entry((&atoms.areas[a], &atoms.offence[a]))
            .or_insert(next);
        let next = columns.len();
        columns
            .entry((atoms.place[a].as_str(), atoms.when[a]))
            .or_insert(next);
    }
    let grid = linked::Grid::new(
        (0..atoms.count.len())
            .map(|a| {
                (
                    rows[&(&atoms.areas[a], &atoms.offence[a])],
                    columns[&(atoms.place[a].as_str(), atoms.when[a])],
                )
            })
            .collect(),
    );
    let status = linked::protect(&atoms.count, &lists, &weights, Some(&grid), &secret, k)
        .map_err(|e| anyhow::anyhow!("röjandekontrollen kunde inte slutföras: {e}"))?;
    Ok(Gate::new(
        cells
            .into_iter()
            .zip(status)
            .map(|((key, list), s)| {
                let n = list.iter().map(|&a| atoms.count[a]).sum();
                (key, (s, n))
            })
            .collect(),
        k,
    ))
}

/// Counts that are never published and must not be worked out from what is, with the
/// atoms each sums: each area in `areas` (sensitive, reported for the whole
/// municipality only) at each place and year that has incidents of it. A year whose
/// placed incidents all lie in one place of `whole` (places with nearly all of the
/// municipality's inhabitants: a municipality that is one town, as Stockholm and
/// Göteborg are) has none: every count at that place is the municipality's, and
/// "without a place" says nothing of where, so guarding them would only hide the
/// area's yearly total that the report is there to show. A year whose incidents all lie
/// in a smaller place keeps its secrets: a village where everything happened would
/// otherwise be shown beside the area's total, which would say where its incidents were.
pub fn secrets(
    atoms: &Atoms,
    areas: &[String],
    whole: &BTreeSet<String>,
) -> Vec<(CellKey, Vec<usize>)> {
    let mut places_in_year: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
    for (when, place) in atoms.when.iter().zip(&atoms.place) {
        if place != UNKNOWN_PLACE {
            places_in_year.entry(when.0).or_default().insert(place);
        }
    }
    let one_town = |year: i32| {
        places_in_year
            .get(&year)
            .is_some_and(|p| p.len() == 1 && p.iter().all(|p| whole.contains(*p)))
    };
    let mut keys: BTreeSet<CellKey> = BTreeSet::new();
    for a in 0..atoms.count.len() {
        let year = atoms.when[a].0;
        if one_town(year) {
            continue;
        }
        for area in areas.iter().filter(|s| atoms.areas[a].contains(s)) {
            keys.insert(CellKey::at(area, &atoms.place[a], Span::Year(year)));
        }
    }
    let by_year = atoms.by_year();
    keys.into_iter()
        .map(|key| {
            let list = atoms.of_key(&key, &by_year);
            (key, list)
        })
        .collect()
}

/// A gate that shows every count: only for the test that shows the audit can fail.
pub fn bypassed_gate(draft: &Report<Value>, atoms: &Atoms, k: i64) -> Gate<CellKey> {
    let cells = published_cells(draft, atoms);
    Gate::bypassed(
        cells
            .into_iter()
            .map(|(key, list)| (key, list.iter().map(|&a| atoms.count[a]).sum()))
            .collect(),
        k,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Atoms of one set of areas per row: (areas, place, year, month, count).
    fn atoms(rows: &[(&str, &str, i32, u32, i64)]) -> Atoms {
        Atoms {
            areas: rows
                .iter()
                .map(|r| r.0.split('|').map(str::to_owned).collect())
                .collect(),
            offence: rows.iter().map(|_| None).collect(),
            place: rows.iter().map(|r| r.1.to_owned()).collect(),
            when: rows.iter().map(|r| (r.2, r.3)).collect(),
            count: rows.iter().map(|r| r.4).collect(),
        }
    }

    #[test]
    fn a_year_in_a_town_that_is_the_municipality_has_no_secrets() {
        // 2023: every placed incident in the town (and one without a place). 2024: the
        // area only in the town, but other incidents in the village: the town's count
        // of the area would tell that none was in the village. 2025: the area in both.
        // 2026: everything in the village.
        let atoms = atoms(&[
            ("vald|ovrigt", "Stad", 2023, 3, 4),
            ("vald", UNKNOWN_PLACE, 2023, 4, 1),
            ("ovrigt", "Stad", 2023, 5, 6),
            ("vald|ovrigt", "Stad", 2024, 3, 4),
            ("vald", "Stad", 2024, 6, 2),
            ("ovrigt", "By", 2024, 6, 9),
            ("vald", "Stad", 2025, 2, 5),
            ("vald", "By", 2025, 7, 1),
            ("ovrigt", "Stad", 2025, 7, 8),
            ("vald", "By", 2026, 1, 3),
        ]);
        let keys = |whole: &[&str]| -> Vec<(CellKey, Vec<usize>)> {
            let whole = whole.iter().map(|s| (*s).to_owned()).collect();
            secrets(&atoms, &["vald".to_owned()], &whole)
        };
        let at = |place: &str, year: i32| CellKey::at("vald", place, Span::Year(year));
        assert_eq!(
            keys(&["Stad"]),
            vec![
                (at("By", 2025), vec![7]),
                (at("By", 2026), vec![9]),
                (at("Stad", 2024), vec![3, 4]),
                (at("Stad", 2025), vec![6]),
            ]
        );
        // A town smaller than the municipality is a place like any other: 2023 keeps
        // its secrets too, the one without a place among them.
        let all = keys(&[]);
        assert_eq!(all.len(), 6);
        assert!(all.contains(&(at("Stad", 2023), vec![0])));
        assert!(all.contains(&(at(UNKNOWN_PLACE, 2023), vec![1])));
        // No sensitive area, no secrets.
        assert!(secrets(&atoms, &[], &BTreeSet::new()).is_empty());
    }
}
