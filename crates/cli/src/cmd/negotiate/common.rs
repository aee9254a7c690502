//! What the `negotiate` subcommands share: the store, dates, partners, errors, tables, scoring.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use reciprocity_negotiation::{
    Event, EventKind, Negotiation, Proposal, Score, State, Terms, TermsDraft,
};
use reciprocity_store::{Change, ScoreRecord, SqliteStore, Store, StoreError};

use super::world::NegotiationWorld;
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

/// `--date` or today ($RECIPROCITY_TODAY for reproducible runs).
pub fn date_or_today(flag: Option<&str>) -> anyhow::Result<NaiveDate> {
    match flag {
        Some(d) => crate::cmd::timeline::parse_date("date", d),
        None => Ok(crate::cmd::timeline::today()),
    }
}

/// A talk id / partner from the command line: ISO3, a country name, or EU. Returns (code, name).
pub fn resolve_partner(text: &str) -> anyhow::Result<(String, String)> {
    let t = text.trim();
    if matches!(t.to_ascii_uppercase().as_str(), "EU" | "EUU" | "EU27") {
        return Ok(("EUU".into(), "European Union".into()));
    }
    match reciprocity_data::registry::country(t) {
        Some(c) if c.iso3 == "USA" => {
            Err(BadInput("the United States is a party of every talk, not a partner".into()).into())
        }
        Some(c) if c.is_group => Err(BadInput(format!(
            "unknown partner {t:?}: {} is a group of countries; the blocs with talks are: EU",
            c.name
        ))
        .into()),
        Some(c) => Ok((c.iso3.clone(), c.name.clone())),
        None => Err(BadInput(format!(
            "unknown partner {t:?}: expected an ISO3 code, a country name or EU"
        ))
        .into()),
    }
}

/// The talk `id` with its proposals.
pub fn load_talk(store: &SqliteStore, id: &str) -> anyhow::Result<(Negotiation, Vec<Proposal>)> {
    let (code, _) = resolve_partner(id)?;
    let talk = store
        .negotiation(&code)
        .map_err(store_error)?
        .ok_or_else(|| {
            BadInput(format!(
                "no talk with {code} in {} (open it with `negotiate open {code}`)",
                store.path().display()
            ))
        })?;
    let proposals = store.proposals(&code).map_err(store_error)?;
    Ok((talk, proposals))
}

/// Fail when `--if-version` names another version than the stored one.
pub fn check_version(talk: &Negotiation, expected: Option<u64>) -> anyhow::Result<()> {
    match expected {
        Some(v) if v != talk.version => Err(BadInput(format!(
            "talk {} was changed by another writer (stored version {}, --if-version {v}): reload and retry",
            talk.id, talk.version
        ))
        .into()),
        _ => Ok(()),
    }
}

/// What a write on talk `id` starts from: its date, the open store, and the talk with its
/// proposals, checked against `--if-version`.
pub fn open_talk(
    store_args: &StoreArgs,
    id: &str,
    write: &WriteArgs,
) -> anyhow::Result<(NaiveDate, SqliteStore, Negotiation, Vec<Proposal>)> {
    let date = date_or_today(write.date.as_deref())?;
    let store = store_args.open()?;
    let (talk, proposals) = load_talk(&store, id)?;
    check_version(&talk, write.if_version)?;
    Ok((date, store, talk, proposals))
}

/// The one-row answer of `accept` and `reject`: the talk, the proposal, the new state, what happened.
pub fn render_transition(
    format: Format,
    talk: &str,
    proposal: u32,
    state: State,
    detail: &str,
) -> anyhow::Result<String> {
    render_rows(
        format,
        &["talk", "proposal", "state", "detail"],
        &[vec![
            talk.to_string(),
            proposal.to_string(),
            state.to_string(),
            detail.to_string(),
        ]],
        serde_json::json!({"talk": talk, "proposal": proposal, "state": state.as_str(), "detail": detail}),
    )
}

/// Record the end of the pause for every talk it has expired by `date` (written with the
/// command's own changes, in the same transaction).
pub fn expiry_changes(
    store: &SqliteStore,
    date: NaiveDate,
    except: Option<&str>,
) -> anyhow::Result<Vec<Change>> {
    let mut out = Vec::new();
    for n in store.negotiations().map_err(store_error)? {
        if Some(n.id.as_str()) == except || !n.expiry_due(date) {
            continue;
        }
        let end = n.pause.end();
        let was = n.state;
        out.push(Change::AppendEvent(Event::new(
            &n.id,
            end,
            EventKind::Expired,
            None,
            format!(
                "the pause ended on {end} without a deal (was {was}): the suspended rates apply"
            ),
        )));
        out.push(Change::UpdateNegotiation(Negotiation {
            state: State::Expired,
            ..n
        }));
    }
    Ok(out)
}

/// A change of a proposal's status, carrying its score over to the new version (the terms did not
/// change, so the score still holds).
pub fn status_change(
    store: &SqliteStore,
    p: &Proposal,
    status: reciprocity_negotiation::ProposalStatus,
) -> anyhow::Result<Vec<Change>> {
    let mut out = vec![Change::UpdateProposal(Proposal {
        status,
        ..p.clone()
    })];
    let scores = store.scores(&p.negotiation).map_err(store_error)?;
    if let Some(s) = scores
        .into_iter()
        .find(|s| s.proposal == p.number && s.proposal_version == p.version)
    {
        out.push(Change::PutScore(ScoreRecord {
            proposal_version: p.version + 1,
            ..s
        }));
    }
    Ok(out)
}

/// Commit, mapping store errors.
pub fn commit(store: &mut SqliteStore, changes: &[Change]) -> anyhow::Result<()> {
    store.commit(changes).map(|_| ()).map_err(store_error)
}

/// Render rows as an aligned table (numbers right-aligned).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
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

/// `+0.123` / `-` for a missing value.
pub fn signed(v: Option<f64>, decimals: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:+.decimals$}"))
}

/// A score of a proposal, with the time it took.
pub struct Scored {
    /// The score.
    pub score: Score,
    /// Milliseconds spent in the scoring call (the reference was solved before).
    pub scoring_ms: f64,
    /// Milliseconds to load, calibrate and solve the no-deal reference.
    pub setup_ms: f64,
    /// Where the no-deal rates came from.
    pub no_deal: String,
    /// What the world assumed (partner tariffs filled in, ...).
    pub world_notes: Vec<String>,
}

/// Score `terms` in `talk` on `world`, against the no-deal reference of the talk's pause end as
/// known on `date`. `load_ms` is the time already spent loading and calibrating the world.
pub fn score_terms(
    world: &NegotiationWorld,
    talk: &Negotiation,
    terms: &Terms,
    date: NaiveDate,
    load_ms: f64,
) -> anyhow::Result<Scored> {
    let t0 = Instant::now();
    let partner = world.partner(&talk.partner, &talk.partner_name)?;
    let (reference, no_deal) = world.reference(talk.pause.end(), date)?;
    let setup_ms = load_ms + t0.elapsed().as_secs_f64() * 1e3;
    let t1 = Instant::now();
    let score =
        reciprocity_negotiation::score(&world.world, &reference, &partner, terms).map_err(|e| {
            match e {
                reciprocity_negotiation::ScoreError::Term { .. } => BadInput(e.to_string()).into(),
                other => anyhow::Error::new(other),
            }
        })?;
    Ok(Scored {
        score,
        scoring_ms: t1.elapsed().as_secs_f64() * 1e3,
        setup_ms,
        no_deal: no_deal.describe(),
        world_notes: world.notes.clone(),
    })
}

/// Validate a draft for `talk` against the sectors of the world at `data` (embedded: `TOTAL`).
pub fn validate_terms(
    sectors: Vec<String>,
    talk: &Negotiation,
    draft: &TermsDraft,
) -> anyhow::Result<Terms> {
    let ctx = reciprocity_negotiation::ValidationContext {
        partner: talk.partner.clone(),
        partner_aliases: if talk.partner == "EUU" {
            vec!["EU".into(), "EU27".into()]
        } else {
            vec![]
        },
        sectors,
    };
    reciprocity_negotiation::validate(draft, &ctx).map_err(|e| BadInput(e.to_string()).into())
}

/// The sector codes of the world at `data` (the embedded world when `None`), without calibrating it.
pub fn world_sectors(data: Option<&Path>) -> anyhow::Result<Vec<String>> {
    Ok(crate::ge_run::load_world(data)?.data.sectors)
}

/// A score as a stored record.
pub fn score_record(
    talk: &Negotiation,
    number: u32,
    proposal_version: u64,
    date: NaiveDate,
    score: Score,
) -> ScoreRecord {
    ScoreRecord {
        negotiation: talk.id.clone(),
        proposal: number,
        proposal_version,
        scored_on: date,
        score,
    }
}

/// One line: `US −0.012%, JPN +0.350% welfare vs no deal (US rate 24.0% → 15.0%)`.
pub fn score_line(s: &Score) -> String {
    format!(
        "US {:+.4}%, {} {:+.4}% welfare vs no deal; US rate on {} {:.1}% → {:.1}%; {} rate on US goods {:.1}% → {:.1}%",
        s.us_welfare_pct,
        s.partner,
        s.partner_welfare_pct,
        s.partner,
        s.us_rate_no_deal_pct,
        s.us_rate_deal_pct,
        s.partner,
        s.partner_rate_no_deal_pct,
        s.partner_rate_deal_pct
    )
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
        rows.push(vec![
            format!("{}: {what}, %", c.term),
            "-".into(),
            "-".into(),
            format!("{:+.4}", c.rate_pct),
        ]);
        rows.push(vec![
            format!(
                "{}: flow, bn USD (of {} committed/quota)",
                c.term,
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
