//! The project configuration (`lagesbild.toml`): which municipality, which input files,
//! which reference data and where output goes. Without a file, the embedded Västervik
//! default is used.

use std::collections::BTreeMap;
use std::path::PathBuf;

use geo::MultiPolygon;

use serde::Deserialize;

use crate::model::said::Said;

use crate::coords::read_geojson_area;
use crate::embedded::Location;
use crate::model::event_types::EventTypes;
use crate::model::places::Gazetteer;
use crate::model::priority::PriorityAreas;
use crate::model::survey::SurveyDefinition;

/// The municipality the lägesbild is about.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// Official name, e.g. "Västerviks kommun".
    pub name: String,
    /// Short name, e.g. "Västervik" (used in folder names).
    pub short_name: String,
    /// Four-digit kommunkod with its leading zero.
    pub code: String,
    /// County, e.g. "Kalmar län".
    #[serde(default)]
    pub county: Option<String>,
    /// The local police area, e.g. "Lokalpolisområde Västervik".
    #[serde(default)]
    pub police_area: Option<String>,
    /// Inhabitants, the denominator of municipality rates.
    pub population: u64,
    /// The year the population refers to.
    pub population_year: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    municipality: Municipality,
    #[serde(default)]
    inputs: InputsFile,
    reference: ReferenceFile,
    #[serde(default)]
    output: OutputFile,
    #[serde(default)]
    report: ReportSettings,
    #[serde(default)]
    statistics: Statistics,
}

/// How small numbers are treated (docs/methods.md): the limits below which a figure is
/// not given, and the design effect of published survey shares.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Statistics {
    /// Places with fewer inhabitants get no rate per 1 000 ("för få invånare"): a
    /// single incident would move it by more than 1000 / this.
    pub min_population: u32,
    /// Survey shares from fewer answers are not given, and a change is "kan inte
    /// bedömas" unless both years reach it.
    pub min_answers: u32,
    /// Design effect of published survey shares (tables of shares with the number of
    /// answers, whose weights are unknown): n_eff = n / design_effect. Own microdata
    /// carry their weights, and n_eff is computed from them instead.
    pub design_effect: f64,
}

impl Default for Statistics {
    fn default() -> Self {
        Self {
            min_population: 200,
            min_answers: 30,
            // Kish's approximation for a weighted sample is 1 + CV² of the weights; a
            // weight CV of about 0.7 gives 1.5. Without the publisher's own figure,
            // this keeps intervals from being narrower than the data allow.
            design_effect: 1.5,
        }
    }
}

/// What the report shows beyond the defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Places with a section of their own (names from the gazetteer).
    #[serde(default)]
    pub focus_places: Vec<String>,
    /// Show sensitive priority areas (våld i nära relation) per place too. Off by
    /// default: they are published for the whole municipality only.
    #[serde(default)]
    pub sensitive_by_place: bool,
    /// What weighs candidate problems in `promises suggest` and the report's
    /// candidates: the harm index (default) or the seriousness table.
    #[serde(default)]
    pub candidate_weight: CandidateWeight,
    /// The offence types whose near-repeat pattern the report shows (patterns as in
    /// the priority areas; fires, burglary and vandalism by default).
    #[serde(default = "default_series_offences")]
    pub series_offences: Vec<String>,
}

/// What weighs candidate problems for medborgarlöften.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateWeight {
    /// The harm index: log₂(1 + days per incident / 30), so that one month of the
    /// general prison minimum weighs 1 (`model::harm`); offence types without a harm
    /// weight fall back to the seriousness table.
    #[default]
    Harm,
    /// The seriousness table (`data/sverige/allvarsgrad.toml` or `[reference] weights`).
    Seriousness,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            focus_places: Vec::new(),
            sensitive_by_place: false,
            candidate_weight: CandidateWeight::default(),
            series_offences: default_series_offences(),
        }
    }
}

fn default_series_offences() -> Vec<String> {
    [
        "brand*",
        "anlagd brand*",
        "mordbrand*",
        "inbrott*",
        "bostadsinbrott*",
        "inbrottsstöld*",
        "skadegörelse*",
        "klotter*",
    ]
    .map(String::from)
    .to_vec()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputsFile {
    #[serde(default)]
    incidents: Vec<String>,
    #[serde(default)]
    surveys: Vec<String>,
    #[serde(default)]
    polisen: Vec<String>,
    #[serde(default)]
    bra: Vec<String>,
    #[serde(default)]
    dialogues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    places: String,
    priority_areas: String,
    #[serde(default)]
    survey_definition: Option<String>,
    #[serde(default)]
    event_types: Option<String>,
    #[serde(default)]
    boundary: Option<String>,
    #[serde(default)]
    promises: Option<String>,
    #[serde(default)]
    weights: Option<String>,
    #[serde(default)]
    harm: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputFile {
    #[serde(default = "default_output_dir")]
    dir: String,
}

impl Default for OutputFile {
    fn default() -> Self {
        Self {
            dir: default_output_dir(),
        }
    }
}

fn default_output_dir() -> String {
    "reports".into()
}

/// A loaded project: the configuration with its reference data read and checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the configuration was read from.
    pub origin: Location,
    /// The municipality.
    pub municipality: Municipality,
    /// Incident files.
    pub incidents: Vec<Location>,
    /// Survey response files.
    pub surveys: Vec<Location>,
    /// The places gazetteer.
    pub places: Gazetteer,
    /// The priority areas and their rules (the event-type mapping included).
    pub areas: PriorityAreas,
    /// The police event types and the areas they count towards.
    pub event_types: EventTypes,
    /// Files from the police's open events feed (JSON, JSON lines or flattened CSV).
    pub polisen: Vec<Location>,
    /// Brå tables of reported crimes per municipality, the report's reference.
    pub bra: Vec<Location>,
    /// The participation log (medborgardialoger, trygghetsvandringar, meetings).
    pub dialogues: Vec<Location>,
    /// Place areas read from the gazetteer's `polygon` files (SWEREF 99 TM), by place name.
    pub polygons: BTreeMap<String, MultiPolygon<f64>>,
    /// Report settings.
    pub report: ReportSettings,
    /// Limits for small numbers and the survey design effect.
    pub statistics: Statistics,
    /// The municipality's boundary (SWEREF 99 TM), when the project names one: the
    /// study area of the hot-spot grid.
    pub boundary: Option<MultiPolygon<f64>>,
    /// The survey definition, when the project has one.
    pub survey_definition: Option<SurveyDefinition>,
    /// Seriousness weights of candidate problems (the national default unless the
    /// project names its own table).
    pub seriousness: crate::model::seriousness::Seriousness,
    /// Harm weights in days per offence (the national default unless the project names
    /// its own table).
    pub harm: crate::model::harm::HarmTable,
    /// What loading the configuration left out, for the run summary (police event
    /// types whose area the project lacks, when it has no police events).
    pub notes: Vec<Said>,
    /// The medborgarlöften followed up, when the project names a promises file.
    pub promises: Option<crate::model::promises::Promises>,
    /// Output folder.
    pub output_dir: PathBuf,
}

/// A configuration that could not be loaded: which file, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ConfigError {
    /// The file at fault.
    pub location: String,
    /// What is wrong, and where in the file when known, in both languages.
    pub message: Said,
}

impl Config {
    /// Parses a configuration and the reference files it names; `read` gives the text
    /// of a file (reading and decoding files belongs to `ingest`, which passes it).
    pub fn load(
        origin: Location,
        read: &dyn Fn(&Location) -> Result<String, Said>,
    ) -> Result<Self, ConfigError> {
        let read_text = |at: &Location| read(at).map_err(|m| error(at, m));
        let text = read_text(&origin)?;
        let file: ConfigFile =
            toml::from_str(&text).map_err(|e| error(&origin, Said::not_toml(&e)))?;
        let stats = &file.statistics;
        if !(stats.design_effect.is_finite() && stats.design_effect > 0.0) || stats.min_answers == 0
        {
            return Err(error(&origin, {
                let (effect, answers) = (stats.design_effect, stats.min_answers);
                Said::new(
                        format!("[statistics]: design_effect måste vara ett tal > 0 (nu {effect}) och min_answers minst 1 (nu {answers})"),
                        format!("[statistics]: design_effect must be a number > 0 (now {effect}) and min_answers at least 1 (now {answers})"),
                    )
            }));
        }
        if matches!(origin, Location::Path(_)) && escapes_folder(&file.output.dir) {
            return Err(error(&origin, {
                let dir = &file.output.dir;
                Said::new(
                        format!("[output] dir = '{dir}' pekar ut ur projektmappen; en relativ utmapp ligger i mappen där lagesbild.toml finns – ange en absolut sökväg om rapporterna ska ligga någon annanstans"),
                        format!("[output] dir = '{dir}' points out of the project folder; a relative output folder lies in the folder of lagesbild.toml – give an absolute path if the reports are to go elsewhere"),
                    )
            }));
        }
        let resolve = |rel: &str| {
            origin.sibling(rel).ok_or_else(|| {
                error(
                    &origin,
                    Said::new(
                        format!("filen '{rel}' finns inte bland de inbyggda filerna"),
                        format!("the file '{rel}' is not among the embedded files"),
                    ),
                )
            })
        };
        let places_at = resolve(&file.reference.places)?;
        let places = Gazetteer::parse(&read_text(&places_at)?).map_err(|m| error(&places_at, m))?;
        let mut polygons = BTreeMap::new();
        for place in places.places() {
            if let Some(rel) = &place.polygon {
                let at = places_at.sibling(rel).ok_or_else(|| {
                    error(
                        &places_at,
                        Said::new(
                            format!("{}: polygonfilen '{rel}' finns inte", place.name),
                            format!("{}: the polygon file '{rel}' does not exist", place.name),
                        ),
                    )
                })?;
                let area = read_geojson_area(&read_text(&at)?).map_err(|m| error(&at, m))?;
                polygons.insert(place.name.clone(), area);
            }
        }
        let survey_definition = match &file.reference.survey_definition {
            Some(rel) => {
                let at = resolve(rel)?;
                Some(SurveyDefinition::parse(&read_text(&at)?).map_err(|m| error(&at, m))?)
            }
            None => None,
        };
        let boundary = match &file.reference.boundary {
            Some(rel) => {
                let at = resolve(rel)?;
                Some(read_geojson_area(&read_text(&at)?).map_err(|m| error(&at, m))?)
            }
            None => None,
        };
        let promises = match &file.reference.promises {
            Some(rel) => {
                let at = resolve(rel)?;
                let known = |p: &str| places.find(p).is_some();
                Some(
                    crate::model::promises::Promises::parse(&read_text(&at)?, &known)
                        .map_err(|m| error(&at, m))?,
                )
            }
            None => None,
        };
        let seriousness = match &file.reference.weights {
            Some(rel) => {
                let at = resolve(rel)?;
                crate::model::seriousness::Seriousness::parse(&read_text(&at)?)
                    .map_err(|m| error(&at, m))?
            }
            None => crate::model::seriousness::Seriousness::embedded(),
        };
        let harm = match &file.reference.harm {
            Some(rel) => {
                let at = resolve(rel)?;
                crate::model::harm::HarmTable::parse(&read_text(&at)?).map_err(|m| error(&at, m))?
            }
            None => crate::model::harm::HarmTable::embedded(),
        };
        let areas_at = resolve(&file.reference.priority_areas)?;
        let mut areas =
            PriorityAreas::parse(&read_text(&areas_at)?).map_err(|m| error(&areas_at, m))?;
        let event_types = match &file.reference.event_types {
            Some(rel) => {
                let at = resolve(rel)?;
                EventTypes::parse(&read_text(&at)?).map_err(|m| error(&at, m))?
            }
            None => EventTypes::embedded(),
        };
        // Only a project with police events needs every mapped area; without, a type
        // whose area the project lacks is left out with a note.
        let notes = areas
            .add_event_types(&event_types, !file.inputs.polisen.is_empty())
            .map_err(|m| {
                let at = "[reference] event_types: ";
                error(&origin, m.after(at, at))
            })?;
        let resolve_all = |list: &[String]| {
            list.iter()
                .map(|p| resolve(p))
                .collect::<Result<Vec<_>, _>>()
        };
        let polisen = resolve_all(&file.inputs.polisen)?;
        let bra = resolve_all(&file.inputs.bra)?;
        let dialogues = resolve_all(&file.inputs.dialogues)?;
        let incidents = file
            .inputs
            .incidents
            .iter()
            .map(|p| resolve(p))
            .collect::<Result<_, _>>()?;
        let surveys = file
            .inputs
            .surveys
            .iter()
            .map(|p| resolve(p))
            .collect::<Result<_, _>>()?;
        let output_dir = match &origin {
            // The embedded project writes where the user stands.
            Location::Embedded(_) => PathBuf::from(&file.output.dir),
            Location::Path(_) => match origin.sibling(&file.output.dir) {
                Some(Location::Path(p)) => p,
                _ => PathBuf::from(&file.output.dir),
            },
        };
        for place in &file.report.focus_places {
            if places.find(place).is_none() {
                return Err(error(
                    &origin,
                    Said::new(
                        format!("fokusplatsen '{place}' under [report] finns inte i ortsregistret"),
                        format!("the focus place '{place}' under [report] is not in the gazetteer"),
                    ),
                ));
            }
        }
        let m = &file.municipality;
        if m.code.len() != 4 || !m.code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error(
                &origin,
                Said::new(
                    format!(
                        "kommunkoden '{}' ska vara fyra siffror, t.ex. \"0883\"",
                        m.code
                    ),
                    format!(
                        "the municipality code '{}' must be four digits, e.g. \"0883\"",
                        m.code
                    ),
                ),
            ));
        }
        Ok(Self {
            origin,
            municipality: file.municipality,
            incidents,
            surveys,
            places,
            areas,
            event_types,
            polisen,
            bra,
            polygons,
            survey_definition,
            promises,
            notes,
            seriousness,
            harm,
            dialogues,
            report: file.report.clone(),
            statistics: file.statistics.clone(),
            boundary,
            output_dir,
        })
    }
}

/// Whether a relative path climbs out of the folder it is relative to (`../x`,
/// `a/../../x`); absolute paths are the user's explicit choice.
fn escapes_folder(relative: &str) -> bool {
    let path = std::path::Path::new(relative);
    if path.is_absolute() {
        return false;
    }
    let mut depth = 0i32;
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// A configuration error at `at`.
pub fn error(at: &Location, message: Said) -> ConfigError {
    ConfigError {
        location: at.display_name(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_is_vastervik() {
        let c = Config::embedded_default().unwrap();
        assert_eq!(c.municipality.code, "0883");
        assert_eq!(c.municipality.population, 36398);
        assert_eq!(c.municipality.population_year, 2024);
        assert_eq!(c.areas.areas.len(), 7);
        assert_eq!(
            c.incidents,
            [Location::Embedded("vastervik/genererade-handelser.csv")]
        );
        assert_eq!(
            c.surveys,
            [Location::Embedded("vastervik/genererade-enkatsvar.csv")]
        );
        assert_eq!(c.survey_definition.as_ref().unwrap().items.len(), 7);
        assert_eq!(c.output_dir, PathBuf::from("reports"));
    }

    #[test]
    fn report_settings_name_known_places() {
        let c = Config::embedded_default().unwrap();
        assert_eq!(c.report.focus_places, ["Karstorp", "Ankarsrum", "Edsbruk"]);
        assert!(!c.report.sensitive_by_place);
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            (
                "places.toml",
                include_str!("../../data/vastervik/places.toml"),
            ),
            (
                "priority_areas.toml",
                include_str!("../../data/vastervik/priority_areas.toml"),
            ),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let path = dir.path().join("lagesbild.toml");
        std::fs::write(
            &path,
            "[municipality]\nname='V'\nshort_name='V'\ncode='0883'\npopulation=1\npopulation_year=2024\n\
             [reference]\nplaces='places.toml'\npriority_areas='priority_areas.toml'\n[report]\nfocus_places=['Atlantis']\n",
        )
        .unwrap();
        let e = Config::from_path(&path).unwrap_err();
        assert!(e.message.sv.contains("Atlantis"), "{e}");
    }

    #[test]
    fn unknown_keys_and_bad_codes_are_reported_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lagesbild.toml");
        std::fs::write(&path, "[municipality]\nnamn = 'x'\n").unwrap();
        let e = Config::from_path(&path).unwrap_err();
        assert!(e.location.ends_with("lagesbild.toml"), "{e}");
        assert!(e.message.sv.contains("namn"), "{e}");
    }
}
