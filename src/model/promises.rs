//! Medborgarlöften: the promises police and municipality make from the lägesbild, with
//! their activities and the indicators by which they are followed up
//! (`medborgarloften.toml`, docs/data-formats.md).

use serde::Deserialize;

/// A whole promises file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promises {
    /// The promises, in the file's order.
    #[serde(default, rename = "promise")]
    pub promises: Vec<Promise>,
}

/// One promise.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promise {
    /// Short id (letters, digits, -), unique in the file.
    pub id: String,
    /// Title ("Färre bränder i Karstorp").
    pub title: String,
    /// The promise as written to the citizens.
    #[serde(default)]
    pub text: String,
    /// Places the promise is about.
    #[serde(default)]
    pub places: Vec<String>,
    /// Priority areas (slugs) the promise belongs to.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Who is responsible ("Polisen", "Västerviks kommun" …).
    #[serde(default)]
    pub responsible: Vec<String>,
    /// The day work on the promise began.
    pub start: chrono::NaiveDate,
    /// What is done.
    #[serde(default, rename = "activity")]
    pub activities: Vec<Activity>,
    /// How it is followed up.
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<Indicator>,
}

/// Something the parties do for a promise.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// What.
    pub text: String,
    /// Who does it.
    #[serde(default)]
    pub responsible: Option<String>,
    /// How many times it is planned.
    #[serde(default)]
    pub planned: Option<u32>,
    /// How many times it was done (left out until known).
    #[serde(default)]
    pub delivered: Option<u32>,
}

/// What an indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Incidents of the project's exports.
    Incidents,
    /// The share of problem answers to a survey item.
    Survey,
    /// The police's published events (polisen.se).
    Events,
}

/// The direction a promise wants an indicator to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Fewer incidents or a smaller share is better.
    Decrease,
    /// More (e.g. a share who feel safe) is better.
    Increase,
}

/// One indicator of a promise.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Short id, unique within the promise.
    pub id: String,
    /// What it counts.
    pub kind: IndicatorKind,
    /// Offence or event types (as written, `*` as wildcard, any case); empty = all.
    #[serde(default)]
    pub offences: Vec<String>,
    /// Priority areas (slugs); empty = all.
    #[serde(default)]
    pub areas: Vec<String>,
    /// The survey item (id in survey.toml), for `kind = "survey"`.
    #[serde(default)]
    pub item: Option<String>,
    /// Places; empty = the whole municipality.
    #[serde(default)]
    pub places: Vec<String>,
    /// The period before: a year ("2024") or months ("2024-01..2024-12").
    pub baseline: Months,
    /// The period followed up, of the same length.
    pub followup: Months,
    /// Which way is better.
    pub direction: Direction,
    /// Comparison places (adjacent or similar places without the effort).
    #[serde(default)]
    pub controls: Vec<String>,
}

/// A run of whole months, first to last (both included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Months {
    /// (year, month) of the first month.
    pub first: (i32, u32),
    /// (year, month) of the last month.
    pub last: (i32, u32),
}

impl Months {
    /// Parses "2024", "2024-03" or "2024-01..2024-12".
    pub fn parse(s: &str) -> Result<Months, String> {
        let s = s.trim();
        let month = |t: &str| -> Result<((i32, u32), (i32, u32)), String> {
            let t = t.trim();
            match t.split_once('-') {
                None => {
                    let y: i32 = t.parse().map_err(|_| format!("'{t}' är inget år"))?;
                    Ok(((y, 1), (y, 12)))
                }
                Some((y, m)) => {
                    let y: i32 = y
                        .parse()
                        .map_err(|_| format!("'{t}' är ingen månad (ÅÅÅÅ-MM)"))?;
                    let m: u32 = m
                        .parse()
                        .map_err(|_| format!("'{t}' är ingen månad (ÅÅÅÅ-MM)"))?;
                    if !(1..=12).contains(&m) {
                        return Err(format!("'{t}': månaden måste vara 01–12"));
                    }
                    Ok(((y, m), (y, m)))
                }
            }
        };
        let (first, last) = match s.split_once("..") {
            Some((a, b)) => (month(a)?.0, month(b)?.1),
            None => month(s)?,
        };
        if !(1900..=2100).contains(&first.0) || !(1900..=2100).contains(&last.0) {
            return Err(format!("'{s}': åren måste ligga mellan 1900 och 2100"));
        }
        if last < first {
            return Err(format!("'{s}': slutet ligger före början"));
        }
        Ok(Months { first, last })
    }

    /// Number of months.
    pub fn len(self) -> u32 {
        let index = |(y, m): (i32, u32)| y * 12 + m as i32;
        (index(self.last) - index(self.first) + 1) as u32
    }

    /// Always false: a run has at least one month.
    pub fn is_empty(self) -> bool {
        false
    }

    /// Whether an incident in `year`/`month` falls in it.
    pub fn holds(self, year: i32, month: u32) -> bool {
        (year, month) >= self.first && (year, month) <= self.last
    }

    /// The first day.
    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.first.0, self.first.1, 1).unwrap_or_default()
    }

    /// The day after the last.
    pub fn end(self) -> chrono::NaiveDate {
        let (y, m) = if self.last.1 == 12 {
            (self.last.0 + 1, 1)
        } else {
            (self.last.0, self.last.1 + 1)
        };
        chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    /// A single calendar year.
    pub fn year(self) -> Option<i32> {
        (self.first == (self.first.0, 1) && self.last == (self.first.0, 12)).then_some(self.first.0)
    }

    /// "2024" or "2024-01..2024-06".
    pub fn label(self) -> String {
        match self.year() {
            Some(y) => y.to_string(),
            None if self.first == self.last => format!("{}-{:02}", self.first.0, self.first.1),
            None => format!(
                "{}-{:02}..{}-{:02}",
                self.first.0, self.first.1, self.last.0, self.last.1
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Months {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Year(i64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Year(y) => y.to_string(),
            Raw::Text(s) => s,
        };
        Months::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Promises {
    /// Parses and checks a promises file: unique ids, baseline and follow-up of the
    /// same length, a survey indicator names its item, places that exist (`known`).
    pub fn parse(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Promises, String> {
        let p: Promises = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut ids = std::collections::BTreeSet::new();
        for promise in &p.promises {
            if !ids.insert(promise.id.as_str()) {
                return Err(format!("löftet '{}' finns två gånger", promise.id));
            }
            let mut indicator_ids = std::collections::BTreeSet::new();
            for place in &promise.places {
                if !known(place) {
                    return Err(format!(
                        "löftet '{}': platsen '{place}' finns inte i ortsregistret",
                        promise.id
                    ));
                }
            }
            for i in &promise.indicators {
                let at = format!("löftet '{}', indikatorn '{}'", promise.id, i.id);
                if !indicator_ids.insert(i.id.as_str()) {
                    return Err(format!("{at} finns två gånger"));
                }
                if i.baseline.len() != i.followup.len() {
                    return Err(format!(
                        "{at}: basperioden {} ({} månader) och uppföljningen {} ({} månader) måste vara lika långa, så att samma månader jämförs",
                        i.baseline.label(),
                        i.baseline.len(),
                        i.followup.label(),
                        i.followup.len()
                    ));
                }
                if i.followup.first <= i.baseline.last {
                    return Err(format!(
                        "{at}: uppföljningen {} måste ligga efter basperioden {}",
                        i.followup.label(),
                        i.baseline.label()
                    ));
                }
                if i.kind == IndicatorKind::Survey && i.item.is_none() {
                    return Err(format!(
                        "{at}: en enkätindikator (kind = \"survey\") behöver item = \"…\" (frågans id i survey.toml)"
                    ));
                }
                if let Some(place) = i.places.iter().chain(&i.controls).find(|p| !known(p)) {
                    return Err(format!(
                        "{at}: platsen '{place}' finns inte i ortsregistret"
                    ));
                }
                if let Some(place) = i.controls.iter().find(|c| i.places.contains(c)) {
                    return Err(format!(
                        "{at}: '{place}' kan inte vara både insatsplats och jämförelseplats"
                    ));
                }
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_measure() {
        let y = Months::parse("2024").unwrap();
        assert_eq!(
            (y.len(), y.year(), y.label()),
            (12, Some(2024), "2024".into())
        );
        let h = Months::parse("2024-07..2025-06").unwrap();
        assert_eq!((h.len(), h.year()), (12, None));
        assert!(h.holds(2025, 6) && !h.holds(2025, 7) && !h.holds(2024, 6));
        assert_eq!(
            h.end(),
            chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()
        );
        assert!(Months::parse("2025..2024").is_err());
        assert!(Months::parse("2024-13").is_err());
    }

    #[test]
    fn a_promises_file_is_checked() {
        let ok = |_: &str| true;
        let file = r#"
[[promise]]
id = "a"
title = "Färre bränder"
start = "2025-01-01"
[[promise.indicator]]
id = "brand"
kind = "incidents"
offences = ["Brand"]
places = ["Karstorp"]
baseline = 2024
followup = "2025"
direction = "decrease"
"#;
        let p = Promises::parse(file, &ok).unwrap();
        assert_eq!(p.promises[0].indicators[0].baseline.year(), Some(2024));
        let uneven = file.replace("followup = \"2025\"", "followup = \"2025-01..2025-06\"");
        assert!(Promises::parse(&uneven, &ok)
            .unwrap_err()
            .contains("lika långa"));
        let typo = file.replace("direction", "riktning");
        assert!(Promises::parse(&typo, &ok).is_err());
        let unknown = |p: &str| p != "Karstorp";
        assert!(Promises::parse(file, &unknown)
            .unwrap_err()
            .contains("Karstorp"));
    }
}
