//! The seven priority areas of the samverkansöverenskommelse and the rules that say
//! which incidents belong to each.

use serde::Deserialize;

use crate::model::said::Said;

use crate::text::fold;

/// One priority area.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityArea {
    /// Stable identifier used in files and on the command line.
    pub slug: String,
    /// Which of the national areas this one plays, named by the national slug
    /// (`narkotika-alkohol`, …), when its own slug differs: the police event-type
    /// mapping, written for the national slugs, follows it.
    #[serde(default)]
    pub role: Option<String>,
    /// Swedish display name.
    pub name: String,
    /// English display name.
    pub name_en: String,
    /// Offence patterns (folded comparison, `*` matches anything).
    #[serde(default)]
    pub offences: Vec<String>,
    /// Four-digit brottskoder or ranges `"3001-3099"`.
    #[serde(default)]
    pub brottskoder: Vec<String>,
    /// Incidents whose suspect is younger than this belong to the area.
    #[serde(default)]
    pub suspect_age_below: Option<u32>,
    /// Incidents flagged as crimes in a close relationship belong to the area.
    #[serde(default)]
    pub close_relation: bool,
    /// Every incident belongs to the area.
    #[serde(default)]
    pub all_incidents: bool,
    /// Published only at municipality level.
    #[serde(default)]
    pub sensitive: bool,
}

/// A brottskod rule: one code or an inclusive range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    /// First code.
    pub from: u16,
    /// Last code.
    pub to: u16,
}

impl PriorityArea {
    /// The offence patterns folded as they are compared.
    pub fn folded_patterns(&self) -> Vec<String> {
        self.offences.iter().map(|p| fold_pattern(p)).collect()
    }

    /// The brottskod rules parsed. Each entry was checked by [`PriorityAreas::parse`].
    pub fn code_ranges(&self) -> Vec<CodeRange> {
        self.brottskoder
            .iter()
            .filter_map(|c| parse_code_range(c).ok())
            .collect()
    }
}

/// Folds a pattern like a name, keeping its `*` wildcards.
pub fn fold_pattern(pattern: &str) -> String {
    pattern.split('*').map(fold).collect::<Vec<_>>().join("*")
}

fn parse_code(code: &str) -> Result<u16, Said> {
    let code = code.trim();
    if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.parse().expect("four digits"))
    } else {
        Err(Said::new(
            format!("'{code}' är ingen fyrsiffrig brottskod"),
            format!("'{code}' is not a four-digit offence code"),
        ))
    }
}

fn parse_code_range(text: &str) -> Result<CodeRange, Said> {
    match text.split_once('-') {
        Some((a, b)) => {
            let (from, to) = (parse_code(a)?, parse_code(b)?);
            if from > to {
                return Err(Said::new(
                    format!("intervallet '{text}' slutar före sin början"),
                    format!("the range '{text}' ends before it begins"),
                ));
            }
            Ok(CodeRange { from, to })
        }
        None => parse_code(text).map(|c| CodeRange { from: c, to: c }),
    }
}

/// All priority areas of a project, in the order they are reported.
#[derive(Debug, Clone, Default)]
pub struct PriorityAreas {
    /// The areas.
    pub areas: Vec<PriorityArea>,
    /// Extra exact offence names per area, from the police event-type mapping: folded
    /// event type → area slugs. They add to the patterns; they never take away.
    pub event_types: std::collections::HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreasFile {
    area: Vec<PriorityArea>,
}

/// The slug under which incidents no area claims are counted (`analysis::classify`'s
/// `OTHER`); no area may take it, or its incidents and the unclaimed ones would be
/// counted as one.
pub const OTHER_SLUG: &str = "ovrigt";

impl PriorityAreas {
    /// Parses a rules file (`[[area]]` tables). Duplicate slugs, the reserved slug
    /// [`OTHER_SLUG`], slugs that are not lower-case ASCII words joined by `-`, malformed
    /// brottskoder and areas without any rule are errors.
    pub fn parse(toml_text: &str) -> Result<Self, Said> {
        let file: AreasFile = toml::from_str(toml_text).map_err(|e| Said::not_toml(&e))?;
        let mut seen = std::collections::HashSet::new();
        for area in &file.area {
            let slug_ok = !area.slug.is_empty()
                && area.slug.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            if !slug_ok {
                let slug = &area.slug;
                return Err(Said::new(
                    format!("slug '{slug}' ska vara små bokstäver a–z och siffror med bindestreck"),
                    format!(
                        "slug '{slug}' must be lower-case letters a–z and digits joined by hyphens"
                    ),
                ));
            }
            if !seen.insert(area.slug.clone()) {
                let slug = &area.slug;
                return Err(Said::new(
                    format!("slug '{slug}' förekommer två gånger"),
                    format!("slug '{slug}' is there twice"),
                ));
            }
            if area.slug == OTHER_SLUG {
                return Err(Said::new(
                    format!("slug '{OTHER_SLUG}' är reserverad för händelser som inget område tar hand om; välj ett annat namn"),
                    format!("slug '{OTHER_SLUG}' is kept for incidents no area takes; choose another name"),
                ));
            }
            for code in &area.brottskoder {
                let range = parse_code_range(code).map_err(|e| {
                    let slug = format!("{}: ", area.slug);
                    e.after(&slug, &slug)
                })?;
                // A code Brå does not list would silently never match.
                if !crate::model::brottskoder::any_in(range.from, range.to) {
                    let slug = &area.slug;
                    return Err(Said::new(
                        format!("{slug}: brottskoden {code} finns inte i Brå:s kodlista (`lagesbild codes` visar den); rätta eller ta bort den"),
                        format!("{slug}: the offence code {code} is not in Brå's code list (`lagesbild codes` shows it); correct or remove it"),
                    ));
                }
            }
            let has_rule = !area.offences.is_empty()
                || !area.brottskoder.is_empty()
                || area.suspect_age_below.is_some()
                || area.close_relation
                || area.all_incidents;
            if !has_rule {
                let slug = &area.slug;
                return Err(Said::new(
                    format!("{slug}: området har ingen regel och skulle aldrig få några händelser"),
                    format!("{slug}: the area has no rule and would never get any incidents"),
                ));
            }
        }
        Ok(Self {
            areas: file.area,
            event_types: Default::default(),
        })
    }

    /// Adds the police event-type mapping to the rules: an incident whose offence is
    /// one of the mapped event types belongs to the mapped areas too. A slug that is not
    /// one of the areas is an error.
    pub fn add_event_types(
        &mut self,
        types: &crate::model::event_types::EventTypes,
        required: bool,
    ) -> Result<Vec<Said>, Said> {
        let mut notes = Vec::new();
        for (key, target) in types.folded_areas() {
            let Some(slug) = self.by_role(target).map(|a| a.slug.clone()) else {
                let message = Said::new(
                    format!("polisens händelsetyp '{key}' räknas till området '{target}', som inget av projektets områden är: ge motsvarande område slug = \"{target}\" eller role = \"{target}\" i priority_areas.toml, eller en egen händelsetypsfil ([reference] event_types)"),
                    format!("the police event type '{key}' counts towards the area '{target}', which none of the project's areas is: give the matching area slug = \"{target}\" or role = \"{target}\" in priority_areas.toml, or use an event-type file of your own ([reference] event_types)"),
                );
                if required {
                    return Err(message);
                }
                if !notes.contains(&message) {
                    notes.push(message);
                }
                continue;
            };
            let slugs = self.event_types.entry(key.to_owned()).or_default();
            if !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        Ok(notes)
    }

    /// The area that plays the national area `role`: the one with that slug, else the
    /// one that names it as its `role`.
    pub fn by_role(&self, role: &str) -> Option<&PriorityArea> {
        self.get(role)
            .or_else(|| self.areas.iter().find(|a| a.role.as_deref() == Some(role)))
    }

    /// True when the mapped event type `folded` counts towards the area `slug`.
    pub fn event_type_in_area(&self, folded: &str, slug: &str) -> bool {
        self.event_types
            .get(folded)
            .is_some_and(|slugs| slugs.iter().any(|s| s == slug))
    }

    /// The area with this slug.
    pub fn get(&self, slug: &str) -> Option<&PriorityArea> {
        self.areas.iter().find(|a| a.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VASTERVIK: &str = include_str!("../../data/vastervik/priority_areas.toml");

    #[test]
    fn vastervik_rules_name_the_seven_areas_of_the_agreement() {
        let areas = PriorityAreas::parse(VASTERVIK).unwrap();
        let names: Vec<&str> = areas.areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Organiserad brottslighet och kriminella gäng",
                "Ungdomskriminalitet och normbrytande unga",
                "Våld och andra brott i nära relation",
                "Välfärdsbrottslighet och annan kriminell ekonomi",
                "Brottskoncentrationer kopplade till tider och platser",
                "Narkotika- och alkoholrelaterade brott",
                "Trafikbrott",
            ]
        );
        assert_eq!(
            areas.get("ungdomskriminalitet").unwrap().suspect_age_below,
            Some(18)
        );
        assert!(areas.get("vald-i-nara-relation").unwrap().close_relation);
        assert!(areas.get("vald-i-nara-relation").unwrap().sensitive);
        // Rattfylleri belongs to both the alcohol and the traffic area.
        for slug in ["narkotika-alkohol", "trafikbrott"] {
            assert!(areas
                .get(slug)
                .unwrap()
                .folded_patterns()
                .contains(&"rattfylleri*".to_owned()));
        }
    }

    #[test]
    fn malformed_rules_are_errors() {
        let bad_code = "[[area]]\nslug='a'\nname='A'\nname_en='A'\nbrottskoder=['98x1']";
        assert!(PriorityAreas::parse(bad_code)
            .unwrap_err()
            .sv
            .contains("98x1"));
        // Found in review: an area named like the unclaimed incidents merged with them.
        let reserved = "[[area]]\nslug='ovrigt'\nname='Ö'\nname_en='O'\noffences=['Stöld']";
        assert!(PriorityAreas::parse(reserved)
            .unwrap_err()
            .sv
            .contains("reserverad"));
        let no_rule = "[[area]]\nslug='a'\nname='A'\nname_en='A'";
        assert!(PriorityAreas::parse(no_rule)
            .unwrap_err()
            .sv
            .contains("ingen regel"));
        let bad_slug = "[[area]]\nslug='Trafik brott'\nname='A'\nname_en='A'\nall_incidents=true";
        assert!(PriorityAreas::parse(bad_slug).is_err());
        let range = "[[area]]\nslug='a'\nname='A'\nname_en='A'\nbrottskoder=['9801-9802','3005']";
        let a = PriorityAreas::parse(range).unwrap();
        assert_eq!(
            a.areas[0].code_ranges(),
            [
                CodeRange {
                    from: 9801,
                    to: 9802
                },
                CodeRange {
                    from: 3005,
                    to: 3005
                }
            ]
        );
    }

    #[test]
    fn patterns_fold_but_keep_wildcards() {
        assert_eq!(fold_pattern("Trafikolycka*"), "trafikolycka*");
        assert_eq!(fold_pattern("Fylleri/LOB"), "fylleri lob");
    }
}
