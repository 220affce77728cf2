//! Concentration of incidents over places or grid cells: shares held by the top
//! units, the Lorenz (concentration) curve, and the generalized Gini coefficient
//! (Bernasco & Steenbeek's lorenzgini; golden values in ../shared/research/anchors.md §2).

use polars::prelude::*;

use crate::analysis::hotspots::{grid_hotspots, Grid};
use crate::analysis::place::UNKNOWN_PLACE;
use crate::analysis::{positions, Prepared};
use crate::model::config::Config;

/// Concentration measures for counts over units (places or cells, zeros included).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Concentration {
    /// Units (places, cells), including those with no incident.
    pub units: usize,
    /// Incidents.
    pub incidents: f64,
    /// Gini coefficient G = Σᵢ (2i − n − 1) x₍ᵢ₎ / (n Σx), counts ascending.
    pub gini: f64,
    /// Generalized Gini G′ = max(1, n/N)(G − 1) + 1, which does not call a spread "unequal"
    /// only because there are fewer incidents than units.
    pub generalized_gini: f64,
    /// Share of incidents in the top 5 %, 10 % and 20 % of units (at least one unit each).
    pub top_shares: [(f64, f64); 3],
    /// Lorenz points (share of units, share of incidents), units by count descending,
    /// starting at (0, 0).
    pub lorenz: Vec<(f64, f64)>,
    /// True when there are fewer incidents than the minimum: the measures are shown
    /// but flagged "för få händelser".
    pub too_few: bool,
}

/// Computes the measures, flagging fewer than `min_incidents` incidents. `None` when
/// there are no units or no incidents at all.
pub fn concentration(counts: &[f64], min_incidents: f64) -> Option<Concentration> {
    let n = counts.len();
    let total: f64 = counts.iter().sum();
    if n == 0 || total <= 0.0 {
        return None;
    }
    let mut ascending = counts.to_vec();
    ascending.sort_by(f64::total_cmp);
    let nf = n as f64;
    let gini = ascending
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - nf - 1.0) * x)
        .sum::<f64>()
        / (nf * total);
    let generalized_gini = (nf / total).max(1.0) * (gini - 1.0) + 1.0;
    let descending: Vec<f64> = ascending.iter().rev().copied().collect();
    let share_of_top = |p: f64| {
        let k = ((p * nf).ceil() as usize).clamp(1, n);
        descending[..k].iter().sum::<f64>() / total
    };
    let mut lorenz = vec![(0.0, 0.0)];
    let mut cumulative = 0.0;
    for (i, x) in descending.iter().enumerate() {
        cumulative += x;
        lorenz.push(((i + 1) as f64 / nf, cumulative / total));
    }
    Some(Concentration {
        units: n,
        incidents: total,
        gini,
        generalized_gini,
        top_shares: [
            (0.05, share_of_top(0.05)),
            (0.10, share_of_top(0.10)),
            (0.20, share_of_top(0.20)),
        ],
        lorenz,
        too_few: total < min_incidents,
    })
}

/// Incidents per gazetteer place, zeros included, in gazetteer order.
pub fn place_counts(prepared: &Prepared, config: &Config) -> PolarsResult<Vec<(String, f64)>> {
    let sums = prepared
        .incidents
        .clone()
        .lazy()
        .filter(col("place").neq(lit(UNKNOWN_PLACE)))
        .group_by([col("place")])
        .agg([col("count").sum()])
        .collect()?;
    let found: std::collections::HashMap<String, f64> = sums
        .column("place")?
        .str()?
        .iter()
        .zip(sums.column("count")?.i64()?.iter())
        .filter_map(|(p, c)| Some((p?.to_owned(), c? as f64)))
        .collect();
    Ok(config
        .places
        .places()
        .iter()
        .map(|p| (p.name.clone(), found.get(&p.name).copied().unwrap_or(0.0)))
        .collect())
}

/// Incidents per grid cell of the study area (named by its south-west corner), zeros
/// included: the municipality's cells when `area` (its boundary) is given, else the
/// incidents' bounding box. `None` when the area would need too many cells of this size.
pub fn cell_counts(
    prepared: &Prepared,
    size: f64,
    area: Option<&geo::MultiPolygon<f64>>,
) -> PolarsResult<Option<Vec<(String, f64)>>> {
    let (points, _) = positions(&prepared.incidents)?;
    Ok(match grid_hotspots(&points, size, 0.05, 0.0, area) {
        Grid::Cells { cells, .. } => Some(
            cells
                .iter()
                .map(|c| (format!("{:.0},{:.0}", c.x, c.y), c.count))
                .collect(),
        ),
        Grid::TooFew { .. } => Some(Vec::new()),
        Grid::TooLarge { .. } => None,
    })
}

/// Lorenz points: units by count, descending (ties in unit order).
pub fn lorenz_table(units: &[(String, f64)]) -> PolarsResult<DataFrame> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| units[b].1.total_cmp(&units[a].1).then(a.cmp(&b)));
    let total: f64 = units.iter().map(|u| u.1).sum();
    let n = units.len() as f64;
    let mut cumulative = 0.0;
    let (mut rank, mut unit, mut count, mut su, mut si) = (vec![], vec![], vec![], vec![], vec![]);
    for (i, &k) in order.iter().enumerate() {
        cumulative += units[k].1;
        rank.push(i as i64 + 1);
        unit.push(units[k].0.clone());
        count.push(units[k].1);
        su.push((i + 1) as f64 / n);
        si.push(if total > 0.0 {
            Some(cumulative / total)
        } else {
            None
        });
    }
    df!("rank" => rank, "unit" => unit, "count" => count, "share_of_units" => su, "share_of_incidents" => si)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_zeros(head: &[f64], zeros: usize) -> Vec<f64> {
        head.iter()
            .copied()
            .chain(std::iter::repeat_n(0.0, zeros))
            .collect()
    }

    #[test]
    fn lorenzgini_golden_values() {
        let c = concentration(&with_zeros(&[5.0, 2.0, 1.0], 7), 0.0).unwrap();
        assert!(
            (c.gini - 0.80).abs() < 1e-12 && (c.generalized_gini - 0.75).abs() < 1e-12,
            "{c:?}"
        );
        let c = concentration(&with_zeros(&[10.0, 8.0, 2.0], 7), 0.0).unwrap();
        assert!((c.gini - 0.78).abs() < 1e-12 && (c.generalized_gini - 0.78).abs() < 1e-12);
        let c = concentration(&with_zeros(&[10.0], 9), 0.0).unwrap();
        assert!((c.gini - 0.90).abs() < 1e-12);
    }

    #[test]
    fn top_shares_lorenz_and_the_small_number_guard() {
        let c = concentration(&with_zeros(&[5.0, 2.0, 1.0], 7), 20.0).unwrap();
        // Ten units: the top 5 % and 10 % are one unit (5 of 8), the top 20 % two (7 of 8).
        assert_eq!(c.top_shares, [(0.05, 0.625), (0.10, 0.625), (0.20, 0.875)]);
        assert_eq!(c.lorenz[1], (0.1, 0.625));
        assert_eq!(*c.lorenz.last().unwrap(), (1.0, 1.0));
        assert!(c.too_few);
        assert_eq!(concentration(&[0.0, 0.0], 1.0), None);
    }
}
