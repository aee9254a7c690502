//! Withdrawing a proposal: the US lead's (the admin's) repair of the record. A proposal whose
//! stored score cannot be read (written before the store refused such rows, issue 15 item 1) made
//! every answer on its talk fail; withdrawing it drops the score and closes the proposal, with an
//! event in the log. The edges allow it to the admin only.

#[allow(unused_imports)]
use super::*;

/// Withdraw proposal `req.proposal`: its status becomes `withdrawn` and its score is dropped; the
/// talk's state does not change (an accepted proposal, on which that state rests, cannot be
/// withdrawn). The talk's scores are not read, so an unreadable score does not stand in the way.
pub fn withdraw(store: &mut dyn Store, req: &WithdrawRequest) -> Result<Transition> {
    check_date("date", req.date)?;
    if let Some(r) = &req.reason {
        check_text("reason", None, r, MAX_REASON_BYTES)?;
    }
    let (talk, proposals) = talk_for_write(store, &req.id, req.if_version)?;
    let p = proposal_in(&talk, &proposals, req.proposal)?;
    match p.status {
        ProposalStatus::Accepted => {
            return Err(ServiceError::Refused(format!(
            "talk {}: proposal #{} is accepted: the talk's {} rests on it; it cannot be withdrawn",
            talk.id, p.number, talk.state
        )))
        }
        ProposalStatus::Withdrawn => {
            return Err(ServiceError::Refused(format!(
                "talk {}: proposal #{} is withdrawn already",
                talk.id, p.number
            )))
        }
        _ => {}
    }
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map_or(String::new(), |r| format!(": {r}"));
    let detail = format!(
        "the US withdraws proposal #{} (was {}){reason}",
        p.number, p.status
    );
    let updated = talk.clone();
    let changes = vec![
        Change::UpdateProposal(Proposal {
            status: ProposalStatus::Withdrawn,
            ..p.clone()
        }),
        Change::DeleteScore {
            negotiation: talk.id.clone(),
            proposal: p.number,
        },
        Change::UpdateNegotiation(updated.clone()),
        Change::AppendEvent(Event::new(
            &talk.id,
            req.date,
            EventKind::Withdrawn,
            Some(p.number),
            detail.clone(),
        )),
    ];
    let events = commit(store, &changes)?;
    Ok(Transition {
        state: updated.state,
        talk: bumped(updated),
        proposal: req.proposal,
        detail,
        events,
    })
}
