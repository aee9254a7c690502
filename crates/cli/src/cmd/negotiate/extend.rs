//! `negotiate extend ID --to DATE`: move the end of a talk's pause.

use reciprocity_service::talks;
use serde_json::json;

use super::common::{date_or_today, render_rows, service_error, StoreArgs};
use crate::output::{emit, Format};

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
    let new_end = crate::cmd::flags::parse_date("to", &args.to)?;
    let mut store = store_args.open()?;
    let db = store.path().to_path_buf();
    let done = talks::extend(&mut store, &args.id, new_end, None, date)
        .map_err(|e| service_error(e, &db))?;
    let talk = &done.talk;
    let days_left = talk.pause.days_left(date);
    let text = render_rows(
        args.format,
        &["talk", "state", "snap_back_on", "days_left"],
        &[vec![
            talk.id.clone(),
            talk.state.to_string(),
            new_end.to_string(),
            days_left.to_string(),
        ]],
        json!({"talk": talk.id, "state": talk.state.as_str(), "snap_back_on": new_end.to_string(), "days_left": days_left}),
    )?;
    emit(None, &text)
}
