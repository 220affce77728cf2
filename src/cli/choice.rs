//! The choices of the command line (`--lang`, `--format`, `--by` …) as clap value
//! enums, each turning into the library's own type: clap stays out of the library.

/// A command-line choice mirroring a library enum, variant for variant.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident => $target:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        #[value(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$name> for $target {
            fn from(choice: $name) -> Self {
                match choice {
                    $($name::$variant => <$target>::$variant),+
                }
            }
        }
    };
}

choice! {
    /// Output language.
    Lang => crate::lang::Lang {
        /// Svenska.
        Sv,
        /// English.
        En,
    }
}

choice! {
    /// Output format of a table.
    TableFormat => crate::render::TableFormat {
        /// CSV.
        Csv,
        /// JSON: an array of objects, one per row.
        Json,
        /// Apache Parquet.
        Parquet,
    }
}

choice! {
    /// CSV dialect.
    CsvDialect => crate::render::CsvDialect {
        /// `;`, decimal comma, UTF-8 with BOM: what Swedish Excel opens directly.
        Excel,
        /// `,`, decimal point, no BOM: for programs.
        Plain,
    }
}

choice! {
    /// The period a count is made over.
    Period => crate::analysis::period::Period {
        /// Calendar year (`2025`).
        Year,
        /// Quarter (`2025-Q1`).
        Quarter,
        /// Month (`2025-03`).
        Month,
        /// ISO 8601 week (`2025-W09`).
        Week,
        /// The 12 months ending with the named month.
        Rolling12,
    }
}

choice! {
    /// A dimension to count by.
    Dim => crate::analysis::aggregate::Dim {
        /// The priority area (an incident counts once in each of its areas).
        PriorityArea,
        /// The offence or event type as written.
        Offence,
        /// The resolved place.
        Place,
        /// The reporting source.
        Source,
    }
}

choice! {
    /// A dimension to break survey results down by.
    SurveyDim => crate::analysis::survey::SurveyDim {
        /// Place.
        Place,
        /// Survey year.
        Year,
        /// Gender as answered.
        Gender,
        /// Age band (16–24, 25–44, 45–64, 65+).
        AgeBand,
    }
}
