//! How much each kind of problem weighs when candidate problems for medborgarlöften
//! are ranked (`data/sverige/allvarsgrad.toml`, or the project's own table).

use serde::Deserialize;

use crate::model::said::Said;

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
    pub fn parse(text: &str) -> Result<Seriousness, Said> {
        let table: Seriousness = toml::from_str(text).map_err(|e| Said::not_toml(&e))?;
        let bad = |w: f64| !(w.is_finite() && w >= 0.0);
        if bad(table.default) {
            let default = table.default;
            return Err(Said::new(
                format!("default = {default} måste vara ett tal ≥ 0"),
                format!("default = {default} must be a number ≥ 0"),
            ));
        }
        if let Some(rule) = table.rules.iter().find(|r| bad(r.weight)) {
            let (weight, offences) = (rule.weight, &rule.offences);
            return Err(Said::new(
                format!("vikten {weight} för {offences:?} måste vara ett tal ≥ 0"),
                format!("the weight {weight} of {offences:?} must be a number ≥ 0"),
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
