//! `negotiate status [ID]`: the board — every talk with its state on the date, the pause days
//! left and its best proposal's score — or one talk's proposals.
//!
//! The best proposal is the accepted one when there is one; otherwise the open proposal (with a
//! score of its current version) whose worse-off side gains most against no deal
//! (`reciprocity_service::talks::board`).

use reciprocity_negotiation::State;
use reciprocity_service::talks;
use serde::Serialize;

use super::common::{date_or_today, render_rows, service_error, signed, StoreArgs};
use crate::output::{emit, Format};
use crate::render::board::{board, board_cells, BOARD_HEADERS};

/// Flags of `negotiate status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One talk: list its proposals.
    id: Option<String>,
    /// The date (default today): states and days left as of that day.
    #[arg(long)]
    date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Serialize)]
struct ProposalRow {
    proposal: u32,
    version: u64,
    side: String,
    counter_to: Option<u32>,
    status: String,
    tabled: String,
    terms: String,
    scored_version: Option<u64>,
    us_welfare_pct: Option<f64>,
    partner_welfare_pct: Option<f64>,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let date = date_or_today(args.date.as_deref())?;
    let store = store_args.open_read_only()?;
    let text = match &args.id {
        None => {
            let rows = board(&store, date)?;
            let mut text = render_rows(
                args.format,
                &BOARD_HEADERS,
                &board_cells(&rows),
                serde_json::to_value(&rows)?,
            )?;
            if args.format == Format::Table {
                if rows.is_empty() {
                    text = format!(
                        "no talks in {} (open one with `reciprocity negotiate open PARTNER`)\n",
                        store.path().display()
                    );
                } else {
                    text.push_str(&format!(
                        "{} talk(s) on {date}; welfare columns: the best proposal against no deal, %\n",
                        rows.len()
                    ));
                    for r in rows.iter().filter(|r| r.problem.is_some()) {
                        text.push_str(&format!(
                            "talk {}: its proposals cannot be read ({}): `negotiate withdraw {} --proposal N` takes a damaged one off the record\n",
                            r.talk,
                            crate::output::printable(r.problem.as_deref().unwrap_or("")),
                            r.talk
                        ));
                    }
                }
            }
            text
        }
        Some(id) => {
            let detail =
                talks::talk_detail(&store, id).map_err(|e| service_error(e, store.path()))?;
            let talk = &detail.talk;
            let rows: Vec<ProposalRow> = detail
                .proposals
                .iter()
                .map(|p| {
                    let s = detail.score_of(p.number);
                    ProposalRow {
                        proposal: p.number,
                        version: p.version,
                        side: p.side.as_str().into(),
                        counter_to: p.counter_to,
                        status: p.status.to_string(),
                        tabled: p.tabled.to_string(),
                        terms: p.terms.summary(&talk.partner),
                        scored_version: s.map(|s| s.proposal_version),
                        us_welfare_pct: s.map(|s| s.score.us_welfare_pct),
                        partner_welfare_pct: s.map(|s| s.score.partner_welfare_pct),
                    }
                })
                .collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        format!("#{}", r.proposal),
                        r.version.to_string(),
                        r.side.clone(),
                        r.counter_to.map_or("-".into(), |c| format!("#{c}")),
                        r.status.clone(),
                        r.tabled.clone(),
                        signed(r.us_welfare_pct, 4),
                        signed(r.partner_welfare_pct, 4),
                        match r.scored_version {
                            Some(v) if v != r.version => format!("{} (stale: v{v})", r.terms),
                            _ => r.terms.clone(),
                        },
                    ]
                })
                .collect();
            let state = talk.state_on(date);
            let mut text = String::new();
            if args.format == Format::Table {
                text.push_str(&format!(
                    "talk {} with {}: {state} on {date}; rates snap back on {}{} (version {})\n",
                    talk.id,
                    talk.partner_name,
                    talk.pause.end(),
                    if state == State::InTalks || state == State::Requested {
                        format!(", {} day(s) left", talk.pause.days_left(date))
                    } else {
                        String::new()
                    },
                    talk.version
                ));
            }
            text.push_str(&render_rows(
                args.format,
                &["proposal", "version", "side", "counter_to", "status", "tabled", "us_welfare_pct", "partner_welfare_pct", "terms"],
                &cells,
                serde_json::json!({"talk": talk.id, "state": state.as_str(), "version": talk.version,
                                   "snap_back_on": talk.pause.end().to_string(), "proposals": rows}),
            )?);
            text
        }
    };
    emit(None, &text)
}
