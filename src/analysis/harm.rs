//! The harm of incidents: each incident's weight in days from the harm table
//! ([`HarmTable`]), by its Brå code where the table knows it, else by its offence text.
//! The weight is worked out once per distinct offence text and code and joined back,
//! so the cost does not grow with the number of incidents.

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
/// and code).
pub fn with_harm(incidents: &DataFrame, table: &HarmTable) -> PolarsResult<DataFrame> {
    let weights = HarmWeights::new(table);
    let keys = incidents
        .clone()
        .lazy()
        .select([col("offence"), col("offence_code")])
        .unique_stable(None, UniqueKeepStrategy::First)
        .collect()?;
    let (offence, code) = (
        keys.column("offence")?.str()?,
        keys.column("offence_code")?.str()?,
    );
    let days: Vec<Option<f64>> = (0..keys.height())
        .map(|i| match weights.of(offence.get(i), code.get(i)) {
            Weighed::Days(d, _) => Some(d),
            Weighed::NotAnOffence => Some(0.0),
            Weighed::Unknown => None,
        })
        .collect();
    let mut map = keys;
    map.with_column(Column::new("_harm_days".into(), days))?;
    let on = [col("offence"), col("offence_code")];
    // A missing text or code is a key like any other; the incidents keep their order.
    let mut args = JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns);
    args.nulls_equal = true;
    args.maintain_order = MaintainOrderJoin::Left;
    // Only the columns the weight needs are joined, and the weight is put beside the
    // incidents: joining the incidents would copy every column of every row.
    let harm = incidents
        .clone()
        .lazy()
        .select([col("offence"), col("offence_code"), col("count")])
        .join(map.lazy(), on.clone(), on, args)
        .select([(col("count").cast(DataType::Float64) * col("_harm_days")).alias(HARM)])
        .collect()?;
    incidents.hstack(harm.columns())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "offence" => [Some("Misshandel"), Some("Stöld"), Some("Okänt"), None, Some("Trafikolycka")],
            "offence_code" => [None, None, None, Some("0375"), None::<&str>],
            "count" => [1i64, 3, 1, 2, 1],
        )
        .unwrap();
        let out = with_harm(&df, &HarmTable::embedded()).unwrap();
        let harm: Vec<Option<f64>> = out.column(HARM).unwrap().f64().unwrap().iter().collect();
        assert_eq!(
            harm,
            vec![Some(30.0), Some(90.0), None, Some(1090.0), Some(0.0)]
        );
    }
}
