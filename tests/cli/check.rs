//! `lagesbild check` on files in every dialect analysts export, and on broken files.

use serde_json::Value;

use crate::util::Workdir;

/// Runs `check --format json` on `file`, writing rejects and accepted rows into the
/// work folder; returns the JSON summary.
fn check_json(wd: &Workdir, file: &str) -> Value {
    wd.run(&[
        "check",
        "--format",
        "json",
        "--rejects",
        "avvisade.csv",
        "--accepted",
        "godkanda.csv",
        file,
    ])
    .json()
}

/// The accepted rows as maps from canonical column to text.
fn accepted(wd: &Workdir) -> Vec<std::collections::HashMap<String, String>> {
    let (header, rows) = wd.canonical(&wd.path("godkanda.csv"));
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

#[test]
fn utf8_comma_file_with_quoted_separators_newlines_and_missing_markers() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        "id,occurred_at,offence,place,description,count\n\
         A1,2026-08-22 9:36:54 +02:00,\"Stöld, försök\",Överum,\"Försök till stöld, Överum.\nAndra raden.\",1\n\
         A2,2026-08-22 09:36,Skadegörelse,Åby,..,\n\
         A3,2026-08-22,Brand,Ankarsrums,\"citat \"\"inom\"\" fält\",2\n",
    );
    let s = check_json(&wd, "a.csv");
    let f = &s["files"][0];
    assert_eq!(
        (f["encoding"].as_str(), f["separator"].as_str()),
        (Some("utf8"), Some(","))
    );
    assert_eq!(
        (
            f["rows_read"].as_u64(),
            f["accepted"].as_u64(),
            f["rejected"].as_u64()
        ),
        (Some(3), Some(3), Some(0))
    );
    let rows = accepted(&wd);
    // The input gave an offset: it is kept with the local time.
    assert_eq!(rows[0]["occurred_at"], "2026-08-22 09:36:54+02:00");
    assert_eq!(rows[0]["offence"], "Stöld, försök");
    assert_eq!(rows[0]["place"], "Överum");
    assert_eq!(
        rows[0]["description"],
        "Försök till stöld, Överum.\nAndra raden."
    );
    assert_eq!(rows[1]["occurred_at"], "2026-08-22 09:36:00");
    assert_eq!(rows[1]["place"], "Åby");
    assert_eq!(rows[1]["description"], "", "'..' is missing");
    assert_eq!(rows[1]["count"], "1", "an empty count means one incident");
    assert_eq!(
        rows[2]["occurred_at"], "2026-08-22",
        "a bare date stays a date"
    );
    assert_eq!(rows[2]["description"], "citat \"inom\" fält");
    assert_eq!(rows[2]["count"], "2");
}

#[test]
fn utf8_bom_tab_file_with_utc_times_across_the_spring_daylight_saving_change() {
    let wd = Workdir::new();
    // 2026-03-29 is the last Sunday of March: clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC.
    wd.write(
        "b.tsv",
        "\u{FEFF}ID\tTidpunkt\tHändelsetyp\tOmråde\tAntal\r\n\
         B1\t2026-03-29T00:30:00Z\tMisshandel\tGamleby\t1\r\n\
         B2\t2026-03-29T01:30:00Z\tMisshandel\tGamleby\t1\r\n\
         B3\t2026-10-25 02:30:00 +01:00\tBråk\tGamleby\t1\r\n",
    );
    let s = check_json(&wd, "b.tsv");
    let f = &s["files"][0];
    assert_eq!(
        (f["encoding"].as_str(), f["separator"].as_str()),
        (Some("utf8-bom"), Some("\t"))
    );
    assert_eq!(f["accepted"].as_u64(), Some(3));
    let rows = accepted(&wd);
    assert_eq!(rows[0]["occurred_at"], "2026-03-29 01:30:00+01:00");
    assert_eq!(rows[1]["occurred_at"], "2026-03-29 03:30:00+02:00");
    // The second 02:30 of the autumn night (after the change, +01:00) stays 02:30 local,
    // and its offset tells it from the first.
    assert_eq!(rows[2]["occurred_at"], "2026-10-25 02:30:00+01:00");
    assert_eq!(rows[2]["offence"], "Bråk");
}

#[test]
fn windows_1252_semicolon_file_with_decimal_comma_and_swapped_axes() {
    let wd = Workdir::new();
    let text = "Löpnummer;Datum;Brottstyp;Plats;E;N;Ålder misstänkt;Nära relation;Antal\r\n\
                1;2025-11-03 22:15;Skadegörelse;Överum;577483,08;6428336,09;15;nej;1\r\n\
                2;2025-11-04;Misshandel;Västervik;596 813,5;6 403 188,96;;ja;1\r\n\
                3;2025-11-05 01:00;Narkotikabrott;Edsbruk;6431524,39;586916,57;;;1\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test file really is not UTF-8"
    );
    wd.write("c.csv", &bytes);
    let s = check_json(&wd, "c.csv");
    let f = &s["files"][0];
    assert_eq!(f["encoding"].as_str(), Some("windows1252"));
    assert_eq!(f["separator"].as_str(), Some(";"));
    assert_eq!(f["decimal_comma"].as_bool(), Some(true));
    assert_eq!(
        (
            f["rows_read"].as_u64(),
            f["accepted"].as_u64(),
            f["rejected"].as_u64()
        ),
        (Some(3), Some(3), Some(0))
    );
    assert_eq!(
        f["notes"][0][0].as_str(),
        Some("x och y omkastade, rättade")
    );
    assert_eq!(f["notes"][0][1].as_u64(), Some(1));
    let mapped: Vec<&str> = f["columns"]["mapped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[2].as_str().unwrap())
        .collect();
    assert_eq!(
        mapped,
        [
            "id",
            "occurred_at",
            "offence",
            "place",
            "x",
            "y",
            "suspect_age",
            "close_relation",
            "count"
        ]
    );
    let rows = accepted(&wd);
    assert_eq!(rows[0]["place"], "Överum");
    assert_eq!(rows[0]["offence"], "Skadegörelse");
    assert_eq!(
        (rows[0]["x"].as_str(), rows[0]["y"].as_str()),
        ("577483,08", "6428336,09")
    );
    assert_eq!(rows[0]["suspect_age"], "15");
    assert_eq!(rows[0]["close_relation"], "false");
    assert_eq!(
        (rows[1]["x"].as_str(), rows[1]["y"].as_str()),
        ("596813,5", "6403188,96")
    );
    assert_eq!(rows[1]["close_relation"], "true");
    assert_eq!(
        (rows[2]["x"].as_str(), rows[2]["y"].as_str()),
        ("586916,57", "6431524,39"),
        "axes put right"
    );
}

const BROKEN: &str = "\
id;datum;brottstyp;plats;antal;x;y;nära_relation;tid_till
1;2026-01-05 10:00;Stöld;Gamleby;1;;;;
2;2026-13-05;Stöld;Gamleby;1;;;;
3;2026-01-05 10:00;Stöld;Gamleby
;2026-01-05;Stöld;;1;;;;
5;2026-01-05;Stöld;;0;;;;
6;2026-01-05;Stöld;;1;abc;6400000;;
7;2026-01-05;Stöld;;1;;;kanske;
1;2026-01-06;Rån;;1;;;;
9;2026-01-05 10:00;Stöld;;1;;;;2026-01-05 09:00
;;;;;;;;
11;2026-01-05;;;1;;;;
12;2026-01-05;Stöld;;1;100;200;;
13;\"2026-01-05\";\"Bråk på torget;
fortsätter\";Västervik;1;;;;
14;2026-01-05;Stöld;;2,5;;;;
";

#[test]
fn broken_rows_are_rejected_with_line_and_reason_and_counts_reconcile() {
    let wd = Workdir::new();
    wd.write("trasig.csv", BROKEN);
    let s = check_json(&wd, "trasig.csv");
    assert_eq!(
        (
            s["rows_read"].as_u64(),
            s["accepted"].as_u64(),
            s["rejected"].as_u64()
        ),
        (Some(14), Some(2), Some(12))
    );
    let rejects = wd.rejects(&wd.path("avvisade.csv"));
    let got: Vec<(u64, &str)> = rejects
        .iter()
        .map(|(_, line, reason)| (*line, reason.as_str()))
        .collect();
    let expected: [(u64, &str); 12] = [
        (3, "ogiltig tidpunkt: datum = '2026-13-05'"),
        (4, "fel antal fält: 4 i stället för 9 som i rubrikraden"),
        (5, "id saknas: "),
        (6, "ogiltigt antal: antal = '0'"),
        (
            7,
            "ogiltig koordinat: x = 'abc', y = '6400000', lat = '', lon = ''",
        ),
        (8, "ogiltigt ja/nej-värde: nära_relation = 'kanske'"),
        (9, "dubblett: id = '1' (först på rad 2 i trasig.csv)"),
        (
            10,
            "sluttid före starttid: datum = '2026-01-05 10:00', tid_till = '2026-01-05 09:00'",
        ),
        (11, "tom rad"),
        (12, "brottstyp saknas: "),
        (
            13,
            "koordinat utanför Sverige: x = '100', y = '200', lat = '', lon = ''",
        ),
        (16, "ogiltigt antal: antal = '2,5'"),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort();
    assert_eq!(got_sorted, expected);
    assert!(rejects.iter().all(|(file, _, _)| file == "trasig.csv"));
    // The record spanning lines 14–15 is accepted with its newline and semicolon intact.
    let rows = accepted(&wd);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["offence"], "Bråk på torget;\nfortsätter");
}

#[test]
fn text_summary_names_format_counts_reasons_and_rejects_file() {
    let wd = Workdir::new();
    wd.write("trasig.csv", BROKEN);
    let out = wd.run(&["check", "trasig.csv"]).ok();
    assert!(
        out.contains("format: separator semikolon (;), teckenkodning UTF-8"),
        "{out}"
    );
    assert!(
        out.contains("rader: 14 lästa = 2 godkända + 12 avvisade"),
        "{out}"
    );
    assert!(
        out.contains("vanligaste orsaker: ogiltigt antal (2), "),
        "{out}"
    );
    assert!(
        out.contains("Avvisade rader: reports/avvisade_rader.csv"),
        "{out}"
    );
    assert!(wd.path("reports/avvisade_rader.csv").exists());
    // --strict turns rejected rows into exit code 1.
    assert_eq!(wd.run(&["check", "--strict", "trasig.csv"]).code(), 1);
    let en = wd.run(&["--lang", "en", "check", "trasig.csv"]).ok();
    assert!(
        en.contains("rows: 14 read = 2 accepted + 12 rejected"),
        "{en}"
    );
}

#[test]
fn duplicate_ids_across_files_name_the_first_file() {
    let wd = Workdir::new();
    wd.write("a.csv", "id;datum;brottstyp\nX;2026-01-01;Stöld\n");
    wd.write(
        "b.csv",
        "id;datum;brottstyp\nY;2026-01-01;Stöld\nX;2026-01-02;Rån\n",
    );
    let s = wd
        .run(&[
            "check",
            "--format",
            "json",
            "--rejects",
            "r.csv",
            "a.csv",
            "b.csv",
        ])
        .json();
    assert_eq!(
        (
            s["files"][0]["accepted"].as_u64(),
            s["files"][1]["accepted"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(s["files"][1]["rejected"].as_u64(), Some(1));
    let rejects = wd.rejects(&wd.path("r.csv"));
    assert_eq!(
        rejects,
        [(
            "b.csv".into(),
            3,
            "dubblett: id = 'X' (först på rad 2 i a.csv)".into()
        )]
    );
}

#[test]
fn offence_given_only_as_a_brottskod_is_accepted_and_a_bad_code_rejected() {
    let wd = Workdir::new();
    wd.write(
        "k.csv",
        "id;datum;brottskod\n1;2026-01-01;9801\n2;2026-01-01;98O1\n",
    );
    let s = check_json(&wd, "k.csv");
    assert_eq!(
        (s["accepted"].as_u64(), s["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    let rows = accepted(&wd);
    assert_eq!(
        (
            rows[0]["offence"].as_str(),
            rows[0]["offence_code"].as_str()
        ),
        // Brå's name for the code (data/sverige/brottskoder.csv).
        ("Inbrottsstöld, fullbordat, i villa/radhus", "9801")
    );
    let rejects = wd.rejects(&wd.path("avvisade.csv"));
    assert_eq!(rejects[0].2, "ogiltig brottskod: brottskod = '98O1'");
}

#[test]
fn missing_required_columns_is_an_error_naming_missing_and_found_columns() {
    let wd = Workdir::new();
    wd.write("fel.csv", "Datum;Plats\n2026-01-01;Gamleby\n");
    let run = wd.run(&["check", "fel.csv"]);
    assert_eq!(run.code(), 2);
    let err = run.stderr();
    assert!(
        err.contains("fel.csv: obligatoriska kolumner saknas: id, offence eller offence_code"),
        "{err}"
    );
    assert!(err.contains("Kolumner i filen: 'Datum', 'Plats'"), "{err}");
}

#[test]
fn unreadable_empty_and_ambiguous_files_are_clear_errors() {
    let wd = Workdir::new();
    let run = wd.run(&["check", "finns-inte.csv"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("finns-inte.csv: filen kan inte läsas"),
        "{}",
        run.stderr()
    );
    wd.write("tom.csv", "");
    let run = wd.run(&["check", "tom.csv"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("tom.csv: filen är tom"),
        "{}",
        run.stderr()
    );
    wd.write("dubbel.csv", "id;datum;tidpunkt;brottstyp\n");
    let run = wd.run(&["check", "dubbel.csv"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("'datum' och 'tidpunkt' betyder båda occurred_at"),
        "{}",
        run.stderr()
    );
    for run in [
        wd.run(&["check", "tom.csv"]),
        wd.run(&["check", "dubbel.csv"]),
    ] {
        assert!(!run.stderr().contains("panicked"));
    }
}

#[test]
fn embedded_default_works_from_any_folder() {
    let wd = Workdir::new();
    let out = wd.run(&["check"]).ok();
    assert!(
        out.contains("Västerviks kommun (inbyggd standardkonfiguration)"),
        "{out}"
    );
    assert!(
        out.contains("(inbyggd) data/vastervik/genererade-handelser.csv"),
        "{out}"
    );
    assert!(
        out.contains("16927 lästa = 16927 godkända + 0 avvisade"),
        "{out}"
    );
    // The configured survey responses are checked too.
    assert!(out.contains("Enkätsvar"), "{out}");
    assert!(
        out.contains("2400 lästa = 2400 godkända + 0 avvisade"),
        "{out}"
    );
    assert!(wd.path("reports/avvisade_enkatsvar.csv").exists());
    assert!(wd.path("reports/avvisade_rader.csv").exists());
}

#[test]
fn project_config_resolves_inputs_and_output_relative_to_itself() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path("projekt/data")).unwrap();
    wd.write(
        "projekt/data/h.csv",
        "id;datum;brottstyp\n1;2026-01-01;Stöld\n2;x;Stöld\n",
    );
    wd.write(
        "projekt/places.toml",
        include_str!("../../data/vastervik/places.toml"),
    );
    wd.write(
        "projekt/areas.toml",
        include_str!("../../data/vastervik/priority_areas.toml"),
    );
    wd.write(
        "projekt/lagesbild.toml",
        "[municipality]\nname = \"Västerviks kommun\"\nshort_name = \"Västervik\"\ncode = \"0883\"\n\
         population = 36398\npopulation_year = 2024\n\
         [inputs]\nincidents = [\"data/h.csv\"]\n\
         [reference]\nplaces = \"places.toml\"\npriority_areas = \"areas.toml\"\n\
         [output]\ndir = \"ut\"\n",
    );
    let out = wd
        .run(&["check", "--config", "projekt/lagesbild.toml"])
        .ok();
    assert!(out.contains("2 lästa = 1 godkända + 1 avvisade"), "{out}");
    let rejects = wd.rejects(&wd.path("projekt/ut/avvisade_rader.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].1, 3);
    // A config with a typo is an error naming the file and the key.
    wd.write("projekt/fel.toml", "[municipality]\nnamn = 1\n");
    let run = wd.run(&["check", "--config", "projekt/fel.toml"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("fel.toml") && run.stderr().contains("namn"),
        "{}",
        run.stderr()
    );
    // What is wrong in a reference table the configuration names is said in the run's
    // language, and only in it.
    let config = std::fs::read_to_string(wd.path("projekt/lagesbild.toml")).unwrap();
    wd.write(
        "projekt/fokus.toml",
        format!("{config}[report]\nfocus_places = [\"Atlantis\"]\n"),
    );
    let en = wd.run(&["check", "--lang", "en", "--config", "projekt/fokus.toml"]);
    assert_eq!(en.code(), 2);
    assert!(
        en.stderr()
            .contains("the focus place 'Atlantis' under [report] is not in the gazetteer")
            && !en.stderr().contains("finns inte"),
        "{}",
        en.stderr()
    );
    let sv = wd.run(&["check", "--config", "projekt/fokus.toml"]);
    assert!(
        sv.stderr()
            .contains("fokusplatsen 'Atlantis' under [report] finns inte i ortsregistret"),
        "{}",
        sv.stderr()
    );
    wd.write(
        "projekt/areas.toml",
        "[[area]]\nslug = \"Stora bokstäver\"\nname = \"X\"\nname_en = \"X\"\noffences = [\"Stöld\"]\n",
    );
    let en = wd.run(&[
        "check",
        "--lang",
        "en",
        "--config",
        "projekt/lagesbild.toml",
    ]);
    assert!(
        en.stderr().contains("areas.toml")
            && en.stderr().contains("must be lower-case letters a–z")
            && !en.stderr().contains("små bokstäver"),
        "{}",
        en.stderr()
    );
}

#[test]
fn an_excel_workbook_is_read_like_a_csv_with_sheet_rows_as_lines() {
    let wd = Workdir::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 4]; 4] = [
        ["Händelse-ID", "Datum", "Brottstyp", "Plats"],
        ["A1", "2026-03-01 22:15", "Skadegörelse", "Överum"],
        ["A2", "2026-13-01", "Brand", "Ankarsrum"],
        ["A3", "2026-03-02", "Stöld", "Edsbruk"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    // A number cell, as Excel stores a typed-in id.
    sheet.write_number(4, 0, 4.0).unwrap();
    sheet.write_string(4, 1, "2026-03-03").unwrap();
    sheet.write_string(4, 2, "Misshandel").unwrap();
    wd.write("handelser.xlsx", book.save_to_buffer().unwrap());
    let s = check_json(&wd, "handelser.xlsx");
    assert_eq!(
        (
            s["rows_read"].as_u64(),
            s["accepted"].as_u64(),
            s["rejected"].as_u64()
        ),
        (Some(4), Some(3), Some(1))
    );
    assert_eq!(s["files"][0]["encoding"], "spreadsheet");
    let rejects = wd.rejects(&wd.path("avvisade.csv"));
    assert_eq!(rejects[0].1, 3, "the bad row is sheet row 3");
    let rows = accepted(&wd);
    assert_eq!(rows[0]["place"], "Överum");
    assert_eq!(rows[2]["id"], "4");
}

#[test]
fn a_json_file_is_an_error_that_points_to_the_police_import() {
    let wd = Workdir::new();
    wd.write("handelser.json", "[{\"id\": 1}]");
    let run = wd.run(&["check", "handelser.json"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("lagesbild import polisen handelser.json"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_report_register_export_is_understood_by_its_swedish_headers() {
    let wd = Workdir::new();
    let text = "Diarienummer;Brottsdatum från;Brottsdatum till;Brottskod;Brottsbeskrivning;Brottsort;Kommun\r\n\
                2200-K1276-26;2026-03-01 22:00;2026-03-02 06:00;1201;Skadegörelse genom klotter;Gamleby;Västervik\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    wd.write("rar.csv", &bytes);
    let s = check_json(&wd, "rar.csv");
    assert_eq!(s["accepted"].as_u64(), Some(1));
    let rows = accepted(&wd);
    assert_eq!(rows[0]["id"], "2200-K1276-26");
    assert_eq!(rows[0]["offence"], "Skadegörelse genom klotter");
    assert_eq!(rows[0]["offence_code"], "1201");
    assert_eq!(rows[0]["place"], "Gamleby");
    assert_eq!(rows[0]["occurred_to"], "2026-03-02 06:00:00");
    assert_eq!(s["files"][0]["columns"]["ignored"][0], "Kommun");
}

/// An output path that is also an input is refused before anything is written.
#[test]
fn an_output_that_is_an_input_is_refused() {
    let wd = Workdir::new();
    let data = "id;occurred_at;offence;place\nA1;2025-01-02 10:00;Stöld;Gamleby\n";
    wd.write("x.csv", data);
    for flag in ["--rejects", "--accepted"] {
        let run = wd.run(&["check", "x.csv", flag, "x.csv"]);
        assert_eq!(run.code(), 2, "{flag}: {}", run.stderr());
        assert!(
            run.stderr().contains("både indata och utdata"),
            "{}",
            run.stderr()
        );
        assert_eq!(std::fs::read_to_string(wd.path("x.csv")).unwrap(), data);
    }
}

/// A NUL or another control character inside a cell rejects the row with the reason;
/// the other rows are read.
#[test]
fn control_characters_in_a_cell_reject_the_row() {
    let wd = Workdir::new();
    wd.write(
        "n.csv",
        b"id;occurred_at;offence;place\nA\x001;2025-01-02 10:00;St\xc3\xb6ld;Gamleby\nA2;2025-01-02 11:00;Brand\x07;Gamleby\nA3;2025-01-02 12:00;Brand;Gamleby\n",
    );
    let out = wd.run(&["check", "n.csv", "--rejects", "r.csv"]).ok();
    assert!(out.contains("3 lästa = 1 godkända + 2 avvisade"), "{out}");
    let rejects = wd.rejects(&wd.path("r.csv"));
    assert_eq!(rejects.len(), 2);
    assert!(
        rejects.iter().all(|r| r.2.contains("styrtecken")),
        "{rejects:?}"
    );
}

/// The October night's repeated hour: two incidents at 02:30 local time, an hour apart,
/// keep their offsets in the accepted file and read back the same; a time in March's
/// skipped hour is moved one hour on and counted.
#[test]
fn summer_time_nights_keep_their_hours_apart_through_the_accepted_file() {
    let wd = Workdir::new();
    wd.write(
        "h.csv",
        "id;datum;brott;plats\n1;2025-10-26T00:30:00Z;Stöld;Västervik\n2;2025-10-26T01:30:00Z;Stöld;Västervik\n3;2025-03-30 02:30;Stöld;Västervik\n",
    );
    let run = wd.run(&[
        "check",
        "h.csv",
        "--accepted",
        "a.csv",
        "--rejects",
        "r.csv",
    ]);
    let out = run.ok();
    assert!(out.contains("flyttad fram en timme (1)"), "{out}");
    let (_, rows) = wd.canonical(&wd.path("a.csv"));
    let times: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        times,
        [
            "2025-10-26 02:30:00+02:00",
            "2025-10-26 02:30:00+01:00",
            "2025-03-30 03:30:00"
        ]
    );
    wd.run(&[
        "check",
        "a.csv",
        "--accepted",
        "b.csv",
        "--rejects",
        "r2.csv",
    ])
    .ok();
    assert_eq!(
        wd.canonical(&wd.path("b.csv")).1,
        rows,
        "read back, written again: the same"
    );
}

/// Two stray quotes a few lines apart (a description typed as `"…` twice) would make
/// the records between them one quoted field, accepted with the rows inside it lost:
/// the record is rejected, naming the lines and the quote to correct.
#[test]
fn records_swallowed_by_two_stray_quotes_are_rejected_with_their_lines() {
    let wd = Workdir::new();
    let mut text = String::from("id;occurred_at;offence;place;description\n");
    for i in 1..=30 {
        let quote = if i == 6 || i == 16 { "\"" } else { "" };
        text.push_str(&format!(
            "A{i};2025-01-{i:02} 10:00;Stöld;Gamleby;{quote}beskrivning {i}\n"
        ));
    }
    // A description over a few lines, quoted as it should be, is read as one field.
    text.push_str(
        "A31;2025-02-01 10:00;Stöld;Gamleby;\"första raden\nandra raden; med semikolon\ntredje; fjärde; femte; sjätte; sjunde; åttonde\"\n",
    );
    wd.write("q.csv", &text);
    let out = wd.run(&["check", "q.csv", "--rejects", "r.csv"]).ok();
    assert!(out.contains("21 lästa = 20 godkända + 1 avvisade"), "{out}");
    let rejects = wd.rejects(&wd.path("r.csv"));
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0].1, 7);
    assert!(
        rejects[0].2.contains("rad 7–17") && rejects[0].2.contains("citattecken på rad 7"),
        "{rejects:?}"
    );
}

/// A Parquet file given where a table of text is read is named as Parquet, with where
/// such files are read, instead of its bytes listed as column names.
#[test]
fn a_parquet_file_is_named_as_one() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        "id;occurred_at;offence;place\nA1;2025-01-02 10:00;Stöld;Gamleby\n",
    );
    wd.run(&[
        "aggregate",
        "a.csv",
        "--format",
        "parquet",
        "-o",
        "t.parquet",
        "-q",
    ])
    .ok();
    let run = wd.run(&["check", "t.parquet"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("t.parquet: filen är en Parquet-fil")
            && run.stderr().contains("--store"),
        "{}",
        run.stderr()
    );
}

/// An English run says its errors in English: a file's, the store's, the file
/// system's and an unknown municipality's; a Swedish run says them in Swedish.
#[test]
fn errors_are_said_in_the_language_of_the_run() {
    let wd = Workdir::new();
    wd.write("tom.csv", "");
    wd.write(
        "a.csv",
        "id;occurred_at;offence;place\nA1;2025-01-02 10:00;Stöld;Gamleby\n",
    );
    wd.run(&["import", "incidents", "a.csv", "--store", "db", "-q"])
        .ok();
    for (args, sv, en) in [
        (
            &["aggregate", "--level", "2"][..],
            "ska ligga mellan 0,5 och 1",
            "must lie between 0.5 and 1",
        ),
        (
            &["check", "saknas.csv"][..],
            "filen kan inte läsas",
            "the file cannot be read",
        ),
        (
            &["aggregate", "a.csv", "-o", "tom.csv/x.csv"][..],
            "är en fil, inte en mapp",
            "is a file, not a folder",
        ),
        (
            &["check", "tom.csv"][..],
            "filen är tom",
            "the file is empty",
        ),
        (
            &["aggregate", "--store", "ingen"][..],
            "är ingen lagesbild-databas",
            "is no lagesbild store",
        ),
        (
            &["aggregate", "--store", "db", "--kommun", "Atlantis"][..],
            "är ingen av Sveriges 290 kommuner",
            "is none of Sweden's 290 municipalities",
        ),
        (
            &["aggregate", "--store", "db", "--kommun", "Kalmar"][..],
            "databasen har inga händelser",
            "the store has no incidents",
        ),
    ] {
        let swedish = wd.run(args);
        let mut english_args = vec!["--lang", "en"];
        english_args.extend_from_slice(args);
        let english = wd.run(&english_args);
        assert_eq!((swedish.code(), english.code()), (2, 2), "{args:?}");
        assert!(
            swedish.stderr().starts_with("fel: ") && swedish.stderr().contains(sv),
            "{}",
            swedish.stderr()
        );
        assert!(
            english.stderr().starts_with("error: ") && english.stderr().contains(en),
            "{}",
            english.stderr()
        );
        assert!(!english.stderr().contains(sv), "{}", english.stderr());
    }
}
