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
    /// The cells of the study area: those whose centre lies inside the boundary, or
    /// without one the incidents' bounding box with a one-cell margin.
    Cells {
        /// Cell side in metres.
        size: f64,
        /// The study area's cells, row by row from the south-west.
        cells: Vec<Cell>,
        /// Incidents (summing `count`) outside the study area, left out.
        outside: f64,
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

/// The rectangle of grid indices the analysis covers, and which of its cells belong
/// to the study area.
struct Extent {
    x0: i64,
    y0: i64,
    w: usize,
    h: usize,
    inside: Vec<bool>,
}

impl Extent {
    /// Without a boundary: the incidents' cells with a one-cell margin, every cell in.
    /// The result then depends on the outermost incident, which is why a boundary is
    /// better.
    fn around(points: &[(f64, f64, f64)], size: f64) -> Option<(i64, i64, i64, i64)> {
        let index = |v: f64| (v / size).floor() as i64;
        let mut bounds: Option<(i64, i64, i64, i64)> = None;
        for &(x, y, _) in points {
            let (ix, iy) = (index(x), index(y));
            bounds = Some(match bounds {
                None => (ix, ix, iy, iy),
                Some((x0, x1, y0, y1)) => (x0.min(ix), x1.max(ix), y0.min(iy), y1.max(iy)),
            });
        }
        bounds.map(|(x0, x1, y0, y1)| (x0 - 1, x1 + 1, y0 - 1, y1 + 1))
    }

    fn new(
        points: &[(f64, f64, f64)],
        size: f64,
        area: Option<&geo::MultiPolygon<f64>>,
    ) -> Result<Option<Extent>, usize> {
        use geo::BoundingRect;
        let index = |v: f64| (v / size).floor() as i64;
        let bounds = match area {
            Some(area) => area.bounding_rect().map(|r| {
                (
                    index(r.min().x),
                    index(r.max().x),
                    index(r.min().y),
                    index(r.max().y),
                )
            }),
            None => Self::around(points, size),
        };
        let Some((x0, x1, y0, y1)) = bounds else {
            return Ok(None);
        };
        let (w, h) = ((x1 - x0 + 1) as usize, (y1 - y0 + 1) as usize);
        let n = w.saturating_mul(h);
        if n > MAX_CELLS {
            return Err(n);
        }
        let inside = match area {
            Some(area) => cells_inside(area, (x0, y0), (w, h), size),
            None => vec![true; n],
        };
        Ok(Some(Extent {
            x0,
            y0,
            w,
            h,
            inside,
        }))
    }

    /// The cell index of a point, when it falls in the study area.
    fn cell_of(&self, x: f64, y: f64, size: f64) -> Option<usize> {
        let cx = (x / size).floor() as i64 - self.x0;
        let cy = (y / size).floor() as i64 - self.y0;
        if cx < 0 || cy < 0 || cx as usize >= self.w || cy as usize >= self.h {
            return None;
        }
        let i = cy as usize * self.w + cx as usize;
        self.inside[i].then_some(i)
    }
}

/// Which cells of the `w` × `h` grid from cell (`x0`, `y0`) have their centre inside
/// `area`, row by row: each row's centre line is crossed with every edge of every ring
/// and the cells between pairs of crossings are in (the even-odd rule, so holes stay
/// out). Linear in rows × edges plus cells, so a detailed coastline stays fast where a
/// point-in-polygon test per cell would not.
fn cells_inside(
    area: &geo::MultiPolygon<f64>,
    (x0, y0): (i64, i64),
    (w, h): (usize, usize),
    size: f64,
) -> Vec<bool> {
    let edges: Vec<(f64, f64, f64, f64)> = area
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .flat_map(|ring| {
            ring.lines()
                .map(|l| (l.start.x, l.start.y, l.end.x, l.end.y))
        })
        .collect();
    let mut inside = vec![false; w * h];
    let mut crossings: Vec<f64> = Vec::new();
    for row in 0..h {
        let centre_y = ((y0 + row as i64) as f64 + 0.5) * size;
        crossings.clear();
        for &(ax, ay, bx, by) in &edges {
            if (ay > centre_y) != (by > centre_y) {
                crossings.push(ax + (centre_y - ay) * (bx - ax) / (by - ay));
            }
        }
        crossings.sort_by(f64::total_cmp);
        for pair in crossings.chunks_exact(2) {
            // Cells whose centre (x0 + c + ½) · size lies in [pair[0], pair[1]).
            let first = ((pair[0] / size - 0.5).ceil() as i64 - x0).clamp(0, w as i64);
            let end = ((pair[1] / size - 0.5).ceil() as i64 - x0).clamp(0, w as i64);
            for column in first..end {
                inside[row * w + column as usize] = true;
            }
        }
    }
    inside
}

/// Counts `points` (SWEREF x, y, count) on a grid of `size` metres over the study area
/// and runs Gi* with queen contiguity among the study area's cells; classes at FDR
/// level `alpha`. The study area is `area` (the municipality's boundary) when given:
/// every cell whose centre lies inside it, with or without incidents, so the result
/// does not move when one incident far away is added. Without a boundary it is the
/// incidents' bounding box with a one-cell margin.
pub fn grid_hotspots(
    points: &[(f64, f64, f64)],
    size: f64,
    alpha: f64,
    min_incidents: f64,
    area: Option<&geo::MultiPolygon<f64>>,
) -> Grid {
    let total: f64 = points.iter().map(|p| p.2).sum::<f64>() + 0.0;
    let too_few = Grid::TooFew {
        incidents: total,
        minimum: min_incidents,
    };
    if total < min_incidents || points.is_empty() {
        return too_few;
    }
    let extent = match Extent::new(points, size, area) {
        Ok(Some(extent)) => extent,
        Ok(None) => return too_few,
        Err(cells) => return Grid::TooLarge { cells },
    };
    let (w, h) = (extent.w, extent.h);
    let mut counts = vec![0.0; w * h];
    let mut outside = 0.0;
    for &(x, y, n) in points {
        match extent.cell_of(x, y, size) {
            Some(i) => counts[i] += n,
            None => outside += n,
        }
    }
    let study: Vec<usize> = (0..w * h).filter(|&i| extent.inside[i]).collect();
    let values: Vec<f64> = study.iter().map(|&i| counts[i]).collect();
    let Some(moments) = Moments::of(&values) else {
        return too_few;
    };
    let z: Vec<f64> = study
        .iter()
        .map(|&i| {
            let (row, column) = (i / w, i % w);
            let (mut local, mut nb) = (0.0, 0.0);
            for r in row.saturating_sub(1)..=(row + 1).min(h - 1) {
                for c in column.saturating_sub(1)..=(column + 1).min(w - 1) {
                    if extent.inside[r * w + c] {
                        local += counts[r * w + c];
                        nb += 1.0;
                    }
                }
            }
            moments.z(local, nb)
        })
        .collect();
    let p: Vec<f64> = z.iter().map(|&z| two_sided_p(z)).collect();
    let q = fdr_bh(&p);
    let cells = study
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let class = match (q[k] < alpha, z[k] > 0.0) {
                (true, true) => 1,
                (true, false) => -1,
                (false, _) => 0,
            };
            Cell {
                x: (extent.x0 + (i % w) as i64) as f64 * size,
                y: (extent.y0 + (i / w) as i64) as f64 * size,
                count: counts[i],
                z: z[k],
                p: p[k],
                q: q[k],
                class,
            }
        })
        .collect();
    Grid::Cells {
        size,
        cells,
        outside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan-line fill agrees with a point-in-polygon test on every cell of a star
    /// with a hole and a second polygon.
    #[test]
    fn cells_inside_agrees_with_point_in_polygon() {
        use geo::Contains;
        let star: Vec<(f64, f64)> = (0..=40)
            .map(|i| {
                let angle = f64::from(i % 40) / 40.0 * std::f64::consts::TAU;
                let r = if i % 2 == 0 { 9_000.0 } else { 4_000.0 };
                (590_000.0 + r * angle.cos(), 6_400_000.0 + r * angle.sin())
            })
            .collect();
        let hole = vec![
            (589_500.0, 6_399_500.0),
            (590_500.0, 6_399_500.0),
            (590_500.0, 6_400_500.0),
            (589_500.0, 6_399_500.0),
        ];
        let island = vec![
            (605_000.0, 6_400_000.0),
            (607_000.0, 6_400_000.0),
            (606_000.0, 6_402_000.0),
            (605_000.0, 6_400_000.0),
        ];
        let area = geo::MultiPolygon::new(vec![
            geo::Polygon::new(
                geo::LineString::from(star),
                vec![geo::LineString::from(hole)],
            ),
            geo::Polygon::new(geo::LineString::from(island), vec![]),
        ]);
        let size = 250.0;
        let (x0, y0) = ((580_000.0 / size) as i64, (6_390_000.0 / size) as i64);
        let (w, h) = (120, 90);
        let fast = cells_inside(&area, (x0, y0), (w, h), size);
        let mut differ = 0;
        for i in 0..w * h {
            let centre = geo::Point::new(
                ((x0 + (i % w) as i64) as f64 + 0.5) * size,
                ((y0 + (i / w) as i64) as f64 + 0.5) * size,
            );
            differ += usize::from(fast[i] != area.contains(&centre));
        }
        assert_eq!(differ, 0);
        assert!(fast.iter().filter(|&&b| b).count() > 1_000);
    }

    /// 200 incidents in a 1 km cluster and 300 spread over a 40 km square, inside a
    /// 50 km square study area (SWEREF-like coordinates), deterministic.
    fn clustered() -> Vec<(f64, f64, f64)> {
        let mut random = crate::random::SplitMix(883);
        let (cx, cy) = (590_000.0, 6_400_000.0);
        let mut points: Vec<(f64, f64, f64)> = (0..200)
            .map(|_| {
                (
                    cx + random.uniform() * 1_000.0,
                    cy + random.uniform() * 1_000.0,
                    1.0,
                )
            })
            .collect();
        points.extend((0..300).map(|_| {
            (
                cx - 20_000.0 + random.uniform() * 40_000.0,
                cy - 20_000.0 + random.uniform() * 40_000.0,
                1.0,
            )
        }));
        points
    }

    fn square(cx: f64, cy: f64, half: f64) -> geo::MultiPolygon<f64> {
        geo::MultiPolygon::new(vec![geo::Polygon::new(
            geo::LineString::from(vec![
                (cx - half, cy - half),
                (cx + half, cy - half),
                (cx + half, cy + half),
                (cx - half, cy + half),
                (cx - half, cy - half),
            ]),
            vec![],
        )])
    }

    fn hot(
        points: &[(f64, f64, f64)],
        area: Option<&geo::MultiPolygon<f64>>,
    ) -> std::collections::BTreeSet<(i64, i64)> {
        match grid_hotspots(points, 250.0, 0.05, 30.0, area) {
            Grid::Cells { cells, .. } => cells
                .iter()
                .filter(|c| c.class == 1)
                .map(|c| (c.x as i64, c.y as i64))
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    /// The case found in review: 200 incidents in two clusters and nothing else, then one
    /// more incident 20 km away inside the municipality. With the incidents' bounding
    /// box as study area the grid grows around the new incident and many cells change
    /// class; with the boundary as study area at most a cell or two do.
    #[test]
    fn one_far_incident_barely_moves_hot_spots_within_a_fixed_study_area() {
        let area = square(590_000.0, 6_400_000.0, 25_000.0);
        let mut random = crate::random::SplitMix(2026);
        let points: Vec<(f64, f64, f64)> = (0..200)
            .map(|i| {
                let (cx, cy) = if i % 2 == 0 {
                    (590_000.0, 6_400_000.0)
                } else {
                    (593_000.0, 6_401_000.0)
                };
                (
                    cx + random.uniform() * 1_500.0,
                    cy + random.uniform() * 1_500.0,
                    1.0,
                )
            })
            .collect();
        let mut with_far = points.clone();
        with_far.push((590_000.0, 6_420_000.0, 1.0));
        let (before, after) = (hot(&points, Some(&area)), hot(&with_far, Some(&area)));
        assert!(!before.is_empty(), "the clusters are found");
        let changed = before.symmetric_difference(&after).count();
        assert!(
            changed <= 2,
            "{changed} cells changed ({} → {})",
            before.len(),
            after.len()
        );
        let (b0, a0) = (hot(&points, None), hot(&with_far, None));
        let changed_without = b0.symmetric_difference(&a0).count();
        assert!(
            changed_without > 2,
            "without a boundary the far incident moves the result: {} → {}",
            b0.len(),
            a0.len()
        );
    }

    #[test]
    fn incidents_outside_the_study_area_are_counted_and_left_out() {
        let area = square(590_000.0, 6_400_000.0, 25_000.0);
        let mut points = clustered();
        points.push((700_000.0, 6_400_000.0, 3.0));
        match grid_hotspots(&points, 250.0, 0.05, 30.0, Some(&area)) {
            Grid::Cells { cells, outside, .. } => {
                assert_eq!(outside, 3.0);
                // A 50 km square of 250 m cells: 200 × 200 cells, all inside.
                assert_eq!(cells.len(), 200 * 200);
                assert_eq!(cells.iter().map(|c| c.count).sum::<f64>(), 500.0);
            }
            other => panic!("{other:?}"),
        }
    }

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
            grid_hotspots(&[(0.0, 0.0, 1.0)], 250.0, 0.05, 30.0, None),
            Grid::TooFew { .. }
        ));
    }
}
