//! Near repeats: the Knox test as in Ratcliffe's Near Repeat Calculator. Are pairs of
//! incidents close in space also close in time more often than chance gives?
//!
//! For every distance band × time band, the observed number of pairs is set against
//! the number expected when the times are shuffled among the incidents (Monte Carlo
//! permutations, places kept): expected = the mean over permutations, ratio =
//! observed / expected, p = (1 + permutations with at least the observed count) /
//! (1 + permutations).
//!
//! Speed: the pairs within the largest distance are found once from an R*-tree; each
//! permutation only re-reads the time gaps of those pairs, so the work is linear in
//! the number of close pairs. Permutations run in parallel, each with its own seed
//! derived from the run's seed and its number, so the result is the same on any number
//! of cores.

use rayon::prelude::*;
use rstar::{primitives::GeomWithData, RTree};

use crate::random::SplitMix;

/// An incident: SWEREF 99 TM position (metres) and time (days).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// Easting.
    pub x: f64,
    /// Northing.
    pub y: f64,
    /// Time in days (any origin).
    pub t: f64,
}

/// One cell of the Knox table.
#[derive(Debug, Clone, PartialEq)]
pub struct KnoxCell {
    /// Distance band (metres), lower (exclusive, 0 inclusive) and upper (inclusive).
    pub distance: (f64, f64),
    /// Time band (days), lower (exclusive, 0 inclusive) and upper (inclusive).
    pub days: (f64, f64),
    /// Pairs observed.
    pub observed: u64,
    /// Mean over the permutations.
    pub expected: f64,
    /// observed / expected (`None` when expected is 0).
    pub ratio: Option<f64>,
    /// (1 + permutations ≥ observed) / (1 + permutations).
    pub p_value: f64,
}

/// The incidents of `incidents` with a position, as events (time in days since
/// 1970), and how many had none (left out, counted).
pub fn events_of(
    incidents: &polars::prelude::DataFrame,
) -> polars::prelude::PolarsResult<(Vec<Event>, usize)> {
    let (events, without) = located_events(incidents)?;
    Ok((events.into_iter().map(|(_, e)| e).collect(), without))
}

/// Like [`events_of`], with each event's row in `incidents`.
pub fn located_events(
    incidents: &polars::prelude::DataFrame,
) -> polars::prelude::PolarsResult<(Vec<(usize, Event)>, usize)> {
    let at = incidents.column("occurred_at")?.datetime()?;
    let mut events = Vec::new();
    let mut without = 0;
    for (i, point) in super::located(incidents)?.into_iter().enumerate() {
        match (point, at.phys.get(i)) {
            (Some((x, y)), Some(ms)) => events.push((
                i,
                Event {
                    x,
                    y,
                    t: ms as f64 / 86_400_000.0,
                },
            )),
            _ => without += 1,
        }
    }
    Ok((events, without))
}

/// Which bands of `table` show a near repeat: significant at `alpha` after Holm's
/// correction for testing every band of the table (nine bands at 5 % would otherwise
/// give a false alarm in about every third table of random data), and at least 20 %
/// more pairs than chance gives (Ratcliffe's rule for a meaningful pattern).
pub fn near_repeats(table: &[KnoxCell], alpha: f64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..table.len()).collect();
    order.sort_by(|&a, &b| {
        table[a]
            .p_value
            .total_cmp(&table[b].p_value)
            .then(a.cmp(&b))
    });
    let m = table.len();
    let mut significant = vec![false; m];
    for (rank, &i) in order.iter().enumerate() {
        // Holm: the k-th smallest p-value is compared with alpha / (m − k); the first
        // that fails stops the procedure.
        if table[i].p_value > alpha / (m - rank) as f64 {
            break;
        }
        significant[i] = true;
    }
    significant
        .into_iter()
        .zip(table)
        .map(|(s, c)| s && c.ratio.is_some_and(|r| r >= 1.2))
        .collect()
}

/// Chains of near repeats: the events from time `from` on, linked when a pair of them
/// lies in a band of `table` that shows a near repeat at `alpha` ([`near_repeats`]), grouped into
/// connected chains (two or more events each, as indices into `events`, in time
/// order; chains ordered by their first event).
pub fn chains(events: &[Event], table: &[KnoxCell], alpha: f64, from: f64) -> Vec<Vec<usize>> {
    let linking: Vec<&KnoxCell> = table
        .iter()
        .zip(near_repeats(table, alpha))
        .filter_map(|(c, near)| near.then_some(c))
        .collect();
    let Some(max_distance) = linking.iter().map(|c| c.distance.1).reduce(f64::max) else {
        return Vec::new();
    };
    let recent: Vec<usize> = (0..events.len()).filter(|&i| events[i].t >= from).collect();
    let subset: Vec<Event> = recent.iter().map(|&i| events[i]).collect();
    let in_band = |value: f64, (low, high): (f64, f64)| {
        (value > low || (low == 0.0 && value >= 0.0)) && value <= high
    };
    // Union–find over the recent events.
    let mut parent: Vec<usize> = (0..subset.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, j, _) in close_pairs(&subset, &[max_distance]) {
        let (a, b) = (subset[i as usize], subset[j as usize]);
        let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
        let gap = (a.t - b.t).abs();
        if linking
            .iter()
            .any(|c| in_band(d, c.distance) && in_band(gap, c.days))
        {
            let (ri, rj) = (root(&mut parent, i as usize), root(&mut parent, j as usize));
            parent[ri.max(rj)] = ri.min(rj);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (k, incident) in recent.iter().enumerate() {
        let r = root(&mut parent, k);
        groups.entry(r).or_default().push(*incident);
    }
    let mut out: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|g| g.len() >= 2)
        .map(|mut g| {
            g.sort_by(|&a, &b| events[a].t.total_cmp(&events[b].t).then(a.cmp(&b)));
            g
        })
        .collect();
    out.sort_by(|a, b| events[a[0]].t.total_cmp(&events[b[0]].t).then(a.cmp(b)));
    out
}

/// The band of `value` among upper limits `limits` (ascending): the first limit at or
/// above it.
fn band(value: f64, limits: &[f64]) -> Option<usize> {
    limits.iter().position(|&l| value <= l)
}

/// Pairs (i, j, distance band) of events within the largest distance.
fn close_pairs(events: &[Event], distances: &[f64]) -> Vec<(u32, u32, u8)> {
    let Some(&max) = distances.last() else {
        return Vec::new();
    };
    let tree = RTree::bulk_load(
        events
            .iter()
            .enumerate()
            .map(|(i, e)| GeomWithData::new([e.x, e.y], i as u32))
            .collect(),
    );
    let mut pairs = Vec::new();
    for (i, e) in events.iter().enumerate() {
        for near in tree.locate_within_distance([e.x, e.y], max * max) {
            let j = near.data as usize;
            if j <= i {
                continue;
            }
            let d = ((events[j].x - e.x).powi(2) + (events[j].y - e.y).powi(2)).sqrt();
            if let Some(b) = band(d, distances) {
                pairs.push((i as u32, j as u32, b as u8));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Counts the close pairs per (distance band, time band) with times `times`.
fn count(pairs: &[(u32, u32, u8)], times: &[f64], days: &[f64], cells: &mut [u64]) {
    cells.iter_mut().for_each(|c| *c = 0);
    for &(i, j, d) in pairs {
        let gap = (times[i as usize] - times[j as usize]).abs();
        if let Some(t) = band(gap, days) {
            cells[d as usize * days.len() + t] += 1;
        }
    }
}

/// The Knox table of `events` for upper limits `distances` (metres) and `days`, with
/// `permutations` shuffles of the times from `seed`; rows closest band first.
pub fn knox(
    events: &[Event],
    distances: &[f64],
    days: &[f64],
    permutations: u32,
    seed: u64,
) -> Vec<KnoxCell> {
    // In one order whatever the input's, so that the same incidents give the same
    // permutations (and table) however the files or the store ordered them.
    let mut sorted = events.to_vec();
    sorted.sort_by(|a, b| {
        a.t.total_cmp(&b.t)
            .then(a.x.total_cmp(&b.x))
            .then(a.y.total_cmp(&b.y))
    });
    let events = &sorted[..];
    let pairs = close_pairs(events, distances);
    let n_cells = distances.len() * days.len();
    let times: Vec<f64> = events.iter().map(|e| e.t).collect();
    let mut observed = vec![0u64; n_cells];
    count(&pairs, &times, days, &mut observed);
    // (sum over permutations, permutations at or above the observed count).
    let (sums, above) = (0..permutations)
        .into_par_iter()
        .map(|k| {
            let mut rng = SplitMix(seed ^ (u64::from(k) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut shuffled = times.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.below(i + 1));
            }
            let mut cells = vec![0u64; n_cells];
            count(&pairs, &shuffled, days, &mut cells);
            let at_least: Vec<u64> = cells
                .iter()
                .zip(&observed)
                .map(|(c, o)| u64::from(c >= o))
                .collect();
            (cells, at_least)
        })
        .reduce(
            || (vec![0u64; n_cells], vec![0u64; n_cells]),
            |(mut s, mut a), (c, x)| {
                s.iter_mut().zip(c).for_each(|(s, c)| *s += c);
                a.iter_mut().zip(x).for_each(|(a, x)| *a += x);
                (s, a)
            },
        );
    let mut out = Vec::with_capacity(n_cells);
    for (d, &upper_d) in distances.iter().enumerate() {
        let lower_d = if d == 0 { 0.0 } else { distances[d - 1] };
        for (t, &upper_t) in days.iter().enumerate() {
            let lower_t = if t == 0 { 0.0 } else { days[t - 1] };
            let c = d * days.len() + t;
            let expected = if permutations == 0 {
                0.0
            } else {
                sums[c] as f64 / f64::from(permutations)
            };
            out.push(KnoxCell {
                distance: (lower_d, upper_d),
                days: (lower_t, upper_t),
                observed: observed[c],
                expected,
                ratio: (expected > 0.0).then(|| observed[c] as f64 / expected),
                p_value: (1.0 + above[c] as f64) / (1.0 + f64::from(permutations)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(x: f64, y: f64, t: f64) -> Event {
        Event { x, y, t }
    }

    /// Four incidents by hand: A(0,0,day 0), B(100,0,day 3), C(0,300,day 20),
    /// D(5000,0,day 1). Pairs within 400 m: A–B 100 m 3 days, A–C 300 m 20 days,
    /// B–C √(100²+300²) = 316 m 17 days. Bands 0–200, 200–400 m × 0–7, 7–28 days:
    /// (0–200, 0–7) = 1 (A–B), (200–400, 7–28) = 2 (A–C, B–C), the rest 0.
    #[test]
    fn observed_pairs_by_hand() {
        let events = [
            e(0.0, 0.0, 0.0),
            e(100.0, 0.0, 3.0),
            e(0.0, 300.0, 20.0),
            e(5000.0, 0.0, 1.0),
        ];
        let table = knox(&events, &[200.0, 400.0], &[7.0, 28.0], 99, 1);
        let observed: Vec<u64> = table.iter().map(|c| c.observed).collect();
        assert_eq!(observed, [1, 0, 0, 2]);
        assert_eq!(table[0].distance, (0.0, 200.0));
        assert_eq!(table[3].days, (7.0, 28.0));
        // p is never below 1/(1 + permutations) and never above 1.
        assert!(table.iter().all(|c| c.p_value >= 0.01 && c.p_value <= 1.0));
    }

    /// Chains by hand: A–B (100 m, 3 days) lie in the near-repeat band and are linked,
    /// B–C (100 m, 4 days) too, so A, B, C are one chain; D is 5 km away; E (50 m from
    /// A, 40 days later) is outside every band; F is before the window.
    #[test]
    fn chains_link_events_within_the_near_repeat_bands() {
        let cell = |d: (f64, f64), t: (f64, f64), p: f64, ratio: f64| KnoxCell {
            distance: d,
            days: t,
            observed: 1,
            expected: 1.0,
            ratio: Some(ratio),
            p_value: p,
        };
        let table = [
            cell((0.0, 200.0), (0.0, 7.0), 0.001, 3.0),
            cell((0.0, 200.0), (7.0, 14.0), 0.2, 1.1),
            // Significant but under Ratcliffe's 20 % rule: links nothing.
            cell((200.0, 400.0), (0.0, 7.0), 0.01, 1.1),
        ];
        // Holm over three bands: 0,001 ≤ 0,05/3 and 0,01 ≤ 0,05/2 are significant,
        // 0,2 > 0,05 is not; the ratio rule then drops the second. With 0,03 first,
        // 0,01 ≤ 0,05/3 passes but 0,03 > 0,05/2 stops the procedure.
        assert_eq!(near_repeats(&table, 0.05), [true, false, false]);
        let mut weak = table.clone();
        weak[0].p_value = 0.03;
        assert_eq!(near_repeats(&weak, 0.05), [false, false, false]);
        let events = [
            e(0.0, 0.0, 100.0),
            e(100.0, 0.0, 103.0),
            e(200.0, 0.0, 107.0),
            e(5000.0, 0.0, 101.0),
            e(50.0, 0.0, 140.0),
            e(0.0, 10.0, 50.0),
            e(500.0, 0.0, 102.0),
        ];
        assert_eq!(chains(&events, &table, 0.05, 90.0), vec![vec![0, 1, 2]]);
        // With no band a near repeat, there are no chains.
        assert!(chains(&events, &table[1..], 0.05, 90.0).is_empty());
    }

    /// A planted series (ten fires 50 m and 1 day apart) among scattered incidents is a
    /// near repeat: closest band ratio far above 1 and p at its floor; the same seed
    /// gives the same table.
    #[test]
    fn a_planted_series_is_found_and_the_seed_decides() {
        let mut rng = SplitMix(7);
        let mut events: Vec<Event> = (0..300)
            .map(|_| {
                e(
                    rng.uniform() * 20_000.0,
                    rng.uniform() * 20_000.0,
                    rng.uniform() * 365.0,
                )
            })
            .collect();
        events.extend(
            (0..10).map(|k| e(5_000.0 + 50.0 * f64::from(k), 5_000.0, 100.0 + f64::from(k))),
        );
        let table = knox(&events, &[200.0, 400.0, 800.0], &[7.0, 14.0, 28.0], 199, 42);
        let closest = &table[0];
        assert!(closest.ratio.unwrap_or(f64::INFINITY) > 3.0, "{closest:?}");
        assert!(closest.p_value <= 0.01, "{closest:?}");
        assert_eq!(
            table,
            knox(&events, &[200.0, 400.0, 800.0], &[7.0, 14.0, 28.0], 199, 42)
        );
        // The order of the incidents does not matter.
        let mut reversed = events.clone();
        reversed.reverse();
        assert_eq!(
            table,
            knox(
                &reversed,
                &[200.0, 400.0, 800.0],
                &[7.0, 14.0, 28.0],
                199,
                42
            )
        );
    }
}
