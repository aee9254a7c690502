//! `reciprocity strategy optimal`: a country's (or bloc's) optimal tariffs, holding everyone else
//! fixed: the ILMS closed form of docs/model.md §7 and the numerical best response (uniform, by
//! partner, or by sector), with the welfare each gives.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use reciprocity_model::ge;
use reciprocity_model::strategy::{self, Instrument};
use reciprocity_service::strategy::{self as service, OptimalRequest};
use serde::Serialize;

use super::{pct, rate, service_error, setup, WorldArgs};
use crate::output::{self, Format};
use crate::BadInput;

/// The instrument on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One rate on all imports.
    Uniform,
    /// One rate per partner country.
    Partner,
    /// One rate per sector (data with sectors).
    Sector,
}

impl By {
    /// The model's instrument.
    pub fn instrument(self) -> Instrument {
        match self {
            By::Uniform => Instrument::Uniform,
            By::Partner => Instrument::ByPartner,
            By::Sector => Instrument::BySector,
        }
    }
}

/// Flags of `strategy optimal`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    world: WorldArgs,
    /// The country (ISO3) or bloc (EU27, ...) choosing its tariffs.
    #[arg(long)]
    country: String,
    /// The instrument: one uniform rate, one per partner, or one per sector.
    #[arg(long, value_enum, default_value_t = By::Uniform)]
    by: By,
    /// Highest tariff the search considers (a fraction: 5 = 500%).
    #[arg(long, default_value_t = 5.0)]
    max_rate: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
struct RateRow {
    country: String,
    instrument: &'static str,
    control: String,
    rate_pct: f64,
}

#[derive(Serialize)]
struct Doc {
    world: String,
    start: String,
    country: String,
    members: usize,
    instrument: &'static str,
    closed_form_expenditure_pct: Option<f64>,
    closed_form_income_pct: Option<f64>,
    welfare_at_closed_form_pct: Option<f64>,
    numerical_uniform_equivalent_pct: f64,
    welfare_pct: f64,
    welfare_at_start_pct: f64,
    world_trade_to_gdp_pct: f64,
    skipped: Vec<String>,
    solves: usize,
    iterations: usize,
    projected_gradient: f64,
    rates: Vec<RateRow>,
    notes: Vec<String>,
}

fn instrument_name(by: By) -> &'static str {
    match by {
        By::Uniform => "uniform",
        By::Partner => "by partner",
        By::Sector => "by sector",
    }
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    if !(args.max_rate > 0.0 && args.max_rate.is_finite()) {
        return Err(BadInput(format!(
            "--max-rate: expected a positive fraction, found {}",
            args.max_rate
        ))
        .into());
    }
    let s = setup(&args.world)?;
    if args.by == By::Sector && s.cal.k == 1 {
        return Err(BadInput(format!(
            "--by sector: the data ({}) have one sector; use --by uniform or partner",
            s.world.source
        ))
        .into());
    }
    // Resolved here too for the error message of before (without the request's field name).
    super::player(&s.cal, &s.world, &args.country)?;
    let bar = super::bar(0, "solving");
    bar.set_message(format!(
        "optimal tariffs of {} ({})",
        args.country.trim(),
        instrument_name(args.by)
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let request = OptimalRequest {
        country: args.country.clone(),
        instrument: args.by.instrument(),
        max_rate: args.max_rate,
    };
    let result = service::optimal(s.game(), &request);
    bar.finish_and_clear();
    let o = result.map_err(service_error)?;
    let (player, br) = (&o.player, &o.best_response);
    let doc = Doc {
        world: s.world.source.clone(),
        start: s.start_label.clone(),
        country: player.name.clone(),
        members: player.members.len(),
        instrument: instrument_name(args.by),
        closed_form_expenditure_pct: o.closed_form_expenditure.map(|v| 100.0 * v),
        closed_form_income_pct: o.closed_form_income.map(|v| 100.0 * v),
        welfare_at_closed_form_pct: o.welfare_at_closed_form_pct,
        numerical_uniform_equivalent_pct: 100.0 * o.uniform_equivalent,
        welfare_pct: br.welfare_pct,
        welfare_at_start_pct: o.welfare_at_start_pct,
        world_trade_to_gdp_pct: br.outcomes.world_trade_to_gdp_pct,
        skipped: br.skipped.clone(),
        solves: br.solves,
        iterations: br.iterations,
        projected_gradient: br.projected_gradient,
        rates: br
            .controls
            .iter()
            .zip(&br.rates)
            .map(|(c, r)| RateRow {
                country: player.name.clone(),
                instrument: instrument_name(args.by),
                control: c.label.clone(),
                rate_pct: 100.0 * r,
            })
            .collect(),
        notes: s.notes.clone(),
    };
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&doc)? + "\n",
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &doc.rates {
                w.serialize(row)?;
            }
            String::from_utf8(w.into_inner().context("flushing CSV")?)?
        }
        Format::Table => table(&doc, &s.cal, br, &o.weights, o.total_weight)?,
    };
    output::emit(args.out.as_deref(), &text)
}

fn table(
    doc: &Doc,
    cal: &ge::Calibration,
    br: &strategy::BestResponse,
    weights: &[f64],
    total: f64,
) -> anyhow::Result<String> {
    let mut s = String::new();
    writeln!(
        s,
        "Optimal tariffs of {} ({} member{}), {}",
        doc.country,
        doc.members,
        if doc.members == 1 { "" } else { "s" },
        doc.instrument
    )?;
    writeln!(
        s,
        "World:  {} — {} countries, {} sector(s)",
        doc.world, cal.n, cal.k
    )?;
    writeln!(
        s,
        "Start:  {} (everyone else's tariffs held there); {}'s welfare there {}%",
        doc.start,
        doc.country,
        pct(doc.welfare_at_start_pct)
    )?;
    match (doc.closed_form_expenditure_pct, doc.closed_form_income_pct) {
        (Some(e), Some(y)) => writeln!(
            s,
            "Closed form (docs/model.md §7): t* = {e:.2}% (E denominator), {y:.2}% (Y denominator)"
        )?,
        _ => writeln!(
            s,
            "Closed form (docs/model.md §7): undefined here ((1+εδ)φ − 1 ≤ 0)"
        )?,
    }
    match (
        doc.welfare_at_closed_form_pct,
        doc.closed_form_expenditure_pct,
    ) {
        (Some(w), _) => writeln!(s, "  welfare at the closed-form uniform rate: {}%", pct(w))?,
        (None, Some(_)) => writeln!(s, "  the model has no equilibrium at the closed-form rate")?,
        (None, None) => {}
    }
    writeln!(
        s,
        "Numerical best response: {} {:.2}%{}; welfare {}%",
        if doc.rates.len() == 1 {
            "uniform"
        } else {
            "import-weighted mean"
        },
        doc.numerical_uniform_equivalent_pct,
        if doc.rates.len() == 1 {
            String::new()
        } else {
            format!(" over {} rates", doc.rates.len())
        },
        pct(doc.welfare_pct)
    )?;
    if doc.rates.len() == 1 {
        writeln!(
            s,
            "  search: Brent's method, {} equilibrium solves",
            doc.solves
        )?;
    } else {
        writeln!(
            s,
            "  search: projected BFGS, {} iterations, {} equilibrium solves, projected gradient {:.1e}",
            doc.iterations, doc.solves, doc.projected_gradient
        )?;
    }
    writeln!(
        s,
        "  world trade-to-GDP {}%",
        pct(doc.world_trade_to_gdp_pct)
    )?;
    if !doc.skipped.is_empty() {
        writeln!(
            s,
            "  left out ({} with no imports from them): {}",
            doc.skipped.len(),
            doc.skipped.join(" ")
        )?;
    }
    for n in &doc.notes {
        writeln!(s, "Note: {n}")?;
    }
    controls_and_losers(&mut s, cal, br, weights, total)?;
    Ok(s)
}

/// The rates of every control (by import share) and the largest welfare losses abroad.
fn controls_and_losers(
    s: &mut String,
    cal: &ge::Calibration,
    br: &strategy::BestResponse,
    weights: &[f64],
    total: f64,
) -> anyhow::Result<()> {
    if br.rates.len() > 1 {
        writeln!(
            s,
            "\n{:<10} {:>9} {:>14}",
            "control", "rate %", "import share %"
        )?;
        let mut order: Vec<usize> = (0..br.rates.len()).collect();
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
        for &c in &order {
            writeln!(
                s,
                "{:<10} {:>9} {:>14.2}",
                br.controls[c].label,
                rate(br.rates[c]),
                100.0 * weights[c] / total
            )?;
        }
    }
    // Who pays: the largest welfare changes abroad.
    let mut others: Vec<usize> = (0..cal.n)
        .filter(|i| !br.player.members.contains(i))
        .collect();
    others.sort_by(|&a, &b| {
        br.outcomes.countries[a]
            .welfare_pct
            .total_cmp(&br.outcomes.countries[b].welfare_pct)
    });
    writeln!(s, "\nLargest welfare losses abroad at the optimum:")?;
    for &i in others.iter().take(10) {
        writeln!(
            s,
            "  {:<5} {:>8}%",
            cal.countries[i],
            pct(br.outcomes.countries[i].welfare_pct)
        )?;
    }
    Ok(())
}
