//! The dependency direction of ARCHITECTURE.md, checked on the source: every
//! `crate::…` path a module names must point down the layers, and clap is used only
//! by the command line. A new arrow the wrong way fails here with file and line.

use std::path::{Path, PathBuf};

/// Modules every layer may use: small shared helpers with no dependencies of their own.
const SHARED: [&str; 7] = [
    "lang", "text", "embedded", "coords", "random", "files", "memory",
];

/// What each top-level module may name, besides itself and [`SHARED`].
fn allowed(module: &str) -> Option<&'static [&'static str]> {
    Some(match module {
        "model" | "lang" | "text" | "embedded" | "coords" | "random" | "files" | "memory" => {
            &["model"]
        }
        "ingest" => &["model"],
        "analysis" => &["model"],
        // The data-quality section reads the input accounting (`ingest::report`).
        "report" => &["analysis", "model", "ingest::report"],
        "render" => &["report", "model"],
        "app" => &["render", "report", "analysis", "ingest", "model"],
        "generate" => &["model"],
        // The fuzz targets drive the readers of untrusted input.
        "fuzzing" => &["ingest", "model"],
        "cli" | "main" => return None,
        other => {
            panic!("module {other} has no place in the layers; add it here and to ARCHITECTURE.md")
        }
    })
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

#[test]
fn every_module_points_down_the_layers_and_clap_stays_in_the_cli() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let pattern = regex::Regex::new(r"crate::([a-z_]+)(::([a-z_]+))?").unwrap();
    let mut wrong = Vec::new();
    for file in rust_files(&src) {
        let module = module_of(&src, &file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if module != "cli" && module != "main" && code.contains("clap") {
                wrong.push(format!(
                    "{}:{}: clap outside the cli",
                    file.display(),
                    n + 1
                ));
            }
            let Some(ok) = allowed(&module) else {
                continue;
            };
            for found in pattern.captures_iter(code) {
                let target = &found[1];
                let sub = found.get(3).map_or("", |m| m.as_str());
                let with_sub = format!("{target}::{sub}");
                let fine = target == module
                    || SHARED.contains(&target)
                    || ok.contains(&target)
                    || ok.contains(&with_sub.as_str());
                if !fine {
                    wrong.push(format!(
                        "{}:{}: {module} uses crate::{with_sub}",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows the wrong way:\n{}",
        wrong.join("\n")
    );
}

/// The rule above must be able to fail: a report module that drew a chart would be caught.
#[test]
fn the_layer_rule_catches_a_wrong_arrow() {
    let ok = allowed("report").unwrap();
    assert!(!ok.contains(&"render") && !ok.contains(&"app"));
    assert!(!allowed("render").unwrap().contains(&"analysis"));
    assert!(!allowed("analysis").unwrap().contains(&"ingest"));
}
