//! Published sector elasticities a scenario can name (`model.epsilon = "ilms-table7"`), and the
//! line every output carries about the elasticities used.

use reciprocity_model::ge::{self, Params};
use reciprocity_model::Dataset;

use crate::context::Ctx;
use crate::file::{Epsilon, ModelSpec};
use crate::ScenarioError;

/// The keyword of ILMS's sector elasticities.
pub(crate) const ILMS_TABLE7: &str = "ilms-table7";

/// The keyword of Lashkaripour and Lugovskyy's sector elasticities (`ll2023`).
pub(crate) const LL2023: &str = "ll2023";

/// Whether `word` names published sector elasticities resolved once ν and φ are final.
pub(crate) fn is_named(word: &str) -> bool {
    word == ILMS_TABLE7 || word == LL2023
}

/// ILMS (2025) Table 7 by sector, as the authors' multi-sector code uses them (rounded to one
/// decimal: agriculture 3.339, mining 4.056, manufacturing 3.801 in the table). They are gravity
/// estimates of the tariff elasticity, ε·φ, so the code divides them by the GDP-weighted mean φ.
const TABLE7: [(&str, f64); 3] = [
    ("AGRICULTURE", 3.3),
    ("MINING_ENERGY", 4.1),
    ("MANUFACTURING", 3.8),
];

/// Services: Table 7 has no estimate; the authors' code sets ε = 3 (not divided by φ).
const SERVICES: (&str, f64) = ("SERVICES", 3.0);

/// `model.epsilon = "ilms-table7"` on a world in ILMS's four sectors (`world build --sectors
/// examples/sectors/ilms4.csv`): ε_k = Table 7_k / φ̄ for the goods sectors, 3 for services, and
/// the scale elasticity ψ = 0.67/4 in every sector (their code), unless `model.psi` is given.
/// Runs after the ν and φ rules are final (φ̄ depends on them).
pub(crate) fn apply_named(
    ctx: &Ctx,
    spec: &ModelSpec,
    params: &mut Params,
) -> Result<(), ScenarioError> {
    match &spec.epsilon {
        Some(Epsilon::Keyword(w)) if w == ILMS_TABLE7 => {}
        Some(Epsilon::Keyword(w)) if w == LL2023 => return crate::ll2023::apply(ctx, spec, params),
        _ => return Ok(()),
    }
    let sectors = &ctx.data.sectors;
    let known = |s: &str| {
        TABLE7
            .iter()
            .chain([&SERVICES])
            .find(|(name, _)| *name == s)
    };
    let table: Option<Vec<(&str, f64)>> = sectors.iter().map(|s| known(s).copied()).collect();
    let table = match table {
        Some(t) if t.len() == 4 => t,
        _ => {
            return Err(ctx.invalid(
                "model.epsilon",
                format!(
                    "\"{ILMS_TABLE7}\" needs a world in ILMS's four sectors (AGRICULTURE, \
                     MINING_ENERGY, MANUFACTURING, SERVICES: `world build --sectors \
                     examples/sectors/ilms4.csv`), found {}",
                    sectors.join(", ")
                ),
            ))
        }
    };
    let estimates: Vec<(f64, bool)> = table
        .iter()
        .map(|&(name, v)| (v, name != SERVICES.0))
        .collect();
    params.epsilon = crate::gravity::from_gravity(ctx, params, ILMS_TABLE7, &estimates)?;
    if spec.psi.is_none() {
        params.psi = vec![ge::ILMS_SCALE_NUMERATOR / ge::ILMS_EPSILON];
    }
    Ok(())
}

/// What every output says about the trade elasticities: their source and values by sector.
pub(crate) fn note(spec: &ModelSpec, params: &Params, data: &Dataset) -> String {
    let source = match &spec.epsilon {
        Some(Epsilon::Keyword(w)) if w == ILMS_TABLE7 => {
            "ILMS (2025) Table 7 as the authors' multi-sector code uses it (goods: the estimate / \
             the GDP-weighted mean φ; services 3; ψ = 0.67/4)"
        }
        Some(Epsilon::Keyword(w)) if w == LL2023 => crate::ll2023::SOURCE,
        Some(Epsilon::Keyword(_)) => "the dataset's own",
        None if data.trade_elasticity.is_some() => "the dataset's own",
        None => "the preset's",
        Some(Epsilon::Uniform(_)) | Some(Epsilon::PerSector(_)) => "the scenario's [model] epsilon",
    };
    let values: Vec<String> = if params.epsilon.len() == 1 {
        vec![format!("{:.3}", params.epsilon[0])]
    } else {
        data.sectors
            .iter()
            .zip(&params.epsilon)
            .map(|(s, e)| format!("{s} {e:.3}"))
            .collect()
    };
    format!("trade elasticities ε: {source}: {}", values.join(", "))
}
