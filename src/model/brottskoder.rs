//! Brå's crime codes (brottskoder): every four-digit code with its name and the year
//! it ceased, compiled in from `data/sverige/brottskoder.csv` (Brå, statistikdatabasen
//! SOL; `scripts/national_tables.py`). Code-only exports are shown with these names,
//! the priority-area rules are checked against them, and `lagesbild codes` lists them.

use std::sync::OnceLock;

/// The compiled-in code list.
const TABLE: &str = include_str!("../../data/sverige/brottskoder.csv");

/// One crime code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Four digits with leading zeros ("0412").
    pub code: String,
    /// Brå's name for it.
    pub name: String,
    /// The year it ceased, for a code no longer in use.
    pub ceased: Option<i32>,
}

/// Every code, in code order.
pub fn codes() -> &'static [Code] {
    static CODES: OnceLock<Vec<Code>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut list: Vec<Code> = TABLE
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.splitn(3, ';');
                let code = f.next()?.trim().to_owned();
                let name = f.next()?.trim().to_owned();
                let ceased = f.next().and_then(|y| y.trim().parse().ok());
                Some(Code { code, name, ceased })
            })
            .collect();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        list
    })
}

/// The code `code` ("0412"), if Brå lists it.
pub fn lookup(code: &str) -> Option<&'static Code> {
    let list = codes();
    list.binary_search_by(|c| c.code.as_str().cmp(code))
        .ok()
        .map(|i| &list[i])
}

/// Whether some listed code lies in `from..=to`.
pub fn any_in(from: u16, to: u16) -> bool {
    codes()
        .iter()
        .filter_map(|c| c.code.parse::<u16>().ok())
        .any(|c| (from..=to).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_whole_and_looks_up() {
        assert_eq!(codes().len(), 1361);
        assert_eq!(codes().iter().filter(|c| c.ceased.is_none()).count(), 1002);
        assert_eq!(lookup("0412").unwrap().name, "Grov kvinnofridskränkning");
        assert_eq!(lookup("3006").unwrap().ceased, Some(2018));
        assert!(lookup("9999").is_none());
        assert!(any_in(3001, 3099) && !any_in(9990, 9999));
    }
}
