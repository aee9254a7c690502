//! `negotiate accept ID --proposal N [--stage framework|agreement|implemented]`: the side that did
//! not table proposal N accepts it; with `implemented`, the accepted agreement is implemented.

use reciprocity_negotiation::{Action, Event, EventKind, Negotiation, ProposalStatus, State};
use reciprocity_store::{Change, Store};

use super::common::{
    commit, expiry_changes, open_talk, render_transition, score_line, status_change, store_error,
    StoreArgs, WriteArgs,
};
use crate::output::emit;
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
    let (date, mut store, talk, proposals) = open_talk(store_args, &args.id, &args.write)?;
    let stage = match &args.stage {
        Some(s) => match State::parse(s) {
            Some(st @ (State::Framework | State::Agreement | State::Implemented)) => st,
            _ => {
                return Err(BadInput(format!(
                    "--stage: expected framework, agreement or implemented, found {s:?}"
                ))
                .into())
            }
        },
        None => match talk.state_on(date) {
            State::Framework => State::Agreement,
            State::Agreement => State::Implemented,
            _ => State::Framework,
        },
    };
    let action = Action::Accept {
        proposal: args.proposal,
        stage,
    };
    let state = talk
        .check(&action, date, &proposals)
        .map_err(|e| BadInput(e.to_string()))?;
    let accepted = proposals
        .iter()
        .find(|p| p.number == args.proposal)
        .expect("checked by the state machine");
    let mut changes = expiry_changes(&store, date, Some(&talk.id))?;
    let by = match accepted.side.other() {
        reciprocity_negotiation::Side::Us => "the US".to_string(),
        reciprocity_negotiation::Side::Partner => talk.partner.clone(),
    };
    let score = store
        .scores(&talk.id)
        .map_err(store_error)?
        .into_iter()
        .find(|s| s.proposal == args.proposal);
    let detail = if stage == State::Implemented {
        format!(
            "the agreement on proposal #{} is implemented",
            args.proposal
        )
    } else {
        format!(
            "{by} accepts proposal #{} ({}): {}{}",
            args.proposal,
            stage,
            accepted.terms.summary(&talk.partner),
            score
                .as_ref()
                .map_or(String::new(), |s| format!(" — {}", score_line(&s.score)))
        )
    };
    if stage != State::Implemented {
        changes.extend(status_change(&store, accepted, ProposalStatus::Accepted)?);
        for p in proposals
            .iter()
            .filter(|p| p.number != args.proposal && p.status == ProposalStatus::Open)
        {
            changes.extend(status_change(&store, p, ProposalStatus::Superseded)?);
        }
    }
    changes.push(Change::UpdateNegotiation(Negotiation {
        state,
        ..talk.clone()
    }));
    let kind = if stage == State::Implemented {
        EventKind::Implemented
    } else {
        EventKind::Accepted
    };
    changes.push(Change::AppendEvent(Event::new(
        &talk.id,
        date,
        kind,
        Some(args.proposal),
        detail.clone(),
    )));
    commit(&mut store, &changes)?;
    let text = render_transition(args.write.format, &talk.id, args.proposal, state, &detail)?;
    emit(None, &text)
}
