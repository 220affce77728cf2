//! `timeprofile` and `hotspots` on generated data: a planted Friday-night peak and a
//! planted hot spot are found; uniformly spread data give no significant cell.

use serde_json::Value;

use lagesbild::random::SplitMix;

use crate::util::Workdir;

/// Incidents in a 5 × 5 km square south-west of Västervik's centre, at uniformly
/// random minutes of 2025, plus `planted` extra incidents in the cell whose south-west
/// corner is (597 000, 6 400 000) on Friday evenings 22:00–23:59.
fn incidents(n: usize, planted: usize, seed: u64) -> String {
    let mut rng = SplitMix(seed);
    let mut text = String::from("id;datum;brottstyp;x;y\n");
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for i in 0..n {
        let t = start + chrono::Duration::minutes((rng.uniform() * 365.0 * 1440.0) as i64);
        let (x, y) = (
            594_000.0 + rng.uniform() * 5_000.0,
            6_398_000.0 + rng.uniform() * 5_000.0,
        );
        text.push_str(&format!(
            "U{i};{};Skadegörelse;{x:.1};{y:.1}\n",
            t.format("%Y-%m-%d %H:%M")
        ));
    }
    // 2025-01-03 is a Friday.
    let first_friday = chrono::NaiveDate::from_ymd_opt(2025, 1, 3).unwrap();
    for i in 0..planted {
        let day = first_friday + chrono::Days::new(7 * (i as u64 % 52));
        let t = day.and_hms_opt(22, 0, 0).unwrap()
            + chrono::Duration::minutes((rng.uniform() * 119.0) as i64);
        let (x, y) = (
            597_000.0 + rng.uniform() * 250.0,
            6_400_000.0 + rng.uniform() * 250.0,
        );
        text.push_str(&format!(
            "P{i};{};Brand;{x:.1};{y:.1}\n",
            t.format("%Y-%m-%d %H:%M")
        ));
    }
    text
}

fn json(wd: &Workdir, args: &[&str]) -> Vec<Value> {
    let out = wd.run(args).ok();
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn planted_hot_spot_is_found_and_uniform_data_give_nothing() {
    let wd = Workdir::new();
    wd.write("uniform.csv", incidents(2_000, 0, 7));
    // Over the incidents' own extent: uniform there means nothing stands out. (Over the
    // whole municipality the 5 km square itself is the hot spot.)
    let cells = json(
        &wd,
        &[
            "hotspots",
            "--format",
            "json",
            "--study-area",
            "incidents",
            "uniform.csv",
        ],
    );
    assert!(cells.len() > 300, "cells with incidents are listed");
    let significant: Vec<&Value> = cells
        .iter()
        .filter(|c| c["class"] != "ej signifikant")
        .collect();
    assert!(
        significant.is_empty(),
        "uniform data, FDR 5 %: {significant:?}"
    );

    wd.write("planted.csv", incidents(2_000, 60, 7));
    let cells = json(
        &wd,
        &[
            "hotspots",
            "--format",
            "json",
            "--study-area",
            "incidents",
            "planted.csv",
        ],
    );
    let hot: Vec<(f64, f64)> = cells
        .iter()
        .filter(|c| c["class"] == "het punkt")
        .map(|c| (c["x_min"].as_f64().unwrap(), c["y_min"].as_f64().unwrap()))
        .collect();
    assert!(hot.contains(&(597_000.0, 6_400_000.0)), "{hot:?}");
    assert!(
        hot.iter()
            .all(|&(x, y)| (x - 597_000.0).abs() <= 250.0 && (y - 6_400_000.0).abs() <= 250.0),
        "only the planted cell and its neighbours: {hot:?}"
    );
    let planted = cells
        .iter()
        .find(|c| c["x_min"] == 597_000.0 && c["y_min"] == 6_400_000.0)
        .unwrap();
    assert!(planted["count"].as_f64().unwrap() >= 60.0);
    assert!(planted["p_fdr"].as_f64().unwrap() < 0.05);

    // GeoJSON for QGIS: WGS84 polygons near Västervik.
    let run = wd.run(&[
        "hotspots",
        "--format",
        "geojson",
        "--study-area",
        "incidents",
        "planted.csv",
    ]);
    let gj: Value = serde_json::from_str(&run.ok()).unwrap();
    let ring = &gj["features"][0]["geometry"]["coordinates"][0];
    assert_eq!(ring.as_array().unwrap().len(), 5);
    let (lon, lat) = (ring[0][0].as_f64().unwrap(), ring[0][1].as_f64().unwrap());
    assert!(
        (16.4..16.8).contains(&lon) && (57.6..57.9).contains(&lat),
        "{lon} {lat}"
    );
    assert!(
        run.stderr()
            .contains("koncentration: 2060 händelser, 484 enheter; Gini"),
        "{}",
        run.stderr()
    );
    // Over the municipality (its boundary, the default) every 250 m cell inside it is a
    // unit, with or without incidents, and the study area is named.
    let run = wd.run(&["hotspots", "--format", "geojson", "planted.csv"]);
    let stderr = run.stderr();
    assert!(stderr.contains("studieområde: kommunens gräns"), "{stderr}");
    let units: usize = stderr
        .split("2060 händelser, ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(units > 20_000, "{units} cells inside Västervik's boundary");
}

#[test]
fn friday_night_peak_is_found_in_the_time_profile() {
    let wd = Workdir::new();
    wd.write("planted.csv", incidents(2_000, 300, 11));
    let rows = json(&wd, &["timeprofile", "--format", "json", "planted.csv"]);
    assert_eq!(rows.len(), 168);
    let total: f64 = rows.iter().map(|r| r["weight"].as_f64().unwrap()).sum();
    assert!(
        (total - 2_300.0).abs() < 1e-6,
        "every incident weighs 1 in all: {total}"
    );
    let mut by_weight: Vec<&Value> = rows.iter().collect();
    by_weight.sort_by(|a, b| {
        b["weight"]
            .as_f64()
            .unwrap()
            .total_cmp(&a["weight"].as_f64().unwrap())
    });
    for top in &by_weight[..2] {
        assert_eq!(top["weekday_name"], "fredag");
        assert!(top["hour"] == 22 || top["hour"] == 23, "{top}");
    }
    assert!(rows.iter().all(|r| r["flag"].is_null()));
    // A profile per offence flags the group with fewer incidents than --min.
    let per = json(
        &wd,
        &[
            "timeprofile",
            "--by",
            "offence",
            "--min",
            "500",
            "--format",
            "json",
            "planted.csv",
        ],
    );
    assert!(per
        .iter()
        .filter(|r| r["offence"] == "Brand")
        .all(|r| r["flag"] == "för få händelser"));
    assert!(per
        .iter()
        .filter(|r| r["offence"] == "Skadegörelse")
        .all(|r| r["flag"].is_null()));
}

#[test]
fn uncertain_spans_are_spread_minute_exactly() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        "id;datum;tid_till;brottstyp\n1;2026-08-20 01:50;2026-08-20 02:10;Brand\n2;2026-08-20 01:00;2026-08-20 02:30;Brand\n3;2026-03-29 01:30;2026-03-29 03:30;Brand\n",
    );
    let rows = json(&wd, &["timeprofile", "--format", "json", "s.csv"]);
    let w = |day: i64, hour: i64| {
        rows.iter()
            .find(|r| r["weekday"] == day && r["hour"] == hour)
            .unwrap()["weight"]
            .as_f64()
            .unwrap()
    };
    // Thursday: 0.5 + 2/3 in hour 1, 0.5 + 1/3 in hour 2.
    assert!(
        (w(4, 1) - (0.5 + 2.0 / 3.0)).abs() < 1e-12 && (w(4, 2) - (0.5 + 1.0 / 3.0)).abs() < 1e-12
    );
    // The spring-forward Sunday: half in 01, half in 03, nothing in the hour that does not exist.
    assert!((w(7, 1) - 0.5).abs() < 1e-12 && (w(7, 3) - 0.5).abs() < 1e-12 && w(7, 2) == 0.0);
    assert!(rows.iter().all(|r| r["flag"] == "för få händelser"));
    let run = wd.run(&["hotspots", "s.csv"]);
    assert!(
        run.stderr()
            .contains("för få händelser för hot spots: 0 med koordinater"),
        "{}",
        run.stderr()
    );
}

#[test]
fn concentration_over_places_by_hand() {
    let wd = Workdir::new();
    let mut text = String::from("id;datum;brottstyp;plats\n");
    for (i, place) in [
        "Gamleby",
        "Gamleby",
        "Gamleby",
        "Gamleby",
        "Gamleby",
        "Ankarsrum",
        "Ankarsrum",
        "Edsbruk",
        "Atlantis",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!("{i};2025-01-01;Stöld;{place}\n"));
    }
    wd.write("p.csv", text);
    let run = wd.run(&["concentration", "--format", "json", "p.csv"]);
    let rows: Vec<Value> = serde_json::from_str(&run.ok()).unwrap();
    // 16 gazetteer places, 8 placed incidents (Atlantis is an unknown place, left out).
    assert_eq!(rows.len(), 16);
    assert_eq!(
        (rows[0]["unit"].as_str(), rows[0]["count"].as_f64()),
        (Some("Gamleby"), Some(5.0))
    );
    assert_eq!(rows[0]["share_of_incidents"], 0.625);
    assert_eq!(rows[15]["share_of_incidents"], 1.0);
    // G = (11·1 + 13·2 + 15·5) / (16 · 8) = 0.875; G′ = 2 (G − 1) + 1 = 0.75.
    assert!(
        run.stderr().contains(
            "Gini 0.875, G′ 0.750; andel i topp 5/10/20 %: 62.5/87.5/100.0 % – för få händelser"
        ),
        "{}",
        run.stderr()
    );
}

/// `nearrepeat`: a planted series (twelve fires 40 m and 2 days apart) among
/// scattered ones is a near repeat in the closest bands; incidents without
/// coordinates are counted and left out; the same seed gives the same bytes.
#[test]
fn nearrepeat_finds_a_planted_series() {
    let wd = Workdir::new();
    let mut csv = String::from("id;datum;brottstyp;x;y\n");
    let mut rng = 12345u64;
    let mut next = || {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..200 {
        let day = (next() * 360.0) as u32;
        csv.push_str(&format!(
            "S{i};{};Brand;{:.0};{:.0}\n",
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
                + chrono::Days::new(u64::from(day)),
            580_000.0 + next() * 30_000.0,
            6_390_000.0 + next() * 30_000.0
        ));
    }
    for k in 0..12u32 {
        csv.push_str(&format!(
            "P{k};{};Brand;{};6400000\n",
            chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
                + chrono::Days::new(u64::from(2 * k)),
            590_000 + 40 * k
        ));
    }
    csv.push_str("U1;2025-03-01;Brand;;\n");
    wd.write("b.csv", csv);
    let args = [
        "nearrepeat",
        "--distances",
        "200,400",
        "--days",
        "7,28",
        "--permutations",
        "199",
        "--seed",
        "5",
        "b.csv",
    ];
    let run = wd.run(&args);
    let out = run.ok();
    let first = out.lines().nth(1).unwrap();
    let cells: Vec<&str> = first.split(';').collect();
    assert_eq!(&cells[..2], ["0-200", "0-7"], "{out}");
    let ratio: f64 = cells[4].replace(',', ".").parse().unwrap();
    let p: f64 = cells[5].replace(',', ".").parse().unwrap();
    assert!(ratio > 3.0 && p <= 0.01, "{out}");
    assert!(
        run.stderr()
            .contains("212 händelser med koordinater, 1 utan"),
        "{}",
        run.stderr()
    );
    assert_eq!(wd.run(&args).ok(), out);
}
