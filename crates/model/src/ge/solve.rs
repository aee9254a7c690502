//! The equilibrium solver (MODEL.md §3).
//!
//! Unknowns are u = (ln ŵ, ln L̂, ln ℓ̂). Ê is eliminated: given the others, the budget is linear in
//! Ê_i because revenue is R_i = ρ_i Ê_i E_i. The map G updates wages by a diagonally scaled excess
//! demand step, labour from the supply curve and sector shares from sector sales; Anderson
//! acceleration (type II, Walker & Ni 2011) drives u = G(u). The system is homogeneous of degree
//! one in prices, so the iteration normalises world income and the numéraire of §3
//! (Σ_i E_i (P̂_i − 1) = 0) is imposed by one rescaling at the end. Convergence is judged on the
//! residuals of *all* equations of §3 (including the income equation the numéraire replaces,
//! which holds by Walras' law), recomputed from scratch by [`super::residual`].

use super::calibrate::Calibration;
use super::params::Revenue;
use super::residual::equilibrium_residual;
use super::ModelError;

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

/// Solver settings.
#[derive(Debug, Clone, Copy)]
pub struct SolverOptions {
    /// Stop when the largest relative residual of §3 is below this.
    pub tolerance: f64,
    /// Give up after this many iterations.
    pub max_iterations: usize,
    /// Anderson memory (0 = plain damped iteration).
    pub anderson_memory: usize,
    /// Fall back to damped Newton (finite-difference Jacobian) when the iteration fails and the
    /// system is small enough (≤ 1,500 unknowns).
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

/// How a solve ended: the data every caller needs to trust (or reject) a result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveReport {
    /// Why it stopped.
    pub termination: Termination,
    /// Iterations of the map G.
    pub iterations: usize,
    /// Largest relative residual over all equations of §3 at the returned point.
    pub max_residual: f64,
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

/// Scenario-specific arrays, computed once per tariff vector.
struct Prepared<'a> {
    cal: &'a Calibration,
    /// λ_jik · ((1+t¹)/(1+t⁰))^(−ε_k φ_i)
    lb: Vec<f64>,
    /// lb / (1+t¹)
    lb_net: Vec<f64>,
    /// lb · t¹/(1+t¹)
    lb_tax: Vec<f64>,
    /// Wage-step scale per country: an estimate of −∂ln(S_j/ŵ_jL̂_jY_j)/∂ln ŵ_j, at least 1.
    wage_step: Vec<f64>,
    tau0: Vec<f64>,
    world_income: f64,
}

/// Everything one evaluation of the model at u produces.
struct State {
    wage: Vec<f64>,
    employment: Vec<f64>,
    ell: Vec<f64>,
    cost: Vec<f64>,      // a_kj, layout [k][j]
    denom: Vec<f64>,     // D_ik, layout [k][i]
    tax_share: Vec<f64>, // ρ_ik, layout [k][i]
    e_hat: Vec<f64>,
    revenue: Vec<f64>,
    p_hat: Vec<f64>,
    sales: Vec<f64>,  // S_jk, layout [j][k]
    weight: Vec<f64>, // scratch [k][i]
}

impl State {
    fn new(n: usize, k: usize) -> Self {
        State {
            wage: vec![1.0; n],
            employment: vec![1.0; n],
            ell: vec![1.0; n * k],
            cost: vec![1.0; n * k],
            denom: vec![1.0; n * k],
            tax_share: vec![0.0; n * k],
            e_hat: vec![1.0; n],
            revenue: vec![0.0; n],
            p_hat: vec![1.0; n],
            sales: vec![0.0; n * k],
            weight: vec![0.0; n * k],
        }
    }
}

impl<'a> Prepared<'a> {
    fn new(cal: &'a Calibration, tariffs: &[f64]) -> Self {
        let (n, kk) = (cal.n, cal.k);
        let len = kk * n * n;
        let mut lb = vec![0.0; len];
        let mut lb_net = vec![0.0; len];
        let mut lb_tax = vec![0.0; len];
        for k in 0..kk {
            let eps = cal.params.epsilon_of(k);
            for j in 0..n {
                for i in 0..n {
                    let id = cal.index(k, j, i);
                    let lam = cal.lambda[id];
                    if lam == 0.0 {
                        continue;
                    }
                    let t1 = tariffs[id];
                    // Most pairs keep their factual tariff: skip the power (ratio 1).
                    let v = if t1 == cal.tariffs[id] {
                        lam
                    } else {
                        lam * ((1.0 + t1) / (1.0 + cal.tariffs[id])).powf(-eps * cal.phi[i])
                    };
                    lb[id] = v;
                    lb_net[id] = v / (1.0 + t1);
                    lb_tax[id] = v * t1 / (1.0 + t1);
                }
            }
        }
        // Wage step: |∂ln(S_j/ŵ_jL̂_jY_j)/∂ln ŵ_j| ≈ 1 + (Σ_i ε(1−λ_jik)·sales_jik − own-market sales)/S_j,
        // at the baseline, floored at 0.5 so a nearly closed economy is not overshot.
        let mut wage_step = vec![1.0; n];
        for (j, step) in wage_step.iter_mut().enumerate() {
            let mut substitution = 0.0;
            let mut sales = 0.0;
            let mut own_market = 0.0;
            for k in 0..kk {
                let eps = cal.params.epsilon_of(k);
                for i in 0..n {
                    let x = cal.flows[cal.index(k, j, i)] * (1.0 - cal.nu[i]);
                    sales += x;
                    substitution += x * eps * (1.0 - cal.lambda[cal.index(k, j, i)]);
                    if i == j {
                        own_market += x;
                    }
                    let into = cal.nu[j] * cal.flows[cal.index(k, i, j)];
                    sales += into;
                    own_market += into;
                }
            }
            if sales > 0.0 {
                *step = (1.0 + (substitution - own_market) / sales).max(0.5);
            }
        }
        let tau0 = (0..n).map(|i| cal.revenue[i] / cal.income[i]).collect();
        let world_income = cal.income.iter().sum();
        Prepared {
            cal,
            lb,
            lb_net,
            lb_tax,
            wage_step,
            tau0,
            world_income,
        }
    }

    /// Evaluate the model at u = (ln ŵ, ln L̂, ln ℓ̂) and write G(u) − u into `step`.
    /// Returns the largest relative residual of the income, labour and share equations.
    fn evaluate(&self, u: &[f64], s: &mut State, step: &mut [f64]) -> f64 {
        let cal = self.cal;
        let (n, kk) = (cal.n, cal.k);
        for j in 0..n {
            s.wage[j] = u[j].exp();
            s.employment[j] = u[n + j].exp();
        }
        if kk > 1 {
            for jk in 0..n * kk {
                s.ell[jk] = u[2 * n + jk].exp();
            }
        }
        for k in 0..kk {
            let eps = cal.params.epsilon_of(k);
            let psi = cal.params.psi_of(k);
            for j in 0..n {
                let ln_ell = if kk > 1 { u[2 * n + j * kk + k] } else { 0.0 };
                s.cost[k * n + j] = (-eps * (u[j] - psi * (u[n + j] + ln_ell))).exp();
            }
        }
        // D_ik = Σ_j lb_jik a_jk and ρ_ik = Σ_j lb_tax_jik a_jk / D_ik (row-wise axpy, contiguous in i).
        s.denom.iter_mut().for_each(|v| *v = 0.0);
        s.tax_share.iter_mut().for_each(|v| *v = 0.0);
        for k in 0..kk {
            let denom = &mut s.denom[k * n..(k + 1) * n];
            let tax = &mut s.tax_share[k * n..(k + 1) * n];
            for j in 0..n {
                let a = s.cost[k * n + j];
                let row = cal.index(k, j, 0);
                let lb = &self.lb[row..row + n];
                let lt = &self.lb_tax[row..row + n];
                for i in 0..n {
                    denom[i] += a * lb[i];
                    tax[i] += a * lt[i];
                }
            }
            for i in 0..n {
                if denom[i] > 0.0 {
                    tax[i] /= denom[i];
                } else {
                    denom[i] = 1.0; // importer buys nothing of sector k: β_ik = 0, the value is unused
                }
            }
        }
        let world_income_new: f64 = (0..n)
            .map(|j| s.wage[j] * s.employment[j] * cal.income[j])
            .sum();
        let scale = world_income_new / self.world_income;
        for i in 0..n {
            let rho: f64 = (0..kk)
                .map(|k| cal.beta[i * kk + k] * s.tax_share[k * n + i])
                .sum();
            let income_new = s.wage[i] * s.employment[i] * cal.income[i];
            let spend = (income_new + cal.transfers_counterfactual[i] * scale) / (1.0 - rho);
            s.e_hat[i] = spend / cal.expenditure[i];
            s.revenue[i] = rho * spend;
            let mut ln_p = (1.0 - cal.phi[i]) * (s.e_hat[i].ln() - u[i]);
            for k in 0..kk {
                let b = cal.beta[i * kk + k];
                if b > 0.0 {
                    ln_p -= b / cal.params.epsilon_of(k) * s.denom[k * n + i].ln();
                }
            }
            s.p_hat[i] = ln_p.exp();
        }
        // Sales income S_jk = a_jk Σ_i lb_net_jik (1−ν_i) β_ik E′_i / D_ik + ν_j β_jk E′_j (1 − ρ_jk).
        for k in 0..kk {
            for i in 0..n {
                let spend = s.e_hat[i] * cal.expenditure[i];
                s.weight[k * n + i] =
                    (1.0 - cal.nu[i]) * cal.beta[i * kk + k] * spend / s.denom[k * n + i];
            }
        }
        for k in 0..kk {
            let w = &s.weight[k * n..(k + 1) * n];
            for j in 0..n {
                let row = cal.index(k, j, 0);
                let lbn = &self.lb_net[row..row + n];
                let dot = dot4(lbn, w);
                let own = cal.nu[j]
                    * cal.beta[j * kk + k]
                    * s.e_hat[j]
                    * cal.expenditure[j]
                    * (1.0 - s.tax_share[k * n + j]);
                s.sales[j * kk + k] = s.cost[k * n + j] * dot + own;
            }
        }
        // Residuals and the step G(u) − u.
        let mut worst: f64 = 0.0;
        for j in 0..n {
            let income_new = s.wage[j] * s.employment[j] * cal.income[j];
            let total: f64 = (0..kk).map(|k| s.sales[j * kk + k]).sum();
            let gap = (total / income_new).ln();
            worst = worst.max(gap.abs());
            step[j] = gap / self.wage_step[j];
            let tau_hat = match cal.params.revenue {
                Revenue::IncomeTaxRelief => {
                    (1.0 - self.tau0[j]) / (1.0 - s.revenue[j] / income_new)
                }
                Revenue::LumpSum => 1.0,
            };
            let target = cal.params.kappa * (tau_hat * s.wage[j] / s.p_hat[j]).ln();
            step[n + j] = target - u[n + j];
            worst = worst.max(step[n + j].abs());
            if kk > 1 {
                let mut share_sum = 0.0;
                for k in 0..kk {
                    let jk = j * kk + k;
                    let y = cal.sector_income[jk];
                    if y > 0.0 {
                        let target = (s.sales[jk] / y / (total / cal.income[j])).ln();
                        step[2 * n + jk] = target - u[2 * n + jk];
                        // income equation of sector k, relative to the country's income
                        let gap_k =
                            (s.sales[jk] - income_new * s.ell[jk] * y / cal.income[j]) / income_new;
                        worst = worst.max(gap_k.abs());
                    } else {
                        step[2 * n + jk] = -u[2 * n + jk];
                    }
                    share_sum += cal.sector_share[jk] * s.ell[jk];
                }
                worst = worst.max((share_sum - 1.0).abs());
            }
        }
        // Keep world income at its factual level along the iteration (a normalisation, not an equation).
        let mut world = 0.0;
        for j in 0..n {
            world += (u[j] + step[j]).exp() * (u[n + j] + step[n + j]).exp() * cal.income[j];
        }
        let shift = (self.world_income / world).ln();
        for v in step.iter_mut().take(n) {
            *v += shift;
        }
        worst
    }
}

/// Σ a_i b_i with four independent partial sums, so the loop is not bound by the latency of one
/// chain of additions.
#[inline]
fn dot4(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// Solve for the counterfactual equilibrium at tariffs `tariffs` (layout `[k][exporter][importer]`),
/// starting from the factual state (all hats one).
///
/// Non-convergence is an error carrying the termination reason, iterations and residual.
pub fn solve(
    cal: &Calibration,
    tariffs: &[f64],
    options: &SolverOptions,
) -> Result<Equilibrium, ModelError> {
    solve_from(cal, tariffs, None, options)
}

/// As [`solve`], warm-started from a nearby equilibrium of the same calibration (e.g. the
/// previous step of a best-response search). The answer does not depend on the start; only the
/// iteration count does. The Newton fallback, if needed, restarts from the factual state.
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
            "tariff #{pos} must be > −1, got {}",
            tariffs[pos]
        )));
    }
    let prepared = Prepared::new(cal, tariffs);
    let dim = if kk > 1 { 2 * n + n * kk } else { 2 * n };
    let mut u = vec![0.0; dim];
    if let Some(start) = start {
        if start.wage.len() != n || start.sector_share.len() != n * kk {
            return Err(ModelError::InvalidInput(
                "the warm start comes from a different world".into(),
            ));
        }
        for j in 0..n {
            u[j] = start.wage[j].ln();
            u[n + j] = start.employment[j].ln();
        }
        if kk > 1 {
            for jk in 0..n * kk {
                u[2 * n + jk] = start.sector_share[jk].ln();
            }
        }
        // The iteration keeps world income at its factual level; move the start onto that normalisation.
        let world_new: f64 = (0..n)
            .map(|j| start.wage[j] * start.employment[j] * cal.income[j])
            .sum();
        let shift = (prepared.world_income / world_new).ln();
        u.iter_mut().take(n).for_each(|v| *v += shift);
        if u.iter().any(|v| !v.is_finite()) {
            u.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    let mut state = State::new(n, kk);
    let mut step = vec![0.0; dim];
    let mut anderson = Anderson::new(dim, options.anderson_memory);
    let mut iterations = 0;
    let mut termination = Termination::MaxIterations;
    let mut best = f64::INFINITY;
    let mut stalled = 0usize;
    let mut restarts = 0usize;
    while iterations < options.max_iterations {
        let residual = prepared.evaluate(&u, &mut state, &mut step);
        if !residual.is_finite() || step.iter().any(|v| !v.is_finite()) {
            termination = Termination::NonFinite;
            break;
        }
        if residual < options.tolerance * 0.1 {
            termination = Termination::Converged;
            break;
        }
        // Restart the acceleration when it stops making progress.
        if residual < best * 0.999 {
            best = residual;
            stalled = 0;
        } else {
            stalled += 1;
            if stalled > 10 {
                restarts += 1;
                if restarts > 8 && options.newton_fallback && dim <= NEWTON_MAX_DIM {
                    break; // let Newton take over
                }
                anderson.reset();
                stalled = 0;
                best = residual;
            }
        }
        anderson.next(&mut u, &step);
        iterations += 1;
    }
    if termination != Termination::Converged && options.newton_fallback && dim <= NEWTON_MAX_DIM {
        // Large shocks can defeat the accelerated iteration: fall back to damped Newton on
        // G(u) − u with a finite-difference Jacobian, from the start point.
        u.iter_mut().for_each(|v| *v = 0.0);
        let (newton_termination, newton_iterations) =
            newton(&prepared, &mut u, &mut state, options);
        termination = newton_termination;
        iterations += newton_iterations;
    }
    if termination == Termination::NonFinite {
        return Err(ModelError::NotConverged {
            termination,
            iterations,
            residual: f64::NAN,
        });
    }
    // Numéraire: rescale prices so that Σ E_i (P̂_i − 1) = 0. On convergence `state` already holds
    // the evaluation at `u` (both loops stop right after evaluating).
    if termination != Termination::Converged {
        prepared.evaluate(&u, &mut state, &mut step);
    }
    let weighted: f64 = (0..n).map(|i| cal.expenditure[i] * state.p_hat[i]).sum();
    let total: f64 = cal.expenditure.iter().sum();
    let ln_c = (total / weighted).ln();
    for v in u.iter_mut().take(n) {
        *v += ln_c;
    }
    prepared.evaluate(&u, &mut state, &mut step);
    let equilibrium = assemble(&prepared, &state, tariffs, iterations, termination);
    let max_residual = equilibrium_residual(cal, &equilibrium);
    let report = SolveReport {
        termination: if max_residual <= options.tolerance.max(1e-10) {
            termination
        } else {
            Termination::MaxIterations
        },
        iterations,
        max_residual,
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

/// The largest system the dense Newton fallback takes on (its cost grows as dim³).
const NEWTON_MAX_DIM: usize = 1_500;

/// Damped Newton on f(u) = G(u) − u with a forward-difference Jacobian and backtracking on ‖f‖₂.
fn newton(
    p: &Prepared,
    u: &mut [f64],
    state: &mut State,
    options: &SolverOptions,
) -> (Termination, usize) {
    let dim = u.len();
    let (n, kk) = (p.cal.n, p.cal.k);
    let mut f = vec![0.0; dim];
    let mut trial_f = vec![0.0; dim];
    let mut jacobian = vec![0.0; dim * dim];
    let mut trial = vec![0.0; dim];
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    for iteration in 0..100 {
        let residual = p.evaluate(u, state, &mut f);
        if !residual.is_finite() {
            return (Termination::NonFinite, iteration);
        }
        if residual < options.tolerance * 0.1 {
            return (Termination::Converged, iteration);
        }
        // Columns of the Jacobian in parallel, each with its own scratch state.
        let h = 1e-7;
        let columns: Vec<Vec<f64>> = {
            use rayon::prelude::*;
            let base: &[f64] = u;
            let f0 = &f;
            (0..dim)
                .into_par_iter()
                .map_init(
                    || (State::new(n, kk), base.to_vec(), vec![0.0; dim]),
                    |(scratch, point, out), c| {
                        point[c] += h;
                        p.evaluate(point, scratch, out);
                        point[c] -= h;
                        out.iter().zip(f0).map(|(a, b)| (a - b) / h).collect()
                    },
                )
                .collect()
        };
        for (c, column) in columns.iter().enumerate() {
            for r in 0..dim {
                jacobian[r * dim + c] = column[r];
            }
        }
        let mut rhs: Vec<f64> = f.iter().map(|v| -v).collect();
        let Some(direction) = solve_dense(&mut jacobian, &mut rhs, dim) else {
            return (Termination::NonFinite, iteration);
        };
        let base_norm = norm(&f);
        let mut alpha = 1.0;
        loop {
            for i in 0..dim {
                trial[i] = u[i] + alpha * direction[i];
            }
            p.evaluate(&trial, state, &mut trial_f);
            let trial_norm = norm(&trial_f);
            if trial_norm.is_finite() && trial_norm <= (1.0 - 1e-4 * alpha) * base_norm {
                break;
            }
            alpha *= 0.5;
            if alpha < 1e-6 {
                break;
            }
        }
        u.copy_from_slice(&trial);
    }
    (Termination::MaxIterations, 100)
}

fn assemble(
    p: &Prepared,
    s: &State,
    tariffs: &[f64],
    iterations: usize,
    termination: Termination,
) -> Equilibrium {
    let cal = p.cal;
    let (n, kk) = (cal.n, cal.k);
    let mut flows = vec![0.0; kk * n * n];
    for k in 0..kk {
        for j in 0..n {
            let a = s.cost[k * n + j];
            for i in 0..n {
                let id = cal.index(k, j, i);
                if p.lb_net[id] != 0.0 {
                    let spend = s.e_hat[i] * cal.expenditure[i] * cal.beta[i * kk + k];
                    flows[id] = p.lb_net[id] * a / s.denom[k * n + i] * spend;
                }
            }
        }
    }
    Equilibrium {
        wage: s.wage.clone(),
        expenditure: s.e_hat.clone(),
        employment: s.employment.clone(),
        sector_share: s.ell.clone(),
        price_index: s.p_hat.clone(),
        revenue: s.revenue.clone(),
        flows,
        tariffs: tariffs.to_vec(),
        report: SolveReport {
            termination,
            iterations,
            max_residual: f64::NAN,
        },
    }
}

/// Anderson acceleration, type II, on the fixed point u = u + step(u).
struct Anderson {
    memory: usize,
    dim: usize,
    // Histories of Δu and Δf (f = step), newest last.
    du: Vec<Vec<f64>>,
    df: Vec<Vec<f64>>,
    prev_u: Vec<f64>,
    prev_f: Vec<f64>,
    has_prev: bool,
}

impl Anderson {
    fn new(dim: usize, memory: usize) -> Self {
        Anderson {
            memory,
            dim,
            du: Vec::new(),
            df: Vec::new(),
            prev_u: vec![0.0; dim],
            prev_f: vec![0.0; dim],
            has_prev: false,
        }
    }

    fn reset(&mut self) {
        self.du.clear();
        self.df.clear();
        self.has_prev = false;
    }

    /// Replace u by the accelerated iterate given f = G(u) − u.
    fn next(&mut self, u: &mut [f64], f: &[f64]) {
        if self.memory == 0 {
            for (x, d) in u.iter_mut().zip(f) {
                *x += d;
            }
            return;
        }
        if self.has_prev {
            let (mut du, mut df) = if self.du.len() == self.memory {
                (self.du.remove(0), self.df.remove(0))
            } else {
                (vec![0.0; self.dim], vec![0.0; self.dim])
            };
            for i in 0..self.dim {
                du[i] = u[i] - self.prev_u[i];
                df[i] = f[i] - self.prev_f[i];
            }
            self.du.push(du);
            self.df.push(df);
        }
        self.prev_u.copy_from_slice(u);
        self.prev_f.copy_from_slice(f);
        self.has_prev = true;
        let m = self.df.len();
        if m == 0 {
            for (x, d) in u.iter_mut().zip(f) {
                *x += d;
            }
            return;
        }
        // γ = argmin ‖f − ΔF γ‖ via the normal equations with a small ridge (m ≤ memory, tiny).
        let mut gram = vec![0.0; m * m];
        let mut rhs = vec![0.0; m];
        for a in 0..m {
            for b in a..m {
                let v: f64 = self.df[a].iter().zip(&self.df[b]).map(|(x, y)| x * y).sum();
                gram[a * m + b] = v;
                gram[b * m + a] = v;
            }
            rhs[a] = self.df[a].iter().zip(f).map(|(x, y)| x * y).sum();
        }
        let trace: f64 = (0..m).map(|a| gram[a * m + a]).sum::<f64>() / m as f64;
        for a in 0..m {
            gram[a * m + a] += 1e-12 * trace.max(1e-300);
        }
        let gamma = match solve_dense(&mut gram, &mut rhs, m) {
            Some(g) => g,
            None => {
                self.reset();
                for (x, d) in u.iter_mut().zip(f) {
                    *x += d;
                }
                return;
            }
        };
        for i in 0..self.dim {
            let mut correction = 0.0;
            for (a, g) in gamma.iter().enumerate() {
                correction += g * (self.du[a][i] + self.df[a][i]);
            }
            u[i] += f[i] - correction;
        }
    }
}

/// Gaussian elimination with partial pivoting for a small dense system; None if singular.
fn solve_dense(a: &mut [f64], b: &mut [f64], m: usize) -> Option<Vec<f64>> {
    for col in 0..m {
        let pivot =
            (col..m).max_by(|&x, &y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs()))?;
        if a[pivot * m + col].abs() < 1e-300 {
            return None;
        }
        if pivot != col {
            for c in 0..m {
                a.swap(col * m + c, pivot * m + c);
            }
            b.swap(col, pivot);
        }
        for row in col + 1..m {
            let factor = a[row * m + col] / a[col * m + col];
            for c in col..m {
                a[row * m + c] -= factor * a[col * m + c];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; m];
    for row in (0..m).rev() {
        let mut v = b[row];
        for c in row + 1..m {
            v -= a[row * m + c] * x[c];
        }
        x[row] = v / a[row * m + row];
    }
    if x.iter().all(|v| v.is_finite()) {
        Some(x)
    } else {
        None
    }
}
