//! `lagesbild hotspots`: grid hot spots (Getis–Ord Gi*) with a false-discovery-rate
//! correction, and the concentration of incidents over the grid cells.

use std::path::PathBuf;
use std::process::ExitCode;

use polars::prelude::*;

use crate::analysis::concentration::concentration;
use crate::analysis::hotspots::{grid_hotspots, Cell, Grid};
use crate::analysis::positions;
use crate::cli::choice::CsvDialect;
use crate::cli::common::IncidentInputs;
use crate::cli::concentration::describe;
use crate::cli::{write_output, Globals};
use crate::coords::Sweref;
use crate::lang::Lang;
use crate::render::TableFormat;

const USAGE: &str = "\
Exempel:
  lagesbild hotspots a.csv                       250 m-rutor, FDR 5 %
  lagesbild hotspots --cell 500 --format geojson --out hotspots.geojson a.csv

Händelser med koordinater (x,y i SWEREF 99 TM eller lat,lon i WGS84) räknas i rutor.
För varje ruta beräknas Getis–Ord Gi* med rutan och dess åtta grannar, ett tvåsidigt
p-värde och ett p-värde justerat för falska upptäckter (Benjamini–Hochberg). Klass:
het punkt / kall punkt när det justerade p-värdet är under --alpha, annars ej
signifikant. Utdata: rutor med händelser och alla signifikanta rutor (x_min, y_min,
lat, lon för rutans mitt, count, gi_z, p_value, p_fdr, class). Platsnamn görs aldrig
om till koordinater. Koncentrationen över rutorna (Gini, andel i topp 5/10/20 %) skrivs
till standard fel.";

/// Grid hot spots.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Rutstorlek i meter.
    #[arg(long, default_value_t = 250.0, value_name = "METER")]
    pub cell: f64,
    /// Nivå för falska upptäckter (FDR).
    #[arg(long, default_value_t = 0.05, value_name = "A")]
    pub alpha: f64,
    /// Minsta antal händelser med koordinater.
    #[arg(long, default_value_t = 30.0)]
    pub min: f64,
    /// Studieområde: kommungränsen ur konfigurationen ([reference] boundary; rutor
    /// utanför ingår inte) eller händelsernas utbredning plus en ruta.
    #[arg(long, value_enum, default_value_t = StudyArea::Boundary)]
    pub study_area: StudyArea,
    /// Utdataformat.
    #[arg(long, value_enum, default_value_t = HotspotFormat::Csv)]
    pub format: HotspotFormat,
    /// CSV-dialekt.
    #[arg(long, value_enum, default_value_t = CsvDialect::Excel)]
    pub dialect: CsvDialect,
    /// Skriv till denna fil i stället för standard ut ("-": standard ut).
    #[arg(long, short, value_name = "FIL")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: IncidentInputs,
}

/// The area whose cells the grid analysis covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StudyArea {
    /// The municipality's boundary from the configuration (the incidents' extent when
    /// there is none).
    Boundary,
    /// The incidents' bounding box with a one-cell margin.
    Incidents,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HotspotFormat {
    /// CSV.
    Csv,
    /// JSON records.
    Json,
    /// GeoJSON FeatureCollection of cell polygons in WGS84 (for QGIS).
    Geojson,
}

/// Runs `hotspots`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.cell >= 10.0,
        crate::lang::Said::new(
            format!("--cell {} är för liten; ange minst 10 meter", args.cell),
            format!("--cell {} is too small; give at least 10 metres", args.cell),
        )
    );
    anyhow::ensure!(
        args.alpha > 0.0 && args.alpha < 1.0,
        crate::lang::Said::new(
            "--alpha ska ligga mellan 0 och 1",
            "--alpha must lie between 0 and 1"
        )
    );
    args.inputs.refuse_as_output(args.out.as_deref())?;
    let (run, progress) = crate::cli::common::start(&args.inputs, g)?;
    let (points, without) = positions(&run.prepared.incidents)?;
    let lang = g.lang;
    // `+ 0.0` turns the empty sum's −0 into 0.
    let with = points.iter().map(|p| p.2).sum::<f64>() + 0.0;
    let mut note = match lang {
        Lang::Sv => {
            format!("hot spots: {with} händelser med koordinater, {without} utan (ej med)\n")
        }
        Lang::En => {
            format!("hot spots: {with} incidents with coordinates, {without} without (left out)\n")
        }
    };
    let area = match args.study_area {
        StudyArea::Boundary => run.config.boundary.as_ref(),
        StudyArea::Incidents => None,
    };
    note.push_str(&match (lang, area.is_some()) {
        (Lang::Sv, true) => "studieområde: kommunens gräns ([reference] boundary); rutor utanför ingår inte\n".to_owned(),
        (Lang::En, true) => "study area: the municipality's boundary ([reference] boundary); cells outside are left out\n".to_owned(),
        (Lang::Sv, false) => "studieområde: händelsernas utbredning plus en ruta (resultatet beror då på de yttersta händelserna)\n".to_owned(),
        (Lang::En, false) => "study area: the incidents' extent plus one cell (so the result depends on the outermost incidents)\n".to_owned(),
    });
    let cells = match grid_hotspots(&points, args.cell, args.alpha, args.min, area) {
        Grid::Cells { cells, outside, .. } => {
            if outside > 0.0 {
                note.push_str(&match lang {
                    Lang::Sv => format!("{outside} händelser utanför kommungränsen ingår inte\n"),
                    Lang::En => format!("{outside} incidents outside the boundary are left out\n"),
                });
            }
            cells
        }
        Grid::TooFew { incidents, minimum } => {
            note.push_str(&match lang {
                Lang::Sv => format!("för få händelser för hot spots: {incidents} med koordinater, minst {minimum} behövs\n"),
                Lang::En => format!("too few incidents for hot spots: {incidents} with coordinates, at least {minimum} needed\n"),
            });
            Vec::new()
        }
        Grid::TooLarge { cells } => anyhow::bail!(crate::lang::Said::new(
            format!(
                "området skulle kräva {cells} rutor à {} m; välj större rutor med --cell",
                args.cell
            ),
            format!(
                "the area would need {cells} cells of {} m; choose larger cells with --cell",
                args.cell
            ),
        )),
    };
    if !cells.is_empty() {
        let counts: Vec<f64> = cells.iter().map(|c| c.count).collect();
        note.push_str(&describe(concentration(&counts, args.min).as_ref(), lang));
    }
    let shown: Vec<&Cell> = cells
        .iter()
        .filter(|c| c.count > 0.0 || c.class != 0)
        .collect();
    match args.format {
        HotspotFormat::Geojson => {
            let text = geojson(&shown, args.cell, lang);
            match crate::cli::file_or_stdout(args.out.as_deref()) {
                Some(path) => {
                    crate::files::write_atomically(path, |w| w.write_all(text.as_bytes()))
                        .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?
                }
                None => println!("{text}"),
            }
        }
        HotspotFormat::Csv | HotspotFormat::Json => {
            let mut table = cell_table(&shown, args.cell, lang)?;
            let format = if args.format == HotspotFormat::Csv {
                TableFormat::Csv
            } else {
                TableFormat::Json
            };
            write_output(&mut table, format, args.dialect.into(), args.out.as_deref())?;
        }
    }
    progress.finish();
    crate::cli::common::finish(&run, g, &note)?;
    Ok(ExitCode::SUCCESS)
}

fn class_name(class: i8, lang: Lang) -> &'static str {
    match class {
        1 => lang.pick("het punkt", "hot spot"),
        -1 => lang.pick("kall punkt", "cold spot"),
        _ => lang.pick("ej signifikant", "not significant"),
    }
}

/// The cells as a table.
fn cell_table(cells: &[&Cell], size: f64, lang: Lang) -> anyhow::Result<DataFrame> {
    let sweref = Sweref::new();
    let centres: Vec<Option<(f64, f64)>> = cells
        .iter()
        .map(|c| sweref.to_wgs84(c.x + size / 2.0, c.y + size / 2.0))
        .collect();
    Ok(df!(
        "x_min" => cells.iter().map(|c| c.x).collect::<Vec<_>>(),
        "y_min" => cells.iter().map(|c| c.y).collect::<Vec<_>>(),
        "lat" => centres.iter().map(|p| p.map(|p| p.0)).collect::<Vec<_>>(),
        "lon" => centres.iter().map(|p| p.map(|p| p.1)).collect::<Vec<_>>(),
        "count" => cells.iter().map(|c| c.count).collect::<Vec<_>>(),
        "gi_z" => cells.iter().map(|c| c.z).collect::<Vec<_>>(),
        "p_value" => cells.iter().map(|c| c.p).collect::<Vec<_>>(),
        "p_fdr" => cells.iter().map(|c| c.q).collect::<Vec<_>>(),
        "class" => cells.iter().map(|c| class_name(c.class, lang)).collect::<Vec<_>>(),
    )?)
}

/// The cells as GeoJSON polygons in WGS84 (RFC 7946), for QGIS.
fn geojson(cells: &[&Cell], size: f64, lang: Lang) -> String {
    let sweref = Sweref::new();
    crate::render::geo::feature_collection(
        cells
            .iter()
            .map(|c| {
                let ring: Vec<Vec<f64>> = [
                    (0.0, 0.0),
                    (size, 0.0),
                    (size, size),
                    (0.0, size),
                    (0.0, 0.0),
                ]
                .iter()
                .filter_map(|(dx, dy)| {
                    sweref
                        .to_wgs84(c.x + dx, c.y + dy)
                        .map(|(lat, lon)| vec![lon, lat])
                })
                .collect();
                let serde_json::Value::Object(properties) = serde_json::json!({
                    "x_min": c.x, "y_min": c.y, "count": c.count, "gi_z": c.z,
                    "p_value": c.p, "p_fdr": c.q, "class": class_name(c.class, lang),
                }) else {
                    unreachable!("a JSON object literal")
                };
                (geojson::Value::Polygon(vec![ring]), properties)
            })
            .collect(),
    )
}
