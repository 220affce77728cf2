//! `lagesbild init`: a ready project for every municipality, found in any spelling,
//! and a report straight after.

use crate::util::Workdir;

/// Every one of the 290 municipalities gets a project whose configuration loads
/// (checked with `check` on a one-row export), with its tätorter and boundary.
#[test]
fn init_works_for_every_municipality() {
    let wd = Workdir::new();
    let list = include_str!("../../data/sverige/kommuner.csv");
    let codes: Vec<(&str, &str)> = list
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(';');
            Some((f.next()?, f.next()?))
        })
        .collect();
    assert_eq!(codes.len(), 290);
    wd.write("en.csv", "id;datum;brottstyp\n1;2025-03-01;Stöld\n");
    for (code, name) in &codes {
        let dir = format!("p{code}");
        wd.run(&["init", "--kommun", code, "--out", &dir]).ok();
        let config = std::fs::read_to_string(wd.path(&format!("{dir}/lagesbild.toml"))).unwrap();
        assert!(
            config.contains(&format!("name = \"{name} kommun\"")),
            "{code}"
        );
        let out = wd
            .run(&[
                "check",
                "--config",
                &format!("{dir}/lagesbild.toml"),
                "en.csv",
            ])
            .ok();
        assert!(
            out.contains("1 lästa = 1 godkända + 0 avvisade"),
            "{code}: {out}"
        );
    }
}

/// Names in any spelling find the municipality; an unknown name suggests the
/// closest; an existing folder with files is never written into.
#[test]
fn init_finds_names_suggests_and_never_overwrites() {
    let wd = Workdir::new();
    for (i, spelling) in [
        "Vimmerby",
        "vimmerby",
        "Vimmerby kommun",
        "VIMMERBY KOMMUN",
        "0884",
    ]
    .iter()
    .enumerate()
    {
        let dir = format!("v{i}");
        wd.run(&["init", "--kommun", spelling, "--out", &dir]).ok();
        let config = std::fs::read_to_string(wd.path(&format!("{dir}/lagesbild.toml"))).unwrap();
        assert!(config.contains("code = \"0884\""), "{spelling}");
    }
    let places = std::fs::read_to_string(wd.path("v0/places.toml")).unwrap();
    assert!(places.contains("name = \"Vimmerby\""), "{places}");
    let run = wd.run(&["init", "--kommun", "Vimerby"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("Vimmerby (0884)"), "{}", run.stderr());
    std::fs::create_dir_all(wd.path("upptagen")).unwrap();
    wd.write("upptagen/mina.txt", "mitt");
    let run = wd.run(&["init", "--kommun", "Vimmerby", "--out", "upptagen"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("inte tom"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(wd.path("upptagen/mina.txt")).unwrap(),
        "mitt"
    );
}

/// Right after `init`, a report runs on an own export: the tätort named in the rows
/// gets its count, and the report passes the audit.
#[test]
fn a_report_runs_right_after_init() {
    let wd = Workdir::new();
    wd.run(&["init", "--kommun", "Vimmerby", "--out", "vimmerby"])
        .ok();
    let mut csv = String::from("id;datum;brottstyp;plats\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "{i};2025-{:02}-{:02} 20:00;{};{}\n",
            i % 12 + 1,
            i % 27 + 1,
            ["Stöld", "Skadegörelse", "Misshandel"][i % 3],
            ["Vimmerby", "Södra Vi", "Storebro"][i % 3]
        ));
    }
    wd.write("uttag.csv", csv);
    wd.run(&[
        "report",
        "--config",
        "vimmerby/lagesbild.toml",
        "--generated",
        "2026-01-15",
        "--out",
        "r",
        "uttag.csv",
    ])
    .ok();
    let table = std::fs::read_to_string(wd.path("r/tables/ovrigt-per-plats-2025.csv")).unwrap();
    assert!(
        table.lines().any(|l| l.starts_with("Vimmerby;14;")),
        "{table}"
    );
    wd.run(&["audit", "r"]).ok();
}
