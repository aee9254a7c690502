//! `POST /scenarios`: a scenario in the schema of the TOML scenario files, sent as JSON, solved
//! on the embedded world (calibrations are cached per parameter set for the server's life).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::Json;
use reciprocity_scenario::ScenarioFile;
use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput, World};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

/// One country's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioCountry {
    /// ISO3.
    pub iso3: String,
    /// Name.
    pub name: String,
    /// Welfare (real income), % change.
    pub welfare_pct: f64,
    /// Trade deficit, % change.
    pub deficit_pct: f64,
    /// Exports/GDP, % change.
    pub exports_gdp_pct: f64,
    /// Imports/GDP, % change.
    pub imports_gdp_pct: f64,
    /// Employment, % change.
    pub employment_pct: f64,
    /// Consumer prices, % change.
    pub price_index_pct: f64,
    /// Tariff revenue over expenditure (a fraction).
    pub revenue_share: f64,
}

/// A group average (weighted as the model's `group_average`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioGroup {
    /// The group.
    pub group: String,
    /// Its members in the world.
    pub members: usize,
    /// Welfare, % change.
    pub welfare_pct: f64,
    /// Trade deficit, % change.
    pub deficit_pct: f64,
    /// Employment, % change.
    pub employment_pct: f64,
    /// Consumer prices, % change.
    pub price_index_pct: f64,
}

/// A solve.
#[derive(Debug, Serialize, ToSchema)]
pub struct SolverOut {
    /// converged, max-iterations or non-finite.
    pub termination: String,
    /// Iterations.
    pub iterations: usize,
    /// The largest relative residual.
    pub max_residual: f64,
}

/// A solved scenario.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioOut {
    /// Its name.
    pub name: String,
    /// The world it ran on.
    pub world: String,
    /// The solver's reports (the balanced closure's baseline too).
    pub solver: Vec<SolverOut>,
    /// World trade/GDP, % change.
    pub world_trade_to_gdp_pct: f64,
    /// World employment, % change.
    pub world_employment_pct: f64,
    /// The report groups.
    pub groups: Vec<ScenarioGroup>,
    /// What resolving the scenario assumed.
    pub notes: Vec<String>,
    /// Every country.
    pub countries: Vec<ScenarioCountry>,
}

/// The scenario world and its calibrations (shared with the strategy routes).
pub(crate) struct Scenarios {
    pub(crate) world: World,
    pub(crate) cache: Mutex<CalibrationCache>,
}

/// Solve a scenario (the scenario files' schema as JSON: `name`, `model`, `tariffs`,
/// `retaliation`, `report_groups`; rates are fractions).
#[utoipa::path(post, path = "/api/v1/scenarios", tag = "compute", security(("bearer" = [])),
    request_body(content = Object, description = "A scenario in the schema of the TOML scenario files, as JSON",
        example = json!({"name": "Liberation Day", "model": {"preset": "ilms"},
            "tariffs": [{"importers": ["USA"], "exporters": ["all"], "official": "2025-04-02-annex"}]})),
    responses((status = 200, body = ScenarioOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(file): ApiJson<ScenarioFile>,
) -> Result<Json<ScenarioOut>, ApiError> {
    let st = state.clone();
    let out = state
        .compute(move || {
            let s = st.scenario_world()?;
            let input = ScenarioInput {
                path: PathBuf::from("request"),
                file,
            };
            let params = scenario::scenario_params(&s.world, &input)?;
            let cal: Arc<_> = {
                let mut cache = s
                    .cache
                    .lock()
                    // A panic elsewhere leaves at worst a missing entry: keep serving.
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                cache.get(&s.world.data, &params)?
            };
            let r = scenario::run_scenario(&s.world, &input, cal)?;
            let data = &s.world.data;
            let out = &r.outcomes.countries;
            Ok(ScenarioOut {
                name: r.name.clone(),
                world: s.world.source.clone(),
                solver: r
                    .reports
                    .iter()
                    .map(|x| SolverOut {
                        termination: x.termination.to_string(),
                        iterations: x.iterations,
                        max_residual: x.max_residual,
                    })
                    .collect(),
                world_trade_to_gdp_pct: r.outcomes.world_trade_to_gdp_pct,
                world_employment_pct: r.outcomes.world_employment_pct,
                groups: r
                    .groups
                    .iter()
                    .filter(|(_, m)| !m.is_empty())
                    .map(|(name, members)| {
                        let avg = |f: &dyn Fn(usize) -> f64| {
                            reciprocity_model::ge::group_average(&r.calibration, members, f)
                        };
                        ScenarioGroup {
                            group: name.clone(),
                            members: members.len(),
                            welfare_pct: avg(&|i| out[i].welfare_pct),
                            deficit_pct: avg(&|i| out[i].deficit_pct),
                            employment_pct: avg(&|i| out[i].employment_pct),
                            price_index_pct: avg(&|i| out[i].price_index_pct),
                        }
                    })
                    .collect(),
                notes: r.notes.clone(),
                countries: out
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ScenarioCountry {
                        iso3: data.countries[i].clone(),
                        name: data.country_names[i].clone(),
                        welfare_pct: c.welfare_pct,
                        deficit_pct: c.deficit_pct,
                        exports_gdp_pct: c.exports_gdp_pct,
                        imports_gdp_pct: c.imports_gdp_pct,
                        employment_pct: c.employment_pct,
                        price_index_pct: c.price_index_pct,
                        revenue_share: c.revenue_share,
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(Json(out))
}
