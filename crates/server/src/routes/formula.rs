//! `GET /formula`: the April 2, 2025 formula for every Census 2024 partner (and the EU as one),
//! next to the chart's published rates: the rows of the tariff-gap chart. The use case is
//! `reciprocity_service::formula::table`, and the document the one `reciprocity formula
//! --format json` prints.

use reciprocity_model::formula::{FormulaParams, Rounding};
use reciprocity_service::formula::{FormulaTable, Partners};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::json::Json;

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
    /// all (every Census partner and the EU, the default) or chart (the 185 partners of the chart).
    pub partners: Option<String>,
    /// Only the first N rows (the summary still counts every partner).
    pub top: Option<usize>,
}

/// The formula for every partner, largest US imports first, with its parameters and the match
/// against the chart: the document `reciprocity formula --format json` prints.
#[utoipa::path(get, path = "/api/v1/formula", tag = "data",
    params(FormulaQuery),
    responses((status = 200, body = FormulaTable), (status = 400, body = ErrorBody)))]
pub async fn formula(ApiQuery(q): ApiQuery<FormulaQuery>) -> Result<Json<FormulaTable>, ApiError> {
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
    let partners = match q
        .partners
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("all") => Partners::All,
        Some("chart") => Partners::Chart,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "partners: expected all or chart, found {other:?}"
            )))
        }
    };
    let mut table = reciprocity_service::formula::table(&p, partners)?;
    if let Some(n) = q.top {
        table.rows.truncate(n);
    }
    Ok(Json(table))
}
