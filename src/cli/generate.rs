//! `lagesbild generate`: reproducible, clearly marked test data for the project's
//! municipality.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{load_config, Globals};
use crate::generate::polisen::write_police_events;
use crate::generate::{write_dialogues, write_incidents, write_survey, Spec};
use crate::lang::Lang;

const USAGE: &str = "\
Exempel:
  lagesbild generate --out testdata
  lagesbild generate --out testdata --seed 7 --years 2021..2026 --until 2026-11-30 --incidents 5000

Skriver genererade-handelser.csv, genererade-polisen.json (i formen av polisens öppna
händelser), genererade-enkatsvar.csv (när projektet har en enkätdefinition) och LASMIG.txt. Alla rader är påhittade (\"Genererad testdata.\") men
följer kommunens verkliga orter och befolkning, ett rimligt brottsmönster över dygn,
vecka och år, och planterade problem: en brandserie i Karstorp, bränder i Ankarsrum och
narkotikabrott i Edsbruk. Samma frö och --until ger samma filer byte för byte; utan
--until slutar datan i dag (som ett riktigt uttag), eller vid sista årets slut.";

/// Generate test data.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Projektkonfiguration (orter, enkätdefinition).
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Mapp att skriva till.
    #[arg(long, value_name = "MAPP")]
    pub out: PathBuf,
    /// Frö.
    #[arg(long, default_value_t = 883)]
    pub seed: u64,
    /// År, t.ex. 2021..2026.
    #[arg(long, default_value = "2021..2026", value_parser = parse_years)]
    pub years: (i32, i32),
    /// Sista dag med data (ÅÅÅÅ-MM-DD); standard: i dag, eller sista årets slut om det
    /// är tidigare. Riktiga uttag slutar när de görs, och det gör testdatan också.
    #[arg(long, value_name = "DATUM")]
    pub until: Option<chrono::NaiveDate>,
    /// Händelser per år i hela kommunen (före planterade serier).
    #[arg(long, default_value_t = 2800)]
    pub incidents: u32,
    /// Antal kommuner: 1 = projektets kommun; fler lägger till Sveriges övriga kommuner
    /// (i kommunkodsordning, 290 = hela landet) med samma takt per invånare.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=290))]
    pub municipalities: u16,
    /// Enkätsvar per år.
    #[arg(long, default_value_t = 400)]
    pub respondents: u32,
    /// Lägg också händelserna i en databas (som import incidents --store), en kommun i taget.
    #[arg(long, value_name = "MAPP")]
    pub store: Option<PathBuf>,
}

fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let (a, b) = s
        .split_once("..")
        .ok_or("skriv åren som FÖRSTA..SISTA, t.ex. 2021..2026")?;
    let (a, b): (i32, i32) = (
        a.trim().parse().map_err(|_| "ogiltigt år")?,
        b.trim().parse().map_err(|_| "ogiltigt år")?,
    );
    if a > b || a < 1970 || b > 2100 {
        return Err(format!("{a}..{b} är inget giltigt intervall av år"));
    }
    Ok((a, b))
}

/// Reads one municipality's generated rows as any incident file is read and puts the
/// accepted ones into the store; returns how many.
fn store_rows(store: &Path, code: &str, rows: &[u8], lang: Lang) -> anyhow::Result<usize> {
    let mut file = tempfile::Builder::new().suffix(".csv").tempfile()?;
    {
        use std::io::Write;
        writeln!(file, "{}", crate::generate::INCIDENT_HEADER)?;
        file.write_all(rows)?;
        file.flush()?;
    }
    let loaded = crate::ingest::incidents::load_incidents(
        &[crate::embedded::Location::Path(file.path().to_owned())],
        &crate::ingest::columns::AliasTables::builtin().incidents,
        lang,
    )?;
    anyhow::ensure!(
        loaded.rejected() == 0,
        "internt fel: genererade rader för kommun {code} avvisades"
    );
    crate::app::store::import_incidents(store, code, &loaded.frame, None)?;
    Ok(loaded.accepted())
}

/// The note `generate` writes beside its files, and how it begins.
const README: &str = "LASMIG.txt";
/// How the note begins, in Swedish and in English: a note that begins so is ours.
const README_START: [&str; 2] = ["GENERERAD TESTDATA", "GENERATED TEST DATA"];

/// The files `generate` writes into its folder.
const WRITTEN: [&str; 5] = [
    "genererade-handelser.csv",
    "genererade-polisen.json",
    "genererade-enkatsvar.csv",
    "genererade-dialoger.csv",
    README,
];

/// An error when `out` holds a file of the names `generate` writes that an earlier
/// `generate` did not write (its note is missing or is someone else's): a user's own
/// `LASMIG.txt` or export of the same name is never replaced.
fn refuse_files_not_generated(out: &std::path::Path) -> anyhow::Result<()> {
    let ours = std::fs::read_to_string(out.join(README))
        .is_ok_and(|note| README_START.iter().any(|s| note.starts_with(s)));
    if ours {
        return Ok(());
    }
    if let Some(name) = WRITTEN.iter().find(|n| out.join(n).exists()) {
        let at = out.join(name);
        anyhow::bail!(crate::lang::Said::new(
            format!("{} finns redan och är inte skriven av `lagesbild generate` (dess {README} saknas); välj en annan mapp med --out, så att filen inte skrivs över", at.display()),
            format!("{} exists and was not written by `lagesbild generate` (its {README} is missing); choose another folder with --out, so that the file is not overwritten", at.display()),
        ));
    }
    Ok(())
}

/// Runs `generate`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let end_of_years = chrono::NaiveDate::from_ymd_opt(args.years.1, 12, 31)
        .ok_or_else(|| anyhow::anyhow!("ogiltigt sista år {}", args.years.1))?;
    let until = args
        .until
        .unwrap_or_else(|| chrono::Local::now().date_naive())
        .min(end_of_years);
    let first = chrono::NaiveDate::from_ymd_opt(args.years.0, 1, 1)
        .ok_or_else(|| anyhow::anyhow!("ogiltigt första år {}", args.years.0))?;
    anyhow::ensure!(
        until >= first,
        crate::lang::Said::new(
            format!("--until {until} ligger före det första året {}: ange en senare dag eller tidigare år", args.years.0),
            format!("--until {until} lies before the first year {}: give a later day or earlier years", args.years.0),
        )
    );
    let spec = Spec {
        seed: args.seed,
        years: args.years,
        until,
        incidents_per_year: args.incidents,
        respondents_per_year: args.respondents,
        municipalities: usize::from(args.municipalities),
    };
    refuse_files_not_generated(&args.out)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(&args.out, &e)))?;
    let write = |name: &str,
                 f: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<u64>|
     -> anyhow::Result<u64> {
        let path = args.out.join(name);
        let mut n = 0;
        crate::files::write_atomically(&path, |w| {
            n = f(w)?;
            Ok(())
        })
        .map_err(|e| anyhow::anyhow!(crate::files::explain(&path, &e)))?;
        Ok(n)
    };
    let stored = std::cell::RefCell::new((0usize, 0usize));
    let incidents = match &args.store {
        None => write("genererade-handelser.csv", &|w| {
            write_incidents(w, &spec, &config.places)
        })?,
        Some(store) => write("genererade-handelser.csv", &|w| {
            crate::generate::write_incidents_by_municipality(
                w,
                &spec,
                &config.places,
                &config.municipality.code,
                &mut |code, rows| {
                    let n = store_rows(store, code, rows, g.lang).map_err(std::io::Error::other)?;
                    let mut s = stored.borrow_mut();
                    s.0 += 1;
                    s.1 += n;
                    Ok(())
                },
            )
        })?,
    };
    let m = &config.municipality;
    let county = m.county.clone().unwrap_or_else(|| "Kalmar län".to_owned());
    let notices = write("genererade-polisen.json", &|w| {
        write_police_events(w, &spec, &config.places, &m.short_name, &county)
    })?;
    let responses = match &config.survey_definition {
        Some(def) => Some(write("genererade-enkatsvar.csv", &|w| {
            write_survey(w, &spec, &config.places, def)
        })?),
        None => None,
    };
    let dialogues = write("genererade-dialoger.csv", &|w| {
        write_dialogues(w, &spec, &config.places)
    })?;
    let command = format!(
        "lagesbild generate --seed {} --years {}..{} --until {until} --incidents {} --respondents {}",
        args.seed, args.years.0, args.years.1, args.incidents, args.respondents,
    );
    let (name, code) = (&config.municipality.name, &config.municipality.code);
    let mut note = match g.lang {
        Lang::Sv => format!(
            "{} – inga verkliga händelser eller svar.\n\n\
             Skapad av `{command}`\n\
             för {name} ({code}). Orter och befolkning är verkliga; allt annat är påhittat.\n\
             genererade-handelser.csv: {incidents} händelser.\n\
             genererade-polisen.json: {notices} notiser i formen av polisens öppna händelser\n\
             (polisen.se/api/events), med sammanfattningar och uppdaterade versioner.\n\
             genererade-dialoger.csv: {dialogues} dialoger och trygghetsvandringar.\n",
            README_START[0]
        ),
        Lang::En => format!(
            "{} – no real incidents or answers.\n\n\
             Made by `{command}`\n\
             for {name} ({code}). Places and populations are real; everything else is made up.\n\
             genererade-handelser.csv: {incidents} incidents.\n\
             genererade-polisen.json: {notices} notices in the form of the police's open events\n\
             (polisen.se/api/events), with summaries and updated versions.\n\
             genererade-dialoger.csv: {dialogues} dialogues and safety walks.\n",
            README_START[1]
        ),
    };
    if let Some(n) = responses {
        note += &match g.lang {
            Lang::Sv => format!("genererade-enkatsvar.csv: {n} enkätsvar.\n"),
            Lang::En => format!("genererade-enkatsvar.csv: {n} survey answers.\n"),
        };
    }
    if args.municipalities > 1 {
        let (others, all) = (args.municipalities - 1, args.municipalities);
        note += &match g.lang {
            Lang::Sv => format!("Dessutom {others} av Sveriges övriga kommuner (--municipalities {all}), plats = kommunens namn.\n"),
            Lang::En => format!("Also {others} of Sweden's other municipalities (--municipalities {all}), place = the municipality's name.\n"),
        };
    }
    let readme = args.out.join(README);
    crate::files::write_atomically(&readme, |w| std::io::Write::write_all(w, note.as_bytes()))
        .map_err(|e| anyhow::anyhow!(crate::files::explain(&readme, &e)))?;
    if !g.quiet {
        eprintln!(
            "{}: {incidents} {}, {} {} {} {}",
            g.lang.pick("genererat", "generated"),
            g.lang.pick("händelser", "incidents"),
            responses.unwrap_or(0),
            g.lang.pick("enkätsvar", "survey responses"),
            g.lang.pick("i", "in"),
            args.out.display()
        );
        if let Some(store) = &args.store {
            let (kommuner, rows) = *stored.borrow();
            eprintln!(
                "{}: {rows} {} {kommuner} {} {}",
                g.lang.pick("databas", "store"),
                g.lang.pick("händelser från", "incidents from"),
                g.lang.pick("kommuner i", "municipalities in"),
                store.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
