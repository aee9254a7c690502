//! `reciprocity strategy ...`: optimal tariffs, retaliation, the Nash tariff war and trade talks
//! on the GE engine (docs/model.md §7), for any country of any world.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use reciprocity_model::ge::{Calibration, Revenue};
use reciprocity_model::strategy::Player;
use reciprocity_service::scenario::{self as ge_run, World};
use reciprocity_service::strategy as service;
use reciprocity_service::ServiceError;

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
    /// An embedded world instead: `default` (194 countries, one sector) or `sectors` (OECD ICIO
    /// 2022, 30 regions x 14 sectors; docs/sector-world.md).
    #[arg(long, conflicts_with = "data")]
    pub world: Option<String>,
    /// A scenario TOML: its [model] sets the parameters and its tariffs the starting point
    /// (the "no deal" point of `bargain`). Omitted: the ILMS preset and the factual tariffs.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Override how tariff revenue is recycled.
    #[arg(long, value_enum)]
    pub revenue: Option<RevenueArg>,
}

/// A calibrated world with its starting tariffs.
pub use reciprocity_service::strategy::Setup;

/// Load, calibrate and resolve the starting point.
pub fn setup(args: &WorldArgs) -> anyhow::Result<Setup> {
    let world = ge_run::load_named_world(args.data.as_deref(), args.world.as_deref())?;
    setup_on(world, args.scenario.as_deref(), args.revenue)
}

/// As [`setup`], on a world already loaded.
pub fn setup_on(
    world: World,
    scenario: Option<&Path>,
    revenue: Option<RevenueArg>,
) -> anyhow::Result<Setup> {
    service::setup_on(world, scenario, revenue_of(revenue)).map_err(service_error)
}

/// The model's revenue closure of `--revenue`.
pub fn revenue_of(revenue: Option<RevenueArg>) -> Option<Revenue> {
    revenue.map(|r| match r {
        RevenueArg::IncomeTaxRelief => Revenue::IncomeTaxRelief,
        RevenueArg::LumpSum => Revenue::LumpSum,
    })
}

/// Resolve one player name: an ISO3 code, or a group (dataset group, EU27, ...) as a bloc.
pub fn player(cal: &Calibration, world: &World, name: &str) -> anyhow::Result<Player> {
    service::player(cal, world, name).map_err(service_error)
}

/// A comma-separated list of players.
pub fn players(cal: &Calibration, world: &World, list: &str) -> anyhow::Result<Vec<Player>> {
    let names: Vec<&str> = list.split(',').collect();
    service::players(cal, world, &names).map_err(service_error)
}

/// Map a service error of the strategy use cases onto the CLI's errors: bad input exits 2; a
/// search without an optimum or without convergence, and a failed solve, exit 1.
pub fn service_error(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::BadInput { .. } => match crate::cmd::flags::bad_input(&e) {
            Some(b) => b.into(),
            None => anyhow::Error::new(e),
        },
        ServiceError::Refused(m) => anyhow::Error::msg(m),
        ServiceError::Model { context, cause } if context.is_empty() => anyhow::Error::new(cause),
        ServiceError::Model { context, cause } => anyhow::Error::new(cause).context(context),
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
