//! The equations of docs/model.md §3 written out directly, as an independent check of any solution.
//!
//! The solver works on a reduced, reorganised system; this module recomputes every equation from
//! the definitions (A, λ′, P̂, X′, R, τ) so that a bug in the reduction shows up as a residual.

use super::calibrate::Calibration;
use super::equilibrium::Equilibrium;
use super::params::Revenue;

/// The largest relative residual of each block of §3's equations at an equilibrium.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ResidualParts {
    /// Income = sales, every country and sector (including the one the numéraire replaces).
    pub income: f64,
    /// Budgets, relative to expenditure.
    pub budget: f64,
    /// Labour supply.
    pub labour: f64,
    /// Σ_k ℓ_ik ℓ̂_ik = 1.
    pub shares: f64,
    /// Σ E_i (P̂_i − 1) / Σ E_i.
    pub numeraire: f64,
    /// Returned P̂, R and X′ against their definitions.
    pub consistency: f64,
}

impl ResidualParts {
    /// The largest of all parts.
    pub fn max(&self) -> f64 {
        [
            self.income,
            self.budget,
            self.labour,
            self.shares,
            self.numeraire,
            self.consistency,
        ]
        .into_iter()
        .fold(
            0.0,
            |a, b| if b.is_nan() { f64::INFINITY } else { a.max(b) },
        )
    }

    /// The largest part apart from the numéraire (real equations only).
    pub fn max_real(&self) -> f64 {
        ResidualParts {
            numeraire: 0.0,
            ..*self
        }
        .max()
    }
}

/// The largest relative residual over every equation of §3 at `eq`: all income equations
/// (including the one the numéraire replaces: Walras' law), budgets, labour supply, sector-share
/// adding-up, the numéraire, and the consistency of the returned flows and revenue.
pub fn equilibrium_residual(cal: &Calibration, eq: &Equilibrium) -> f64 {
    residual_parts(cal, eq).max()
}

/// The residuals of §3 by block (see [`equilibrium_residual`]).
pub fn residual_parts(cal: &Calibration, eq: &Equilibrium) -> ResidualParts {
    let (n, kk) = (cal.n, cal.k);
    let params = &cal.params;
    let t1 = &eq.tariffs;
    let mut parts = ResidualParts::default();
    let mut flows = vec![0.0; kk * n * n];
    let mut ln_p = vec![0.0; n];
    for i in 0..n {
        ln_p[i] = (1.0 - cal.phi[i]) * (eq.expenditure[i] / eq.wage[i]).ln();
    }
    let mut a = vec![0.0; n];
    let mut cost_term = vec![0.0; n];
    for k in 0..kk {
        let eps = params.epsilon_of(k);
        // c_jk^(−ε) depends on the exporter only: one power per exporter, not per pair.
        for (j, c) in cost_term.iter_mut().enumerate() {
            let ell = if kk > 1 {
                eq.sector_share[j * kk + k]
            } else {
                1.0
            };
            let cost = eq.wage[j] / (eq.employment[j] * ell).powf(params.psi_of(k));
            *c = cost.powf(-eps);
        }
        for i in 0..n {
            for (j, aj) in a.iter_mut().enumerate() {
                let id = cal.index(k, j, i);
                *aj = 0.0;
                if cal.lambda[id] == 0.0 {
                    continue;
                }
                let tariff_term = if t1[id] == cal.tariffs[id] {
                    1.0
                } else {
                    ((1.0 + t1[id]) / (1.0 + cal.tariffs[id])).powf(-eps * cal.phi[i])
                };
                *aj = cal.lambda[id] * cost_term[j] * tariff_term;
            }
            let total: f64 = a.iter().sum();
            let beta = cal.beta[i * kk + k];
            if beta > 0.0 {
                ln_p[i] -= beta / eps * total.ln();
                let spend = beta * eq.expenditure[i] * cal.expenditure[i];
                for (j, aj) in a.iter().enumerate() {
                    let id = cal.index(k, j, i);
                    flows[id] = aj / total * spend / (1.0 + t1[id]);
                }
            }
        }
    }
    let world_income: f64 = cal.income.iter().sum();
    let world_income_new: f64 = (0..n)
        .map(|i| eq.wage[i] * eq.employment[i] * cal.income[i])
        .sum();
    let mut numeraire = 0.0;
    for i in 0..n {
        let p_hat = ln_p[i].exp();
        parts.consistency = parts
            .consistency
            .max((p_hat - eq.price_index[i]).abs() / p_hat);
        numeraire += cal.expenditure[i] * (p_hat - 1.0);
        let income_new = eq.wage[i] * eq.employment[i] * cal.income[i];
        let revenue: f64 = (0..kk)
            .map(|k| {
                (0..n)
                    .map(|j| t1[cal.index(k, j, i)] * flows[cal.index(k, j, i)])
                    .sum::<f64>()
            })
            .sum();
        parts.consistency = parts
            .consistency
            .max((revenue - eq.revenue[i]).abs() / cal.expenditure[i]);
        // Budget.
        let spend = eq.expenditure[i] * cal.expenditure[i];
        let budget = spend
            - (income_new
                + revenue
                + cal.transfers_counterfactual[i] * world_income_new / world_income);
        parts.budget = parts.budget.max(budget.abs() / spend);
        // Labour supply.
        let tau_hat = match params.revenue {
            Revenue::IncomeTaxRelief => {
                (1.0 - cal.revenue[i] / cal.income[i]) / (1.0 - revenue / income_new)
            }
            Revenue::LumpSum => 1.0,
        };
        let labour = eq.employment[i] - (tau_hat * eq.wage[i] / p_hat).powf(params.kappa);
        parts.labour = parts.labour.max(labour.abs());
        // Income = sales, per sector.
        let mut share_sum = 0.0;
        for k in 0..kk {
            let sold: f64 = (0..n)
                .map(|d| (1.0 - cal.nu[d]) * flows[cal.index(k, i, d)])
                .sum();
            let bought: f64 = (0..n).map(|o| flows[cal.index(k, o, i)]).sum();
            let ell = if kk > 1 {
                eq.sector_share[i * kk + k]
            } else {
                1.0
            };
            let gap = sold + cal.nu[i] * bought - income_new * ell * cal.sector_share[i * kk + k];
            parts.income = parts.income.max(gap.abs() / income_new);
            share_sum += cal.sector_share[i * kk + k] * ell;
        }
        if kk > 1 {
            parts.shares = parts.shares.max((share_sum - 1.0).abs());
        }
    }
    let total_expenditure: f64 = cal.expenditure.iter().sum();
    parts.numeraire = numeraire.abs() / total_expenditure;
    for (id, (&mine, &theirs)) in flows.iter().zip(&eq.flows).enumerate() {
        let importer = id % n;
        parts.consistency = parts
            .consistency
            .max((mine - theirs).abs() / cal.expenditure[importer]);
    }
    parts
}
