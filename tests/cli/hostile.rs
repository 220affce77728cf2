//! The hostile corpus (`tests/hostile/`, described case by case in `cases.toml`):
//! files an export, a careless hand or an attacker may produce. Each gives its
//! documented error or rejections; nothing panics; `read = accepted + rejected` holds
//! and the rejects file holds exactly the rejected rows. Two more cases are made at
//! test time because they are large: a 50 MB line and 10 000 columns.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::util::{Run, Workdir};

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Case {
    file: String,
    run: String,
    error: Option<String>,
    read: Option<usize>,
    accepted: Option<usize>,
    kept: Option<usize>,
    replaced: Option<usize>,
    rejected: Option<usize>,
    reasons: Vec<String>,
    rejected_lines: Option<Vec<u64>>,
    encoding: Option<String>,
    legacy_lines: Option<Vec<u64>>,
    masked: Option<usize>,
    conflicting: Option<usize>,
    formulas: bool,
    no_personal_data: bool,
    no_raw_escape: bool,
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// The rejects file as rows of cells (the Excel dialect: BOM, `;`).
fn rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap();
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn assert_no_panic(name: &str, run: &Run) {
    assert!(
        run.code() == 0 || run.code() == 1 || run.code() == 2,
        "{name}: exit {} {}",
        run.code(),
        run.stderr()
    );
    assert!(
        !run.stderr().contains("panicked"),
        "{name}: {}",
        run.stderr()
    );
}

/// A number after `label` in a summary line ("3 händelser lästa" → 3 for "händelser lästa").
fn number_before(text: &str, label: &str) -> usize {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("'{label}' in {text}"));
    text[..at]
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number before '{label}' in {text}"))
}

fn check_case(wd: &Workdir, case: &Case) {
    let input = corpus().join(&case.file);
    let input = input.to_str().unwrap();
    let rejects = wd.path(&format!("avvisade-{}.csv", case.file));
    let out = wd.path(&format!("ut-{}.csv", case.file));
    let (rejects_s, out_s) = (rejects.to_str().unwrap(), out.to_str().unwrap());
    let run = match case.run.as_str() {
        "check" => wd.run(&[
            "check",
            input,
            "--rejects",
            rejects_s,
            "--accepted",
            out_s,
            "--format",
            "json",
        ]),
        "polisen" => wd.run(&[
            "import",
            "polisen",
            input,
            "--out",
            out_s,
            "--rejects",
            rejects_s,
        ]),
        "bra" => wd.run(&[
            "import",
            "bra",
            input,
            "--out",
            out_s,
            "--rejects",
            rejects_s,
        ]),
        other => panic!("{}: unknown run {other}", case.file),
    };
    let name = &case.file;
    assert_no_panic(name, &run);
    if case.no_raw_escape {
        assert!(
            !run.stderr().contains('\u{1b}'),
            "{name}: raw escape in {}",
            run.stderr()
        );
    }
    if let Some(error) = &case.error {
        assert_eq!(run.code(), 2, "{name}: {}", run.stderr());
        assert!(
            run.stderr().contains(error.as_str()),
            "{name}: '{error}' not in {}",
            run.stderr()
        );
        return;
    }
    assert_eq!(run.code(), 0, "{name}: {}", run.stderr());
    let rejected_rows = rows(&rejects);
    let (read, rejected) = match case.run.as_str() {
        "check" => {
            let json = run.json();
            let file = &json["files"][0];
            let read = file["rows_read"].as_u64().unwrap() as usize;
            let accepted = file["accepted"].as_u64().unwrap() as usize;
            let rejected = file["rejected"].as_u64().unwrap() as usize;
            assert_eq!(
                read,
                accepted + rejected,
                "{name}: read = accepted + rejected"
            );
            if let Some(expected) = case.accepted {
                assert_eq!(accepted, expected, "{name}: accepted");
            }
            let written = rows(&out).len();
            assert_eq!(
                written, accepted,
                "{name}: the accepted file holds the accepted rows"
            );
            if let Some(encoding) = &case.encoding {
                assert_eq!(file["encoding"], encoding.as_str(), "{name}");
            }
            if let Some(lines) = &case.legacy_lines {
                let got: Vec<u64> = serde_json::from_value(file["legacy_lines"].clone()).unwrap();
                assert_eq!(&got, lines, "{name}: lines named in the warning");
            }
            if let Some(masked) = case.masked {
                let got: usize = file["masked"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p[1].as_u64().unwrap() as usize)
                    .sum();
                assert_eq!(got, masked, "{name}: cells masked");
            }
            (read, rejected)
        }
        "polisen" => {
            let s = run.stderr();
            let read = number_before(&s, "händelser lästa");
            let kept = number_before(&s, "behållna +");
            let replaced = number_before(&s, "ersatta av senare version");
            let rejected = number_before(&s, "avvisade (");
            assert_eq!(read, kept + replaced + rejected, "{name}: {s}");
            if let Some(k) = case.kept {
                assert_eq!(kept, k, "{name}: kept");
            }
            if let Some(r) = case.replaced {
                assert_eq!(replaced, r, "{name}: replaced");
            }
            if let Some(n) = case.conflicting {
                assert!(
                    s.contains(&format!(
                        "olika innehåll (den senast publicerade gäller): {n}"
                    )),
                    "{name}: {s}"
                );
            }
            if let Some(n) = case.masked {
                assert!(s.contains(&format!("(maskerade): {n}")), "{name}: {s}");
            }
            (read, rejected)
        }
        _ => {
            let s = run.stderr();
            (
                number_before(&s, "rader lästa"),
                number_before(&s, "avvisade (avvisade"),
            )
        }
    };
    if let Some(expected) = case.read {
        assert_eq!(read, expected, "{name}: read");
    }
    if let Some(expected) = case.rejected {
        assert_eq!(rejected, expected, "{name}: rejected");
    }
    assert_eq!(
        rejected_rows.len(),
        rejected,
        "{name}: the rejects file holds exactly the rejected rows"
    );
    if let Some(lines) = &case.rejected_lines {
        let got: BTreeSet<u64> = rejected_rows
            .iter()
            .map(|r| r[1].parse().unwrap())
            .collect();
        let want: BTreeSet<u64> = lines.iter().copied().collect();
        assert_eq!(got, want, "{name}: rejected lines");
    }
    for reason in &case.reasons {
        assert!(
            rejected_rows.iter().any(|r| r[2].contains(reason.as_str())),
            "{name}: no rejected row says '{reason}'"
        );
    }
    let written: Vec<PathBuf> = [rejects.clone(), out.clone()]
        .into_iter()
        .filter(|p| p.exists())
        .collect();
    if case.formulas {
        for path in &written {
            for cell in rows(path).into_iter().flatten() {
                let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(
                    !risky,
                    "{name}: formula cell {cell:?} in {}",
                    path.display()
                );
            }
        }
    }
    if case.no_personal_data {
        for path in &written {
            let text = std::fs::read_to_string(path).unwrap();
            for personal in [
                "19900101-1239",
                "7505054564",
                "0490-123 45",
                "070-123 45 67",
                "199001011239",
                "123 45 67",
            ] {
                assert!(
                    !text.contains(personal),
                    "{name}: {personal} in {}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn every_hostile_file_gives_its_documented_outcome() {
    let cases: Cases =
        toml::from_str(&std::fs::read_to_string(corpus().join("cases.toml")).unwrap()).unwrap();
    assert!(cases.case.len() >= 30, "at least 30 hostile files");
    let listed: BTreeSet<&str> = cases.case.iter().map(|c| c.file.as_str()).collect();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == "cases.toml" || listed.contains(name.as_str()),
            "{name} has no case"
        );
    }
    let wd = Workdir::new();
    for case in &cases.case {
        check_case(&wd, case);
    }
}

/// The formula-neutralised accepted file reads back to the same cells.
#[test]
fn formula_cells_written_with_a_text_marker_read_back_as_they_were() {
    let wd = Workdir::new();
    let input = corpus().join("formler.csv");
    wd.run(&[
        "check",
        input.to_str().unwrap(),
        "--accepted",
        "a.csv",
        "--rejects",
        "r.csv",
    ])
    .ok();
    wd.run(&[
        "check",
        "a.csv",
        "--accepted",
        "b.csv",
        "--rejects",
        "r2.csv",
    ])
    .ok();
    let (a, b) = (rows(&wd.path("a.csv")), rows(&wd.path("b.csv")));
    assert_eq!(a, b, "written, read back and written again: the same file");
    assert!(
        a.iter().flatten().any(|c| c.starts_with("'=HYPERLINK")),
        "{a:?}"
    );
}

#[test]
fn a_50_mb_line_and_10_000_columns_are_read_within_bounds() {
    let wd = Workdir::new();
    let mut long = String::from(
        "id;occurred_at;offence;place;description\n1;2025-01-01 10:00;Stöld;Västervik;",
    );
    long.push_str(&"x".repeat(50 << 20));
    long.push_str("\n2;2025-01-01 10:00;Stöld;Västervik;kort\n");
    wd.write("lang.csv", long);
    let run = wd.run(&[
        "check",
        "lang.csv",
        "--rejects",
        "r1.csv",
        "--format",
        "json",
    ]);
    assert_no_panic("lang.csv", &run);
    let json = run.json();
    assert_eq!(json["rows_read"], 2);
    // The rejects file never holds the whole line.
    if json["rejected"] != 0 {
        assert!(std::fs::metadata(wd.path("r1.csv")).unwrap().len() < 1 << 20);
    }

    let headers: Vec<String> = (0..10_000).map(|i| format!("kolumn{i}")).collect();
    let wide = format!(
        "id;occurred_at;offence;place;{}\n1;2025-01-01 10:00;Stöld;Västervik;{}\n",
        headers.join(";"),
        vec!["v"; 10_000].join(";")
    );
    wd.write("bred.csv", wide);
    let run = wd.run(&[
        "check",
        "bred.csv",
        "--rejects",
        "r2.csv",
        "--format",
        "json",
    ]);
    assert_no_panic("bred.csv", &run);
    assert_eq!(run.json()["accepted"], 1, "{}", run.stderr());
}
