//! How much each kind of problem weighs when candidate problems for medborgarlöften
//! are ranked (`data/sverige/allvarsgrad.toml`, or the project's own table).

use serde::Deserialize;

/// The national default table, compiled in.
pub const EMBEDDED: &str = include_str!("../../data/sverige/allvarsgrad.toml");

/// A table of seriousness weights.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seriousness {
    /// Weight of an offence no rule matches.
    pub default: f64,
    /// Rules, first match wins.
    #[serde(default, rename = "weight")]
    pub rules: Vec<WeightRule>,
}

/// One rule of the table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightRule {
    /// Offence patterns (`*` wildcard, any case).
    pub offences: Vec<String>,
    /// The weight (0 or more).
    pub weight: f64,
    /// The survey item that measures worry about the same problem.
    #[serde(default)]
    pub survey_item: Option<String>,
    /// Why this weight: shown in the documentation and the suggestions.
    pub reason: String,
}

impl Seriousness {
    /// Parses and checks a table: weights are finite and not negative.
    pub fn parse(text: &str) -> Result<Seriousness, String> {
        let table: Seriousness = toml::from_str(text).map_err(|e| e.to_string())?;
        let bad = |w: f64| !(w.is_finite() && w >= 0.0);
        if bad(table.default) {
            return Err(format!(
                "default = {} måste vara ett tal ≥ 0",
                table.default
            ));
        }
        if let Some(rule) = table.rules.iter().find(|r| bad(r.weight)) {
            return Err(format!(
                "vikten {} för {:?} måste vara ett tal ≥ 0",
                rule.weight, rule.offences
            ));
        }
        Ok(table)
    }

    /// The compiled-in national default.
    pub fn embedded() -> Seriousness {
        Seriousness::parse(EMBEDDED).expect("the embedded weight table is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_parses_and_bad_weights_are_refused() {
        let t = Seriousness::embedded();
        assert!(t.rules.len() >= 8);
        assert!(Seriousness::parse("default = -1").is_err());
        assert!(Seriousness::parse(
            "default = 1\n[[weight]]\noffences = [\"x\"]\nweight = nan\nreason = \"\""
        )
        .is_err());
    }
}
