//! The participation log (delaktighet): medborgardialoger, trygghetsvandringar and
//! meetings with the public, one row per occasion (date, place, kind, participants).
//! A description column may be in the file; it is never kept, since free text can
//! hold personal data and nothing published needs it.

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::Aliases;
use crate::ingest::load::{load_files, Schema};
use crate::ingest::report::Loaded;
use crate::ingest::source::{IngestError, SourceTable};
use crate::ingest::validate::{shown, Check};
use crate::lang::Lang;

/// The columns kept, in order.
pub const COLUMNS: [&str; 4] = ["date", "place", "kind", "participants"];

/// Reads participation logs. Rows are rejected for a missing or impossible date, a
/// missing place or kind, or a number of participants that is not a whole number
/// of 0 or more; the same date, place and kind twice is a duplicate.
pub fn load_dialogues(
    inputs: &[Location],
    aliases: &Aliases,
    lang: Lang,
) -> Result<Loaded, IngestError> {
    load_files(inputs, aliases, &Dialogues, lang)
}

/// The schema of a participation log.
pub struct Dialogues;

impl Schema for Dialogues {
    fn required(&self) -> &[&[&str]] {
        &[&["date"], &["place"], &["kind"]]
    }

    fn stages(&self, src: &SourceTable) -> Vec<Vec<Expr>> {
        let date = src.datetime("date");
        vec![vec![
            date.value.dt().date().alias("date"),
            src.raw("place").alias("place"),
            src.raw("kind").alias("kind"),
            src.integer(src.raw("participants"))
                .cast(DataType::Int64)
                .alias("participants"),
        ]]
    }

    fn checks(&self, src: &SourceTable, lang: Lang) -> Vec<Check> {
        let t = |sv: &str, en: &str| lang.pick(sv, en).to_owned();
        let value = |c: &str| shown(&src.header(c), src.raw(c));
        vec![
            Check::new(
                t("ogiltigt datum", "invalid date"),
                src.raw("date").is_null().or(col("date").is_null()),
                value("date"),
            ),
            Check::new(
                t("plats saknas", "missing place"),
                src.raw("place").is_null(),
                lit(""),
            ),
            Check::new(
                t("typ saknas", "missing kind"),
                src.raw("kind").is_null(),
                lit(""),
            ),
            Check::new(
                t("ogiltigt antal deltagare", "invalid number of participants"),
                src.raw("participants").is_not_null().and(
                    col("participants")
                        .is_null()
                        .or(col("participants").lt(lit(0i64))),
                ),
                value("participants"),
            ),
        ]
    }

    fn columns(&self) -> Vec<String> {
        COLUMNS.iter().map(|c| (*c).to_owned()).collect()
    }

    fn key(&self) -> &[&str] {
        &["date", "place", "kind"]
    }

    fn numeric(&self) -> &[&str] {
        &["participants"]
    }
}
