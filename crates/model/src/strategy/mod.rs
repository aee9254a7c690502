//! Strategy (docs/model.md §7): optimal tariffs and retaliation rules, numerical best responses, the
//! Nash tariff war, Nash bargaining over a pair of tariffs, and Bagwell–Staiger reciprocity.
//!
//! Welfare is always the GE welfare change of §4 (`ge::outcomes(..).countries[i].welfare_pct`),
//! against the calibrated factual state; a bloc's welfare is the expenditure-weighted mean of its
//! members' (the §4 group average).

mod bagwell_staiger;
mod bargain;
mod best_response;
mod nash;
mod optimal;
mod search;

pub use bagwell_staiger::{
    reciprocal_partner_rate, reciprocity, Reciprocity, RECIPROCITY_TOLERANCE_PCT,
};
pub use bargain::{bargain, pair_controls, BargainOptions, BargainResult, Deal};
pub use best_response::{
    apply_controls, best_response, closed_form_at, controls, player_welfare, read_controls,
    BestResponse, Control, Instrument, Player, SearchOptions,
};
pub use nash::{nash, NashOptions, NashProgress, NashResult};
pub use optimal::{optimal_retaliation_rate, optimal_tariff_closed_form, Denominator};

use crate::ge::ModelError;

/// Errors of the strategy computations.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StrategyError {
    /// The equilibrium solver failed at a point the method needed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The problem is ill-posed as given (an empty player, a bad bound, ...).
    #[error("invalid strategy input: {0}")]
    InvalidInput(String),
    /// An iterative method stopped before its tolerance.
    #[error("{what} did not converge after {iterations} iterations (residual {residual:.3e})")]
    NotConverged {
        /// What did not converge.
        what: String,
        /// Iterations (or rounds) done.
        iterations: usize,
        /// The last residual.
        residual: f64,
    },
    /// A player's welfare keeps rising up to the edge of the model's domain (beyond it the
    /// equilibrium does not exist), so it has no optimal tariff there.
    #[error("{player} has no optimal tariff: its welfare rises up to the edge of the model's domain near {rate_pct:.1}% (no equilibrium beyond){hint}")]
    NoOptimum {
        /// The player.
        player: String,
        /// Where the domain ends (percent).
        rate_pct: f64,
        /// A hint on the cause.
        hint: String,
    },
    /// No deal leaves both sides better off than the disagreement point.
    #[error("no deal: {0}")]
    NoDeal(String),
    /// The owner of the search asked it to stop (`SolverOptions::stop`).
    #[error("stopped before the end (asked to stop)")]
    Stopped,
}

/// Run `f` over `items`, in parallel unless `threads` is 1 (0 = rayon's global pool, n = a pool
/// of n threads). Results keep the order of `items`.
pub(crate) fn par_map<T, R, F>(threads: usize, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    use rayon::prelude::*;
    match threads {
        1 => items.iter().map(f).collect(),
        0 => items.par_iter().map(f).collect(),
        n => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(|| items.par_iter().map(&f).collect()),
            Err(_) => items.par_iter().map(f).collect(),
        },
    }
}
