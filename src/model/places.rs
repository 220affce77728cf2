//! The places gazetteer: the named places of a municipality (tätorter, småorter,
//! residential areas, villages) with population, position and other ways of writing
//! their names.

use std::collections::HashMap;

use serde::Deserialize;

use crate::model::said::Said;

use crate::text::fold;

/// One named place.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Name as it is written in reports.
    pub name: String,
    /// tätort, småort, bostadsområde, by, …
    pub kind: String,
    /// SCB's tätort code, where the place is a tätort.
    #[serde(default)]
    pub scb_code: Option<String>,
    /// Four-digit municipality code, with its leading zero.
    pub municipality_code: String,
    /// Inhabitants.
    pub population: Option<u64>,
    /// The year the population refers to.
    #[serde(default)]
    pub population_year: Option<i32>,
    /// Where the population comes from; "uppskattning" marks an estimate.
    #[serde(default)]
    pub population_source: Option<String>,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Easting, SWEREF 99 TM, where known from the source.
    #[serde(default)]
    pub x: Option<f64>,
    /// Northing, SWEREF 99 TM, where known from the source.
    #[serde(default)]
    pub y: Option<f64>,
    /// Other ways of writing the name. The genitive in -s is added automatically.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The place's area in hectares (SCB gives it for tätorter).
    #[serde(default)]
    pub area_ha: Option<f64>,
    /// The place this one lies in (a residential area's town).
    #[serde(default)]
    pub parent: Option<String>,
    /// A GeoJSON file with the place's area, relative to the gazetteer file.
    #[serde(default)]
    pub polygon: Option<String>,
}

impl Place {
    /// True when the population is an estimate rather than an official figure.
    pub fn population_is_estimate(&self) -> bool {
        self.population_source
            .as_deref()
            .is_some_and(|s| fold(s).contains("uppskatt"))
    }

    /// The area, in square metres, of the circle that stands in for the place when no
    /// polygon is given: `area_ha` when known, else 50 ha for a residential area and
    /// 30 ha for anything else small, 100 ha for a tätort without a figure.
    pub fn approximate_area_m2(&self) -> f64 {
        let ha = self.area_ha.unwrap_or(match fold(&self.kind).as_str() {
            "bostadsomrade" => 50.0,
            "tatort" => 100.0,
            _ => 30.0,
        });
        ha * 10_000.0
    }

    /// Every folded form under which the place is found: name, aliases, and the
    /// genitive in -s of each (Ankarsrum → Ankarsrums; not after s, x or z).
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for name in std::iter::once(&self.name).chain(&self.aliases) {
            let folded = fold(name);
            if !folded.ends_with(['s', 'x', 'z']) {
                keys.push(format!("{folded}s"));
            }
            keys.push(folded);
        }
        keys
    }
}

/// All places of a municipality, found by name.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_key: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GazetteerFile {
    // A municipality whose tätorter are all counted to a neighbour (SCB codes a
    // tätort across a border to one municipality) starts with an empty register.
    #[serde(default)]
    place: Vec<Place>,
}

impl Gazetteer {
    /// Parses a gazetteer TOML file (`[[place]]` tables). Two places that share a
    /// name or alias, a parent that is not in the file, or a position outside Sweden
    /// are errors.
    pub fn parse(toml_text: &str) -> Result<Self, Said> {
        let file: GazetteerFile = toml::from_str(toml_text).map_err(|e| Said::not_toml(&e))?;
        Self::new(file.place)
    }

    /// Builds the index over `places`; see [`Gazetteer::parse`] for what is checked.
    pub fn new(places: Vec<Place>) -> Result<Self, Said> {
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (i, place) in places.iter().enumerate() {
            if !(55.0..=69.5).contains(&place.lat) || !(10.5..=24.5).contains(&place.lon) {
                let (name, lat, lon) = (&place.name, place.lat, place.lon);
                return Err(Said::new(
                    format!("{name}: läget {lat} N, {lon} E ligger utanför Sverige (lat, lon i WGS84)"),
                    format!("{name}: the position {lat} N, {lon} E lies outside Sweden (lat, lon in WGS84)"),
                ));
            }
            for key in place.keys() {
                if let Some(&j) = by_key.get(&key) {
                    if j != i {
                        let (first, second) = (&places[j].name, &place.name);
                        return Err(Said::new(
                            format!("namnet '{key}' pekar på både {first} och {second}"),
                            format!("the name '{key}' points to both {first} and {second}"),
                        ));
                    }
                }
                by_key.insert(key, i);
            }
        }
        let gazetteer = Self { places, by_key };
        for place in &gazetteer.places {
            if let Some(parent) = &place.parent {
                if gazetteer.find(parent).is_none() {
                    let name = &place.name;
                    return Err(Said::new(
                        format!("{name}: överordnad plats '{parent}' finns inte i registret"),
                        format!("{name}: the parent place '{parent}' is not in the gazetteer"),
                    ));
                }
            }
        }
        Ok(gazetteer)
    }

    /// The place a name means, ignoring case, diacritics, punctuation and a genitive -s.
    pub fn find(&self, name: &str) -> Option<&Place> {
        self.by_key.get(&fold(name)).map(|&i| &self.places[i])
    }

    /// All places, in file order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VASTERVIK: &str = include_str!("../../data/vastervik/places.toml");

    #[test]
    fn vastervik_gazetteer_has_the_places_of_the_issue() {
        let g = Gazetteer::parse(VASTERVIK).unwrap();
        for name in [
            "Västervik",
            "Gamleby",
            "Ankarsrum",
            "Överum",
            "Gunnebo",
            "Piperskärr",
            "Loftahammar",
            "Hjorted",
            "Edsbruk",
            "Totebo",
            "Karstorp",
            "Almvik",
            "Blackstad",
            "Helgenäs",
            "Odensvi",
            "Blankaholm",
        ] {
            assert_eq!(g.find(name).map(|p| p.name.as_str()), Some(name));
        }
        assert_eq!(g.places().len(), 16);
        // SCB tätorter 2020.
        assert_eq!(g.find("Ankarsrum").unwrap().population, Some(1278));
        assert_eq!(g.find("Västervik").unwrap().population, Some(21472));
        assert!(g.find("Karstorp").unwrap().population_is_estimate());
        assert!(!g.find("Gamleby").unwrap().population_is_estimate());
    }

    #[test]
    fn finds_genitive_case_and_diacritic_variants() {
        let g = Gazetteer::parse(VASTERVIK).unwrap();
        assert_eq!(g.find("Ankarsrums").unwrap().name, "Ankarsrum");
        assert_eq!(g.find("OVERUM").unwrap().name, "Överum");
        assert_eq!(g.find("västerviks").unwrap().name, "Västervik");
        assert!(g.find("Kalmar").is_none());
    }

    #[test]
    fn rejects_ambiguous_names_and_unknown_parents() {
        let two = r#"
            [[place]]
            name = "Ed"
            kind = "by"
            municipality_code = "0883"
            population = 1
            lat = 57.0
            lon = 16.0
            [[place]]
            name = "Eds"
            kind = "by"
            municipality_code = "0883"
            population = 1
            lat = 57.0
            lon = 16.0
        "#;
        assert!(Gazetteer::parse(two)
            .unwrap_err()
            .sv
            .contains("både Ed och Eds"));
        let orphan = r#"
            [[place]]
            name = "Karstorp"
            kind = "bostadsområde"
            parent = "Atlantis"
            municipality_code = "0883"
            population = 1
            lat = 57.0
            lon = 16.0
        "#;
        assert!(Gazetteer::parse(orphan)
            .unwrap_err()
            .sv
            .contains("Atlantis"));
    }
}
