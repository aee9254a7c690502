//! `reciprocity timeline`: the import-weighted average US tariff over a period, step by step, with
//! the events; optionally a chart and the comparison with the peer estimates (TWT, `tariffs_hs2/`).
//!
//! The flags it shares with `tariffs`, `pause` and the report (`--registry`, the weights) are in
//! `flags.rs`; the registry and the 2024 import weights load in `reciprocity_service::policy`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use reciprocity_policy::effective::{timeline, Assumptions, TimelinePoint};
use reciprocity_policy::Registry;
use serde::Serialize;

use crate::chart::Chart;
use crate::output::{emit, Format};
use crate::BadInput;

use super::flags::{assumptions, load_registry, load_weights, parse_date, shared_dir, today};
use super::flags::{RegistryArgs, WeightArgs, Weights};

// ------------------------------------------------------------------ peer estimates

/// The peer's national daily series (`daily-tariff-latest-data.csv`): date → total tariff, percent.
pub fn load_peer_daily(shared: &Path) -> anyhow::Result<BTreeMap<NaiveDate, f64>> {
    let path = shared.join("tariffs_hs2/daily-tariff-latest-data.csv");
    let mut reader =
        csv::Reader::from_path(&path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
    let mut out = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| BadInput(format!("{}:{}: {e}", path.display(), i + 2)))?;
        let (Some(d), Some(v)) = (rec.get(1), rec.get(2)) else {
            continue;
        };
        let d = reciprocity_policy::date(d)
            .map_err(|e| BadInput(format!("{}:{}: date: {e}", path.display(), i + 2)))?;
        let v: f64 = v.parse().map_err(|_| {
            BadInput(format!(
                "{}:{}: import_weighted_avg_tariff: expected a number, found {v:?}",
                path.display(),
                i + 2
            ))
        })?;
        out.insert(d, v);
    }
    Ok(out)
}

/// One row of the peer's `country-by-time.csv`.
#[derive(Debug, Clone)]
pub struct PeerCountry {
    /// The policy date.
    pub date: NaiveDate,
    /// ISO3 (`EUU` for the EU).
    pub partner: String,
    /// The peer's additional 2025 tariff, percent.
    pub effective_pct: f64,
}

/// The peer's per-partner series (51 partners x 23 dates).
pub fn load_peer_countries(shared: &Path) -> anyhow::Result<Vec<PeerCountry>> {
    let path = shared.join("tariffs_hs2/country-by-time.csv");
    let mut reader =
        csv::Reader::from_path(&path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| BadInput(format!("{}:{}: {e}", path.display(), i + 2)))?;
        let line = i + 2;
        let date = reciprocity_policy::date(rec.get(0).unwrap_or(""))
            .map_err(|e| BadInput(format!("{}:{line}: date: {e}", path.display())))?;
        let name = rec.get(1).unwrap_or("");
        let partner = if name.eq_ignore_ascii_case("European Union") {
            "EUU".to_string()
        } else {
            reciprocity_data::registry::country(name)
                .map(|c| c.iso3.clone())
                .ok_or_else(|| {
                    BadInput(format!(
                        "{}:{line}: country_name: unknown partner {name:?}",
                        path.display()
                    ))
                })?
        };
        let effective_pct: f64 = rec.get(2).and_then(|v| v.parse().ok()).ok_or_else(|| {
            BadInput(format!(
                "{}:{line}: effective tariff: expected a number",
                path.display()
            ))
        })?;
        out.push(PeerCountry {
            date,
            partner,
            effective_pct,
        });
    }
    Ok(out)
}

// ------------------------------------------------------------------ the chart

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
    /// Source line for the footer.
    pub footer: String,
}

fn draw_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the timeline chart: {e:?}")
}

impl TimelineChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        root.fill(&WHITE).map_err(draw_err)?;
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
        let (body, footer) = root.split_vertically(self.size().1 - 30);
        let mut chart = ChartBuilder::on(&body)
            .caption(title, ("sans-serif", 22))
            .margin(16)
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
            chart
                .draw_series([Text::new(
                    format!(" {label}"),
                    (x(*d), y),
                    ("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90)),
                )])
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
        footer
            .draw(&Text::new(
                self.footer.clone(),
                (16, 6),
                ("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90)),
            ))
            .map_err(draw_err)?;
        Ok(())
    }
}

impl Chart for TimelineChart {
    fn size(&self) -> (u32, u32) {
        (1400, 700)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
    fn draw_png(&self, root: &DrawingArea<BitMapBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
}

// ------------------------------------------------------------------ the command

/// Flags of `reciprocity timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day (YYYY-MM-DD).
    #[arg(long, default_value = "2025-01-01")]
    from: String,
    /// Last day (YYYY-MM-DD; default today).
    #[arg(long)]
    to: Option<String>,
    /// One row per day instead of one per change.
    #[arg(long)]
    daily: bool,
    /// Also write the chart (.svg or .png).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// Compare with the peer's per-partner estimates (needs the shared data): one row per
    /// (peer date, partner), differences above 2 points flagged.
    #[arg(long)]
    compare_peer: bool,
    #[command(flatten)]
    registry: RegistryArgs,
    #[command(flatten)]
    weights: WeightArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Row {
    date: String,
    additional_pct: f64,
    base_pct: Option<f64>,
    total_pct: Option<f64>,
    peer_total_pct: Option<f64>,
    events: String,
}

/// Everything a timeline needs, loaded once (the report uses it too).
pub struct Loaded {
    /// The registry.
    pub registry: Registry,
    /// The weights.
    pub weights: Weights,
    /// The assumptions.
    pub assumptions: Assumptions,
    /// The shared folder, if any.
    pub shared: Option<PathBuf>,
}

/// Load registry, weights and assumptions from the flags.
pub fn load(registry: &RegistryArgs, weights: &WeightArgs) -> anyhow::Result<Loaded> {
    let shared = shared_dir(weights)?;
    Ok(Loaded {
        registry: load_registry(registry.registry.as_deref())?,
        weights: load_weights(shared.as_deref())?,
        assumptions: assumptions(weights)?,
        shared,
    })
}

/// The step series and its rows.
pub fn series(l: &Loaded, from: NaiveDate, to: NaiveDate) -> Vec<TimelinePoint> {
    timeline(&l.registry, from, to, &l.weights.imports, &l.assumptions)
}

/// A footer line naming the weights and assumptions.
pub fn footer(l: &Loaded) -> String {
    let shares: Vec<String> = l
        .assumptions
        .usmca_qualifying_share
        .iter()
        .map(|(k, v)| format!("{k} {:.0}%", v * 100.0))
        .collect();
    let detail = if l.weights.hs_source.is_some() {
        format!(
            ", HS detail for {} partners from tariffs_hs2 (2024 applied tariff as base; {} rows, ${:.1}bn, of chapters 98-99 left out)",
            l.weights.hs_partners,
            l.weights.dropped_rows,
            l.weights.dropped_usd / 1e9
        )
    } else {
        " (partner totals only: sector measures left out)".to_string()
    };
    format!(
        "Registry: official US documents (crates/policy/registry). Weights: Census 2024 imports{detail}. USMCA-qualifying shares assumed: {}.",
        shares.join(", ")
    )
}

/// The chart of `points` (total rates when the base is known, else the additional ones), with the
/// peer's daily total from `peer_from` to `to` (only when totals are drawn) and the major events.
pub fn chart(
    loaded: &Loaded,
    points: &[TimelinePoint],
    peer: &BTreeMap<NaiveDate, f64>,
    peer_from: NaiveDate,
    to: NaiveDate,
) -> TimelineChart {
    let total = points.first().and_then(|p| p.base_pct).is_some();
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
        peer: if total {
            peer.iter()
                .filter(|(d, _)| **d >= peer_from && **d <= to)
                .map(|(d, v)| (*d, *v))
                .collect()
        } else {
            Vec::new()
        },
        events: loaded
            .registry
            .events
            .iter()
            .filter(|e| e.major)
            .map(|e| (e.date, e.label.clone()))
            .collect(),
        to,
        total,
        footer: footer(loaded),
    }
}

/// `rows` as CSV with a header row from their field names.
fn csv_of<T: Serialize>(rows: &[T]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let from = parse_date("from", &args.from)?;
    let to = match &args.to {
        Some(t) => parse_date("to", t)?,
        None => today(),
    };
    if to < from {
        return Err(BadInput(format!("--to {to} is before --from {from}")).into());
    }
    let loaded = load(&args.registry, &args.weights)?;
    if args.compare_peer {
        let Some(shared) = loaded.shared.clone() else {
            return Err(BadInput(
                "--compare-peer needs the shared data (../shared/data or --shared DIR)".into(),
            )
            .into());
        };
        let text = compare_peer(&loaded, &shared, args.format)?;
        return emit(args.out.as_deref(), &text);
    }
    let points = series(&loaded, from, to);
    let peer = match &loaded.shared {
        Some(dir) => load_peer_daily(dir)?,
        None => BTreeMap::new(),
    };
    let mut rows = Vec::new();
    let dates: Vec<NaiveDate> = if args.daily {
        from.iter_days().take_while(|d| *d <= to).collect()
    } else {
        points.iter().map(|p| p.date).collect()
    };
    for d in dates {
        let p = points
            .iter()
            .rev()
            .find(|p| p.date <= d)
            .expect("the series starts at --from");
        let events: Vec<&str> = loaded
            .registry
            .events
            .iter()
            .filter(|e| e.date == d)
            .map(|e| e.label.as_str())
            .collect();
        rows.push(Row {
            date: d.to_string(),
            additional_pct: p.additional_pct,
            base_pct: p.base_pct,
            total_pct: p.base_pct.map(|b| b + p.additional_pct),
            peer_total_pct: peer.get(&d).copied(),
            events: events.join("; "),
        });
    }
    if let Some(path) = &args.chart {
        chart(&loaded, &points, &peer, from, to).write(path)?;
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => csv_of(&rows)?,
        Format::Table => {
            let mut s = format!(
                "Average US tariff, import-weighted (2024 Census imports{}), percent\n{}\n\n{:<10}  {:>10}  {:>6}  {:>6}  {:>6}  events\n",
                if loaded.weights.hs_source.is_some() { ", HS detail" } else { ", partner totals only" },
                footer(&loaded),
                "date",
                "additional",
                "base",
                "total",
                "peer"
            );
            let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
            for r in &rows {
                s.push_str(&format!(
                    "{:<10}  {:>10.2}  {:>6}  {:>6}  {:>6}  {}\n",
                    r.date,
                    r.additional_pct,
                    opt(r.base_pct),
                    opt(r.total_pct),
                    opt(r.peer_total_pct),
                    r.events
                ));
            }
            s
        }
    };
    emit(args.out.as_deref(), &text)
}

#[derive(Debug, Serialize)]
struct CompareRow {
    date: String,
    partner: String,
    ours_pct: f64,
    peer_pct: f64,
    diff_pts: f64,
    over_2pts: bool,
}

/// Our additional tariff vs the peer's, per peer date and partner (EU as one), plus the national
/// totals; the peer's 2024 base is its own (2.3% on 2025-01-01).
fn compare_peer(l: &Loaded, shared: &Path, format: Format) -> anyhow::Result<String> {
    let peer = load_peer_countries(shared)?;
    let daily = load_peer_daily(shared)?;
    let mut dates: Vec<NaiveDate> = peer.iter().map(|p| p.date).collect();
    dates.sort();
    dates.dedup();
    let eu: Vec<&str> = reciprocity_data::registry::group("EU27").unwrap_or_default();
    let mut rows = Vec::new();
    for d in &dates {
        let r = reciprocity_policy::effective::effective_rates(
            &l.registry,
            *d,
            &l.weights.imports,
            &l.assumptions,
            None,
        );
        let ours: HashMap<&str, (f64, f64)> = r
            .partners
            .iter()
            .map(|p| (p.partner.as_str(), (p.additional_pct, p.value)))
            .collect();
        let eu_rate = {
            let (s, w) = eu
                .iter()
                .filter_map(|m| ours.get(m))
                .fold((0.0, 0.0), |a, (v, w)| (a.0 + v * w, a.1 + w));
            if w > 0.0 {
                s / w
            } else {
                0.0
            }
        };
        for p in peer.iter().filter(|p| p.date == *d) {
            let ours_pct = if p.partner == "EUU" {
                eu_rate
            } else {
                ours.get(p.partner.as_str()).map(|x| x.0).unwrap_or(0.0)
            };
            let diff = ours_pct - p.effective_pct;
            rows.push(CompareRow {
                date: d.to_string(),
                partner: p.partner.clone(),
                ours_pct,
                peer_pct: p.effective_pct,
                diff_pts: diff,
                over_2pts: diff.abs() > 2.0,
            });
        }
        if let (Some(total), Some(peer_total)) = (r.total_pct(), daily.get(d)) {
            let diff = total - peer_total;
            rows.push(CompareRow {
                date: d.to_string(),
                partner: "US total (incl. 2024 base)".into(),
                ours_pct: total,
                peer_pct: *peer_total,
                diff_pts: diff,
                over_2pts: diff.abs() > 2.0,
            });
        }
    }
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => csv_of(&rows)?,
        Format::Table => {
            let mut s = format!(
                "{:<10}  {:<28}  {:>7}  {:>7}  {:>7}\n",
                "date", "partner", "ours", "peer", "diff"
            );
            for r in &rows {
                s.push_str(&format!(
                    "{:<10}  {:<28}  {:>7.2}  {:>7.2}  {:>+7.2}{}\n",
                    r.date,
                    r.partner,
                    r.ours_pct,
                    r.peer_pct,
                    r.diff_pts,
                    if r.over_2pts { "  *" } else { "" }
                ));
            }
            s
        }
    })
}
