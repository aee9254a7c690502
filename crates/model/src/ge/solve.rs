//! The equilibrium solver (docs/model.md §3).
//!
//! Unknowns are u = (ln ŵ, ln L̂, ln ℓ̂). Ê is eliminated: given the others, the budget is linear in
//! Ê_i because revenue is R_i = ρ_i Ê_i E_i. The map G (`system.rs`) updates wages by a diagonally
//! scaled excess demand step, labour from the supply curve and sector shares from sector sales.
//! A solve tries, in order, until one converges:
//! 1. Anderson acceleration (type II, Walker & Ni 2011) of u = G(u), from the start;
//! 2. Newton's method on G(u) − u (`newton.rs`: finite-difference Jacobian, faer LU, line search);
//! 3. continuation in the shock (`continuation.rs`): the tariffs walked from the start to the
//!    target in adaptive steps, each solved by 1–2 from the last.
//!
//! If all fail, `diagnose.rs` says why: a proof that no equilibrium exists, or where the path of
//! equilibria ends. The system is homogeneous of degree one in prices, so the iteration normalises
//! world income and the numéraire of §3 (Σ_i E_i (P̂_i − 1) = 0) is imposed by one rescaling at the
//! end. Convergence is judged on the residuals of *all* equations of §3 (including the income
//! equation the numéraire replaces, which holds by Walras' law), recomputed from scratch by
//! [`super::residual`].

use super::anderson::Anderson;
use super::calibrate::Calibration;
use super::continuation;
use super::diagnose;
use super::equilibrium::{Equilibrium, SolveReport, Termination};
use super::newton::newton;
use super::residual::equilibrium_residual;
use super::system::{Prepared, State};
use super::ModelError;

/// Solver settings.
#[derive(Debug, Clone, Copy)]
pub struct SolverOptions {
    /// Stop when the largest relative residual of §3 is below this.
    pub tolerance: f64,
    /// Give up the accelerated iteration after this many iterations.
    pub max_iterations: usize,
    /// Anderson memory (0 = plain damped iteration).
    pub anderson_memory: usize,
    /// When the accelerated iteration fails, fall back to Newton's method (systems of up to 5,000
    /// unknowns) and then to continuation in the shock; `false` makes a failed iteration an error.
    pub newton_fallback: bool,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            tolerance: 1e-12,
            max_iterations: 2_000,
            anderson_memory: 8,
            newton_fallback: true,
        }
    }
}

/// The largest system Newton's method takes on: its dense Jacobian costs dim evaluations and
/// dim² numbers (5,000 unknowns: 200 MB), its LU dim³.
const NEWTON_MAX_DIM: usize = 5_000;
/// Jacobians Newton may build after a failed direct iteration, and per continuation step.
const NEWTON_JACOBIANS: usize = 12;
const NEWTON_JACOBIANS_ON_PATH: usize = 8;
/// Accelerated iterations allowed per continuation step.
const ITERATIONS_ON_PATH: usize = 150;

/// Solve for the counterfactual equilibrium at tariffs `tariffs` (layout `[k][exporter][importer]`),
/// starting from the factual state (all hats one).
///
/// Non-convergence is an error carrying the termination reason, iterations and residual; where no
/// equilibrium exists the error names the country and the condition.
pub fn solve(
    cal: &Calibration,
    tariffs: &[f64],
    options: &SolverOptions,
) -> Result<Equilibrium, ModelError> {
    solve_from(cal, tariffs, None, options)
}

/// As [`solve`], warm-started from a nearby equilibrium of the same calibration (e.g. the
/// previous step of a best-response search). The answer does not depend on the start; only the
/// iteration count does. Newton and the continuation, if needed, start from the same point.
pub fn solve_from(
    cal: &Calibration,
    tariffs: &[f64],
    start: Option<&Equilibrium>,
    options: &SolverOptions,
) -> Result<Equilibrium, ModelError> {
    let (n, kk) = (cal.n, cal.k);
    if tariffs.len() != kk * n * n {
        return Err(ModelError::InvalidInput(format!(
            "tariffs must have K·N·N = {} entries, got {}",
            kk * n * n,
            tariffs.len()
        )));
    }
    if let Some(pos) = tariffs.iter().position(|t| !t.is_finite() || *t <= -1.0) {
        return Err(ModelError::InvalidInput(format!(
            "tariff #{pos} must be a finite number above −1, got {}",
            tariffs[pos]
        )));
    }
    let prepared = Prepared::new(cal, tariffs);
    let dim = prepared.dim();
    if let Some(start) = start {
        if start.wage.len() != n || start.sector_share.len() != n * kk {
            return Err(ModelError::InvalidInput(
                "the warm start comes from a different world".into(),
            ));
        }
    }
    // The start: the warm start's unknowns if usable, else the factual state (u = 0).
    let (start_u, start_tariffs) = match start.and_then(|eq| Some((prepared.unknowns_of(eq)?, eq)))
    {
        Some((u, eq)) => (u, eq.tariffs.as_slice()),
        None => (vec![0.0; dim], cal.tariffs.as_slice()),
    };
    if let Some(reason) = diagnose::impossible(&prepared, tariffs) {
        return Err(reason);
    }
    let mut u = start_u.clone();
    let mut state = State::new(n, kk);
    let direct = attempt(&prepared, &mut u, &mut state, options, None);
    let mut iterations = direct.iterations;
    let mut continuation_steps = 0;
    let mut evaluated = direct.evaluated;
    let termination = if direct.termination == Termination::Converged || !options.newton_fallback {
        direct.termination
    } else {
        let path = continuation::follow(cal, start_tariffs, start_u, tariffs, options);
        iterations += path.iterations;
        if !path.complete {
            return Err(diagnose::path_end(cal, &path));
        }
        continuation_steps = path.steps;
        u = path.end.u;
        evaluated = false;
        Termination::Converged
    };
    if termination == Termination::NonFinite {
        return Err(ModelError::NotConverged {
            termination,
            iterations,
            residual: f64::NAN,
        });
    }
    let equilibrium = prepared.finish(
        &mut u,
        &mut state,
        evaluated,
        tariffs,
        iterations,
        termination,
    );
    let max_residual = equilibrium_residual(cal, &equilibrium);
    let report = SolveReport {
        termination: if max_residual <= options.tolerance.max(1e-10) {
            termination
        } else {
            Termination::MaxIterations
        },
        iterations,
        max_residual,
        continuation_steps,
    };
    if report.termination != Termination::Converged {
        return Err(ModelError::NotConverged {
            termination: report.termination,
            iterations,
            residual: max_residual,
        });
    }
    Ok(Equilibrium {
        report,
        ..equilibrium
    })
}

/// One attempt at the prepared tariffs from `u`: the accelerated iteration, then (if allowed and
/// the system is small enough) Newton's method from the same start.
pub(super) struct Attempt {
    pub(super) termination: Termination,
    /// Iterations of the map (accelerated and Newton).
    pub(super) iterations: usize,
    /// The map's largest residual where the attempt stopped.
    pub(super) residual: f64,
    /// `state` holds the evaluation at the returned `u`.
    pub(super) evaluated: bool,
}

/// See [`Attempt`]. `path_tolerance`: a continuation step, solved to this map residual (a step
/// short of the target only seeds the next, so it need not be exact), with smaller budgets and
/// Newton always allowed; None: the direct solve, to the options' tolerance.
pub(super) fn attempt(
    p: &Prepared,
    u: &mut [f64],
    state: &mut State,
    options: &SolverOptions,
    path_tolerance: Option<f64>,
) -> Attempt {
    let dim = u.len();
    let on_path = path_tolerance.is_some();
    let tolerance = path_tolerance.unwrap_or(options.tolerance * 0.1);
    let newton_allowed = (options.newton_fallback || on_path) && dim <= NEWTON_MAX_DIM;
    let limit = if on_path {
        options.max_iterations.min(ITERATIONS_ON_PATH)
    } else {
        options.max_iterations
    };
    let start = u.to_vec();
    let (termination, iterations, residual) =
        accelerated(p, u, state, options, tolerance, limit, newton_allowed);
    if termination == Termination::Converged || !newton_allowed {
        return Attempt {
            termination,
            iterations,
            residual,
            evaluated: termination == Termination::Converged,
        };
    }
    // Large shocks can defeat the accelerated iteration: Newton from the same start.
    u.copy_from_slice(&start);
    let steps = if on_path {
        NEWTON_JACOBIANS_ON_PATH
    } else {
        NEWTON_JACOBIANS
    };
    let run = newton(p, u, state, tolerance, steps);
    Attempt {
        termination: run.termination,
        iterations: iterations + run.iterations,
        residual: run.residual,
        evaluated: false, // a line search may have left `state` at a trial point
    }
}

/// Anderson-accelerated fixed-point iteration, restarted when it stalls; hands over early (after
/// eight fruitless restarts) when Newton may take over. Returns the termination, the iterations
/// and the map's residual at the last evaluation (which `state` holds).
fn accelerated(
    p: &Prepared,
    u: &mut [f64],
    state: &mut State,
    options: &SolverOptions,
    tolerance: f64,
    max_iterations: usize,
    newton_next: bool,
) -> (Termination, usize, f64) {
    let dim = u.len();
    let mut step = vec![0.0; dim];
    let mut anderson = Anderson::new(dim, options.anderson_memory);
    let mut iterations = 0;
    let mut best = f64::INFINITY;
    let mut stalled = 0usize;
    let mut restarts = 0usize;
    let mut residual = f64::INFINITY;
    while iterations < max_iterations {
        residual = p.evaluate(u, state, &mut step);
        if !residual.is_finite() || step.iter().any(|v| !v.is_finite()) {
            return (Termination::NonFinite, iterations, residual);
        }
        if residual < tolerance {
            return (Termination::Converged, iterations, residual);
        }
        // Restart the acceleration when it stops making progress.
        if residual < best * 0.999 {
            best = residual;
            stalled = 0;
        } else {
            stalled += 1;
            if stalled > 10 {
                restarts += 1;
                if restarts > 8 && newton_next {
                    break; // let Newton take over
                }
                anderson.reset();
                stalled = 0;
                best = residual;
            }
        }
        anderson.next(u, &step);
        iterations += 1;
    }
    (Termination::MaxIterations, iterations, residual)
}
