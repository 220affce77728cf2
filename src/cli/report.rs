//! `lagesbild report`: the lägesbild as a self-contained Swedish HTML page, an Excel
//! workbook, CSV tables, charts and a GeoJSON layer, written all at once or not at all.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::app::report::{Document, Protection, ReportJob, Step};
use crate::cli::common::{finish, IncidentInputs, Progress};
use crate::cli::Globals;

const USAGE: &str = "\
Exempel:
  lagesbild report                              Västerviks lägesbild ur den inbyggda standarden
  lagesbild report --year 2025 handelser.csv    egna händelser, år 2025
  lagesbild report --lang en --out ut/          på engelska, till mappen ut/

Skriver till reports/<kommun>-<år>/ (eller --out): index.html (en fil, diagram inbäddade,
inga externa resurser, utskriftsvänlig på A4), lagesbild.xlsx (alla tabeller),
tables/*.csv (semikolon, UTF-8 med BOM), charts/*.svg och *.png, places.geojson (för
QGIS) och rojandekontroll.json; avvisade rader hamnar bredvid mappen, aldrig i den. Med --polisen (eller [inputs] polisen) får rapporten ett
avsnitt om polisens öppna händelser, med --bra (eller [inputs] bra) en jämförelse med
länet och riket ur Brå:s statistik. Antal under --threshold visas som \"<3\" och det som skulle
avslöja dem som \"..\". Mappen skrivs färdig i en tillfällig mapp och byter sedan plats med
den gamla, så en avbruten körning lämnar ingen halv rapport. Samma indata och samma
--generated ger samma bytes.

Med --store MAPP läses händelserna ur databasen (lagesbild import incidents), med --kommun
för en annan kommun än projektets. --all skriver en rapport per kommun i databasen,
parallellt, i --out (standard reports/) som KOD-KOMMUN-ÅR/, och fortsätter förbi en
kommun som misslyckas.";

/// Write the lägesbild report.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Året som rapporten gäller (standard: det senaste året i data).
    #[arg(long, value_name = "ÅÅÅÅ")]
    pub year: Option<i32>,
    /// Mapp att skriva rapporten till (standard: UTDATAMAPP/KOMMUN-ÅR).
    #[arg(long, value_name = "MAPP")]
    pub out: Option<PathBuf>,
    /// Antal under detta visas inte i publicerade tabeller och diagram.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(i64).range(3..))]
    pub threshold: i64,
    /// Datum som anges som skapandedatum (standard: i dag); fast datum ger samma bytes.
    #[arg(long, value_name = "ÅÅÅÅ-MM-DD")]
    pub generated: Option<chrono::NaiveDate>,
    /// Polisens öppna händelser (JSON, JSON-rader eller CSV) för avsnittet om dem.
    /// Ersätter konfigurationens inputs.polisen.
    #[arg(long, value_name = "FIL", num_args = 1..)]
    pub polisen: Vec<PathBuf>,
    /// Brå-tabeller över anmälda brott per kommun, för jämförelsen med länet och riket.
    /// Ersätter konfigurationens inputs.bra.
    #[arg(long, value_name = "FIL", num_args = 1..)]
    pub bra: Vec<PathBuf>,
    /// En rapport för varje kommun i databasen (--store), parallellt; --out är mappen de hamnar i.
    #[arg(long, requires = "store", conflicts_with = "config")]
    pub all: bool,
    /// Endast för tester: visa alla antal utan röjandekontroll, för att visa att
    /// `lagesbild audit` hittar läckan. Rapporten märks "FÅR INTE PUBLICERAS".
    #[arg(long, hide = true)]
    pub unprotected_for_tests: bool,
    #[command(flatten)]
    pub inputs: IncidentInputs,
}

/// Runs `report`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    if args.unprotected_for_tests {
        eprintln!(
            "{}",
            g.lang.pick(
                "varning: rapporten skrivs UTAN röjandekontroll och får inte publiceras",
                "warning: the report is written WITHOUT disclosure control and must not be published",
            )
        );
    }
    if args.all {
        return run_all(&args, g);
    }
    // Before any thread starts: the disclosure audit copies and drops solver states
    // many times, and the allocator keeps their memory for the next copy. Not for
    // `--all`, where many small municipalities share the heaps (2025: 44 → 47 s and
    // 158 → 187 MB with it, in turn on the same store).
    crate::memory::keep_freed_memory_for_reuse();
    let job = ReportJob {
        config: args.inputs.config.clone(),
        files: args.inputs.files.clone(),
        rejects: args.inputs.rejects.clone(),
        year: args.year,
        out: args.out.clone(),
        store: args
            .inputs
            .store
            .clone()
            .map(|s| (s, args.inputs.kommun.clone())),
        out_root: None,
        threshold: args.threshold,
        generated: args
            .generated
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        polisen: args.polisen.clone(),
        bra: args.bra.clone(),
        lang: g.lang,
        protection: if args.unprotected_for_tests {
            Protection::NoneForTests
        } else {
            Protection::Enforced
        },
        document: Document::Lagesbild,
    };
    write_and_summarize(&job, g)
}

/// `report --all --store`: one report per municipality in the store, in parallel, each
/// with its project from the embedded national tables, going past a municipality that
/// fails and naming it at the end (exit code 1 then).
fn run_all(args: &Args, g: &Globals) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let store = args.inputs.store.clone().expect("clap requires --store");
    let sizes = match &args.inputs.kommun {
        // One municipality: the store is read (and its errors reported) by its report.
        Some(k) => vec![(crate::app::init::find_kommun(k)?.code.clone(), 0)],
        None => crate::ingest::store::municipality_sizes(&store)?,
    };
    let root = args.out.clone().unwrap_or_else(|| PathBuf::from("reports"));
    let generated = args
        .generated
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let bar = (!g.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(sizes.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta})")
                .expect("a valid template"),
        );
        bar
    });
    let results: Vec<(String, Result<PathBuf, String>)> =
        crate::app::store::for_each_municipality(&sizes, |code| {
            let job = ReportJob {
                config: None,
                files: Vec::new(),
                rejects: None,
                year: args.year,
                out: None,
                store: Some((store.clone(), Some(code.to_owned()))),
                out_root: Some(root.clone()),
                threshold: args.threshold,
                generated,
                polisen: Vec::new(),
                bra: Vec::new(),
                lang: g.lang,
                protection: Protection::Enforced,
                document: Document::Lagesbild,
            };
            let result = crate::app::report::run(&job, &mut |_| {})
                .map(|w| w.out)
                .map_err(|e| crate::cli::message(&e, g.lang));
            if let Some(bar) = &bar {
                bar.inc(1);
                bar.set_message(code.to_owned());
            }
            (code.to_owned(), result)
        });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let failed: Vec<&(String, Result<PathBuf, String>)> =
        results.iter().filter(|(_, r)| r.is_err()).collect();
    if !g.quiet {
        eprintln!(
            "{}",
            match g.lang {
                crate::lang::Lang::Sv => format!(
                    "lagesbild: {} rapporter skrivna i {}, {} misslyckades",
                    results.len() - failed.len(),
                    root.display(),
                    failed.len()
                ),
                crate::lang::Lang::En => format!(
                    "lagesbild: {} reports written in {}, {} failed",
                    results.len() - failed.len(),
                    root.display(),
                    failed.len()
                ),
            }
        );
    }
    for (code, result) in &failed {
        let name = crate::model::sweden::sweden().name_of(code);
        if let Err(e) = result {
            eprintln!("{}: {name} ({code}): {e}", g.lang.pick("fel", "error"));
        }
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs a report job with progress on the terminal and prints the run summary (also
/// for `promises draft`).
pub fn write_and_summarize(job: &ReportJob, g: &Globals) -> anyhow::Result<ExitCode> {
    let mut progress = Progress::new(g);
    let written = crate::app::report::run(job, &mut |step| {
        progress.step(g.lang.pick(
            match step {
                Step::Incidents => "läser och analyserar händelser",
                Step::Survey => "läser enkätsvar",
                Step::Sources => "läser polisens händelser och Brå-tabeller",
                Step::Build => "räknar tabeller med röjandekontroll",
                Step::Write => "ritar diagram och skriver rapporten",
            },
            match step {
                Step::Incidents => "reading and analysing incidents",
                Step::Survey => "reading survey responses",
                Step::Sources => "reading police events and Brå tables",
                Step::Build => "computing tables with disclosure control",
                Step::Write => "drawing charts and writing the report",
            },
        ))
    })?;
    progress.finish();
    let out = &written.out;
    let mut extra = String::new();
    if let Some((read, imported)) = &written.polisen {
        extra += &crate::cli::import::summary(
            read,
            imported,
            &written.project.config,
            written.home,
            &written.rejects_dir.join("avvisade_handelser.csv"),
            g.lang,
        );
    }
    if let Some(table) = &written.bra {
        extra += &crate::cli::import::bra_summary(
            table,
            &written.rejects_dir.join("avvisade_bra.csv"),
            g.lang,
        );
    }
    extra += &format!(
        "{}: {}\n",
        g.lang.pick("rapport", "report"),
        out.join("index.html").display()
    );
    finish(&written.project, g, &extra)?;
    Ok(ExitCode::SUCCESS)
}
