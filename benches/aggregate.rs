//! Throughput of the analysis core on generated incidents: place resolution,
//! classification and aggregation per priority area × place × month, on 1 and 10
//! million incidents (`cargo bench --bench aggregate`; `-- 1000000` for one size).
//! Also times reading the same data from CSV, and writes that CSV to
//! `target/bench-data/` so that `benches/duckdb_compare.py` can run DuckDB on it.
//!
//! Reports wall time (median of 3), rows per second and the process's peak resident
//! memory (VmHWM). A plain harness: no statistics beyond the median, because the
//! runs take seconds, not nanoseconds.

use std::time::{Duration, Instant};

use lagesbild::analysis::aggregate::{aggregate, Dim, Options};
use lagesbild::analysis::period::Period;
use lagesbild::analysis::{populations, prepare};
use lagesbild::embedded::Location;
use lagesbild::ingest::columns::AliasTables;
use lagesbild::ingest::incidents::load_incidents;
use lagesbild::lang::Lang;
use lagesbild::model::config::Config;
use polars::prelude::*;

/// A small deterministic generator (xorshift64*), so the data are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
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
    let mut rng = Rng(0x0883_2026);
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
        offence.push(OFFENCES[rng.below(OFFENCES.len() as u64) as usize]);
        if rng.below(10) == 0 {
            place.push(None);
            x.push(Some(596_813.5 + rng.below(4_000) as f64 - 2_000.0));
            y.push(Some(6_403_188.96 + rng.below(4_000) as f64 - 2_000.0));
        } else {
            place.push(Some(PLACES[rng.below(PLACES.len() as u64) as usize]));
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

fn median_of_3(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

fn main() {
    // Sizes from the command line (cargo passes "--bench" too, which is skipped).
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000_000, 10_000_000]
    } else {
        sizes
    };
    let config = Config::embedded_default().unwrap();
    let pops = populations(&config);
    let opts = Options {
        by: vec![Dim::PriorityArea, Dim::Place],
        period: Period::Month,
        from: None,
        to: None,
        level: 0.95,
        lang: Lang::Sv,
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    for n in sizes {
        let incidents = generate(n);
        let prepared = prepare(&incidents, &config).unwrap();
        let t_prepare = median_of_3(|| drop(prepare(&incidents, &config).unwrap()));
        let t_aggregate = median_of_3(|| drop(aggregate(&prepared.incidents, &prepared.long, &opts, &pops).unwrap()));
        drop(prepared);
        println!(
            "  of which place resolution + classification {:.2} s, aggregation with tests {:.2} s",
            t_prepare.as_secs_f64(),
            t_aggregate.as_secs_f64()
        );
        let mut cells = 0;
        let analysis = median_of_3(|| {
            let prepared = prepare(&incidents, &config).unwrap();
            cells = aggregate(&prepared.incidents, &prepared.long, &opts, &pops)
                .unwrap()
                .height();
        });
        println!(
            "analysis  n={n:>9}  {:>7.2} s  {:>10.0} rows/s  {cells} cells  peak RSS {:.0} MB",
            analysis.as_secs_f64(),
            n as f64 / analysis.as_secs_f64(),
            peak_rss_mb()
        );
        let csv_path = dir.join(format!("incidents-{n}.csv"));
        let mut out = lagesbild_bench_canonical(&incidents);
        let mut file = std::fs::File::create(&csv_path).unwrap();
        CsvWriter::new(&mut file)
            .with_separator(b';')
            .finish(&mut out)
            .unwrap();
        drop(incidents);
        let aliases = AliasTables::builtin().incidents;
        let ingest = median_of_3(|| {
            let loaded =
                load_incidents(&[Location::Path(csv_path.clone())], &aliases, Lang::Sv).unwrap();
            assert_eq!(loaded.accepted(), n);
        });
        println!(
            "ingest    n={n:>9}  {:>7.2} s  {:>10.0} rows/s  ({})  peak RSS {:.0} MB",
            ingest.as_secs_f64(),
            n as f64 / ingest.as_secs_f64(),
            csv_path.display(),
            peak_rss_mb()
        );
    }
}

/// The generated frame in the columns a CSV export would have.
fn lagesbild_bench_canonical(df: &DataFrame) -> DataFrame {
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
