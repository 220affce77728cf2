//! `lagesbild codes [SEARCH]`: Brå's crime codes with the project's priority areas
//! each code counts in.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{load_config, Globals};
use crate::lang::Lang;
use crate::model::brottskoder::codes;

const USAGE: &str = "\
Exempel:
  lagesbild codes misshandel            koder vars benämning innehåller misshandel
  lagesbild codes 50                    koder som börjar på 50 (narkotikastrafflagen)
  lagesbild codes --area trafikbrott    koderna som reglerna lägger i trafikbrott

Listar Brå:s brottskoder (statistikdatabasen SOL, 1 361 koder varav 359 upphörda) med
benämning, år då koden upphörde och de prioriterade områden som projektets regler
(priority_areas.toml) lägger koden i. Sökningen bortser från versaler och å/ä/ö.";

/// List crime codes.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Bara koder som reglerna lägger i detta område (slug).
    #[arg(long, value_name = "OMRÅDE")]
    pub area: Option<String>,
    /// Ord i benämningen, eller kodens första siffror.
    #[arg(value_name = "SÖK")]
    pub search: Option<String>,
}

/// Runs `codes`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    if let Some(area) = &args.area {
        let areas = config
            .areas
            .areas
            .iter()
            .map(|a| a.slug.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        anyhow::ensure!(
            config.areas.get(area).is_some(),
            crate::lang::Said::new(
                format!("området '{area}' finns inte i reglerna; områdena är {areas}"),
                format!("the area '{area}' is not in the rules; the areas are {areas}"),
            )
        );
    }
    let search = args.search.as_deref().map(str::trim).unwrap_or("");
    let digits = !search.is_empty() && search.bytes().all(|b| b.is_ascii_digit());
    let folded = crate::text::fold(search);
    let mut shown = 0;
    let mut out = String::new();
    for code in codes() {
        let matches = if search.is_empty() {
            true
        } else if digits {
            code.code.starts_with(search)
        } else {
            crate::text::fold(&code.name).contains(&folded)
        };
        if !matches {
            continue;
        }
        let number: u16 = code.code.parse().unwrap_or(0);
        let areas: Vec<&str> = config
            .areas
            .areas
            .iter()
            .filter(|a| {
                a.code_ranges()
                    .iter()
                    .any(|r| (r.from..=r.to).contains(&number))
            })
            .map(|a| a.slug.as_str())
            .collect();
        if args
            .area
            .as_deref()
            .is_some_and(|wanted| !areas.contains(&wanted))
        {
            continue;
        }
        // Brå's own name usually says "(upphörde år YYYY)" already.
        let ceased = code
            .ceased
            .filter(|_| !code.name.contains("upphörde"))
            .map_or(String::new(), |y| match g.lang {
                Lang::Sv => format!(" [upphörd {y}]"),
                Lang::En => format!(" [ceased {y}]"),
            });
        let areas = if areas.is_empty() {
            g.lang.pick("(inget område)", "(no area)").to_owned()
        } else {
            areas.join(", ")
        };
        out.push_str(&format!(
            "{}  {}{ceased}  → {areas}\n",
            code.code, code.name
        ));
        shown += 1;
    }
    // A reader that stops early (`| head`) is no error.
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    if !g.quiet {
        eprintln!(
            "{} {}",
            shown,
            g.lang.pick(
                "koder (Brå, statistikdatabasen SOL)",
                "codes (Brå, statistics database SOL)"
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
