//! Why an equilibrium does not exist, or where the path of equilibria ends: the conditions of the
//! model checked before and after a failed solve, each naming the country, the quantity and the
//! way out.

use super::continuation::Path;
use super::params::{Deficits, Revenue};
use super::system::{Prepared, State};
use super::{Calibration, ModelError};

/// A path that ends with a country's revenue (income-tax relief) or financed surplus (fixed
/// deficits) at or above this share of its income has run into that boundary of the model.
const BOUNDARY: f64 = 0.8;

/// A proof, from the tariffs alone, that no equilibrium exists; None if none is found (an
/// equilibrium may still not exist: see [`path_end`]).
///
/// - A country whose every supplier of a sector it buys has a price wedge that underflows to zero
///   would buy nothing of it: its price index is infinite.
/// - Under income-tax relief, τ_i = R_i/Y′_i = ρ_i/(1−ρ_i)·(1 + T′_i/Y′_i) with
///   ρ_i = Σ_k β_ik Σ_j λ′_jik t_jik/(1+t_jik). For a country with no surplus (T′_i ≥ 0) whose
///   purchases are all imported (λ_iik = 0 for every k it buys), ρ_i is at least
///   Σ_k β_ik min_j t_jik/(1+t_jik) whatever the prices; if that reaches ½, τ_i ≥ 1 in every
///   state, and τ̂_i = (1−τ⁰_i)/(1−τ_i) is not defined.
pub(super) fn impossible(p: &Prepared, tariffs: &[f64]) -> Option<ModelError> {
    let cal = p.cal;
    let (n, kk) = (cal.n, cal.k);
    let relief = cal.params.revenue == Revenue::IncomeTaxRelief;
    // Importers that buy nothing of their own in any sector they buy (the only ones the revenue
    // bound can prove anything about), with no surplus.
    let hub: Vec<bool> = (0..n)
        .map(|i| {
            relief
                && cal.transfers_counterfactual[i] >= 0.0
                && (0..kk).all(|k| cal.lambda[cal.index(k, i, i)] == 0.0)
        })
        .collect();
    // Per (sector, importer): Σ_j of the price wedges, and the least t/(1+t) over its suppliers.
    // Rows of the tensor are contiguous in the importer: accumulate row by row.
    let mut wedge_sum = vec![0.0; kk * n];
    let mut least_tax = vec![f64::INFINITY; kk * n];
    for k in 0..kk {
        let (wedges, least) = (
            &mut wedge_sum[k * n..(k + 1) * n],
            &mut least_tax[k * n..(k + 1) * n],
        );
        for j in 0..n {
            let row = cal.index(k, j, 0);
            for i in 0..n {
                if cal.lambda[row + i] > 0.0 {
                    wedges[i] += p.lb[row + i];
                    if hub[i] {
                        let t = tariffs[row + i];
                        least[i] = least[i].min(t / (1.0 + t));
                    }
                }
            }
        }
    }
    for i in 0..n {
        let mut floor_share = 0.0;
        for k in 0..kk {
            let beta = cal.beta[i * kk + k];
            if beta <= 0.0 {
                continue;
            }
            let wedges = wedge_sum[k * n + i];
            if wedges <= 0.0 || !wedges.is_finite() {
                return Some(ModelError::NoEquilibrium {
                    country: cal.countries[i].clone(),
                    reason: format!(
                        "its purchases of sector {} would vanish: every supplier's tariff is so \
                         high that its price wedge (1+t)^(-εφ) underflows to zero; no equilibrium \
                         at these tariffs; lower them",
                        cal.sectors[k]
                    ),
                });
            }
            floor_share += beta * least_tax[k * n + i];
        }
        if hub[i] && floor_share >= 0.5 {
            return Some(ModelError::NoEquilibrium {
                country: cal.countries[i].clone(),
                reason: format!(
                    "tariff revenue would be at least {:.0} % of income whatever the prices \
                     (everything it buys is imported, and tariffs take at least {:.0} % of what it \
                     spends): no equilibrium under income-tax relief; use variant lump-sum",
                    100.0 * floor_share / (1.0 - floor_share).max(f64::MIN_POSITIVE),
                    100.0 * floor_share,
                ),
            });
        }
    }
    None
}

/// Why a followed path ended before its target, read off its last equilibrium: a country at one
/// of the model's boundaries (revenue reaching income under income-tax relief; a surplus it must
/// keep financing reaching its income under fixed deficits), or no condition found.
pub(super) fn path_end(cal: &Calibration, path: &Path) -> ModelError {
    let end = &path.end;
    let reached_pct = 100.0 * end.reached;
    let prepared = Prepared::new(cal, &end.tariffs);
    let mut state = State::new(cal.n, cal.k);
    let mut step = vec![0.0; end.u.len()];
    prepared.evaluate(&end.u, &mut state, &mut step);
    let world_scale = (0..cal.n)
        .map(|i| state.wage[i] * state.employment[i] * cal.income[i])
        .sum::<f64>()
        / prepared.world_income;
    let income = |i: usize| state.wage[i] * state.employment[i] * cal.income[i];
    let most = |share: &dyn Fn(usize) -> f64| {
        (0..cal.n)
            .map(|i| (i, share(i)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("a calibrated world has countries")
    };
    let preamble = format!(
        "no equilibrium found: the path of equilibria was followed to {reached_pct:.1} % of the \
         tariff change ({} steps) and could not be continued;",
        path.steps
    );
    if cal.params.revenue == Revenue::IncomeTaxRelief {
        let (country, share) = most(&|i| state.revenue[i] / income(i));
        if share >= BOUNDARY {
            return ModelError::NoEquilibrium {
                country: cal.countries[country].clone(),
                reason: format!(
                    "{preamble} there its tariff revenue reaches {:.0} % of its income and its \
                     employment is {:+.0} % (under income-tax relief labour supply diverges as \
                     revenue approaches income); use variant lump-sum",
                    100.0 * share,
                    100.0 * (state.employment[country] - 1.0),
                ),
            };
        }
    }
    if cal.params.deficits != Deficits::Balanced {
        let (country, share) =
            most(&|i| -cal.transfers_counterfactual[i] * world_scale / income(i));
        if share >= BOUNDARY {
            return ModelError::NoEquilibrium {
                country: cal.countries[country].clone(),
                reason: format!(
                    "{preamble} there the trade surplus it must keep financing (its transfer, \
                     fixed as a share of world GDP) takes {:.0} % of its income and its spending \
                     has fallen to {:.1} % of the factual level, as the tariffs lower its \
                     income against world GDP; use variant balanced-trade",
                    100.0 * share,
                    100.0 * state.e_hat[country],
                ),
            };
        }
    }
    ModelError::PathEnded {
        reached_pct,
        steps: path.steps,
        iterations: path.iterations,
        residual: path.failed_residual,
    }
}
