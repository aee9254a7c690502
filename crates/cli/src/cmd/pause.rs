//! `reciprocity pause --date D`: the pause clock — which partners are inside a pause on that day,
//! the days left, and which rates snap back when it ends, as known on that day.

use std::path::PathBuf;

use reciprocity_policy::pause::pause_clock;
use reciprocity_policy::registry::fmt_pct;
use serde::Serialize;

use super::flags::{load_registry, parse_date, today, RegistryArgs};
use crate::output::{emit, Format};

/// Flags of `reciprocity pause`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The date (YYYY-MM-DD; default today).
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    registry: RegistryArgs,
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
    pause: String,
    partner: String,
    now_pct: f64,
    snap_back_pct: f64,
    ends: String,
    days_left: i64,
    original_end: String,
    extensions_known: usize,
    suspended: String,
    instrument: String,
    source: String,
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let date = match &args.date {
        Some(d) => parse_date("date", d)?,
        None => today(),
    };
    let reg = load_registry(args.registry.registry.as_deref())?;
    let clock = pause_clock(&reg, date);
    let rows: Vec<Row> = clock
        .iter()
        .flat_map(|p| {
            p.partners.iter().map(move |x| Row {
                date: date.to_string(),
                pause: p.id.clone(),
                partner: x.partner.clone(),
                now_pct: x.now_pct,
                snap_back_pct: x.snap_back_pct,
                ends: p.end.to_string(),
                days_left: p.days_left,
                original_end: p.original_end.to_string(),
                extensions_known: p.extensions_known,
                suspended: x.suspended.join(" "),
                instrument: p.instrument.clone(),
                source: p.source.clone(),
            })
        })
        .collect();
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            if rows.is_empty() {
                w.write_record([
                    "date",
                    "pause",
                    "partner",
                    "now_pct",
                    "snap_back_pct",
                    "ends",
                    "days_left",
                    "original_end",
                    "extensions_known",
                    "suspended",
                    "instrument",
                    "source",
                ])?;
            }
            for r in &rows {
                w.serialize(r)?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Table => {
            if clock.is_empty() {
                format!("No pause in force on {date}: every announced rate applies as scheduled.\n")
            } else {
                let mut s = String::new();
                for p in &clock {
                    s.push_str(&format!(
                        "{} ({}): {}\n  since {}, ends {} ({} days left{}); {}\n\n  {:<5} {:>8} {:>11}  suspended\n",
                        p.id,
                        p.instrument,
                        p.title,
                        p.start,
                        p.end,
                        p.days_left,
                        if p.end != p.original_end { format!("; first set to end {}", p.original_end) } else { String::new() },
                        p.source,
                        "iso3",
                        "now %",
                        "snap-back %"
                    ));
                    for x in &p.partners {
                        s.push_str(&format!(
                            "  {:<5} {:>8} {:>11}  {}\n",
                            x.partner,
                            fmt_pct(x.now_pct),
                            fmt_pct(x.snap_back_pct),
                            x.suspended.join(" ")
                        ));
                    }
                    s.push('\n');
                }
                s.push_str("Rates: additional US duty on all goods, percent, as known on the date (later extensions unknown).\n");
                s
            }
        }
    };
    emit(args.out.as_deref(), &text)
}
