//! Resolving a scenario against a dataset: names to indices, rules to rates.

use reciprocity_data::{embedded, registry};
use reciprocity_model::ge::{self, Calibration, Deficits, NuRule, Params, PhiRule, Revenue};
use reciprocity_model::retaliation::{self, Rule};
use reciprocity_model::strategy::{self, Denominator};
use reciprocity_model::Dataset;

use crate::file::{Epsilon, Nu, ScenarioFile};
use crate::ScenarioError;

/// The US tariffs in force on a date, supplied by the policy timeline (the binary provides it, so
/// this crate stays free of the registry's I/O).
pub trait PolicyRates {
    /// The additional US tariff (a fraction) on each dataset country's goods in each sector on
    /// `date` (YYYY-MM-DD); layout `[sector][country]`. Errors are messages for the user.
    fn us_additional_rates(&self, date: &str, data: &Dataset) -> Result<Vec<f64>, String>;
}

/// A set of countries (indices into the dataset) and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Dataset indices.
    pub members: Vec<usize>,
    /// Names asked for that the dataset does not hold (members of a registry group).
    pub missing: Vec<String>,
}

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

struct Ctx<'a> {
    origin: &'a str,
    data: &'a Dataset,
}

impl Ctx<'_> {
    fn invalid(&self, key: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            origin: self.origin.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }

    /// Resolve country names: "all", ISO3 codes, dataset groups, registry groups, "non-XXX".
    fn select(
        &self,
        key: &str,
        names: &[String],
        exclude: &[String],
    ) -> Result<Selection, ScenarioError> {
        let mut members = Vec::new();
        let mut missing = Vec::new();
        let n = self.data.n_countries();
        let add = |i: usize, members: &mut Vec<usize>| {
            if !members.contains(&i) {
                members.push(i);
            }
        };
        for name in names {
            let trimmed = name.trim();
            if trimmed.eq_ignore_ascii_case("all") {
                (0..n).for_each(|i| add(i, &mut members));
            } else if let Some(rest) = trimmed.strip_prefix("non-") {
                let excluded = self.select(key, &[rest.to_string()], &[])?;
                (0..n)
                    .filter(|i| !excluded.members.contains(i))
                    .for_each(|i| add(i, &mut members));
            } else if let Some(i) = self.data.country_index(trimmed) {
                add(i, &mut members);
            } else if let Some(group) = self.data.groups.get(trimmed) {
                for code in group {
                    match self.data.country_index(code) {
                        Some(i) => add(i, &mut members),
                        None => missing.push(code.clone()),
                    }
                }
            } else if let Some(group) = registry::group(trimmed) {
                for code in group {
                    match self.data.country_index(code) {
                        Some(i) => add(i, &mut members),
                        None => missing.push(code.to_string()),
                    }
                }
            } else if registry::country(trimmed).is_some() {
                missing.push(trimmed.to_string());
            } else {
                return Err(self.invalid(
                    key,
                    format!("expected \"all\", an ISO3 code or a group (EU27, EU25, ...), found \"{trimmed}\""),
                ));
            }
        }
        if !exclude.is_empty() {
            let out = self.select(key, exclude, &[])?;
            members.retain(|i| !out.members.contains(i));
        }
        Ok(Selection { members, missing })
    }

    fn sectors(&self, key: &str, names: &Option<Vec<String>>) -> Result<Vec<usize>, ScenarioError> {
        let k = self.data.n_sectors();
        match names {
            None => Ok((0..k).collect()),
            Some(list) => {
                let mut out = Vec::new();
                for name in list {
                    if name.eq_ignore_ascii_case("all") {
                        return Ok((0..k).collect());
                    }
                    match self.data.sector_index(name) {
                        Some(s) => out.push(s),
                        None => {
                            return Err(self.invalid(
                                key,
                                format!(
                                    "unknown sector \"{name}\"; the data have {}",
                                    self.data.sectors.join(", ")
                                ),
                            ))
                        }
                    }
                }
                Ok(out)
            }
        }
    }
}

fn check_rate(ctx: &Ctx, key: &str, rate: f64) -> Result<f64, ScenarioError> {
    if !rate.is_finite() || rate <= -1.0 || rate > 100.0 {
        return Err(ctx.invalid(
            key,
            format!("expected a tariff as a fraction in (−1, 100] (0.1 = 10%), found {rate}"),
        ));
    }
    Ok(rate)
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
                    format!("expected a number, a list or \"data\", found \"{word}\""),
                ))
            }
        }
        if params.epsilon.iter().any(|e| !e.is_finite() || *e <= 0.0) {
            return Err(ctx.invalid("model.epsilon", "expected positive numbers"));
        }
        // ILMS ties the scale elasticity to ε (ψ = 0.67/ε); with sector elasticities keep that
        // product per sector, so ψ_k ε_k = 0.67 < 1 (a single ε keeps ILMS's fixed ψ).
        if params.epsilon.len() > 1
            && spec.psi.is_none()
            && spec.preset.as_deref().unwrap_or("ilms") == "ilms"
        {
            params.psi = params
                .epsilon
                .iter()
                .map(|e| ge::ILMS_SCALE_NUMERATOR / e)
                .collect();
        }
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
        let ctx = Ctx { origin, data };
        let n = data.n_countries();
        let mut tariffs = cal.tariffs.clone();
        let mut notes = Vec::new();
        for (pos, layer) in self.tariffs.iter().enumerate() {
            let key = |field: &str| format!("tariffs[{pos}].{field}");
            let importers = ctx.select(&key("importers"), &layer.importers, &layer.exclude)?;
            let exporters = ctx.select(&key("exporters"), &layer.exporters, &layer.exclude)?;
            for (side, sel) in [("importers", &importers), ("exporters", &exporters)] {
                if !sel.missing.is_empty() {
                    notes.push(format!(
                        "tariffs[{pos}].{side}: not in the data, skipped: {}",
                        sel.missing.join(" ")
                    ));
                }
            }
            let sectors = ctx.sectors(&key("sectors"), &layer.sectors)?;
            let sources = [
                layer.rate.is_some(),
                layer.column.is_some(),
                layer.official.is_some(),
                layer.optimal.is_some(),
                layer.tariffs_at.is_some(),
            ];
            if sources.iter().filter(|s| **s).count() != 1 {
                return Err(ctx.invalid(
                    format!("tariffs[{pos}]"),
                    "expected exactly one of rate, column, official, optimal, tariffs_at",
                ));
            }
            // [sector][exporter] rates from the policy timeline.
            let per_sector_exporter: Option<Vec<f64>> = match &layer.tariffs_at {
                None => None,
                Some(date) => {
                    let anchor = cal.anchor.ok_or_else(|| {
                        ctx.invalid(
                            key("tariffs_at"),
                            "the data have no US (anchor) to levy US tariffs",
                        )
                    })?;
                    if importers.members != [anchor] {
                        return Err(ctx.invalid(
                            key("importers"),
                            format!(
                                "tariffs_at gives US tariffs: importers must be [\"{}\"]",
                                cal.params.anchor
                            ),
                        ));
                    }
                    let policy = policy.ok_or_else(|| {
                        ctx.invalid(key("tariffs_at"), "no policy timeline is available here")
                    })?;
                    let rates = policy
                        .us_additional_rates(date, data)
                        .map_err(|m| ctx.invalid(key("tariffs_at"), m))?;
                    if rates.len() != data.n_sectors() * n {
                        return Err(ctx.invalid(
                            key("tariffs_at"),
                            "the policy timeline returned the wrong shape",
                        ));
                    }
                    notes.push(format!(
                        "tariffs[{pos}].tariffs_at: the US tariffs in force on {date}, from the policy timeline"
                    ));
                    Some(rates)
                }
            };
            let floor = match layer.floor {
                Some(f) => Some(check_rate(&ctx, &key("floor"), f)?),
                None => None,
            };
            let add = match layer.mode.as_deref().unwrap_or("set") {
                "set" => false,
                "add" => true,
                other => {
                    return Err(ctx.invalid(
                        key("mode"),
                        format!("expected \"set\" or \"add\", found \"{other}\""),
                    ))
                }
            };
            // rate_for(exporter, importer)
            let per_exporter: Option<Vec<f64>> = if let Some(name) = &layer.column {
                let column = data.columns.get(name).ok_or_else(|| {
                    let known: Vec<&str> = data.columns.keys().map(String::as_str).collect();
                    ctx.invalid(
                        key("column"),
                        format!(
                            "the dataset has no column \"{name}\" (it has: {})",
                            known.join(", ")
                        ),
                    )
                })?;
                Some(column.clone())
            } else if let Some(which) = &layer.official {
                Some(official_rates(&ctx, &key("official"), which, &mut notes)?)
            } else {
                None
            };
            let per_importer: Option<Vec<f64>> = match layer.optimal.as_deref() {
                None => None,
                Some(which) => {
                    let denominator = match which {
                        "expenditure" | "E" => Denominator::Expenditure,
                        "income" | "Y" => Denominator::Income,
                        other => {
                            return Err(ctx.invalid(
                                key("optimal"),
                                format!(
                                    "expected \"expenditure\" or \"income\", found \"{other}\""
                                ),
                            ))
                        }
                    };
                    let mut rates = vec![0.0; n];
                    for &i in &importers.members {
                        rates[i] = strategy::optimal_tariff_closed_form(cal, i, denominator)
                            .map_err(|e| ScenarioError::Model {
                                origin: origin.to_string(),
                                cause: e,
                            })?;
                    }
                    Some(rates)
                }
            };
            for &i in &importers.members {
                for &j in &exporters.members {
                    if i == j {
                        continue;
                    }
                    for &k in &sectors {
                        let mut rate = if let Some(r) = layer.rate {
                            check_rate(&ctx, &key("rate"), r)?
                        } else if let Some(v) = &per_exporter {
                            v[j]
                        } else if let Some(v) = &per_importer {
                            v[i]
                        } else if let Some(v) = &per_sector_exporter {
                            v[k * n + j]
                        } else {
                            unreachable!("exactly one source was checked above")
                        };
                        if let Some(f) = floor {
                            rate = rate.max(f);
                        }
                        let id = cal.index(k, j, i);
                        tariffs[id] = if add { tariffs[id] + rate } else { rate };
                    }
                }
            }
        }
        for (pos, rule) in self.retaliation.iter().enumerate() {
            let key = |field: &str| format!("retaliation[{pos}].{field}");
            let target_name = rule
                .target
                .clone()
                .unwrap_or_else(|| cal.params.anchor.clone());
            let target = data.country_index(&target_name).ok_or_else(|| {
                ctx.invalid(
                    key("target"),
                    format!("\"{target_name}\" is not in the data"),
                )
            })?;
            let by_names = if rule.by.is_empty() {
                vec!["all".to_string()]
            } else {
                rule.by.clone()
            };
            let by = ctx.select(&key("by"), &by_names, &rule.exclude)?;
            if !by.missing.is_empty() {
                notes.push(format!(
                    "retaliation[{pos}].by: not in the data, skipped: {}",
                    by.missing.join(" ")
                ));
            }
            let sectors = ctx.sectors(&key("sectors"), &rule.sectors)?;
            let explicit = match (rule.rule.as_str(), rule.rate) {
                ("explicit", Some(r)) => Some(check_rate(&ctx, &key("rate"), r)?),
                ("explicit", None) => {
                    return Err(ctx.invalid(key("rate"), "an explicit retaliation needs a rate"))
                }
                (_, Some(_)) => {
                    return Err(
                        ctx.invalid(key("rate"), "only an explicit retaliation takes a rate")
                    )
                }
                _ => None,
            };
            let optimal = match rule.rule.as_str() {
                "optimal" => Some(strategy::optimal_retaliation_rate(cal, target).map_err(
                    |e| ScenarioError::Model {
                        origin: origin.to_string(),
                        cause: e,
                    },
                )?),
                "reciprocal" | "explicit" => None,
                other => {
                    return Err(ctx.invalid(
                        key("rule"),
                        format!("expected reciprocal, optimal or explicit, found \"{other}\""),
                    ))
                }
            };
            let rule = match (explicit, optimal) {
                (Some(r), _) | (None, Some(r)) => Rule::Rate(r),
                (None, None) => Rule::Mirror,
            };
            retaliation::retaliate(cal, &mut tariffs, target, &by.members, &sectors, rule);
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

/// Per-exporter official US rates (fractions) for a dataset, from the embedded tables.
fn official_rates(
    ctx: &Ctx,
    key: &str,
    which: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<f64>, ScenarioError> {
    let n = ctx.data.n_countries();
    let baseline = 0.10;
    let eu = registry::group("EU27").unwrap_or_default();
    let mut rates = vec![baseline; n];
    match which {
        "2025-04-02" | "2025-04-02-annex" => {
            let table = embedded::official_rates_2025_04_02();
            let eu_row = table.iter().find(|r| r.iso3 == "EUU");
            for (i, code) in ctx.data.countries.iter().enumerate() {
                let row = table.iter().find(|r| &r.iso3 == code).or_else(|| {
                    if eu.iter().any(|m| m == code) {
                        eu_row
                    } else {
                        None
                    }
                });
                if let Some(row) = row {
                    let pct = if which == "2025-04-02" { row.reciprocal_pct } else { row.as_implemented_pct };
                    rates[i] = pct / 100.0;
                }
            }
            notes.push(format!("{key}: partners not on the April 2 chart get the 10% baseline (Canada, Mexico: separate fentanyl orders, not included)"));
        }
        "2025-08-07" => {
            let table = embedded::eo14326_rates();
            for (i, code) in ctx.data.countries.iter().enumerate() {
                if let Some(row) = table.iter().find(|r| &r.iso3 == code) {
                    rates[i] = match row.rate_pct {
                        Some(pct) => pct / 100.0,
                        None => 0.15, // the EU's "15% all-in" rule: taken as 15% over a zero factual tariff
                    };
                } else if eu.iter().any(|m| m == code) {
                    rates[i] = 0.15;
                }
            }
            notes.push(format!("{key}: EO 14326 rates; unlisted partners 10%; the EU's 15% all-in rule is applied as 15% over the factual tariff"));
        }
        other => {
            return Err(ctx.invalid(key, format!("expected \"2025-04-02\", \"2025-04-02-annex\" or \"2025-08-07\", found \"{other}\"")))
        }
    }
    Ok(rates)
}
