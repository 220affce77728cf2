//! The one place numbers become text: Swedish style (decimal comma, a no-break space
//! between thousands) for people, and decimal comma without grouping for CSV files
//! that Excel with Swedish settings reads as numbers.

use crate::report::{Published, View};

/// A number as Swedes write it in running text and on axes: no decimals for a whole
/// number, else one; "36 398", "2,5".
pub fn plain(v: f64) -> String {
    let rounded = if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    group(&rounded)
}

/// A number with `d` decimals, Swedish style; one that rounds to zero is "0", never "-0".
pub fn decimals(x: f64, d: usize) -> String {
    group(&fixed(x, d))
}

/// A number with `d` decimals and a decimal comma, no grouping (CSV for Excel).
pub fn csv(x: f64, d: usize) -> String {
    fixed(x, d).replace('.', ",")
}

/// A published figure as people read it.
pub fn published(p: &Published) -> String {
    match p.view() {
        View::Count(n) => plain(n as f64),
        View::Number(x, d) => decimals(x, d),
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
        _ => published(p),
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

/// "-1234.5" → "-1 234,5" (no-break space).
fn group(s: &str) -> String {
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_numbers() {
        assert_eq!(plain(36398.0), "36\u{a0}398");
        assert_eq!(plain(2.5), "2,5");
        assert_eq!(plain(-1234.25), "-1\u{a0}234,2");
        assert_eq!(decimals(1234.567, 2), "1\u{a0}234,57");
        assert_eq!(decimals(-0.001, 1), "0,0");
        assert_eq!(csv(1234.5, 1), "1234,5");
        assert_eq!(csv(-0.0004, 2), "0,00");
        assert_eq!(round_to(0.054948, 2), 0.05);
        assert_eq!(round_to(-0.001, 1), 0.0);
    }
}
