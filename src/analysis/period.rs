//! Calendar periods: year, quarter, month, ISO week and rolling 12 months, each
//! numbered by a running index so that "the previous period" is index − 1 (− 12 for
//! rolling 12 months, whose windows overlap).

use chrono::{Datelike, Days, NaiveDate};
use polars::prelude::*;

/// The period a count is made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Period {
    /// Calendar year (`2025`).
    Year,
    /// Quarter (`2025-Q1`).
    Quarter,
    /// Month (`2025-03`).
    Month,
    /// ISO 8601 week (`2025-W09`).
    Week,
    /// The 12 months ending with the named month (`2025-03` = April 2024 – March 2025).
    Rolling12,
}

/// 1970-01-05, the first Monday after the Unix epoch, as days since the epoch.
const FIRST_MONDAY: i64 = 4;

/// Column of a frame worked on many times (the long frame, the month cube) holding
/// each incident's month as [`Period::Month`]'s index, so that counting by year,
/// quarter or month does not convert every date-time again.
pub const MONTH_INDEX: &str = "_month_index";

/// Expression giving [`Period::Month`]'s index of `frame`'s `occurred_at`, as 32-bit
/// integers (the column [`MONTH_INDEX`]): looked up by day ([`Period::index_by_day`])
/// between the frame's first and last day.
pub fn month_index_of(frame: &DataFrame) -> PolarsResult<Expr> {
    let at = col("occurred_at");
    Ok(match date_extent(frame, "occurred_at")? {
        Some((first, last)) => Period::Month.index_by_day(at, first, last),
        // No time at all: every index is missing either way.
        None => Period::Month.index_expr(at),
    }
    .cast(DataType::Int32))
}

/// The date `days` days after 1970-01-01 (before it when negative), as polars stores a
/// date; `None` outside the calendar chrono knows.
pub fn date_of_day(days: i64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(chrono::Duration::try_days(days)?)
}

/// The date of the earliest value of the date-time column `earliest` and of the latest
/// of `occurred_at` in `frame`; `None` when either has no value. The date of the
/// earliest time is the earliest date: one conversion, not one per row.
pub fn date_extent(
    frame: &DataFrame,
    earliest: &str,
) -> PolarsResult<Option<(NaiveDate, NaiveDate)>> {
    let extent = frame
        .clone()
        .lazy()
        .select([
            col(earliest).min().dt().date().alias("lo"),
            col("occurred_at").max().dt().date().alias("hi"),
        ])
        .collect()?;
    let get = |name: &str| -> PolarsResult<Option<NaiveDate>> {
        let days = extent
            .column(name)?
            .as_materialized_series()
            .cast(&DataType::Int32)?;
        Ok(days.i32()?.get(0).and_then(|d| date_of_day(i64::from(d))))
    };
    Ok(get("lo")?.zip(get("hi")?))
}

/// The whole days from `first` to each value of a date-time column (negative before).
fn days_since(datetime: Expr, first: NaiveDate) -> Expr {
    let epoch = first.signed_duration_since(NaiveDate::default()).num_days();
    datetime
        .dt()
        .date()
        .cast(DataType::Int32)
        .cast(DataType::Int64)
        - lit(epoch)
}

impl Period {
    /// How many indices back the comparison period lies (12 for rolling 12 months, so
    /// that the two windows do not overlap).
    pub fn comparison_lag(self) -> i64 {
        if self == Period::Rolling12 {
            12
        } else {
            1
        }
    }

    /// Expression giving the index of the period (for rolling 12: of the month) that a
    /// date-time column falls in.
    pub fn index_expr(self, datetime: Expr) -> Expr {
        let year = datetime.clone().dt().year().cast(DataType::Int64);
        match self {
            Period::Year => year,
            Period::Quarter => {
                year * lit(4i64) + datetime.dt().quarter().cast(DataType::Int64) - lit(1i64)
            }
            Period::Month | Period::Rolling12 => {
                year * lit(12i64) + datetime.dt().month().cast(DataType::Int64) - lit(1i64)
            }
            Period::Week => {
                let days = datetime
                    .clone()
                    .dt()
                    .date()
                    .cast(DataType::Int32)
                    .cast(DataType::Int64);
                let monday = days - (datetime.dt().weekday().cast(DataType::Int64) - lit(1i64));
                (monday - lit(FIRST_MONDAY)).floor_div(lit(7i64))
            }
        }
    }

    /// Expression giving the index of the period from [`Period::Month`]'s index (see
    /// [`MONTH_INDEX`]); `None` for weeks, which months do not determine.
    pub fn index_from_month(self, month: Expr) -> Option<Expr> {
        let month = month.cast(DataType::Int64);
        // Years are positive, so integer division is the floor.
        match self {
            Period::Year => Some(month / lit(12i64)),
            Period::Quarter => Some(month / lit(3i64)),
            Period::Month | Period::Rolling12 => Some(month),
            Period::Week => None,
        }
    }

    /// [`Period::index_expr`] for date-times known to fall from `first` to `last`: each
    /// value's day is looked up in a table of the period index of every day between,
    /// one pass over the column instead of a calendar conversion per value and part
    /// (year and month are two). A day outside the range gives an error, never a wrong
    /// index; a missing time stays missing.
    pub fn index_by_day(self, datetime: Expr, first: NaiveDate, last: NaiveDate) -> Expr {
        let days = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| self.index_of(d))
            .collect::<Vec<i64>>();
        let table = Series::new("period_of_day".into(), days);
        // Unsigned positions: polars would count a negative one from the end.
        let position = days_since(datetime, first).strict_cast(IDX_DTYPE);
        lit(table).gather(position, false)
    }

    /// The index of the period a date falls in (same numbering as [`Period::index_expr`]).
    pub fn index_of(self, d: NaiveDate) -> i64 {
        let (y, m) = (i64::from(d.year()), i64::from(d.month0()));
        match self {
            Period::Year => y,
            Period::Quarter => y * 4 + m / 3,
            Period::Month | Period::Rolling12 => y * 12 + m,
            Period::Week => {
                let days = d.signed_duration_since(NaiveDate::default()).num_days();
                let monday = days - i64::from(d.weekday().num_days_from_monday());
                (monday - FIRST_MONDAY).div_euclid(7)
            }
        }
    }

    /// First and last day of the period with this index (for rolling 12: the window
    /// ending with the indexed month).
    pub fn bounds(self, index: i64) -> (NaiveDate, NaiveDate) {
        let month_start = |i: i64| {
            NaiveDate::from_ymd_opt(i.div_euclid(12) as i32, (i.rem_euclid(12) + 1) as u32, 1)
                .expect("a valid month")
        };
        let day_before = |d: NaiveDate| d.pred_opt().expect("not the first day of time");
        match self {
            Period::Year => {
                let y = index as i32;
                (ymd(y, 1, 1), ymd(y, 12, 31))
            }
            Period::Quarter => (
                month_start(index * 3),
                day_before(month_start(index * 3 + 3)),
            ),
            Period::Month => (month_start(index), day_before(month_start(index + 1))),
            Period::Rolling12 => (month_start(index - 11), day_before(month_start(index + 1))),
            Period::Week => {
                // Weeks before 1970 too (a negative day number); clamped to the calendar.
                let monday = date_of_day(FIRST_MONDAY + 7 * index).unwrap_or(NaiveDate::MIN);
                (
                    monday,
                    monday
                        .checked_add_days(Days::new(6))
                        .unwrap_or(NaiveDate::MAX),
                )
            }
        }
    }

    /// The label of the period with this index: `2025`, `2025-Q1`, `2025-03`, `2025-W09`.
    pub fn label(self, index: i64) -> String {
        match self {
            Period::Year => index.to_string(),
            Period::Quarter => format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
            Period::Month | Period::Rolling12 => {
                format!("{}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
            }
            Period::Week => self.bounds(index).0.format("%G-W%V").to_string(),
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The last complete month of `year` in the data, when the year was not over on
/// `generated` (the report's date) and the data end within it: the month of the
/// latest incident if that incident falls on the month's last day, else the month
/// before (0 when not even January is complete). `None` when the data reach December
/// of a year that was over when the report was made (quiet days at its end are no
/// missing data), when the data run to 31 December or beyond, or hold nothing of
/// `year`. Data that end before December stay partial whenever the report is made: a
/// whole month without a single incident is an export that ended, not a quiet month.
pub fn last_complete_month(
    incidents: &DataFrame,
    year: i32,
    generated: NaiveDate,
) -> PolarsResult<Option<u32>> {
    let latest = incidents
        .clone()
        .lazy()
        .select([col("occurred_at").max().dt().date().alias("latest")])
        .collect()?;
    // Dates are days since 1970-01-01, which is day 719 163 of the common era.
    let Some(latest) = latest
        .column("latest")?
        .date()?
        .physical()
        .get(0)
        .and_then(|days| NaiveDate::from_num_days_from_ce_opt(days + 719_163))
    else {
        return Ok(None);
    };
    let over = generated.year() > year && latest.month() == 12;
    if over || latest.year() != year || (latest.month() == 12 && latest.day() == 31) {
        return Ok(None);
    }
    let last_day = latest
        .succ_opt()
        .is_none_or(|next| next.month() != latest.month());
    Ok(Some(if last_day {
        latest.month()
    } else {
        latest.month() - 1
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ending(date: &str) -> DataFrame {
        let t = chrono::NaiveDateTime::parse_from_str(&format!("{date} 12:00"), "%Y-%m-%d %H:%M")
            .unwrap();
        df!("occurred_at" => [t]).unwrap()
    }

    #[test]
    fn periods_from_the_month_index_are_the_periods_from_the_date() {
        // Every day of 2023–2025 and a few far years, at the day's first and last
        // millisecond: the index worked out from the month is the one from the date.
        let mut times = Vec::new();
        let mut day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        while day.year() <= 2025 {
            times.push(day.and_hms_opt(0, 0, 0).unwrap());
            times.push(day.and_hms_milli_opt(23, 59, 59, 999).unwrap());
            day = day.succ_opt().unwrap();
        }
        for (y, m, d) in [(1, 1, 1), (1969, 12, 31), (1970, 1, 1), (9999, 12, 31)] {
            times.push(
                NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(12, 0, 0)
                    .unwrap(),
            );
        }
        let frame = df!("occurred_at" => times).unwrap();
        for p in [
            Period::Year,
            Period::Quarter,
            Period::Month,
            Period::Rolling12,
        ] {
            let both = frame
                .clone()
                .lazy()
                .with_column(month_index_of(&frame).unwrap().alias(MONTH_INDEX))
                .select([
                    p.index_expr(col("occurred_at")).alias("from_date"),
                    p.index_from_month(col(MONTH_INDEX))
                        .unwrap()
                        .alias("from_month"),
                ])
                .collect()
                .unwrap();
            assert_eq!(both.column("from_date").unwrap().dtype(), &DataType::Int64);
            assert_eq!(
                both.column("from_date").unwrap().as_materialized_series(),
                &both
                    .column("from_month")
                    .unwrap()
                    .as_materialized_series()
                    .clone()
                    .with_name("from_date".into()),
                "{p:?}"
            );
        }
        assert!(Period::Week.index_from_month(col(MONTH_INDEX)).is_none());
    }

    #[test]
    fn periods_from_the_day_table_are_the_periods_from_the_date() {
        // Every day from December 1969 to January 2026 at its first and last
        // millisecond (before the epoch too, where a day's milliseconds are negative),
        // and a missing time: the index looked up by day is the calendar's, in every
        // period.
        let (first, last) = (
            NaiveDate::from_ymd_opt(1969, 12, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        );
        let mut times = Vec::new();
        for day in first.iter_days().take_while(|d| *d <= last) {
            times.push(Some(day.and_hms_opt(0, 0, 0).unwrap()));
            times.push(Some(day.and_hms_milli_opt(23, 59, 59, 999).unwrap()));
        }
        times.push(None);
        let frame = df!("occurred_at" => times).unwrap();
        for p in [
            Period::Year,
            Period::Quarter,
            Period::Month,
            Period::Rolling12,
            Period::Week,
        ] {
            let both = frame
                .clone()
                .lazy()
                .select([
                    p.index_expr(col("occurred_at")).alias("by_calendar"),
                    p.index_by_day(col("occurred_at"), first, last)
                        .alias("by_day"),
                ])
                .collect()
                .unwrap();
            let by_day = both.column("by_day").unwrap();
            assert_eq!(by_day.dtype(), &DataType::Int64);
            assert_eq!(by_day.null_count(), 1, "{p:?}");
            assert_eq!(
                both.column("by_calendar").unwrap().as_materialized_series(),
                &by_day
                    .as_materialized_series()
                    .clone()
                    .with_name("by_calendar".into()),
                "{p:?}"
            );
        }
        // A day outside the table is an error, not a wrong period.
        let months_between = |from: NaiveDate, to: NaiveDate| {
            frame
                .clone()
                .lazy()
                .select([Period::Month.index_by_day(col("occurred_at"), from, to)])
                .collect()
        };
        assert!(months_between(first.succ_opt().unwrap(), last).is_err());
        assert!(months_between(first, last.pred_opt().unwrap()).is_err());
        // Days before the epoch and weeks around it come back as dates.
        assert_eq!(date_of_day(-1), NaiveDate::from_ymd_opt(1969, 12, 31));
        let week = Period::Week.index_of(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap());
        assert_eq!(
            Period::Week.bounds(week),
            (
                NaiveDate::from_ymd_opt(1969, 12, 29).unwrap(),
                NaiveDate::from_ymd_opt(1970, 1, 4).unwrap()
            )
        );
    }

    #[test]
    fn the_last_complete_month_of_a_year_not_over() {
        let during = |y: i32| NaiveDate::from_ymd_opt(y, 11, 29).unwrap();
        let month =
            |date: &str, year: i32| last_complete_month(&ending(date), year, during(year)).unwrap();
        assert_eq!(month("2025-10-31", 2025), Some(10));
        assert_eq!(month("2025-11-15", 2025), Some(10));
        assert_eq!(month("2024-02-29", 2024), Some(2));
        assert_eq!(month("2025-01-20", 2025), Some(0));
        assert_eq!(month("2025-12-31", 2025), None);
        assert_eq!(month("2026-01-03", 2025), None);
        // A report made after the year is over: quiet last days are no missing data.
        let after = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            last_complete_month(&ending("2025-12-28"), 2025, after).unwrap(),
            None
        );
        // …but an export that ended in November is still partial a year later.
        assert_eq!(
            last_complete_month(&ending("2025-11-30"), 2025, after).unwrap(),
            Some(11)
        );
    }

    #[test]
    fn labels_bounds_and_indices_agree() {
        let d = ymd(2025, 3, 1);
        for (p, label, from, to) in [
            (Period::Year, "2025", ymd(2025, 1, 1), ymd(2025, 12, 31)),
            (
                Period::Quarter,
                "2025-Q1",
                ymd(2025, 1, 1),
                ymd(2025, 3, 31),
            ),
            (Period::Month, "2025-03", ymd(2025, 3, 1), ymd(2025, 3, 31)),
            (Period::Week, "2025-W09", ymd(2025, 2, 24), ymd(2025, 3, 2)),
            (
                Period::Rolling12,
                "2025-03",
                ymd(2024, 4, 1),
                ymd(2025, 3, 31),
            ),
        ] {
            let i = p.index_of(d);
            assert_eq!(p.label(i), label);
            assert_eq!(p.bounds(i), (from, to), "{label}");
        }
        // ISO week 1 of 2026 starts on Monday 2025-12-29; 2026-12-31 is in week 53.
        assert_eq!(
            Period::Week.label(Period::Week.index_of(ymd(2025, 12, 29))),
            "2026-W01"
        );
        assert_eq!(
            Period::Week.label(Period::Week.index_of(ymd(2026, 12, 31))),
            "2026-W53"
        );
        assert_eq!(
            Period::Week.index_of(ymd(2026, 1, 4)) - Period::Week.index_of(ymd(2025, 12, 29)),
            0
        );
    }

    #[test]
    fn polars_index_matches_rust_index() {
        let dates = [
            ymd(2024, 2, 29),
            ymd(2025, 12, 29),
            ymd(2026, 1, 4),
            ymd(1999, 12, 31),
        ];
        let df =
            df!("d" => dates.iter().map(|d| d.and_hms_opt(13, 0, 0).unwrap()).collect::<Vec<_>>())
                .unwrap();
        for p in [Period::Year, Period::Quarter, Period::Month, Period::Week] {
            let out = df
                .clone()
                .lazy()
                .select([p.index_expr(col("d")).alias("i")])
                .collect()
                .unwrap();
            let got: Vec<i64> = out
                .column("i")
                .unwrap()
                .i64()
                .unwrap()
                .iter()
                .map(|v| v.unwrap())
                .collect();
            let want: Vec<i64> = dates.iter().map(|d| p.index_of(*d)).collect();
            assert_eq!(got, want, "{p:?}");
        }
    }
}
