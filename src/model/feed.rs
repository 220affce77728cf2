//! Records of the police's open events feed as read: the events kept, the rejected
//! ones, and the accounting per file. `ingest::polisen` fills them; analysis reads them.

use chrono::NaiveDateTime;

/// One event as published, its fields checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The police's event id.
    pub id: i64,
    /// `datetime`: when the notice was published or last updated, in Swedish local time.
    pub published: NaiveDateTime,
    /// `name`: the title, "14 augusti 11.19, Trafikolycka, Västervik".
    pub title: String,
    /// `summary`: one or two sentences.
    pub summary: String,
    /// The body text of the event page, when the input carries it (archives do).
    pub body: String,
    /// `url`, relative to polisen.se.
    pub url: String,
    /// `type`: the event type, commas and all ("Stöld, försök").
    pub event_type: String,
    /// `location.name`: until January 2026 the municipality, afterwards the county.
    pub location: String,
    /// File the event came from (its index in the input list).
    pub file: usize,
    /// Line the event starts on.
    pub line: u64,
}

/// An event that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// File name as shown to people.
    pub file: String,
    /// Line the event starts on.
    pub line: u64,
    /// Why, with the position in the file ("händelse 12 i listan").
    pub reason: String,
    /// The event's text, shortened.
    pub content: String,
}

/// The accounting of one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EventFile {
    /// File name as shown to people.
    pub file: String,
    /// "JSON", "JSON-rader" or "CSV".
    pub format: &'static str,
    /// Events (array elements, lines or records) read.
    pub read: usize,
    /// Events kept (the latest version of their id).
    pub kept: usize,
    /// Earlier versions of an id that a later version replaced.
    pub replaced: usize,
    /// Events rejected.
    pub rejected: usize,
    /// Rejections per reason kind, most common first.
    pub reasons: Vec<(String, usize)>,
    /// Texts of kept or replaced events whose personnummer or telephone numbers were
    /// masked.
    pub masked: usize,
    /// Versions of an id already read (in this or an earlier file) whose type, place,
    /// title or summary differ from the version before them.
    pub conflicting: usize,
}

impl EventFile {
    /// `read = kept + replaced + rejected`.
    pub fn reconciles(&self) -> bool {
        self.read == self.kept + self.replaced + self.rejected
    }
}

/// Events read from any number of files.
#[derive(Debug, Clone)]
pub struct EventsRead {
    /// The latest version of every id, in id order.
    pub events: Vec<Event>,
    /// Rejected events, in file and line order.
    pub rejects: Vec<Rejected>,
    /// One report per file, in input order.
    pub files: Vec<EventFile>,
}

impl EventsRead {
    /// True when every file reconciles and the totals agree with the lists.
    pub fn reconciles(&self) -> bool {
        self.files.iter().all(EventFile::reconciles)
            && self.files.iter().map(|f| f.kept).sum::<usize>() == self.events.len()
            && self.files.iter().map(|f| f.rejected).sum::<usize>() == self.rejects.len()
    }
}

/// Swedish month names as the feed's titles write them.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];
