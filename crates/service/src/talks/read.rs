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
