//! `lagesbild timeprofile`: the weekday × hour profile with aoristic weights.

use std::path::PathBuf;
use std::process::ExitCode;

use polars::prelude::*;

use crate::analysis::time::{profile, weekday_name, CELLS};
use crate::analysis::{prepare, Prepared};
use crate::cli::aggregate::run_summary;
use crate::cli::{load_config, load_inputs, write_output, Globals};
use crate::lang::Lang;
use crate::render::{CsvDialect, TableFormat};

const USAGE: &str = "\
Exempel:
  lagesbild timeprofile                          alla händelser, veckodag × timme
  lagesbild timeprofile --by priority_area a.csv en profil per prioriterat område

En rad per (grupp,) veckodag × timme, måndag först, i svensk tid (sommartid hanterad):
weekday (1 = måndag), weekday_name, hour (0–23), weight (aoristiskt viktat antal: en
händelse med osäker tid, t.ex. 01:50–02:10, fördelas på timmarna efter hur stor del av
intervallet som ligger i varje timme; ett datum utan klockslag fördelas över dygnet;
intervall över 7 dagar jämnt över veckan), share (andel av gruppens vikt) och flag
(\"för få händelser\" när gruppen har färre händelser än --min).";

/// Weekday × hour profile with aoristic weights.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Projektkonfiguration (lagesbild.toml).
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// En profil per grupp.
    #[arg(long, value_enum)]
    pub by: Option<ProfileBy>,
    /// Minsta antal händelser för en tolkbar profil.
    #[arg(long, default_value_t = 30.0)]
    pub min: f64,
    /// Utdataformat (csv eller json).
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
    /// CSV-dialekt.
    #[arg(long, value_enum, default_value_t = CsvDialect::Excel)]
    pub dialect: CsvDialect,
    /// Skriv till denna fil i stället för standard ut.
    #[arg(long, short, value_name = "FIL")]
    pub out: Option<PathBuf>,
    /// Var de avvisade raderna skrivs.
    #[arg(long, value_name = "FIL")]
    pub rejects: Option<PathBuf>,
    /// Händelsefiler (CSV). Ersätter konfigurationens indata.
    #[arg(value_name = "FILER")]
    pub files: Vec<PathBuf>,
}

/// Grouping of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ProfileBy {
    /// Per priority area.
    PriorityArea,
    /// Per offence.
    Offence,
    /// Per place.
    Place,
}

/// Runs `timeprofile`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let (loaded, rejects_path) =
        load_inputs(&config, &args.files, args.rejects.as_deref(), g.lang)?;
    let prepared = prepare(&loaded.frame, &config)?;
    let mut table = profile_table(&prepared, args.by, args.min, g.lang)?;
    write_output(&mut table, args.format, args.dialect, args.out.as_deref())?;
    if !g.quiet {
        eprint!("{}", run_summary(&loaded, &prepared, &rejects_path, g.lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile as a table, one row per group × weekday × hour.
pub fn profile_table(
    prepared: &Prepared,
    by: Option<ProfileBy>,
    min: f64,
    lang: Lang,
) -> anyhow::Result<DataFrame> {
    let (frame, column) = match by {
        None => (&prepared.incidents, None),
        Some(ProfileBy::PriorityArea) => (&prepared.long, Some(crate::analysis::classify::AREA)),
        Some(ProfileBy::Offence) => (&prepared.incidents, Some("offence")),
        Some(ProfileBy::Place) => (&prepared.incidents, Some("place")),
    };
    let groups = profile(frame, column)?;
    let few = lang.pick("för få händelser", "too few incidents");
    let (mut group, mut day, mut name, mut hour, mut weight, mut share, mut flag) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for (g, cells) in &groups {
        let total: f64 = cells.iter().sum();
        for (cell, w) in cells.iter().enumerate().take(CELLS) {
            group.push(g.clone());
            day.push((cell / 24 + 1) as i32);
            name.push(weekday_name(cell / 24, lang));
            hour.push((cell % 24) as i32);
            weight.push(*w);
            share.push(if total > 0.0 { Some(w / total) } else { None });
            flag.push((total < min).then_some(few));
        }
    }
    let n = day.len();
    let mut columns = Vec::new();
    if let Some(c) = column {
        columns.push(Column::new(c.into(), group));
    }
    columns.extend([
        Column::new("weekday".into(), day),
        Column::new("weekday_name".into(), name),
        Column::new("hour".into(), hour),
        Column::new("weight".into(), weight),
        Column::new("share".into(), share),
        Column::new("flag".into(), flag),
    ]);
    Ok(DataFrame::new(n, columns)?)
}
