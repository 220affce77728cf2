//! Reference data and the default project compiled into the binary, so that
//! `lagesbild check` works from any folder on a bare machine.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// Files under `data/` compiled into the binary, by their path below `data/`.
const FILES: &[(&str, &[u8])] = &[
    ("columns.toml", include_bytes!("../data/columns.toml")),
    (
        "vastervik/lagesbild.toml",
        include_bytes!("../data/vastervik/lagesbild.toml"),
    ),
    (
        "vastervik/places.toml",
        include_bytes!("../data/vastervik/places.toml"),
    ),
    (
        "vastervik/survey.toml",
        include_bytes!("../data/vastervik/survey.toml"),
    ),
    (
        "vastervik/medborgarloften.toml",
        include_bytes!("../data/vastervik/medborgarloften.toml"),
    ),
    (
        "vastervik/genererade-dialoger.csv",
        include_bytes!("../data/vastervik/genererade-dialoger.csv"),
    ),
    (
        "vastervik/priority_areas.toml",
        include_bytes!("../data/vastervik/priority_areas.toml"),
    ),
    (
        "vastervik/kommungrans.geojson",
        include_bytes!("../data/vastervik/kommungrans.geojson"),
    ),
    (
        "vastervik/genererade-handelser.csv",
        include_bytes!("../data/vastervik/genererade-handelser.csv"),
    ),
    (
        "vastervik/genererade-polisen.json",
        include_bytes!("../data/vastervik/genererade-polisen.json"),
    ),
    (
        "vastervik/genererade-enkatsvar.csv",
        include_bytes!("../data/vastervik/genererade-enkatsvar.csv"),
    ),
];

/// Path of the default project configuration among the embedded files.
pub const DEFAULT_CONFIG: &str = "vastervik/lagesbild.toml";

/// Where a file comes from: the file system, or the data compiled into the binary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A file on disk.
    Path(PathBuf),
    /// An embedded file, by its path below `data/`.
    Embedded(&'static str),
}

impl Location {
    /// An embedded file, if it exists.
    pub fn embedded(name: &str) -> Option<Location> {
        FILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, _)| Location::Embedded(n))
    }

    /// Reads the whole file.
    pub fn read(&self) -> std::io::Result<Cow<'static, [u8]>> {
        match self {
            Location::Path(p) => {
                crate::files::mark_read(p);
                std::fs::read(p).map(Cow::Owned)
            }
            Location::Embedded(name) => FILES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, bytes)| Cow::Borrowed(*bytes))
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, *name)),
        }
    }

    /// Resolves `relative` against the folder this file is in. For an embedded file the
    /// result must be embedded too; `None` when it is not.
    pub fn sibling(&self, relative: &str) -> Option<Location> {
        match self {
            Location::Path(p) => {
                let rel = Path::new(relative);
                if rel.is_absolute() {
                    Some(Location::Path(rel.to_owned()))
                } else {
                    let dir = p.parent().unwrap_or(Path::new(""));
                    Some(Location::Path(dir.join(rel)))
                }
            }
            Location::Embedded(name) => {
                let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
                let joined = if dir.is_empty() {
                    relative.to_owned()
                } else {
                    format!("{dir}/{relative}")
                };
                Location::embedded(&joined)
            }
        }
    }

    /// File name shown to people and written into reject lists.
    pub fn display_name(&self) -> String {
        // A file name can hold a personnummer or a telephone number
        // ("anmalan_19900101-1239.csv"): the name is kept with every row read from it
        // (the store's `_file`, the rejected rows' file), so it is masked as a cell is.
        crate::text::mask_personal_data(&self.to_string()).into_owned()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Path(p) => write!(f, "{}", p.display()),
            Location::Embedded(name) => write!(f, "(inbyggd) data/{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_siblings_resolve_within_the_same_folder() {
        let config = Location::embedded(DEFAULT_CONFIG).unwrap();
        assert_eq!(
            config.sibling("places.toml"),
            Some(Location::Embedded("vastervik/places.toml"))
        );
        assert_eq!(config.sibling("saknas.toml"), None);
        assert!(config.read().unwrap().starts_with(b"# lagesbild"));
    }

    #[test]
    fn path_siblings_are_relative_to_the_file() {
        let config = Location::Path("projekt/lagesbild.toml".into());
        assert_eq!(
            config.sibling("data/a.csv"),
            Some(Location::Path("projekt/data/a.csv".into()))
        );
    }
}
