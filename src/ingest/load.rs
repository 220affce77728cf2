//! Loading any number of files of one schema: each file is opened, typed and checked,
//! the accepted rows of all files are put together, and rows whose key was seen
//! before are rejected as duplicates. Incidents and survey responses both load here.

use polars::prelude::*;

use crate::embedded::Location;
use crate::ingest::columns::Aliases;
use crate::ingest::report::{FileReport, Loaded};
use crate::ingest::source::{
    open_source_parts, quoted_headers, IngestError, SourceTable, PART_BYTES,
};
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
    /// Columns read only to find duplicates and say where rows came from (the key,
    /// [`FILE`], [`LINE`]), let go once that is done: never put in one piece.
    fn let_go(&self) -> Vec<String> {
        Vec::new()
    }
    /// How a key value that is a personnummer is replaced.
    fn pseudonyms(&self) -> crate::ingest::personal::Pseudonyms {
        crate::ingest::personal::Pseudonyms::Numbered
    }
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
    load_files_in_parts(inputs, aliases, schema, lang, PART_BYTES)
}

/// [`load_files`] with files typed and checked `part_bytes` of text at a time.
fn load_files_in_parts(
    inputs: &[Location],
    aliases: &Aliases,
    schema: &dyn Schema,
    lang: Lang,
    part_bytes: usize,
) -> Result<Loaded, IngestError> {
    let mut accepted = Vec::new();
    let mut rejected = vec![no_rejects()];
    let mut files = Vec::new();
    let columns = schema.columns();
    let keep: Vec<&str> = columns.iter().map(String::as_str).collect();
    for at in inputs {
        let mut report: Option<FileReport> = None;
        let each_part = |src: SourceTable| -> Result<(), IngestError> {
            if report.is_none() {
                if let Err(missing) = schema.check_file(&src) {
                    let found = quoted_headers(&src.table.headers);
                    return Err(IngestError::MissingColumns {
                        file: src.file,
                        missing,
                        found,
                    });
                }
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
            let part = FileReport::new(
                &src,
                v.accepted.height(),
                v.rejected.height(),
                v.reasons,
                v.notes,
                decimal_comma,
            );
            match &mut report {
                Some(report) => report.absorb(part),
                None => report = Some(part),
            }
            accepted.push(
                crate::memory::constants_held_once(v.accepted)
                    .map_err(IngestError::frame(&src.file))?,
            );
            rejected.push(v.rejected);
            Ok(())
        };
        open_source_parts(at, aliases, schema.required(), lang, part_bytes, each_part)?;
        let mut report = report.expect("a file has at least one part");
        report.notes.retain(|(_, n)| *n > 0);
        report.masked.retain(|(_, n)| *n > 0);
        files.push(report);
    }
    // What typing and checking the last part used is free but still held by the
    // allocator, beside the parts about to be put together: given back first
    // (0,93 M rows: 319 -> 313 MiB at the highest, median of 5).
    crate::memory::return_freed_memory();
    let all_files = "(alla filer)";
    let all = concat_frames(accepted).map_err(IngestError::frame(all_files))?;
    let (frame, duplicates) =
        split_duplicates(all, schema.key(), &keep, lang).map_err(IngestError::frame(all_files))?;
    for report in &mut files {
        report.move_duplicates(&duplicates, duplicate_kind(lang));
    }
    let mut frame = frame;
    let pseudonyms = schema.pseudonyms();
    for key in schema.key() {
        let changed = crate::ingest::personal::pseudonymize(&mut frame, key, FILE, &pseudonyms)
            .map_err(IngestError::frame(all_files))?;
        for (file, n) in changed {
            if let Some(report) = files.iter_mut().find(|r| r.file == file) {
                report.masked.insert(0, ((*key).to_owned(), n));
            }
        }
    }
    // The parts were put together chunk by chunk; each kept column is now put in one
    // piece, after the duplicates are out and the columns let go are gone (12 M
    // incidents: the id, file and line were copied into one piece only to be dropped).
    let kept = frame.drop_many(schema.let_go());
    drop(frame);
    let frame = crate::memory::in_one_chunk(kept).map_err(IngestError::frame(all_files))?;
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
    let Some(first) = frames.first() else {
        return Ok(DataFrame::empty());
    };
    let width = first.width();
    let height: usize = frames.iter().map(DataFrame::height).sum();
    let names = first.get_column_names_owned();
    for frame in &frames {
        polars_ensure!(
            frame.get_column_names_owned() == names,
            ShapeMismatch: "parts with the columns {:?} and {:?}", names, frame.get_column_names()
        );
    }
    // Column by column: a column every part holds as one value stays one value.
    let mut by_column: Vec<Vec<Column>> = (0..width).map(|_| Vec::new()).collect();
    for frame in frames {
        for (parts, column) in by_column.iter_mut().zip(frame.into_columns()) {
            parts.push(column);
        }
    }
    let columns = by_column
        .into_iter()
        .map(crate::memory::appended)
        .collect::<PolarsResult<Vec<_>>>()?;
    // Left in chunks, one per part: `load_files` puts what it keeps in one piece.
    // Measured, the parts left as chunks cost 130 MB more at 1 M rows and no time;
    // column by column, the frame is never held twice (12 M rows: 3,6 GB at most
    // instead of 4,5 GB).
    DataFrame::new(height, columns)
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

/// Whether every value of a text column differs from every other, told from 64-bit
/// hashes: `true` only when no two hashes are equal (then no two values are); equal
/// hashes (a repeated value, or once in a long while two values with one hash) give
/// `false`, and the exact comparison decides. Twelve million ids: 0,2 s instead of the
/// 2,1 s of polars' `is_first_distinct`. Other types give `false`.
fn surely_distinct(column: &Column) -> bool {
    use rayon::prelude::*;
    use std::hash::BuildHasher;
    let Ok(text) = column.str() else {
        return false;
    };
    // A missing value is one value of its own (hashed apart from every text): two of
    // them repeat.
    if text.null_count() > 1 {
        return false;
    }
    let state = foldhash::fast::FixedState::with_seed(0);
    let mut hashes: Vec<u64> = Vec::with_capacity(text.len());
    for array in text.downcast_iter() {
        hashes.par_extend(
            (0..array.len())
                .into_par_iter()
                .with_min_len(1 << 14)
                .map(|i| state.hash_one(array.get(i))),
        );
    }
    hashes.par_sort_unstable();
    !hashes.par_windows(2).any(|w| w[0] == w[1])
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
    let kept: Vec<Expr> = keep
        .iter()
        .map(|c| col(*c))
        .chain([col(FILE), col(LINE)])
        .collect();
    if let [only] = key {
        if surely_distinct(all.column(only)?) {
            // No repeated key (the usual case): nothing to filter out or to copy.
            return Ok((all.lazy().select(kept).collect()?, no_rejects()));
        }
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
    if !marked.column("_dup")?.bool()?.any() {
        // No repeated key after all (two keys shared a hash, or the key has several
        // columns): nothing to filter out or to copy.
        return Ok((marked.lazy().select(kept).collect()?, no_rejects()));
    }
    let frame = marked
        .clone()
        .lazy()
        .filter(col("_dup").not())
        .select(kept)
        .collect()?;
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
                    col(FILE).cast(DataType::String).alias("_first_file"),
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
            col(FILE).cast(DataType::String).alias("file"),
            col(LINE).alias("line"),
            concat_str(reason, "", false).alias("reason"),
            lit("").alias("content"),
        ])
        .collect()?;
    Ok((frame, duplicates))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_are_surely_distinct_only_when_none_repeats() {
        let text = |values: &[Option<&str>]| Column::new("id".into(), values.to_vec());
        let many: Vec<String> = (0..100_000).map(|i| format!("R{i}")).collect();
        let many: Vec<Option<&str>> = many.iter().map(|s| Some(s.as_str())).collect();
        assert!(surely_distinct(&text(&many)));
        // One repeat among many, far apart.
        let mut repeated = many.clone();
        repeated[99_999] = Some("R17");
        assert!(!surely_distinct(&text(&repeated)));
        // A missing value is a value of its own: one is distinct, two repeat.
        assert!(surely_distinct(&text(&[Some("a"), None, Some("")])));
        assert!(!surely_distinct(&text(&[Some("a"), None, None])));
        assert!(!surely_distinct(&text(&[Some(""), Some("")])));
        assert!(surely_distinct(&text(&[])));
        // Only text columns are looked at.
        assert!(!surely_distinct(&Column::new("id".into(), [1i64, 2])));
    }

    /// A record of an incident export, good or bad in the ways exports are.
    fn record() -> impl Strategy<Value = String> {
        let id = prop_oneof![4 => "[A-C][0-9]{1,2}", 1 => Just("19900101-1239".to_owned())];
        let time = prop_oneof![
            Just("2025-03-01 10:00"),
            Just("2025-03-30 02:30"),
            Just("2025-03-01"),
            Just("2025-03-01T10:00:00+01:00"),
            Just("2025-13-01 10:00"),
            Just("1.3.2025"),
            Just(""),
        ];
        let offence = prop_oneof![Just("Stöld"), Just("Brand"), Just("0412"), Just("")];
        let coordinate = prop_oneof![
            Just(";"),
            Just("6400000;590000"),
            Just("590000,5;6400000,25"),
            Just("abc;1"),
            Just("1;"),
        ];
        let count = prop_oneof![Just(""), Just("1"), Just("2"), Just("0"), Just("x")];
        let text = prop_oneof![
            Just("ok"),
            Just("ring 070-123 45 67"),
            Just("\"med ; semikolon\""),
            Just("\"två\nrader\""),
        ];
        let shape = prop_oneof![8 => Just(0u8), 1 => Just(1), 1 => Just(2)];
        (id, time, offence, coordinate, count, text, shape).prop_map(
            |(id, time, offence, xy, count, text, shape)| match shape {
                0 => format!("{id};{time};{offence};Gamleby;{xy};{count};{text}\n"),
                1 => format!("{id};{time}\n"),
                _ => "\n".to_owned(),
            },
        )
    }

    /// Found in review: masked cells were added up by header name, so two columns of
    /// one name read in different parts were counted as one.
    #[test]
    fn masked_cells_add_up_per_column_even_under_one_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dubbel.csv");
        let text = "id;datum;brott;anteckning;anteckning\n\
                    1;2025-03-01;Stöld;ring 070-123 45 67;ok\n\
                    2;2025-03-01;Stöld;ok;ok\n\
                    3;2025-03-01;Stöld;ok;ring 070-123 45 67\n";
        std::fs::write(&path, text).unwrap();
        let inputs = [Location::Path(path)];
        let aliases = &crate::ingest::columns::AliasTables::builtin().incidents;
        let schema = crate::ingest::incidents::Incidents::all();
        for part_bytes in [usize::MAX, 30] {
            let loaded =
                load_files_in_parts(&inputs, aliases, &schema, Lang::Sv, part_bytes).unwrap();
            assert_eq!(
                loaded.files[0].masked,
                [("anteckning".to_owned(), 1), ("anteckning".to_owned(), 1)],
                "{part_bytes}"
            );
        }
    }

    #[test]
    fn years_and_the_skipped_hour_are_told_to_the_millisecond() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gränser.csv");
        // Years before 1900 and after 2100 are implausible; 02:xx on the last Sunday of
        // March is moved on from 1980, and so is every 02:xx before (the zone decides).
        let text = "id;occurred_at;offence
                    1;1899-12-31 23:59;Stöld
                    2;1900-01-01 00:00;Stöld
                    3;2100-12-31 23:59;Stöld
                    4;2101-01-01 00:00;Stöld
                    5;2025-03-30 02:00;Stöld
                    6;2025-03-30 01:59;Stöld
                    7;2025-03-30 03:00;Stöld
                    8;2025-03-29 02:30;Stöld
                    9;1979-12-31 23:59;Stöld
";
        std::fs::write(&path, text).unwrap();
        let inputs = [Location::Path(path)];
        let aliases = &crate::ingest::columns::AliasTables::builtin().incidents;
        let schema = crate::ingest::incidents::Incidents::all();
        let loaded = load_files(&inputs, aliases, &schema, Lang::Sv).unwrap();
        let lines: Vec<u64> = loaded
            .rejects
            .column("line")
            .unwrap()
            .u64()
            .unwrap()
            .into_no_null_iter()
            .collect();
        assert_eq!(lines, [2, 5]);
        let moved = &loaded.files[0].notes;
        assert_eq!(moved.len(), 1, "{moved:?}");
        assert_eq!(moved[0].1, 1, "{moved:?}");
        let times: Vec<String> = loaded
            .frame
            .column("occurred_at")
            .unwrap()
            .cast(&DataType::String)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|t| t.unwrap_or_default().to_owned())
            .collect();
        assert_eq!(times[2], "2025-03-30 03:00:00.000");
        assert_eq!(times[3], "2025-03-30 01:59:00.000");
        assert_eq!(times[5], "2025-03-29 02:30:00.000");
        assert_eq!(times[6], "1979-12-31 23:59:00.000");
        assert_eq!(crate::ingest::values::first_ms_of_year(1970), 0);
        assert_eq!(
            crate::ingest::values::first_ms_of_year(1980),
            315_532_800_000
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        /// Typing and checking a file a part at a time (parts of any size) accounts for
        /// every row exactly as one pass over the whole file does: the same accepted
        /// frame, the same rejected rows with their lines and reasons, the same report.
        #[test]
        fn loading_in_parts_is_loading_whole(
            records in prop::collection::vec(record(), 0..60),
            part_bytes in 1usize..200,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("handelser.csv");
            let mut text = String::from("id;occurred_at;offence;place;x;y;count;description\n");
            text.extend(records);
            std::fs::write(&path, &text).unwrap();
            let inputs = [Location::Path(path)];
            let aliases = &crate::ingest::columns::AliasTables::builtin().incidents;
            let schema = crate::ingest::incidents::Incidents::all();
            let whole = load_files_in_parts(&inputs, aliases, &schema, Lang::Sv, usize::MAX).unwrap();
            let parts = load_files_in_parts(&inputs, aliases, &schema, Lang::Sv, part_bytes).unwrap();
            prop_assert!(whole.frame.equals_missing(&parts.frame), "{}\n{:?}\n{:?}", text, whole.frame, parts.frame);
            prop_assert!(whole.rejects.equals_missing(&parts.rejects), "{}\n{:?}\n{:?}", text, whole.rejects, parts.rejects);
            prop_assert_eq!(
                serde_json::to_string(&whole.files).unwrap(),
                serde_json::to_string(&parts.files).unwrap()
            );
            prop_assert!(parts.reconciles());
        }
    }
}
