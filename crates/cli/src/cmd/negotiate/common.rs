//! What the `negotiate` subcommands share: the store flags, dates, errors, tables, score rows. The
//! workflows themselves are `reciprocity_service::talks`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reciprocity_negotiation::Score;
use reciprocity_service::talks::Transition;
use reciprocity_service::ServiceError;
use reciprocity_store::{SqliteStore, StoreError};

use crate::output::Format;
use crate::BadInput;

/// Flags every `negotiate` subcommand has.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The negotiation database (SQLite). Default: $RECIPROCITY_DB, else negotiations.db in the
    /// user's data folder (~/.local/share/reciprocity on Linux).
    #[arg(long, value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,
}

impl StoreArgs {
    /// The database path.
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(p) => Ok(p.clone()),
            None => reciprocity_store::default_path().ok_or_else(|| {
                BadInput(
                    "no home folder to keep the negotiation database in: pass --db PATH".into(),
                )
                .into()
            }),
        }
    }

    /// Open (creating if needed) the database.
    pub fn open(&self) -> anyhow::Result<SqliteStore> {
        open_store(&self.path()?)
    }
}

/// Flags every `negotiate` command that changes a talk has: the version expected, the date and
/// the output format.
#[derive(Debug, clap::Args)]
pub struct WriteArgs {
    /// Fail unless the talk is still at this version (optimistic concurrency across processes).
    #[arg(long, value_name = "V")]
    pub if_version: Option<u64>,
    /// The date (default today).
    #[arg(long)]
    pub date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Flags of the commands that table terms (`propose`, `counter`): the world to score on, and the
/// flags of every write.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// The world to score on (default: the embedded world).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// An embedded world to score on instead: `default` or `sectors` (OECD ICIO 2022, 30 regions x
    /// 14 sectors: an `hs87` line or quota lands in MOTOR_VEHICLES).
    #[arg(long, conflicts_with = "data")]
    pub world: Option<String>,
    /// Record without scoring.
    #[arg(long)]
    pub no_score: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Open the store at `path`, mapping its errors.
pub fn open_store(path: &Path) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(path).map_err(store_error)
}

/// Store errors the user can act on (a conflict, a missing talk, a bad file) exit with code 2.
pub fn store_error(e: StoreError) -> anyhow::Error {
    if e.is_user_error() {
        BadInput(e.to_string()).into()
    } else {
        anyhow::Error::new(e)
    }
}

/// A service error in the words of the command line: the database named, the fields as flags.
/// User errors exit with code 2.
pub fn service_error(e: ServiceError, db: &Path) -> anyhow::Error {
    let message = match &e {
        ServiceError::NoTalk(code) => format!(
            "no talk with {code} in {} (open it with `negotiate open {code}`)",
            db.display()
        ),
        ServiceError::TalkExists(code) => {
            format!("a talk with {code} already exists in {}", db.display())
        }
        ServiceError::StaleVersion {
            talk,
            stored,
            expected,
        } => format!(
            "talk {talk} was changed by another writer (stored version {stored}, --if-version {expected}): reload and retry"
        ),
        ServiceError::BadInput { .. } => match crate::cmd::flags::bad_input(&e) {
            Some(b) => b.0,
            None => e.to_string(),
        },
        _ if e.is_user_error() => e.to_string(),
        _ => return anyhow::Error::new(e),
    };
    BadInput(message).into()
}

/// `--date` or today ($RECIPROCITY_TODAY for reproducible runs).
pub fn date_or_today(flag: Option<&str>) -> anyhow::Result<NaiveDate> {
    match flag {
        Some(d) => crate::cmd::flags::parse_date("date", d),
        None => Ok(crate::cmd::flags::today()),
    }
}

/// Print the one-row answer of `accept` and `reject`: the talk, the proposal, the new state,
/// what happened.
pub fn print_transition(format: Format, t: &Transition) -> anyhow::Result<()> {
    let (talk, proposal, state, detail) = (&t.talk.id, t.proposal, t.state, &t.detail);
    let text = render_rows(
        format,
        &["talk", "proposal", "state", "detail"],
        &[vec![
            talk.to_string(),
            proposal.to_string(),
            state.to_string(),
            detail.to_string(),
        ]],
        serde_json::json!({"talk": talk, "proposal": proposal, "state": state.as_str(), "detail": detail}),
    )?;
    crate::output::emit(None, &text)
}

/// Render rows as an aligned table (numbers right-aligned).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    // Cells carry text other teams typed (reasons, terms): never let it drive the terminal.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect();
    let rows = &rows[..];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..headers.len())
        .map(|i| {
            rows.iter().all(|r| {
                let c = r[i]
                    .trim_start_matches(['+', '-', '−'])
                    .trim_end_matches('%');
                c.is_empty()
                    || c == "-"
                    || c.replace([',', '.'], "")
                        .chars()
                        .all(|ch| ch.is_ascii_digit())
            })
        })
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if numeric[i] {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(headers.to_vec(), &mut out);
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
        &mut out,
    );
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

/// Rows as CSV.
pub fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)?;
    for r in rows {
        w.write_record(r)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Rows in the chosen format (`json`: an array of objects with the given keys).
pub fn render_rows(
    format: Format,
    headers: &[&str],
    rows: &[Vec<String>],
    json: serde_json::Value,
) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => table(headers, rows),
        Format::Csv => csv_text(headers, rows)?,
        Format::Json => serde_json::to_string_pretty(&json)? + "\n",
    })
}

/// `text` safe to print on a terminal: control characters (escape sequences, carriage returns,
/// newlines that would forge rows) are shown as `\u{..}` escapes instead of acting.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `+0.123` / `-` for a missing value.
pub fn signed(v: Option<f64>, decimals: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:+.decimals$}"))
}

/// The full score as `(measure, no deal, deal, change)` rows.
pub fn score_rows(s: &Score) -> Vec<Vec<String>> {
    let bn = |x: f64| format!("{:.3}", x / 1e9);
    let mut rows = vec![
        vec![
            "US welfare, % vs no deal".into(),
            "-".into(),
            "-".into(),
            format!("{:+.4}", s.us_welfare_pct),
        ],
        vec![
            format!("{} welfare, % vs no deal", s.partner),
            "-".into(),
            "-".into(),
            format!("{:+.4}", s.partner_welfare_pct),
        ],
        vec![
            format!("US rate on {} goods, %", s.partner),
            format!("{:.2}", s.us_rate_no_deal_pct),
            format!("{:.2}", s.us_rate_deal_pct),
            format!("{:+.2}", s.us_rate_deal_pct - s.us_rate_no_deal_pct),
        ],
        vec![
            format!("{} rate on US goods, %", s.partner),
            format!("{:.2}", s.partner_rate_no_deal_pct),
            format!("{:.2}", s.partner_rate_deal_pct),
            format!(
                "{:+.2}",
                s.partner_rate_deal_pct - s.partner_rate_no_deal_pct
            ),
        ],
        vec![
            format!("US balance with {}, bn USD", s.partner),
            bn(s.balance_no_deal_usd),
            bn(s.balance_deal_usd),
            format!("{:+.3}", (s.balance_deal_usd - s.balance_no_deal_usd) / 1e9),
        ],
        vec![
            "US total deficit, % change".into(),
            "-".into(),
            "-".into(),
            format!("{:+.4}", s.us_deficit_change_pct),
        ],
        vec![
            "US tariff revenue, bn USD".into(),
            bn(s.us_revenue_no_deal_usd),
            bn(s.us_revenue_deal_usd),
            format!(
                "{:+.3}",
                (s.us_revenue_deal_usd - s.us_revenue_no_deal_usd) / 1e9
            ),
        ],
        vec![
            format!("{} tariff revenue, bn USD", s.partner),
            bn(s.partner_revenue_no_deal_usd),
            bn(s.partner_revenue_deal_usd),
            format!(
                "{:+.3}",
                (s.partner_revenue_deal_usd - s.partner_revenue_no_deal_usd) / 1e9
            ),
        ],
    ];
    for x in &s.sectors {
        rows.push(vec![
            format!("{}: US output, %", x.sector),
            "-".into(),
            "-".into(),
            format!("{:+.4}", x.us_output_pct),
        ]);
        rows.push(vec![
            format!("{}: {} output, %", x.sector, s.partner),
            "-".into(),
            "-".into(),
            format!("{:+.4}", x.partner_output_pct),
        ]);
        rows.push(vec![
            format!("{}: US exports to {}, bn USD", x.sector, s.partner),
            bn(x.us_exports_no_deal_usd),
            bn(x.us_exports_deal_usd),
            format!(
                "{:+.3}",
                (x.us_exports_deal_usd - x.us_exports_no_deal_usd) / 1e9
            ),
        ]);
        rows.push(vec![
            format!("{}: US imports from {}, bn USD", x.sector, s.partner),
            bn(x.us_imports_no_deal_usd),
            bn(x.us_imports_deal_usd),
            format!(
                "{:+.3}",
                (x.us_imports_deal_usd - x.us_imports_no_deal_usd) / 1e9
            ),
        ]);
    }
    for c in &s.constraints {
        let what = if c.term.starts_with("quota") {
            "effective ad-valorem rate"
        } else {
            "purchase wedge on (1+t)"
        };
        let term = if c.sectors.is_empty() {
            c.term.clone()
        } else {
            format!("{} ({})", c.term, c.sectors.join(", "))
        };
        rows.push(vec![
            format!("{term}: {what}, %"),
            "-".into(),
            "-".into(),
            format!("{:+.4}", c.rate_pct),
        ]);
        rows.push(vec![
            format!(
                "{term}: flow, bn USD (of {} committed/quota)",
                bn(c.target_usd)
            ),
            "-".into(),
            bn(c.flow_usd),
            format!(
                "{:.1}% fill{}",
                100.0 * c.flow_usd / c.target_usd,
                if c.capped { ", capped" } else { "" }
            ),
        ]);
    }
    rows
}

/// The score as JSON (the store's serialized form).
pub fn score_json(s: &Score) -> serde_json::Value {
    serde_json::to_value(reciprocity_store::dto::ScoreDto::from(s))
        .unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reason with an escape sequence and a newline would clear the screen and forge a row of
    /// the log (issue 15): printed, it is inert text on one line.
    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let hostile = "ok\u{1b}[2J\nseq 99 forged\r";
        assert_eq!(printable(hostile), "ok\\u{1b}[2J\\u{a}seq 99 forged\\u{d}");
        assert_eq!(printable("Zoll 15 % — ok"), "Zoll 15 % — ok");
        let t = table(&["detail"], &[vec![hostile.to_string()]]);
        assert_eq!(t.lines().count(), 3, "{t}");
        assert!(!t.contains('\u{1b}'));
    }
}
