//! `negotiate accept ID --proposal N [--stage framework|agreement|implemented]`: the side that did
//! not table proposal N accepts it; with `implemented`, the accepted agreement is implemented.

use reciprocity_negotiation::State;
use reciprocity_service::talks::{self, AcceptRequest};

use super::common::{date_or_today, print_transition, service_error, StoreArgs, WriteArgs};
use crate::BadInput;

/// Flags of `negotiate accept`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The talk (partner code).
    id: String,
    /// The proposal accepted.
    #[arg(long, value_name = "N")]
    proposal: u32,
    /// The stage reached: framework, agreement or implemented (default: the next one).
    #[arg(long)]
    stage: Option<String>,
    #[command(flatten)]
    write: WriteArgs,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let date = date_or_today(args.write.date.as_deref())?;
    let stage = match &args.stage {
        Some(s) => match State::parse(s) {
            Some(st @ (State::Framework | State::Agreement | State::Implemented)) => Some(st),
            _ => {
                return Err(BadInput(format!(
                    "--stage: expected framework, agreement or implemented, found {s:?}"
                ))
                .into())
            }
        },
        None => None,
    };
    let mut store = store_args.open()?;
    let db = store.path().to_path_buf();
    let request = AcceptRequest {
        sweep_other_talks: true,
        id: args.id,
        proposal: args.proposal,
        side: None,
        stage,
        if_version: args.write.if_version,
        date,
    };
    let done = talks::accept(&mut store, &request).map_err(|e| service_error(e, &db))?;
    print_transition(args.write.format, &done)
}
