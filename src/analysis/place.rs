//! Place resolution: each incident gets a place of the gazetteer, by its `place` name
//! (case-, diacritic- and genitive-insensitive), else by its coordinates (point in the
//! place's area), else "okänd plats". The route that placed it is kept.

use std::collections::BTreeMap;

use geo::MultiPolygon;
use polars::prelude::*;

use super::place_text::{Mention, PlaceFinder};

use crate::coords::{circle, AreaIndex, Sweref};
use crate::model::places::Gazetteer;
use crate::text::fold;

/// The place of incidents that could not be placed.
pub const UNKNOWN_PLACE: &str = "okänd plats";

/// The place of an incident written as the municipality itself ("VIMMERBY KOMMUN"):
/// it counts in the municipality's totals, at no place of its own.
pub const MUNICIPALITY_PLACE: &str = "hela kommunen (ingen ort)";

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
    /// "Vimmerbys kommun", "Vimmerby kommun, socialtjänsten").
    fn names_municipality(&self, written: &str) -> bool {
        let Some(name) = &self.municipality else {
            return false;
        };
        let text = fold(written);
        let name = fold(name);
        text.split(|c: char| !c.is_alphanumeric())
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| (w[0] == name || w[0] == format!("{name}s")) && w[1] == "kommun")
    }

    /// The place containing a SWEREF 99 TM point.
    pub fn locate(&self, x: f64, y: f64) -> Option<&str> {
        self.index
            .locate(x, y)
            .map(|i| self.gazetteer.places()[i].name.as_str())
    }

    /// Replaces `place` by the resolved place, keeps the given text in `place_given`
    /// and adds `place_route`.
    pub fn resolve(&self, incidents: &DataFrame) -> PolarsResult<(DataFrame, Placement)> {
        // Names: once per distinct value.
        let finder = self
            .municipality
            .as_deref()
            .map(|m| PlaceFinder::new(self.gazetteer, m));
        let joined = map_distinct(incidents, "place", "_by_name", |g| {
            self.by_name(finder.as_ref(), g)
        })?;
        let joined = map_distinct(&joined, "place", "_municipality", |g| {
            self.names_municipality(g)
                .then(|| MUNICIPALITY_PLACE.to_owned())
        })?;

        // Coordinates: only for rows the name did not place.
        let by_name = joined.column("_by_name")?.str()?;
        let (x, y) = (joined.column("x")?.f64()?, joined.column("y")?.f64()?);
        let (lat, lon) = (joined.column("lat")?.f64()?, joined.column("lon")?.f64()?);
        let by_coords: Vec<Option<&str>> = by_name
            .iter()
            .zip(x.iter().zip(y.iter()))
            .zip(lat.iter().zip(lon.iter()))
            .map(|((name, (x, y)), (lat, lon))| {
                if name.is_some() {
                    return None;
                }
                let (x, y) = match (x, y, lat, lon) {
                    (Some(x), Some(y), _, _) => (x, y),
                    (_, _, Some(lat), Some(lon)) => self.sweref.from_wgs84(lat, lon)?,
                    _ => return None,
                };
                self.locate(x, y)
            })
            .collect();
        let mut out = joined.clone();
        out.with_column(Column::new("_by_coords".into(), by_coords))?;
        let out = out
            .lazy()
            .with_columns([
                col("place").alias("place_given"),
                when(col("_by_name").is_not_null())
                    .then(lit(route::NAME))
                    .when(col("_by_coords").is_not_null())
                    .then(lit(route::COORDINATES))
                    .when(col("_municipality").is_not_null())
                    .then(lit(route::MUNICIPALITY))
                    .otherwise(lit(route::UNKNOWN))
                    .alias("place_route"),
                col("_by_name")
                    .fill_null(col("_by_coords"))
                    .fill_null(col("_municipality"))
                    .fill_null(lit(UNKNOWN_PLACE))
                    .alias("place"),
            ])
            .drop(by_name_selector([
                "_by_name",
                "_by_coords",
                "_municipality",
            ]))
            .collect()?;

        let routes = out.column("place_route")?.str()?;
        let count = |r: &str| routes.iter().filter(|v| *v == Some(r)).count();
        let unmatched = out
            .clone()
            .lazy()
            // Names the gazetteer lacks (placed by coordinates or not at all); the
            // municipality's own name is no missing place.
            .filter(
                col("place_route")
                    .neq(lit(route::NAME))
                    .and(col("place_route").neq(lit(route::MUNICIPALITY)))
                    .and(col("place_given").is_not_null()),
            )
            .group_by([col("place_given")])
            .agg([len().alias("n")])
            .sort_by_exprs(
                [col("n"), col("place_given")],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .collect()?;
        let unmatched_names = unmatched
            .column("place_given")?
            .str()?
            .iter()
            .zip(
                unmatched
                    .column("n")?
                    .as_materialized_series()
                    .cast(&DataType::UInt64)?
                    .u64()?
                    .iter(),
            )
            .map(|(p, n)| (p.unwrap_or("").to_owned(), n.unwrap_or(0) as usize))
            .collect();
        let placement = Placement {
            by_name: count(route::NAME),
            by_coordinates: count(route::COORDINATES),
            municipality_level: count(route::MUNICIPALITY),
            unknown: count(route::UNKNOWN),
            unmatched_names,
            approximate_areas: self.approximate,
        };
        Ok((out, placement))
    }
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
/// distinct value and joined back (names have few distinct values; rows may be many).
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
    let given: Vec<Option<&str>> = distinct.str()?.iter().collect();
    let mapped: Vec<Option<String>> = given.iter().map(|g| g.and_then(&f)).collect();
    let table = DataFrame::new(
        given.len(),
        vec![
            Column::new(column.into(), given.clone()),
            Column::new(output.into(), mapped),
        ],
    )?;
    frame
        .clone()
        .lazy()
        .join(
            table.lazy(),
            [col(column)],
            [col(column)],
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .collect()
}

fn by_name_selector<const N: usize>(names: [&str; N]) -> Selector {
    by_name(names.map(str::to_owned), true, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::parse(include_str!("../../data/vastervik/places.toml")).unwrap()
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
        let routes: Vec<&str> = out
            .column("place_route")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect();
        assert_eq!(
            routes,
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
