//! `GET /costs?date=` (public, no token): what the US tariffs in force on a date cost against
//! 2024 — the effective rate increase, the short-run price level, the cost per household and
//! customs revenue in dollars. The same document as `reciprocity costs --format json`.

use reciprocity_service::costs::{CostAssumptions, Costs};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::dto::parse_opt_date;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::json::Json;
use crate::routes::product::ctx;
use crate::AppState;

/// The date and the assumptions (each defaults as in the CLI).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CostsQuery {
    /// The date, YYYY-MM-DD (default: the server's today).
    pub date: Option<String>,
    /// Import content of consumption, percent (default 10.7).
    pub import_content: Option<f64>,
    /// Nominal import growth per year over ten years, percent (default 0).
    pub import_growth: Option<f64>,
    /// Pass-through into consumer prices, percent (default 100).
    pub pass_through: Option<f64>,
}

/// The costs: `date`, `etr_increase_pts`, `price_level_pct`, `cost_per_household_usd` (and
/// `by_quintile`),
/// `revenue_usd_bn`, `revenue_10y_usd_bn`, with the assumptions, every public figure's source and
/// the definitions.
#[utoipa::path(get, path = "/api/v1/costs", tag = "data", params(CostsQuery),
    responses((status = 200, description = "the costs of the tariffs in force on the date"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn costs(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiQuery(q): ApiQuery<CostsQuery>,
) -> Result<Json<Costs>, ApiError> {
    let date = parse_opt_date("date", q.date.as_deref())?.unwrap_or_else(|| state.today());
    let assumptions =
        CostAssumptions::with_overrides(q.import_content, q.import_growth, q.pass_through);
    let c = ctx().await?;
    let costs = tokio::task::spawn_blocking(move || {
        reciprocity_service::costs::costs(&c.engine, &c.registry, &c.weights, date, assumptions)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    Ok(Json(costs))
}
