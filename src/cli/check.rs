//! `lagesbild check`: validate input files and account for every row.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{account, load_config, load_inputs, Globals};
use crate::embedded::Location;
use crate::ingest::columns::AliasTables;
use crate::ingest::dialect::separator_name;
use crate::ingest::report::{FileReport, Loaded};
use crate::ingest::survey::load_survey;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::render::write_canonical;

const USAGE: &str = "\
Exempel:
  lagesbild check                          kontrollera den inbyggda Västervik-standardens indata
  lagesbild check handelser.csv            kontrollera en egen fil (ersätter konfigurationens indata)
  lagesbild check --config lagesbild.toml  kontrollera ett projekts indata
  lagesbild check --strict a.csv b.csv     avsluta med kod 1 om någon rad avvisas

Varje rad i varje fil blir antingen godkänd eller avvisad med fil, radnummer och orsak.
De avvisade raderna skrivs till avvisade_rader.csv i utdatamappen (semikolon, UTF-8 med
BOM, öppnas direkt i Excel). Format och godkända kolumnnamn: docs/data-formats.md.";

/// Validate input files and account for every row.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,

    /// Var de avvisade raderna skrivs (standard: UTDATAMAPP/avvisade_rader.csv).
    #[arg(long, value_name = "FIL")]
    pub rejects: Option<PathBuf>,

    /// Skriv de godkända raderna i kanoniskt format till denna CSV-fil.
    #[arg(long, value_name = "FIL")]
    pub accepted: Option<PathBuf>,

    /// Utdataformat för sammanfattningen.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Avsluta med kod 1 om någon rad avvisas.
    #[arg(long)]
    pub strict: bool,

    /// Händelsefiler (CSV). Ersätter konfigurationens indata.
    #[arg(value_name = "FILER")]
    pub files: Vec<PathBuf>,
}

/// How the summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for people.
    Text,
    /// JSON for programs.
    Json,
}

/// Runs `check`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let (loaded, rejects_path) =
        load_inputs(&config, &args.files, args.rejects.as_deref(), g.lang)?;
    if let Some(path) = &args.accepted {
        crate::app::project::refuse_overwriting_inputs(
            path,
            &crate::cli::given_or_configured(&args.files, &config.incidents),
        )?;
        crate::files::refuse_second_output(path)
            .and_then(|()| write_canonical(path, &loaded.frame))
            .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?;
    }
    let surveys = configured_surveys(&config, &args, g.lang)?;

    if !g.quiet {
        let origin = match &config.origin {
            Location::Embedded(_) => g
                .lang
                .pick(
                    "inbyggd standardkonfiguration",
                    "built-in default configuration",
                )
                .to_owned(),
            Location::Path(p) => p.display().to_string(),
        };
        match args.format {
            Format::Text => {
                print!(
                    "lagesbild check – {} ({origin})\n\n",
                    config.municipality.name
                );
                print!("{}", section(&loaded, &rejects_path, g.lang));
                if let Some((survey, path)) = &surveys {
                    print!(
                        "\n{}\n\n{}",
                        g.lang.pick("Enkätsvar", "Survey responses"),
                        section(survey, path, g.lang)
                    );
                }
            }
            Format::Json => {
                let mut value = totals(&loaded, &rejects_path);
                if let Some((survey, path)) = &surveys {
                    value["surveys"] = totals(survey, path);
                }
                println!("{}", serde_json::to_string_pretty(&value)?);
            }
        }
    }
    let rejected = loaded.rejected() + surveys.as_ref().map_or(0, |(s, _)| s.rejected());
    Ok(if args.strict && rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The configuration's survey responses, checked against its survey definition, when
/// no files were named on the command line (those are incident files).
fn configured_surveys(
    config: &Config,
    args: &Args,
    lang: Lang,
) -> anyhow::Result<Option<(Loaded, PathBuf)>> {
    let (Some(definition), true, false) = (
        &config.survey_definition,
        args.files.is_empty(),
        config.surveys.is_empty(),
    ) else {
        return Ok(None);
    };
    let loaded = load_survey(
        &config.surveys,
        &AliasTables::builtin().survey,
        definition,
        lang,
    )?;
    let path = config.output_dir.join("avvisade_enkatsvar.csv");
    Ok(Some((account(loaded, &path, lang)?, path)))
}

/// Per-file summaries and the reconciled total of one kind of input.
fn section(loaded: &Loaded, rejects: &std::path::Path, lang: Lang) -> String {
    let mut out = String::new();
    for f in &loaded.files {
        out.push_str(&file_summary(f, lang));
        out.push('\n');
    }
    let n = loaded.files.len();
    let _ = writeln!(
        out,
        "{}: {} = {} + {} {}",
        lang.pick("Totalt", "Total"),
        count_word(loaded.rows_read(), lang.pick("lästa", "read")),
        count_word(loaded.accepted(), lang.pick("godkända", "accepted")),
        count_word(loaded.rejected(), lang.pick("avvisade", "rejected")),
        match (lang, n) {
            (Lang::Sv, 1) => "i 1 fil".to_owned(),
            (Lang::Sv, _) => format!("i {n} filer"),
            (Lang::En, 1) => "in 1 file".to_owned(),
            (Lang::En, _) => format!("in {n} files"),
        }
    );
    let _ = writeln!(
        out,
        "{}: {}",
        lang.pick("Avvisade rader", "Rejected rows"),
        rejects.display()
    );
    out
}

fn count_word(n: usize, word: &str) -> String {
    format!("{n} {word}")
}

fn file_summary(f: &FileReport, lang: Lang) -> String {
    let mut out = format!("{}\n", f.file);
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "  {label}: {value}");
    };
    let decimal = if f.decimal_comma {
        lang.pick(", decimalkomma", ", decimal comma")
    } else {
        ""
    };
    line(
        "format",
        format!(
            "{} {}, {} {}{decimal}",
            lang.pick("separator", "separator"),
            separator_name(f.separator, lang),
            lang.pick("teckenkodning", "encoding"),
            f.encoding.name(lang)
        ),
    );
    let mapped: Vec<String> = f
        .columns
        .mapped
        .iter()
        .map(|(_, h, c)| format!("{h} → {c}"))
        .collect();
    line(lang.pick("kolumner", "columns"), mapped.join(", "));
    if !f.columns.ignored.is_empty() {
        line(
            lang.pick("ignorerade kolumner", "ignored columns"),
            f.columns.ignored.join(", "),
        );
    }
    line(
        lang.pick("rader", "rows"),
        format!(
            "{} = {} + {}",
            count_word(f.rows_read, lang.pick("lästa", "read")),
            count_word(f.accepted, lang.pick("godkända", "accepted")),
            count_word(f.rejected, lang.pick("avvisade", "rejected")),
        ),
    );
    if !f.reasons.is_empty() {
        line(
            lang.pick("vanligaste orsaker", "most common reasons"),
            counted(&f.reasons[..f.reasons.len().min(5)]),
        );
    }
    if !f.notes.is_empty() {
        line(lang.pick("rättat", "corrected"), counted(&f.notes));
    }
    if !f.legacy_lines.is_empty() {
        let shown: Vec<String> = f.legacy_lines.iter().take(20).map(u64::to_string).collect();
        let more = if f.legacy_lines.len() > 20 {
            ", …"
        } else {
            ""
        };
        line(
            lang.pick("varning", "warning"),
            format!(
                "{} {}{more} ({} {})",
                lang.pick(
                    "filen blandar UTF-8 och Windows-1252; Windows-1252 på rad",
                    "the file mixes UTF-8 and Windows-1252; Windows-1252 on line",
                ),
                shown.join(", "),
                f.legacy_lines.len(),
                lang.pick("rader", "lines"),
            ),
        );
    }
    if !f.masked.is_empty() {
        line(
            lang.pick("personuppgifter maskerade", "personal data masked"),
            counted(&f.masked),
        );
    }
    out
}

/// `"a (3), b (1)"`.
fn counted(items: &[(String, usize)]) -> String {
    items
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The accounting of one kind of input as JSON.
fn totals(loaded: &Loaded, rejects: &std::path::Path) -> serde_json::Value {
    serde_json::json!({
        "files": loaded.files,
        "rows_read": loaded.rows_read(),
        "accepted": loaded.accepted(),
        "rejected": loaded.rejected(),
        "rejects_file": rejects.display().to_string(),
    })
}
