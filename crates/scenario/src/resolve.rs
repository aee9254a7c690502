//! Resolving a scenario against a dataset: names to indices, rules to rates.

use reciprocity_model::ge::{self, Calibration, Deficits, NuRule, Params, PhiRule, Revenue};
use reciprocity_model::Dataset;

use crate::context::{Ctx, HsSectors, PolicyRates};
use crate::elasticity;
use crate::file::{Epsilon, ModelSpec, Nu, ScenarioFile};
use crate::layers;
use crate::ScenarioError;

/// A scenario resolved for one dataset: the model parameters, the counterfactual tariffs and
/// notes on what was approximated or left out.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Display name.
    pub name: String,
    /// The parameters to calibrate with.
    pub params: Params,
    /// t¹, layout `[k][exporter][importer]`.
    pub tariffs: Vec<f64>,
    /// Human-readable notes (countries not in the data, defaults applied).
    pub notes: Vec<String>,
    /// Groups to report averages for, resolved.
    pub groups: Vec<(String, Vec<usize>)>,
}

impl ScenarioFile {
    /// The model parameters this scenario asks for, on `data`.
    pub fn params(&self, data: &Dataset, origin: &str) -> Result<Params, ScenarioError> {
        let ctx = Ctx { origin, data };
        let spec = &self.model;
        let data_epsilon = data.trade_elasticity.clone();
        let mut params = match spec.preset.as_deref().unwrap_or("ilms") {
            "ilms" => Params::ilms(),
            "textbook" => Params::textbook(
                data_epsilon
                    .clone()
                    .unwrap_or_else(|| vec![ge::ILMS_EPSILON]),
            ),
            other => {
                return Err(ctx.invalid(
                    "model.preset",
                    format!("expected \"ilms\" or \"textbook\", found \"{other}\""),
                ))
            }
        };
        if let Some(anchor) = &spec.anchor {
            params.anchor = anchor.clone();
        }
        variants(&ctx, spec, &mut params)?;
        epsilon(&ctx, spec, &mut params)?;
        scalars(&ctx, spec, &mut params)?;
        nu(&ctx, spec, &mut params)?;
        elasticity::apply_named(&ctx, spec, &mut params)?;
        Ok(params)
    }

    /// The counterfactual tariffs on a calibrated world (optimal rules need the calibration).
    /// Layers with `tariffs_at` need [`ScenarioFile::resolve_with_policy`].
    pub fn resolve(
        &self,
        data: &Dataset,
        cal: &Calibration,
        origin: &str,
    ) -> Result<Resolved, ScenarioError> {
        self.resolve_with_policy(data, cal, origin, None)
    }

    /// As [`ScenarioFile::resolve`], with the policy timeline for `tariffs_at` layers.
    pub fn resolve_with_policy(
        &self,
        data: &Dataset,
        cal: &Calibration,
        origin: &str,
        policy: Option<&dyn PolicyRates>,
    ) -> Result<Resolved, ScenarioError> {
        self.resolve_with_sources(data, cal, origin, policy, None)
    }

    /// As [`ScenarioFile::resolve_with_policy`], with the world's HS crosswalk for `hs_chapters`
    /// layers.
    pub fn resolve_with_sources(
        &self,
        data: &Dataset,
        cal: &Calibration,
        origin: &str,
        policy: Option<&dyn PolicyRates>,
        crosswalk: Option<&dyn HsSectors>,
    ) -> Result<Resolved, ScenarioError> {
        let ctx = Ctx { origin, data };
        let mut tariffs = cal.tariffs.clone();
        let mut notes = vec![elasticity::note(&self.model, &cal.params, data)];
        let sources = layers::Sources { policy, crosswalk };
        for (pos, layer) in self.tariffs.iter().enumerate() {
            layers::apply_layer(&ctx, cal, sources, pos, layer, &mut tariffs, &mut notes)?;
        }
        for (pos, rule) in self.retaliation.iter().enumerate() {
            layers::apply_retaliation(&ctx, cal, pos, rule, &mut tariffs, &mut notes)?;
        }
        let mut groups = Vec::new();
        for (pos, name) in self.report_groups.iter().enumerate() {
            let sel = ctx.select(
                &format!("report_groups[{pos}]"),
                std::slice::from_ref(name),
                &[],
            )?;
            groups.push((name.clone(), sel.members));
        }
        Ok(Resolved {
            name: self.name.clone().unwrap_or_else(|| origin.to_string()),
            params: cal.params.clone(),
            tariffs,
            notes,
            groups,
        })
    }
}

/// `model.variant`: the ILMS variants, applied in order.
fn variants(ctx: &Ctx, spec: &ModelSpec, params: &mut Params) -> Result<(), ScenarioError> {
    for (pos, variant) in spec.variant.iter().enumerate() {
        match variant.as_str() {
            "baseline" => {}
            "lump-sum" => params.revenue = Revenue::LumpSum,
            "partial-passthrough" => {
                if let PhiRule::FromNu { theta, .. } = params.phi {
                    params.phi = PhiRule::FromNu { shift: 0.25, theta };
                }
            }
            "eaton-kortum" => params.eaton_kortum = true,
            "balanced-with-us" => params.deficits = Deficits::BalancedWithAnchor,
            "balanced-trade" => params.deficits = Deficits::Balanced,
            other => {
                return Err(ctx.invalid(
                    format!("model.variant[{pos}]"),
                    format!("expected baseline, lump-sum, partial-passthrough, eaton-kortum, balanced-with-us or balanced-trade, found \"{other}\""),
                ))
            }
        }
    }
    Ok(())
}

/// `model.epsilon`: the trade elasticities (the data's own by default), and ILMS's scale
/// elasticity tied to them.
fn epsilon(ctx: &Ctx, spec: &ModelSpec, params: &mut Params) -> Result<(), ScenarioError> {
    let data = ctx.data;
    let data_epsilon = data.trade_elasticity.clone();
    match &spec.epsilon {
        None => {
            if let Some(eps) = data_epsilon {
                params.epsilon = eps;
            }
        }
        Some(Epsilon::Uniform(v)) => params.epsilon = vec![*v],
        Some(Epsilon::PerSector(v)) => {
            if v.len() != data.n_sectors() {
                return Err(ctx.invalid(
                    "model.epsilon",
                    format!(
                        "expected {} values (one per sector), found {}",
                        data.n_sectors(),
                        v.len()
                    ),
                ));
            }
            params.epsilon = v.clone();
        }
        // Resolved once ν and φ are final (`elasticity::apply_named`).
        Some(Epsilon::Keyword(word)) if elasticity::is_named(word) => {}
        Some(Epsilon::Keyword(word)) if word == "data" => {
            params.epsilon = data_epsilon.ok_or_else(|| {
                ctx.invalid(
                    "model.epsilon",
                    "\"data\" asked for, but the dataset carries no elasticities",
                )
            })?;
        }
        Some(Epsilon::Keyword(word)) => {
            return Err(ctx.invalid(
                "model.epsilon",
                format!(
                    "expected a number, a list, \"data\", \"{}\" or \"{}\", found \"{word}\"",
                    elasticity::ILMS_TABLE7,
                    elasticity::LL2023
                ),
            ))
        }
    }
    if params.epsilon.iter().any(|e| !e.is_finite() || *e <= 0.0) {
        return Err(ctx.invalid("model.epsilon", "expected positive numbers"));
    }
    // With sector elasticities keep ψ_k ε_k = 0.67 (a single ε keeps ILMS's fixed ψ).
    if params.epsilon.len() > 1
        && spec.psi.is_none()
        && spec.preset.as_deref().unwrap_or("ilms") == "ilms"
    {
        params.psi = crate::gravity::psi_tied_to(&params.epsilon);
    }
    Ok(())
}

/// `model.kappa`, `model.psi`, `model.passthrough_shift` and `model.revenue`.
fn scalars(ctx: &Ctx, spec: &ModelSpec, params: &mut Params) -> Result<(), ScenarioError> {
    if let Some(kappa) = spec.kappa {
        if !(kappa.is_finite() && kappa >= 0.0) {
            return Err(ctx.invalid("model.kappa", format!("expected κ ≥ 0, found {kappa}")));
        }
        params.kappa = kappa;
    }
    if let Some(psi) = spec.psi {
        if !(psi.is_finite() && psi >= 0.0) {
            return Err(ctx.invalid("model.psi", format!("expected ψ ≥ 0, found {psi}")));
        }
        params.psi = vec![psi];
    }
    if let Some(shift) = spec.passthrough_shift {
        // The shift is the pass-through of the baseline (1: full, ILMS; 0.25: incomplete): a
        // share. Far outside it the calibration overflows (1e308 was a 500 over the API).
        if !(shift.is_finite() && (0.0..=1.0).contains(&shift)) {
            return Err(ctx.invalid(
                "model.passthrough_shift",
                format!("expected a share of pass-through in [0, 1], found {shift}"),
            ));
        }
        match params.phi {
            PhiRule::FromNu { theta, .. } => params.phi = PhiRule::FromNu { shift, theta },
            PhiRule::Uniform(_) => params.phi = PhiRule::Uniform(shift),
        }
    }
    if let Some(revenue) = &spec.revenue {
        params.revenue = match revenue.as_str() {
            "income-tax-relief" => Revenue::IncomeTaxRelief,
            "lump-sum" => Revenue::LumpSum,
            other => {
                return Err(ctx.invalid(
                    "model.revenue",
                    format!("expected income-tax-relief or lump-sum, found \"{other}\""),
                ))
            }
        };
    }
    Ok(())
}

/// `model.nu`: the share of deficit-financing (ν) rule.
fn nu(ctx: &Ctx, spec: &ModelSpec, params: &mut Params) -> Result<(), ScenarioError> {
    let data = ctx.data;
    match &spec.nu {
        None => {
            // The two-region rule needs GDP; worlds with their own domestic flows default to ν = 0.
            if data.has_domestic_flows
                && matches!(params.nu, NuRule::TwoRegion { .. })
                && data.gdp.is_none()
            {
                params.nu = NuRule::Uniform(0.0);
            }
        }
        Some(Nu::Uniform(v)) => {
            if !(0.0..1.0).contains(v) {
                return Err(ctx.invalid("model.nu", format!("expected ν in [0, 1), found {v}")));
            }
            params.nu = NuRule::Uniform(*v);
        }
        Some(Nu::Keyword(word)) if word == "two-region" => {
            params.nu = NuRule::TwoRegion {
                targets: (0.12, 0.26),
            }
        }
        Some(Nu::Keyword(word)) => {
            return Err(ctx.invalid(
                "model.nu",
                format!("expected a number or \"two-region\", found \"{word}\""),
            ))
        }
    }
    Ok(())
}
