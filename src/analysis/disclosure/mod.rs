//! Disclosure control for published tables: counts from 1 to k − 1 are hidden
//! (primary suppression), and further cells are hidden wherever a hidden count could
//! otherwise be worked out from a published total (secondary suppression).
//!
//! [`linked`] decides this for every count of a report at once and [`audit`] proves the
//! result: no hidden small count is left with fewer than two possible values.

pub mod audit;
pub mod gate;
pub mod linked;
pub mod recheck;

/// A table of counts with its published margins, and which cells are hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    /// `hidden[r][c]` for the body; the margins follow the same shape as the input.
    pub hidden: Vec<Vec<bool>>,
    /// Hidden row totals (one per row), when row totals are published.
    pub hidden_row_totals: Vec<bool>,
    /// Hidden column totals (one per column), when column totals are published.
    pub hidden_column_totals: Vec<bool>,
}

/// Whether a count is small enough to hide with threshold `k` (1 ≤ n < k).
pub fn is_small(n: i64, k: i64) -> bool {
    n >= 1 && n < k
}

/// Suppresses `body` (rows × columns of counts) for threshold `k`. Row totals and
/// column totals, when published, are the sums of the body's rows and columns; a line
/// (row or column) whose total is published must never have exactly one hidden cell,
/// or that cell would follow by subtraction. The smallest visible positive count in
/// such a line is hidden too, repeatedly, until no line gives a hidden cell away; a line
/// with no other positive count hides its total instead.
pub fn suppress(body: &[Vec<i64>], row_totals: bool, column_totals: bool, k: i64) -> Suppressed {
    let rows = body.len();
    let cols = body.first().map_or(0, Vec::len);
    let mut hidden: Vec<Vec<bool>> = body
        .iter()
        .map(|r| r.iter().map(|&n| is_small(n, k)).collect())
        .collect();
    let row_sum = |r: usize| body[r].iter().sum::<i64>();
    let col_sum = |c: usize| body.iter().map(|r| r[c]).sum::<i64>();
    let mut hidden_row_totals: Vec<bool> = (0..rows)
        .map(|r| row_totals && is_small(row_sum(r), k))
        .collect();
    let mut hidden_column_totals: Vec<bool> = (0..cols)
        .map(|c| column_totals && is_small(col_sum(c), k))
        .collect();
    loop {
        let mut changed = false;
        if row_totals {
            for r in 0..rows {
                let line: Vec<(i64, bool, usize)> = (0..cols)
                    .map(|c| {
                        (
                            body[r][c],
                            hidden[r][c],
                            (0..rows).filter(|&q| hidden[q][c]).count(),
                        )
                    })
                    .collect();
                match protection(&line, hidden_row_totals[r], k) {
                    Some(Protect::Cell(c)) => hidden[r][c] = true,
                    Some(Protect::Total) => hidden_row_totals[r] = true,
                    None => continue,
                }
                changed = true;
            }
        }
        if column_totals {
            for c in 0..cols {
                let line: Vec<(i64, bool, usize)> = (0..rows)
                    .map(|r| {
                        (
                            body[r][c],
                            hidden[r][c],
                            hidden[r].iter().filter(|h| **h).count(),
                        )
                    })
                    .collect();
                match protection(&line, hidden_column_totals[c], k) {
                    Some(Protect::Cell(r)) => hidden[r][c] = true,
                    Some(Protect::Total) => hidden_column_totals[c] = true,
                    None => continue,
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Suppressed {
        hidden,
        hidden_row_totals,
        hidden_column_totals,
    }
}

/// What to hide to make a line safe.
enum Protect {
    /// The cell at this position.
    Cell(usize),
    /// The line's total.
    Total,
}

/// Whether the hidden cells of a line with a published total are safe: every hidden
/// cell must still have at least two possible values given the total, what is shown,
/// and what a reader knows of hidden cells (a small count lies in 1..k−1, any other
/// hidden count in k..total). A lone hidden cell, or hidden small counts whose sum
/// forces each of them, are not safe.
pub fn line_is_safe(line: &[(i64, bool)], k: i64) -> bool {
    let hidden: Vec<i64> = line.iter().filter(|(_, h)| *h).map(|(n, _)| *n).collect();
    if hidden.is_empty() {
        return true;
    }
    let sum: i64 = hidden.iter().sum();
    let bounds: Vec<(i64, i64)> = hidden
        .iter()
        .map(|&n| if is_small(n, k) { (1, k - 1) } else { (k, sum) })
        .collect();
    let (low_sum, high_sum): (i64, i64) = bounds
        .iter()
        .fold((0, 0), |(a, b), (lo, hi)| (a + lo, b + hi));
    bounds.iter().all(|&(lo, hi)| {
        let most = hi.min(sum - (low_sum - lo));
        let least = lo.max(sum - (high_sum - hi));
        most > least
    })
}

/// For one line of (count, hidden, hidden cells in the crossing line) whose total is
/// shown: nothing if the line is safe; else the visible positive cell to hide next
/// (the smallest that makes the line safe, preferring one whose crossing line it also
/// helps; or the largest if none does alone), or the total when no cell is left.
fn protection(line: &[(i64, bool, usize)], total_hidden: bool, k: i64) -> Option<Protect> {
    let state: Vec<(i64, bool)> = line.iter().map(|(n, h, _)| (*n, *h)).collect();
    if total_hidden || line_is_safe(&state, k) {
        return None;
    }
    let candidates: Vec<usize> = (0..line.len())
        .filter(|&i| !line[i].1 && line[i].0 > 0)
        .collect();
    let makes_safe = |i: usize| {
        let mut with = state.clone();
        with[i].1 = true;
        line_is_safe(&with, k)
    };
    let preference = |cross: usize| match cross {
        1 => 0,
        0 => 2,
        _ => 1,
    };
    let sufficient = candidates
        .iter()
        .copied()
        .filter(|&i| makes_safe(i))
        .min_by_key(|&i| (preference(line[i].2), line[i].0, i));
    let partner = sufficient.or_else(|| {
        candidates
            .iter()
            .copied()
            .max_by_key(|&i| (line[i].0, std::cmp::Reverse(i)))
    });
    Some(partner.map_or(Protect::Total, Protect::Cell))
}

/// Columns of an aggregate table derived from a cell's own count.
const FROM_COUNT: [&str; 8] = [
    "count",
    "rate_per_1000",
    "rate_per_100k",
    // The rate over a year: with the population and the days published beside it,
    // it gives the count back.
    "annual_rate_per_1000",
    "share_of_municipality",
    "harm",
    "harm_per_1000",
    "harm_unweighted",
];
/// Columns of an aggregate table derived from the count and the previous count.
const FROM_CHANGE: [&str; 8] = [
    "change",
    "change_pct",
    "rate_ratio",
    "rr_ci_low",
    "rr_ci_high",
    "p_value",
    "e_test_p",
    "verdict",
];

/// Hides small counts in an aggregate table (see `analysis::aggregate`): a count from 1
/// to k − 1 is blanked with everything computed from it, and the column `suppressed`
/// says "<k". A small previous count blanks the change columns. When the table is
/// broken down by place, the shares would let a reader work out the municipality
/// total and from it the hidden counts, so a group of places (same period and other
/// fields) with any hidden count shows no shares at all.
pub fn suppress_aggregate(
    table: &polars::prelude::DataFrame,
    k: i64,
    place_groups: Option<&[&str]>,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let counts: Vec<i64> = table
        .column("count")?
        .i64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    let hidden: Vec<bool> = counts.iter().map(|&n| is_small(n, k)).collect();
    let mut hide_share = hidden.clone();
    if let Some(keys) = place_groups {
        let mut groups: std::collections::BTreeMap<Vec<String>, Vec<usize>> = Default::default();
        for r in 0..table.height() {
            let key = keys
                .iter()
                .map(|c| {
                    table
                        .column(c)
                        .and_then(|col| col.get(r))
                        .map(|v| v.to_string())
                })
                .collect::<PolarsResult<Vec<_>>>()?;
            groups.entry(key).or_default().push(r);
        }
        for rows in groups.values() {
            // With one count hidden, the visible shares would give the total and so the
            // hidden counts (with bounds 1..k−1 even when several are hidden): a group
            // with any hidden count shows no shares.
            if rows.iter().any(|&r| hidden[r]) {
                for &r in rows {
                    hide_share[r] = true;
                }
            }
        }
    }
    let previous: Vec<Option<i64>> = table.column("previous_count")?.i64()?.iter().collect();
    let hide_previous: Vec<bool> = previous
        .iter()
        .map(|p| p.is_some_and(|p| is_small(p, k)))
        .collect();
    let hide_change: Vec<bool> = hidden
        .iter()
        .zip(&hide_previous)
        .map(|(a, b)| *a || *b)
        .collect();
    let mut plan = table.clone().lazy().with_columns([
        lit(Series::new("_h".into(), hidden.clone())).alias("_h"),
        lit(Series::new("_hs".into(), hide_share)).alias("_hs"),
        lit(Series::new("_hp".into(), hide_previous)).alias("_hp"),
        lit(Series::new("_hc".into(), hide_change)).alias("_hc"),
    ]);
    let blank = |c: &str, flag: &str| when(col(flag)).then(lit(NULL)).otherwise(col(c)).alias(c);
    let mut exprs: Vec<Expr> = FROM_COUNT
        .iter()
        .filter(|c| **c != "harm_unweighted")
        .map(|c| {
            blank(
                c,
                if *c == "share_of_municipality" {
                    "_hs"
                } else {
                    "_h"
                },
            )
        })
        .collect();
    // A small number of unweighted incidents is a small count of its own.
    if table.column("harm_unweighted").is_ok() {
        let small = col("harm_unweighted")
            .gt(lit(0i64))
            .and(col("harm_unweighted").lt(lit(k)));
        exprs.push(
            when(col("_h").or(small))
                .then(lit(NULL))
                .otherwise(col("harm_unweighted"))
                .alias("harm_unweighted"),
        );
    }
    exprs.push(blank("previous_count", "_hp"));
    exprs.extend(
        FROM_CHANGE
            .iter()
            .filter(|c| **c != "verdict")
            .map(|c| blank(c, "_hc")),
    );
    exprs.push(
        when(col("_hc"))
            .then(lit("hidden"))
            .otherwise(col("verdict"))
            .alias("verdict"),
    );
    exprs.push(
        when(col("_h"))
            .then(lit(format!("<{k}")))
            .otherwise(lit(NULL).cast(DataType::String))
            .alias("suppressed"),
    );
    plan = plan.with_columns(exprs);
    plan.drop(by_name(["_h", "_hs", "_hp", "_hc"], true, false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every hidden cell must be unrecoverable: no published line has exactly one.
    fn safe(body: &[Vec<i64>], s: &Suppressed, rows: bool, cols: bool) -> bool {
        let row = |r: usize| -> Vec<(i64, bool)> {
            (0..body[0].len())
                .map(|c| (body[r][c], s.hidden[r][c]))
                .collect()
        };
        let col = |c: usize| -> Vec<(i64, bool)> {
            (0..body.len())
                .map(|r| (body[r][c], s.hidden[r][c]))
                .collect()
        };
        let r_ok =
            !rows || (0..body.len()).all(|r| s.hidden_row_totals[r] || line_is_safe(&row(r), 3));
        let c_ok = !cols
            || (0..body[0].len()).all(|c| s.hidden_column_totals[c] || line_is_safe(&col(c), 3));
        r_ok && c_ok
    }

    #[test]
    fn bounds_can_give_hidden_counts_away() {
        // Two hidden small counts summing to 2 must both be 1: not safe.
        assert!(!line_is_safe(&[(1, true), (1, true), (10, false)], 3));
        // 1 and 2 could be 2 and 1: safe.
        assert!(line_is_safe(&[(1, true), (2, true), (10, false)], 3));
        // A lone hidden count follows from the total.
        assert!(!line_is_safe(&[(2, true), (10, false)], 3));
        // Beside a hidden 1, a hidden 3 cannot be below k, so both are forced: not safe.
        assert!(!line_is_safe(&[(1, true), (3, true)], 3));
        assert!(line_is_safe(&[(1, true), (4, true)], 3));
    }

    #[test]
    fn primary_and_secondary_suppression() {
        let body = vec![vec![10, 2, 7], vec![5, 9, 12], vec![4, 6, 1]];
        let s = suppress(&body, true, true, 3);
        // 2 and 1 are small; each sits alone in its row and column, so partners go too.
        assert!(s.hidden[0][1] && s.hidden[2][2]);
        assert!(safe(&body, &s, true, true));
        assert!(
            s.hidden.iter().flatten().filter(|h| **h).count() >= 4,
            "{s:?}"
        );
        // Without totals only the small counts go.
        let p = suppress(&body, false, false, 3);
        assert_eq!(
            p.hidden,
            vec![
                vec![false, true, false],
                vec![false; 3],
                vec![false, false, true]
            ]
        );
    }

    #[test]
    fn a_line_with_nothing_else_to_hide_hides_its_total() {
        let body = vec![vec![2, 0, 0]];
        let s = suppress(&body, true, false, 3);
        assert_eq!(s.hidden, vec![vec![true, false, false]]);
        assert_eq!(
            s.hidden_row_totals,
            vec![true],
            "the total 2 is small itself"
        );
        let body = vec![vec![1, 0], vec![4, 5]];
        let s = suppress(&body, false, true, 3);
        assert!(safe(&body, &s, false, true));
        assert!(s.hidden[1][0], "4 is hidden with the 1 above it");
    }

    /// The per-line criterion passes the counter-example of issue 11, yet the rows and
    /// columns together pin a hidden 1: the exact audit finds it.
    #[test]
    fn per_line_suppression_leaks_with_two_margins() {
        let body = vec![vec![5, 3], vec![4, 2], vec![6, 3], vec![5, 1], vec![1, 0]];
        let s = suppress(&body, true, true, 3);
        assert!(
            safe(&body, &s, true, true),
            "the per-line check passes: {s:?}"
        );
        let mut cells = Vec::new();
        let mut last_one = 0;
        for (r, row) in body.iter().enumerate() {
            for (c, &n) in row.iter().enumerate() {
                if (r, c) == (4, 0) {
                    last_one = cells.len();
                }
                let known = match (s.hidden[r][c], is_small(n, 3)) {
                    (false, _) => audit::Known::Exact(n),
                    (true, true) => audit::Known::Small { below: 3 },
                    (true, false) => audit::Known::AtLeast(3),
                };
                cells.push(audit::Equation {
                    atoms: vec![r * 2 + c],
                    known,
                });
            }
            if !s.hidden_row_totals[r] {
                cells.push(audit::Equation {
                    atoms: vec![r * 2, r * 2 + 1],
                    known: audit::Known::Exact(row.iter().sum()),
                });
            }
        }
        for c in 0..2 {
            cells.push(audit::Equation {
                atoms: (0..body.len()).map(|r| r * 2 + c).collect(),
                known: audit::Known::Exact(body.iter().map(|row| row[c]).sum()),
            });
        }
        let leaks = audit::audit(10, &cells).unwrap();
        assert!(
            leaks.iter().any(|l| l.cell == last_one),
            "the last row's 1 is pinned: {leaks:?}"
        );
    }

    #[test]
    fn random_tables_are_always_safe() {
        let mut seed = 12345u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let (rows, cols) = (1 + next() as usize % 6, 1 + next() as usize % 6);
            let body: Vec<Vec<i64>> = (0..rows)
                .map(|_| (0..cols).map(|_| (next() % 8) as i64).collect())
                .collect();
            let s = suppress(&body, true, true, 3);
            assert!(safe(&body, &s, true, true), "{body:?} {s:?}");
            for (r, row) in body.iter().enumerate() {
                for (c, &n) in row.iter().enumerate() {
                    assert!(!is_small(n, 3) || s.hidden[r][c], "small count shown");
                }
            }
        }
    }
}
