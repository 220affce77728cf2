//! The Swedish Police's open events feed (polisen.se/api/events): a JSON array as the
//! API returns it, JSON lines (one event per line, as archives keep it), or the
//! flattened CSV of such archives. Every event is accepted or rejected with its file,
//! line and position; of the versions of one id the one published last is kept (the
//! feed updates events; on a tie, the one later in the input), and the others are
//! counted as replaced.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde_json::{Map, Value};

use crate::embedded::Location;
use crate::ingest::source::IngestError;
use crate::ingest::table::LineCounter;
use crate::ingest::values::LOCAL_TIME_ZONE;
use crate::lang::Lang;

pub use crate::model::feed::{Event, EventFile, EventsRead, Rejected};

/// The rejected events as a frame (`file`, `line`, `reason`, `content`), for
/// `render::write_rejects`.
pub fn rejects_frame(
    rejects: &[Rejected],
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let text = |name: &str, f: &dyn Fn(&Rejected) -> &str| {
        Column::new(name.into(), rejects.iter().map(f).collect::<Vec<_>>())
    };
    DataFrame::new(
        rejects.len(),
        vec![
            text("file", &|r| &r.file),
            Column::new(
                "line".into(),
                rejects.iter().map(|r| r.line).collect::<Vec<_>>(),
            ),
            text("reason", &|r| &r.reason),
            text("content", &|r| &r.content),
        ],
    )
}

/// Reads event files. A file that is not JSON, JSON lines or CSV with the feed's
/// columns, or a JSON array that is cut off, stops the read with an error naming the
/// file and the place; a malformed event is rejected and the read goes on.
pub fn read_events(inputs: &[Location], lang: Lang) -> Result<EventsRead, IngestError> {
    let mut latest: HashMap<i64, Event> = HashMap::new();
    let mut rejects = Vec::new();
    let mut files = Vec::new();
    for (index, at) in inputs.iter().enumerate() {
        let name = at.display_name();
        let bytes = at.read().map_err(|source| IngestError::Read {
            file: name.clone(),
            source,
        })?;
        let (text, bad_bytes) = decode_feed(&bytes);
        drop(bytes);
        let (format, records) = split_records(&text, &name, lang)?;
        let mut report = EventFile {
            file: name.clone(),
            format,
            read: records.len(),
            kept: 0,
            replaced: 0,
            rejected: 0,
            reasons: Vec::new(),
            masked: 0,
            conflicting: 0,
        };
        let mut reasons: HashMap<String, usize> = HashMap::new();
        for record in records {
            let checked = if bad_bytes && record.content.contains(char::REPLACEMENT_CHARACTER) {
                Err(bad_byte(lang))
            } else {
                parse_event(&record.raw, lang)
            };
            match checked {
                Ok(mut event) => {
                    report.masked += mask_event(&mut event);
                    event.file = index;
                    event.line = record.line;
                    // The version published last wins (the feed updates events);
                    // at the same time, the one later in the input.
                    match latest.entry(event.id) {
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(event);
                        }
                        std::collections::hash_map::Entry::Occupied(mut slot) => {
                            if differs(slot.get(), &event) {
                                report.conflicting += 1;
                            }
                            if event.published >= slot.get().published {
                                let old = slot.insert(event);
                                replace_in(&mut files, &mut report, old.file, index);
                            } else {
                                report.replaced += 1;
                            }
                        }
                    }
                }
                Err((kind, detail)) => {
                    *reasons.entry(kind.clone()).or_default() += 1;
                    rejects.push(Rejected {
                        file: name.clone(),
                        line: record.line,
                        reason: crate::text::mask_personal_data(&format!(
                            "{}: {detail}",
                            record.position.describe(lang)
                        ))
                        .into_owned(),
                        content: shorten(&record.content),
                    });
                    report.rejected += 1;
                }
            }
        }
        let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
        crate::ingest::validate::sort_reasons(&mut reasons);
        report.reasons = reasons;
        files.push(report);
    }
    let mut events: Vec<Event> = latest.into_values().collect();
    events.sort_unstable_by_key(|e| e.id);
    for event in &events {
        files[event.file].kept += 1;
    }
    Ok(EventsRead {
        events,
        rejects,
        files,
    })
}

/// Counts the replaced version against the file it came from.
fn replace_in(files: &mut [EventFile], current: &mut EventFile, old_file: usize, index: usize) {
    if old_file == index {
        current.replaced += 1;
    } else {
        files[old_file].replaced += 1;
    }
}

/// One event's raw text and where it is.
struct Record<'a> {
    line: u64,
    position: Position,
    content: std::borrow::Cow<'a, str>,
    raw: Raw<'a>,
}

/// Where a record is, named only when a message needs it.
#[derive(Clone, Copy)]
enum Position {
    /// The n-th element (1-based) of a JSON array.
    Element(usize),
    /// A line of JSON lines.
    Line(usize),
    /// The n-th CSV record (1-based).
    CsvRecord(usize),
}

impl Position {
    fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (Position::Element(i), Lang::Sv) => format!("händelse {i} i listan"),
            (Position::Element(i), Lang::En) => format!("event {i} in the array"),
            (Position::Line(i), Lang::Sv) => format!("rad {i}"),
            (Position::Line(i), Lang::En) => format!("line {i}"),
            (Position::CsvRecord(i), Lang::Sv) => format!("post {i}"),
            (Position::CsvRecord(i), Lang::En) => format!("record {i}"),
        }
    }
}

/// A record's content: JSON text not yet parsed, or a value already built (CSV).
enum Raw<'a> {
    Json(&'a str),
    Value(Result<Value, String>),
}

/// The event as the feed normally sends it, read straight into borrowed fields. Any
/// deviation (a missing id, a number where text belongs) makes this fail, and the
/// event is then read again as a general JSON value to say exactly what is wrong.
#[derive(serde::Deserialize)]
struct Wire<'a> {
    id: i64,
    #[serde(borrow)]
    datetime: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    name: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    summary: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    url: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    event_type: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    location: Option<WireLocation<'a>>,
    #[serde(borrow, default)]
    body: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    html_body_text: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize)]
struct WireLocation<'a> {
    #[serde(borrow, default)]
    name: Option<std::borrow::Cow<'a, str>>,
}

/// One record checked: the fast path for well-formed events, the general one (with
/// precise reasons) for the rest.
fn parse_event(raw: &Raw, lang: Lang) -> Checked<Event> {
    let syntax = |e: String| (kind_label(Problem::Syntax, lang), e);
    match raw {
        Raw::Json(text) => match serde_json::from_str::<Wire>(text) {
            Ok(wire) => from_wire(wire, lang),
            Err(_) => {
                let value: Value = serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?;
                check_event(&value, lang)
            }
        },
        Raw::Value(value) => check_event(value.as_ref().map_err(|e| syntax(e.clone()))?, lang),
    }
}

/// A feed file as text. UTF-8 as it is; a file that is UTF-8 but for a few bad bytes
/// (it has valid multi-byte characters) keeps its UTF-8, with each bad byte as U+FFFD so
/// that only the events holding one are rejected; a file with no UTF-8 at all is
/// Windows-1252. Returns the text and whether bad bytes were replaced.
fn decode_feed(bytes: &[u8]) -> (String, bool) {
    use crate::ingest::dialect::{decode_lines, Encoding};
    let decoded = decode_lines(bytes);
    if matches!(decoded.encoding, Encoding::Windows1252 | Encoding::Mixed)
        && bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
    {
        return (String::from_utf8_lossy(bytes).into_owned(), true);
    }
    (decoded.text, false)
}

fn bad_byte(lang: Lang) -> (String, String) {
    (
        lang.pick("ogiltig byte", "invalid byte").to_owned(),
        lang.pick(
            "händelsen innehåller en byte som inte är UTF-8 (filen är i övrigt UTF-8); hämta händelsen igen",
            "the event holds a byte that is not UTF-8 (the rest of the file is); fetch the event again",
        )
        .to_owned(),
    )
}

/// Whether two versions of an event say different things (type, place, title or
/// summary), not just a later publication of the same.
fn differs(a: &Event, b: &Event) -> bool {
    a.event_type != b.event_type
        || a.location != b.location
        || a.title != b.title
        || a.summary != b.summary
}

/// Masks personnummer and telephone numbers in an event's texts and its address;
/// returns how many texts changed.
fn mask_event(event: &mut Event) -> usize {
    let mut changed = 0;
    for text in [
        &mut event.title,
        &mut event.summary,
        &mut event.body,
        &mut event.event_type,
        &mut event.location,
        &mut event.url,
    ] {
        if let std::borrow::Cow::Owned(masked) = crate::text::mask_personal_data(text) {
            *text = masked;
            changed += 1;
        }
    }
    changed
}

fn from_wire(wire: Wire, lang: Lang) -> Checked<Event> {
    let published = published_or_reason(&wire.datetime, lang)?;
    let event_type = wire.event_type.trim();
    if event_type.is_empty() {
        return Err(type_missing(lang));
    }
    let text = |v: Option<std::borrow::Cow<str>>| v.map(|c| c.into_owned()).unwrap_or_default();
    Ok(Event {
        id: wire.id,
        published,
        title: text(wire.name),
        summary: text(wire.summary),
        body: text(wire.body.or(wire.html_body_text)),
        url: text(wire.url),
        event_type: event_type.to_owned(),
        location: wire
            .location
            .and_then(|l| l.name)
            .map(|n| n.trim().to_owned())
            .unwrap_or_default(),
        file: 0,
        line: 0,
    })
}

fn published_or_reason(text: &str, lang: Lang) -> Checked<NaiveDateTime> {
    parse_published(text).ok_or_else(|| {
        (
            kind_label(Problem::DateTime, lang),
            match lang {
                Lang::Sv => format!("datetime '{text}' går inte att tolka (väntat t.ex. \"2026-08-14 9:05:00 +02:00\")"),
                Lang::En => format!("datetime '{text}' cannot be read (expected e.g. \"2026-08-14 9:05:00 +02:00\")"),
            },
        )
    })
}

fn type_missing(lang: Lang) -> (String, String) {
    (
        kind_label(Problem::Type, lang),
        lang.pick("type saknas", "type is missing").to_owned(),
    )
}

/// Splits a file into event records: a JSON array, JSON lines or CSV. A file named
/// .json, .jsonl or .ndjson is JSON whatever its first line looks like (so a broken
/// first event is a rejected event, not a CSV without columns); otherwise the first
/// character decides.
fn split_records<'a>(
    text: &'a str,
    file: &str,
    lang: Lang,
) -> Result<(&'static str, Vec<Record<'a>>), IngestError> {
    let extension = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let named_json = matches!(extension.as_deref(), Some("json" | "jsonl" | "ndjson"));
    match text.trim_start().as_bytes().first() {
        None => Err(IngestError::Empty {
            file: file.to_owned(),
        }),
        Some(b'[') => json_array(text, file).map(|r| ("JSON", r)),
        Some(b'{') => Ok((lang.pick("JSON-rader", "JSON lines"), json_lines(text))),
        Some(_) if named_json => Ok((lang.pick("JSON-rader", "JSON lines"), json_lines(text))),
        Some(_) => csv_records(text, file).map(|r| ("CSV", r)),
    }
}

fn json_array<'a>(text: &'a str, file: &str) -> Result<Vec<Record<'a>>, IngestError> {
    let elements: Vec<&serde_json::value::RawValue> =
        serde_json::from_str(text).map_err(|e| IngestError::Malformed {
            file: file.to_owned(),
            message: crate::model::said::Said::new(
                format!(
                    "filen är inte en hel JSON-lista (rad {}, kolumn {}: {e}); spara API-svaret igen eller använd JSON-rader",
                    e.line(),
                    e.column()
                ),
                format!(
                    "the file is not a complete JSON array (line {}, column {}: {e}); save the API response again or use JSON lines",
                    e.line(),
                    e.column()
                ),
            ),
        })?;
    // Elements come in file order, so their offsets only grow.
    let mut lines = LineCounter::new(text);
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            Record {
                line: lines.line_at(offset),
                position: Position::Element(i + 1),
                content: raw.get().into(),
                raw: Raw::Json(raw.get()),
            }
        })
        .collect())
}

fn json_lines(text: &str) -> Vec<Record<'_>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Record {
            line: i as u64 + 1,
            position: Position::Line(i + 1),
            content: l.into(),
            raw: Raw::Json(l),
        })
        .collect()
}

/// The flattened CSV of the archives: `id, datetime, name, summary, url, type,
/// location_name` (or `location.name`), optionally `html_body_text` or `body`. Each
/// record becomes the API's JSON shape so that one set of checks serves all formats.
fn csv_records<'a>(text: &str, file: &str) -> Result<Vec<Record<'a>>, IngestError> {
    let separator = crate::ingest::dialect::sniff_separator(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| IngestError::Read {
            file: file.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let position_of = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let columns = [
        ("id", position_of(&["id"])),
        ("datetime", position_of(&["datetime"])),
        ("name", position_of(&["name"])),
        ("summary", position_of(&["summary"])),
        ("url", position_of(&["url"])),
        ("type", position_of(&["type"])),
        ("body", position_of(&["html_body_text", "body"])),
    ];
    let location = position_of(&["location_name", "location.name", "location"]);
    let missing: Vec<&str> = columns[..6]
        .iter()
        .filter(|(name, at)| at.is_none() && *name != "url" && *name != "summary")
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() || location.is_none() {
        return Err(IngestError::MissingColumns {
            file: file.to_owned(),
            missing: missing
                .into_iter()
                .chain(location.is_none().then_some("location_name"))
                .collect::<Vec<_>>()
                .join(", "),
            found: crate::ingest::source::quoted_headers(&headers),
        });
    }
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let position = Position::CsvRecord(i + 1);
        let (line, value, content) = match row {
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line());
                let mut object = Map::new();
                for (name, at) in columns {
                    if let Some(cell) = at.and_then(|a| row.get(a)).filter(|c| !c.is_empty()) {
                        let value = if name == "id" {
                            cell.trim()
                                .parse::<i64>()
                                .map_or_else(|_| Value::from(cell), Value::from)
                        } else {
                            Value::from(cell)
                        };
                        object.insert(name.to_owned(), value);
                    }
                }
                if let Some(cell) = location.and_then(|a| row.get(a)).filter(|c| !c.is_empty()) {
                    let mut loc = Map::new();
                    loc.insert("name".into(), Value::from(cell));
                    object.insert("location".into(), Value::Object(loc));
                }
                let content = row.iter().collect::<Vec<_>>().join(",");
                (line, Ok(Value::Object(object)), content)
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                (line, Err(e.to_string()), String::new())
            }
        };
        records.push(Record {
            line,
            position,
            content: content.into(),
            raw: Raw::Value(value),
        });
    }
    Ok(records)
}

/// Kinds of problems, for the per-file counts.
#[derive(Debug, Clone, Copy)]
enum Problem {
    Syntax,
    NotObject,
    Id,
    DateTime,
    Type,
    Field,
}

fn kind_label(kind: Problem, lang: Lang) -> String {
    let (sv, en) = match kind {
        Problem::Syntax => ("ogiltig JSON", "invalid JSON"),
        Problem::NotObject => ("inte ett objekt", "not an object"),
        Problem::Id => ("id saknas eller är fel", "id missing or wrong"),
        Problem::DateTime => ("datetime saknas eller är fel", "datetime missing or wrong"),
        Problem::Type => ("type saknas eller är fel", "type missing or wrong"),
        Problem::Field => ("fält av fel typ", "field of the wrong type"),
    };
    lang.pick(sv, en).to_owned()
}

type Checked<T> = Result<T, (String, String)>;

/// Checks one event object: id an integer, datetime parseable, type a non-empty text,
/// name, summary, url and body texts when present, location an object with a text name.
fn check_event(value: &Value, lang: Lang) -> Checked<Event> {
    let fail = |kind: Problem, sv: String, en: String| {
        (kind_label(kind, lang), lang.pick(&sv, &en).to_owned())
    };
    let object = value.as_object().ok_or_else(|| {
        fail(
            Problem::NotObject,
            format!("väntade ett objekt {{…}}, fann {}", json_kind(value, lang)),
            format!("expected an object {{…}}, found {}", json_kind(value, lang)),
        )
    })?;
    let id = match object.get("id") {
        None | Some(Value::Null) => {
            return Err(fail(
                Problem::Id,
                "id saknas".into(),
                "id is missing".into(),
            ))
        }
        Some(v) => v.as_i64().ok_or_else(|| {
            fail(
                Problem::Id,
                format!("id ska vara ett heltal, fann {v}"),
                format!("id must be an integer, found {v}"),
            )
        })?,
    };
    let published = match object.get("datetime") {
        None | Some(Value::Null) => {
            return Err(fail(
                Problem::DateTime,
                "datetime saknas".into(),
                "datetime is missing".into(),
            ))
        }
        Some(Value::String(s)) => published_or_reason(s, lang)?,
        Some(v) => {
            return Err(fail(
                Problem::DateTime,
                format!("datetime ska vara text, fann {}", json_kind(v, lang)),
                format!("datetime must be text, found {}", json_kind(v, lang)),
            ))
        }
    };
    let text = |field: &str| -> Checked<String> {
        match object.get(field) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(fail(
                Problem::Field,
                format!("{field} ska vara text, fann {}", json_kind(v, lang)),
                format!("{field} must be text, found {}", json_kind(v, lang)),
            )),
        }
    };
    let event_type = text("type").map_err(|(_, d)| (kind_label(Problem::Type, lang), d))?;
    if event_type.trim().is_empty() {
        return Err(fail(
            Problem::Type,
            "type saknas".into(),
            "type is missing".into(),
        ));
    }
    let location = match object.get("location") {
        None | Some(Value::Null) => String::new(),
        Some(Value::Object(loc)) => match loc.get("name") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => {
                return Err(fail(
                    Problem::Field,
                    format!("location.name ska vara text, fann {}", json_kind(v, lang)),
                    format!("location.name must be text, found {}", json_kind(v, lang)),
                ))
            }
        },
        Some(v) => {
            return Err(fail(
                Problem::Field,
                format!("location ska vara ett objekt, fann {}", json_kind(v, lang)),
                format!("location must be an object, found {}", json_kind(v, lang)),
            ))
        }
    };
    // As in the fast path: `body` when it has a value, else `html_body_text`.
    let body = match object.get("body") {
        None | Some(Value::Null) => text("html_body_text")?,
        Some(_) => text("body")?,
    };
    Ok(Event {
        id,
        published,
        title: text("name")?,
        summary: text("summary")?,
        body,
        url: text("url")?,
        event_type: event_type.trim().to_owned(),
        location: location.trim().to_owned(),
        file: 0,
        line: 0,
    })
}

fn json_kind(v: &Value, lang: Lang) -> &'static str {
    let (sv, en) = match v {
        Value::Null => ("null", "null"),
        Value::Bool(_) => ("ett sanningsvärde", "a boolean"),
        Value::Number(_) => ("ett tal", "a number"),
        Value::String(_) => ("text", "text"),
        Value::Array(_) => ("en lista", "an array"),
        Value::Object(_) => ("ett objekt", "an object"),
    };
    lang.pick(sv, en)
}

/// Reads the feed's `datetime` ("2023-02-12 6:53:12 +01:00": hour not zero-padded,
/// offset +01:00 or +02:00) into Swedish local time. ISO 8601 with `T` and RFC 3339
/// are accepted too, and a time without offset is taken as Swedish local time.
pub fn parse_published(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    let with_offset = [
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%:z",
    ]
    .iter()
    .find_map(|f| DateTime::<FixedOffset>::parse_from_str(text, f).ok())
    .or_else(|| DateTime::parse_from_rfc3339(text).ok());
    if let Some(t) = with_offset {
        let zone: chrono_tz::Tz = LOCAL_TIME_ZONE.parse().ok()?;
        return Some(t.with_timezone(&zone).naive_local());
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(|wall| crate::model::spring_forward(wall).0)
}

fn shorten(content: &str) -> String {
    let content = crate::text::mask_personal_data(content);
    let flat: String = content.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> EventsRead {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.json");
        std::fs::write(&path, text).unwrap();
        read_events(&[Location::Path(path)], Lang::Sv).unwrap()
    }

    const GOOD: &str = r#"{"id": 1, "datetime": "2026-08-14 9:05:00 +02:00", "name": "14 augusti 08.50, Stöld, försök, Västervik", "summary": "Försök till stöld i Gamleby.", "url": "/a/", "type": "Stöld, försök", "location": {"name": "Kalmar län", "gps": "57.2,16.1"}}"#;

    #[test]
    fn reads_the_api_shape_with_unpadded_hours_and_offsets() {
        let r = read(&format!("[\n {GOOD}\n]"));
        assert_eq!(r.events.len(), 1);
        let e = &r.events[0];
        assert_eq!(e.event_type, "Stöld, försök");
        assert_eq!(e.location, "Kalmar län");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.published,
            NaiveDateTime::parse_from_str("2026-08-14 09:05:00", "%Y-%m-%d %H:%M:%S").unwrap()
        );
        // Winter offset +01:00 is Swedish local time too; a UTC time is converted.
        assert_eq!(
            parse_published("2023-02-12 6:53:12 +01:00")
                .unwrap()
                .to_string(),
            "2023-02-12 06:53:12"
        );
        assert_eq!(
            parse_published("2023-07-01T10:00:00Z").unwrap().to_string(),
            "2023-07-01 12:00:00"
        );
        assert_eq!(parse_published("12 februari"), None);
    }

    #[test]
    fn malformed_events_are_rejected_with_their_position_and_counted() {
        let lines = [
            GOOD.to_owned(),
            GOOD.replace("\"id\": 1, ", ""),
            GOOD.replace("\"id\": 1", "\"id\": \"x1\"")
                .replace("14 augusti", "15 augusti"),
            GOOD.replace("\"id\": 1", "\"id\": 3")
                .replace("2026-08-14 9:05:00 +02:00", "igår"),
            GOOD.replace("\"id\": 1", "\"id\": 4")
                .replace("\"type\": \"Stöld, försök\"", "\"type\": 7"),
            "{\"id\": 5, \"datetime\": ".to_owned(),
            "[1, 2]".to_owned(),
            GOOD.replace("\"id\": 1", "\"id\": 6").replace(
                "{\"name\": \"Kalmar län\", \"gps\": \"57.2,16.1\"}",
                "\"Kalmar\"",
            ),
        ];
        let r = read(&lines.join("\n"));
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.files[0].read, 8);
        assert_eq!(r.files[0].rejected, 7);
        assert!(r.reconciles());
        let found: Vec<(u64, &str)> = r
            .rejects
            .iter()
            .map(|x| (x.line, x.reason.as_str()))
            .collect();
        assert_eq!(found[0], (2, "rad 2: id saknas"));
        assert_eq!(found[1], (3, "rad 3: id ska vara ett heltal, fann \"x1\""));
        assert!(found[2]
            .1
            .starts_with("rad 4: datetime 'igår' går inte att tolka"));
        assert_eq!(found[3], (5, "rad 5: type ska vara text, fann ett tal"));
        assert!(found[4].1.starts_with("rad 6: EOF"), "{}", found[4].1);
        assert_eq!(
            found[5],
            (7, "rad 7: väntade ett objekt {…}, fann en lista")
        );
        assert_eq!(
            found[6],
            (8, "rad 8: location ska vara ett objekt, fann text")
        );
        assert_eq!(
            r.files[0].reasons[0],
            ("id saknas eller är fel".to_owned(), 2)
        );
    }

    #[test]
    fn the_last_version_of_an_id_wins_and_replaced_versions_are_counted() {
        let updated = GOOD.replace(
            "Försök till stöld i Gamleby.",
            "Uppdaterad: stöld i Gunnebo.",
        );
        let r = read(&format!("[{GOOD},\n{updated}]"));
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].summary, "Uppdaterad: stöld i Gunnebo.");
        assert_eq!(r.events[0].line, 2);
        assert_eq!((r.files[0].kept, r.files[0].replaced), (1, 1));
        assert!(r.reconciles());
    }

    #[test]
    fn an_older_version_later_in_the_input_does_not_replace_a_newer_one() {
        let older = GOOD
            .replace("2026-08-14 9:05:00", "2026-08-14 8:55:00")
            .replace("Försök till stöld i Gamleby.", "Första uppgift: Gunnebo.");
        let r = read(&format!("[{GOOD},\n{older}]"));
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].summary, "Försök till stöld i Gamleby.");
        assert_eq!((r.files[0].kept, r.files[0].replaced), (1, 1));
        assert!(r.reconciles());
    }

    #[test]
    fn a_later_file_replaces_an_earlier_one_and_the_earlier_file_counts_it() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.json"));
        std::fs::write(&a, format!("{GOOD}\n")).unwrap();
        std::fs::write(&b, format!("[{}]", GOOD.replace("Gamleby", "Överum"))).unwrap();
        let r = read_events(&[Location::Path(a), Location::Path(b)], Lang::Sv).unwrap();
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].file, 1);
        assert!(r.events[0].summary.contains("Överum"));
        assert_eq!((r.files[0].kept, r.files[0].replaced), (0, 1));
        assert_eq!((r.files[1].kept, r.files[1].replaced), (1, 0));
        assert_eq!(
            (r.files[0].format, r.files[1].format),
            ("JSON-rader", "JSON")
        );
        assert!(r.reconciles());
    }

    #[test]
    fn a_cut_off_array_is_an_error_naming_the_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.json");
        std::fs::write(&path, format!("[\n{GOOD},\n{{\"id\": 2")).unwrap();
        let e = read_events(&[Location::Path(path)], Lang::Sv)
            .unwrap_err()
            .to_string();
        assert!(e.contains("cut.json") && e.contains("rad 3"), "{e}");
    }

    #[test]
    fn the_flattened_csv_reads_like_the_api() {
        let csv = "id,datetime,name,summary,url,type,location_name,lat,lng,html_body_text\n\
                   7,2023-03-22 9:59:57 +01:00,\"22 mars 09:53, Brand, Nybro\",\"Brand i bostad, Hanemåla.\",/u/,Brand,Nybro,56.7,15.9,\"Rökfyllt hus.\nUppdatering.\"\n\
                   x,2023-03-22 9:59:57 +01:00,t,s,/u/,Brand,Nybro,56.7,15.9,\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        std::fs::write(&path, csv).unwrap();
        let r = read_events(&[Location::Path(path)], Lang::Sv).unwrap();
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].body, "Rökfyllt hus.\nUppdatering.");
        assert_eq!(r.events[0].location, "Nybro");
        assert_eq!(r.rejects[0].line, 4);
        assert_eq!(
            r.rejects[0].reason,
            "post 2: id ska vara ett heltal, fann \"x\""
        );
    }
}
