//! Continuation (homotopy) in the shock: when the direct solve fails, walk the tariffs from where
//! the solve started to the target in adaptive steps, each warm-started from the last equilibrium,
//! halving the step on failure and doubling it after a success.
//!
//! The path interpolates ln(1 + t), so every step multiplies the tariff factors (1 + t) — and so
//! the price wedges (1 + t)^(−εφ) of the model — by the same proportion.

use super::attempt::{attempt, Attempt, SolverOptions};
use super::equilibrium::Termination;
use super::system::{Prepared, State};
use super::Calibration;

/// The smallest step, as a share of the whole tariff change, before the path is declared ended.
pub(super) const MIN_STEP: f64 = 1.0 / 1024.0;
/// The first step after a failed direct solve.
const FIRST_STEP: f64 = 0.125;
/// At most this many steps, successful or not.
const MAX_STEPS: usize = 400;

/// The end of a followed path: the last equilibrium reached on it.
pub(super) struct PathPoint {
    /// The share of the tariff change reached (1 = the target).
    pub(super) reached: f64,
    /// The tariffs there.
    pub(super) tariffs: Vec<f64>,
    /// The unknowns there (on the iteration's normalisation).
    pub(super) u: Vec<f64>,
}

/// The outcome of following the path.
pub(super) struct Path {
    /// The last point reached (the target when `complete`).
    pub(super) end: PathPoint,
    /// Whether the target was reached.
    pub(super) complete: bool,
    /// Successful steps.
    pub(super) steps: usize,
    /// Iterations of the map over every attempt.
    pub(super) iterations: usize,
    /// The map's residual at the last failed attempt (0 if none failed).
    pub(super) failed_residual: f64,
}

/// The map residual a step at share `s` is solved to: loosely on the way (the step only seeds the
/// next one), to the options' tolerance at the target.
fn tolerance(s: f64, options: &SolverOptions) -> f64 {
    if s >= 1.0 {
        options.tolerance * 0.1
    } else {
        1e-9
    }
}

/// The tariffs at share `s` of the way from `from` to `to` (exactly `to` at s = 1 and exactly
/// the unchanged entries wherever the two agree).
fn tariffs_at(from: &[f64], to: &[f64], s: f64, out: &mut [f64]) {
    for ((o, &a), &b) in out.iter_mut().zip(from).zip(to) {
        *o = if a == b || s >= 1.0 {
            b
        } else {
            ((1.0 - s) * (1.0 + a).ln() + s * (1.0 + b).ln()).exp() - 1.0
        };
    }
}

/// Follow the equilibrium from (`from`, `start`) — an equilibrium at tariffs `from` — to `to`.
pub(super) fn follow(
    cal: &Calibration,
    from: &[f64],
    start: Vec<f64>,
    to: &[f64],
    options: &SolverOptions,
) -> Path {
    let dim = start.len();
    let mut state = State::new(cal.n, cal.k);
    let mut tariffs = vec![0.0; to.len()];
    let mut end = PathPoint {
        reached: 0.0,
        tariffs: from.to_vec(),
        u: start,
    };
    let mut u = vec![0.0; dim];
    // The point before `end`, for a secant predictor of the next step's start.
    let mut previous: Option<(f64, Vec<f64>)> = None;
    let (mut step, mut steps, mut iterations, mut failed_residual) = (FIRST_STEP, 0, 0, 0.0);
    for _ in 0..MAX_STEPS {
        let s = (end.reached + step).min(1.0);
        tariffs_at(from, to, s, &mut tariffs);
        let prepared = Prepared::new(cal, &tariffs);
        match &previous {
            Some((s_prev, u_prev)) => {
                let ratio = (s - end.reached) / (end.reached - s_prev);
                for ((x, e), p) in u.iter_mut().zip(&end.u).zip(u_prev) {
                    *x = e + ratio * (e - p);
                }
            }
            None => u.copy_from_slice(&end.u),
        }
        let Attempt {
            termination,
            iterations: used,
            residual,
            ..
        } = attempt(
            &prepared,
            &mut u,
            &mut state,
            options,
            Some(tolerance(s, options)),
        );
        iterations += used;
        if termination == Termination::Converged {
            steps += 1;
            let last = std::mem::replace(
                &mut end,
                PathPoint {
                    reached: s,
                    tariffs: tariffs.clone(),
                    u: u.clone(),
                },
            );
            previous = Some((last.reached, last.u));
            if s >= 1.0 {
                return Path {
                    end,
                    complete: true,
                    steps,
                    iterations,
                    failed_residual,
                };
            }
            step = (step * 2.0).min(1.0);
        } else {
            failed_residual = residual;
            step *= 0.5;
            if step < MIN_STEP {
                break;
            }
        }
    }
    Path {
        end,
        complete: false,
        steps,
        iterations,
        failed_residual,
    }
}
