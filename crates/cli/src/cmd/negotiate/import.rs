//! `negotiate import FILE`: load a JSON export into an empty store, all or nothing.

use std::path::PathBuf;

use reciprocity_store::{dto, Store};
use serde_json::json;

use reciprocity_service::talks::resolve_partner;

use super::common::{render_rows, store_error, StoreArgs};
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `negotiate import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON file written by `negotiate export`.
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let path = &args.file;
    let text =
        std::fs::read_to_string(path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
    let snapshot: dto::Snapshot = serde_json::from_str(&text).map_err(|e| {
        BadInput(format!(
            "{}:{}:{}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    for (i, n) in snapshot.negotiations.iter().enumerate() {
        let (code, _) = resolve_partner(&n.partner).map_err(|e| {
            BadInput(format!(
                "{}: negotiations[{i}]: partner: {e}",
                path.display()
            ))
        })?;
        if code != n.id || code != n.partner {
            return Err(BadInput(format!(
                "{}: negotiations[{i}]: id: expected the partner code {code}, found id {:?} and partner {:?}",
                path.display(),
                n.id,
                n.partner
            ))
            .into());
        }
    }
    let mut store = store_args.open()?;
    let summary = store.import(&snapshot).map_err(|e| match e {
        reciprocity_store::StoreError::Import(m) => {
            BadInput(format!("{}: {m}", path.display())).into()
        }
        other => store_error(other),
    })?;
    let row = vec![
        summary.negotiations.to_string(),
        summary.proposals.to_string(),
        summary.scores.to_string(),
        summary.events.to_string(),
        store.path().display().to_string(),
    ];
    let out = render_rows(
        args.format,
        &["talks", "proposals", "scores", "events", "db"],
        &[row],
        json!({"talks": summary.negotiations, "proposals": summary.proposals, "scores": summary.scores,
               "events": summary.events, "db": store.path().display().to_string()}),
    )?;
    emit(None, &out)
}
