//! `negotiate counter ID --to N ...`: the other side answers open proposal N with its own.

use std::path::PathBuf;

use super::common::{load_talk, StoreArgs};
use super::propose::Table;
use super::terms::TermsArgs;
use crate::output::Format;
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
    /// Fail unless the talk is still at this version.
    #[arg(long, value_name = "V")]
    if_version: Option<u64>,
    /// The world to score on (default: the embedded world).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Record without scoring.
    #[arg(long)]
    no_score: bool,
    /// The date (default today).
    #[arg(long)]
    date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
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
        if_version: args.if_version,
        terms: args.terms,
        data: args.data,
        no_score: args.no_score,
        date: args.date,
        format: args.format,
    }
    .run(store_args)
}
