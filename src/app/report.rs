//! Writing a sealed report as a folder: the page, the workbook, the CSV tables, the
//! charts, the GeoJSON layer, the manifest the audit reads, and the rejected rows –
//! all at once or not at all.

use std::path::Path;

use crate::analysis::place::UNKNOWN_PLACE;
use crate::analysis::Prepared;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::publication::{Manifest, MANIFEST};
use crate::render::report_files::{
    draw_charts, html, places_geojson, sheet_names, table_csv, xlsx,
};
use crate::report::Sealed;

/// The manifest of a sealed report: its figures' keys and places, the sets of areas
/// incidents belong to, and the workbook's sheets. No values.
pub fn manifest(report: &Sealed, prepared: &Prepared, config: &Config) -> anyhow::Result<Manifest> {
    let atoms = crate::report::protect::Atoms::of(prepared)?;
    let mut area_sets = atoms.areas.clone();
    area_sets.sort();
    area_sets.dedup();
    let mut places: Vec<String> = config
        .places
        .places()
        .iter()
        .map(|p| p.name.clone())
        .chain([UNKNOWN_PLACE.to_owned()])
        .chain(atoms.place.iter().cloned())
        .collect();
    places.sort();
    places.dedup();
    Ok(Manifest {
        threshold: report.threshold,
        area_sets,
        places,
        sheets: sheet_names(report),
        figures: report.figures.clone(),
    })
}

/// Writes the report's own files into `dir` (an empty folder).
pub fn write_report_files(
    dir: &Path,
    report: &Sealed,
    manifest: &Manifest,
    generated: chrono::NaiveDate,
    lang: Lang,
) -> anyhow::Result<()> {
    let drawn = draw_charts(report)?;
    std::fs::write(dir.join("index.html"), html(report, &drawn, lang))?;
    std::fs::write(dir.join("lagesbild.xlsx"), xlsx(report, generated)?)?;
    std::fs::write(dir.join("places.geojson"), places_geojson(report))?;
    std::fs::write(
        dir.join(MANIFEST),
        serde_json::to_string_pretty(manifest)? + "\n",
    )?;
    std::fs::create_dir_all(dir.join("tables"))?;
    std::fs::create_dir_all(dir.join("charts"))?;
    for t in report.sections.iter().flat_map(|s| &s.tables) {
        std::fs::write(
            dir.join("tables").join(format!("{}.csv", t.name)),
            table_csv(t),
        )?;
    }
    for (name, rendered) in &drawn {
        std::fs::write(dir.join("charts").join(format!("{name}.svg")), &rendered.svg)?;
        std::fs::write(dir.join("charts").join(format!("{name}.png")), &rendered.png)?;
    }
    Ok(())
}
