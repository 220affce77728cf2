//! The gate every published figure passes: [`Published`] is the only thing the
//! renderers print, and only this module makes one. A count of incidents becomes a
//! `Published` through a [`Gate`], which knows how the whole report's protection
//! ([`super::linked::protect`]) decided to show it; a value computed from counts (a
//! rate, a change, a verdict, a share, a chart bar) is shown only when every count it is
//! computed from is shown. Figures that are not counts of incidents (populations, rows
//! of a file, survey answers, events the police and statistics Brå already published)
//! pass with a stated [`Public`] reason, so a raw count cannot slip through unnoticed.

use std::collections::BTreeMap;

use super::linked::Status;

/// A figure as it may be published.
#[derive(Debug, Clone, PartialEq)]
pub struct Published(Inner);

#[derive(Debug, Clone, PartialEq)]
enum Inner {
    Count(i64),
    Number(f64, usize),
    PValue(f64),
    Text(String),
    Hidden(Mark),
    Empty,
}

/// Why a figure is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// A small count, or a value computed from one: "<k".
    Small(i64),
    /// Hidden to protect another count, or computed from such a count: "..".
    Protective,
    /// Not available for a reason stated in words ("för få svar", "..").
    Unavailable(String),
}

impl Mark {
    /// The mark as printed.
    pub fn text(&self) -> String {
        match self {
            Mark::Small(k) => format!("<{k}"),
            Mark::Protective => "..".to_owned(),
            Mark::Unavailable(s) => s.clone(),
        }
    }
}

/// What a renderer sees of a published figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View<'a> {
    /// A count.
    Count(i64),
    /// A measured value with the decimals to show.
    Number(f64, usize),
    /// A p-value (printed "<0,001" when below a thousandth).
    PValue(f64),
    /// Text.
    Text(&'a str),
    /// Not shown, with why.
    Hidden(&'a Mark),
    /// Nothing.
    Empty,
}

/// Why a figure that is not a count of incidents may be shown as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Public {
    /// Inhabitants (SCB or the gazetteer).
    Population,
    /// Rows or files read, accepted or rejected: facts about the input, not about people.
    InputAccounting,
    /// Number of survey answers (shares themselves are gated by their number of answers).
    SurveyAnswers,
    /// Events the police have already published one by one on polisen.se.
    PoliceFeed,
    /// Statistics Brå has already published.
    OfficialStatistics,
    /// A calendar year or other label written as a number.
    Label,
    /// A setting of the project (a seriousness weight) or what the parties report of
    /// their own work (activities planned and delivered): not about people.
    Setting,
    /// A count of pairs of incidents close in time and place over a whole year (the
    /// Knox test): not a count of incidents at any place or time.
    Pairs,
    /// The number of incidents in a chain of near repeats listed only when it has at
    /// least the threshold's number of incidents.
    AtLeastThreshold,
}

impl Published {
    /// What to print.
    pub fn view(&self) -> View<'_> {
        match &self.0 {
            Inner::Count(n) => View::Count(*n),
            Inner::Number(x, d) => View::Number(*x, *d),
            Inner::PValue(p) => View::PValue(*p),
            Inner::Text(s) => View::Text(s),
            Inner::Hidden(m) => View::Hidden(m),
            Inner::Empty => View::Empty,
        }
    }

    /// The value as a number, when one is shown.
    pub fn number(&self) -> Option<f64> {
        match self.0 {
            Inner::Count(n) => Some(n as f64),
            Inner::Number(x, _) | Inner::PValue(x) => Some(x).filter(|x| x.is_finite()),
            _ => None,
        }
    }

    /// Why nothing is shown, if so.
    pub fn mark(&self) -> Option<&Mark> {
        match &self.0 {
            Inner::Hidden(m) => Some(m),
            _ => None,
        }
    }

    /// Text, which is not a figure.
    pub fn text(s: impl Into<String>) -> Published {
        Published(Inner::Text(s.into()))
    }

    /// An empty cell.
    pub fn empty() -> Published {
        Published(Inner::Empty)
    }

    /// A count that is not a count of incidents, shown as it is for the reason given.
    pub fn public_count(n: i64, _why: Public) -> Published {
        Published(Inner::Count(n))
    }

    /// A value that is not computed from counts of incidents, shown for the reason given.
    pub fn public_number(x: f64, decimals: usize, _why: Public) -> Published {
        Published(Inner::Number(x, decimals))
    }

    /// A p-value of a test that is not on counts of incidents (e.g. on pairs of them),
    /// shown for the reason given.
    pub fn public_p(p: f64, _why: Public) -> Published {
        Published(Inner::PValue(p))
    }

    /// A value computed from survey answers: shown when it rests on at least
    /// `min_answers` answers, else the mark `few` ("för få svar").
    pub fn survey_value(
        x: Option<f64>,
        decimals: usize,
        answers: i64,
        min_answers: i64,
        few: &str,
    ) -> Published {
        match x {
            _ if answers < min_answers => {
                Published(Inner::Hidden(Mark::Unavailable(few.to_owned())))
            }
            Some(x) => Published(Inner::Number(x, decimals)),
            None => Published::empty(),
        }
    }

    /// A value not available, with the mark to print.
    pub fn unavailable(mark: impl Into<String>) -> Published {
        Published(Inner::Hidden(Mark::Unavailable(mark.into())))
    }
}

/// How every published count of a report is shown, by key.
#[derive(Debug, Clone)]
pub struct Gate<K: Ord> {
    cells: BTreeMap<K, (Status, i64)>,
    k: i64,
}

impl<K: Ord> Gate<K> {
    /// A gate from the decisions of [`super::linked::protect`]: (status, true count) per key.
    pub fn new(cells: BTreeMap<K, (Status, i64)>, k: i64) -> Gate<K> {
        Gate { cells, k }
    }

    /// A gate that shows every count as it is: only for tests that must show the
    /// audit can fail.
    #[doc(hidden)]
    pub fn bypassed(counts: BTreeMap<K, i64>, k: i64) -> Gate<K> {
        Gate {
            cells: counts
                .into_iter()
                .map(|(key, n)| (key, (Status::Shown, n)))
                .collect(),
            k,
        }
    }

    /// The mark of a key's count, or none when it is shown. A key the protection never
    /// saw is hidden: a figure nobody checked is not published.
    fn hidden(&self, key: &K) -> Option<Mark> {
        match self.cells.get(key) {
            Some((Status::Shown, _)) => None,
            Some((Status::Small, _)) => Some(Mark::Small(self.k)),
            _ => Some(Mark::Protective),
        }
    }

    /// A count as published.
    pub fn count(&self, key: &K) -> Published {
        match (self.hidden(key), self.cells.get(key)) {
            (None, Some((_, n))) => Published(Inner::Count(*n)),
            (mark, _) => Published(Inner::Hidden(mark.unwrap_or(Mark::Protective))),
        }
    }

    /// A value computed from the counts of `inputs`: shown only when all are shown,
    /// else hidden with the mark of the first hidden one.
    pub fn derived(&self, inputs: &[K], value: Option<f64>, decimals: usize) -> Published {
        match inputs.iter().find_map(|k| self.hidden(k)) {
            Some(mark) => Published(Inner::Hidden(mark)),
            None => value.map_or(Published::empty(), |x| {
                Published(Inner::Number(x, decimals))
            }),
        }
    }

    /// The p-value of a test on the counts of `inputs`.
    pub fn derived_p(&self, inputs: &[K], p: Option<f64>) -> Published {
        match inputs.iter().find_map(|k| self.hidden(k)) {
            Some(mark) => Published(Inner::Hidden(mark)),
            None => p.map_or(Published::empty(), |p| Published(Inner::PValue(p))),
        }
    }

    /// A verdict or other text computed from the counts of `inputs`.
    pub fn derived_text(&self, inputs: &[K], text: &str) -> Published {
        match inputs.iter().find_map(|k| self.hidden(k)) {
            Some(mark) => Published(Inner::Hidden(mark)),
            None => Published::text(text),
        }
    }

    /// Whether every count of `inputs` is shown.
    pub fn all_shown(&self, inputs: &[K]) -> bool {
        inputs.iter().all(|k| self.hidden(k).is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> Gate<&'static str> {
        Gate::new(
            [
                ("total", (Status::Shown, 40)),
                ("small", (Status::Small, 2)),
                ("partner", (Status::Protective, 7)),
            ]
            .into_iter()
            .collect(),
            3,
        )
    }

    #[test]
    fn counts_pass_as_decided() {
        let g = gate();
        assert_eq!(g.count(&"total").view(), View::Count(40));
        assert_eq!(g.count(&"small").mark().map(Mark::text), Some("<3".into()));
        assert_eq!(
            g.count(&"partner").mark().map(Mark::text),
            Some("..".into())
        );
        assert_eq!(
            g.count(&"unknown").mark().map(Mark::text),
            Some("..".into())
        );
    }

    #[test]
    fn a_value_of_a_hidden_count_is_hidden_with_it() {
        let g = gate();
        assert_eq!(g.derived(&["total"], Some(1.1), 1).number(), Some(1.1));
        let rate = g.derived(&["small"], Some(0.05), 2);
        assert_eq!(rate.number(), None);
        assert_eq!(rate.mark().map(Mark::text), Some("<3".into()));
        let change = g.derived(&["total", "partner"], Some(12.0), 0);
        assert_eq!(change.mark().map(Mark::text), Some("..".into()));
        assert_eq!(g.derived_text(&["total", "small"], "ökat").number(), None);
    }
}
