//! `lagesbild aggregate` on data with known answers: every cell is compared.

use serde_json::Value;

use crate::util::Workdir;

const KNOWN: &str = "\
id;datum;brottstyp;plats;antal
1;2024-01-10 10:00;Rattfylleri;Gamleby;1
2;2024-05-10;Narkotikabrott;Edsbruk;2
3;2025-03-01;Narkotikabrott;Edsbruks;1
4;2025-03-02;Stöld;Ankarsrum;1
5;2025-12-31 23:59;Brand;Okändby;1
";

fn rows(wd: &Workdir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["aggregate", "--format", "json"];
    all.extend_from_slice(args);
    let out = wd.run(&all).ok();
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn find<'a>(rows: &'a [Value], area: &str, place: &str, period: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["priority_area"] == area && r["place"] == place && r["period"] == period)
        .unwrap_or_else(|| panic!("no row {area} {place} {period}"))
}

/// Equal to `want` as written: exactly (p-values), or rounded as the columns are
/// (rates and ratios to 4 decimals, per 100 000 to 2, percent changes to 1).
fn close(v: &Value, want: f64) -> bool {
    let got = v.as_f64().unwrap();
    (got - want).abs() < 1e-9
        || [4, 2, 1].into_iter().any(|d| {
            let scale = 10f64.powi(d);
            (got - (want * scale).round() / scale).abs() < 1e-9
        })
}

/// Two-sided exact conditional p-value for x1 over t1 against x2 over t2, computed
/// here from the binomial formula, independently of the program.
fn exact_p(x1: u64, x2: u64, t1: f64, t2: f64) -> f64 {
    let n = x1 + x2;
    let p = t1 / (t1 + t2);
    let choose = |n: u64, k: u64| (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64);
    let pmf = |k: u64| choose(n, k) * p.powi(k as i32) * (1.0 - p).powi((n - k) as i32);
    let lower: f64 = (0..=x1).map(pmf).sum();
    let upper: f64 = (x1..=n).map(pmf).sum();
    (2.0 * lower.min(upper)).min(1.0)
}

#[test]
fn area_by_place_by_year_every_cell() {
    let wd = Workdir::new();
    wd.write("k.csv", KNOWN);
    let r = rows(
        &wd,
        &[
            "--by",
            "priority_area,place",
            "--period",
            "year",
            "--from",
            "2024-01-01",
            "--to",
            "2025-12-31",
            "k.csv",
        ],
    );
    // (area, place, 2024 count, 2025 count, population)
    let expected: [(&str, &str, i64, i64, Option<i64>); 9] = [
        ("brottskoncentrationer", "Ankarsrum", 0, 1, Some(1278)),
        ("brottskoncentrationer", "Edsbruk", 2, 1, Some(303)),
        ("brottskoncentrationer", "Gamleby", 1, 0, Some(2826)),
        ("brottskoncentrationer", "okänd plats", 0, 1, None),
        ("narkotika-alkohol", "Edsbruk", 2, 1, Some(303)),
        ("narkotika-alkohol", "Gamleby", 1, 0, Some(2826)),
        ("ovrigt", "Ankarsrum", 0, 1, Some(1278)),
        ("ovrigt", "okänd plats", 0, 1, None),
        ("trafikbrott", "Gamleby", 1, 0, Some(2826)),
    ];
    assert_eq!(r.len(), 18, "9 cells × 2 years, zeros included");
    let order: Vec<(String, String, String)> = r
        .iter()
        .map(|x| {
            (
                x["priority_area"].as_str().unwrap().into(),
                x["place"].as_str().unwrap().into(),
                x["period"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "rows in a stable sorted order");
    for (area, place, c24, c25, pop) in expected {
        let a = find(&r, area, place, "2024");
        let b = find(&r, area, place, "2025");
        assert_eq!(
            (a["count"].as_i64(), b["count"].as_i64()),
            (Some(c24), Some(c25)),
            "{area} {place}"
        );
        assert_eq!(a["population"].as_i64(), pop);
        assert_eq!(
            (a["days"].as_i64(), b["days"].as_i64()),
            (Some(366), Some(365))
        );
        assert_eq!(
            (a["complete"].as_bool(), b["complete"].as_bool()),
            (Some(true), Some(true))
        );
        assert!(a["previous_count"].is_null() && a["verdict"] == "ingen jämförelse");
        assert_eq!(b["previous_count"].as_i64(), Some(c24));
        assert_eq!(b["change"].as_i64(), Some(c25 - c24));
        match pop {
            Some(pop) => {
                assert!(
                    close(&b["rate_per_1000"], c25 as f64 / pop as f64 * 1000.0),
                    "{area} {place}"
                );
                assert!(close(
                    &b["rate_per_100k"],
                    c25 as f64 / pop as f64 * 100_000.0
                ));
            }
            None => assert!(b["rate_per_1000"].is_null()),
        }
        if c24 == 0 {
            assert!(
                b["change_pct"].is_null(),
                "no percent change on a zero base"
            );
        } else {
            assert!(close(
                &b["change_pct"],
                (c25 - c24) as f64 / c24 as f64 * 100.0
            ));
        }
        assert!(
            close(&b["p_value"], exact_p(c25 as u64, c24 as u64, 365.0, 366.0)),
            "{area} {place}"
        );
        assert_eq!(b["verdict"], "ingen säker förändring");
    }
    // Shares of the municipality's count in the same area and year.
    assert!(close(
        &find(&r, "narkotika-alkohol", "Edsbruk", "2024")["share_of_municipality"],
        2.0 / 3.0
    ));
    assert!(close(
        &find(&r, "brottskoncentrationer", "okänd plats", "2025")["share_of_municipality"],
        1.0 / 3.0
    ));
    // No traffic offence at all in 2025: a share of nothing is undefined, not 0 %.
    assert!(find(&r, "trafikbrott", "Gamleby", "2025")["share_of_municipality"].is_null());
    // Rate ratio 2025 vs 2024 for Edsbruk: (1/365)/(2/366).
    assert!(close(
        &find(&r, "narkotika-alkohol", "Edsbruk", "2025")["rate_ratio"],
        (1.0 / 365.0) / (2.0 / 366.0)
    ));
}

#[test]
fn municipality_rates_months_weeks_and_rolling_windows() {
    let wd = Workdir::new();
    wd.write("k.csv", KNOWN);
    // Without place: municipality population 36 398 is the denominator.
    let r = rows(
        &wd,
        &["--by", "priority_area", "--period", "quarter", "k.csv"],
    );
    let q = r
        .iter()
        .find(|x| x["priority_area"] == "narkotika-alkohol" && x["period"] == "2025-Q1")
        .unwrap();
    assert_eq!(q["count"].as_i64(), Some(1));
    assert!(close(&q["rate_per_100k"], 1.0 / 36398.0 * 100_000.0));
    assert!(q["share_of_municipality"].is_null());
    // 2024-Q1 … 2025-Q4 for every area present.
    assert_eq!(
        r.iter()
            .filter(|x| x["priority_area"] == "trafikbrott")
            .count(),
        8
    );
    // The data start on 2024-01-10, so the first quarter is partial.
    let first = r
        .iter()
        .find(|x| x["priority_area"] == "trafikbrott" && x["period"] == "2024-Q1")
        .unwrap();
    assert_eq!(
        (first["days"].as_i64(), first["complete"].as_bool()),
        (Some(82), Some(false))
    );

    let w = rows(
        &wd,
        &[
            "--by",
            "offence",
            "--period",
            "week",
            "--from",
            "2025-02-24",
            "--to",
            "2025-03-09",
            "k.csv",
        ],
    );
    let labels: Vec<&str> = w
        .iter()
        .filter(|x| x["offence"] == "Narkotikabrott")
        .map(|x| x["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2025-W09", "2025-W10"]);
    let n: Vec<i64> = w
        .iter()
        .filter(|x| x["offence"] == "Narkotikabrott")
        .map(|x| x["count"].as_i64().unwrap())
        .collect();
    assert_eq!(n, [1, 0], "2025-03-01 is the Saturday of week 9");

    // Rolling 12 months: the first window ends 11 months after the first month.
    let r12 = rows(
        &wd,
        &[
            "--by",
            "offence",
            "--period",
            "rolling12",
            "--from",
            "2024-01-01",
            "--to",
            "2025-12-31",
            "k.csv",
        ],
    );
    let narko: Vec<(&str, i64, Option<i64>)> = r12
        .iter()
        .filter(|x| x["offence"] == "Narkotikabrott")
        .map(|x| {
            (
                x["period"].as_str().unwrap(),
                x["count"].as_i64().unwrap(),
                x["previous_count"].as_i64(),
            )
        })
        .collect();
    assert_eq!(narko.len(), 13, "2024-12 … 2025-12");
    assert_eq!(narko[0], ("2024-12", 2, None));
    assert_eq!(
        narko[2],
        ("2025-02", 2, None),
        "Mar 2024–Feb 2025 holds the May 2024 incident (count 2)"
    );
    assert_eq!(
        narko[4],
        ("2025-04", 3, None),
        "May 2024 – April 2025 holds both"
    );
    assert_eq!(
        narko[5],
        ("2025-05", 1, None),
        "May 2024 left the window; March 2025 is in"
    );
    assert_eq!(
        narko[12],
        ("2025-12", 1, Some(2)),
        "compared with the 12 months before"
    );
}

#[test]
fn csv_parquet_and_errors() {
    let wd = Workdir::new();
    wd.write("k.csv", KNOWN);
    wd.run(&["aggregate", "--by", "place", "--out", "a.csv", "k.csv"])
        .ok();
    let bytes = std::fs::read(wd.path("a.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFplace;period;count;rate_per_1000;"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    // 2 / 303 × 1 000 = 6,600660…, written with 4 decimals.
    assert!(text.contains("Edsbruk;2024;2;6,6007;"), "{text}");
    assert!(text.contains("okänd plats;2025;1;;"), "{text}");
    wd.run(&[
        "aggregate",
        "--format",
        "parquet",
        "--out",
        "a.parquet",
        "k.csv",
    ])
    .ok();
    assert!(std::fs::read(wd.path("a.parquet"))
        .unwrap()
        .starts_with(b"PAR1"));
    let bad = wd.run(&["aggregate", "--by", "place,place", "k.csv"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("två gånger"));
    let bad = wd.run(&[
        "aggregate",
        "--from",
        "2025-01-01",
        "--to",
        "2024-01-01",
        "k.csv",
    ]);
    assert_eq!(bad.code(), 2);
    // "-o -" is standard output, as in xsv and ripgrep: no file named "-".
    let dash = wd
        .run(&["aggregate", "--by", "place", "-o", "-", "k.csv"])
        .ok();
    assert!(dash.contains("Edsbruk;2024;2;6,6007;"), "{dash}");
    assert!(!wd.path("-").exists(), "a file named '-' was written");
    // The run's accounting goes to stderr, the table to stdout.
    let run = wd.run(&["aggregate", "k.csv"]);
    assert!(
        run.stderr().contains("5 lästa = 5 godkända + 0 avvisade"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("platser: 4 efter namn, 0 efter koordinater, 1 okänd plats"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("okända platsnamn: Okändby (1)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn suppress_hides_small_counts_and_what_is_computed_from_them() {
    let wd = Workdir::new();
    wd.write("k.csv", format!("{KNOWN}6;2025-06-01;Brand;Gamleby;10\n"));
    let r = rows(
        &wd,
        &["--by", "priority_area,place", "--suppress", "3", "k.csv"],
    );
    for row in &r {
        for count in ["count", "previous_count"] {
            assert!(
                !matches!(row[count].as_i64(), Some(1) | Some(2)),
                "a small count is shown: {row}"
            );
        }
        if row["suppressed"] == "<3" {
            // Every number of a hidden cell is blank but those that say nothing about
            // its count (the population and the days, known anyway; the previous count,
            // a cell of its own): a rate beside them would give the count back.
            let free = ["population", "days", "previous_count"];
            for (column, value) in row.as_object().unwrap() {
                if value.is_number() && !free.contains(&column.as_str()) {
                    panic!("{column} of a hidden cell is shown: {row}");
                }
            }
            assert_eq!(row["verdict"], "dold");
        }
    }
    // Gamleby's 10 fires in 2025 stay visible, but the change from 1 (hidden) does not,
    // and no share is shown where another place in the group is hidden.
    let g = find(&r, "brottskoncentrationer", "Gamleby", "2025");
    assert_eq!(g["count"], 10);
    assert!(g["suppressed"].is_null());
    assert!(g["change"].is_null() && g["previous_count"].is_null());
    assert!(g["share_of_municipality"].is_null());
    // Unsuppressed by default.
    let plain = rows(&wd, &["--by", "priority_area,place", "k.csv"]);
    assert_eq!(
        find(&plain, "narkotika-alkohol", "Edsbruk", "2024")["count"],
        2
    );
    assert_eq!(wd.run(&["aggregate", "--suppress", "1", "k.csv"]).code(), 2);
}
