//! `POST /strategy/optimal`: a country's (or bloc's) optimal tariffs on the embedded world,
//! everyone else's held at the factual ones: the ILMS closed form (MODEL.md §7) and the numerical
//! best response, uniform or one rate per partner, with the welfare each gives.
//!
//! The retaliation and bargaining routes of docs/service.md wait for those use cases to move from
//! the CLI (`cmd/strategy`) into `reciprocity-service`.

use std::path::PathBuf;

use axum::extract::State;
use axum::Json;
use reciprocity_model::ge;
use reciprocity_model::strategy::{
    self, apply_controls, closed_form_at, player_welfare, Denominator, Instrument, Player,
    SearchOptions, StrategyError,
};
use reciprocity_service::scenario::{self, ScenarioInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

/// `POST /strategy/optimal`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptimalBody {
    /// The country (ISO3) or bloc (EU27, ...) choosing its tariffs.
    pub country: String,
    /// `uniform` (one rate on all imports, default) or `partner` (one rate per partner: slow,
    /// one GE solve per partner and step).
    pub by: Option<String>,
    /// The highest tariff the search considers, a fraction (default 5 = 500%).
    pub max_rate: Option<f64>,
}

/// One rate of the optimum.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateOut {
    /// `all goods` or the partner.
    pub control: String,
    /// The rate, percent.
    pub rate_pct: f64,
}

/// The optimum.
#[derive(Debug, Serialize, ToSchema)]
pub struct OptimalOut {
    /// The world.
    pub world: String,
    /// The player.
    pub country: String,
    /// Its members in the world.
    pub members: usize,
    /// `uniform` or `partner`.
    pub by: String,
    /// The closed-form optimal uniform tariff (expenditure denominator), percent.
    pub closed_form_expenditure_pct: Option<f64>,
    /// The closed form with the income denominator, percent.
    pub closed_form_income_pct: Option<f64>,
    /// The player's welfare at the closed-form rate, % vs the factual tariffs.
    pub welfare_at_closed_form_pct: Option<f64>,
    /// The numerical optimum's import-weighted average rate, percent.
    pub numerical_uniform_equivalent_pct: f64,
    /// The player's welfare at the numerical optimum, % vs the factual tariffs.
    pub welfare_pct: f64,
    /// World trade/GDP at the optimum, % change.
    pub world_trade_to_gdp_pct: f64,
    /// Partners without imports (no rate to choose).
    pub skipped: Vec<String>,
    /// GE solves of the search.
    pub solves: usize,
    /// Iterations of the search.
    pub iterations: usize,
    /// The projected gradient at the optimum (0 at an interior optimum).
    pub projected_gradient: f64,
    /// The rates.
    pub rates: Vec<RateOut>,
}

fn strategy_error(e: StrategyError) -> ApiError {
    match e {
        StrategyError::InvalidInput(m) => ApiError::bad_request(m),
        StrategyError::NoOptimum { .. } => ApiError::unprocessable(e.to_string()),
        other => ApiError::internal(other.to_string()),
    }
}

/// A player: an ISO3 code of the world, or a group (the world's, or EU27, ...) as a bloc.
fn player(
    cal: &ge::Calibration,
    data: &reciprocity_model::Dataset,
    name: &str,
) -> Result<Player, ApiError> {
    let name = name.trim();
    if let Some(i) = data.country_index(&name.to_ascii_uppercase()) {
        return Ok(Player::country(cal, i));
    }
    let codes: Option<Vec<String>> = data.groups.get(name).cloned().or_else(|| {
        reciprocity_data::registry::group(name).map(|g| g.into_iter().map(str::to_string).collect())
    });
    let members: Vec<usize> = codes
        .unwrap_or_default()
        .iter()
        .filter_map(|c| data.country_index(c))
        .collect();
    if members.is_empty() {
        return Err(ApiError::bad_request(format!(
            "country: expected an ISO3 code of the world or a group (EU27, ...), found {name:?}"
        )));
    }
    Ok(Player {
        name: name.to_string(),
        members,
    })
}

/// A country's optimal tariffs: closed form and numerical best response.
#[utoipa::path(post, path = "/api/v1/strategy/optimal", tag = "compute", security(("bearer" = [])),
    request_body = OptimalBody,
    responses((status = 200, body = OptimalOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn optimal(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(body): ApiJson<OptimalBody>,
) -> Result<Json<OptimalOut>, ApiError> {
    let (instrument, by) = match body.by.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("uniform") => (Instrument::Uniform, "uniform"),
        Some("partner") => (Instrument::ByPartner, "partner"),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "by: expected uniform or partner, found {other:?}"
            )))
        }
    };
    let max_rate = body.max_rate.unwrap_or(5.0);
    if !(max_rate > 0.0 && max_rate.is_finite()) {
        return Err(ApiError::bad_request(format!(
            "max_rate: expected a positive fraction, found {max_rate}"
        )));
    }
    let st = state.clone();
    let out = state
        .compute(move || {
            let s = st.scenario_world()?;
            let input = ScenarioInput {
                path: PathBuf::from("defaults"),
                file: reciprocity_scenario::parse("", "defaults")
                    .map_err(reciprocity_service::ServiceError::from)?,
            };
            let params = scenario::scenario_params(&s.world, &input)?;
            let cal = {
                let mut cache = s
                    .cache
                    .lock()
                    .map_err(|_| ApiError::internal("the calibration cache is poisoned"))?;
                cache.get(&s.world.data, &params)?
            };
            let player = player(&cal, &s.world.data, &body.country)?;
            let start = cal.tariffs.clone();
            let solver = ge::SolverOptions::default();
            let cf_e = closed_form_at(&cal, None, &player.members, Denominator::Expenditure).ok();
            let cf_y = closed_form_at(&cal, None, &player.members, Denominator::Income).ok();
            let welfare_cf = cf_e.and_then(|t| {
                let (ctrls, _) = strategy::controls(&cal, &player, Instrument::Uniform);
                let mut tariffs = start.clone();
                apply_controls(&ctrls, &[t], &mut tariffs);
                // None when the closed-form rate lies outside the model's domain.
                ge::solve(&cal, &tariffs, &solver)
                    .ok()
                    .map(|eq| player_welfare(&cal, &ge::outcomes(&cal, &eq), &player.members))
            });
            let options = SearchOptions {
                upper: max_rate,
                ..SearchOptions::default()
            };
            let br = strategy::best_response(&cal, &start, &player, instrument, None, &options)
                .map_err(strategy_error)?;
            let weights: Vec<f64> = br
                .controls
                .iter()
                .map(|c| c.weights.iter().sum::<f64>())
                .collect();
            let total: f64 = weights.iter().sum();
            let equivalent = br
                .rates
                .iter()
                .zip(&weights)
                .map(|(r, w)| r * w)
                .sum::<f64>()
                / total;
            Ok(OptimalOut {
                world: s.world.source.clone(),
                country: player.name.clone(),
                members: player.members.len(),
                by: by.into(),
                closed_form_expenditure_pct: cf_e.map(|v| 100.0 * v),
                closed_form_income_pct: cf_y.map(|v| 100.0 * v),
                welfare_at_closed_form_pct: welfare_cf,
                numerical_uniform_equivalent_pct: 100.0 * equivalent,
                welfare_pct: br.welfare_pct,
                world_trade_to_gdp_pct: br.outcomes.world_trade_to_gdp_pct,
                skipped: br.skipped.clone(),
                solves: br.solves,
                iterations: br.iterations,
                projected_gradient: br.projected_gradient,
                rates: br
                    .controls
                    .iter()
                    .zip(&br.rates)
                    .map(|(c, r)| RateOut {
                        control: c.label.clone(),
                        rate_pct: 100.0 * r,
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(Json(out))
}
