//! `lagesbild nearrepeat`: the Knox test for near repeats.

use std::process::ExitCode;

use polars::prelude::*;

use crate::analysis::classify::OffenceMatcher;
use crate::analysis::nearrepeat::{events_of, knox};
use crate::cli::common::{IncidentInputs, TableOutput};
use crate::cli::Globals;
use crate::lang::Lang;

const USAGE: &str = "\
Exempel:
  lagesbild nearrepeat --offences 'brand*'             bränder i standarddatan
  lagesbild nearrepeat --distances 100,200,400 --days 3,7,14 --permutations 999 a.csv

Knox-test som i Ratcliffes Near Repeat Calculator: par av händelser inom varje
avståndsband (meter) och tidsband (dagar), observerat mot förväntat när tiderna blandas
om mellan händelserna (Monte Carlo, platserna behålls), kvot och p-värde = (1 + antal
omblandningar med minst det observerade) / (1 + omblandningar). Raderna börjar med
närmaste bandet. Händelser utan koordinater räknas och lämnas utanför. Samma --seed ger
samma tabell.";

/// Near repeats: the Knox test.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Övre gränser för avståndsbanden i meter, t.ex. 200,400,800.
    #[arg(long, value_delimiter = ',', default_value = "200,400,800")]
    pub distances: Vec<f64>,
    /// Övre gränser för tidsbanden i dagar, t.ex. 7,14,28.
    #[arg(long, value_delimiter = ',', default_value = "7,14,28")]
    pub days: Vec<f64>,
    /// Antal omblandningar av tiderna.
    #[arg(long, default_value_t = 999)]
    pub permutations: u32,
    /// Frö för omblandningarna.
    #[arg(long, default_value_t = 883)]
    pub seed: u64,
    /// Bara dessa brottstyper (mönster som i reglerna, * som jokertecken).
    #[arg(long, value_delimiter = ',')]
    pub offences: Vec<String>,
    #[command(flatten)]
    pub output: TableOutput,
    #[command(flatten)]
    pub inputs: IncidentInputs,
}

/// Checks that band limits are positive, finite and rising.
fn check_limits(limits: &[f64], what: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        !limits.is_empty()
            && limits.iter().all(|l| l.is_finite() && *l > 0.0)
            && limits.windows(2).all(|w| w[0] < w[1]),
        "{what} måste vara stigande tal större än 0, t.ex. 200,400,800 (nu {limits:?})"
    );
    Ok(())
}

/// Runs `nearrepeat`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    check_limits(&args.distances, "--distances")?;
    check_limits(&args.days, "--days")?;
    let run = crate::cli::common::start(&args.inputs, g)?;
    let mut incidents = run.prepared.incidents.clone();
    if !args.offences.is_empty() {
        let matcher = OffenceMatcher::new(&args.offences);
        let keep: BooleanChunked = incidents
            .column("offence")?
            .str()?
            .iter()
            .map(|o| Some(o.is_some_and(|o| matcher.matches(o))))
            .collect();
        incidents = incidents.filter(&keep)?;
    }
    let (events, without) = events_of(&incidents)?;
    let table = knox(
        &events,
        &args.distances,
        &args.days,
        args.permutations,
        args.seed,
    );
    let label = |(a, b): (f64, f64)| format!("{a}-{b}");
    let mut frame = df!(
        "distance_band" => table.iter().map(|c| label(c.distance)).collect::<Vec<_>>(),
        "time_band" => table.iter().map(|c| label(c.days)).collect::<Vec<_>>(),
        "observed" => table.iter().map(|c| c.observed as i64).collect::<Vec<_>>(),
        "expected" => table.iter().map(|c| crate::render::number::round_to(c.expected, 3)).collect::<Vec<_>>(),
        "ratio" => table.iter().map(|c| c.ratio.map(|r| crate::render::number::round_to(r, 3))).collect::<Vec<_>>(),
        "p_value" => table.iter().map(|c| c.p_value).collect::<Vec<_>>(),
    )?;
    frame.rechunk_mut();
    args.output.write(frame, g.lang)?;
    let extra = match g.lang {
        Lang::Sv => format!(
            "närhet: {} händelser med koordinater, {without} utan (utanför testet), {} omblandningar\n",
            events.len(),
            args.permutations
        ),
        Lang::En => format!(
            "near repeat: {} incidents with coordinates, {without} without (left out), {} permutations\n",
            events.len(),
            args.permutations
        ),
    };
    crate::cli::common::finish(&run, g, &extra);
    Ok(ExitCode::SUCCESS)
}
