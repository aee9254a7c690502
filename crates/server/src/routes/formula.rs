//! `GET /formula`: the April 2, 2025 formula for every Census 2024 partner (and the EU as one),
//! next to the chart's published rates: the rows of the tariff-gap chart. The use case is
//! `reciprocity_service::formula::table`, as for `reciprocity formula`.

use axum::Json;
use reciprocity_model::formula::{FormulaParams, Rounding};
use reciprocity_service::formula::Partners;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;

/// The formula's parameters (default: the official ones).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FormulaQuery {
    /// official (round the charged rate, then halve and ceil), unrounded, or none.
    pub rounding: Option<String>,
    /// φ, the pass-through of tariffs to import prices (official 0.25).
    pub pass_through: Option<f64>,
    /// The lowest rate, percent (official 10).
    pub floor: Option<f64>,
    /// ε, the trade elasticity (official 4).
    pub trade_elasticity: Option<f64>,
    /// The share of the charged rate levied (official 0.5).
    pub discount: Option<f64>,
}

/// One partner: Census 2024 trade, the formula's rates and the chart's.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormulaRow {
    /// ISO3 (`EUU`: the European Union).
    pub iso3: String,
    /// Display name (the chart's spelling when on the chart).
    pub name: String,
    /// US general imports from the partner, 2024, USD.
    pub us_imports: f64,
    /// US exports to the partner, 2024, USD.
    pub us_exports: f64,
    /// US goods deficit with the partner, USD (imports − exports).
    pub deficit: f64,
    /// The deficit as a percent of imports (null without imports).
    pub deficit_pct: Option<f64>,
    /// The formula's "tariff charged to the USA", percent.
    pub charged_pct: f64,
    /// The formula's "discounted reciprocal tariff", percent.
    pub reciprocal_pct: f64,
    /// The chart's charged rate (null when not on the chart).
    pub official_charged_pct: Option<f64>,
    /// The chart's reciprocal rate.
    pub official_reciprocal_pct: Option<f64>,
}

/// The formula's rows, largest US imports first.
#[utoipa::path(get, path = "/api/v1/formula", tag = "data", security(("bearer" = [])),
    params(FormulaQuery),
    responses((status = 200, body = Vec<FormulaRow>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn formula(
    _caller: Caller,
    ApiQuery(q): ApiQuery<FormulaQuery>,
) -> Result<Json<Vec<FormulaRow>>, ApiError> {
    let d = FormulaParams::default();
    let rounding = match q
        .rounding
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("official") => Rounding::Official,
        Some("unrounded") => Rounding::Unrounded,
        Some("none") => Rounding::None,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "rounding: expected official, unrounded or none, found {other:?}"
            )))
        }
    };
    let p = FormulaParams {
        trade_elasticity: q.trade_elasticity.unwrap_or(d.trade_elasticity),
        pass_through: q.pass_through.unwrap_or(d.pass_through),
        floor_pct: q.floor.unwrap_or(d.floor_pct),
        discount: q.discount.unwrap_or(d.discount),
        rounding,
    };
    let table = reciprocity_service::formula::table(&p, Partners::All)?;
    let rows = table
        .rows
        .into_iter()
        .map(|r| FormulaRow {
            iso3: r.iso3,
            name: r.country,
            us_imports: r.us_imports_usd,
            us_exports: r.us_exports_usd,
            deficit: r.us_imports_usd - r.us_exports_usd,
            deficit_pct: r.deficit_pct,
            charged_pct: r.charged_pct,
            reciprocal_pct: r.reciprocal_pct,
            official_charged_pct: r.official_charged_pct,
            official_reciprocal_pct: r.official_reciprocal_pct,
        })
        .collect();
    Ok(Json(rows))
}
