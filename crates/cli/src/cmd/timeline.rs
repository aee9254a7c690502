//! `reciprocity timeline`: the import-weighted average US tariff over a period, step by step, with
//! the events; optionally a chart and the comparison with the peer estimates (TWT, `tariffs_hs2/`).
//! The use case is `reciprocity_service::timeline`; the chart `crate::chart::timeline`.
//!
//! The flags it shares with `tariffs`, `pause` and the report (`--registry`, the weights) are in
//! `flags.rs`; the registry and the 2024 import weights load in `reciprocity_service::policy`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use reciprocity_service::policy::TariffTimeline;
use reciprocity_service::timeline::{compare_peer, footer, load_peer_daily, rows, PeerComparison};
use serde::Serialize;

use crate::chart::timeline::chart;
use crate::chart::Chart;
use crate::output::{emit, Format};
use crate::BadInput;

use super::flags::{
    assumptions, from_service, load_registry, load_weights, parse_date, shared_dir, today,
};
use super::flags::{RegistryArgs, WeightArgs};

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

/// The registry, weights and assumptions the flags name, and the shared folder if any.
pub fn load(
    registry: &RegistryArgs,
    weights: &WeightArgs,
) -> anyhow::Result<(TariffTimeline, Option<PathBuf>)> {
    let shared = shared_dir(weights)?;
    let t = TariffTimeline {
        registry: load_registry(registry.registry.as_deref())?,
        weights: load_weights(shared.as_deref())?,
        assumptions: assumptions(weights)?,
    };
    Ok((t, shared))
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
    let (loaded, shared) = load(&args.registry, &args.weights)?;
    if args.compare_peer {
        let Some(shared) = shared else {
            return Err(BadInput(
                "--compare-peer needs the shared data (../shared/data or --shared DIR)".into(),
            )
            .into());
        };
        let rows = compare_peer(&loaded, &shared).map_err(from_service)?;
        let text = peer_text(&rows, args.format)?;
        return emit(args.out.as_deref(), &text);
    }
    let points = loaded.series(from, to);
    let peer = match &shared {
        Some(dir) => load_peer_daily(dir).map_err(from_service)?,
        None => BTreeMap::new(),
    };
    let rows = rows(&loaded, &points, &peer, from, to, args.daily);
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

/// The comparison with the peer in the chosen format.
fn peer_text(rows: &[PeerComparison], format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(rows)? + "\n",
        Format::Csv => csv_of(rows)?,
        Format::Table => {
            let mut s = format!(
                "{:<10}  {:<28}  {:>7}  {:>7}  {:>7}\n",
                "date", "partner", "ours", "peer", "diff"
            );
            for r in rows {
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
