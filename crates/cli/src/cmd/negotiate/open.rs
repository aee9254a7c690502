//! `negotiate open PARTNER`: a new talk, talks requested, with its pause window.

use reciprocity_negotiation::{Action, Event, EventKind, Negotiation, PauseWindow};
use reciprocity_store::{Change, Store};
use serde_json::json;

use super::common::{
    commit, date_or_today, expiry_changes, render_rows, resolve_partner, StoreArgs,
};
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `negotiate open`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The partner: ISO3 code, country name, or EU.
    partner: String,
    /// First day of the pause (default: --date).
    #[arg(long)]
    start: Option<String>,
    /// Length of the pause in days (the rates snap back on start + days).
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// The day the rates snap back (instead of --days).
    #[arg(long, conflicts_with = "days")]
    end: Option<String>,
    /// The date of the request (default today).
    #[arg(long)]
    date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let date = date_or_today(args.date.as_deref())?;
    let (code, name) = resolve_partner(&args.partner)?;
    let start = match &args.start {
        Some(s) => crate::cmd::timeline::parse_date("start", s)?,
        None => date,
    };
    let pause = match &args.end {
        Some(e) => {
            let end = crate::cmd::timeline::parse_date("end", e)?;
            if end <= start {
                return Err(BadInput(format!(
                    "--end: expected a day after the start {start}, found {end}"
                ))
                .into());
            }
            PauseWindow {
                start,
                original_end: end,
                extensions: vec![],
            }
        }
        None if args.days == 0 => {
            return Err(BadInput("--days: expected at least 1 day, found 0".into()).into())
        }
        None => PauseWindow::days(start, args.days),
    };
    let mut talk = Negotiation::new(&code, &name, pause, date);
    talk.state = talk
        .check(&Action::Request, date, &[])
        .map_err(|e| BadInput(e.to_string()))?;
    let mut store = store_args.open()?;
    if store
        .negotiation(&code)
        .map_err(super::common::store_error)?
        .is_some()
    {
        return Err(BadInput(format!(
            "a talk with {code} already exists in {}",
            store.path().display()
        ))
        .into());
    }
    let mut changes = expiry_changes(&store, date, None)?;
    let end = talk.pause.end();
    changes.push(Change::InsertNegotiation(talk.clone()));
    changes.push(Change::AppendEvent(Event::new(
        &code,
        date,
        EventKind::Opened,
        None,
        format!("talks with {name} requested; pause {start} to {end} (rates snap back on {end})"),
    )));
    commit(&mut store, &changes)?;
    let row = vec![
        code.clone(),
        name.clone(),
        talk.state.to_string(),
        start.to_string(),
        end.to_string(),
        talk.pause.days_left(date).to_string(),
    ];
    let text = render_rows(
        args.format,
        &[
            "talk",
            "partner",
            "state",
            "pause_start",
            "snap_back_on",
            "days_left",
        ],
        &[row],
        json!({"talk": code, "partner": name, "state": talk.state.as_str(), "pause_start": start.to_string(),
               "snap_back_on": end.to_string(), "days_left": talk.pause.days_left(date), "db": store.path().display().to_string()}),
    )?;
    emit(None, &text)
}
