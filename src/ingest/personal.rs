//! Personal data masked as it is read: personnummer, samordningsnummer and telephone
//! numbers in any text cell become "[personnummer]" and "[telefonnummer]" before a value
//! is typed, checked, counted or written anywhere (`text::mask_personal_data` says what
//! is recognised). Only the identity column is left as it is: ids are never published,
//! and a masked id would turn distinct rows into duplicates.

use polars::prelude::*;

use crate::ingest::table::RawTable;

/// Cheap, vectorised first look: a run of at least eight digits, optionally with
/// spaces, dashes or a plus between them. Only cells that match are given to the exact
/// (Luhn-checking) masker, so a file without such runs costs one regex scan.
const CANDIDATE: &str = r"\d(?:[\s+-]?\d){7}";

/// Masks every text column of `table` except the one at `keep` (the id column), and the
/// content of records already rejected by the reader. Returns the number of cells
/// masked per header, in column order, leaving out headers with none.
pub fn mask_table(table: &mut RawTable, keep: Option<usize>) -> PolarsResult<Vec<(String, usize)>> {
    let mut masked = Vec::new();
    for (index, header) in table.headers.iter().enumerate() {
        if Some(index) == keep {
            continue;
        }
        let name = crate::ingest::table::column_name(index);
        let Ok(column) = table.frame.column(&name) else {
            continue;
        };
        if let Some((replacement, n)) = mask_column(column.str()?)? {
            table
                .frame
                .replace(&name, replacement.with_name(name.as_str().into()).into_column())?;
            masked.push((header.clone(), n));
        }
    }
    for problem in &mut table.problems {
        if let std::borrow::Cow::Owned(m) = crate::text::mask_personal_data(&problem.content) {
            problem.content = m;
        }
    }
    Ok(masked)
}

/// Masks the `content` column of a rejects frame (`file`, `line`, `reason`,
/// `content`) whole, the id included: the rejects file is for the analyst, but it is
/// written beside a report and must not carry personal data either.
pub fn mask_rejects(rejects: &mut DataFrame) -> PolarsResult<()> {
    let Ok(content) = rejects.column("content") else {
        return Ok(());
    };
    if let Some((masked, _)) = mask_column(content.str()?)? {
        rejects.replace("content", masked.with_name("content".into()).into_column())?;
    }
    Ok(())
}

/// The column with personal data masked and the number of cells changed, or `None`
/// when no cell holds any.
fn mask_column(column: &StringChunked) -> PolarsResult<Option<(StringChunked, usize)>> {
    let candidates = column.contains(CANDIDATE, true)?;
    if !candidates.any() {
        return Ok(None);
    }
    let mut changed = 0usize;
    let replacement: StringChunked = column
        .iter()
        .zip(candidates.iter())
        .map(|(value, candidate)| match (value, candidate) {
            (Some(v), Some(true)) => match crate::text::mask_personal_data(v) {
                std::borrow::Cow::Owned(m) => {
                    changed += 1;
                    Some(m)
                }
                std::borrow::Cow::Borrowed(b) => Some(b.to_owned()),
            },
            (v, _) => v.map(str::to_owned),
        })
        .collect();
    Ok((changed > 0).then_some((replacement, changed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_masked_in_every_column_but_the_id() {
        let mut table = crate::ingest::table::read_table(
            "id;brott;beskrivning\n7505054564;Stöld;ring 0490-123 45\n19900101-1239;19900101-1239;inget\n3;Rån;kvitto 12345678\n",
            b';',
            crate::lang::Lang::Sv,
        )
        .unwrap()
        .unwrap();
        let masked = mask_table(&mut table, Some(0)).unwrap();
        assert_eq!(
            masked,
            vec![("brott".to_owned(), 1), ("beskrivning".to_owned(), 1)]
        );
        let cells = |c: &str| -> Vec<String> {
            table.frame.column(c).unwrap().str().unwrap().iter().map(|v| v.unwrap().to_owned()).collect()
        };
        assert_eq!(cells("c0"), ["7505054564", "19900101-1239", "3"]);
        assert_eq!(cells("c1"), ["Stöld", "[personnummer]", "Rån"]);
        // A number that is neither a valid personnummer nor a phone number stays.
        assert_eq!(cells("c2"), ["ring [telefonnummer]", "inget", "kvitto 12345678"]);
    }
}
