//! The command-line layer: one file per subcommand, each with its help text beside it.
//! Exit codes: 0 success, 1 the command ran but found what it was asked to fail on
//! (e.g. `check --strict` with rejected rows), 2 an error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::lang::Lang;
use crate::model::config::Config;

pub mod check;

/// lagesbild – lokal lägesbild över brott och trygghet för kommun och polis.
///
/// Läser händelser och enkätsvar (CSV från polis, kommun, räddningstjänst …), kontrollerar
/// varje rad och bygger lägesbilden per prioriterat område, plats och period.
/// Utan --config används den inbyggda standarden för Västerviks kommun.
#[derive(Debug, Parser)]
#[command(name = "lagesbild", version, max_term_width = 100)]
pub struct Cli {
    /// Språk för utdata: sv (svenska) eller en (English).
    #[arg(long, global = true, value_enum, default_value_t = Lang::Sv)]
    pub lang: Lang,

    /// Skriv bara fel, ingen sammanfattning.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Kontrollera indatafiler: format, godkända och avvisade rader med orsak.
    Check(check::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    let result = match cli.command {
        Command::Check(args) => check::run(
            args,
            &Globals {
                lang,
                quiet: cli.quiet,
            },
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {e:#}", lang.pick("fel", "error"));
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
}

/// Loads `--config FILE`, or the embedded default when none is given.
pub fn load_config(path: Option<&std::path::Path>) -> anyhow::Result<Config> {
    Ok(match path {
        Some(p) => Config::from_path(p)?,
        None => Config::embedded_default()?,
    })
}
