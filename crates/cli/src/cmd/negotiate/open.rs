//! `negotiate open PARTNER`: a new talk, talks requested, with its pause window.

use reciprocity_service::talks::{self, OpenRequest};
use serde_json::json;

use super::common::{date_or_today, render_rows, service_error, StoreArgs};
use crate::output::{emit, Format};

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
    let parse = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| crate::cmd::flags::parse_date(flag, t))
            .transpose()
    };
    let request = OpenRequest {
        partner: args.partner,
        date,
        start: parse("start", &args.start)?,
        end: parse("end", &args.end)?,
        days: Some(args.days).filter(|_| args.end.is_none()),
    };
    let mut store = store_args.open()?;
    let db = store.path().to_path_buf();
    let opened = talks::open_talk(&mut store, &request).map_err(|e| service_error(e, &db))?;
    let talk = &opened.talk;
    let (start, end) = (talk.pause.start, talk.pause.end());
    let days_left = talk.pause.days_left(date);
    let row = vec![
        talk.id.clone(),
        talk.partner_name.clone(),
        talk.state.to_string(),
        start.to_string(),
        end.to_string(),
        days_left.to_string(),
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
        json!({"talk": talk.id, "partner": talk.partner_name, "state": talk.state.as_str(), "pause_start": start.to_string(),
               "snap_back_on": end.to_string(), "days_left": days_left, "db": db.display().to_string()}),
    )?;
    emit(None, &text)
}
