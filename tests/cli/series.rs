//! Near repeats as the issue asks: a planted series of fires over random ones in a
//! 12 × 12 km square is found by `nearrepeat` and, in the report, as a current chain;
//! random fires alone are not.

use crate::util::Workdir;

/// A linear congruential generator, so the data do not depend on the program's own.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 400 fires at random places in a 12 × 12 km square around Västervik over 2025, and
/// (when `planted`) 30 more within 150 m of one point, 2–3 days apart, from 1 October.
fn fires(planted: bool) -> String {
    let mut rng = Lcg(2025);
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut csv = String::from("id;datum;brottstyp;x;y\n");
    for i in 0..400 {
        let day = (rng.next() * 365.0) as u64;
        csv.push_str(&format!(
            "R{i};{} 12:00;Brand;{:.0};{:.0}\n",
            start + chrono::Days::new(day),
            584_000.0 + rng.next() * 12_000.0,
            6_394_000.0 + rng.next() * 12_000.0,
        ));
    }
    if planted {
        let mut day = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        for k in 0..30 {
            let (angle, radius) = (rng.next() * std::f64::consts::TAU, rng.next() * 75.0);
            csv.push_str(&format!(
                "P{k};{day} 22:00;Brand;{:.0};{:.0}\n",
                590_000.0 + radius * angle.cos(),
                6_400_000.0 + radius * angle.sin(),
            ));
            day = day + chrono::Days::new(2 + (k % 2) as u64);
        }
    }
    csv
}

/// The closest band's (ratio, p) from `nearrepeat`'s default bands.
fn closest_band(wd: &Workdir, file: &str) -> (f64, f64) {
    let out = wd
        .run(&["nearrepeat", "--seed", "17", "--dialect", "plain", file])
        .ok();
    let first: Vec<String> = out
        .trim_start_matches('\u{feff}')
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    assert_eq!(&first[..2], ["0-200", "0-7"], "{out}");
    (first[4].parse().unwrap(), first[5].parse().unwrap())
}

#[test]
fn a_planted_series_is_a_near_repeat_and_random_fires_are_not() {
    let wd = Workdir::new();
    wd.write("serie.csv", fires(true));
    wd.write("slump.csv", fires(false));
    let (ratio, p) = closest_band(&wd, "serie.csv");
    assert!(ratio > 2.0 && p < 0.05, "planted: ratio {ratio}, p {p}");
    let (_, p) = closest_band(&wd, "slump.csv");
    assert!(p >= 0.01, "random: p {p}");
}

#[test]
fn the_report_lists_the_current_chain_of_a_planted_series() {
    let wd = Workdir::new();
    let cfg = wd.project("p", &fires(true), "");
    let cfg = cfg.to_str().unwrap();
    wd.run(&[
        "report",
        "--config",
        cfg,
        "--year",
        "2025",
        "--generated",
        "2026-01-10",
        "--out",
        "r",
    ])
    .ok();
    let knox = std::fs::read_to_string(wd.path("r/tables/narhet-brand.csv")).unwrap();
    let closest = knox.lines().nth(1).unwrap();
    assert!(
        closest.starts_with("0–200;0–7;") && closest.ends_with(";ja"),
        "{knox}"
    );
    let chains = std::fs::read_to_string(wd.path("r/tables/narhet-kedjor.csv")).unwrap();
    let rows: Vec<Vec<&str>> = chains
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect())
        .collect();
    // The series runs 1 October to about 13 December; the last 28 days before the
    // year's last fire hold its tail, linked into one chain of at least 3 fires within
    // 150 m of each other, shown by weeks ("v. 50 2025"), not days.
    let week = |cell: &str| -> u32 {
        cell.strip_prefix("v. ")
            .and_then(|w| w.strip_suffix(" 2025"))
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("not a week: {cell}"))
    };
    let series: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[0] == "Brand" && week(r[3]) >= 48)
        .collect();
    assert_eq!(series.len(), 1, "{chains}");
    let n: i64 = series[0][4].parse().unwrap();
    assert!(n >= 3, "{chains}");
    let widest: f64 = series[0][5].replace(' ', "").parse().unwrap();
    assert!(widest <= 150.0, "{chains}");
    let run = wd.run(&["audit", "r"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}
