//! The rules of each action of [`Negotiation::check`](super::Negotiation::check): which states allow it and
//! what it needs of the proposals.

use chrono::NaiveDate;

use super::{Negotiation, State, TransitionError};
use crate::proposal::{Proposal, ProposalStatus, Side};

/// One check: the talk, its state on the date of the action, its proposals.
pub(super) struct Checker<'a> {
    pub(super) talk: &'a Negotiation,
    pub(super) state: State,
    pub(super) proposals: &'a [Proposal],
}

impl Checker<'_> {
    pub(super) fn refuse(&self, action: &'static str, reason: String) -> TransitionError {
        TransitionError::InvalidState {
            talk: self.talk.id.clone(),
            action,
            state: self.state,
            reason,
        }
    }

    /// Why a talk whose pause has ended refuses (empty otherwise).
    pub(super) fn expired_reason(&self) -> String {
        if self.state == State::Expired {
            format!(
                "; its pause ended on {} (the suspended rates apply)",
                self.talk.pause.end()
            )
        } else {
            String::new()
        }
    }

    fn find(&self, number: u32) -> Result<&Proposal, TransitionError> {
        self.proposals
            .iter()
            .find(|p| p.number == number)
            .ok_or(TransitionError::UnknownProposal {
                talk: self.talk.id.clone(),
                proposal: number,
                count: self.proposals.len(),
            })
    }

    pub(super) fn propose(
        &self,
        side: Side,
        counter_to: Option<u32>,
    ) -> Result<State, TransitionError> {
        let state = self.state;
        if !matches!(state, State::Requested | State::InTalks | State::Framework) {
            return Err(self.refuse("propose on", self.expired_reason()));
        }
        if let Some(n) = counter_to {
            let answered = self.find(n)?;
            if answered.side == side {
                return Err(TransitionError::Rule {
                    talk: self.talk.id.clone(),
                    reason: format!(
                        "a counterproposal answers the other side: proposal #{n} is the {}'s own",
                        side.as_str()
                    ),
                });
            }
            if answered.status != ProposalStatus::Open {
                return Err(TransitionError::ProposalNotOpen {
                    talk: self.talk.id.clone(),
                    proposal: n,
                    status: answered.status,
                    reason: "only an open proposal can be countered".into(),
                });
            }
        }
        Ok(if state == State::Framework {
            State::Framework
        } else {
            State::InTalks
        })
    }

    pub(super) fn amend(&self, proposal: u32, side: Side) -> Result<State, TransitionError> {
        let state = self.state;
        if !matches!(state, State::InTalks | State::Framework) {
            return Err(self.refuse("amend a proposal of", self.expired_reason()));
        }
        let p = self.find(proposal)?;
        if p.side != side {
            return Err(TransitionError::Rule {
                talk: self.talk.id.clone(),
                reason: format!(
                    "proposal #{proposal} is the {}'s; only its author amends it",
                    p.side.as_str()
                ),
            });
        }
        if p.status != ProposalStatus::Open {
            return Err(TransitionError::ProposalNotOpen {
                talk: self.talk.id.clone(),
                proposal,
                status: p.status,
                reason: "only an open proposal can be amended".into(),
            });
        }
        Ok(state)
    }

    pub(super) fn accept(&self, proposal: u32, stage: State) -> Result<State, TransitionError> {
        let state = self.state;
        let allowed = matches!(
            (state, stage),
            (State::InTalks, State::Framework | State::Agreement)
                | (State::Framework, State::Agreement)
                | (State::Agreement, State::Implemented)
        );
        if !allowed {
            let reason =
                if state.is_final() || state == State::Requested || state == State::NotStarted {
                    self.expired_reason()
                } else {
                    format!(
                        "; from {state} an acceptance reaches {}",
                        match state {
                            State::InTalks => "framework or agreement",
                            State::Framework => "agreement",
                            _ => "implemented",
                        }
                    )
                };
            return Err(self.refuse("accept a proposal on", reason));
        }
        let p = self.find(proposal)?;
        let wanted = if stage == State::Implemented {
            ProposalStatus::Accepted
        } else {
            ProposalStatus::Open
        };
        if p.status != wanted {
            return Err(TransitionError::ProposalNotOpen {
                talk: self.talk.id.clone(),
                proposal,
                status: p.status,
                reason: if wanted == ProposalStatus::Open {
                    "only an open proposal can be accepted".into()
                } else {
                    "implementation applies the accepted proposal".into()
                },
            });
        }
        Ok(stage)
    }

    pub(super) fn reject(&self, proposal: u32, collapse: bool) -> Result<State, TransitionError> {
        let state = self.state;
        if !matches!(state, State::InTalks | State::Framework) {
            return Err(self.refuse("reject a proposal on", self.expired_reason()));
        }
        let p = self.find(proposal)?;
        if p.status != ProposalStatus::Open {
            return Err(TransitionError::ProposalNotOpen {
                talk: self.talk.id.clone(),
                proposal,
                status: p.status,
                reason: "only an open proposal can be rejected".into(),
            });
        }
        Ok(if collapse { State::Collapsed } else { state })
    }

    pub(super) fn extend(&self, new_end: NaiveDate) -> Result<State, TransitionError> {
        let state = self.state;
        if state.is_final() {
            return Err(self.refuse("extend the pause of", self.expired_reason()));
        }
        if new_end <= self.talk.pause.end() {
            return Err(TransitionError::Rule {
                talk: self.talk.id.clone(),
                reason: format!(
                    "an extension must move the end later: the pause ends on {}, the new end given is {new_end}",
                    self.talk.pause.end()
                ),
            });
        }
        Ok(state)
    }
}
