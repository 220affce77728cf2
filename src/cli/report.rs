//! `lagesbild report`: the lägesbild as a self-contained Swedish HTML page, an Excel
//! workbook, CSV tables, charts and a GeoJSON layer, written all at once or not at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sha2::Digest;

use crate::cli::common::{IncidentInputs, Progress, Run};
use crate::cli::import::import_polisen;
use crate::cli::{account, given_or_configured, Globals};
use crate::ingest::bra::read_bra;
use crate::ingest::columns::AliasTables;
use crate::ingest::polisen::rejects_frame;
use crate::ingest::report::write_rejects;
use crate::ingest::survey::load_survey;
use crate::model::sweden::sweden;
use crate::app::report::{manifest, write_report_files};
use crate::report::{build, build_unprotected_for_tests, Inputs, ReportOptions};

const USAGE: &str = "\
Exempel:
  lagesbild report                              Västerviks lägesbild ur den inbyggda standarden
  lagesbild report --year 2025 handelser.csv    egna händelser, år 2025
  lagesbild report --lang en --out ut/          på engelska, till mappen ut/

Skriver till reports/<kommun>-<år>/ (eller --out): index.html (en fil, diagram inbäddade,
inga externa resurser, utskriftsvänlig på A4), lagesbild.xlsx (alla tabeller),
tables/*.csv (semikolon, UTF-8 med BOM), charts/*.svg och *.png, places.geojson (för
QGIS) och avvisade_rader.csv. Med --polisen (eller [inputs] polisen) får rapporten ett
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
    let mut progress = Progress::new(g);
    progress.step(g.lang.pick(
        "läser och analyserar händelser",
        "reading and analysing incidents",
    ));
    let run = Run::start(&args.inputs, g)?;
    let config = &run.config;
    progress.step(g.lang.pick("läser enkätsvar", "reading survey responses"));
    let survey = match (&config.survey_definition, config.surveys.is_empty()) {
        (Some(def), false) => {
            let loaded = load_survey(&config.surveys, &AliasTables::builtin().survey, def, g.lang)?;
            Some(account(
                loaded,
                &config.output_dir.join("avvisade_enkatsvar.csv"),
                g.lang,
            )?)
        }
        _ => None,
    };
    let latest = run
        .prepared
        .incidents
        .column("occurred_at")?
        .as_materialized_series()
        .cast(&polars::prelude::DataType::Date)?
        .date()?
        .phys
        .iter()
        .flatten()
        .max()
        .map(|days| chrono::NaiveDate::default() + chrono::Days::new(days as u64));
    let year = args
        .year
        .or(latest.map(|d| chrono::Datelike::year(&d)))
        .ok_or_else(|| anyhow::anyhow!("inga godkända händelser att rapportera"))?;
    let inputs_used = given_or_configured(&args.inputs.files, &config.incidents);
    progress.step(g.lang.pick(
        "läser polisens händelser och Brå-tabeller",
        "reading police events and Brå tables",
    ));
    let polisen_inputs = given_or_configured(&args.polisen, &config.polisen);
    let home = sweden().by_code(&config.municipality.code);
    let polisen = if polisen_inputs.is_empty() {
        None
    } else {
        let home = home.ok_or_else(|| {
            anyhow::anyhow!(
                "kommunkoden {} finns inte bland Sveriges kommuner",
                config.municipality.code
            )
        })?;
        Some(import_polisen(&polisen_inputs, config, Some(home), g.lang)?)
    };
    let bra_inputs = given_or_configured(&args.bra, &config.bra);
    let bra = if bra_inputs.is_empty() {
        None
    } else {
        Some(read_bra(&bra_inputs, g.lang)?)
    };
    let mut hashes = Vec::new();
    for at in inputs_used
        .iter()
        .chain(&config.surveys)
        .chain(&polisen_inputs)
        .chain(&bra_inputs)
    {
        let bytes = at.read().map_err(|e| anyhow::anyhow!("{at}: {e}"))?;
        hashes.push((
            at.display_name(),
            format!("{:x}", sha2::Sha256::digest(&bytes)),
        ));
    }
    let focus = config.report.focus_places.clone();
    let generated = args
        .generated
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let opts = ReportOptions {
        year,
        threshold: args.threshold,
        generated,
        lang: g.lang,
        focus_places: focus,
    };
    progress.step(g.lang.pick(
        "räknar tabeller och ritar diagram",
        "computing tables and drawing charts",
    ));
    let build = if args.unprotected_for_tests {
        eprintln!("{}", g.lang.pick(
            "varning: rapporten skrivs UTAN röjandekontroll och får inte publiceras",
            "warning: the report is written WITHOUT disclosure control and must not be published",
        ));
        build_unprotected_for_tests
    } else {
        build
    };
    let report = build(
        &Inputs {
            config,
            loaded: &run.loaded,
            prepared: &run.prepared,
            survey: survey.as_ref(),
            hashes,
            polisen: polisen.as_ref().map(|(r, i)| (r, i)),
            bra: bra.as_ref(),
        },
        &opts,
    )?;

    let folder = format!(
        "{}-{year}",
        crate::text::fold_key(&config.municipality.short_name)
    );
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| config.output_dir.join(folder));
    progress.step(g.lang.pick("skriver rapporten", "writing the report"));
    let manifest = manifest(&report, &run.prepared, config)?;
    write_atomically(&out, |dir| {
        write_report_files(dir, &report, &manifest, generated, g.lang)
            .map_err(std::io::Error::other)?;
        if let Some((read, _)) = &polisen {
            write_rejects(
                &dir.join("avvisade_handelser.csv"),
                &rejects_frame(&read.rejects).map_err(std::io::Error::other)?,
                g.lang,
            )?;
        }
        if let Some(table) = &bra {
            write_rejects(
                &dir.join("avvisade_bra.csv"),
                &rejects_frame(&table.rejects).map_err(std::io::Error::other)?,
                g.lang,
            )?;
        }
        write_rejects(&dir.join("avvisade_rader.csv"), &run.loaded.rejects, g.lang)
    })?;
    progress.finish();
    let mut extra = String::new();
    if let Some((read, imported)) = &polisen {
        extra += &crate::cli::import::summary(
            read,
            imported,
            config,
            home,
            &out.join("avvisade_handelser.csv"),
            g.lang,
        );
    }
    if let Some(table) = &bra {
        extra += &crate::cli::import::bra_summary(table, &out.join("avvisade_bra.csv"), g.lang);
    }
    extra += &format!(
        "{}: {}\n",
        g.lang.pick("rapport", "report"),
        out.join("index.html").display()
    );
    run.finish(g, &extra);
    Ok(ExitCode::SUCCESS)
}

/// Writes a folder completely in a temporary sibling, then puts it in place of `target`.
fn write_atomically(
    target: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| anyhow::anyhow!("{}: {e}", parent.display()))?;
    let name = target
        .file_name()
        .map_or("rapport".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    if let Err(e) = fill(&tmp) {
        let _ = std::fs::remove_dir_all(&tmp);
        anyhow::bail!("{}: {e}", target.display());
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if target.exists() {
        std::fs::rename(target, &old).map_err(|e| anyhow::anyhow!("{}: {e}", target.display()))?;
    }
    std::fs::rename(&tmp, target).map_err(|e| anyhow::anyhow!("{}: {e}", target.display()))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}
