//! Coordinates: SWEREF 99 TM (EPSG:3006) ↔ WGS84 in pure Rust (proj4rs), and the
//! index of place areas that points are located in.

use geo::{
    Area, BoundingRect, Contains, Coord, LineString, MapCoords, MultiPolygon, Point, Polygon,
};
use proj4rs::Proj;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;

use crate::model::said::Said;

/// EPSG:3006 as a proj string (GRS80, zero datum shift, as Lantmäteriet defines it).
const SWEREF99TM: &str = "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";
const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// Converter between SWEREF 99 TM and WGS84.
pub struct Sweref {
    tm: Proj,
    wgs: Proj,
}

impl Default for Sweref {
    fn default() -> Self {
        Self::new()
    }
}

impl Sweref {
    /// The converter (the projection strings are constants, so this cannot fail).
    pub fn new() -> Self {
        Self {
            tm: Proj::from_proj_string(SWEREF99TM).expect("constant SWEREF 99 TM definition"),
            wgs: Proj::from_proj_string(WGS84).expect("constant WGS84 definition"),
        }
    }

    /// (lat, lon) in degrees → (easting, northing) in metres; `None` if the
    /// transformation fails.
    pub fn from_wgs84(&self, lat: f64, lon: f64) -> Option<(f64, f64)> {
        proj4rs::adaptors::transform_vertex_2d(
            &self.wgs,
            &self.tm,
            (lon.to_radians(), lat.to_radians()),
        )
        .ok()
    }

    /// (easting, northing) in metres → (lat, lon) in degrees.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (lon, lat) =
            proj4rs::adaptors::transform_vertex_2d(&self.tm, &self.wgs, (x, y)).ok()?;
        Some((lat.to_degrees(), lon.to_degrees()))
    }
}

/// A circle of `area_m2` around (x, y) as a 64-sided polygon, the stand-in for a place
/// whose real boundary is not known.
pub fn circle(x: f64, y: f64, area_m2: f64) -> Polygon<f64> {
    let r = (area_m2 / std::f64::consts::PI).sqrt();
    let ring: Vec<Coord<f64>> = (0..=64)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i % 64) / 64.0;
            Coord {
                x: x + r * a.cos(),
                y: y + r * a.sin(),
            }
        })
        .collect();
    Polygon::new(LineString::new(ring), vec![])
}

/// Areas (in SWEREF 99 TM) that points are located in, each owned by an id (a place
/// may own several polygons). Where areas overlap (a residential area inside its town),
/// the smallest wins: the most specific place.
pub struct AreaIndex {
    areas: Vec<(usize, Polygon<f64>, f64)>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl AreaIndex {
    /// Indexes `(owner, polygon)` pairs; [`AreaIndex::locate`] returns owners.
    pub fn new(areas: Vec<(usize, Polygon<f64>)>) -> Self {
        let boxes = areas
            .iter()
            .enumerate()
            .filter_map(|(i, (_, p))| {
                let b = p.bounding_rect()?;
                let rect = Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]);
                Some(GeomWithData::new(rect, i))
            })
            .collect();
        let areas = areas.into_iter().map(|(owner, p)| {
            let a = p.unsigned_area();
            (owner, p, a)
        });
        Self {
            areas: areas.collect(),
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The owner of the smallest area containing the point, if any.
    pub fn locate(&self, x: f64, y: f64) -> Option<usize> {
        let point = Point::new(x, y);
        self.tree
            .locate_all_at_point(&[x, y])
            .map(|g| g.data)
            .filter(|&i| self.areas[i].1.contains(&point))
            .min_by(|&a, &b| self.areas[a].2.total_cmp(&self.areas[b].2).then(a.cmp(&b)))
            .map(|i| self.areas[i].0)
    }
}

/// Reads the area of a place from GeoJSON (a Polygon or MultiPolygon, bare or in a
/// Feature or the first feature of a FeatureCollection), in WGS84 (converted) or
/// SWEREF 99 TM (recognised by its metre-sized numbers).
pub fn read_geojson_area(text: &str) -> Result<MultiPolygon<f64>, Said> {
    let gj: geojson::GeoJson = text.parse().map_err(|e| {
        Said::new(
            format!("ogiltig GeoJSON: {e}"),
            format!("not valid GeoJSON: {e}"),
        )
    })?;
    let geometry = match gj {
        geojson::GeoJson::Geometry(g) => Some(g),
        geojson::GeoJson::Feature(f) => f.geometry,
        geojson::GeoJson::FeatureCollection(fc) => {
            fc.features.into_iter().next().and_then(|f| f.geometry)
        }
    }
    .ok_or_else(|| {
        Said::new(
            "GeoJSON-filen saknar geometri",
            "the GeoJSON file has no geometry",
        )
    })?;
    let geometry: geo::Geometry<f64> = geometry.try_into().map_err(|e| {
        Said::new(
            format!("geometrin går inte att läsa: {e}"),
            format!("the geometry cannot be read: {e}"),
        )
    })?;
    let multi = match geometry {
        geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
        geo::Geometry::MultiPolygon(m) => m,
        _ => {
            return Err(Said::new(
                "geometrin ska vara Polygon eller MultiPolygon",
                "the geometry must be a Polygon or MultiPolygon",
            ))
        }
    };
    let is_wgs84 = multi
        .bounding_rect()
        .is_some_and(|b| b.max().x.abs() <= 180.0 && b.max().y.abs() <= 90.0);
    if !is_wgs84 {
        return Ok(multi);
    }
    let sweref = Sweref::new();
    multi.try_map_coords(|c| {
        sweref
            .from_wgs84(c.y, c.x)
            .map(|(x, y)| Coord { x, y })
            .ok_or_else(|| {
                Said::new(
                    "koordinater som inte kan räknas om till SWEREF 99 TM",
                    "coordinates that cannot be converted to SWEREF 99 TM",
                )
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_meridian_and_round_trip() {
        let s = Sweref::new();
        let (x, y) = s.from_wgs84(60.0, 15.0).unwrap();
        assert!(
            (x - 500_000.0).abs() < 1e-3 && (y - 6_651_411.190).abs() < 1e-3,
            "{x} {y}"
        );
        let (lat, lon) = s.to_wgs84(674_571.9, 6_580_743.0).unwrap();
        assert!(
            (lat - 59.3293).abs() < 1e-5 && (lon - 18.0686).abs() < 1e-5,
            "{lat} {lon}"
        );
    }

    #[test]
    fn geojson_in_wgs84_is_converted_and_sweref_kept() {
        let wgs = r#"{"type":"Polygon","coordinates":[[[16.60,57.74],[16.62,57.74],[16.62,57.76],[16.60,57.74]]]}"#;
        let m = read_geojson_area(wgs).unwrap();
        let first = m.0[0].exterior().0[0];
        let (x, y) = Sweref::new().from_wgs84(57.74, 16.60).unwrap();
        assert!((first.x - x).abs() < 1e-6 && (first.y - y).abs() < 1e-6);
        let tm = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[596000,6402000],[597000,6402000],[597000,6403000],[596000,6402000]]]}}"#;
        assert_eq!(
            read_geojson_area(tm).unwrap().0[0].exterior().0[0],
            Coord {
                x: 596000.0,
                y: 6402000.0
            }
        );
        assert!(read_geojson_area(r#"{"type":"Point","coordinates":[16.6,57.7]}"#).is_err());
        assert!(read_geojson_area("inte json").is_err());
    }

    #[test]
    fn smallest_containing_area_wins() {
        let town = circle(0.0, 0.0, 1_000_000.0);
        let district = circle(100.0, 0.0, 40_000.0);
        let index = AreaIndex::new(vec![(0, town), (1, district)]);
        assert_eq!(index.locate(100.0, 10.0), Some(1));
        assert_eq!(index.locate(-400.0, 0.0), Some(0));
        assert_eq!(index.locate(5_000.0, 0.0), None);
    }
}
