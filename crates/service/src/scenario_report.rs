//! A solved scenario as one document: what `reciprocity simulate --format json` prints and
//! `POST /api/v1/scenarios` answers (the CLI's CSV has its country rows). Group averages and the
//! flow table are computed here once.

use crate::scenario::{ScenarioResult, World};

/// One country's outcome (% changes against the baseline).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryRow {
    /// The scenario's name (so that rows of several scenarios can share one CSV).
    pub scenario: String,
    /// ISO3.
    pub iso3: String,
    /// Display name.
    pub country: String,
    /// Real income, % change.
    pub welfare_pct: f64,
    /// Trade deficit, % change.
    pub deficit_pct: f64,
    /// Exports/GDP, % change.
    pub exports_gdp_pct: f64,
    /// Imports/GDP, % change.
    pub imports_gdp_pct: f64,
    /// Employment, % change.
    pub employment_pct: f64,
    /// The consumer price index relative to the world's (the numeraire), % change.
    pub price_index_pct: f64,
    /// Tariff revenue as a share of income in the counterfactual.
    pub revenue_share: f64,
    /// Real GDP (the model's value added over its price index), % change.
    pub real_gdp_pct: f64,
    /// Consumer prices in units of the country's own wage, 100(P̂/ŵ − 1): the model's change of
    /// the cost of living with nominal wages held fixed, the units of the short-run price level of
    /// `costs` (which holds nominal incomes fixed too). Not the numéraire-relative index.
    pub consumer_prices_wage_units_pct: f64,
    /// Tariff revenue after behaviour: the counterfactual tariffs on the counterfactual imports,
    /// billion USD a year in the data's dollars (the world's `units`).
    pub revenue_usd_bn: f64,
    /// The same tariffs on the baseline imports, billion USD a year: the static score
    /// before anyone changes what they buy (no import response).
    pub revenue_static_usd_bn: f64,
    /// The baseline tariffs on the baseline imports, billion USD a year (what the scenario's
    /// revenue adds to is the difference).
    pub revenue_baseline_usd_bn: f64,
}

/// A report group's averages (weighted as `ge::group_average`).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRow {
    /// The group.
    pub group: String,
    /// Members in the data.
    pub members: usize,
    /// Welfare, % change.
    pub welfare_pct: f64,
    /// Trade deficit, % change.
    pub deficit_pct: f64,
    /// Exports/GDP, % change.
    pub exports_gdp_pct: f64,
    /// Imports/GDP, % change.
    pub imports_gdp_pct: f64,
    /// Employment, % change.
    pub employment_pct: f64,
    /// Price index vs world, % change.
    pub price_index_pct: f64,
}

/// One bilateral flow of one sector, before and after.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowRow {
    /// Exporter (ISO3).
    pub exporter: String,
    /// Importer (ISO3).
    pub importer: String,
    /// Sector.
    pub sector: String,
    /// Flow in the baseline, USD.
    pub flow_before: f64,
    /// Flow in the counterfactual, USD.
    pub flow_after: f64,
    /// % change (NaN, serialised as null, from a zero flow).
    pub change_pct: f64,
    /// Tariff before (fraction).
    pub tariff_before: f64,
    /// Tariff after (fraction).
    pub tariff_after: f64,
}

/// One solve.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SolverRow {
    /// converged, max-iterations or non-finite.
    pub termination: String,
    /// Iterations.
    pub iterations: usize,
    /// The largest relative residual.
    pub max_residual: f64,
    /// Steps of the continuation in the shock (absent when the direct solve converged).
    #[cfg_attr(feature = "json", serde(skip_serializing_if = "is_zero"))]
    pub continuation_steps: usize,
}

#[cfg(feature = "json")]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A solved scenario.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScenarioReport {
    /// The scenario's name.
    pub scenario: String,
    /// The file it came from (`request` for the API).
    pub file: String,
    /// The world it ran on.
    pub world: String,
    /// Countries in the world.
    pub countries_in_world: usize,
    /// Sectors in the world.
    pub sectors: usize,
    /// The solver's reports (the balanced closure's baseline too).
    pub solver: Vec<SolverRow>,
    /// World trade/GDP, % change.
    pub world_trade_to_gdp_pct: f64,
    /// World employment, % change.
    pub world_employment_pct: f64,
    /// The report groups with members in the data.
    pub groups: Vec<GroupRow>,
    /// What resolving the scenario assumed.
    pub notes: Vec<String>,
    /// Every country.
    pub countries: Vec<CountryRow>,
    /// Every non-zero flow (when asked for).
    #[cfg_attr(feature = "json", serde(skip_serializing_if = "Option::is_none"))]
    pub flows: Option<Vec<FlowRow>>,
    /// Every country x sector (when asked for: `simulate --by-sector`; docs/sector-world.md).
    #[cfg_attr(feature = "json", serde(skip_serializing_if = "Option::is_none"))]
    pub by_sector: Option<Vec<crate::sector_outputs::SectorRow>>,
    /// Medians and 90 % bands of every headline number under drawn parameters (when draws were
    /// asked for; docs/uncertainty.md).
    #[cfg_attr(feature = "json", serde(skip_serializing_if = "Option::is_none"))]
    pub bands: Option<crate::bands::scenario::ScenarioBands>,
}

/// The document of a solved scenario; with `flows`, the flow table too.
pub fn report(world: &World, r: &ScenarioResult, flows: bool) -> ScenarioReport {
    ScenarioReport {
        scenario: r.name.clone(),
        file: r.path.display().to_string(),
        world: world.source.clone(),
        countries_in_world: world.data.n_countries(),
        sectors: world.data.n_sectors(),
        solver: r
            .reports
            .iter()
            .map(|rep| SolverRow {
                termination: rep.termination.to_string(),
                iterations: rep.iterations,
                max_residual: rep.max_residual,
                continuation_steps: rep.continuation_steps,
            })
            .collect(),
        world_trade_to_gdp_pct: r.outcomes.world_trade_to_gdp_pct,
        world_employment_pct: r.outcomes.world_employment_pct,
        groups: group_rows(r),
        notes: r.notes.clone(),
        countries: country_rows(world, r),
        flows: flows.then(|| flow_rows(world, r)),
        by_sector: None,
        bands: None,
    }
}

/// Each importer's `t` on its baseline imports, in the data's units: with the counterfactual
/// tariffs, the static revenue; with the factual ones, the baseline revenue.
fn revenue_on_baseline_flows(r: &ScenarioResult, t: &[f64]) -> Vec<f64> {
    let cal = &r.calibration;
    let mut out = vec![0.0; cal.n];
    for k in 0..cal.k {
        for j in 0..cal.n {
            for (i, o) in out.iter_mut().enumerate() {
                if i != j {
                    let id = cal.index(k, j, i);
                    *o += t[id] * cal.flows[id];
                }
            }
        }
    }
    out
}

/// P/w of the equilibrium the outcomes are read against: 1 at the calibrated baseline, the
/// zero-shock equilibrium's under a closure that moves the transfers.
fn reference_cost_of_living(r: &ScenarioResult, i: usize) -> f64 {
    r.baseline
        .as_ref()
        .map_or(1.0, |b| b.price_index[i] / b.wage[i])
}

/// Every country's outcome.
pub fn country_rows(world: &World, r: &ScenarioResult) -> Vec<CountryRow> {
    let bn = crate::world::usd_per_unit(&world.data.units) / 1e9;
    let static_revenue = revenue_on_baseline_flows(r, &r.equilibrium.tariffs);
    let baseline_revenue = revenue_on_baseline_flows(r, &r.calibration.tariffs);
    r.outcomes
        .countries
        .iter()
        .enumerate()
        .map(|(i, c)| CountryRow {
            scenario: r.name.clone(),
            iso3: world.data.countries[i].clone(),
            country: world.data.country_names[i].clone(),
            welfare_pct: c.welfare_pct,
            deficit_pct: c.deficit_pct,
            exports_gdp_pct: c.exports_gdp_pct,
            imports_gdp_pct: c.imports_gdp_pct,
            employment_pct: c.employment_pct,
            price_index_pct: c.price_index_pct,
            revenue_share: c.revenue_share,
            real_gdp_pct: c.real_gdp_pct,
            consumer_prices_wage_units_pct: 100.0
                * (r.equilibrium.price_index[i]
                    / r.equilibrium.wage[i]
                    / reference_cost_of_living(r, i)
                    - 1.0),
            // A level under every closure (the balanced closures' `revenue_share` is a change).
            revenue_usd_bn: r.equilibrium.revenue[i] * bn,
            revenue_static_usd_bn: static_revenue[i] * bn,
            revenue_baseline_usd_bn: baseline_revenue[i] * bn,
        })
        .collect()
}

/// The averages of the report groups that have members in the data.
pub fn group_rows(r: &ScenarioResult) -> Vec<GroupRow> {
    let cal = &r.calibration;
    let out = &r.outcomes.countries;
    r.groups
        .iter()
        .filter(|(_, members)| !members.is_empty())
        .map(|(name, members)| {
            let avg =
                |f: &dyn Fn(usize) -> f64| reciprocity_model::ge::group_average(cal, members, f);
            GroupRow {
                group: name.clone(),
                members: members.len(),
                welfare_pct: avg(&|i| out[i].welfare_pct),
                deficit_pct: avg(&|i| out[i].deficit_pct),
                exports_gdp_pct: avg(&|i| out[i].exports_gdp_pct),
                imports_gdp_pct: avg(&|i| out[i].imports_gdp_pct),
                employment_pct: avg(&|i| out[i].employment_pct),
                price_index_pct: avg(&|i| out[i].price_index_pct),
            }
        })
        .collect()
}

/// Every flow that is not zero before and after.
pub fn flow_rows(world: &World, r: &ScenarioResult) -> Vec<FlowRow> {
    let cal = &r.calibration;
    let eq = &r.equilibrium;
    let (flows_before, flows_after) = (cal.flow_table(), cal.pairs(&eq.flows));
    let (tariffs_before, tariffs_after) = (cal.tariff_table(), cal.pairs(&eq.tariffs));
    let mut rows = Vec::new();
    for k in 0..cal.k {
        for j in 0..cal.n {
            for i in 0..cal.n {
                let (before, after) = (flows_before.get(k, j, i), flows_after.get(k, j, i));
                if before == 0.0 && after == 0.0 {
                    continue;
                }
                rows.push(FlowRow {
                    exporter: world.data.countries[j].clone(),
                    importer: world.data.countries[i].clone(),
                    sector: world.data.sectors[k].clone(),
                    flow_before: before,
                    flow_after: after,
                    change_pct: if before > 0.0 {
                        100.0 * (after / before - 1.0)
                    } else {
                        f64::NAN
                    },
                    tariff_before: tariffs_before.get(k, j, i),
                    tariff_after: tariffs_after.get(k, j, i),
                });
            }
        }
    }
    rows
}
