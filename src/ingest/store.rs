//! Reading the partitioned incident store (written by `lagesbild import incidents
//! --store`, see `app::store` and docs/scaling.md): Parquet files in hive-style folders
//! `kommun=CCCC/year=YYYY/incidents.parquet`.
//!
//! Only the partitions asked for are opened (the municipality and the years are in the
//! folder names, so the others are never read), and only the columns the analysis
//! needs are read from them (polars' projection push-down over a lazy scan).

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::lang::Said;

/// The file that marks a folder as a lagesbild store, with its format version. A folder
/// without it is never written to (it may hold someone else's files).
pub const MARKER: &str = "lagesbild-store.toml";

/// The name of each partition's file.
pub const PART: &str = "incidents.parquet";

/// The store's format version, written into the marker.
pub const VERSION: u32 = 1;

/// One partition: a municipality's incidents of one year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Partition {
    /// Municipality code ("0883").
    pub kommun: String,
    /// Year of the incidents' start.
    pub year: i32,
}

impl Partition {
    /// The partition's folder under `store`.
    pub fn folder(&self, store: &Path) -> PathBuf {
        store
            .join(format!("kommun={}", self.kommun))
            .join(format!("year={}", self.year))
    }

    /// The partition's file under `store`.
    pub fn file(&self, store: &Path) -> PathBuf {
        self.folder(store).join(PART)
    }
}

/// The columns every partition has: without them a file is not the tool's.
const REQUIRED: [&str; 4] = ["id", "occurred_at", "offence", "count"];

/// An error naming `file` when `columns` lack one of the partition columns.
pub fn check_columns<'a>(
    file: &Path,
    mut columns: impl Iterator<Item = &'a str>,
) -> Result<(), StoreError> {
    let names: Vec<&str> = columns.by_ref().collect();
    match REQUIRED.iter().find(|c| !names.contains(c)) {
        None => Ok(()),
        Some(missing) => Err(StoreError::Io(
            file.display().to_string(),
            Said::new(
                format!(
                    "är ingen händelsefil från lagesbild (kolumnen {missing} saknas; filen har {}); flytta bort den ur databasen eller skriv om partitionen med `lagesbild import incidents`",
                    names.join(", ")
                ),
                format!(
                    "is no incident file of lagesbild's (the column {missing} is missing; the file has {}); move it out of the store or write the partition again with `lagesbild import incidents`",
                    names.join(", ")
                ),
            ),
        )),
    }
}

/// Why a store could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder is no store.
    #[error("{0} är ingen lagesbild-databas (filen {MARKER} saknas); skapa den med `lagesbild import incidents FILER --store {0}`")]
    NotAStore(String),
    /// The folder could not be listed, or something in it is not what lagesbild
    /// wrote: the path, and what is wrong and what to do in both languages.
    #[error("{0}: {1}")]
    Io(String, crate::lang::Said),
    /// A partition could not be read.
    #[error("{0}: {1}; filen kan vara skadad eller avklippt: läs in kommunens händelser igen med `lagesbild import incidents`, eller flytta partitionen ur databasen")]
    Parquet(String, PolarsError),
}

impl StoreError {
    /// The message in `lang` (the Swedish one is the error's own text).
    pub fn in_lang(&self, lang: crate::lang::Lang) -> String {
        match (self, lang) {
            (_, crate::lang::Lang::Sv) => self.to_string(),
            (StoreError::NotAStore(store), _) => format!("{store} is no lagesbild store (the file {MARKER} is missing); make one with `lagesbild import incidents FILES --store {store}`"),
            (StoreError::Io(at, said), lang) => format!("{at}: {}", said.in_lang(lang)),
            (StoreError::Parquet(at, e), _) => format!("{at}: {e}; the file may be damaged or cut short: import the municipality's incidents again with `lagesbild import incidents`, or move the partition out of the store"),
        }
    }
}

/// Checks that `store` is a store: it has the marker, and the marker names this
/// format in a version this program reads (a store written by a later version, or a
/// file of the same name that is someone else's, is not read as if it were one).
pub fn check_store(store: &Path) -> Result<(), StoreError> {
    let marker = store.join(MARKER);
    if !marker.is_file() {
        return Err(StoreError::NotAStore(store.display().to_string()));
    }
    let text = std::fs::read_to_string(&marker)
        .map_err(|e| StoreError::Io(marker.display().to_string(), system(&e)))?;
    let version = toml::from_str::<toml::Table>(&text).ok().and_then(|t| {
        (t.get("format")?.as_str()? == "lagesbild-store").then_some(())?;
        t.get("version")?.as_integer()
    });
    match version {
        Some(v) if (1..=i64::from(VERSION)).contains(&v) => Ok(()),
        Some(v) if v > i64::from(VERSION) => Err(StoreError::Io(
            marker.display().to_string(),
            Said::new(
                format!("databasen har format version {v}, och den här versionen av lagesbild läser version 1 till {VERSION}; använd en nyare lagesbild"),
                format!("the store has format version {v}, and this version of lagesbild reads versions 1 to {VERSION}; use a newer lagesbild"),
            ),
        )),
        _ => Err(StoreError::Io(
            marker.display().to_string(),
            Said::new(
                "är ingen markering från lagesbild (format = \"lagesbild-store\" och version saknas); mappen läses inte som en databas. Lägg tillbaka den ursprungliga filen, eller importera till en ny mapp",
                "is no marker of lagesbild's (format = \"lagesbild-store\" and version are missing); the folder is not read as a store. Put the original file back, or import into a new folder",
            ),
        )),
    }
}

/// Every partition in `store`, in municipality and year order. Entries that do not
/// look like partitions (a README beside them) are left alone; a folder named like one
/// that lagesbild would not have written (`kommun=883`, `kommun=9999`, `year=+2025`,
/// `year=x`) is an error naming it: read as it is, a year could be counted twice or a
/// municipality's incidents left out without a word.
pub fn partitions(store: &Path) -> Result<Vec<Partition>, StoreError> {
    check_store(store)?;
    let io = |p: &Path, e: std::io::Error| StoreError::Io(p.display().to_string(), system(&e));
    let mut out = Vec::new();
    for kommun in std::fs::read_dir(store).map_err(|e| io(store, e))? {
        let kommun = kommun.map_err(|e| io(store, e))?;
        let name = kommun.file_name().to_string_lossy().into_owned();
        let folder = kommun.path();
        let Some(code) = name.strip_prefix("kommun=").filter(|_| folder.is_dir()) else {
            continue;
        };
        let four_digits = code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit());
        if !four_digits || crate::model::sweden::sweden().by_code(code).is_none() {
            return Err(not_a_partition(
                &folder,
                Said::new(
                    "kommun=KOD med en av Sveriges 290 kommunkoder, fyra siffror",
                    "kommun=CODE with one of Sweden's 290 municipality codes, four digits",
                ),
            ));
        }
        for year in std::fs::read_dir(&folder).map_err(|e| io(&folder, e))? {
            let year = year.map_err(|e| io(&folder, e))?;
            let name = year.file_name().to_string_lossy().into_owned();
            let Some(text) = name.strip_prefix("year=") else {
                continue;
            };
            let y = text
                .parse::<i32>()
                .ok()
                .filter(|y| y.to_string() == text && (1900..=2100).contains(y))
                .ok_or_else(|| {
                    not_a_partition(
                        &year.path(),
                        Said::new("year=ÅR med fyra siffror", "year=YEAR of four digits"),
                    )
                })?;
            let part = Partition {
                kommun: code.to_owned(),
                year: y,
            };
            if part.file(store).is_file() {
                out.push(part);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The error for a folder named like a partition that lagesbild did not write.
fn not_a_partition(folder: &Path, expected: Said) -> StoreError {
    StoreError::Io(
        folder.display().to_string(),
        Said::new(
            format!(
                "är ingen partition som lagesbild skrivit (väntat {}); flytta mappen ur databasen, eller läs in dess händelser med `lagesbild import incidents --kommun KOD`",
                expected.sv
            ),
            format!(
                "is no partition lagesbild wrote (expected {}); move the folder out of the store, or import its incidents with `lagesbild import incidents --kommun CODE`",
                expected.en
            ),
        ),
    )
}

/// The system's reason, the same in both languages.
fn system(e: &std::io::Error) -> Said {
    Said::new(e.to_string(), e.to_string())
}

/// The municipalities in `store` with the bytes of their partition files (what their
/// incidents take on disk, a measure of the memory reading them needs).
pub fn municipality_sizes(store: &Path) -> Result<Vec<(String, u64)>, StoreError> {
    let mut sizes: Vec<(String, u64)> = Vec::new();
    for part in partitions(store)? {
        let file = part.file(store);
        let bytes = std::fs::metadata(&file)
            .map_err(|e| StoreError::Io(file.display().to_string(), system(&e)))?
            .len();
        match sizes.last_mut() {
            Some((code, total)) if *code == part.kommun => *total += bytes,
            _ => sizes.push((part.kommun, bytes)),
        }
    }
    Ok(sizes)
}

/// A lazy scan of the partitions of municipality `kommun` (all years), with the
/// columns `kommun` and `year` from the folder names; `None` when the store has none.
pub fn scan(store: &Path, kommun: &str) -> Result<Option<LazyFrame>, StoreError> {
    let parts: Vec<Partition> = partitions(store)?
        .into_iter()
        .filter(|p| p.kommun == kommun)
        .collect();
    let mut frames = Vec::with_capacity(parts.len());
    for part in &parts {
        let file = part.file(store);
        let path = PlRefPath::new(file.to_string_lossy().as_ref());
        let mut scan = LazyFrame::scan_parquet(path, ScanArgsParquet::default())
            .map_err(|e| StoreError::Parquet(file.display().to_string(), e))?;
        let schema = scan
            .collect_schema()
            .map_err(|e| StoreError::Parquet(file.display().to_string(), e))?;
        check_columns(&file, schema.iter_names().map(|n| n.as_str()))?;
        frames.push(scan.with_columns([
            lit(part.kommun.clone()).alias("kommun"),
            lit(part.year).alias("year"),
        ]));
    }
    if frames.is_empty() {
        return Ok(None);
    }
    concat(frames, UnionArgs::default())
        .map(Some)
        .map_err(|e| StoreError::Parquet(store.display().to_string(), e))
}

/// The incidents of `kommun` in the store, as the loader gives them (canonical columns
/// with `_file` and `_line`), ordered by time and id.
pub fn read_incidents(store: &Path, kommun: &str) -> Result<DataFrame, StoreError> {
    let failed = |e| StoreError::Parquet(store.display().to_string(), e);
    let frame = municipality(store, kommun)?
        .drop(by_name(["kommun", "year"], true, false))
        .collect()
        .map_err(failed)?;
    // The tool writes each partition ordered and the partitions come in year order,
    // so the frame is usually in order already; sorting it anyway would copy every
    // column (1,1 M incidents: 200 MB and a third of the reading time).
    if in_time_and_id_order(&frame).map_err(failed)? {
        return crate::memory::in_one_chunk(frame).map_err(failed);
    }
    frame
        .lazy()
        .sort(["occurred_at", "id"], SortMultipleOptions::default())
        .collect()
        .map_err(failed)
}

/// Only the `columns` of the incidents of `kommun` in the store, in the store's order
/// (which [`read_incidents`] checks and mends): for work whose result does not depend
/// on the incidents' order, such as a count sorted by its own keys. Ids, lines and the
/// other columns not asked for are never read (for Stockholm over thirteen years,
/// reading took 0,06 s instead of 0,21 s).
pub fn read_columns(store: &Path, kommun: &str, columns: &[&str]) -> Result<DataFrame, StoreError> {
    let failed = |e| StoreError::Parquet(store.display().to_string(), e);
    let frame = municipality(store, kommun)?
        .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
        .map_err(failed)?;
    // Left in its partitions' chunks: putting a dozen columns in one chunk took 0,04 s
    // of Stockholm's 0,33 s over thirteen years, and the count was no faster for it.
    Ok(frame)
}

/// [`scan`] of `kommun`, an error naming the store when it holds none of its incidents.
fn municipality(store: &Path, kommun: &str) -> Result<LazyFrame, StoreError> {
    scan(store, kommun)?.ok_or_else(|| {
        StoreError::Io(
            store.display().to_string(),
            Said::new(
                format!("databasen har inga händelser för kommunkod {kommun}"),
                format!("the store has no incidents of municipality code {kommun}"),
            ),
        )
    })
}

/// Whether `frame` is ordered by `occurred_at` (missing first), then `id`, as
/// `sort(["occurred_at", "id"])` orders it.
fn in_time_and_id_order(frame: &DataFrame) -> PolarsResult<bool> {
    let (at, id) = (col("occurred_at"), col("id"));
    let previous_at = at.clone().shift(lit(1));
    // A missing time sorts first: one after a time is out of order.
    let time_back = at
        .clone()
        .lt(previous_at.clone())
        .or(at.clone().is_null().and(previous_at.clone().is_not_null()));
    let same_time = at.clone().eq_missing(previous_at).and(
        id.clone()
            .lt(id.clone().shift(lit(1)))
            .or(id.clone().is_null().and(id.shift(lit(1)).is_not_null())),
    );
    let out_of_order = frame
        .clone()
        .lazy()
        .select([time_back.or(same_time).fill_null(lit(false)).any(true)])
        .collect()?;
    Ok(out_of_order.columns()[0].bool()?.get(0) == Some(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the frame of these times (minutes) and ids counts as in order.
    fn ordered(times: &[Option<i64>], ids: &[Option<&str>]) -> bool {
        let frame = df!("occurred_at" => times, "id" => ids).unwrap();
        let frame = frame
            .lazy()
            .with_column(
                (col("occurred_at") * lit(60_000))
                    .cast(DataType::Datetime(TimeUnit::Milliseconds, None)),
            )
            .collect()
            .unwrap();
        in_time_and_id_order(&frame).unwrap()
    }

    #[test]
    fn order_is_time_then_id_with_missing_first_as_the_sort_gives_it() {
        assert!(ordered(&[], &[]));
        assert!(ordered(
            &[None, Some(1), Some(1), Some(2)],
            &[Some("b"), Some("a"), Some("b"), Some("a")]
        ));
        assert!(ordered(&[Some(1), Some(1)], &[None, Some("a")]));
        // Time going back, an id going back at one time, a missing time or id last.
        assert!(!ordered(&[Some(2), Some(1)], &[Some("a"), Some("b")]));
        assert!(!ordered(&[Some(1), Some(1)], &[Some("b"), Some("a")]));
        assert!(!ordered(&[Some(1), None], &[Some("a"), Some("b")]));
        assert!(!ordered(&[Some(1), Some(1)], &[Some("a"), None]));
        // Every case agrees with sorting.
        let times = [Some(3), None, Some(3), Some(1)];
        let ids = [Some("b"), Some("z"), Some("a"), Some("c")];
        let frame = df!("occurred_at" => times, "id" => ids).unwrap();
        let sorted = frame
            .sort(["occurred_at", "id"], SortMultipleOptions::default())
            .unwrap();
        let t: Vec<Option<i64>> = sorted
            .column("occurred_at")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        let i: Vec<Option<&str>> = sorted.column("id").unwrap().str().unwrap().iter().collect();
        assert!(ordered(&t, &i));
        assert!(!ordered(&times, &ids));
    }
}
