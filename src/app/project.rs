//! A project loaded for a run: its configuration, the incidents read with every row
//! accounted for (rejects written), and the incidents placed and classified.

use std::path::{Path, PathBuf};

use crate::analysis::{prepare, Prepared};
use crate::embedded::Location;
use crate::ingest::columns::AliasTables;
use crate::ingest::incidents::{load_incident_columns, load_incidents_as};
use crate::ingest::personal::Pseudonyms;
use crate::ingest::report::Loaded;
use crate::lang::Lang;
use crate::model::config::Config;
use crate::render::write_rejects;

/// The incidents of a run, read, accounted for, placed and classified.
pub struct Project {
    /// The project.
    pub config: Config,
    /// The inputs as read.
    pub loaded: Loaded,
    /// Where the rejected rows went.
    pub rejects: PathBuf,
    /// Placed and classified incidents.
    pub prepared: Prepared,
}

impl Project {
    /// Loads the project (`config`, or the embedded default), reads `files` (or the
    /// configured inputs), writes the rejected rows (to `rejects`, or
    /// `<output>/avvisade_rader.csv`), and places and classifies the incidents.
    pub fn load(
        config: Option<&Path>,
        files: &[PathBuf],
        rejects: Option<&Path>,
        lang: Lang,
    ) -> anyhow::Result<Project> {
        Project::load_reading(config, files, rejects, lang, Reading::Everything)
    }

    /// [`Project::load`], keeping of each accepted incident only what `reading` says
    /// (every row is checked and accounted for either way).
    pub fn load_reading(
        config: Option<&Path>,
        files: &[PathBuf],
        rejects: Option<&Path>,
        lang: Lang,
        reading: Reading,
    ) -> anyhow::Result<Project> {
        let config = load_config(config)?;
        let (loaded, rejects) =
            load_inputs_reading(&config, files, rejects, lang, reading, Pseudonyms::Numbered)?;
        let prepared = prepare(&loaded.frame, &config)?;
        Ok(Project {
            config,
            loaded,
            rejects,
            prepared,
        })
    }
}

/// What a run keeps of each incident it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every column; from a store in time and id order, as from files.
    Everything,
    /// Only what counting reads ([`crate::analysis::counted_columns`]; from files the
    /// id too until duplicates are found), the source only when counting `by_source`;
    /// from a store in the store's order: for a table, which is sorted by its own keys.
    Counts {
        /// Whether the count is by source.
        by_source: bool,
    },
}

impl Reading {
    /// The incident columns kept: `None` for all.
    fn columns(self) -> Option<&'static [&'static str]> {
        match self {
            Reading::Everything => None,
            Reading::Counts { by_source } => Some(crate::analysis::counted_columns(by_source)),
        }
    }
}

impl Project {
    /// Loads the incidents of municipality `kommun` (name or code; the project's own
    /// when `None`) from the store `store` instead of files, all of each incident or
    /// only what counting reads (`reading`). The project is `config`; without one it
    /// is the embedded default for its own municipality, and for any other one a
    /// project made from the embedded national tables (as `init` makes it). The
    /// store's incidents were checked when imported, so nothing is rejected.
    pub fn from_store(
        config: Option<&Path>,
        store: &Path,
        kommun: Option<&str>,
        rejects: Option<&Path>,
        reading: Reading,
    ) -> anyhow::Result<Project> {
        let asked = kommun.map(crate::app::init::find_kommun).transpose()?;
        let config = match (config, asked) {
            (Some(path), Some(k)) => {
                let config = Config::from_path(path)?;
                if config.municipality.code != k.code {
                    anyhow::bail!(crate::lang::Said::new(
                        format!("--kommun {} är inte projektets kommun ({}, {}): utelämna --config för att använda de inbyggda nationella tabellerna för {}", k.name, config.municipality.name, path.display(), k.name),
                        format!("--kommun {} is not the project's municipality ({}, {}): leave out --config to use the embedded national tables for {}", k.name, config.municipality.name, path.display(), k.name),
                    ));
                }
                config
            }
            (Some(path), None) => Config::from_path(path)?,
            (None, None) => without_demo_inputs(Config::embedded_default()?),
            (None, Some(k)) => {
                let default = Config::embedded_default()?;
                if default.municipality.code == k.code {
                    without_demo_inputs(default)
                } else {
                    national_project(k)?
                }
            }
        };
        let code = asked.map_or(config.municipality.code.clone(), |k| k.code.clone());
        // Nothing this run writes goes into the store it reads (only `import` does).
        crate::files::mark_read(store);
        let frame = match reading.columns() {
            None => crate::ingest::store::read_incidents(store, &code)?,
            Some(columns) => crate::ingest::store::read_columns(store, &code, columns)?,
        };
        let report = crate::ingest::report::FileReport::stored(
            format!("{} (kommun={code})", store.display()),
            frame.height(),
        );
        let loaded = Loaded {
            frame,
            rejects: crate::ingest::validate::no_rejects(),
            files: vec![report],
        };
        let path = rejects.map_or_else(
            || config.output_dir.join("avvisade_rader.csv"),
            ToOwned::to_owned,
        );
        // Nothing is rejected, so no rejects file is written (many reports from one
        // store would otherwise write one each).
        let prepared = prepare(&loaded.frame, &config)?;
        Ok(Project {
            config,
            loaded,
            rejects: path,
            prepared,
        })
    }
}

/// The embedded default without its made-up survey answers, police events, Brå tables
/// and dialogues: a store's real incidents must not be reported beside test data.
fn without_demo_inputs(mut config: Config) -> Config {
    config.surveys.clear();
    config.polisen.clear();
    config.bra.clear();
    config.dialogues.clear();
    config
}

/// The project `init` would write for `kommun`, read from its texts in memory (no
/// folder is written: `report --all` makes one for each of 290 municipalities); its
/// output goes to `reports` in the working folder.
pub fn national_project(kommun: &crate::model::sweden::Kommun) -> anyhow::Result<Config> {
    use crate::app::init::{project_files, CONFIG_FILE};
    // A folder that is never on disk: the project's files are read from `files`, and
    // a message about one of them names the municipality's project.
    let folder = PathBuf::from(format!("(inbyggt projekt för {})", kommun.name));
    let files: Vec<(PathBuf, String)> = project_files(kommun, crate::lang::Lang::Sv)
        .into_iter()
        .map(|(name, text)| (folder.join(name), text))
        .collect();
    let read = |at: &Location| {
        files
            .iter()
            .find(|(p, _)| matches!(at, Location::Path(path) if path == p))
            .map(|(_, text)| text.clone())
            .ok_or_else(|| {
                crate::lang::Said::new(
                    "finns inte i det inbyggda projektet",
                    "is not in the embedded project",
                )
            })
    };
    let mut config = Config::load(Location::Path(folder.join(CONFIG_FILE)), &read)?;
    config.output_dir = PathBuf::from("reports");
    Ok(config)
}

/// Loads `--config FILE`, or the embedded default when none is given.
pub fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    Ok(match path {
        Some(p) => Config::from_path(p)?,
        None => Config::embedded_default()?,
    })
}

/// Where the rejected incidents go: `rejects`, or `<output>/avvisade_rader.csv`.
pub fn rejects_path(config: &Config, rejects: Option<&Path>) -> PathBuf {
    rejects.map_or_else(
        || config.output_dir.join("avvisade_rader.csv"),
        ToOwned::to_owned,
    )
}

/// Reads the incident files given, or else the config's, accounts for every row and
/// writes the rejected rows (to `rejects`, or `<output>/avvisade_rader.csv`). Returns
/// the loaded inputs and where the rejects went.
pub fn load_inputs(
    config: &Config,
    files: &[PathBuf],
    rejects: Option<&Path>,
    lang: Lang,
) -> anyhow::Result<(Loaded, PathBuf)> {
    load_inputs_as(config, files, rejects, lang, Pseudonyms::Numbered)
}

/// [`load_inputs`] with ids that are personnummer replaced as `pseudonyms` says (for a
/// store, the same pseudonym in every import).
pub fn load_inputs_as(
    config: &Config,
    files: &[PathBuf],
    rejects: Option<&Path>,
    lang: Lang,
    pseudonyms: Pseudonyms,
) -> anyhow::Result<(Loaded, PathBuf)> {
    load_inputs_reading(
        config,
        files,
        rejects,
        lang,
        Reading::Everything,
        pseudonyms,
    )
}

/// [`load_inputs_as`], keeping of each accepted incident only what `reading` says.
fn load_inputs_reading(
    config: &Config,
    files: &[PathBuf],
    rejects: Option<&Path>,
    lang: Lang,
    reading: Reading,
    pseudonyms: Pseudonyms,
) -> anyhow::Result<(Loaded, PathBuf)> {
    let inputs = chosen_inputs(&config.incidents, files, lang)?;
    let path = rejects_path(config, rejects);
    refuse_overwriting_inputs(&path, &inputs)?;
    let aliases = &AliasTables::builtin().incidents;
    let loaded = match reading.columns() {
        None => load_incidents_as(&inputs, aliases, lang, pseudonyms)?,
        // The ids are let go once duplicates are found: no pseudonym is kept.
        Some(columns) => load_incident_columns(&inputs, aliases, lang, columns)?,
    };
    Ok((account(loaded, &path, lang)?, path))
}

/// An error when writing `out` would replace one of the `inputs`.
pub fn refuse_overwriting_inputs(out: &Path, inputs: &[Location]) -> anyhow::Result<()> {
    for input in inputs {
        if let Location::Path(p) = input {
            if crate::files::same_place(out, p) {
                anyhow::bail!(crate::lang::Said::new(
                    format!("{} är både indata och utdata; välj en annan fil att skriva till, så att indatafilen inte skrivs över", out.display()),
                    format!("{} is both input and output; choose another file to write to, so that the input is not overwritten", out.display()),
                ));
            }
        }
    }
    Ok(())
}

/// Input files: those given, or else the configuration's; none is an error.
pub fn chosen_inputs(
    configured: &[Location],
    files: &[PathBuf],
    lang: Lang,
) -> anyhow::Result<Vec<Location>> {
    let inputs = given_or_configured(files, configured);
    if inputs.is_empty() {
        anyhow::bail!(lang.pick(
            "inga indatafiler: ange filer på kommandoraden eller under [inputs] i konfigurationen",
            "no input files: name files on the command line or under [inputs] in the configuration",
        ));
    }
    Ok(inputs)
}

/// The files given, or else the configured ones (possibly none).
pub fn given_or_configured(files: &[PathBuf], configured: &[Location]) -> Vec<Location> {
    if files.is_empty() {
        configured.to_vec()
    } else {
        files.iter().cloned().map(Location::Path).collect()
    }
}

/// Checks that every row is accounted for and writes the rejected rows to `path`.
pub fn account(loaded: Loaded, path: &Path, lang: Lang) -> anyhow::Result<Loaded> {
    if !loaded.reconciles() {
        anyhow::bail!("internt fel: raderna går inte ihop (lästa ≠ godkända + avvisade); rapportera detta som en bugg");
    }
    write_rejects(path, &loaded.rejects, lang)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?;
    Ok(loaded)
}

/// The project's survey answers, read and accounted for (rejects beside the output),
/// when it has a survey definition and response files.
pub fn configured_survey(config: &Config, lang: Lang) -> anyhow::Result<Option<Loaded>> {
    match (&config.survey_definition, config.surveys.is_empty()) {
        (Some(def), false) => {
            let loaded = crate::ingest::survey::load_survey(
                &config.surveys,
                &crate::ingest::columns::AliasTables::builtin().survey,
                def,
                lang,
            )?;
            Ok(Some(account(
                loaded,
                &config.output_dir.join("avvisade_enkatsvar.csv"),
                lang,
            )?))
        }
        _ => Ok(None),
    }
}

/// The project's participation log, read and accounted for (rejects beside the
/// output), when it names one.
pub fn configured_dialogues(config: &Config, lang: Lang) -> anyhow::Result<Option<Loaded>> {
    if config.dialogues.is_empty() {
        return Ok(None);
    }
    let loaded = crate::ingest::dialogues::load_dialogues(
        &config.dialogues,
        &crate::ingest::columns::AliasTables::builtin().dialogues,
        lang,
    )?;
    Ok(Some(account(
        loaded,
        &config.output_dir.join("avvisade_dialoger.csv"),
        lang,
    )?))
}

/// The police's published events of `inputs` for the project's municipality, or
/// `None` when there are no inputs.
pub fn police_events(
    inputs: &[crate::embedded::Location],
    config: &Config,
    lang: Lang,
) -> anyhow::Result<
    Option<(
        crate::model::feed::EventsRead,
        crate::analysis::events::Imported,
    )>,
> {
    if inputs.is_empty() {
        return Ok(None);
    }
    let home = crate::model::sweden::sweden()
        .by_code(&config.municipality.code)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "kommunkoden {} finns inte bland Sveriges kommuner",
                config.municipality.code
            )
        })?;
    Ok(Some(crate::app::import::import_polisen(
        inputs,
        config,
        Some(home),
        lang,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The project read in memory is the project `init` writes, read back from disk:
    /// the same configuration to the last field, but for the folder it names.
    #[test]
    fn the_national_project_in_memory_is_the_one_init_writes() {
        let sweden = crate::model::sweden::sweden();
        // Stockholm, Åsele (small), Kiruna (large area) and Gotland.
        for code in ["0180", "2463", "2584", "0980"] {
            let kommun = sweden.by_code(code).unwrap();
            let folder = tempfile::tempdir().unwrap();
            crate::app::init::init(kommun, folder.path(), crate::lang::Lang::Sv).unwrap();
            let mut written =
                Config::from_path(folder.path().join(crate::app::init::CONFIG_FILE)).unwrap();
            written.output_dir = PathBuf::from("reports");
            let in_memory = national_project(kommun).unwrap();
            let virtual_folder = format!("(inbyggt projekt för {})", kommun.name);
            let on_disk = folder.path().to_str().unwrap();
            // Field by field in their Debug form (hash maps compared sorted), the
            // folder named in the project's paths put right. Every field is named, so
            // that a field added to `Config` is compared too (or the test fails to
            // compile).
            let fields = |c: &Config| {
                let Config {
                    origin,
                    municipality,
                    incidents,
                    surveys,
                    places,
                    areas,
                    event_types,
                    polisen,
                    bra,
                    dialogues,
                    polygons,
                    report,
                    statistics,
                    boundary,
                    survey_definition,
                    seriousness,
                    harm,
                    notes,
                    promises,
                    output_dir,
                } = c;
                let mut area_event_types: Vec<_> = areas.event_types.iter().collect();
                area_event_types.sort();
                let mut folded: Vec<_> = event_types.folded_areas().collect();
                folded.sort();
                [
                    format!("{origin:?}"),
                    format!("{municipality:?}"),
                    format!("{incidents:?} {surveys:?} {polisen:?}"),
                    format!("{bra:?} {dialogues:?}"),
                    format!("{:?}", places.places()),
                    format!("{:?} {area_event_types:?} {folded:?}", areas.areas),
                    format!("{polygons:?}"),
                    format!("{report:?} {statistics:?}"),
                    format!("{boundary:?}"),
                    format!("{survey_definition:?}"),
                    format!("{seriousness:?} {harm:?}"),
                    format!("{notes:?} {promises:?} {output_dir:?}"),
                ]
                .map(|f| f.replace(on_disk, &virtual_folder))
            };
            let (written, in_memory) = (fields(&written), fields(&in_memory));
            assert!(written[0].contains(&virtual_folder), "{code}");
            assert!(written[4].contains("tätort"), "{code}");
            for (w, m) in written.iter().zip(&in_memory) {
                assert_eq!(m, w, "{code}");
            }
        }
    }
}
