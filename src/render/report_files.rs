//! Writing the report's files: a self-contained HTML page (charts inline as SVG, no
//! scripts, fonts or network requests, print CSS for A4), an Excel workbook with every
//! table, the tables as CSV for Excel, the charts as SVG and PNG, and the places as
//! GeoJSON for QGIS.

use std::fmt::Write as _;

use crate::report::{Report, Table, Value};

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A value as text for people: decimal comma, thousands with a no-break space.
pub fn show(v: &Value) -> String {
    match v {
        Value::Text(s) | Value::Hidden(s) => s.clone(),
        Value::Int(n) => crate::render::charts::swedish_number(*n as f64),
        Value::Num(x, d) => {
            let s = fixed(*x, *d);
            let (int, frac) = s
                .split_once('.')
                .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
            let whole = crate::render::charts::swedish_number(int.parse::<f64>().unwrap_or(0.0));
            let whole = if int.starts_with('-') && !whole.starts_with('-') {
                format!("-{whole}")
            } else {
                whole
            };
            frac.map_or(whole.clone(), |f| format!("{whole},{f}"))
        }
        Value::Empty => String::new(),
    }
}

/// A number with `d` decimals; one that rounds to zero is "0", never "-0".
fn fixed(x: f64, d: usize) -> String {
    let x = if x.abs() < 0.5 * 10f64.powi(-(d as i32)) {
        0.0
    } else {
        x
    };
    format!("{x:.d$}")
}

const STYLE: &str = "\
body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2.2rem}
.sub{color:#555;margin-top:0}figure{margin:1rem 0}figure svg{width:100%;height:auto}figcaption{font-size:.9rem;color:#555}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.25rem .5rem}th{background:#eef4fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.h{text-align:right;color:#666}nav ol{columns:2}
@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0;font-size:10pt}nav{display:none}
h2{break-before:page}figure,table{break-inside:avoid}}";

/// The self-contained HTML page.
pub fn html(report: &Report, lang: crate::lang::Lang) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n<nav><ol>\n",
        lang.pick("sv", "en"),
        escape(&report.title),
        escape(&report.title),
        escape(&report.subtitle)
    );
    for (i, s) in report.sections.iter().enumerate() {
        let _ = writeln!(out, "<li><a href=\"#s{i}\">{}</a></li>", escape(&s.title));
    }
    out.push_str("</ol></nav>\n");
    for (i, s) in report.sections.iter().enumerate() {
        let _ = writeln!(out, "<section id=\"s{i}\">\n<h2>{}</h2>", escape(&s.title));
        for p in &s.text {
            let _ = writeln!(out, "<p>{}</p>", escape(p));
        }
        for c in &s.charts {
            let _ = writeln!(
                out,
                "<figure role=\"img\" aria-label=\"{}\">\n{}\n</figure>",
                escape(&c.alt),
                inline_svg(&c.rendered.svg)
            );
        }
        for t in &s.tables {
            out.push_str(&html_table(t));
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// An SVG document as an inline element (without its XML declaration).
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

fn html_table(t: &Table) -> String {
    let mut out = format!(
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(&t.title)
    );
    for h in &t.headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for v in row {
            let class = match v {
                Value::Int(_) | Value::Num(..) => " class=\"n\"",
                Value::Hidden(_) => " class=\"h\"",
                _ => "",
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(&show(v)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A table as CSV for Excel: `;`, decimal comma, UTF-8 with BOM, CRLF.
pub fn table_csv(t: &Table) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let _ = w.write_record(&t.headers);
        for row in &t.rows {
            let _ = w.write_record(row.iter().map(|v| match v {
                Value::Num(x, d) => fixed(*x, *d).replace('.', ","),
                Value::Int(n) => n.to_string(),
                other => show(other),
            }));
        }
        let _ = w.flush();
    }
    out
}

/// Every table as a sheet of one workbook; numbers as numbers, hidden values as text.
pub fn xlsx(
    report: &Report,
    generated: chrono::NaiveDate,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use chrono::Datelike;
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(
        generated.year() as u16,
        generated.month() as u8,
        generated.day() as u8,
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&report.title)
            .set_creation_datetime(&date),
    );
    let bold = Format::new().set_bold();
    let mut used = std::collections::HashSet::new();
    for t in report.sections.iter().flat_map(|s| &s.tables) {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&t.name, &mut used))?;
        sheet.write_string(0, 0, &t.title)?;
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, h, &bold)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 2, c as u16);
                match v {
                    Value::Int(n) => sheet.write_number(r, c, *n as f64)?,
                    Value::Num(x, _) => sheet.write_number(r, c, *x)?,
                    Value::Text(s) | Value::Hidden(s) => sheet.write_string(r, c, s)?,
                    Value::Empty => sheet,
                };
            }
        }
        sheet.set_column_width(0, 28)?;
    }
    book.save_to_buffer()
}

/// Excel sheet names: at most 31 characters, unique.
fn sheet_name(name: &str, used: &mut std::collections::HashSet<String>) -> String {
    let base: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut candidate = base.clone();
    let mut k = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{k}");
        k += 1;
    }
    candidate
}

/// The places with their published figures as a GeoJSON FeatureCollection (WGS84).
pub fn places_geojson(report: &Report) -> String {
    let features: Vec<serde_json::Value> = report
        .places
        .iter()
        .map(|(name, lat, lon, props)| {
            let mut properties = serde_json::Map::new();
            properties.insert("namn".into(), name.clone().into());
            for (k, v) in props {
                let value = match v {
                    Value::Int(n) => (*n).into(),
                    Value::Num(x, _) => serde_json::Number::from_f64(*x)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number),
                    Value::Text(s) | Value::Hidden(s) => s.clone().into(),
                    Value::Empty => serde_json::Value::Null,
                };
                properties.insert(k.clone(), value);
            }
            serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": properties,
            })
        })
        .collect();
    serde_json::to_string_pretty(
        &serde_json::json!({ "type": "FeatureCollection", "features": features }),
    )
    .expect("plain values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_escaping() {
        assert_eq!(show(&Value::Num(1234.567, 2)), "1\u{a0}234,57");
        assert_eq!(show(&Value::Num(-0.5, 1)), "-0,5");
        assert_eq!(show(&Value::Num(-0.3, 0)), "0");
        assert_eq!(show(&Value::Int(36398)), "36\u{a0}398");
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        let mut used = Default::default();
        assert_eq!(sheet_name("a", &mut used), "a");
        assert_eq!(sheet_name("a", &mut used), "a-2");
    }
}
