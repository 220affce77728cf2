//! Chart specifications: what a chart shows, as data. `render::charts` draws them.
//! Every value is a `V`: a draft value before disclosure control, a
//! [`Published`](crate::analysis::disclosure::gate::Published) after, so a chart can
//! only draw what passed the gate.

/// A chart of one of the kinds the report uses.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSpec<V> {
    /// Lines over periods.
    Line(LineChart<V>),
    /// Horizontal bars.
    Bar(BarChart<V>),
    /// Weekday × hour.
    Heat(Heatmap<V>),
    /// Concentration curve.
    Lorenz(LorenzChart<V>),
    /// Places and hot-spot cells on a map.
    Map(MapChart<V>),
    /// Rates against population with control limits around a reference rate.
    Funnel(FunnelChart<V>),
}

/// A line chart over categorical periods, one line per series.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart<V> {
    /// Title.
    pub title: String,
    /// X-axis title.
    pub x_title: String,
    /// Y-axis title with unit.
    pub y_title: String,
    /// Period labels along the x axis.
    pub periods: Vec<String>,
    /// (name, one value per period); a value not shown breaks the line.
    pub series: Vec<(String, Vec<V>)>,
}

/// Horizontal bars, one per category, with an optional interval.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart<V> {
    /// Title.
    pub title: String,
    /// Value-axis title with unit.
    pub value_title: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar<V>>,
    /// A reference value drawn as a line across the bars (the municipality's rate or
    /// share), with its label.
    pub reference: Option<(String, V)>,
}

/// One bar; a value not shown is drawn as its mark ("<3", "för få svar").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar<V> {
    /// Category label.
    pub label: String,
    /// Value.
    pub value: V,
    /// Confidence interval, if any.
    pub interval: Option<(V, V)>,
}

/// A weekday × hour heat map (7 rows, Monday first; 24 columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap<V> {
    /// Title.
    pub title: String,
    /// Row labels (weekday names).
    pub rows: Vec<String>,
    /// Values, row by row, 24 per row.
    pub values: Vec<Vec<V>>,
    /// Legend title with unit.
    pub legend: String,
    /// X-axis title.
    pub x_title: String,
}

/// A Lorenz (concentration) curve: share of units against share of incidents.
#[derive(Debug, Clone, PartialEq)]
pub struct LorenzChart<V> {
    /// Title.
    pub title: String,
    /// What the units are, for the x-axis title ("platserna").
    pub units: String,
    /// Points (share of units, share of incidents), from (0, 0) to (1, 1).
    pub points: Vec<(V, V)>,
}

/// A map in SWEREF 99 TM: places as circles shaded by a value, grid cells as squares.
#[derive(Debug, Clone, PartialEq)]
pub struct MapChart<V> {
    /// Title.
    pub title: String,
    /// Legend title with unit.
    pub legend: String,
    /// (name, easting, northing, value); a value not shown is drawn hollow.
    pub places: Vec<(String, f64, f64, V)>,
    /// (south-west easting, northing, side in metres) of cells to mark.
    pub cells: Vec<(f64, f64, f64)>,
    /// The municipality's outline: rings of (easting, northing), public geography.
    pub outline: Vec<Vec<(f64, f64)>>,
}

/// A funnel plot: each place's rate against its population, with the 95 % and 99,8 %
/// limits within which a place with the reference rate would fall by chance.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelChart<V> {
    /// Title.
    pub title: String,
    /// X-axis title (population).
    pub x_title: String,
    /// Y-axis title with unit.
    pub y_title: String,
    /// The reference rate (the whole municipality), with its label.
    pub reference: (String, V),
    /// (place, population, rate, 1 when outside the 95 % limits by the exact test else
    /// 0 – a value like any other, since it is worked out from the place's count and
    /// the municipality's).
    pub points: Vec<(String, f64, V, V)>,
    /// (population, [99,8 % low, 95 % low, 95 % high, 99,8 % high]) along the x axis.
    pub limits: Vec<(f64, [V; 4])>,
    /// Legend labels of the 95 % and the 99,8 % limits.
    pub limit_labels: (String, String),
}

impl<V> ChartSpec<V> {
    /// The same chart with every label (titles, axis titles, periods, series, bars,
    /// rows, places, legends) passed through `f`.
    pub fn map_labels(self, f: &mut impl FnMut(String) -> String) -> ChartSpec<V> {
        match self {
            ChartSpec::Line(c) => ChartSpec::Line(LineChart {
                title: f(c.title),
                x_title: f(c.x_title),
                y_title: f(c.y_title),
                periods: c.periods.into_iter().map(&mut *f).collect(),
                series: c
                    .series
                    .into_iter()
                    .map(|(name, values)| (f(name), values))
                    .collect(),
            }),
            ChartSpec::Bar(c) => ChartSpec::Bar(BarChart {
                title: f(c.title),
                value_title: f(c.value_title),
                bars: c
                    .bars
                    .into_iter()
                    .map(|b| Bar {
                        label: f(b.label),
                        ..b
                    })
                    .collect(),
                reference: c.reference.map(|(label, v)| (f(label), v)),
            }),
            ChartSpec::Funnel(c) => ChartSpec::Funnel(FunnelChart {
                title: f(c.title),
                x_title: f(c.x_title),
                y_title: f(c.y_title),
                reference: (f(c.reference.0), c.reference.1),
                points: c
                    .points
                    .into_iter()
                    .map(|(n, x, v, out)| (f(n), x, v, out))
                    .collect(),
                limits: c.limits,
                limit_labels: (f(c.limit_labels.0), f(c.limit_labels.1)),
            }),
            ChartSpec::Heat(c) => ChartSpec::Heat(Heatmap {
                title: f(c.title),
                rows: c.rows.into_iter().map(&mut *f).collect(),
                values: c.values,
                legend: f(c.legend),
                x_title: f(c.x_title),
            }),
            ChartSpec::Lorenz(c) => ChartSpec::Lorenz(LorenzChart {
                title: f(c.title),
                units: f(c.units),
                points: c.points,
            }),
            ChartSpec::Map(c) => ChartSpec::Map(MapChart {
                title: f(c.title),
                legend: f(c.legend),
                places: c
                    .places
                    .into_iter()
                    .map(|(n, x, y, v)| (f(n), x, y, v))
                    .collect(),
                cells: c.cells,
                outline: c.outline,
            }),
        }
    }

    /// The same chart with every value passed through `f`.
    pub fn map<W>(self, f: &mut impl FnMut(V) -> W) -> ChartSpec<W> {
        match self {
            ChartSpec::Line(c) => ChartSpec::Line(LineChart {
                title: c.title,
                x_title: c.x_title,
                y_title: c.y_title,
                periods: c.periods,
                series: c
                    .series
                    .into_iter()
                    .map(|(name, values)| (name, values.into_iter().map(&mut *f).collect()))
                    .collect(),
            }),
            ChartSpec::Bar(c) => ChartSpec::Bar(BarChart {
                title: c.title,
                value_title: c.value_title,
                bars: c
                    .bars
                    .into_iter()
                    .map(|b| Bar {
                        label: b.label,
                        value: f(b.value),
                        interval: b.interval.map(|(lo, hi)| (f(lo), f(hi))),
                    })
                    .collect(),
                reference: c.reference.map(|(label, v)| (label, f(v))),
            }),
            ChartSpec::Funnel(c) => ChartSpec::Funnel(FunnelChart {
                title: c.title,
                x_title: c.x_title,
                y_title: c.y_title,
                reference: (c.reference.0, f(c.reference.1)),
                points: c
                    .points
                    .into_iter()
                    .map(|(n, x, v, out)| (n, x, f(v), f(out)))
                    .collect(),
                limits: c
                    .limits
                    .into_iter()
                    .map(|(x, ls)| (x, ls.map(&mut *f)))
                    .collect(),
                limit_labels: c.limit_labels,
            }),
            ChartSpec::Heat(c) => ChartSpec::Heat(Heatmap {
                title: c.title,
                rows: c.rows,
                values: c
                    .values
                    .into_iter()
                    .map(|row| row.into_iter().map(&mut *f).collect())
                    .collect(),
                legend: c.legend,
                x_title: c.x_title,
            }),
            ChartSpec::Lorenz(c) => ChartSpec::Lorenz(LorenzChart {
                title: c.title,
                units: c.units,
                points: c.points.into_iter().map(|(x, y)| (f(x), f(y))).collect(),
            }),
            ChartSpec::Map(c) => ChartSpec::Map(MapChart {
                title: c.title,
                legend: c.legend,
                places: c
                    .places
                    .into_iter()
                    .map(|(n, x, y, v)| (n, x, y, f(v)))
                    .collect(),
                cells: c.cells,
                outline: c.outline,
            }),
        }
    }
}
