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

/// The first and last dates the record accepts: from the GATT (1947) to 2200. Dates beyond
/// chrono's calendar arithmetic used to panic, and absurd years were stored (issue 15).
pub const DATE_RANGE: (i32, i32) = (1947, 2200);

/// Refuse a date outside [`DATE_RANGE`], naming the field.
pub fn check_date(field: &'static str, date: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    let (first, last) = DATE_RANGE;
    if (first..=last).contains(&date.year()) {
        Ok(())
    } else {
        Err(ServiceError::bad_field(
            field,
            format!("expected a date in the years {first} to {last}, found {date}"),
        ))
    }
}

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

/// A request to withdraw a proposal (the US lead: the admin), e.g. one that broke its talk's
/// reads: its status becomes `withdrawn` and its score is dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct WithdrawRequest {
    /// The talk.
    pub id: String,
    /// The proposal withdrawn.
    pub proposal: u32,
    /// Why, for the log (at most [`MAX_REASON_BYTES`]).
    pub reason: Option<String>,
    /// Fail unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date.
    pub date: NaiveDate,
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
    /// Why the talk's proposals or scores cannot be read, when they cannot: the row shows the
    /// talk without them, and the rest of the board is unaffected.
    pub problem: Option<String>,
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
    /// When the proposals are one page of more: the number of the last one, to ask for the next
    /// page with (`after`).
    pub next_after: Option<u32>,
}

/// A page of a talk's log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPage {
    /// The events, in order, numbered in the talk's log.
    pub events: Vec<Event>,
    /// When there are more: the number of the last event, to ask for the next page with.
    pub next_after: Option<u64>,
}

impl TalkDetail {
    /// The stored score of proposal `number` (possibly of an older version).
    pub fn score_of(&self, number: u32) -> Option<&ScoreRecord> {
        self.scores.iter().find(|s| s.proposal == number)
    }
}

mod helpers;
mod limits;
mod read;
mod withdraw;
mod write;

pub use helpers::*;
pub use limits::*;
pub use read::*;
pub use withdraw::*;
pub use write::*;
