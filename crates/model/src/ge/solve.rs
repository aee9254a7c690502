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

use super::attempt::attempt;
pub use super::attempt::SolverOptions;
use super::calibrate::Calibration;
use super::continuation;
use super::diagnose;
use super::equilibrium::{Equilibrium, SolveReport, Termination};
use super::residual::equilibrium_residual;
use super::system::{Prepared, State};
use super::ModelError;

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
