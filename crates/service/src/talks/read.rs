//! The reads: the board, one talk, the log.

#[allow(unused_imports)]
use super::*;

pub(super) fn best(proposals: &[Proposal], scores: &[ScoreRecord]) -> Option<BestProposal> {
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

/// The board on `date`: every talk with its state, the pause days left and its best proposal. A
/// talk whose proposals or scores cannot be read (a damaged record) is listed with the problem
/// and without them: it never takes the board down with it.
pub fn board(store: &dyn Store, date: NaiveDate) -> Result<Vec<BoardRow>> {
    let mut rows = Vec::new();
    for n in store.negotiations()? {
        let read = store
            .proposals(&n.id)
            .and_then(|p| Ok((p, store.scores(&n.id)?)));
        let (proposals, scores, problem) = match read {
            Ok((p, s)) => (p, s, None),
            Err(e @ reciprocity_store::StoreError::Corrupt(_)) => {
                (Vec::new(), Vec::new(), Some(e.to_string()))
            }
            Err(e) => return Err(e.into()),
        };
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
            problem,
        });
    }
    Ok(rows)
}

/// One talk (code, name or EU) with all its proposals and their scores.
pub fn talk_detail(store: &dyn Store, id: &str) -> Result<TalkDetail> {
    let (talk, proposals) = load_talk(store, id)?;
    let scores = store.scores(&talk.id)?;
    Ok(TalkDetail {
        talk,
        proposals,
        scores,
        next_after: None,
    })
}

/// One talk with a page of its proposals (numbered after `page.after`) and their scores.
pub fn talk_detail_page(store: &dyn Store, id: &str, page: Page) -> Result<TalkDetail> {
    let (code, _) = resolve_partner(id)?;
    let talk = store
        .negotiation(&code)?
        .ok_or_else(|| ServiceError::NoTalk(code.clone()))?;
    let after = u32::try_from(page.after).unwrap_or(u32::MAX);
    // One more than asked for tells whether there is a next page.
    let mut proposals = store.proposals_page(&code, after, page.limit + 1)?;
    let next_after = if proposals.len() > page.limit as usize {
        proposals.truncate(page.limit as usize);
        proposals.last().map(|p| p.number)
    } else {
        None
    };
    let scores = match (proposals.first(), proposals.last()) {
        (Some(first), Some(last)) => store.scores_between(&code, first.number, last.number)?,
        _ => Vec::new(),
    };
    Ok(TalkDetail {
        talk,
        proposals,
        scores,
        next_after,
    })
}

/// The event log, in order: of one talk (code, name or EU), or of all.
pub fn log(store: &dyn Store, id: Option<&str>) -> Result<Vec<Event>> {
    let code = id.map(resolve_partner).transpose()?.map(|(c, _)| c);
    Ok(store.events(code.as_deref())?)
}

/// A page of one talk's log: the events numbered after `page.after`. A talk that does not exist
/// is [`ServiceError::NoTalk`], not an empty log.
pub fn log_page(store: &dyn Store, id: &str, page: Page) -> Result<LogPage> {
    let (code, _) = resolve_partner(id)?;
    if store.negotiation(&code)?.is_none() {
        return Err(ServiceError::NoTalk(code));
    }
    let mut events = store.events_page(&code, page.after, page.limit + 1)?;
    let next_after = if events.len() > page.limit as usize {
        events.truncate(page.limit as usize);
        events.last().map(|e| e.number)
    } else {
        None
    };
    Ok(LogPage { events, next_after })
}
