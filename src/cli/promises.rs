//! `lagesbild promises`: candidate problems for the medborgarlöften (`suggest`) and the
//! yearly follow-up of the promises made (`evaluate`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::app::project::{configured_survey, police_events, Project};
use crate::app::promises::{
    activity_table, candidate_sentence, candidate_table, evaluate, indicator_table, sentence,
    Sources,
};
use crate::cli::choice::{CsvDialect, TableFormat};
use crate::cli::{write_output, Globals};
use crate::lang::Lang;
use crate::model::promises::Promises;

const SUGGEST_USAGE: &str = "\
Exempel:
  lagesbild promises suggest                       Västerviks tio starkaste kandidater
  lagesbild promises suggest --top 20 --format csv --out kandidater.csv

Rangordnar brottstyper och prioriterade områden per plats och i hela kommunen efter
poängen vikt × (nivå + trend + otrygghet): nivå = log₂ av den nedre 95 %-gränsen för
kvoten mot övriga kommunen per invånare (exakt test), trend = +1 för en säker ökning
från samma månader året innan (−0,5 för en säker minskning), otrygghet = en tiondel av
den nedre gränsen (procentenheter) för hur mycket fler som ser problemet i enkäten än i
kommunen, vikt = allvarsgraden ur data/sverige/allvarsgrad.toml (eller projektets
[reference] weights). Varje del skrivs ut, så att ordningen går att pröva för hand.
Utdata är arbetsmaterial med alla antal: publicera via rapporten, som döljer små tal.";

const EVALUATE_USAGE: &str = "\
Exempel:
  lagesbild promises evaluate                     löftena i den inbyggda standarden
  lagesbild promises evaluate --promises loften.toml --out uppfoljning/
  lagesbild promises evaluate --all projekt/      varje lagesbild.toml under projekt/

Följer upp varje indikator: antal före och efter (lika långa perioder) med exakt test,
med jämförelseplatser även WDD (weighted displacement difference) och kvoten av
kvoterna; enkätandelar med Newcombes intervall och skillnad i skillnader. Omdömet är
förbättring, försämring, ingen säker förändring eller kan inte bedömas (för få händelser
för att någon förändring ska kunna säkerställas, eller för få svar). Skriver
indikatorer.csv och aktiviteter.csv i --out. Med --all körs varje projekt för sig; ett
projekt som inte går att köra hoppas över och nämns på slutet (avslutningskod 1).";

/// Medborgarlöften.
#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Rangordna kandidatproblem för medborgarlöften med öppen poäng och belägg.
    #[command(after_help = SUGGEST_USAGE)]
    Suggest(SuggestArgs),
    /// Följ upp löftenas indikatorer och aktiviteter med ett omdöme per indikator.
    #[command(after_help = EVALUATE_USAGE)]
    Evaluate(EvaluateArgs),
    /// Skriv ett utkast till löftesdokument: problembild, aktiviteter och indikatorer.
    #[command(after_help = DRAFT_USAGE)]
    Draft(DraftArgs),
}

const DRAFT_USAGE: &str = "\
Exempel:
  lagesbild promises draft                          utkast för projektets löften
  lagesbild promises draft --promises loften.toml --out utkast/

Skriver en rapportmapp (index.html och samma filer som lägesbilden) med ett avsnitt per
löfte: löftets text och ansvariga, problembilden på dess platser (brottstyperna mot
övriga kommunen med exakt test och trend), aktiviteterna och indikatorerna med
basvärden och hur de prövas. Utan löftesfil (varken --promises eller [reference]
promises) skrivs utkastet för de tre starkaste kandidatproblemen. Sidan är märkt som
utkast att bearbeta; små antal är dolda som i lägesbilden.";

/// `promises draft`.
#[derive(Debug, clap::Args)]
pub struct DraftArgs {
    #[command(flatten)]
    pub inputs: crate::cli::common::IncidentInputs,
    /// Löftesfil (medborgarloften.toml). Standard: konfigurationens [reference] promises.
    #[arg(long, value_name = "FIL")]
    pub promises: Option<PathBuf>,
    /// Året som problembilden gäller (standard: det senaste året i data).
    #[arg(long, value_name = "ÅÅÅÅ")]
    pub year: Option<i32>,
    /// Mapp att skriva utkastet till (standard: UTDATAMAPP/KOMMUN-ÅR-utkast-medborgarloften).
    #[arg(long, value_name = "MAPP")]
    pub out: Option<PathBuf>,
    /// Datum som anges som skapandedatum (standard: i dag); fast datum ger samma bytes.
    #[arg(long, value_name = "ÅÅÅÅ-MM-DD")]
    pub generated: Option<chrono::NaiveDate>,
}

/// `promises suggest`.
#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Året som rangordnas (standard: det senaste året i data).
    #[arg(long, value_name = "ÅÅÅÅ")]
    pub year: Option<i32>,
    /// Antal kandidater att visa.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Utdataformat: text (en mening per kandidat) eller csv (alla delar av poängen).
    #[arg(long, value_enum, default_value_t = SuggestFormat::Text)]
    pub format: SuggestFormat,
    /// Skriv till denna fil i stället för standard ut ("-": standard ut).
    #[arg(long, short, value_name = "FIL")]
    pub out: Option<PathBuf>,
    /// Händelsefiler (CSV). Ersätter konfigurationens indata.
    #[arg(value_name = "FILER")]
    pub files: Vec<PathBuf>,
}

/// Output of `promises suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestFormat {
    /// En mening per kandidat.
    Text,
    /// CSV för Excel.
    Csv,
}

/// `promises evaluate`.
#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden.
    #[arg(long, value_name = "FIL", conflicts_with = "all")]
    pub config: Option<PathBuf>,
    /// Löftesfil (medborgarloften.toml). Standard: konfigurationens [reference] promises.
    #[arg(long, value_name = "FIL", conflicts_with = "all")]
    pub promises: Option<PathBuf>,
    /// Mapp att skriva indikatorer.csv och aktiviteter.csv till (standard: UTDATAMAPP/uppfoljning).
    #[arg(long, value_name = "MAPP")]
    pub out: Option<PathBuf>,
    /// Kör varje lagesbild.toml i denna mapp (och dess undermappar) och skriv en sammanställning.
    #[arg(long, value_name = "MAPP")]
    pub all: Option<PathBuf>,
    /// Händelsefiler (CSV). Ersätter konfigurationens indata.
    #[arg(value_name = "FILER", conflicts_with = "all")]
    pub files: Vec<PathBuf>,
}

/// Runs `promises`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    match args {
        Args::Suggest(a) => run_suggest(a, g),
        Args::Draft(a) => {
            let job = crate::app::report::ReportJob {
                config: a.inputs.config.clone(),
                files: a.inputs.files.clone(),
                rejects: a.inputs.rejects.clone(),
                year: a.year,
                out: a.out.clone(),
                store: a.inputs.store.clone().map(|s| (s, a.inputs.kommun.clone())),
                out_root: None,
                threshold: 3,
                generated: a
                    .generated
                    .unwrap_or_else(|| chrono::Local::now().date_naive()),
                polisen: Vec::new(),
                bra: Vec::new(),
                lang: g.lang,
                protection: crate::app::report::Protection::Enforced,
                document: crate::app::report::Document::PromiseDraft(a.promises.clone()),
            };
            crate::cli::report::write_and_summarize(&job, g)
        }
        Args::Evaluate(a) => match &a.all {
            Some(folder) => run_all(folder, a.out.as_deref(), g),
            None => run_evaluate(&a, g),
        },
    }
}

fn run_suggest(args: SuggestArgs, g: &Globals) -> anyhow::Result<ExitCode> {
    let lang = g.lang;
    let project = Project::load(args.config.as_deref(), &args.files, None, lang)?;
    let survey = configured_survey(&project.config, lang)?;
    let (year, through, list) = crate::app::promises::suggest(
        &project,
        survey.as_ref().map(|s| &s.frame),
        args.year,
        chrono::Local::now().date_naive(),
    )?;
    let top: Vec<_> = list.into_iter().take(args.top).collect();
    match args.format {
        SuggestFormat::Csv => {
            let mut table = candidate_table(&top, &project.config, year, through, lang)?;
            write_output(
                &mut table,
                TableFormat::Csv.into(),
                CsvDialect::Excel.into(),
                args.out.as_deref(),
            )?;
        }
        SuggestFormat::Text => {
            let mut text = String::new();
            for (i, c) in top.iter().enumerate() {
                text.push_str(&format!(
                    "{:>2}. {}\n    {}: {} × ({} + {} + {}) = {}\n",
                    i + 1,
                    candidate_sentence(c, &project.config, year, through, lang),
                    lang.pick("poäng", "score"),
                    crate::render::number::decimals(c.weight, 1, lang),
                    crate::render::number::decimals(c.level_points, 2, lang),
                    crate::render::number::decimals(c.trend_points, 2, lang),
                    crate::render::number::decimals(c.insecurity_points, 2, lang),
                    crate::render::number::decimals(c.score, 2, lang),
                ));
            }
            match crate::cli::file_or_stdout(args.out.as_deref()) {
                Some(path) => {
                    crate::files::write_atomically(path, |w| w.write_all(text.as_bytes()))
                        .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?
                }
                None => print!("{text}"),
            }
        }
    }
    if !g.quiet {
        eprintln!(
            "{}",
            match lang {
                Lang::Sv => format!("lagesbild promises suggest: {} kandidater för {year} (arbetsmaterial med alla antal; publicera via rapporten)", top.len()),
                Lang::En => format!("lagesbild promises suggest: {} candidates for {year} (working material with every count; publish through the report)", top.len()),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What one evaluation wrote.
struct Evaluated {
    out: PathBuf,
    verdicts: Vec<(String, String, String)>,
}

fn evaluate_project(
    config: Option<&Path>,
    promises_file: Option<&Path>,
    files: &[PathBuf],
    out: Option<&Path>,
    g: &Globals,
) -> anyhow::Result<Evaluated> {
    let lang = g.lang;
    let project = Project::load(config, files, None, lang)?;
    let promises = match promises_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?;
            let known = |p: &str| project.config.places.find(p).is_some();
            Promises::parse(&text, &known)
                .map_err(|m| {
                let at = format!("{}: ", path.display());
                anyhow::anyhow!(m.after(&at, &at))
            })?
        }
        None => project.config.promises.clone().ok_or_else(|| {
            anyhow::anyhow!(crate::lang::Said::new(
                "projektet har ingen löftesfil: ange --promises FIL eller [reference] promises = \"medborgarloften.toml\" i lagesbild.toml (formatet står i docs/data-formats.md)",
                "the project has no promises file: give --promises FILE or [reference] promises = \"medborgarloften.toml\" in lagesbild.toml (the format is in docs/data-formats.md)",
            ))
        })?,
    };
    let survey = configured_survey(&project.config, lang)?;
    let polisen = police_events(&project.config.polisen, &project.config, lang)?;
    let evaluation = evaluate(
        &promises,
        &Sources {
            prepared: &project.prepared,
            config: &project.config,
            survey: survey.as_ref().map(|s| &s.frame),
            events: polisen.as_ref().map(|(_, i)| &i.frame),
        },
    )?;
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| project.config.output_dir.join("uppfoljning"));
    std::fs::create_dir_all(&out).map_err(|e| anyhow::anyhow!(crate::files::explain(&out, &e)))?;
    let mut indicators = indicator_table(&evaluation, lang)?;
    let mut activities = activity_table(&promises, lang)?;
    // A file of the same name that this command did not write (it would begin with its
    // first column, after Excel's byte order mark) is someone else's: left alone.
    for name in ["indikatorer.csv", "aktiviteter.csv"] {
        let path = out.join(name);
        let ours = |bytes: &[u8]| bytes.starts_with(b"\xEF\xBB\xBFpromise;");
        if std::fs::read(&path).is_ok_and(|bytes| !ours(&bytes)) {
            anyhow::bail!(crate::lang::Said::new(
                format!("{}: finns redan och är inte skriven av `lagesbild promises evaluate`; välj en annan mapp med --out, så att filen inte skrivs över", path.display()),
                format!("{}: exists and was not written by `lagesbild promises evaluate`; choose another folder with --out, so that the file is not overwritten", path.display()),
            ));
        }
    }
    for (name, table) in [
        ("indikatorer.csv", &mut indicators),
        ("aktiviteter.csv", &mut activities),
    ] {
        write_output(
            table,
            TableFormat::Csv.into(),
            CsvDialect::Excel.into(),
            Some(&out.join(name)),
        )?;
    }
    let verdicts = evaluation
        .indicators
        .iter()
        .map(|r| {
            (
                format!("{}/{}", r.promise, r.indicator.id),
                lang.word(r.verdict().code()).to_owned(),
                sentence(r, lang),
            )
        })
        .collect();
    Ok(Evaluated { out, verdicts })
}

fn run_evaluate(args: &EvaluateArgs, g: &Globals) -> anyhow::Result<ExitCode> {
    let done = evaluate_project(
        args.config.as_deref(),
        args.promises.as_deref(),
        &args.files,
        args.out.as_deref(),
        g,
    )?;
    for (_, _, s) in &done.verdicts {
        println!("{s}");
    }
    if !g.quiet {
        eprintln!(
            "{} {}",
            g.lang
                .pick("uppföljningen skriven till", "follow-up written to"),
            done.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Every `lagesbild.toml` under `folder`, sorted.
fn project_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| anyhow::anyhow!(crate::files::explain(&dir, &e)))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "lagesbild.toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn run_all(folder: &Path, out: Option<&Path>, g: &Globals) -> anyhow::Result<ExitCode> {
    let lang = g.lang;
    let projects = project_files(folder)?;
    anyhow::ensure!(
        !projects.is_empty(),
        crate::lang::Said::new(
            format!(
                "{}: ingen lagesbild.toml i mappen eller dess undermappar",
                folder.display()
            ),
            format!(
                "{}: no lagesbild.toml in the folder or its subfolders",
                folder.display()
            ),
        )
    );
    let mut failed = Vec::new();
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    for config in &projects {
        let name = config.parent().and_then(|p| p.file_name()).map_or_else(
            || config.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let target = out.map(|o| o.join(&name));
        match evaluate_project(Some(config), None, &[], target.as_deref(), g) {
            Ok(done) => {
                for (id, verdict, s) in done.verdicts {
                    rows.push((name.clone(), id, verdict, s));
                }
            }
            Err(e) => {
                eprintln!(
                    "{}: {}: {}",
                    lang.pick("fel", "error"),
                    config.display(),
                    crate::cli::message(&e, lang)
                );
                failed.push(config.display().to_string());
            }
        }
    }
    let mut summary = polars::prelude::df!(
        "project" => rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        "indicator" => rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
        "verdict" => rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>(),
        "sentence" => rows.iter().map(|r| r.3.clone()).collect::<Vec<_>>(),
    )?;
    let summary_path = out.map(|o| o.join("sammanstallning.csv"));
    write_output(
        &mut summary,
        TableFormat::Csv.into(),
        CsvDialect::Excel.into(),
        summary_path.as_deref(),
    )?;
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} {} {}: {}",
            failed.len(),
            lang.pick("av", "of"),
            projects.len(),
            match lang {
                Lang::Sv => format!("projekt kunde inte följas upp: {}", failed.join(", ")),
                Lang::En => format!("projects could not be followed up: {}", failed.join(", ")),
            }
        );
        Ok(ExitCode::from(1))
    }
}
