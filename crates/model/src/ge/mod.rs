//! The general-equilibrium engine (docs/model.md §1-7): calibrate once, then solve any tariff vector.
//!
//! ```
//! use reciprocity_model::{Dataset, ge};
//! // A two-country, one-sector world with domestic flows.
//! let mut data = Dataset::zeros("toy", vec!["AAA".into(), "BBB".into()], vec!["TOTAL".into()]);
//! data.flows = vec![80.0, 20.0, 10.0, 90.0];
//! data.has_domestic_flows = true;
//! let cal = ge::calibrate(&data, &ge::Params::textbook(vec![4.0])).unwrap();
//! let mut tariffs = cal.tariffs.clone();
//! cal.pairs_mut(&mut tariffs).set(0, 1, 0, 0.25); // AAA (importer 0) taxes BBB's goods at 25%
//! let eq = ge::solve(&cal, &tariffs, &ge::SolverOptions::default()).unwrap();
//! assert!(eq.report.max_residual < 1e-10);
//! let out = ge::outcomes(&cal, &eq);
//! assert!(out.countries[1].welfare_pct < 0.0); // the taxed exporter loses
//! ```

mod anderson;
mod attempt;
mod calibrate;
mod continuation;
mod diagnose;
mod equilibrium;
mod newton;
mod outcomes;
mod params;
mod residual;
mod sectors;
mod solve;
mod stop;
mod system;

pub use calibrate::{calibrate, mean_phi, Calibration};
pub use equilibrium::{Equilibrium, SolveReport, Termination};
pub use outcomes::{group_average, outcomes, CountryOutcome, Outcomes};
pub use params::{
    markup_wedge, Deficits, NuRule, Params, PhiRule, Revenue, ILMS_EPSILON, ILMS_SCALE_NUMERATOR,
};
pub use residual::{equilibrium_residual, residual_parts, ResidualParts};
pub use sectors::{sector_outcomes, SectorOutcome};
pub use solve::{solve, solve_from, SolverOptions};
pub use stop::Stop;

/// Errors of the model core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// The data or parameters cannot be calibrated or solved as given.
    #[error("invalid model input: {0}")]
    InvalidInput(String),
    /// The solver did not reach the tolerance.
    #[error("the equilibrium solver did not converge ({termination}) after {iterations} iterations; max residual {}", residual_text(*.residual))]
    NotConverged {
        /// Why it stopped.
        termination: Termination,
        /// Iterations done.
        iterations: usize,
        /// The largest residual reached (NaN when values stopped being finite).
        residual: f64,
    },
    /// No equilibrium exists at these tariffs, or the path of equilibria towards them ends: a
    /// condition of the model fails in `country` (the reason names the quantity and the way out).
    #[error("{country}: {reason}")]
    NoEquilibrium {
        /// The country (ISO3) whose condition fails.
        country: String,
        /// What fails, by how much, and what to change.
        reason: String,
    },
    /// The continuation in the shock stopped short of the target with no condition of the model
    /// violated at its last point: the path turns back (a fold) or the solver cannot follow it.
    #[error("no equilibrium found: the path of equilibria was followed to {reached_pct:.1} % of the tariff change ({steps} steps, {iterations} iterations) and could not be continued (last residual {}); no condition of the model fails there", residual_text(*.residual))]
    PathEnded {
        /// The share of the tariff change reached, in percent.
        reached_pct: f64,
        /// Successful continuation steps.
        steps: usize,
        /// Iterations of the map over the whole path.
        iterations: usize,
        /// The map's residual at the last failed step.
        residual: f64,
    },
}

/// A residual for a message: never "NaN".
fn residual_text(residual: f64) -> String {
    if residual.is_finite() {
        format!("{residual:.3e}")
    } else {
        "not finite".to_string()
    }
}
