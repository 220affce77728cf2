//! Personal data masked as it is read: personnummer, samordningsnummer and telephone
//! numbers in any text cell become "[personnummer]" and "[telefonnummer]" before a value
//! is typed, checked, counted or written anywhere (`text::mask_personal_data` says what
//! is recognised). The identity column is read as it is, so that duplicates are found
//! by the real ids; once they are, an id that is a personnummer is replaced by a
//! pseudonym, `[personnummer 1]`, `[personnummer 2]`, … in order of appearance (the same
//! input always gives the same pseudonyms, and none can be turned back into a number).

use polars::prelude::*;

use crate::ingest::table::RawTable;

/// Cheap, vectorised first look: a run of at least eight digits, optionally with
/// spaces, dashes or a plus between them. Only cells that match are given to the exact
/// (Luhn-checking) masker, so a file without such runs costs one regex scan.
const CANDIDATE: &str = r"\d(?:[^\p{L}\d]{0,3}\d){7}";

/// Masks every text column of `table` except those at `keep` (the identity columns).
/// Records the reader rejected are masked with every other rejected row, where rejects
/// are gathered (`mask_rejects`, `bra::push_reject`). Returns the number of cells masked
/// per header, in column order, leaving out headers with none.
pub fn mask_table(
    table: &mut RawTable,
    keep: &[Option<usize>],
) -> PolarsResult<Vec<(String, usize)>> {
    let mut masked = Vec::new();
    for (index, header) in table.headers.iter().enumerate() {
        if keep.contains(&Some(index)) {
            continue;
        }
        let name = crate::ingest::table::column_name(index);
        let Ok(column) = table.frame.column(&name) else {
            continue;
        };
        if let Some((replacement, n)) = mask_column(column.str()?)? {
            table.frame.replace(
                &name,
                replacement.with_name(name.as_str().into()).into_column(),
            )?;
            masked.push((header.clone(), n));
        }
    }
    Ok(masked)
}

/// Replaces every value of the text column `column` of `frame` that is a personnummer
/// (or holds one) by a numbered pseudonym; the same value gets the same pseudonym.
/// Returns how many rows changed per value of `by` (the file), in order of appearance.
pub fn pseudonymize(
    frame: &mut DataFrame,
    column: &str,
    by: &str,
) -> PolarsResult<Vec<(String, usize)>> {
    let Ok(values) = frame.column(column) else {
        return Ok(Vec::new());
    };
    let Ok(values) = values.str() else {
        return Ok(Vec::new());
    };
    if !values.contains(CANDIDATE, true)?.any() {
        return Ok(Vec::new());
    }
    let files = frame.column(by)?.str()?.clone();
    let mut pseudonyms: std::collections::HashMap<String, String> = Default::default();
    let mut per_file: Vec<(String, usize)> = Vec::new();
    let replaced: StringChunked = values
        .iter()
        .zip(files.iter())
        .map(|(value, file)| {
            let value = value?;
            if matches!(
                crate::text::mask_personal_data(value),
                std::borrow::Cow::Borrowed(_)
            ) {
                return Some(value.to_owned());
            }
            let next = pseudonyms.len() + 1;
            let pseudonym = pseudonyms
                .entry(value.to_owned())
                .or_insert_with(|| format!("[personnummer {next}]"))
                .clone();
            let file = file.unwrap_or_default();
            match per_file.iter_mut().find(|(f, _)| f == file) {
                Some((_, n)) => *n += 1,
                None => per_file.push((file.to_owned(), 1)),
            }
            Some(pseudonym)
        })
        .collect();
    frame.replace(column, replaced.with_name(column.into()).into_column())?;
    Ok(per_file)
}

/// Masks the `reason` and `content` columns of a rejects frame (`file`, `line`,
/// `reason`, `content`) whole, the id included (a duplicate's reason quotes it): the
/// rejects file is for the analyst, but it is written beside a report and must not
/// carry personal data either.
pub fn mask_rejects(rejects: &mut DataFrame) -> PolarsResult<()> {
    for name in ["reason", "content"] {
        let Ok(column) = rejects.column(name) else {
            continue;
        };
        if let Some((masked, _)) = mask_column(column.str()?)? {
            rejects.replace(name, masked.with_name(name.into()).into_column())?;
        }
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
        let masked = mask_table(&mut table, &[Some(0)]).unwrap();
        assert_eq!(
            masked,
            vec![("brott".to_owned(), 1), ("beskrivning".to_owned(), 1)]
        );
        let cells = |c: &str| -> Vec<String> {
            table
                .frame
                .column(c)
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|v| v.unwrap().to_owned())
                .collect()
        };
        assert_eq!(cells("c0"), ["7505054564", "19900101-1239", "3"]);
        assert_eq!(cells("c1"), ["Stöld", "[personnummer]", "Rån"]);
        // A number that is neither a valid personnummer nor a phone number stays.
        assert_eq!(
            cells("c2"),
            ["ring [telefonnummer]", "inget", "kvitto 12345678"]
        );
    }
}
