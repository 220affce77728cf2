//! Survey responses (one row per respondent) read against a survey definition: every
//! answer must be a code on its item's scale; "vet ej" and empty answers are kept as
//! such and left out of denominators later.

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::Aliases;
use crate::ingest::load::{load_files, Schema};
use crate::ingest::report::Loaded;
use crate::ingest::source::{IngestError, SourceTable};
use crate::ingest::validate::{shown, Check};
use crate::lang::Lang;
use crate::model::survey::SurveyDefinition;

/// The fixed columns of a response file, before the items.
pub const FIXED: [&str; 6] = ["respondent_id", "year", "place", "weight", "age", "gender"];

/// Reads response files. Rows are rejected for a missing id, year or place, a weight
/// that is not a positive number, an impossible age, or an answer code not on the
/// item's scale; a respondent id repeated within a year is a duplicate.
pub fn load_survey(
    inputs: &[Location],
    aliases: &Aliases,
    definition: &SurveyDefinition,
    lang: Lang,
) -> Result<Loaded, IngestError> {
    load_files(inputs, aliases, &Responses { definition }, lang)
}

/// The response schema of one survey definition.
pub struct Responses<'a> {
    /// The survey.
    pub definition: &'a SurveyDefinition,
}

impl Schema for Responses<'_> {
    fn required(&self) -> &[&[&str]] {
        &[&["respondent_id"], &["year"], &["place"]]
    }

    fn stages(&self, src: &SourceTable) -> Vec<Vec<Expr>> {
        let mut typed = vec![
            src.raw("respondent_id").alias("respondent_id"),
            src.integer(src.raw("year"))
                .cast(DataType::Int32)
                .alias("year"),
            src.raw("place").alias("place"),
            src.number(src.raw("weight")).alias("_weight"),
            src.integer(src.raw("age"))
                .cast(DataType::Int32)
                .alias("age"),
            src.raw("gender").alias("gender"),
        ];
        for item in &self.definition.items {
            typed.push(
                src.integer(src.raw_header(&item.id))
                    .alias(item.id.as_str()),
            );
        }
        vec![
            typed,
            vec![col("_weight").fill_null(lit(1.0)).alias("weight")],
        ]
    }

    fn checks(&self, src: &SourceTable, lang: Lang) -> Vec<Check> {
        let t = |sv: &str, en: &str| lang.pick(sv, en).to_owned();
        let value = |c: &str| shown(&src.header(c), src.raw(c));
        let present = |c: &str| src.raw(c).is_not_null();
        let mut checks = vec![
            Check::new(
                t("svars-id saknas", "missing respondent id"),
                src.raw("respondent_id").is_null(),
                lit(""),
            ),
            Check::new(
                t("ogiltigt år", "invalid year"),
                src.raw("year")
                    .is_null()
                    .or(col("year").is_null())
                    .or(col("year").lt(lit(1900)))
                    .or(col("year").gt(lit(2100))),
                value("year"),
            ),
            Check::new(
                t("plats saknas", "missing place"),
                src.raw("place").is_null(),
                lit(""),
            ),
            Check::new(
                t("ogiltig vikt", "invalid weight"),
                present("weight").and(col("_weight").is_null().or(col("_weight").lt_eq(lit(0.0)))),
                value("weight"),
            ),
            Check::new(
                t("ogiltig ålder", "invalid age"),
                present("age").and(
                    col("age")
                        .is_null()
                        .or(col("age").lt(lit(0)))
                        .or(col("age").gt(lit(120))),
                ),
                value("age"),
            ),
        ];
        for item in &self.definition.items {
            let codes = Series::new("codes".into(), item.codes());
            let raw = src.raw_header(&item.id);
            checks.push(Check::new(
                format!(
                    "{}: {}",
                    lang.pick("svarskod utanför skalan", "answer code not on the scale"),
                    item.id
                ),
                raw.clone().is_not_null().and(
                    col(item.id.as_str())
                        .is_in(lit(codes).implode(true), false)
                        .not()
                        .or(col(item.id.as_str()).is_null()),
                ),
                shown(&item.id, raw),
            ));
        }
        checks
    }

    fn columns(&self) -> Vec<String> {
        FIXED
            .iter()
            .map(|c| (*c).to_owned())
            .chain(self.definition.items.iter().map(|i| i.id.clone()))
            .collect()
    }

    fn key(&self) -> &[&str] {
        &["respondent_id", "year"]
    }

    fn numeric(&self) -> &[&str] {
        &["weight", "age", "year"]
    }

    fn check_file(&self, src: &SourceTable) -> Result<(), String> {
        if self.definition.items.iter().any(|i| src.has_header(&i.id)) {
            return Ok(());
        }
        let ids: Vec<&str> = self
            .definition
            .items
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        Err(format!(
            "minst en fråga ur enkätdefinitionen ({})",
            ids.join(", ")
        ))
    }
}

/// The columns of a published share table, in output order.
pub const TABLE_COLUMNS: [&str; 8] = [
    "item",
    "place",
    "year",
    "dimension",
    "group",
    "subgroup",
    "n",
    "share",
];

/// Reads published share tables (item, share, optional n, place, year and breakdown
/// columns), for surveys that are published only as percentages. A file whose shares
/// go above 1 is read as percent. `place` and `year` default to the given values when
/// the file has no such column.
pub fn load_share_tables(
    inputs: &[Location],
    aliases: &Aliases,
    default_place: &str,
    default_year: Option<i32>,
    lang: Lang,
) -> Result<Loaded, IngestError> {
    load_files(
        inputs,
        aliases,
        &ShareTable {
            default_place,
            default_year,
        },
        lang,
    )
}

/// The schema of a published share table.
pub struct ShareTable<'a> {
    /// Place when the file has none.
    pub default_place: &'a str,
    /// Year when the file has none.
    pub default_year: Option<i32>,
}

impl Schema for ShareTable<'_> {
    fn required(&self) -> &[&[&str]] {
        &[&["item"], &["share"]]
    }

    fn stages(&self, src: &SourceTable) -> Vec<Vec<Expr>> {
        let year = match self.default_year {
            Some(y) => src
                .integer(src.raw("year"))
                .cast(DataType::Int32)
                .fill_null(lit(y)),
            None => src.integer(src.raw("year")).cast(DataType::Int32),
        };
        vec![
            vec![
                src.raw("item").alias("item"),
                src.raw("place")
                    .fill_null(lit(self.default_place))
                    .alias("place"),
                year.alias("year"),
                src.raw("dimension").alias("dimension"),
                src.raw("group").alias("group"),
                src.raw("subgroup").alias("subgroup"),
                src.integer(src.raw("n")).alias("n"),
                src.number(src.raw("share")).alias("_share"),
            ],
            // Percent when any share in the file is above 1.
            vec![when(col("_share").max().gt(lit(1.0)))
                .then(col("_share") / lit(100.0))
                .otherwise(col("_share"))
                .alias("share")],
        ]
    }

    fn checks(&self, src: &SourceTable, lang: Lang) -> Vec<Check> {
        let t = |sv: &str, en: &str| lang.pick(sv, en).to_owned();
        let value = |c: &str| shown(&src.header(c), src.raw(c));
        vec![
            Check::new(
                t("fråga saknas", "missing item"),
                src.raw("item").is_null(),
                lit(""),
            ),
            Check::new(
                t("ogiltig andel", "invalid share"),
                col("_share")
                    .is_null()
                    .or(col("_share").lt(lit(0.0)))
                    .or(col("_share").gt(lit(100.0))),
                value("share"),
            ),
            Check::new(
                t("ogiltigt antal svar", "invalid number of answers"),
                src.raw("n")
                    .is_not_null()
                    .and(col("n").is_null().or(col("n").lt(lit(0i64)))),
                value("n"),
            ),
            Check::new(
                t("ogiltigt år", "invalid year"),
                col("year")
                    .is_null()
                    .or(col("year").lt(lit(1900)))
                    .or(col("year").gt(lit(2100))),
                value("year"),
            ),
        ]
    }

    fn columns(&self) -> Vec<String> {
        TABLE_COLUMNS.iter().map(|c| (*c).to_owned()).collect()
    }

    fn key(&self) -> &[&str] {
        &["item", "place", "year", "dimension", "group", "subgroup"]
    }

    fn numeric(&self) -> &[&str] {
        &["share", "n"]
    }
}
