//! The model as a map: given the tariffs of a scenario (prepared once), evaluate the equations of
//! docs/model.md §3 at u = (ln ŵ, ln L̂, ln ℓ̂) and return the step G(u) − u whose zero is the
//! equilibrium. The accelerated fixed point, Newton's method and the continuation all drive this
//! one map; `residual.rs` checks their answer against the equations written out independently.

use super::calibrate::Calibration;
use super::equilibrium::{Equilibrium, SolveReport, Termination};
use super::params::Revenue;

/// The smallest untaxed share of income, 1 − R_i/Y′_i, the labour-supply step uses under
/// income-tax relief. Away from an equilibrium revenue can exceed income (τ̂ ≤ 0 has no
/// logarithm); flooring it keeps the iteration defined and pushes labour supply up, as the
/// equation does near τ → 1. It binds only off the equilibrium: the independent residual of the
/// true equation judges the answer.
const UNTAXED_FLOOR: f64 = 1e-6;

/// Scenario-specific arrays, computed once per tariff vector.
pub(super) struct Prepared<'a> {
    pub(super) cal: &'a Calibration,
    /// λ_jik · ((1+t¹)/(1+t⁰))^(−ε_k φ_i)
    pub(super) lb: Vec<f64>,
    /// lb / (1+t¹)
    lb_net: Vec<f64>,
    /// lb · t¹/(1+t¹)
    lb_tax: Vec<f64>,
    /// Wage-step scale per country: an estimate of −∂ln(S_j/ŵ_jL̂_jY_j)/∂ln ŵ_j, at least 1.
    wage_step: Vec<f64>,
    pub(super) tau0: Vec<f64>,
    pub(super) world_income: f64,
}

/// Everything one evaluation of the model at u produces.
pub(super) struct State {
    pub(super) wage: Vec<f64>,
    pub(super) employment: Vec<f64>,
    ell: Vec<f64>,
    cost: Vec<f64>,      // a_kj, layout [k][j]
    denom: Vec<f64>,     // D_ik, layout [k][i]
    tax_share: Vec<f64>, // ρ_ik, layout [k][i]
    pub(super) e_hat: Vec<f64>,
    pub(super) revenue: Vec<f64>,
    pub(super) p_hat: Vec<f64>,
    sales: Vec<f64>,  // S_jk, layout [j][k]
    weight: Vec<f64>, // scratch [k][i]
}

impl State {
    pub(super) fn new(n: usize, k: usize) -> Self {
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
    pub(super) fn new(cal: &'a Calibration, tariffs: &[f64]) -> Self {
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
    pub(super) fn evaluate(&self, u: &[f64], s: &mut State, step: &mut [f64]) -> f64 {
        self.unpack(u, s);
        self.price_denominators(s);
        self.spending(u, s);
        self.sales(s);
        let worst = self.residuals(u, s, step);
        self.normalise(u, step);
        worst
    }

    /// Wages, employment, sector shares and unit costs a_jk from u.
    #[inline]
    fn unpack(&self, u: &[f64], s: &mut State) {
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
    }

    #[inline]
    fn price_denominators(&self, s: &mut State) {
        let cal = self.cal;
        let (n, kk) = (cal.n, cal.k);
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
    }

    /// Expenditure, revenue and the price index of every importer.
    #[inline]
    fn spending(&self, u: &[f64], s: &mut State) {
        let cal = self.cal;
        let (n, kk) = (cal.n, cal.k);
        let world_income_new: f64 = (0..n)
            .map(|j| s.wage[j] * s.employment[j] * cal.income[j])
            .sum();
        let scale = world_income_new / self.world_income;
        for i in 0..n {
            let rho: f64 = (0..kk)
                .map(|k| cal.beta[i * kk + k] * s.tax_share[k * n + i])
                .sum();
            let income_new = s.wage[i] * s.employment[i] * cal.income[i];
            // Away from the equilibrium a surplus country's transfer can exceed its income; keep
            // expenditure positive there (the floor never binds at a solution, which the residual checks).
            let available = (income_new + cal.transfers_counterfactual[i] * scale)
                .max(f64::MIN_POSITIVE.sqrt() * cal.expenditure[i]);
            let spend = available / (1.0 - rho);
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
    }

    #[inline]
    fn sales(&self, s: &mut State) {
        let cal = self.cal;
        let (n, kk) = (cal.n, cal.k);
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
    }

    /// The residuals and the step G(u) − u; returns the largest residual.
    #[inline]
    fn residuals(&self, u: &[f64], s: &State, step: &mut [f64]) -> f64 {
        let cal = self.cal;
        let (n, kk) = (cal.n, cal.k);
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
                    (1.0 - self.tau0[j]) / (1.0 - s.revenue[j] / income_new).max(UNTAXED_FLOOR)
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
        worst
    }

    /// Keep world income at its factual level along the iteration (a normalisation, not an equation).
    #[inline]
    fn normalise(&self, u: &[f64], step: &mut [f64]) {
        let (n, cal) = (self.cal.n, self.cal);
        let mut world = 0.0;
        for j in 0..n {
            world += (u[j] + step[j]).exp() * (u[n + j] + step[n + j]).exp() * cal.income[j];
        }
        let shift = (self.world_income / world).ln();
        for v in step.iter_mut().take(n) {
            *v += shift;
        }
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

pub(super) fn assemble(
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
            continuation_steps: 0,
        },
    }
}

impl Prepared<'_> {
    /// The number of unknowns: ln ŵ and ln L̂ per country, and ln ℓ̂ per country and sector when K > 1.
    pub(super) fn dim(&self) -> usize {
        let (n, kk) = (self.cal.n, self.cal.k);
        if kk > 1 {
            2 * n + n * kk
        } else {
            2 * n
        }
    }

    /// The unknowns at an equilibrium of the same calibration, moved onto the iteration's
    /// normalisation (world income at its factual level). None if it comes from another world or
    /// is not finite.
    pub(super) fn unknowns_of(&self, eq: &Equilibrium) -> Option<Vec<f64>> {
        let (n, kk) = (self.cal.n, self.cal.k);
        if eq.wage.len() != n || eq.employment.len() != n || eq.sector_share.len() != n * kk {
            return None;
        }
        let mut u = vec![0.0; self.dim()];
        for j in 0..n {
            u[j] = eq.wage[j].ln();
            u[n + j] = eq.employment[j].ln();
        }
        if kk > 1 {
            for jk in 0..n * kk {
                u[2 * n + jk] = eq.sector_share[jk].ln();
            }
        }
        let world_new: f64 = (0..n)
            .map(|j| eq.wage[j] * eq.employment[j] * self.cal.income[j])
            .sum();
        let shift = (self.world_income / world_new).ln();
        u.iter_mut().take(n).for_each(|v| *v += shift);
        u.iter().all(|v| v.is_finite()).then_some(u)
    }

    /// Impose the numéraire of §3 (Σ E_i (P̂_i − 1) = 0) by one exact rescaling of wages, evaluate
    /// there and assemble the equilibrium (its report's residual is left for the caller to check).
    /// `evaluated`: `state` already holds the evaluation at `u` (saves one evaluation).
    pub(super) fn finish(
        &self,
        u: &mut [f64],
        state: &mut State,
        evaluated: bool,
        tariffs: &[f64],
        iterations: usize,
        termination: Termination,
    ) -> Equilibrium {
        let cal = self.cal;
        let mut step = vec![0.0; u.len()];
        if !evaluated {
            self.evaluate(u, state, &mut step);
        }
        let weighted: f64 = (0..cal.n)
            .map(|i| cal.expenditure[i] * state.p_hat[i])
            .sum();
        let total: f64 = cal.expenditure.iter().sum();
        let ln_c = (total / weighted).ln();
        u.iter_mut().take(cal.n).for_each(|v| *v += ln_c);
        self.evaluate(u, state, &mut step);
        assemble(self, state, tariffs, iterations, termination)
    }
}
