//! The tariff-gap chart: for the largest US suppliers, the April 2, 2025 formula ("tariff charged to
//! the USA" and the "discounted reciprocal tariff") next to the tariffs partners really apply to US
//! goods. Both panels use the same number of pixels per percentage point, so bar lengths compare.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use reciprocity_data::partner_tariffs::{self, PartnerHeadline};
use reciprocity_model::formula::FormulaParams;
use reciprocity_service::formula::{table, Partners};

use super::{font, text_width, Caption, Chart};

/// One partner of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    /// The label on the left ("China").
    pub label: String,
    /// US imports 2024, USD (shown next to the label).
    pub imports_usd: f64,
    /// The formula's "tariff charged to the USA", percent.
    pub charged_pct: f64,
    /// The formula's reciprocal tariff, percent.
    pub reciprocal_pct: f64,
    /// The partner's applied tariff on US goods, simple average (value, year).
    pub simple_on_us: Option<(f64, i32)>,
    /// The partner's applied tariff, trade-weighted over all origins (value, year).
    pub weighted_all: Option<(f64, i32)>,
}

/// The whole chart.
#[derive(Debug, Clone)]
pub struct GapChart {
    /// Rows, top to bottom.
    pub rows: Vec<GapRow>,
    /// The line under the title (the selection).
    pub subtitle: String,
    /// The caption along the bottom: the formula's parameters, the sources, the dates.
    pub caption: Caption,
}

const ROW_H: u32 = 34;
const WIDTH: u32 = 1500;
const HEADER: u32 = 74;
const PANEL_HEAD: u32 = 72;
const AXIS: u32 = 44;
const MARGIN: u32 = 24;

const CHARGED: RGBColor = RGBColor(244, 165, 150);
const RECIPROCAL: RGBColor = RGBColor(190, 30, 45);
const SIMPLE: RGBColor = RGBColor(33, 102, 172);
const WEIGHTED: RGBColor = RGBColor(146, 197, 222);
const SHADE: RGBColor = RGBColor(243, 243, 243);
const GREY: RGBColor = RGBColor(110, 110, 110);

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the chart: {e:?}")
}

fn value_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The usual year of the partner figures; other years are printed next to the value.
const USUAL_YEAR: i32 = 2022;

impl GapChart {
    fn label_texts(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| format!("{}  ${:.0}bn", r.label, r.imports_usd / 1e9))
            .collect()
    }

    /// Right end of each panel's axis, in percent.
    fn x_max(&self) -> (f64, f64) {
        let formula = self
            .rows
            .iter()
            .map(|r| r.charged_pct.max(r.reciprocal_pct))
            .fold(0.0, f64::max);
        let real = self
            .rows
            .iter()
            .flat_map(|r| [r.simple_on_us.map(|v| v.0), r.weighted_all.map(|v| v.0)])
            .flatten()
            .fold(0.0, f64::max);
        // Room for the value labels after the longest bar.
        let up = |v: f64| ((v + 12.0) / 10.0).ceil() * 10.0;
        (up(formula).max(50.0), up(real).max(30.0))
    }

    fn layout(&self) -> Layout {
        let n = self.rows.len() as u32;
        let label_w = self
            .label_texts()
            .iter()
            .map(|s| text_width(s, 14.0))
            .max()
            .unwrap_or(100)
            + 16;
        let (x1, x2) = self.x_max();
        // Same pixels per percentage point in both panels.
        let gap = 40;
        let avail = WIDTH - 2 * MARGIN - label_w - gap;
        let ppp = avail as f64 / (x1 + x2);
        let w1 = (ppp * x1).round() as u32;
        let w2 = avail - w1;
        let plot_top = HEADER + PANEL_HEAD;
        let plot_h = n * ROW_H;
        let height = plot_top + plot_h + AXIS + 10 + self.caption.height(WIDTH);
        Layout {
            label_w,
            x1,
            x2,
            w1,
            w2,
            gap,
            plot_top,
            plot_h,
            height,
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let l = self.layout();
        let n = self.rows.len();
        let root = &self.caption.draw_below(root)?;
        root.draw(&Text::new(
            "The tariff gap: the April 2, 2025 formula vs the tariffs partners apply to US goods",
            (MARGIN as i32, 14),
            top_left(22.0),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            self.subtitle.clone(),
            (MARGIN as i32, 46),
            top_left(14.0).color(&GREY),
        ))
        .map_err(err)?;

        let p1_left = MARGIN + l.label_w;
        let p2_left = p1_left + l.w1 + l.gap;
        // Alternate row shading across both panels, so a row can be followed from label to bars.
        for i in (0..n).step_by(2) {
            let y0 = (l.plot_top + i as u32 * ROW_H) as i32;
            root.draw(&Rectangle::new(
                [
                    (MARGIN as i32, y0),
                    ((p2_left + l.w2) as i32, y0 + ROW_H as i32),
                ],
                SHADE.filled(),
            ))
            .map_err(err)?;
        }
        let panels = [
            Panel {
                x0: p1_left,
                width: l.w1,
                xmax: l.x1,
                caption: "What the formula says (percent)",
                legend: [
                    ("Tariff charged to the USA (formula)", CHARGED),
                    ("US reciprocal tariff (formula)", RECIPROCAL),
                ],
            },
            Panel {
                x0: p2_left,
                width: l.w2,
                xmax: l.x2,
                caption: "What partners apply (percent)",
                legend: [
                    ("Applied on US goods, simple avg (WITS)", SIMPLE),
                    ("Applied, trade-weighted, all origins (WDI)", WEIGHTED),
                ],
            },
        ];
        for (index, panel) in panels.iter().enumerate() {
            self.draw_panel(root, &l, index, panel)?;
        }
        Ok(())
    }

    /// One panel: caption, legend, axis, and a pair of bars per row (the left panel also draws
    /// the row labels).
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        l: &Layout,
        index: usize,
        panel: &Panel,
    ) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let (n, xmax) = (self.rows.len(), panel.xmax);
        root.draw(&Text::new(
            panel.caption,
            (panel.x0 as i32, (HEADER + 2) as i32),
            top_left(16.0),
        ))
        .map_err(err)?;
        // Legend: one swatch and text per series, one line each, under the caption (the right
        // panel is too narrow for both on one line).
        let lx = panel.x0 as i32;
        for (k, (name, color)) in panel.legend.iter().enumerate() {
            let ly = (HEADER + 26 + 20 * k as u32) as i32;
            root.draw(&Rectangle::new(
                [(lx, ly + 2), (lx + 14, ly + 14)],
                color.filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(*name, (lx + 19, ly), top_left(13.0)))
                .map_err(err)?;
        }
        let area = root
            .clone()
            .shrink((panel.x0, l.plot_top), (panel.width, l.plot_h + AXIS));
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(AXIS)
            .build_cartesian_2d(0f64..xmax, 0f64..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels((xmax / 10.0) as usize + 1)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .x_label_style(font(13.0))
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
        for (i, row) in self.rows.iter().enumerate() {
            let yc = (n - i) as f64 - 0.5;
            let bars: [Bar; 2] = if index == 0 {
                [
                    (Some((row.charged_pct, USUAL_YEAR)), CHARGED, 0.0),
                    (Some((row.reciprocal_pct, USUAL_YEAR)), RECIPROCAL, -0.38),
                ]
            } else {
                [
                    (row.simple_on_us, SIMPLE, 0.0),
                    (row.weighted_all, WEIGHTED, -0.38),
                ]
            };
            for (value, color, dy) in bars {
                let (y0, y1) = (yc + dy + 0.04, yc + dy + 0.34);
                let ym = (y0 + y1) / 2.0;
                let style = TextStyle::from(font(11.5)).pos(Pos::new(HPos::Left, VPos::Center));
                let Some((v, year)) = value else {
                    let no_data = Text::new("no data", (xmax * 0.008, ym), style.color(&GREY));
                    chart.draw_series(std::iter::once(no_data)).map_err(err)?;
                    continue;
                };
                let bar = Rectangle::new([(0.0, y0), (v, y1)], color.filled());
                chart.draw_series(std::iter::once(bar)).map_err(err)?;
                // Formula rates are whole percents; partner tariffs have one decimal.
                let mut s = if index == 0 {
                    value_label(v)
                } else {
                    format!("{v:.1}")
                };
                if index == 1 && year != USUAL_YEAR {
                    s.push_str(&format!(" ({year})"));
                }
                let label = Text::new(s, (v + xmax * 0.008, ym), style);
                chart.draw_series(std::iter::once(label)).map_err(err)?;
            }
            if index == 0 {
                let (px, py) = chart.backend_coord(&(0.0, yc));
                root.draw(&Text::new(
                    self.label_texts()[i].clone(),
                    (px - 10, py),
                    TextStyle::from(font(14.0)).pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(err)?;
            }
        }
        Ok(())
    }
}

/// A text style anchored at its top-left corner.
fn top_left(size: f64) -> TextStyle<'static> {
    TextStyle::from(font(size)).pos(Pos::new(HPos::Left, VPos::Top))
}

/// One of the two panels: where it sits, its scale, caption and legend.
struct Panel {
    x0: u32,
    width: u32,
    xmax: f64,
    caption: &'static str,
    legend: [(&'static str, RGBColor); 2],
}

/// One bar of a row: (value and year if known, colour, vertical offset within the row).
type Bar = (Option<(f64, i32)>, RGBColor, f64);

struct Layout {
    label_w: u32,
    x1: f64,
    x2: f64,
    w1: u32,
    w2: u32,
    gap: u32,
    plot_top: u32,
    plot_h: u32,
    height: u32,
}

impl Chart for GapChart {
    fn size(&self) -> (u32, u32) {
        (WIDTH, self.layout().height)
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

/// Where the partner tariffs come from.
pub enum PartnerSource<'a> {
    /// The embedded headline table.
    Embedded,
    /// A `partner_tariffs/` folder.
    Folder(&'a Path),
}

/// Build the chart for the `top` largest chart partners.
pub fn build(p: &FormulaParams, top: usize, source: PartnerSource) -> anyhow::Result<GapChart> {
    if top == 0 {
        return Err(crate::BadInput("--top: expected at least 1 partner, found 0".into()).into());
    }
    let loaded;
    let (headline, source_note): (&[PartnerHeadline], String) = match source {
        PartnerSource::Embedded => (
            partner_tariffs::embedded_headline(),
            "embedded copy".to_string(),
        ),
        PartnerSource::Folder(dir) => {
            loaded = partner_tariffs::load_headline(dir)?;
            let name = dir.file_name().map_or_else(
                || dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            (&loaded, format!("read from {name}/"))
        }
    };
    let table = table(p, Partners::Chart)?;
    let rows: Vec<GapRow> = table
        .rows
        .iter()
        .take(top)
        .map(|r| {
            let h = headline.iter().find(|h| h.iso3 == r.iso3);
            GapRow {
                label: r.country.clone(),
                imports_usd: r.us_imports_usd,
                charged_pct: r.charged_pct,
                reciprocal_pct: r.reciprocal_pct,
                simple_on_us: h.and_then(|h| h.simple_on_us_pct.zip(h.simple_year)),
                weighted_all: h.and_then(|h| h.weighted_all_pct.zip(h.weighted_year)),
            }
        })
        .collect();
    let official = *p == FormulaParams::default();
    let subtitle = format!(
        "The {} largest US suppliers of 2024, by US goods imports. Both panels use the same scale.",
        rows.len()
    );
    let caption = Caption {
        scenario: format!(
            "the April 2, 2025 reciprocal-tariff formula with {}: ε = {}, φ = {}, floor {} %, discount {}, rounding {}",
            if official { "the official parameters" } else { "parameters that are NOT the official ones" },
            p.trade_elasticity,
            p.pass_through,
            p.floor_pct,
            p.discount,
            table.rounding,
        ),
        source: format!(
            "USTR (April 2025) for the formula, 100·(imports − exports)/(ε·φ·imports), on US Census 2024 goods trade; \
             the White House chart and Annex I of EO 14257. Partners' tariffs ({source_note}): WITS/UNCTAD TRAINS, \
             effectively applied tariff on US-origin goods, simple average of HS6 lines; World Bank WDI \
             TM.TAX.MRCH.WM.AR.ZS (CC BY 4.0). Schedule rates only: retaliatory duties (e.g. China's since 2018, \
             the 2025 counter-tariffs) are not included"
        ),
        date: format!(
            "the formula and chart of 2025-04-02 (EO 14257) on 2024 trade; partners' tariffs of {USUAL_YEAR} unless a year is shown"
        ),
    };
    Ok(GapChart {
        rows,
        subtitle,
        caption,
    })
}
