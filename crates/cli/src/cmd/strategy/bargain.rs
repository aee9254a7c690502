//! `reciprocity strategy bargain`: trade talks between a country (default the US) and a partner or
//! bloc over the pair of bilateral tariffs, from a disagreement point (no deal, or the Nash war):
//! the Pareto frontier (CSV and chart), the Nash bargaining solution with each side's gain, and
//! whether the deal is reciprocal in the Bagwell–Staiger sense.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use plotters::coord::Shift;
use plotters::prelude::*;
use reciprocity_model::strategy::{BargainResult, Deal, NashProgress, Player};
use reciprocity_service::strategy::{
    self as service, weighted_mean, BargainRequest, BargainSummary as Doc,
};

use super::optimal::By;
use super::{pct, rate, service_error, setup, WorldArgs};
use crate::chart::Chart;
use crate::output::{self, Format};
use crate::BadInput;

/// The disagreement point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Threat {
    /// No deal: the scenario's tariffs (default without --scenario: the US's Liberation Day rates
    /// mirrored by the partner when home is the US, else the factual tariffs).
    Nodeal,
    /// The Nash tariff war (among --war-players, default every country).
    War,
}

/// Flags of `strategy bargain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    world: WorldArgs,
    /// The partner: an ISO3 code or a bloc (EU27, ...).
    #[arg(long)]
    partner: String,
    /// Home (ISO3 or bloc).
    #[arg(long, default_value = "USA")]
    country: String,
    /// The disagreement point.
    #[arg(long, value_enum, default_value_t = Threat::Nodeal)]
    threat: Threat,
    /// Players of the war when --threat war (comma-separated; default every country).
    #[arg(long)]
    war_players: Option<String>,
    /// Home's bargaining weight w in (0, 1); 0.5 is the symmetric Nash solution.
    #[arg(long, default_value_t = 0.5)]
    weight: f64,
    /// One rate per side, or one per sector (data with sectors).
    #[arg(long, value_enum, default_value_t = By::Uniform)]
    by: By,
    /// Points on the Pareto frontier.
    #[arg(long, default_value_t = 21)]
    points: usize,
    /// Write the frontier as CSV here.
    #[arg(long)]
    frontier: Option<PathBuf>,
    /// Draw the frontier here (.svg or .png).
    #[arg(long)]
    chart: Option<PathBuf>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the summary to this file instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    if !(args.weight > 0.0 && args.weight < 1.0) {
        return Err(BadInput(format!(
            "--weight: expected a number in (0, 1), found {}",
            args.weight
        ))
        .into());
    }
    if args.points < 2 {
        return Err(BadInput(format!(
            "--points: expected at least 2, found {}",
            args.points
        ))
        .into());
    }
    if args.by == By::Partner {
        return Err(BadInput(
            "--by partner: talks are over one rate per side or one per sector".into(),
        )
        .into());
    }
    for path in [&args.chart].into_iter().flatten() {
        crate::chart::ImageFormat::from_path(path)?;
    }
    let mut world = args.world.clone();
    if args.threat == Threat::War && world.revenue.is_none() {
        // As `strategy nash`: the war exists under the lump-sum rebate (see its help).
        world.revenue = Some(super::RevenueArg::LumpSum);
    }
    let s = setup(&world)?;
    if args.by == By::Sector && s.cal.k == 1 {
        return Err(BadInput(format!(
            "--by sector: the data ({}) have one sector",
            s.world.source
        ))
        .into());
    }
    // Resolved here too for the error messages of before (without the request's field names).
    super::player(&s.cal, &s.world, &args.country)?;
    super::player(&s.cal, &s.world, &args.partner)?;
    if let (Threat::War, Some(list)) = (args.threat, &args.war_players) {
        super::players(&s.cal, &s.world, list)?;
    }
    let request = BargainRequest {
        home: args.country.clone(),
        partner: args.partner.clone(),
        threat: match args.threat {
            Threat::Nodeal => service::Threat::NoDeal,
            Threat::War => service::Threat::War(
                args.war_players
                    .as_ref()
                    .map(|list| list.split(',').map(str::to_string).collect()),
            ),
        },
        weight: args.weight,
        instrument: args.by.instrument(),
        points: args.points,
    };
    let war_bar = super::bar(0, "best responses (war)");
    let war_progress = |p: &NashProgress| {
        war_bar.set_length(p.total as u64);
        war_bar.set_position(p.done as u64);
        war_bar.set_message(format!("round {}", p.round));
    };
    let bar = super::bar(0, "");
    let on_bargain = |home: &Player, partner: &Player| {
        war_bar.finish_and_clear();
        bar.set_message(format!("bargaining {} – {}", home.name, partner.name));
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    };
    let outcome = service::bargain(s.game(), &request, &war_progress, &on_bargain);
    war_bar.finish_and_clear();
    bar.finish_and_clear();
    let outcome = outcome.map_err(service_error)?;
    let (doc, r) = (&outcome.summary, &outcome.result);
    if let Some(path) = &args.frontier {
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in &doc.frontier {
            w.serialize(row)?;
        }
        output::write_atomic(path, &w.into_inner().context("flushing CSV")?)?;
    }
    if let Some(path) = &args.chart {
        FrontierChart::new(doc).write(path)?;
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&doc)? + "\n",
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &doc.frontier {
                w.serialize(row)?;
            }
            String::from_utf8(w.into_inner().context("flushing CSV")?)?
        }
        Format::Table => table(doc, r)?,
    };
    output::emit(args.out.as_deref(), &text)
}

fn table(doc: &Doc, r: &BargainResult) -> anyhow::Result<String> {
    let mut out = String::new();
    let (h, p) = (&doc.home, &doc.partner);
    writeln!(
        out,
        "Trade talks {h} – {p} (Nash bargaining, {h}'s weight {})",
        doc.weight
    )?;
    writeln!(out, "World: {}", doc.world)?;
    writeln!(out, "Disagreement point: {}", doc.threat)?;
    let d = &r.disagreement;
    let line = |label: &str, deal: &Deal| {
        format!(
            "{label:<14} {h} on {p} {:>7}%   {p} on {h} {:>7}%   welfare {h} {:>7}%  {p} {:>7}%",
            rate(weighted_mean(&r.home_controls, &deal.home_rates)),
            rate(weighted_mean(&r.partner_controls, &deal.partner_rates)),
            pct(deal.home_welfare_pct),
            pct(deal.partner_welfare_pct)
        )
    };
    writeln!(out, "{}", line("no agreement", d))?;
    writeln!(out, "{}", line("Nash solution", &r.solution))?;
    writeln!(
        out,
        "Gains over the disagreement point: {h} {} points, {p} {} points (log Nash product {:.4})",
        pct(doc.home_gain),
        pct(doc.partner_gain),
        doc.log_nash_product
    )?;
    let rc = &doc.reciprocity;
    writeln!(
        out,
        "Bagwell–Staiger reciprocity: {}'s bilateral terms of trade {}%, import-volume changes at fixed world prices {h} {:.0} vs {p} {:.0} (gap {}% of bilateral trade) → {}",
        h,
        pct(rc.terms_of_trade_pct),
        rc.home_import_change,
        rc.partner_import_change,
        pct(rc.imbalance_pct),
        if rc.reciprocal { "reciprocal (within 0.1%)".to_string() } else { "not reciprocal".to_string() }
    )?;
    match rc.reciprocal_partner_rate_pct {
        Some(v) => writeln!(
            out,
            "  with {h}'s side of the deal, {p} would need {v:.2}% on {h} for a reciprocal deal"
        )?,
        None => writeln!(
            out,
            "  no rate of {p} in [0, 500%] makes {h}'s side of the deal reciprocal"
        )?,
    }
    if r.home_controls.len() > 1 {
        writeln!(
            out,
            "\n{:<10} {:>12} {:>12}",
            "sector",
            format!("{h} on {p}"),
            format!("{p} on {h}")
        )?;
        for (c, ctrl) in r.home_controls.iter().enumerate() {
            writeln!(
                out,
                "{:<10} {:>12} {:>12}",
                ctrl.label,
                rate(r.solution.home_rates[c]),
                rate(r.solution.partner_rates[c])
            )?;
        }
    }
    writeln!(out, "\nPareto frontier (max ω·W_{h} + (1−ω)·W_{p}):")?;
    writeln!(
        out,
        "{:>5} {:>10} {:>10} {:>10} {:>10}",
        "ω",
        format!("{h} %"),
        format!("{p} %"),
        format!("W {h}"),
        format!("W {p}")
    )?;
    for f in &doc.frontier {
        writeln!(
            out,
            "{:>5.2} {:>10.2} {:>10.2} {:>10} {:>10}",
            f.omega,
            f.home_rate_pct,
            f.partner_rate_pct,
            pct(f.home_welfare_pct),
            pct(f.partner_welfare_pct)
        )?;
    }
    writeln!(out, "{} equilibrium solves", doc.solves)?;
    Ok(out)
}

/// The frontier chart: home's welfare across, the partner's up; the disagreement point and the
/// Nash solution marked.
struct FrontierChart {
    title: String,
    x_label: String,
    y_label: String,
    frontier: Vec<(f64, f64)>,
    disagreement: (f64, f64),
    solution: (f64, f64),
    footer: String,
}

impl FrontierChart {
    fn new(doc: &Doc) -> Self {
        FrontierChart {
            title: format!(
                "Trade talks {} – {}: Pareto frontier and Nash bargaining solution",
                doc.home, doc.partner
            ),
            x_label: format!("{} welfare change, %", doc.home),
            y_label: format!("{} welfare change, %", doc.partner),
            frontier: doc
                .frontier
                .iter()
                .map(|f| (f.home_welfare_pct, f.partner_welfare_pct))
                .collect(),
            disagreement: (
                doc.disagreement.home_welfare_pct,
                doc.disagreement.partner_welfare_pct,
            ),
            solution: (
                doc.solution.home_welfare_pct,
                doc.solution.partner_welfare_pct,
            ),
            footer: format!("Disagreement point: {}.", doc.threat),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| {
            anyhow::anyhow!("drawing the frontier chart: {e:?}")
        };
        root.fill(&WHITE).map_err(err)?;
        let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - 30);
        foot.draw(&Text::new(
            self.footer.clone(),
            (20, 6),
            ("sans-serif", 13)
                .into_font()
                .color(&RGBColor(110, 110, 110)),
        ))
        .map_err(err)?;
        let points: Vec<(f64, f64)> = self
            .frontier
            .iter()
            .copied()
            .chain([self.disagreement, self.solution])
            .collect();
        let span = |f: fn(&(f64, f64)) -> f64| {
            let lo = points.iter().map(f).fold(f64::INFINITY, f64::min);
            let hi = points.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
            let pad = ((hi - lo) * 0.08).max(0.05);
            (lo - pad)..(hi + pad)
        };
        let mut chart = ChartBuilder::on(&body)
            .caption(&self.title, ("sans-serif", 20))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(span(|p| p.0), span(|p| p.1))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let blue = RGBColor(33, 102, 172);
        chart
            .draw_series(LineSeries::new(
                self.frontier.iter().copied(),
                blue.stroke_width(2),
            ))
            .map_err(err)?
            .label("Pareto frontier")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(2))
            });
        chart
            .draw_series(
                self.frontier
                    .iter()
                    .map(|&p| Circle::new(p, 3, blue.filled())),
            )
            .map_err(err)?;
        let grey = RGBColor(110, 110, 110);
        chart
            .draw_series([Cross::new(self.disagreement, 8, grey.stroke_width(3))])
            .map_err(err)?
            .label("disagreement point")
            .legend(move |(x, y)| Cross::new((x + 10, y), 6, grey.stroke_width(2)));
        let red = RGBColor(190, 30, 45);
        chart
            .draw_series([Circle::new(self.solution, 7, red.filled())])
            .map_err(err)?
            .label("Nash bargaining solution")
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, red.filled()));
        chart
            .configure_series_labels()
            .border_style(RGBColor(200, 200, 200))
            .background_style(WHITE)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

impl Chart for FrontierChart {
    fn size(&self) -> (u32, u32) {
        (1000, 720)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
    fn draw_png(&self, root: &DrawingArea<BitMapBackend, Shift>) -> anyhow::Result<()> {
        self.draw(root)
    }
}
