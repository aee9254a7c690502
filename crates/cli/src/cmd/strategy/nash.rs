//! `reciprocity strategy nash`: the Nash tariff war among a set of players (default: every
//! country of the data), by damped best-response iteration with numerically verified best
//! responses; each player's Nash tariff and every player's welfare against the factual state.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use reciprocity_model::strategy::{NashOptions, NashProgress};
use reciprocity_service::strategy as service;
use serde::Serialize;

use super::optimal::By;
use super::{pct, rate, service_error, setup, RevenueArg, WorldArgs};
use crate::output::{self, Format};

/// Flags of `strategy nash`.
///
/// Tariff revenue is rebated lump-sum unless `--revenue income-tax-relief` is given: under income-tax
/// relief, import-heavy economies (imports several times GDP, e.g. LBR, MHL in the ILMS data) have no
/// optimal tariff — their welfare rises until tariff revenue nears their income and the model has no
/// equilibrium — so the war has no Nash equilibrium.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    world: WorldArgs,
    /// Comma-separated players: ISO3 codes or groups (EU27 acts as one bloc). Default: every country.
    #[arg(long)]
    players: Option<String>,
    /// Each player's instrument: one uniform rate, or one per sector (data with sectors).
    #[arg(long, value_enum, default_value_t = By::Uniform)]
    by: By,
    /// Weight of the new best response in each update, in (0, 1] (halved automatically when a
    /// round overshoots).
    #[arg(long, default_value_t = 1.0)]
    damping: f64,
    /// Converged when no best response differs from the current rate by more than this (fraction).
    #[arg(long, default_value_t = 1e-4)]
    tolerance: f64,
    /// Limit on best-response rounds.
    #[arg(long, default_value_t = 30)]
    max_rounds: usize,
    /// Threads for the best responses (0: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
struct Row {
    player: String,
    members: usize,
    control: String,
    nash_rate_pct: f64,
    closed_form_at_nash_pct: Option<f64>,
    welfare_pct: f64,
}

#[derive(Serialize)]
struct Summary {
    world: String,
    revenue: String,
    start: String,
    players: usize,
    instrument: String,
    rounds: usize,
    guided_steps: usize,
    residual: f64,
    tolerance: f64,
    converged: bool,
    history: Vec<f64>,
    solves: usize,
    seconds: f64,
    world_trade_to_gdp_pct: f64,
    rows: Vec<Row>,
    non_players: Vec<(String, f64)>,
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let mut world = args.world.clone();
    world.revenue = Some(world.revenue.unwrap_or(RevenueArg::LumpSum));
    let s = setup(&world)?;
    let request = service::WarRequest {
        players: args
            .players
            .as_ref()
            .map(|list| list.split(',').map(str::to_string).collect()),
        options: NashOptions {
            instrument: args.by.instrument(),
            damping: args.damping,
            tolerance: args.tolerance,
            max_rounds: args.max_rounds,
            threads: args.threads,
            ..NashOptions::default()
        },
    };
    let expected = match &request.players {
        Some(names) => names.len(),
        None => s.cal.n,
    };
    let bar = super::bar(expected as u64, "best responses");
    let progress = |p: &NashProgress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        let residual = if p.residual.is_nan() {
            String::new()
        } else {
            format!(", last residual {:.1e}", p.residual)
        };
        bar.set_message(format!("round {}{residual}", p.round));
    };
    let war = service::war(s.game(), &request, &progress);
    bar.finish_and_clear();
    let war = war.map_err(service_error)?;
    let (r, seconds) = (&war.result, war.seconds);
    let summary = summarise(&s, &war, &args);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&summary)? + "\n",
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &summary.rows {
                w.serialize(row)?;
            }
            String::from_utf8(w.into_inner().context("flushing CSV")?)?
        }
        Format::Table => table(&summary)?,
    };
    output::emit(args.out.as_deref(), &text)?;
    eprintln!(
        "Nash war: {} players, {} rounds, residual {:.1e}, {:.1} s",
        summary.players, r.rounds, r.residual, seconds
    );
    Ok(())
}

fn summarise(s: &super::Setup, war: &service::War, args: &Args) -> Summary {
    let (r, seconds) = (&war.result, war.seconds);
    let mut rows = Vec::new();
    for (p, player) in r.players.iter().enumerate() {
        for (c, control) in r.controls[p].iter().enumerate() {
            rows.push(Row {
                player: player.name.clone(),
                members: player.members.len(),
                control: control.label.clone(),
                nash_rate_pct: 100.0 * r.rates[p][c],
                closed_form_at_nash_pct: if r.controls[p].len() == 1 {
                    r.closed_form[p].map(|v| 100.0 * v)
                } else {
                    None
                },
                welfare_pct: r.welfare_pct[p],
            });
        }
    }
    Summary {
        world: s.world.source.clone(),
        revenue: match s.cal.params.revenue {
            reciprocity_model::ge::Revenue::LumpSum => "lump-sum rebate".into(),
            reciprocity_model::ge::Revenue::IncomeTaxRelief => "income-tax relief".into(),
        },
        start: s.start_label.clone(),
        players: r.players.len(),
        instrument: format!("{:?}", args.by).to_lowercase(),
        rounds: r.rounds,
        guided_steps: r.guided_steps,
        residual: r.residual,
        tolerance: args.tolerance,
        converged: r.residual < args.tolerance,
        history: r.history.clone(),
        solves: r.solves,
        seconds,
        world_trade_to_gdp_pct: r.outcomes.world_trade_to_gdp_pct,
        rows,
        non_players: war.non_players.clone(),
    }
}

fn table(s: &Summary) -> anyhow::Result<String> {
    let mut out = String::new();
    writeln!(
        out,
        "Nash tariff war: {} players, {} tariffs",
        s.players, s.instrument
    )?;
    writeln!(
        out,
        "World:  {}; start: {}; revenue: {}",
        s.world, s.start, s.revenue
    )?;
    writeln!(
        out,
        "Converged in {} best-response rounds (+{} guided closed-form steps): residual {:.1e} < {:.0e}; {} solves, {:.1} s",
        s.rounds, s.guided_steps, s.residual, s.tolerance, s.solves, s.seconds
    )?;
    writeln!(
        out,
        "Residual by round: {}",
        s.history
            .iter()
            .map(|h| format!("{h:.1e}"))
            .collect::<Vec<_>>()
            .join(" ")
    )?;
    writeln!(out, "World trade-to-GDP {}%", pct(s.world_trade_to_gdp_pct))?;
    writeln!(
        out,
        "\n{:<8} {:<10} {:>10} {:>14} {:>10}",
        "player", "control", "Nash %", "closed form %", "welfare %"
    )?;
    let mut rows: Vec<&Row> = s.rows.iter().collect();
    if s.rows.iter().all(|r| r.control == "all") {
        rows.sort_by(|a, b| a.welfare_pct.total_cmp(&b.welfare_pct));
    }
    for r in rows {
        writeln!(
            out,
            "{:<8} {:<10} {:>10} {:>14} {:>10}",
            r.player,
            r.control,
            rate(r.nash_rate_pct / 100.0),
            r.closed_form_at_nash_pct
                .map_or("–".into(), |v| format!("{v:.2}")),
            pct(r.welfare_pct)
        )?;
    }
    if !s.non_players.is_empty() {
        writeln!(
            out,
            "\n{} countries keep their starting tariffs; their welfare ranges {}% to {}%",
            s.non_players.len(),
            pct(s
                .non_players
                .iter()
                .map(|x| x.1)
                .fold(f64::INFINITY, f64::min)),
            pct(s
                .non_players
                .iter()
                .map(|x| x.1)
                .fold(f64::NEG_INFINITY, f64::max))
        )?;
    }
    Ok(out)
}
