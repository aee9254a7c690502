//! `negotiate withdraw ID --proposal N [--reason TEXT]`: the US lead takes proposal N off the
//! record: its status becomes `withdrawn` and its stored score is dropped. The repair of a talk
//! whose stored score cannot be read (`negotiate status` names such a talk); an accepted proposal
//! cannot be withdrawn.

use reciprocity_service::talks::{self, WithdrawRequest};

use super::common::{date_or_today, print_transition, service_error, StoreArgs, WriteArgs};

/// Flags of `negotiate withdraw`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The talk (partner code).
    id: String,
    /// The proposal withdrawn.
    #[arg(long, value_name = "N")]
    proposal: u32,
    /// Why, for the log (at most 4 KiB).
    #[arg(long)]
    reason: Option<String>,
    #[command(flatten)]
    write: WriteArgs,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let date = date_or_today(args.write.date.as_deref())?;
    let mut store = store_args.open()?;
    let db = store.path().to_path_buf();
    let request = WithdrawRequest {
        id: args.id,
        proposal: args.proposal,
        reason: args.reason,
        if_version: args.write.if_version,
        date,
    };
    let done = talks::withdraw(&mut store, &request).map_err(|e| service_error(e, &db))?;
    print_transition(args.write.format, &done)
}
