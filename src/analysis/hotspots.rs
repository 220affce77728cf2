//! Grid hot spots: incidents counted on a square grid in SWEREF 99 TM (250 m as SCB's
//! rutor by default), the Getis–Ord Gi* statistic with binary queen-contiguity weights
//! (the cell itself included), two-sided normal p-values and a Benjamini–Hochberg
//! false-discovery-rate correction. Formula and esda's golden values:
//! ../shared/research/anchors.md §2.

use statrs::function::erf::erfc;

/// Gi* z-scores for values with binary weights: `neighbours[i]` lists the units j with
/// w_ij = 1, the unit itself included. `None` for every unit when all values are equal
/// (no variance, nothing to find).
pub fn gi_star(values: &[f64], neighbours: &[Vec<usize>]) -> Option<Vec<f64>> {
    let stats = Moments::of(values)?;
    Some(
        neighbours
            .iter()
            .map(|nb| stats.z(nb.iter().map(|&j| values[j]).sum(), nb.len() as f64))
            .collect(),
    )
}

/// The global moments Gi* needs.
struct Moments {
    n: f64,
    mean: f64,
    sd: f64,
}

impl Moments {
    fn of(values: &[f64]) -> Option<Self> {
        let n = values.len() as f64;
        if n < 2.0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|x| x * x).sum::<f64>() / n - mean * mean)
            .max(0.0)
            .sqrt();
        (sd > 0.0).then_some(Self { n, mean, sd })
    }

    /// z for a unit whose neighbourhood (binary weights, `w` units) sums to `local`.
    fn z(&self, local: f64, w: f64) -> f64 {
        let denominator = self.sd * ((self.n * w - w * w) / (self.n - 1.0)).sqrt();
        if denominator > 0.0 {
            (local - self.mean * w) / denominator
        } else {
            0.0
        }
    }
}

/// Two-sided p-value of a standard-normal z.
pub fn two_sided_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the input order.
pub fn fdr_bh(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut q = vec![0.0; m];
    let mut running = 1.0f64;
    for rank in (0..m).rev() {
        let i = order[rank];
        running = running.min(p[i] * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cell {
    /// Lower-left corner, easting (SWEREF 99 TM, metres).
    pub x: f64,
    /// Lower-left corner, northing.
    pub y: f64,
    /// Incidents (summing `count`).
    pub count: f64,
    /// Gi* z-score.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// FDR-adjusted p-value.
    pub q: f64,
    /// Hot (+1), cold (−1) or not significant (0) at the chosen FDR.
    pub class: i8,
}

/// The grid analysis, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Grid {
    /// Cells of the study area's bounding box (with a one-cell margin).
    Cells {
        /// Cell side in metres.
        size: f64,
        /// All cells, row by row from the south-west.
        cells: Vec<Cell>,
    },
    /// Fewer incidents with coordinates than the minimum.
    TooFew {
        /// Incidents with coordinates.
        incidents: f64,
        /// The minimum.
        minimum: f64,
    },
    /// Too many cells for the extent: a larger cell is needed.
    TooLarge {
        /// Cells the extent would need.
        cells: usize,
    },
}

/// Largest grid analysed (cells).
pub const MAX_CELLS: usize = 4_000_000;

/// Counts `points` (SWEREF x, y, count) on a grid of `size` metres and runs Gi* with
/// queen contiguity; classes at FDR level `alpha`.
pub fn grid_hotspots(
    points: &[(f64, f64, f64)],
    size: f64,
    alpha: f64,
    min_incidents: f64,
) -> Grid {
    let total: f64 = points.iter().map(|p| p.2).sum::<f64>() + 0.0;
    if total < min_incidents || points.is_empty() {
        return Grid::TooFew {
            incidents: total,
            minimum: min_incidents,
        };
    }
    let index = |v: f64| (v / size).floor() as i64;
    let (mut x0, mut x1, mut y0, mut y1) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    for &(x, y, _) in points {
        (x0, x1, y0, y1) = (
            x0.min(index(x)),
            x1.max(index(x)),
            y0.min(index(y)),
            y1.max(index(y)),
        );
    }
    let (x0, y0) = (x0 - 1, y0 - 1);
    let (w, h) = ((x1 + 1 - x0 + 1) as usize, (y1 + 1 - y0 + 1) as usize);
    if w.saturating_mul(h) > MAX_CELLS {
        return Grid::TooLarge {
            cells: w.saturating_mul(h),
        };
    }
    let mut counts = vec![0.0; w * h];
    for &(x, y, n) in points {
        counts[(index(y) - y0) as usize * w + (index(x) - x0) as usize] += n;
    }
    let Some(moments) = Moments::of(&counts) else {
        return Grid::TooFew {
            incidents: total,
            minimum: min_incidents,
        };
    };
    let mut z = Vec::with_capacity(w * h);
    for row in 0..h {
        for column in 0..w {
            let (mut local, mut nb) = (0.0, 0.0);
            for r in row.saturating_sub(1)..=(row + 1).min(h - 1) {
                for c in column.saturating_sub(1)..=(column + 1).min(w - 1) {
                    local += counts[r * w + c];
                    nb += 1.0;
                }
            }
            z.push(moments.z(local, nb));
        }
    }
    let p: Vec<f64> = z.iter().map(|&z| two_sided_p(z)).collect();
    let q = fdr_bh(&p);
    let cells = (0..w * h)
        .map(|i| {
            let class = if q[i] < alpha {
                if z[i] > 0.0 {
                    1
                } else {
                    -1
                }
            } else {
                0
            };
            Cell {
                x: (x0 + (i % w) as i64) as f64 * size,
                y: (y0 + (i / w) as i64) as f64 * size,
                count: counts[i],
                z: z[i],
                p: p[i],
                q: q[i],
                class,
            }
        })
        .collect();
    Grid::Cells { size, cells }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// esda's documentation example: distance band ≤ 15, binary weights.
    fn esda() -> (Vec<f64>, Vec<Vec<usize>>) {
        let points = [
            (10.0, 10.0),
            (20.0, 10.0),
            (40.0, 10.0),
            (15.0, 20.0),
            (30.0, 20.0),
            (30.0, 30.0),
        ];
        let neighbours = points
            .iter()
            .map(|&(xi, yi): &(f64, f64)| {
                (0..points.len())
                    .filter(|&j| (points[j].0 - xi).hypot(points[j].1 - yi) <= 15.0)
                    .collect()
            })
            .collect();
        (vec![2.0, 3.0, 3.2, 5.0, 8.0, 7.0], neighbours)
    }

    #[test]
    fn reproduces_esda_gi_star_to_six_decimals() {
        let (y, nb) = esda();
        let z = gi_star(&y, &nb).unwrap();
        let want = [
            -1.39727626,
            -0.28917762,
            0.65064964,
            -0.28917762,
            1.23452088,
            2.02424331,
        ];
        for (got, want) in z.iter().zip(want) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
    }

    #[test]
    fn p_values_and_fdr() {
        assert!(
            (two_sided_p(1.959963984540054) - 0.05).abs() < 1e-9,
            "{}",
            two_sided_p(1.959963984540054)
        );
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.5), "BH") = 0.04, 0.05333, 0.05333, 0.5
        let q = fdr_bh(&[0.01, 0.04, 0.03, 0.5]);
        let want = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.5];
        for (g, w) in q.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn constant_values_have_no_hot_spots() {
        assert_eq!(
            gi_star(&[1.0, 1.0, 1.0], &[vec![0, 1], vec![0, 1, 2], vec![1, 2]]),
            None
        );
        assert!(matches!(
            grid_hotspots(&[(0.0, 0.0, 1.0)], 250.0, 0.05, 30.0),
            Grid::TooFew { .. }
        ));
    }
}
