//! Charts drawn with plotters, as SVG (inline in the HTML report) and PNG, with text
//! laid out by a font compiled into the binary (DejaVu Sans), so nothing depends on the
//! fonts of the machine. Charts draw the report's chart specifications
//! ([`crate::report::chart`]) after disclosure control: a value that did not pass the
//! gate is a gap, a hollow circle or its mark, never a number.
//!
//! Colours are the Okabe–Ito palette, which stays distinguishable with the common
//! forms of colour blindness. Every chart has a title, axis titles and units.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::lang::Lang;
use crate::render::number::plain;
use crate::report::chart::{self as spec, ChartSpec};
use crate::report::{Mark, Published};

type LineChart = spec::LineChart<Published>;
type BarChart = spec::BarChart<Published>;
type Heatmap = spec::Heatmap<Published>;
type LorenzChart = spec::LorenzChart<Published>;
type MapChart = spec::MapChart<Published>;
type FunnelChart = spec::FunnelChart<Published>;

/// Draws a chart of the report.
pub fn draw(chart: &ChartSpec<Published>, lang: Lang) -> Result<Rendered, ChartError> {
    match chart {
        ChartSpec::Line(c) => line_chart(c, lang),
        ChartSpec::Bar(c) => bar_chart(c, lang),
        ChartSpec::Heat(c) => heatmap(c, lang),
        ChartSpec::Lorenz(c) => lorenz_chart(c, lang),
        ChartSpec::Map(c) => map_chart(c, lang),
        ChartSpec::Funnel(c) => funnel_chart(c, lang),
    }
}

/// Okabe–Ito: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(240, 228, 66),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(0, 0, 0),
];

/// Width and height in pixels: readable at A4 width.
pub const SIZE: (u32, u32) = (1000, 560);

const FONT: &str = "sans-serif";

/// The bold title font at the largest size up to 26 at which `title` fits the width
/// of `area` (down to 14; a longer title is cut by the edge rather than unreadable).
fn title_font<'a, DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str) -> TextStyle<'a> {
    let room = area.dim_in_pixel().0.saturating_sub(24);
    let size = (14..=26)
        .rev()
        .find(|&size| {
            let font: TextStyle = (FONT, size).into_font().style(FontStyle::Bold).into();
            area.estimate_text_size(title, &font)
                .is_ok_and(|(w, _)| w <= room)
        })
        .unwrap_or(14);
    (FONT, size).into_font().style(FontStyle::Bold).into()
}

/// Registers the embedded font once per process.
fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font shipped by the dejavu crate.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A rendered chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// SVG document.
    pub svg: String,
    /// PNG image.
    pub png: Vec<u8>,
}

/// Errors from drawing.
#[derive(Debug, thiserror::Error)]
#[error("diagrammet kunde inte ritas: {0}")]
pub struct ChartError(String);

fn err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

/// Draws `draw` on an SVG and a PNG canvas of [`SIZE`].
fn render(
    draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), ChartError> + Copy,
    draw_png: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<(), ChartError>,
) -> Result<Rendered, ChartError> {
    fonts();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        draw(&area)?;
        area.present().map_err(err)?;
    }
    let mut pixels = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        draw_png(&area)?;
        area.present().map_err(err)?;
    }
    Ok(Rendered {
        svg,
        png: encode_png(&pixels)?,
    })
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new(&mut out);
    image::ImageEncoder::write_image(encoder, rgb, SIZE.0, SIZE.1, image::ColorType::Rgb8)
        .map_err(err)?;
    Ok(out)
}

/// Draws a line chart.
pub fn line_chart(chart: &LineChart, lang: Lang) -> Result<Rendered, ChartError> {
    render(
        |a| draw_lines(a, chart, lang),
        |a| draw_lines(a, chart, lang),
    )
}

fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &LineChart,
    lang: Lang,
) -> Result<(), ChartError> {
    let n = c.periods.len().max(1);
    let top = c
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().filter_map(Published::number))
        .fold(0.0f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(&c.title, title_font(area, &c.title))
        .margin(16)
        // Room for the last period's label, which is centred on the right edge.
        .margin_right(40)
        .x_label_area_size(56)
        .y_label_area_size(72)
        .build_cartesian_2d(0..(n - 1).max(1), 0.0..nice_top(top))
        .map_err(err)?;
    let periods = c.periods.clone();
    chart
        .configure_mesh()
        .x_desc(&c.x_title)
        .y_desc(&c.y_title)
        .x_labels(n.min(14))
        .x_label_formatter(&|i| periods.get(*i).cloned().unwrap_or_default())
        .y_label_formatter(&|v| plain_in(lang, *v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    for (k, (name, values)) in c.series.iter().enumerate() {
        let values: Vec<Option<f64>> = values.iter().map(Published::number).collect();
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<(usize, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        // A missing value breaks the line: no slope is drawn across a hidden period.
        let runs: Vec<Vec<(usize, f64)>> = values
            .iter()
            .enumerate()
            .collect::<Vec<_>>()
            .split(|(_, v)| v.is_none())
            .map(|run| run.iter().filter_map(|(i, v)| v.map(|v| (*i, v))).collect())
            .filter(|run: &Vec<(usize, f64)>| !run.is_empty())
            .collect();
        chart
            .draw_series(
                runs.into_iter()
                    .map(|run| PathElement::new(run, colour.stroke_width(3))),
            )
            .map_err(err)?
            .label(name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            });
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))
            .map_err(err)?;
        // A hidden period is drawn as hidden – a grey mark on the axis – so that it is
        // not read as a gap beside zeros.
        let hidden: Vec<(usize, String)> = c.series[k]
            .1
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.mark().map(|m| (i, m.text())))
            .collect();
        let mut marks: Vec<String> = hidden.iter().map(|(_, m)| m.clone()).collect();
        marks.sort();
        marks.dedup();
        if let Some(mark) = (!marks.is_empty()).then(|| marks.join(" / ")) {
            let grey = RGBColor(130, 130, 130);
            chart
                .draw_series(
                    hidden
                        .iter()
                        .map(|(i, _)| TriangleMarker::new((*i, 0.0), 6, grey.filled())),
                )
                .map_err(err)?
                .label(format!("{mark}: {}", hidden_words(&mark, lang)))
                .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 6, grey.filled()));
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

/// A number on an axis or in a legend, in the run's language.
fn plain_in(lang: Lang, v: f64) -> String {
    plain(v, lang)
}

/// The series legend every chart draws the same way, at `position`.
fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .position(position)
        .draw()
        .map_err(err)
}

/// What hidden values' marks mean, for a chart legend.
fn hidden_words(marks: &str, lang: Lang) -> &'static str {
    if marks.contains('<') {
        lang.pick("dolt, små tal", "hidden, small numbers")
    } else {
        lang.pick("dolt, skyddar små tal", "hidden, protects small numbers")
    }
}

/// Draws horizontal bars with whiskers and notes.
pub fn bar_chart(chart: &BarChart, lang: Lang) -> Result<Rendered, ChartError> {
    render(|a| draw_bars(a, chart, lang), |a| draw_bars(a, chart, lang))
}

fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &BarChart,
    lang: Lang,
) -> Result<(), ChartError> {
    let n = c.bars.len().max(1);
    // Two segments at least: a range of one segment (0..0) has no height, and a
    // lone bar was drawn over the title without its label.
    let segments = n.max(2);
    let reference = c
        .reference
        .as_ref()
        .and_then(|(label, v)| Some((label, v.number()?)));
    let top = c
        .bars
        .iter()
        .flat_map(|b| b.value.number().into_iter().chain(interval(b).map(|i| i.1)))
        .chain(reference.map(|r| r.1))
        .fold(0.0f64, f64::max);
    let top = nice_top(top);
    let labels: Vec<String> = c.bars.iter().map(|b| b.label.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(&c.title, title_font(area, &c.title))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(150)
        .build_cartesian_2d(0.0..top, (0..segments - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(&c.value_title)
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            // The first bar is drawn at the top.
            SegmentValue::CenterOf(i) => (n - 1)
                .checked_sub(*i)
                .and_then(|k| labels.get(k))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| plain_in(lang, *v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .draw()
        .map_err(err)?;
    // Gaps and whisker ends in pixels, scaled to the height of one bar's band so that
    // no rectangle gets a negative size when there are many bars.
    let band = (SIZE.1.saturating_sub(140) / n as u32).max(1);
    let (gap, whisker) = (band / 5, band / 3);
    for (k, bar) in c.bars.iter().enumerate() {
        let i = n - 1 - k;
        if let Some(v) = bar.value.number() {
            let mut rect = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (v, SegmentValue::Exact(i + 1)),
                ],
                PALETTE[4].mix(0.85).filled(),
            );
            rect.set_margin(gap, gap, 0, 0);
            chart.draw_series(std::iter::once(rect)).map_err(err)?;
        }
        if let Some((lo, hi)) = interval(bar) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (lo, SegmentValue::CenterOf(i)),
                        (hi, SegmentValue::CenterOf(i)),
                    ],
                    BLACK.stroke_width(2),
                )))
                .map_err(err)?;
            for end in [lo, hi] {
                let mut tick = Rectangle::new(
                    [
                        (end, SegmentValue::Exact(i)),
                        (end, SegmentValue::Exact(i + 1)),
                    ],
                    BLACK.stroke_width(2),
                );
                tick.set_margin(whisker, whisker, 0, 0);
                chart.draw_series(std::iter::once(tick)).map_err(err)?;
            }
        }
        if let Some(note) = bar.value.mark().map(Mark::text) {
            let x = interval(bar)
                .map(|i| i.1)
                .or(bar.value.number())
                .unwrap_or(0.0)
                + top * 0.01;
            chart
                .draw_series(std::iter::once(Text::new(
                    note.clone(),
                    (x, SegmentValue::CenterOf(i)),
                    (FONT, 15),
                )))
                .map_err(err)?;
        }
    }
    if let Some((label, x)) = reference {
        chart
            .draw_series(DashedLineSeries::new(
                [
                    (x, SegmentValue::Exact(0)),
                    (x, SegmentValue::Exact(segments)),
                ],
                6,
                4,
                PALETTE[5].stroke_width(2),
            ))
            .map_err(err)?
            .label(format!("{label}: {}", plain_in(lang, x)))
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[5].stroke_width(2))
            });
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    }
    Ok(())
}

/// A bar's interval, when both ends are shown.
fn interval(bar: &spec::Bar<Published>) -> Option<(f64, f64)> {
    bar.interval
        .as_ref()
        .and_then(|(lo, hi)| lo.number().zip(hi.number()))
}

/// Draws a weekday × hour heat map.
pub fn heatmap(chart: &Heatmap, lang: Lang) -> Result<Rendered, ChartError> {
    render(
        |a| draw_heatmap(a, chart, lang),
        |a| draw_heatmap(a, chart, lang),
    )
}

fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &Heatmap,
    lang: Lang,
) -> Result<(), ChartError> {
    let max = c
        .values
        .iter()
        .flat_map(|r| r.iter().filter_map(Published::number))
        .fold(0.0f64, f64::max);
    let rows = c.rows.clone();
    let mut chart = ChartBuilder::on(area)
        .caption(&c.title, title_font(area, &c.title))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(0..24usize, (0..c.rows.len().max(1) - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(&c.x_title)
        .x_labels(24)
        .y_labels(rows.len())
        .y_label_formatter(&|v| match v {
            // Monday on top, as in a calendar.
            SegmentValue::CenterOf(i) => rows
                .len()
                .checked_sub(1 + *i)
                .and_then(|r| rows.get(r))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .draw()
        .map_err(err)?;
    let last = c.rows.len().saturating_sub(1);
    for (k, row) in c.values.iter().enumerate() {
        let r = last.saturating_sub(k);
        for (h, v) in row.iter().enumerate() {
            // Five classes of colour, not a continuous ramp: the colours give ranges,
            // never counts; a value not shown is grey.
            let colour = match v.number() {
                Some(v) if max > 0.0 => shade((v / max * 5.0).ceil() / 5.0),
                Some(_) => shade(0.0),
                None => RGBColor(200, 200, 200),
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [
                        (h, SegmentValue::Exact(r)),
                        (h + 1, SegmentValue::Exact(r + 1)),
                    ],
                    colour.filled(),
                )))
                .map_err(err)?;
        }
    }
    area.draw(&Text::new(
        // No number: the largest value with five classes would tell counts.
        c.legend.clone(),
        // Bottom left, clear of the axis title, so that the whole legend fits.
        (20, SIZE.1 as i32 - 24),
        (FONT, 13),
    ))
    .map_err(err)?;
    colour_scale(area, lang)
}

/// The heat map's colour scale at the bottom right: the five classes as shares of the
/// largest value (no counts), and grey for values not shown.
fn colour_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lang: Lang,
) -> Result<(), ChartError> {
    let at_most = |share: u32| match lang {
        Lang::Sv => format!("≤{share} %"),
        Lang::En => format!("≤{share}%"),
    };
    let classes = [
        (shade(0.0), "0".to_owned()),
        (shade(0.2), at_most(20)),
        (shade(0.4), at_most(40)),
        (shade(0.6), at_most(60)),
        (shade(0.8), at_most(80)),
        (shade(1.0), at_most(100)),
        (RGBColor(200, 200, 200), "..".to_owned()),
    ];
    let (width, y) = (52, SIZE.1 as i32 - 30);
    let x0 = SIZE.0 as i32 - 16 - width * classes.len() as i32;
    for (k, (colour, label)) in classes.iter().enumerate() {
        let x = x0 + width * k as i32;
        area.draw(&Rectangle::new(
            [(x, y), (x + width - 4, y + 12)],
            colour.filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(label.to_string(), (x, y + 14), (FONT, 12)))
            .map_err(err)?;
    }
    Ok(())
}

/// Draws a Lorenz curve.
pub fn lorenz_chart(chart: &LorenzChart, lang: Lang) -> Result<Rendered, ChartError> {
    render(
        |a| draw_lorenz(a, chart, lang),
        |a| draw_lorenz(a, chart, lang),
    )
}

fn draw_lorenz<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &LorenzChart,
    lang: Lang,
) -> Result<(), ChartError> {
    let mut chart = ChartBuilder::on(area)
        .caption(&c.title, title_font(area, &c.title))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..100.0, 0.0..100.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(match lang {
            Lang::Sv => format!("Andel av {} (%), de mest drabbade först", c.units),
            Lang::En => format!("Share of {} (%), most affected first", c.units),
        })
        .y_desc(lang.pick("Andel av händelserna (%)", "Share of incidents (%)"))
        .x_label_formatter(&|v| plain_in(lang, *v))
        .y_label_formatter(&|v| plain_in(lang, *v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (100.0, 100.0)],
            BLACK.mix(0.4).stroke_width(1),
        ))
        .map_err(err)?
        .label(lang.pick("Jämn fördelning", "Even spread"))
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.4).stroke_width(1))
        });
    let points: Vec<(f64, f64)> = c
        .points
        .iter()
        .filter_map(|(u, i)| Some((u.number()? * 100.0, i.number()? * 100.0)))
        .collect();
    if points.len() < c.points.len() {
        // Computed from counts that are hidden: the curve is not drawn.
        area.draw(&Text::new(
            "–",
            (SIZE.0 as i32 / 2, SIZE.1 as i32 / 2),
            (FONT, 20),
        ))
        .map_err(err)?;
        return Ok(());
    }
    chart
        .draw_series(LineSeries::new(points, PALETTE[5].stroke_width(3)))
        .map_err(err)?
        .label(lang.pick("Koncentrationskurva", "Concentration curve"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[5].stroke_width(3)));
    legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    Ok(())
}

/// Draws a funnel plot: rate against population (logarithmic), the reference rate as
/// a line, the 95 % and 99,8 % limits as curves; places outside the 95 % limits are
/// named.
pub fn funnel_chart(chart: &FunnelChart, lang: Lang) -> Result<Rendered, ChartError> {
    render(
        |a| draw_funnel(a, chart, lang),
        |a| draw_funnel(a, chart, lang),
    )
}

fn draw_funnel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &FunnelChart,
    lang: Lang,
) -> Result<(), ChartError> {
    let points: Vec<(&str, f64, f64, bool)> = c
        .points
        .iter()
        .filter_map(|(name, x, v, out)| {
            Some((name.as_str(), *x, v.number()?, out.number() == Some(1.0)))
        })
        .filter(|p| p.1 > 0.0)
        .collect();
    let limits: Vec<(f64, [f64; 4])> = c
        .limits
        .iter()
        .filter_map(|(x, ls)| {
            Some((
                *x,
                [
                    ls[0].number()?,
                    ls[1].number()?,
                    ls[2].number()?,
                    ls[3].number()?,
                ],
            ))
        })
        .collect();
    let reference = c.reference.1.number();
    let (x_min, x_max) = limits
        .iter()
        .map(|l| l.0)
        .chain(points.iter().map(|p| p.1))
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    let (x_min, x_max) = if x_min.is_finite() && x_max > x_min {
        (x_min, x_max)
    } else {
        (1.0, 10.0)
    };
    let top = points
        .iter()
        .map(|p| p.2)
        .chain(reference)
        .fold(0.0f64, f64::max)
        .max(limits.iter().map(|l| l.1[2]).fold(0.0, f64::max));
    let top = nice_top(top);
    let mut chart = ChartBuilder::on(area)
        .caption(&c.title, title_font(area, &c.title))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(72)
        .build_cartesian_2d((x_min..x_max).log_scale(), 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(&c.x_title)
        .y_desc(&c.y_title)
        .x_label_formatter(&|v| plain_in(lang, v.round()))
        .y_label_formatter(&|v| plain_in(lang, *v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .draw()
        .map_err(err)?;
    let clip = |v: f64| v.min(top);
    for (index, label, colour) in [
        (3usize, &c.limit_labels.1, BLACK.mix(0.6)),
        (2, &c.limit_labels.0, BLACK.mix(0.35)),
    ] {
        chart
            .draw_series(LineSeries::new(
                limits.iter().map(|(x, l)| (*x, clip(l[index]))),
                colour.stroke_width(2),
            ))
            .map_err(err)?
            .label(label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        chart
            .draw_series(LineSeries::new(
                limits.iter().map(|(x, l)| (*x, clip(l[3 - index]))),
                colour.stroke_width(2),
            ))
            .map_err(err)?;
    }
    if let Some(r) = reference {
        chart
            .draw_series(DashedLineSeries::new(
                [(x_min, r), (x_max, r)],
                6,
                4,
                PALETTE[5].stroke_width(2),
            ))
            .map_err(err)?
            .label(format!("{}: {}", c.reference.0, plain_in(lang, r)))
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[5].stroke_width(2))
            });
    }
    for (name, x, y, outside) in &points {
        let outside = *outside;
        let colour = if outside { PALETTE[5] } else { PALETTE[4] };
        chart
            .draw_series(std::iter::once(Circle::new(
                (*x, clip(*y)),
                5,
                colour.filled(),
            )))
            .map_err(err)?;
        if outside {
            // Names near the right edge are written to the left of their point.
            let right_half = x.ln() > (x_min.ln() + x_max.ln()) / 2.0;
            let anchor = if right_half { HPos::Right } else { HPos::Left };
            let style = TextStyle::from((FONT, 14).into_font()).pos(Pos::new(anchor, VPos::Bottom));
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(" {name} "),
                    (*x, clip(*y)),
                    style,
                )))
                .map_err(err)?;
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// Draws a map.
pub fn map_chart(chart: &MapChart, lang: Lang) -> Result<Rendered, ChartError> {
    render(|a| draw_map(a, chart, lang), |a| draw_map(a, chart, lang))
}

fn draw_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &MapChart,
    lang: Lang,
) -> Result<(), ChartError> {
    let outline = c.outline.iter().flatten();
    let xs = c
        .places
        .iter()
        .map(|p| p.1)
        .chain(c.cells.iter().map(|q| q.0))
        .chain(outline.clone().map(|p| p.0));
    let ys = c
        .places
        .iter()
        .map(|p| p.2)
        .chain(c.cells.iter().map(|q| q.1))
        .chain(outline.map(|p| p.1));
    let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let (y0, y1) = ys.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    if x0 > x1 {
        return Ok(());
    }
    // Equal scale on both axes, so distances are true; a 4 km margin.
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let aspect = f64::from(SIZE.0 - 200) / f64::from(SIZE.1 - 120);
    let half_h = ((y1 - y0) / 2.0).max((x1 - x0) / 2.0 / aspect) + 4_000.0;
    let half_w = half_h * aspect;
    let mut chart = ChartBuilder::on(area)
        .caption(&c.title, title_font(area, &c.title))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(cx - half_w..cx + half_w, cy - half_h..cy + half_h)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(lang.pick("Öst (m, SWEREF 99 TM)", "East (m, SWEREF 99 TM)"))
        .y_desc(lang.pick("Nord (m)", "North (m)"))
        .x_label_formatter(&|v| plain_in(lang, *v))
        .y_label_formatter(&|v| plain_in(lang, *v))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(err)?;
    for ring in &c.outline {
        chart
            .draw_series(std::iter::once(PathElement::new(
                ring.clone(),
                BLACK.mix(0.55).stroke_width(2),
            )))
            .map_err(err)?;
    }
    for &(x, y, side) in &c.cells {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x, y), (x + side, y + side)],
                PALETTE[5].filled(),
            )))
            .map_err(err)?;
        // A 250 m cell is a few pixels wide at municipality scale: ring it so it is seen.
        let centre = (x + side / 2.0, y + side / 2.0);
        chart
            .draw_series(std::iter::once(Circle::new(
                centre,
                7,
                PALETTE[5].stroke_width(2),
            )))
            .map_err(err)?;
    }
    let max = c
        .places
        .iter()
        .filter_map(|p| p.3.number())
        .fold(0.0f64, f64::max);
    for (name, x, y, value) in &c.places {
        let style = match value.number() {
            Some(v) => shade(if max > 0.0 { v / max } else { 0.0 }).filled(),
            None => BLACK.stroke_width(1),
        };
        chart
            .draw_series(std::iter::once(Circle::new((*x, *y), 9, style)))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (*x, *y),
                9,
                BLACK.stroke_width(1),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                name.clone(),
                (*x + 1_200.0, *y + 400.0),
                (FONT, 13),
            )))
            .map_err(err)?;
    }
    // Inside the map's empty top left corner, clear of the axis titles.
    area.draw(&Text::new(
        match lang {
            Lang::Sv => format!("{} (skalan uppe till höger)", c.legend),
            Lang::En => format!("{} (scale at the top right)", c.legend),
        },
        (110, 58),
        (FONT, 14),
    ))
    .map_err(err)?;
    area.draw(&Text::new(
        lang.pick(
            "Röda rutor: hot spots. Ihålig: ingen takt.",
            "Red cells: hot spots. Hollow: no rate.",
        )
        .to_owned(),
        (110, 78),
        (FONT, 14),
    ))
    .map_err(err)?;
    if max > 0.0 {
        map_scale(area, max, lang)?;
    }
    Ok(())
}

/// The map's colour scale at the top right: the ramp from 0 to the largest rate shown,
/// with five values along it.
fn map_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    max: f64,
    lang: Lang,
) -> Result<(), ChartError> {
    let (width, y) = (56, 60);
    let x0 = SIZE.0 as i32 - 20 - width * 5;
    for k in 0..5 {
        let t = f64::from(k) / 4.0;
        let x = x0 + width * k;
        area.draw(&Rectangle::new(
            [(x, y), (x + width - 4, y + 12)],
            shade(t).filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(plain_in(lang, max * t), (x, y + 14), (FONT, 12)))
            .map_err(err)?;
    }
    Ok(())
}

/// A light-to-dark blue ramp (readable in grey print as well).
fn shade(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(247, 8), mix(251, 48), mix(255, 107))
}

/// A round upper bound for an axis.
fn nice_top(max: f64) -> f64 {
    // A value that is not finite never reaches an axis (an infinite one would make
    // the axis endless).
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if max <= step * magnitude {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Public;

    fn v(x: f64) -> Published {
        Published::public_number(x, 1, Public::Label)
    }

    fn is_png(bytes: &[u8]) -> bool {
        bytes.starts_with(b"\x89PNG\r\n\x1a\n")
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_top(7.3), 10.0);
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(230.0), 250.0);
    }

    #[test]
    fn a_chart_of_one_bar_has_its_label_and_room_for_it() {
        let one = BarChart {
            title: "Per 1 000 invånare och plats".into(),
            value_title: "Per 1 000 invånare".into(),
            bars: vec![spec::Bar {
                label: "Gamleby".into(),
                value: v(0.5),
                interval: Some((v(0.45), v(0.56))),
            }],
            reference: Some(("Hela kommunen".into(), v(0.8))),
        };
        let rendered = bar_chart(&one, Lang::Sv).unwrap();
        assert!(rendered.svg.contains("Gamleby"), "the bar's label is drawn");
        // The bar starts below the title (the plot begins about 46 px down).
        let bar_top = rendered
            .svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#"))
            .filter_map(|l| {
                l.split(" y=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
            .filter(|y| *y > 0.0)
            .fold(f64::INFINITY, f64::min);
        assert!(
            bar_top > 46.0,
            "a bar reaches into the title: y = {bar_top}"
        );
    }

    #[test]
    fn charts_render_to_svg_and_png_with_swedish_text_and_identical_bytes() {
        let line = LineChart {
            title: "Bränder i Karstorp – åäö ÅÄÖ".into(),
            x_title: "År".into(),
            y_title: "Antal per 1 000 invånare".into(),
            periods: vec!["2024".into(), "2025".into(), "2026".into()],
            series: vec![
                (
                    "Karstorp".into(),
                    vec![v(4.0), v(7.5), Published::unavailable("<3")],
                ),
                ("Västervik".into(), vec![v(1.0), v(1.2), v(1.1)]),
            ],
        };
        let bars = BarChart {
            title: "Otrygga ute sent en kväll".into(),
            value_title: "Andel (%)".into(),
            bars: vec![
                spec::Bar {
                    label: "Edsbruk".into(),
                    value: v(40.0),
                    interval: Some((v(28.0), v(53.0))),
                },
                spec::Bar {
                    label: "Odensvi".into(),
                    value: Published::unavailable("för få svar"),
                    interval: None,
                },
            ],
            reference: None,
        };
        let heat = Heatmap {
            title: "Händelser per veckodag och timme".into(),
            rows: [
                "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
            ]
            .map(String::from)
            .to_vec(),
            values: (0..7)
                .map(|d| (0..24).map(|h| v((d * 24 + h) as f64)).collect())
                .collect(),
            legend: "Antal (aoristiskt)".into(),
            x_title: "Timme".into(),
        };
        for rendered in [
            line_chart(&line, Lang::Sv).unwrap(),
            bar_chart(&bars, Lang::Sv).unwrap(),
            heatmap(&heat, Lang::Sv).unwrap(),
        ] {
            assert!(
                rendered.svg.starts_with("<svg") && rendered.svg.trim_end().ends_with("</svg>")
            );
            assert!(is_png(&rendered.png));
        }
        let a = line_chart(&line, Lang::Sv).unwrap();
        assert!(a.svg.contains("Bränder i Karstorp – åäö ÅÄÖ"));
        assert!(a.svg.contains("Antal per 1 000 invånare"));
        assert_eq!(
            a,
            line_chart(&line, Lang::Sv).unwrap(),
            "same data, same bytes"
        );
        assert!(bar_chart(&bars, Lang::Sv)
            .unwrap()
            .svg
            .contains("för få svar"));
    }
}
