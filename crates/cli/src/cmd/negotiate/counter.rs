//! `negotiate counter ID --to N ...`: the other side answers open proposal N with its own.

use super::common::{StoreArgs, TableArgs};
use super::propose::Table;
use super::terms::TermsArgs;

/// Flags of `negotiate counter`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The talk (partner code).
    id: String,
    /// The open proposal answered (the counter comes from the other side).
    #[arg(long, value_name = "N")]
    to: u32,
    #[command(flatten)]
    terms: TermsArgs,
    #[command(flatten)]
    flags: TableArgs,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    Table {
        id: args.id,
        side: None,
        counter_to: Some(args.to),
        amend: None,
        terms: args.terms,
        flags: args.flags,
    }
    .run(store_args)
}
