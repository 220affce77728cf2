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
    let at = incidents.column("occurred_at")?.datetime()?;
    let mut events = Vec::new();
    let mut without = 0;
    for (i, point) in super::located(incidents)?.into_iter().enumerate() {
        match (point, at.phys.get(i)) {
            (Some((x, y)), Some(ms)) => events.push(Event {
                x,
                y,
                t: ms as f64 / 86_400_000.0,
            }),
            _ => without += 1,
        }
    }
    Ok((events, without))
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
    }
}
