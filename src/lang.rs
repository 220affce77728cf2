//! The language of everything a person reads: report text, labels, messages and
//! reasons for rejected rows. Swedish first; English on request (`--lang en`).

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    /// Svenska (default).
    #[default]
    Sv,
    /// English.
    En,
}

/// Codes that analysis writes into its results (verdicts, flags), with their words:
/// analysis stays the same whatever the language, and the words are put in when
/// results are shown.
const WORDS: [(&str, &str, &str); 13] = [
    ("increase", "ökning", "increase"),
    ("decrease", "minskning", "decrease"),
    (
        "no_clear_change",
        "ingen säker förändring",
        "no clear change",
    ),
    ("no_comparison", "ingen jämförelse", "no comparison"),
    ("increased", "ökat", "increased"),
    ("decreased", "minskat", "decreased"),
    ("too_few_answers", "för få svar", "too few answers"),
    (
        "answers_unknown",
        "antal svar saknas",
        "number of answers unknown",
    ),
    ("hidden", "dold", "hidden"),
    ("cannot_assess", "kan inte bedömas", "cannot be assessed"),
    ("improvement", "förbättring", "improvement"),
    ("deterioration", "försämring", "deterioration"),
    (
        "too_few_inhabitants",
        "för få invånare",
        "too few inhabitants",
    ),
];

impl Lang {
    /// The words for a result code ("increase" → "ökning"); an unknown code as it is.
    pub fn word(self, code: &str) -> &str {
        WORDS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or(code, |(_, sv, en)| self.pick(sv, en))
    }

    /// Every code with its words in this language.
    pub fn words(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        WORDS.iter().map(move |(c, sv, en)| (*c, self.pick(sv, en)))
    }

    /// The name of a place as shown: the two places that are no place of the register
    /// ([`crate::model::UNKNOWN_PLACE`], [`MUNICIPALITY_PLACE`]) in this
    /// language; every other name as it is (names are data, not words).
    ///
    /// [`MUNICIPALITY_PLACE`]: crate::model::MUNICIPALITY_PLACE
    pub fn place_name(self, place: &str) -> &str {
        use crate::model::{MUNICIPALITY_PLACE, UNKNOWN_PLACE};
        match (self, place) {
            (Lang::En, UNKNOWN_PLACE) => "unknown place",
            (Lang::En, MUNICIPALITY_PLACE) => "whole municipality (no locality)",
            _ => place,
        }
    }

    /// Chooses between a Swedish and an English text.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

pub use crate::model::said::Said;

impl Said {
    /// The message in `lang`.
    pub fn in_lang(&self, lang: Lang) -> &str {
        lang.pick(&self.sv, &self.en)
    }
}
