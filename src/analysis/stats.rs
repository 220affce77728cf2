//! Tests of change in counts, built from exact distributions (statrs supplies the
//! distributions; it has no Poisson tests of its own).
//!
//! Golden values (../shared/research/anchors.md §2): R's `rateratio.test(c(2, 9),
//! c(17877, 16660))` gives p = 0.05011, RR = 0.2071, 95 % CI 0.02177–1.00055; Wheeler's
//! `e_test(6, 2)` = 0.1749 and `e_test(0, 3)` ≈ 0.0884.

use statrs::distribution::{Beta, Binomial, ChiSquared, ContinuousCDF, Discrete, DiscreteCDF};

/// Garwood's exact interval for the mean of a Poisson count `k` at `level` (e.g.
/// 0.95): χ²(α/2; 2k)/2 to χ²(1 − α/2; 2k + 2)/2, the lower limit 0 when k = 0. It
/// keeps its coverage for the handful of incidents a village has in a year, where a
/// normal approximation would give a negative lower limit. Golden: k = 3 → 0.619 to
/// 8.767 at 95 %.
pub fn garwood(k: u64, level: f64) -> (f64, f64) {
    let alpha = 1.0 - level;
    let k = k as f64;
    let low = if k == 0.0 {
        0.0
    } else {
        chi_squared_quantile(2.0 * k, alpha / 2.0) / 2.0
    };
    let high = chi_squared_quantile(2.0 * k + 2.0, 1.0 - alpha / 2.0) / 2.0;
    (low, high)
}

/// Control limits of a funnel plot for a count expected to be `expected` (the reference
/// rate × exposure) at `level` (0.95, 0.998): the exact Poisson quantiles, made
/// continuous by Spiegelhalter's interpolation (Spiegelhalter 2005, "Funnel plots for
/// comparing institutional performance", appendix), so a count outside them differs
/// from the reference more than chance allows. The lower limit may be below zero (no
/// count can be too low) and is then 0.
pub fn funnel_limits(expected: f64, level: f64) -> (f64, f64) {
    let alpha = 1.0 - level;
    let Ok(poisson) = statrs::distribution::Poisson::new(expected) else {
        return (0.0, 0.0);
    };
    let limit = |p: f64| {
        let r = poisson.inverse_cdf(p);
        let at = poisson.cdf(r);
        let below = if r == 0 { 0.0 } else { poisson.cdf(r - 1) };
        let share = if at > below {
            (at - p) / (at - below)
        } else {
            0.0
        };
        r as f64 - share
    };
    (limit(alpha / 2.0).max(0.0), limit(1.0 - alpha / 2.0))
}

/// Whether `observed` lies outside the funnel's limits at `expected` (see
/// [`funnel_limits`]).
pub fn outside_funnel(observed: f64, expected: f64, level: f64) -> bool {
    let (low, high) = funnel_limits(expected, level);
    observed < low || observed > high
}

fn chi_squared_quantile(freedom: f64, p: f64) -> f64 {
    ChiSquared::new(freedom).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

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
    // The survival function directly: 1 − cdf loses every digit below about 1e-16.
    let upper_tail = if x1 == 0 { 1.0 } else { binomial.sf(x1 - 1) };
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
    // For fixed x₁ the statistic falls as x₂ grows, so the extreme x₂ form two tails:
    // those with T ≥ t₀ (x₂ below a bound) and those with T ≤ −t₀ (above one). The
    // statistic rises with x₁, so both bounds only move up as x₁ grows: each is found
    // from where it was for the x₁ before, and all of them in one pass over x₂.
    let (mut below, mut above) = (lo2, lo2);
    for (x1, w1) in (lo1..=hi1).zip(probs1) {
        below = first_x2(below, top, |x2| wald(x1, x2) < observed);
        above = first_x2(above, top, |x2| wald(x1, x2) <= -observed);
        p += w1 * (mass(lo2, below) + mass(above, top));
    }
    Some(p.min(1.0))
}

/// The first x₂ in from..top for which `pred` holds (`top` if none), for a predicate
/// that once true stays true as x₂ grows: stepped forward, as the bound is usually
/// where it was or a step on.
fn first_x2(from: u64, top: u64, pred: impl Fn(u64) -> bool) -> u64 {
    (from..top).find(|&x2| pred(x2)).unwrap_or(top)
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

    #[test]
    fn garwood_interval_matches_the_golden_values() {
        let (low, high) = garwood(3, 0.95);
        assert!((low - 0.619).abs() < 5e-4, "{low}");
        assert!((high - 8.767).abs() < 5e-4, "{high}");
        // The research notes' check: k = 10 → 4.7954 to 18.3904.
        let (low, high) = garwood(10, 0.95);
        assert!((low - 4.7954).abs() < 5e-4 && (high - 18.3904).abs() < 5e-4);
        let (low, high) = garwood(0, 0.95);
        assert_eq!(low, 0.0);
        assert!((high - 3.689).abs() < 5e-4, "{high}");
    }

    /// By hand for Poisson(1,86): P(X ≤ 4) = 0,9592, P(X ≤ 5) = 0,9881, so the 97,5 %
    /// limit is 5 − (0,9881 − 0,975) / (0,9881 − 0,9592) = 4,547; the 2,5 % limit is
    /// below zero, so 0, and an observed 0 is inside.
    #[test]
    fn funnel_limits_follow_spiegelhalter() {
        let (low, high) = funnel_limits(1.86, 0.95);
        assert_eq!(low, 0.0);
        assert!((high - 4.547).abs() < 0.005, "{high}");
        assert!(!outside_funnel(0.0, 1.86, 0.95));
        assert!(outside_funnel(5.0, 1.86, 0.95));
        assert!(outside_funnel(0.0, 10.0, 0.95));
    }

    #[test]
    fn funnel_limits_narrow_with_exposure_and_widen_with_level() {
        let (l95, h95) = funnel_limits(100.0, 0.95);
        let (l998, h998) = funnel_limits(100.0, 0.998);
        assert!(l998 < l95 && l95 < 100.0 && 100.0 < h95 && h95 < h998);
        // Relative width shrinks as the expected count grows.
        let (l, h) = funnel_limits(10.0, 0.95);
        assert!((h - l) / 10.0 > (h95 - l95) / 100.0);
    }

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

    /// Far in the tail the p-value keeps its digits (1 − cdf would give 0): 60 of 80
    /// where a tenth is expected, p = 2 · Σ_{i≥60} C(80, i) 0.1^i 0.9^(80−i)
    /// = 8.920409984216628e-43 (exact sum in rational arithmetic).
    #[test]
    fn rate_ratio_p_value_far_in_the_tail() {
        let r = rate_ratio_test(60, 20, 1.0, 9.0, 0.95).unwrap();
        assert!(
            (r.p_value / 8.920409984216628e-43 - 1.0).abs() < 1e-6,
            "{}",
            r.p_value
        );
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
            (150, 118, 365.0, 365.0),
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
