//! Row validation shared by every kind of input: typed columns are computed in one
//! polars plan, each check flags rows, and every row ends up either accepted or
//! rejected with all its reasons, its file and its line.

use polars::prelude::*;

use crate::ingest::source::SourceTable;
use crate::ingest::table::{RowProblem, LINE};

/// Name of the provenance column holding the file a row came from.
pub const FILE: &str = "_file";

/// The type of [`FILE`]: categorical, the file's name stored once and each row holding
/// a 4-byte code (12 M rows: 45 MB instead of 470 MB for a name of 40 characters).
/// Cast to text where the name is written out.
pub fn file_dtype() -> DataType {
    DataType::from_categories(Categories::global())
}

/// One rule a row must satisfy.
pub struct Check {
    /// Short reason, the same for every row it hits (counted in summaries).
    pub kind: String,
    /// True where the row breaks the rule (null counts as false).
    pub bad: Expr,
    /// Text that tells which value was wrong, e.g. `Datum = '2026-13-01'`.
    pub detail: Expr,
}

impl Check {
    /// A check with its reason, condition and detail.
    pub fn new(kind: impl Into<String>, bad: Expr, detail: Expr) -> Self {
        Self {
            kind: kind.into(),
            bad,
            detail,
        }
    }
}

/// Detail text naming the column as the file calls it and the value as written.
pub fn shown(header: &str, raw: Expr) -> Expr {
    concat_str(
        [
            lit(format!("{header} = '")),
            raw.fill_null(lit("")),
            lit("'"),
        ],
        "",
        false,
    )
}

/// The outcome for one file.
#[derive(Debug)]
pub struct Validated {
    /// Accepted rows: the `keep` columns plus [`FILE`] and [`LINE`].
    pub accepted: DataFrame,
    /// Rejected rows: `file`, `line`, `reason`, `content`.
    pub rejected: DataFrame,
    /// How many rows each reason hit, most common first.
    pub reasons: Vec<(String, usize)>,
    /// How many rows each note hit (things corrected, not rejected), in given order.
    pub notes: Vec<(String, usize)>,
}

/// Computes typed columns on the file's text columns, stage after stage (a stage may use
/// the columns of the stages before it), applies `checks` (which may refer to the typed
/// columns), counts `notes`, and splits the rows.
pub fn validate(
    src: &SourceTable,
    stages: Vec<Vec<Expr>>,
    checks: Vec<Check>,
    notes: Vec<(String, Expr)>,
    keep: &[&str],
) -> PolarsResult<Validated> {
    let flag = |i: usize| format!("_bad{i}");
    let flags: Vec<Expr> = checks
        .iter()
        .enumerate()
        .map(|(i, c)| c.bad.clone().fill_null(lit(false)).alias(flag(i)))
        .collect();
    let any_bad = (0..checks.len())
        .map(|i| col(flag(i)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let mut plan = src.table.frame.clone().lazy();
    for stage in stages {
        plan = plan.with_columns(stage);
    }
    let note_names: Vec<String> = (0..notes.len()).map(|i| format!("_note{i}")).collect();
    let note_flags: Vec<Expr> = notes
        .iter()
        .zip(&note_names)
        .map(|((_, e), n)| e.clone().fill_null(lit(false)).alias(n.as_str()))
        .collect();
    let checked = plan
        .with_columns(flags)
        .with_columns(note_flags)
        .with_column(any_bad.alias("_bad"))
        .collect()?;
    let mut note_counts = Vec::new();
    for ((kind, _), name) in notes.iter().zip(&note_names) {
        note_counts.push((
            kind.clone(),
            checked.column(name)?.bool()?.sum().unwrap_or(0) as usize,
        ));
    }

    let mut reasons: Vec<(String, usize)> = problem_counts(&src.table.problems);
    for (i, c) in checks.iter().enumerate() {
        let hits = checked.column(&flag(i))?.bool()?.sum().unwrap_or(0) as usize;
        if hits > 0 {
            add_count(&mut reasons, &c.kind, hits);
        }
    }
    sort_reasons(&mut reasons);

    let mut keep_cols: Vec<Expr> = keep.iter().map(|c| col(*c)).collect();
    keep_cols.push(lit(src.file.as_str()).cast(file_dtype()).alias(FILE));
    keep_cols.push(col(LINE));
    let accepted = checked
        .clone()
        .lazy()
        .filter(col("_bad").not())
        .select(keep_cols)
        .collect()?;

    let reason = concat_str(
        checks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                when(col(flag(i)))
                    .then(concat_str(
                        [lit(format!("{}: ", c.kind)), c.detail.clone()],
                        "",
                        false,
                    ))
                    .otherwise(lit(NULL).cast(DataType::String))
            })
            .collect::<Vec<_>>(),
        " | ",
        true,
    );
    let sep = (src.separator as char).to_string();
    let content = concat_str(
        src.all_raw()
            .into_iter()
            .map(|e| e.fill_null(lit("")))
            .collect::<Vec<_>>(),
        &sep,
        false,
    );
    let value_rejects = checked
        .lazy()
        .filter(col("_bad"))
        .select([
            lit(src.file.as_str()).alias("file"),
            col(LINE).alias("line"),
            reason.alias("reason"),
            content.alias("content"),
        ])
        .collect()?;
    let rejected = problems_frame(&src.file, &src.table.problems)?
        .vstack(&value_rejects)?
        .sort(["line"], SortMultipleOptions::default())?;
    Ok(Validated {
        accepted,
        rejected,
        reasons,
        notes: note_counts,
    })
}

/// Orders reason counts most common first, then by name, so summaries are stable.
pub fn sort_reasons(reasons: &mut [(String, usize)]) {
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

fn add_count(reasons: &mut Vec<(String, usize)>, kind: &str, n: usize) {
    match reasons.iter_mut().find(|(k, _)| k == kind) {
        Some((_, count)) => *count += n,
        None => reasons.push((kind.to_owned(), n)),
    }
}

fn problem_counts(problems: &[RowProblem]) -> Vec<(String, usize)> {
    let mut counts = Vec::new();
    for p in problems {
        add_count(&mut counts, &p.kind, 1);
    }
    counts
}

/// Rejected-row frame for records that were set aside before validation.
fn problems_frame(file: &str, problems: &[RowProblem]) -> PolarsResult<DataFrame> {
    df!(
        "file" => vec![file; problems.len()],
        "line" => problems.iter().map(|p| p.line).collect::<Vec<u64>>(),
        "reason" => problems.iter().map(|p| p.reason.as_str()).collect::<Vec<_>>(),
        "content" => problems.iter().map(|p| p.content.as_str()).collect::<Vec<_>>(),
    )
}

/// An empty rejected-row frame with the right columns.
pub fn no_rejects() -> DataFrame {
    problems_frame("", &[]).expect("an empty frame of fixed columns")
}
