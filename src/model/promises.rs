//! Medborgarlöften: the promises police and municipality make from the lägesbild, with
//! their activities and the indicators by which they are followed up
//! (`medborgarloften.toml`, docs/data-formats.md).

use serde::Deserialize;

use crate::model::said::Said;

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
    pub fn parse(s: &str) -> Result<Months, Said> {
        let s = s.trim();
        let month = |t: &str| -> Result<((i32, u32), (i32, u32)), Said> {
            let t = t.trim();
            match t.split_once('-') {
                None => {
                    let y: i32 = t.parse().map_err(|_| {
                        Said::new(format!("'{t}' är inget år"), format!("'{t}' is not a year"))
                    })?;
                    Ok(((y, 1), (y, 12)))
                }
                Some((y, m)) => {
                    let not_month = || {
                        Said::new(
                            format!("'{t}' är ingen månad (ÅÅÅÅ-MM)"),
                            format!("'{t}' is not a month (YYYY-MM)"),
                        )
                    };
                    let y: i32 = y.parse().map_err(|_| not_month())?;
                    let m: u32 = m.parse().map_err(|_| not_month())?;
                    if !(1..=12).contains(&m) {
                        return Err(Said::new(
                            format!("'{t}': månaden måste vara 01–12"),
                            format!("'{t}': the month must be 01–12"),
                        ));
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
            return Err(Said::new(
                format!("'{s}': åren måste ligga mellan 1900 och 2100"),
                format!("'{s}': the years must lie between 1900 and 2100"),
            ));
        }
        if last < first {
            return Err(Said::new(
                format!("'{s}': slutet ligger före början"),
                format!("'{s}': the end lies before the beginning"),
            ));
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
        // Inside the TOML parser's own message, which is in English.
        Months::parse(&text).map_err(|e| serde::de::Error::custom(e.en))
    }
}

impl Promises {
    /// Parses and checks a promises file: unique ids, baseline and follow-up of the
    /// same length, a survey indicator names its item, places that exist (`known`).
    pub fn parse(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Promises, Said> {
        let p: Promises = toml::from_str(text).map_err(|e| Said::not_toml(&e))?;
        let mut ids = std::collections::BTreeSet::new();
        for promise in &p.promises {
            if !ids.insert(promise.id.as_str()) {
                let id = &promise.id;
                return Err(Said::new(
                    format!("löftet '{id}' finns två gånger"),
                    format!("the promise '{id}' is there twice"),
                ));
            }
            let mut indicator_ids = std::collections::BTreeSet::new();
            for place in &promise.places {
                if !known(place) {
                    let id = &promise.id;
                    return Err(Said::new(
                        format!("löftet '{id}': platsen '{place}' finns inte i ortsregistret"),
                        format!("the promise '{id}': the place '{place}' is not in the gazetteer"),
                    ));
                }
            }
            for i in &promise.indicators {
                let (id, indicator) = (&promise.id, &i.id);
                let at = format!("löftet '{id}', indikatorn '{indicator}'");
                let at_en = format!("the promise '{id}', indicator '{indicator}'");
                if !indicator_ids.insert(i.id.as_str()) {
                    return Err(Said::new(
                        format!("{at} finns två gånger"),
                        format!("{at_en} is there twice"),
                    ));
                }
                if i.baseline.len() != i.followup.len() {
                    let (base, base_n) = (i.baseline.label(), i.baseline.len());
                    let (follow, follow_n) = (i.followup.label(), i.followup.len());
                    return Err(Said::new(
                        format!("{at}: basperioden {base} ({base_n} månader) och uppföljningen {follow} ({follow_n} månader) måste vara lika långa, så att samma månader jämförs"),
                        format!("{at_en}: the baseline {base} ({base_n} months) and the follow-up {follow} ({follow_n} months) must be equally long, so that the same months are compared"),
                    ));
                }
                if i.followup.first <= i.baseline.last {
                    let (base, follow) = (i.baseline.label(), i.followup.label());
                    return Err(Said::new(
                        format!(
                            "{at}: uppföljningen {follow} måste ligga efter basperioden {base}"
                        ),
                        format!(
                            "{at_en}: the follow-up {follow} must lie after the baseline {base}"
                        ),
                    ));
                }
                if i.kind == IndicatorKind::Survey && i.item.is_none() {
                    return Err(Said::new(
                        format!("{at}: en enkätindikator (kind = \"survey\") behöver item = \"…\" (frågans id i survey.toml)"),
                        format!("{at_en}: a survey indicator (kind = \"survey\") needs item = \"…\" (the question's id in survey.toml)"),
                    ));
                }
                if let Some(place) = i.places.iter().chain(&i.controls).find(|p| !known(p)) {
                    return Err(Said::new(
                        format!("{at}: platsen '{place}' finns inte i ortsregistret"),
                        format!("{at_en}: the place '{place}' is not in the gazetteer"),
                    ));
                }
                if let Some(place) = i.controls.iter().find(|c| i.places.contains(c)) {
                    return Err(Said::new(
                        format!("{at}: '{place}' kan inte vara både insatsplats och jämförelseplats"),
                        format!("{at_en}: '{place}' cannot be both a place of the effort and a comparison place"),
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
            .sv
            .contains("lika långa"));
        let typo = file.replace("direction", "riktning");
        assert!(Promises::parse(&typo, &ok).is_err());
        let unknown = |p: &str| p != "Karstorp";
        assert!(Promises::parse(file, &unknown)
            .unwrap_err()
            .sv
            .contains("Karstorp"));
    }
}
