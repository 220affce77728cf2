//! Time concentration: the weekday × hour profile, with aoristic weights for incidents
//! whose time is only known to lie in a span.
//!
//! Weights are minute-exact (crimepy's definition, ../shared/research/anchors.md §2):
//! the share of the span's real duration that falls in each local hour. Spans are
//! measured in real time, so on the spring-forward night 01:30–03:30 lasts one hour
//! and on the fall-back night it lasts three, with local hour 02 counted twice. A
//! missing end means the start hour alone; a start after the end is swapped; a span
//! longer than 7 days is spread evenly over all 168 hours; a bare date covers its day.

use chrono::{Datelike, NaiveDateTime, TimeDelta, TimeZone, Timelike};
use chrono_tz::Tz;
use polars::prelude::*;

use crate::lang::Lang;
use crate::model::LOCAL_TIME_ZONE;

/// Cells of the week: Monday 00–01 is cell 0, Sunday 23–24 is cell 167.
pub const CELLS: usize = 168;

const WEEK_SECONDS: i64 = 7 * 24 * 3600;

/// The local time zone.
pub fn local_zone() -> Tz {
    LOCAL_TIME_ZONE.parse().expect("a known IANA zone")
}

/// The instant a local wall-clock time denotes: the earlier of two on the fall-back
/// night, the first valid minute after a time that the spring-forward night skips.
fn instant(t: NaiveDateTime, tz: Tz) -> chrono::DateTime<Tz> {
    match tz.from_local_datetime(&t) {
        chrono::LocalResult::Single(d) => d,
        chrono::LocalResult::Ambiguous(early, _) => early,
        chrono::LocalResult::None => instant(t + TimeDelta::hours(1), tz),
    }
}

fn cell_of(t: chrono::DateTime<Tz>) -> usize {
    t.weekday().num_days_from_monday() as usize * 24 + t.hour() as usize
}

/// Aoristic weights of one incident over the 168 cells (they sum to 1).
pub fn aoristic(start: NaiveDateTime, end: Option<NaiveDateTime>, tz: Tz) -> Vec<(usize, f64)> {
    let Some(end) = end else {
        return vec![(cell_of(instant(start, tz)), 1.0)];
    };
    let (a, b) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    let (a, b) = (instant(a, tz), instant(b, tz));
    let total = (b - a).num_seconds();
    if total <= 0 {
        return vec![(cell_of(a), 1.0)];
    }
    if total > WEEK_SECONDS {
        return (0..CELLS).map(|c| (c, 1.0 / CELLS as f64)).collect();
    }
    let mut weights: Vec<(usize, f64)> = Vec::new();
    let mut t = a;
    while t < b {
        // Swedish offsets are whole hours, so local hours start on the full UTC hour.
        let into_hour = i64::from(t.minute()) * 60 + i64::from(t.second());
        let next = (t + TimeDelta::seconds(3600 - into_hour)).min(b);
        let w = (next - t).num_seconds() as f64 / total as f64;
        let cell = cell_of(t);
        match weights.last_mut() {
            Some((c, acc)) if *c == cell => *acc += w,
            _ => weights.push((cell, w)),
        }
        t = next;
    }
    weights
}

/// Swedish and English weekday names, Monday first.
pub fn weekday_name(day: usize, lang: Lang) -> &'static str {
    const SV: [&str; 7] = [
        "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    match lang {
        Lang::Sv => SV[day],
        Lang::En => EN[day],
    }
}

/// The weekday × hour profile of `incidents` (weighted by `count`), per group of the
/// column `by` when given: for each group the 168 aoristic-weighted counts.
///
/// Incidents with an exact time (no span) are counted in one polars group-by; only
/// those with a span or a bare date are spread in Rust.
pub fn profile(
    incidents: &DataFrame,
    by: Option<&str>,
) -> PolarsResult<Vec<(String, [f64; CELLS])>> {
    let group = by.map_or(lit("alla").alias("_group"), |b| {
        col(b)
            .cast(DataType::String)
            .fill_null(lit(crate::model::MISSING_VALUE))
            .alias("_group")
    });
    let base = incidents.clone().lazy().with_column(group);
    let exact_filter = col("has_time").and(col("occurred_to").is_null());
    let exact = base
        .clone()
        .filter(exact_filter.clone())
        .with_column(
            ((col("occurred_at").dt().weekday().cast(DataType::Int64) - lit(1i64)) * lit(24i64)
                + col("occurred_at").dt().hour().cast(DataType::Int64))
            .alias("_cell"),
        )
        .group_by([col("_group"), col("_cell")])
        .agg([col("count").sum().cast(DataType::Float64).alias("w")])
        .collect()?;
    let spans = base
        .filter(exact_filter.not())
        .select([
            col("_group"),
            col("occurred_at"),
            col("occurred_to"),
            col("has_time"),
            col("count"),
        ])
        .collect()?;

    let mut groups: std::collections::BTreeMap<String, [f64; CELLS]> = Default::default();
    let g = exact.column("_group")?.str()?;
    let c = exact.column("_cell")?.i64()?;
    let w = exact.column("w")?.f64()?;
    for ((g, c), w) in g.iter().zip(c.iter()).zip(w.iter()) {
        if let (Some(g), Some(c), Some(w)) = (g, c, w) {
            groups.entry(g.to_owned()).or_insert([0.0; CELLS])[c as usize] += w;
        }
    }
    let tz = local_zone();
    let g = spans.column("_group")?.str()?;
    let at = spans.column("occurred_at")?.datetime()?;
    let to = spans.column("occurred_to")?.datetime()?;
    let has_time = spans.column("has_time")?.bool()?;
    let count = spans.column("count")?.i64()?;
    let to_naive = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(|d| d.naive_utc());
    for i in 0..spans.height() {
        let (Some(group), Some(start)) = (g.get(i), at.phys.get(i).and_then(to_naive)) else {
            continue;
        };
        let end = match (to.phys.get(i).and_then(to_naive), has_time.get(i)) {
            (Some(end), _) => Some(end),
            (None, Some(false)) => Some(start + TimeDelta::days(1)),
            (None, _) => None,
        };
        let n = count.get(i).unwrap_or(1) as f64;
        let cells = groups.entry(group.to_owned()).or_insert([0.0; CELLS]);
        for (cell, w) in aoristic(start, end, tz) {
            cells[cell] += n * w;
        }
    }
    Ok(groups.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn hours(w: &[(usize, f64)]) -> Vec<(usize, f64)> {
        w.iter()
            .map(|&(c, w)| (c % 24, (w * 1e9).round() / 1e9))
            .collect()
    }

    #[test]
    fn golden_splits() {
        let tz = local_zone();
        // 2026-08-20 is a Thursday (day 3).
        assert_eq!(
            hours(&aoristic(
                t("2026-08-20 01:50"),
                Some(t("2026-08-20 02:10")),
                tz
            )),
            [(1, 0.5), (2, 0.5)]
        );
        let w = aoristic(t("2026-08-20 01:00"), Some(t("2026-08-20 02:30")), tz);
        assert_eq!(w[0].0, 3 * 24 + 1);
        assert!((w[0].1 - 2.0 / 3.0).abs() < 1e-12 && (w[1].1 - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            aoristic(t("2026-08-20 09:36"), None, tz),
            [(3 * 24 + 9, 1.0)]
        );
        assert_eq!(
            hours(&aoristic(
                t("2026-08-20 09:10"),
                Some(t("2026-08-20 09:50")),
                tz
            )),
            [(9, 1.0)]
        );
        // Swapped ends give the same weights.
        assert_eq!(
            aoristic(t("2026-08-20 02:10"), Some(t("2026-08-20 01:50")), tz),
            aoristic(t("2026-08-20 01:50"), Some(t("2026-08-20 02:10")), tz)
        );
        // Over 7 days: uniform.
        let long = aoristic(t("2026-08-01 00:00"), Some(t("2026-08-20 00:00")), tz);
        assert_eq!(long.len(), 168);
        assert!(long.iter().all(|&(_, w)| (w - 1.0 / 168.0).abs() < 1e-15));
    }

    #[test]
    fn daylight_saving_nights() {
        let tz = local_zone();
        // Last Sunday of March 2026: 02:00 CET jumps to 03:00 CEST; 01:30–03:30 is one real hour.
        let spring = aoristic(t("2026-03-29 01:30"), Some(t("2026-03-29 03:30")), tz);
        assert_eq!(hours(&spring), [(1, 0.5), (3, 0.5)]);
        assert_eq!(spring[0].0, 6 * 24 + 1, "a Sunday");
        // Last Sunday of October 2026: 03:00 CEST falls back to 02:00 CET; three real hours.
        let autumn = aoristic(t("2026-10-25 01:30"), Some(t("2026-10-25 03:30")), tz);
        let h = hours(&autumn);
        assert_eq!(h.len(), 3);
        assert_eq!((h[0].0, h[1].0, h[2].0), (1, 2, 3));
        assert!(
            (h[0].1 - 1.0 / 6.0).abs() < 1e-9
                && (h[1].1 - 4.0 / 6.0).abs() < 1e-9
                && (h[2].1 - 1.0 / 6.0).abs() < 1e-9
        );
    }

    #[test]
    fn weights_sum_to_one() {
        let tz = local_zone();
        for (a, b) in [
            ("2026-01-01 00:00", "2026-01-03 07:13"),
            ("2026-10-24 22:05", "2026-10-25 04:59"),
            ("2026-03-28 23:59", "2026-03-29 02:30"),
        ] {
            let s: f64 = aoristic(t(a), Some(t(b)), tz).iter().map(|w| w.1).sum();
            assert!((s - 1.0).abs() < 1e-12, "{a}–{b}: {s}");
        }
    }
}
