//! One attempt of the equilibrium solver (`solve.rs`) at prepared tariffs from a start: the
//! Anderson-accelerated iteration, then Newton's method. A module of its own so that the direct
//! solve and the continuation (`continuation.rs`) share it without importing each other.

use super::anderson::Anderson;
use super::equilibrium::Termination;
use super::newton::newton;
use super::stop::Stop;
use super::system::{Prepared, State};

/// Solver settings.
#[derive(Debug, Clone)]
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
    /// Asked to stop: the strategy searches check it before every solve and end with
    /// `StrategyError::Stopped` (default: never).
    pub stop: Stop,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            tolerance: 1e-12,
            max_iterations: 2_000,
            anderson_memory: 8,
            newton_fallback: true,
            stop: Stop::default(),
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
