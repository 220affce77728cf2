//! The harm of incidents: each incident's weight in days from the harm table
//! ([`HarmTable`]), by its Brå code where the table knows it, else by its offence text.
//! The weight is worked out once per distinct offence code and once per distinct text,
//! and each incident looks its own up, so the weighing does not grow with the number
//! of incidents.

use polars::prelude::*;

use crate::analysis::classify::OffenceMatcher;
use crate::model::harm::HarmTable;

/// The column with each incident's harm: `count` × weight in days; 0 for an event
/// that is not an offence; null when the table has no weight for it.
pub const HARM: &str = "harm";

/// What the table says about one offence.
#[derive(Debug, Clone, PartialEq)]
pub enum Weighed {
    /// A weight in days, and the offence of the table (as the law names it).
    Days(f64, String),
    /// An event that is not an offence: weighs nothing.
    NotAnOffence,
    /// The table has no weight for it.
    Unknown,
}

/// The harm table compiled for matching.
pub struct HarmWeights<'a> {
    table: &'a HarmTable,
    /// (offence index, pattern, its length without wildcards), one per pattern.
    matchers: Vec<(usize, OffenceMatcher, usize)>,
    not_offences: OffenceMatcher,
}

impl<'a> HarmWeights<'a> {
    /// Compiles the patterns of `table`.
    pub fn new(table: &'a HarmTable) -> Self {
        HarmWeights {
            table,
            matchers: table
                .offences
                .iter()
                .enumerate()
                .flat_map(|(i, o)| {
                    o.patterns.iter().map(move |p| {
                        let literal = p.chars().filter(|c| *c != '*').count();
                        (i, OffenceMatcher::new(std::slice::from_ref(p)), literal)
                    })
                })
                .collect(),
            not_offences: OffenceMatcher::new(&table.not_offences),
        }
    }

    /// The weight of an incident with offence text `offence` and Brå code `code`: the
    /// code decides when the table lists it, else the offence with the most specific
    /// matching pattern (the most characters besides wildcards, so "inbrottsstöld"
    /// beats "inbrott*"; the table's order on a tie).
    pub fn of(&self, offence: Option<&str>, code: Option<&str>) -> Weighed {
        let by_code = code.map(str::trim).and_then(|c| {
            self.table
                .offences
                .iter()
                .find(|o| o.codes.iter().any(|k| k == c))
        });
        let by_text = || {
            let text = offence?;
            self.matchers
                .iter()
                .filter(|(_, m, _)| m.matches(text))
                .max_by(|a, b| a.2.cmp(&b.2).then(b.0.cmp(&a.0)))
                .map(|(i, _, _)| &self.table.offences[*i])
        };
        match by_code.or_else(by_text) {
            Some(o) => Weighed::Days(self.table.weight(o), o.name.clone()),
            None if offence.is_some_and(|t| self.not_offences.matches(t)) => Weighed::NotAnOffence,
            None => Weighed::Unknown,
        }
    }

    /// The weight in days of an offence type as written (no code): 0 for an event that
    /// is not an offence, `None` when unknown.
    pub fn days_of(&self, offence: &str) -> Option<f64> {
        match self.of(Some(offence), None) {
            Weighed::Days(d, _) => Some(d),
            Weighed::NotAnOffence => Some(0.0),
            Weighed::Unknown => None,
        }
    }
}

/// `incidents` with the [`HARM`] column added (`count` × the weight of its offence text
/// and code). `offences` are the offence texts of these same rows, in the same order,
/// as [`numbered_values`](crate::analysis::classify::numbered_values) gives them:
/// each distinct text is weighed once and given to its rows by their positions.
pub fn with_harm(
    incidents: &DataFrame,
    table: &HarmTable,
    offences: &(Series, IdxCa),
) -> PolarsResult<DataFrame> {
    let weights = HarmWeights::new(table);
    // A code the table knows decides; otherwise the text does (`HarmWeights::of`). So
    // each distinct code and each distinct text is weighed once, and every incident
    // looks its two up: one text column hashed per row, not a pair of texts.
    let by_code = weighed_values(incidents, "offence_code", |code| {
        match weights.of(None, Some(code)) {
            Weighed::Days(d, _) => Some(d),
            Weighed::NotAnOffence | Weighed::Unknown => None,
        }
    })?;
    let (texts, positions) = offences;
    polars_ensure!(
        positions.len() == incidents.height(),
        ShapeMismatch: "{} offence positions for {} incidents", positions.len(), incidents.height()
    );
    let by_text: Float64Chunked = texts
        .str()?
        .iter()
        .map(|t| t.and_then(|t| weights.days_of(t)))
        .collect();
    let mut counted = incidents.select(["count", "offence_code"])?;
    counted.with_column(
        by_text
            .take(positions)?
            .with_name("_by_text".into())
            .into_column(),
    )?;
    let harm = counted
        .lazy()
        .select([
            (col("count").cast(DataType::Float64) * coalesce(&[by_code, col("_by_text")]))
                .alias(HARM),
        ])
        .collect()?;
    incidents.hstack(harm.columns())
}

/// The weight of each row's value in `column`, each distinct value weighed once by
/// `weigh`: missing where the value is missing or `weigh` gives none.
fn weighed_values(
    incidents: &DataFrame,
    column: &str,
    weigh: impl Fn(&str) -> Option<f64>,
) -> PolarsResult<Expr> {
    let distinct = crate::analysis::occurring_values(incidents.column(column)?)
        .drop_nulls()
        .unique()?;
    let days: Float64Chunked = distinct.str()?.iter().map(|v| v.and_then(&weigh)).collect();
    Ok(crate::analysis::place::looked_up(
        column,
        &distinct,
        days.into_series(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `frame` with harm, its offence texts numbered as `prepare` numbers them.
    fn harmed(frame: &DataFrame, table: &HarmTable) -> DataFrame {
        let offences =
            crate::analysis::classify::numbered_values(frame.column("offence").unwrap()).unwrap();
        with_harm(frame, table, &offences).unwrap()
    }

    #[test]
    fn codes_decide_before_text_and_unknown_offences_stay_unweighted() {
        let table = HarmTable::embedded();
        let w = HarmWeights::new(&table);
        // 0375: "Grov missh, utomhus, mot kvinna …" weighs as grov misshandel whatever
        // the text says.
        assert_eq!(
            w.of(Some("Misshandel"), Some("0375")),
            Weighed::Days(545.0, "Grov misshandel".into())
        );
        assert_eq!(
            w.of(Some("MISSHANDEL"), None),
            Weighed::Days(30.0, "Misshandel".into())
        );
        assert_eq!(
            w.of(Some("Grov misshandel"), None),
            Weighed::Days(545.0, "Grov misshandel".into())
        );
        assert_eq!(w.of(Some("Trafikolycka"), None), Weighed::NotAnOffence);
        assert_eq!(w.of(Some("Fylleri/LOB"), None), Weighed::NotAnOffence);
        assert_eq!(w.of(Some("Något helt annat"), None), Weighed::Unknown);
        assert_eq!(w.of(None, None), Weighed::Unknown);
        assert_eq!(w.days_of("Brand"), Some(30.0));
        assert_eq!(w.days_of("Inbrott"), Some(180.0));
        // The most specific pattern wins, whatever the table's order.
        assert_eq!(w.days_of("Inbrottsstöld"), Some(365.0));
        assert_eq!(w.days_of("Inbrott i villa"), Some(365.0));
        assert_eq!(w.days_of("Stöld, grov"), Some(180.0));
        assert_eq!(w.days_of("Narkotikabrott (försäljning)"), Some(180.0));
    }

    /// Every pattern of the default table, read as text (wildcards dropped), weighs as
    /// its own offence: no pattern is shadowed by another offence's.
    #[test]
    fn every_pattern_reaches_its_own_offence() {
        let table = HarmTable::embedded();
        let w = HarmWeights::new(&table);
        for offence in &table.offences {
            for pattern in &offence.patterns {
                let text = pattern.replace('*', "");
                match w.of(Some(&text), None) {
                    Weighed::Days(_, name) => {
                        assert_eq!(name, offence.name, "{pattern:?} of {}", offence.name)
                    }
                    other => panic!("{pattern:?} of {}: {other:?}", offence.name),
                }
            }
        }
    }

    #[test]
    fn harm_is_count_times_weight_and_null_when_unknown() {
        let df = df!(
            "offence" => [Some("Misshandel"), Some("Stöld"), Some("Okänt"), None, Some("Trafikolycka"), Some("Stöld"), Some("Misshandel"), Some("Okänt")],
            "offence_code" => [None, None, None, Some("0375"), None, Some("0375"), Some("9999"), Some("9999")],
            "count" => [1i64, 3, 1, 2, 1, 1, 2, 1],
        )
        .unwrap();
        let out = harmed(&df, &HarmTable::embedded());
        let harm: Vec<Option<f64>> = out.column(HARM).unwrap().f64().unwrap().iter().collect();
        // A known code outweighs the text; an unknown code leaves it to the text.
        assert_eq!(
            harm,
            vec![
                Some(30.0),
                Some(90.0),
                None,
                Some(1090.0),
                Some(0.0),
                Some(545.0),
                Some(60.0),
                None
            ]
        );
        // Every row weighs as `HarmWeights::of` weighs its pair, also a padded code,
        // a known code beside a text that is no offence, a code the table lacks beside
        // no text, and columns of one distinct value.
        let table = HarmTable::embedded();
        let w = HarmWeights::new(&table);
        let pairs: [(Option<&str>, Option<&str>); 9] = [
            (Some("Misshandel"), Some(" 0375 ")),
            (Some("Trafikolycka"), Some("0375")),
            (Some("Trafikolycka"), None),
            (None, Some("9999")),
            (Some("Fylleri/LOB"), Some("9999")),
            (Some("Okänt"), Some("5011")),
            (Some("Stöld"), Some("")),
            (Some(""), None),
            (None, None),
        ];
        let expected =
            |(text, code): (Option<&str>, Option<&str>), count: i64| match w.of(text, code) {
                Weighed::Days(d, _) => Some(d * count as f64),
                Weighed::NotAnOffence => Some(0.0),
                Weighed::Unknown => None,
            };
        for rows in [&pairs[..], &pairs[..1], &pairs[2..3], &pairs[3..4]] {
            let frame = df!(
                "offence" => rows.iter().map(|p| p.0).collect::<Vec<_>>(),
                "offence_code" => rows.iter().map(|p| p.1).collect::<Vec<_>>(),
                "count" => (1..=rows.len() as i64).collect::<Vec<_>>(),
            )
            .unwrap();
            let out = harmed(&frame, &table);
            let harm: Vec<Option<f64>> = out.column(HARM).unwrap().f64().unwrap().iter().collect();
            let want: Vec<Option<f64>> =
                rows.iter().zip(1..).map(|(p, n)| expected(*p, n)).collect();
            assert_eq!(harm, want, "{rows:?}");
        }
        // Without any code (a column of missing values only), the texts weigh.
        let texts = df
            .head(Some(3))
            .lazy()
            .with_column(lit(NULL).cast(DataType::String).alias("offence_code"))
            .collect()
            .unwrap();
        let out = harmed(&texts, &HarmTable::embedded());
        let harm: Vec<Option<f64>> = out.column(HARM).unwrap().f64().unwrap().iter().collect();
        assert_eq!(harm, vec![Some(30.0), Some(90.0), None]);
    }
}
