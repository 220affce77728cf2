//! The facts written into `data/vastervik/` agree with the public sources they were
//! taken from (SCB's tätorter 2020 and population 2024), read from `../shared/data/`.

use lagesbild::model::config::Config;

use crate::shared::shared_data;

#[test]
fn tatort_populations_and_coordinates_match_scb_2020() {
    let Some(path) = shared_data("scb-tatorter-kommuner/tatorter_2020.csv") else {
        return;
    };
    let config = Config::embedded_default().unwrap();
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let idx = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (code, name, pop, x, y, lat, lon) = (
        idx("tatortskod"),
        idx("name"),
        idx("population"),
        idx("x_sweref99tm"),
        idx("y_sweref99tm"),
        idx("lat"),
        idx("lon"),
    );
    let area = idx("area_ha");
    let mut checked = 0;
    for record in reader.records() {
        let r = record.unwrap();
        if !r[code].starts_with("0883") {
            continue;
        }
        let place = config
            .places
            .find(&r[name])
            .unwrap_or_else(|| panic!("{} saknas i places.toml", &r[name]));
        assert_eq!(place.scb_code.as_deref(), Some(&r[code]), "{}", place.name);
        assert_eq!(
            place.population,
            Some(r[pop].parse().unwrap()),
            "{}",
            place.name
        );
        assert_eq!(place.x, Some(r[x].parse().unwrap()), "{}", place.name);
        assert_eq!(
            place.area_ha,
            Some(r[area].parse().unwrap()),
            "{}",
            place.name
        );
        assert_eq!(place.y, Some(r[y].parse().unwrap()), "{}", place.name);
        assert!(
            (place.lat - r[lat].parse::<f64>().unwrap()).abs() < 1e-6,
            "{}",
            place.name
        );
        assert!(
            (place.lon - r[lon].parse::<f64>().unwrap()).abs() < 1e-6,
            "{}",
            place.name
        );
        checked += 1;
    }
    // Västervik has ten tätorter in SCB's 2020 delimitation.
    assert_eq!(checked, 10);
}

#[test]
fn municipality_population_matches_scb_2024() {
    let Some(path) = shared_data("kommun-geo/kommuner_population_2024.csv") else {
        return;
    };
    let config = Config::embedded_default().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("0883,"))
        .expect("Västervik in the population file");
    let population: u64 = line.rsplit(',').next().unwrap().trim().parse().unwrap();
    assert_eq!(population, 36398);
    assert_eq!(config.municipality.population, population);
}
