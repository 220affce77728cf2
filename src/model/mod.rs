//! The things a lägesbild is about: the municipality and its places, the priority
//! areas of the samverkansöverenskommelse, the survey definition, and the project
//! configuration.

pub mod bra;
pub mod config;
pub mod event_types;
pub mod feed;
pub mod places;
pub mod priority;
pub mod publication;
pub mod survey;
pub mod sweden;

/// The time zone every local time in lagesbild is expressed in.
pub const LOCAL_TIME_ZONE: &str = "Europe/Stockholm";

/// The canonical incident columns, in output order.
pub const INCIDENT_COLUMNS: [&str; 16] = [
    "id",
    "occurred_at",
    "occurred_to",
    "has_time",
    "offence",
    "offence_code",
    "place",
    "x",
    "y",
    "lat",
    "lon",
    "suspect_age",
    "close_relation",
    "source",
    "count",
    "description",
];
