//! The harm table: a weight in days of imprisonment per offence, built on the statutory
//! penalty scales (`data/sverige/skadevikter.toml`, written by `scripts/harm_table.py`;
//! or the project's own table, `[reference] harm`). See docs/harm.md for the choice of
//! scale, the floors for offences that may end in a fine, and the limits.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::said::Said;

/// The national default table, compiled in.
pub const EMBEDDED: &str = include_str!("../../data/sverige/skadevikter.toml");

/// Which point of a penalty scale an offence weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// The statutory minimum (courts mostly sentence near the bottom of a scale).
    Minimum,
    /// The mean of the minimum and the maximum.
    Midpoint,
}

/// A harm table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmTable {
    /// The point of each scale that is the weight.
    pub scale: Scale,
    /// The weight, in days, of an offence whose scale begins with a fine.
    pub fine_floor_days: f64,
    /// The weight, in days, of an offence that carries only fines.
    pub fine_only_days: f64,
    /// Patterns of event types that are not offences: counted, never weighted.
    #[serde(default)]
    pub not_offences: Vec<String>,
    /// The offences, first matching pattern wins (codes are matched first).
    #[serde(rename = "offence")]
    pub offences: Vec<HarmOffence>,
}

/// One offence of the table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmOffence {
    /// The offence as the law names it.
    pub name: String,
    /// The provision ("BrB 3 kap. 5 §").
    pub law: String,
    /// The statutory minimum in days (0 when a fine is in the scale).
    pub min_days: u32,
    /// The statutory maximum in days (0 for fines only).
    pub max_days: u32,
    /// Whether a fine is inside the scale.
    pub fines: bool,
    /// A weight that replaces the one computed from the scale (e.g. an average imposed
    /// sentence).
    #[serde(default)]
    pub weight_days: Option<f64>,
    /// Offence texts this offence matches in exports without codes (`*` wildcard, any
    /// case, accents ignored).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Brå's crime codes that are this offence.
    #[serde(default)]
    pub codes: Vec<String>,
}

impl HarmTable {
    /// Parses and checks a table: positive floors, minimum ≤ maximum, finite weights,
    /// codes Brå lists and no code under two offences.
    pub fn parse(text: &str) -> Result<HarmTable, Said> {
        let table: HarmTable = toml::from_str(text).map_err(|e| Said::not_toml(&e))?;
        for (what, days) in [
            ("fine_floor_days", table.fine_floor_days),
            ("fine_only_days", table.fine_only_days),
        ] {
            if !(days.is_finite() && days > 0.0) {
                return Err(Said::new(
                    format!("{what} = {days} måste vara ett tal större än 0 (ett brott som kan ge böter ska inte väga noll)"),
                    format!("{what} = {days} must be a number greater than 0 (an offence that can be fined must not weigh nothing)"),
                ));
            }
        }
        let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
        for o in &table.offences {
            if o.min_days > o.max_days && o.max_days > 0 {
                let (name, min, max) = (&o.name, o.min_days, o.max_days);
                return Err(Said::new(
                    format!("{name}: min_days {min} är större än max_days {max}"),
                    format!("{name}: min_days {min} is greater than max_days {max}"),
                ));
            }
            if let Some(w) = o.weight_days.filter(|w| !(w.is_finite() && *w >= 0.0)) {
                let name = &o.name;
                return Err(Said::new(
                    format!("{name}: weight_days = {w} måste vara ett tal ≥ 0"),
                    format!("{name}: weight_days = {w} must be a number ≥ 0"),
                ));
            }
            for code in &o.codes {
                if crate::model::brottskoder::lookup(code).is_none() {
                    let name = &o.name;
                    return Err(Said::new(
                        format!("{name}: brottskoden {code:?} finns inte i Brå:s kodlista (se `lagesbild codes`)"),
                        format!("{name}: the offence code {code:?} is not in Brå's code list (see `lagesbild codes`)"),
                    ));
                }
                if let Some(first) = owner.insert(code, &o.name) {
                    let name = &o.name;
                    return Err(Said::new(
                        format!("brottskoden {code} står under både {first} och {name}: en kod får bara ha en vikt"),
                        format!("the offence code {code} is under both {first} and {name}: a code may have one weight only"),
                    ));
                }
            }
        }
        Ok(table)
    }

    /// The compiled-in national default.
    pub fn embedded() -> HarmTable {
        HarmTable::parse(EMBEDDED).expect("the embedded harm table is valid")
    }

    /// The weight of `offence` in days: its own `weight_days`, else the chosen point of
    /// its scale, with the floors for scales that begin with a fine.
    pub fn weight(&self, offence: &HarmOffence) -> f64 {
        if let Some(w) = offence.weight_days {
            return w;
        }
        if offence.max_days == 0 {
            return self.fine_only_days;
        }
        let low = if offence.min_days == 0 {
            self.fine_floor_days
        } else {
            f64::from(offence.min_days)
        };
        match self.scale {
            Scale::Minimum => low,
            Scale::Midpoint => (low + f64::from(offence.max_days)) / 2.0,
        }
    }

    /// The offence named `name` (as the law names it).
    pub fn offence(&self, name: &str) -> Option<&HarmOffence> {
        self.offences.iter().find(|o| o.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &HarmTable, name: &str) -> f64 {
        t.weight(
            t.offence(name)
                .unwrap_or_else(|| panic!("{name} is in the table")),
        )
    }

    #[test]
    fn weights_are_monotone_where_the_law_grades_an_offence() {
        for scale in [Scale::Minimum, Scale::Midpoint] {
            let mut t = HarmTable::embedded();
            t.scale = scale;
            let chains: [&[&str]; 7] = [
                &["Mord", "Grov misshandel", "Misshandel", "Ringa misshandel"],
                &["Synnerligen grov misshandel", "Grov misshandel"],
                &["Grov stöld", "Stöld", "Ringa stöld"],
                &["Grovt rån", "Rån"],
                &["Grov skadegörelse", "Skadegörelse", "Ringa skadegörelse"],
                &[
                    "Grovt narkotikabrott",
                    "Narkotikabrott",
                    "Ringa narkotikabrott",
                ],
                &["Grovt rattfylleri", "Rattfylleri", "Olovlig körning"],
            ];
            for chain in chains {
                for pair in chain.windows(2) {
                    assert!(
                        w(&t, pair[0]) > w(&t, pair[1]),
                        "{scale:?}: {} ({}) > {} ({})",
                        pair[0],
                        w(&t, pair[0]),
                        pair[1],
                        w(&t, pair[1])
                    );
                }
            }
        }
    }

    #[test]
    fn the_default_weights_are_the_statutory_minimum_with_the_fine_floors() {
        let t = HarmTable::embedded();
        assert_eq!(t.offences.len(), 70);
        // Mord: lägst tio år (BrB 3:1) = 3 650 days.
        assert_eq!(w(&t, "Mord"), 3650.0);
        // Grov misshandel: lägst ett år och sex månader (BrB 3:6) = 545 days.
        assert_eq!(w(&t, "Grov misshandel"), 545.0);
        // Misshandel: the general minimum of one month (26:1 BrB).
        assert_eq!(w(&t, "Misshandel"), 30.0);
        // Fines in the scale: the floor; fines only: the lower floor.
        assert_eq!(w(&t, "Ringa stöld"), 14.0);
        assert_eq!(w(&t, "Vårdslöshet i trafik"), 7.0);
        let mut mid = t.clone();
        mid.scale = Scale::Midpoint;
        // (545 + 2 190) / 2.
        assert_eq!(w(&mid, "Grov misshandel"), 1367.5);
        // (14 + 180) / 2: the floor stands in for the minimum.
        assert_eq!(w(&mid, "Ringa misshandel"), 97.0);
    }

    #[test]
    fn bad_tables_are_refused_with_the_reason() {
        let row = |extra: &str| {
            format!(
                "scale = \"minimum\"\nfine_floor_days = 14\nfine_only_days = 7\n[[offence]]\nname = \"X\"\nlaw = \"BrB\"\nmin_days = 30\nmax_days = 730\nfines = false\n{extra}"
            )
        };
        assert!(HarmTable::parse(&row("")).is_ok());
        let e = HarmTable::parse(&row("codes = [\"9999\"]")).unwrap_err();
        assert!(
            e.sv.contains("9999") && e.en.contains("not in Brå's code list"),
            "{e}"
        );
        let e = HarmTable::parse(&row("weight_days = -1")).unwrap_err();
        assert!(e.sv.contains("weight_days"), "{e}");
        let e = HarmTable::parse(&row("codes = [\"0855\"]\n[[offence]]\nname = \"Y\"\nlaw = \"BrB\"\nmin_days = 0\nmax_days = 0\nfines = true\ncodes = [\"0855\"]")).unwrap_err();
        assert!(e.sv.contains("0855") && e.sv.contains("Y"), "{e}");
        let zero = row("").replace("fine_only_days = 7", "fine_only_days = 0");
        assert!(HarmTable::parse(&zero).is_err());
        assert!(HarmTable::parse(&row("colour = 1")).is_err());
    }
}
