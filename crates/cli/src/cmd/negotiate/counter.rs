//! `negotiate counter ID --to N ...`: the other side answers open proposal N with its own.

use super::common::{load_talk, StoreArgs, TableArgs};
use super::propose::Table;
use super::terms::TermsArgs;
use crate::BadInput;

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
    let side = {
        let store = store_args.open()?;
        let (talk, proposals) = load_talk(&store, &args.id)?;
        let answered = proposals
            .iter()
            .find(|p| p.number == args.to)
            .ok_or_else(|| {
                BadInput(format!(
                    "talk {}: no proposal #{} (the talk has {})",
                    talk.id,
                    args.to,
                    proposals.len()
                ))
            })?;
        answered.side.other()
    };
    Table {
        id: args.id,
        side,
        counter_to: Some(args.to),
        amend: None,
        terms: args.terms,
        flags: args.flags,
    }
    .run(store_args)
}
