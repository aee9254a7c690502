//! The chart of deals over time: frameworks reached in the simulated round against the first
//! deals of the real 2025 sequence, day by day from the start of the pause.

use chrono::NaiveDate;
use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{Caption, Chart};

/// Cumulative deals by day: the simulated ones, and the real ones.
pub struct DealsChart {
    /// Title.
    pub title: String,
    /// Day 0.
    pub start: NaiveDate,
    /// Days shown (the pause length).
    pub days: u32,
    /// Simulated cumulative frameworks at the end of each day 0..=days.
    pub simulated: Vec<u32>,
    /// Days (from the start) of the real first deals inside the window.
    pub real_days: Vec<u32>,
    /// Along the bottom: the scenario, the source and the date.
    pub caption: Caption,
}

fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the deals chart: {e}")
}

impl DealsChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let body = self.caption.draw_below(root)?;
        let mut real = vec![0u32; self.days as usize + 1];
        for d in &self.real_days {
            for v in real.iter_mut().skip(*d as usize) {
                *v += 1;
            }
        }
        let ymax = self
            .simulated
            .iter()
            .chain(real.iter())
            .copied()
            .max()
            .unwrap_or(0)
            .max(1) as f64
            * 1.1;
        let start = self.start;
        let label = move |v: &f64| {
            (start + chrono::Duration::days(v.round() as i64))
                .format("%b %d")
                .to_string()
        };
        let mut chart = ChartBuilder::on(&body)
            .caption(&self.title, ("sans-serif", 22))
            .margin(16)
            // Half of the last date label sits right of the axis's end.
            .margin_right(40)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..f64::from(self.days), 0.0..ymax)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(10)
            .x_label_formatter(&label)
            .y_desc("deals reached (cumulative)")
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let steps = |v: &[u32]| -> Vec<(f64, f64)> {
            let mut out = Vec::new();
            for (d, y) in v.iter().enumerate() {
                if d > 0 {
                    out.push((d as f64, f64::from(v[d - 1])));
                }
                out.push((d as f64, f64::from(*y)));
            }
            out
        };
        let sim_color = RGBColor(190, 30, 45);
        let real_color = RGBColor(33, 102, 172);
        chart
            .draw_series(LineSeries::new(
                steps(&self.simulated),
                sim_color.stroke_width(3),
            ))
            .map_err(err)?
            .label("simulated frameworks")
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 20, y)], sim_color.stroke_width(3))
            });
        chart
            .draw_series(LineSeries::new(steps(&real), real_color.stroke_width(3)))
            .map_err(err)?
            .label("2025: first deal per partner (embedded events)")
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 20, y)], real_color.stroke_width(3))
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

impl Chart for DealsChart {
    fn size(&self) -> (u32, u32) {
        (1100, 530 + self.caption.height(1100))
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
