//! `POST /strategy/optimal`: a country's (or bloc's) optimal tariffs on the embedded world,
//! everyone else's held at the factual ones: the ILMS closed form (docs/model.md §7) and the numerical
//! best response, uniform or one rate per partner, with the welfare each gives.
//! The use case is `reciprocity_service::strategy::optimal`, as for `reciprocity strategy optimal`;
//! retaliation and talks are in `strategy_retaliate.rs` and `strategy_bargain.rs`.

use axum::extract::State;
use reciprocity_model::ge::{Revenue, Stop};
use reciprocity_model::strategy::Instrument;
use reciprocity_service::strategy::{self as service, Game, OptimalRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::json::Json;
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

/// Run `f` on the server's world, calibrated under the ILMS preset (revenue recycling
/// overridden by `revenue`), from the factual tariffs, its searches ending when `stop` is
/// requested. Blocking: call it inside [`AppState::solve`].
pub(crate) fn on_factual_world<T>(
    state: &AppState,
    revenue: Option<Revenue>,
    stop: &Stop,
    f: impl FnOnce(Game<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let s = state.scenario_world()?;
    let file = service::default_scenario()?;
    let origin = "the factual tariffs";
    let params = service::params(&s.world, &file, origin, revenue)?;
    let cal = {
        let mut cache = s
            .cache
            .lock()
            // A panic elsewhere leaves at worst a missing entry: keep serving.
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.get(&s.world.data, &params)?
    };
    // A sector world taxes goods only: the shared calibration is cloned to mark its services.
    let mut cal = (*cal).clone();
    let services = service::goods_only(&s.world, &mut cal);
    let mut start = service::start(&s.world, &cal, &file, origin, false)?;
    start.notes.extend(services);
    f(Game::new(&s.world, &cal, &start).stoppable(stop))
}

/// A country's optimal tariffs: closed form and numerical best response.
#[utoipa::path(post, path = "/api/v1/strategy/optimal", tag = "compute", security(("bearer" = [])),
    request_body = OptimalBody,
    responses((status = 200, body = OptimalOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "the caller has as many computations as one may (Retry-After)"),
        (status = 503, body = ErrorBody, description = "queue full, deadline passed or shutting down (Retry-After)")))]
pub async fn optimal(
    State(state): State<AppState>,
    caller: Caller,
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
    let request = OptimalRequest {
        country: body.country,
        instrument,
        max_rate: body.max_rate.unwrap_or(5.0),
    };
    let st = state.clone();
    let out = state
        .solve(&caller, move |stop| {
            on_factual_world(&st, None, stop, |game| {
                let o = service::optimal(game, &request)?;
                let br = &o.best_response;
                Ok(OptimalOut {
                    world: game.world.source.clone(),
                    country: o.player.name.clone(),
                    members: o.player.members.len(),
                    by: by.into(),
                    closed_form_expenditure_pct: o.closed_form_expenditure.map(|v| 100.0 * v),
                    closed_form_income_pct: o.closed_form_income.map(|v| 100.0 * v),
                    welfare_at_closed_form_pct: o.welfare_at_closed_form_pct,
                    numerical_uniform_equivalent_pct: 100.0 * o.uniform_equivalent,
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
        })
        .await?;
    Ok(Json(out))
}
