//! A scratch folder per test and a way to run the binary in it (as in xsv's Workdir).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary working folder.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes raw bytes (so tests can write Windows-1252 or a BOM exactly).
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write test file");
        p
    }

    /// The embedded Västervik project's `files` (names under `data/vastervik/`) copied
    /// into the folder `dir`, which is created.
    pub fn copy_data(&self, dir: &str, files: &[&str]) {
        std::fs::create_dir_all(self.path(dir)).expect("project folder");
        for f in files {
            let from = format!("{}/data/vastervik/{f}", env!("CARGO_MANIFEST_DIR"));
            std::fs::copy(from, self.path(&format!("{dir}/{f}"))).expect("copy project file");
        }
    }

    /// A project folder `dir` with the Västervik gazetteer and priority areas, the
    /// incidents `csv` and a `lagesbild.toml` naming them; `extra` is appended to the
    /// config inside its `[reference]` table (more keys, or further tables). Returns
    /// the config's path.
    pub fn project(&self, dir: &str, csv: &str, extra: &str) -> PathBuf {
        self.copy_data(dir, &["places.toml", "priority_areas.toml"]);
        self.write(&format!("{dir}/h.csv"), csv);
        self.write(
            &format!("{dir}/lagesbild.toml"),
            format!(
                "[municipality]\nname = \"Västerviks kommun\"\nshort_name = \"Västervik\"\ncode = \"0883\"\n\
                 population = 36398\npopulation_year = 2024\n\
                 [inputs]\nincidents = [\"h.csv\"]\n\
                 [reference]\nplaces = \"places.toml\"\npriority_areas = \"priority_areas.toml\"\n{extra}"
            ),
        )
    }

    /// `lagesbild ARGS…` run inside the folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_lagesbild"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run lagesbild");
        Run { output }
    }

    /// Reads a rejects file: (file, line, reason) per rejected row, checking the
    /// Excel dialect on the way (BOM, `;`).
    pub fn rejects(&self, path: &Path) -> Vec<(String, u64, String)> {
        let bytes = std::fs::read(path).expect("rejects file");
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "the rejects file starts with a UTF-8 BOM"
        );
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["fil", "rad", "orsak", "innehåll"]
        );
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_owned(), r[1].parse().unwrap(), r[2].to_owned())
            })
            .collect()
    }

    /// Reads a canonical CSV written by `check --accepted` as (header, rows).
    pub fn canonical(&self, path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
        let bytes = std::fs::read(path).expect("accepted file");
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM")).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        (header, rows)
    }
}

/// The outcome of one run.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output
            .status
            .code()
            .expect("exited normally, not by a signal")
    }

    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("UTF-8 stdout")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.output.stderr.clone()).expect("UTF-8 stderr")
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> String {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }

    /// The JSON summary printed by `check --format json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok()).expect("JSON summary")
    }
}

/// A folder name for a municipality: lower case ASCII letters.
pub fn slug(name: &str) -> String {
    name.to_lowercase()
        .replace(['å', 'ä'], "a")
        .replace('ö', "o")
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
}
