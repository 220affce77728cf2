//! A message in both languages, made where the language of the run is not known: an
//! error deep in reading a file or a project's reference tables. The command line
//! prints it in the run's language (`Said::in_lang`, `cli::message`); shown on its
//! own, it is Swedish.

/// A message in Swedish and in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// Svenska.
    pub sv: String,
    /// English.
    pub en: String,
}

impl Said {
    /// The message in Swedish and in English.
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Self {
        Said {
            sv: sv.into(),
            en: en.into(),
        }
    }

    /// The same message with `sv` and `en` put before it in each language (where in
    /// a file the fault lies, say).
    pub fn after(self, sv: &str, en: &str) -> Self {
        Said {
            sv: format!("{sv}{}", self.sv),
            en: format!("{en}{}", self.en),
        }
    }

    /// A file that is not TOML: the parser's own message (in English, with the line
    /// and column) under a heading in each language.
    pub fn not_toml(error: &dyn std::fmt::Display) -> Self {
        Said::new(
            format!("inte giltig TOML: {error}"),
            format!("not valid TOML: {error}"),
        )
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sv)
    }
}

impl std::error::Error for Said {}
