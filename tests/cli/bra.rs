//! `lagesbild import bra` on Brå's municipal statistics (../shared/data/bra-kommun),
//! against figures computed by hand from the same files.

use crate::shared::shared_data;
use crate::util::Workdir;

#[test]
fn vastervik_beside_kalmar_county_and_the_country() {
    let (Some(raw), Some(sol)) = (
        shared_data("bra-kommun/anmalda_brott_kommuner_raw.csv"),
        shared_data("bra-kommun/sol_brott_mot_liv_och_halsa_per100k_2021.csv"),
    ) else {
        return;
    };
    let w = Workdir::new();
    let run = w.run(&[
        "import",
        "bra",
        raw.to_str().unwrap(),
        sol.to_str().unwrap(),
        "--kommun",
        "Västerviks kommun",
        "--out",
        "jamforelse.csv",
        "--rejects",
        "avvisade.csv",
    ]);
    run.ok();
    let stderr = run.stderr();
    // Every municipality is recognised, Håbo and Habo apart, "Malung–Sälens kommun"
    // with its dash and "Tranås kommun " with its space; SOL's second, empty Heby
    // block and its "3-7 kap." column of ".." are values missing, not errors.
    assert!(
        stderr.contains("290 rader lästa = 290 med värde + 0 utan värde (..) + 0 avvisade"),
        "{stderr}"
    );
    assert!(
        stderr.contains("582 rader lästa = 290 med värde + 292 utan värde (..) + 0 avvisade"),
        "{stderr}"
    );
    assert!(stderr.contains("filen anger inget år"), "{stderr}");
    let (header, rows) = w.canonical(&w.path("jamforelse.csv"));
    assert_eq!(
        header,
        [
            "kommun",
            "år",
            "brottskategori",
            "antal",
            "per_100000",
            "län_per_100000",
            "län_metod",
            "riket_per_100000",
            "riket_metod",
            "plats_i_länet",
            "kommuner_i_länet"
        ]
    );
    // All crimes: Västervik 2 813 = 7 685 per 100 000 (the file). Kalmar län: 23 522
    // crimes over the 246 032.9 inhabitants the twelve municipalities' counts and rates
    // imply = 9 560.5; the country: 1 204 896 / 10 378 464.0 = 11 609.6. Västervik is
    // 9th of 12 in the county.
    assert_eq!(
        rows[0][..6].join(";"),
        "Västervik;;Samtliga brott;2813;7685,0;9560,5"
    );
    assert_eq!(
        rows[0][7..].join(";"),
        "11609,6;summa över kommunerna (antal / befolkning som tabellen anger);9;12"
    );
    // Brott mot liv och hälsa 2021 (rates only): Västervik 603; the county's rates
    // weighted by 2024 population = 738.6, the country's = 817.0.
    assert_eq!(
        rows[1][..6].join(";"),
        "Västervik;2021;3 kap. Brott mot liv och hälsa;;603,0;738,6"
    );
    assert_eq!(rows[1][7], "817,0");
    assert!(rows[1][6].contains("vägt med folkmängd 2024"));
    assert_eq!(rows.len(), 2);
}

#[test]
fn windows_1252_semicolon_tables_with_county_rows_and_bad_rows() {
    let w = Workdir::new();
    let text = "Region;År;Antal;Antal per 100 000 invånare\r\n\
                Västerviks kommun ;2024;2 900;7 967,5\r\n\
                Kalmar län;2024;..;9 100,0\r\n\
                Riket;2024;1 500 000;14 200\r\n\
                Gotham;2024;5;5\r\n\
                Kalmar kommun;2024;-3;..\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    w.write("bra.csv", &bytes);
    let run = w.run(&[
        "import",
        "bra",
        "bra.csv",
        "--out",
        "ut.csv",
        "--rejects",
        "avv.csv",
    ]);
    run.ok();
    let (_, rows) = w.canonical(&w.path("ut.csv"));
    assert_eq!(
        rows[0][..9].join(";"),
        "Västervik;2024;Samtliga brott;2900;7967,5;9100,0;ur tabellen;14200,0;ur tabellen"
    );
    let rejects = w.rejects(&w.path("avv.csv"));
    assert_eq!(rejects.len(), 2);
    assert_eq!(
        (rejects[0].1, rejects[0].2.as_str()),
        (5, "'Gotham' är ingen kommun, inget län och inte riket")
    );
    assert_eq!(
        (rejects[1].1, rejects[1].2.as_str()),
        (6, "Antal '-3' är inget tal ≥ 0")
    );
}

#[test]
fn the_statistics_database_export_as_excel_gives_the_same_figures() {
    let (Some(xls), Some(csv)) = (
        shared_data("bra-kommun/sol_export_brott_mot_liv_och_halsa_2021.xls"),
        shared_data("bra-kommun/sol_brott_mot_liv_och_halsa_per100k_2021.csv"),
    ) else {
        return;
    };
    let w = Workdir::new();
    let mut tables = Vec::new();
    for (input, out) in [(&xls, "fran-excel.csv"), (&csv, "fran-csv.csv")] {
        let run = w.run(&[
            "import",
            "bra",
            input.to_str().unwrap(),
            "--out",
            out,
            "--rejects",
            "avvisade.csv",
        ]);
        run.ok();
        if input == &xls {
            // Title rows aside: 291 area headings (Heby twice), 290 values, 292 empty.
            assert!(
                run.stderr().contains("873 rader lästa = 290 med värde + 292 utan värde (..) + 291 rubrikrader (kommunens namn) + 0 avvisade"),
                "{}",
                run.stderr()
            );
        }
        tables.push(w.canonical(&w.path(out)));
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(
        tables[0].1[0][..6].join(";"),
        "Västervik;2021;3 kap. Brott mot liv och hälsa;;603,0;738,6"
    );
}
