//! `lagesbild survey` on a Windows-1252 export with weights, "vet ej" and broken rows.

use serde_json::Value;

use crate::util::Workdir;

const RESPONSES: &str = "\
Löpnummer;År;Område;Vikt;Ålder;Kön;otrygg_kvall;narkotika
1;2024;Edsbruk;1,0;34;kvinna;3;4
2;2024;Edsbruk;2,5;71;man;1;1
3;2024;Edsbruk;1,0;45;man;9;2
4;2025;Edsbruk;1,0;22;kvinna;4;4
5;2025;Edsbruk;0,5;50;kvinna;2;9
6;2025;Edsbruks;1,0;;man;7;1
7;2025;Edsbruk;-1;30;man;1;1
8;2025;;1,0;30;man;1;1
4;2025;Edsbruk;1,0;22;kvinna;4;4
9;2025;Karstorp;1,0;40;kvinna;1;1
10;2025;edsbruks;1,0;40;kvinna;1;1
";

fn setup() -> Workdir {
    let wd = Workdir::new();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(RESPONSES);
    wd.write("svar.csv", &bytes);
    wd
}

#[test]
fn shares_with_weights_and_row_by_row_rejects() {
    let wd = setup();
    let run = wd.run(&[
        "survey",
        "--format",
        "json",
        "--rejects",
        "r.csv",
        "svar.csv",
    ]);
    let rows: Vec<Value> = serde_json::from_str(&run.ok()).unwrap();
    assert!(
        run.stderr()
            .contains("11 lästa = 7 godkända + 4 avvisade enkätsvar"),
        "{}",
        run.stderr()
    );
    let rejects = wd.rejects(&wd.path("r.csv"));
    let got: Vec<(u64, &str)> = rejects.iter().map(|(_, l, r)| (*l, r.as_str())).collect();
    assert_eq!(
        got,
        [
            (
                7,
                "svarskod utanför skalan: otrygg_kvall: otrygg_kvall = '7'"
            ),
            (8, "ogiltig vikt: Vikt = '-1'"),
            (9, "plats saknas: "),
            (
                10,
                "dubblett: respondent_id = '4', year = '2025' (först på rad 5 i svar.csv)"
            ),
        ]
    );
    let cell = |item: &str, place: &str, year: i64| {
        rows.iter()
            .find(|r| r["item"] == item && r["place"] == place && r["year"] == year)
            .unwrap()
            .clone()
    };
    // Edsbruk 2024, otrygg_kvall: codes 3 (w 1), 1 (w 2,5); 9 = vet ej left out.
    let c = cell("otrygg_kvall", "Edsbruk", 2024);
    assert_eq!(c["n"], 2);
    assert!((c["share"].as_f64().unwrap() - 1.0 / 3.5).abs() < 1e-12);
    assert!((c["n_eff"].as_f64().unwrap() - 3.5 * 3.5 / 7.25).abs() < 1e-12);
    assert_eq!(c["flag"], "för få svar");
    assert_eq!(c["question"], "Hur trygg eller otrygg känner du dig när du går ut ensam sent en kväll i det område där du bor?");
    // 2025: codes 4 (w 1), 2 (w 0,5), 1 (w 1, written "edsbruks") → 1/2,5; compared with 2024.
    let c = cell("otrygg_kvall", "Edsbruk", 2025);
    assert_eq!(c["n"], 3);
    assert!((c["share"].as_f64().unwrap() - 1.0 / 2.5).abs() < 1e-12);
    assert!((c["previous_share"].as_f64().unwrap() - 1.0 / 3.5).abs() < 1e-12);
    // Two and three answers: below the minimum of 30, so no verdict is given.
    assert_eq!(c["verdict"], "kan inte bedömas");
    // Karstorp has no 2024 answers: the cell exists with n = 0.
    let k = cell("narkotika", "Karstorp", 2024);
    assert_eq!((k["n"].as_i64(), k["share"].is_null()), (Some(0), true));
    let idx = wd.run(&[
        "survey",
        "--table",
        "index",
        "--format",
        "json",
        "--definition",
        "def.toml",
        "svar.csv",
    ]);
    assert_eq!(idx.code(), 2, "a missing definition file is an error");
}

#[test]
fn problem_index_is_reproducible() {
    let wd = setup();
    let a = wd
        .run(&["survey", "--table", "index", "--by", "place", "svar.csv"])
        .ok();
    let b = wd
        .run(&["survey", "--table", "index", "--by", "place", "svar.csv"])
        .ok();
    assert_eq!(
        a, b,
        "same seed, same bytes (seed dependence is tested in the library)"
    );
}

/// The embedded default data are exactly what the generator makes from seed 883 with
/// the command their note records, and the survey command runs on them. The note's
/// command names its last day (`--until`): without it the data end today, and the
/// test would fail on any later day.
#[test]
fn embedded_default_data_are_the_generators_output() {
    let wd = Workdir::new();
    let shipped_note = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/vastervik/LASMIG.txt"
    ))
    .unwrap();
    let command = shipped_note
        .split('`')
        .find(|part| part.starts_with("lagesbild generate "))
        .expect("LASMIG.txt records the generate command");
    let mut args: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert!(args.contains(&"--until"), "{command}");
    assert!(
        args.contains(&"--seed") && args.contains(&"883"),
        "{command}"
    );
    args.extend(["--out", "gen"]);
    wd.run(&args).ok();
    for name in [
        "genererade-handelser.csv",
        "genererade-polisen.json",
        "genererade-enkatsvar.csv",
        "LASMIG.txt",
    ] {
        let made = std::fs::read(wd.path(&format!("gen/{name}"))).unwrap();
        let shipped = std::fs::read(
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/vastervik/").to_owned() + name,
        )
        .unwrap();
        assert!(
            made == shipped,
            "data/vastervik/{name} differs from `lagesbild generate --out data/vastervik`"
        );
    }
    let note = std::fs::read_to_string(wd.path("gen/LASMIG.txt")).unwrap();
    assert!(note.starts_with("GENERERAD TESTDATA"));
    let run = wd.run(&["survey", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&run.ok()).unwrap();
    assert!(
        run.stderr()
            .contains("2400 lästa = 2400 godkända + 0 avvisade enkätsvar"),
        "{}",
        run.stderr()
    );
    // Karstorp's planted insecurity is visible in the last year.
    let share = |place: &str| {
        rows.iter()
            .find(|r| r["item"] == "otrygg_kvall" && r["place"] == place && r["year"] == 2026)
            .unwrap()["share"]
            .as_f64()
            .unwrap()
    };
    assert!(share("Karstorp") > share("Västervik"));
}

#[test]
fn published_share_tables_with_and_without_n() {
    let wd = Workdir::new();
    wd.write(
        "tabell.csv",
        "Fråga;Område;År;Antal svar;Andel\notrygg;Gamleby;2024;50;40\notrygg;Gamleby;2025;60;25,5\notrygg;Gamleby;2026;10;30\notrygg;Gamleby;2026;10;30\notrygg;Gamleby;2027;;130\n",
    );
    let run = wd.run(&[
        "survey",
        "--published",
        "--format",
        "json",
        "--rejects",
        "r.csv",
        "tabell.csv",
    ]);
    let rows: Vec<Value> = serde_json::from_str(&run.ok()).unwrap();
    let rejects = wd.rejects(&wd.path("r.csv"));
    let reasons: Vec<(u64, &str)> = rejects.iter().map(|(_, l, r)| (*l, r.as_str())).collect();
    assert_eq!(
        reasons,
        [
            (5, "dubblett: item = 'otrygg', place = 'Gamleby', year = '2026', dimension = '', group = '', subgroup = '' (först på rad 4 i tabell.csv)"),
            (6, "ogiltig andel: Andel = '130'"),
        ]
    );
    assert_eq!(rows.len(), 3);
    // The default design effect of published shares, 1,5: n_eff = 50 / 1,5.
    let (p, n) = (0.40, 50.0 / 1.5);
    assert!((rows[0]["n_eff"].as_f64().unwrap() - n).abs() < 1e-12);
    let (lo, hi) = (
        rows[0]["ci_low"].as_f64().unwrap(),
        rows[0]["ci_high"].as_f64().unwrap(),
    );
    // Wilson by hand for 40 % of 50 / 1,5.
    let z: f64 = 1.959963984540054;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    assert!((lo - (centre - half)).abs() < 1e-12 && (hi - (centre + half)).abs() < 1e-12);
    assert!(rows[0]["flag"].is_null());
    assert_eq!(rows[1]["share"], 0.255);
    assert!((rows[1]["change_pp"].as_f64().unwrap() - -14.5).abs() < 1e-9);
    assert_eq!(rows[2]["flag"], "för få svar");
}

#[test]
fn ntu_national_table_reads_whole() {
    let Some(path) =
        crate::shared::shared_data("ntu-2016-national/bra_2016_crime_vs_fear_by_group.csv")
    else {
        return;
    };
    let wd = Workdir::new();
    let path = path.to_string_lossy().to_string();
    let run = wd.run(&[
        "survey",
        "--published",
        "--place",
        "riket",
        "--year",
        "2016",
        "--format",
        "json",
        &path,
    ]);
    let rows: Vec<Value> = serde_json::from_str(&run.ok()).unwrap();
    assert!(
        run.stderr()
            .contains("584 lästa = 584 godkända + 0 avvisade"),
        "{}",
        run.stderr()
    );
    let all = rows
        .iter()
        .find(|r| {
            r["item"] == "Victims of any crime"
                && r["dimension"] == "Age and Gender"
                && r["group"] == "All"
                && r["subgroup"] == "combined"
        })
        .unwrap();
    assert!((all["share"].as_f64().unwrap() - 0.133).abs() < 1e-12);
    assert_eq!(all["flag"], "antal svar saknas");
}

/// National scale: other municipalities are added at the same rate per inhabitant,
/// placed by their names, and every generated row is accepted.
#[test]
fn generator_adds_other_municipalities() {
    let wd = Workdir::new();
    wd.run(&[
        "generate",
        "--out",
        "g",
        "--years",
        "2025..2025",
        "--incidents",
        "100",
        "--municipalities",
        "3",
    ])
    .ok();
    let text = std::fs::read_to_string(wd.path("g/genererade-handelser.csv")).unwrap();
    let count = |place: &str| {
        text.lines()
            .filter(|l| l.split(';').nth(4) == Some(place))
            .count()
    };
    // Västervik's gazetteer holds 31 992 inhabitants; Upplands Väsby (0114) has 50 295.
    let home: u64 = 21472
        + 1500
        + 2826
        + 1278
        + 1155
        + 1018
        + 654
        + 478
        + 335
        + 303
        + 221
        + 150
        + 100
        + 150
        + 100
        + 230;
    assert_eq!(
        count("Upplands Väsby") as u64,
        (100.0 * 50295.0 / home as f64).round() as u64
    );
    assert!(count("Vallentuna") > 0);
    assert!(std::fs::read_to_string(wd.path("g/LASMIG.txt"))
        .unwrap()
        .contains("--municipalities 3"));
    let run = wd.run(&["check", "--format", "json", "g/genererade-handelser.csv"]);
    let s: Value = serde_json::from_str(&run.ok()).unwrap();
    assert_eq!(s["rejected"], 0);
    assert_eq!(
        wd.run(&["generate", "--out", "g", "--municipalities", "291"])
            .code(),
        2
    );
}
