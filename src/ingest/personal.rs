//! Personal data masked as it is read: personnummer, samordningsnummer and telephone
//! numbers in any text cell become "[personnummer]" and "[telefonnummer]" before a value
//! is typed, checked, counted or written anywhere (`text::mask_personal_data` says what
//! is recognised). The identity column is read as it is, so that duplicates are found
//! by the real ids; once they are, an id that is a personnummer is replaced by a
//! pseudonym, `[personnummer 1]`, `[personnummer 2]`, … in order of appearance (the same
//! input always gives the same pseudonyms, and none can be turned back into a number).

use polars::prelude::*;

use crate::ingest::table::RawTable;

/// How an id that is a personnummer is replaced.
#[derive(Clone, Default)]
pub enum Pseudonyms {
    /// `[personnummer 1]`, `[personnummer 2]`, … in order of appearance in this run:
    /// readable, and the same for the same input.
    #[default]
    Numbered,
    /// `[personnummer 3f9a…]`, sixteen hex digits of HMAC-SHA-256 of the id under a
    /// secret key: the same id gets the same pseudonym in every run with the key (a
    /// store's imports replace by id, so numbering afresh each run would make two
    /// people's incidents replace each other), and without the key no pseudonym can be
    /// tied to a number.
    Keyed([u8; 32]),
}

impl Pseudonyms {
    /// The pseudonym of `value`, the `next`th new one of the run.
    fn of(&self, value: &str, next: usize) -> String {
        match self {
            Pseudonyms::Numbered => format!("[personnummer {next}]"),
            Pseudonyms::Keyed(key) => {
                use hmac::Mac;
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key)
                    .expect("HMAC takes a key of any length");
                mac.update(value.as_bytes());
                let digest = mac.finalize().into_bytes();
                let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                format!("[personnummer {hex}]")
            }
        }
    }
}

/// Masks every text column of `table` except those at `keep` (the identity columns).
/// Records the reader rejected are masked with every other rejected row, where rejects
/// are gathered (`mask_rejects`, `bra::push_reject`). Returns the number of cells masked
/// per header of every masked column, in column order, zeros too (the parts of a file
/// add up by position, and two columns may share a header).
pub fn mask_table(
    table: &mut RawTable,
    keep: &[Option<usize>],
) -> PolarsResult<Vec<(String, usize)>> {
    use rayon::prelude::*;
    let columns: Vec<(usize, String)> = (0..table.headers.len())
        .filter(|i| !keep.contains(&Some(*i)))
        .map(|i| (i, crate::ingest::table::column_name(i)))
        .filter(|(_, name)| table.frame.column(name).is_ok())
        .collect();
    let frame = &table.frame;
    // Columns are independent: each is scanned on its own core.
    let replaced: Vec<(usize, String, Option<MaskedColumn>)> = columns
        .into_par_iter()
        .map(|(i, name)| {
            let masked = mask_column(frame.column(&name)?.str()?);
            Ok((i, name, masked))
        })
        .collect::<PolarsResult<_>>()?;
    let mut masked = Vec::new();
    for (index, name, replacement) in replaced {
        let mut n = 0;
        if let Some((replacement, changed)) = replacement {
            table.frame.replace(
                &name,
                replacement.with_name(name.as_str().into()).into_column(),
            )?;
            n = changed;
        }
        masked.push((table.headers[index].clone(), n));
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
    how: &Pseudonyms,
) -> PolarsResult<Vec<(String, usize)>> {
    let Ok(values) = frame.column(column) else {
        return Ok(Vec::new());
    };
    let Ok(values) = values.str() else {
        return Ok(Vec::new());
    };
    let personal = changed_cells(values);
    if personal.is_empty() {
        return Ok(Vec::new());
    }
    let files = frame.column(by)?.cast(&DataType::String)?;
    let files = files.str()?;
    let mut pseudonyms: std::collections::HashMap<String, String> = Default::default();
    let mut per_file: Vec<(String, usize)> = Vec::new();
    let mut replacements = Vec::with_capacity(personal.len());
    for (row, _) in &personal {
        let value = values.get(*row).unwrap_or_default();
        let next = pseudonyms.len() + 1;
        let pseudonym = pseudonyms
            .entry(value.to_owned())
            .or_insert_with(|| how.of(value, next))
            .clone();
        let file = files.get(*row).unwrap_or_default();
        match per_file.iter_mut().find(|(f, _)| f == file) {
            Some((_, n)) => *n += 1,
            None => per_file.push((file.to_owned(), 1)),
        }
        replacements.push((*row, pseudonym));
    }
    let replaced = with_cells_replaced(values, &replacements);
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
        if let Some((masked, _)) = mask_column(column.str()?) {
            rejects.replace(name, masked.with_name(name.into()).into_column())?;
        }
    }
    Ok(())
}

/// A column with personal data masked, and the number of cells changed.
type MaskedColumn = (StringChunked, usize);

/// The column with personal data masked and the number of cells changed, or `None`
/// when no cell holds any.
fn mask_column(column: &StringChunked) -> Option<MaskedColumn> {
    let changed = changed_cells(column);
    if changed.is_empty() {
        return None;
    }
    Some((with_cells_replaced(column, &changed), changed.len()))
}

/// The rows of `column` that masking changes, with their masked text, in row order.
/// Only cells the byte scan finds possible are given to the exact masker.
fn changed_cells(column: &StringChunked) -> Vec<(usize, String)> {
    column
        .iter()
        .enumerate()
        .filter_map(|(row, value)| {
            let value = value.filter(|v| crate::text::may_hold_personal_data(v))?;
            match crate::text::mask_personal_data(value) {
                std::borrow::Cow::Owned(masked) => Some((row, masked)),
                std::borrow::Cow::Borrowed(_) => None,
            }
        })
        .collect()
}

/// `column` with the cells at the given rows (in row order) replaced.
fn with_cells_replaced(column: &StringChunked, cells: &[(usize, String)]) -> StringChunked {
    let mut next = cells.iter().peekable();
    column
        .iter()
        .enumerate()
        .map(|(row, value)| match next.next_if(|(at, _)| *at == row) {
            Some((_, replacement)) => Some(replacement.clone()),
            None => value.map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keyed pseudonym is HMAC-SHA-256 of the id as written (the value computed
    /// with Python's `hmac`), the same in every run, and another key gives another.
    #[test]
    fn a_keyed_pseudonym_is_the_hmac_of_the_id() {
        let key = Pseudonyms::Keyed([0x0b; 32]);
        assert_eq!(
            key.of("19850101-1236", 1),
            "[personnummer 5bb557a092079582]"
        );
        assert_eq!(key.of("19850101-1236", 7), key.of("19850101-1236", 1));
        assert_ne!(
            Pseudonyms::Keyed([0x0c; 32]).of("19850101-1236", 1),
            key.of("19850101-1236", 1)
        );
        assert_eq!(
            Pseudonyms::Numbered.of("19850101-1236", 3),
            "[personnummer 3]"
        );
    }

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
