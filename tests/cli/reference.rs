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

/// SCB's tätort points are given in SWEREF 99 TM, with WGS84 computed by pyproj (PROJ):
/// our pure-Rust transformation must agree to within 1 m, both ways, for all of Sweden.
#[test]
fn sweref_transformation_agrees_with_proj_within_one_metre() {
    let Some(path) = shared_data("scb-tatorter-kommuner/tatorter_2020.csv") else {
        return;
    };
    let sweref = lagesbild::coords::Sweref::new();
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let idx = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (x, y, lat, lon) = (
        idx("x_sweref99tm"),
        idx("y_sweref99tm"),
        idx("lat"),
        idx("lon"),
    );
    let (mut n, mut worst) = (0, 0.0f64);
    for record in reader.records() {
        let r = record.unwrap();
        let f = |i: usize| r[i].parse::<f64>().unwrap();
        let (ex, ey) = sweref.from_wgs84(f(lat), f(lon)).unwrap();
        worst = worst.max((ex - f(x)).hypot(ey - f(y)));
        let (blat, blon) = sweref.to_wgs84(f(x), f(y)).unwrap();
        // 1e-5 degrees is about 1.1 m in latitude and less in longitude.
        assert!(
            (blat - f(lat)).abs() < 1e-5 && (blon - f(lon)).abs() < 1e-5,
            "{}",
            &r[2]
        );
        n += 1;
    }
    assert_eq!(n, 2017);
    assert!(worst < 1.0, "largest difference {worst} m");
}

/// `data/sverige/kommuner.csv` holds SCB's 2024 populations exactly.
#[test]
fn municipality_table_matches_scb_2024() {
    let Some(path) = shared_data("kommun-geo/kommuner_population_2024.csv") else {
        return;
    };
    let source: std::collections::BTreeMap<String, (String, u64)> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let p: Vec<&str> = l.split(',').collect();
            (
                p[0].to_owned(),
                (p[1].to_owned(), p[2].trim().parse().unwrap()),
            )
        })
        .collect();
    let ours = lagesbild::model::sweden::sweden().kommuner();
    assert_eq!(ours.len(), 290);
    for k in ours {
        assert_eq!(
            source.get(&k.code),
            Some(&(k.name.clone(), k.population)),
            "{} {}",
            k.code,
            k.name
        );
    }
}

/// The national tätort table `init` compiles in holds SCB's 2020 figures unchanged:
/// every tätort with its kommunkod, population, area and SWEREF position, and nothing
/// else (`scripts/national_tables.py` derives it).
#[test]
fn national_tatort_table_is_scb_2020_unchanged() {
    let Some(path) = shared_data("scb-tatorter-kommuner/tatorter_2020.csv") else {
        return;
    };
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let idx = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut source: Vec<String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            [
                "tatortskod",
                "kommunkod",
                "name",
                "population",
                "area_ha",
                "x_sweref99tm",
                "y_sweref99tm",
            ]
            .iter()
            .map(|c| r[idx(c)].to_owned())
            .collect::<Vec<_>>()
            .join("|")
        })
        .collect();
    let ours = include_str!("../../data/sverige/tatorter.csv");
    let mut derived: Vec<String> = ours
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            [f[2], f[0], f[1], f[3], f[4], f[5], f[6]].join("|")
        })
        .collect();
    source.sort();
    derived.sort();
    assert_eq!(source.len(), 2017);
    assert_eq!(source, derived);
}

/// The compiled-in crime codes are Brå's list unchanged (code, name, year ceased).
#[test]
fn crime_codes_are_bras_list_unchanged() {
    let Some(path) = shared_data("bra-brottskoder/brottskoder.csv") else {
        return;
    };
    let source = std::fs::read_to_string(path).unwrap();
    let source: Vec<String> = source
        .lines()
        .skip(1)
        .map(|l| l.split(';').take(3).collect::<Vec<_>>().join(";"))
        .collect();
    let ours: Vec<String> = include_str!("../../data/sverige/brottskoder.csv")
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect();
    assert_eq!(source.len(), 1361);
    assert_eq!(source, ours);
}

/// Each area's codes in the default rules against Brå's names: every code in
/// close relationships names a close relation or fridskränkning, the drug area holds
/// the narcotics act's possession and use and both drink-driving codes, traffic holds
/// both drink-driving codes, and no code outside Brå's list is named.
#[test]
fn default_rule_codes_match_bras_names() {
    let config = Config::embedded_default().unwrap();
    let name = |code: u16| {
        lagesbild::model::brottskoder::lookup(&format!("{code:04}")).map(|c| c.name.to_lowercase())
    };
    let codes_of = |slug: &str| -> Vec<u16> {
        config
            .areas
            .get(slug)
            .unwrap()
            .code_ranges()
            .iter()
            .flat_map(|r| r.from..=r.to)
            .collect()
    };
    for code in codes_of("vald-i-nara-relation") {
        let n = name(code).expect("listed");
        assert!(
            ["nära relation", "närstående", "fridskränkning", "barnfrid"]
                .iter()
                .any(|w| n.contains(w)),
            "{code}: {n}"
        );
    }
    let drugs = codes_of("narkotika-alkohol");
    for code in [5010, 5011, 3005, 3070] {
        assert!(drugs.contains(&code), "{code}");
    }
    let traffic = codes_of("trafikbrott");
    assert!(traffic.contains(&3005) && traffic.contains(&3070));
    for code in codes_of("organiserad-brottslighet") {
        let n = name(code).unwrap();
        assert!(
            !n.contains("utan skjutvapen") || n.contains("spräng"),
            "{code}: {n}"
        );
    }
}
