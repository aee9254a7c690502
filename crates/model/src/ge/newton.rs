//! Newton's method on f(u) = G(u) − u: a forward-difference Jacobian (columns in parallel), solved
//! by faer's partially pivoted LU, a backtracking line search on ‖f‖₂, and the Jacobian kept while
//! it keeps converging fast (a chord step costs one evaluation instead of dim + 1).

use faer::linalg::solvers::Solve;
use faer::{MatMut, MatRef};
use rayon::prelude::*;

use super::equilibrium::Termination;
use super::system::{Prepared, State};

/// Steps allowed per Jacobian built: a kept factorisation (a chord step) costs one evaluation, a
/// fresh one dim + 1, so a budget counts Jacobians and allows this many steps for each.
const CHORD_STEPS: usize = 10;

/// A map residual at which a Newton run that cannot improve further counts as converged.
const STALLED_ACCEPTABLE: f64 = 1e-11;

/// How a Newton run ended.
pub(super) struct NewtonRun {
    pub(super) termination: Termination,
    /// Newton steps taken.
    pub(super) iterations: usize,
    /// The largest equation residual of the map at the final point.
    pub(super) residual: f64,
}

/// Drive `u` to a zero of the map from where it stands. `tolerance` is the map's own residual
/// target (the caller checks the equations independently afterwards); a run that can no longer
/// decrease the residual counts as converged when it is within ten times the target or below
/// [`STALLED_ACCEPTABLE`] (rounding limits what is reachable near autarky; the solve accepts
/// nothing above 1e-10 by the independent residual).
pub(super) fn newton(
    p: &Prepared,
    u: &mut [f64],
    state: &mut State,
    tolerance: f64,
    max_jacobians: usize,
) -> NewtonRun {
    let dim = u.len();
    let mut f = vec![0.0; dim];
    let mut trial_f = vec![0.0; dim];
    let mut trial = vec![0.0; dim];
    let mut jacobian = vec![0.0; dim * dim];
    let mut direction = vec![0.0; dim];
    let mut lu = None;
    let mut residual = p.evaluate(u, state, &mut f);
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let max_steps = max_jacobians * CHORD_STEPS;
    let mut jacobians = 0;
    for iteration in 0..max_steps {
        if !residual.is_finite() || f.iter().any(|v| !v.is_finite()) {
            return NewtonRun {
                termination: Termination::NonFinite,
                iterations: iteration,
                residual,
            };
        }
        if residual < tolerance {
            return NewtonRun {
                termination: Termination::Converged,
                iterations: iteration,
                residual,
            };
        }
        let base_norm = norm(&f);
        // Try the kept Jacobian first; on a poor step, rebuild it and try once more.
        let mut rebuilt = false;
        let fast = loop {
            let factor = match &lu {
                Some(factor) => factor,
                None if jacobians == max_jacobians => {
                    return stopped(iteration, residual, tolerance);
                }
                None => {
                    jacobians += 1;
                    finite_difference_jacobian(p, u, &f, &mut jacobian);
                    rebuilt = true;
                    lu.insert(MatRef::from_column_major_slice(&jacobian, dim, dim).partial_piv_lu())
                }
            };
            for (d, v) in direction.iter_mut().zip(&f) {
                *d = -v;
            }
            factor.solve_in_place(MatMut::from_column_major_slice_mut(&mut direction, dim, 1));
            let step = if direction.iter().all(|d| d.is_finite()) {
                line_search(p, u, &direction, base_norm, state, &mut trial, &mut trial_f)
            } else {
                None // singular Jacobian
            };
            match step {
                Some((alpha, trial_norm)) => break alpha == 1.0 && trial_norm < 0.5 * base_norm,
                None if rebuilt => return stopped(iteration, residual, tolerance),
                None => lu = None,
            }
        };
        if !fast {
            lu = None; // converging slowly: a fresh Jacobian next step
        }
        u.copy_from_slice(&trial);
        residual = p.evaluate(u, state, &mut f);
    }
    stopped(max_steps, residual, tolerance)
}

/// A run that stops short of `tolerance`: converged if rounding is all that is left (see
/// [`newton`]), else out of budget.
fn stopped(iterations: usize, residual: f64, tolerance: f64) -> NewtonRun {
    let termination = if residual < STALLED_ACCEPTABLE.max(10.0 * tolerance) {
        Termination::Converged
    } else {
        Termination::MaxIterations
    };
    NewtonRun {
        termination,
        iterations,
        residual,
    }
}

/// Backtracking on ‖f‖₂ along `direction` (Armijo with a small slope); `trial` holds the accepted
/// point. None if no step length down to 1e-10 decreases the norm.
fn line_search(
    p: &Prepared,
    u: &[f64],
    direction: &[f64],
    base_norm: f64,
    state: &mut State,
    trial: &mut [f64],
    trial_f: &mut [f64],
) -> Option<(f64, f64)> {
    let mut alpha = 1.0;
    while alpha >= 1e-10 {
        for ((t, x), d) in trial.iter_mut().zip(u).zip(direction) {
            *t = x + alpha * d;
        }
        p.evaluate(trial, state, trial_f);
        let trial_norm = trial_f.iter().map(|x| x * x).sum::<f64>().sqrt();
        if trial_norm.is_finite() && trial_norm <= (1.0 - 1e-4 * alpha) * base_norm {
            return Some((alpha, trial_norm));
        }
        alpha *= 0.5;
    }
    None
}

/// ∂f/∂u by forward differences into `jacobian` (column-major), one column per evaluation, the
/// columns in parallel with a scratch state per worker.
fn finite_difference_jacobian(p: &Prepared, u: &[f64], f0: &[f64], jacobian: &mut [f64]) {
    let dim = u.len();
    let (n, kk) = (p.cal.n, p.cal.k);
    jacobian.par_chunks_mut(dim).enumerate().for_each_init(
        || (State::new(n, kk), u.to_vec()),
        |(scratch, point), (c, column)| {
            let h = 1e-7 * (1.0 + u[c].abs());
            point[c] = u[c] + h;
            p.evaluate(point, scratch, column);
            point[c] = u[c];
            for (value, base) in column.iter_mut().zip(f0) {
                *value = (*value - base) / h;
            }
        },
    );
}
