//! `reciprocity negotiate`: the system of record of the talks (a SQLite store), proposals scored
//! with the GE engine against the no-deal alternative, and the agent simulation of a pause round.
//! One file per subcommand.

pub mod accept;
pub mod common;
pub mod counter;
pub mod export;
pub mod extend;
pub mod import;
pub mod log;
pub mod open;
pub mod propose;
pub mod reject;
pub mod simulate;
pub mod status;
pub mod terms;
pub mod withdraw;

use clap::Subcommand;

use common::StoreArgs;

/// Flags of `reciprocity negotiate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Open a talk with a partner (talks requested) and set its pause window.
    Open(open::Args),
    /// Table a proposal (or amend an open one), scored against no deal.
    Propose(propose::Args),
    /// Answer an open proposal with a counterproposal from the other side.
    Counter(counter::Args),
    /// Accept a proposal: framework, agreement, or implementation of the agreement.
    Accept(accept::Args),
    /// Reject a proposal (and optionally break off the talks).
    Reject(reject::Args),
    /// Withdraw a proposal (the US lead): its status becomes withdrawn, its score is dropped.
    Withdraw(withdraw::Args),
    /// Move the end of a talk's pause.
    Extend(extend::Args),
    /// Every talk with its state, the pause days left and its best proposal's score (or one talk's proposals).
    Status(status::Args),
    /// The event log.
    Log(log::Args),
    /// Export the whole store as JSON (or a flat listing as a table or CSV).
    Export(export::Args),
    /// Import a JSON export into an empty store.
    Import(import::Args),
    /// Simulate a pause round with partners and the US as agents, and compare it with 2025.
    Simulate(simulate::Args),
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let store = &args.store;
    match args.command {
        Sub::Open(a) => open::run(store, a),
        Sub::Propose(a) => propose::run(store, a),
        Sub::Counter(a) => counter::run(store, a),
        Sub::Accept(a) => accept::run(store, a),
        Sub::Reject(a) => reject::run(store, a),
        Sub::Withdraw(a) => withdraw::run(store, a),
        Sub::Extend(a) => extend::run(store, a),
        Sub::Status(a) => status::run(store, a),
        Sub::Log(a) => log::run(store, a),
        Sub::Export(a) => export::run(store, a),
        Sub::Import(a) => import::run(store, a),
        Sub::Simulate(a) => simulate::run(a),
    }
}
