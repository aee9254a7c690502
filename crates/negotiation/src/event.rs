//! The append-only event log of the talks.

use chrono::NaiveDate;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A talk was opened (talks requested).
    Opened,
    /// A proposal was tabled.
    Proposed,
    /// A counterproposal was tabled.
    Countered,
    /// An open proposal's terms were replaced.
    Amended,
    /// A proposal was accepted (framework or agreement).
    Accepted,
    /// An accepted agreement was implemented.
    Implemented,
    /// A proposal was rejected.
    Rejected,
    /// Talks broke off.
    Collapsed,
    /// The pause ended without a deal: the suspended rates apply.
    Expired,
    /// The pause end was moved.
    PauseExtended,
    /// A proposal was scored with the GE model.
    Scored,
    /// Talks were not requested before the pause ended (simulation).
    Declined,
    /// The US lead (the admin) took a proposal off the record.
    Withdrawn,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 13] = [
        EventKind::Opened,
        EventKind::Proposed,
        EventKind::Countered,
        EventKind::Amended,
        EventKind::Accepted,
        EventKind::Implemented,
        EventKind::Rejected,
        EventKind::Collapsed,
        EventKind::Expired,
        EventKind::PauseExtended,
        EventKind::Scored,
        EventKind::Declined,
        EventKind::Withdrawn,
    ];

    /// The snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Proposed => "proposed",
            EventKind::Countered => "countered",
            EventKind::Amended => "amended",
            EventKind::Accepted => "accepted",
            EventKind::Implemented => "implemented",
            EventKind::Rejected => "rejected",
            EventKind::Collapsed => "collapsed",
            EventKind::Expired => "expired",
            EventKind::PauseExtended => "pause_extended",
            EventKind::Scored => "scored",
            EventKind::Declined => "declined",
            EventKind::Withdrawn => "withdrawn",
        }
    }

    /// Parse [`EventKind::as_str`].
    pub fn parse(text: &str) -> Option<EventKind> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Position in the whole store's log (assigned by the store; 0 before it is stored). Counts
    /// the events of every talk: not for a team's eyes (see `number`).
    pub seq: u64,
    /// Position in its talk's log: 1, 2, ... without gaps (assigned by the store inside the write
    /// transaction; 0 before it is stored). What a team sees.
    pub number: u64,
    /// The talk.
    pub negotiation: String,
    /// The date it refers to.
    pub date: NaiveDate,
    /// What happened.
    pub kind: EventKind,
    /// The proposal concerned, if any.
    pub proposal: Option<u32>,
    /// A human-readable account.
    pub detail: String,
}

impl Event {
    /// A new event (not yet stored).
    pub fn new(
        negotiation: &str,
        date: NaiveDate,
        kind: EventKind,
        proposal: Option<u32>,
        detail: impl Into<String>,
    ) -> Event {
        Event {
            seq: 0,
            number: 0,
            negotiation: negotiation.to_string(),
            date,
            kind,
            proposal,
            detail: detail.into(),
        }
    }
}
