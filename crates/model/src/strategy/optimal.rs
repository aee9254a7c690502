//! The ILMS closed-form optimal uniform tariff and the two-region optimal retaliation rate.

use crate::ge::{Calibration, ModelError};

/// Which income concept divides the export term in δ_j.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denominator {
    /// E_j − X_jj (ILMS "optimal tariff, no retaliation": t*_US = 21.8%).
    Expenditure,
    /// Y_j − X_jj (ILMS "optimal tariff met by optimal retaliation": t*_US = 18.5%).
    Income,
}

/// Sector-aggregated foreign flows, λ, ε: the closed form is a one-sector formula. With K > 1 the
/// flows are summed over sectors and ε is the import-weighted mean (documented approximation).
fn aggregate(cal: &Calibration) -> (Vec<f64>, Vec<f64>, f64) {
    let (n, kk) = (cal.n, cal.k);
    let mut x = vec![0.0; n * n];
    let mut gross = vec![0.0; n * n];
    let mut eps_weighted = 0.0;
    let mut eps_weight = 0.0;
    for k in 0..kk {
        let eps = cal.params.epsilon_of(k);
        for j in 0..n {
            for i in 0..n {
                let id = cal.index(k, j, i);
                x[j * n + i] += cal.flows[id];
                gross[j * n + i] += cal.flows[id] * (1.0 + cal.tariffs[id]);
                if i != j {
                    eps_weighted += eps * cal.flows[id];
                    eps_weight += cal.flows[id];
                }
            }
        }
    }
    let lambda = (0..n * n)
        .map(|ji| gross[ji] / cal.expenditure[ji % n])
        .collect();
    let eps = if eps_weight > 0.0 {
        eps_weighted / eps_weight
    } else {
        cal.params.epsilon_of(0)
    };
    (x, lambda, eps)
}

/// t*_j = 1 / ((1 + ε δ_j) φ_j − 1) with δ_j = Σ_{i≠j} X_ji (1−ν_i)(1−λ_ji) / ((1−ν_j)(D_j − X_jj)).
pub fn optimal_tariff_closed_form(
    cal: &Calibration,
    country: usize,
    denominator: Denominator,
) -> Result<f64, ModelError> {
    let n = cal.n;
    if country >= n {
        return Err(ModelError::InvalidInput(format!(
            "country index {country} out of range"
        )));
    }
    let (x, lambda, eps) = aggregate(cal);
    let j = country;
    let numerator: f64 = (0..n)
        .filter(|&i| i != j)
        .map(|i| x[j * n + i] * (1.0 - cal.nu[i]) * (1.0 - lambda[j * n + i]))
        .sum();
    let base = match denominator {
        Denominator::Expenditure => cal.expenditure[j],
        Denominator::Income => cal.income[j],
    };
    let delta = numerator / ((1.0 - cal.nu[j]) * (base - x[j * n + j]));
    rate_from_delta(delta, eps, cal.phi[j])
}

fn rate_from_delta(delta: f64, eps: f64, phi: f64) -> Result<f64, ModelError> {
    let denom = (1.0 + eps * delta) * phi - 1.0;
    if denom.is_nan() || denom <= 0.0 || !delta.is_finite() {
        return Err(ModelError::InvalidInput(format!(
            "the closed-form optimal tariff is undefined here ((1+εδ)φ − 1 = {denom:.4})"
        )));
    }
    Ok(1.0 / denom)
}

/// ILMS optimal retaliation: aggregate the calibrated world into {target, rest}; the rest's δ with
/// the income denominator gives the rate every other country levies on the target.
/// Returns the rate for an importer with the rest's φ (the expenditure-weighted mean φ of the rest).
pub fn optimal_retaliation_rate(cal: &Calibration, target: usize) -> Result<f64, ModelError> {
    let n = cal.n;
    if target >= n {
        return Err(ModelError::InvalidInput(format!(
            "country index {target} out of range"
        )));
    }
    let (x, _, eps) = aggregate(cal);
    let region = |c: usize| usize::from(c == target); // 0 = rest, 1 = target
    let mut x2 = [[0.0f64; 2]; 2];
    let mut gross2 = [[0.0f64; 2]; 2];
    let mut income2 = [0.0f64; 2];
    let mut nu_weighted = [0.0f64; 2];
    let mut phi_weighted = [0.0f64; 2];
    let mut weight = [0.0f64; 2];
    for j in 0..n {
        for i in 0..n {
            x2[region(j)][region(i)] += x[j * n + i];
        }
        income2[region(j)] += cal.income[j];
        nu_weighted[region(j)] += cal.nu[j] * cal.income[j];
        phi_weighted[region(j)] += cal.phi[j] * cal.expenditure[j];
        weight[region(j)] += cal.income[j];
    }
    for (k, row) in gross2.iter_mut().enumerate() {
        *row = x2[k];
    }
    // λ of the aggregate: flows over the importer's column total (factual tariffs of the
    // aggregate are folded in only through the flows, as in ILMS where t⁰ = 0).
    let column = [x2[0][0] + x2[1][0], x2[0][1] + x2[1][1]];
    let nu = [nu_weighted[0] / weight[0], nu_weighted[1] / weight[1]];
    let rest_expenditure: f64 = (0..n)
        .filter(|&i| i != target)
        .map(|i| cal.expenditure[i])
        .sum();
    let phi_rest = phi_weighted[0] / rest_expenditure;
    let lambda_rest_to_target = gross2[0][1] / column[1];
    let delta = x2[0][1] * (1.0 - nu[1]) * (1.0 - lambda_rest_to_target)
        / ((1.0 - nu[0]) * (income2[0] - x2[0][0]));
    rate_from_delta(delta, eps, phi_rest)
}
