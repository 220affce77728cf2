//! The municipality beside its county and the country, from Brå's tables of reported
//! crimes: rate per 100 000 inhabitants for each year and crime category the tables
//! give.

use std::collections::BTreeMap;

use crate::model::bra::{AreaKey, BraRow, BraTable};
use crate::model::sweden::sweden;

/// How a county or national rate was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Method {
    /// The table gives it.
    Given,
    /// Summed counts over summed populations, each population implied by the table's
    /// own count and rate (count / rate × 100 000): Brå's populations, not ours.
    SummedCounts,
    /// Rates weighted by SCB's 2024 populations, because the table gives rates only.
    WeightedRates,
}

impl Method {
    /// A short Swedish and English description.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Method::Given => ("ur tabellen", "from the table"),
            Method::SummedCounts => (
                "summa över kommunerna (antal / befolkning som tabellen anger)",
                "sum over the municipalities (count / population implied by the table)",
            ),
            Method::WeightedRates => (
                "medel av kommunernas tal vägt med folkmängd 2024",
                "mean of the municipalities' rates weighted by 2024 population",
            ),
        }
    }
}

/// A rate over a group of municipalities.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GroupRate {
    /// Reported crimes per 100 000 inhabitants.
    pub rate: f64,
    /// Reported crimes, when known.
    pub count: Option<f64>,
    /// How it was obtained.
    pub method: Method,
    /// Municipalities it covers (0 when given by the table).
    pub municipalities: usize,
}

/// One line of the comparison: the municipality, its county and the country for one
/// year and crime category.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Year, when the table says.
    pub year: Option<i32>,
    /// Crime category, when the table has one ("samtliga brott" otherwise).
    pub category: Option<String>,
    /// The municipality's reported crimes.
    pub count: Option<f64>,
    /// The municipality's rate per 100 000 (`None` when the table lacks it).
    pub rate: Option<f64>,
    /// The county.
    pub county: Option<GroupRate>,
    /// The country.
    pub country: Option<GroupRate>,
    /// The municipality's place among the county's municipalities by rate (1 = highest),
    /// and how many were ranked.
    pub rank_in_county: Option<(usize, usize)>,
}

/// The comparison for municipality `code`, one line per year and category the tables
/// give for it, in year and category order.
pub fn compare(table: &BraTable, code: &str) -> Vec<Comparison> {
    let Some(kommun) = sweden().by_code(code) else {
        return Vec::new();
    };
    let county_code = kommun.county_code();
    let mut groups: BTreeMap<(Option<i32>, Option<String>), Vec<&BraRow>> = BTreeMap::new();
    for row in &table.rows {
        groups
            .entry((row.year, row.category.clone()))
            .or_default()
            .push(row);
    }
    groups
        .into_iter()
        .filter_map(|((year, category), rows)| {
            let own = rows
                .iter()
                .find(|r| r.area == AreaKey::Kommun(code.to_owned()))?;
            let in_county = |r: &&&BraRow| {
                matches!(&r.area, AreaKey::Kommun(c) if sweden().by_code(c).is_some_and(|k| k.county_code() == county_code))
            };
            let municipalities = |r: &&&BraRow| matches!(r.area, AreaKey::Kommun(_));
            let county_rows: Vec<&BraRow> = rows.iter().filter(in_county).copied().collect();
            let all_rows: Vec<&BraRow> = rows.iter().filter(municipalities).copied().collect();
            let given = |key: AreaKey| {
                rows.iter().find(|r| r.area == key).and_then(|r| {
                    Some(GroupRate {
                        rate: r.rate?,
                        count: r.count,
                        method: Method::Given,
                        municipalities: 0,
                    })
                })
            };
            Some(Comparison {
                year,
                category,
                count: own.count,
                rate: own.rate.or_else(|| {
                    Some(own.count? / kommun.population as f64 * 100_000.0)
                }),
                county: given(AreaKey::County(county_code.to_owned()))
                    .or_else(|| group_rate(&county_rows)),
                country: given(AreaKey::Country).or_else(|| group_rate(&all_rows)),
                rank_in_county: rank(&county_rows, code),
            })
        })
        .collect()
}

/// The rate of a group of municipalities: summed counts over implied populations when
/// every row has both, else rates weighted by population.
fn group_rate(rows: &[&BraRow]) -> Option<GroupRate> {
    if rows.is_empty() {
        return None;
    }
    let both: Option<Vec<(f64, f64)>> = rows
        .iter()
        .map(|r| Some((r.count?, r.rate?)).filter(|(_, rate)| *rate > 0.0))
        .collect();
    if let Some(both) = both {
        let count: f64 = both.iter().map(|(c, _)| c).sum();
        let population: f64 = both.iter().map(|(c, r)| c / r * 100_000.0).sum();
        return Some(GroupRate {
            rate: count / population * 100_000.0,
            count: Some(count),
            method: Method::SummedCounts,
            municipalities: rows.len(),
        });
    }
    let weighted: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|r| {
            let AreaKey::Kommun(code) = &r.area else {
                return None;
            };
            Some((r.rate?, sweden().by_code(code)?.population as f64))
        })
        .collect();
    let population: f64 = weighted.iter().map(|(_, p)| p).sum();
    (population > 0.0).then(|| GroupRate {
        rate: weighted.iter().map(|(r, p)| r * p).sum::<f64>() / population,
        count: None,
        method: Method::WeightedRates,
        municipalities: weighted.len(),
    })
}

/// Where municipality `code` ranks by rate among `rows` (1 = highest rate).
fn rank(rows: &[&BraRow], code: &str) -> Option<(usize, usize)> {
    let own = rows
        .iter()
        .find(|r| r.area == AreaKey::Kommun(code.to_owned()))?
        .rate?;
    let rated: Vec<f64> = rows.iter().filter_map(|r| r.rate).collect();
    Some((rated.iter().filter(|r| **r > own).count() + 1, rated.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, count: Option<f64>, rate: Option<f64>) -> BraRow {
        BraRow {
            area: AreaKey::Kommun(code.into()),
            year: Some(2021),
            category: None,
            count,
            rate,
            file: 0,
            line: 2,
        }
    }

    #[test]
    fn county_and_country_from_counts_use_the_tables_own_populations() {
        // Västervik 100 crimes at 500 per 100 000 (20 000 inhabitants), Kalmar 300 at
        // 1 000 (30 000): county (100 + 300) / 50 000 = 800 per 100 000.
        let table = BraTable {
            rows: vec![
                row("0883", Some(100.0), Some(500.0)),
                row("0880", Some(300.0), Some(1000.0)),
                row("0180", Some(600.0), Some(2000.0)),
            ],
            ..Default::default()
        };
        let c = &compare(&table, "0883")[0];
        let county = c.county.unwrap();
        assert!((county.rate - 800.0).abs() < 1e-9);
        assert_eq!(
            (county.method, county.municipalities),
            (Method::SummedCounts, 2)
        );
        let country = c.country.unwrap();
        assert!((country.rate - 1000.0 / 80_000.0 * 100_000.0).abs() < 1e-9);
        assert_eq!(c.rank_in_county, Some((2, 2)));
    }

    #[test]
    fn rates_only_are_weighted_by_population_and_given_rows_win() {
        let mut table = BraTable {
            rows: vec![
                row("0883", None, Some(600.0)),
                row("0880", None, Some(400.0)),
            ],
            ..Default::default()
        };
        let c = &compare(&table, "0883")[0];
        let (v, k) = (36_398.0, 72_744.0);
        let expected = (600.0 * v + 400.0 * k) / (v + k);
        let county = c.county.unwrap();
        assert!((county.rate - expected).abs() < 1e-9, "{}", county.rate);
        assert_eq!(county.method, Method::WeightedRates);
        table.rows.push(BraRow {
            area: AreaKey::County("08".into()),
            ..row("0883", None, Some(612.0))
        });
        let c = &compare(&table, "0883")[0];
        assert_eq!(c.county.unwrap().rate, 612.0);
        assert_eq!(c.county.unwrap().method, Method::Given);
        assert!(compare(&table, "0114").is_empty());
    }
}
