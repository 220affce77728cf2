//! The police's event types (polisen.se/api/events) and the priority areas each
//! counts towards, from `data/sverige/polisen-handelsetyper.toml` or a project's own
//! mapping file.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::model::said::Said;

use crate::model::priority::PriorityAreas;
use crate::text::fold;

/// The embedded national mapping.
pub const EMBEDDED: &str = include_str!("../../data/sverige/polisen-handelsetyper.toml");

/// What kind of notice an event type is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Kind {
    /// Something that happened: counted as an incident.
    #[default]
    #[serde(rename = "händelse")]
    Incident,
    /// The police's own activity (traffic control): counted, but a measure of effort.
    #[serde(rename = "polisinsats")]
    PoliceActivity,
    /// A summary of a shift ("Sammanfattning natt"): not an incident, excluded.
    #[serde(rename = "sammanfattning")]
    Summary,
}

impl Kind {
    /// The Swedish label used in files and the report.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Incident => "händelse",
            Kind::PoliceActivity => "polisinsats",
            Kind::Summary => "sammanfattning",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeEntry {
    #[serde(default)]
    areas: Vec<String>,
    #[serde(default)]
    kind: Kind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypesFile {
    types: BTreeMap<String, TypeEntry>,
}

/// The mapping of event types, found by folded name.
#[derive(Debug, Clone, Default)]
pub struct EventTypes {
    by_key: HashMap<String, (String, TypeEntry)>,
}

impl EventTypes {
    /// The embedded national mapping.
    pub fn embedded() -> Self {
        Self::parse(EMBEDDED).expect("the embedded mapping is checked by a unit test")
    }

    /// Parses a mapping file. Two names that fold to the same key are an error.
    pub fn parse(toml_text: &str) -> Result<Self, Said> {
        let file: TypesFile = toml::from_str(toml_text).map_err(|e| Said::not_toml(&e))?;
        let mut by_key = HashMap::new();
        for (name, entry) in file.types {
            if let Some((other, _)) = by_key.insert(fold(&name), (name.clone(), entry)) {
                return Err(Said::new(
                    format!("'{name}' och '{other}' är samma händelsetyp"),
                    format!("'{name}' and '{other}' are the same event type"),
                ));
            }
        }
        Ok(Self { by_key })
    }

    /// Checks that every area slug exists among `areas`.
    pub fn check_areas(&self, areas: &PriorityAreas) -> Result<(), Said> {
        for (name, entry) in self.by_key.values() {
            if let Some(slug) = entry.areas.iter().find(|s| areas.by_role(s).is_none()) {
                return Err(Said::new(
                    format!("händelsetypen '{name}' pekar på området '{slug}', som inte finns bland de prioriterade områdena"),
                    format!("the event type '{name}' points to the area '{slug}', which is not among the priority areas"),
                ));
            }
        }
        Ok(())
    }

    /// The kind of an event type; a type not in the mapping is an incident, and so is
    /// anything else, except a type beginning "Sammanfattning", which is a summary
    /// even when the police invent a new one.
    pub fn kind(&self, event_type: &str) -> Kind {
        let key = fold(event_type);
        match self.by_key.get(&key) {
            Some((_, entry)) => entry.kind,
            None if key.starts_with("sammanfattning") => Kind::Summary,
            None => Kind::Incident,
        }
    }

    /// The area slugs of an event type: empty for "övrigt"; `None` when the type is not
    /// in the mapping.
    pub fn areas(&self, event_type: &str) -> Option<&[String]> {
        self.by_key
            .get(&fold(event_type))
            .map(|(_, e)| e.areas.as_slice())
    }

    /// Every (folded type, area slug) pair, for the classification rules.
    pub fn folded_areas(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_key.iter().flat_map(|(key, (_, entry))| {
            entry
                .areas
                .iter()
                .map(move |slug| (key.as_str(), slug.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_mapping_matches_the_vastervik_areas() {
        let types = EventTypes::embedded();
        let areas =
            PriorityAreas::parse(include_str!("../../data/vastervik/priority_areas.toml")).unwrap();
        types.check_areas(&areas).unwrap();
        assert_eq!(
            types.areas("Rattfylleri").unwrap(),
            ["narkotika-alkohol", "trafikbrott"]
        );
        assert_eq!(types.areas("Stöld, försök").unwrap(), [] as [String; 0]);
        assert_eq!(types.areas("Okänd typ"), None);
    }

    #[test]
    fn kinds_ignore_case_and_spaces_and_catch_new_summaries() {
        let types = EventTypes::embedded();
        assert_eq!(types.kind("Sammanfattning natt"), Kind::Summary);
        assert_eq!(types.kind("Sammanfattning kväll och natt"), Kind::Summary);
        assert_eq!(types.kind("Sammanfattning lördag"), Kind::Summary);
        assert_eq!(types.kind("Trafikkontroll"), Kind::PoliceActivity);
        assert_eq!(types.kind("Larm Inbrott"), Kind::Incident);
        assert_eq!(types.areas("Lagen om hundar och katter "), Some(&[][..]));
        assert_eq!(types.areas("LARM INBROTT"), Some(&[][..]));
        assert_eq!(types.kind("Brand"), Kind::Incident);
    }

    #[test]
    fn a_slug_that_is_not_an_area_is_an_error() {
        let types = EventTypes::parse("[types]\n\"Brand\" = { areas = [\"brander\"] }").unwrap();
        let areas =
            PriorityAreas::parse(include_str!("../../data/vastervik/priority_areas.toml")).unwrap();
        assert!(types
            .check_areas(&areas)
            .unwrap_err()
            .sv
            .contains("brander"));
        assert!(EventTypes::parse("[types]\n\"Brand\" = {}\n\"BRAND\" = {}").is_err());
    }
}
