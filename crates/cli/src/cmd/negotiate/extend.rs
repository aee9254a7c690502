//! `negotiate extend ID --to DATE`: move the end of a talk's pause.

use reciprocity_negotiation::{Action, Event, EventKind, Extension, Negotiation};
use reciprocity_store::Change;
use serde_json::json;

use super::common::{commit, date_or_today, expiry_changes, load_talk, render_rows, StoreArgs};
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `negotiate extend`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The talk (partner code).
    id: String,
    /// The new day the rates snap back.
    #[arg(long, value_name = "DATE")]
    to: String,
    /// The date of the decision (default today).
    #[arg(long)]
    date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let date = date_or_today(args.date.as_deref())?;
    let new_end = crate::cmd::timeline::parse_date("to", &args.to)?;
    let mut store = store_args.open()?;
    let (talk, proposals) = load_talk(&store, &args.id)?;
    let state = talk
        .check(&Action::ExtendPause { new_end }, date, &proposals)
        .map_err(|e| BadInput(e.to_string()))?;
    let old_end = talk.pause.end();
    let mut updated = Negotiation {
        state,
        ..talk.clone()
    };
    updated.pause.extensions.push(Extension {
        announced: date,
        new_end,
    });
    let mut changes = expiry_changes(&store, date, Some(&talk.id))?;
    changes.push(Change::UpdateNegotiation(updated.clone()));
    let detail = format!("pause extended: the rates snap back on {new_end} instead of {old_end}");
    changes.push(Change::AppendEvent(Event::new(
        &talk.id,
        date,
        EventKind::PauseExtended,
        None,
        detail,
    )));
    commit(&mut store, &changes)?;
    let text = render_rows(
        args.format,
        &["talk", "state", "snap_back_on", "days_left"],
        &[vec![
            talk.id.clone(),
            state.to_string(),
            new_end.to_string(),
            updated.pause.days_left(date).to_string(),
        ]],
        json!({"talk": talk.id, "state": state.as_str(), "snap_back_on": new_end.to_string(), "days_left": updated.pause.days_left(date)}),
    )?;
    emit(None, &text)
}
