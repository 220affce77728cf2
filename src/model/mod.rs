//! The things a lägesbild is about: the municipality and its places, the priority
//! areas of the samverkansöverenskommelse, the survey definition, and the project
//! configuration.

pub mod bra;
pub mod brottskoder;
pub mod config;
pub mod event_types;
pub mod feed;
pub mod harm;
pub mod places;
pub mod priority;
pub mod promises;
pub mod publication;
pub mod said;
pub mod seriousness;
pub mod survey;
pub mod sweden;

/// The time zone every local time in lagesbild is expressed in.
pub const LOCAL_TIME_ZONE: &str = "Europe/Stockholm";

/// The place of incidents that could not be placed (named in the run's language where
/// it is shown: `Lang::place_name`).
pub const UNKNOWN_PLACE: &str = "okänd plats";

/// The place of an incident written as the municipality itself ("VIMMERBY KOMMUN"):
/// it counts in the municipality's totals, at no place of its own.
pub const MUNICIPALITY_PLACE: &str = "hela kommunen (ingen ort)";

/// Text of a missing offence, source or group, so that the cell is still counted
/// (named in the run's language where it is shown: `render`).
pub const MISSING_VALUE: &str = "(uppgift saknas)";

/// A survey answer's missing gender ("okänt") and age band ("okänd"), as counted
/// (named in the run's language where they are shown: `render`).
pub const UNKNOWN_GENDER: &str = "okänt";
/// See [`UNKNOWN_GENDER`].
pub const UNKNOWN_AGE_BAND: &str = "okänd";

/// The canonical incident columns, in output order.
pub const INCIDENT_COLUMNS: [&str; 18] = [
    "id",
    "occurred_at",
    "utc_offset",
    "occurred_to",
    "utc_offset_to",
    "has_time",
    "offence",
    "offence_code",
    "place",
    "x",
    "y",
    "lat",
    "lon",
    "suspect_age",
    "close_relation",
    "source",
    "count",
    "description",
];

/// The first year from which summer time in Sweden has always begun at 02:00 local
/// time, so that only 02:00–02:59 can be a time that does not exist.
pub const SKIPPED_HOUR_SINCE: i32 = 1980;

/// The one rule for a wall-clock time that does not exist in Swedish local time (the
/// hour skipped when summer time begins, 02:00–02:59 on the last Sunday of March): it
/// is read as the clock would have shown it had it been moved on, one hour later
/// (02:30 → 03:30), as clocks and most software do. Returns the time and whether it
/// was moved. `ingest::values` applies the same rule to whole columns.
pub fn spring_forward(wall: chrono::NaiveDateTime) -> (chrono::NaiveDateTime, bool) {
    use chrono::TimeZone;
    let zone: chrono_tz::Tz = LOCAL_TIME_ZONE.parse().expect("a valid time zone");
    match zone.from_local_datetime(&wall) {
        chrono::LocalResult::None => (wall + chrono::Duration::hours(1), true),
        _ => (wall, false),
    }
}

#[cfg(test)]
mod skipped_hour_tests {
    /// From [`super::SKIPPED_HOUR_SINCE`] on, the only local times summer time skips
    /// are 02:00–02:59, once a year, in the time-zone data compiled in.
    #[test]
    fn summer_time_skips_only_the_hour_from_two_since_1980() {
        use chrono::Timelike;
        let mut wall = chrono::NaiveDate::from_ymd_opt(super::SKIPPED_HOUR_SINCE, 1, 1)
            .unwrap()
            .and_hms_opt(0, 30, 0)
            .unwrap();
        // The compiled zone data end with 2099.
        let end = chrono::NaiveDate::from_ymd_opt(2100, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let mut skipped = 0;
        while wall < end {
            if super::spring_forward(wall).1 {
                skipped += 1;
                assert_eq!(wall.hour(), 2, "{wall}");
            }
            wall += chrono::Duration::hours(1);
        }
        assert_eq!(skipped, 2099 - super::SKIPPED_HOUR_SINCE + 1);
    }
}
