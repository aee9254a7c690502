//! The negotiation workflows on any [`Store`]: open a talk, table a proposal (propose, counter,
//! amend), accept, reject, extend the pause, and the reads (board, one talk, the log).
//!
//! Every write reads the talk, checks the action with the state machine
//! ([`Negotiation::check`]), and commits one list of changes: the pause expiries that are due on
//! the date (for every other talk), the talk itself (its version bumps on every change, so two
//! writers on one talk cannot both win), the proposals, the scores and the events. Nothing is
//! printed; the callers render the typed results.

use std::time::Instant;

use chrono::NaiveDate;
use reciprocity_negotiation::{
    Action, Event, EventKind, Extension, Negotiation, PauseWindow, Proposal, ProposalStatus, Score,
    Side, State, Terms, TermsDraft,
};
use reciprocity_store::{Change, ScoreRecord, Store};

use crate::world::NegotiationWorld;
use crate::{Result, ServiceError};

/// The pause length when neither `days` nor `end` is given.
pub const DEFAULT_PAUSE_DAYS: u32 = 90;

/// The longest pause a talk may be opened with (ten years): beyond any real pause, and far from
/// the calendar's end.
pub const MAX_PAUSE_DAYS: u32 = 3650;

// ------------------------------------------------------------------------------------ requests

/// A request to open a talk.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenRequest {
    /// The partner: ISO3 code, country name, or EU.
    pub partner: String,
    /// The date of the request.
    pub date: NaiveDate,
    /// The first day of the pause (default: `date`).
    pub start: Option<NaiveDate>,
    /// The length of the pause in days (the rates snap back on start + days; default
    /// [`DEFAULT_PAUSE_DAYS`]). Give `days` or `end`, not both.
    pub days: Option<u32>,
    /// The day the rates snap back.
    pub end: Option<NaiveDate>,
}

/// A proposal, counterproposal or amendment to table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRequest {
    /// The talk (partner code, name or EU).
    pub id: String,
    /// Who tables it. Optional for a counterproposal (the side that did not table `counter_to`);
    /// required otherwise.
    pub side: Option<Side>,
    /// The open proposal it answers (a counterproposal).
    pub counter_to: Option<u32>,
    /// The open proposal (of the same side) whose terms it replaces (an amendment).
    pub amend: Option<u32>,
    /// The terms as typed; validated against the world's sectors.
    pub draft: TermsDraft,
    /// Fail with [`ServiceError::StaleVersion`] unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date.
    pub date: NaiveDate,
    /// Score the proposal on the world given to [`table_proposal`] (ignored without one).
    pub score: bool,
    /// The sector codes the terms are validated against when no world is given (default: the
    /// embedded world's).
    pub sectors: Option<Vec<String>>,
    /// Also record the expiry of every *other* talk whose pause has ended, in the same commit (the
    /// CLI: one user, one log). The server sets it false: a partner's write must not touch, nor
    /// report, nor conflict with, another partner's talk.
    pub sweep_other_talks: bool,
}

/// A request to accept a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptRequest {
    /// The talk.
    pub id: String,
    /// The proposal accepted.
    pub proposal: u32,
    /// The side accepting: must be the side that did not table the proposal (`None`: that side).
    pub side: Option<Side>,
    /// The stage reached: framework, agreement or implemented (`None`: the next one).
    pub stage: Option<State>,
    /// Fail unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date.
    pub date: NaiveDate,
    /// Also record the expiry of every *other* talk whose pause has ended, in the same commit (the
    /// CLI: one user, one log). The server sets it false: a partner's write must not touch, nor
    /// report, nor conflict with, another partner's talk.
    pub sweep_other_talks: bool,
}

/// A request to reject a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectRequest {
    /// The talk.
    pub id: String,
    /// The proposal rejected.
    pub proposal: u32,
    /// The side rejecting: must be the side that did not table the proposal (`None`: that side).
    pub side: Option<Side>,
    /// The talks break off.
    pub collapse: bool,
    /// Why, for the log.
    pub reason: Option<String>,
    /// Fail unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date.
    pub date: NaiveDate,
    /// Also record the expiry of every *other* talk whose pause has ended, in the same commit (the
    /// CLI: one user, one log). The server sets it false: a partner's write must not touch, nor
    /// report, nor conflict with, another partner's talk.
    pub sweep_other_talks: bool,
}

// ------------------------------------------------------------------------------------- results

/// A talk opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The talk as stored (version 1).
    pub talk: Negotiation,
    /// The events appended (with their log positions), the expiries of other talks included.
    pub events: Vec<Event>,
}

/// A proposal scored, with the time it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The score.
    pub score: Score,
    /// Milliseconds spent in the scoring call.
    pub scoring_ms: f64,
    /// Milliseconds spent solving the no-deal reference (loading the world is not included: see
    /// [`NegotiationWorld::load_ms`]).
    pub setup_ms: f64,
    /// Where the no-deal rates came from.
    pub no_deal: String,
    /// What the world assumed (partner tariffs filled in, ...).
    pub world_notes: Vec<String>,
}

/// A proposal tabled or amended.
#[derive(Debug, Clone, PartialEq)]
pub struct Tabled {
    /// The talk as stored after the write (its version bumped).
    pub talk: Negotiation,
    /// The proposal as stored after the write.
    pub proposal: Proposal,
    /// Its one-line summary (`USA all 15%; ...`).
    pub summary: String,
    /// The score, when scored.
    pub scored: Option<Scored>,
    /// The events appended.
    pub events: Vec<Event>,
}

/// A proposal accepted or rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The talk as stored after the write.
    pub talk: Negotiation,
    /// The proposal concerned.
    pub proposal: u32,
    /// The talk's new state.
    pub state: State,
    /// What happened (the text of the main event).
    pub detail: String,
    /// The events appended.
    pub events: Vec<Event>,
}

/// A pause extended.
#[derive(Debug, Clone, PartialEq)]
pub struct Extended {
    /// The talk as stored after the write.
    pub talk: Negotiation,
    /// The day the rates would have snapped back.
    pub old_end: NaiveDate,
    /// The events appended.
    pub events: Vec<Event>,
}

/// The best proposal of a talk: the accepted one when there is one; otherwise the open proposal
/// (with a score of its current version) whose worse-off side gains most against no deal.
#[derive(Debug, Clone, PartialEq)]
pub struct BestProposal {
    /// Its number.
    pub proposal: u32,
    /// Its score (of its current version), if scored.
    pub score: Option<ScoreRecord>,
}

/// One row of the board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    /// The talk.
    pub talk: Negotiation,
    /// Its state on the date.
    pub state: State,
    /// Days left in the pause (0 once it has ended or a deal is reached).
    pub days_left: i64,
    /// Proposals tabled.
    pub proposals: usize,
    /// Of which open.
    pub open: usize,
    /// The best proposal, if any.
    pub best: Option<BestProposal>,
}

/// One talk with its proposals and their scores.
#[derive(Debug, Clone, PartialEq)]
pub struct TalkDetail {
    /// The talk.
    pub talk: Negotiation,
    /// Its proposals, by number.
    pub proposals: Vec<Proposal>,
    /// Their scores, by proposal number (a score of an older version is stale).
    pub scores: Vec<ScoreRecord>,
}

impl TalkDetail {
    /// The stored score of proposal `number` (possibly of an older version).
    pub fn score_of(&self, number: u32) -> Option<&ScoreRecord> {
        self.scores.iter().find(|s| s.proposal == number)
    }
}

// ------------------------------------------------------------------------------------- helpers

/// A talk id / partner as typed: ISO3, a country name, or EU. Returns (code, name).
pub fn resolve_partner(text: &str) -> Result<(String, String)> {
    let t = text.trim();
    if matches!(t.to_ascii_uppercase().as_str(), "EU" | "EUU" | "EU27") {
        return Ok(("EUU".into(), "European Union".into()));
    }
    match reciprocity_data::registry::country(t) {
        Some(c) if c.iso3 == "USA" => Err(ServiceError::bad_input(
            "the United States is a party of every talk, not a partner",
        )),
        Some(c) if c.is_group => Err(ServiceError::bad_input(format!(
            "unknown partner {t:?}: {} is a group of countries; the blocs with talks are: EU",
            c.name
        ))),
        Some(c) => Ok((c.iso3.clone(), c.name.clone())),
        None => Err(ServiceError::bad_input(format!(
            "unknown partner {t:?}: expected an ISO3 code, a country name or EU"
        ))),
    }
}

/// The talk `id` (code, name or EU) with its proposals; [`ServiceError::NoTalk`] when there is
/// none.
pub fn load_talk(store: &dyn Store, id: &str) -> Result<(Negotiation, Vec<Proposal>)> {
    let (code, _) = resolve_partner(id)?;
    let talk = store
        .negotiation(&code)?
        .ok_or_else(|| ServiceError::NoTalk(code.clone()))?;
    let proposals = store.proposals(&code)?;
    Ok((talk, proposals))
}

/// [`ServiceError::StaleVersion`] when `expected` names another version than the talk's.
pub fn check_version(talk: &Negotiation, expected: Option<u64>) -> Result<()> {
    match expected {
        Some(v) if v != talk.version => Err(ServiceError::StaleVersion {
            talk: talk.id.clone(),
            stored: talk.version,
            expected: v,
        }),
        _ => Ok(()),
    }
}

/// The talk a write starts from, checked against `if_version`.
fn talk_for_write(
    store: &dyn Store,
    id: &str,
    if_version: Option<u64>,
) -> Result<(Negotiation, Vec<Proposal>)> {
    let (talk, proposals) = load_talk(store, id)?;
    check_version(&talk, if_version)?;
    Ok((talk, proposals))
}

/// Record the end of the pause for every talk (but `except`) it has expired by `date`, to be
/// written with the caller's own changes, in the same transaction.
pub fn expiry_changes(
    store: &dyn Store,
    date: NaiveDate,
    except: Option<&str>,
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for n in store.negotiations()? {
        if Some(n.id.as_str()) == except || !n.expiry_due(date) {
            continue;
        }
        let end = n.pause.end();
        let was = n.state;
        out.push(Change::AppendEvent(Event::new(
            &n.id,
            end,
            EventKind::Expired,
            None,
            format!(
                "the pause ended on {end} without a deal (was {was}): the suspended rates apply"
            ),
        )));
        out.push(Change::UpdateNegotiation(Negotiation {
            state: State::Expired,
            ..n
        }));
    }
    Ok(out)
}

/// [`expiry_changes`] of the talks other than `id` when `sweep`, else nothing.
fn other_expiries(
    store: &dyn Store,
    date: NaiveDate,
    id: &str,
    sweep: bool,
) -> Result<Vec<Change>> {
    if sweep {
        expiry_changes(store, date, Some(id))
    } else {
        Ok(Vec::new())
    }
}

/// A change of a proposal's status, carrying its score over to the new version (the terms did
/// not change, so the score still holds).
pub fn status_change(
    store: &dyn Store,
    p: &Proposal,
    status: ProposalStatus,
) -> Result<Vec<Change>> {
    let mut out = vec![Change::UpdateProposal(Proposal {
        status,
        ..p.clone()
    })];
    if let Some(s) = store
        .scores(&p.negotiation)?
        .into_iter()
        .find(|s| s.proposal == p.number && s.proposal_version == p.version)
    {
        out.push(Change::PutScore(ScoreRecord {
            proposal_version: p.version + 1,
            ..s
        }));
    }
    Ok(out)
}

/// Validate a draft for `talk` against a world's `sectors`.
pub fn validate_terms(
    sectors: Vec<String>,
    talk: &Negotiation,
    draft: &TermsDraft,
) -> Result<Terms> {
    let ctx = reciprocity_negotiation::ValidationContext {
        partner: talk.partner.clone(),
        partner_aliases: if talk.partner == "EUU" {
            vec!["EU".into(), "EU27".into()]
        } else {
            vec![]
        },
        sectors,
    };
    reciprocity_negotiation::validate(draft, &ctx)
        .map_err(|e| ServiceError::bad_input(e.to_string()))
}

/// Score `terms` in `talk` on `world`, against the no-deal reference of the talk's pause end as
/// known on `date`.
pub fn score_terms(
    world: &NegotiationWorld,
    talk: &Negotiation,
    terms: &Terms,
    date: NaiveDate,
) -> Result<Scored> {
    let t0 = Instant::now();
    let partner = world.partner(&talk.partner, &talk.partner_name)?;
    let reference = world.reference(talk.pause.end(), date)?;
    let (reference, no_deal) = (&reference.0, &reference.1);
    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
    let t1 = Instant::now();
    let score = reciprocity_negotiation::score(&world.world, reference, &partner, terms)?;
    Ok(Scored {
        score,
        scoring_ms: t1.elapsed().as_secs_f64() * 1e3,
        setup_ms,
        no_deal: no_deal.describe(),
        world_notes: world.notes.clone(),
    })
}

/// A score as a stored record.
pub fn score_record(
    talk: &Negotiation,
    number: u32,
    proposal_version: u64,
    date: NaiveDate,
    score: Score,
) -> ScoreRecord {
    ScoreRecord {
        negotiation: talk.id.clone(),
        proposal: number,
        proposal_version,
        scored_on: date,
        score,
    }
}

/// One line: `US -0.0120%, JPN +0.3500% welfare vs no deal; US rate on JPN 24.0% → 15.0%; ...`
/// (the text of the `scored` and `accepted` events).
pub fn score_line(s: &Score) -> String {
    format!(
        "US {:+.4}%, {} {:+.4}% welfare vs no deal; US rate on {} {:.1}% → {:.1}%; {} rate on US goods {:.1}% → {:.1}%",
        s.us_welfare_pct,
        s.partner,
        s.partner_welfare_pct,
        s.partner,
        s.us_rate_no_deal_pct,
        s.us_rate_deal_pct,
        s.partner,
        s.partner_rate_no_deal_pct,
        s.partner_rate_deal_pct
    )
}

/// Commit `changes` and return the events among them with their log positions.
fn commit(store: &mut dyn Store, changes: &[Change]) -> Result<Vec<Event>> {
    let committed = store.commit(changes)?;
    let appended = changes.iter().filter_map(|c| match c {
        Change::AppendEvent(e) => Some(e.clone()),
        _ => None,
    });
    Ok(appended
        .zip(
            committed
                .event_seqs
                .iter()
                .copied()
                .chain(std::iter::repeat(0)),
        )
        .map(|(e, seq)| Event { seq, ..e })
        .collect())
}

/// A talk as the store keeps it after an update (the version read, plus one).
fn bumped(talk: Negotiation) -> Negotiation {
    Negotiation {
        version: talk.version + 1,
        ..talk
    }
}

/// Who a side is in an event's text.
fn who(talk: &Negotiation, side: Side) -> String {
    match side {
        Side::Us => "the US".into(),
        Side::Partner => talk.partner.clone(),
    }
}

/// The proposal `number` of a talk, or the state machine's refusal.
fn proposal_in<'a>(
    talk: &Negotiation,
    proposals: &'a [Proposal],
    number: u32,
) -> Result<&'a Proposal> {
    proposals
        .iter()
        .find(|p| p.number == number)
        .ok_or_else(|| {
            ServiceError::Refused(format!(
                "talk {}: no proposal #{number} (the talk has {})",
                talk.id,
                proposals.len()
            ))
        })
}

/// Refuse when `side` is given and is not the side that answers `p`.
fn check_answering_side(
    talk: &Negotiation,
    p: &Proposal,
    side: Option<Side>,
    verb: &str,
) -> Result<Side> {
    let answering = p.side.other();
    match side {
        Some(s) if s != answering => Err(ServiceError::Refused(format!(
            "talk {}: proposal #{} was tabled by {}: only {} can {verb} it",
            talk.id,
            p.number,
            who(talk, p.side),
            who(talk, answering)
        ))),
        _ => Ok(answering),
    }
}

// -------------------------------------------------------------------------------------- writes

/// Open a talk with a partner (talks requested) and set its pause window.
pub fn open_talk(store: &mut dyn Store, req: &OpenRequest) -> Result<Opened> {
    let date = req.date;
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

/// Table a proposal, a counterproposal (`counter_to`) or an amendment (`amend`): validate the
/// terms against the world's sectors (or `req.sectors`, or the embedded world's), score them on
/// `world` when given and `req.score`, and record proposal, score and events.
pub fn table_proposal(
    store: &mut dyn Store,
    world: Option<&NegotiationWorld>,
    req: &TableRequest,
) -> Result<Tabled> {
    let date = req.date;
    let (talk, proposals) = talk_for_write(store, &req.id, req.if_version)?;
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
    let (proposal, kind) = match req.amend {
        Some(n) => {
            let old = proposal_in(&talk, &proposals, n)?;
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
                tabled: date,
                version: 0,
            };
            changes.push(Change::InsertProposal(new.clone()));
            if let Some(c) = req.counter_to {
                let answered = proposal_in(&talk, &proposals, c)?;
                changes.extend(status_change(store, answered, ProposalStatus::Countered)?);
            }
            let kind = if req.counter_to.is_some() {
                EventKind::Countered
            } else {
                EventKind::Proposed
            };
            (Proposal { version: 1, ..new }, kind)
        }
    };
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
        changes.push(Change::PutScore(score_record(
            &talk,
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

/// What an answer to a proposal (accept, reject) starts from: the talk, its proposals, the state
/// the action leads to, the side answering, and the expiries due.
struct Answer {
    talk: Negotiation,
    proposals: Vec<Proposal>,
    state: State,
    by: Side,
    changes: Vec<Change>,
}

/// Read the talk, check `action` (built from the talk) with the state machine and the side
/// answering proposal `number`.
fn answer(
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
    let by = check_answering_side(&talk, proposal_in(&talk, &proposals, number)?, side, verb)?;
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
fn commit_answer(
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

// --------------------------------------------------------------------------------------- reads

fn best(proposals: &[Proposal], scores: &[ScoreRecord]) -> Option<BestProposal> {
    let score_of = |n: u32, v: u64| {
        scores
            .iter()
            .find(|s| s.proposal == n && s.proposal_version == v)
            .cloned()
    };
    if let Some(p) = proposals
        .iter()
        .find(|p| p.status == ProposalStatus::Accepted)
    {
        return Some(BestProposal {
            proposal: p.number,
            score: score_of(p.number, p.version),
        });
    }
    proposals
        .iter()
        .filter(|p| p.status == ProposalStatus::Open)
        .filter_map(|p| score_of(p.number, p.version).map(|s| (p.number, s)))
        .max_by(|a, b| {
            a.1.score
                .worse_side_gain_pct()
                .total_cmp(&b.1.score.worse_side_gain_pct())
        })
        .map(|(n, s)| BestProposal {
            proposal: n,
            score: Some(s),
        })
}

/// The board on `date`: every talk with its state, the pause days left and its best proposal.
pub fn board(store: &dyn Store, date: NaiveDate) -> Result<Vec<BoardRow>> {
    let mut rows = Vec::new();
    for n in store.negotiations()? {
        let proposals = store.proposals(&n.id)?;
        let scores = store.scores(&n.id)?;
        let state = n.state_on(date);
        let live = !state.is_final() && !state.has_deal();
        rows.push(BoardRow {
            days_left: if live {
                n.pause.days_left(date).max(0)
            } else {
                0
            },
            proposals: proposals.len(),
            open: proposals
                .iter()
                .filter(|p| p.status == ProposalStatus::Open)
                .count(),
            best: best(&proposals, &scores),
            state,
            talk: n,
        });
    }
    Ok(rows)
}

/// One talk (code, name or EU) with its proposals and their scores.
pub fn talk_detail(store: &dyn Store, id: &str) -> Result<TalkDetail> {
    let (talk, proposals) = load_talk(store, id)?;
    let scores = store.scores(&talk.id)?;
    Ok(TalkDetail {
        talk,
        proposals,
        scores,
    })
}

/// The event log, in order: of one talk (code, name or EU), or of all.
pub fn log(store: &dyn Store, id: Option<&str>) -> Result<Vec<Event>> {
    let code = id.map(resolve_partner).transpose()?.map(|(c, _)| c);
    Ok(store.events(code.as_deref())?)
}
