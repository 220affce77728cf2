//! The files the tool writes: never through a planted symlink, never into a system
//! folder or out of a project by a relative path, and a report folder that is whole at
//! every instant, however the run is stopped.

use crate::util::Workdir;

const GENERATED: &str = "2026-11-23";

/// What a whole report folder holds: its page (complete), its manifest (valid JSON)
/// and every file the manifest names.
fn assert_whole(dir: &std::path::Path) {
    let page = std::fs::read_to_string(dir.join("index.html")).expect("index.html");
    assert!(
        page.trim_end().ends_with("</html>"),
        "index.html is cut off"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("rojandekontroll.json")).expect("manifest"))
            .expect("manifest is whole JSON");
    assert!(manifest.is_object(), "the manifest is a JSON object");
    assert!(dir.join("lagesbild.xlsx").is_file());
    assert!(dir.join("tables").is_dir());
}

#[test]
fn a_report_is_never_written_into_a_system_folder() {
    let wd = Workdir::new();
    for out in [
        "/etc/lagesbild-prov",
        "/etc/lagesbild-prov/under",
        "/usr/lagesbild-prov",
        "/",
    ] {
        let run = wd.run(&["report", "--generated", GENERATED, "--out", out]);
        assert_eq!(run.code(), 2, "{out}: {}", run.stderr());
        assert!(run.stderr().contains("systemmapp"), "{}", run.stderr());
    }
    assert!(!std::path::Path::new("/etc/lagesbild-prov").exists());
}

#[test]
fn a_config_cannot_send_its_output_out_of_its_folder_by_a_relative_path() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path("projekt")).unwrap();
    let config = include_str!("../../data/vastervik/lagesbild.toml");
    assert!(
        config.contains("[output]"),
        "the embedded config names its output"
    );
    let config = config.replace("dir = \"reports\"", "dir = \"../../utanfor\"");
    wd.write("projekt/lagesbild.toml", &config);
    let run = wd.run(&[
        "report",
        "--config",
        "projekt/lagesbild.toml",
        "--generated",
        GENERATED,
    ]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("pekar ut ur projektmappen"),
        "{}",
        run.stderr()
    );
}

/// Symlinks planted at every name a careless writer might use (the target itself, a
/// predictable temporary name) are replaced or ignored: the file they point to is
/// never written.
#[test]
fn planted_symlinks_are_never_written_through() {
    let wd = Workdir::new();
    let victim = wd.write("offer.txt", "orörd");
    std::fs::create_dir_all(wd.path("reports")).unwrap();
    for name in [
        "reports/avvisade_rader.csv",
        "reports/avvisade_rader.csv.tmp",
        "reports/.avvisade_rader.csv.tmp",
        "reports/.rapport.tmp",
    ] {
        std::os::unix::fs::symlink(&victim, wd.path(name)).unwrap();
    }
    wd.run(&[
        "report",
        "--generated",
        GENERATED,
        "--out",
        "reports/rapport",
    ])
    .ok();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "orörd");
    assert!(wd.path("reports/rapport/index.html").is_file());
    let mode = |p: &str| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(wd.path(p)).unwrap().permissions().mode() & 0o077
    };
    // Ordinary permissions (less the umask), not a temporary file's owner-only ones.
    assert_ne!(
        mode("reports/rapport/index.html"),
        0,
        "the page is readable by others"
    );
    assert_ne!(
        mode("reports/rapport"),
        0,
        "the folder is readable by others"
    );
}

/// A report killed at random instants leaves the earlier report whole (or the new one),
/// never a half-written or missing folder, and the next run cleans up after it.
#[test]
fn a_report_killed_at_any_instant_leaves_a_whole_report() {
    let wd = Workdir::new();
    let started = std::time::Instant::now();
    wd.run(&["report", "--generated", GENERATED, "--out", "rapport"])
        .ok();
    let full = started.elapsed();
    assert_whole(&wd.path("rapport"));
    // Deterministic instants spread over the whole run, the last ones near its end
    // where the folder is swapped.
    let steps = 10u32;
    for i in 0..steps {
        let at = full.mul_f64(f64::from(i * 2 + 1) / f64::from(steps * 2) * 1.05);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lagesbild"))
            .args([
                "report",
                "--generated",
                GENERATED,
                "--out",
                "rapport",
                "--quiet",
            ])
            .current_dir(wd.path(""))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run lagesbild");
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        assert_whole(&wd.path("rapport"));
    }
    wd.run(&["report", "--generated", GENERATED, "--out", "rapport"])
        .ok();
    assert_whole(&wd.path("rapport"));
    let leftovers: Vec<String> = std::fs::read_dir(wd.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".rapport."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// No command writes its table over the file it read, and none writes into the store
/// it counted from: the input is left as it was and the error names it.
#[test]
fn an_output_never_replaces_what_the_run_reads() {
    let wd = Workdir::new();
    let data = "id;occurred_at;offence;place;x;y\n\
                A1;2025-01-02 10:00;Stöld;Gamleby;589000;6400000\n\
                A2;2025-02-03 11:00;Brand;Västervik;590000;6401000\n";
    wd.write("in.csv", data);
    for command in [
        &["aggregate", "--by", "offence"][..],
        &["timeprofile"][..],
        &["concentration"][..],
        &["hotspots"][..],
    ] {
        let mut args = command.to_vec();
        args.extend(["in.csv", "-o", "in.csv", "-q"]);
        let run = wd.run(&args);
        assert_ne!(run.code(), 0, "{args:?} wrote over its input");
        assert!(
            run.stderr().contains("den här körningen"),
            "{args:?}: {}",
            run.stderr()
        );
        assert_eq!(std::fs::read_to_string(wd.path("in.csv")).unwrap(), data);
        // Refused before anything was read: not even the rejected rows were written.
        assert!(!wd.path("reports/avvisade_rader.csv").exists(), "{args:?}");
    }
    // A store is read whole by the run that counts from it: nothing goes into it.
    wd.run(&["import", "incidents", "in.csv", "--store", "db", "-q"])
        .ok();
    let partition = "db/kommun=0883/year=2025/incidents.parquet";
    let before = std::fs::read(wd.path(partition)).unwrap();
    for out in [partition, "db/ny.csv"] {
        let run = wd.run(&[
            "aggregate",
            "--store",
            "db",
            "--format",
            "parquet",
            "-o",
            out,
            "-q",
        ]);
        assert_ne!(run.code(), 0, "{out} was written");
        assert!(
            run.stderr().contains("den här körningen"),
            "{}",
            run.stderr()
        );
    }
    assert_eq!(std::fs::read(wd.path(partition)).unwrap(), before);
    assert!(!wd.path("db/ny.csv").exists());
    // Nor does an import put its rejected rows among the store's files.
    let run = wd.run(&[
        "import",
        "incidents",
        "in.csv",
        "--store",
        "db",
        "--rejects",
        partition,
    ]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("ligger i databasen"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read(wd.path(partition)).unwrap(), before);
}

/// An import waits while another holds the store (the second merged into the
/// partitions as they were before the first, and the one written last won), and then
/// lands: the test holds the store's lock as an import does, on its folder. Two imports
/// into a new folder both land too (each found the other's half-made marker).
#[test]
fn an_import_waits_for_the_one_before_it() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        "id;occurred_at;offence;place\nA1;2025-01-02 10:00;Stöld;Gamleby\n",
    );
    wd.write(
        "b.csv",
        "id;occurred_at;offence;place\nB1;2025-02-02 10:00;Brand;Gamleby\n",
    );
    wd.run(&["import", "incidents", "a.csv", "--store", "db", "-q"])
        .ok();
    let marker = std::fs::File::open(wd.path("db")).unwrap();
    marker.lock().unwrap();
    let mut second = std::process::Command::new(env!("CARGO_BIN_EXE_lagesbild"))
        .args(["import", "incidents", "b.csv", "--store", "db"])
        .current_dir(wd.path(""))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start an import");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        second.try_wait().unwrap().is_none(),
        "the import went on while the store was held"
    );
    marker.unlock().unwrap();
    let out = second.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("används av en annan import; väntar"),
        "{said}"
    );
    assert!(said.contains("1 nya + 0 ersatta"), "{said}");
    let table = wd
        .run(&[
            "aggregate",
            "--store",
            "db",
            "--by",
            "offence",
            "--dialect",
            "plain",
            "-q",
        ])
        .ok();
    assert!(
        table.contains("Brand,2025,1") && table.contains("Stöld,2025,1"),
        "{table}"
    );
    std::fs::create_dir(wd.path("ny")).unwrap();
    let folder = std::fs::File::open(wd.path("ny")).unwrap();
    folder.lock().unwrap();
    let both: Vec<_> = ["a.csv", "b.csv"]
        .into_iter()
        .map(|file| {
            std::process::Command::new(env!("CARGO_BIN_EXE_lagesbild"))
                .args(["import", "incidents", file, "--store", "ny", "-q"])
                .current_dir(wd.path(""))
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start an import")
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1000));
    folder.unlock().unwrap();
    for import in both {
        let out = import.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let table = wd
        .run(&[
            "aggregate",
            "--store",
            "ny",
            "--by",
            "offence",
            "--dialect",
            "plain",
            "-q",
        ])
        .ok();
    assert!(
        table.contains("Brand,2025,1") && table.contains("Stöld,2025,1"),
        "{table}"
    );
}

/// `generate` never replaces a file it did not write: a folder with a user's file of
/// one of its names (and no note of an earlier `generate`) is refused untouched, while
/// its own folder is written again.
#[test]
fn generate_leaves_a_users_files_alone() {
    let wd = Workdir::new();
    for dir in ["mitt", "min"] {
        std::fs::create_dir_all(wd.path(dir)).unwrap();
    }
    wd.write("mitt/genererade-handelser.csv", "min egen export");
    wd.write("min/LASMIG.txt", "mina anteckningar");
    for dir in ["mitt", "min"] {
        let run = wd.run(&["generate", "--out", dir, "--years", "2025..2025", "-q"]);
        assert_ne!(run.code(), 0, "{dir}");
        assert!(
            run.stderr()
                .contains("inte skriven av `lagesbild generate`"),
            "{}",
            run.stderr()
        );
    }
    assert_eq!(
        std::fs::read_to_string(wd.path("mitt/genererade-handelser.csv")).unwrap(),
        "min egen export"
    );
    assert_eq!(
        std::fs::read_to_string(wd.path("min/LASMIG.txt")).unwrap(),
        "mina anteckningar"
    );
    for _ in 0..2 {
        wd.run(&["generate", "--out", "gen", "--years", "2025..2025", "-q"])
            .ok();
    }
}

/// Two outputs of one run to the same file: the second is refused, so that the rejected
/// rows the summary names are still in the file it names.
#[test]
fn two_outputs_of_one_run_never_share_a_file() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        "id;occurred_at;offence;place\nA1;2025-01-02 10:00;Stöld;Gamleby\nA2;inget datum;Stöld;Gamleby\n",
    );
    // Named on the command line: refused before anything is written.
    let run = wd.run(&["aggregate", "s.csv", "--rejects", "o.csv", "-o", "o.csv"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("är också o.csv i den här körningen"),
        "{}",
        run.stderr()
    );
    assert!(!wd.path("o.csv").exists());
    // The same file by another name, through a folder not there yet.
    let run = wd.run(&[
        "aggregate",
        "s.csv",
        "--rejects",
        "o.csv",
        "-o",
        "./x/../o.csv",
    ]);
    assert_ne!(run.code(), 0);
    assert!(!wd.path("o.csv").exists());
    // Where the command line does not say which outputs share a file (check's accepted
    // rows after its rejects), the second write is refused.
    let run = wd.run(&[
        "check",
        "s.csv",
        "--rejects",
        "o2.csv",
        "--accepted",
        "o2.csv",
    ]);
    assert_ne!(run.code(), 0);
    assert_eq!(wd.rejects(&wd.path("o2.csv")).len(), 1);
}

/// A table written over an incident file the configuration names, or over the rejects
/// file in its output folder, is refused before anything is read or written: the input
/// stays as it was and no rejects file appears.
#[test]
fn a_table_over_a_configured_input_is_refused_before_anything_is_written() {
    let wd = Workdir::new();
    let export = "id;occurred_at;offence;place\nA1;2025-01-02 10:00;Stöld;Gamleby\nA2;inget datum;Stöld;Gamleby\n";
    std::fs::create_dir_all(wd.path("p/data")).unwrap();
    wd.write("p/data/h.csv", export);
    wd.write(
        "p/places.toml",
        include_str!("../../data/vastervik/places.toml"),
    );
    wd.write(
        "p/areas.toml",
        include_str!("../../data/vastervik/priority_areas.toml"),
    );
    wd.write(
        "p/lagesbild.toml",
        "[municipality]\nname = \"Västerviks kommun\"\nshort_name = \"Västervik\"\ncode = \"0883\"\n\
         population = 36398\npopulation_year = 2024\n\
         [inputs]\nincidents = [\"data/h.csv\"]\n\
         [reference]\nplaces = \"places.toml\"\npriority_areas = \"areas.toml\"\n\
         [output]\ndir = \"ut\"\n",
    );
    for (command, out) in [
        ("aggregate", "p/data/h.csv"),
        ("timeprofile", "p/./data/h.csv"),
        ("concentration", "p/ut/avvisade_rader.csv"),
    ] {
        let run = wd.run(&[command, "--config", "p/lagesbild.toml", "-o", out]);
        assert_ne!(run.code(), 0, "{command}: {}", run.stderr());
        assert!(
            run.stderr().contains("i den här körningen"),
            "{command}: {}",
            run.stderr()
        );
        assert_eq!(
            std::fs::read_to_string(wd.path("p/data/h.csv")).unwrap(),
            export
        );
        assert!(
            !wd.path("p/ut").exists(),
            "{command}: the rejects were written"
        );
    }
    // Files named on the command line take the configured ones' place.
    wd.write("s.csv", export);
    wd.run(&[
        "aggregate",
        "--config",
        "p/lagesbild.toml",
        "s.csv",
        "-o",
        "p/data/h.csv",
        "-q",
    ])
    .ok();
    assert_ne!(
        std::fs::read_to_string(wd.path("p/data/h.csv")).unwrap(),
        export
    );
}
