//! Public reference data at the product level (no token): `GET /tariffs/product?hts=&partner=&date=`,
//! the total US duty on one HTS line, and `GET /etr?date=` or `?from=&to=`, the statutory effective
//! tariff rate. The product tables (shared data folder, else the embedded copy) load once.

use std::sync::{Arc, OnceLock};

use reciprocity_policy::product::{cutoff, Assumptions, UsmcaShares, EXCLUDED};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::dto::parse_opt_date;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::json::Json;
use crate::AppState;

type Ctx = reciprocity_service::etr::RateContext;

type Slot = OnceLock<Result<Arc<Ctx>, String>>;

/// One context per year of the USMCA-claim shares (assumption `usmca-shares`), loaded on first use.
static CTX: [Slot; 2] = [OnceLock::new(), OnceLock::new()];

fn load(usmca: UsmcaShares) -> Result<Arc<Ctx>, String> {
    let shared = reciprocity_service::policy::find_shared_dir();
    let registry = reciprocity_service::policy::load_registry(None).map_err(|e| e.to_string())?;
    let assumptions = Assumptions {
        usmca_shares: usmca,
        ..Assumptions::default()
    };
    Ctx::load(shared.as_deref(), registry, assumptions)
        .map(Arc::new)
        .map_err(|e| e.to_string())
}

/// The product tables, the registry and the weights under the default assumptions, loaded once
/// for every product-level route (these and `costs`).
pub(crate) async fn ctx() -> Result<Arc<Ctx>, ApiError> {
    ctx_with(UsmcaShares::default()).await
}

/// The same under the USMCA-claim shares of the year `usmca` names.
async fn ctx_with(usmca: UsmcaShares) -> Result<Arc<Ctx>, ApiError> {
    let k = UsmcaShares::ALL
        .iter()
        .position(|u| *u == usmca)
        .unwrap_or(1);
    tokio::task::spawn_blocking(move || CTX[k].get_or_init(|| load(usmca)).clone())
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(ApiError::unavailable)
}

/// The `usmca_shares` parameter (`2024` or `2025`, default 2025).
fn usmca_param(v: Option<&str>) -> Result<UsmcaShares, ApiError> {
    v.map_or(Ok(UsmcaShares::default()), |y| {
        UsmcaShares::parse(y).map_err(|e| ApiError::bad_request(e.to_string()))
    })
}

fn assumptions_json(a: &Assumptions) -> serde_json::Value {
    a.describe()
        .into_iter()
        .map(|(k, v, _)| (k.to_string(), serde_json::Value::String(v)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// One HTS line, partner and date.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// HTS-8 or HTS-10 line (dots allowed).
    pub hts: String,
    /// Partner ISO3.
    pub partner: String,
    /// The date, YYYY-MM-DD (default: the server's today).
    pub date: Option<String>,
    /// Assumption usmca-shares: the year of the USMCA-claim shares, `2024` or `2025` (default).
    pub usmca_shares: Option<String>,
}

/// The total duty on one HTS line: `total_pct`, `mfn_pct`, one entry per measure with its status,
/// instrument and source; the registry's cut-off and what is excluded.
#[utoipa::path(get, path = "/api/v1/tariffs/product", tag = "data", params(ProductQuery),
    responses((status = 200, description = "the total duty, measure by measure"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn product(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let date = parse_opt_date("date", q.date.as_deref())?.unwrap_or_else(|| state.today());
    Ok(Json(
        duty(&q.hts, &q.partner, date, q.usmca_shares.as_deref()).await?,
    ))
}

/// The document of one HTS line's total duty (this route and `GET /tariffs?hts=`).
pub(crate) async fn duty(
    hts: &str,
    partner: &str,
    date: chrono::NaiveDate,
    usmca_shares: Option<&str>,
) -> Result<serde_json::Value, ApiError> {
    let c = ctx_with(usmca_param(usmca_shares)?).await?;
    let duty = reciprocity_service::product::lookup(&c.engine, &c.registry, hts, partner, date)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(serde_json::json!({
        "tables": c.tables, "assumptions": assumptions_json(&c.engine.assumptions), "duty": duty
    }))
}

/// A date or a period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EtrQuery {
    /// The date, YYYY-MM-DD (default: today) — or `from` and `to` for a daily series.
    pub date: Option<String>,
    /// First day of a daily series.
    pub from: Option<String>,
    /// Last day of a daily series.
    pub to: Option<String>,
    /// Assumption usmca-shares: the year of the USMCA-claim shares, `2024` or `2025` (default).
    pub usmca_shares: Option<String>,
}

/// The statutory effective rate: `date`, `total_pct`, `base_pct`, `additional_pct`,
/// `by_authority` (and by partner and chapter for one date; a daily series for a period).
#[utoipa::path(get, path = "/api/v1/etr", tag = "data", params(EtrQuery),
    responses((status = 200, description = "the effective rate"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn etr(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiQuery(q): ApiQuery<EtrQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let from = parse_opt_date("from", q.from.as_deref())?;
    let to = parse_opt_date("to", q.to.as_deref())?;
    let date = parse_opt_date("date", q.date.as_deref())?;
    let today = state.today();
    let c = ctx_with(usmca_param(q.usmca_shares.as_deref())?).await?;
    let body = tokio::task::spawn_blocking(move || -> Result<serde_json::Value, ApiError> {
        let meta = serde_json::json!({
            "cutoff": cutoff(&c.registry), "excluded": EXCLUDED, "tables": c.tables,
            "assumptions": assumptions_json(&c.engine.assumptions),
        });
        match (from, to, date) {
            (Some(f), Some(t), None) => {
                if (t - f).num_days() > 800 {
                    return Err(ApiError::bad_request("to: at most 800 days after from"));
                }
                let pts = reciprocity_service::etr::daily(&c.engine, &c.registry, &c.weights, f, t)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                let series: Vec<_> = pts
                    .iter()
                    .map(|p| serde_json::json!({"date": p.date, "total_pct": p.total_pct, "base_pct": p.base_pct, "additional_pct": p.additional_pct, "by_authority": p.by_authority}))
                    .collect();
                Ok(serde_json::json!({ "meta": meta, "series": series }))
            }
            (None, None, d) => {
                let d = d.unwrap_or(today);
                let p = reciprocity_service::etr::on(&c.engine, &c.registry, &c.weights, d);
                let provisional: Vec<_> = reciprocity_service::etr::provisional_on(&c.engine, &c.registry, d)
                    .into_iter()
                    .map(|(id, reason)| serde_json::json!({"id": id, "reason": reason}))
                    .collect();
                Ok(serde_json::json!({
                    "date": p.date, "total_pct": p.total_pct, "base_pct": p.base_pct, "additional_pct": p.additional_pct,
                    "by_authority": p.by_authority, "by_partner": p.by_partner, "by_sector": p.by_sector,
                    "provisional": provisional, "meta": meta,
                }))
            }
            _ => Err(ApiError::bad_request("date: use either date or from and to")),
        }
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    Ok(Json(body))
}
