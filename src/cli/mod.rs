//! The command-line layer: one file per subcommand, each with its help text beside it.
//! Exit codes: 0 success, 1 the command ran but found what it was asked to fail on
//! (e.g. `check --strict` with rejected rows), 2 an error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::ingest::report::Loaded;
use crate::lang::Lang;
use crate::render::{write_table, CsvDialect, TableFormat};

pub mod aggregate;
pub mod audit;
pub mod check;
pub mod choice;
pub mod codes;
pub mod common;
pub mod concentration;
pub mod generate;
pub mod help;
mod help_en;
pub mod hotspots;
pub mod import;
pub mod init;
pub mod nearrepeat;
pub mod promises;
pub mod report;
pub mod survey;
pub mod timeprofile;

/// lagesbild – lokal lägesbild över brott och trygghet för kommun och polis.
///
/// Läser händelser och enkätsvar (CSV från polis, kommun, räddningstjänst …), kontrollerar
/// varje rad och bygger lägesbilden per prioriterat område, plats och period.
/// Utan --config används den inbyggda standarden för Västerviks kommun.
#[derive(Debug, Parser)]
#[command(name = "lagesbild", version, max_term_width = 100)]
pub struct Cli {
    /// Språk för utdata: sv (svenska) eller en (English).
    #[arg(long, global = true, value_enum, default_value_t = choice::Lang::Sv)]
    pub lang: choice::Lang,

    /// Skriv bara fel, ingen sammanfattning.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Skriv varje steg med tidsåtgång till standard fel.
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Skriv lägesbilden: HTML-rapport, Excel, CSV-tabeller, diagram och GeoJSON.
    Report(report::Args),
    /// Pröva en skriven rapportmapp: går något dolt litet antal att räkna ut?
    Audit(audit::Args),
    /// Kontrollera indatafiler: format, godkända och avvisade rader med orsak.
    Check(check::Args),
    /// Räkna per prioriterat område, brottstyp, plats eller källa × period, med takt och förändringstest.
    Aggregate(aggregate::Args),
    /// Veckodag × timme med aoristiska vikter för händelser med osäker tid.
    Timeprofile(timeprofile::Args),
    /// Hot spots i rutnät (Getis–Ord Gi*, FDR-korrigerat) och koncentration över rutor.
    Hotspots(hotspots::Args),
    /// Upprepade händelser nära i tid och rum: Knox-test med omblandningar.
    Nearrepeat(nearrepeat::Args),
    /// Koncentration över platser eller rutor: Gini, andel i toppen, Lorenzkurva.
    Concentration(concentration::Args),
    /// Trygghet per plats och år: viktade andelar med osäkerhet, förändring, problemindex.
    Survey(survey::Args),
    /// Skapa reproducerbar, tydligt märkt testdata för kommunen.
    Generate(generate::Args),
    /// Läs in andra källor: polisens öppna händelser, Brå:s statistik per kommun.
    Import(import::Args),
    /// Brå:s brottskoder med benämning och de prioriterade områden koden räknas i.
    Codes(codes::Args),
    /// Skapa ett färdigt projekt för vilken kommun som helst ur de nationella tabellerna.
    Init(init::Args),
    /// Medborgarlöften: kandidatproblem ur lägesbilden och uppföljning av löftena.
    #[command(subcommand)]
    Promises(promises::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let asked = help::requested_lang(&argv, std::env::var("LAGESBILD_LANG").ok().as_deref());
    let matches =
        help::localize(<Cli as clap::CommandFactory>::command(), asked).get_matches_from(argv);
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let lang: Lang = cli.lang.into();
    let g = Globals {
        lang,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args, &g),
        Command::Audit(args) => audit::run(args, &g),
        Command::Report(args) => report::run(args, &g),
        Command::Aggregate(args) => aggregate::run(args, &g),
        Command::Timeprofile(args) => timeprofile::run(args, &g),
        Command::Hotspots(args) => hotspots::run(args, &g),
        Command::Concentration(args) => concentration::run(args, &g),
        Command::Survey(args) => survey::run(args, &g),
        Command::Generate(args) => generate::run(args, &g),
        Command::Import(args) => import::run(args, &g),
        Command::Promises(args) => promises::run(args, &g),
        Command::Init(args) => init::run(args, &g),
        Command::Codes(args) => codes::run(args, &g),
        Command::Nearrepeat(args) => nearrepeat::run(args, &g),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {}", lang.pick("fel", "error"), message(&e, lang));
            ExitCode::from(2)
        }
    }
}

/// Options every subcommand shares.
#[derive(Debug, Clone, Copy)]
pub struct Globals {
    /// Output language.
    pub lang: Lang,
    /// Print only errors.
    pub quiet: bool,
    /// Print each step with its time.
    pub verbose: bool,
}

pub use crate::app::project::{
    account, chosen_inputs, given_or_configured, load_config, load_inputs,
};

/// The accounting of one kind of input in one line: `lagesbild: N lästa = A godkända +
/// R avvisade[ what] (avvisade rader: PATH)`; `what` names the rows (Swedish, English).
pub fn accounting_line(
    loaded: &Loaded,
    what: (&str, &str),
    rejects: &std::path::Path,
    lang: Lang,
) -> String {
    let (read, accepted, rejected) = (loaded.rows_read(), loaded.accepted(), loaded.rejected());
    let what = lang.pick(what.0, what.1);
    let what = if what.is_empty() {
        String::new()
    } else {
        format!(" {what}")
    };
    match lang {
        Lang::Sv => format!(
            "lagesbild: {read} lästa = {accepted} godkända + {rejected} avvisade{what} (avvisade rader: {})",
            rejects.display()
        ),
        Lang::En => format!(
            "lagesbild: {read} read = {accepted} accepted + {rejected} rejected{what} (rejected rows: {})",
            rejects.display()
        ),
    }
}

/// `--out` as given, `None` for standard output: not given, or "-" (as in xsv and
/// ripgrep; a file named "-" is written as "./-").
pub fn file_or_stdout(out: Option<&std::path::Path>) -> Option<&std::path::Path> {
    out.filter(|path| *path != std::path::Path::new("-"))
}

/// Writes a table to `out` (through a temporary file renamed into place, so a reader
/// never sees half a file) or to standard output (`out` not given or "-").
pub fn write_output(
    table: &mut polars::prelude::DataFrame,
    format: TableFormat,
    dialect: CsvDialect,
    out: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    match file_or_stdout(out) {
        Some(path) => {
            crate::files::refuse_second_output(path)
                .and_then(|()| {
                    crate::files::write_atomically(path, |w| {
                        write_table(table, format, dialect, w).map_err(std::io::Error::other)
                    })
                })
                .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?;
        }
        None => {
            let mut lock = std::io::stdout().lock();
            write_table(table, format, dialect, &mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}

/// An error and its causes in one line, each cause only when the text before does not
/// already say it (an error that quotes the operating system's reason is not followed
/// by the same reason again).
fn message(error: &anyhow::Error, lang: Lang) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = in_lang(cause, lang);
        if text.is_empty() {
            text = cause;
        } else if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// An error's own message in `lang` where it has one in both languages (errors made
/// before the language of the run is known: a file's, the store's, the file system's).
fn in_lang(error: &(dyn std::error::Error + 'static), lang: Lang) -> String {
    if let Some(said) = error.downcast_ref::<crate::lang::Said>() {
        return said.in_lang(lang).to_owned();
    }
    if let Some(e) = error.downcast_ref::<crate::ingest::source::IngestError>() {
        return e.in_lang(lang);
    }
    if let Some(e) = error.downcast_ref::<crate::ingest::store::StoreError>() {
        return e.in_lang(lang);
    }
    if let Some(e) = error.downcast_ref::<crate::ingest::published::ReadBackError>() {
        return e.in_lang(lang);
    }
    if let Some(e) = error.downcast_ref::<crate::model::config::ConfigError>() {
        return format!("{}: {}", e.location, e.message.in_lang(lang));
    }
    error.to_string()
}
