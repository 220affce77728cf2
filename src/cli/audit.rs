//! `lagesbild audit`: reads a written report folder back and checks that no hidden
//! small count can be worked out from what it publishes.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::analysis::disclosure::recheck::Finding;
use crate::app::audit::audit_folder;
use crate::cli::Globals;
use crate::lang::Lang;
use crate::model::publication::Location;

const USAGE: &str = "\
Exempel:
  lagesbild audit reports/vastervik-2025

Läser rapportmappen tillbaka – tabellerna som CSV, sidans tabeller, arbetsbokens blad
och GeoJSON-lagret – och prövar, utan koden som dolde talen, att inget dolt litet antal
går att räkna ut ur allt som publiceras tillsammans (exakt prövning med
linjärprogrammering). Varje fynd skrivs med fil och cell. Avslutningskod 0: inga fynd;
1: fynd (rapporten ska inte publiceras); 2: mappen kunde inte läsas.";

/// Audit a written report folder.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Rapportmappen (med rojandekontroll.json).
    #[arg(value_name = "RAPPORTMAPP")]
    pub dir: PathBuf,
}

/// Runs `audit`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let audited = audit_folder(&args.dir)?;
    for finding in &audited.findings {
        println!("{}", describe(finding, g.lang));
    }
    if !g.quiet {
        eprintln!(
            "{}",
            match g.lang {
                Lang::Sv => format!(
                    "lagesbild audit: {} filer, {} celler lästa, {} antal prövade: {} fynd",
                    audited.files.len(),
                    audited.readings,
                    audited.counts,
                    audited.findings.len()
                ),
                Lang::En => format!(
                    "lagesbild audit: {} files, {} cells read, {} counts checked: {} findings",
                    audited.files.len(),
                    audited.readings,
                    audited.counts,
                    audited.findings.len()
                ),
            }
        );
    }
    Ok(if audited.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cell(at: &Location, lang: Lang) -> String {
    match (at, lang) {
        (Location::Table { table, row, column }, Lang::Sv) => {
            format!("tabell {table}, rad {}, kolumn {}", row + 1, column + 1)
        }
        (Location::Table { table, row, column }, Lang::En) => {
            format!("table {table}, row {}, column {}", row + 1, column + 1)
        }
        (Location::Place { place, property }, _) => format!("{place}: {property}"),
    }
}

/// One finding as a line: file, cell, what.
fn describe(f: &Finding, lang: Lang) -> String {
    match (f, lang) {
        (Finding::SmallShown { file, at, value }, Lang::Sv) => {
            format!("{file}: {}: litet antal visas: {value}", cell(at, lang))
        }
        (Finding::SmallShown { file, at, value }, Lang::En) => {
            format!("{file}: {}: small count shown: {value}", cell(at, lang))
        }
        (Finding::Pinned { key, file, at, low, high }, Lang::Sv) => format!(
            "{file}: {}: dolt antal ({} {} {:?}) går att räkna ut: mellan {low:.2} och {high:.2}",
            cell(at, lang),
            key.area,
            key.place.as_deref().unwrap_or("hela kommunen"),
            key.span
        ),
        (Finding::Pinned { key, file, at, low, high }, Lang::En) => format!(
            "{file}: {}: hidden count ({} {} {:?}) can be worked out: between {low:.2} and {high:.2}",
            cell(at, lang),
            key.area,
            key.place.as_deref().unwrap_or("whole municipality"),
            key.span
        ),
        (Finding::DerivedOfHidden { file, at, text }, Lang::Sv) => format!(
            "{file}: {}: \"{text}\" är räknat ur ett dolt antal och avslöjar det",
            cell(at, lang)
        ),
        (Finding::DerivedOfHidden { file, at, text }, Lang::En) => format!(
            "{file}: {}: \"{text}\" is computed from a hidden count and gives it away",
            cell(at, lang)
        ),
        (Finding::Inconsistent { file, at, text, expected }, Lang::Sv) => format!(
            "{file}: {}: \"{text}\", väntat {expected}",
            cell(at, lang)
        ),
        (Finding::Inconsistent { file, at, text, expected }, Lang::En) => format!(
            "{file}: {}: \"{text}\", expected {expected}",
            cell(at, lang)
        ),
        (Finding::SecretWorkedOut { key, low, high }, Lang::Sv) => format!(
            "{} vid {} {:?}, som inte publiceras per plats, går att räkna ut: mellan {low:.2} och {high:.2}",
            key.area,
            key.place.as_deref().unwrap_or("hela kommunen"),
            key.span
        ),
        (Finding::SecretWorkedOut { key, low, high }, Lang::En) => format!(
            "{} at {} {:?}, not published by place, can be worked out: between {low:.2} and {high:.2}",
            key.area,
            key.place.as_deref().unwrap_or("whole municipality"),
            key.span
        ),
        (Finding::Missing { file, at }, Lang::Sv) => {
            format!("{file}: {}: saknas", cell(at, lang))
        }
        (Finding::Missing { file, at }, Lang::En) => {
            format!("{file}: {}: missing", cell(at, lang))
        }
    }
}
