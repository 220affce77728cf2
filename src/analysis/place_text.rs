//! Places named in free text ("Trafikolycka på Västerviksvägen i Gamleby."): the
//! police events feed gives only the municipality's centre as a position, so the
//! village or residential area must come from the words of the notice.

use crate::model::places::Gazetteer;
use crate::text::fold;

/// What a text says about where something happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mention {
    /// No place of the gazetteer is named.
    None,
    /// Exactly one place is named, or one is inside every other place named.
    Place(String),
    /// Two or more places are named and none is inside the others: equally likely.
    Ambiguous(Vec<String>),
}

/// Finds gazetteer places in text: names and aliases, in the genitive too, as whole
/// words, ignoring case and diacritics.
pub struct PlaceFinder<'a> {
    gazetteer: &'a Gazetteer,
    /// Folded name forms, each with its place, longest first so that "Överums bruk"
    /// is tried before "Överum".
    keys: Vec<(String, usize)>,
    /// The place that shares the municipality's name (Västervik), if any.
    namesake: Option<usize>,
}

impl<'a> PlaceFinder<'a> {
    /// A finder over all places of `gazetteer`. `municipality` is the municipality's
    /// name: a place of the same name (the town Västervik in Västerviks kommun) may
    /// mean the whole municipality ("Brand i Gamleby, Västervik"), so it gives way to
    /// any other place named with it.
    pub fn new(gazetteer: &'a Gazetteer, municipality: &str) -> Self {
        let mut keys: Vec<(String, usize)> = gazetteer
            .places()
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.keys().into_iter().map(move |k| (k, i)))
            .collect();
        keys.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let namesake = gazetteer.find(municipality).and_then(|p| {
            gazetteer
                .places()
                .iter()
                .position(|q| q.name == p.name && fold(&q.name) == fold(municipality))
        });
        Self {
            gazetteer,
            keys,
            namesake,
        }
    }

    /// The place `text` names. A name followed by "kommun" ("Västerviks kommun") means
    /// the municipality, not the town, and is not a place mention. When several places
    /// are named, one that contains another (Västervik contains Karstorp) gives way to
    /// it; if more than one remains, the text is ambiguous.
    pub fn find(&self, text: &str) -> Mention {
        let folded = format!(" {} ", fold(text));
        let mut covered = vec![false; folded.len()];
        let mut found: Vec<usize> = Vec::new();
        for (key, place) in &self.keys {
            let needle = format!(" {key} ");
            let mut from = 0;
            while let Some(at) = folded[from..].find(&needle) {
                let start = from + at + 1;
                let end = start + key.len();
                from = end;
                if covered[start..end].iter().any(|c| *c) {
                    continue;
                }
                if folded[end..].starts_with(" kommun ") {
                    continue;
                }
                covered[start..end].iter_mut().for_each(|c| *c = true);
                if !found.contains(place) {
                    found.push(*place);
                }
            }
        }
        let places = self.gazetteer.places();
        let most_specific: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&outer| {
                !found
                    .iter()
                    .any(|&inner| inner != outer && self.is_inside(inner, outer))
            })
            .collect();
        match most_specific.as_slice() {
            [] => Mention::None,
            [one] => Mention::Place(places[*one].name.clone()),
            many => {
                let mut names: Vec<String> = many.iter().map(|&i| places[i].name.clone()).collect();
                names.sort();
                Mention::Ambiguous(names)
            }
        }
    }

    /// True when place `inner` lies within place `outer` by the gazetteer's parents.
    fn is_inside(&self, inner: usize, outer: usize) -> bool {
        if self.namesake == Some(outer) {
            return true;
        }
        let places = self.gazetteer.places();
        let mut at = &places[inner];
        for _ in 0..places.len() {
            match at.parent.as_deref().and_then(|p| self.gazetteer.find(p)) {
                Some(parent) if parent.name == places[outer].name => return true,
                Some(parent) => at = parent,
                None => return false,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder_test(cases: &[(&str, Mention)]) {
        let gazetteer = Gazetteer::parse(include_str!("../../data/vastervik/places.toml")).unwrap();
        let finder = PlaceFinder::new(&gazetteer, "Västervik");
        for (text, expected) in cases {
            assert_eq!(&finder.find(text), expected, "{text}");
        }
    }

    fn place(name: &str) -> Mention {
        Mention::Place(name.to_owned())
    }

    #[test]
    fn finds_whole_words_in_any_case_and_the_genitive() {
        finder_test(&[
            (
                "Trafikolycka på Västerviksvägen i Gamleby.",
                place("Gamleby"),
            ),
            ("Brand i ett garage i ANKARSRUM", place("Ankarsrum")),
            ("Inbrott på Överums bruk under natten.", place("Överum")),
            ("Gunnebos centrum var avspärrat.", place("Gunnebo")),
            // Västerviksvägen is a road, not the town; Gamlebyviken is not Gamleby.
            ("Singelolycka på Västerviksvägen.", Mention::None),
            ("Båt i Gamlebyviken.", Mention::None),
            ("Brand i Västerviks kommun.", Mention::None),
            ("", Mention::None),
        ]);
    }

    #[test]
    fn prefers_the_most_specific_place_and_gives_up_on_a_tie() {
        finder_test(&[
            ("Bilbrand i Karstorp i Västervik.", place("Karstorp")),
            ("Västervik: stenkastning i Karstorp", place("Karstorp")),
            // The municipality's name after a village is the municipality.
            ("Brand i lägenhet i Gamleby, Västervik.", place("Gamleby")),
            (
                "Trafikolycka på E22 i höjd med Almvik norr om Västervik.",
                place("Almvik"),
            ),
            ("Brand i Västervik.", place("Västervik")),
            (
                "Olycka på vägen mellan Gamleby och Edsbruk.",
                Mention::Ambiguous(vec!["Edsbruk".into(), "Gamleby".into()]),
            ),
        ]);
    }
}
