//! The chart of the average US tariff over time (`reciprocity timeline --chart`, the report):
//! our step series with the major events and the peer's daily series.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use reciprocity_policy::effective::TimelinePoint;
use reciprocity_service::policy::TariffTimeline;
use reciprocity_service::timeline::footer;

use crate::chart::{text_width, Caption, Chart};

/// The average US tariff over time, with events and the peer's series.
pub struct TimelineChart {
    /// Our step series: (date, total or additional percent).
    pub ours: Vec<(NaiveDate, f64)>,
    /// The peer's daily series, when available.
    pub peer: Vec<(NaiveDate, f64)>,
    /// Events to mark: (date, label).
    pub events: Vec<(NaiveDate, String)>,
    /// Last day drawn.
    pub to: NaiveDate,
    /// Whether the series include the 2024 base (total) or only the additional duty.
    pub total: bool,
    /// Along the bottom: the scenario, the source and the date.
    pub caption: Caption,
}

fn draw_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the timeline chart: {e:?}")
}

impl TimelineChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let body = self.caption.draw_below(root)?;
        let from = self.ours.first().map(|p| p.0).unwrap_or(self.to);
        // Days since `from` on the x axis (plotters' date axis needs a feature the workspace lacks).
        let x = |d: NaiveDate| (d - from).num_days() as f64;
        let ymax = self
            .ours
            .iter()
            .chain(self.peer.iter())
            .map(|p| p.1)
            .fold(5.0f64, f64::max)
            * 1.15;
        let title = if self.total {
            "Average US tariff on imports (2024 import weights), percent"
        } else {
            "Average additional US tariff on imports (2024 import weights), percent"
        };
        let mut chart = ChartBuilder::on(&body)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            // Half of the last date label sits right of the axis's end.
            .margin_right(48)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..x(self.to).max(1.0), 0.0..ymax)
            .map_err(draw_err)?;
        let label = |v: &f64| {
            (from + chrono::Duration::days(v.round() as i64))
                .format("%Y-%m-%d")
                .to_string()
        };
        chart
            .configure_mesh()
            .x_labels(10)
            .x_label_formatter(&label)
            .y_desc("percent")
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_err)?;
        // Step series: hold each value until the next point.
        let mut steps = Vec::new();
        for (i, (d, v)) in self.ours.iter().enumerate() {
            if i > 0 {
                steps.push((x(*d), self.ours[i - 1].1));
            }
            steps.push((x(*d), *v));
        }
        if let Some((_, v)) = self.ours.last() {
            steps.push((x(self.to), *v));
        }
        let ours_color = RGBColor(190, 30, 45);
        let peer_color = RGBColor(33, 102, 172);
        // An event's label reads rightwards from its line, or leftwards when it would run past
        // the end of the axis.
        let right_end = chart.backend_coord(&(x(self.to).max(1.0), 0.0)).0;
        for (i, (d, label)) in self.events.iter().enumerate() {
            if *d < from || *d > self.to {
                continue;
            }
            chart
                .draw_series(LineSeries::new(
                    [(x(*d), 0.0), (x(*d), ymax)],
                    RGBColor(200, 200, 200),
                ))
                .map_err(draw_err)?;
            let y = ymax * (0.97 - 0.055 * (i % 6) as f64);
            let text = format!(" {label} ");
            let fits =
                chart.backend_coord(&(x(*d), y)).0 + text_width(&text, 12.0) as i32 <= right_end;
            let anchor = match fits {
                true => Pos::new(HPos::Left, VPos::Top),
                false => Pos::new(HPos::Right, VPos::Top),
            };
            let style = TextStyle::from(("sans-serif", 12).into_font())
                .color(&RGBColor(90, 90, 90))
                .pos(anchor);
            chart
                .draw_series([Text::new(text, (x(*d), y), style)])
                .map_err(draw_err)?;
        }
        if !self.peer.is_empty() {
            chart
                .draw_series(LineSeries::new(
                    self.peer.iter().map(|(d, v)| (x(*d), *v)),
                    peer_color.stroke_width(2),
                ))
                .map_err(draw_err)?
                .label("peer estimate (TWT, daily)")
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], peer_color.stroke_width(2))
                });
        }
        chart
            .draw_series(LineSeries::new(steps, ours_color.stroke_width(3)))
            .map_err(draw_err)?
            .label("Reciprocity registry")
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 20, y)], ours_color.stroke_width(3))
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(draw_err)?;
        Ok(())
    }
}

impl Chart for TimelineChart {
    fn size(&self) -> (u32, u32) {
        (1400, 670 + self.caption.height(1400))
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

// ------------------------------------------------------------------ the command

/// The chart of `points` (total rates when the base is known, else the additional ones), with the
/// peer's daily total from `peer_from` to `to` (only when totals are drawn) and the major events.
pub fn chart(
    loaded: &TariffTimeline,
    points: &[TimelinePoint],
    peer: &BTreeMap<NaiveDate, f64>,
    peer_from: NaiveDate,
    to: NaiveDate,
) -> TimelineChart {
    let total = points.first().and_then(|p| p.base_pct).is_some();
    let peer: Vec<(NaiveDate, f64)> = match total {
        true => peer
            .iter()
            .filter(|(d, _)| **d >= peer_from && **d <= to)
            .map(|(d, v)| (*d, *v))
            .collect(),
        false => Vec::new(),
    };
    TimelineChart {
        ours: points
            .iter()
            .map(|p| {
                (
                    p.date,
                    if total {
                        p.base_pct.unwrap_or(0.0) + p.additional_pct
                    } else {
                        p.additional_pct
                    },
                )
            })
            .collect(),
        caption: caption(loaded, points, !peer.is_empty(), to, total),
        peer,
        events: loaded
            .registry
            .events
            .iter()
            .filter(|e| e.major)
            .map(|e| (e.date, e.label.clone()))
            .collect(),
        to,
        total,
    }
}

/// The timeline's caption: the days drawn, the registry and weights, the registry's cut-off.
fn caption(
    loaded: &TariffTimeline,
    points: &[TimelinePoint],
    with_peer: bool,
    to: NaiveDate,
    total: bool,
) -> Caption {
    let from = points.first().map_or(to, |p| p.date);
    let peer = match with_peer {
        true => " Peer: the daily series of tariffs_hs2/daily-tariff-latest-data.csv".to_string(),
        false => String::new(),
    };
    Caption {
        scenario: format!(
            "the US tariff measures in force each day from {from} to {to}, {}, on 2024 imports (no change in what is bought)",
            match total {
                true => "on top of the 2024 applied base",
                false => "the additional duty only",
            }
        ),
        source: format!("{}{peer}", footer(loaded)),
        date: format!(
            "the registry's measures announced up to {}; drawn to {to}",
            reciprocity_policy::product::cutoff(&loaded.registry)
        ),
    }
}
