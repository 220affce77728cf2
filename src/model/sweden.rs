//! Sweden's municipalities and counties (SCB codes and names, populations 2024), for
//! recognising a municipality or county by name in the police events feed and in Brå
//! tables, and for county and national reference rates.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::fold;

/// One municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kommun {
    /// Four-digit kommunkod with its leading zero ("0883").
    pub code: String,
    /// Name without "kommun" ("Västervik").
    pub name: String,
    /// Inhabitants on 31 December 2024 (SCB).
    pub population: u64,
}

/// The name a municipality of the short name `name` goes by: "Västerviks kommun",
/// "Hofors kommun" (no second s), "Malmö kommun" (no s after a vowel: Ale, Mora, Umeå),
/// and the two not so made, "Falu kommun" and "Region Gotland".
pub fn official_name(name: &str) -> String {
    match name {
        "Falun" => "Falu kommun".to_owned(),
        "Gotland" => "Region Gotland".to_owned(),
        _ => {
            let last = name
                .chars()
                .last()
                .map(|c| c.to_lowercase().next().unwrap_or(c));
            let plain = last.is_none_or(|c| "sxzaeiouyåäö".contains(c));
            if plain {
                format!("{name} kommun")
            } else {
                format!("{name}s kommun")
            }
        }
    }
}

impl Kommun {
    /// The two-digit county code: the first two digits of the kommunkod.
    pub fn county_code(&self) -> &str {
        &self.code[..2]
    }
}

/// What a place name in a feed or a table means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area<'a> {
    /// A municipality.
    Kommun(&'a Kommun),
    /// A county, by its code and name.
    County(&'a str, &'a str),
    /// The whole country ("Riket", "Sverige", "Hela landet").
    Country,
}

/// All municipalities and counties.
#[derive(Debug)]
pub struct Sweden {
    kommuner: Vec<Kommun>,
    counties: Vec<(String, String)>,
    /// Lower-case names with å, ä, ö kept: Håbo and Habo are two municipalities.
    by_name: HashMap<String, usize>,
    /// Folded names (diacritics dropped), for input typed without å, ä, ö; `None` where
    /// two municipalities fold to the same name.
    by_folded: HashMap<String, Option<usize>>,
}

/// The embedded tables, parsed once.
pub fn sweden() -> &'static Sweden {
    static SWEDEN: OnceLock<Sweden> = OnceLock::new();
    SWEDEN.get_or_init(|| {
        Sweden::parse(
            include_str!("../../data/sverige/kommuner.csv"),
            include_str!("../../data/sverige/lan.csv"),
        )
    })
}

impl Sweden {
    /// Parses `kommunkod;kommun;invanare_2024` and `lanskod;lan` (header lines first).
    /// The embedded files are checked by unit tests; a malformed line is skipped here
    /// only because the tables are compiled in.
    fn parse(kommuner_csv: &str, counties_csv: &str) -> Self {
        let kommuner: Vec<Kommun> = kommuner_csv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut parts = line.split(';');
                Some(Kommun {
                    code: parts.next()?.to_owned(),
                    name: parts.next()?.to_owned(),
                    population: parts.next()?.trim().parse().ok()?,
                })
            })
            .collect();
        let counties = counties_csv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let (code, name) = line.split_once(';')?;
                Some((code.to_owned(), name.to_owned()))
            })
            .collect();
        let by_name = kommuner
            .iter()
            .enumerate()
            .map(|(i, k)| (squash(&k.name), i))
            .collect();
        let mut by_folded: HashMap<String, Option<usize>> = HashMap::new();
        for (i, k) in kommuner.iter().enumerate() {
            by_folded
                .entry(fold(&k.name))
                .and_modify(|v| *v = None)
                .or_insert(Some(i));
        }
        Self {
            kommuner,
            counties,
            by_name,
            by_folded,
        }
    }

    /// All municipalities in kommunkod order.
    pub fn kommuner(&self) -> &[Kommun] {
        &self.kommuner
    }

    /// All counties: (länskod, name), in code order.
    pub fn counties(&self) -> &[(String, String)] {
        &self.counties
    }

    /// The municipality with this four-digit code.
    pub fn by_code(&self, code: &str) -> Option<&Kommun> {
        self.kommuner.iter().find(|k| k.code == code.trim())
    }

    /// The name of the municipality with this code, or the code itself when no
    /// municipality has it (for messages about a store's folders).
    pub fn name_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.by_code(code).map_or(code, |k| k.name.as_str())
    }

    /// The name of the county with this two-digit code.
    pub fn county_name(&self, code: &str) -> Option<&str> {
        self.counties
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.as_str())
    }

    /// The municipality a name means: "Västervik", "Västerviks kommun", "Västervik
    /// kommun", "VÄSTERVIK", "Malung–Sälens kommun" (any dash) all find Västervik or
    /// Malung-Sälen. Case, diacritics, punctuation, surrounding spaces and a genitive -s
    /// before "kommun" do not matter.
    pub fn kommun(&self, name: &str) -> Option<&Kommun> {
        let exact = |key: &str| self.by_name.get(key).copied();
        let folded = |key: &str| self.by_folded.get(key).copied().flatten();
        Self::lookup(&squash(name), exact)
            .or_else(|| Self::lookup(&fold(name), folded))
            .map(|i| &self.kommuner[i])
    }

    /// `name` (already normalised) as written, or as the municipality calls itself: in
    /// the genitive before "kommun" or "stad" (Västerviks kommun, Stockholms stad,
    /// Malmö stad), and the two official names that are not so made, Falu kommun and
    /// Region Gotland.
    fn lookup(name: &str, find: impl Fn(&str) -> Option<usize>) -> Option<usize> {
        let official = match name {
            "falu kommun" => "falun",
            "region gotland" => "gotland",
            other => other,
        };
        let (stem, had_suffix) = match [" kommun", " stad"]
            .iter()
            .find_map(|suffix| official.strip_suffix(suffix))
        {
            Some(stem) => (stem, true),
            None => (official, false),
        };
        // The genitive -s only appears before "kommun" or "stad" (Västerviks kommun);
        // a bare "Västerviks" is not taken to mean the municipality.
        find(stem).or_else(|| find(stem.strip_suffix('s').filter(|_| had_suffix)?))
    }

    /// What an area name means: a municipality, a county ("Kalmar län", "Kalmar läns")
    /// or the whole country ("Riket", "Sverige", "Hela landet", "Totalt").
    pub fn area(&self, name: &str) -> Option<Area<'_>> {
        if let Some(k) = self.kommun(name) {
            return Some(Area::Kommun(k));
        }
        let folded = fold(name);
        if matches!(
            folded.as_str(),
            "riket" | "sverige" | "hela landet" | "hela riket" | "totalt" | "samtliga kommuner"
        ) {
            return Some(Area::Country);
        }
        let stem = folded
            .strip_suffix(" lan")
            .or_else(|| folded.strip_suffix(" lans"))?;
        self.counties
            .iter()
            .find(|(_, n)| fold(n).strip_suffix(" lan") == Some(stem))
            .map(|(c, n)| Area::County(c.as_str(), n.as_str()))
    }

    /// The municipality for `--kommun NAME|CODE`.
    pub fn kommun_by_name_or_code(&self, text: &str) -> Option<&Kommun> {
        let text = text.trim();
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            self.by_code(text)
        } else {
            self.kommun(text)
        }
    }
}

/// Lower case, every run of characters that are not letters or digits as one space,
/// trimmed; unlike [`fold`], å, ä and ö are kept.
fn squash(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_are_complete() {
        let s = sweden();
        assert_eq!(s.kommuner().len(), 290);
        assert_eq!(s.counties().len(), 21);
        for k in s.kommuner() {
            assert!(
                s.county_name(k.county_code()).is_some(),
                "{} {}",
                k.code,
                k.name
            );
        }
        let total: u64 = s.kommuner().iter().map(|k| k.population).sum();
        assert_eq!(total, 10_587_140);
    }

    #[test]
    fn official_names_are_in_the_genitive_where_swedish_puts_one() {
        for (name, official) in [
            ("Västervik", "Västerviks kommun"),
            ("Stockholm", "Stockholms kommun"),
            ("Upplands Väsby", "Upplands Väsby kommun"),
            ("Upplands-Bro", "Upplands-Bro kommun"),
            ("Lilla Edet", "Lilla Edets kommun"),
            ("Hofors", "Hofors kommun"),
            ("Kalix", "Kalix kommun"),
            ("Ale", "Ale kommun"),
            ("Umeå", "Umeå kommun"),
            ("Malmö", "Malmö kommun"),
            ("Falun", "Falu kommun"),
            ("Gotland", "Region Gotland"),
        ] {
            assert_eq!(super::official_name(name), official);
            // Every official name finds its municipality again.
            if let Some(k) = sweden().kommun(name) {
                assert_eq!(
                    sweden().kommun(official).map(|o| &o.code),
                    Some(&k.code),
                    "{official}"
                );
            }
        }
    }

    #[test]
    fn names_in_every_spelling_find_the_municipality() {
        let s = sweden();
        for name in [
            "Västervik",
            "Västerviks kommun",
            "Västervik kommun",
            " VÄSTERVIK ",
            "vastervik",
        ] {
            assert_eq!(
                s.kommun(name).map(|k| k.code.as_str()),
                Some("0883"),
                "{name}"
            );
        }
        assert_eq!(s.kommun("Västerviks"), None);
        for (name, code) in [
            ("Malung–Sälens kommun", "2023"),
            ("Tranås kommun ", "0687"),
            // A name ending in s keeps its s.
            ("Hofors kommun", "2104"),
            // Håbo and Habo differ only by the ring: each is found by its own spelling.
            ("Håbo kommun", "0305"),
            ("Habo kommun", "0643"),
            ("HÅBO", "0305"),
            // Official names: cities, and the two not made from the name.
            ("Stockholms stad", "0180"),
            ("Malmö stad", "1280"),
            ("Göteborgs Stad", "1480"),
            ("Falu kommun", "2080"),
            ("Region Gotland", "0980"),
        ] {
            assert_eq!(
                s.kommun(name).map(|k| k.code.as_str()),
                Some(code),
                "{name}"
            );
        }
        assert_eq!(s.kommun_by_name_or_code("0883").unwrap().name, "Västervik");
        assert_eq!(s.area("Kalmar län"), Some(Area::County("08", "Kalmar län")));
        assert_eq!(
            s.area("Kalmar läns"),
            Some(Area::County("08", "Kalmar län"))
        );
        assert_eq!(s.area("Riket"), Some(Area::Country));
        assert!(matches!(s.area("Kalmar"), Some(Area::Kommun(k)) if k.code == "0880"));
        assert_eq!(s.area("Atlantis"), None);
    }
}
