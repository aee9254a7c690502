//! A horizontal bar chart of welfare changes by country (GE results).

use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::Chart;

/// Welfare change (%) per labelled country, drawn as horizontal bars, gains blue and losses red.
pub struct WelfareChart {
    /// Title line.
    pub title: String,
    /// (label, welfare change in percent), drawn top to bottom in this order.
    pub bars: Vec<(String, f64)>,
    /// Up to two lines (split at `\n`) under the chart: the scenario, the source and the date.
    pub footer: String,
    /// Error bars, one (5th percentile, median, 95th percentile) per bar in the same order (a
    /// line with end caps and a dot at the median); empty: none.
    pub errors: Vec<(f64, f64, f64)>,
}

/// Height of the footer strip, pixels: two lines of 13-pixel text.
const FOOTER_PX: u32 = 40;

impl WelfareChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (_, height) = root.dim_in_pixel();
        let (plot, foot) = root.split_vertically(height.saturating_sub(FOOTER_PX));
        let root = &plot;
        for (line, text) in self.footer.lines().take(2).enumerate() {
            foot.draw_text(
                text,
                &("sans-serif", 13).into_font().color(&BLACK),
                (16, 2 + 18 * line as i32),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let ends = self.errors.iter().flat_map(|e| [e.0, e.2]);
        let values = self
            .bars
            .iter()
            .map(|b| b.1)
            .chain(ends.filter(|v| v.is_finite()));
        let lo = values.clone().fold(0.0f64, f64::min);
        let hi = values.fold(0.0f64, f64::max);
        let pad = 0.15 * (hi - lo).max(0.5);
        let n = self.bars.len() as i32;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(190)
            .build_cartesian_2d((lo - pad)..(hi + pad), -0.5f64..(n as f64 - 0.5))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
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
                if (0..n).contains(&idx) {
                    labels[idx as usize].clone()
                } else {
                    String::new()
                }
            })
            .x_desc("welfare change, %")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .draw_series(self.bars.iter().enumerate().map(|(pos, (_, value))| {
                let y = (n - 1 - pos as i32) as f64;
                let color = if *value >= 0.0 {
                    RGBColor(44, 110, 180)
                } else {
                    RGBColor(200, 60, 50)
                };
                Rectangle::new(
                    [(0.0, y - 0.35), (*value, y + 0.35)],
                    color.mix(0.85).filled(),
                )
            }))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.stroke_width(1),
            )))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .draw_series(self.error_bars(n))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
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
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .draw_series(self.bars.iter().enumerate().map(|(pos, (_, value))| {
                let y = (n - 1 - pos as i32) as f64;
                let offset = if *value >= 0.0 { 8 } else { -48 };
                // With error bars, the label goes past the band's end on the bar's side.
                let anchor = match self.errors.get(pos) {
                    Some(&(_, _, p95)) if *value >= 0.0 && p95.is_finite() => p95.max(*value),
                    Some(&(p05, _, _)) if *value < 0.0 && p05.is_finite() => p05.min(*value),
                    _ => *value,
                };
                // A loss that rounds to zero prints +0.00, never -0.00.
                let shown = if value.abs() < 0.005 { 0.0 } else { *value };
                EmptyElement::at((anchor, y))
                    + Text::new(
                        format!("{shown:+.2}"),
                        (offset, -7),
                        ("sans-serif", 12).into_font(),
                    )
            }))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    }
}

impl WelfareChart {
    /// Each bar's 90 % band as a horizontal line with end caps.
    fn error_bars(&self, n: i32) -> Vec<PathElement<(f64, f64)>> {
        let mut out = Vec::new();
        for (pos, &(p05, _, p95)) in self.errors.iter().enumerate() {
            if !(p05.is_finite() && p95.is_finite()) {
                continue;
            }
            let y = (n - 1 - pos as i32) as f64;
            let style = BLACK.stroke_width(1);
            out.push(PathElement::new(vec![(p05, y), (p95, y)], style));
            for x in [p05, p95] {
                out.push(PathElement::new(vec![(x, y - 0.2), (x, y + 0.2)], style));
            }
        }
        out
    }
}

impl Chart for WelfareChart {
    fn size(&self) -> (u32, u32) {
        (900, 120 + FOOTER_PX + 24 * self.bars.len() as u32)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
    fn draw_png(&self, root: &DrawingArea<BitMapBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
}
