//! Flags shared by several commands, and the service's request fields: a [`ServiceError::BadInput`] names the field to blame
//! in the service's words (`max_rate`, `war_players`); the CLI names its flag (`--max-rate`).

use std::path::PathBuf;

use chrono::NaiveDate;
use reciprocity_model::formula::{self, FormulaParams, Rounding};
use reciprocity_policy::effective::Assumptions;
use reciprocity_server::{Backend, Role};
use reciprocity_service::ServiceError;
use reciprocity_store::{ApiUser, Store, StoreError};

use crate::BadInput;

/// The flag of a service request field: `--` and the field with `-` for `_`.
pub fn flag(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

/// A service error as the CLI reports it: bad input names the flag (`--country: expected ...`)
/// and exits 2; anything else is `None` (the caller decides).
pub fn bad_input(e: &ServiceError) -> Option<BadInput> {
    match e {
        ServiceError::BadInput {
            field: Some(field),
            message,
        } => Some(BadInput(format!("{}: {message}", flag(field)))),
        ServiceError::BadInput {
            field: None,
            message,
        } => Some(BadInput(message.clone())),
        _ => None,
    }
}

/// A service error as an `anyhow` error: bad input names the flag and exits 2 (see [`bad_input`]);
/// anything else goes up unchanged.
pub fn from_service(e: ServiceError) -> anyhow::Error {
    match bad_input(&e) {
        Some(b) => b.into(),
        None => e.into(),
    }
}

/// Store errors the user can act on (a conflict, a missing talk, a bad file) exit with code 2.
pub fn store_error(e: StoreError) -> anyhow::Error {
    if e.is_user_error() {
        BadInput(e.to_string()).into()
    } else {
        anyhow::Error::new(e)
    }
}

/// Rounding rules, as flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum RoundingArg {
    /// charged = round(ratio), reciprocal = ceil(discount × rounded charged): the chart's rule for 182 of 185.
    #[default]
    Official,
    /// reciprocal = ceil(discount × unrounded ratio): the rule the chart used for Vietnam and Japan.
    Unrounded,
    /// No rounding.
    None,
}

impl From<RoundingArg> for Rounding {
    fn from(r: RoundingArg) -> Self {
        match r {
            RoundingArg::Official => Rounding::Official,
            RoundingArg::Unrounded => Rounding::Unrounded,
            RoundingArg::None => Rounding::None,
        }
    }
}

/// Which partners to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Partners {
    /// Every country in the Census 2024 data, plus the EU as one partner.
    #[default]
    All,
    /// Only the 185 partners of the April 2 chart.
    Chart,
}

/// The formula's parameters as flags (`formula`, `chart`).
#[derive(Debug, Clone, clap::Args)]
pub struct ParamArgs {
    /// ε, the trade elasticity.
    #[arg(long, default_value_t = formula::OFFICIAL_TRADE_ELASTICITY)]
    pub trade_elasticity: f64,
    /// φ, the pass-through of tariffs to import prices (critics proposed 0.945).
    #[arg(long, default_value_t = formula::OFFICIAL_PASS_THROUGH)]
    pub pass_through: f64,
    /// The lowest rate, percent.
    #[arg(long, default_value_t = 10.0)]
    pub floor: f64,
    /// The share of the charged rate that is levied.
    #[arg(long, default_value_t = 0.5)]
    pub discount: f64,
    /// How rates are rounded.
    #[arg(long, value_enum, default_value_t = RoundingArg::Official)]
    pub rounding: RoundingArg,
}

impl ParamArgs {
    /// Validated model parameters; a bad value is a `BadInput` (exit code 2).
    pub fn params(&self) -> anyhow::Result<FormulaParams> {
        let p = FormulaParams {
            trade_elasticity: self.trade_elasticity,
            pass_through: self.pass_through,
            floor_pct: self.floor,
            discount: self.discount,
            rounding: self.rounding.into(),
        };
        p.validate()
            .map_err(|e| BadInput(format!("formula parameters: {e}")))?;
        Ok(p)
    }
}

impl From<Partners> for reciprocity_service::formula::Partners {
    fn from(p: Partners) -> Self {
        match p {
            Partners::All => reciprocity_service::formula::Partners::All,
            Partners::Chart => reciprocity_service::formula::Partners::Chart,
        }
    }
}

// ------------------------------------------------------------------ the registry, the weights, dates (timeline, tariffs, pause, negotiate, report)

pub use reciprocity_service::policy::{load_registry, load_weights};

/// `--registry`: an alternative registry.
#[derive(Debug, Clone, clap::Args, Default)]
pub struct RegistryArgs {
    /// A registry TOML file, or a directory of them, used instead of the embedded one.
    #[arg(long, value_name = "PATH")]
    pub registry: Option<PathBuf>,
}

/// Flags for the import weights.
#[derive(Debug, Clone, clap::Args, Default)]
pub struct WeightArgs {
    /// The shared data folder (default: $RECIPROCITY_SHARED_DATA, else ../shared/data if present).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
    /// Do not read the shared data folder: the HS detail is the compiled-in Census 2024 HS8 table
    /// (50 partners and the EU; the other partners' totals spread over headings like theirs).
    #[arg(long)]
    pub no_shared: bool,
    /// Share of a partner's imports qualifying for USMCA, e.g. CAN=0.65 (repeatable). Defaults:
    /// CAN=0.65, MEX=0.82 (the peer's implied shares; no official figure is in the sources).
    #[arg(long = "usmca-share", value_name = "ISO3=SHARE")]
    pub usmca_share: Vec<String>,
}

/// The shared data folder: `--shared`, else $RECIPROCITY_SHARED_DATA, else ../shared/data if present.
pub fn shared_dir(args: &WeightArgs) -> anyhow::Result<Option<PathBuf>> {
    if args.no_shared {
        return Ok(None);
    }
    if let Some(dir) = &args.shared {
        if !dir.join("tariffs_hs2").is_dir() {
            return Err(BadInput(format!(
                "{}: no tariffs_hs2/ folder here (expected the shared data folder)",
                dir.display()
            ))
            .into());
        }
        return Ok(Some(dir.clone()));
    }
    Ok(reciprocity_service::policy::find_shared_dir())
}

/// The USMCA shares from the flags (defaults filled in).
pub fn assumptions(args: &WeightArgs) -> anyhow::Result<Assumptions> {
    let mut a = reciprocity_service::policy::default_assumptions();
    for item in &args.usmca_share {
        let (code, share) = item.split_once('=').ok_or_else(|| {
            BadInput(format!(
                "--usmca-share: expected ISO3=SHARE such as CAN=0.65, found {item:?}"
            ))
        })?;
        let share: f64 = share
            .trim()
            .parse()
            .ok()
            .filter(|s: &f64| (0.0..=1.0).contains(s))
            .ok_or_else(|| {
                BadInput(format!(
                    "--usmca-share: expected a share between 0 and 1, found {share:?}"
                ))
            })?;
        let code = code.trim().to_ascii_uppercase();
        if reciprocity_data::registry::country(&code).is_none() {
            return Err(BadInput(format!("--usmca-share: unknown partner {code:?}")).into());
        }
        a.usmca_qualifying_share.insert(code, share);
    }
    Ok(a)
}

/// Parse a date flag.
pub fn parse_date(flag: &str, text: &str) -> anyhow::Result<NaiveDate> {
    reciprocity_policy::date(text).map_err(|e| BadInput(format!("--{flag}: {e}")).into())
}

/// Today, or $RECIPROCITY_TODAY (YYYY-MM-DD) for reproducible output.
pub fn today() -> NaiveDate {
    std::env::var("RECIPROCITY_TODAY")
        .ok()
        .and_then(|t| reciprocity_policy::date(&t).ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// A partner code from a flag (ISO3, name, or `EU`), as the registry spells it.
pub fn resolve_partner(text: &str) -> anyhow::Result<String> {
    if matches!(text.to_ascii_uppercase().as_str(), "EU" | "EUU" | "EU27") {
        return Ok("EUU".into());
    }
    reciprocity_data::registry::country(text)
        .map(|c| c.iso3.clone())
        .ok_or_else(|| {
            BadInput(format!(
                "--partner: unknown partner {text:?} (expected an ISO3 code or a country name)"
            ))
            .into()
        })
}

// ------------------------------------------------------------------ the database (serve, users)

/// The database flags of `serve` and `users`.
#[derive(Debug, Clone, clap::Args)]
pub struct BackendArgs {
    /// The SQLite database. Default: $RECIPROCITY_DB, else negotiations.db in the user's data
    /// folder (~/.local/share/reciprocity on Linux).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "database_url",
        global = true
    )]
    pub db: Option<PathBuf>,
    /// A PostgreSQL database instead of SQLite (`postgres://user@host/db`).
    #[arg(long, value_name = "URL", global = true)]
    pub database_url: Option<String>,
}

impl BackendArgs {
    /// The backend the flags name.
    pub fn backend(&self) -> anyhow::Result<Backend> {
        if let Some(url) = &self.database_url {
            return Ok(Backend::Postgres(url.clone()));
        }
        let path = match &self.db {
            Some(p) => p.clone(),
            None => reciprocity_store::default_path().ok_or_else(|| {
                BadInput("no home folder to keep the database in: pass --db PATH".into())
            })?,
        };
        Ok(Backend::Sqlite(path))
    }
}

/// Add a user with a fresh token; returns the token (the store keeps only its hash).
pub fn add_user(store: &mut dyn Store, name: &str, role: &Role) -> anyhow::Result<String> {
    let (token, hash) = reciprocity_server::auth::new_token()
        .map_err(|e| anyhow::anyhow!("no randomness for a token: {e}"))?;
    let user = ApiUser {
        name: name.to_string(),
        role: role.as_text(),
        created: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    store.add_user(&user, &hash).map_err(store_error)?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_becomes_its_flag() {
        let e = ServiceError::bad_field("max_rate", "expected a positive fraction, found 0");
        assert_eq!(
            bad_input(&e).unwrap().0,
            "--max-rate: expected a positive fraction, found 0"
        );
        // The API's message keeps the field's own name.
        assert_eq!(
            e.to_string(),
            "max_rate: expected a positive fraction, found 0"
        );
        let e = ServiceError::bad_input("calibration: no trade");
        assert_eq!(bad_input(&e).unwrap().0, "calibration: no trade");
        assert!(bad_input(&ServiceError::NotFound("x".into())).is_none());
    }
}

/// The uncertainty flags of `simulate`, `strategy retaliate` and `report` (docs/uncertainty.md).
#[derive(Debug, Clone, clap::Args)]
pub struct DrawArgs {
    /// Draw the uncertain parameters this many times and report every headline number as its
    /// median and 90% band (0: the point estimate only).
    #[arg(long, default_value_t = 0)]
    pub draws: usize,
    /// The seed of the draws (the same seed gives the same bands).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the scenario's revenue closure in every draw (default: each closure with probability 1/2).
    #[arg(long)]
    pub keep_closure: bool,
    /// κ is drawn uniformly within ± this share of the scenario's (an assumption; docs/uncertainty.md).
    #[arg(long, default_value_t = 0.5)]
    pub kappa_spread: f64,
    /// The pass-through shift of φ is drawn uniformly in LO:HI (an assumption: between the model's
    /// incomplete-pass-through variant and its baseline), or `off` to keep the scenario's.
    #[arg(long, default_value = "0.25:1")]
    pub pass_through: String,
}

impl DrawArgs {
    /// The service's request (bad input names the flag).
    pub fn request(&self) -> anyhow::Result<reciprocity_service::bands::DrawRequest> {
        let mut req = reciprocity_service::bands::DrawRequest::new(self.draws, self.seed);
        if self.keep_closure {
            req.distributions = req.distributions.keep_closure();
        }
        req.distributions.kappa_spread = self.kappa_spread;
        req.distributions.pass_through = match self.pass_through.trim() {
            "off" | "none" => None,
            range => {
                let parsed = range
                    .split_once(':')
                    .and_then(|(lo, hi)| Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?)));
                Some(parsed.ok_or_else(|| {
                    BadInput(format!(
                        "--pass-through: expected LO:HI or off, found \"{range}\""
                    ))
                })?)
            }
        };
        req.check(reciprocity_service::bands::MAX_DRAWS)
            .map_err(from_service)?;
        Ok(req)
    }
}

/// Whether a run of draws is going on (Ctrl-C stops it), and the stop flag it reads.
static DRAWING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn interrupt_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, OnceLock};
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let set = flag.clone();
        // Ctrl-C during draws asks them to stop (the bar is cleared, nothing is written);
        // outside draws, or a second time, it ends the process as before.
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                while tokio::signal::ctrl_c().await.is_ok() {
                    if !DRAWING.load(Ordering::SeqCst) || set.swap(true, Ordering::SeqCst) {
                        std::process::exit(130);
                    }
                }
            });
        });
        flag
    })
    .clone()
}

/// Run `f` (a use case's draws) with a progress bar on stderr (drawn only on a terminal) and
/// Ctrl-C wired to its stop flag; an interrupted run is an error that says so.
pub fn with_draws<T>(
    total: usize,
    what: &str,
    f: impl FnOnce(&reciprocity_service::bands::Exec<'_>) -> Result<T, ServiceError>,
) -> anyhow::Result<T> {
    use std::sync::atomic::Ordering;
    let flag = interrupt_flag();
    flag.store(false, Ordering::SeqCst);
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} draws {what} [{{elapsed}}]"
        ))
        .expect("static template"),
    );
    let tick = || bar.inc(1);
    let exec = reciprocity_service::bands::Exec {
        sequential: false,
        stop: reciprocity_model::ge::Stop::on(flag.clone()),
        progress: Some(&tick),
    };
    DRAWING.store(true, Ordering::SeqCst);
    let out = f(&exec);
    DRAWING.store(false, Ordering::SeqCst);
    bar.finish_and_clear();
    match out {
        Ok(v) => Ok(v),
        Err(ServiceError::Stopped) => Err(anyhow::anyhow!(
            "interrupted: the draws were stopped before their end (nothing was written)"
        )),
        Err(e) => Err(from_service(e)),
    }
}
