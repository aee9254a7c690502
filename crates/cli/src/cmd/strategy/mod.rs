//! `reciprocity strategy ...`: optimal tariffs, retaliation, the Nash tariff war and trade talks
//! on the GE engine (MODEL.md §7), for any country of any world.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use reciprocity_model::ge::{self, Calibration, Params, Revenue};
use reciprocity_model::strategy::{Player, StrategyError};

use crate::ge_run::{self, World};
use crate::BadInput;

pub mod bargain;
pub mod nash;
pub mod optimal;
pub mod retaliate;

/// The `strategy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum StrategyCommand {
    /// A country's optimal tariffs: the ILMS closed form and the numerical best response.
    Optimal(optimal::Args),
    /// A country's tariffs met by retaliation: none, reciprocal, optimal, best response, explicit.
    Retaliate(retaliate::Args),
    /// The Nash tariff war among a set of players (default: every country).
    Nash(nash::Args),
    /// Trade talks: Nash bargaining over the pair of bilateral tariffs, with the Pareto frontier.
    Bargain(bargain::Args),
}

/// Dispatch.
pub fn run(cmd: StrategyCommand) -> anyhow::Result<()> {
    match cmd {
        StrategyCommand::Optimal(args) => optimal::run(args),
        StrategyCommand::Retaliate(args) => retaliate::run(args),
        StrategyCommand::Nash(args) => nash::run(args),
        StrategyCommand::Bargain(args) => bargain::run(args),
    }
}

/// How tariff revenue is recycled (overrides the preset / scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RevenueArg {
    /// Revenue lowers the income tax (ILMS baseline).
    IncomeTaxRelief,
    /// Revenue is rebated lump-sum.
    LumpSum,
}

/// Flags every strategy subcommand shares.
#[derive(Debug, Clone, clap::Args)]
pub struct WorldArgs {
    /// A dataset folder (e.g. ../shared/data/ilms2025, ../shared/data/ossa2014); omitted: the embedded world.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A scenario TOML: its [model] sets the parameters and its tariffs the starting point
    /// (the "no deal" point of `bargain`). Omitted: the ILMS preset and the factual tariffs.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Override how tariff revenue is recycled.
    #[arg(long, value_enum)]
    pub revenue: Option<RevenueArg>,
}

/// A calibrated world with its starting tariffs.
pub struct Setup {
    /// The data.
    pub world: World,
    /// The calibration.
    pub cal: Calibration,
    /// Starting tariffs: the scenario's, or the factual ones.
    pub start: Vec<f64>,
    /// Where the start came from (for output).
    pub start_label: String,
    /// Notes from resolving the scenario.
    pub notes: Vec<String>,
}

/// Load, calibrate and resolve the starting point.
pub fn setup(args: &WorldArgs) -> anyhow::Result<Setup> {
    let world = ge_run::load_world(args.data.as_deref())?;
    setup_on(world, args.scenario.as_deref(), args.revenue)
}

/// As [`setup`], on a world already loaded.
pub fn setup_on(
    world: World,
    scenario: Option<&Path>,
    revenue: Option<RevenueArg>,
) -> anyhow::Result<Setup> {
    let (file, origin) = match scenario {
        Some(path) => {
            let mut inputs = ge_run::read_scenarios(path)?;
            if inputs.len() != 1 {
                return Err(BadInput(format!(
                    "{}: expected one scenario file, found a directory of {}",
                    path.display(),
                    inputs.len()
                ))
                .into());
            }
            let input = inputs.remove(0);
            (input.file, input.path.display().to_string())
        }
        None => (
            reciprocity_scenario::parse("", "defaults").map_err(|e| BadInput(e.to_string()))?,
            "the factual tariffs".to_string(),
        ),
    };
    let mut params: Params = file
        .params(&world.data, &origin)
        .map_err(|e| BadInput(e.to_string()))?;
    match revenue {
        Some(RevenueArg::IncomeTaxRelief) => params.revenue = Revenue::IncomeTaxRelief,
        Some(RevenueArg::LumpSum) => params.revenue = Revenue::LumpSum,
        None => {}
    }
    let cal =
        ge::calibrate(&world.data, &params).map_err(|e| BadInput(format!("calibration: {e}")))?;
    let resolved = file
        .resolve(&world.data, &cal, &origin)
        .map_err(|e| BadInput(e.to_string()))?;
    let start_label = match scenario {
        Some(_) => format!("scenario {}", resolved.name),
        None => origin,
    };
    Ok(Setup {
        world,
        cal,
        start: resolved.tariffs,
        start_label,
        notes: resolved.notes,
    })
}

/// Resolve one player name: an ISO3 code, or a group (dataset group, EU27, ...) as a bloc.
pub fn player(cal: &Calibration, world: &World, name: &str) -> anyhow::Result<Player> {
    let name = name.trim();
    if let Some(i) = world.data.country_index(name) {
        return Ok(Player::country(cal, i));
    }
    let codes: Option<Vec<String>> = world.data.groups.get(name).cloned().or_else(|| {
        reciprocity_data::registry::group(name).map(|g| g.into_iter().map(str::to_string).collect())
    });
    match codes {
        Some(codes) => {
            let members: Vec<usize> = codes
                .iter()
                .filter_map(|c| world.data.country_index(c))
                .collect();
            if members.is_empty() {
                return Err(
                    BadInput(format!("group {name}: none of its members is in the data")).into(),
                );
            }
            Ok(Player {
                name: name.to_string(),
                members,
            })
        }
        None => Err(BadInput(format!(
            "expected an ISO3 code of the data or a group (EU27, EU25, ...), found \"{name}\"{}",
            if world.data.n_countries() <= 20 {
                format!(" (the data have: {})", world.data.countries.join(", "))
            } else {
                String::new()
            }
        ))
        .into()),
    }
}

/// A comma-separated list of players.
pub fn players(cal: &Calibration, world: &World, list: &str) -> anyhow::Result<Vec<Player>> {
    let out: Vec<Player> = list
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| player(cal, world, s))
        .collect::<anyhow::Result<_>>()?;
    if out.is_empty() {
        return Err(BadInput("expected at least one player".into()).into());
    }
    Ok(out)
}

/// Map a strategy error: ill-posed input is the user's to fix (exit 2), the rest is a failure.
pub fn strategy_error(e: StrategyError) -> anyhow::Error {
    match e {
        StrategyError::InvalidInput(m) => BadInput(m).into(),
        other => anyhow::Error::new(other),
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} {what} {{msg}} [{{elapsed}}]"
        ))
        .expect("static template"),
    );
    bar
}

/// Percent with sign and two decimals.
pub fn pct(v: f64) -> String {
    format!("{v:+.2}")
}

/// A rate (fraction) as a percent with two decimals.
pub fn rate(v: f64) -> String {
    format!("{:.2}", 100.0 * v)
}
