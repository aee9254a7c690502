//! Report section: the negotiation board (every talk in the store, its state and its best
//! proposal's score) and the simulated pause round compared with the real 2025 sequence.

use std::path::Path;

use reciprocity_service::round::{run_round, RoundRequest};

use crate::cmd::flags::from_service;
use crate::output::{csv_text, md_table, write_atomic};
use crate::render::board::{board, board_cells, BOARD_HEADERS};
use crate::render::round::{markdown, write_dir};

/// The seed of the report's round (printed with it).
pub const REPORT_SEED: u64 = 1;

/// Write `negotiations/` (board.csv and the round's files) and return the Markdown section.
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let sub = dir.join("negotiations");
    let mut md = String::from("## Negotiations\n\n### The negotiation board\n\n");
    let today = opts.date;
    match reciprocity_store::default_path().filter(|p| p.is_file()) {
        Some(path) => {
            let store = crate::cmd::negotiate::common::open_store_read_only(&path)?;
            let rows = board(&store, today)?;
            let cells = board_cells(&rows);
            write_atomic(&sub.join("board.csv"), csv_text(&BOARD_HEADERS, &cells)?.as_bytes())?;
            md.push_str(&format!(
                "Every talk in `{}` on {today}: its state, the days left in its pause and its best proposal \
                 (the accepted one, else the open one whose worse-off side gains most), scored with the GE \
                 model against no deal (welfare in %, rates in %). `negotiations/board.csv` has the same.\n\n",
                path.display()
            ));
            md.push_str(&md_table(&BOARD_HEADERS, &cells));
        }
        None => md.push_str(
            "No negotiation store (set `RECIPROCITY_DB` or use `reciprocity negotiate open` first); \
             the simulated round below shows what the board records.\n",
        ),
    }
    md.push('\n');
    let request = RoundRequest {
        data: None,
        world: None,
        partners: 75,
        days: 90,
        seed: REPORT_SEED,
        start: reciprocity_policy::date("2025-04-10")?,
        welfare_weight: 1.0,
        deficit_weight: 0.0,
        protect: Vec::new(),
    };
    let round = run_round(request, &|_| {}).map_err(from_service)?;
    write_dir(&sub, &round)?;
    md.push_str(&markdown(&round, "negotiations")?);
    Ok(md)
}
