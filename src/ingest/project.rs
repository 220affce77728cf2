//! Reading a project from disk or from the files compiled in: the configuration and the
//! reference files it names, decoded like every input (UTF-8, BOM, Windows-1252) and
//! parsed by `model::config`.

use std::path::PathBuf;

use crate::embedded::{Location, DEFAULT_CONFIG};
use crate::ingest::dialect::decode;
use crate::model::config::{Config, ConfigError};
use crate::model::said::Said;

/// The text of a project file.
fn read_text(at: &Location) -> Result<String, Said> {
    let bytes = at.read().map_err(|e| {
        Said::new(
            format!("kan inte läsas: {e}"),
            format!("cannot be read: {e}"),
        )
    })?;
    Ok(decode(&bytes).0)
}

impl Config {
    /// The embedded default project (Västerviks kommun).
    pub fn embedded_default() -> Result<Self, ConfigError> {
        Self::load(
            Location::embedded(DEFAULT_CONFIG).expect("the default config is embedded"),
            &read_text,
        )
    }

    /// Loads a configuration file from disk and the reference files it names.
    pub fn from_path(path: impl Into<PathBuf>) -> Result<Self, ConfigError> {
        Self::load(Location::Path(path.into()), &read_text)
    }
}
