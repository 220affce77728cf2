//! `lagesbild promises`: the planted problems lead the suggestions, and the follow-up
//! says "förbättring" only where a planted effect is, "kan inte bedömas" where the
//! counts cannot tell, with the WDD of the weighted displacement difference.

use crate::util::Workdir;

/// Rows of a CSV written for Excel: header → value per row.
fn rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// On the default data the three planted problems (fires at Karstorp and Ankarsrum,
/// drugs at Edsbruk) are among the five strongest candidates, each with its exact
/// test against the rest of the municipality clearly significant.
#[test]
fn suggest_puts_the_planted_problems_first() {
    let wd = Workdir::new();
    let out = wd
        .run(&["promises", "suggest", "--top", "5", "--format", "csv"])
        .ok();
    let top = rows(&out);
    assert_eq!(top.len(), 5, "{out}");
    for (what, place) in [
        ("Brand", "Karstorp"),
        ("Brand", "Ankarsrum"),
        ("Narkotikabrott", "Edsbruk"),
    ] {
        let row = top
            .iter()
            .find(|r| r["what"] == what && r["place"] == place)
            .unwrap_or_else(|| panic!("{what} i {place} saknas bland de fem första:\n{out}"));
        let p: f64 = row["p_value"].replace(',', ".").parse().unwrap();
        assert!(p < 0.001, "{row:?}");
        let low: f64 = row["ci_low"].replace(',', ".").parse().unwrap();
        assert!(low > 1.0, "{row:?}");
        assert!(
            row["evidence"].starts_with(&format!("{what} i {place}: ")),
            "{row:?}"
        );
    }
    // The score is the product printed: weight × (level + trend + insecurity).
    for row in &top {
        let n = |k: &str| -> f64 { row[k].replace(',', ".").parse().unwrap() };
        let score = n("weight") * (n("level_points") + n("trend_points") + n("insecurity_points"));
        assert!((score - n("score")).abs() < 1e-9, "{row:?}");
    }
    // The text form says the same in sentences.
    let text = wd.run(&["promises", "suggest", "--top", "5"]).ok();
    assert!(
        text.contains("gånger nivån per invånare i övriga kommunen"),
        "{text}"
    );
}

/// Incidents for the follow-up: `n` fires per (place, year), spread over the months.
fn fires(list: &[(&str, i32, u32)]) -> String {
    let mut csv = String::from("id;occurred_at;offence;place\n");
    let mut id = 0;
    for (place, year, n) in list {
        for i in 0..*n {
            id += 1;
            csv.push_str(&format!(
                "F{id};{year}-{:02}-{:02} 21:00;Brand;{place}\n",
                i % 12 + 1,
                i % 27 + 1
            ));
        }
    }
    csv
}

const PROMISE: &str = r#"
[[promise]]
id = "karstorp-brand"
title = "Färre bränder i Karstorp"
places = ["Karstorp"]
start = "2025-01-01"

[[promise.activity]]
text = "Trygghetsvandring"
planned = 2
delivered = 1

[[promise.indicator]]
id = "brand"
kind = "incidents"
offences = ["brand"]
places = ["Karstorp"]
baseline = "2024"
followup = "2025"
direction = "decrease"
controls = ["Gamleby"]

[[promise.indicator]]
id = "brand-ensam"
kind = "incidents"
offences = ["Brand"]
places = ["Karstorp"]
baseline = "2024"
followup = "2025"
direction = "decrease"

[[promise.indicator]]
id = "liten"
kind = "incidents"
offences = ["Brand"]
places = ["Blackstad"]
baseline = "2024"
followup = "2025"
direction = "decrease"
"#;

fn evaluate(
    wd: &Workdir,
    data: &str,
    out: &str,
) -> Vec<std::collections::BTreeMap<String, String>> {
    wd.write("h.csv", data);
    wd.write("loften.toml", PROMISE);
    wd.run(&[
        "promises",
        "evaluate",
        "--promises",
        "loften.toml",
        "--out",
        out,
        "h.csv",
    ])
    .ok();
    rows(&std::fs::read_to_string(wd.path(&format!("{out}/indikatorer.csv"))).unwrap())
}

/// A 60 % drop in fires at Karstorp (50 → 20) with a steady comparison place
/// (Gamleby 40 → 41): förbättring, with WDD = (20 − 50) − (41 − 40) = −31 and
/// SE √(50 + 20 + 40 + 41) = √151 = 12,288. With no effect (50 → 49): not förbättring.
/// Blackstad with 3 fires in all: kan inte bedömas.
#[test]
fn evaluate_tells_a_planted_effect_from_none_and_from_too_few() {
    let wd = Workdir::new();
    let effect = evaluate(
        &wd,
        &fires(&[
            ("Karstorp", 2024, 50),
            ("Karstorp", 2025, 20),
            ("Gamleby", 2024, 40),
            ("Gamleby", 2025, 41),
            ("Blackstad", 2024, 2),
            ("Blackstad", 2025, 1),
        ]),
        "med",
    );
    let row = |rows: &[std::collections::BTreeMap<String, String>], id: &str| {
        rows.iter().find(|r| r["indicator"] == id).unwrap().clone()
    };
    let with_control = row(&effect, "brand");
    assert_eq!(with_control["verdict"], "förbättring", "{with_control:?}");
    assert_eq!(
        (
            with_control["baseline_value"].as_str(),
            with_control["followup_value"].as_str()
        ),
        ("50,0", "20,0")
    );
    assert_eq!(with_control["wdd"], "-31,0", "{with_control:?}");
    assert_eq!(with_control["wdd_se"], "12,288", "{with_control:?}");
    assert_eq!(row(&effect, "brand-ensam")["verdict"], "förbättring");
    let few = row(&effect, "liten");
    assert_eq!(few["verdict"], "kan inte bedömas", "{few:?}");
    assert!(few["sentence"].contains("för få händelser"), "{few:?}");
    let activities = rows(&std::fs::read_to_string(wd.path("med/aktiviteter.csv")).unwrap());
    assert_eq!(activities[0]["status"], "delvis genomförd");

    let none = evaluate(
        &wd,
        &fires(&[
            ("Karstorp", 2024, 50),
            ("Karstorp", 2025, 49),
            ("Gamleby", 2024, 40),
            ("Gamleby", 2025, 41),
            ("Blackstad", 2024, 2),
            ("Blackstad", 2025, 1),
        ]),
        "utan",
    );
    assert_ne!(row(&none, "brand")["verdict"], "förbättring");
    assert_ne!(row(&none, "brand-ensam")["verdict"], "förbättring");
}

/// `--all` runs every project of a folder; a broken one is named at the end and the
/// exit code is 1, while the others are followed up.
#[test]
fn evaluate_all_goes_past_a_broken_project() {
    let wd = Workdir::new();
    for name in ["a", "b"] {
        std::fs::create_dir_all(wd.path(&format!("projekt/{name}"))).unwrap();
        wd.write(
            &format!("projekt/{name}/places.toml"),
            include_str!("../../data/vastervik/places.toml"),
        );
        wd.write(
            &format!("projekt/{name}/areas.toml"),
            include_str!("../../data/vastervik/priority_areas.toml"),
        );
        wd.write(&format!("projekt/{name}/loften.toml"), PROMISE);
        wd.write(
            &format!("projekt/{name}/h.csv"),
            fires(&[
                ("Karstorp", 2024, 50),
                ("Karstorp", 2025, 20),
                ("Gamleby", 2024, 40),
                ("Gamleby", 2025, 41),
            ]),
        );
        wd.write(
            &format!("projekt/{name}/lagesbild.toml"),
            "[municipality]\nname = \"Västerviks kommun\"\nshort_name = \"Västervik\"\ncode = \"0883\"\n\
             population = 36398\npopulation_year = 2024\n\
             [inputs]\nincidents = [\"h.csv\"]\n\
             [reference]\nplaces = \"places.toml\"\npriority_areas = \"areas.toml\"\npromises = \"loften.toml\"\n\
             [output]\ndir = \"ut\"\n",
        );
    }
    // b's promises name a place that does not exist.
    wd.write(
        "projekt/b/loften.toml",
        PROMISE.replace("\"Gamleby\"", "\"Gamlebyy\""),
    );
    let run = wd.run(&["promises", "evaluate", "--all", "projekt", "--out", "alla"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("projekt/b/lagesbild.toml"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("Gamlebyy"), "{}", run.stderr());
    let summary = rows(&std::fs::read_to_string(wd.path("alla/sammanstallning.csv")).unwrap());
    assert!(
        summary
            .iter()
            .any(|r| r["project"] == "a" && r["verdict"] == "förbättring"),
        "{summary:?}"
    );
    assert!(summary.iter().all(|r| r["project"] != "b"));
}

/// The draft promise document: marked as a draft, one section per promise leading its
/// problem picture with the planted problem, activities and indicators with
/// baselines, and it passes the independent audit like the lägesbild.
#[test]
fn draft_shows_each_promise_with_its_problem_and_passes_the_audit() {
    let wd = Workdir::new();
    wd.run(&[
        "promises",
        "draft",
        "--generated",
        "2026-11-23",
        "--out",
        "utkast",
    ])
    .ok();
    let page = std::fs::read_to_string(wd.path("utkast/index.html")).unwrap();
    assert!(page.contains("UTKAST – ett förslag för kommunpolisen och kommunen att bearbeta"));
    for (title, lead) in [
        (
            "Färre bränder i Karstorp",
            "Det som sticker ut i Karstorp: Brand – ",
        ),
        (
            "Färre bränder i Ankarsrum",
            "Det som sticker ut i Ankarsrum: Brand – ",
        ),
        (
            "Mindre narkotika i Edsbruk",
            "Det som sticker ut i Edsbruk: Narkotikabrott – ",
        ),
    ] {
        let at = page
            .find(&format!("<h2>{title}</h2>"))
            .unwrap_or_else(|| panic!("{title}"));
        let next = page[at + 4..]
            .find("<h2>")
            .map_or(page.len(), |n| at + 4 + n);
        let section = &page[at..next];
        assert!(section.contains(lead), "{title}: {section}");
        assert!(section.contains("indikatorer</"), "{title}");
    }
    let indicators =
        rows(&std::fs::read_to_string(wd.path("utkast/tables/utkast-0-indikatorer.csv")).unwrap());
    assert_eq!(indicators[0]["Basperiod"], "2024");
    assert_eq!(indicators[0]["Jämförelseplatser"], "Gamleby");
    wd.run(&["audit", "utkast"]).ok();
}

/// Delaktighet from a participation log: every row accepted or rejected with its
/// line, the report's section counts occasions and participants per kind and place,
/// the summary says it, and the promise follow-up counts dialogues at its places;
/// descriptions never reach the report.
#[test]
fn a_participation_log_is_read_row_by_row_and_shown_under_delaktighet() {
    let wd = Workdir::new();
    wd.copy_data(
        "p",
        &[
            "places.toml",
            "priority_areas.toml",
            "medborgarloften.toml",
            "survey.toml",
        ],
    );
    wd.write(
        "p/h.csv",
        fires(&[
            ("Karstorp", 2024, 30),
            ("Karstorp", 2025, 20),
            ("Gamleby", 2025, 10),
        ]),
    );
    wd.write(
        "p/dialoger.csv",
        "Datum;Plats;Typ;Antal deltagare;Beskrivning\n\
         2025-03-04;Karstorp;trygghetsvandring;12;Ring Anna 070-123 45 67\n\
         2025-05-10;Karstorp;medborgardialog;30;\n\
         2025-13-01;Karstorp;medborgardialog;5;\n\
         2025-06-01;Gamleby;trygghetsvandring;;\n\
         2025-06-02;Gamleby;trygghetsvandring;-3;\n",
    );
    let config = include_str!("../../data/vastervik/lagesbild.toml")
        .replace(
            "incidents = [\"genererade-handelser.csv\"]",
            "incidents = [\"h.csv\"]",
        )
        .replace("surveys = [\"genererade-enkatsvar.csv\"]", "surveys = []")
        .replace("polisen = [\"genererade-polisen.json\"]", "")
        .replace(
            "dialogues = [\"genererade-dialoger.csv\"]",
            "dialogues = [\"dialoger.csv\"]",
        )
        .replace("boundary = \"kommungrans.geojson\"", "");
    wd.write("p/lagesbild.toml", config);
    wd.run(&[
        "report",
        "--config",
        "p/lagesbild.toml",
        "--generated",
        "2026-02-01",
        "--out",
        "r",
    ])
    .ok();
    let rejects = wd.rejects(&wd.path("p/reports/avvisade_dialoger.csv"));
    let lines: Vec<u64> = rejects.iter().map(|r| r.1).collect();
    assert_eq!(lines, vec![4, 6], "{rejects:?}");
    let table = rows(&std::fs::read_to_string(wd.path("r/tables/delaktighet-2025.csv")).unwrap());
    let karstorp: Vec<_> = table.iter().filter(|r| r["Plats"] == "Karstorp").collect();
    assert_eq!(karstorp.len(), 2, "{table:?}");
    let walk = table
        .iter()
        .find(|r| r["Plats"] == "Karstorp" && r["Typ"] == "trygghetsvandring")
        .unwrap();
    assert_eq!(
        (walk["Tillfällen"].as_str(), walk["Deltagare"].as_str()),
        ("1", "12")
    );
    let gamleby = table.iter().find(|r| r["Plats"] == "Gamleby").unwrap();
    assert_eq!(
        gamleby["Tillfällen utan antal deltagare"], "1",
        "{gamleby:?}"
    );
    let page = std::fs::read_to_string(wd.path("r/index.html")).unwrap();
    assert!(page.contains("Delaktighet: 3 dialoger, trygghetsvandringar och möten under 2025 med sammanlagt 42 deltagare"), "summary");
    assert!(page.contains("Färre bränder i Karstorp – dialoger och trygghetsvandringar på löftets platser 2025: 2 tillfällen, 42 deltagare."));
    for file in ["r/index.html", "r/tables/delaktighet-2025.csv"] {
        let text = std::fs::read_to_string(wd.path(file)).unwrap();
        assert!(
            !text.contains("Anna") && !text.contains("070-123"),
            "{file}"
        );
    }
}

/// `promises evaluate --out` writes its tables again over its own, and never over a
/// user's file of the same name.
#[test]
fn evaluate_leaves_a_users_file_of_its_name_alone() {
    let wd = Workdir::new();
    let data = fires(&[("Karstorp", 2024, 5), ("Karstorp", 2025, 4)]);
    for _ in 0..2 {
        assert!(!evaluate(&wd, &data, "ut").is_empty());
    }
    std::fs::create_dir_all(wd.path("mitt")).unwrap();
    wd.write("mitt/indikatorer.csv", "mina egna indikatorer");
    let run = wd.run(&[
        "promises",
        "evaluate",
        "--promises",
        "loften.toml",
        "--out",
        "mitt",
        "h.csv",
    ]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr()
            .contains("inte skriven av `lagesbild promises evaluate`"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(wd.path("mitt/indikatorer.csv")).unwrap(),
        "mina egna indikatorer"
    );
}
