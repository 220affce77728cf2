//! `lagesbild survey`: trygghet per place and year with honest uncertainty.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::analysis::survey::{problem_index, published_shares, shares, SurveyDim, SurveyOptions};
use crate::cli::common::TableOutput;
use crate::cli::{account, accounting_line, chosen_inputs, load_config, Globals};
use crate::ingest::columns::AliasTables;
use crate::ingest::survey::{load_share_tables, load_survey};
use crate::model::survey::SurveyDefinition;

const USAGE: &str = "\
Exempel:
  lagesbild survey svar-2024.csv svar-2025.csv          andelar per plats och år
  lagesbild survey --by place,year,gender svar.csv      även per kön
  lagesbild survey --table index svar.csv               problemindex (0–6) per plats och år

--table shares (standard): en rad per fråga × valda fält med n (antal giltiga svar;
\"vet ej\" och tomma räknas inte), n_eff (Kish effektiva urval (Σw)²/Σw²), share (viktad
andel problemsvar), ci_low, ci_high (Wilson-intervall på n_eff), flag (\"för få svar\"
under --min), previous_share, change_pp (procentenheter) med intervall (change_low_pp,
change_high_pp: Newcombes intervall byggt på de två Wilson-intervallen) och verdict mot
närmast föregående år: ökat / minskat när hela intervallet ligger på ena sidan om noll,
ingen säker förändring annars, kan inte bedömas när något av åren har färre svar än --min.
--published: andelstabeller utan vikter; n_eff = n / --design-effect.
--table index: problemindex per svarande (medel av poängen över besvarade frågor med
poäng i definitionen), viktat medel per grupp med bootstrap-intervall över svarande
(--replicates dragningar, fast --seed).";

/// Survey shares and problem index.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Projektkonfiguration (lagesbild.toml).
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Enkätdefinition (TOML); standard: konfigurationens.
    #[arg(long, value_name = "FIL")]
    pub definition: Option<PathBuf>,
    /// Fält att redovisa per, kommaseparerade.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "place,year")]
    pub by: Vec<crate::cli::choice::SurveyDim>,
    /// Vilken tabell.
    #[arg(long, value_enum, default_value_t = SurveyTable::Shares)]
    pub table: SurveyTable,
    /// Minsta antal svar för en tolkbar andel (standard: [statistics] min_answers, 30).
    #[arg(long)]
    pub min: Option<u32>,
    /// Designeffekt för publicerade andelar, n_eff = n / designeffekt (standard:
    /// [statistics] design_effect, 1,5).
    #[arg(long)]
    pub design_effect: Option<f64>,
    /// Konfidensnivå.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// Bootstrap-dragningar för problemindexet.
    #[arg(long, default_value_t = 1000)]
    pub replicates: usize,
    /// Frö för bootstrap (samma frö ger samma intervall).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    #[command(flatten)]
    pub output: TableOutput,
    /// Var de avvisade raderna skrivs (standard: UTDATAMAPP/avvisade_enkatsvar.csv).
    #[arg(long, value_name = "FIL")]
    pub rejects: Option<PathBuf>,
    /// Filerna är färdiga andelstabeller (fråga, andel, antal svar, plats, år, grupp)
    /// i stället för svar per person, t.ex. NTU:s publicerade procent.
    #[arg(long)]
    pub published: bool,
    /// Plats för andelstabeller som saknar platskolumn (t.ex. "riket").
    #[arg(long, value_name = "PLATS", requires = "published")]
    pub place: Option<String>,
    /// År för andelstabeller som saknar årskolumn.
    #[arg(long, value_name = "ÅR", requires = "published")]
    pub year: Option<i32>,
    /// Enkätsvar (CSV, en rad per svarande). Ersätter konfigurationens.
    #[arg(value_name = "FILER")]
    pub files: Vec<PathBuf>,
}

/// Which survey table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SurveyTable {
    /// Shares giving the problem answer.
    Shares,
    /// The problem index.
    Index,
}

/// Runs `survey`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (0.5..1.0).contains(&args.level),
        crate::lang::Said::new(
            "--level ska ligga mellan 0,5 och 1",
            "--level must lie between 0.5 and 1"
        )
    );
    let config = load_config(args.config.as_deref())?;
    if args.published {
        return run_published(&args, &config, g);
    }
    let definition = match &args.definition {
        Some(path) => {
            let text = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let text = crate::ingest::dialect::decode(&text).0;
            SurveyDefinition::parse(&text).map_err(|m| {
                let at = format!("{}: ", path.display());
                anyhow::anyhow!(m.after(&at, &at))
            })?
        }
        None => config.survey_definition.clone().ok_or_else(|| {
            anyhow::anyhow!(crate::lang::Said::new(
                "ingen enkätdefinition: ange --definition eller survey_definition under [reference]",
                "no survey definition: give --definition or survey_definition under [reference]",
            ))
        })?,
    };
    let inputs = chosen_inputs(&config.surveys, &args.files, g.lang)?;
    let loaded = load_survey(&inputs, &AliasTables::builtin().survey, &definition, g.lang)?;
    let rejects = args
        .rejects
        .clone()
        .unwrap_or_else(|| config.output_dir.join("avvisade_enkatsvar.csv"));
    let mut loaded = account(loaded, &rejects, g.lang)?;
    loaded.frame = crate::analysis::place::canonical_names(&loaded.frame, "place", &config.places)?;
    let mut by = Vec::new();
    for d in args.by.iter().map(|d| SurveyDim::from(*d)) {
        anyhow::ensure!(
            !by.contains(&d),
            crate::lang::Said::new(
                format!("--by nämner {} två gånger", d.column()),
                format!("--by names {} twice", d.column()),
            )
        );
        by.push(d);
    }
    let opts = SurveyOptions {
        by,
        min_answers: args.min.unwrap_or(config.statistics.min_answers),
        level: args.level,
        design_effect: 1.0,
    };
    let table = match args.table {
        SurveyTable::Shares => shares(&loaded.frame, &definition, &opts)?,
        SurveyTable::Index => problem_index(
            &loaded.frame,
            &definition,
            &opts,
            args.replicates,
            args.seed,
        )?,
    };
    args.output.write(table, g.lang)?;
    summarise(&loaded, &rejects, g);
    Ok(ExitCode::SUCCESS)
}

/// `survey --published`: share tables instead of responses.
fn run_published(
    args: &Args,
    config: &crate::model::config::Config,
    g: &Globals,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        !args.files.is_empty(),
        crate::lang::Said::new(
            "--published kräver filer på kommandoraden",
            "--published needs files on the command line",
        )
    );
    anyhow::ensure!(
        args.table == SurveyTable::Shares,
        crate::lang::Said::new(
            "problemindex kräver svar per person, inte andelstabeller",
            "a problem index needs answers per person, not tables of shares",
        )
    );
    let inputs = chosen_inputs(&[], &args.files, g.lang)?;
    let place = args.place.as_deref().unwrap_or("(ej angiven)");
    let loaded = load_share_tables(
        &inputs,
        &AliasTables::builtin().survey_table,
        place,
        args.year,
        g.lang,
    )?;
    let rejects = args
        .rejects
        .clone()
        .unwrap_or_else(|| config.output_dir.join("avvisade_enkatsvar.csv"));
    let loaded = account(loaded, &rejects, g.lang)?;
    let design_effect = args
        .design_effect
        .unwrap_or(config.statistics.design_effect);
    anyhow::ensure!(
        design_effect.is_finite() && design_effect > 0.0,
        crate::lang::Said::new(
            format!("--design-effect måste vara ett tal > 0 (nu {design_effect})"),
            format!("--design-effect must be a number > 0 (now {design_effect})"),
        )
    );
    let opts = SurveyOptions {
        by: Vec::new(),
        min_answers: args.min.unwrap_or(config.statistics.min_answers),
        level: args.level,
        design_effect,
    };
    let table = published_shares(&loaded.frame, &opts)?;
    args.output.write(table, g.lang)?;
    summarise(&loaded, &rejects, g);
    Ok(ExitCode::SUCCESS)
}

fn summarise(loaded: &crate::ingest::report::Loaded, rejects: &std::path::Path, g: &Globals) {
    if !g.quiet {
        eprintln!(
            "{}",
            accounting_line(loaded, ("enkätsvar", "survey responses"), rejects, g.lang)
        );
    }
}
