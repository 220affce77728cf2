//! `lagesbild init`: a ready project for any of Sweden's 290 municipalities from the
//! national reference tables compiled into the binary (`data/sverige/`): the
//! municipality's name, code, county and population (SCB 2024), its tätorter with
//! population, area and position (SCB 2020), its boundary (Lantmäteriet, simplified),
//! the seven priority areas, the survey definition, an empty promises file and a
//! commented `lagesbild.toml` that says what to fill in next.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::lang::Lang;

use crate::model::sweden::{sweden, Kommun};

/// SCB's tätorter 2020 (see `scripts/national_tables.py`).
const TATORTER: &str = include_str!("../../data/sverige/tatorter.csv");
/// Lantmäteriet's simplified municipal boundaries (WGS84).
const BOUNDARIES: &str = include_str!("../../data/sverige/kommungranser.geojson");
/// The national priority-area rules (the seven areas of the agreements).
const AREAS: &str = include_str!("../../data/vastervik/priority_areas.toml");
/// The police's safety-survey definition.
const SURVEY: &str = include_str!("../../data/vastervik/survey.toml");

/// One tätort of the national table.
#[derive(Debug, Clone, PartialEq)]
pub struct Tatort {
    /// Name.
    pub name: String,
    /// SCB's code.
    pub scb_code: String,
    /// Inhabitants 2020.
    pub population: u64,
    /// Area in hectares.
    pub area_ha: f64,
    /// SWEREF 99 TM.
    pub x: f64,
    /// SWEREF 99 TM.
    pub y: f64,
    /// WGS84.
    pub lat: f64,
    /// WGS84.
    pub lon: f64,
}

/// The tätorter of a municipality, largest first.
pub fn tatorter(code: &str) -> Vec<Tatort> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(TATORTER.as_bytes());
    reader
        .records()
        .flatten()
        .filter(|r| r.get(0) == Some(code))
        .filter_map(|r| {
            let num = |i: usize| r.get(i)?.parse::<f64>().ok();
            Some(Tatort {
                name: r.get(1)?.to_owned(),
                scb_code: r.get(2)?.to_owned(),
                population: r.get(3)?.parse().ok()?,
                area_ha: num(4)?,
                x: num(5)?,
                y: num(6)?,
                lat: num(7)?,
                lon: num(8)?,
            })
        })
        .collect()
}

/// The municipality's boundary as a GeoJSON feature collection, if the table has it.
pub fn boundary(code: &str) -> Option<String> {
    let all: serde_json::Value = serde_json::from_str(BOUNDARIES).ok()?;
    let feature = all["features"]
        .as_array()?
        .iter()
        .find(|f| f["properties"]["kommunkod"] == code)?;
    let collection = serde_json::json!({
        "type": "FeatureCollection",
        "källa": all["källa"],
        "features": [feature],
    });
    serde_json::to_string(&collection).ok()
}

/// The municipality `text` names (name in any spelling, or its code), or an error
/// that suggests the closest names.
pub fn find_kommun(text: &str) -> anyhow::Result<&'static Kommun> {
    if let Some(k) = sweden().kommun_by_name_or_code(text) {
        return Ok(k);
    }
    let wanted = crate::text::fold(text.trim());
    let wanted = wanted.strip_suffix(" kommun").unwrap_or(&wanted);
    let mut close: Vec<(f64, &Kommun)> = sweden()
        .kommuner()
        .iter()
        .map(|k| (strsim::jaro_winkler(wanted, &crate::text::fold(&k.name)), k))
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.code.cmp(&b.1.code)));
    let names: Vec<String> = close
        .iter()
        .take(3)
        .map(|(_, k)| format!("{} ({})", k.name, k.code))
        .collect();
    let names = names.join(", ");
    Err(crate::lang::Said::new(
        format!("'{text}' är ingen av Sveriges 290 kommuner; menade du {names}? Ange namnet eller den fyrsiffriga kommunkoden"),
        format!("'{text}' is none of Sweden's 290 municipalities; did you mean {names}? Give the name or the four-digit municipality code"),
    )
    .into())
}

/// The project's configuration file.
pub const CONFIG_FILE: &str = "lagesbild.toml";

/// The files of a new project for `kommun`, by name in its folder, with their text:
/// the configuration ([`CONFIG_FILE`]) and the reference files it names.
pub fn project_files(kommun: &Kommun, lang: Lang) -> Vec<(&'static str, String)> {
    let places = tatorter(&kommun.code);
    let boundary = boundary(&kommun.code);
    let mut files = vec![
        (
            CONFIG_FILE,
            config_text(kommun, &places, boundary.is_some(), lang),
        ),
        ("places.toml", places_text(kommun, &places, lang)),
        ("priority_areas.toml", AREAS.to_owned()),
        ("survey.toml", SURVEY.to_owned()),
        (
            "medborgarloften.toml",
            lang.pick(PROMISES, PROMISES_EN).to_owned(),
        ),
        ("LASMIG.txt", readme_text(kommun, &places, lang)),
    ];
    if let Some(b) = boundary {
        files.push(("kommungrans.geojson", b));
    }
    files
}

/// Writes a new project for `kommun` into `out`, which must not exist or be empty
/// (nothing the user has is ever overwritten). Returns the files written.
pub fn init(kommun: &Kommun, out: &Path, lang: Lang) -> anyhow::Result<Vec<PathBuf>> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| anyhow::anyhow!(crate::files::explain(out, &e)))?
            .next()
            .is_none();
        anyhow::ensure!(
            empty,
            crate::lang::Said::new(
                format!("{}: mappen finns redan och är inte tom; ange en ny mapp med --out så skrivs inget över", out.display()),
                format!("{}: the folder exists and is not empty; give a new folder with --out so that nothing is overwritten", out.display()),
            )
        );
    }
    std::fs::create_dir_all(out.join("data"))
        .map_err(|e| anyhow::anyhow!(crate::files::explain(out, &e)))?;
    let mut written = Vec::new();
    for (name, text) in project_files(kommun, lang) {
        let path = out.join(name);
        crate::files::write_atomically(&path, |w| w.write_all(text.as_bytes()))
            .map_err(|e| anyhow::anyhow!(crate::files::explain(&path, &e)))?;
        written.push(path);
    }
    Ok(written)
}

/// The empty promises file with its format in comments.
const PROMISES: &str = "\
# Medborgarlöften (docs/data-formats.md, docs/promises.md). Fyll i när löftena är
# beslutade; `lagesbild promises suggest` ger underlag och `lagesbild promises draft`
# ett utkast. Exempel:
#
# [[promise]]
# id = \"plats-brand\"
# title = \"Färre bränder i …\"
# places = [\"…\"]
# responsible = [\"Polisen\", \"… kommun\"]
# start = \"2026-01-01\"
#
# [[promise.activity]]
# text = \"Trygghetsvandringar\"
# planned = 2
#
# [[promise.indicator]]
# id = \"brand\"
# kind = \"incidents\"
# offences = [\"Brand*\"]
# places = [\"…\"]
# baseline = \"2025\"
# followup = \"2026\"
# direction = \"decrease\"
";

/// [`PROMISES`] in English.
const PROMISES_EN: &str = "\
# Medborgarlöften, the promises (docs/data-formats.md, docs/promises.md). Fill in when
# the promises are decided; `lagesbild promises suggest` gives a basis and
# `lagesbild promises draft` a draft. Example:
#
# [[promise]]
# id = \"place-fire\"
# title = \"Fewer fires in …\"
# places = [\"…\"]
# responsible = [\"Polisen\", \"… kommun\"]
# start = \"2026-01-01\"
#
# [[promise.activity]]
# text = \"Safety walks\"
# planned = 2
#
# [[promise.indicator]]
# id = \"fire\"
# kind = \"incidents\"
# offences = [\"Brand*\"]
# places = [\"…\"]
# baseline = \"2025\"
# followup = \"2026\"
# direction = \"decrease\"
";

fn county(kommun: &Kommun) -> String {
    sweden()
        .county_name(kommun.county_code())
        .unwrap_or("")
        .to_owned()
}

fn config_text(kommun: &Kommun, places: &[Tatort], has_boundary: bool, lang: Lang) -> String {
    // Comments in the language of the run; keys and values are the same in both.
    let c = |sv: &'static str, en: &'static str| lang.pick(sv, en);
    let official = crate::model::sweden::official_name(&kommun.name);
    let (code, n) = (&kommun.code, places.len());
    let mut s = String::new();
    let _ = write!(
        s,
        "# {}\n\
         # {}\n\
         \n\
         [municipality]\n\
         name = \"{official}\"\n\
         short_name = \"{name}\"\n\
         code = \"{code}\"\n\
         county = \"{county}\"\n\
         # police_area = \"Lokalpolisområde …\"   # {}\n\
         population = {pop}                  # {}\n\
         population_year = 2024\n\
         \n\
         [inputs]\n\
         # {}\n\
         #    lagesbild report --config lagesbild.toml data/{}.csv). {}\n\
         #    {}\n\
         incidents = []\n\
         # {}\n\
         surveys = []\n\
         # polisen = [\"data/polisen-handelser.json\"]   # {}\n\
         # bra = [\"data/bra-anmalda-brott.csv\"]        # {}\n\
         # dialogues = [\"data/dialoger.csv\"]           # {}\n\
         \n\
         [reference]\n\
         places = \"places.toml\"                # {n} {}\n\
         priority_areas = \"priority_areas.toml\"\n\
         survey_definition = \"survey.toml\"\n\
         promises = \"medborgarloften.toml\"\n",
        match lang {
            Lang::Sv => format!("lagesbild – projekt för {official} ({code}), skapat av `lagesbild init`."),
            Lang::En => format!("lagesbild – project for {official} ({code}), made by `lagesbild init`."),
        },
        c(
            "Sökvägar är relativa till den här filen. Nästa steg står i LASMIG.txt.",
            "Paths are relative to this file. The next steps are in LASMIG.txt.",
        ),
        c("fyll i lokalpolisområdets namn", "fill in the local police area's name"),
        c("invånare 31 december 2024 (SCB)", "inhabitants 31 December 2024 (SCB)"),
        c(
            "1. Lägg era egna uttag i data/ och lista dem här (eller ange dem på kommandoraden:",
            "1. Put your own exports in data/ and list them here (or name them on the command line:",
        ),
        c("uttag", "export"),
        c("Kolumnerna känns igen", "Columns are recognised"),
        c(
            "på svenska namn (datum, brottstyp, brottskod, plats …), se docs/data-formats.md.",
            "by Swedish names (datum, brottstyp, brottskod, plats …), see docs/data-formats.md.",
        ),
        c(
            "2. Trygghetsmätningens svar (en rad per svarande), när ni har dem:",
            "2. The safety survey's answers (one row per respondent), when you have them:",
        ),
        c("polisens öppna händelser", "the police's open events"),
        c("Brå:s tabell per kommun", "Brå's table per municipality"),
        c("dialoger och trygghetsvandringar", "dialogues and safety walks"),
        c(
            "tätorter (SCB 2020); lägg till bostadsområden och byar",
            "urban areas (SCB 2020); add neighbourhoods and villages",
        ),
        name = kommun.name,
        county = county(kommun),
        pop = kommun.population,
    );
    if has_boundary {
        let _ = writeln!(
            s,
            "boundary = \"kommungrans.geojson\"      # {}",
            c("Lantmäteriet, förenklad", "Lantmäteriet, simplified")
        );
    }
    let _ = write!(
        s,
        "\n[output]\n\
         dir = \"reports\"\n\
         \n\
         [report]\n\
         # {}\n\
         focus_places = []\n\
         sensitive_by_place = false   # {}\n",
        c(
            "3. Platser med egna avsnitt (fokusplatser), t.ex. de som medborgarlöftet pekar ut:",
            "3. Places with sections of their own (focus places), e.g. those the promise names:",
        ),
        c(
            "våld i nära relation bara för hela kommunen",
            "violence in close relationships only for the whole municipality",
        ),
    );
    s
}

fn places_text(kommun: &Kommun, places: &[Tatort], lang: Lang) -> String {
    let (official, code) = (
        crate::model::sweden::official_name(&kommun.name),
        &kommun.code,
    );
    let mut s = match lang {
        Lang::Sv => format!(
            "# Ortsregister för {official} ({code}), skapat av `lagesbild init`.\n\
             #\n\
             # Källa: SCB:s tätortsavgränsning 2020 (namn, befolkning, yta och läge). Lägg till\n\
             # bostadsområden, småorter och byar som era uttag nämner (kind = \"bostadsområde\",\n\
             # parent = \"…\", population med population_source), och andra skrivsätt i aliases.\n\
             # Fälten står i docs/data-formats.md.\n"
        ),
        Lang::En => format!(
            "# Gazetteer for {official} ({code}), made by `lagesbild init`.\n\
             #\n\
             # Source: SCB's urban areas 2020 (name, population, area and position). Add the\n\
             # neighbourhoods, small towns and villages your exports name (kind = \"bostadsområde\",\n\
             # parent = \"…\", population with population_source), and other spellings in aliases.\n\
             # The fields are in docs/data-formats.md.\n"
        ),
    };
    if places.is_empty() {
        s.push_str(lang.pick(
            "#\n\
             # SCB:s tätorter 2020 har ingen tätort med den här kommunens kod: kommunens\n\
             # tätort räknas till en grannkommun (en tätort över kommungränsen får den kod där\n\
             # flest bor). Lägg till kommunens orter och bostadsområden här, annars placeras\n\
             # händelser bara efter koordinater och kommungränsen.\n",
            "#\n\
             # SCB's urban areas 2020 have none with this municipality's code: its town counts\n\
             # towards a neighbouring municipality (an urban area across the boundary takes the\n\
             # code where most live). Add the municipality's places and neighbourhoods here, or\n\
             # incidents are placed by coordinates and the boundary only.\n",
        ));
    }
    for p in places {
        let _ = write!(
            s,
            "\n[[place]]\n\
             name = \"{}\"\n\
             kind = \"tätort\"\n\
             area_ha = {}\n\
             scb_code = \"{}\"\n\
             municipality_code = \"{}\"\n\
             population = {}\n\
             population_year = 2020\n\
             population_source = \"SCB tätorter 2020\"\n\
             lat = {}\n\
             lon = {}\n\
             x = {}\n\
             y = {}\n",
            p.name.replace('"', "'"),
            p.area_ha,
            p.scb_code,
            kommun.code,
            p.population,
            p.lat,
            p.lon,
            p.x,
            p.y
        );
    }
    s
}

fn readme_text(kommun: &Kommun, places: &[Tatort], lang: Lang) -> String {
    let official = crate::model::sweden::official_name(&kommun.name);
    let (code, pop, n) = (&kommun.code, kommun.population, places.len());
    match lang {
        Lang::Sv => format!(
            "Projekt för {official} ({code}), skapat av `lagesbild init`.\n\
             \n\
             Klart nu: kommunen ({pop} invånare 2024), {n} tätorter med befolkning och läge\n\
             (places.toml), kommungränsen (kommungrans.geojson), de sju prioriterade områdena\n\
             (priority_areas.toml), trygghetsmätningens frågor (survey.toml) och en tom\n\
             löftesfil (medborgarloften.toml).\n\
             \n\
             Nästa steg:\n\
             1. Lägg ett uttag av händelser i data/ och kör\n\
                lagesbild report --config lagesbild.toml data/uttag.csv\n\
                Rader som inte går att läsa hamnar i reports/avvisade_rader.csv med rad och orsak;\n\
                platser som inte finns i ortsregistret räknas i sammanfattningen.\n\
             2. Lägg till bostadsområden och byar i places.toml, och fokusplatser i\n\
                lagesbild.toml ([report] focus_places).\n\
             3. Lägg till trygghetsmätningens svar ([inputs] surveys), polisens öppna händelser\n\
                ([inputs] polisen) och Brå:s tabell ([inputs] bra) när ni har dem.\n\
             4. lagesbild promises suggest --config lagesbild.toml ger underlag för\n\
                medborgarlöften; skriv in de beslutade löftena i medborgarloften.toml.\n"
        ),
        Lang::En => format!(
            "Project for {official} ({code}), made by `lagesbild init`.\n\
             \n\
             Ready now: the municipality ({pop} inhabitants 2024), {n} urban areas with population\n\
             and position (places.toml), the municipal boundary (kommungrans.geojson), the seven\n\
             priority areas (priority_areas.toml), the safety survey's questions (survey.toml)\n\
             and an empty promises file (medborgarloften.toml).\n\
             \n\
             Next steps:\n\
             1. Put an export of incidents in data/ and run\n\
                lagesbild --lang en report --config lagesbild.toml data/export.csv\n\
                Rows that cannot be read go to reports/avvisade_rader.csv with line and reason;\n\
                places not in the gazetteer are counted in the summary.\n\
             2. Add neighbourhoods and villages to places.toml, and focus places to\n\
                lagesbild.toml ([report] focus_places).\n\
             3. Add the safety survey's answers ([inputs] surveys), the police's open events\n\
                ([inputs] polisen) and Brå's table ([inputs] bra) when you have them.\n\
             4. lagesbild --lang en promises suggest --config lagesbild.toml gives a basis for\n\
                medborgarlöften (the promises); write the promises decided in medborgarloften.toml.\n"
        ),
    }
}
