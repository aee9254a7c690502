//! What a solve returns: the counterfactual equilibrium and the report of how the solve ended.

/// Why the solver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// Every equation holds to the tolerance.
    Converged,
    /// The iteration limit was reached first.
    MaxIterations,
    /// A value became NaN or infinite (the tariffs are outside the model's domain).
    NonFinite,
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Termination::Converged => "converged",
            Termination::MaxIterations => "maximum iterations reached",
            Termination::NonFinite => "non-finite values",
        })
    }
}

/// How a solve ended: the data every caller needs to trust (or reject) a result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveReport {
    /// Why it stopped.
    pub termination: Termination,
    /// Iterations of the map G (accelerated fixed point and Newton steps together).
    pub iterations: usize,
    /// Largest relative residual over all equations of §3 at the returned point.
    pub max_residual: f64,
    /// Steps of the continuation in the shock that the solve needed (0: the direct solve converged).
    pub continuation_steps: usize,
}

/// A counterfactual equilibrium: hats (counterfactual / factual) and levels.
#[derive(Debug, Clone)]
pub struct Equilibrium {
    /// ŵ_i.
    pub wage: Vec<f64>,
    /// Ê_i.
    pub expenditure: Vec<f64>,
    /// L̂_i.
    pub employment: Vec<f64>,
    /// ℓ̂_ik, layout `[i][k]` (all ones when K = 1).
    pub sector_share: Vec<f64>,
    /// P̂_i.
    pub price_index: Vec<f64>,
    /// R_i: counterfactual tariff revenue (level).
    pub revenue: Vec<f64>,
    /// X′_jik: counterfactual flows at producer prices, layout `[k][exporter][importer]`.
    pub flows: Vec<f64>,
    /// The counterfactual tariffs t¹ solved for.
    pub tariffs: Vec<f64>,
    /// How the solve ended.
    pub report: SolveReport,
}
