//! Polars expressions that turn text cells into typed values the way Swedish exports
//! write them. Every parser returns null where a present value does not parse, so the
//! caller can reject exactly those rows (`present & parsed.is_null()`).

use polars::prelude::*;

pub use crate::model::LOCAL_TIME_ZONE;

/// Parses a number written with a decimal comma or point, with spaces, no-break spaces
/// or (when a comma is present) points as thousands separators: `"1 234,5"`,
/// `"1.234,5"`, `"6403188,96"`, `"16.63"`, `"−3"`. Not-a-number and infinities are null.
/// True where a text is a plain decimal number with a point (`16.63`, `-3`).
pub fn plain_number(text: Expr) -> Expr {
    text.str().contains(lit(PLAIN_NUMBER), true)
}

/// The value of a column known to hold only plain numbers (or nothing).
pub fn plain_number_value(text: Expr) -> Expr {
    let value = text.cast(DataType::Float64);
    when(value.clone().is_finite())
        .then(value)
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// The whole-number value of a parsed number; fractions are null.
pub fn whole(n: Expr) -> Expr {
    when(
        n.clone()
            .floor()
            .eq(n.clone())
            .and(n.clone().abs().lt(lit(1e15))),
    )
    .then(n.cast(DataType::Int64))
    .otherwise(lit(NULL).cast(DataType::Int64))
}

/// Parses a number written with a decimal comma or point (see the module docs).
pub fn number(text: Expr) -> Expr {
    // Plain numbers ("16.63", "-3") need no rewriting: only the others go through the
    // replacements, which then see null (and cost nothing) for the plain ones.
    let plain_now = text.clone().str().contains(lit(PLAIN_NUMBER), true);
    let fast = text.clone().cast(DataType::Float64);
    let rest = when(plain_now.clone())
        .then(lit(NULL).cast(DataType::String))
        .otherwise(text);
    when(plain_now.and(fast.clone().is_finite()))
        .then(fast)
        .otherwise(normalised_number(rest))
}

/// A plain decimal number with a point (the float cast alone would also take "nan",
/// "inf" and "1e3").
const PLAIN_NUMBER: &str = r"^[+-]?(\d+\.?\d*|\.\d+)$";

/// The slow path of [`number`]: spaces out, decimal comma and thousands points handled.
fn normalised_number(text: Expr) -> Expr {
    let s = text
        .str()
        .replace_all(lit(r"[\s\u{00A0}\u{202F}]"), lit(""), false)
        .str()
        .replace_all(lit("\u{2212}"), lit("-"), true);
    let has_comma = s.clone().str().contains_literal(lit(","));
    let normalised = when(has_comma)
        .then(
            s.clone()
                .str()
                .replace_all(lit("."), lit(""), true)
                .str()
                .replace_all(lit(","), lit("."), true),
        )
        .otherwise(s);
    let value = normalised.clone().cast(DataType::Float64);
    // Only plain decimal numbers: the float cast would also take "nan", "inf", "1e3".
    let plain = normalised.str().contains(lit(PLAIN_NUMBER), true);
    when(plain.and(value.clone().is_finite()))
        .then(value)
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Parses a whole number (`"3"`, `"3,0"`, `"1 200"`); a fraction is null.
pub fn integer(text: Expr) -> Expr {
    whole(number(text))
}

/// Parses yes/no in the forms people type: ja/nej, j/n, yes/no, y/n, true/false,
/// sant/falskt, 1/0, x (ticked box). Anything else is null.
pub fn yes_no(text: Expr) -> Expr {
    let l = text.str().to_lowercase();
    let yes = Series::new(
        "yes".into(),
        ["ja", "j", "yes", "y", "true", "sant", "1", "x"],
    );
    let no = Series::new("no".into(), ["nej", "n", "no", "false", "falskt", "0"]);
    when(l.clone().is_in(lit(yes).implode(true), false))
        .then(lit(true))
        .when(l.is_in(lit(no).implode(true), false))
        .then(lit(false))
        .otherwise(lit(NULL).cast(DataType::Boolean))
}

/// Date-time pattern: ISO 8601 date, optional time with `:` or `.` between parts and a
/// hour that need not be zero-padded, optional fraction, optional `Z` or UTC offset.
const DATETIME_PATTERN: &str = r"^(?P<date>\d{4}[-/]\d{2}[-/]\d{2})(?:(?:T|\s+)(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:[.,]\d+)?)?)?\s*(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})?)?$";

/// A parsed date-time: local wall-clock time in [`LOCAL_TIME_ZONE`] as a naive
/// millisecond `Datetime`, and whether the text gave a time of day at all.
pub struct ParsedDateTime {
    /// The local date-time; null when the text does not parse or names no real moment.
    pub value: Expr,
    /// True when a time of day was given (false for a bare date).
    pub has_time: Expr,
    /// The UTC offset in minutes of the local time, when the text gave an offset or
    /// `Z`: it tells the two 02:30 of the October night apart. Null otherwise.
    pub utc_offset: Expr,
    /// True where the wall-clock time fell in the hour skipped in March and was moved
    /// one hour on ([`crate::model::spring_forward`]).
    pub moved: Expr,
}

/// Parses `2026-08-22`, `2026-08-22 09:36`, `2026-08-22T09:36:54`, `2026-08-22 9:36:54 +02:00`,
/// `2026-08-22T07:36:54Z` and the like. Values with an offset or `Z` are converted to
/// Swedish local time; values without are taken to be Swedish local time already.
pub fn datetime(text: Expr) -> PolarsResult<ParsedDateTime> {
    general_datetime(text)
}

/// Fixed formats that polars parses quickly, in the order they are tried.
pub const FAST_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
];

/// The fixed format a sample value is written in, if it is one of `FAST_FORMATS`.
pub fn detect_format(sample: &str) -> Option<&'static str> {
    FAST_FORMATS.into_iter().find(|f| {
        if f.contains("%H") {
            chrono::NaiveDateTime::parse_from_str(sample, f).is_ok()
        } else {
            chrono::NaiveDate::parse_from_str(sample, f).is_ok()
        }
    })
}

/// A date-time column parsed in one fixed format (one of `FAST_FORMATS`); values in
/// other forms are null.
pub fn fixed_format(text: Expr, format: &str) -> ParsedDateTime {
    fixed_format_of(fixed_parse(text, format), format)
}

/// [`fixed_format`] of a column already parsed by [`fixed_parse`] in `format`.
pub fn fixed_format_of(parsed: Expr, format: &str) -> ParsedDateTime {
    let timed = format.contains("%H");
    spring_forward(parsed, lit(timed), lit(NULL).cast(DataType::Int32))
}

/// The local date-times of a column in one fixed format (one of `FAST_FORMATS`), as
/// written: null where a value is in another form.
pub fn fixed_parse(text: Expr, format: &str) -> Expr {
    let timed = format.contains("%H");
    let options = StrptimeOptions {
        format: Some(format.into()),
        strict: false,
        exact: true,
        cache: !timed,
    };
    if timed {
        text.str()
            .to_datetime(Some(TimeUnit::Milliseconds), None, options, lit("raise"))
    } else {
        text.str()
            .to_date(options)
            .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
    }
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Milliseconds since the epoch of midnight on the first of January of `year`, as a
/// naive date-time column holds it (years past chrono's range are clamped to it).
pub fn first_ms_of_year(year: i32) -> i64 {
    let date = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(if year < 0 {
        chrono::NaiveDate::MIN
    } else {
        chrono::NaiveDate::MAX
    });
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_millis()
}

/// [`crate::model::spring_forward`] over a column of naive local times: a time in the
/// skipped hour of the March night is moved one hour on and marked.
fn spring_forward(value: Expr, has_time: Expr, utc_offset: Expr) -> ParsedDateTime {
    let zone = TimeZone::opt_try_new(Some(LOCAL_TIME_ZONE))
        .ok()
        .flatten()
        .expect("a valid time zone");
    // Since 1980 summer time has begun at 02:00 (`model`'s test checks the zone
    // data), so only 02:xx and older times are asked of the time zone; every other
    // time exists. Asking only them is a tenth of the work.
    // In milliseconds, not calendar fields (each converts every time to a date and is
    // a tenth of the time typing takes): from 1980 on a time is positive, so its
    // remainder of a day is its time of day.
    let ms = value.clone().cast(DataType::Int64);
    let time_of_day = ms.clone() % lit(DAY_MS);
    let may_be_skipped = ms
        .lt(lit(first_ms_of_year(crate::model::SKIPPED_HOUR_SINCE)))
        .or(time_of_day
            .clone()
            .gt_eq(lit(2 * HOUR_MS))
            .and(time_of_day.lt(lit(3 * HOUR_MS))));
    let candidates = when(may_be_skipped)
        .then(value.clone())
        .otherwise(lit(NULL).cast(DataType::Datetime(TimeUnit::Milliseconds, None)));
    let skipped = candidates.clone().is_not_null().and(
        candidates
            .dt()
            .replace_time_zone(Some(zone), lit("earliest"), NonExistent::Null)
            .is_null(),
    );
    let moved = value.clone().is_not_null().and(skipped);
    let value = when(moved.clone())
        .then(
            (value.clone().cast(DataType::Int64) + lit(3_600_000i64))
                .cast(DataType::Datetime(TimeUnit::Milliseconds, None)),
        )
        .otherwise(value);
    ParsedDateTime {
        value,
        has_time,
        utc_offset,
        moved,
    }
}

/// Combines a fixed-format parse with the general pattern for what it leaves; without
/// `general` the fixed format alone decides (for columns where every value fits it).
pub fn datetime_with(text: Expr, fast: Option<ParsedDateTime>, general: bool) -> ParsedDateTime {
    let general_of = |t: Expr| general_datetime(t).expect("the date-time pattern is valid");
    match (fast, general) {
        (None, _) => general_of(text),
        (Some(fast), false) => fast,
        (Some(fast), true) => {
            // The general pattern sees null (and costs little) where the fixed format worked.
            let rest = when(fast.value.clone().is_not_null())
                .then(lit(NULL).cast(DataType::String))
                .otherwise(text);
            let general = general_of(rest);
            let fast_worked = fast.value.clone().is_not_null();
            ParsedDateTime {
                value: fast.value.clone().fill_null(general.value),
                has_time: when(fast_worked.clone())
                    .then(fast.has_time)
                    .otherwise(general.has_time),
                utc_offset: when(fast_worked.clone())
                    .then(fast.utc_offset)
                    .otherwise(general.utc_offset),
                moved: when(fast_worked).then(fast.moved).otherwise(general.moved),
            }
        }
    }
}

/// The general path of [`datetime`]: the full pattern, offsets converted.
fn general_datetime(text: Expr) -> PolarsResult<ParsedDateTime> {
    let g = text.str().extract_groups(DATETIME_PATTERN)?;
    let field = |name: &str| g.clone().struct_().field_by_name(name);
    let int = |name: &str| field(name).cast(DataType::Int64);

    let date = field("date")
        .str()
        .replace_all(lit("/"), lit("-"), true)
        .str()
        .to_date(StrptimeOptions {
            format: Some("%Y-%m-%d".into()),
            strict: false,
            exact: true,
            cache: true,
        });
    let has_time = field("h").is_not_null();
    let (h, mi, s) = (
        int("h").fill_null(lit(0)),
        int("mi").fill_null(lit(0)),
        int("s").fill_null(lit(0)),
    );
    let time_ok = h
        .clone()
        .lt(lit(24))
        .and(mi.clone().lt(lit(60)))
        .and(s.clone().lt(lit(60)));

    let has_offset = field("z").is_not_null().or(field("sign").is_not_null());
    let sign = when(field("sign").eq(lit("-")))
        .then(lit(-1i64))
        .otherwise(lit(1i64));
    let offset_ms = sign
        * (int("oh").fill_null(lit(0)) * lit(3_600_000i64)
            + int("om").fill_null(lit(0)) * lit(60_000i64));
    let offset_ok = int("oh")
        .fill_null(lit(0))
        .lt_eq(lit(14))
        .and(int("om").fill_null(lit(0)).lt(lit(60)));

    let wall_ms = date.cast(DataType::Int32).cast(DataType::Int64) * lit(86_400_000i64)
        + h * lit(3_600_000i64)
        + mi * lit(60_000i64)
        + s * lit(1_000i64);
    let naive = wall_ms
        .clone()
        .cast(DataType::Datetime(TimeUnit::Milliseconds, None));
    let local_zone = TimeZone::opt_try_new(Some(LOCAL_TIME_ZONE))?.expect("a zone was given");
    let utc_ms = wall_ms.clone() - offset_ms;
    let from_utc = utc_ms
        .clone()
        .cast(DataType::Datetime(
            TimeUnit::Milliseconds,
            Some(TimeZone::UTC),
        ))
        .dt()
        .convert_time_zone(local_zone)
        .dt()
        .replace_time_zone(None, lit("raise"), NonExistent::Raise);
    let valid = time_ok.and(offset_ok);
    let converted = has_offset.and(has_time.clone());
    // The local offset of a converted time: local wall clock minus UTC, in minutes.
    let local_offset =
        ((from_utc.clone().cast(DataType::Int64) - utc_ms) / lit(60_000i64)).cast(DataType::Int32);
    let utc_offset = when(valid.clone().and(converted.clone()))
        .then(local_offset)
        .otherwise(lit(NULL).cast(DataType::Int32));
    let value = when(valid.clone().not())
        .then(lit(NULL).cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
        .when(converted.clone())
        .then(from_utc)
        .otherwise(naive);
    // A converted time always exists; only a naive wall-clock time can fall in the gap.
    let forward = spring_forward(value.clone(), has_time.clone(), utc_offset.clone());
    Ok(ParsedDateTime {
        value: when(converted.clone()).then(value).otherwise(forward.value),
        has_time,
        utc_offset,
        moved: forward.moved.and(converted.not()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(values: &[Option<&str>]) -> LazyFrame {
        df!("v" => values).unwrap().lazy()
    }

    fn floats(values: &[Option<&str>], f: fn(Expr) -> Expr) -> Vec<Option<f64>> {
        let out = frame(values)
            .select([f(col("v")).cast(DataType::Float64)])
            .collect()
            .unwrap();
        out.column("v").unwrap().f64().unwrap().iter().collect()
    }

    #[test]
    fn numbers_take_decimal_comma_and_thousands_separators() {
        let got = floats(
            &[
                Some("1 234,5"),
                Some("1.234,5"),
                Some("6403188,96"),
                Some("16.63"),
                Some("−3"),
                Some("12\u{a0}000"),
                Some("abc"),
                Some("1,2,3"),
                Some("nan"),
                Some("inf"),
                Some("1e3"),
                None,
            ],
            number,
        );
        assert_eq!(
            got,
            [
                Some(1234.5),
                Some(1234.5),
                Some(6403188.96),
                Some(16.63),
                Some(-3.0),
                Some(12000.0),
                None,
                None,
                None,
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn integers_reject_fractions() {
        let got = floats(
            &[Some("3"), Some("3,0"), Some("2,5"), Some("-1"), Some("x")],
            integer,
        );
        assert_eq!(got, [Some(3.0), Some(3.0), None, Some(-1.0), None]);
    }

    #[test]
    fn yes_no_in_swedish_and_english() {
        let out = frame(&[
            Some("Ja"),
            Some("NEJ"),
            Some("x"),
            Some("0"),
            Some("kanske"),
            None,
        ])
        .select([yes_no(col("v")).alias("v")])
        .collect()
        .unwrap();
        let got: Vec<Option<bool>> = out.column("v").unwrap().bool().unwrap().iter().collect();
        assert_eq!(
            got,
            [Some(true), Some(false), Some(true), Some(false), None, None]
        );
    }

    #[test]
    fn hinted_fast_path_gives_the_same_values() {
        let inputs = [
            Some("2026-08-22 09:36"),
            Some("2026-08-22 9:36:54 +02:00"),
            Some("2026-02-30 10:00"),
            Some("2026-08-22"),
            None,
        ];
        assert_eq!(detect_format("2026-08-22 09:36"), Some("%Y-%m-%d %H:%M"));
        assert_eq!(
            detect_format("2026-08-22T09:36:00"),
            Some("%Y-%m-%dT%H:%M:%S")
        );
        assert_eq!(detect_format("2026-08-22"), Some("%Y-%m-%d"));
        assert_eq!(detect_format("22/8 2026"), None);
        for hint in [None, Some("%Y-%m-%d %H:%M"), Some("%Y-%m-%d")] {
            let parsed = datetime_with(col("v"), hint.map(|h| fixed_format(col("v"), h)), true);
            let out = frame(&inputs)
                .select([
                    parsed.value.dt().to_string("%Y-%m-%d %H:%M:%S").alias("t"),
                    parsed.has_time.alias("h"),
                ])
                .collect()
                .unwrap();
            let t: Vec<Option<&str>> = out.column("t").unwrap().str().unwrap().iter().collect();
            let h: Vec<Option<bool>> = out.column("h").unwrap().bool().unwrap().iter().collect();
            assert_eq!(
                t,
                [
                    Some("2026-08-22 09:36:00"),
                    Some("2026-08-22 09:36:54"),
                    None,
                    Some("2026-08-22 00:00:00"),
                    None
                ],
                "{hint:?}"
            );
            assert_eq!(&h[..2], [Some(true), Some(true)], "{hint:?}");
            assert_eq!(h[3], Some(false), "{hint:?}");
        }
    }

    /// The last Sundays of March and October 2024–2027.
    const DST_NIGHTS: [(&str, &str); 4] = [
        ("2024-03-31", "2024-10-27"),
        ("2025-03-30", "2025-10-26"),
        ("2026-03-29", "2026-10-25"),
        ("2027-03-28", "2027-10-31"),
    ];

    /// Local time, offset and "moved" for each input, through the fast path when a
    /// hint is given and the general one otherwise.
    fn parse_all(
        inputs: &[String],
        hint: Option<&str>,
    ) -> Vec<(Option<String>, Option<i32>, Option<bool>)> {
        let values: Vec<Option<&str>> = inputs.iter().map(|s| Some(s.as_str())).collect();
        let parsed = datetime_with(col("v"), hint.map(|h| fixed_format(col("v"), h)), true);
        let out = frame(&values)
            .select([
                parsed.value.dt().to_string("%Y-%m-%d %H:%M").alias("t"),
                parsed.utc_offset.alias("o"),
                parsed.moved.alias("m"),
            ])
            .collect()
            .unwrap();
        let t = out.column("t").unwrap().str().unwrap().clone();
        let o = out.column("o").unwrap().i32().unwrap().clone();
        let m = out.column("m").unwrap().bool().unwrap().clone();
        (0..out.height())
            .map(|i| (t.get(i).map(str::to_owned), o.get(i), m.get(i)))
            .collect()
    }

    #[test]
    fn the_repeated_october_hour_stays_two_hours() {
        for (_, october) in DST_NIGHTS {
            // 00:30 UTC is 02:30 summer time (+2), 01:30 UTC is 02:30 winter time (+1).
            let inputs = [
                format!("{october}T00:30:00Z"),
                format!("{october}T01:30:00Z"),
                format!("{october} 02:30:00 +02:00"),
                format!("{october} 02:30:00 +01:00"),
            ];
            let got = parse_all(&inputs, None);
            let local = Some(format!("{october} 02:30"));
            assert_eq!(got[0], (local.clone(), Some(120), Some(false)), "{october}");
            assert_eq!(got[1], (local.clone(), Some(60), Some(false)), "{october}");
            assert_eq!(got[2], got[0], "{october}");
            assert_eq!(got[3], got[1], "{october}");
        }
    }

    #[test]
    fn a_time_in_the_skipped_march_hour_moves_one_hour_on_every_path() {
        for (march, _) in DST_NIGHTS {
            for (hint, text) in [
                (Some("%Y-%m-%d %H:%M"), format!("{march} 02:30")),
                (Some("%Y-%m-%d %H:%M:%S"), format!("{march} 02:30:00")),
                (None, format!("{march}T02:30")),
                (None, format!("{march} 2.30")),
            ] {
                let got = parse_all(&[text.clone(), format!("{march} 01:59")], hint);
                assert_eq!(
                    got[0],
                    (Some(format!("{march} 03:30")), None, Some(true)),
                    "{text} {hint:?}"
                );
                assert_eq!(
                    got[1],
                    (Some(format!("{march} 01:59")), None, Some(false)),
                    "{text}"
                );
            }
            let wall = chrono::NaiveDateTime::parse_from_str(
                &format!("{march} 02:30:00"),
                "%Y-%m-%d %H:%M:%S",
            )
            .unwrap();
            assert_eq!(
                crate::model::spring_forward(wall)
                    .0
                    .format("%H:%M")
                    .to_string(),
                "03:30"
            );
            assert_eq!(
                crate::ingest::polisen::parse_published(&format!("{march} 02:30:00"))
                    .map(|t| t.format("%H:%M").to_string()),
                Some("03:30".to_owned())
            );
        }
    }

    #[test]
    fn datetimes_in_the_formats_analysts_export() {
        let inputs = [
            Some("2026-08-22 9:36:54 +02:00"),
            Some("2026-08-22T07:36:54Z"),
            Some("2026-08-22 09:36"),
            Some("2026-08-22"),
            Some("2026-01-15 12:00 +01:00"),
            Some("2026-08-22T09.36"),
            Some("2026/08/22 23:59:59.250"),
            Some("2026-02-30"),
            Some("2026-08-22 24:00"),
            Some("22/8 2026"),
            None,
        ];
        let parsed = datetime(col("v")).unwrap();
        let out = frame(&inputs)
            .select([
                parsed.value.dt().to_string("%Y-%m-%d %H:%M:%S").alias("t"),
                parsed.has_time.alias("h"),
            ])
            .collect()
            .unwrap();
        let t: Vec<Option<&str>> = out.column("t").unwrap().str().unwrap().iter().collect();
        assert_eq!(
            t,
            [
                Some("2026-08-22 09:36:54"),
                Some("2026-08-22 09:36:54"),
                Some("2026-08-22 09:36:00"),
                Some("2026-08-22 00:00:00"),
                Some("2026-01-15 12:00:00"),
                Some("2026-08-22 09:36:00"),
                Some("2026-08-22 23:59:59"),
                None,
                None,
                None,
                None,
            ]
        );
        let h: Vec<Option<bool>> = out.column("h").unwrap().bool().unwrap().iter().collect();
        assert_eq!(&h[..4], [Some(true), Some(true), Some(true), Some(false)]);
    }
}
