//! `lagesbild import polisen` on the real archive of the police's events feed
//! (../shared/data/polisen-events) and on hand-written broken events.

use std::collections::BTreeMap;

use crate::shared::shared_data;
use crate::util::Workdir;

/// Rows of an imported CSV as maps from column name to value.
fn imported(w: &Workdir, name: &str) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = w.canonical(&w.path(name));
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

#[test]
fn vastervik_counts_per_type_and_month_agree_with_an_independent_count() {
    let Some(archive) = shared_data("polisen-events/events_all.jsonl") else {
        return;
    };
    // Independent count: Västervik is `location.name` until the feed changed, and the
    // title's ending when `location.name` became "Kalmar län". Summaries are no events.
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut from_titles_2026: BTreeMap<String, usize> = BTreeMap::new();
    let mut latest: BTreeMap<i64, serde_json::Value> = BTreeMap::new();
    for line in std::fs::read_to_string(&archive).unwrap().lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        latest.insert(e["id"].as_i64().unwrap(), e);
    }
    for e in latest.values() {
        let (location, title, kind) = (
            e["location"]["name"].as_str().unwrap(),
            e["name"].as_str().unwrap(),
            e["type"].as_str().unwrap(),
        );
        let month = e["datetime"].as_str().unwrap()[..7].to_owned();
        let vastervik =
            location == "Västervik" || (location == "Kalmar län" && title.ends_with(", Västervik"));
        if !vastervik || kind.starts_with("Sammanfattning") {
            continue;
        }
        if location == "Kalmar län" {
            *from_titles_2026.entry(month.clone()).or_default() += 1;
        }
        if ("2023-04".to_owned()..="2026-07".to_owned()).contains(&month) {
            *expected.entry((kind.to_owned(), month)).or_default() += 1;
        }
    }

    let w = Workdir::new();
    let run = w.run(&[
        "import",
        "polisen",
        archive.to_str().unwrap(),
        "--kommun",
        "Västerviks kommun",
        "--out",
        "vastervik.csv",
        "--rejects",
        "avvisade.csv",
    ]);
    run.ok();
    assert!(
        run.stderr().contains(
            "85011 händelser lästa = 85011 behållna + 0 ersatta av senare version + 0 avvisade"
        ),
        "{}",
        run.stderr()
    );
    let rows = imported(&w, "vastervik.csv");
    let mut ours: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut ours_from_titles: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        assert_eq!(r["municipality_code"], "0883");
        assert_eq!(r["county"], "Kalmar län");
        let month = r["published_at"][..7].to_owned();
        if r["municipality_from"] == "rubrik" {
            *ours_from_titles.entry(month.clone()).or_default() += 1;
        }
        if ("2023-04".to_owned()..="2026-07".to_owned()).contains(&month) {
            *ours.entry((r["offence"].clone(), month)).or_default() += 1;
        }
    }
    assert_eq!(ours, expected);
    assert_eq!(ours.values().sum::<usize>(), 299);
    // From February 2026 every Västervik event is known only from its title.
    assert_eq!(ours_from_titles, from_titles_2026);
    for month in [
        "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08",
    ] {
        assert!(ours_from_titles[month] > 0, "{month}");
        assert!(rows
            .iter()
            .filter(|r| r["published_at"].starts_with(month))
            .all(|r| r["municipality_from"] == "rubrik"));
    }
    // Types with commas stay whole; the GPS is never a position.
    assert!(rows.iter().any(|r| r["offence"] == "Trafikolycka, vilt"));
    assert!(rows
        .iter()
        .all(|r| r["lat"].is_empty() && r["x"].is_empty()));
}

#[test]
fn village_mentions_in_the_kalmar_county_file_are_found() {
    let (Some(csv), Some(json)) = (
        shared_data("polisen-events/events_kalmar_lan.csv"),
        shared_data("polisen-events/events_kalmar_lan.json"),
    ) else {
        return;
    };
    let w = Workdir::new();
    for (input, out) in [(&csv, "med-brodtext.csv"), (&json, "api.csv")] {
        w.run(&[
            "import",
            "polisen",
            input.to_str().unwrap(),
            "--kommun",
            "0883",
            "--out",
            out,
            "--rejects",
            "avvisade.csv",
        ])
        .ok();
    }
    let villages = [
        "Gamleby",
        "Gunnebo",
        "Överum",
        "Ankarsrum",
        "Edsbruk",
        "Karstorp",
        "Loftahammar",
        "Hjorted",
        "Almvik",
    ];
    let with_body = imported(&w, "med-brodtext.csv");
    let api = imported(&w, "api.csv");
    assert_eq!(with_body.len(), 305);
    assert_eq!(api.len(), 305);
    for village in villages {
        assert!(
            with_body.iter().any(|r| r["place"] == village),
            "{village} is mentioned in the Kalmar file"
        );
    }
    // Every placement is backed by its text: the place (or its genitive) stands as a
    // whole word in the field it was taken from.
    let word = |text: &str, name: &str| {
        let pattern = format!(r"(?i)(^|[^\p{{L}}]){}s?([^\p{{L}}]|$)", regex::escape(name));
        regex::Regex::new(&pattern).unwrap().is_match(text)
    };
    let body_of: BTreeMap<String, String> = csv_bodies(&csv);
    for r in &with_body {
        let field = r["place_from"].as_str();
        let text = match field {
            "sammanfattning" => r["description"].clone(),
            "brödtext" => body_of[&r["id"]].clone(),
            "" => continue,
            other => panic!("unknown place_from {other}"),
        };
        if !r["place"].is_empty() {
            assert!(
                word(&text, &r["place"]) || r["place"] == "Överum" && text.contains("Överums bruk"),
                "{} placed at {} from {field}: {text}",
                r["id"],
                r["place"]
            );
        } else {
            // Left unknown only because two places were equally likely.
            assert!(r["place_candidates"].contains(" | "), "{r:?}");
        }
    }
    // Independent lower bound: a summary naming exactly one village and nothing else
    // of the gazetteer must be placed at that village.
    let others = [
        "Västervik",
        "Piperskärr",
        "Totebo",
        "Blackstad",
        "Helgenäs",
        "Odensvi",
        "Blankaholm",
    ];
    for r in &api {
        let text = &r["description"];
        let named: Vec<&str> = villages
            .iter()
            .chain(&others)
            .copied()
            .filter(|v| word(text, v))
            .collect();
        if let [only] = named.as_slice() {
            if *only != "Västervik" {
                assert_eq!(r["place"], *only, "{text}");
                assert_eq!(r["place_from"], "sammanfattning");
            }
        }
    }
    // The body text finds places the summary alone does not.
    let placed =
        |rows: &[BTreeMap<String, String>]| rows.iter().filter(|r| !r["place"].is_empty()).count();
    assert!(
        placed(&with_body) > placed(&api) + 30,
        "{} vs {}",
        placed(&with_body),
        placed(&api)
    );
}

/// id → body text of the archive's CSV, read with the csv crate on its own.
fn csv_bodies(path: &std::path::Path) -> BTreeMap<String, String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let body = headers.iter().position(|h| h == "html_body_text").unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[body].to_owned())
        })
        .collect()
}

#[test]
fn malformed_events_are_rejected_with_their_position_and_counted() {
    let w = Workdir::new();
    let good = |id: &str, kind: &str| {
        format!(
            r#"{{"id": {id}, "datetime": "2026-03-02 7:15:00 +01:00", "name": "2 mars 06.40, {kind}, Västervik", "summary": "Rattfyllerist stoppad i Gunnebo.", "url": "/x/", "type": "{kind}", "location": {{"name": "Kalmar län", "gps": "57.23,16.18"}}}}"#
        )
    };
    let events = [
        good("1", "Rattfylleri"),
        good("\"två\"", "Rattfylleri"),
        good("3", "Stöld, försök").replace("2026-03-02 7:15:00 +01:00", "2 mars"),
        r#"{"datetime": "2026-03-02 7:15:00 +01:00", "type": "Brand"}"#.to_owned(),
        good("5", "Sammanfattning natt"),
        good("6", "Stöld, försök").replace("Västervik\"", "Kalmar\""),
        good("1", "Rattfylleri").replace("Gunnebo", "Gamleby"),
    ];
    w.write("handelser.json", format!("[\n{}\n]\n", events.join(",\n")));
    let run = w.run(&[
        "import",
        "polisen",
        "handelser.json",
        "--kommun",
        "Västervik",
        "--out",
        "ut.csv",
        "--rejects",
        "avvisade.csv",
    ]);
    run.ok();
    let stderr = run.stderr();
    assert!(
        stderr
            .contains("7 händelser lästa = 3 behållna + 1 ersatta av senare version + 3 avvisade"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "behållna 3 = 1 skrivna + 1 sammanfattningar (inga händelser) + 1 i andra kommuner"
        ),
        "{stderr}"
    );
    let rejects = w.rejects(&w.path("avvisade.csv"));
    let positions: Vec<(u64, &str)> = rejects.iter().map(|r| (r.1, r.2.as_str())).collect();
    assert_eq!(
        positions[0],
        (
            3,
            "händelse 2 i listan: id ska vara ett heltal, fann \"två\""
        )
    );
    assert_eq!(positions[1].0, 4);
    assert!(positions[1]
        .1
        .starts_with("händelse 3 i listan: datetime '2 mars' går inte att tolka"));
    assert_eq!(positions[2], (5, "händelse 4 i listan: id saknas"));
    let rows = imported(&w, "ut.csv");
    assert_eq!(rows.len(), 1);
    // The later version of id 1 wins; its summary names Gamleby.
    assert_eq!(rows[0]["place"], "Gamleby");
    assert_eq!(rows[0]["occurred_at"], "2026-03-02 06:40:00");
    assert_eq!(rows[0]["published_at"], "2026-03-02 07:15:00");
    assert_eq!(rows[0]["priority_areas"], "narkotika-alkohol|trafikbrott");
    // Parquet keeps the types: times as datetimes, counts as integers.
    w.run(&[
        "import",
        "polisen",
        "handelser.json",
        "--kommun",
        "0883",
        "--out",
        "ut.parquet",
        "--rejects",
        "a2.csv",
    ])
    .ok();
    let parquet = std::fs::File::open(w.path("ut.parquet")).unwrap();
    use polars::prelude::SerReader as _;
    let frame = polars::prelude::ParquetReader::new(parquet)
        .finish()
        .unwrap();
    assert_eq!(frame.height(), 1);
    assert!(matches!(
        frame.column("occurred_at").unwrap().dtype(),
        polars::prelude::DataType::Datetime(_, _)
    ));
    assert_eq!(
        frame.column("count").unwrap().i64().unwrap().get(0),
        Some(1)
    );
    // The output is canonical: `check` reads it back without a reject.
    let check = w.run(&["check", "ut.csv", "--rejects", "r2.csv"]);
    assert!(
        check.ok().contains("1 godkända + 0 avvisade"),
        "{}",
        check.stdout()
    );
}

#[test]
fn a_file_that_is_not_events_is_a_clear_error() {
    let w = Workdir::new();
    w.write("trasig.json", "[{\"id\": 1,");
    let run = w.run(&["import", "polisen", "trasig.json"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("trasig.json"), "{}", run.stderr());
    assert!(
        run.stderr().contains("inte en hel JSON-lista"),
        "{}",
        run.stderr()
    );
    w.write("fel.csv", "a;b\n1;2\n");
    let run = w.run(&["import", "polisen", "fel.csv"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("datetime"), "{}", run.stderr());
    let run = w.run(&["import", "polisen", "fel.csv", "--kommun", "Atlantis"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("kommunen 'Atlantis' finns inte"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_report_has_a_section_on_police_events_and_the_bra_reference() {
    let (Some(events), Some(bra)) = (
        shared_data("polisen-events/events_kalmar_lan.json"),
        shared_data("bra-kommun/anmalda_brott_kommuner_raw.csv"),
    ) else {
        return;
    };
    let w = Workdir::new();
    // Through the configuration, as an analyst sets it up once.
    let config = include_str!("../../data/vastervik/lagesbild.toml")
        .replace(
            "incidents = [\"genererade-handelser.csv\"]",
            &format!(
                "incidents = [\"{}\"]\npolisen = [\"{}\"]\nbra = [\"{}\"]",
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/data/vastervik/genererade-handelser.csv"
                ),
                events.display(),
                bra.display()
            ),
        )
        .replace("surveys = [\"genererade-enkatsvar.csv\"]", "surveys = []")
        .replace("polisen = [\"genererade-polisen.json\"]", "");
    w.copy_data(
        "projekt",
        &[
            "places.toml",
            "priority_areas.toml",
            "survey.toml",
            "kommungrans.geojson",
            "medborgarloften.toml",
            "genererade-dialoger.csv",
        ],
    );
    std::fs::write(w.path("projekt/lagesbild.toml"), config).unwrap();
    let run = w.run(&[
        "report",
        "--config",
        "projekt/lagesbild.toml",
        "--generated",
        "2026-11-23",
        "--out",
        "rapport",
    ]);
    run.ok();
    assert!(
        run.stderr()
            .contains("1970 händelser lästa = 1970 behållna"),
        "{}",
        run.stderr()
    );
    let html = std::fs::read_to_string(w.path("rapport/index.html")).unwrap();
    assert!(html.contains("Händelser från polisens öppna data"));
    assert!(html.contains("Anmälda brott: jämförelse med länet och riket (Brå)"));
    let table = |name: &str| w.canonical(&w.path(&format!("rapport/tables/{name}.csv")));
    let (header, rows) = table("polisen-orter");
    assert_eq!(header.last().unwrap(), "Totalt");
    let last = rows.last().unwrap();
    assert_eq!(last[0], "Alla händelser");
    assert_eq!(last.last().unwrap(), "305");
    assert!(rows.iter().any(|r| r[0] == "Gamleby"));
    let (_, areas) = table("polisen-omraden");
    // Rattfylleri counts towards both drugs/alcohol and traffic, so the rows add up
    // to more than the events; the last row counts each event once.
    let sum: i64 = areas[..areas.len() - 1]
        .iter()
        .map(|r| r.last().unwrap().parse::<i64>().unwrap())
        .sum();
    assert!(sum > 305, "{sum}");
    // The focus places, by event type: every Västervik notice whose summary names
    // Karstorp, counted here from the raw JSON.
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&events).unwrap()).unwrap();
    let karstorp_word = regex::Regex::new(r"(^|[^\p{L}])Karstorps?([^\p{L}]|$)").unwrap();
    let expected = raw
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            (e["location"]["name"] == "Västervik"
                || e["name"].as_str().unwrap().ends_with(", Västervik"))
                && karstorp_word.is_match(e["summary"].as_str().unwrap_or(""))
        })
        .count() as i64;
    assert!(expected > 0);
    let (_, focus) = table("polisen-fokusplatser");
    let karstorp: i64 = focus
        .iter()
        .filter(|r| r[0].starts_with("Karstorp: "))
        .map(|r| r.last().unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(karstorp, expected);
    let (_, bra_rows) = table("bra-jamforelse");
    assert_eq!(
        bra_rows[0][..6].join(";"),
        "Samtliga brott;ej angivet;2813;7685,0;9560,5;11609,6"
    );
    // Rejected events beside the report (with the incidents' rejects), not in it.
    assert!(!w.path("rapport/avvisade_handelser.csv").exists());
    assert!(w.path("projekt/reports/avvisade_handelser.csv").exists());
    // The data-quality table accounts for the outside sources too, with their hashes.
    let (_, files) = table("indata");
    let events_row = files
        .iter()
        .find(|r| r[1] == "polisens händelser")
        .expect("police events in the input table");
    assert_eq!(events_row[2..5].join(";"), "1970;1970;0");
    assert_eq!(events_row[5].len(), 64);
    assert!(files.iter().any(|r| r[1] == "Brå-tabell" && r[2] == "290"));
    assert!(w.path("rapport/charts/polisen-per-manad.svg").exists());
    // The default project has generated police events but no Brå table.
    w.run(&["report", "--generated", "2026-11-23", "--out", "standard"])
        .ok();
    let html = std::fs::read_to_string(w.path("standard/index.html")).unwrap();
    assert!(html.contains("Händelser från polisens öppna data"));
    assert!(!html.contains("jämförelse med länet och riket"));
}
