//! Writing a sealed report's files: a self-contained HTML page (charts inline as SVG,
//! no scripts, fonts or network requests, print CSS for A4), an Excel workbook with
//! every table, the tables as CSV for Excel, the charts as SVG and PNG, and the places
//! as GeoJSON for QGIS. Every figure is a [`Published`]: what passed the gate.

use std::collections::BTreeMap;

use crate::render::charts::{self, ChartError, Rendered};
use crate::render::number;
use crate::report::chart::ChartSpec;
use crate::report::{Paragraph, Piece, Sealed, Table};
use crate::report::{Published, View};

/// Whether a chart is drawn: a concentration curve computed from hidden counts is
/// left out (its section says why).
pub fn drawable(spec: &ChartSpec<Published>) -> bool {
    match spec {
        ChartSpec::Lorenz(c) => c
            .points
            .iter()
            .all(|(x, y)| x.number().is_some() && y.number().is_some()),
        _ => true,
    }
}

/// Draws every drawable chart of the report, by chart name.
pub fn draw_charts(report: &Sealed) -> Result<BTreeMap<String, Rendered>, ChartError> {
    let mut out = BTreeMap::new();
    for chart in report.sections.iter().flat_map(|s| &s.charts) {
        if drawable(&chart.spec) {
            out.insert(chart.name.clone(), charts::draw(&chart.spec)?);
        }
    }
    Ok(out)
}

const STYLE: &str = "\
body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2.2rem}
.sub{color:#555;margin-top:0}figure{margin:1rem 0}figure svg{width:100%;height:auto}figcaption{font-size:.9rem;color:#555}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.25rem .5rem;overflow-wrap:anywhere}table{max-width:100%}th{background:#eef4fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.h{text-align:right;color:#666}nav ol{columns:2}
.notice{background:#fff3cd;border:2px solid #e69f00;padding:.6rem .9rem;font-weight:bold;margin:1rem 0}
@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0;font-size:10pt}nav{display:none}
h2{break-before:page}figure,table{break-inside:avoid}}";

/// A paragraph's words and figures as text.
pub fn paragraph_text(p: &Paragraph<Published>) -> String {
    let mut out = String::new();
    for piece in &p.0 {
        match piece {
            Piece::Text(s) => out.push_str(s),
            Piece::Value(v) => out.push_str(&number::published(v)),
            // A sealed report has no conditions left; an unresolved one says nothing.
            Piece::IfShown { .. } => {}
        }
    }
    out
}

/// The page: filled into `templates/report.html` (askama, compiled in and escaping
/// every value; only the style sheet and our own SVG charts go in as they are).
#[derive(askama::Template)]
#[template(path = "report.html", escape = "html")]
struct Page<'a> {
    lang: &'a str,
    title: &'a str,
    subtitle: &'a str,
    notice: Option<&'a str>,
    style: &'a str,
    sections: Vec<SectionView<'a>>,
}

/// One section as the page shows it.
struct SectionView<'a> {
    title: &'a str,
    paragraphs: Vec<String>,
    figures: Vec<FigureView<'a>>,
    tables: Vec<TableView<'a>>,
}

/// A drawn chart.
struct FigureView<'a> {
    alt: &'a str,
    svg: &'a str,
}

/// A table with its cells as text and a class for alignment.
struct TableView<'a> {
    name: &'a str,
    title: &'a str,
    headers: &'a [String],
    rows: Vec<Vec<CellView>>,
}

/// One cell: its text and its class ("n" for numbers, "h" for hidden values).
struct CellView {
    text: String,
    class: &'static str,
}

/// The self-contained HTML page, with the drawn charts inline.
pub fn html(
    report: &Sealed,
    drawn: &BTreeMap<String, Rendered>,
    lang: crate::lang::Lang,
) -> String {
    use askama::Template;
    let page = Page {
        lang: lang.pick("sv", "en"),
        title: &report.title,
        subtitle: &report.subtitle,
        notice: report.notice.as_deref(),
        style: STYLE,
        sections: report
            .sections
            .iter()
            .map(|s| SectionView {
                title: &s.title,
                paragraphs: s.text.iter().map(paragraph_text).collect(),
                figures: s
                    .charts
                    .iter()
                    .filter_map(|c| {
                        drawn.get(&c.name).map(|r| FigureView {
                            alt: &c.alt,
                            svg: inline_svg(&r.svg),
                        })
                    })
                    .collect(),
                tables: s.tables.iter().map(table_view).collect(),
            })
            .collect(),
    };
    // Rendering into a String cannot fail: every value is plain text.
    page.render().unwrap_or_default() + "\n"
}

/// An SVG document as an inline element (without its XML declaration).
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

/// A table's cells as the page shows them; `data-table` names the table as its CSV
/// file and sheet are named, so that `lagesbild audit` can read the page back.
fn table_view(t: &Table<Published>) -> TableView<'_> {
    TableView {
        name: &t.name,
        title: &t.title,
        headers: &t.headers,
        rows: t
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| CellView {
                        text: number::published(v),
                        class: match v.view() {
                            View::Count(_) | View::Number(..) => "n",
                            View::Hidden(_) => "h",
                            _ => "",
                        },
                    })
                    .collect()
            })
            .collect(),
    }
}

/// A table as CSV for Excel: `;`, decimal comma, UTF-8 with BOM, CRLF.
pub fn table_csv(t: &Table<Published>) -> Vec<u8> {
    let rows = t
        .rows
        .iter()
        .map(|row| row.iter().map(number::published_csv).collect());
    crate::render::excel_csv(&t.headers, rows)
}

/// Every table as a sheet of one workbook; numbers as numbers, hidden values as text.
pub fn xlsx(
    report: &Sealed,
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
    let names = sheet_names(report);
    for t in report.sections.iter().flat_map(|s| &s.tables) {
        let sheet = book.add_worksheet();
        sheet.set_name(&names[&t.name])?;
        match &report.notice {
            // Made-up data say so on every sheet, where the title is.
            Some(notice) => sheet.write_string(0, 0, format!("{} – {notice}", t.title))?,
            None => sheet.write_string(0, 0, &t.title)?,
        };
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, h, &bold)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 2, c as u16);
                match v.view() {
                    View::Count(n) => sheet.write_number(r, c, n as f64)?,
                    // The value as shown, so the workbook holds no more precision
                    // than the page.
                    View::Number(x, d) => {
                        sheet.write_number(r, c, crate::render::number::round_to(x, d))?
                    }
                    View::Text(s) => sheet.write_string(r, c, s)?,
                    View::Hidden(m) => sheet.write_string(r, c, m.text())?,
                    View::Empty => sheet,
                };
            }
        }
        sheet.set_column_width(0, 28)?;
    }
    book.save_to_buffer()
}

/// The workbook's sheet name for every table.
pub fn sheet_names(report: &Sealed) -> BTreeMap<String, String> {
    let mut used = std::collections::HashSet::new();
    report
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .map(|t| (t.name.clone(), sheet_name(&t.name, &mut used)))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_unique() {
        let mut used = Default::default();
        assert_eq!(sheet_name("a", &mut used), "a");
        assert_eq!(sheet_name("a", &mut used), "a-2");
    }
}
