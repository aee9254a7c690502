//! The sections of `reciprocity report`, one file each. `cmd/report.rs` calls them in order.
//!
//! A section is `pub fn write(dir: &Path, opts: &Options) -> anyhow::Result<String>`: it writes its files into `dir`
//! (atomically, with `output::write_atomic` or `chart::Chart::write`) and returns the Markdown that is
//! appended to `dir/REPORT.md`. To add a section: add a file here and one line to [`SECTIONS`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use reciprocity_service::scenario::{self as ge_run, World};

pub mod comparison;
pub mod costs;
pub mod formula;
pub mod ge;
pub mod headline;
pub mod negotiations;
pub mod sectors;
pub mod strategy;
pub mod timeline;

/// What the report's flags ask of the sections.
#[derive(Clone)]
pub struct Options {
    /// The uncertainty bands of the GE section (`--draws 0`: none).
    pub draws: crate::cmd::flags::DrawArgs,
    /// The day of the US tariffs in force (`--date`; default today): the headline, the
    /// timeline's table, the costs, the board and the sector section's scenario.
    pub date: NaiveDate,
    /// The world folder of the GE sections (`--data DIR`).
    pub data: Option<PathBuf>,
    /// An embedded world for the GE sections instead (`--world default|sectors`).
    pub world: Option<String>,
    /// The world those flags name, loaded once ([`load_ge_world`]).
    pub ge_world: Arc<World>,
    /// The Liberation Day scenario solved on that world, once, for the sections that show it
    /// ([`Options::liberation_day`]).
    pub liberation_day: Arc<std::sync::OnceLock<LiberationDay>>,
}

/// The Liberation Day scenario (the compiled-in file for the world's kind) and its solution.
pub struct LiberationDay {
    /// The scenario.
    pub input: ge_run::ScenarioInput,
    /// Its equilibrium and outcomes.
    pub result: ge_run::ScenarioResult,
}

/// The caption's words on a chart's error bars (`which` says which bars have them; empty
/// without bands).
fn band_words(which: &str, summary: Option<&reciprocity_service::bands::DrawSummary>) -> String {
    match summary {
        Some(s) => format!(
            "; error bars{which}: the 90% band over {} draws of the uncertain parameters (seed {}), \
             dots: the medians (docs/uncertainty.md)",
            s.draws, s.seed
        ),
        None => String::new(),
    }
}

impl Options {
    /// The Liberation Day scenario on the GE world, solved on first use and shared by the GE
    /// section and the comparison with the budget models.
    pub fn liberation_day(&self) -> anyhow::Result<&LiberationDay> {
        if let Some(ld) = self.liberation_day.get() {
            return Ok(ld);
        }
        let world = &*self.ge_world;
        let input = reciprocity_service::comparison::liberation_day(world)?;
        let result = ge_run::solve_scenario(world, &input)?;
        Ok(self
            .liberation_day
            .get_or_init(|| LiberationDay { input, result }))
    }

    /// "today" when `--date` is today, else "on YYYY-MM-DD" (headings and sentences).
    pub fn day(&self) -> String {
        match self.date == crate::cmd::flags::today() {
            true => "today".into(),
            false => format!("on {}", self.date),
        }
    }
}

/// Load the world of the GE sections (`--data` or `--world`, else the embedded default): once,
/// before any section runs, so a bad flag fails first and the sections share it.
pub fn load_ge_world(data: Option<&Path>, world: Option<&str>) -> anyhow::Result<Arc<World>> {
    Ok(Arc::new(
        ge_run::load_named_world(data, world).map_err(crate::cmd::flags::from_service)?,
    ))
}

#[cfg(test)]
impl Options {
    /// No bands (the sections' unit tests).
    pub fn without_draws() -> Options {
        Options {
            draws: crate::cmd::flags::DrawArgs {
                draws: 0,
                seed: 1,
                keep_closure: false,
                kappa_spread: 0.5,
                pass_through: "0.25:1".into(),
            },
            date: crate::cmd::flags::today(),
            data: None,
            world: None,
            ge_world: load_ge_world(None, None).expect("the embedded world loads"),
            liberation_day: Arc::default(),
        }
    }
}

/// A report section: its name (for messages) and its writer.
pub type Section = (&'static str, fn(&Path, &Options) -> anyhow::Result<String>);

/// The sections, in the order they appear in REPORT.md.
pub const SECTIONS: &[Section] = &[
    ("headline", headline::write),
    ("formula", formula::write),
    ("timeline", timeline::write),
    ("costs", costs::write),
    ("ge", ge::write),
    ("comparison", comparison::write),
    ("sectors", sectors::write),
    ("strategy", strategy::write),
    ("negotiations", negotiations::write),
];

/// The product-level context (registry, product engine, 2024 weights) under the default
/// assumptions, loaded once for the sections that need it (the headline and the costs).
pub fn rate_context() -> anyhow::Result<&'static reciprocity_service::etr::RateContext> {
    static CTX: std::sync::OnceLock<reciprocity_service::etr::RateContext> =
        std::sync::OnceLock::new();
    if let Some(ctx) = CTX.get() {
        return Ok(ctx);
    }
    let shared = reciprocity_service::policy::find_shared_dir();
    let registry = reciprocity_service::policy::load_registry(None)?;
    let ctx = reciprocity_service::etr::RateContext::load(
        shared.as_deref(),
        registry,
        reciprocity_policy::product::Assumptions::default(),
    )?;
    Ok(CTX.get_or_init(|| ctx))
}
