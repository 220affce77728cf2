//! `lagesbild aggregate`: counts per priority area, offence, place or source × period,
//! with rates, shares and tests of change.

use std::process::ExitCode;

use chrono::NaiveDate;

use crate::analysis::aggregate::{aggregate, Dim, Options};
use crate::analysis::disclosure::suppress_aggregate;
use crate::analysis::{populations, Prepared};
use crate::app::project::{Project, Reading};
use crate::cli::choice;
use crate::cli::common::{IncidentInputs, TableOutput};
use crate::cli::{accounting_line, Globals};
use crate::ingest::report::Loaded;
use crate::lang::Lang;

const USAGE: &str = "\
Exempel:
  lagesbild aggregate                                   per prioriterat område och år (inbyggd standard)
  lagesbild aggregate --by offence,place --period year handelser.csv
  lagesbild aggregate --by place --period rolling12 --from 2024-01-01 --out r12.csv
  lagesbild aggregate --by priority_area,place --format parquet --out celler.parquet
  lagesbild aggregate --all --store databas --by offence     varje kommun i databasen, kommun för kommun

Kolumner: de valda --by-fälten, period (2025, 2025-Q1, 2025-03, 2025-W09; för rolling12
den sista månaden i 12-månadersfönstret), count, rate_per_1000 och rate_per_100k (per
invånare i platsen, eller i kommunen när --by saknar place), share_of_municipality
(platsens andel av kommunens antal i samma period och övriga fält), population, days
(dagar av perioden som ligger i intervallet), complete, previous_count (föregående period;
för rolling12 de 12 månaderna innan), change, change_pct (tom när föregående är 0),
rate_ratio med rr_ci_low/rr_ci_high (exakt Poisson-test, exponering = dagar), p_value,
e_test_p och verdict (ökning / minskning / ingen säker förändring), annual_rate_per_1000
(rate_per_1000 räknad om till ett helt år: × 365,25 / days, så att en ofullständig period
och en månad kan jämföras med ett år), harm (skadevärde: summan av händelsernas vikter i
dagars fängelse enligt skadeindexet, docs/harm.md), harm_per_1000 (per invånare) och
harm_unweighted (händelser som skadetabellen saknar vikt för: harm är då ofullständigt).

Avrundning: takter per 1 000 och andelar med 4 decimaler, per 100 000 och harm_per_1000
med 2, change_pct och harm med 1, rate_ratio och dess intervall med 4; antal är heltal och
p-värden skrivs med full precision.

complete = false betyder att perioden inte ligger helt inom data (t.ex. ett år som inte är
slut): dess count och rate_per_1000 gäller bara days dagar. Jämför ett ofullständigt år med
samma månader tidigare år med --through-month (t.ex. 10 för januari–oktober varje år).

En händelse räknas en gång i varje prioriterat område den hör till; händelser som inget
specifikt område tar hand om hamnar i \"ovrigt\". Antal summerar kolumnen count.";

/// Counts per dimensions × period with rates and tests of change.
#[derive(Debug, clap::Args)]
#[command(after_help = USAGE)]
pub struct Args {
    /// Fält att räkna per, kommaseparerade.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "priority_area"
    )]
    pub by: Vec<choice::Dim>,

    /// Period.
    #[arg(long, value_enum, default_value_t = choice::Period::Year)]
    pub period: choice::Period,

    /// Första dag som räknas (ÅÅÅÅ-MM-DD); standard: första dagen i data.
    #[arg(long, value_name = "DATUM")]
    pub from: Option<NaiveDate>,

    /// Sista dag som räknas (ÅÅÅÅ-MM-DD); standard: sista dagen i data.
    #[arg(long, value_name = "DATUM")]
    pub to: Option<NaiveDate>,

    /// Räkna bara januari till och med denna månad (1–12) varje år: samma månader,
    /// så att ett år som inte är slut jämförs med samma del av tidigare år.
    #[arg(long, value_name = "MÅNAD", value_parser = clap::value_parser!(u32).range(1..=12))]
    pub through_month: Option<u32>,

    /// Konfidensnivå för intervallet kring kvoten (och testets nivå för verdict).
    #[arg(long, default_value_t = 0.95, value_name = "NIVÅ")]
    pub level: f64,
    /// Dölj antal från 1 till N − 1 (och allt som räknas ur dem), med sekundär
    /// röjandekontroll mellan platser; för tabeller som lämnar analytikerns dator.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(2..))]
    pub suppress: Option<i64>,
    /// Varje kommun i databasen (--store), en i taget per kärna, i en tabell med
    /// kolumnerna municipality_code och municipality först.
    #[arg(long, requires = "store", conflicts_with_all = ["kommun", "config", "rejects"])]
    pub all: bool,
    #[command(flatten)]
    pub output: TableOutput,
    #[command(flatten)]
    pub inputs: IncidentInputs,
}

/// Runs `aggregate`.
pub fn run(args: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    if !(0.5..1.0).contains(&args.level) {
        anyhow::bail!(crate::lang::Said::new(
            format!(
                "--level {} ska ligga mellan 0,5 och 1 (t.ex. 0.95)",
                args.level
            ),
            format!(
                "--level {} must lie between 0.5 and 1 (e.g. 0.95)",
                args.level
            ),
        ));
    }
    anyhow::ensure!(
        args.through_month.is_none() || args.period == choice::Period::Year,
        crate::lang::Said::new(
            "--through-month jämför samma månader av olika år och går bara med --period year",
            "--through-month compares the same months of different years and only goes with --period year",
        )
    );
    if let (Some(from), Some(to)) = (args.from, args.to) {
        anyhow::ensure!(
            from <= to,
            crate::lang::Said::new(
                format!("--from {from} ligger efter --to {to}"),
                format!("--from {from} lies after --to {to}"),
            )
        );
    }
    let mut by = Vec::new();
    for d in args.by.iter().map(|d| Dim::from(*d)) {
        if by.contains(&d) {
            anyhow::bail!(crate::lang::Said::new(
                format!("--by nämner {} två gånger", d.column()),
                format!("--by names {} twice", d.column()),
            ));
        }
        by.push(d);
    }
    let opts = Options {
        by,
        period: args.period.into(),
        from: args.from,
        to: args.to,
        level: args.level,
        through_month: args.through_month,
    };
    if args.all {
        return run_all(&args, &opts, g);
    }
    // A table is sorted by its own keys: only what counting reads is read of a store.
    args.inputs.refuse_as_output(args.output.out.as_deref())?;
    let (run, progress) = crate::cli::common::start_reading(&args.inputs, g, counting(&opts))?;
    let table = table_of(&run, &opts, args.suppress)?;
    args.output.write(rounded(table)?, g.lang)?;
    progress.finish();
    crate::cli::common::finish(&run, g, "")?;
    Ok(ExitCode::SUCCESS)
}

/// What a table by `opts` reads of each incident.
fn counting(opts: &Options) -> Reading {
    Reading::Counts {
        by_source: opts.by.contains(&Dim::Source),
    }
}

/// The table of one project's incidents, small counts hidden when `suppress` asks.
fn table_of(
    run: &crate::app::project::Project,
    opts: &Options,
    suppress: Option<i64>,
) -> anyhow::Result<polars::prelude::DataFrame> {
    let mut table = aggregate(
        &run.prepared.incidents,
        // The long frame is built only when the priority area is asked for; without
        // it `aggregate` counts the incidents and never looks at the second frame.
        if opts.by.contains(&Dim::PriorityArea) {
            run.prepared.long()?
        } else {
            &run.prepared.incidents
        },
        opts,
        &populations(&run.config),
    )?;
    if let Some(k) = suppress {
        let groups: Vec<&str> = opts
            .by
            .iter()
            .filter(|d| **d != Dim::Place)
            .map(|d| d.column())
            .chain(["period"])
            .collect();
        let by_place = opts.by.contains(&Dim::Place).then_some(groups.as_slice());
        table = suppress_aggregate(&table, k, by_place)?;
    }
    Ok(table)
}

/// `aggregate --all --store`: every municipality of the store with its own project from
/// the embedded national tables (places, populations), read and counted one at a time
/// by each worker (the largest alone first: `app::store::for_each_municipality`), so that
/// memory follows the largest municipalities, not the store. The tables are put one
/// after the other in municipality-code order; when a municipality fails, no table is
/// written and the first failure in code order is the error, with the municipality's
/// name (a table with one missing would mislead).
fn run_all(args: &Args, opts: &Options, g: &Globals) -> anyhow::Result<ExitCode> {
    use polars::prelude::*;
    let store = args.inputs.store.as_deref().expect("clap requires --store");
    let sizes = crate::ingest::store::municipality_sizes(store)?;
    let counted: Vec<(DataFrame, usize)> = crate::app::store::for_each_municipality(
        &sizes,
        |code| -> anyhow::Result<(DataFrame, usize)> {
            let name = crate::model::sweden::sweden().name_of(code);
            let in_municipality = |e: anyhow::Error| e.context(format!("{name} ({code})"));
            let run = Project::from_store(None, store, Some(code), None, counting(opts))
                .map_err(in_municipality)?;
            let table = table_of(&run, opts, args.suppress).map_err(in_municipality)?;
            let rows = table.height();
            let mut columns = vec![
                Column::new("municipality_code".into(), vec![code; rows]),
                Column::new("municipality".into(), vec![name; rows]),
            ];
            columns.extend(table.columns().iter().cloned());
            Ok((DataFrame::new(rows, columns)?, run.loaded.frame.height()))
        },
    )
    .into_iter()
    .collect::<anyhow::Result<_>>()?;
    let incidents: usize = counted.iter().map(|(_, n)| n).sum();
    let mut tables = counted.into_iter().map(|(t, _)| t);
    let mut all = tables.next().unwrap_or_default();
    for table in tables {
        all.vstack_mut(&table)?;
    }
    args.output.write(rounded(all)?, g.lang)?;
    if !g.quiet {
        eprintln!(
            "{}",
            match g.lang {
                Lang::Sv => format!(
                    "lagesbild: {} kommuner och {incidents} händelser ur {}",
                    sizes.len(),
                    store.display()
                ),
                Lang::En => format!(
                    "lagesbild: {} municipalities and {incidents} incidents from {}",
                    sizes.len(),
                    store.display()
                ),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Decimals each computed column is written with: enough for what the figure can say,
/// no float noise (−3,3854166666666665). Counts are whole; p-values keep their full
/// precision (they are written in scientific form when small).
const DECIMALS: [(&str, u32); 11] = [
    ("rate_per_1000", 4),
    ("harm", 1),
    ("harm_per_1000", 2),
    ("rate_per_100k", 2),
    ("annual_rate_per_1000", 4),
    ("share_of_municipality", 4),
    ("change_pct", 1),
    ("rate_ratio", 4),
    ("rr_ci_low", 4),
    ("rr_ci_high", 4),
    ("population", 0),
];

fn rounded(
    table: polars::prelude::DataFrame,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let columns: Vec<Expr> = DECIMALS
        .iter()
        .filter(|(c, _)| table.column(c).is_ok_and(|c| c.dtype().is_float()))
        .map(|(c, d)| col(*c).round(*d, RoundMode::HalfAwayFromZero).alias(*c))
        .collect();
    if columns.is_empty() {
        return Ok(table);
    }
    table.lazy().with_columns(columns).collect()
}

/// The accounting of the run on stderr: rows, placement, unclassified offences.
pub fn run_summary(
    loaded: &Loaded,
    prepared: &Prepared,
    rejects: &std::path::Path,
    lang: Lang,
) -> polars::prelude::PolarsResult<String> {
    let p = &prepared.placement;
    let municipality_level = if p.municipality_level > 0 {
        format!(
            ", {} {}",
            p.municipality_level,
            lang.pick(
                "bara kommunen (räknas i totalen)",
                "the municipality only (counted in totals)"
            )
        )
    } else {
        String::new()
    };
    let mut out = format!(
        "{}\n{}: {} {}, {} {}{municipality_level}, {} {}\n",
        accounting_line(loaded, ("", ""), rejects, lang),
        lang.pick("platser", "places"),
        p.by_name,
        lang.pick("efter namn", "by name"),
        p.by_coordinates,
        lang.pick("efter koordinater", "by coordinates"),
        p.unknown,
        lang.pick("okänd plats", "unknown place"),
    );
    let list = |items: &[(String, i64)]| {
        items
            .iter()
            .take(10)
            .map(|(k, n)| format!("{k} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let classification = prepared.classification()?;
    if !classification.unmatched_offences.is_empty() {
        out.push_str(&format!(
            "{}: {}\n",
            lang.pick(
                "ej klassade brottstyper (ovrigt)",
                "unclassified offences (ovrigt)"
            ),
            list(&classification.unmatched_offences)
        ));
    }
    if !p.unmatched_names.is_empty() {
        let names: Vec<(String, i64)> = p
            .unmatched_names
            .iter()
            .map(|(k, n)| (k.clone(), *n as i64))
            .collect();
        out.push_str(&format!(
            "{}: {}\n",
            lang.pick("okända platsnamn", "unknown place names"),
            list(&names)
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::period::Period;
    use std::fmt::Write as _;

    /// Incidents of every kind the columns counting reads can hold: missing and padded
    /// offence codes, a code without a text, points in SWEREF 99 TM and in WGS 84,
    /// ages, close relations, missing sources, counts above one, free text.
    fn varied_incidents() -> String {
        let offences = [
            "Stöld",
            "Misshandel",
            "Narkotikabrott",
            "Brand",
            "Skadegörelse",
            "Trafikolycka",
            "Bedrägeri",
            "Olaga hot",
            "",
            // The text standing for a missing value, written out.
            crate::analysis::aggregate::MISSING,
        ];
        let codes = [" 0375 ", "0901", "", "3005", "5011", "", "9999"];
        let places = [
            "Västervik",
            "Gamleby",
            "Edsbruk",
            "Ankarsrum",
            "Karstorp",
            "Okändby",
            "",
            crate::analysis::aggregate::MISSING,
        ];
        let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        let mut csv = String::from(
            "id;occurred_at;offence;offence_code;place;x;y;lat;lon;suspect_age;close_relation;source;count;description\n",
        );
        for i in 0..700u64 {
            let day = start + chrono::Days::new(i * 37 % 1000);
            let (x, y) = if i % 5 == 0 {
                (
                    format!("{}", 586_000 + i % 9 * 700),
                    format!("{}", 6_401_000 + i % 7 * 900),
                )
            } else {
                (String::new(), String::new())
            };
            let (lat, lon) = if i % 5 == 1 {
                (format!("57.7{}", i % 10), format!("16.6{}", i % 10))
            } else {
                (String::new(), String::new())
            };
            let age = if i % 4 == 0 {
                format!("{}", 12 + i % 40)
            } else {
                String::new()
            };
            let relation = ["ja", "nej", "", "", "", ""][(i % 6) as usize];
            let source = ["", "polis", "kommun"][(i % 3) as usize];
            writeln!(
                csv,
                "T{i};{day} {:02}:{:02};{};{};{};{x};{y};{lat};{lon};{age};{relation};{source};{};text {i}",
                i % 24,
                i * 7 % 60,
                offences[i as usize % offences.len()],
                codes[(i % 7) as usize],
                places[i as usize % places.len()],
                1 + i % 3,
            )
            .unwrap();
        }
        csv
    }

    /// The numbers `prepare` gives the offence and place texts count as the numbers
    /// counting makes when a frame has none (`classify::code_expr`): every table, by
    /// incidents, by the long frame and by the month cube, is the same either way, also
    /// where the text standing for a missing value is written out.
    #[test]
    fn the_numbers_made_while_preparing_count_as_those_made_when_counting() {
        use crate::analysis::aggregate::MISSING;
        use crate::analysis::classify::{code_column, flag_areas, long_frame};
        use polars::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("h.csv");
        std::fs::write(&csv, varied_incidents()).unwrap();
        let rejects = dir.path().join("avvisade.csv");
        let p = Project::load_reading(None, &[csv], Some(&rejects), Lang::Sv, Reading::Everything)
            .unwrap();
        let codes = [code_column("offence"), code_column("place")];
        // Points place some rows, so only the offences are numbered while preparing;
        // without the points, the places are numbered too.
        let pointless = p
            .loaded
            .frame
            .clone()
            .lazy()
            .with_columns(
                ["x", "y", "lat", "lon"].map(|c| lit(NULL).cast(DataType::Float64).alias(c)),
            )
            .collect()
            .unwrap();
        let by_names = crate::analysis::prepare(&pointless, &p.config).unwrap();
        assert!(p.prepared.incidents.column(&codes[0]).is_ok());
        assert!(p.prepared.incidents.column(&codes[1]).is_err());
        assert!(codes.iter().all(|c| by_names.incidents.column(c).is_ok()));
        let areas = &p.config.areas;
        let pops = populations(&p.config);
        let texts = |prepared: &crate::analysis::Prepared, column: &str| -> Vec<String> {
            let column = prepared
                .incidents
                .column(column)
                .unwrap()
                .str()
                .unwrap()
                .clone();
            column.iter().flatten().map(str::to_owned).collect()
        };
        for prepared in [&p.prepared, &by_names] {
            // The text standing for a missing value occurs, written out. (No offence is
            // missing once read, and every row has a place once placed: that a missing
            // value and the text share a number is tested on the numbering itself.)
            assert!(texts(prepared, "offence").iter().any(|t| t == MISSING));
            let with = &prepared.incidents;
            let without = with.drop_many(codes.clone());
            let long_with = long_frame(&flag_areas(with, areas).unwrap(), areas).unwrap();
            let long_without = long_frame(&flag_areas(&without, areas).unwrap(), areas).unwrap();
            for by in [
                vec![Dim::Offence, Dim::Place],
                vec![Dim::Offence],
                vec![Dim::Place],
                vec![Dim::PriorityArea, Dim::Offence, Dim::Place],
            ] {
                for period in [Period::Month, Period::Year, Period::Week] {
                    let opts = Options {
                        by: by.clone(),
                        period,
                        from: None,
                        to: None,
                        level: 0.95,
                        through_month: None,
                    };
                    let a = aggregate(with, &long_with, &opts, &pops).unwrap();
                    let b = aggregate(&without, &long_without, &opts, &pops).unwrap();
                    assert!(a.height() > 10, "{opts:?}");
                    assert!(a.equals_missing(&b), "{opts:?}\n{a}\n{b}");
                    // Tables over whole months come from the month cube, which reuses
                    // the numbers too.
                    let c = prepared.aggregate(&opts, &pops).unwrap();
                    assert!(c.equals_missing(&b), "cube: {opts:?}\n{c}\n{b}");
                }
            }
        }
    }

    /// Reading only what counting reads ([`Reading::Counts`], in a store's own order)
    /// gives every table that reading everything gives, from files and from a store,
    /// with and without hidden small counts, bounds, the same months, weeks and
    /// rolling years.
    #[test]
    fn counting_only_what_counting_reads_gives_the_same_tables() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("h.csv");
        std::fs::write(&csv, varied_incidents()).unwrap();
        let rejects = dir.path().join("avvisade.csv");
        let from_files = |reading| {
            Project::load_reading(None, &[csv.clone()], Some(&rejects), Lang::Sv, reading).unwrap()
        };
        let files_all = from_files(Reading::Everything);
        let accepted = files_all.loaded.frame.height();
        assert!(accepted > 500, "{accepted}");
        let store = dir.path().join("db");
        crate::app::store::import_incidents(&store, "0883", &files_all.loaded.frame, None).unwrap();
        let from_store = |reading| Project::from_store(None, &store, None, None, reading).unwrap();
        let store_all = from_store(Reading::Everything);
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases: [(
            &[Dim],
            Period,
            Option<NaiveDate>,
            Option<NaiveDate>,
            Option<u32>,
            Option<i64>,
        ); 8] = [
            (
                &[Dim::Offence, Dim::Place],
                Period::Month,
                None,
                None,
                None,
                None,
            ),
            (
                &[Dim::PriorityArea, Dim::Place],
                Period::Quarter,
                None,
                None,
                None,
                Some(3),
            ),
            (&[Dim::Offence], Period::Year, None, None, Some(6), None),
            (&[Dim::Source], Period::Week, None, None, None, None),
            (&[Dim::Place], Period::Rolling12, None, None, None, None),
            (
                &[Dim::PriorityArea],
                Period::Month,
                date(2022, 3, 1),
                date(2023, 6, 30),
                None,
                None,
            ),
            (
                &[Dim::Offence, Dim::Place],
                Period::Year,
                None,
                None,
                None,
                Some(5),
            ),
            (&[], Period::Month, None, date(2024, 2, 29), None, None),
        ];
        for (by, period, from, to, through_month, suppress) in cases {
            let opts = Options {
                by: by.to_vec(),
                period,
                from,
                to,
                level: 0.95,
                through_month,
            };
            let table = |p: &Project| table_of(p, &opts, suppress).unwrap();
            let expected = table(&files_all);
            assert!(expected.height() > 3, "{opts:?}");
            let (files_counted, store_counted) =
                (from_files(counting(&opts)), from_store(counting(&opts)));
            // What counting never reads is not held: the id (once duplicates are
            // found), where a row came from, and the source unless counted by.
            let held: Vec<&str> = files_counted
                .loaded
                .frame
                .get_column_names()
                .into_iter()
                .map(|c| c.as_str())
                .collect();
            let by_source = by.contains(&Dim::Source);
            assert_eq!(held.contains(&"source"), by_source, "{held:?}");
            for gone in ["id", "_file", "_line", "description"] {
                assert!(!held.contains(&gone), "{gone}: {held:?}");
            }
            for (name, p) in [
                ("files, counts", &files_counted),
                ("store, everything", &store_all),
                ("store, counts", &store_counted),
            ] {
                assert!(table(p).equals_missing(&expected), "{name}: {opts:?}");
            }
        }
    }
}
