//! `GET /tariffs`: the additional US tariffs in force on each partner at a date, measure by
//! measure; `GET /tariffs/average`: the import-weighted average US tariff, one row per change.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use reciprocity_policy::engine::Status;
use reciprocity_policy::Product;
use reciprocity_service::tariffs::{all_partners, in_force, partner_name};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::dto::parse_opt_date;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::json::Json;
use crate::AppState;

/// Which date and partner.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TariffsQuery {
    /// The date, YYYY-MM-DD (default: the server's today).
    pub date: Option<String>,
    /// One partner: ISO3, a name, or EU (default: every Census partner and the EU).
    pub partner: Option<String>,
    /// As known on the date: later announcements ignored (default false).
    pub as_known: Option<bool>,
    /// One HTS-8 or HTS-10 line: the total duty on it from `partner` (required), MFN base and
    /// every measure, the document of `GET /tariffs/product`.
    pub hts: Option<String>,
    /// With `hts`: assumption usmca-shares, `2024` or `2025` (default).
    pub usmca_shares: Option<String>,
}

/// One measure on a partner's goods.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOut {
    /// The measure id.
    pub measure: String,
    /// Its program.
    pub program: String,
    /// Its legal instrument.
    pub instrument: String,
    /// Its title.
    pub title: String,
    /// The rate it charges (or would), percent.
    pub rate_pct: f64,
    /// The rule as written.
    pub rule: String,
    /// `applied`, or why not (`suspended by ... until ...`).
    pub status: String,
    /// Whether it counts in the total.
    pub applied: bool,
    /// Whether the registry marks it provisional.
    pub provisional: bool,
    /// Whether it reaches only non-USMCA goods.
    pub non_usmca_only: bool,
    /// The official document.
    pub source: String,
}

/// The additional US duty on one partner's goods (all goods) on a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerTariffs {
    /// ISO3 or group code.
    pub partner: String,
    /// Display name.
    pub name: String,
    /// The date.
    #[schema(format = Date)]
    pub date: String,
    /// The additional duty, percent (goods that do not qualify for USMCA).
    pub total_pct: f64,
    /// Canada and Mexico: the total on USMCA-qualifying goods.
    pub usmca_total_pct: Option<f64>,
    /// Every candidate measure, applied or not.
    pub measures: Vec<MeasureOut>,
}

/// The tariffs in force at a date.
#[utoipa::path(get, path = "/api/v1/tariffs", tag = "data",
    params(TariffsQuery),
    responses((status = 200, body = Vec<PartnerTariffs>, description = "every partner's additional duty; with `hts`, the document of `GET /tariffs/product`"), (status = 400, body = ErrorBody)))]
pub async fn tariffs(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<TariffsQuery>,
) -> Result<Response, ApiError> {
    let date = parse_opt_date("date", q.date.as_deref())?.unwrap_or_else(|| state.today());
    if let Some(hts) = &q.hts {
        let partner = q
            .partner
            .as_deref()
            .ok_or_else(|| ApiError::bad_request("partner: an ISO3 code is required with hts"))?;
        let doc = super::product::duty(hts, partner, date, q.usmca_shares.as_deref()).await?;
        return Ok(Json(doc).into_response());
    }
    if q.usmca_shares.is_some() {
        return Err(ApiError::bad_request(
            "usmca_shares: only with hts (a product's duty)",
        ));
    }
    let partners = match &q.partner {
        Some(p) => vec![
            reciprocity_service::talks::resolve_partner(p)
                .map_err(|e| ApiError::bad_request(format!("partner: {e}")))?
                .0,
        ],
        None => all_partners(),
    };
    let timeline = state.timeline().await?;
    let as_known = q.as_known.unwrap_or(false);
    let out = state
        .compute(move || {
            let b = in_force(
                &timeline.registry,
                date,
                &partners,
                Product::General,
                None,
                as_known,
            );
            Ok(b.iter()
                .map(|b| PartnerTariffs {
                    partner: b.partner.clone(),
                    name: partner_name(&b.partner),
                    date: b.date.format("%Y-%m-%d").to_string(),
                    total_pct: b.total_pct,
                    usmca_total_pct: b.usmca_total_pct,
                    measures: b
                        .lines
                        .iter()
                        .map(|l| MeasureOut {
                            measure: l.measure.clone(),
                            program: l.program.clone(),
                            instrument: l.instrument.clone(),
                            title: l.title.clone(),
                            rate_pct: l.rate_pct,
                            rule: l.rule.clone(),
                            status: l.status.describe(),
                            applied: l.status == Status::Applied,
                            provisional: l.provisional,
                            non_usmca_only: l.non_usmca_only,
                            source: l.source.clone(),
                        })
                        .collect(),
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(Json(out).into_response())
}

/// The period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AverageQuery {
    /// The first day (default 2025-01-01).
    pub from: Option<String>,
    /// The last day (default: the server's today).
    pub to: Option<String>,
}

/// One step of the average.
#[derive(Debug, Serialize, ToSchema)]
pub struct AveragePoint {
    /// The first day of the step.
    #[schema(format = Date)]
    pub date: String,
    /// The import-weighted additional US duty, percent.
    pub additional_pct: f64,
    /// The base (2024 applied / MFN) duty, percent, when known.
    pub base_pct: Option<f64>,
}

/// The timeline of the average US tariff.
#[derive(Debug, Serialize, ToSchema)]
pub struct AverageOut {
    /// The weights: Census 2024 partner totals (and HS detail when available).
    pub weights: String,
    /// One row per change.
    pub points: Vec<AveragePoint>,
}

/// The import-weighted average additional US tariff, one row per change.
#[utoipa::path(get, path = "/api/v1/tariffs/average", tag = "data",
    params(AverageQuery),
    responses((status = 200, body = AverageOut), (status = 400, body = ErrorBody)))]
pub async fn average(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AverageQuery>,
) -> Result<Json<AverageOut>, ApiError> {
    let from = parse_opt_date("from", q.from.as_deref())?
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a valid date"));
    let to = parse_opt_date("to", q.to.as_deref())?.unwrap_or_else(|| state.today());
    if to < from {
        return Err(ApiError::bad_request(format!(
            "to: expected a day on or after from ({from}), found {to}"
        )));
    }
    let timeline = state.timeline().await?;
    let out = state
        .compute(move || {
            let points = timeline
                .series(from, to)
                .iter()
                .map(|p| AveragePoint {
                    date: p.date.format("%Y-%m-%d").to_string(),
                    additional_pct: p.additional_pct,
                    base_pct: p.base_pct,
                })
                .collect();
            let w = &timeline.weights;
            Ok(AverageOut {
                weights: match &w.hs_source {
                    Some(s) => format!(
                        "HS detail ({s}) for {} partners, Census 2024 partner totals for the rest",
                        w.hs_partners
                    ),
                    None => "Census 2024 partner totals (embedded)".into(),
                },
                points,
            })
        })
        .await?;
    Ok(Json(out))
}
