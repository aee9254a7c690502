//! Every subcommand in one enum; each lives in its own file with its own `Args` and `run`.

use clap::{Parser, Subcommand};

pub mod chart;
pub mod completions;
pub mod costs;
pub mod data;
pub mod etr;
pub mod flags;
pub mod formula;
pub mod man;
pub mod negotiate;
pub mod pause;
pub mod product;
pub mod report;
pub mod serve;
pub mod simulate;
pub mod strategy;
pub mod tariffs;
pub mod timeline;
pub mod users;
pub mod world;

/// `reciprocity --version`: the package version and the commit it was built from (build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("RECIPROCITY_GIT_COMMIT"),
    ")"
);

/// Reciprocity: reciprocal tariffs from data to general equilibrium.
#[derive(Debug, Parser)]
#[command(name = "reciprocity", version = VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The official April 2025 reciprocal-tariff formula, for every partner.
    Formula(formula::Args),
    /// The tariff-gap chart: charged vs reciprocal rates, and what partners really apply.
    Chart(chart::Args),
    /// Dataset tools (`data check PATH`).
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Build worlds: `world build --out DIR` (80 economies + ROW x sectors, OECD ICIO 2022).
    #[command(subcommand)]
    World(world::WorldCommand),
    /// Write the full report (tables and charts) into a directory.
    Report(report::Args),
    /// Solve the general-equilibrium model for a scenario (or a directory of scenarios).
    Simulate(simulate::Args),
    /// The additional US tariffs in force on a date, by partner and measure.
    Tariffs(tariffs::Args),
    /// The statutory effective US tariff rate (MFN base + every authority) on a date or a period.
    Etr(etr::Args),
    /// What the tariffs in force on a date cost: price level, cost per household, revenue in dollars.
    Costs(costs::Args),
    /// The import-weighted average US tariff over a period, with the events.
    Timeline(timeline::Args),
    /// The pause clock on a date: who is paused, days left, what snaps back.
    Pause(pause::Args),
    /// Negotiations: the store of talks and proposals, GE scoring against no deal, and the simulated round.
    Negotiate(negotiate::Args),
    /// Strategy: optimal tariffs, retaliation, the Nash tariff war, trade talks.
    #[command(subcommand)]
    Strategy(strategy::StrategyCommand),
    /// Serve the JSON API and the dashboard (roles by token: `users add`).
    Serve(serve::Args),
    /// The users of the API: `users add NAME --role admin|analyst|team:ISO3`, `list`, `remove NAME`.
    Users(users::Args),
    /// Shell completions generated from this command line: `completions bash|zsh|fish`.
    Completions(completions::Args),
    /// The man page generated from this command line (`man | man -l -`, or `man --out DIR`).
    Man(man::Args),
}

/// Dispatch a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Formula(args) => formula::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Data(cmd) => data::run(cmd),
        Command::World(cmd) => world::run(cmd),
        Command::Report(args) => report::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Tariffs(args) => tariffs::run(args),
        Command::Etr(args) => etr::run(args),
        Command::Costs(args) => costs::run(args),
        Command::Timeline(args) => timeline::run(args),
        Command::Pause(args) => pause::run(args),
        Command::Strategy(cmd) => strategy::run(cmd),
        Command::Negotiate(args) => negotiate::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Users(args) => users::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}
