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
            config.contains(&format!(
                "name = \"{}\"",
                lagesbild::model::sweden::official_name(name)
            )),
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

/// Right after `init`, a report runs on an own export for a handful of
/// municipalities of every kind (a small town, a northern one, a city, a suburb whose
/// tätort SCB counts to a neighbour): the first tätort named in the rows gets its
/// count, and the report passes the audit.
#[test]
fn a_report_runs_right_after_init() {
    let wd = Workdir::new();
    for kommun in ["Vimmerby", "Kiruna", "Malmö", "Järfälla"] {
        let dir = crate::util::slug(kommun);
        wd.run(&["init", "--kommun", kommun, "--out", &dir]).ok();
        let places = std::fs::read_to_string(wd.path(&format!("{dir}/places.toml"))).unwrap();
        let first = places
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map_or(kommun.to_owned(), |n| n.trim_end_matches('"').to_owned());
        let mut csv = String::from("id;datum;brottstyp;plats\n");
        for i in 0..40 {
            csv.push_str(&format!(
                "{i};2025-{:02}-{:02} 20:00;{};{}\n",
                i % 12 + 1,
                i % 27 + 1,
                ["Stöld", "Skadegörelse", "Misshandel"][i % 3],
                if i % 3 == 0 {
                    first.as_str()
                } else {
                    "Okänd gata 1"
                }
            ));
        }
        wd.write(&format!("{dir}.csv"), csv);
        wd.run(&[
            "report",
            "--config",
            &format!("{dir}/lagesbild.toml"),
            "--generated",
            "2026-01-15",
            "--out",
            &format!("r-{dir}"),
            &format!("{dir}.csv"),
        ])
        .ok();
        if places.contains("[[place]]") {
            let table = std::fs::read_to_string(
                wd.path(&format!("r-{dir}/tables/ovrigt-per-plats-2025.csv")),
            )
            .unwrap();
            assert!(
                table
                    .lines()
                    .any(|l| l.starts_with(&format!("{first};14;"))),
                "{kommun}: {table}"
            );
        }
        wd.run(&["audit", &format!("r-{dir}")]).ok();
    }
}

/// Brå's crime codes: a code-only export is shown with Brå's names and classified by
/// the default rules' codes (0412 in close relationships, 3005 in both drugs/alcohol
/// and traffic); `codes` lists a code with its areas; a rules file naming a code Brå
/// does not have is an error that names it.
#[test]
fn crime_codes_name_rows_and_classify_them() {
    let wd = Workdir::new();
    wd.run(&["init", "--kommun", "Vimmerby", "--out", "v"]).ok();
    wd.write(
        "koder.csv",
        "id;datum;brottskod;plats\n1;2025-03-01;0412;Vimmerby\n2;2025-03-02;3005;Vimmerby\n3;2025-03-03;1210;Vimmerby\n",
    );
    wd.run(&[
        "check",
        "--config",
        "v/lagesbild.toml",
        "--accepted",
        "ok.csv",
        "koder.csv",
    ])
    .ok();
    let accepted = std::fs::read_to_string(wd.path("ok.csv")).unwrap();
    assert!(
        accepted.contains(";Grov kvinnofridskränkning;0412;"),
        "{accepted}"
    );
    assert!(
        accepted.contains(";Skadegörelse, genom brand (ej på motorfordon);1210;"),
        "{accepted}"
    );
    let table = wd
        .run(&[
            "aggregate",
            "--config",
            "v/lagesbild.toml",
            "--by",
            "priority_area",
            "--period",
            "year",
            "koder.csv",
        ])
        .ok();
    for area in [
        "vald-i-nara-relation;2025;1;",
        "narkotika-alkohol;2025;1;",
        "trafikbrott;2025;1;",
    ] {
        assert!(table.contains(area), "{area}: {table}");
    }
    let listed = wd.run(&["codes", "3005"]).ok();
    assert!(
        listed.contains("3005  Rattfylleri") && listed.contains("→ narkotika-alkohol, trafikbrott"),
        "{listed}"
    );
    let rules = std::fs::read_to_string(wd.path("v/priority_areas.toml"))
        .unwrap()
        .replace("\"3001\",", "\"3001\", \"3999\",");
    wd.write("v/priority_areas.toml", rules);
    let run = wd.run(&["check", "--config", "v/lagesbild.toml", "koder.csv"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("brottskoden 3999 finns inte i Brå:s kodlista"),
        "{}",
        run.stderr()
    );
}

/// Places as they are written: a gazetteer name as a whole word anywhere in the field
/// ("Storgatan 12, VIMMERBY"), any case, the most specific place winning; the
/// municipality's own name ("VIMMERBY KOMMUN") counted in totals at no place and not
/// as unknown; what stays unknown listed by frequency. Counts by hand: Vimmerby 3,
/// Södra Vi 2, the municipality 2, unknown 3 (Ingenstans 2, Storebrogatan 1 – a street
/// name is not the place Storebro).
#[test]
fn places_are_found_as_written() {
    let wd = Workdir::new();
    wd.run(&["init", "--kommun", "Vimmerby", "--out", "v"]).ok();
    let rows = [
        "Storgatan 12, VIMMERBY",
        "vimmerby",
        "Vimmerby centrum, Vimmerby",
        "Skolgatan 3, 598 70 SÖDRA VI",
        "Södra Vi",
        "VIMMERBY KOMMUN",
        "Vimmerbys kommun",
        "Ingenstans",
        "Ingenstans",
        "Storebrogatan 1",
    ];
    let mut csv = String::from("id;datum;brottstyp;plats\n");
    for (i, place) in rows.iter().enumerate() {
        csv.push_str(&format!("{i};2025-03-{:02};Stöld;{place}\n", i + 1));
    }
    wd.write("adr.csv", csv);
    let run = wd.run(&[
        "aggregate",
        "--config",
        "v/lagesbild.toml",
        "--by",
        "place",
        "--period",
        "year",
        "adr.csv",
    ]);
    let table = run.ok();
    for (place, n) in [
        ("Vimmerby", 3),
        ("Södra Vi", 2),
        ("hela kommunen (ingen ort)", 2),
        ("okänd plats", 3),
    ] {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(&format!("{place};2025;{n};"))),
            "{place} {n}: {table}"
        );
    }
    let summary = run.stderr();
    assert!(
        summary.contains("2 bara kommunen (räknas i totalen), 3 okänd plats"),
        "{summary}"
    );
    assert!(
        summary.contains("okända platsnamn: Ingenstans (2), Storebrogatan 1 (1)"),
        "{summary}"
    );
}

/// Own priority areas just work: an area renamed from the national slug leaves the
/// police event-type mapping out with a note when the project has no police events,
/// is a clear error naming what to change when it has, and works again when the area
/// names its national role.
#[test]
fn own_area_slugs_follow_the_police_mapping_by_role() {
    let wd = Workdir::new();
    wd.run(&["init", "--kommun", "Vimmerby", "--out", "v"]).ok();
    let rules = std::fs::read_to_string(wd.path("v/priority_areas.toml"))
        .unwrap()
        .replace("slug = \"narkotika-alkohol\"", "slug = \"droger\"");
    wd.write("v/priority_areas.toml", &rules);
    wd.write(
        "h.csv",
        "id;datum;brottstyp;plats\n1;2025-03-01;Narkotikabrott;Vimmerby\n",
    );
    let run = wd.run(&[
        "aggregate",
        "--config",
        "v/lagesbild.toml",
        "--by",
        "priority_area",
        "h.csv",
    ]);
    assert!(run.ok().contains("droger;"), "{}", run.ok());
    assert!(
        run.stderr().contains(
            "räknas till området 'narkotika-alkohol', som inget av projektets områden är"
        ),
        "{}",
        run.stderr()
    );
    let config = std::fs::read_to_string(wd.path("v/lagesbild.toml"))
        .unwrap()
        .replace(
            "# polisen = [\"data/polisen-handelser.json\"]",
            "polisen = [\"data/polisen.json\"]",
        );
    wd.write("v/lagesbild.toml", &config);
    let run = wd.run(&["check", "--config", "v/lagesbild.toml", "h.csv"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("role = \\\"narkotika-alkohol\\\"")
            || run.stderr().contains("role = \"narkotika-alkohol\""),
        "{}",
        run.stderr()
    );
    wd.write(
        "v/priority_areas.toml",
        rules.replace(
            "slug = \"droger\"",
            "slug = \"droger\"\nrole = \"narkotika-alkohol\"",
        ),
    );
    wd.write("v/data/polisen.json", "[]");
    let run = wd.run(&["check", "--config", "v/lagesbild.toml", "h.csv"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

/// A Vimmerby export as a coordinator gets it – codes only, places as addresses in
/// capitals, the municipality's own name on some rows – gives the per-place counts of
/// an independent count (by construction here), and no row at an unknown place
/// except the truly unknown ones.
#[test]
fn a_code_only_address_export_counts_like_an_independent_count() {
    let wd = Workdir::new();
    wd.run(&["init", "--kommun", "0884", "--out", "v"]).ok();
    let places = std::fs::read_to_string(wd.path("v/places.toml")).unwrap();
    let names: Vec<String> = places
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"').to_owned())
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    let codes = ["0905", "1210", "9357", "5010", "3005", "0857"];
    let mut expected: std::collections::BTreeMap<String, usize> = Default::default();
    let mut csv = String::from("Ärendenummer;Brottsdatum;Brottskod;Brottsplats\n");
    let mut n = 0;
    for (i, name) in names.iter().enumerate() {
        for j in 0..(i % 4 + 1) {
            n += 1;
            let place = match j % 3 {
                0 => format!("Storgatan {n}, {}", name.to_uppercase()),
                1 => name.to_lowercase(),
                _ => format!("{name}, vid skolan"),
            };
            csv.push_str(&format!(
                "{n};2025-04-{:02};{};{place}\n",
                n % 28 + 1,
                codes[n % codes.len()]
            ));
            *expected.entry(name.clone()).or_default() += 1;
        }
    }
    for _ in 0..3 {
        n += 1;
        csv.push_str(&format!("{n};2025-05-02;0905;VIMMERBY KOMMUN\n"));
    }
    for unknown in ["Okända vägen 1", "Ö"] {
        n += 1;
        csv.push_str(&format!("{n};2025-05-03;1210;{unknown}\n"));
    }
    wd.write("uttag.csv", csv);
    let run = wd.run(&[
        "aggregate",
        "--config",
        "v/lagesbild.toml",
        "--by",
        "place",
        "--period",
        "year",
        "uttag.csv",
    ]);
    let table = run.ok();
    for (place, count) in &expected {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(&format!("{place};2025;{count};"))),
            "{place} {count}: {table}"
        );
    }
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("hela kommunen (ingen ort);2025;3;")),
        "{table}"
    );
    assert!(
        table.lines().any(|l| l.starts_with("okänd plats;2025;2;")),
        "{table}"
    );
    // Brå's names, not bare codes, in the list of unclassified offences.
    assert!(!run.stderr().contains("0857 ("), "{}", run.stderr());
}

/// A run in English writes English of its own: the project `init` makes (its notes and
/// comments), `generate`'s note, `check`'s encoding, the cells lagesbild fills in for a
/// missing value, and errors from a workbook; the Swedish run is unchanged.
#[test]
fn an_english_run_writes_no_swedish_of_its_own() {
    let wd = Workdir::new();
    let swedish = [
        "Nästa steg",
        "Sökvägar",
        "kommunen",
        "tätorter",
        " och ",
        " för ",
    ];
    wd.run(&["--lang", "en", "init", "--kommun", "Vimmerby", "--out", "p"])
        .ok();
    for file in [
        "LASMIG.txt",
        "lagesbild.toml",
        "places.toml",
        "medborgarloften.toml",
    ] {
        let text = std::fs::read_to_string(wd.path(&format!("p/{file}"))).unwrap();
        let comments: String = text
            .lines()
            .filter(|l| l.starts_with('#') || *file == *"LASMIG.txt")
            .collect::<Vec<_>>()
            .join("\n");
        for word in swedish {
            assert!(!comments.contains(word), "{file}: {word}\n{comments}");
        }
    }
    // The English project loads like the Swedish one.
    wd.write("en.csv", "id;datum;brottstyp;källa\n1;2025-03-01;Stöld;\n");
    let check = wd
        .run(&[
            "--lang",
            "en",
            "check",
            "--config",
            "p/lagesbild.toml",
            "en.csv",
        ])
        .ok();
    assert!(check.contains("encoding UTF-8"), "{check}");
    wd.write(
        "bom.csv",
        "\u{feff}id;datum;brottstyp\n1;2025-03-01;Stöld\n",
    );
    let check = wd.run(&["--lang", "en", "check", "bom.csv"]).ok();
    assert!(check.contains("UTF-8 with BOM"), "{check}");
    let check = wd.run(&["check", "bom.csv"]).ok();
    assert!(check.contains("UTF-8 med BOM"), "{check}");
    let table = wd
        .run(&[
            "--lang",
            "en",
            "aggregate",
            "--by",
            "source",
            "en.csv",
            "-q",
        ])
        .ok();
    assert!(
        table.contains("(not given)") && !table.contains("uppgift"),
        "{table}"
    );
    wd.run(&[
        "--lang",
        "en",
        "generate",
        "--out",
        "gen",
        "--years",
        "2025..2025",
        "-q",
    ])
    .ok();
    let note = std::fs::read_to_string(wd.path("gen/LASMIG.txt")).unwrap();
    assert!(note.starts_with("GENERATED TEST DATA"), "{note}");
    // The English note is generate's own: a second run may write over it.
    wd.run(&["generate", "--out", "gen", "--years", "2025..2025", "-q"])
        .ok();
    wd.write("trasig.xlsx", "inte ett kalkylblad");
    let run = wd.run(&["--lang", "en", "check", "trasig.xlsx"]);
    assert!(
        run.stderr().contains("the workbook cannot be read")
            && !run.stderr().contains("kalkylbladet"),
        "{}",
        run.stderr()
    );
}
