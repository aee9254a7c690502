//! The writes: open a talk, table a proposal, accept, reject, extend the pause.

#[allow(unused_imports)]
use super::*;

/// Open a talk with a partner (talks requested) and set its pause window.
pub fn open_talk(store: &mut dyn Store, req: &OpenRequest) -> Result<Opened> {
    let date = req.date;
    check_date("date", date)?;
    if let Some(start) = req.start {
        check_date("start", start)?;
    }
    if let Some(end) = req.end {
        check_date("end", end)?;
    }
    check_text("partner", None, &req.partner, MAX_CODE_BYTES)?;
    let (code, name) = resolve_partner(&req.partner)?;
    let start = req.start.unwrap_or(date);
    let pause = match (req.days, req.end) {
        (Some(_), Some(_)) => {
            return Err(ServiceError::bad_field("end", "give days or end, not both"))
        }
        (_, Some(end)) => {
            if end <= start {
                return Err(ServiceError::bad_field(
                    "end",
                    format!("expected a day after the start {start}, found {end}"),
                ));
            }
            PauseWindow {
                start,
                original_end: end,
                extensions: vec![],
            }
        }
        (Some(d), None) if d == 0 || d > MAX_PAUSE_DAYS => {
            return Err(ServiceError::bad_field(
                "days",
                format!("expected 1 to {MAX_PAUSE_DAYS} days, found {d}"),
            ))
        }
        (days, None) => PauseWindow::days(start, days.unwrap_or(DEFAULT_PAUSE_DAYS)),
    };
    let mut talk = Negotiation::new(&code, &name, pause, date);
    talk.state = talk.check(&Action::Request, date, &[])?;
    if store.negotiation(&code)?.is_some() {
        return Err(ServiceError::TalkExists(code));
    }
    let mut changes = expiry_changes(store, date, None)?;
    let end = talk.pause.end();
    changes.push(Change::InsertNegotiation(talk.clone()));
    changes.push(Change::AppendEvent(Event::new(
        &code,
        date,
        EventKind::Opened,
        None,
        format!("talks with {name} requested; pause {start} to {end} (rates snap back on {end})"),
    )));
    let events = commit(store, &changes)?;
    Ok(Opened {
        talk: Negotiation {
            version: talk.version.max(1),
            ..talk
        },
        events,
    })
}

/// How often a write without `if_version` is retried when another writer changed the talk in
/// between (the proposal number it read was taken, or the talk's version moved). Every conflict
/// means another write landed, so n concurrent writers need at most n - 1 retries each.
const RETRIES_WITHOUT_VERSION: usize = 16;

/// Table a proposal, a counterproposal (`counter_to`) or an amendment (`amend`): validate the
/// terms against the world's sectors (or `req.sectors`, or the embedded world's), score them on
/// `world` when given and `req.score`, and record proposal, score and events.
///
/// Without `if_version` the caller asked for no guard against other writers, so a conflict with a
/// concurrent write is not theirs to resolve: the proposal is numbered again on the talk as it now
/// is and written again (up to [`RETRIES_WITHOUT_VERSION`] times). With `if_version` a conflict is
/// the caller's 409.
pub fn table_proposal(
    store: &mut dyn Store,
    world: Option<&NegotiationWorld>,
    req: &TableRequest,
) -> Result<Tabled> {
    let mut attempt = 0;
    loop {
        match table_proposal_once(store, world, req) {
            Err(ServiceError::Conflict(_))
                if req.if_version.is_none() && attempt < RETRIES_WITHOUT_VERSION =>
            {
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn table_proposal_once(
    store: &mut dyn Store,
    world: Option<&NegotiationWorld>,
    req: &TableRequest,
) -> Result<Tabled> {
    let date = req.date;
    check_date("date", date)?;
    check_draft_size(&req.draft)?;
    let (talk, proposals) = talk_for_write(store, &req.id, req.if_version)?;
    if req.amend.is_none() {
        check_room(&talk, &proposals)?;
    }
    let side = match (req.side, req.counter_to) {
        (side, Some(c)) => {
            let answered = proposal_in(&talk, &proposals, c)?;
            check_answering_side(&talk, answered, side, "counter")?
        }
        (Some(side), None) => side,
        (None, None) => {
            return Err(ServiceError::bad_field(
                "side",
                "expected us or partner, found nothing",
            ))
        }
    };
    let action = match req.amend {
        Some(n) => Action::Amend { proposal: n, side },
        None => Action::Propose {
            side,
            counter_to: req.counter_to,
        },
    };
    let state = talk.check(&action, date, &proposals)?;
    let sectors = match (world, &req.sectors) {
        (Some(w), _) => w.data.sectors.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => crate::scenario::load_world(None)?.data.sectors,
    };
    let terms = validate_terms(sectors, &talk, &req.draft)?;
    let scored = match world {
        Some(w) if req.score => Some(score_terms(w, &talk, &terms, date)?),
        _ => None,
    };

    let mut changes = other_expiries(store, date, &talk.id, req.sweep_other_talks)?;
    let (proposal, kind) = lay_proposal(store, &talk, &proposals, req, &terms, side, &mut changes)?;
    let (number, version) = (proposal.number, proposal.version);
    // Every change to a talk bumps its version: two writers on one talk cannot both win.
    let updated = Negotiation {
        state,
        ..talk.clone()
    };
    changes.push(Change::UpdateNegotiation(updated.clone()));
    let summary = terms.summary(&talk.partner);
    let detail = match (kind, req.counter_to) {
        (EventKind::Amended, _) => {
            format!("{} amends proposal #{number}: {summary}", who(&talk, side))
        }
        (_, Some(c)) => format!(
            "{} counters #{c} with proposal #{number}: {summary}",
            who(&talk, side)
        ),
        _ => format!("{} proposes #{number}: {summary}", who(&talk, side)),
    };
    changes.push(Change::AppendEvent(Event::new(
        &talk.id,
        date,
        kind,
        Some(number),
        detail,
    )));
    if let Some(s) = &scored {
        changes.extend(score_changes(&talk, number, version, date, s));
    }
    let events = commit(store, &changes)?;
    Ok(Tabled {
        talk: bumped(updated),
        proposal,
        summary,
        scored,
        events,
    })
}

/// The proposal a tabling writes (a new number, or the amended one) and its event kind; pushes
/// its changes (and the countered proposal's status) onto `changes`.
fn lay_proposal(
    store: &mut dyn Store,
    talk: &Negotiation,
    proposals: &[Proposal],
    req: &TableRequest,
    terms: &Terms,
    side: Side,
    changes: &mut Vec<Change>,
) -> Result<(Proposal, EventKind)> {
    Ok(match req.amend {
        Some(n) => {
            let old = proposal_in(talk, proposals, n)?;
            let updated = Proposal {
                terms: terms.clone(),
                ..old.clone()
            };
            changes.push(Change::UpdateProposal(updated.clone()));
            (
                Proposal {
                    version: old.version + 1,
                    ..updated
                },
                EventKind::Amended,
            )
        }
        None => {
            let number = proposals.iter().map(|p| p.number).max().unwrap_or(0) + 1;
            let new = Proposal {
                negotiation: talk.id.clone(),
                number,
                side,
                counter_to: req.counter_to,
                status: ProposalStatus::Open,
                terms: terms.clone(),
                tabled: req.date,
                version: 0,
            };
            changes.push(Change::InsertProposal(new.clone()));
            if let Some(c) = req.counter_to {
                let answered = proposal_in(talk, proposals, c)?;
                changes.extend(status_change(store, answered, ProposalStatus::Countered)?);
            }
            let kind = if req.counter_to.is_some() {
                EventKind::Countered
            } else {
                EventKind::Proposed
            };
            (Proposal { version: 1, ..new }, kind)
        }
    })
}

/// The stored score of a freshly tabled proposal and its event.
fn score_changes(
    talk: &Negotiation,
    number: u32,
    version: u64,
    date: NaiveDate,
    s: &Scored,
) -> Vec<Change> {
    let mut changes = Vec::new();
    changes.push(Change::PutScore(score_record(
        talk,
        number,
        version,
        date,
        s.score.clone(),
    )));
    changes.push(Change::AppendEvent(Event::new(
        &talk.id,
        date,
        EventKind::Scored,
        Some(number),
        format!(
            "proposal #{number} v{version} on the {} world: {}",
            s.score.world,
            score_line(&s.score)
        ),
    )));
    changes
}

/// What an answer to a proposal (accept, reject) starts from: the talk, its proposals, the state
/// the action leads to, the side answering, and the expiries due.
pub(super) struct Answer {
    talk: Negotiation,
    proposals: Vec<Proposal>,
    state: State,
    by: Side,
    changes: Vec<Change>,
}

/// Read the talk, check `action` (built from the talk) with the state machine and the side
/// answering proposal `number`.
pub(super) fn answer(
    store: &dyn Store,
    id: &str,
    if_version: Option<u64>,
    date: NaiveDate,
    number: u32,
    side: Option<Side>,
    action: impl FnOnce(&Negotiation) -> Result<Action>,
) -> Result<Answer> {
    let (talk, proposals) = talk_for_write(store, id, if_version)?;
    let action = action(&talk)?;
    let state = talk.check(&action, date, &proposals)?;
    let verb = match action {
        Action::Accept { .. } => "accept",
        _ => "reject",
    };
    let proposal = proposal_in(&talk, &proposals, number)?;
    let by = match action {
        // Implementation is the US's act (the proclamation or order that changes its tariffs), not
        // an answer to the other side: a partner's team cannot take a talk to its final state alone.
        Action::Accept {
            stage: State::Implemented,
            ..
        } => match side {
            Some(Side::Partner) => {
                return Err(ServiceError::Refused(format!(
                    "talk {}: only the US implements an agreement (its proclamation or order changes the tariffs); \
                     {} can accept a framework or an agreement",
                    talk.id,
                    who(&talk, Side::Partner)
                )))
            }
            _ => Side::Us,
        },
        _ => check_answering_side(&talk, proposal, side, verb)?,
    };
    // The caller adds the expiries of other talks, if it records them (`other_expiries`).
    let changes = Vec::new();
    Ok(Answer {
        talk,
        proposals,
        state,
        by,
        changes,
    })
}

/// Finish an answer: the talk in its new state, the event of the answer (and `more` events
/// after it), committed together.
pub(super) fn commit_answer(
    store: &mut dyn Store,
    mut answer: Answer,
    event: Event,
    more: Vec<Event>,
) -> Result<Transition> {
    let updated = Negotiation {
        state: answer.state,
        ..answer.talk
    };
    answer
        .changes
        .push(Change::UpdateNegotiation(updated.clone()));
    let (proposal, detail) = (event.proposal.unwrap_or(0), event.detail.clone());
    answer
        .changes
        .extend(std::iter::once(event).chain(more).map(Change::AppendEvent));
    let events = commit(store, &answer.changes)?;
    Ok(Transition {
        talk: bumped(updated),
        proposal,
        state: answer.state,
        detail,
        events,
    })
}

/// Accept a proposal (the side that did not table it): a framework, an agreement, or (stage
/// `implemented`) the implementation of the accepted agreement. The other open proposals are
/// superseded.
pub fn accept(store: &mut dyn Store, req: &AcceptRequest) -> Result<Transition> {
    let date = req.date;
    check_date("date", date)?;
    let mut stage = State::Framework;
    let mut a = answer(
        store,
        &req.id,
        req.if_version,
        date,
        req.proposal,
        req.side,
        |talk| {
            stage = match req.stage {
                Some(st @ (State::Framework | State::Agreement | State::Implemented)) => st,
                Some(other) => {
                    return Err(ServiceError::bad_field(
                        "stage",
                        format!(
                            "expected framework, agreement or implemented, found {:?}",
                            other.as_str()
                        ),
                    ))
                }
                None => match talk.state_on(date) {
                    State::Framework => State::Agreement,
                    State::Agreement => State::Implemented,
                    _ => State::Framework,
                },
            };
            Ok(Action::Accept {
                proposal: req.proposal,
                stage,
            })
        },
    )?;
    a.changes = other_expiries(store, date, &a.talk.id, req.sweep_other_talks)?;
    let (talk, accepted) = (&a.talk, proposal_in(&a.talk, &a.proposals, req.proposal)?);
    let score = store
        .scores(&talk.id)?
        .into_iter()
        .find(|s| s.proposal == req.proposal);
    let (kind, detail) = if stage == State::Implemented {
        (
            EventKind::Implemented,
            format!("the agreement on proposal #{} is implemented", req.proposal),
        )
    } else {
        let detail = format!(
            "{} accepts proposal #{} ({}): {}{}",
            who(talk, a.by),
            req.proposal,
            stage,
            accepted.terms.summary(&talk.partner),
            score
                .as_ref()
                .map_or(String::new(), |s| format!(" — {}", score_line(&s.score)))
        );
        let mut changes = status_change(store, accepted, ProposalStatus::Accepted)?;
        for p in a
            .proposals
            .iter()
            .filter(|p| p.number != req.proposal && p.status == ProposalStatus::Open)
        {
            changes.extend(status_change(store, p, ProposalStatus::Superseded)?);
        }
        a.changes.extend(changes);
        (EventKind::Accepted, detail)
    };
    let event = Event::new(&a.talk.id, date, kind, Some(req.proposal), detail);
    commit_answer(store, a, event, vec![])
}

/// Reject a proposal (the side that did not table it); with `collapse`, the talks break off.
pub fn reject(store: &mut dyn Store, req: &RejectRequest) -> Result<Transition> {
    let date = req.date;
    check_date("date", date)?;
    if let Some(r) = &req.reason {
        check_text("reason", None, r, MAX_REASON_BYTES)?;
    }
    let mut a = answer(
        store,
        &req.id,
        req.if_version,
        date,
        req.proposal,
        req.side,
        |_| {
            Ok(Action::Reject {
                proposal: req.proposal,
                collapse: req.collapse,
            })
        },
    )?;
    a.changes = other_expiries(store, date, &a.talk.id, req.sweep_other_talks)?;
    let rejected = proposal_in(&a.talk, &a.proposals, req.proposal)?;
    let changes = status_change(store, rejected, ProposalStatus::Rejected)?;
    a.changes.extend(changes);
    let reason = req
        .reason
        .as_deref()
        .map_or(String::new(), |r| format!(": {r}"));
    let detail = format!(
        "{} rejects proposal #{}{reason}",
        who(&a.talk, a.by),
        req.proposal
    );
    let event = Event::new(
        &a.talk.id,
        date,
        EventKind::Rejected,
        Some(req.proposal),
        detail,
    );
    let more = match a.state {
        State::Collapsed => vec![Event::new(
            &a.talk.id,
            date,
            EventKind::Collapsed,
            None,
            format!("talks break off{reason}"),
        )],
        _ => vec![],
    };
    commit_answer(store, a, event, more)
}

/// Move the day the rates of talk `id` snap back to `new_end`, decided on `date`.
pub fn extend(
    store: &mut dyn Store,
    id: &str,
    new_end: NaiveDate,
    if_version: Option<u64>,
    date: NaiveDate,
) -> Result<Extended> {
    check_date("date", date)?;
    check_date("end", new_end)?;
    let (talk, proposals) = talk_for_write(store, id, if_version)?;
    let state = talk.check(&Action::ExtendPause { new_end }, date, &proposals)?;
    let old_end = talk.pause.end();
    let mut updated = Negotiation {
        state,
        ..talk.clone()
    };
    updated.pause.extensions.push(Extension {
        announced: date,
        new_end,
    });
    let mut changes = expiry_changes(store, date, Some(&talk.id))?;
    changes.push(Change::UpdateNegotiation(updated.clone()));
    let detail = format!("pause extended: the rates snap back on {new_end} instead of {old_end}");
    changes.push(Change::AppendEvent(Event::new(
        &talk.id,
        date,
        EventKind::PauseExtended,
        None,
        detail,
    )));
    let events = commit(store, &changes)?;
    Ok(Extended {
        talk: bumped(updated),
        old_end,
        events,
    })
}
