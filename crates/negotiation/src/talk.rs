//! A negotiation ("talk") between the US and one partner or bloc, its pause window and its state
//! machine.
//!
//! ```text
//! not_started ─request─▶ requested ─propose─▶ in_talks ─accept─▶ framework ─accept─▶ agreement ─implement─▶ implemented
//!        │                   │                    │                  │                    │
//!        └───────────────────┴──── pause ends ────┴─▶ expired        └──── collapse ──────┴─▶ collapsed
//! ```
//!
//! A talk that has not reached a framework when its pause ends is *expired*: the suspended rates
//! snap back. A framework or agreement is not touched by the end of the pause (the deal rate
//! applies). `collapsed`, `expired` and `implemented` are final.

use chrono::NaiveDate;

use crate::proposal::{Proposal, ProposalStatus, Side};

mod check;

/// Where a talk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// No talks requested.
    NotStarted,
    /// One side asked for talks; nothing tabled yet.
    Requested,
    /// Proposals are on the table.
    InTalks,
    /// A framework (general terms) was accepted; the deal rate applies.
    Framework,
    /// A full agreement was accepted.
    Agreement,
    /// The agreement is implemented (final).
    Implemented,
    /// Talks broke off (final).
    Collapsed,
    /// The pause ended without a framework (final): the suspended rates apply.
    Expired,
}

impl State {
    /// Every state, in the order of the machine.
    pub const ALL: [State; 8] = [
        State::NotStarted,
        State::Requested,
        State::InTalks,
        State::Framework,
        State::Agreement,
        State::Implemented,
        State::Collapsed,
        State::Expired,
    ];

    /// The snake-case name used in the store, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            State::NotStarted => "not_started",
            State::Requested => "requested",
            State::InTalks => "in_talks",
            State::Framework => "framework",
            State::Agreement => "agreement",
            State::Implemented => "implemented",
            State::Collapsed => "collapsed",
            State::Expired => "expired",
        }
    }

    /// Parse [`State::as_str`] (a hyphen is accepted for the underscore).
    pub fn parse(text: &str) -> Option<State> {
        let t = text.trim().replace('-', "_");
        State::ALL.into_iter().find(|s| s.as_str() == t)
    }

    /// No transition leaves this state.
    pub fn is_final(self) -> bool {
        matches!(self, State::Implemented | State::Collapsed | State::Expired)
    }

    /// A deal (framework or later) has been reached: the deal rate, not the snap-back, applies.
    pub fn has_deal(self) -> bool {
        matches!(
            self,
            State::Framework | State::Agreement | State::Implemented
        )
    }

    /// The end of the pause expires a talk in this state.
    pub fn expires_at_pause_end(self) -> bool {
        matches!(self, State::NotStarted | State::Requested | State::InTalks)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An extension of a pause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// When it was decided.
    pub announced: NaiveDate,
    /// The new end (first day the suspended rates apply).
    pub new_end: NaiveDate,
}

/// The pause window of a talk: the suspended rates apply again on `end()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseWindow {
    /// First day of the pause.
    pub start: NaiveDate,
    /// The end as first set (first day the rates snap back).
    pub original_end: NaiveDate,
    /// Extensions, in order.
    pub extensions: Vec<Extension>,
}

impl PauseWindow {
    /// A window of `days` days from `start` (the rates snap back on `start + days`).
    pub fn days(start: NaiveDate, days: u32) -> PauseWindow {
        PauseWindow {
            start,
            original_end: start + chrono::Days::new(u64::from(days)),
            extensions: Vec::new(),
        }
    }

    /// The end in force: the last extension's, else the original.
    pub fn end(&self) -> NaiveDate {
        self.extensions
            .last()
            .map_or(self.original_end, |e| e.new_end)
    }

    /// Days from `date` to the end (negative after it).
    pub fn days_left(&self, date: NaiveDate) -> i64 {
        (self.end() - date).num_days()
    }
}

/// A talk between the US and a partner.
#[derive(Debug, Clone, PartialEq)]
pub struct Negotiation {
    /// Identifier: the partner code (`JPN`, `EUU`).
    pub id: String,
    /// The partner's ISO3 or group code.
    pub partner: String,
    /// The partner's name.
    pub partner_name: String,
    /// The state as last recorded (see [`Negotiation::state_on`] for the state on a date).
    pub state: State,
    /// The pause window.
    pub pause: PauseWindow,
    /// When the record was opened.
    pub opened: NaiveDate,
    /// Optimistic-concurrency version: the stored version this value was read at (1 after insert).
    pub version: u64,
}

/// What a user or an agent does to a talk.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Ask for talks.
    Request,
    /// Table a proposal (or a counterproposal).
    Propose {
        /// The side tabling it.
        side: Side,
        /// The proposal it answers, if any.
        counter_to: Option<u32>,
    },
    /// Replace the terms of an open proposal.
    Amend {
        /// The proposal number.
        proposal: u32,
        /// The side amending it (must be its author).
        side: Side,
    },
    /// Accept a proposal, reaching `stage`.
    Accept {
        /// The proposal number.
        proposal: u32,
        /// The state reached: framework, agreement or implemented.
        stage: State,
    },
    /// Reject a proposal; with `collapse` the talks end.
    Reject {
        /// The proposal number.
        proposal: u32,
        /// Whether the talks collapse.
        collapse: bool,
    },
    /// Move the end of the pause.
    ExtendPause {
        /// The new end.
        new_end: NaiveDate,
    },
}

/// Why an action is refused. The message names the talk, the state and the reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransitionError {
    /// The state does not allow the action.
    #[error("talk {talk}: cannot {action} a talk that is {state}{reason}")]
    InvalidState {
        /// The talk.
        talk: String,
        /// What was tried.
        action: &'static str,
        /// Its state on the date of the action.
        state: State,
        /// More context (starts with "; " when present).
        reason: String,
    },
    /// The proposal does not exist.
    #[error("talk {talk}: no proposal #{proposal} (the talk has {count})")]
    UnknownProposal {
        /// The talk.
        talk: String,
        /// The number asked.
        proposal: u32,
        /// How many proposals it has.
        count: usize,
    },
    /// The proposal is not in a status that allows the action.
    #[error("talk {talk}: proposal #{proposal} is {status}; {reason}")]
    ProposalNotOpen {
        /// The talk.
        talk: String,
        /// The proposal.
        proposal: u32,
        /// Its status.
        status: ProposalStatus,
        /// What was expected.
        reason: String,
    },
    /// Any other rule (a side accepting its own proposal, a date before the pause, ...).
    #[error("talk {talk}: {reason}")]
    Rule {
        /// The talk.
        talk: String,
        /// The rule broken.
        reason: String,
    },
}

impl Negotiation {
    /// A new talk in `not_started`, with its pause window.
    pub fn new(
        partner: &str,
        partner_name: &str,
        pause: PauseWindow,
        opened: NaiveDate,
    ) -> Negotiation {
        Negotiation {
            id: partner.to_string(),
            partner: partner.to_string(),
            partner_name: partner_name.to_string(),
            state: State::NotStarted,
            pause,
            opened,
            version: 0,
        }
    }

    /// The state on `date`: the recorded state, or `expired` when the pause has ended before a deal.
    pub fn state_on(&self, date: NaiveDate) -> State {
        if self.state.expires_at_pause_end() && date >= self.pause.end() {
            State::Expired
        } else {
            self.state
        }
    }

    /// Whether the end of the pause has expired this talk by `date` without it being recorded yet.
    pub fn expiry_due(&self, date: NaiveDate) -> bool {
        self.state.expires_at_pause_end() && date >= self.pause.end()
    }

    /// The state after `action` on `date`, or why it is refused. `proposals` are the talk's
    /// proposals as stored (numbered from 1). Nothing is changed: the caller applies the result.
    pub fn check(
        &self,
        action: &Action,
        date: NaiveDate,
        proposals: &[Proposal],
    ) -> Result<State, TransitionError> {
        let c = check::Checker {
            talk: self,
            state: self.state_on(date),
            proposals,
        };
        if date < self.opened {
            return Err(TransitionError::Rule {
                talk: self.id.clone(),
                reason: format!(
                    "the date {date} is before the talk was opened ({})",
                    self.opened
                ),
            });
        }
        match action {
            Action::Request => match c.state {
                State::NotStarted => Ok(State::Requested),
                _ => Err(c.refuse("request talks on", c.expired_reason())),
            },
            Action::Propose { side, counter_to } => c.propose(*side, *counter_to),
            Action::Amend { proposal, side } => c.amend(*proposal, *side),
            Action::Accept { proposal, stage } => c.accept(*proposal, *stage),
            Action::Reject { proposal, collapse } => c.reject(*proposal, *collapse),
            Action::ExtendPause { new_end } => c.extend(*new_end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::Terms;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn talk(state: State) -> Negotiation {
        let mut n = Negotiation::new(
            "JPN",
            "Japan",
            PauseWindow::days(d("2025-04-09"), 90),
            d("2025-04-09"),
        );
        n.state = state;
        n
    }

    fn proposal(number: u32, side: Side, status: ProposalStatus) -> Proposal {
        Proposal {
            negotiation: "JPN".into(),
            number,
            side,
            counter_to: None,
            status,
            terms: Terms::default(),
            tabled: d("2025-04-20"),
            version: 1,
        }
    }

    /// (state, action, date) → expected new state, or the start of the error message.
    fn check(state: State, action: Action, date: &str, expect: Result<State, &str>) {
        let props = [
            proposal(1, Side::Partner, ProposalStatus::Open),
            proposal(2, Side::Us, ProposalStatus::Accepted),
        ];
        let got = talk(state).check(&action, d(date), &props);
        match (got, expect) {
            (Ok(s), Ok(e)) => assert_eq!(s, e, "{state} {action:?}"),
            (Err(err), Err(e)) => assert!(err.to_string().contains(e), "{state} {action:?}: {err}"),
            (got, expect) => panic!("{state} {action:?}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn pause_window_counts_days() {
        let w = PauseWindow::days(d("2025-04-09"), 90);
        assert_eq!(w.end(), d("2025-07-08"));
        assert_eq!(w.days_left(d("2025-04-09")), 90);
        let mut w2 = w.clone();
        w2.extensions.push(Extension {
            announced: d("2025-07-07"),
            new_end: d("2025-08-01"),
        });
        assert_eq!(w2.end(), d("2025-08-01"));
        assert_eq!(w2.days_left(d("2025-07-31")), 1);
    }

    #[test]
    fn the_state_machine_opens_talks_and_takes_proposals() {
        use Action::*;
        let on = "2025-05-01";
        check(State::NotStarted, Request, on, Ok(State::Requested));
        check(
            State::Requested,
            Request,
            on,
            Err("cannot request talks on a talk that is requested"),
        );
        check(
            State::Requested,
            Propose {
                side: Side::Us,
                counter_to: None,
            },
            on,
            Ok(State::InTalks),
        );
        check(
            State::InTalks,
            Propose {
                side: Side::Us,
                counter_to: Some(1),
            },
            on,
            Ok(State::InTalks),
        );
        check(
            State::InTalks,
            Propose {
                side: Side::Partner,
                counter_to: Some(1),
            },
            on,
            Err("answers the other side"),
        );
        check(
            State::InTalks,
            Propose {
                side: Side::Partner,
                counter_to: Some(2),
            },
            on,
            Err("proposal #2 is accepted"),
        );
        check(
            State::InTalks,
            Propose {
                side: Side::Us,
                counter_to: Some(9),
            },
            on,
            Err("no proposal #9"),
        );
    }

    #[test]
    fn the_state_machine_accepts_by_stage() {
        use Action::*;
        let on = "2025-05-01";
        check(
            State::InTalks,
            Accept {
                proposal: 1,
                stage: State::Framework,
            },
            on,
            Ok(State::Framework),
        );
        check(
            State::InTalks,
            Accept {
                proposal: 1,
                stage: State::Agreement,
            },
            on,
            Ok(State::Agreement),
        );
        check(
            State::InTalks,
            Accept {
                proposal: 1,
                stage: State::Implemented,
            },
            on,
            Err("reaches framework or agreement"),
        );
        check(
            State::Framework,
            Accept {
                proposal: 1,
                stage: State::Agreement,
            },
            on,
            Ok(State::Agreement),
        );
        check(
            State::Agreement,
            Accept {
                proposal: 2,
                stage: State::Implemented,
            },
            on,
            Ok(State::Implemented),
        );
        check(
            State::Agreement,
            Accept {
                proposal: 1,
                stage: State::Implemented,
            },
            on,
            Err("implementation applies the accepted"),
        );
    }

    #[test]
    fn the_state_machine_rejects_amends_and_extends() {
        use Action::*;
        let on = "2025-05-01";
        check(
            State::InTalks,
            Reject {
                proposal: 1,
                collapse: false,
            },
            on,
            Ok(State::InTalks),
        );
        check(
            State::InTalks,
            Reject {
                proposal: 1,
                collapse: true,
            },
            on,
            Ok(State::Collapsed),
        );
        check(
            State::Collapsed,
            Propose {
                side: Side::Us,
                counter_to: None,
            },
            on,
            Err("cannot propose on a talk that is collapsed"),
        );
        check(
            State::Implemented,
            Reject {
                proposal: 1,
                collapse: false,
            },
            on,
            Err("that is implemented"),
        );
        check(
            State::InTalks,
            Amend {
                proposal: 1,
                side: Side::Partner,
            },
            on,
            Ok(State::InTalks),
        );
        check(
            State::InTalks,
            Amend {
                proposal: 1,
                side: Side::Us,
            },
            on,
            Err("only its author amends it"),
        );
        check(
            State::InTalks,
            ExtendPause {
                new_end: d("2025-08-01"),
            },
            on,
            Ok(State::InTalks),
        );
        check(
            State::InTalks,
            ExtendPause {
                new_end: d("2025-07-01"),
            },
            on,
            Err("must move the end later"),
        );
        check(
            State::InTalks,
            Request,
            "2025-04-01",
            Err("before the talk was opened"),
        );
    }

    #[test]
    fn the_end_of_the_pause_expires_talks_without_a_deal() {
        use Action::*;
        let after = "2025-07-08";
        check(
            State::InTalks,
            Accept {
                proposal: 1,
                stage: State::Framework,
            },
            after,
            Err(
                "cannot accept a proposal on a talk that is expired; its pause ended on 2025-07-08",
            ),
        );
        check(
            State::InTalks,
            Propose {
                side: Side::Us,
                counter_to: None,
            },
            after,
            Err("cannot propose on a talk that is expired"),
        );
        check(State::Requested, Request, after, Err("expired"));
        // A framework survives the end of the pause.
        check(
            State::Framework,
            Accept {
                proposal: 1,
                stage: State::Agreement,
            },
            after,
            Ok(State::Agreement),
        );
        assert_eq!(
            talk(State::InTalks).state_on(d("2025-07-07")),
            State::InTalks
        );
        assert_eq!(
            talk(State::InTalks).state_on(d("2025-07-08")),
            State::Expired
        );
        assert!(talk(State::Requested).expiry_due(d("2025-07-08")));
        assert!(!talk(State::Framework).expiry_due(d("2025-09-01")));
    }

    #[test]
    fn state_names_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("in-talks"), Some(State::InTalks));
        assert_eq!(State::parse("done"), None);
    }
}
