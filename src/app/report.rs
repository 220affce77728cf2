//! Writing a sealed report as a folder: the page, the workbook, the CSV tables, the
//! charts, the GeoJSON layer and the manifest the audit reads – all at once or not at
//! all. Rejected rows go beside the folder, never into it.

use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::analysis::events::Imported;
use crate::analysis::place::UNKNOWN_PLACE;
use crate::analysis::Prepared;
use crate::app::project::{
    configured_dialogues, configured_survey, given_or_configured, police_events, Project,
};
use crate::ingest::bra::{read_bra, BraTable};
use crate::ingest::polisen::{rejects_frame, EventsRead};
use crate::lang::Lang;
use crate::model::config::Config;
use crate::model::publication::{Figure, Manifest, MANIFEST};
use crate::model::sweden::{sweden, Kommun};
use crate::render::geo::places_geojson;
use crate::render::report_files::{draw_charts, html, sheet_names, table_csv, xlsx};
use crate::render::write_rejects;
use crate::report::{build, build_unprotected_for_tests, Inputs, ReportOptions, Sealed};

/// What to report on and where to write it.
#[derive(Debug, Clone)]
pub struct ReportJob {
    /// Project configuration, or `None` for the embedded default.
    pub config: Option<PathBuf>,
    /// Incident files replacing the configured ones (none: the configured).
    pub files: Vec<PathBuf>,
    /// Where the rejected incident rows go (default `<output>/avvisade_rader.csv`).
    pub rejects: Option<PathBuf>,
    /// The year reported on (default: the latest year with incidents).
    pub year: Option<i32>,
    /// The report folder (default `<output>/<kommun>-<år>`).
    pub out: Option<PathBuf>,
    /// Read the incidents from this store (`import incidents --store`) instead of
    /// files, for this municipality (name or code; the project's own when `None`).
    pub store: Option<(PathBuf, Option<String>)>,
    /// The folder the report folder goes in (named `<code>-<kommun>-<år>`), instead of
    /// the project's output.
    pub out_root: Option<PathBuf>,
    /// Counts from 1 to threshold − 1 are hidden (at least 3).
    pub threshold: i64,
    /// The date printed as the generation date.
    pub generated: chrono::NaiveDate,
    /// Police event files replacing the configured ones.
    pub polisen: Vec<PathBuf>,
    /// Brå tables replacing the configured ones.
    pub bra: Vec<PathBuf>,
    /// Language of the report.
    pub lang: Lang,
    /// Whether disclosure control is applied.
    pub protection: Protection,
    /// Which document is written.
    pub document: Document,
}

/// The document a report job writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// The lägesbild.
    Lagesbild,
    /// A draft promise document: for the promises of this file, else of the
    /// project's promises file, else for the strongest candidate problems.
    PromiseDraft(Option<PathBuf>),
}

/// Whether the report passes disclosure control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// Always, for anything published.
    Enforced,
    /// Never: only for the test that shows `audit` finds what an unprotected report
    /// leaks. The report is titled as not to be published.
    #[doc(hidden)]
    NoneForTests,
}

/// A written report and what it was built from, for the run summary.
pub struct Written {
    /// The report folder.
    pub out: PathBuf,
    /// Where the rejected rows went (beside the report, not in it).
    pub rejects_dir: PathBuf,
    /// The project with its incidents.
    pub project: Project,
    /// Police events, when used.
    pub polisen: Option<(EventsRead, Imported)>,
    /// Brå tables, when used.
    pub bra: Option<BraTable>,
    /// The project's municipality among Sweden's.
    pub home: Option<&'static Kommun>,
}

/// Builds the report and writes its folder; `step` is told as each step begins.
pub fn run(job: &ReportJob, step: &mut dyn FnMut(Step)) -> anyhow::Result<Written> {
    let lang = job.lang;
    step(Step::Incidents);
    let project = match &job.store {
        Some((store, kommun)) => Project::from_store(
            job.config.as_deref(),
            store,
            kommun.as_deref(),
            job.rejects.as_deref(),
            crate::app::project::Reading::Everything,
        )?,
        None => Project::load(
            job.config.as_deref(),
            &job.files,
            job.rejects.as_deref(),
            lang,
        )?,
    };
    let config = &project.config;
    step(Step::Survey);
    let survey = configured_survey(config, lang)?;
    let dialogues = configured_dialogues(config, lang)?;
    let year = match job.year {
        Some(y) => y,
        None => latest_year(&project.prepared)?.ok_or_else(|| {
            anyhow::anyhow!(crate::lang::Said::new(
                "inga godkända händelser att rapportera",
                "no accepted incidents to report",
            ))
        })?,
    };
    step(Step::Sources);
    let polisen_inputs = given_or_configured(&job.polisen, &config.polisen);
    let polisen = police_events(&polisen_inputs, config, lang)?;
    let home = sweden().by_code(&config.municipality.code);
    let bra_inputs = given_or_configured(&job.bra, &config.bra);
    let bra = if bra_inputs.is_empty() {
        None
    } else {
        Some(read_bra(&bra_inputs, lang)?)
    };
    let mut hashes = Vec::new();
    let incident_inputs = match &job.store {
        // The partitions read, not the configured files.
        Some((store, _)) => crate::ingest::store::partitions(store)?
            .into_iter()
            .filter(|p| p.kommun == config.municipality.code)
            .map(|p| crate::embedded::Location::Path(p.file(store)))
            .collect(),
        None => given_or_configured(&job.files, &config.incidents),
    };
    for at in incident_inputs
        .iter()
        .chain(&config.surveys)
        .chain(&polisen_inputs)
        .chain(&bra_inputs)
    {
        let bytes = at.read().map_err(|e| anyhow::anyhow!("{at}: {e}"))?;
        hashes.push((
            at.display_name(),
            format!("{:x}", sha2::Sha256::digest(&bytes)),
        ));
    }
    let opts = ReportOptions {
        year,
        threshold: job.threshold,
        generated: job.generated,
        lang,
        focus_places: config.report.focus_places.clone(),
        min_population: config.statistics.min_population,
        min_answers: config.statistics.min_answers,
    };
    step(Step::Build);
    let inputs = Inputs {
        config,
        loaded: &project.loaded,
        prepared: &project.prepared,
        survey: survey.as_ref(),
        hashes,
        polisen: polisen.as_ref().map(|(r, i)| (r, i)),
        bra: bra.as_ref(),
        dialogues: dialogues.as_ref(),
    };
    let report = match (&job.document, job.protection) {
        (Document::PromiseDraft(file), _) => {
            let promises = draft_promises(file.as_deref(), &inputs, year, job.generated)?;
            crate::report::build_promise_document(&inputs, &opts, &promises)?
        }
        (Document::Lagesbild, Protection::Enforced) => build(&inputs, &opts)?,
        (Document::Lagesbild, Protection::NoneForTests) => {
            build_unprotected_for_tests(&inputs, &opts)?
        }
    };
    let folder = match job.document {
        Document::Lagesbild => format!("{}-{year}", folder_name(config)),
        Document::PromiseDraft(_) => {
            format!("{}-{year}-utkast-medborgarloften", folder_name(config))
        }
    };
    let out = job.out.clone().unwrap_or_else(|| match &job.out_root {
        // Many municipalities in one folder: the code keeps Håbo and Habo apart.
        Some(root) => root.join(format!("{}-{folder}", config.municipality.code)),
        None => config.output_dir.join(folder),
    });
    step(Step::Write);
    let manifest = manifest(&report, &project.prepared, config)?;
    write_folder_atomically(&out, |dir| {
        write_report_files(dir, &report, &manifest, job.generated, lang)
    })?;
    // Rejected rows hold the inputs' own text, personal data included: they go beside
    // the report (with the incidents' rejects), never into the folder that is published.
    let rejects_dir = project
        .rejects
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    if let Some((read, _)) = &polisen {
        let path = rejects_dir.join("avvisade_handelser.csv");
        write_rejects(&path, &rejects_frame(&read.rejects)?, lang)
            .map_err(|e| anyhow::anyhow!(crate::files::explain(&path, &e)))?;
    }
    if let Some(table) = &bra {
        let path = rejects_dir.join("avvisade_bra.csv");
        write_rejects(&path, &rejects_frame(&table.rejects)?, lang)
            .map_err(|e| anyhow::anyhow!(crate::files::explain(&path, &e)))?;
    }
    Ok(Written {
        out,
        rejects_dir,
        project,
        polisen,
        bra,
        home,
    })
}

/// The promises a draft is written for: those of `file`, else the project's, else
/// the three strongest candidate problems at places.
fn draft_promises(
    file: Option<&Path>,
    inputs: &Inputs,
    year: i32,
    today: chrono::NaiveDate,
) -> anyhow::Result<crate::model::promises::Promises> {
    let config = inputs.config;
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!(crate::files::explain(path, &e)))?;
        let known = |p: &str| config.places.find(p).is_some();
        return crate::model::promises::Promises::parse(&text, &known).map_err(|m| {
            let at = format!("{}: ", path.display());
            anyhow::anyhow!(m.after(&at, &at))
        });
    }
    if let Some(list) = &config.promises {
        return Ok(list.clone());
    }
    let through =
        crate::analysis::period::last_complete_month(&inputs.prepared.incidents, year, today)?;
    let pops = crate::analysis::populations(config);
    let suggest_inputs = crate::analysis::suggest::SuggestInputs::of(
        inputs.prepared,
        config,
        &pops,
        inputs.survey.map(|l| &l.frame),
        year,
        through.filter(|&m| m > 0),
    )?;
    let candidates = crate::analysis::suggest::suggest(&suggest_inputs)?;
    Ok(crate::report::promises::promises_from_candidates(
        &candidates,
        year,
        3,
    ))
}

/// The steps of [`run`], for progress shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Reading, checking, placing and classifying incidents.
    Incidents,
    /// Reading survey responses.
    Survey,
    /// Reading police events and Brå tables.
    Sources,
    /// Computing the tables, disclosure control over all of them.
    Build,
    /// Drawing charts and writing the folder.
    Write,
}

/// The latest year with an incident.
pub fn latest_year(prepared: &Prepared) -> anyhow::Result<Option<i32>> {
    let latest = prepared
        .incidents
        .column("occurred_at")?
        .as_materialized_series()
        .cast(&polars::prelude::DataType::Date)?
        .date()?
        .phys
        .iter()
        .flatten()
        .max()
        .and_then(|days| crate::analysis::period::date_of_day(i64::from(days)));
    Ok(latest.map(|d| chrono::Datelike::year(&d)))
}

/// The municipality's short name as the report folder begins, personal data typed
/// into it masked first.
fn folder_name(config: &Config) -> String {
    crate::text::fold_key(&crate::text::masked(config.municipality.short_name.clone()))
}

/// The manifest of a sealed report: its figures' keys and places, the sets of areas
/// incidents belong to, and the workbook's sheets. No values.
pub fn manifest(report: &Sealed, prepared: &Prepared, config: &Config) -> anyhow::Result<Manifest> {
    let named: std::collections::BTreeSet<String> = report
        .figures
        .iter()
        .flat_map(|f| match &f.figure {
            Figure::Count(key) => vec![key],
            Figure::Derived(inputs) => inputs.iter().collect(),
        })
        .filter_map(|key| key.offence.clone())
        .collect();
    let atoms = crate::report::protect::Atoms::of(prepared, &named)?;
    let mut area_sets = atoms.areas.clone();
    area_sets.sort();
    area_sets.dedup();
    // Without a count by offence every set of areas is one kind, as before.
    let kinds = if named.is_empty() {
        Vec::new()
    } else {
        atoms
            .kinds()
            .into_iter()
            .map(|(areas, offence)| {
                let set = area_sets.binary_search(&areas).unwrap_or_default();
                (set, offence)
            })
            .collect()
    };
    // Names as the sealed report publishes them, personal data masked.
    let kinds = kinds
        .into_iter()
        .map(|(set, offence)| (set, offence.map(crate::text::masked)))
        .collect();
    let mut places: Vec<String> = config
        .places
        .places()
        .iter()
        .map(|p| p.name.clone())
        .chain([UNKNOWN_PLACE.to_owned()])
        .chain(atoms.place.iter().cloned())
        .map(crate::text::masked)
        .collect();
    places.sort();
    places.dedup();
    Ok(Manifest {
        threshold: report.threshold,
        area_sets,
        kinds,
        places,
        sheets: sheet_names(report),
        figures: report.figures.clone(),
        secrets: report.secrets.clone(),
    })
}

/// Writes the report's own files into `dir` (an empty folder).
pub fn write_report_files(
    dir: &Path,
    report: &Sealed,
    manifest: &Manifest,
    generated: chrono::NaiveDate,
    lang: Lang,
) -> anyhow::Result<()> {
    let drawn = draw_charts(report, lang)?;
    std::fs::write(dir.join("index.html"), html(report, &drawn, lang))?;
    std::fs::write(dir.join("lagesbild.xlsx"), xlsx(report, generated, lang)?)?;
    std::fs::write(dir.join("places.geojson"), places_geojson(report))?;
    std::fs::write(
        dir.join(MANIFEST),
        serde_json::to_string_pretty(manifest)? + "\n",
    )?;
    std::fs::create_dir_all(dir.join("tables"))?;
    std::fs::create_dir_all(dir.join("charts"))?;
    for t in report.sections.iter().flat_map(|s| &s.tables) {
        std::fs::write(
            dir.join("tables").join(format!("{}.csv", t.name)),
            table_csv(t),
        )?;
    }
    for (name, rendered) in &drawn {
        std::fs::write(
            dir.join("charts").join(format!("{name}.svg")),
            &rendered.svg,
        )?;
        std::fs::write(
            dir.join("charts").join(format!("{name}.png")),
            &rendered.png,
        )?;
    }
    Ok(())
}

/// Names a report folder holds; a folder holding anything else is the user's, and is
/// never replaced.
const REPORT_ENTRIES: [&str; 9] = [
    "index.html",
    "lagesbild.xlsx",
    "places.geojson",
    MANIFEST,
    "tables",
    "charts",
    "avvisade_rader.csv",
    "avvisade_handelser.csv",
    "avvisade_bra.csv",
];

/// Whether `target` may be replaced by a report: it does not exist, is an empty
/// folder, or is a report folder lagesbild wrote (only the names it writes, its own
/// manifest among them, and in `tables/` and `charts/` only tables and charts).
/// Otherwise an error that says what is there.
fn check_replaceable(target: &Path) -> anyhow::Result<()> {
    let meta = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => anyhow::bail!("{}: {e}", target.display()),
        Ok(meta) => meta,
    };
    anyhow::ensure!(
        meta.is_dir(),
        crate::lang::Said::new(
            format!("{} finns redan och är ingen mapp; ange en ny mapp med --out (lagesbild skriver aldrig över annat än sina egna rapporter)", target.display()),
            format!("{} exists and is no folder; give a new folder with --out (lagesbild never writes over anything but its own reports)", target.display()),
        )
    );
    let names: Vec<String> = std::fs::read_dir(target)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(target, &e)))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!(crate::files::explain(target, &e)))?;
    if names.is_empty() {
        return Ok(());
    }
    let foreign = names.iter().find(|n| !REPORT_ENTRIES.contains(&n.as_str()));
    if let Some(name) = foreign {
        anyhow::bail!(crate::lang::Said::new(
            format!("{} innehåller {name}, som inte är en del av en rapport; lagesbild ersätter bara mappar med egna rapporter – ange en ny eller tom mapp med --out", target.display()),
            format!("{} holds {name}, which is no part of a report; lagesbild only replaces folders of its own reports – give a new or empty folder with --out", target.display()),
        ));
    }
    anyhow::ensure!(
        is_our_manifest(&target.join(MANIFEST)),
        crate::lang::Said::new(
            format!("{} ser inte ut som en rapport från lagesbild (ingen {MANIFEST} från lagesbild); ange en ny eller tom mapp med --out", target.display()),
            format!("{} does not look like a report of lagesbild's (no {MANIFEST} from lagesbild); give a new or empty folder with --out", target.display()),
        )
    );
    // Inside the report's own folders, only the kinds of file a report writes.
    for (folder, endings) in [("tables", &[".csv"][..]), ("charts", &[".png", ".svg"][..])] {
        let Ok(entries) = std::fs::read_dir(target.join(folder)) else {
            continue;
        };
        for entry in entries {
            let entry = entry
                .map_err(|e| anyhow::anyhow!(crate::files::explain(&target.join(folder), &e)))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            anyhow::ensure!(
                is_file && endings.iter().any(|e| name.ends_with(e)),
                crate::lang::Said::new(
                    format!("{} innehåller {folder}/{name}, som en rapport inte skriver; lagesbild ersätter bara mappar med egna rapporter – flytta filen eller ange en ny mapp med --out", target.display()),
                    format!("{} holds {folder}/{name}, which a report does not write; lagesbild only replaces folders of its own reports – move the file or give a new folder with --out", target.display()),
                )
            );
        }
    }
    Ok(())
}

/// Whether `path` is a manifest lagesbild wrote: JSON with the threshold and the area
/// sets a report's manifest always has.
fn is_our_manifest(path: &Path) -> bool {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v.get("threshold").is_some() && v.get("area_sets").is_some())
}

/// Folders of the operating system that a report never goes into, however it is named
/// (the config's `[output] dir`, `--out`, a symlink): the tool runs with the user's
/// rights, which on a server or in CI can be root's.
const SYSTEM_FOLDERS: [&str; 14] = [
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/run", "/sbin", "/sys",
    "/usr", "/var/lib", "/var/log",
];

/// An error when `target` is the file system's root or lies in a system folder
/// ([`SYSTEM_FOLDERS`], `C:\Windows`, `C:\Program Files`). The nearest existing
/// ancestor is resolved, so `..` and symlinks cannot hide where it is.
fn refuse_system_folder(target: &Path) -> anyhow::Result<()> {
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_owned());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        let Some(parent) = existing.parent() else {
            break;
        };
        rest.push(existing.file_name().map(ToOwned::to_owned));
        existing = parent;
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_owned());
    for part in rest.into_iter().rev().flatten() {
        resolved.push(part);
    }
    let text = resolved.to_string_lossy().to_lowercase().replace('\\', "/");
    let inside = |folder: &str| text == folder || text.starts_with(&format!("{folder}/"));
    let system = resolved.parent().is_none()
        || SYSTEM_FOLDERS.iter().any(|f| inside(f))
        || ["c:/windows", "c:/program files", "c:/program files (x86)"]
            .iter()
            .any(|f| inside(f));
    anyhow::ensure!(
        !system,
        crate::lang::Said::new(
            format!("{} ligger i en systemmapp ({}); lagesbild skriver inte rapporter där – ange en mapp i ditt projekt eller din hemkatalog med --out eller [output] dir", target.display(), resolved.display()),
            format!("{} lies in a system folder ({}); lagesbild writes no reports there – give a folder in your project or your home folder with --out or [output] dir", target.display(), resolved.display()),
        )
    );
    Ok(())
}

/// Writes a folder completely in a temporary sibling, then puts it in place of
/// `target` – which must not exist, be empty, or be a report folder lagesbild wrote.
pub fn write_folder_atomically(
    target: &Path,
    fill: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    // Refused before anything is created: a folder on the way to a system folder is
    // not made either.
    refuse_system_folder(target)?;
    crate::files::clean_leftovers(target);
    check_replaceable(target)?;
    // `temporary_folder` creates the folders on the way to `target`.
    let tmp = crate::files::temporary_folder(target).map_err(|e| {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
        anyhow::anyhow!(crate::files::explain(parent.unwrap_or(Path::new(".")), &e))
    })?;
    fill(tmp.path()).map_err(|e| anyhow::anyhow!("{}: {e:#}", target.display()))?;
    crate::files::swap_in(tmp, target)
        .map_err(|e| anyhow::anyhow!(crate::files::explain(target, &e)))
}
