//! `lagesbild timeprofile`: the weekday × hour profile with aoristic weights.

use std::process::ExitCode;

use polars::prelude::*;

use crate::analysis::time::{profile, weekday_name, CELLS};
use crate::analysis::Prepared;
use crate::cli::common::{IncidentInputs, TableOutput};
use crate::cli::Globals;
use crate::lang::Lang;

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
    /// En profil per grupp.
    #[arg(long, value_enum)]
    pub by: Option<ProfileBy>,
    /// Minsta antal händelser för en tolkbar profil.
    #[arg(long, default_value_t = 30.0)]
    pub min: f64,
    #[command(flatten)]
    pub output: TableOutput,
    #[command(flatten)]
    pub inputs: IncidentInputs,
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
    args.inputs.refuse_as_output(args.output.out.as_deref())?;
    let (run, progress) = crate::cli::common::start(&args.inputs, g)?;
    let table = profile_table(&run.prepared, args.by, args.min, g.lang)?;
    args.output.write(table, g.lang)?;
    progress.finish();
    crate::cli::common::finish(&run, g, "")?;
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
        Some(ProfileBy::PriorityArea) => (prepared.long()?, Some(crate::analysis::classify::AREA)),
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
