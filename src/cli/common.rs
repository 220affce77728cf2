//! Options and steps that the analysis subcommands share: where the incidents come
//! from, where tables go, and the run's accounting on standard error.

use std::path::PathBuf;

use crate::app::project::{Project, Reading};
use crate::cli::aggregate::run_summary;
use crate::cli::choice::{CsvDialect, TableFormat};
use crate::cli::{write_output, Globals};

/// Where the incidents come from.
#[derive(Debug, Clone, clap::Args)]
pub struct IncidentInputs {
    /// Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Var de avvisade raderna skrivs (standard: UTDATAMAPP/avvisade_rader.csv).
    #[arg(long, value_name = "FIL")]
    pub rejects: Option<PathBuf>,
    /// Läs händelserna ur en databas (lagesbild import incidents --store) i stället för filer.
    #[arg(long, value_name = "MAPP", conflicts_with = "files")]
    pub store: Option<PathBuf>,
    /// Kommunen i databasen: namn eller kommunkod (standard: projektets kommun).
    #[arg(long, value_name = "KOMMUN", requires = "store")]
    pub kommun: Option<String>,
    /// Händelsefiler (CSV). Ersätter konfigurationens indata.
    #[arg(value_name = "FILER")]
    pub files: Vec<PathBuf>,
}

impl IncidentInputs {
    /// An error, before anything is read or written, when the table's `out` would be
    /// one of the files named on the command line, inside the store, or the rejects
    /// file. (The one atomic writer refuses such a write too, but only after the run's
    /// rejects have been written.)
    pub fn refuse_as_output(&self, out: Option<&std::path::Path>) -> anyhow::Result<()> {
        let Some(out) = crate::cli::file_or_stdout(out) else {
            return Ok(());
        };
        let same = |p: &std::path::Path| crate::files::same_place(out, p);
        let configured = self.configured_files();
        let clash = self
            .files
            .iter()
            .chain(&configured)
            .find(|f| same(f))
            .or(self.rejects.as_ref().filter(|r| same(r)))
            .or(self
                .store
                .as_ref()
                .filter(|s| crate::files::lies_in(out, s)));
        match clash {
            Some(input) => Err(crate::lang::Said::new(
                format!("{}: är också {} i den här körningen; välj en annan fil att skriva tabellen till", out.display(), input.display()),
                format!("{}: is also {} in this run; choose another file to write the table to", out.display(), input.display()),
            )
            .into()),
            None => Ok(()),
        }
    }
}

impl IncidentInputs {
    /// The files on disk a run reads or writes because the configuration names them:
    /// its incident files when none is named on the command line, and the rejects file
    /// in its output folder when `--rejects` is not given. Empty when the configuration
    /// cannot be loaded (the run itself then says why) or there is none.
    fn configured_files(&self) -> Vec<PathBuf> {
        // A store run without a configuration takes the municipality's embedded
        // national project, whose output folder is not known here.
        if self.store.is_some() && self.config.is_none() {
            return Vec::new();
        }
        let Ok(config) = crate::app::project::load_config(self.config.as_deref()) else {
            return Vec::new();
        };
        let mut files = Vec::new();
        if self.files.is_empty() && self.store.is_none() {
            files.extend(config.incidents.iter().filter_map(|at| match at {
                crate::embedded::Location::Path(p) => Some(p.clone()),
                crate::embedded::Location::Embedded(_) => None,
            }));
        }
        if self.rejects.is_none() {
            files.push(crate::app::project::rejects_path(&config, None));
        }
        files
    }
}

/// Where a table goes, and in which form.
#[derive(Debug, Clone, clap::Args)]
pub struct TableOutput {
    /// Utdataformat.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
    /// CSV-dialekt: excel (;, decimalkomma, BOM) eller plain (, och decimalpunkt).
    #[arg(long, value_enum, default_value_t = CsvDialect::Excel)]
    pub dialect: CsvDialect,
    /// Skriv till denna fil i stället för standard ut ("-": standard ut).
    #[arg(long, short, value_name = "FIL")]
    pub out: Option<PathBuf>,
}

impl TableOutput {
    /// Writes `table` as asked, with result codes in words of `lang`.
    pub fn write(
        &self,
        table: polars::prelude::DataFrame,
        lang: crate::lang::Lang,
    ) -> anyhow::Result<()> {
        let table = &mut crate::render::in_words(table, lang)?;
        write_output(
            table,
            self.format.into(),
            self.dialect.into(),
            self.out.as_deref(),
        )
    }
}

/// The incidents of a run, read, accounted for, placed and classified.
pub type Run = Project;

/// Reads and prepares the incidents named by `inputs`, with the step shown as
/// progress; the progress comes back at the step of counting and writing, for the
/// command to end ([`Progress::finish`]) before its summary.
pub fn start(inputs: &IncidentInputs, g: &Globals) -> anyhow::Result<(Run, Progress)> {
    start_reading(inputs, g, Reading::Everything)
}

/// [`start`], reading of a store's incidents only what `reading` says.
pub fn start_reading(
    inputs: &IncidentInputs,
    g: &Globals,
    reading: Reading,
) -> anyhow::Result<(Run, Progress)> {
    let mut progress = Progress::new(g);
    progress.step(g.lang.pick(
        "läser, kontrollerar och förbereder händelser",
        "reading, checking and preparing incidents",
    ));
    let run = read(inputs, g, reading)?;
    progress.step(g.lang.pick("räknar och skriver", "counting and writing"));
    Ok((run, progress))
}

/// The incidents of `inputs`, from a store or from files.
fn read(inputs: &IncidentInputs, g: &Globals, reading: Reading) -> anyhow::Result<Run> {
    if let Some(store) = &inputs.store {
        return Project::from_store(
            inputs.config.as_deref(),
            store,
            inputs.kommun.as_deref(),
            inputs.rejects.as_deref(),
            reading,
        );
    }
    Project::load_reading(
        inputs.config.as_deref(),
        &inputs.files,
        inputs.rejects.as_deref(),
        g.lang,
        reading,
    )
}

/// Prints the accounting of the run (and `extra`) on standard error unless quiet.
pub fn finish(run: &Run, g: &Globals, extra: &str) -> anyhow::Result<()> {
    if !g.quiet {
        eprint!(
            "{}{extra}",
            run_summary(&run.loaded, &run.prepared, &run.rejects, g.lang).map_err(|e| {
                anyhow::Error::from(e).context(g.lang.pick(
                    "utdata är skrivna, men körningens sammanfattning kunde inte räknas ut",
                    "the output is written, but the run summary could not be worked out",
                ))
            })?
        );
        for note in &run.config.notes {
            eprintln!("{}: {}", g.lang.pick("obs", "note"), note.in_lang(g.lang));
        }
    }
    Ok(())
}

/// Progress of a long run on standard error: a spinner with the current step when
/// standard error is a terminal (silent otherwise, and with `--quiet`), and each step
/// with its time under `--verbose`.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    verbose: bool,
    step: Option<(String, std::time::Instant)>,
}

impl Progress {
    /// Starts showing progress as the options say.
    pub fn new(g: &Globals) -> Self {
        use std::io::IsTerminal;
        let bar = (!g.quiet && !g.verbose && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            verbose: g.verbose,
            step: None,
        }
    }

    /// Begins a step, ending the one before.
    pub fn step(&mut self, what: &str) {
        self.end_step();
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_owned());
        }
        self.step = Some((what.to_owned(), std::time::Instant::now()));
    }

    fn end_step(&mut self) {
        if let Some((what, started)) = self.step.take() {
            if self.verbose {
                eprintln!("{what}: {:.2} s", started.elapsed().as_secs_f64());
            }
        }
    }

    /// Ends the last step and clears the spinner.
    pub fn finish(mut self) {
        self.end_step();
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
