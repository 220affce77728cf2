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

impl Lang {
    /// Chooses between a Swedish and an English text.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}
