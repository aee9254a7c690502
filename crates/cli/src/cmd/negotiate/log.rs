//! `negotiate log [ID]`: the append-only event log, in order. Each event shows its number in its
//! own talk's log (1, 2, ... without gaps), not the store's global position, which would count
//! the events of other talks.

use reciprocity_service::talks;
use serde_json::json;

use super::common::{render_rows, service_error, StoreArgs};
use crate::output::{emit, Format};

/// Flags of `negotiate log`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this talk.
    id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let store = store_args.open_read_only()?;
    let events =
        talks::log(&store, args.id.as_deref()).map_err(|e| service_error(e, store.path()))?;
    let cells: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.number.to_string(),
                e.date.to_string(),
                e.negotiation.clone(),
                e.kind.to_string(),
                e.proposal.map_or("-".into(), |p| format!("#{p}")),
                e.detail.clone(),
            ]
        })
        .collect();
    let rows: Vec<serde_json::Value> = events
        .iter()
        .map(|e| json!({"number": e.number, "date": e.date.to_string(), "talk": e.negotiation, "kind": e.kind.as_str(), "proposal": e.proposal, "detail": e.detail}))
        .collect();
    let text = render_rows(
        args.format,
        &["number", "date", "talk", "kind", "proposal", "detail"],
        &cells,
        json!(rows),
    )?;
    emit(None, &text)
}
