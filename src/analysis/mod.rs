//! Analysis: classification into priority areas, place resolution, aggregation per
//! priority area × place × period, and tests of change. Analysis never prints.

pub mod aggregate;
pub mod classify;
pub mod concentration;
pub mod hotspots;
pub mod period;
pub mod place;
pub mod stats;
pub mod time;

use polars::prelude::*;

use crate::model::config::Config;

/// Incidents ready for analysis.
#[derive(Debug)]
pub struct Prepared {
    /// One row per incident, place resolved (`place`, `place_given`, `place_route`).
    pub incidents: DataFrame,
    /// One row per incident and priority area (`priority_area`), including "ovrigt".
    pub long: DataFrame,
    /// What classification found.
    pub classification: classify::Classification,
    /// What place resolution did.
    pub placement: place::Placement,
}

/// Resolves places and classifies accepted incidents by the project's rules.
pub fn prepare(incidents: &DataFrame, config: &Config) -> PolarsResult<Prepared> {
    let resolver = place::PlaceResolver::new(&config.places, &config.polygons);
    let (placed, placement) = resolver.resolve(incidents)?;
    let flagged = classify::flag_areas(&placed, &config.areas)?;
    let (long, classification) = classify::to_long(&flagged, &config.areas)?;
    Ok(Prepared {
        incidents: placed,
        long,
        classification,
        placement,
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
            .filter_map(|p| Some((p.name.clone(), p.population?)))
            .collect(),
    }
}
