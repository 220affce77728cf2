//! Tests of change in counts, built from exact distributions (statrs supplies the
//! distributions; it has no Poisson tests of its own).
//!
//! Golden values (../shared/research/anchors.md §2): R's `rateratio.test(c(2, 9),
//! c(17877, 16660))` gives p = 0.05011, RR = 0.2071, 95 % CI 0.02177–1.00055; Wheeler's
//! `e_test(6, 2)` = 0.1749 and `e_test(0, 3)` ≈ 0.0884.

use statrs::distribution::{Beta, Binomial, ContinuousCDF, Discrete, DiscreteCDF};

/// Result of the exact conditional test of two Poisson rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateRatio {
    /// Rate ratio (count₁/exposure₁) / (count₂/exposure₂); `None` when count₂ is 0.
    pub ratio: Option<f64>,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit; `None` (infinite) when count₂ is 0.
    pub ci_high: Option<f64>,
    /// Two-sided p-value (twice the smaller tail, capped at 1).
    pub p_value: f64,
}

/// Exact test of H₀: rate₁ = rate₂ for counts `x1`, `x2` over exposures `t1`, `t2`,
/// conditional on the total (x₁ ~ Bin(x₁ + x₂, t₁/(t₁ + t₂))), with the Clopper–Pearson
/// interval for the binomial proportion turned into a rate-ratio interval at `level`
/// (e.g. 0.95). This is R's `rateratio.test`. `None` when both counts are 0 or an
/// exposure is not positive: there is nothing to test.
pub fn rate_ratio_test(x1: u64, x2: u64, t1: f64, t2: f64, level: f64) -> Option<RateRatio> {
    let n = x1 + x2;
    if n == 0 || t1.is_nan() || t2.is_nan() || t1 <= 0.0 || t2 <= 0.0 {
        return None;
    }
    let p0 = t1 / (t1 + t2);
    let binomial = Binomial::new(p0, n).ok()?;
    let lower_tail = binomial.cdf(x1);
    let upper_tail = if x1 == 0 {
        1.0
    } else {
        1.0 - binomial.cdf(x1 - 1)
    };
    let p_value = (2.0 * lower_tail.min(upper_tail)).min(1.0);

    let alpha = 1.0 - level;
    let p_low = if x1 == 0 {
        0.0
    } else {
        Beta::new(x1 as f64, (n - x1 + 1) as f64)
            .ok()?
            .inverse_cdf(alpha / 2.0)
    };
    let p_high = if x1 == n {
        1.0
    } else {
        Beta::new((x1 + 1) as f64, (n - x1) as f64)
            .ok()?
            .inverse_cdf(1.0 - alpha / 2.0)
    };
    let to_ratio = |p: f64| p / (1.0 - p) * t2 / t1;
    Some(RateRatio {
        ratio: (x2 > 0).then(|| (x1 as f64 / t1) / (x2 as f64 / t2)),
        ci_low: to_ratio(p_low),
        ci_high: (x1 < n).then(|| to_ratio(p_high)),
        p_value,
    })
}

/// Krishnamoorthy & Thomson's E-test of H₀: λ₁ = λ₂ for Poisson counts `k1`, `k2` over
/// exposures `n1`, `n2` (two-sided). The p-value sums, under the pooled rate, the
/// probability of every pair of counts whose Wald statistic is at least as extreme.
/// `None` when both counts are 0 (no information).
pub fn e_test(k1: u64, k2: u64, n1: f64, n2: f64) -> Option<f64> {
    if k1 + k2 == 0 || n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let pooled = (k1 + k2) as f64 / (n1 + n2);
    let (mean1, mean2) = (n1 * pooled, n2 * pooled);
    let wald = |x1: u64, x2: u64| {
        let (r1, r2) = (x1 as f64 / n1, x2 as f64 / n2);
        let var = r1 / n1 + r2 / n2;
        if var > 0.0 {
            (r1 - r2) / var.sqrt()
        } else {
            0.0
        }
    };
    let observed = wald(k1, k2).abs() - 1e-12;
    let (p1, p2) = (
        statrs::distribution::Poisson::new(mean1).ok()?,
        statrs::distribution::Poisson::new(mean2).ok()?,
    );
    // Sum far enough into both tails that what is left is below 1e-12.
    // Only counts within 12 standard deviations (+30) of the means carry probability
    // above 1e-30; outside that window nothing is summed.
    let window = |mean: f64| {
        let spread = 12.0 * mean.sqrt() + 30.0;
        (
            (mean - spread).max(0.0).floor() as u64,
            (mean + spread).ceil() as u64,
        )
    };
    let probabilities = |d: &statrs::distribution::Poisson, (lo, hi): (u64, u64), mean: f64| {
        // P(x + 1) = P(x) · λ / (x + 1), from one exact value at the window's start.
        let mut out = Vec::with_capacity((hi - lo + 1) as usize);
        let mut w = d.pmf(lo);
        for x in lo..=hi {
            out.push(w);
            w *= mean / (x + 1) as f64;
        }
        out
    };
    let (lo2, hi2) = window(mean2);
    let probs2 = probabilities(&p2, (lo2, hi2), mean2);
    // cumulative[i] = P(lo2 ≤ X₂ < lo2 + i).
    let mut cumulative = Vec::with_capacity(probs2.len() + 1);
    cumulative.push(0.0);
    for w in &probs2 {
        cumulative.push(cumulative.last().copied().unwrap_or(0.0) + w);
    }
    let (lo1, hi1) = window(mean1);
    let probs1 = probabilities(&p1, (lo1, hi1), mean1);
    let top = hi2 + 1;
    let mass =
        |from: u64, to: u64| cumulative[(to - lo2) as usize] - cumulative[(from - lo2) as usize];
    let mut p = 0.0;
    for (x1, w1) in (lo1..=hi1).zip(probs1) {
        // For fixed x₁ the statistic falls as x₂ grows, so the extreme x₂ form two
        // tails: those with T ≥ t₀ (x₂ below a bound) and those with T ≤ −t₀ (above one).
        let below = first_x2(lo2, top, |x2| wald(x1, x2) < observed);
        let above = first_x2(lo2, top, |x2| wald(x1, x2) <= -observed);
        p += w1 * (mass(lo2, below) + mass(above, top));
    }
    Some(p.min(1.0))
}

/// The first x₂ in from..top for which `pred` holds (`top` if none), for a predicate
/// that once true stays true as x₂ grows.
fn first_x2(from: u64, top: u64, pred: impl Fn(u64) -> bool) -> u64 {
    let (mut lo, mut hi) = (from, top);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Percent change from `previous` to `current`; `None` when the base is 0 (never infinite).
pub fn percent_change(previous: f64, current: f64) -> Option<f64> {
    (previous != 0.0).then(|| (current - previous) / previous * 100.0)
}

/// Plain verdict on a change, from a two-sided p-value at level `alpha`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// Significant increase.
    Increase,
    /// Significant decrease.
    Decrease,
    /// No change that can be told from chance.
    NoClearChange,
}

impl Verdict {
    /// The verdict for counts `previous` → `current` with p-value `p`.
    pub fn from_test(previous: f64, current: f64, p: Option<f64>, alpha: f64) -> Self {
        match p {
            Some(p) if p < alpha && current > previous => Verdict::Increase,
            Some(p) if p < alpha && current < previous => Verdict::Decrease,
            _ => Verdict::NoClearChange,
        }
    }

    /// The verdict's code in result tables (words: [`crate::lang::Lang::word`]).
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Increase => "increase",
            Verdict::Decrease => "decrease",
            Verdict::NoClearChange => "no_clear_change",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn rate_ratio_matches_r_rateratio_test() {
        let r = rate_ratio_test(2, 9, 17877.0, 16660.0, 0.95).unwrap();
        assert!(close(r.p_value, 0.05011, 5e-5), "{r:?}");
        assert!(close(r.ratio.unwrap(), 0.2071, 5e-5), "{r:?}");
        assert!(close(r.ci_low, 0.02177, 5e-5), "{r:?}");
        assert!(close(r.ci_high.unwrap(), 1.00055, 5e-5), "{r:?}");
    }

    #[test]
    fn rate_ratio_edges() {
        assert_eq!(rate_ratio_test(0, 0, 1.0, 1.0, 0.95), None);
        let none_before = rate_ratio_test(4, 0, 1.0, 1.0, 0.95).unwrap();
        assert_eq!((none_before.ratio, none_before.ci_high), (None, None));
        // 4 vs 0 with equal exposure: p = 2 · 0.5⁴ = 0.125.
        assert!(close(none_before.p_value, 0.125, 1e-12));
        let equal = rate_ratio_test(5, 5, 1.0, 1.0, 0.95).unwrap();
        assert_eq!(equal.p_value, 1.0);
    }

    #[test]
    fn e_test_matches_wheeler() {
        assert!(close(e_test(6, 2, 1.0, 1.0).unwrap(), 0.1749, 5e-5));
        assert!(close(e_test(0, 3, 1.0, 1.0).unwrap(), 0.0884, 5e-5));
        assert_eq!(e_test(0, 0, 1.0, 1.0), None);
    }

    /// The E-test by summing over every pair, as the definition reads.
    fn e_test_by_brute_force(k1: u64, k2: u64, n1: f64, n2: f64) -> f64 {
        let pooled = (k1 + k2) as f64 / (n1 + n2);
        let (d1, d2) = (
            statrs::distribution::Poisson::new(n1 * pooled).unwrap(),
            statrs::distribution::Poisson::new(n2 * pooled).unwrap(),
        );
        let wald = |x1: u64, x2: u64| {
            let (r1, r2) = (x1 as f64 / n1, x2 as f64 / n2);
            let v = r1 / n1 + r2 / n2;
            if v > 0.0 {
                (r1 - r2) / v.sqrt()
            } else {
                0.0
            }
        };
        let t0 = wald(k1, k2).abs() - 1e-12;
        let mut p = 0.0;
        for x1 in 0..400 {
            for x2 in 0..400 {
                if wald(x1, x2).abs() >= t0 {
                    p += d1.pmf(x1) * d2.pmf(x2);
                }
            }
        }
        p
    }

    #[test]
    fn e_test_tails_equal_the_sum_over_all_pairs() {
        for (k1, k2, n1, n2) in [
            (6, 2, 1.0, 1.0),
            (0, 3, 1.0, 1.0),
            (17, 40, 365.0, 366.0),
            (90, 60, 31.0, 28.0),
            (1, 0, 2.0, 1.0),
        ] {
            let fast = e_test(k1, k2, n1, n2).unwrap();
            let slow = e_test_by_brute_force(k1, k2, n1, n2);
            assert!(
                (fast - slow).abs() < 1e-9,
                "({k1}, {k2}, {n1}, {n2}): {fast} vs {slow}"
            );
        }
    }

    #[test]
    fn percent_change_is_empty_on_a_zero_base() {
        assert_eq!(percent_change(0.0, 5.0), None);
        assert_eq!(percent_change(4.0, 5.0), Some(25.0));
        assert_eq!(percent_change(4.0, 0.0), Some(-100.0));
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            Verdict::from_test(2.0, 9.0, Some(0.01), 0.05),
            Verdict::Increase
        );
        assert_eq!(
            Verdict::from_test(9.0, 2.0, Some(0.01), 0.05),
            Verdict::Decrease
        );
        assert_eq!(
            Verdict::from_test(9.0, 2.0, Some(0.0501), 0.05),
            Verdict::NoClearChange
        );
        assert_eq!(
            Verdict::from_test(0.0, 0.0, None, 0.05),
            Verdict::NoClearChange
        );
    }
}
