//! Throughput of the analysis core on generated incidents (divan): place resolution
//! and classification, aggregation per priority area × place × month with the change
//! tests, and reading the same incidents from CSV with every value checked — on 1 and
//! 10 million incidents. `cargo bench --bench aggregate`.
//!
//! divan reports time and rows per second (throughput); the process's peak resident
//! memory (VmHWM) is printed after each size. The CSV is written to
//! `target/bench-data/` so that `benches/duckdb_compare.py` can run DuckDB on the
//! same data.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use lagesbild::analysis::aggregate::{aggregate, Dim, Options};
use lagesbild::analysis::period::Period;
use lagesbild::analysis::{populations, prepare};
use lagesbild::embedded::Location;
use lagesbild::ingest::columns::AliasTables;
use lagesbild::ingest::incidents::load_incidents;
use lagesbild::lang::Lang;
use lagesbild::model::config::Config;
use lagesbild::random::SplitMix;
use polars::prelude::*;

const SIZES: [usize; 2] = [1_000_000, 10_000_000];

fn main() {
    divan::main();
    eprintln!("peak RSS (whole run): {:.0} MB", peak_rss_mb());
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::embedded_default().unwrap())
}

fn options() -> Options {
    Options {
        by: vec![Dim::PriorityArea, Dim::Place],
        period: Period::Month,
        from: None,
        to: None,
        level: 0.95,
        through_month: None,
    }
}

/// Place resolution and harm (the area flags are made when first asked for, since
/// 2026-11-30 sixth round; before, this also flagged every incident).
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn prepare_incidents(bencher: Bencher, n: usize) {
    let incidents = generate(n);
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| prepare(&incidents, config()).unwrap());
    eprintln!("prepare n={n}: peak RSS so far {:.0} MB", peak_rss_mb());
}

/// Aggregation per priority area × place × month, with rates, shares and tests.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn aggregate_cells(bencher: Bencher, n: usize) {
    let prepared = prepare(&generate(n), config()).unwrap();
    let (opts, pops) = (options(), populations(config()));
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| aggregate(&prepared.incidents, prepared.long().unwrap(), &opts, &pops).unwrap());
    eprintln!("aggregate n={n}: peak RSS so far {:.0} MB", peak_rss_mb());
}

/// Reading a `;` CSV of n incidents, every value typed and checked, duplicates sought.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn ingest_csv(bencher: Bencher, n: usize) {
    let path = write_csv(n);
    let aliases = AliasTables::builtin().incidents;
    bencher.counter(ItemsCount::new(n)).bench(|| {
        let loaded = load_incidents(&[Location::Path(path.clone())], &aliases, Lang::Sv).unwrap();
        assert_eq!(loaded.accepted(), n);
    });
    eprintln!("ingest n={n}: peak RSS so far {:.0} MB", peak_rss_mb());
}

fn write_csv(n: usize) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("incidents-{n}.csv"));
    if !path.exists() {
        let mut out = as_csv_columns(&generate(n));
        let mut file = std::fs::File::create(&path).unwrap();
        CsvWriter::new(&mut file)
            .with_separator(b';')
            .finish(&mut out)
            .unwrap();
    }
    path
}

const OFFENCES: [&str; 12] = [
    "Skadegörelse",
    "Brand",
    "Misshandel",
    "Narkotikabrott",
    "Stöld",
    "Rattfylleri",
    "Trafikolycka",
    "Olovlig körning",
    "Ofog barn/ungdom",
    "Bedrägeri",
    "Inbrott",
    "Olaga hot",
];
const PLACES: [&str; 12] = [
    "Västervik",
    "Karstorp",
    "Gamleby",
    "Ankarsrums",
    "Överum",
    "Gunnebo",
    "Edsbruk",
    "Loftahammar",
    "Piperskärr",
    "Hjorted",
    "Totebo",
    "Stora torget",
];

/// `n` incidents over 2021–2026 in canonical columns; one in ten has SWEREF
/// coordinates near Västervik instead of a place name.
fn generate(n: usize) -> DataFrame {
    let mut rng = SplitMix(0x0883_2026);
    let start = chrono::NaiveDate::from_ymd_opt(2021, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let span_minutes = 6 * 365 * 24 * 60;
    let mut id = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    let mut offence = Vec::with_capacity(n);
    let mut place = Vec::with_capacity(n);
    let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut age = Vec::with_capacity(n);
    let mut relation = Vec::with_capacity(n);
    for i in 0..n {
        id.push(format!("G{i}"));
        at.push(start + chrono::Duration::minutes(rng.below(span_minutes) as i64));
        offence.push(OFFENCES[rng.below(OFFENCES.len())]);
        if rng.below(10) == 0 {
            place.push(None);
            x.push(Some(596_813.5 + rng.below(4_000) as f64 - 2_000.0));
            y.push(Some(6_403_188.96 + rng.below(4_000) as f64 - 2_000.0));
        } else {
            place.push(Some(PLACES[rng.below(PLACES.len())]));
            x.push(None);
            y.push(None);
        }
        age.push((rng.below(5) == 0).then(|| 12 + rng.below(50) as i32));
        relation.push((rng.below(20) == 0).then_some(true));
    }
    let none_f = vec![None::<f64>; n];
    let none_s = vec![None::<&str>; n];
    df!(
        "id" => id,
        "occurred_at" => at,
        "occurred_to" => vec![None::<chrono::NaiveDateTime>; n],
        "has_time" => vec![true; n],
        "offence" => offence,
        "offence_code" => none_s.clone(),
        "place" => place,
        "x" => x,
        "y" => y,
        "lat" => none_f.clone(),
        "lon" => none_f,
        "suspect_age" => age,
        "close_relation" => relation,
        "source" => vec!["polis"; n],
        "count" => vec![1i64; n],
        "description" => none_s,
    )
    .unwrap()
    .lazy()
    .with_column(col("occurred_at").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
    .collect()
    .unwrap()
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The generated frame in the columns a CSV export would have.
fn as_csv_columns(df: &DataFrame) -> DataFrame {
    df.clone()
        .lazy()
        .select([
            col("id"),
            col("occurred_at").dt().to_string("%Y-%m-%d %H:%M:%S"),
            col("offence"),
            col("place"),
            col("x"),
            col("y"),
            col("suspect_age"),
            col("close_relation"),
            col("source"),
            col("count"),
        ])
        .collect()
        .unwrap()
}
