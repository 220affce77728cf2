//! Writing the partitioned incident store: checked incidents of one municipality go
//! into `kommun=CCCC/year=YYYY/incidents.parquet`, an incident already in the store
//! (same id, in any year) is replaced by the new version, and every partition file is
//! written whole through a temporary file and renamed into place, so a reader never
//! sees half a file. Reading is `ingest::store`; the layout is in docs/scaling.md.

use std::path::Path;

use polars::prelude::*;

use crate::lang::Lang;

use crate::ingest::store::{partitions, Partition, MARKER, VERSION};
use crate::ingest::table::LINE;
use crate::ingest::validate::FILE;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreImport {
    /// Incidents written that were not in the store.
    pub added: usize,
    /// Incidents that replaced a version with the same id.
    pub replaced: usize,
    /// Partitions written.
    pub partitions: usize,
    /// Incidents of the municipality in the store afterwards.
    pub total: usize,
}

/// The text `lagesbild generate` writes as every incident's description: the one
/// description the store keeps, so that a report from it still says it is test data.
pub const GENERATED: &str = "Genererad testdata.";

/// The columns kept in the store: the canonical incident columns and the rows'
/// provenance. The free-text description is never stored (it may hold personal data);
/// only the generator's fixed marker is kept in its place.
fn stored_columns(frame: &DataFrame) -> Vec<String> {
    crate::model::INCIDENT_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain([FILE.to_owned(), LINE.to_owned()])
        .filter(|c| frame.column(c).is_ok())
        .collect()
}

/// `description` replaced by the generator's marker where it is that, else empty.
fn marker_only() -> Expr {
    when(col("description").eq(lit(GENERATED)))
        .then(lit(GENERATED))
        .otherwise(lit(NULL).cast(DataType::String))
        .alias("description")
}

/// Makes `store` a store if it is a new or empty folder; refuses a folder with other
/// files in it (they are not the tool's to mix with). The caller holds the store
/// ([`lock_for_import`]), so two imports into a new folder do not both make it one.
fn open_for_writing(store: &Path) -> anyhow::Result<()> {
    if store.join(MARKER).is_file() {
        return Ok(());
    }
    let has_files = std::fs::read_dir(store).is_ok_and(|mut d| d.next().is_some());
    if has_files {
        anyhow::bail!(crate::lang::Said::new(
            format!("{} finns redan och är ingen lagesbild-databas (filen {MARKER} saknas): välj en ny eller tom mapp, så att inga andra filer blandas in eller skrivs över", store.display()),
            format!("{} exists and is no lagesbild store (the file {MARKER} is missing): choose a new or empty folder, so that no other files are mixed in or overwritten", store.display()),
        ));
    }
    let marker = store.join(MARKER);
    crate::files::write_atomically(&marker, |w| {
        write!(
            w,
            "# En lagesbild-databas: händelser per kommun och år (docs/scaling.md).\nformat = \"lagesbild-store\"\nversion = {VERSION}\n"
        )
    })
    .map_err(|e| anyhow::anyhow!(crate::files::explain(&marker, &e)))
}

/// Holds `store` for one import until dropped, from before it is made a store: a
/// second import waits for the first, which reads, merges and writes a municipality's
/// partitions as one step (two at once each merged its incidents into the partitions
/// as they were before both, and the one written last won; two into a new folder each
/// found the other's half-made marker). The lock is the system's, on the folder itself
/// (on the marker where a folder cannot be opened): it goes with the process, so a
/// killed import leaves nothing to clear away. The folder is made if missing; a folder
/// that is there is not changed by that.
fn lock_for_import(store: &Path, say: Option<Lang>) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(store)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(store, &e)))?;
    #[cfg(unix)]
    let held = store.to_owned();
    #[cfg(not(unix))]
    let held = {
        open_for_writing(store)?;
        store.join(MARKER)
    };
    let file = std::fs::File::open(&held)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(&held, &e)))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            if let Some(lang) = say {
                eprintln!(
                    "lagesbild: {}",
                    match lang {
                        Lang::Sv => format!(
                            "{} används av en annan import; väntar tills den är klar",
                            store.display()
                        ),
                        Lang::En => format!(
                            "{} is in use by another import; waiting until it is done",
                            store.display()
                        ),
                    }
                );
            }
        }
        Err(std::fs::TryLockError::Error(e)) => {
            anyhow::bail!(crate::files::explain(&held, &e))
        }
    }
    file.lock()
        .map_err(|e| anyhow::anyhow!(crate::files::explain(&held, &e)))?;
    Ok(file)
}

/// The file beside the marker holding the store's pseudonym key (docs/scaling.md).
pub const KEY_FILE: &str = "lagesbild-store.key";

/// A store held for one import: made a store if new, locked against other imports
/// until dropped, with its pseudonym key.
pub struct StoreWriter {
    store: std::path::PathBuf,
    _only_import: std::fs::File,
    key: [u8; 32],
}

impl StoreWriter {
    /// Opens `store` for an import, waiting while another import holds it (saying so
    /// in the language `say` gives, silent when `None`).
    pub fn open(store: &Path, say: Option<Lang>) -> anyhow::Result<StoreWriter> {
        // A file where the folder should be is named before anything is made.
        if store.exists() && !store.is_dir() {
            let e = std::io::Error::from(std::io::ErrorKind::NotADirectory);
            anyhow::bail!(crate::files::explain(store, &e));
        }
        let lock = lock_for_import(store, say)?;
        open_for_writing(store)?;
        let key = pseudonym_key(store)?;
        Ok(StoreWriter {
            store: store.to_owned(),
            _only_import: lock,
            key,
        })
    }

    /// How ids that are personnummer are replaced in this store: the same pseudonym
    /// for the same id in every import, so that replacing by id stays right.
    pub fn pseudonyms(&self) -> crate::ingest::personal::Pseudonyms {
        crate::ingest::personal::Pseudonyms::Keyed(self.key)
    }

    /// Puts `incidents` (checked, canonical, ids made pseudonyms by
    /// [`StoreWriter::pseudonyms`]) of municipality `kommun` into the store.
    pub fn import(&self, kommun: &str, incidents: &DataFrame) -> anyhow::Result<StoreImport> {
        put_incidents(&self.store, kommun, incidents)
    }
}

/// The store's pseudonym key, made (32 random bytes from the system) the first time it
/// is needed. Whoever holds it can test a guessed personnummer against the store's
/// pseudonyms, so it stays with the store; without it no pseudonym can be tied to a
/// number, and later imports can no longer replace incidents with such ids.
fn pseudonym_key(store: &Path) -> anyhow::Result<[u8; 32]> {
    let path = store.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_key(&text).ok_or_else(|| {
            anyhow::anyhow!(crate::lang::Said::new(
                format!("{}: är ingen nyckel från lagesbild (64 hexadecimala tecken); lägg tillbaka den ursprungliga filen, eller importera till en ny databas", path.display()),
                format!("{}: is no key of lagesbild's (64 hexadecimal digits); put the original file back, or import into a new store", path.display()),
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            refuse_pseudonyms_without_key(store, &path)?;
            let mut key = [0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|e| anyhow::anyhow!("ingen slumpkälla för databasens nyckel: {e}"))?;
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            crate::files::write_privately(&path, |w| {
                write!(
                    w,
                    "# Nyckeln till pseudonymerna för id som är personnummer (docs/scaling.md).\n# Lämna den hos databasen och publicera den aldrig.\n{hex}\n"
                )
            })
            .map_err(|e| anyhow::anyhow!(crate::files::explain(&path, &e)))?;
            Ok(key)
        }
        Err(e) => Err(anyhow::anyhow!(crate::files::explain(&path, &e))),
    }
}

/// An error when `store` has no key but holds pseudonyms (the key was deleted or
/// lost, or the store is older than its key): a new key would give the same
/// personnummer another pseudonym, and its incidents would be stored twice.
fn refuse_pseudonyms_without_key(store: &Path, key: &Path) -> anyhow::Result<()> {
    for part in partitions(store)? {
        let file = part.file(store);
        let path = PlRefPath::new(file.to_string_lossy().as_ref());
        let any = LazyFrame::scan_parquet(path, ScanArgsParquet::default())
            .and_then(|scan| {
                scan.select([col("id")
                    .str()
                    .starts_with(lit("[personnummer "))
                    .any(true)
                    .alias("any")])
                    .collect()
            })
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        if any.column("any")?.bool()?.get(0) == Some(true) {
            anyhow::bail!(crate::lang::Said::new(
                format!("{} saknas, men databasen har id som är pseudonymer för personnummer ({}): lägg tillbaka nyckelfilen; med en ny nyckel skulle samma personnummer få en annan pseudonym och dess händelser lagras två gånger", key.display(), file.display()),
                format!("{} is missing, but the store has ids that are pseudonyms of personnummer ({}): put the key file back; with a new key the same personnummer would get another pseudonym and its incidents would be stored twice", key.display(), file.display()),
            ));
        }
    }
    Ok(())
}

/// The key in a key file's text: its one line that is not a comment, 64 hex digits.
fn parse_key(text: &str) -> Option<[u8; 32]> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let hex = lines.next()?;
    if lines.next().is_some() || hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

/// Puts `incidents` of municipality `kommun` into `store` in one step
/// ([`StoreWriter::open`], then [`StoreWriter::import`]): for incidents whose ids
/// are no personnummer (the generator's).
pub fn import_incidents(
    store: &Path,
    kommun: &str,
    incidents: &DataFrame,
    say: Option<Lang>,
) -> anyhow::Result<StoreImport> {
    StoreWriter::open(store, say)?.import(kommun, incidents)
}

/// Merges `incidents` of `kommun` into `store`'s partitions; the caller holds the store.
fn put_incidents(store: &Path, kommun: &str, incidents: &DataFrame) -> anyhow::Result<StoreImport> {
    // The file's name is stored as text: the store's schema (docs/scaling.md) does not
    // depend on how a frame holds it in memory.
    let columns: Vec<Expr> = stored_columns(incidents)
        .iter()
        .map(|c| match c.as_str() {
            FILE => col(FILE).cast(DataType::String),
            c => col(c),
        })
        .collect();
    let new = incidents
        .clone()
        .lazy()
        .select(columns.clone())
        .with_column(marker_only())
        .with_column(col("occurred_at").dt().year().alias("year"))
        .collect()?;
    let ids = new.column("id")?.as_materialized_series().clone();
    // Every year the municipality has in the store (an id may move between years) and
    // every year of the new incidents.
    let mut years: std::collections::BTreeSet<i32> = partitions(store)?
        .into_iter()
        .filter(|p| p.kommun == kommun)
        .map(|p| p.year)
        .collect();
    years.extend(new.column("year")?.i32()?.iter().flatten());
    let mut summary = StoreImport::default();
    for year in years {
        let part = Partition {
            kommun: kommun.to_owned(),
            year,
        };
        let file = part.file(store);
        let old = if file.is_file() {
            Some(read_partition(&file)?)
        } else {
            None
        };
        let incoming = new
            .clone()
            .lazy()
            .filter(col("year").eq(lit(year)))
            .drop(by_name(["year"], true, false))
            .collect()?;
        let (kept, replaced) = match old {
            Some(old) => {
                let before = old.height();
                let kept = old
                    .lazy()
                    .filter(col("id").is_in(lit(ids.clone()).implode(true), false).not())
                    .select(columns.clone())
                    .collect()?;
                let replaced = before - kept.height();
                (kept, replaced)
            }
            None => (incoming.clear(), 0),
        };
        if incoming.height() == 0 && replaced == 0 {
            summary.total += kept.height();
            continue;
        }
        let mut combined = concat([kept.lazy(), incoming.lazy()], UnionArgs::default())?
            .sort(["occurred_at", "id"], SortMultipleOptions::default())
            .collect()?;
        summary.replaced += replaced;
        summary.total += combined.height();
        summary.partitions += 1;
        write_partition(&file, &mut combined)?;
    }
    summary.added = new.height() - summary.replaced.min(new.height());
    Ok(summary)
}

/// Reads one partition file whole.
fn read_partition(file: &Path) -> anyhow::Result<DataFrame> {
    let f =
        std::fs::File::open(file).map_err(|e| anyhow::anyhow!(crate::files::explain(file, &e)))?;
    let frame = ParquetReader::new(f)
        .finish()
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    crate::ingest::store::check_columns(
        file,
        frame.get_column_names().into_iter().map(|n| n.as_str()),
    )?;
    Ok(frame)
}

/// Writes one partition file through a temporary file, with the one table writer
/// (Parquet, zstd).
fn write_partition(file: &Path, frame: &mut DataFrame) -> anyhow::Result<()> {
    crate::files::write_atomically(file, |w| {
        crate::render::write_table(
            frame,
            crate::render::TableFormat::Parquet,
            crate::render::CsvDialect::Excel,
            w,
        )
        .map_err(std::io::Error::other)
    })
    .map_err(|e| anyhow::anyhow!(crate::files::explain(file, &e)))
}

/// The share of a store's bytes from which a municipality is worked on alone.
const ALONE_FROM_SHARE: u64 = 20;

/// Runs `job` for every municipality of `sizes` (code, bytes in the store; see
/// `ingest::store::municipality_sizes`) and returns the results in the same order.
/// Municipalities of at least a twentieth of the store go first, one at a time (each
/// with every core inside polars); the rest one per worker, so that no large one is
/// left running alone at the end while the other cores wait. Measured on thirteen
/// years of all 290 municipalities (12 M incidents; Stockholm 8 % of the store,
/// Göteborg 5 %): `aggregate --all` 11,6 s instead of 13,4 s, the same peak memory.
///
/// The rest run on threads of their own (one more than the cores, to use the time a
/// job waits for polars' pool), each taking the next municipality when done with one,
/// not as tasks of rayon's pool: a job waiting there for its own parallel work
/// (putting a frame in one piece, the disclosure search) would start other
/// municipalities' jobs on the same thread meanwhile, so that ever more municipalities
/// were held at once. Measured on the same thirteen years, with this change alone:
/// `aggregate --all` held 2,1 GB that way and 0,82 GB this way (12,4 s instead of
/// 13,5 s); `report --all` 2,5 GB and 0,97 GB (1 min 46 s instead of 1 min 43 s).
pub fn for_each_municipality<R: Send>(
    sizes: &[(String, u64)],
    job: impl Fn(&str) -> R + Sync,
) -> Vec<R> {
    let total: u64 = sizes.iter().map(|(_, b)| b).sum();
    let alone = |bytes: u64| bytes.saturating_mul(ALONE_FROM_SHARE) >= total && sizes.len() > 1;
    let results: Vec<std::sync::Mutex<Option<R>>> =
        sizes.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let keep = |i: usize, r: R| *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
    for (i, (code, _)) in sizes.iter().enumerate().filter(|(_, (_, b))| alone(*b)) {
        keep(i, job(code));
    }
    let rest: Vec<usize> = (0..sizes.len()).filter(|i| !alone(sizes[*i].1)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = (rayon::current_num_threads() + 1).min(rest.len());
    let panicked = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| loop {
                    let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&i) = rest.get(taken) else { break };
                    keep(i, job(&sizes[i].0));
                })
            })
            .collect();
        // Every worker is joined here, so that a job's panic keeps its own message
        // (the scope would otherwise only say that a thread panicked); the first
        // worker's panic is kept when several panic.
        let mut first = None;
        for handle in handles {
            if let Err(payload) = handle.join() {
                first.get_or_insert(payload);
            }
        }
        first
    });
    if let Some(payload) = panicked {
        std::panic::resume_unwind(payload);
    }
    results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every municipality is run once")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// A key file is read back to the key written, comments and line ends aside; a
    /// damaged one is no key.
    #[test]
    fn a_key_file_is_its_one_line_of_hex() {
        let hex = "00ff".repeat(16);
        let key = super::parse_key(&format!("# kommentar\r\n{hex}\r\n")).unwrap();
        assert_eq!(key[..2], [0x00, 0xff]);
        assert_eq!(key[31], 0xff);
        for broken in [
            "",
            "# bara kommentar\n",
            &hex[1..],
            &format!("{hex}\n{hex}\n"),
            &"zz".repeat(32),
            &"é".repeat(32),
        ] {
            assert!(super::parse_key(broken).is_none(), "{broken:?}");
        }
    }

    use super::*;

    #[test]
    fn no_more_municipalities_are_held_at_once_than_there_are_workers() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let sizes: Vec<(String, u64)> = (0..40).map(|i| (format!("{i:04}"), 1)).collect();
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // A pool of its own, as polars has: a thread of another rayon pool waiting for
        // it runs other tasks of its own pool meanwhile.
        let polars_like = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        for_each_municipality(&sizes, |_| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            polars_like.install(|| std::thread::sleep(std::time::Duration::from_millis(2)));
            running.fetch_sub(1, Ordering::SeqCst);
        });
        let workers = rayon::current_num_threads() + 1;
        assert!(
            most.load(Ordering::SeqCst) <= workers,
            "{} jobs at once with {workers} workers",
            most.load(Ordering::SeqCst)
        );
    }

    #[test]
    fn a_job_that_panics_keeps_its_message() {
        // Forty of the same size: none is a twentieth of them, so all run on workers.
        let sizes: Vec<(String, u64)> = (0..40).map(|i| (format!("{i:04}"), 1)).collect();
        // Two jobs fail, on two workers (a worker stops at its job's panic): one of
        // their messages comes out, not the scope's own.
        let caught = std::panic::catch_unwind(|| {
            for_each_municipality(&sizes, |code| {
                assert!(
                    code != "0003" && code != "0005",
                    "municipality {code} failed"
                );
            })
        })
        .unwrap_err();
        let message = caught.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            message.contains("municipality 0003 failed")
                || message.contains("municipality 0005 failed"),
            "{message}"
        );
    }

    #[test]
    fn the_largest_municipalities_go_first_and_results_keep_their_order() {
        let sizes: Vec<(String, u64)> = [("0114", 10), ("0180", 500), ("0883", 20), ("1480", 300)]
            .into_iter()
            .chain((0..30).map(|_| ("9999", 5)))
            .map(|(c, b)| (c.to_owned(), b))
            .collect();
        let started = std::sync::Mutex::new(Vec::new());
        let results = for_each_municipality(&sizes, |code| {
            started.lock().unwrap().push(code.to_owned());
            format!("table of {code}")
        });
        let expected: Vec<String> = sizes.iter().map(|(c, _)| format!("table of {c}")).collect();
        assert_eq!(results, expected);
        let started = started.into_inner().unwrap();
        assert_eq!(started.len(), sizes.len());
        // 500 and 300 of 980 bytes are at least a twentieth each: alone, in order, first.
        assert_eq!(started[..2], ["0180", "1480"]);
    }
}
