//! The general-equilibrium engine (MODEL.md §1-7): calibrate once, then solve any tariff vector.
//!
//! ```
//! use reciprocity_model::{Dataset, ge};
//! // A two-country, one-sector world with domestic flows.
//! let mut data = Dataset::zeros("toy", vec!["AAA".into(), "BBB".into()], vec!["TOTAL".into()]);
//! data.flows = vec![80.0, 20.0, 10.0, 90.0];
//! data.has_domestic_flows = true;
//! let cal = ge::calibrate(&data, &ge::Params::textbook(vec![4.0])).unwrap();
//! let mut tariffs = cal.tariffs.clone();
//! tariffs[cal.index(0, 1, 0)] = 0.25; // AAA taxes imports from BBB at 25%
//! let eq = ge::solve(&cal, &tariffs, &ge::SolverOptions::default()).unwrap();
//! assert!(eq.report.max_residual < 1e-10);
//! let out = ge::outcomes(&cal, &eq);
//! assert!(out.countries[1].welfare_pct < 0.0); // the taxed exporter loses
//! ```

mod calibrate;
mod outcomes;
mod params;
mod residual;
mod solve;

pub use calibrate::{calibrate, Calibration};
pub use outcomes::{group_average, outcomes, CountryOutcome, Outcomes};
pub use params::{
    markup_wedge, Deficits, NuRule, Params, PhiRule, Revenue, ILMS_EPSILON, ILMS_SCALE_NUMERATOR,
};
pub use residual::{equilibrium_residual, residual_parts, ResidualParts};
pub use solve::{solve, solve_from, Equilibrium, SolveReport, SolverOptions, Termination};

/// Errors of the model core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// The data or parameters cannot be calibrated or solved as given.
    #[error("invalid model input: {0}")]
    InvalidInput(String),
    /// The solver did not reach the tolerance.
    #[error("the equilibrium solver did not converge ({termination}) after {iterations} iterations; max residual {residual:.3e}")]
    NotConverged {
        /// Why it stopped.
        termination: Termination,
        /// Iterations done.
        iterations: usize,
        /// The largest residual reached.
        residual: f64,
    },
}
