//! `lagesbild init`: a ready project for any Swedish municipality.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::app::init::{find_kommun, init};
use crate::cli::Globals;

const USAGE: &str = "\
Exempel:
  lagesbild init --kommun Vimmerby                  projekt i mappen vimmerby/
  lagesbild init --kommun 0884 --out lagesbild-vimmerby

Skriver ett färdigt projekt ur de nationella tabellerna i programmet: kommunens namn,
kod, län och folkmängd (SCB 2024), dess tätorter med befolkning, yta och läge (SCB 2020),
kommungränsen (Lantmäteriet, förenklad), de sju prioriterade områdena, trygghetsmätningens
frågor, en tom löftesfil och en kommenterad lagesbild.toml. Direkt efteråt fungerar
lagesbild report --config MAPP/lagesbild.toml UTTAG.csv. Kommunen hittas i alla
skrivsätt (Vimmerby, vimmerby, \"Vimmerby kommun\", 0884). Mappen får inte finnas med
innehåll: inget skrivs över.";

/// Create a project.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Kommunens namn eller fyrsiffriga kommunkod.
    #[arg(long, value_name = "KOMMUN")]
    pub kommun: String,
    /// Mapp att skriva projektet till (standard: kommunens namn, t.ex. vimmerby).
    #[arg(long, value_name = "MAPP")]
    pub out: Option<PathBuf>,
}

/// Runs `init`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let kommun = find_kommun(&args.kommun)?;
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(crate::text::fold_key(&kommun.name)));
    let written = init(kommun, &out, g.lang)?;
    if !g.quiet {
        eprintln!(
            "{} {} {} ({}): {} {}",
            g.lang.pick("projekt för", "project for"),
            kommun.name,
            g.lang.pick("kommun", "municipality"),
            kommun.code,
            written.len(),
            g.lang.pick("filer i", "files in"),
        );
        eprintln!("  {}", out.display());
        eprintln!(
            "{}: lagesbild {}report --config {} {}",
            g.lang.pick("nästa steg", "next step"),
            g.lang.pick("", "--lang en "),
            out.join(crate::app::init::CONFIG_FILE).display(),
            g.lang.pick("UTTAG.csv", "EXPORT.csv"),
        );
    }
    Ok(ExitCode::SUCCESS)
}
