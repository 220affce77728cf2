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
--generated ger samma bytes.";

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
    let job = ReportJob {
        config: args.inputs.config.clone(),
        files: args.inputs.files.clone(),
        rejects: args.inputs.rejects.clone(),
        year: args.year,
        out: args.out.clone(),
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
    finish(&written.project, g, &extra);
    Ok(ExitCode::SUCCESS)
}
