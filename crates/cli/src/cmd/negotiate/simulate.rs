//! `negotiate simulate`: the pause round with the partners and the US as agents, and its
//! comparison with the real 2025 sequence. The use case is `reciprocity_service::round`; the
//! outputs are rendered by `crate::render::round`.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use reciprocity_service::round::{run_round, RoundRequest};

use crate::cmd::flags::from_service;
use crate::output::{csv_text, emit, Format};
use crate::render::round::{round_json, summary_text, talk_cells, write_dir, TALK_HEADERS};

/// Flags of `negotiate simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A dataset folder (default: the embedded 194-country world).
    #[arg(long)]
    data: Option<PathBuf>,
    /// An embedded world instead: `default` or `sectors` (OECD ICIO 2022, 30 regions x 14 sectors).
    #[arg(long, conflicts_with = "data")]
    world: Option<String>,
    /// How many partners take part: the largest by 2024 trade with the US (the EU as one bloc).
    #[arg(long, default_value_t = 75)]
    partners: usize,
    /// Length of the pause in days.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// The seed of every random draw.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First day of the pause (2025-04-10: the rates snap back on 2025-07-09 after 90 days).
    #[arg(long, default_value = "2025-04-10")]
    start: String,
    /// US objective: weight on US welfare (% change).
    #[arg(long, default_value_t = 1.0)]
    us_welfare_weight: f64,
    /// US objective: weight on the fall of the US trade deficit (% of its no-deal value).
    #[arg(long, default_value_t = 0.0)]
    us_deficit_weight: f64,
    /// US objective: weight on US output in a protected sector, `SECTOR=WEIGHT` (repeatable).
    #[arg(long = "us-protect", value_name = "SECTOR=WEIGHT")]
    us_protect: Vec<String>,
    /// Write every output (events, talks, tariffs, welfare, comparison, chart) into this directory.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format of what is printed.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Run it.
pub fn run(args: Args) -> anyhow::Result<()> {
    let start = crate::cmd::flags::parse_date("start", &args.start)?;
    let request = RoundRequest {
        data: args.data.clone(),
        world: args.world.clone(),
        partners: args.partners,
        days: args.days,
        seed: args.seed,
        start,
        welfare_weight: args.us_welfare_weight,
        deficit_weight: args.us_deficit_weight,
        protect: args.us_protect.clone(),
    };
    let bar = ProgressBar::new(u64::from(args.days));
    bar.set_style(
        ProgressStyle::with_template("{bar:40} day {pos}/{len} {msg}").expect("static template"),
    );
    let round =
        run_round(request, &|day| bar.set_position(u64::from(day))).map_err(from_service)?;
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        let files = write_dir(dir, &round)?;
        eprintln!("wrote {} files into {}", files.len(), dir.display());
    }
    let text = match args.format {
        Format::Table => summary_text(&round),
        Format::Csv => csv_text(&TALK_HEADERS, &talk_cells(&round))?,
        Format::Json => serde_json::to_string_pretty(&round_json(&round))? + "\n",
    };
    emit(None, &text)
}
