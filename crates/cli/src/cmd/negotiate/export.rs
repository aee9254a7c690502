//! `negotiate export [--out FILE]`: the whole store as a versioned JSON snapshot (`--format json`,
//! the default), or a flat listing of every proposal for spreadsheets (`table`, `csv`).

use std::path::PathBuf;

use reciprocity_store::Store;
use serde_json::json;

use super::common::{render_rows, signed, store_error, StoreArgs};
use crate::output::{emit, Format};

/// Flags of `negotiate export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write here (atomically) instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// json: the full snapshot (re-importable); table, csv: one row per proposal.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let store = store_args.open_read_only()?;
    let snapshot = store.export().map_err(store_error)?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&snapshot)? + "\n",
        f => {
            let mut cells = Vec::new();
            for n in store.negotiations().map_err(store_error)? {
                let scores = store.scores(&n.id).map_err(store_error)?;
                let proposals = store.proposals(&n.id).map_err(store_error)?;
                if proposals.is_empty() {
                    cells.push(vec![
                        n.id.clone(),
                        n.state.to_string(),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        String::new(),
                    ]);
                }
                for p in proposals {
                    let s = scores.iter().find(|s| s.proposal == p.number);
                    cells.push(vec![
                        n.id.clone(),
                        n.state.to_string(),
                        format!("#{}", p.number),
                        p.side.as_str().into(),
                        p.status.to_string(),
                        signed(s.map(|s| s.score.us_welfare_pct), 4),
                        signed(s.map(|s| s.score.partner_welfare_pct), 4),
                        p.terms.summary(&n.partner),
                    ]);
                }
            }
            render_rows(
                f,
                &[
                    "talk",
                    "state",
                    "proposal",
                    "side",
                    "status",
                    "us_welfare_pct",
                    "partner_welfare_pct",
                    "terms",
                ],
                &cells,
                json!(null),
            )?
        }
    };
    emit(args.out.as_deref(), &text)?;
    if let Some(out) = &args.out {
        eprintln!(
            "exported {} talk(s) and {} event(s) to {}",
            snapshot.negotiations.len(),
            snapshot.events.len(),
            out.display()
        );
    }
    Ok(())
}
