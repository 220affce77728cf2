//! The process's memory as the system sees it.

use polars::prelude::{Column, DataFrame, PolarsResult, Scalar};

/// Gives memory the allocator holds but no longer uses back to the system. glibc
/// keeps freed blocks below its mapping threshold (which grows up to 32 MiB with the
/// blocks freed) for reuse; after a large frame is copied into one piece, the parts
/// it was copied from would stay counted against the process until it ends. Measured
/// on 12 M rows of CSV: 1,8 GB less held after the accepted rows are put together.
/// Elsewhere than glibc this does nothing.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists (under its locks)
    // and releases whole free pages; it touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How much freed memory at the top of a heap glibc keeps for reuse (instead of 128
/// KiB, or twice a mapping threshold grown with the blocks freed).
const KEPT_FOR_REUSE: usize = 256 << 20;

/// Blocks below this size come from the heap, not a mapping of their own: glibc's
/// largest dynamic threshold on 64 bits, which setting the trim threshold would
/// otherwise freeze wherever it happened to be.
const MAPPED_FROM: usize = 32 << 20;

/// Lets the allocator keep freed memory for reuse instead of giving it back at once
/// ([`KEPT_FOR_REUSE`]), and serves blocks up to [`MAPPED_FROM`] from the heap. The
/// disclosure audit copies one solver state of several MB per target and drops it
/// after a few steps: given back and taken again, every copy faulted in its pages
/// anew (Åsele over seventeen years: system time 0,25 → 0,12 s, 1,55 → 1,45 s in
/// all). [`return_freed_memory`] still gives back what it is asked to. Call it before
/// any other thread starts: glibc's `mallopt` is not safe while others allocate.
/// Elsewhere than glibc this does nothing.
pub fn keep_freed_memory_for_reuse() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets two of the allocator's own parameters; it is called before
    // the program starts any thread (see above), so no allocation runs beside it.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM as libc::c_int);
        libc::mallopt(libc::M_TRIM_THRESHOLD, KEPT_FOR_REUSE as libc::c_int);
    }
}

/// The least a column's parts must hold for giving them back to be worth its cost:
/// returning memory walks the whole heap (about 2 ms on a heap of a few GB, and the
/// threads take turns), so a store's small municipalities, read one per core, keep
/// theirs for reuse. Measured: `aggregate --all` over 290 municipalities went from
/// 16 s to 60 s when every column was given back.
const WORTH_RETURNING: usize = 8 << 20;

/// `frame` with every column in one chunk, copied a column per core at a time and each
/// column's old chunks given back once it is copied, so that the frame is never held
/// twice (only as many columns as there are cores). Later steps then work on whole
/// columns: a frame of many chunks (parts of a file, partitions of a store) is
/// otherwise copied by the first step that needs its columns aligned, all columns at
/// once.
pub fn in_one_chunk(frame: DataFrame) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    let height = frame.height();
    // A column per core at a time: the frame is then held twice by at most as many
    // columns as there are cores.
    let columns = frame
        .into_columns()
        .into_par_iter()
        .map(|parts| {
            if parts.n_chunks() == 1 {
                return parts;
            }
            let large = parts.as_materialized_series().estimated_size() >= WORTH_RETURNING;
            let whole = parts.rechunk();
            drop(parts);
            if large {
                return_freed_memory();
            }
            whole
        })
        .collect();
    DataFrame::new(height, columns)
}

/// `frame` with every column that holds one value in every row (all missing, or one
/// number or yes/no throughout) held as that value once, not once per row. Exports
/// often have columns no row fills (coordinates in the other system, a brottskod) and
/// counts that are always 1: 12 M incidents with a column of each kind held 0,3 GB
/// of repeats. Text columns are looked at only for being empty: comparing every text
/// would cost more than it saves.
pub fn constants_held_once(frame: DataFrame) -> PolarsResult<DataFrame> {
    let height = frame.height();
    if height == 0 {
        return Ok(frame);
    }
    let columns = frame
        .into_columns()
        .into_iter()
        .map(|column| {
            Ok(match one_value(&column)? {
                Some(value) => Column::new_scalar(column.name().clone(), value, height),
                None => column,
            })
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(height, columns)
}

/// The value every row of `column` holds, if they all hold the same: missing in all,
/// or (for whole numbers and yes/no) no row missing and the least value the greatest.
/// Decimal numbers are not compared: -0 and 0 are equally least and greatest, and one
/// would be written as the other.
fn one_value(column: &Column) -> PolarsResult<Option<Scalar>> {
    if let Column::Scalar(scalar) = column {
        return Ok(Some(scalar.scalar().clone()));
    }
    if column.null_count() == column.len() {
        return Ok(Some(Scalar::null(column.dtype().clone())));
    }
    let dtype = column.dtype();
    if column.null_count() > 0 || !(dtype.is_integer() || dtype.is_bool()) {
        return Ok(None);
    }
    let least = column.min_reduce()?;
    Ok((least == column.max_reduce()?).then_some(least))
}

/// The parts of one column, put together: held once when every part holds the same
/// one value ([`constants_held_once`]), else appended (chunk by chunk; see
/// [`in_one_chunk`]).
pub fn appended(parts: Vec<Column>) -> PolarsResult<Column> {
    let mut iter = parts.into_iter();
    let Some(mut first) = iter.next() else {
        return Err(polars::prelude::polars_err!(NoData: "no parts to append"));
    };
    // A part without rows (every row of it rejected) adds nothing, and would otherwise
    // have every column written out row by row.
    let rest: Vec<Column> = iter.filter(|part| !part.is_empty()).collect();
    if first.is_empty() && !rest.is_empty() {
        return appended(rest);
    }
    if let Column::Scalar(one) = &first {
        let same = |c: &Column| matches!(c, Column::Scalar(b) if b.scalar() == one.scalar());
        if rest.iter().all(same) {
            let height = rest.iter().map(Column::len).sum::<usize>() + first.len();
            return Ok(Column::new_scalar(
                first.name().clone(),
                one.scalar().clone(),
                height,
            ));
        }
    }
    for part in rest {
        first.append_owned(part)?;
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    fn sample() -> DataFrame {
        df!(
            "empty" => [None::<f64>, None, None],
            "ones" => [1i64, 1, 1],
            "yes" => [true, true, true],
            "some_missing" => [Some(1i64), None, Some(1)],
            "varying" => [1i64, 2, 1],
            "text" => ["a", "a", "a"],
            "no_text" => [None::<&str>, None, None],
            "zeros" => [0.0f64, -0.0, 0.0],
        )
        .unwrap()
    }

    #[test]
    fn only_columns_of_one_value_are_held_once_and_every_value_is_kept() {
        let frame = sample();
        let held = constants_held_once(frame.clone()).unwrap();
        let once: Vec<&str> = held
            .columns()
            .iter()
            .filter(|c| matches!(c, Column::Scalar(_)))
            .map(|c| c.name().as_str())
            .collect();
        // A column with some values missing, one that varies, a text that is the same
        // throughout (texts are not compared) and decimal numbers (0 and -0 compare
        // equal) are held as they are.
        assert_eq!(once, ["empty", "ones", "yes", "no_text"]);
        assert!(held.equals_missing(&frame));
        assert_eq!(held.column("empty").unwrap().dtype(), &DataType::Float64);
    }

    #[test]
    fn parts_of_one_value_stay_one_value_and_others_are_appended_in_order() {
        let part = |ones: Column| {
            let mut frame = sample();
            frame.with_column(ones).unwrap();
            constants_held_once(frame).unwrap()
        };
        let a = part(Column::new("ones".into(), [1i64, 1, 1]));
        let b = part(Column::new("ones".into(), [1i64, 1, 1]));
        let c = part(Column::new("ones".into(), [2i64, 2, 2]));
        let column = |frames: &[&DataFrame], name: &str| {
            appended(
                frames
                    .iter()
                    .map(|f| f.column(name).unwrap().clone())
                    .collect(),
            )
            .unwrap()
        };
        let same = column(&[&a, &b], "ones");
        assert!(matches!(same, Column::Scalar(_)));
        assert_eq!(same.len(), 6);
        let differ = column(&[&a, &b, &c], "ones");
        assert!(matches!(differ, Column::Series(_)));
        assert_eq!(
            differ
                .i64()
                .unwrap()
                .into_no_null_iter()
                .collect::<Vec<_>>(),
            [1, 1, 1, 1, 1, 1, 2, 2, 2]
        );
        // A part held once beside one held row by row: every row as it was.
        let mixed = column(&[&a, &sample()], "varying");
        assert_eq!(
            mixed.i64().unwrap().into_no_null_iter().collect::<Vec<_>>(),
            [1, 2, 1, 1, 2, 1]
        );
        let scalar_then_rows = column(&[&a, &sample()], "ones");
        assert!(matches!(scalar_then_rows, Column::Series(_)));
        assert_eq!(
            scalar_then_rows
                .i64()
                .unwrap()
                .into_no_null_iter()
                .sum::<i64>(),
            6
        );
        // A part without rows keeps the others' one value.
        let none = a.head(Some(0));
        let around_nothing = column(&[&none, &a, &none, &b, &none], "ones");
        assert!(matches!(around_nothing, Column::Scalar(_)));
        assert_eq!(around_nothing.len(), 6);
        let empty = column(&[&a, &c], "no_text");
        assert!(matches!(empty, Column::Scalar(_)));
        assert_eq!(empty.null_count(), 6);
        assert_eq!(empty.dtype(), &DataType::String);
    }
}
