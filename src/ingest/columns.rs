//! Matching the column headers analysts write (Swedish, English, any case, with or
//! without å/ä/ö) to the canonical column names of a schema.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::text::fold_key;

/// The alias table shipped in `data/columns.toml`.
pub const ALIASES_TOML: &str = include_str!("../../data/columns.toml");

/// Canonical columns of one kind of input, each with the header names that mean it.
#[derive(Debug, Clone)]
pub struct Aliases {
    by_key: HashMap<String, String>,
}

#[derive(Deserialize)]
struct AliasFile {
    incidents: BTreeMap<String, Vec<String>>,
    survey: BTreeMap<String, Vec<String>>,
    survey_table: BTreeMap<String, Vec<String>>,
    bra: BTreeMap<String, Vec<String>>,
    dialogues: BTreeMap<String, Vec<String>>,
}

/// Alias tables for the incident and the survey schema.
#[derive(Debug, Clone)]
pub struct AliasTables {
    /// Incident columns.
    pub incidents: Aliases,
    /// Survey-response columns.
    pub survey: Aliases,
    /// Columns of published share tables.
    pub survey_table: Aliases,
    /// Columns of Brå tables of reported crimes per municipality.
    pub bra: Aliases,
    /// Columns of the participation log.
    pub dialogues: Aliases,
}

impl AliasTables {
    /// The built-in tables.
    pub fn builtin() -> Self {
        Self::parse(ALIASES_TOML).expect("data/columns.toml is checked by a unit test")
    }

    /// Parses an alias file; an alias that would mean two columns is an error.
    pub fn parse(toml_text: &str) -> Result<Self, String> {
        let file: AliasFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        Ok(Self {
            incidents: Aliases::new(&file.incidents)?,
            survey: Aliases::new(&file.survey)?,
            survey_table: Aliases::new(&file.survey_table)?,
            bra: Aliases::new(&file.bra)?,
            dialogues: Aliases::new(&file.dialogues)?,
        })
    }
}

impl Aliases {
    fn new(table: &BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut by_key = HashMap::new();
        for (canonical, aliases) in table {
            for name in std::iter::once(canonical).chain(aliases) {
                if let Some(other) = by_key.insert(fold_key(name), canonical.clone()) {
                    if &other != canonical {
                        return Err(format!("'{name}' står både under {other} och {canonical}"));
                    }
                }
            }
        }
        Ok(Self { by_key })
    }

    /// The canonical column a header means, if any.
    pub fn canonical(&self, header: &str) -> Option<&str> {
        self.by_key.get(&fold_key(header)).map(String::as_str)
    }
}

/// How the columns of one file were understood.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ColumnMapping {
    /// (position in file, header as written, canonical name), in file order.
    pub mapped: Vec<(usize, String, String)>,
    /// Headers that mean none of the schema's columns.
    pub ignored: Vec<String>,
}

impl ColumnMapping {
    /// Position in the file of a canonical column, if the file has it.
    pub fn position(&self, canonical: &str) -> Option<usize> {
        self.mapped
            .iter()
            .find(|(_, _, c)| c == canonical)
            .map(|(i, _, _)| *i)
    }

    /// The header as written for a canonical column.
    pub fn header(&self, canonical: &str) -> Option<&str> {
        self.mapped
            .iter()
            .find(|(_, _, c)| c == canonical)
            .map(|(_, h, _)| h.as_str())
    }
}

/// Two headers in one file that mean the same canonical column.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The canonical column.
    pub canonical: String,
    /// The first header.
    pub first: String,
    /// The second header.
    pub second: String,
}

/// Maps `headers` to canonical names. Blank headers are ignored like unknown ones.
pub fn map_columns(headers: &[String], aliases: &Aliases) -> Result<ColumnMapping, Conflict> {
    let mut mapping = ColumnMapping::default();
    for (i, header) in headers.iter().enumerate() {
        match aliases.canonical(header) {
            Some(canonical) => {
                if let Some(first) = mapping.header(canonical) {
                    return Err(Conflict {
                        canonical: canonical.to_owned(),
                        first: first.to_owned(),
                        second: header.clone(),
                    });
                }
                mapping
                    .mapped
                    .push((i, header.clone(), canonical.to_owned()));
            }
            // Listed in the run's summary: personal data typed into a header is masked.
            None => mapping.ignored.push(crate::text::masked(header.clone())),
        }
    }
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_alias_file_is_consistent() {
        AliasTables::parse(ALIASES_TOML).unwrap();
    }

    #[test]
    fn maps_swedish_headers_case_and_diacritic_insensitively() {
        let t = AliasTables::builtin();
        let headers: Vec<String> = [
            "ID",
            "Datum",
            "HÄNDELSETYP",
            "Plats",
            "Ålder misstänkt",
            "Antal",
            "Handläggare",
        ]
        .map(String::from)
        .to_vec();
        let m = map_columns(&headers, &t.incidents).unwrap();
        let canon: Vec<&str> = m.mapped.iter().map(|(_, _, c)| c.as_str()).collect();
        assert_eq!(
            canon,
            [
                "id",
                "occurred_at",
                "offence",
                "place",
                "suspect_age",
                "count"
            ]
        );
        assert_eq!(m.ignored, ["Handläggare"]);
        assert_eq!(t.incidents.canonical("omrade"), Some("place"));
        assert_eq!(t.survey.canonical("Vikt"), Some("weight"));
    }

    #[test]
    fn two_headers_for_one_column_conflict() {
        let t = AliasTables::builtin();
        let headers: Vec<String> = ["datum", "tidpunkt"].map(String::from).to_vec();
        let c = map_columns(&headers, &t.incidents).unwrap_err();
        assert_eq!(c.canonical, "occurred_at");
        assert_eq!((c.first.as_str(), c.second.as_str()), ("datum", "tidpunkt"));
    }
}
