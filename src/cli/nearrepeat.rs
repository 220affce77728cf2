//! `lagesbild nearrepeat`: the Knox test for near repeats.

use std::process::ExitCode;

use polars::prelude::*;

use crate::analysis::classify::offence_filter;
use crate::analysis::nearrepeat::{events_of, knox, near_repeats};
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
samma tabell. near_repeat = true när bandet är signifikant på 5 %-nivån efter Holms
korrektion för tabellens alla band och kvoten är minst 1,2. Med --by offence eller
--by priority_area får varje brottstyp eller prioriterat område en egen tabell (första
kolumnen säger vilken).";

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
    /// En tabell per brottstyp eller per prioriterat område.
    #[arg(long, value_enum)]
    pub by: Option<Group>,
    #[command(flatten)]
    pub output: TableOutput,
    #[command(flatten)]
    pub inputs: IncidentInputs,
}

/// What to break the test down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Group {
    /// Each offence type as written.
    Offence,
    /// Each priority area (an incident is tested in each of its areas).
    PriorityArea,
}

/// Checks that band limits are positive, finite and rising.
fn check_limits(limits: &[f64], what: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        !limits.is_empty()
            && limits.iter().all(|l| l.is_finite() && *l > 0.0)
            && limits.windows(2).all(|w| w[0] < w[1]),
        crate::lang::Said::new(
            format!(
                "{what} måste vara stigande tal större än 0, t.ex. 200,400,800 (nu {limits:?})"
            ),
            format!(
                "{what} must be rising numbers greater than 0, e.g. 200,400,800 (now {limits:?})"
            ),
        )
    );
    Ok(())
}

/// Runs `nearrepeat`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    check_limits(&args.distances, "--distances")?;
    check_limits(&args.days, "--days")?;
    args.inputs.refuse_as_output(args.output.out.as_deref())?;
    let (run, progress) = crate::cli::common::start(&args.inputs, g)?;
    let mut incidents = run.prepared.incidents.clone();
    if !args.offences.is_empty() {
        let keep = offence_filter(&incidents, &args.offences)?;
        incidents = incidents.lazy().filter(keep).collect()?;
    }
    let (source, column) = match args.by {
        None => (incidents, None),
        Some(Group::Offence) => (incidents, Some("offence")),
        Some(Group::PriorityArea) => {
            // The areas' rows of the incidents kept above.
            let ids = incidents.column("id")?.as_materialized_series().clone();
            let long = run
                .prepared
                .long()?
                .clone()
                .lazy()
                .filter(col("id").is_in(lit(ids).implode(true), false))
                .collect()?;
            (long, Some(crate::analysis::classify::AREA))
        }
    };
    let groups: Vec<(Option<String>, DataFrame)> = match column {
        None => vec![(None, source)],
        Some(c) => {
            let mut parts = source.partition_by_stable([c], true)?;
            parts.sort_by_cached_key(|p| {
                p.column(c)
                    .ok()
                    .and_then(|v| v.str().ok().and_then(|s| s.get(0).map(str::to_owned)))
            });
            parts
                .into_iter()
                .map(|p| {
                    let name = p
                        .column(c)
                        .ok()
                        .and_then(|v| v.str().ok().and_then(|s| s.get(0).map(str::to_owned)))
                        .unwrap_or_else(|| crate::analysis::aggregate::MISSING.to_owned());
                    (Some(name), p)
                })
                .collect()
        }
    };
    let (mut with, mut without) = (0, 0);
    let mut frames = Vec::new();
    for (name, part) in groups {
        let (events, left_out) = events_of(&part)?;
        with += events.len();
        without += left_out;
        let table = knox(
            &events,
            &args.distances,
            &args.days,
            args.permutations,
            args.seed,
        );
        let mut frame = knox_frame(&table)?;
        if let (Some(c), Some(name)) = (column, name) {
            frame.insert_column(0, Column::new(c.into(), vec![name; table.len()]))?;
        }
        frames.push(frame);
    }
    let mut frame = match frames.len() {
        0 => knox_frame(&[])?,
        _ => {
            let mut all = frames.remove(0);
            for f in &frames {
                all.vstack_mut(f)?;
            }
            all
        }
    };
    frame.rechunk_mut();
    args.output.write(frame, g.lang)?;
    let extra = match g.lang {
        Lang::Sv => format!(
            "närhet: {with} händelser med koordinater, {without} utan (utanför testet), {} omblandningar\n",
            args.permutations
        ),
        Lang::En => format!(
            "near repeat: {with} incidents with coordinates, {without} without (left out), {} permutations\n",
            args.permutations
        ),
    };
    progress.finish();
    crate::cli::common::finish(&run, g, &extra)?;
    Ok(ExitCode::SUCCESS)
}

/// The Knox table as columns: bands as "lower-upper", counts, expected and ratio to
/// three decimals, p at full precision.
fn knox_frame(table: &[crate::analysis::nearrepeat::KnoxCell]) -> PolarsResult<DataFrame> {
    let label = |(a, b): (f64, f64)| format!("{a}-{b}");
    let round = |x: f64| crate::render::number::round_to(x, 3);
    df!(
        "distance_band" => table.iter().map(|c| label(c.distance)).collect::<Vec<_>>(),
        "time_band" => table.iter().map(|c| label(c.days)).collect::<Vec<_>>(),
        "observed" => table.iter().map(|c| c.observed as i64).collect::<Vec<_>>(),
        "expected" => table.iter().map(|c| round(c.expected)).collect::<Vec<_>>(),
        "ratio" => table.iter().map(|c| c.ratio.map(round)).collect::<Vec<_>>(),
        "p_value" => table.iter().map(|c| c.p_value).collect::<Vec<_>>(),
        "near_repeat" => near_repeats(table, 0.05),
    )
}
