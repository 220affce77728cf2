//! Importing the outside sources: the police's open events as canonical incidents.

use std::path::Path;

use crate::analysis::events::{import_events, ImportOptions, Imported};
use crate::embedded::Location;
use crate::ingest::polisen::{read_events, rejects_frame, EventsRead};
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::sweden::{sweden, Kommun};
use crate::render::write_rejects;

/// Reads event files and turns them into canonical incidents with the project's
/// gazetteer (for its own municipality) and rules. Fails if the accounting does not
/// reconcile.
pub fn import_polisen(
    inputs: &[Location],
    config: &Config,
    kommun: Option<&Kommun>,
    lang: Lang,
) -> anyhow::Result<(EventsRead, Imported)> {
    let read = read_events(inputs, lang)?;
    let home = sweden().by_code(&config.municipality.code);
    let options = ImportOptions {
        kommun,
        gazetteer: home.map(|home| (&config.places, home)),
        types: &config.event_types,
        areas: &config.areas,
    };
    let imported = import_events(&read, &options)?;
    if !read.reconciles() || !imported.reconciles() {
        anyhow::bail!("internt fel: händelserna går inte ihop (lästa ≠ behållna + ersatta + avvisade); rapportera detta som en bugg");
    }
    Ok((read, imported))
}

/// Writes the rejected events as an Excel-friendly CSV.
pub fn write_event_rejects(read: &EventsRead, path: &Path, lang: Lang) -> anyhow::Result<()> {
    write_rejects(path, &rejects_frame(&read.rejects)?, lang)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))
}
