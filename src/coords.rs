//! Coordinates: SWEREF 99 TM (EPSG:3006) ↔ WGS84 in pure Rust (proj4rs), and the
//! index of place areas that points are located in.

use geo::{Area, BoundingRect, Contains, Coord, LineString, Point, Polygon};
use proj4rs::Proj;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;

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

/// Areas (in SWEREF 99 TM) that points are located in. Where areas overlap (a
/// residential area inside its town), the smallest wins: the most specific place.
pub struct AreaIndex {
    areas: Vec<(Polygon<f64>, f64)>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl AreaIndex {
    /// Indexes `areas`; the position of each in the slice is what [`AreaIndex::locate`] returns.
    pub fn new(areas: Vec<Polygon<f64>>) -> Self {
        let boxes = areas
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let b = p.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]),
                    i,
                ))
            })
            .collect();
        let areas = areas.into_iter().map(|p| {
            let a = p.unsigned_area();
            (p, a)
        });
        Self {
            areas: areas.collect(),
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The smallest area containing the point, if any.
    pub fn locate(&self, x: f64, y: f64) -> Option<usize> {
        let point = Point::new(x, y);
        self.tree
            .locate_all_at_point(&[x, y])
            .map(|g| g.data)
            .filter(|&i| self.areas[i].0.contains(&point))
            .min_by(|&a, &b| self.areas[a].1.total_cmp(&self.areas[b].1).then(a.cmp(&b)))
    }
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
    fn smallest_containing_area_wins() {
        let town = circle(0.0, 0.0, 1_000_000.0);
        let district = circle(100.0, 0.0, 40_000.0);
        let index = AreaIndex::new(vec![town, district]);
        assert_eq!(index.locate(100.0, 10.0), Some(1));
        assert_eq!(index.locate(-400.0, 0.0), Some(0));
        assert_eq!(index.locate(5_000.0, 0.0), None);
    }
}
