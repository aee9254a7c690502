//! Published sector elasticities as this model reads them: gravity estimates of the tariff
//! elasticity become ε by the mean φ, and the scale elasticity is tied to ε (shared by the
//! `ilms-table7` and `ll2023` presets and the resolver).

use reciprocity_model::ge::{self, Params};

use crate::context::Ctx;
use crate::ScenarioError;

/// ε from published gravity estimates `(value, goods)`: the estimates measure the tariff
/// elasticity ε·φ, the exponent of (1 + t) in this model, so goods sectors get value / φ̄ (the
/// GDP-weighted mean φ); the others keep their value. `keyword` names the preset in errors.
pub(crate) fn from_gravity(
    ctx: &Ctx,
    params: &Params,
    keyword: &str,
    estimates: &[(f64, bool)],
) -> Result<Vec<f64>, ScenarioError> {
    let phi_bar = ge::mean_phi(ctx.data, params).map_err(|cause| ScenarioError::Model {
        origin: ctx.origin.to_string(),
        cause,
    })?;
    if !(phi_bar.is_finite() && phi_bar > 0.0) {
        return Err(ctx.invalid(
            "model.epsilon",
            format!("\"{keyword}\" divides by the mean φ, which is {phi_bar} on this world"),
        ));
    }
    Ok(estimates
        .iter()
        .map(|&(e, goods)| if goods { e / phi_bar } else { e })
        .collect())
}

/// ILMS ties the scale elasticity to ε (ψ = 0.67/ε); with sector elasticities the product is kept
/// per sector, so ψ_k ε_k = 0.67 < 1.
pub(crate) fn psi_tied_to(epsilon: &[f64]) -> Vec<f64> {
    epsilon
        .iter()
        .map(|e| ge::ILMS_SCALE_NUMERATOR / e)
        .collect()
}
