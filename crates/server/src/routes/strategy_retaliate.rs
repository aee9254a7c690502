//! `POST /strategy/retaliate`: a country's tariffs (default the US's closed-form optimum) met by
//! retaliation on the server's world: none, reciprocal (each retaliator mirrors the rate it
//! faces), the two-region optimal rate (docs/model.md §7), and explicit partner rates when given. The
//! use case is `reciprocity_service::strategy::retaliate`, as for `reciprocity strategy retaliate`.

use axum::extract::State;
use reciprocity_service::bands::retaliate::{
    retaliation_bands, RetaliationBands, RetaliationSetup,
};
use reciprocity_service::bands::Exec;
use reciprocity_service::strategy::{self as service, AggressorTariff, RetaliateRequest};
use reciprocity_service::ServiceError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::strategy::on_factual_world;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::json::Json;
use crate::AppState;

/// Most retaliators or explicit rates a request may list.
const MAX_LIST: usize = 400;

/// `POST /strategy/retaliate`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetaliateBody {
    /// The country retaliated against (ISO3; default `USA`).
    pub country: Option<String>,
    /// Its tariffs: `optimal` (closed form, default), `numerical` (its numerical uniform
    /// optimum), `liberation-day` (the April 2, 2025 rates, floor 10%; US only) or `uniform`
    /// (one rate, `rate`).
    pub tariff: Option<String>,
    /// The uniform rate when `tariff` is `uniform`, a fraction (0.2 = 20%).
    pub rate: Option<f64>,
    /// The retaliators (ISO3 codes or groups such as EU27); default every other country.
    pub by: Option<Vec<String>>,
    /// Partner-specific rates on the target (adds an `explicit` rule).
    pub rates: Option<Vec<ExplicitRate>>,
    /// Draws of the uncertain parameters for uncertainty bands (at most 500; 0 or absent: none).
    pub draws: Option<u64>,
    /// The seed of the draws (default 1).
    pub seed: Option<u64>,
}

/// One explicit retaliation rate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplicitRate {
    /// The retaliator (ISO3 or group).
    pub by: String,
    /// Its rate on the target, a fraction.
    pub rate: f64,
}

/// One rule's headline.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleOut {
    /// `none`, `reciprocal`, `optimal` or `explicit`.
    pub rule: String,
    /// What it does.
    pub description: String,
    /// The target's welfare change, %.
    pub target_welfare_pct: f64,
    /// The retaliators' expenditure-weighted welfare change, %.
    pub retaliators_welfare_pct: f64,
    /// World trade-to-GDP, % change.
    pub world_trade_to_gdp_pct: f64,
}

/// One country under one rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetaliationCountryOut {
    /// The rule.
    pub rule: String,
    /// The country.
    pub iso3: String,
    /// The rate it levies on the target, % (null for the target itself).
    pub rate_on_target_pct: Option<f64>,
    /// The rate the target levies on it, % (null for the target itself).
    pub target_rate_on_it_pct: Option<f64>,
    /// Its welfare change, %.
    pub welfare_pct: f64,
}

/// The outcomes under each retaliation rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetaliateOut {
    /// The world.
    pub world: String,
    /// The target.
    pub target: String,
    /// The target's tariffs.
    pub tariffs: String,
    /// The retaliators.
    pub retaliators: Vec<String>,
    /// One headline per rule.
    pub rules: Vec<RuleOut>,
    /// Every country under every rule (the target's rows last).
    pub countries: Vec<RetaliationCountryOut>,
    /// Medians and 90 % bands under drawn parameters (with `draws`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bands: Option<RetaliationBands>,
}

fn aggressor(body: &RetaliateBody) -> Result<AggressorTariff, ApiError> {
    let tariff = body.tariff.as_deref().map(str::to_ascii_lowercase);
    let which = match tariff.as_deref() {
        None | Some("optimal") => AggressorTariff::Optimal,
        Some("numerical") => AggressorTariff::Numerical,
        Some("liberation-day" | "liberation_day") => AggressorTariff::LiberationDay,
        Some("uniform") => match body.rate {
            Some(r) => AggressorTariff::Uniform(r),
            None => {
                return Err(ApiError::bad_request(
                    "rate: expected a fraction with tariff \"uniform\", found none",
                ))
            }
        },
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "tariff: expected optimal, numerical, liberation-day or uniform, found {other:?}"
            )))
        }
    };
    if body.rate.is_some() && !matches!(which, AggressorTariff::Uniform(_)) {
        return Err(ApiError::bad_request("rate: only with tariff \"uniform\""));
    }
    Ok(which)
}

/// The service names the uniform rate `tariff` (the CLI's `--tariff 0.2`); in this body it is
/// `rate`.
fn uniform_rate(e: ServiceError, uniform: bool) -> ServiceError {
    match e {
        ServiceError::BadInput {
            field: Some("tariff"),
            message,
        } if uniform => ServiceError::bad_field("rate", message),
        other => other,
    }
}

/// A country's tariffs met by retaliation.
#[utoipa::path(post, path = "/api/v1/strategy/retaliate", tag = "compute", security(("bearer" = [])),
    request_body = RetaliateBody,
    responses((status = 200, body = RetaliateOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "the caller has as many computations as one may (Retry-After)"),
        (status = 503, body = ErrorBody, description = "queue full, deadline passed or shutting down (Retry-After)")))]
pub async fn retaliate(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<RetaliateBody>,
) -> Result<Json<RetaliateOut>, ApiError> {
    let tariff = aggressor(&body)?;
    let uniform = matches!(tariff, AggressorTariff::Uniform(_));
    let draws = super::scenarios::checked(body.draws.unwrap_or(0), body.seed.unwrap_or(1))?;
    let listed = body.by.as_ref().map_or(0, Vec::len) + body.rates.as_ref().map_or(0, Vec::len);
    if listed > MAX_LIST {
        return Err(ApiError::bad_request(format!(
            "by, rates: expected at most {MAX_LIST} entries, found {listed}"
        )));
    }
    let request = RetaliateRequest {
        country: body.country.unwrap_or_else(|| "USA".into()),
        tariff,
        by: body.by,
        rates: body
            .rates
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.by, r.rate))
            .collect(),
    };
    let st = state.clone();
    let out = state
        .solve(&caller, move |stop| {
            on_factual_world(&st, None, stop, |game| {
                let cal = game.cal;
                let r = service::retaliate(game, &request).map_err(|e| uniform_rate(e, uniform))?;
                let bands = match &draws {
                    None => None,
                    Some(req) => {
                        let file = service::default_scenario()?;
                        let setup = RetaliationSetup {
                            world: game.world,
                            file: &file,
                            origin: "the factual tariffs",
                            from_scenario: false,
                            revenue: None,
                        };
                        let exec = Exec {
                            sequential: true,
                            stop: game.stop.cloned().unwrap_or_default(),
                            progress: None,
                        };
                        let rules: Vec<String> = r.cases.iter().map(|c| c.rule.clone()).collect();
                        Some(retaliation_bands(&setup, &request, &rules, req, &exec)?)
                    }
                };
                let finite = |v: f64| v.is_finite().then_some(v);
                Ok(RetaliateOut {
                    world: game.world.source.clone(),
                    target: cal.countries[r.target].clone(),
                    tariffs: r.tariffs_label.clone(),
                    retaliators: r
                        .retaliators
                        .iter()
                        .map(|&i| cal.countries[i].clone())
                        .collect(),
                    rules: r
                        .summaries(cal)
                        .into_iter()
                        .map(|s| RuleOut {
                            rule: s.rule,
                            description: s.description,
                            target_welfare_pct: s.target_welfare_pct,
                            retaliators_welfare_pct: s.retaliators_welfare_pct,
                            world_trade_to_gdp_pct: s.world_trade_to_gdp_pct,
                        })
                        .collect(),
                    countries: r
                        .rows(cal)
                        .into_iter()
                        .map(|row| RetaliationCountryOut {
                            rule: row.rule,
                            iso3: row.iso3,
                            rate_on_target_pct: finite(row.rate_on_target_pct),
                            target_rate_on_it_pct: finite(row.target_rate_on_it_pct),
                            welfare_pct: row.welfare_pct,
                        })
                        .collect(),
                    bands,
                })
            })
        })
        .await?;
    Ok(Json(out))
}
