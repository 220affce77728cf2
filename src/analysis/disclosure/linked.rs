//! Suppression decided for every published count of a report at once.
//!
//! The report's tables are linked: the same incidents are counted per area and year, per
//! month, per place, in the all-incidents area and in each focus place, so a count
//! hidden in one table can be worked out from others. Here every published count is a
//! set of atoms (see [`super::audit`]), and hiding is decided over all of them together:
//!
//! 1. *Primary*: every count from 1 to k − 1 is hidden ("<k").
//! 2. *Secondary*, repeated until the exact audit finds nothing: for every hidden small
//!    count the published figures pin, a *swap* is found – one incident moved from one
//!    atom to another (x + 1, y − 1, or the other way) that changes the pinned count and
//!    keeps every still-visible published count the same – and the fewest and smallest
//!    visible counts that the swap changes are hidden (".."). The swap is then a second
//!    solution the reader cannot tell from the true one, so the pinned count has two
//!    possible values. Hiding only ever widens what a reader can work out, so counts
//!    found safe stay safe, a count freed by its swap stays free (the swap is the proof:
//!    two whole-number solutions), and only counts step 3 dealt with are audited again.
//! 3. When no swap exists (two hidden 1s whose hidden total is 2 pin each other whatever
//!    else is hidden), the count is *withheld*: shown as "..", which does not say that
//!    it is at least 1, and audited like a small count.

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
    /// A count never published (a sensitive area at a place) that must not be worked
    /// out from what is.
    Secret,
}

/// What a reader knows of a count with this status, by the published marks.
pub fn knowledge(status: Status, value: i64, k: i64) -> Known {
    match status {
        Status::Shown => Known::Exact(value),
        Status::Small => Known::Small { below: k },
        Status::Protective => Known::AtLeast(k),
        Status::Withheld => Known::Withheld,
        Status::Secret => Known::Secret,
    }
}

/// Decides how every published count is shown. `atom_counts` are the finest counts,
/// `cells` the published counts as sets of atom indices, `weights` how much it costs
/// readers to lose each count (a yearly total more than a month), `grid` where each
/// atom lies when atoms form a grid (more moves to try), `secret` the counts never
/// published that must not be worked out either (when at least 1), `k` the threshold
/// (at least 3: with k = 2 the mark "<2" would itself tell the count). Returns one
/// status per cell; every hidden small count of the result has two possible values,
/// shown either by the exact audit or by a swap (two whole-number solutions; a count
/// the audit's rounding called pinned is then still safe, and not hidden further).
pub fn protect(
    atom_counts: &[i64],
    cells: &[Vec<usize>],
    weights: &[i64],
    grid: Option<&Grid>,
    secret: &[bool],
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
        .enumerate()
        .map(|(c, &n)| {
            if secret.get(c).copied().unwrap_or(false) {
                Status::Secret
            } else if is_small(n, k) {
                Status::Small
            } else {
                Status::Shown
            }
        })
        .collect();
    let index = AtomIndex::new(atom_counts.len(), cells, weights, &values);
    let mut pending: Vec<bool> = status
        .iter()
        .zip(&values)
        .map(|(s, &n)| *s == Status::Small || (*s == Status::Secret && n >= 1))
        .collect();
    loop {
        // Counts freed by a swap need no audit: the swap itself is a second solution.
        if !pending.contains(&true) {
            return Ok(status);
        }
        let equations = equations(cells, &values, &status, k);
        let wanted = pending.clone();
        let leaks = audit_guarded(atom_counts.len(), &equations, Some(atom_counts), move |c| {
            wanted[c]
        })?;
        if leaks.is_empty() {
            return Ok(status);
        }
        pending = vec![false; cells.len()];
        let before = status.clone();
        let mut unresolved = Vec::new();
        for leak in &leaks {
            let swap = Swap {
                index: &index,
                grid,
                cells,
                weights,
                values: &values,
                status: &status,
                counts: atom_counts,
                k,
            };
            match swap.cheapest(leak.cell) {
                // The swap changes the pinned count and, with what it changes hidden,
                // no visible count, and whatever is hidden later only widens what the
                // figures allow: the count has two possible values for good, so it is
                // not audited again.
                Some(hide) if !hide.is_empty() => {
                    for c in hide {
                        status[c] = status[c].max(Status::Protective);
                    }
                }
                // No swap, or one that needs nothing hidden (the solver's rounding):
                // a small count containing it stops saying it is below k, else it
                // does so itself, else a visible count containing it is hidden; the
                // audit then looks at the count again.
                _ => {
                    pending[leak.cell] = true;
                    match stuck_fallback(&index, cells, &values, &status, leak.cell, k) {
                        Some((c, to)) => status[c] = to,
                        None => unresolved.push(leak.cell),
                    }
                }
            }
        }
        // A count nothing could be done for may be freed by what this round hid for
        // others; only a round that changes nothing is the end.
        if status == before {
            return Err(AuditError::Solver(format!(
                "kan inte skydda de dolda antalen nr {unresolved:?} (ingen omfördelning finns)"
            )));
        }
    }
}

/// What to hide when no move frees a pinned `cell`: the smallest small count that
/// contains it, withheld (two hidden 1s in a hidden 2 are then free); else the cell
/// itself withheld; else the smallest visible count containing it.
fn stuck_fallback(
    index: &AtomIndex,
    cells: &[Vec<usize>],
    values: &[i64],
    status: &[Status],
    cell: usize,
    k: i64,
) -> Option<(usize, Status)> {
    let first = *cells[cell].first()?;
    let mut containers: Vec<usize> = index.cells_of[first]
        .iter()
        .copied()
        .filter(|&c| {
            c != cell
                && cells[c].len() > cells[cell].len()
                && cells[cell]
                    .iter()
                    .all(|a| index.cells_of[*a].binary_search(&c).is_ok())
        })
        .collect();
    containers.sort_by_key(|&c| (cells[c].len(), c));
    containers
        .iter()
        .find(|&&c| status[c] == Status::Small)
        .map(|&c| (c, Status::Withheld))
        .or_else(|| (status[cell] == Status::Small).then_some((cell, Status::Withheld)))
        .or_else(|| {
            containers
                .iter()
                .find(|&&c| status[c] == Status::Shown && values[c] >= k)
                .map(|&c| (c, Status::Protective))
        })
}

/// The search for the cheapest swap that frees a pinned count.
struct Swap<'a> {
    index: &'a AtomIndex,
    grid: Option<&'a Grid>,
    cells: &'a [Vec<usize>],
    weights: &'a [i64],
    values: &'a [i64],
    status: &'a [Status],
    counts: &'a [i64],
    k: i64,
}

impl Swap<'_> {
    /// The visible counts to hide so that incidents can move in a way that changes
    /// `cell` and no visible count; `None` when no such move exists. Tried: one
    /// incident from any atom to any atom sharing a published count with it, and –
    /// where atoms lie on a grid (set of areas × place-and-month) – rectangles of four
    /// atoms (x + 1, y − 1 in one row; z − 1, w + 1 in another row, same columns), which
    /// leave every column total and row total as it is. The cheapest hides the least
    /// weighted sum of counts.
    fn cheapest(&self, cell: usize) -> Option<Vec<usize>> {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicI64, Ordering};
        // Every pair of atoms (x in the cell, y sharing a published count with x),
        // in the order the moves are numbered by: the cheapest move wins, and
        // of equally cheap ones the first, so the choice does not depend on the order
        // the pairs are tried in, and they are tried in parallel.
        let pairs: Vec<(usize, usize)> = self.cells[cell]
            .iter()
            .flat_map(|&x| self.partners(x).into_iter().map(move |y| (x, y)))
            .collect();
        // The cheapest cost found by any thread: moves dearer than it are given up
        // early. Only moves strictly dearer are, so ties are still decided by order.
        let bound = AtomicI64::new(i64::MAX);
        pairs
            .par_iter()
            .enumerate()
            .map_init(Vec::new, |hide, (at, &(x, y))| {
                let mut best: Option<Found> = None;
                let mut try_move = |moves: &[(usize, i64)], number: usize| {
                    let limit = bound.load(Ordering::Relaxed);
                    if let Some(cost) = self.hide_for(cell, moves, limit, hide) {
                        bound.fetch_min(cost.0, Ordering::Relaxed);
                        let found = Found {
                            cost,
                            order: (at, number),
                            hide: hide.clone(),
                        };
                        if best.as_ref().is_none_or(|b| found.beats(b)) {
                            best = Some(found);
                        }
                    }
                };
                let mut number = 0;
                for step in [1i64, -1] {
                    try_move(&[(x, step), (y, -step)], number);
                    number += 1;
                    if let Some(grid) = &self.grid {
                        let ((rx, cx), (ry, cy)) = (grid.coord[x], grid.coord[y]);
                        if rx != ry || cx == cy {
                            continue;
                        }
                        for (z, w) in grid.other_rows(rx, cx, cy) {
                            try_move(&[(x, step), (y, -step), (z, -step), (w, step)], number);
                            number += 1;
                        }
                    }
                }
                best
            })
            .reduce(
                || None,
                |a, b| match (a, b) {
                    (Some(a), Some(b)) => Some(if b.beats(&a) { b } else { a }),
                    (a, b) => a.or(b),
                },
            )
            .map(|found| found.hide)
    }

    /// The atoms other than `x` that share a published count with `x`, in order.
    fn partners(&self, x: usize) -> Vec<usize> {
        let mut partners: Vec<usize> = self.index.cells_of[x]
            .iter()
            .flat_map(|&c| self.cells[c].iter().copied())
            .filter(|&y| y != x)
            .collect();
        partners.sort_unstable();
        partners.dedup();
        partners
    }

    /// For incidents moved as `moves` (at most four: atom, change): puts the visible
    /// counts to hide in `hide` (in cell order) and returns the cost of hiding them
    /// (weighted sum of counts, number of counts); `None` when an atom would go below
    /// zero, `cell` would not change, a count the move changes cannot take its new
    /// value, or the cost would exceed `limit`.
    fn hide_for(
        &self,
        cell: usize,
        moves: &[(usize, i64)],
        limit: i64,
        hide: &mut Vec<usize>,
    ) -> Option<(i64, usize)> {
        if moves.iter().any(|&(a, d)| self.counts[a] + d < 0) {
            return None;
        }
        hide.clear();
        let (mut cost, mut changes_cell) = (0i64, false);
        // The atoms' lists of cells are in the same order, dearest count first:
        // walked together, each published count's net change comes in that order, and
        // the walk stops at the first count that rules the move out, which a dear
        // count does soonest.
        debug_assert!(moves.len() <= 4, "a move trades between two or four atoms");
        let mut lists: [&[u32]; 4] = [&[]; 4];
        for (list, &(a, _)) in lists.iter_mut().zip(moves) {
            *list = &self.index.ranked_of[a];
        }
        let mut at = [0usize; 4];
        loop {
            let next = (0..moves.len()).filter_map(|m| lists[m].get(at[m])).min();
            let Some(&rank) = next else { break };
            let mut d = 0;
            for m in 0..moves.len() {
                if lists[m].get(at[m]) == Some(&rank) {
                    d += moves[m].1;
                    at[m] += 1;
                }
            }
            if d == 0 {
                continue;
            }
            let c = self.index.cell_at[rank as usize];
            changes_cell |= c == cell;
            let after = self.values[c] + d;
            let fits = match self.status[c] {
                Status::Shown => {
                    // Hidden as "..", which says "at least k" of it.
                    hide.push(c);
                    cost += self.weights[c] * self.values[c];
                    self.values[c] >= self.k && after >= self.k
                }
                Status::Small => after >= 1 && after < self.k,
                Status::Protective => after >= self.k,
                Status::Withheld => after >= 1,
                Status::Secret => after >= 0,
            };
            if !fits || cost > limit {
                return None;
            }
        }
        hide.sort_unstable();
        changes_cell.then_some((cost, hide.len()))
    }
}

/// A move that frees a pinned count: what it costs, where it comes in the order moves
/// are numbered by (pair, then move within the pair), and the counts it hides.
struct Found {
    cost: (i64, usize),
    order: (usize, usize),
    hide: Vec<usize>,
}

impl Found {
    /// Cheaper, or as cheap and earlier.
    fn beats(&self, other: &Found) -> bool {
        (self.cost, self.order) < (other.cost, other.order)
    }
}

/// Atoms laid out on a grid: a row per set of areas, a column per place and month.
/// Four atoms at the corners of a rectangle can trade incidents without changing any
/// row's or column's total.
pub struct Grid {
    /// (row, column) of each atom.
    pub coord: Vec<(usize, usize)>,
    /// Per column, its atoms as (row, atom), in row order.
    columns: Vec<Vec<(usize, usize)>>,
}

impl Grid {
    /// A grid from each atom's (row, column).
    pub fn new(coord: Vec<(usize, usize)>) -> Grid {
        let width = coord.iter().map(|rc| rc.1 + 1).max().unwrap_or(0);
        let mut columns: Vec<Vec<(usize, usize)>> = vec![Vec::new(); width];
        for (a, &(r, c)) in coord.iter().enumerate() {
            columns[c].push((r, a));
        }
        for column in &mut columns {
            column.sort_unstable();
        }
        Grid { coord, columns }
    }

    /// The atoms (z, w) of columns `cx` and `cy` in the same row, for every row other
    /// than `row` where both columns have one, in row order: the far corners of the
    /// rectangles through two atoms of `row`.
    fn other_rows(
        &self,
        row: usize,
        cx: usize,
        cy: usize,
    ) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (mut left, mut right) = (
            self.columns[cx].iter().peekable(),
            self.columns[cy].iter().peekable(),
        );
        std::iter::from_fn(move || loop {
            let (&&(r1, z), &&(r2, w)) = (left.peek()?, right.peek()?);
            match r1.cmp(&r2) {
                std::cmp::Ordering::Less => {
                    left.next();
                }
                std::cmp::Ordering::Greater => {
                    right.next();
                }
                std::cmp::Ordering::Equal => {
                    left.next();
                    right.next();
                    if r1 != row {
                        return Some((z, w));
                    }
                }
            }
        })
    }
}

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
    /// Per atom, its cells in cell order.
    cells_of: Vec<Vec<usize>>,
    /// Per atom, its cells by rank: dearest to hide first (weight × count, then cell
    /// order), as ranks ([`AtomIndex::cell_at`] gives the cell).
    ranked_of: Vec<Vec<u32>>,
    /// The cell of each rank.
    cell_at: Vec<usize>,
}

impl AtomIndex {
    /// The index of `atoms` atoms in `cells`, ranked by what it costs to hide each
    /// cell (`weights` × `values`).
    fn new(atoms: usize, cells: &[Vec<usize>], weights: &[i64], values: &[i64]) -> AtomIndex {
        let mut cells_of = vec![Vec::new(); atoms];
        for (c, list) in cells.iter().enumerate() {
            for &a in list {
                if cells_of[a].last() != Some(&c) {
                    cells_of[a].push(c);
                }
            }
        }
        let mut cell_at: Vec<usize> = (0..cells.len()).collect();
        // Only the order depends on the weights: a cell without one goes last.
        let dearness = |c: usize| weights.get(c).map_or(0, |w| w * values[c]);
        cell_at.sort_by_key(|&c| (std::cmp::Reverse(dearness(c)), c));
        let mut rank_of = vec![0u32; cells.len()];
        for (rank, &c) in cell_at.iter().enumerate() {
            rank_of[c] = u32::try_from(rank).expect("fewer than 4 billion published counts");
        }
        let ranked_of = cells_of
            .iter()
            .map(|list| {
                let mut ranks: Vec<u32> = list.iter().map(|&c| rank_of[c]).collect();
                ranks.sort_unstable();
                ranks
            })
            .collect();
        AtomIndex {
            cells_of,
            ranked_of,
            cell_at,
        }
    }
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
        let status = protect(&counts, &cells, &vec![1; cells.len()], None, &[], 3).unwrap();
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
        let status = protect(&counts, &cells, &vec![1; cells.len()], None, &[], 3).unwrap();
        assert_eq!(audited(&counts, &cells, &status), 0, "{status:?}");
        assert!(status.contains(&Status::Withheld));
        assert_eq!(status[2], Status::Shown, "a zero stays");
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let counts = [5, 7, 0, 9];
        let cells = two_way(2, 2);
        assert!(protect(&counts, &cells, &[1; 9], None, &[], 3)
            .unwrap()
            .iter()
            .all(|s| *s == Status::Shown));
    }

    /// The search as it was before it ran in parallel: every move in order, the first
    /// strictly cheaper one kept.
    fn cheapest_in_order(swap: &Swap, cell: usize) -> Option<Vec<usize>> {
        let mut best: Option<((i64, usize), Vec<usize>)> = None;
        let mut hide = Vec::new();
        let mut consider = |moves: &[(usize, i64)]| {
            if let Some(cost) = swap.hide_for(cell, moves, i64::MAX, &mut hide) {
                if best.as_ref().is_none_or(|(b, _)| cost < *b) {
                    best = Some((cost, hide.clone()));
                }
            }
        };
        for &x in &swap.cells[cell] {
            for y in swap.partners(x) {
                for step in [1i64, -1] {
                    consider(&[(x, step), (y, -step)]);
                    let grid = swap.grid.unwrap();
                    let ((rx, cx), (ry, cy)) = (grid.coord[x], grid.coord[y]);
                    if rx != ry || cx == cy {
                        continue;
                    }
                    for (z, w) in grid.other_rows(rx, cx, cy) {
                        consider(&[(x, step), (y, -step), (z, -step), (w, step)]);
                    }
                }
            }
        }
        best.map(|(_, hide)| hide)
    }

    /// The parallel search, which gives up dear moves early and breaks ties by the
    /// moves' order, chooses what the plain search in order chooses: weights of 1 and
    /// 2 make many moves cost the same.
    #[test]
    fn the_parallel_search_chooses_as_the_search_in_order() {
        let mut random = crate::random::SplitMix(18);
        let mut compared = 0;
        for _ in 0..60 {
            let (rows, cols) = (2 + random.below(4), 2 + random.below(5));
            let cells = two_way(rows, cols);
            let counts: Vec<i64> = (0..rows * cols)
                .map(|_| match random.below(3) {
                    0 => 1 + random.below(2) as i64,
                    _ => random.below(12) as i64,
                })
                .collect();
            let values: Vec<i64> = cells
                .iter()
                .map(|a| a.iter().map(|&i| counts[i]).sum())
                .collect();
            let status: Vec<Status> = values
                .iter()
                .map(|&n| match (is_small(n, 3), random.below(6)) {
                    (true, _) => Status::Small,
                    (false, 0) if n >= 3 => Status::Protective,
                    _ => Status::Shown,
                })
                .collect();
            let weights: Vec<i64> = (0..cells.len())
                .map(|_| 1 + random.below(2) as i64)
                .collect();
            let grid = Grid::new((0..rows * cols).map(|a| (a / cols, a % cols)).collect());
            let index = AtomIndex::new(counts.len(), &cells, &weights, &values);
            let swap = Swap {
                index: &index,
                grid: Some(&grid),
                cells: &cells,
                weights: &weights,
                values: &values,
                status: &status,
                counts: &counts,
                k: 3,
            };
            for cell in (0..cells.len()).filter(|&c| status[c] == Status::Small) {
                assert_eq!(
                    swap.cheapest(cell),
                    cheapest_in_order(&swap, cell),
                    "cell {cell}: {counts:?} {status:?} {weights:?}"
                );
                compared += 1;
            }
        }
        assert!(compared > 100, "only {compared} searches compared");
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
            // Every other case with the atoms' grid (areas × place-and-month), so that
            // both kinds of moves are exercised.
            let grid = Grid::new(
                (0..areas * places * months)
                    .map(|a| (a / (places * months), a % (places * months)))
                    .collect(),
            );
            let grid = (case % 2 == 0).then_some(&grid);
            let status = protect(&counts, &cells, &vec![1; cells.len()], grid, &[], 3).unwrap();
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
