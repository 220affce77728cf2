//! The survey definition: the questions (items) of a safety survey, their answer
//! scales, which answers count as the "problem" answer, which mean "vet ej"/missing,
//! and the answer-to-score mapping of the problem index.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::said::Said;

/// A whole survey definition file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// About the survey.
    pub survey: SurveyInfo,
    /// The items, in report order.
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

/// About the survey.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyInfo {
    /// The survey's name, shown in reports.
    pub name: String,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Column name of the item in response files.
    pub id: String,
    /// The question as asked.
    pub text: String,
    /// A short name for tables and charts ("Otrygg ute sent"); the question when left
    /// out.
    #[serde(default)]
    pub label: Option<String>,
    /// Answer code → answer label.
    pub scale: BTreeMap<String, String>,
    /// Codes that count as the problem answer (e.g. ganska/mycket otrygg).
    pub problem: Vec<i64>,
    /// Codes that are no answer ("vet ej"), left out of the denominator.
    #[serde(default)]
    pub missing: Vec<i64>,
    /// Code → score for the problem index (e.g. the police's 0–6 scale).
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
}

impl Item {
    /// The short name, or the question when there is none.
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.text)
    }

    /// Answer codes of the scale, as numbers.
    pub fn codes(&self) -> Vec<i64> {
        self.scale.keys().filter_map(|k| k.parse().ok()).collect()
    }
}

impl SurveyDefinition {
    /// Parses a definition. Every code in `problem`, `missing` and `scores` must be on
    /// the item's scale, a code cannot be both a problem answer and missing, item ids
    /// must be unique, and scale codes must be whole numbers.
    pub fn parse(toml_text: &str) -> Result<Self, Said> {
        let def: SurveyDefinition = toml::from_str(toml_text).map_err(|e| Said::not_toml(&e))?;
        let mut ids = std::collections::HashSet::new();
        for item in &def.items {
            if !ids.insert(crate::text::fold_key(&item.id)) {
                let id = &item.id;
                return Err(Said::new(
                    format!("frågan '{id}' finns två gånger"),
                    format!("the question '{id}' is there twice"),
                ));
            }
            if let Some(bad) = item.scale.keys().find(|k| k.parse::<i64>().is_err()) {
                let id = &item.id;
                return Err(Said::new(
                    format!("{id}: svarskoden '{bad}' är inget heltal"),
                    format!("{id}: the answer code '{bad}' is not a whole number"),
                ));
            }
            let codes = item.codes();
            let scored: Vec<i64> = item.scores.keys().filter_map(|k| k.parse().ok()).collect();
            for (what, list) in [
                ("problem", &item.problem),
                ("missing", &item.missing),
                ("scores", &scored),
            ] {
                if let Some(c) = list.iter().find(|c| !codes.contains(c)) {
                    let id = &item.id;
                    return Err(Said::new(
                        format!("{id}: {what} nämner koden {c}, som inte finns i svarsskalan"),
                        format!(
                            "{id}: {what} names the code {c}, which is not on the answer scale"
                        ),
                    ));
                }
            }
            if item.scores.len() != scored.len() {
                let id = &item.id;
                return Err(Said::new(
                    format!("{id}: scores har en kod som inte är ett heltal"),
                    format!("{id}: scores has a code that is not a whole number"),
                ));
            }
            if let Some(c) = item.problem.iter().find(|c| item.missing.contains(c)) {
                let id = &item.id;
                return Err(Said::new(
                    format!("{id}: koden {c} kan inte vara både problemsvar och saknat svar"),
                    format!(
                        "{id}: the code {c} cannot be both a problem answer and a missing answer"
                    ),
                ));
            }
            if item.problem.is_empty() {
                let id = &item.id;
                return Err(Said::new(
                    format!("{id}: ange minst ett problemsvar (problem = [...])"),
                    format!("{id}: name at least one problem answer (problem = [...])"),
                ));
            }
        }
        Ok(def)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in docs/data-formats.md, which must stay valid.
    fn documented_example() -> String {
        let doc = include_str!("../../docs/data-formats.md");
        let start = doc
            .find("```toml\n[survey]")
            .expect("survey example in the docs")
            + "```toml\n".len();
        let end = start + doc[start..].find("```").unwrap();
        doc[start..end].to_owned()
    }

    #[test]
    fn documented_example_parses() {
        let def = SurveyDefinition::parse(&documented_example()).unwrap();
        assert_eq!(def.items.len(), 2);
        let item = &def.items[0];
        assert_eq!(item.id, "otrygg_kvall");
        assert_eq!(item.problem, [3, 4]);
        assert_eq!(item.missing, [9]);
        assert_eq!(item.codes(), [1, 2, 3, 4, 5, 9]);
        assert_eq!(def.items[1].scores.get("4"), Some(&6.0));
    }

    #[test]
    fn codes_outside_the_scale_are_errors() {
        let bad = documented_example().replacen("problem = [3, 4]", "problem = [3, 7]", 1);
        assert!(SurveyDefinition::parse(&bad)
            .unwrap_err()
            .sv
            .contains("koden 7"));
        let both = documented_example().replacen("problem = [3, 4]", "problem = [3, 9]", 1);
        assert!(SurveyDefinition::parse(&both)
            .unwrap_err()
            .sv
            .contains("både problemsvar"));
    }
}
