//! What the `negotiate` subcommands share: the store flags, dates, errors, tables, score rows. The
//! workflows themselves are `reciprocity_service::talks`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reciprocity_negotiation::Score;
use reciprocity_service::talks::Transition;
use reciprocity_service::ServiceError;
use reciprocity_store::SqliteStore;

pub use crate::cmd::flags::store_error;
pub use crate::output::signed;
use crate::output::{csv_text, table, Format};
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

    /// Open (creating if needed) the database: for the commands that write.
    pub fn open(&self) -> anyhow::Result<SqliteStore> {
        open_store(&self.path()?)
    }

    /// Open the database read-only, never creating it or its folder: for the commands that only
    /// read (`status`, `log`, `export`).
    pub fn open_read_only(&self) -> anyhow::Result<SqliteStore> {
        open_store_read_only(&self.path()?)
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

/// Open the store at `path` read-only (never creating it), mapping its errors.
pub fn open_store_read_only(path: &Path) -> anyhow::Result<SqliteStore> {
    SqliteStore::open_read_only(path).map_err(store_error)
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
    sector_rows(s, &mut rows);
    constraint_rows(s, &mut rows);
    rows
}

/// Output and trade of every sector the terms touch.
fn sector_rows(s: &Score, rows: &mut Vec<Vec<String>>) {
    let bn = |x: f64| format!("{:.3}", x / 1e9);
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
}

/// The rate and the fill of every quota and purchase commitment.
fn constraint_rows(s: &Score, rows: &mut Vec<Vec<String>>) {
    let bn = |x: f64| format!("{:.3}", x / 1e9);
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
}

/// The score as JSON (the store's serialized form).
pub fn score_json(s: &Score) -> serde_json::Value {
    serde_json::to_value(reciprocity_store::dto::ScoreDto::from(s))
        .unwrap_or(serde_json::Value::Null)
}
