//! Incidents in the canonical format (docs/data-formats.md): reading any number of
//! files, typing and checking every value, and accounting for every row.

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::Aliases;
use crate::ingest::load::{load_files, Schema};
use crate::ingest::personal::Pseudonyms;
use crate::ingest::report::Loaded;
use crate::ingest::source::{IngestError, SourceTable};
use crate::ingest::table::LINE;
use crate::ingest::validate::{shown, Check, FILE};
use crate::ingest::values::{first_ms_of_year, yes_no};
use crate::lang::Lang;

pub use crate::model::INCIDENT_COLUMNS as COLUMNS;

/// Columns a file must have: an id, a time, and an offence (as text or as a brottskod).
const REQUIRED: &[&[&str]] = &[&["id"], &["occurred_at"], &["offence", "offence_code"]];

/// SWEREF 99 TM ranges that cover Sweden with a margin: easting, northing (metres).
const SWEREF_E: (f64, f64) = (180_000.0, 1_000_000.0);
const SWEREF_N: (f64, f64) = (6_100_000.0, 7_700_000.0);
/// WGS84 ranges that cover Sweden with a margin: latitude, longitude (degrees).
const WGS84_LAT: (f64, f64) = (55.0, 69.5);
const WGS84_LON: (f64, f64) = (10.5, 24.5);

const DAY_MS: i64 = 86_400_000;

/// Reads incident files. Every row of every file is accepted or rejected; an id seen
/// before (in the same or an earlier file) is rejected as a duplicate, naming where it
/// was first seen. A file that cannot be used at all stops the load with an error.
pub fn load_incidents(
    inputs: &[Location],
    aliases: &Aliases,
    lang: Lang,
) -> Result<Loaded, IngestError> {
    load_files(inputs, aliases, &Incidents::all(), lang)
}

/// [`load_incidents`] keeping of the accepted rows only the canonical `columns`:
/// every value is still checked and every row accounted for, but a column no one will
/// read is not held (12 M rows: free text and the other times took about 0,6 GB). The
/// id finds duplicates and is then let go unless asked for, as are each row's file and
/// line (the rejected rows have theirs): 12 M rows, 0,3 GB less.
pub fn load_incident_columns(
    inputs: &[Location],
    aliases: &Aliases,
    lang: Lang,
    columns: &[&str],
) -> Result<Loaded, IngestError> {
    let kept = COLUMNS
        .iter()
        .filter(|c| **c == "id" || columns.contains(c))
        .map(|c| (*c).to_owned())
        .collect();
    let let_go = ["id", FILE, LINE]
        .into_iter()
        .filter(|c| !columns.contains(c))
        .map(str::to_owned)
        .collect();
    let schema = Incidents {
        columns: kept,
        let_go,
        pseudonyms: Pseudonyms::Numbered,
    };
    load_files(inputs, aliases, &schema, lang)
}

/// [`load_incidents`] with ids that are personnummer replaced as `pseudonyms` says
/// (for a store: the same pseudonym for the same id in every import).
pub fn load_incidents_as(
    inputs: &[Location],
    aliases: &Aliases,
    lang: Lang,
    pseudonyms: Pseudonyms,
) -> Result<Loaded, IngestError> {
    let schema = Incidents {
        pseudonyms,
        ..Incidents::all()
    };
    load_files(inputs, aliases, &schema, lang)
}

/// Brå's name for each code in `codes` (four digits), the code itself otherwise.
fn code_names(codes: Expr) -> Expr {
    let list = crate::model::brottskoder::codes();
    let old = Series::new(
        "code".into(),
        list.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
    );
    let new = Series::new(
        "name".into(),
        list.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
    );
    codes
        .str()
        .strip_chars(lit(NULL))
        .replace(lit(old), lit(new))
}

/// The incident schema, keeping the canonical `columns` of the accepted rows (in
/// canonical order).
pub struct Incidents {
    columns: Vec<String>,
    /// Read for finding duplicates and then let go ([`Schema::let_go`]).
    let_go: Vec<String>,
    /// How an id that is a personnummer is replaced.
    pseudonyms: Pseudonyms,
}

impl Incidents {
    /// The schema keeping every canonical column.
    pub fn all() -> Self {
        Incidents {
            columns: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
            let_go: Vec::new(),
            pseudonyms: Pseudonyms::Numbered,
        }
    }
}

impl Schema for Incidents {
    fn required(&self) -> &[&[&str]] {
        REQUIRED
    }

    fn stages(&self, src: &SourceTable) -> Vec<Vec<Expr>> {
        stages(src)
    }

    fn checks(&self, src: &SourceTable, lang: Lang) -> Vec<Check> {
        checks(src, lang)
    }

    fn notes(&self, lang: Lang) -> Vec<(String, Expr)> {
        notes(lang)
    }

    fn columns(&self) -> Vec<String> {
        self.columns.clone()
    }

    fn key(&self) -> &[&str] {
        &["id"]
    }

    fn let_go(&self) -> Vec<String> {
        self.let_go.clone()
    }

    fn pseudonyms(&self) -> Pseudonyms {
        self.pseudonyms.clone()
    }

    fn numeric(&self) -> &[&str] {
        &["x", "y", "lat", "lon", "count", "suspect_age"]
    }
}

/// The typed canonical columns, in two stages: parsed values, then values that depend
/// on other parsed values (swapped axes, an offence given only as a code).
fn stages(src: &SourceTable) -> Vec<Vec<Expr>> {
    let (start, end) = (src.datetime("occurred_at"), src.datetime("occurred_to"));
    // A bare end date means "until that day was over": the next midnight.
    let end_value = when(end.has_time).then(end.value.clone()).otherwise(
        (end.value.cast(DataType::Int64) + lit(DAY_MS))
            .cast(DataType::Datetime(TimeUnit::Milliseconds, None)),
    );
    let code_like = |e: Expr| e.str().contains(lit(r"^\d{4}$"), true);
    let first = vec![
        src.raw("id").alias("id"),
        start.value.alias("occurred_at"),
        start.has_time.alias("has_time"),
        start.utc_offset.alias("utc_offset"),
        start.moved.alias("_moved_forward"),
        end.utc_offset.clone().alias("utc_offset_to"),
        end_value.alias("occurred_to"),
        // A code-only row is named by Brå's name for its code ("0412" → "Grov
        // kvinnofridskränkning"); a code Brå does not list stays as written.
        src.raw("offence")
            .fill_null(code_names(src.raw("offence_code")))
            .alias("offence"),
        src.raw("offence_code")
            .fill_null(
                when(code_like(src.raw("offence")))
                    .then(src.raw("offence"))
                    .otherwise(lit(NULL).cast(DataType::String)),
            )
            .alias("offence_code"),
        src.raw("place").alias("place"),
        src.number(src.raw("x")).alias("_x"),
        src.number(src.raw("y")).alias("_y"),
        src.number(src.raw("lat")).alias("_lat"),
        src.number(src.raw("lon")).alias("_lon"),
        src.integer(src.raw("suspect_age"))
            .cast(DataType::Int32)
            .alias("suspect_age"),
        yes_no(src.raw("close_relation")).alias("close_relation"),
        src.raw("source").alias("source"),
        src.integer(src.raw("count")).alias("_count"),
        src.raw("description").alias("description"),
    ];
    let mut second = vec![col("_count").fill_null(lit(1i64)).alias("count")];
    second.extend(put_right(
        ("_x", "_y"),
        ("x", "y"),
        SWEREF_N,
        SWEREF_E,
        "_swapped_xy",
    ));
    second.extend(put_right(
        ("_lat", "_lon"),
        ("lat", "lon"),
        WGS84_LON,
        WGS84_LAT,
        "_swapped_ll",
    ));
    vec![first, second]
}

/// The coordinate pair `parsed` as `out`, swapped back where the first value lies in
/// the second axis' range and the second in the first's (the columns were written the
/// wrong way round), plus a `flag` column marking those rows.
fn put_right(
    (a, b): (&str, &str),
    (out_a, out_b): (&str, &str),
    a_if_swapped: (f64, f64),
    b_if_swapped: (f64, f64),
    flag: &str,
) -> [Expr; 3] {
    let swap = swapped(col(a), col(b), a_if_swapped, b_if_swapped);
    [
        when(swap.clone())
            .then(col(b))
            .otherwise(col(a))
            .alias(out_a),
        when(swap.clone())
            .then(col(a))
            .otherwise(col(b))
            .alias(out_b),
        swap.alias(flag),
    ]
}

/// True where `a` lies in `a_if_swapped` and `b` in `b_if_swapped`.
fn swapped(a: Expr, b: Expr, a_if_swapped: (f64, f64), b_if_swapped: (f64, f64)) -> Expr {
    within(a, a_if_swapped).and(within(b, b_if_swapped))
}

fn within(e: Expr, (lo, hi): (f64, f64)) -> Expr {
    e.clone().gt_eq(lit(lo)).and(e.lt_eq(lit(hi)))
}

/// Milliseconds since the epoch in UTC of a local time with its offset in minutes.
fn instant(time: &str, offset: &str) -> Expr {
    col(time).cast(DataType::Int64) - col(offset).cast(DataType::Int64) * lit(60_000i64)
}

fn checks(src: &SourceTable, lang: Lang) -> Vec<Check> {
    let t = |sv: &str, en: &str| lang.pick(sv, en).to_owned();
    let present = |c: &str| src.raw(c).is_not_null();
    let value = |c: &str| shown(&src.header(c), src.raw(c));
    let invalid = |c: &str, typed: &str| present(c).and(col(typed).is_null());
    let pair = |a: &str, b: &str| concat_str([value(a), lit(", "), value(b)], "", false);
    let outside = |a: &str, b: &str, ra: (f64, f64), rb: (f64, f64)| {
        col(a)
            .is_not_null()
            .and(col(b).is_not_null())
            .and(within(col(a), ra).and(within(col(b), rb)).not())
    };
    vec![
        Check::new(
            t("id saknas", "missing id"),
            src.raw("id").is_null(),
            lit(""),
        ),
        Check::new(
            t("styrtecken i en cell", "control characters in a cell"),
            // NUL and other control characters (tab, line ends allowed) are no text a
            // person typed: a damaged or binary file. Cells are only looked at when
            // the file holds any.
            [
                "id",
                "offence",
                "offence_code",
                "place",
                "source",
                "description",
            ]
            .iter()
            .filter(|_| src.control_characters)
            .map(|c| {
                src.raw(c)
                    .str()
                    .contains(lit(crate::ingest::source::CONTROL_CHARACTERS), false)
                    .fill_null(lit(false))
            })
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false)),
            lit(""),
        ),
        Check::new(
            t("tidpunkt saknas", "missing date-time"),
            src.raw("occurred_at").is_null(),
            lit(""),
        ),
        Check::new(
            t("ogiltig tidpunkt", "invalid date-time"),
            invalid("occurred_at", "occurred_at"),
            value("occurred_at"),
        ),
        Check::new(
            t("ogiltig sluttid", "invalid end time"),
            invalid("occurred_to", "occurred_to"),
            value("occurred_to"),
        ),
        Check::new(
            t("sluttid före starttid", "end before start"),
            // Instants when both times gave their offsets (the October night's second
            // 01:10 comes after its first 02:30), else wall-clock times.
            when(
                col("utc_offset")
                    .is_not_null()
                    .and(col("utc_offset_to").is_not_null()),
            )
            .then(instant("occurred_to", "utc_offset_to").lt(instant("occurred_at", "utc_offset")))
            .otherwise(col("occurred_to").lt(col("occurred_at"))),
            pair("occurred_at", "occurred_to"),
        ),
        Check::new(
            t("orimligt år", "implausible year"),
            // A typo such as 20255 or 1025 would otherwise give thousands of empty years.
            // Compared as milliseconds: no date made of every time.
            {
                let ms = col("occurred_at").cast(DataType::Int64);
                ms.clone()
                    .lt(lit(first_ms_of_year(1900)))
                    .or(ms.gt_eq(lit(first_ms_of_year(2101))))
            },
            value("occurred_at"),
        ),
        Check::new(
            t("brottstyp saknas", "missing offence"),
            src.raw("offence")
                .is_null()
                .and(src.raw("offence_code").is_null()),
            lit(""),
        ),
        Check::new(
            t("ogiltig brottskod", "invalid offence code"),
            present("offence_code").and(
                src.raw("offence_code")
                    .str()
                    .contains(lit(r"^\d{4}$"), true)
                    .not(),
            ),
            value("offence_code"),
        ),
        Check::new(
            t("ogiltig koordinat", "invalid coordinate"),
            invalid("x", "_x")
                .or(invalid("y", "_y"))
                .or(invalid("lat", "_lat"))
                .or(invalid("lon", "_lon")),
            concat_str([pair("x", "y"), lit(", "), pair("lat", "lon")], "", false),
        ),
        Check::new(
            t("ofullständigt koordinatpar", "incomplete coordinate pair"),
            present("x")
                .neq(present("y"))
                .or(present("lat").neq(present("lon"))),
            concat_str([pair("x", "y"), lit(", "), pair("lat", "lon")], "", false),
        ),
        Check::new(
            t("koordinat utanför Sverige", "coordinate outside Sweden"),
            outside("x", "y", SWEREF_E, SWEREF_N).or(outside("lat", "lon", WGS84_LAT, WGS84_LON)),
            concat_str([pair("x", "y"), lit(", "), pair("lat", "lon")], "", false),
        ),
        Check::new(
            t("ogiltig ålder", "invalid age"),
            invalid("suspect_age", "suspect_age")
                .or(col("suspect_age").lt(lit(0)))
                .or(col("suspect_age").gt(lit(120))),
            value("suspect_age"),
        ),
        Check::new(
            t("ogiltigt ja/nej-värde", "invalid yes/no value"),
            invalid("close_relation", "close_relation"),
            value("close_relation"),
        ),
        Check::new(
            t("ogiltigt antal", "invalid count"),
            invalid("count", "_count").or(col("_count").lt(lit(1i64))),
            value("count"),
        ),
    ]
}

fn notes(lang: Lang) -> Vec<(String, Expr)> {
    vec![
        (
            lang.pick("x och y omkastade, rättade", "x and y swapped, corrected")
                .to_owned(),
            col("_swapped_xy"),
        ),
        (
            lang.pick(
                "lat och lon omkastade, rättade",
                "lat and lon swapped, corrected",
            )
            .to_owned(),
            col("_swapped_ll"),
        ),
        (
            lang.pick(
                "tid i timmen som hoppas över när sommartid börjar, flyttad fram en timme",
                "time in the hour skipped when summer time begins, moved one hour on",
            )
            .to_owned(),
            col("_moved_forward"),
        ),
    ]
}
