//! `negotiate reject ID --proposal N [--collapse]`: the other side rejects proposal N; with
//! `--collapse` the talks break off.

use reciprocity_negotiation::{Action, Event, EventKind, Negotiation, ProposalStatus, Side, State};
use reciprocity_store::Change;

use super::common::{
    commit, expiry_changes, open_talk, render_transition, status_change, StoreArgs, WriteArgs,
};
use crate::output::emit;
use crate::BadInput;

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
    let (date, mut store, talk, proposals) = open_talk(store_args, &args.id, &args.write)?;
    let action = Action::Reject {
        proposal: args.proposal,
        collapse: args.collapse,
    };
    let state = talk
        .check(&action, date, &proposals)
        .map_err(|e| BadInput(e.to_string()))?;
    let rejected = proposals
        .iter()
        .find(|p| p.number == args.proposal)
        .expect("checked by the state machine");
    let by = match rejected.side {
        Side::Us => talk.partner.clone(),
        Side::Partner => "the US".into(),
    };
    let reason = args
        .reason
        .as_deref()
        .map_or(String::new(), |r| format!(": {r}"));
    let mut changes = expiry_changes(&store, date, Some(&talk.id))?;
    changes.extend(status_change(&store, rejected, ProposalStatus::Rejected)?);
    changes.push(Change::UpdateNegotiation(Negotiation {
        state,
        ..talk.clone()
    }));
    let detail = format!("{by} rejects proposal #{}{reason}", args.proposal);
    changes.push(Change::AppendEvent(Event::new(
        &talk.id,
        date,
        EventKind::Rejected,
        Some(args.proposal),
        detail.clone(),
    )));
    if state == State::Collapsed {
        changes.push(Change::AppendEvent(Event::new(
            &talk.id,
            date,
            EventKind::Collapsed,
            None,
            format!("talks break off{reason}"),
        )));
    }
    commit(&mut store, &changes)?;
    let text = render_transition(args.write.format, &talk.id, args.proposal, state, &detail)?;
    emit(None, &text)
}
