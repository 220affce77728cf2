//! `lagesbild concentration`: how concentrated incidents are over places or grid cells.

use std::process::ExitCode;

use crate::analysis::concentration::{
    cell_counts, concentration, lorenz_table, place_counts, Concentration,
};
use crate::cli::common::{IncidentInputs, TableOutput};
use crate::cli::Globals;
use crate::lang::Lang;

const USAGE: &str = "\
Exempel:
  lagesbild concentration                        över ortsregistrets platser
  lagesbild concentration --units cell --cell 250 a.csv

Enheter: platserna i ortsregistret (alla, även de utan händelser; okänd plats räknas
inte) eller rutor (händelser med koordinater, rutor i det omslutande området). Utdata:
Lorenzkurvans punkter, enheterna sorterade efter antal (rank, unit, count,
share_of_units, share_of_incidents). Gini, generaliserad Gini (Bernasco & Steenbeek) och
andelen i de 5, 10 och 20 % mest drabbade enheterna skrivs till standard fel, med
\"för få händelser\" under --min.";

/// Concentration over places or cells.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Enheter.
    #[arg(long, value_enum, default_value_t = Units::Place)]
    pub units: Units,
    /// Rutstorlek i meter (för --units cell).
    #[arg(long, default_value_t = 250.0, value_name = "METER")]
    pub cell: f64,
    /// Minsta antal händelser för tolkbara mått.
    #[arg(long, default_value_t = 30.0)]
    pub min: f64,
    #[command(flatten)]
    pub output: TableOutput,
    #[command(flatten)]
    pub inputs: IncidentInputs,
}

/// The units counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Units {
    /// The gazetteer's places.
    Place,
    /// Grid cells.
    Cell,
}

/// Runs `concentration`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.cell >= 10.0,
        crate::lang::Said::new(
            format!("--cell {} är för liten; ange minst 10 meter", args.cell),
            format!("--cell {} is too small; give at least 10 metres", args.cell),
        )
    );
    args.inputs.refuse_as_output(args.output.out.as_deref())?;
    let (run, progress) = crate::cli::common::start(&args.inputs, g)?;
    let units = match args.units {
        Units::Place => place_counts(&run.prepared, &run.config)?,
        Units::Cell => cell_counts(&run.prepared, args.cell, run.config.boundary.as_ref())?
            .ok_or_else(|| {
                anyhow::anyhow!(crate::lang::Said::new(
                    "området skulle kräva för många rutor; välj större rutor med --cell",
                    "the area would need too many cells; choose larger cells with --cell",
                ))
            })?,
    };
    let counts: Vec<f64> = units.iter().map(|u| u.1).collect();
    let measures = concentration(&counts, args.min);
    let table = lorenz_table(&units)?;
    args.output.write(table, g.lang)?;
    progress.finish();
    crate::cli::common::finish(&run, g, &describe(measures.as_ref(), g.lang))?;
    Ok(ExitCode::SUCCESS)
}

/// The measures in words, one line.
pub fn describe(c: Option<&Concentration>, lang: Lang) -> String {
    let Some(c) = c else {
        return format!(
            "{}\n",
            lang.pick(
                "koncentration: inga händelser att mäta",
                "concentration: no incidents to measure"
            )
        );
    };
    let few = if c.too_few {
        lang.pick(
            " – för få händelser, tolka med försiktighet",
            " – too few incidents, interpret with care",
        )
    } else {
        ""
    };
    format!(
        "{}: {} {}, {} {}; Gini {:.3}, G′ {:.3}; {} 5/10/20 %: {:.1}/{:.1}/{:.1} %{few}\n",
        lang.pick("koncentration", "concentration"),
        c.incidents,
        lang.pick("händelser", "incidents"),
        c.units,
        lang.pick("enheter", "units"),
        c.gini,
        c.generalized_gini,
        lang.pick("andel i topp", "share in top"),
        c.top_shares[0].1 * 100.0,
        c.top_shares[1].1 * 100.0,
        c.top_shares[2].1 * 100.0,
    )
}
