//! The harm index: the embedded table against the law-checked penalty scales, and
//! `aggregate`'s harm columns on incidents with hand-computed weights.

use serde_json::Value;

use crate::shared::shared_data;
use crate::util::Workdir;
use lagesbild::model::harm::HarmTable;

/// Every offence of the embedded table has the provision, minimum, maximum and fine
/// of the penalty table it was built from (../shared/data/straffskalor), and every
/// offence of that table is in ours.
#[test]
fn the_embedded_table_matches_the_law_checked_penalty_scales() {
    let Some(path) = shared_data("straffskalor/straffskalor.csv") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let table = HarmTable::embedded();
    let mut seen = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let ours = table
            .offence(f[0])
            .unwrap_or_else(|| panic!("{} is missing from the harm table", f[0]));
        assert_eq!(ours.law, f[1], "{}", f[0]);
        assert_eq!(ours.min_days.to_string(), f[2], "{}", f[0]);
        assert_eq!(ours.max_days.to_string(), f[3], "{}", f[0]);
        assert_eq!(ours.fines, f[4] == "ja", "{}", f[0]);
        seen += 1;
    }
    assert_eq!(seen, 70);
    assert_eq!(table.offences.len(), 70);
}

/// The rows of `aggregate --format json` output.
fn json_rows(out: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

const INCIDENTS: &str = "\
id;datum;brottstyp;brottskod;plats;antal
1;2025-01-10 10:00;Misshandel;;Gamleby;1
2;2025-02-10 10:00;Grov misshandel;;Gamleby;1
3;2025-03-10 10:00;Misshandel;0375;Gamleby;1
4;2025-04-10 10:00;Ringa stöld;;Gamleby;2
5;2025-05-10 10:00;Trafikolycka;;Gamleby;1
6;2025-06-10 10:00;Påhittat brott;;Gamleby;1
7;2025-07-10 10:00;Vårdslöshet i trafik;;Västervik;1
";

#[test]
fn aggregate_sums_the_weights_and_counts_what_has_none() {
    let wd = Workdir::new();
    wd.write("h.csv", INCIDENTS);
    let out = wd
        .run(&["aggregate", "--by", "place", "--format", "json", "h.csv"])
        .ok();
    let rows = json_rows(&out);
    let row = |place: &str| {
        rows.iter()
            .find(|r| r["place"] == place && r["period"] == "2025")
            .unwrap_or_else(|| panic!("no row for {place}"))
            .clone()
    };
    let g = row("Gamleby");
    // Misshandel 30 + grov misshandel 545 + code 0375 (grov misshandel) 545 + ringa
    // stöld 2 × 14 + trafikolycka 0 = 1 148 days; the made-up offence has no weight.
    assert_eq!(g["count"], 7);
    assert_eq!(g["harm"].as_f64().unwrap(), 1148.0);
    assert_eq!(g["harm_unweighted"], 1);
    let v = row("Västervik");
    // Fines only: 7 days.
    assert_eq!(v["harm"].as_f64().unwrap(), 7.0);
    assert_eq!(v["harm_unweighted"], 0);
    // Per 1 000 inhabitants of the place (the embedded population of Västervik).
    let pop = v["population"].as_f64().unwrap();
    let per = v["harm_per_1000"].as_f64().unwrap();
    assert!((per - (7.0 / pop * 1000.0 * 100.0).round() / 100.0).abs() < 1e-9);
}

#[test]
fn a_project_harm_table_with_its_own_weights_replaces_the_default() {
    let wd = Workdir::new();
    let cfg = wd.project("proj", INCIDENTS, "harm = \"skada.toml\"\n");
    wd.write(
        "proj/skada.toml",
        "scale = \"midpoint\"\nfine_floor_days = 20\nfine_only_days = 2\n\
         [[offence]]\nname = \"Misshandel\"\nlaw = \"BrB 3:5\"\nmin_days = 30\nmax_days = 730\nfines = false\n\
         weight_days = 100\npatterns = [\"misshandel*\"]\n",
    );
    let out = wd
        .run(&[
            "aggregate",
            "--by",
            "offence",
            "--format",
            "json",
            "--config",
            cfg.to_str().unwrap(),
        ])
        .ok();
    let rows = json_rows(&out);
    let harm_of = |o: &str| {
        rows.iter()
            .find(|r| r["offence"] == o && r["period"] == "2025")
            .map(|r| (r["harm"].as_f64(), r["harm_unweighted"].as_i64()))
            .unwrap()
    };
    // Its own weight_days for both "Misshandel" rows (the code 0375 is not in this
    // table, so the text decides). Patterns are anchored: "Grov misshandel" does not
    // match "misshandel*" and, like everything the project table lacks, has no weight.
    assert_eq!(harm_of("Misshandel"), (Some(200.0), Some(0)));
    assert_eq!(harm_of("Grov misshandel"), (Some(0.0), Some(1)));
    // A broken table is named with its file.
    wd.write("proj/skada.toml", "scale = \"median\"\n");
    let run = wd.run(&["aggregate", "--config", cfg.to_str().unwrap()]);
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("skada.toml"), "{}", run.stderr());
}

/// The report's "most harm" table on the default data: every offence type's harm is
/// its count times the weight its name has in the table, worked out here by hand from
/// the penalty scales.
#[test]
fn the_report_ranks_offence_types_by_harm_with_their_counts() {
    let wd = Workdir::new();
    wd.run(&["report", "--generated", "2026-11-23", "--out", "r"])
        .ok();
    let table = std::fs::read_to_string(wd.path("r/tables/skada-brottstyper.csv")).unwrap();
    let by_hand = [
        ("Inbrott", 180.0),              // grov stöld: lägst sex månader (BrB 8:4)
        ("Kvinnofridskränkning", 365.0), // grov kvinnofridskränkning: lägst ett år
        ("Stöld", 30.0),                 // the general minimum, one month
        ("Bedrägeri", 30.0),
        ("Skadegörelse", 30.0),
        ("Narkotikabrott", 30.0),
        ("Misshandel", 30.0),
        ("Brand", 30.0), // as skadegörelse genom brand
        ("Klotter", 30.0),
        ("Vapenlagen", 30.0),
        ("Olaga hot", 14.0),   // böter eller fängelse: the fine floor
        ("Rattfylleri", 14.0), // likewise
    ];
    let number = |s: &str| s.replace(' ', "").replace(',', ".").parse::<f64>().unwrap();
    let mut previous = f64::INFINITY;
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let weight = by_hand
            .iter()
            .find(|(o, _)| *o == f[0])
            .unwrap_or_else(|| panic!("{} has no weight by hand", f[0]))
            .1;
        let (count, harm) = (number(f[1]), number(f[3]));
        assert_eq!(harm, count * weight, "{line}");
        assert_eq!(number(f[5]), weight, "{line}");
        assert!(harm <= previous, "ranked by harm: {table}");
        previous = harm;
        rows += 1;
    }
    assert!(rows >= 8, "{table}");
    // Burglary does the most harm though theft is three times as common.
    assert!(
        table.lines().nth(1).unwrap().starts_with("Inbrott;"),
        "{table}"
    );
    let page = std::fs::read_to_string(wd.path("r/index.html")).unwrap();
    assert!(page.contains("Skada: brotten vägda efter straffskalan"));
    assert!(page.contains("Mest skada i Karstorp"));
    let run = wd.run(&["audit", "r"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}
