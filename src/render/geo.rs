//! GeoJSON (RFC 7946, WGS84) for QGIS, through the `geojson` crate: the one writer of
//! feature collections, used for the report's places and the hot-spot grid.

use crate::report::{Sealed, View};

/// A feature collection of (geometry, properties), pretty-printed.
pub fn feature_collection(features: Vec<(geojson::Value, geojson::JsonObject)>) -> String {
    let collection = geojson::FeatureCollection {
        bbox: None,
        features: features
            .into_iter()
            .map(|(geometry, properties)| geojson::Feature {
                geometry: Some(geojson::Geometry::new(geometry)),
                properties: Some(properties),
                ..Default::default()
            })
            .collect(),
        foreign_members: None,
    };
    serde_json::to_string_pretty(&collection).expect("GeoJSON of plain values")
}

/// The report's places with their published figures, as points.
pub fn places_geojson(report: &Sealed) -> String {
    feature_collection(
        report
            .places
            .iter()
            .map(|place| {
                let mut properties = geojson::JsonObject::new();
                properties.insert("namn".into(), place.name.clone().into());
                for (k, v) in &place.properties {
                    let value = match v.view() {
                        View::Count(n) => n.into(),
                        View::Number(x, d) => {
                            serde_json::Number::from_f64(crate::render::number::round_to(x, d))
                                .map_or(serde_json::Value::Null, serde_json::Value::Number)
                        }
                        View::PValue(p) => serde_json::Number::from_f64(p)
                            .map_or(serde_json::Value::Null, serde_json::Value::Number),
                        View::Text(s) => s.into(),
                        View::Hidden(m) => m.text().into(),
                        View::Empty => serde_json::Value::Null,
                    };
                    properties.insert(k.clone(), value);
                }
                (
                    geojson::Value::Point(vec![place.lon, place.lat]),
                    properties,
                )
            })
            .collect(),
    )
}
