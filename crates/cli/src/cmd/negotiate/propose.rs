//! `negotiate propose ID --side us|partner ...`: table a proposal (or amend an open one with
//! `--amend N`), validated against the world and scored against no deal.

use std::path::Path;
use std::time::Instant;

use reciprocity_negotiation::{
    Action, Event, EventKind, Negotiation, Proposal, ProposalStatus, Side,
};
use reciprocity_store::Change;
use serde_json::json;

use super::common::{
    commit, expiry_changes, open_talk, render_rows, score_json, score_line, score_record,
    score_rows, score_terms, status_change, validate_terms, world_sectors, StoreArgs, TableArgs,
};
use super::terms::TermsArgs;
use super::world::NegotiationWorld;
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `negotiate propose`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The talk (partner code).
    id: String,
    /// Who tables it: us or partner.
    #[arg(long)]
    side: String,
    #[command(flatten)]
    terms: TermsArgs,
    /// Replace the terms of this open proposal (yours) instead of tabling a new one.
    #[arg(long, value_name = "N")]
    amend: Option<u32>,
    #[command(flatten)]
    flags: TableArgs,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let side = Side::parse(&args.side).ok_or_else(|| {
        BadInput(format!(
            "--side: expected us or partner, found {:?}",
            args.side
        ))
    })?;
    let table = Table {
        id: args.id,
        side,
        counter_to: None,
        amend: args.amend,
        terms: args.terms,
        flags: args.flags,
    };
    table.run(store_args)
}

/// A proposal, counterproposal or amendment to record.
pub struct Table {
    /// The talk.
    pub id: String,
    /// Who tables it.
    pub side: Side,
    /// The proposal it answers.
    pub counter_to: Option<u32>,
    /// The proposal it amends.
    pub amend: Option<u32>,
    /// The terms.
    pub terms: TermsArgs,
    /// The world, `--no-score`, the version expected, the date and the output format.
    pub flags: TableArgs,
}

fn who(talk: &Negotiation, side: Side) -> String {
    match side {
        Side::Us => "the US".into(),
        Side::Partner => talk.partner.clone(),
    }
}

impl Table {
    /// Validate, score and record.
    pub fn run(self, store_args: &StoreArgs) -> anyhow::Result<()> {
        let (date, mut store, talk, proposals) =
            open_talk(store_args, &self.id, &self.flags.write)?;
        let action = match self.amend {
            Some(n) => Action::Amend {
                proposal: n,
                side: self.side,
            },
            None => Action::Propose {
                side: self.side,
                counter_to: self.counter_to,
            },
        };
        let state = talk
            .check(&action, date, &proposals)
            .map_err(|e| BadInput(e.to_string()))?;
        let draft = self.terms.draft()?;
        let t0 = Instant::now();
        let world = if self.flags.no_score {
            None
        } else {
            Some(NegotiationWorld::load(self.flags.data.as_deref())?)
        };
        let load_ms = t0.elapsed().as_secs_f64() * 1e3;
        let sectors = match &world {
            Some(w) => w.data.sectors.clone(),
            None => world_sectors(self.flags.data.as_deref())?,
        };
        let terms = validate_terms(sectors, &talk, &draft)?;
        let scored = match &world {
            Some(w) => Some(score_terms(w, &talk, &terms, date, load_ms)?),
            None => None,
        };

        let mut changes = expiry_changes(&store, date, Some(&talk.id))?;
        let (number, version, kind) = match self.amend {
            Some(n) => {
                let old = proposals
                    .iter()
                    .find(|p| p.number == n)
                    .expect("checked by the state machine");
                changes.push(Change::UpdateProposal(Proposal {
                    terms: terms.clone(),
                    ..old.clone()
                }));
                (n, old.version + 1, EventKind::Amended)
            }
            None => {
                let number = proposals.iter().map(|p| p.number).max().unwrap_or(0) + 1;
                changes.push(Change::InsertProposal(Proposal {
                    negotiation: talk.id.clone(),
                    number,
                    side: self.side,
                    counter_to: self.counter_to,
                    status: ProposalStatus::Open,
                    terms: terms.clone(),
                    tabled: date,
                    version: 0,
                }));
                if let Some(c) = self.counter_to {
                    let answered = proposals
                        .iter()
                        .find(|p| p.number == c)
                        .expect("checked by the state machine");
                    changes.extend(status_change(&store, answered, ProposalStatus::Countered)?);
                }
                (
                    number,
                    1,
                    if self.counter_to.is_some() {
                        EventKind::Countered
                    } else {
                        EventKind::Proposed
                    },
                )
            }
        };
        // Every change to a talk bumps its version: two writers on one talk cannot both win.
        changes.push(Change::UpdateNegotiation(Negotiation {
            state,
            ..talk.clone()
        }));
        let summary = terms.summary(&talk.partner);
        let detail = match (kind, self.counter_to) {
            (EventKind::Amended, _) => format!(
                "{} amends proposal #{number}: {summary}",
                who(&talk, self.side)
            ),
            (_, Some(c)) => format!(
                "{} counters #{c} with proposal #{number}: {summary}",
                who(&talk, self.side)
            ),
            _ => format!("{} proposes #{number}: {summary}", who(&talk, self.side)),
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
        commit(&mut store, &changes)?;
        print(
            self.flags.write.format,
            &talk,
            number,
            version,
            self.side,
            self.counter_to,
            &summary,
            scored.as_ref(),
            store.path(),
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn print(
    format: Format,
    talk: &Negotiation,
    number: u32,
    version: u64,
    side: Side,
    counter_to: Option<u32>,
    summary: &str,
    scored: Option<&super::common::Scored>,
    db: &Path,
) -> anyhow::Result<()> {
    let head = format!(
        "talk {} proposal #{number} v{version} by {}{}: {summary}\n",
        talk.id,
        side.as_str(),
        counter_to.map_or(String::new(), |c| format!(" (counter to #{c})"))
    );
    let text = match (format, scored) {
        (Format::Json, _) => {
            let v = json!({
                "talk": talk.id, "proposal": number, "version": version, "side": side.as_str(), "counter_to": counter_to,
                "terms": summary, "db": db.display().to_string(),
                "score": scored.map(|s| score_json(&s.score)),
                "no_deal": scored.map(|s| s.no_deal.clone()),
                "world_notes": scored.map(|s| s.world_notes.clone()),
                "scoring_ms": scored.map(|s| s.scoring_ms),
                "setup_ms": scored.map(|s| s.setup_ms),
            });
            serde_json::to_string_pretty(&v)? + "\n"
        }
        (Format::Table, None) => head + "not scored (--no-score)\n",
        (Format::Csv, None) => render_rows(
            Format::Csv,
            &["talk", "proposal", "version", "side", "terms"],
            &[vec![
                talk.id.clone(),
                number.to_string(),
                version.to_string(),
                side.as_str().into(),
                summary.into(),
            ]],
            json!(null),
        )?,
        (Format::Table, Some(s)) => {
            let rows = score_rows(&s.score);
            let mut out = head;
            out.push_str(&format!("no deal: {}\n", s.no_deal));
            out.push_str(&render_rows(
                Format::Table,
                &["measure", "no deal", "deal", "change"],
                &rows,
                json!(null),
            )?);
            for n in s.score.notes.iter().chain(&s.world_notes) {
                out.push_str(&format!("note: {n}\n"));
            }
            out.push_str(&format!(
                "scored in {:.1} ms ({} GE solve(s), max residual {:.1e}); world load, calibration and no-deal solve {:.0} ms\n",
                s.scoring_ms, s.score.solves, s.score.max_residual, s.setup_ms
            ));
            out
        }
        (Format::Csv, Some(s)) => render_rows(
            Format::Csv,
            &["measure", "no_deal", "deal", "change"],
            &score_rows(&s.score),
            json!(null),
        )?,
    };
    emit(None, &text)
}
