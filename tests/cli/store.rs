//! The partitioned store: `import incidents --store` and `--store` on the analysis
//! commands give the same counts as the files, an import replaces by id, a folder that
//! is not a store is never written to, and DuckDB reads the store to the same counts.

use crate::util::Workdir;

const FIRST: &str = "\
id;datum;brottstyp;plats;antal
1;2024-01-10 10:00;Rattfylleri;Gamleby;1
2;2024-05-10;Narkotikabrott;Edsbruk;2
3;2025-03-01;Narkotikabrott;Edsbruk;1
4;2025-03-02;Stöld;Ankarsrum;1
5;2025-12-31 23:59;Brand;Västervik;1
6;2025-13-01;Brand;Västervik;1
";

/// A second export: incident 3 corrected (moved to 2024, now a theft), and a new one.
const SECOND: &str = "\
id;datum;brottstyp;plats;antal
3;2024-03-01;Stöld;Edsbruk;1
7;2025-06-01;Misshandel;Gamleby;1
";

fn counts(wd: &Workdir, args: &[&str]) -> Vec<String> {
    let mut all = vec!["aggregate", "--by", "offence", "--dialect", "plain", "-q"];
    all.extend_from_slice(args);
    let out = wd.run(&all).ok();
    offence_rows(out.trim_start_matches('\u{feff}').lines().skip(1), 0)
}

/// `offence;period;count` of every table line whose offence is in column `first`,
/// leaving out zeros, sorted.
fn offence_rows<'a>(lines: impl Iterator<Item = &'a str>, first: usize) -> Vec<String> {
    let mut rows: Vec<String> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{};{};{}", f[first], f[first + 1], f[first + 2])
        })
        .filter(|l| !l.ends_with(";0"))
        .collect();
    rows.sort();
    rows
}

/// The incidents of `offence_rows` rows: the sum of their counts.
fn incidents_in(rows: &[String]) -> usize {
    rows.iter()
        .map(|r| r.rsplit(';').next().unwrap().parse::<usize>().unwrap())
        .sum()
}

#[test]
fn the_store_gives_the_files_counts_and_replaces_by_id() {
    let wd = Workdir::new();
    wd.write("a.csv", FIRST);
    wd.write("b.csv", SECOND);
    let run = wd.run(&[
        "import",
        "incidents",
        "a.csv",
        "--store",
        "db",
        "--rejects",
        "rej.csv",
    ]);
    run.ok();
    // Line 7 (month 13) is rejected with its line, as from files.
    assert!(
        run.stderr().contains("6 lästa = 5 godkända + 1 avvisade"),
        "{}",
        run.stderr()
    );
    assert_eq!(wd.rejects(&wd.path("rej.csv"))[0].1, 7);
    assert!(wd
        .path("db/kommun=0883/year=2024/incidents.parquet")
        .is_file());
    assert!(wd
        .path("db/kommun=0883/year=2025/incidents.parquet")
        .is_file());
    assert_eq!(counts(&wd, &["--store", "db"]), counts(&wd, &["a.csv"]),);
    let run = wd.run(&["import", "incidents", "b.csv", "--store", "db"]);
    run.ok();
    assert!(
        run.stderr().contains("1 nya + 1 ersatta"),
        "{}",
        run.stderr()
    );
    // Incident 3 is now a theft of 2024 only: the 2025 partition lost it.
    let after = counts(&wd, &["--store", "db"]);
    assert!(after.contains(&"Stöld;2024;1".to_owned()), "{after:?}");
    assert!(
        after.contains(&"Narkotikabrott;2024;2".to_owned()),
        "{after:?}"
    );
    assert!(
        !after.iter().any(|r| r.starts_with("Narkotikabrott;2025")),
        "{after:?}"
    );
    assert!(after.contains(&"Misshandel;2025;1".to_owned()), "{after:?}");
    // A free-text description is never stored.
    wd.write(
        "c.csv",
        "id;datum;brottstyp;plats;beskrivning\n9;2025-07-01;Stöld;Gamleby;hemlig beskrivning av grannen\n",
    );
    wd.run(&["import", "incidents", "c.csv", "--store", "db", "-q"])
        .ok();
    let bytes = std::fs::read(wd.path("db/kommun=0883/year=2025/incidents.parquet")).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("hemlig"));
}

#[test]
fn a_folder_that_is_no_store_is_left_alone() {
    let wd = Workdir::new();
    wd.write("a.csv", FIRST);
    std::fs::create_dir_all(wd.path("mina")).unwrap();
    wd.write("mina/viktig.txt", "min fil");
    let run = wd.run(&["import", "incidents", "a.csv", "--store", "mina"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("ingen lagesbild-databas"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read_dir(wd.path("mina")).unwrap().count(), 1);
    let run = wd.run(&["aggregate", "--store", "mina"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("import incidents"),
        "{}",
        run.stderr()
    );
    // A Parquet file of another kind in a partition's place is named, not read.
    wd.run(&["import", "incidents", "a.csv", "--store", "db", "-q"])
        .ok();
    std::fs::create_dir_all(wd.path("db/kommun=0883/year=2031")).unwrap();
    wd.run(&[
        "aggregate",
        "a.csv",
        "--format",
        "parquet",
        "--out",
        "db/kommun=0883/year=2031/incidents.parquet",
        "-q",
    ])
    .ok();
    for args in [
        &["aggregate", "--store", "db"][..],
        &["import", "incidents", "a.csv", "--store", "db"][..],
    ] {
        let run = wd.run(args);
        assert_ne!(run.code(), 0, "{args:?}");
        assert!(
            run.stderr().contains("year=2031/incidents.parquet: är ingen händelsefil från lagesbild (kolumnen id saknas"),
            "{}",
            run.stderr()
        );
    }
}

/// DuckDB (its Python package) reads the store, as docs/scaling.md shows, to the same
/// counts per offence type and year as `lagesbild aggregate --store`.
#[test]
fn duckdb_reads_the_store_to_our_counts() {
    let has_duckdb = std::process::Command::new("python3")
        .args(["-c", "import duckdb"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_duckdb {
        assert_ne!(
            std::env::var("LAGESBILD_REQUIRE_DUCKDB").as_deref(),
            Ok("1"),
            "LAGESBILD_REQUIRE_DUCKDB=1, but python3 has no duckdb"
        );
        eprintln!("SKIPPED: python3 has no duckdb (pip install duckdb)");
        return;
    }
    let wd = Workdir::new();
    wd.run(&["import", "incidents", "--store", "db", "-q"]).ok();
    let ours = counts(&wd, &["--store", "db", "--kommun", "0883"]);
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scripts/duckdb_counts.py"
    );
    let out = std::process::Command::new("python3")
        .args([script, wd.path("db").to_str().unwrap(), "0883"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    theirs.sort();
    assert!(ours.len() > 50, "{ours:?}");
    assert_eq!(ours, theirs);
}

/// `report --all --store`: one report per municipality in the store, each with its own
/// project (Kalmar from the national tables), past a broken municipality that is named
/// at the end with exit code 1; the store's report for Västervik equals the report
/// from the files.
#[test]
fn report_all_writes_one_report_per_municipality_and_names_the_broken_one() {
    let wd = Workdir::new();
    wd.run(&["import", "incidents", "--store", "db", "-q"]).ok();
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/vastervik/genererade-handelser.csv"
    );
    // Another municipality's incidents must be named: the project's own inputs are not
    // Kalmar's.
    let run = wd.run(&["import", "incidents", "--store", "db", "--kommun", "Kalmar"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("ange händelsefilerna"),
        "{}",
        run.stderr()
    );
    wd.run(&[
        "import",
        "incidents",
        data,
        "--store",
        "db",
        "--kommun",
        "Kalmar",
        "-q",
    ])
    .ok();
    std::fs::create_dir_all(wd.path("db/kommun=0881/year=2025")).unwrap();
    wd.write("db/kommun=0881/year=2025/incidents.parquet", "inte parquet");
    let run = wd.run(&[
        "report",
        "--all",
        "--store",
        "db",
        "--out",
        "ut",
        "--generated",
        "2026-11-30",
    ]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("2 rapporter skrivna i ut, 1 misslyckades"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("Nybro (0881)"), "{}", run.stderr());
    // One folder per municipality, named by code so that names that fold alike (Håbo,
    // Habo) never share one.
    assert_eq!(std::fs::read_dir(wd.path("ut")).unwrap().count(), 2);
    let kalmar = std::fs::read_to_string(wd.path("ut/0880-kalmar-2026/index.html")).unwrap();
    assert!(kalmar.contains("Kalmars kommun"));
    // A promise draft reads the municipality of the store it is given (it once read the
    // embedded Västervik project whatever --store and --kommun said).
    wd.run(&[
        "promises",
        "draft",
        "--store",
        "db",
        "--kommun",
        "Kalmar",
        "--out",
        "utkast",
        "--generated",
        "2026-11-30",
        "-q",
    ])
    .ok();
    let draft = std::fs::read_to_string(wd.path("utkast/index.html")).unwrap();
    assert!(
        draft.contains("Kalmars kommun") && !draft.contains("Västerviks kommun"),
        "the draft is not Kalmar's"
    );
    // The same incidents from the store and from the files give the same tables.
    wd.run(&[
        "report",
        "--out",
        "filer",
        "--generated",
        "2026-11-30",
        "-q",
    ])
    .ok();
    for table in [
        "skada-brottstyper.csv",
        "skada-omraden.csv",
        "narhet-brand.csv",
    ] {
        assert_eq!(
            std::fs::read(wd.path(&format!("ut/0883-vastervik-2026/tables/{table}"))).unwrap(),
            std::fs::read(wd.path(&format!("filer/tables/{table}"))).unwrap(),
            "{table}"
        );
    }
}

/// `generate --municipalities 3 --store`: the national generator streams the CSV and
/// fills the store one municipality at a time; the store holds every generated row.
#[test]
fn the_generator_fills_the_store_with_every_row_it_writes() {
    let wd = Workdir::new();
    wd.run(&[
        "generate",
        "--out",
        "gen",
        "--municipalities",
        "3",
        "--years",
        "2024..2025",
        "--until",
        "2025-12-31",
        "--store",
        "db",
        "-q",
    ])
    .ok();
    let csv = std::fs::read_to_string(wd.path("gen/genererade-handelser.csv")).unwrap();
    let written = csv.lines().count() - 1;
    let mut stored = 0;
    for code in ["0883", "0114", "0115"] {
        assert!(wd
            .path(&format!("db/kommun={code}/year=2025/incidents.parquet"))
            .is_file());
        let rows = counts(&wd, &["--store", "db", "--kommun", code]);
        stored += incidents_in(&rows);
    }
    assert_eq!(stored, written);
    let rows_of = |prefix: &str| csv.lines().filter(|l| l.starts_with(prefix)).count();
    assert!(rows_of("K0114-") > 0 && rows_of("K0115-") > 0 && rows_of("G") > 0);

    // `aggregate --all`: every municipality, each with its own rows exactly as
    // `--kommun` gives them, in code order.
    let all = wd
        .run(&[
            "aggregate",
            "--all",
            "--store",
            "db",
            "--by",
            "offence",
            "--dialect",
            "plain",
            "-q",
        ])
        .ok();
    let mut lines = all.trim_start_matches('\u{feff}').lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("municipality_code,municipality,offence,period,count"));
    let mut codes_seen: Vec<String> = Vec::new();
    let mut total = 0;
    for code in ["0883", "0114", "0115"] {
        let prefix = format!("{code},");
        let mine = offence_rows(all.lines().filter(|l| l.starts_with(&prefix)), 2);
        assert_eq!(
            mine,
            counts(&wd, &["--store", "db", "--kommun", code]),
            "{code}"
        );
        total += incidents_in(&mine);
    }
    for line in lines {
        let code = line.split(',').next().unwrap().to_owned();
        if codes_seen.last() != Some(&code) {
            codes_seen.push(code);
        }
    }
    assert_eq!(codes_seen, ["0114", "0115", "0883"]);
    assert!(all.contains(",Västervik,"));
    assert_eq!(total, written);
}

/// A table from the store reads only the columns counting needs, in the store's order
/// (time and id), not the file's: it must be the same table, byte for byte, as from
/// the file in its own order. The built-in incidents (coordinates, ages, close
/// relations) are read in reverse, some with an offence code that outweighs their
/// text, so that order, placing by point, the areas and harm by code all count.
#[test]
fn a_table_from_the_store_is_the_table_from_the_file_whatever_its_order() {
    let wd = Workdir::new();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/vastervik/genererade-handelser.csv"
    ))
    .unwrap();
    let mut lines = text.lines();
    let mut csv = format!("{};offence_code\n", lines.next().unwrap());
    for (i, line) in lines.rev().enumerate() {
        // 0375 is grov misshandel whatever the text says (docs/harm.md).
        let code = if i % 7 == 0 { "0375" } else { "" };
        csv.push_str(&format!("{line};{code}\n"));
    }
    wd.write("bakvand.csv", csv);
    wd.run(&["import", "incidents", "bakvand.csv", "--store", "db", "-q"])
        .ok();
    for (by, period) in [
        ("offence,place", "month"),
        ("priority_area,place", "quarter"),
        ("priority_area,offence", "year"),
        ("source", "rolling12"),
        ("place", "week"),
    ] {
        let table = |input: &[&str]| {
            let mut args = vec!["aggregate", "--by", by, "--period", period, "-q"];
            args.extend_from_slice(input);
            wd.run(&args).ok()
        };
        let from_file = table(&["bakvand.csv"]);
        assert!(from_file.lines().count() > 20, "{by} {period}: {from_file}");
        assert!(
            !by.contains("place") || from_file.contains("Västervik"),
            "{by} {period}"
        );
        assert_eq!(
            table(&["--store", "db"]),
            from_file,
            "--by {by} --period {period}"
        );
    }
}

/// Ids that are personnummer get the same pseudonym in every import into a store (its
/// key's), so that replacing by id replaces the same incident and never another
/// person's; the numbers themselves are never stored.
#[test]
fn personnummer_ids_keep_their_pseudonym_between_imports() {
    let wd = Workdir::new();
    let head = "id;occurred_at;offence;place\n";
    wd.write(
        "a.csv",
        format!("{head}19850101-1236;2025-03-01 12:00;Stöld;Västervik\n"),
    );
    wd.write(
        "b.csv",
        format!("{head}19900202-2342;2025-04-01 12:00;Brand;Gamleby\n"),
    );
    // a.csv again, corrected: the same id, now a burglary.
    wd.write(
        "c.csv",
        format!("{head}19850101-1236;2025-03-01 12:00;Inbrott;Västervik\n"),
    );
    let import = |file: &str| {
        let run = wd.run(&["import", "incidents", file, "--store", "db"]);
        run.ok();
        run.stderr()
    };
    assert!(import("a.csv").contains("1 nya + 0 ersatta"));
    let second = import("b.csv");
    assert!(second.contains("1 nya + 0 ersatta"), "{second}");
    let third = import("c.csv");
    assert!(third.contains("0 nya + 1 ersatta"), "{third}");
    let rows = counts(&wd, &["--store", "db"]);
    assert_eq!(rows, ["Brand;2025;1", "Inbrott;2025;1"], "{rows:?}");
    let file = std::fs::File::open(wd.path("db/kommun=0883/year=2025/incidents.parquet")).unwrap();
    use polars::prelude::SerReader as _;
    let stored = polars::prelude::ParquetReader::new(file).finish().unwrap();
    let mut ids: Vec<String> = stored
        .column("id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|id| id.unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 2);
    for id in &ids {
        assert!(
            id.starts_with("[personnummer ") && id.len() == "[personnummer ]".len() + 16,
            "{ids:?}"
        );
        assert!(!id.contains("850101") && !id.contains("900202"), "{ids:?}");
    }
    assert_ne!(ids[0], ids[1]);
    // The key is its owner's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(wd.path("db/lagesbild-store.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    // A lost key is not silently made anew while the store holds pseudonyms.
    let key = std::fs::read(wd.path("db/lagesbild-store.key")).unwrap();
    std::fs::remove_file(wd.path("db/lagesbild-store.key")).unwrap();
    let run = wd.run(&["import", "incidents", "c.csv", "--store", "db"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("lägg tillbaka nyckelfilen"),
        "{}",
        run.stderr()
    );
    assert!(!wd.path("db/lagesbild-store.key").exists());
    wd.write("db/lagesbild-store.key", key);
    // A damaged key stops the import with what to do, before anything is written.
    wd.write("db/lagesbild-store.key", "inte en nyckel\n");
    let run = wd.run(&["import", "incidents", "a.csv", "--store", "db"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("ingen nyckel från lagesbild"),
        "{}",
        run.stderr()
    );
}

/// A folder named like a partition that lagesbild would not have written stops the
/// reading with its name, instead of a year read twice (`year=+2025` is 2025 again) or
/// a municipality left out without a word.
#[test]
fn a_folder_named_like_no_partition_is_named() {
    let wd = Workdir::new();
    wd.write("a.csv", FIRST);
    wd.run(&["import", "incidents", "a.csv", "--store", "db", "-q"])
        .ok();
    let before = counts(&wd, &["--store", "db"]);
    for odd in [
        "kommun=0883/year=+2025",
        "kommun=0883/year=x",
        "kommun=883",
        "kommun=abc",
        "kommun=0883 ",
    ] {
        std::fs::create_dir_all(wd.path(&format!("db/{odd}"))).unwrap();
        for args in [
            &["aggregate", "--store", "db"][..],
            &["aggregate", "--store", "db", "--all"][..],
        ] {
            let run = wd.run(args);
            assert_ne!(run.code(), 0, "{odd}: {args:?}");
            assert!(
                run.stderr().contains(odd) && run.stderr().contains("ingen partition"),
                "{odd}: {}",
                run.stderr()
            );
        }
        std::fs::remove_dir(wd.path(&format!("db/{odd}"))).unwrap();
    }
    // What is not named like a partition is left alone.
    wd.write("db/LÄSMIG.txt", "anteckningar");
    wd.write("db/kommun=0883/anteckningar.txt", "mer");
    assert_eq!(counts(&wd, &["--store", "db"]), before);
}

/// The marker is read, not only found: a store of a later format version, or a file of
/// the marker's name that is not lagesbild's, is not read as a store.
#[test]
fn the_marker_must_name_the_format_and_a_version_read_here() {
    let wd = Workdir::new();
    wd.write("a.csv", FIRST);
    wd.run(&["import", "incidents", "a.csv", "--store", "db", "-q"])
        .ok();
    for (marker, said) in [
        (
            "format = \"lagesbild-store\"\nversion = 99\n",
            "använd en nyare lagesbild",
        ),
        ("mina anteckningar\n", "ingen markering från lagesbild"),
    ] {
        wd.write("db/lagesbild-store.toml", marker);
        let run = wd.run(&["aggregate", "--store", "db"]);
        assert_ne!(run.code(), 0);
        assert!(run.stderr().contains(said), "{}", run.stderr());
    }
}

/// A personnummer in a file's name is masked wherever the name is kept: the store's
/// `_file` and the rejected rows' file.
#[test]
fn a_personnummer_in_a_file_name_is_masked() {
    let wd = Workdir::new();
    let name = "anmalan_19900101-1239.csv";
    wd.write(
        name,
        "id;occurred_at;offence;place\nA1;2025-03-01 12:00;Stöld;Västervik\nA2;inte ett datum;Stöld;Västervik\n",
    );
    wd.run(&[
        "import",
        "incidents",
        name,
        "--store",
        "db",
        "--rejects",
        "r.csv",
        "-q",
    ])
    .ok();
    let file = std::fs::File::open(wd.path("db/kommun=0883/year=2025/incidents.parquet")).unwrap();
    use polars::prelude::SerReader as _;
    let stored = polars::prelude::ParquetReader::new(file).finish().unwrap();
    let files: Vec<String> = stored
        .column("_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|f| f.unwrap().to_owned())
        .collect();
    assert_eq!(files, ["anmalan_[personnummer].csv"]);
    let rejects = wd.rejects(&wd.path("r.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].0, "anmalan_[personnummer].csv");
}
