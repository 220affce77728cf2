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
pub fn draw_charts(
    report: &Sealed,
    lang: crate::lang::Lang,
) -> Result<BTreeMap<String, Rendered>, ChartError> {
    use rayon::prelude::*;
    let wanted: Vec<_> = report
        .sections
        .iter()
        .flat_map(|s| &s.charts)
        .filter(|chart| drawable(&chart.spec))
        .collect();
    // Each chart is drawn on its own (a large report's dozen took 0,2 s on one core);
    // the first failure in report order is the error, as when drawn one by one.
    let drawn: Vec<Result<Rendered, ChartError>> = wanted
        .par_iter()
        .map(|chart| charts::draw(&chart.spec, lang))
        .collect();
    let mut out = BTreeMap::new();
    for (chart, rendered) in wanted.iter().zip(drawn) {
        out.insert(chart.name.clone(), rendered?);
    }
    Ok(out)
}

const STYLE: &str = "\
body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2.2rem}
.sub{color:#555;margin-top:0}figure{margin:1rem 0}figure svg{width:100%;height:auto}figcaption{font-size:.9rem;color:#555}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.25rem .5rem;overflow-wrap:break-word}table{max-width:100%}th{background:#eef4fa}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.w{overflow-wrap:anywhere;font-family:monospace;font-size:.8em}
td.h{text-align:right;color:#666;white-space:nowrap}nav ol{columns:2}
.notice{background:#fff3cd;border:2px solid #e69f00;padding:.6rem .9rem;font-weight:bold;margin:1rem 0}
@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0;font-size:10pt}nav{display:none}
h2{break-before:page}figure,table{break-inside:avoid}}";

/// A paragraph's words and figures as text.
pub fn paragraph_text(p: &Paragraph<Published>, lang: crate::lang::Lang) -> String {
    let mut out = String::new();
    for piece in &p.0 {
        match piece {
            Piece::Text(s) => out.push_str(s),
            Piece::Value(v) => out.push_str(&number::published(v, lang)),
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
                paragraphs: s.text.iter().map(|p| paragraph_text(p, lang)).collect(),
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
                tables: s.tables.iter().map(|t| table_view(t, lang)).collect(),
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
fn table_view(t: &Table<Published>, lang: crate::lang::Lang) -> TableView<'_> {
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
                        text: number::published(v, lang),
                        class: match v.view() {
                            View::Count(_) | View::Number(..) | View::PValue(_) => "n",
                            View::Hidden(_) => "h",
                            // A checksum or other long unbroken string may break
                            // anywhere, so it does not push the table off the page.
                            View::Text(s) if s.len() > 30 && !s.contains(char::is_whitespace) => {
                                "w"
                            }
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

/// Every table as a sheet of one workbook, made for Excel: a contents sheet first
/// (every table's full title, linked), numbers as numbers with formats (counts whole,
/// rates with their decimals), hidden values as their marks right-aligned in grey,
/// the header row frozen with a filter, columns wide enough for their text.
pub fn xlsx(
    report: &Sealed,
    generated: chrono::NaiveDate,
    lang: crate::lang::Lang,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use chrono::Datelike;
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Url, Workbook};
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
    let hidden = Format::new()
        .set_align(FormatAlign::Right)
        .set_font_color("#666666");
    let decimals = |d: usize| {
        let pattern = match d {
            0 => "#,##0".to_owned(),
            d => format!("#,##0.{}", "0".repeat(d)),
        };
        Format::new().set_num_format(pattern)
    };
    let names = sheet_names(report);
    let tables: Vec<(&str, &crate::report::Table<crate::report::Published>)> = report
        .sections
        .iter()
        .flat_map(|s| s.tables.iter().map(move |t| (s.title.as_str(), t)))
        .collect();
    let contents = book.add_worksheet();
    contents.set_name(contents_sheet(lang))?;
    let heading = match &report.notice {
        Some(notice) => format!("{} – {notice}", report.title),
        None => report.title.clone(),
    };
    contents.write_string_with_format(0, 0, heading, &bold)?;
    for (i, (section, t)) in tables.iter().enumerate() {
        let row = i as u32 + 2;
        let sheet = &names[&t.name];
        contents.write_url_with_text(row, 0, Url::new(format!("internal:'{sheet}'!A1")), sheet)?;
        contents.write_string(row, 1, &t.title)?;
        contents.write_string(row, 2, *section)?;
    }
    contents.set_column_width(0, 34)?;
    contents.set_column_width(1, 70)?;
    contents.set_column_width(2, 40)?;
    for (_, t) in &tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&names[&t.name])?;
        match &report.notice {
            // Made-up data say so on every sheet, where the title is.
            Some(notice) => sheet.write_string(0, 0, format!("{} – {notice}", t.title))?,
            None => sheet.write_string(0, 0, &t.title)?,
        };
        let mut widths: Vec<usize> = t.headers.iter().map(|h| h.chars().count()).collect();
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, h, &bold)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 2, c as u16);
                let shown = match v.view() {
                    View::Count(n) => {
                        sheet.write_number_with_format(r, c, n as f64, &decimals(0))?;
                        n.to_string().len() + 2
                    }
                    // The value as shown, so the workbook holds no more precision
                    // than the page.
                    View::Number(x, d) => {
                        let x = crate::render::number::round_to(x, d);
                        sheet.write_number_with_format(r, c, x, &decimals(d))?;
                        format!("{x:.d$}").len() + 2
                    }
                    View::PValue(p) => {
                        let format = if p < 0.001 {
                            Format::new().set_num_format("0.0E+00")
                        } else {
                            decimals(3)
                        };
                        sheet.write_number_with_format(r, c, p, &format)?;
                        9
                    }
                    View::Text(s) => {
                        sheet.write_string(r, c, s)?;
                        s.chars().count()
                    }
                    View::Hidden(m) => {
                        sheet.write_string_with_format(r, c, m.text(), &hidden)?;
                        m.text().chars().count()
                    }
                    View::Empty => 0,
                };
                if let Some(w) = widths.get_mut(c as usize) {
                    *w = (*w).max(shown);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w).clamp(8, 60) as f64 + 1.0)?;
        }
        let last_row = t.rows.len() as u32 + 1;
        let last_column = t.headers.len().saturating_sub(1) as u16;
        sheet.set_freeze_panes(2, 0)?;
        if !t.rows.is_empty() {
            sheet.autofilter(1, 0, last_row, last_column)?;
        }
    }
    book.save_to_buffer()
}

/// The first sheet of the workbook, what every other sheet holds, in the run's
/// language.
pub fn contents_sheet(lang: crate::lang::Lang) -> &'static str {
    lang.pick("Innehåll", "Contents")
}

/// The workbook's sheet name for every table.
pub fn sheet_names(report: &Sealed) -> BTreeMap<String, String> {
    // Neither language's contents sheet name is taken by a table.
    let mut used: std::collections::HashSet<String> =
        ["innehåll".to_owned(), "contents".to_owned()].into();
    report
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .map(|t| (t.name.clone(), sheet_name(&t.name, &mut used)))
        .collect()
}

/// An Excel sheet name: at most 31 characters, none of `[]:*?/\`, unique regardless
/// of case. A long table name keeps its end – what kind of table it is ("plats-2026",
/// "ar") – and shortens its beginning, so that sheets of one area do not turn into
/// look-alikes.
fn sheet_name(name: &str, used: &mut std::collections::HashSet<String>) -> String {
    const MAX: usize = 31;
    let clean: String = name.chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect();
    let base = if clean.chars().count() <= MAX {
        clean
    } else {
        match clean.split_once("-per-") {
            Some((subject, kind)) => {
                let budget = MAX.saturating_sub(kind.chars().count() + 1).max(8);
                let subject: String = subject.chars().take(budget).collect();
                let kind: String = kind
                    .chars()
                    .take(MAX - subject.chars().count() - 1)
                    .collect();
                format!("{}-{kind}", subject.trim_end_matches('-'))
            }
            None => clean.chars().take(MAX).collect(),
        }
    };
    let mut candidate = base.clone();
    let mut k = 2;
    while !used.insert(candidate.to_lowercase()) {
        let suffix = format!("-{k}");
        let keep = MAX - suffix.len();
        candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        k += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_unique_short_and_keep_their_kind() {
        let mut used = Default::default();
        assert_eq!(sheet_name("a", &mut used), "a");
        assert_eq!(sheet_name("A", &mut used), "A-2");
        let per_year = sheet_name("organiserad-brottslighet-per-ar", &mut used);
        let per_place = sheet_name("organiserad-brottslighet-per-plats-2026", &mut used);
        assert_eq!(per_year, "organiserad-brottslighet-per-ar");
        assert_eq!(per_place, "organiserad-brottsli-plats-2026");
        for name in [&per_year, &per_place] {
            assert!(name.chars().count() <= 31, "{name}");
        }
        let long = "x".repeat(40);
        let first = sheet_name(&long, &mut used);
        let second = sheet_name(&long, &mut used);
        assert!(first != second && second.chars().count() <= 31, "{second}");
    }
}
