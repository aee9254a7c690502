//! A horizontal bar chart of welfare changes (GE results): by country in the report's GE section,
//! by case in its strategy section. The caller orders the bars (the GE section ranks them).

use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{text_width, Caption, Chart, ERROR_BAR};

/// Welfare change (%) per labelled bar, drawn as horizontal bars, gains blue and losses red.
pub struct WelfareChart {
    /// Title line.
    pub title: String,
    /// (label, welfare change in percent), drawn top to bottom in this order.
    pub bars: Vec<(String, f64)>,
    /// Along the bottom: the scenario, the source and the date.
    pub caption: Caption,
    /// Error bars, one (5th percentile, median, 95th percentile) per bar in the same order (a
    /// line with end caps and a dot at the median); empty: none; NaN: none for that bar.
    pub errors: Vec<(f64, f64, f64)>,
}

const WIDTH: u32 = 900;
/// Text size of the bar labels and of the values.
const LABEL: f64 = 14.0;
const VALUE: f64 = 12.0;
fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the welfare chart: {e:?}")
}

impl WelfareChart {
    /// The x range: every bar and band end, zero, and room for the value labels.
    fn x_range(&self) -> std::ops::Range<f64> {
        let ends = self.errors.iter().flat_map(|e| [e.0, e.2]);
        let values = self
            .bars
            .iter()
            .map(|b| b.1)
            .chain(ends.filter(|v| v.is_finite()));
        let lo = values.clone().fold(0.0f64, f64::min);
        let hi = values.fold(0.0f64, f64::max);
        let pad = 0.15 * (hi - lo).max(0.5);
        (lo - pad)..(hi + pad)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let body = self.caption.draw_below(root)?;
        let n = self.bars.len() as i32;
        // The label area fits the longest label (country names are long).
        let label_w = self
            .bars
            .iter()
            .map(|b| text_width(&b.0, LABEL))
            .max()
            .unwrap_or(0)
            .max(40)
            + 14;
        let mut chart = ChartBuilder::on(&body)
            .caption(&self.title, ("sans-serif", 22))
            .margin(16)
            .margin_right(28)
            .x_label_area_size(40)
            .y_label_area_size(label_w)
            .build_cartesian_2d(self.x_range(), -0.5f64..(n as f64 - 0.5))
            .map_err(err)?;
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(self.bars.len())
            .y_label_formatter(&|y: &f64| {
                if (y - y.round()).abs() > 1e-6 {
                    return String::new();
                }
                let idx = n - 1 - y.round() as i32;
                match (0..n).contains(&idx) {
                    true => labels[idx as usize].clone(),
                    false => String::new(),
                }
            })
            .x_desc("welfare change, %")
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(self.bars.iter().enumerate().map(|(pos, (_, value))| {
                let y = (n - 1 - pos as i32) as f64;
                let color = match *value >= 0.0 {
                    true => RGBColor(44, 110, 180),
                    false => RGBColor(200, 60, 50),
                };
                Rectangle::new(
                    [(0.0, y - 0.35), (*value, y + 0.35)],
                    color.mix(0.85).filled(),
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.stroke_width(1),
            )))
            .map_err(err)?;
        chart.draw_series(self.error_bars(n)).map_err(err)?;
        chart
            .draw_series(
                self.errors
                    .iter()
                    .enumerate()
                    .filter(|e| e.1 .1.is_finite())
                    .map(|(pos, &(_, median, _))| {
                        let y = (n - 1 - pos as i32) as f64;
                        Circle::new((median, y), 3, BLACK.filled())
                    }),
            )
            .map_err(err)?;
        self.value_labels(&mut chart, n)
    }

    /// Each bar's 90 % band as one line with end caps, in [`ERROR_BAR`].
    fn error_bars(&self, n: i32) -> Vec<PathElement<(f64, f64)>> {
        let mut out = Vec::new();
        for (pos, &(p05, _, p95)) in self.errors.iter().enumerate() {
            if !(p05.is_finite() && p95.is_finite()) {
                continue;
            }
            let y = (n - 1 - pos as i32) as f64;
            let (lo, hi) = (y - 0.2, y + 0.2);
            let path = vec![
                (p05, lo),
                (p05, hi),
                (p05, y),
                (p95, y),
                (p95, hi),
                (p95, lo),
            ];
            out.push(PathElement::new(path, ERROR_BAR.stroke_width(1)));
        }
        out
    }

    /// Each bar's value, past the end of the bar (or of its band) on the bar's side.
    fn value_labels<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        n: i32,
    ) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        chart
            .draw_series(self.bars.iter().enumerate().map(|(pos, (_, value))| {
                let y = (n - 1 - pos as i32) as f64;
                let anchor = match self.errors.get(pos) {
                    Some(&(_, _, p95)) if *value >= 0.0 && p95.is_finite() => p95.max(*value),
                    Some(&(p05, _, _)) if *value < 0.0 && p05.is_finite() => p05.min(*value),
                    _ => *value,
                };
                // A loss that rounds to zero prints +0.00, never -0.00.
                let shown = if value.abs() < 0.005 { 0.0 } else { *value };
                let text = format!("{shown:+.2}");
                let offset = match *value >= 0.0 {
                    true => 6,
                    false => -(text_width(&text, VALUE) as i32) - 6,
                };
                EmptyElement::at((anchor, y))
                    + Text::new(text, (offset, -7), ("sans-serif", VALUE).into_font())
            }))
            .map_err(err)?;
        Ok(())
    }
}

/// The chart's plotting context.
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl Chart for WelfareChart {
    fn size(&self) -> (u32, u32) {
        (
            WIDTH,
            110 + 24 * self.bars.len() as u32 + self.caption.height(WIDTH),
        )
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
    fn draw_png(&self, root: &DrawingArea<BitMapBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
    fn caption(&self) -> Option<&Caption> {
        Some(&self.caption)
    }
}
