//! Loading any number of files of one schema: each file is opened, typed and checked,
//! the accepted rows of all files are put together, and rows whose key was seen
//! before are rejected as duplicates. Incidents and survey responses both load here.

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::Aliases;
use crate::ingest::report::{FileReport, Loaded};
use crate::ingest::source::{open_source, quoted_headers, IngestError, SourceTable};
use crate::ingest::table::LINE;
use crate::ingest::validate::{no_rejects, validate, Check, FILE};
use crate::lang::Lang;

/// What a kind of input file is: its columns, how they are typed and checked, and
/// which columns identify a row.
pub trait Schema {
    /// Groups of canonical columns of which at least one must be present.
    fn required(&self) -> &[&[&str]];
    /// Typed columns, stage after stage.
    fn stages(&self, src: &SourceTable) -> Vec<Vec<Expr>>;
    /// The row checks (may refer to typed columns).
    fn checks(&self, src: &SourceTable, lang: Lang) -> Vec<Check>;
    /// Corrections counted but not rejected.
    fn notes(&self, _lang: Lang) -> Vec<(String, Expr)> {
        Vec::new()
    }
    /// Output columns, in order.
    fn columns(&self) -> Vec<String>;
    /// Columns that together identify a row; a repeat is a duplicate.
    fn key(&self) -> &[&str];
    /// Canonical numeric columns, to tell whether the file used decimal commas.
    fn numeric(&self) -> &[&str];
    /// A file-level requirement beyond the required columns; `Err` names what is missing.
    fn check_file(&self, _src: &SourceTable) -> Result<(), String> {
        Ok(())
    }
}

/// Loads `inputs` of `schema`; see the module documentation.
pub fn load_files(
    inputs: &[Location],
    aliases: &Aliases,
    schema: &dyn Schema,
    lang: Lang,
) -> Result<Loaded, IngestError> {
    let mut accepted = Vec::new();
    let mut rejected = vec![no_rejects()];
    let mut files = Vec::new();
    let columns = schema.columns();
    let keep: Vec<&str> = columns.iter().map(String::as_str).collect();
    for at in inputs {
        let src = open_source(at, aliases, schema.required(), lang)?;
        if let Err(missing) = schema.check_file(&src) {
            let found = quoted_headers(&src.table.headers);
            return Err(IngestError::MissingColumns {
                file: src.file,
                missing,
                found,
            });
        }
        let v = validate(
            &src,
            schema.stages(&src),
            schema.checks(&src, lang),
            schema.notes(lang),
            &keep,
        )
        .map_err(IngestError::frame(&src.file))?;
        let decimal_comma = decimal_comma_seen(&src, schema.numeric());
        files.push(FileReport::new(
            &src,
            v.accepted.height(),
            v.rejected.height(),
            v.reasons,
            v.notes,
            decimal_comma,
        ));
        accepted.push(v.accepted);
        rejected.push(v.rejected);
    }
    let all_files = "(alla filer)";
    let all = concat_frames(accepted).map_err(IngestError::frame(all_files))?;
    let (frame, duplicates) =
        split_duplicates(all, schema.key(), &keep, lang).map_err(IngestError::frame(all_files))?;
    for report in &mut files {
        report.move_duplicates(&duplicates, duplicate_kind(lang));
    }
    let mut frame = frame;
    for key in schema.key() {
        let changed = crate::ingest::personal::pseudonymize(&mut frame, key, FILE)
            .map_err(IngestError::frame(all_files))?;
        for (file, n) in changed {
            if let Some(report) = files.iter_mut().find(|r| r.file == file) {
                report.masked.insert(0, ((*key).to_owned(), n));
            }
        }
    }
    let mut rejects =
        in_file_order(rejected, duplicates, &files).map_err(IngestError::frame(all_files))?;
    crate::ingest::personal::mask_rejects(&mut rejects).map_err(IngestError::frame(all_files))?;
    Ok(Loaded {
        frame,
        rejects,
        files,
    })
}

/// All rejected rows, file by file in input order and by line within a file.
fn in_file_order(
    per_file: Vec<DataFrame>,
    duplicates: DataFrame,
    files: &[FileReport],
) -> PolarsResult<DataFrame> {
    let all = concat_frames(per_file.into_iter().chain([duplicates]).collect())?;
    let order = df!(
        "file" => files.iter().map(|f| f.file.as_str()).collect::<Vec<_>>(),
        "_order" => (0..files.len() as u32).collect::<Vec<_>>(),
    )?;
    all.lazy()
        .join(
            order.lazy(),
            [col("file")],
            [col("file")],
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .sort(
            ["_order", "line"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select([col("file"), col("line"), col("reason"), col("content")])
        .collect()
}

/// Join arguments under which missing key values match each other (a key such as
/// item × place × year × group may have no group).
fn nulls_equal(how: JoinType) -> JoinArgs {
    let mut args = JoinArgs::new(how);
    args.nulls_equal = true;
    args
}

fn duplicate_kind(lang: Lang) -> &'static str {
    lang.pick("dubblett", "duplicate")
}

fn concat_frames(frames: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut iter = frames.into_iter();
    let Some(mut first) = iter.next() else {
        return Ok(DataFrame::empty());
    };
    for f in iter {
        first.vstack_mut(&f)?;
    }
    first.rechunk_mut_par();
    Ok(first)
}

/// Whether any numeric column of the file was written with a decimal comma.
fn decimal_comma_seen(src: &SourceTable, numeric: &[&str]) -> bool {
    let any = numeric
        .iter()
        .filter(|c| src.mapping.position(c).is_some())
        .map(|c| src.raw(c).str().contains_literal(lit(",")).any(true))
        .reduce(|a, b| a.or(b));
    let Some(any) = any else { return false };
    src.table
        .frame
        .clone()
        .lazy()
        .select([any.alias("any")])
        .collect()
        .ok()
        .and_then(|df| df.column("any").ok()?.bool().ok()?.get(0))
        .unwrap_or(false)
}

/// Splits off rows whose key was seen before, in file order and line order. The
/// duplicates come back as rejected rows naming where the key was first seen.
fn split_duplicates(
    all: DataFrame,
    key: &[&str],
    keep: &[&str],
    lang: Lang,
) -> PolarsResult<(DataFrame, DataFrame)> {
    if all.height() == 0 {
        return Ok((all, no_rejects()));
    }
    let key_exprs: Vec<Expr> = key.iter().map(|k| col(*k)).collect();
    let identity = if key.len() == 1 {
        col(key[0])
    } else {
        as_struct(key_exprs.clone())
    };
    let marked = all
        .lazy()
        .with_column(identity.is_first_distinct().not().alias("_dup"))
        .collect()?;
    let kept: Vec<Expr> = keep
        .iter()
        .map(|c| col(*c))
        .chain([col(FILE), col(LINE)])
        .collect();
    let frame = marked
        .clone()
        .lazy()
        .filter(col("_dup").not())
        .select(kept)
        .collect()?;
    if frame.height() == marked.height() {
        return Ok((frame, no_rejects()));
    }
    // Where each repeated key was first seen: only the repeated keys are looked up.
    let repeated = marked.clone().lazy().filter(col("_dup"));
    let firsts = marked
        .lazy()
        .filter(col("_dup").not())
        .join(
            repeated
                .clone()
                .select(key_exprs.clone())
                .unique(None, UniqueKeepStrategy::First),
            key_exprs.clone(),
            key_exprs.clone(),
            nulls_equal(JoinType::Semi),
        )
        .select(
            key_exprs
                .iter()
                .cloned()
                .chain([
                    col(FILE).alias("_first_file"),
                    col(LINE).alias("_first_line"),
                ])
                .collect::<Vec<_>>(),
        );
    let key_text: Vec<Expr> = key
        .iter()
        .enumerate()
        .flat_map(|(i, k)| {
            let sep = if i == 0 { "" } else { ", " };
            [
                lit(format!("{sep}{k} = '")),
                col(*k).cast(DataType::String).fill_null(lit("")),
                lit("'"),
            ]
        })
        .collect();
    let mut reason = vec![lit(format!("{}: ", duplicate_kind(lang)))];
    reason.extend(key_text);
    reason.extend([
        lit(format!(" ({} ", lang.pick("först på rad", "first on line"))),
        col("_first_line").cast(DataType::String),
        lit(format!(" {} ", lang.pick("i", "in"))),
        col("_first_file"),
        lit(")"),
    ]);
    let duplicates = repeated
        .join(
            firsts,
            key_exprs.clone(),
            key_exprs,
            nulls_equal(JoinType::Left),
        )
        .select([
            col(FILE).alias("file"),
            col(LINE).alias("line"),
            concat_str(reason, "", false).alias("reason"),
            lit("").alias("content"),
        ])
        .collect()?;
    Ok((frame, duplicates))
}
