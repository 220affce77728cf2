//! Place resolution: each incident gets a place of the gazetteer, by its `place` name
//! (case-, diacritic- and genitive-insensitive), else by its coordinates (point in the
//! place's area), else "okänd plats". The route that placed it is kept.

use std::collections::BTreeMap;

use geo::MultiPolygon;
use polars::prelude::*;

use super::classify::{codes_by_position, numbered_values};
use super::place_text::{Mention, PlaceFinder};

use crate::coords::{circle, AreaIndex, Sweref};
use crate::model::places::Gazetteer;
use crate::text::fold;

pub use crate::model::{MUNICIPALITY_PLACE, UNKNOWN_PLACE};

/// How an incident was placed.
pub mod route {
    /// By its place name.
    pub const NAME: &str = "namn";
    /// By its coordinates.
    pub const COORDINATES: &str = "koordinater";
    /// Not placed.
    pub const UNKNOWN: &str = "okänd";
    /// Written as the municipality itself.
    pub const MUNICIPALITY: &str = "kommunen";
}

/// What place resolution did, for the run summary.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Placement {
    /// Incidents (rows) placed by name, by coordinates, and not placed.
    pub by_name: usize,
    /// Placed by coordinates.
    pub by_coordinates: usize,
    /// Written as the municipality itself: counted in totals at no place.
    pub municipality_level: usize,
    /// Not placed.
    pub unknown: usize,
    /// Place names in the data that are not in the gazetteer, with row counts.
    pub unmatched_names: Vec<(String, usize)>,
    /// True when some place areas are circles standing in for unknown boundaries.
    pub approximate_areas: bool,
}

/// The gazetteer's places as areas in SWEREF 99 TM.
pub struct PlaceResolver<'a> {
    gazetteer: &'a Gazetteer,
    index: AreaIndex,
    sweref: Sweref,
    approximate: bool,
    /// The municipality's name, when known: its places are found anywhere in a
    /// free-text field, and the name itself means the whole municipality.
    municipality: Option<String>,
}

impl<'a> PlaceResolver<'a> {
    /// Builds the areas: the polygons from `polygons` (by place name, in SWEREF 99 TM)
    /// where given, else a circle of the place's approximate area around its position.
    pub fn new(gazetteer: &'a Gazetteer, polygons: &BTreeMap<String, MultiPolygon<f64>>) -> Self {
        let sweref = Sweref::new();
        let mut approximate = false;
        let mut areas = Vec::new();
        for (i, p) in gazetteer.places().iter().enumerate() {
            match polygons.get(&p.name) {
                Some(multi) => areas.extend(multi.0.iter().map(|poly| (i, poly.clone()))),
                None => {
                    approximate = true;
                    let (x, y) = match (p.x, p.y) {
                        (Some(x), Some(y)) => (x, y),
                        _ => sweref.from_wgs84(p.lat, p.lon).unwrap_or((0.0, 0.0)),
                    };
                    areas.push((i, circle(x, y, p.approximate_area_m2())));
                }
            }
        }
        Self {
            gazetteer,
            index: AreaIndex::new(areas),
            sweref,
            approximate,
            municipality: None,
        }
    }

    /// Resolves free-text places of the municipality `name` too: a gazetteer name as
    /// a whole word anywhere in the field ("Storgatan 12, VIMMERBY"; the most specific
    /// place wins), and the municipality's own name ("Vimmerby kommun") as
    /// [`MUNICIPALITY_PLACE`] when the coordinates do not place the incident.
    pub fn with_municipality(mut self, name: &str) -> Self {
        self.municipality = Some(name.to_owned());
        self
    }

    /// The place a written place name means: the gazetteer's name for it, else (with a
    /// municipality) the one place the text names as a whole word.
    fn by_name(&self, finder: Option<&PlaceFinder>, written: &str) -> Option<String> {
        self.gazetteer
            .find(written)
            .map(|p| p.name.clone())
            .or_else(|| match finder?.find(written) {
                Mention::Place(p) => Some(p),
                _ => None,
            })
    }

    /// Whether a written place is the municipality itself ("VIMMERBY KOMMUN",
    /// "Vimmerbys kommun", "Vimmerby kommun, socialtjänsten", "Upplands-Bro kommun"), or
    /// its bare name ("Upplands Väsby"), which only means the municipality when no
    /// place of the register has it (a place's name wins, see [`places_by_name`]).
    fn names_municipality(&self, written: &str) -> bool {
        let Some(name) = &self.municipality else {
            return false;
        };
        let words = |s: &str| -> Vec<String> {
            fold(s)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let official = words(&crate::model::sweden::official_name(name));
        let (text, name) = (words(written), words(name));
        let Some(last) = name.last() else {
            return false;
        };
        let genitive: Vec<String> = name[..name.len() - 1]
            .iter()
            .cloned()
            .chain([format!("{last}s")])
            .collect();
        if text == name
            || text
                .windows(official.len())
                .any(|w| w == official.as_slice())
        {
            return true;
        }
        let n = name.len();
        text.windows(n + 1)
            .any(|w| w[n] == "kommun" && (w[..n] == name[..] || w[..n] == genitive[..]))
    }

    /// The place containing a SWEREF 99 TM point.
    pub fn locate(&self, x: f64, y: f64) -> Option<&str> {
        self.index
            .locate(x, y)
            .map(|i| self.gazetteer.places()[i].name.as_str())
    }

    /// Each row's place by its point, as the place's number in the gazetteer, for the
    /// rows whose name did not place them (`by_name` false; SWEREF 99 TM `x`/`y`, else
    /// WGS84 `lat`/`lon`); missing where the point lies in no place or there is none.
    fn located_rows(&self, incidents: &DataFrame, by_name: &BooleanChunked) -> PolarsResult<IdxCa> {
        let [x, y, lat, lon] = super::coordinates(incidents)?;
        let (x, y, lat, lon) = (x.f64()?, y.f64()?, lat.f64()?, lon.f64()?);
        let located: IdxCa = by_name
            .iter()
            .zip(x.iter().zip(y.iter()))
            .zip(lat.iter().zip(lon.iter()))
            .map(|((named, (x, y)), (lat, lon))| {
                if named == Some(true) {
                    return None;
                }
                let (x, y) = match (x, y, lat, lon) {
                    (Some(x), Some(y), _, _) => (x, y),
                    (_, _, Some(lat), Some(lon)) => self.sweref.from_wgs84(lat, lon)?,
                    _ => return None,
                };
                self.index.locate(x, y).map(|i| i as IdxSize)
            })
            .collect();
        Ok(located.with_name("_located".into()))
    }

    /// Replaces `place` by the resolved place and keeps the given text in
    /// `place_given`; where every row is placed by its name, also the places' numbers
    /// for counting (`_place_code`, [`codes_by_position`]). How each row was placed is
    /// counted in the [`Placement`], not kept per row (nothing reads it there, and 12 M
    /// incidents would hold 0,2 GB of it).
    pub fn resolve(&self, incidents: &DataFrame) -> PolarsResult<(DataFrame, Placement)> {
        let (names, positions) = self.distinct_names(incidents)?;
        let (placed, with_routes) = if needs_points(incidents, &names, &positions)? {
            // A point may move a row to another place than its name's: the places are
            // numbered where they are counted.
            self.place_row_by_row(incidents, &names, &positions)?
        } else {
            let (mut placed, with_routes) = self.place_by_names(incidents, &names, &positions)?;
            let (places, _) = places_by_name(&names)?;
            placed.with_column(codes_by_position("place", places.str()?, &positions)?)?;
            (placed, with_routes)
        };
        Ok((placed, self.placement(&with_routes, &names)?))
    }

    /// Each distinct written place (`place`, missing included, in sort order) with its
    /// rows (`n`), the place its name means (`_by_name`) and whether it names the
    /// municipality itself (`_municipality`): names are few, rows may be many. Also
    /// each row's written place as its position among them, so that every row's place
    /// is then looked up by a number, not its text hashed again.
    fn distinct_names(&self, incidents: &DataFrame) -> PolarsResult<(DataFrame, IdxCa)> {
        let finder = self
            .municipality
            .as_deref()
            .map(|m| PlaceFinder::new(self.gazetteer, m));
        let (written, positions) = numbered_values(incidents.column("place")?)?;
        let mut names = DataFrame::new(
            written.len(),
            vec![
                written.clone().into_column(),
                rows_per_position(&positions)?,
            ],
        )?;
        let written = written.str()?.clone();
        let by_name: StringChunked = written
            .iter()
            .map(|g| g.and_then(|g| self.by_name(finder.as_ref(), g)))
            .collect();
        let municipality: StringChunked = written
            .iter()
            .map(|g| {
                g.filter(|g| self.names_municipality(g))
                    .map(|_| MUNICIPALITY_PLACE)
            })
            .collect();
        names.with_column(by_name.with_name("_by_name".into()).into_column())?;
        names.with_column(municipality.with_name("_municipality".into()).into_column())?;
        Ok((names, positions))
    }

    /// The incidents placed when no row's coordinates are needed: every row's place
    /// and route follow from its written place, found once per distinct name. Also
    /// the rows per written place and route, for [`Self::placement`].
    fn place_by_names(
        &self,
        incidents: &DataFrame,
        names: &DataFrame,
        positions: &IdxCa,
    ) -> PolarsResult<(DataFrame, DataFrame)> {
        let (places, routes) = places_by_name(names)?;
        let mut out = incidents.clone();
        let given = out.column("place")?.clone().with_name("place_given".into());
        out.with_column(given)?;
        out.with_column(places.take(positions)?.into_column())?;
        Ok((out, names_with_routes(names, &routes)?))
    }

    /// [`Self::place_by_names`] when some row's name does not place it and it has a
    /// point: placed by name first, then the rows the name did not place by their
    /// point where it lies in a place; the municipality's own name and "okänd plats"
    /// only where the point does not place the row either.
    fn place_row_by_row(
        &self,
        incidents: &DataFrame,
        names: &DataFrame,
        positions: &IdxCa,
    ) -> PolarsResult<(DataFrame, DataFrame)> {
        let (places, routes) = places_by_name(names)?;
        let by_name = names_with_routes(names, &routes)?;
        let named = routes.str()?.equal(route::NAME).take(positions)?;
        let located = self.located_rows(incidents, &named)?;
        let moved = located.is_not_null();
        // Each row's place as a number into the written names' places followed by the
        // gazetteer's places, so that the text column is made once, its rows pointing
        // into a few texts.
        let written = places.len() as IdxSize;
        let by_point = (&located + written).zip_with(&moved, positions)?;
        let mut all_places = places;
        all_places.append(&Series::new(
            "place".into(),
            self.gazetteer
                .places()
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>(),
        ))?;
        let mut out = incidents.clone();
        let given = out.column("place")?.clone().with_name("place_given".into());
        out.with_column(given)?;
        out.with_column(all_places.take(&by_point)?.into_column())?;
        let with_routes = routes_after_points(&by_name, positions, &moved)?;
        Ok((out, with_routes))
    }

    /// What placing did, from rows counted (`n`) per written place (`place_given`)
    /// and route (`place_route`); `names` as [`Self::distinct_names`] gives them.
    fn placement(&self, with_routes: &DataFrame, names: &DataFrame) -> PolarsResult<Placement> {
        // The municipality's own name is no missing place, also where a point placed
        // the row.
        let municipal = written_places(names, col("_municipality").is_not_null())?;
        let rows = |r: &str| -> PolarsResult<usize> {
            let n = with_routes
                .clone()
                .lazy()
                .filter(col("place_route").eq(lit(r)))
                .select([col("n").sum()])
                .collect()?;
            Ok(n.columns()[0].u64()?.get(0).unwrap_or(0) as usize)
        };
        let unmatched = with_routes
            .clone()
            .lazy()
            // Names the gazetteer lacks (placed by coordinates or not at all).
            .filter(
                col("place_route")
                    .neq(lit(route::NAME))
                    .and(col("place_route").neq(lit(route::MUNICIPALITY)))
                    .and(col("place_given").is_not_null())
                    .and(
                        col("place_given")
                            .is_in(lit(municipal).implode(false), false)
                            .not(),
                    ),
            )
            .group_by([col("place_given")])
            .agg([col("n").sum()])
            .sort_by_exprs(
                [col("n"), col("place_given")],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .collect()?;
        let unmatched_names = unmatched
            .column("place_given")?
            .str()?
            .iter()
            .zip(unmatched.column("n")?.u64()?.iter())
            .map(|(p, n)| (p.unwrap_or("").to_owned(), n.unwrap_or(0) as usize))
            .collect();
        Ok(Placement {
            by_name: rows(route::NAME)?,
            by_coordinates: rows(route::COORDINATES)?,
            municipality_level: rows(route::MUNICIPALITY)?,
            unknown: rows(route::UNKNOWN)?,
            unmatched_names,
            approximate_areas: self.approximate,
        })
    }
}

/// Rows per written place (`place_given`) and the route its name takes (`place_route`,
/// one per written place): `names` ([`PlaceResolver::distinct_names`]) with `routes`.
fn names_with_routes(names: &DataFrame, routes: &Series) -> PolarsResult<DataFrame> {
    let written = names.column("place")?.as_materialized_series();
    DataFrame::new(
        names.height(),
        vec![
            written
                .clone()
                .with_name("place_given".into())
                .into_column(),
            routes.clone().into_column(),
            names.column("n")?.clone(),
        ],
    )
}

/// Rows per written place (`place_given`) and route (`place_route`) once points have
/// placed some rows: `by_name`'s rows per written place and its name's route, less the
/// rows a point placed (`moved`, by row; `positions` gives each row's written place),
/// which count under [`route::COORDINATES`]. Counted by the written places' numbers:
/// grouping every row by its two texts held 0,4 GB more at 12 M incidents.
fn routes_after_points(
    by_name: &DataFrame,
    positions: &IdxCa,
    moved: &BooleanChunked,
) -> PolarsResult<DataFrame> {
    let moved_per_name = count_per_position(&positions.filter(moved)?, by_name.height())?;
    let counted = by_name.hstack(&[Column::new("_moved".into(), moved_per_name)])?;
    let stayed = counted.clone().lazy().select([
        col("place_given"),
        col("place_route"),
        (col("n") - col("_moved")).alias("n"),
    ]);
    let by_point = counted.lazy().select([
        col("place_given"),
        lit(route::COORDINATES).alias("place_route"),
        col("_moved").alias("n"),
    ]);
    concat([stayed, by_point], UnionArgs::default())?
        .filter(col("n").gt(lit(0u64)))
        .collect()
}

/// Whether some row's written place does not place it while the row has a point
/// (SWEREF 99 TM `x`/`y` or WGS84 `lat`/`lon`): then coordinates are looked at.
/// `names` and `positions` as [`PlaceResolver::distinct_names`] gives them.
fn needs_points(incidents: &DataFrame, names: &DataFrame, positions: &IdxCa) -> PolarsResult<bool> {
    let unplaced = names.column("_by_name")?.is_null();
    if !unplaced.any() {
        return Ok(false);
    }
    let mut rows = incidents.select(["x", "y", "lat", "lon"])?;
    rows.with_column(
        unplaced
            .take(positions)?
            .with_name("_unplaced".into())
            .into_column(),
    )?;
    let has_point = |a: &str, b: &str| col(a).is_not_null().and(col(b).is_not_null());
    let any = rows
        .lazy()
        .select([col("_unplaced")
            .and(has_point("x", "y").or(has_point("lat", "lon")))
            .any(true)])
        .collect()?;
    Ok(any.columns()[0].bool()?.get(0) == Some(true))
}

/// The written places (`place`) of `names` ([`PlaceResolver::distinct_names`]) that
/// meet `condition`.
fn written_places(names: &DataFrame, condition: Expr) -> PolarsResult<Series> {
    let places = names
        .clone()
        .lazy()
        .filter(condition)
        .select([col("place")])
        .collect()?;
    Ok(places.column("place")?.as_materialized_series().clone())
}

/// The place and the route of each written place of `names`
/// ([`PlaceResolver::distinct_names`]) when its name alone places it: the place its name
/// means, else the municipality it names, else [`UNKNOWN_PLACE`].
fn places_by_name(names: &DataFrame) -> PolarsResult<(Series, Series)> {
    let by_name = names.column("_by_name")?.str()?;
    let municipality = names.column("_municipality")?.str()?;
    let (places, routes): (Vec<&str>, Vec<&str>) = by_name
        .iter()
        .zip(municipality.iter())
        .map(|(name, municipality)| match (name, municipality) {
            (Some(name), _) => (name, route::NAME),
            (None, Some(m)) => (m, route::MUNICIPALITY),
            (None, None) => (UNKNOWN_PLACE, route::UNKNOWN),
        })
        .unzip();
    Ok((
        Series::new("place".into(), places),
        Series::new("place_route".into(), routes),
    ))
}

/// The rows holding each position of `positions` ([`numbered_values`], where every
/// position up to the largest occurs), in position order, as the column `n`: counted
/// by a number, not by the text.
fn rows_per_position(positions: &IdxCa) -> PolarsResult<Column> {
    let numbers = positions.max().map_or(0, |largest| largest as usize + 1);
    Ok(Column::new(
        "n".into(),
        count_per_position(positions, numbers)?,
    ))
}

/// How many of `positions` hold each number below `numbers` (counted by polars; a
/// number that does not occur counts 0).
fn count_per_position(positions: &IdxCa, numbers: usize) -> PolarsResult<Vec<u64>> {
    let counted = positions
        .clone()
        .with_name("_position".into())
        .into_series()
        .into_frame()
        .lazy()
        .group_by([col("_position")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()?;
    let mut per_position = vec![0u64; numbers];
    let at = counted.column("_position")?.idx()?;
    let n = counted.column("n")?.u64()?;
    for (at, n) in at.into_no_null_iter().zip(n.into_no_null_iter()) {
        per_position[at as usize] = n;
    }
    Ok(per_position)
}

/// `column` with each value of `from` replaced by the value of `to` at the same
/// position: a lookup joined on the one column, so the frame is not copied. An empty
/// table (a column of missing values only) gives missing values.
pub(crate) fn looked_up(column: &str, from: &Series, to: Series) -> Expr {
    let dtype = to.dtype().clone();
    if from.is_empty() {
        // Polars 0.55 panics on a lookup in an empty table.
        return lit(NULL).cast(dtype);
    }
    col(column).replace_strict(lit(from.clone()), lit(to), None::<Expr>, Some(dtype))
}

/// Replaces names in `column` that the gazetteer knows (in any case, with or without
/// diacritics, in the genitive) by the gazetteer's name; other names stay as written.
pub fn canonical_names(
    frame: &DataFrame,
    column: &str,
    gazetteer: &Gazetteer,
) -> PolarsResult<DataFrame> {
    map_distinct(frame, column, "_canonical", |g| {
        Some(
            gazetteer
                .find(g)
                .map_or_else(|| g.to_owned(), |p| p.name.clone()),
        )
    })?
    .lazy()
    .with_column(col("_canonical").alias(column))
    .drop(by_name_selector(["_canonical"]))
    .collect()
}

/// Adds `output`: `f` of each value of the text column `column`, computed once per
/// distinct value (names have few distinct values; rows may be many). The new column
/// is made by replacing each value by its result, so the rest of the frame is shared,
/// not copied as a join would copy it.
fn map_distinct(
    frame: &DataFrame,
    column: &str,
    output: &str,
    f: impl Fn(&str) -> Option<String>,
) -> PolarsResult<DataFrame> {
    let distinct = frame
        .column(column)?
        .as_materialized_series()
        .unique_stable()?;
    let mapped: Series = distinct
        .str()?
        .iter()
        .map(|g| g.and_then(&f))
        .collect::<StringChunked>()
        .into_series();
    frame
        .clone()
        .lazy()
        .with_column(looked_up(column, &distinct, mapped).alias(output))
        .collect()
}

fn by_name_selector<const N: usize>(names: [&str; N]) -> Selector {
    by_name(names.map(str::to_owned), true, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::classify::code_column;

    fn gazetteer() -> Gazetteer {
        Gazetteer::parse(include_str!("../../data/vastervik/places.toml")).unwrap()
    }

    /// How each row of `df` is placed: each row resolved alone, read off the one
    /// count of its [`Placement`] it adds to.
    fn routes_row_by_row(resolver: &PlaceResolver, df: &DataFrame) -> Vec<&'static str> {
        (0..df.height())
            .map(|row| {
                let (_, p) = resolver.resolve(&df.slice(row as i64, 1)).unwrap();
                let counts = [
                    (p.by_name, route::NAME),
                    (p.by_coordinates, route::COORDINATES),
                    (p.municipality_level, route::MUNICIPALITY),
                    (p.unknown, route::UNKNOWN),
                ];
                let routes: Vec<&str> = counts
                    .iter()
                    .filter(|(n, _)| *n == 1)
                    .map(|(_, r)| *r)
                    .collect();
                assert_eq!(routes.len(), 1, "row {row}: {p:?}");
                routes[0]
            })
            .collect()
    }

    #[test]
    fn name_first_then_coordinates_then_unknown() {
        let g = gazetteer();
        let resolver = PlaceResolver::new(&g, &BTreeMap::new());
        let df = df!(
            "place" => [Some("Ankarsrums"), Some("Stora torget"), None, None, None, Some("ÖVERUM")],
            // Gamleby's SCB point; Karstorp's point (inside Västervik); nothing; Edsbruk in WGS84.
            "x" => [None, Some(583036.81), Some(596813.5), None, None, None],
            "y" => [None, Some(6418253.17), Some(6403188.96), None, None, None],
            "lat" => [None, None, None, None, Some(58.016775), None],
            "lon" => [None, None, None, None, Some(16.471199), None],
        )
        .unwrap();
        let (out, p) = resolver.resolve(&df).unwrap();
        let places: Vec<&str> = out
            .column("place")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect();
        assert_eq!(
            places,
            [
                "Ankarsrum",
                "Gamleby",
                "Västervik",
                UNKNOWN_PLACE,
                "Edsbruk",
                "Överum"
            ]
        );
        assert_eq!(
            routes_row_by_row(&resolver, &df),
            [
                "namn",
                "koordinater",
                "koordinater",
                "okänd",
                "koordinater",
                "namn"
            ]
        );
        assert_eq!((p.by_name, p.by_coordinates, p.unknown), (2, 3, 1));
        assert_eq!(p.unmatched_names, [("Stora torget".to_owned(), 1)]);
        assert!(p.approximate_areas);
    }

    #[test]
    fn placing_by_names_alone_gives_what_placing_row_by_row_gives() {
        let g = gazetteer();
        let resolver = PlaceResolver::new(&g, &BTreeMap::new()).with_municipality("Västervik");
        let none: [Option<f64>; 7] = [None; 7];
        let df = df!(
            "place" => [Some("Ankarsrums"), Some("Stora torget"), None, Some("Västerviks kommun"),
                        Some("Stora torget"), Some("Storgatan 3, GAMLEBY"), Some("ankarsrum")],
            "x" => none, "y" => none, "lat" => none, "lon" => none,
        )
        .unwrap();
        let (names, positions) = resolver.distinct_names(&df).unwrap();
        assert!(!needs_points(&df, &names, &positions).unwrap());
        let (by_names, names_routes) = resolver.place_by_names(&df, &names, &positions).unwrap();
        // Placing by names alone also numbers the places (placing row by row leaves
        // that to counting).
        let (resolved, _) = resolver.resolve(&df).unwrap();
        assert!(resolved.column(&code_column("place")).is_ok());
        assert!(resolved
            .drop(&code_column("place"))
            .unwrap()
            .equals_missing(&by_names));
        let (by_rows, rows_routes) = resolver.place_row_by_row(&df, &names, &positions).unwrap();
        assert!(by_names.equals_missing(&by_rows), "{by_names}\n{by_rows}");
        let p = resolver.placement(&names_routes, &names).unwrap();
        let q = resolver.placement(&rows_routes, &names).unwrap();
        assert_eq!(format!("{p:?}"), format!("{q:?}"));
        let places: Vec<Option<&str>> = by_names
            .column("place")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            places,
            [
                Some("Ankarsrum"),
                Some(UNKNOWN_PLACE),
                Some(UNKNOWN_PLACE),
                Some(MUNICIPALITY_PLACE),
                Some(UNKNOWN_PLACE),
                Some("Gamleby"),
                Some("Ankarsrum")
            ]
        );
        assert_eq!(
            (p.by_name, p.by_coordinates, p.municipality_level, p.unknown),
            (3, 0, 1, 3)
        );
        assert_eq!(p.unmatched_names, [("Stora torget".to_owned(), 2)]);
    }

    /// A municipality of several words is named as one of one word is, and its bare
    /// name means it when the register has no place of that name.
    #[test]
    fn a_municipality_of_several_words_is_named_too() {
        let g = gazetteer();
        let resolver = PlaceResolver::new(&g, &BTreeMap::new()).with_municipality("Upplands Väsby");
        for written in [
            "Upplands Väsby kommun",
            "UPPLANDS VÄSBYS KOMMUN",
            "Upplands Väsby",
            "upplands-väsby kommun, socialtjänsten",
        ] {
            assert!(resolver.names_municipality(written), "{written}");
        }
        for written in [
            "Väsby kommun",
            "Upplands kommun",
            "Upplands Väsby centrum",
            "Upplands",
        ] {
            assert!(!resolver.names_municipality(written), "{written}");
        }
        for (short, official) in [("Falun", "Falu kommun"), ("Gotland", "Region Gotland")] {
            let r = PlaceResolver::new(&g, &BTreeMap::new()).with_municipality(short);
            assert!(r.names_municipality(official), "{official}");
        }
        let one = PlaceResolver::new(&g, &BTreeMap::new()).with_municipality("Vimmerby");
        assert!(one.names_municipality("Storgatan 1, Vimmerbys kommun"));
        assert!(!one.names_municipality("Vimmerbyvägen"));
    }

    #[test]
    fn a_point_places_before_the_municipality_name_and_after_a_place_name() {
        let g = gazetteer();
        let resolver = PlaceResolver::new(&g, &BTreeMap::new()).with_municipality("Västervik");
        let df = df!(
            "place" => [Some("Västerviks kommun"), Some("Västerviks kommun"), Some("Ankarsrum"), None],
            // Karstorp's point; a point in no place; Karstorp's point again; nothing.
            "x" => [Some(596813.5), Some(100000.0), Some(596813.5), None],
            "y" => [Some(6403188.96), Some(6100000.0), Some(6403188.96), None],
            "lat" => [None::<f64>, None, None, None],
            "lon" => [None::<f64>, None, None, None],
        )
        .unwrap();
        let (out, p) = resolver.resolve(&df).unwrap();
        let column = |c: &str| -> Vec<String> {
            out.column(c)
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|v| v.unwrap_or("-").to_owned())
                .collect()
        };
        assert_eq!(
            column("place"),
            ["Västervik", MUNICIPALITY_PLACE, "Ankarsrum", UNKNOWN_PLACE]
        );
        assert_eq!(
            routes_row_by_row(&resolver, &df),
            ["koordinater", "kommunen", "namn", "okänd"]
        );
        assert_eq!(
            column("place_given"),
            ["Västerviks kommun", "Västerviks kommun", "Ankarsrum", "-"]
        );
        assert_eq!(
            (p.by_name, p.by_coordinates, p.municipality_level, p.unknown),
            (1, 1, 1, 1)
        );
        assert!(p.unmatched_names.is_empty(), "{:?}", p.unmatched_names);
    }

    #[test]
    fn the_smaller_area_wins_inside_a_town() {
        let g = gazetteer();
        let resolver = PlaceResolver::new(&g, &BTreeMap::new());
        let karstorp = g.find("Karstorp").unwrap();
        let (x, y) = Sweref::new()
            .from_wgs84(karstorp.lat, karstorp.lon)
            .unwrap();
        assert_eq!(resolver.locate(x, y), Some("Karstorp"));
        assert_eq!(resolver.locate(x + 2_000.0, y + 2_000.0), Some("Västervik"));
    }
}
