//! `negotiate reject ID --proposal N [--collapse]`: the other side rejects proposal N; with
//! `--collapse` the talks break off.

use reciprocity_service::talks::{self, RejectRequest};

use super::common::{date_or_today, print_transition, service_error, StoreArgs, WriteArgs};

/// Flags of `negotiate reject`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The talk (partner code).
    id: String,
    /// The proposal rejected.
    #[arg(long, value_name = "N")]
    proposal: u32,
    /// The talks break off.
    #[arg(long)]
    collapse: bool,
    /// Why, for the log.
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
    let request = RejectRequest {
        sweep_other_talks: true,
        id: args.id,
        proposal: args.proposal,
        side: None,
        collapse: args.collapse,
        reason: args.reason,
        if_version: args.write.if_version,
        date,
    };
    let done = talks::reject(&mut store, &request).map_err(|e| service_error(e, &db))?;
    print_transition(args.write.format, &done)
}
