//! `negotiate propose ID --side us|partner ...`: table a proposal (or amend an open one with
//! `--amend N`), validated against the world and scored against no deal.

use std::path::Path;

use reciprocity_negotiation::Side;
use reciprocity_service::scenario;
use reciprocity_service::talks::{self, TableRequest, Tabled};
use reciprocity_service::NegotiationWorld;
use serde_json::json;

use super::common::{
    date_or_today, render_rows, score_json, score_rows, service_error, StoreArgs, TableArgs,
};
use super::terms::TermsArgs;
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
        side: Some(side),
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
    /// Who tables it (a counter: the side that did not table the proposal answered).
    pub side: Option<Side>,
    /// The proposal it answers.
    pub counter_to: Option<u32>,
    /// The proposal it amends.
    pub amend: Option<u32>,
    /// The terms.
    pub terms: TermsArgs,
    /// The world, `--no-score`, the version expected, the date and the output format.
    pub flags: TableArgs,
}

impl Table {
    /// Validate, score and record.
    pub fn run(self, store_args: &StoreArgs) -> anyhow::Result<()> {
        let date = date_or_today(self.flags.write.date.as_deref())?;
        let mut store = store_args.open()?;
        let db = store.path().to_path_buf();
        let draft = self.terms.draft()?;
        let data = self.flags.data.as_deref();
        let named = self.flags.world.as_deref();
        let world = match self.flags.no_score {
            true => None,
            false => Some(NegotiationWorld::load_named(data, named)?),
        };
        // Unscored terms are still checked against the sectors of the world named.
        let sectors = match (&world, data, named) {
            (None, Some(_), _) | (None, _, Some(_)) => {
                Some(scenario::load_named_world(data, named)?.data.sectors)
            }
            _ => None,
        };
        let request = TableRequest {
            sweep_other_talks: true,
            id: self.id,
            side: self.side,
            counter_to: self.counter_to,
            amend: self.amend,
            draft,
            if_version: self.flags.write.if_version,
            date,
            score: world.is_some(),
            sectors,
        };
        let tabled = talks::table_proposal(&mut store, world.as_ref(), &request)
            .map_err(|e| service_error(e, &db))?;
        print(
            self.flags.write.format,
            &tabled,
            self.counter_to,
            world.as_ref().map_or(0.0, |w| w.load_ms),
            &db,
        )
    }
}

/// Print what was tabled: `counter_to` the proposal it answers (not shown for an amendment),
/// `load_ms` the time spent loading the world, reported with the no-deal solve.
fn print(
    format: Format,
    tabled: &Tabled,
    counter_to: Option<u32>,
    load_ms: f64,
    db: &Path,
) -> anyhow::Result<()> {
    let talk = &tabled.talk;
    let (number, version) = (tabled.proposal.number, tabled.proposal.version);
    let side = tabled.proposal.side;
    let summary = tabled.summary.as_str();
    let scored = tabled.scored.as_ref();
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
                "setup_ms": scored.map(|s| s.setup_ms + load_ms),
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
                s.scoring_ms, s.score.solves, s.score.max_residual, s.setup_ms + load_ms
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
