//! The audit of a written report, from what its files say: every figure the manifest
//! names is read back from every file it stands in (CSV, the page's tables, the
//! workbook, the GeoJSON layer), and the published equations are rebuilt from the
//! marks and numbers found there, not from the code that chose them. Findings:
//!
//! * a count from 1 to k − 1 printed as a number;
//! * a hidden small count that all published figures together pin to one value
//!   (exact audit, [`super::audit`]);
//! * a value computed from a hidden count (a rate, a change, an assessment) printed;
//! * the same count printed differently in two places, or a cell that is neither a
//!   count nor a mark.
//!
//! A reader is taken to know what the marks say: "<k" is 1 … k − 1, ".." any count of
//! at least 1 (a zero is always shown).

use std::collections::BTreeMap;

use super::audit::{audit_guarded, AuditError, Equation, Known};
pub use crate::model::publication::Reading;
use crate::model::publication::{CellKey, Figure, Location, Manifest};

/// What the audit found.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// A count from 1 to k − 1 is printed.
    SmallShown {
        /// Where.
        file: String,
        /// Which cell.
        at: Location,
        /// The count.
        value: i64,
    },
    /// A hidden small count that the published figures together pin.
    Pinned {
        /// The count.
        key: CellKey,
        /// Where it stands (file, cell), first one.
        file: String,
        /// Which cell.
        at: Location,
        /// The least value the figures allow.
        low: f64,
        /// The greatest value.
        high: f64,
    },
    /// A value computed from a hidden count is printed.
    DerivedOfHidden {
        /// Where.
        file: String,
        /// Which cell.
        at: Location,
        /// What is printed.
        text: String,
    },
    /// The same count printed differently, or a cell that is no count or mark.
    Inconsistent {
        /// Where.
        file: String,
        /// Which cell.
        at: Location,
        /// What is printed.
        text: String,
        /// What was expected.
        expected: String,
    },
    /// A count never published (a sensitive area at a place) that the published
    /// figures pin to a value of at least 1.
    SecretWorkedOut {
        /// The count.
        key: CellKey,
        /// The least value the figures allow.
        low: f64,
        /// The greatest value.
        high: f64,
    },
    /// A figure the manifest names is not in a file that should hold it.
    Missing {
        /// The file.
        file: String,
        /// Which cell.
        at: Location,
    },
}

/// What a printed cell says of a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Count(i64),
    Small,
    Hidden,
}

fn parse(text: &str, k: i64) -> Option<Shown> {
    let t = text.trim();
    if t == format!("<{k}") {
        return Some(Shown::Small);
    }
    if t == ".." {
        return Some(Shown::Hidden);
    }
    // Counts are whole: thousands may be grouped by a (no-break) space, or in English
    // by a comma – but only in groups of three ("36,398"), never "2,5".
    let english_groups = t.contains(',')
        && t.split(',')
            .skip(1)
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && t.split(',')
            .next()
            .is_some_and(|g| (1..=3).contains(&g.trim_start_matches('-').len()));
    let digits: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && !(english_groups && *c == ','))
        .collect();
    let digits = digits.strip_suffix(".0").unwrap_or(&digits);
    digits.parse::<i64>().ok().map(Shown::Count)
}

/// Whether a printed cell shows a value (not a mark, not empty).
fn shows_value(text: &str, k: i64) -> bool {
    let t = text.trim();
    !(t.is_empty() || t == ".." || t == format!("<{k}"))
}

/// Audits the figures read back from a report's files against its manifest.
pub fn recheck(manifest: &Manifest, readings: &[Reading]) -> Result<Vec<Finding>, AuditError> {
    let k = manifest.threshold;
    let mut at_location: BTreeMap<&Location, Vec<&Reading>> = BTreeMap::new();
    for r in readings {
        at_location.entry(&r.at).or_default().push(r);
    }
    let files: Vec<&str> = {
        let mut f: Vec<&str> = readings.iter().map(|r| r.file.as_str()).collect();
        f.sort_unstable();
        f.dedup();
        f
    };
    let mut findings = Vec::new();
    // What the files together say of each count, and where it stands.
    let mut known: BTreeMap<&CellKey, (Shown, &Reading)> = BTreeMap::new();
    for figure in &manifest.figures {
        let Figure::Count(key) = &figure.figure else {
            continue;
        };
        let here = at_location.get(&figure.at).cloned().unwrap_or_default();
        for file in files.iter().filter(|f| holds(f, &figure.at)) {
            if !here.iter().any(|r| r.file == *file) {
                findings.push(Finding::Missing {
                    file: (*file).to_owned(),
                    at: figure.at.clone(),
                });
            }
        }
        for r in here {
            let Some(shown) = parse(&r.text, k) else {
                findings.push(Finding::Inconsistent {
                    file: r.file.clone(),
                    at: r.at.clone(),
                    text: r.text.clone(),
                    expected: format!("ett antal, \"<{k}\" eller \"..\""),
                });
                continue;
            };
            if let Shown::Count(n) = shown {
                if n >= 1 && n < k {
                    findings.push(Finding::SmallShown {
                        file: r.file.clone(),
                        at: r.at.clone(),
                        value: n,
                    });
                }
            }
            match known.get(key) {
                None => {
                    known.insert(key, (shown, r));
                }
                Some((before, first)) if *before != shown => {
                    findings.push(Finding::Inconsistent {
                        file: r.file.clone(),
                        at: r.at.clone(),
                        text: r.text.clone(),
                        expected: format!("{} (som i {})", first.text, first.file),
                    });
                    // The most a reader learns: a number beats a mark.
                    if matches!(shown, Shown::Count(_)) {
                        known.insert(key, (shown, r));
                    }
                }
                Some(_) => {}
            }
        }
    }
    for figure in &manifest.figures {
        let Figure::Derived(inputs) = &figure.figure else {
            continue;
        };
        let hidden = inputs.iter().any(|i| {
            known
                .get(i)
                .is_some_and(|(s, _)| !matches!(s, Shown::Count(_)))
        });
        if !hidden {
            continue;
        }
        for r in at_location.get(&figure.at).into_iter().flatten() {
            if shows_value(&r.text, k) {
                findings.push(Finding::DerivedOfHidden {
                    file: r.file.clone(),
                    at: r.at.clone(),
                    text: r.text.clone(),
                });
            }
        }
    }
    findings.extend(pinned(manifest, &known)?);
    Ok(findings)
}

/// Whether a file of this kind holds figures at this location.
fn holds(file: &str, at: &Location) -> bool {
    match at {
        Location::Table { table, .. } => {
            file.ends_with("index.html")
                || file.ends_with(".xlsx")
                || file.ends_with(&format!("{table}.csv"))
        }
        Location::Place { .. } => file.ends_with(".geojson"),
    }
}

/// The exact audit of the counts as read.
fn pinned(
    manifest: &Manifest,
    known: &BTreeMap<&CellKey, (Shown, &Reading)>,
) -> Result<Vec<Finding>, AuditError> {
    let k = manifest.threshold;
    // Atoms: every kind (set of areas × offence) × place × month of every year
    // published. A count takes the kinds, places and months it names: a product, so
    // its atoms are listed without testing every atom against every count.
    let mut years: Vec<i32> = known
        .keys()
        .copied()
        .chain(&manifest.secrets)
        .filter_map(|key| key.span.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    let kinds: Vec<(&[String], Option<&str>)> = if manifest.kinds.is_empty() {
        manifest
            .area_sets
            .iter()
            .map(|s| (s.as_slice(), None))
            .collect()
    } else {
        manifest
            .kinds
            .iter()
            .filter_map(|(s, o)| Some((manifest.area_sets.get(*s)?.as_slice(), o.as_deref())))
            .collect()
    };
    let (places, months) = (manifest.places.len(), years.len() * 12);
    let atom = |kind: usize, place: usize, month: usize| (kind * places + place) * months + month;
    let keys: Vec<&CellKey> = known
        .keys()
        .copied()
        .chain(manifest.secrets.iter().filter(|s| !known.contains_key(s)))
        .collect();
    let cells: Vec<Equation> = keys
        .iter()
        .map(|key| {
            let in_kinds: Vec<usize> = (0..kinds.len())
                .filter(|&i| key.counts_kind(kinds[i].0, kinds[i].1))
                .collect();
            let in_places: Vec<usize> = (0..places)
                .filter(|&p| key.place.as_ref().is_none_or(|x| *x == manifest.places[p]))
                .collect();
            let in_months: Vec<usize> = (0..months)
                .filter(|&i| key.span.holds(years[i / 12], (i % 12) as u32 + 1))
                .collect();
            let mut list = Vec::with_capacity(in_kinds.len() * in_places.len() * in_months.len());
            for &kd in &in_kinds {
                for &p in &in_places {
                    list.extend(in_months.iter().map(|&m| atom(kd, p, m)));
                }
            }
            Equation {
                atoms: list,
                known: match known.get(key).map(|k| k.0) {
                    Some(Shown::Count(n)) => Known::Exact(n),
                    Some(Shown::Small) => Known::Small { below: k },
                    // Zeros are always shown, so ".." is at least 1.
                    Some(Shown::Hidden) => Known::AtLeast(1),
                    None => Known::Secret,
                },
            }
        })
        .collect();
    let atoms = kinds.len() * places * months;
    let leaks = audit_guarded(atoms, &cells, None, |_| true)?;
    Ok(leaks
        .into_iter()
        .filter_map(|l| match known.get(keys[l.cell]) {
            Some((_, r)) => Some(Finding::Pinned {
                key: keys[l.cell].clone(),
                file: r.file.clone(),
                at: r.at.clone(),
                low: l.low,
                high: l.high,
            }),
            // A never-published count pinned at 0 tells nothing about anybody.
            None => (l.low >= 0.5).then(|| Finding::SecretWorkedOut {
                key: keys[l.cell].clone(),
                low: l.low,
                high: l.high,
            }),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_in_both_languages_and_decimals_are_no_counts() {
        let count = |t: &str| match parse(t, 3) {
            Some(Shown::Count(n)) => Some(n),
            _ => None,
        };
        assert_eq!(count("36\u{a0}398"), Some(36_398));
        assert_eq!(count("36,398"), Some(36_398));
        assert_eq!(count("1,234,567"), Some(1_234_567));
        assert_eq!(count("2,5"), None);
        assert_eq!(count("1,2"), None);
        assert_eq!(count("12"), Some(12));
    }
    use crate::model::publication::{Located, Span};

    fn manifest(figures: Vec<Located>) -> Manifest {
        Manifest {
            threshold: 3,
            area_sets: vec![
                vec!["alla".into(), "trafik".into()],
                vec!["alla".into(), "ovrigt".into()],
            ],
            kinds: Vec::new(),
            places: vec!["Gamleby".into(), "Edsbruk".into()],
            sheets: Default::default(),
            figures,
            secrets: Vec::new(),
        }
    }

    fn cell(row: usize, column: usize) -> Location {
        Location::Table {
            table: "t".into(),
            row,
            column,
        }
    }

    fn read(at: Location, text: &str) -> Reading {
        Reading {
            file: "tables/t.csv".into(),
            at,
            text: text.into(),
        }
    }

    /// The first counter-example of issue 11: 2 traffic offences in the municipality,
    /// both in Gamleby; the total hidden, its rate per 1 000 printed.
    #[test]
    fn a_rate_of_a_hidden_total_is_found() {
        let y = Span::Year(2025);
        let total = CellKey::municipality("trafik", y);
        let m = manifest(vec![
            Located {
                at: cell(0, 1),
                figure: Figure::Count(total.clone()),
            },
            Located {
                at: cell(0, 2),
                figure: Figure::Derived(vec![total]),
            },
        ]);
        let found = recheck(&m, &[read(cell(0, 1), "<3"), read(cell(0, 2), "0,05")]).unwrap();
        assert!(
            found
                .iter()
                .any(|f| matches!(f, Finding::DerivedOfHidden { text, .. } if text == "0,05")),
            "{found:?}"
        );
        let clean = recheck(&m, &[read(cell(0, 1), "<3"), read(cell(0, 2), "<3")]).unwrap();
        assert!(clean.is_empty(), "{clean:?}");
    }

    /// The second counter-example: a hidden area count at a place follows from the
    /// all-incidents count there minus the other areas.
    #[test]
    fn linked_tables_pin_a_hidden_count() {
        let y = Span::Year(2025);
        let traffic = CellKey::at("trafik", "Gamleby", y);
        let other = CellKey::at("ovrigt", "Gamleby", y);
        let all = CellKey::at("alla", "Gamleby", y);
        let m = manifest(vec![
            Located {
                at: cell(0, 0),
                figure: Figure::Count(traffic),
            },
            Located {
                at: cell(0, 1),
                figure: Figure::Count(other),
            },
            Located {
                at: cell(0, 2),
                figure: Figure::Count(all),
            },
        ]);
        let leaky = [
            read(cell(0, 0), "<3"),
            read(cell(0, 1), "32"),
            read(cell(0, 2), "34"),
        ];
        let found = recheck(&m, &leaky).unwrap();
        assert!(
            found.iter().any(|f| matches!(f, Finding::Pinned { low, high, .. } if (*low - 2.0).abs() < 1e-6 && (*high - 2.0).abs() < 1e-6)),
            "{found:?}"
        );
        let safe = [
            read(cell(0, 0), "<3"),
            read(cell(0, 1), ".."),
            read(cell(0, 2), "34"),
        ];
        assert!(recheck(&m, &safe).unwrap().is_empty());
    }

    /// Counts by offence: fires at Gamleby hidden, all incidents and thefts there
    /// shown. When fires and thefts are all there is, fires = 34 − 32 = 2 is pinned;
    /// with other offences besides (a kind with no offence named), it is not.
    #[test]
    fn counts_by_offence_pin_or_not_by_what_else_there_is() {
        let y = Span::Year(2025);
        let fire = CellKey::offence("alla", Some("Gamleby"), "Brand", y);
        let theft = CellKey::offence("alla", Some("Gamleby"), "Stöld", y);
        let all = CellKey::at("alla", "Gamleby", y);
        let mut m = manifest(
            [fire, theft, all]
                .into_iter()
                .enumerate()
                .map(|(c, key)| Located {
                    at: cell(0, c),
                    figure: Figure::Count(key),
                })
                .collect(),
        );
        let readings = [
            read(cell(0, 0), "<3"),
            read(cell(0, 1), "32"),
            read(cell(0, 2), "34"),
        ];
        m.kinds = vec![
            (0, Some("Brand".into())),
            (0, Some("Stöld".into())),
            (1, Some("Brand".into())),
            (1, Some("Stöld".into())),
        ];
        let found = recheck(&m, &readings).unwrap();
        assert!(
            found.iter().any(|f| matches!(f, Finding::Pinned { low, high, .. } if (*low - 2.0).abs() < 1e-6 && (*high - 2.0).abs() < 1e-6)),
            "{found:?}"
        );
        m.kinds.push((1, None));
        assert!(recheck(&m, &readings).unwrap().is_empty());
    }

    #[test]
    fn a_small_count_printed_and_a_disagreement_are_found() {
        let key = CellKey::municipality("trafik", Span::Year(2025));
        let m = manifest(vec![Located {
            at: cell(0, 0),
            figure: Figure::Count(key),
        }]);
        let mut html = read(cell(0, 0), "5");
        html.file = "index.html".into();
        let found = recheck(&m, &[read(cell(0, 0), "2"), html]).unwrap();
        assert!(found
            .iter()
            .any(|f| matches!(f, Finding::SmallShown { value: 2, .. })));
        assert!(found
            .iter()
            .any(|f| matches!(f, Finding::Inconsistent { .. })));
    }
}
