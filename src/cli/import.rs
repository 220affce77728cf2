//! `lagesbild import polisen`: the police's open events feed as canonical incidents.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use polars::prelude::*;

use crate::analysis::events::Imported;
use crate::analysis::reference::{compare, Comparison, GroupRate};
pub use crate::app::import::{import_polisen, write_event_rejects};
use crate::cli::choice::CsvDialect;
use crate::cli::{load_config, write_output, Globals};
use crate::embedded::Location;
use crate::ingest::bra::{read_bra, BraTable};
use crate::ingest::polisen::{rejects_frame, EventsRead};
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::sweden::{sweden, Kommun};
use crate::render::write_rejects;
use crate::render::TableFormat;

const USAGE: &str = "\
Exempel:
  lagesbild import polisen handelser.json --kommun Västervik --out polisen-vastervik.csv
  lagesbild import polisen arkiv.jsonl --kommun 0883 --out polisen.parquet
  lagesbild import polisen *.json                 alla kommuner, CSV till standard ut

Läser polisens öppna händelser (polisen.se/api/events): en JSON-lista som API:t ger,
JSON-rader (en händelse per rad) eller arkivens CSV. Samma id två gånger: den senaste
versionen gäller. Kommunen läses ur location.name, och ur rubrikens sista del när
location.name är ett län (så är det från januari 2026). Sammanfattningar (\"Sammanfattning
natt\") är inga händelser och räknas för sig. Orten hämtas ur sammanfattningen eller
brödtexten med kommunens ortsregister; händelsens GPS är kommunens eller länets mittpunkt
och används aldrig. Händelsetyperna räknas till prioriterade områden enligt
data/sverige/polisen-handelsetyper.toml (eller [reference] event_types).
Utdata: kanoniska händelser (docs/data-formats.md) med extra kolumner om källan.";

/// Import data from outside sources.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Source.
    #[command(subcommand)]
    pub source: Source,
}

/// The sources `import` reads.
#[derive(Debug, clap::Subcommand)]
pub enum Source {
    /// Polisens öppna händelser (polisen.se/api/events) som kanoniska händelser.
    #[command(after_help = USAGE)]
    Polisen(PolisenArgs),
    /// Brå:s anmälda brott per kommun: kommunen bredvid länet och riket per 100 000 invånare.
    #[command(after_help = BRA_USAGE)]
    Bra(BraArgs),
    /// Kontrollerade händelser in i en databas per kommun och år (Parquet), för stora datamängder.
    #[command(after_help = INCIDENTS_USAGE)]
    Incidents(IncidentsArgs),
}

const INCIDENTS_USAGE: &str = "\
Exempel:
  lagesbild import incidents handelser-2025.csv --store databas
  lagesbild import incidents kalmar/*.csv --store databas --kommun 0880
  lagesbild aggregate --store databas --kommun Västervik --by offence,place

Läser händelsefilerna som alla andra kommandon (varje rad godkänd eller avvisad med fil,
rad och orsak) och lägger de godkända i databasen: en Parquet-fil per kommun och år i
mappar kommun=KOD/year=ÅR/ (hive-stil, läsbar av DuckDB, Spark, Trino och polars). En
händelse med samma id som en som redan finns (vilket år som helst) ersätter den gamla.
Beskrivningen (fritext) lagras aldrig. Mappen skapas; en befintlig mapp måste vara en
lagesbild-databas. Schema och frågor: docs/scaling.md.";

/// `import incidents`.
#[derive(Debug, clap::Args)]
pub struct IncidentsArgs {
    /// Databasens mapp (en ny eller tom mapp, eller en befintlig lagesbild-databas).
    #[arg(long, value_name = "MAPP")]
    pub store: PathBuf,
    /// Kommunen händelserna hör till: namn eller kommunkod (standard: projektets kommun).
    #[arg(long, value_name = "KOMMUN")]
    pub kommun: Option<String>,
    /// Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Var de avvisade raderna skrivs (standard: UTDATAMAPP/avvisade_rader.csv).
    #[arg(long, value_name = "FIL")]
    pub rejects: Option<PathBuf>,
    /// Händelsefiler (CSV, Excel). Utan dem: konfigurationens indata.
    #[arg(value_name = "FILER")]
    pub files: Vec<PathBuf>,
}

const BRA_USAGE: &str = "\
Exempel:
  lagesbild import bra anmalda_brott.csv                      den inbyggda kommunen (Västervik)
  lagesbild import bra sol_export.csv --kommun 0880 --out kalmar.csv

Läser Brå:s tabeller över anmälda brott per kommun (;- eller ,-separerade, UTF-8 med eller
utan BOM eller Windows-1252, \"Västerviks kommun\" eller \"Västervik\", .. = uppgift saknas)
med kolumner för område och antal och/eller antal per 100 000 invånare, gärna år och
brottskategori. Länet och riket tas ur tabellen när de står där; annars räknas de fram
ur kommunernas rader: summerade antal genom summerad befolkning (den befolkning som
tabellens antal och tal ger) eller, när bara tal finns, tal vägda med folkmängd 2024.";

/// `import bra`.
#[derive(Debug, clap::Args)]
pub struct BraArgs {
    /// Kommunen att jämföra: namn eller kommunkod (standard: projektets kommun).
    #[arg(long, value_name = "KOMMUN")]
    pub kommun: Option<String>,
    #[command(flatten)]
    pub output: ImportOutput,
    /// Brå-tabeller: CSV eller Excel (.xlsx, .xls, .ods).
    #[arg(value_name = "FILER", required = true)]
    pub files: Vec<PathBuf>,
}

/// Where an import writes, and with which project: the options both sources share.
#[derive(Debug, clap::Args)]
pub struct ImportOutput {
    /// Skriv hit i stället för standard ut ("-": standard ut). Formatet följer filändelsen: .csv, .parquet, .json.
    #[arg(long, short, value_name = "FIL")]
    pub out: Option<PathBuf>,
    /// CSV-dialekt: excel (;, BOM) eller plain (,).
    #[arg(long, value_enum, default_value_t = CsvDialect::Excel)]
    pub dialect: CsvDialect,
    /// Projektkonfiguration (kommun, ortsregister, områden). Utan den används Västervik-standarden.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Var avvisade rader skrivs (standard: avvisade_handelser.csv resp. avvisade_bra.csv i utdatamappen).
    #[arg(long, value_name = "FIL")]
    pub rejects: Option<PathBuf>,
}

impl ImportOutput {
    /// The rejects file: `--rejects`, or `name` in the project's output folder.
    fn rejects_path(&self, config: &Config, name: &str) -> PathBuf {
        self.rejects
            .clone()
            .unwrap_or_else(|| config.output_dir.join(name))
    }

    /// Writes `table` to `--out` (format by extension) or standard output.
    fn write(&self, table: &mut DataFrame, format: TableFormat) -> anyhow::Result<()> {
        write_output(table, format, self.dialect.into(), self.out.as_deref())
    }

    fn format(&self) -> TableFormat {
        format_of(self.out.as_deref())
    }
}

/// `import polisen`.
#[derive(Debug, clap::Args)]
pub struct PolisenArgs {
    /// Behåll bara denna kommuns händelser: namn ("Västervik", "Västerviks kommun") eller kommunkod ("0883").
    #[arg(long, value_name = "KOMMUN")]
    pub kommun: Option<String>,
    #[command(flatten)]
    pub output: ImportOutput,
    /// Händelsefiler: JSON, JSON-rader eller CSV.
    #[arg(value_name = "FILER", required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs `import`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    match args.source {
        Source::Polisen(args) => polisen(args, g),
        Source::Bra(args) => bra(args, g),
        Source::Incidents(args) => incidents(args, g),
    }
}

fn incidents(args: IncidentsArgs, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let code = match args.kommun.as_deref() {
        Some(k) => crate::app::init::find_kommun(k)?.code.clone(),
        None => config.municipality.code.clone(),
    };
    anyhow::ensure!(
        !args.files.is_empty() || code == config.municipality.code,
        crate::lang::Said::new(
            format!("ange händelsefilerna för kommunkod {code}: utan filer läses projektets egna indata ({}), som inte hör till den kommunen", config.municipality.name),
            format!("give the incident files of municipality code {code}: without files the project's own inputs ({}) are read, which do not belong to that municipality", config.municipality.name),
        )
    );
    let rejects = crate::app::project::rejects_path(&config, args.rejects.as_deref());
    anyhow::ensure!(
        !crate::files::lies_in(&rejects, &args.store),
        crate::lang::Said::new(
            format!("{} ligger i databasen {}: välj en plats utanför den för de avvisade raderna (--rejects), så att databasens filer inte skrivs över", rejects.display(), args.store.display()),
            format!("{} lies in the store {}: choose a place outside it for the rejected rows (--rejects), so that the store's files are not overwritten", rejects.display(), args.store.display()),
        )
    );
    // Held from before the files are read: the ids are made pseudonyms with the store's
    // key, and no other import changes the store in between.
    let store = crate::app::store::StoreWriter::open(&args.store, (!g.quiet).then_some(g.lang))?;
    let (loaded, rejects) = crate::app::project::load_inputs_as(
        &config,
        &args.files,
        Some(&rejects),
        g.lang,
        store.pseudonyms(),
    )?;
    let done = store.import(&code, &loaded.frame)?;
    if !g.quiet {
        let name = sweden()
            .by_code(&code)
            .map_or(code.as_str(), |k| k.name.as_str());
        match g.lang {
            Lang::Sv => eprintln!(
                "lagesbild: {} lästa = {} godkända + {} avvisade (avvisade rader: {})\ndatabas {}: {} nya + {} ersatta; {name} har nu {} händelser i {} skrivna partitioner",
                loaded.rows_read(), loaded.accepted(), loaded.rejected(), rejects.display(),
                args.store.display(), done.added, done.replaced, done.total, done.partitions
            ),
            Lang::En => eprintln!(
                "lagesbild: {} read = {} accepted + {} rejected (rejected rows: {})\nstore {}: {} new + {} replaced; {name} now has {} incidents in {} partitions written",
                loaded.rows_read(), loaded.accepted(), loaded.rejected(), rejects.display(),
                args.store.display(), done.added, done.replaced, done.total, done.partitions
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn bra(args: BraArgs, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.output.config.as_deref())?;
    let code = match args.kommun.as_deref() {
        Some(k) => find_kommun(k, g.lang)?.code.clone(),
        None => config.municipality.code.clone(),
    };
    let inputs: Vec<Location> = args.files.iter().cloned().map(Location::Path).collect();
    let table = read_bra(&inputs, g.lang)?;
    let rejects = args.output.rejects_path(&config, "avvisade_bra.csv");
    write_rejects(&rejects, &rejects_frame(&table.rejects)?, g.lang)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(&rejects, &e)))?;
    let comparison = compare(&table, &code);
    let mut frame = comparison_frame(&comparison, &code, g.lang)?;
    args.output.write(&mut frame, args.output.format())?;
    if !g.quiet {
        eprint!("{}", bra_summary(&table, &rejects, g.lang));
        if comparison.is_empty() {
            eprintln!(
                "  {}",
                g.lang.pick(
                    "kommunen har inga värden i tabellerna",
                    "the municipality has no values in the tables",
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The accounting of Brå files on standard error.
pub fn bra_summary(table: &BraTable, rejects: &Path, lang: Lang) -> String {
    let mut s = String::new();
    for f in &table.files {
        let headings = match (f.headings, lang) {
            (0, _) => String::new(),
            (n, Lang::Sv) => format!(" + {n} rubrikrader (kommunens namn)"),
            (n, Lang::En) => format!(" + {n} heading rows (the area's name)"),
        };
        let no_year = match (f.has_year, lang) {
            (true, _) => "",
            (false, Lang::Sv) => "; filen anger inget år",
            (false, Lang::En) => "; the file gives no year",
        };
        let _ = match lang {
            Lang::Sv => writeln!(s, "lagesbild: {}: {} rader lästa = {} med värde + {} utan värde (..){headings} + {} avvisade (avvisade: {}){no_year}", f.file, f.read, f.used, f.without_value, f.rejected, rejects.display()),
            Lang::En => writeln!(s, "lagesbild: {}: {} rows read = {} with a value + {} without (..){headings} + {} rejected (rejected: {}){no_year}", f.file, f.read, f.used, f.without_value, f.rejected, rejects.display()),
        };
    }
    s
}

/// The comparison as a table for people: municipality, year, category, count and rate
/// beside the county's and the country's rate and how each was obtained.
pub fn comparison_frame(rows: &[Comparison], code: &str, lang: Lang) -> PolarsResult<DataFrame> {
    let name = sweden().name_of(code);
    let names: [&str; 11] = match lang {
        Lang::Sv => [
            "kommun",
            "år",
            "brottskategori",
            "antal",
            "per_100000",
            "län_per_100000",
            "län_metod",
            "riket_per_100000",
            "riket_metod",
            "plats_i_länet",
            "kommuner_i_länet",
        ],
        Lang::En => [
            "municipality",
            "year",
            "category",
            "count",
            "per_100000",
            "county_per_100000",
            "county_method",
            "country_per_100000",
            "country_method",
            "rank_in_county",
            "municipalities_in_county",
        ],
    };
    let method = |g: &Option<GroupRate>| {
        g.map(|g| {
            let (sv, en) = g.method.describe();
            lang.pick(sv, en).to_owned()
        })
    };
    let all = lang.pick("Samtliga brott", "All crimes");
    let rate = |g: &Option<GroupRate>| g.map(|g| round1(g.rate));
    DataFrame::new(
        rows.len(),
        vec![
            column(names[0], rows, |_| name),
            column(names[1], rows, |r| r.year),
            column(names[2], rows, |r| {
                r.category.clone().unwrap_or_else(|| all.to_owned())
            }),
            column(names[3], rows, |r| r.count.map(|c| c.round() as i64)),
            column(names[4], rows, |r| r.rate.map(round1)),
            column(names[5], rows, |r| rate(&r.county)),
            column(names[6], rows, |r| method(&r.county)),
            column(names[7], rows, |r| rate(&r.country)),
            column(names[8], rows, |r| method(&r.country)),
            column(names[9], rows, |r| r.rank_in_county.map(|x| x.0 as u32)),
            column(names[10], rows, |r| r.rank_in_county.map(|x| x.1 as u32)),
        ],
    )
}

/// One column of the comparison table, a value per line.
fn column<T>(name: &str, rows: &[Comparison], value: impl Fn(&Comparison) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), rows.iter().map(value).collect::<Vec<T>>())
}

/// One decimal: the precision Brå publishes rates with.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn polisen(args: PolisenArgs, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.output.config.as_deref())?;
    let kommun = args
        .kommun
        .as_deref()
        .map(|k| find_kommun(k, g.lang))
        .transpose()?;
    let inputs: Vec<Location> = args.files.iter().cloned().map(Location::Path).collect();
    let (read, imported) = import_polisen(&inputs, &config, kommun, g.lang)?;
    let rejects = args.output.rejects_path(&config, "avvisade_handelser.csv");
    write_event_rejects(&read, &rejects, g.lang)?;
    let format = args.output.format();
    let mut table = for_output(&imported.frame, format)?;
    args.output.write(&mut table, format)?;
    if !g.quiet {
        eprint!(
            "{}",
            summary(&read, &imported, &config, kommun, &rejects, g.lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The municipality `--kommun` names, or an error listing how to name one.
pub fn find_kommun(text: &str, lang: Lang) -> anyhow::Result<&'static Kommun> {
    sweden().kommun_by_name_or_code(text).ok_or_else(|| {
        anyhow::anyhow!(
            "{}",
            match lang {
                Lang::Sv => format!("kommunen '{text}' finns inte: ange namnet (\"Västervik\") eller kommunkoden (\"0883\")"),
                Lang::En => format!("no municipality '{text}': give its name (\"Västervik\") or code (\"0883\")"),
            }
        )
    })
}

fn format_of(out: Option<&Path>) -> TableFormat {
    match out
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .as_deref()
    {
        Some("parquet") => TableFormat::Parquet,
        Some("json") => TableFormat::Json,
        _ => TableFormat::Csv,
    }
}

/// The frame as written: provenance columns (and `has_time`, always true) dropped; in text formats, times as
/// `YYYY-MM-DD HH:MM:SS` so that lagesbild reads the file back to the same rows.
fn for_output(frame: &DataFrame, format: TableFormat) -> PolarsResult<DataFrame> {
    let lazy = frame
        .clone()
        .lazy()
        .drop(by_name(["_file", "_line", "has_time"], true, false));
    if format == TableFormat::Parquet {
        return lazy.collect();
    }
    lazy.with_columns(
        ["occurred_at", "occurred_to", "published_at"]
            .map(|c| col(c).dt().to_string("%Y-%m-%d %H:%M:%S")),
    )
    .collect()
}

/// The accounting printed on standard error.
pub fn summary(
    read: &EventsRead,
    imported: &Imported,
    config: &Config,
    kommun: Option<&Kommun>,
    rejects: &Path,
    lang: Lang,
) -> String {
    let files = &read.files;
    let total =
        |f: fn(&crate::ingest::polisen::EventFile) -> usize| files.iter().map(f).sum::<usize>();
    let (n_read, kept, replaced, rejected) = (
        total(|f| f.read),
        total(|f| f.kept),
        total(|f| f.replaced),
        total(|f| f.rejected),
    );
    let written = imported.frame.height();
    let p = &imported.places;
    let mut s = String::new();
    match lang {
        Lang::Sv => {
            let _ = writeln!(s, "lagesbild: {n_read} händelser lästa = {kept} behållna + {replaced} ersatta av senare version + {rejected} avvisade (avvisade: {})", rejects.display());
            let _ = writeln!(s, "  behållna {kept} = {written} skrivna + {} sammanfattningar (inga händelser) + {} i andra kommuner eller utan kommun", imported.summaries, imported.outside);
            let _ = writeln!(s, "  kommun ur location.name: {}, ur rubriken (län i location.name): {}, utan kommun (hela länet e.d.): {}", imported.municipality_from.0, imported.municipality_from.1, imported.without_municipality);
            let _ = writeln!(s, "  ort ({}s ortsregister) ur sammanfattningen: {}, ur brödtexten: {}, oklar (flera orter lika troliga): {}, ingen ort: {}", config.municipality.short_name, p.summary, p.body, p.ambiguous, p.none);
        }
        Lang::En => {
            let _ = writeln!(s, "lagesbild: {n_read} events read = {kept} kept + {replaced} replaced by a later version + {rejected} rejected (rejected: {})", rejects.display());
            let _ = writeln!(s, "  kept {kept} = {written} written + {} summaries (not incidents) + {} in other or no municipality", imported.summaries, imported.outside);
            let _ = writeln!(s, "  municipality from location.name: {}, from the title (county in location.name): {}, without municipality (county-wide etc.): {}", imported.municipality_from.0, imported.municipality_from.1, imported.without_municipality);
            let _ = writeln!(s, "  place ({} gazetteer) from the summary: {}, from the body: {}, ambiguous (several places equally likely): {}, none: {}", config.municipality.short_name, p.summary, p.body, p.ambiguous, p.none);
        }
    }
    let (masked, conflicting) = (total(|f| f.masked), total(|f| f.conflicting));
    if masked > 0 {
        let _ = writeln!(
            s,
            "  {}: {masked}",
            lang.pick(
                "texter med personnummer eller telefonnummer (maskerade)",
                "texts with personal or telephone numbers (masked)",
            )
        );
    }
    if conflicting > 0 {
        let _ =
            writeln!(s, "  {}: {conflicting}", lang.pick(
            "versioner av samma händelse med olika innehåll (den senast publicerade gäller)",
            "versions of one event with different contents (the latest published is used)",
        ));
    }
    if let Some(k) = kommun {
        if k.code != config.municipality.code {
            let _ = writeln!(s, "  {}", lang.pick(
                "obs: ortsregistret gäller projektets kommun, inte den valda; orterna lämnas tomma",
                "note: the gazetteer is the project's municipality's, not the chosen one; places are left empty",
            ));
        }
    }
    for (title, list) in [
        (
            lang.pick(
                "händelsetyper utanför mappningen (räknas som övrigt)",
                "event types not in the mapping (counted as other)",
            ),
            &imported.unknown_types,
        ),
        (
            lang.pick(
                "okända ortnamn i location.name/rubrik",
                "unknown location names",
            ),
            &imported.unknown_locations,
        ),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list
                .iter()
                .take(10)
                .map(|(n, c)| format!("'{n}' {c}"))
                .collect();
            let _ = writeln!(s, "  {title}: {}", items.join(", "));
        }
    }
    for f in files.iter().filter(|f| !f.reasons.is_empty()) {
        let reasons: Vec<String> = f.reasons.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let _ = writeln!(s, "  {}: {}", f.file, reasons.join(", "));
    }
    s
}
