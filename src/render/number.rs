//! The one place numbers become text: in the run's language for people (Swedish: a
//! decimal comma and a no-break space between thousands; English: a decimal point and
//! a comma between thousands), and a decimal comma without grouping for CSV files that
//! Excel with Swedish settings reads as numbers.

use crate::lang::Lang;
use crate::report::{Published, View};

/// A number as people write it in running text and on axes: no decimals for a whole
/// number, else one; "36 398", "2,5" (English "36,398", "2.5").
pub fn plain(v: f64, lang: Lang) -> String {
    let rounded = if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    group(&rounded, lang)
}

/// A number with `d` decimals; one that rounds to zero is "0", never "-0".
pub fn decimals(x: f64, d: usize, lang: Lang) -> String {
    group(&fixed(x, d), lang)
}

/// A number with `d` decimals and a decimal comma, no grouping (CSV for Excel).
pub fn csv(x: f64, d: usize) -> String {
    fixed(x, d).replace('.', ",")
}

/// A published figure as people read it.
pub fn published(p: &Published, lang: Lang) -> String {
    match p.view() {
        View::Count(n) => plain(n as f64, lang),
        View::Number(x, d) => decimals(x, d, lang),
        View::PValue(p) if p < 0.001 => format!("<{}", decimals(0.001, 3, lang)),
        View::PValue(p) => decimals(p, 3, lang),
        View::Text(s) => s.to_owned(),
        View::Hidden(mark) => mark.text(),
        View::Empty => String::new(),
    }
}

/// A published figure in a CSV file: counts as digits, decimals with a comma.
pub fn published_csv(p: &Published) -> String {
    match p.view() {
        View::Count(n) => n.to_string(),
        View::Number(x, d) => csv(x, d),
        // Exact in scientific form when small ("1,2E-05", which Excel reads as a
        // number), else three decimals.
        View::PValue(p) if p < 0.001 => {
            format!("{:.1E}", p.max(f64::MIN_POSITIVE)).replace('.', ",")
        }
        View::PValue(p) => csv(p, 3),
        _ => published(p, Lang::Sv),
    }
}

/// `x` rounded to `d` decimals.
pub fn round_to(x: f64, d: usize) -> f64 {
    let scale = 10f64.powi(d as i32);
    let r = (x * scale).round() / scale;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// `x` with `d` decimals and a point; never "-0".
fn fixed(x: f64, d: usize) -> String {
    let x = if x.abs() < 0.5 * 10f64.powi(-(d as i32)) {
        0.0
    } else {
        x
    };
    format!("{x:.d$}")
}

/// "-1234.5" → "-1 234,5" (no-break space), in English "-1,234.5".
fn group(s: &str, lang: Lang) -> String {
    let (thousands, point) = match lang {
        Lang::Sv => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}{point}{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_numbers() {
        assert_eq!(plain(36398.0, Lang::Sv), "36\u{a0}398");
        assert_eq!(plain(36398.0, Lang::En), "36,398");
        assert_eq!(decimals(1234.567, 2, Lang::En), "1,234.57");
        assert_eq!(plain(2.5, Lang::Sv), "2,5");
        assert_eq!(plain(-1234.25, Lang::Sv), "-1\u{a0}234,2");
        assert_eq!(decimals(1234.567, 2, Lang::Sv), "1\u{a0}234,57");
        assert_eq!(decimals(-0.001, 1, Lang::Sv), "0,0");
        assert_eq!(csv(1234.5, 1), "1234,5");
        assert_eq!(csv(-0.0004, 2), "0,00");
        assert_eq!(round_to(0.054948, 2), 0.05);
        assert_eq!(round_to(-0.001, 1), 0.0);
    }
}
