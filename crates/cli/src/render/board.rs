//! The negotiation board (`reciprocity_service::talks::board`) as rows and cells: for
//! `negotiate status` and the report.

use chrono::NaiveDate;
use reciprocity_service::talks;
use reciprocity_store::Store;
use serde::Serialize;

use crate::output::signed;

/// One row of the board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
    /// The talk.
    pub talk: String,
    /// The partner's name.
    pub partner: String,
    /// The state on the date.
    pub state: String,
    /// The day the rates snap back.
    pub snap_back_on: String,
    /// Days left in the pause (0 once it has ended or a deal is reached).
    pub days_left: i64,
    /// Proposals tabled.
    pub proposals: usize,
    /// Of which open.
    pub open: usize,
    /// The best proposal.
    pub best: Option<u32>,
    /// Its US welfare gain vs no deal, %.
    pub us_welfare_pct: Option<f64>,
    /// Its partner welfare gain vs no deal, %.
    pub partner_welfare_pct: Option<f64>,
    /// The US rate on the partner, no deal, %.
    pub us_rate_no_deal_pct: Option<f64>,
    /// The US rate with the best proposal, %.
    pub us_rate_deal_pct: Option<f64>,
    /// Why the talk's proposals cannot be read, when they cannot (the other rows are unaffected).
    pub problem: Option<String>,
}

/// The board of a store on `date`, as rows to render.
pub fn board(store: &dyn Store, date: NaiveDate) -> anyhow::Result<Vec<BoardRow>> {
    let rows = talks::board(store, date)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = r
                .best
                .as_ref()
                .and_then(|b| b.score.as_ref())
                .map(|s| &s.score);
            BoardRow {
                talk: r.talk.id.clone(),
                partner: r.talk.partner_name.clone(),
                state: r.state.to_string(),
                snap_back_on: r.talk.pause.end().to_string(),
                days_left: r.days_left,
                proposals: r.proposals,
                open: r.open,
                best: r.best.as_ref().map(|b| b.proposal),
                us_welfare_pct: s.map(|s| s.us_welfare_pct),
                partner_welfare_pct: s.map(|s| s.partner_welfare_pct),
                us_rate_no_deal_pct: s.map(|s| s.us_rate_no_deal_pct),
                us_rate_deal_pct: s.map(|s| s.us_rate_deal_pct),
                problem: r.problem.clone(),
            }
        })
        .collect())
}

/// The board's columns.
pub const BOARD_HEADERS: [&str; 12] = [
    "talk",
    "partner",
    "state",
    "snap_back_on",
    "days_left",
    "proposals",
    "open",
    "best",
    "us_welfare_pct",
    "partner_welfare_pct",
    "us_rate_no_deal_pct",
    "us_rate_deal_pct",
];

/// Board rows as text cells.
pub fn board_cells(rows: &[BoardRow]) -> Vec<Vec<String>> {
    let pct = |v: Option<f64>| v.map_or("-".into(), |x| format!("{x:.1}"));
    rows.iter()
        .map(|r| {
            vec![
                r.talk.clone(),
                r.partner.clone(),
                r.state.clone(),
                r.snap_back_on.clone(),
                r.days_left.to_string(),
                r.proposals.to_string(),
                r.open.to_string(),
                match (&r.problem, r.best) {
                    (Some(_), _) => "unreadable".into(),
                    (None, b) => b.map_or("-".into(), |b| format!("#{b}")),
                },
                signed(r.us_welfare_pct, 4),
                signed(r.partner_welfare_pct, 4),
                pct(r.us_rate_no_deal_pct),
                pct(r.us_rate_deal_pct),
            ]
        })
        .collect()
}
