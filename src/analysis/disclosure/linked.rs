//! Suppression decided for every published count of a report at once.
//!
//! The report's tables are linked: the same incidents are counted per area and year, per
//! month, per place, in the all-incidents area and in each focus place, so a count
//! hidden in one table can be worked out from others. Here every published count is a
//! set of atoms (see [`super::audit`]), and hiding is decided over all of them together:
//!
//! 1. *Primary*: every count from 1 to k − 1 is hidden ("<k").
//! 2. *Secondary*, repeated until the exact audit finds nothing: for every hidden small
//!    count the published figures pin, another count is hidden (".."). It is taken
//!    from the smallest published count that contains the pinned one and has no other
//!    hidden part (that count minus its visible parts gives the pinned one away), else
//!    from the smallest containing count at all: the smallest visible count of at
//!    least k inside it that shares no incident with the pinned one. Hiding only ever
//!    widens what a reader can work out, so counts found safe stay safe and only the
//!    pinned ones are audited again.
//! 3. When nothing is left to hide around a pinned count (two hidden 1s whose hidden
//!    total is 2 pin each other whatever else is hidden), the count is *withheld*: it is
//!    shown as ".." and tells a reader nothing, not even that it is at least 1.

use super::audit::{audit_guarded, AuditError, Equation, Known};
use super::is_small;

/// How one published count is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Shown as it is.
    Shown,
    /// Hidden because it is small (1 … k − 1): "<k".
    Small,
    /// Hidden (a count of at least k) so that a small one cannot be worked out: "..".
    Protective,
    /// A small count hidden without telling that it is small: "..".
    Withheld,
}

/// What a reader knows of a count with this status, by the published marks.
pub fn knowledge(status: Status, value: i64, k: i64) -> Known {
    match status {
        Status::Shown => Known::Exact(value),
        Status::Small => Known::Small { below: k },
        Status::Protective => Known::AtLeast(k),
        Status::Withheld => Known::AtLeast(0),
    }
}

/// Decides how every published count is shown. `atom_counts` are the finest counts,
/// `cells` the published counts as sets of atom indices, `k` the threshold (at least
/// 3: with k = 2 the mark "<2" would itself tell the count). Returns one status per
/// cell; the exact audit of the result finds no hidden small count with fewer than two
/// possible values.
pub fn protect(
    atom_counts: &[i64],
    cells: &[Vec<usize>],
    k: i64,
) -> Result<Vec<Status>, AuditError> {
    assert!(
        k >= 3,
        "the threshold is checked to be at least 3 before this"
    );
    let values: Vec<i64> = cells
        .iter()
        .map(|atoms| atoms.iter().map(|&a| atom_counts[a]).sum())
        .collect();
    let mut status: Vec<Status> = values
        .iter()
        .map(|&n| {
            if is_small(n, k) {
                Status::Small
            } else {
                Status::Shown
            }
        })
        .collect();
    let index = AtomIndex::new(atom_counts.len(), cells);
    let mut pending: Vec<bool> = status.iter().map(|s| *s == Status::Small).collect();
    let pinned = |status: &[Status], cell: usize| -> Result<Option<f64>, AuditError> {
        let equations = equations(cells, &values, status, k);
        Ok(
            audit_guarded(atom_counts.len(), &equations, move |c| c == cell)?
                .first()
                .map(|l| l.high),
        )
    };
    loop {
        let equations = equations(cells, &values, &status, k);
        let wanted = pending.clone();
        let leaks = audit_guarded(atom_counts.len(), &equations, move |c| wanted[c])?;
        if leaks.is_empty() {
            return Ok(status);
        }
        pending = vec![false; cells.len()];
        for leak in &leaks {
            pending[leak.cell] = true;
            // An earlier choice of this round may already have freed it.
            let Some(at) = pinned(&status, leak.cell)? else {
                continue;
            };
            // Pinned at 1, it can only move up if a hidden partner can move down, so
            // the partner must be above k; pinned higher, any count of k or more helps.
            let least = if at < 1.5 { k + 1 } else { k };
            let candidates = candidates(&index, cells, &values, &status, leak.cell, least);
            let mut chosen = None;
            for &c in candidates.iter().take(TRIALS) {
                let mut trial = status.clone();
                trial[c] = Status::Protective;
                if pinned(&trial, leak.cell)?.is_none() {
                    chosen = Some(c);
                    break;
                }
            }
            match chosen.or_else(|| candidates.first().copied()) {
                Some(c) => status[c] = Status::Protective,
                None => status[leak.cell] = Status::Withheld,
            }
        }
    }
}

/// How many partners are tried, best first, for one pinned count before the best is
/// taken anyway (the next round goes on from there).
const TRIALS: usize = 4;

/// The published counts as a reader sees them.
pub fn equations(cells: &[Vec<usize>], values: &[i64], status: &[Status], k: i64) -> Vec<Equation> {
    cells
        .iter()
        .zip(values)
        .zip(status)
        .map(|((atoms, &value), &s)| Equation {
            atoms: atoms.clone(),
            known: knowledge(s, value, k),
        })
        .collect()
}

/// Which cells each atom lies in.
struct AtomIndex {
    cells_of: Vec<Vec<usize>>,
}

impl AtomIndex {
    fn new(atoms: usize, cells: &[Vec<usize>]) -> AtomIndex {
        let mut cells_of = vec![Vec::new(); atoms];
        for (c, list) in cells.iter().enumerate() {
            for &a in list {
                if cells_of[a].last() != Some(&c) {
                    cells_of[a].push(c);
                }
            }
        }
        AtomIndex { cells_of }
    }

    /// Cells whose atoms include all of `atoms` (the cell itself among them).
    fn containing(&self, atoms: &[usize]) -> Vec<usize> {
        let Some(first) = atoms.first() else {
            return Vec::new();
        };
        self.cells_of[*first]
            .iter()
            .copied()
            .filter(|&c| {
                atoms
                    .iter()
                    .all(|a| self.cells_of[*a].binary_search(&c).is_ok())
            })
            .collect()
    }

    /// Cells all of whose atoms lie in `within`, sharing none with `apart`.
    fn inside_apart(&self, cells: &[Vec<usize>], within: &[usize], apart: &[usize]) -> Vec<usize> {
        let inside: std::collections::HashSet<usize> = within.iter().copied().collect();
        let away: std::collections::HashSet<usize> = apart.iter().copied().collect();
        let mut found: Vec<usize> = within
            .iter()
            .flat_map(|a| self.cells_of[*a].iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        found.retain(|&c| {
            !cells[c].is_empty()
                && cells[c].iter().all(|a| inside.contains(a))
                && !cells[c].iter().any(|a| away.contains(a))
        });
        found
    }
}

/// Counts that could be hidden to free a pinned `cell`, best first: visible counts of
/// at least `least` inside a count that contains the cell and shares no incident with
/// it, from the smallest such container (where subtraction is most direct) outwards,
/// the smallest value first; then visible containers themselves.
fn candidates(
    index: &AtomIndex,
    cells: &[Vec<usize>],
    values: &[i64],
    status: &[Status],
    cell: usize,
    least: i64,
) -> Vec<usize> {
    let mut containers: Vec<usize> = index
        .containing(&cells[cell])
        .into_iter()
        .filter(|&c| c != cell && cells[c].len() > cells[cell].len())
        .collect();
    containers.sort_by_key(|&c| (cells[c].len(), c));
    let visible = |c: &usize| status[*c] == Status::Shown && values[*c] >= least;
    let mut out: Vec<usize> = Vec::new();
    for &c in &containers {
        let mut part: Vec<usize> = index
            .inside_apart(cells, &cells[c], &cells[cell])
            .into_iter()
            .filter(visible)
            .collect();
        part.sort_by_key(|&p| (values[p], cells[p].len(), p));
        for p in part {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.extend(containers.iter().copied().filter(visible));
    out
}

#[cfg(test)]
mod tests {
    use super::super::audit::audit;
    use super::*;

    /// Body cells r * cols + c, then row totals, column totals and the grand total.
    fn two_way(rows: usize, cols: usize) -> Vec<Vec<usize>> {
        let mut cells: Vec<Vec<usize>> = (0..rows * cols).map(|a| vec![a]).collect();
        cells.extend((0..rows).map(|r| (0..cols).map(|c| r * cols + c).collect()));
        cells.extend((0..cols).map(|c| (0..rows).map(|r| r * cols + c).collect()));
        cells.push((0..rows * cols).collect());
        cells
    }

    fn audited(counts: &[i64], cells: &[Vec<usize>], status: &[Status]) -> usize {
        let values: Vec<i64> = cells
            .iter()
            .map(|a| a.iter().map(|&i| counts[i]).sum())
            .collect();
        audit(counts.len(), &equations(cells, &values, status, 3))
            .unwrap()
            .len()
    }

    #[test]
    fn the_two_margin_counter_example_is_protected() {
        let counts = [5, 3, 4, 2, 6, 3, 5, 1, 1, 0];
        let cells = two_way(5, 2);
        let status = protect(&counts, &cells, 3).unwrap();
        assert_eq!(audited(&counts, &cells, &status), 0, "{status:?}");
        for (c, atoms) in cells.iter().enumerate() {
            let n: i64 = atoms.iter().map(|&a| counts[a]).sum();
            if is_small(n, 3) {
                assert_ne!(status[c], Status::Shown, "small count {c} shown");
            }
        }
    }

    #[test]
    fn two_ones_in_a_hidden_two_are_withheld() {
        // A total of 2 made of 1 + 1 (and a zero): each mark "<3" would pin them.
        let counts = [1, 1, 0];
        let cells = vec![vec![0], vec![1], vec![2], vec![0, 1, 2]];
        let status = protect(&counts, &cells, 3).unwrap();
        assert_eq!(audited(&counts, &cells, &status), 0, "{status:?}");
        assert!(status.contains(&Status::Withheld));
        assert_eq!(status[2], Status::Shown, "a zero stays");
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let counts = [5, 7, 0, 9];
        let cells = two_way(2, 2);
        assert!(protect(&counts, &cells, 3)
            .unwrap()
            .iter()
            .all(|s| *s == Status::Shown));
    }

    /// Random three-way data (area × place × month), published as linked tables: area ×
    /// place with both margins, area × month with its totals, an all-areas row per place
    /// and per month, as a report does. After `protect`, the exact audit finds no
    /// pinned small count, and no small count is shown.
    #[test]
    fn random_linked_tables_are_protected() {
        let mut random = crate::random::SplitMix(2026);
        for case in 0..150 {
            let (areas, places, months) = (
                1 + random.below(3),
                1 + random.below(4),
                1 + random.below(4),
            );
            let atom = |a: usize, p: usize, m: usize| (a * places + p) * months + m;
            let counts: Vec<i64> = (0..areas * places * months)
                .map(|_| match random.below(4) {
                    0 => 0,
                    1 => 1 + random.below(2) as i64,
                    _ => random.below(9) as i64,
                })
                .collect();
            let mut cells: Vec<Vec<usize>> = Vec::new();
            let select = |fa: &dyn Fn(usize) -> bool,
                          fp: &dyn Fn(usize) -> bool,
                          fm: &dyn Fn(usize) -> bool| {
                let mut v = Vec::new();
                for a in (0..areas).filter(|a| fa(*a)) {
                    for p in (0..places).filter(|p| fp(*p)) {
                        for m in (0..months).filter(|m| fm(*m)) {
                            v.push(atom(a, p, m));
                        }
                    }
                }
                v
            };
            for a in 0..areas {
                for p in 0..places {
                    cells.push(select(&|x| x == a, &|x| x == p, &|_| true));
                }
                for m in 0..months {
                    cells.push(select(&|x| x == a, &|_| true, &|x| x == m));
                }
                cells.push(select(&|x| x == a, &|_| true, &|_| true));
            }
            for p in 0..places {
                cells.push(select(&|_| true, &|x| x == p, &|_| true));
            }
            for m in 0..months {
                cells.push(select(&|_| true, &|_| true, &|x| x == m));
            }
            cells.push(select(&|_| true, &|_| true, &|_| true));
            let status = protect(&counts, &cells, 3).unwrap();
            assert_eq!(
                audited(&counts, &cells, &status),
                0,
                "case {case}: {counts:?} {status:?}"
            );
            for (c, atoms) in cells.iter().enumerate() {
                let n: i64 = atoms.iter().map(|&a| counts[a]).sum();
                assert!(
                    !is_small(n, 3) || status[c] != Status::Shown,
                    "case {case}: small count shown"
                );
            }
        }
    }
}
