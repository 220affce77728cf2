//! Analysis: classification into priority areas, place resolution, aggregation per
//! priority area × place × period, and tests of change. Analysis never prints.

pub mod aggregate;
pub mod classify;
pub mod concentration;
pub mod cube;
pub mod disclosure;
pub mod events;
pub mod harm;
pub mod hotspots;
pub mod nearrepeat;
pub mod period;
pub mod place;
pub mod place_text;
pub mod promises;
pub mod reference;
pub mod stats;
pub mod suggest;
pub mod survey;
pub mod time;

use polars::prelude::*;

use crate::model::config::Config;

/// Incidents ready for analysis. The area flags, the classification, the long frame,
/// the cube and the atoms are made when first asked for: a table by offence type or
/// place run with `--quiet` makes none of them (Stockholm over thirteen years: 0,06 s
/// of 0,45 s was flags and classification); without it, the run summary asks for the
/// classification after the table is written.
#[derive(Debug)]
pub struct Prepared {
    /// One row per incident, place resolved (`place`, `place_given`; how each was
    /// placed is counted in `placement`), with its harm ([`harm::HARM`]) and the
    /// numbers counting groups its offence text (and, where no point placed a row, its
    /// place) by ([`classify::code_column`]).
    pub incidents: DataFrame,
    /// What place resolution did.
    pub placement: place::Placement,
    /// The incidents with a flag per priority area (`_area{i}`).
    flagged: std::sync::OnceLock<DataFrame>,
    classification: std::sync::OnceLock<classify::Classification>,
    areas: crate::model::priority::PriorityAreas,
    long: std::sync::OnceLock<DataFrame>,
    atoms: std::sync::OnceLock<DataFrame>,
    cube: std::sync::OnceLock<cube::Cube>,
    area_offences: std::sync::OnceLock<DataFrame>,
    /// Tables already counted by [`Prepared::aggregate`], with what they were counted
    /// by.
    counted: std::sync::Mutex<Vec<Counted>>,
}

/// A table [`Prepared::aggregate`] made, with the options and populations it was made
/// with.
type Counted = (aggregate::Options, aggregate::Populations, DataFrame);

impl Prepared {
    /// The incidents with a flag per priority area (`_area{i}`,
    /// [`classify::flag_areas`]), made the first time.
    fn flagged(&self) -> PolarsResult<&DataFrame> {
        once(&self.flagged, || {
            classify::flag_areas(&self.incidents, &self.areas)
        })
    }

    /// What classification found ([`classify::classification`]), made the first time.
    pub fn classification(&self) -> PolarsResult<&classify::Classification> {
        once(&self.classification, || {
            classify::classification(self.flagged()?, &self.areas)
        })
    }

    /// One row per incident and priority area (`priority_area`), including "ovrigt"
    /// ([`classify::long_frame`]).
    pub fn long(&self) -> PolarsResult<&DataFrame> {
        once(&self.long, || {
            classify::long_frame(self.flagged()?, &self.areas)
        })
    }

    /// Incidents per set of areas × offence type × place × year × month
    /// ([`cube::Cube::atoms`]): what the report's disclosure control works on.
    pub fn atoms(&self) -> PolarsResult<&DataFrame> {
        once(&self.atoms, || self.cube()?.atoms(&self.areas))
    }

    /// Every pair of area and offence type, in the order first met
    /// ([`classify::area_offence_pairs`]), made the first time.
    pub fn area_offences(&self) -> PolarsResult<&DataFrame> {
        once(&self.area_offences, || {
            // The cube's cells by area come in the order the long frame first meets
            // each pair, and carry the same numbers.
            classify::area_offence_pairs(&self.cube()?.by_area)
        })
    }

    /// The month cube ([`cube::cube`]), made the first time.
    pub fn cube(&self) -> PolarsResult<&cube::Cube> {
        once(&self.cube, || cube::cube(self.flagged()?, &self.areas))
    }

    /// [`aggregate::aggregate`] of these incidents, counted once for each options and
    /// populations: a report asks for the same table in several sections (the promise
    /// candidates recount what the offence tables count), each a pass over millions of
    /// rows in a large municipality.
    pub fn aggregate(
        &self,
        opts: &aggregate::Options,
        pops: &aggregate::Populations,
    ) -> PolarsResult<DataFrame> {
        let made_before = |counted: &[Counted]| {
            counted
                .iter()
                .find(|(o, p, _)| o == opts && p == pops)
                .map(|(_, _, table)| table.clone())
        };
        if let Some(table) = made_before(&self.counted_tables()) {
            return Ok(table);
        }
        let table = if counted_from_the_cube(opts) {
            let cube = self.cube()?;
            aggregate::aggregate(&cube.cells, &cube.by_area, opts, pops)?
        } else {
            aggregate::aggregate(&self.incidents, self.long()?, opts, pops)?
        };
        self.counted_tables()
            .push((opts.clone(), pops.clone(), table.clone()));
        Ok(table)
    }

    /// The tables counted so far. A thread that panicked while holding them left
    /// only whole tables (they are added whole), so they are still good.
    fn counted_tables(&self) -> std::sync::MutexGuard<'_, Vec<Counted>> {
        self.counted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Whether a table of `opts` is a sum over the month cube's cells: whole months (no
/// bounds within a month, no weeks), by area, offence type and place only.
fn counted_from_the_cube(opts: &aggregate::Options) -> bool {
    opts.from.is_none()
        && opts.to.is_none()
        && opts.period != period::Period::Week
        && !opts.by.contains(&aggregate::Dim::Source)
}

/// The value in `cell`, made by `make` the first time.
fn once<T>(
    cell: &std::sync::OnceLock<T>,
    make: impl FnOnce() -> PolarsResult<T>,
) -> PolarsResult<&T> {
    if let Some(made) = cell.get() {
        return Ok(made);
    }
    let made = make()?;
    Ok(cell.get_or_init(|| made))
}

/// The incident columns [`prepare`] and a count by area, offence type, place or source
/// over periods ([`aggregate::aggregate`]) read: the rest (ids, the other times, free
/// text, where a row came from) need not be read for a table. The source comes last:
/// only a count by source reads it ([`counted_columns`]).
pub const COUNTED_COLUMNS: [&str; 12] = [
    "occurred_at",
    "offence",
    "offence_code",
    "place",
    "x",
    "y",
    "lat",
    "lon",
    "suspect_age",
    "close_relation",
    "count",
    "source",
];

/// The columns of [`COUNTED_COLUMNS`] a count reads: the source only when it counts by
/// source (`by_source`; 12 M incidents: 0,2 GB less without it). The age and close
/// relation stay: the priority areas, which the run's summary counts, read them.
pub fn counted_columns(by_source: bool) -> &'static [&'static str] {
    if by_source {
        &COUNTED_COLUMNS
    } else {
        &COUNTED_COLUMNS[..COUNTED_COLUMNS.len() - 1]
    }
}

/// The values of `column`, row by row, as a series of their own. A column that holds
/// one value for all its rows ([`crate::memory::constants_held_once`]) is written out
/// in a copy, dropped after use: written out in place, it would be held row by row for
/// as long as the incidents are (12 M incidents without coordinates in WGS84: 0,2 GB).
pub(crate) fn values_of(column: &Column) -> Series {
    column.clone().take_materialized_series()
}

/// The coordinate columns `x`, `y`, `lat` and `lon` of `incidents`, each as
/// [`values_of`] gives it (most exports fill only one of the two pairs).
pub(crate) fn coordinates(incidents: &DataFrame) -> PolarsResult<[Series; 4]> {
    Ok([
        values_of(incidents.column("x")?),
        values_of(incidents.column("y")?),
        values_of(incidents.column("lat")?),
        values_of(incidents.column("lon")?),
    ])
}

/// The values that occur in `column`, with repeats (for finding the distinct ones): a
/// column that holds one value for all its rows gives it once, without writing it out
/// row by row (see [`values_of`]).
pub(crate) fn occurring_values(column: &Column) -> Series {
    match column {
        Column::Scalar(one) => one.as_single_value_series(),
        values => values.as_materialized_series().clone(),
    }
}

/// Resolves places and classifies accepted incidents by the project's rules.
pub fn prepare(incidents: &DataFrame, config: &Config) -> PolarsResult<Prepared> {
    let resolver = place::PlaceResolver::new(&config.places, &config.polygons)
        .with_municipality(&config.municipality.short_name);
    // The offence texts are hashed once: harm weighs each distinct text, and counting
    // by offence reads the numbers made from them. Placing reads the places alone, so
    // the two are done side by side (hashing texts keeps one core busy). On a thread of
    // its own, not rayon's pool: a pool thread waiting for polars would take up other
    // municipalities' work meanwhile (`report --all`) and return only after it.
    let (resolved, offences) = std::thread::scope(|s| {
        let offences = s.spawn(|| classify::numbered_values(incidents.column("offence")?));
        let resolved = resolver.resolve(incidents);
        let offences = offences
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (resolved, offences)
    });
    let (placed, placement) = resolved?;
    let offences = offences?;
    let mut placed = harm::with_harm(&placed, &config.harm, &offences)?;
    let (texts, positions) = &offences;
    placed.with_column(classify::codes_by_position(
        "offence",
        texts.str()?,
        positions,
    )?)?;
    Ok(Prepared {
        incidents: placed,
        placement,
        flagged: std::sync::OnceLock::new(),
        classification: std::sync::OnceLock::new(),
        areas: config.areas.clone(),
        long: std::sync::OnceLock::new(),
        atoms: std::sync::OnceLock::new(),
        cube: std::sync::OnceLock::new(),
        area_offences: std::sync::OnceLock::new(),
        counted: std::sync::Mutex::new(Vec::new()),
    })
}

/// The denominators of the project: the municipality and every place with a population.
pub fn populations(config: &Config) -> aggregate::Populations {
    aggregate::Populations {
        municipality: config.municipality.population,
        places: config
            .places
            .places()
            .iter()
            // A population of 0 gives no rate (never an infinite one).
            .filter_map(|p| Some((p.name.clone(), p.population.filter(|&n| n > 0)?)))
            .collect(),
    }
}

/// An incident position: easting, northing (SWEREF 99 TM) and count.
pub type Position = (f64, f64, f64);

/// Incident positions in SWEREF 99 TM with their counts: `x`,`y` where given, else
/// `lat`,`lon` converted. Also returns how many incidents (summing `count`) had no
/// position. Place names are never turned into positions: a place's point is not
/// where an incident happened.
pub fn positions(incidents: &DataFrame) -> PolarsResult<(Vec<Position>, f64)> {
    let count = values_of(incidents.column("count")?);
    let count = count.i64()?;
    let mut points = Vec::new();
    let mut without = 0.0;
    for (i, point) in located(incidents)?.into_iter().enumerate() {
        let n = count.get(i).unwrap_or(1) as f64;
        match point {
            Some((x, y)) => points.push((x, y, n)),
            None => without += n,
        }
    }
    Ok((points, without))
}

/// Each incident's SWEREF 99 TM position: `x`,`y` where given, else `lat`,`lon`
/// converted, else `None` (a place name is never a position).
pub fn located(incidents: &DataFrame) -> PolarsResult<Vec<Option<(f64, f64)>>> {
    let sweref = crate::coords::Sweref::new();
    let [x, y, lat, lon] = coordinates(incidents)?;
    let (x, y, lat, lon) = (x.f64()?, y.f64()?, lat.f64()?, lon.f64()?);
    Ok((0..incidents.height())
        .map(|i| match (x.get(i), y.get(i), lat.get(i), lon.get(i)) {
            (Some(x), Some(y), _, _) => Some((x, y)),
            (_, _, Some(lat), Some(lon)) => sweref.from_wgs84(lat, lon),
            _ => None,
        })
        .collect())
}
