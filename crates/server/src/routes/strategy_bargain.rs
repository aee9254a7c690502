//! `POST /strategy/bargain`: trade talks between a country (default the US) and a partner or bloc
//! over the pair of bilateral tariffs on the server's world, from a disagreement point (no deal,
//! or a Nash tariff war): the Pareto frontier, the Nash bargaining solution with each side's gain,
//! and the Bagwell–Staiger check. The use case is `reciprocity_service::strategy::bargain`, as for
//! `reciprocity strategy bargain`.
//!
//! Bounded in time: the frontier has `points` points (default [`DEFAULT_POINTS`], at most
//! [`MAX_POINTS`]), each a search over the two rates; a war is among at most [`MAX_WAR_PLAYERS`]
//! players named in `war_players`.

use axum::extract::State;
use reciprocity_model::strategy::Instrument;
use reciprocity_service::strategy::{self as service, BargainRequest, Threat};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::strategy::on_factual_world;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::json::Json;
use crate::AppState;

/// Frontier points when the request names none.
pub const DEFAULT_POINTS: usize = 11;
/// Most frontier points a request may ask for.
pub const MAX_POINTS: usize = 41;
/// Most players of a war a request may ask for (each is a best-response search per round).
pub const MAX_WAR_PLAYERS: usize = 12;

/// `POST /strategy/bargain`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BargainBody {
    /// The partner: an ISO3 code or a bloc (EU27, ...).
    pub partner: String,
    /// Home (ISO3 or bloc; default `USA`).
    pub country: Option<String>,
    /// The disagreement point: `nodeal` (default: for the US, its Liberation Day rates mirrored
    /// by the partner; else the factual tariffs) or `war` (the Nash war among `war_players`,
    /// under the lump-sum rebate of tariff revenue).
    pub threat: Option<String>,
    /// The players of the war (ISO3 codes or blocs; required with `threat: war`, at most 12).
    pub war_players: Option<Vec<String>>,
    /// Home's bargaining weight in (0, 1) (default 0.5: the symmetric Nash solution).
    pub weight: Option<f64>,
    /// Points on the Pareto frontier (default 11, 2 to 41).
    pub points: Option<usize>,
}

/// A pair of tariff schedules and what each side gets.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealOut {
    /// Home's rates on the partner, one per control, %.
    pub home_rates_pct: Vec<f64>,
    /// The partner's rates on home, %.
    pub partner_rates_pct: Vec<f64>,
    /// Home's welfare change, % vs the factual tariffs.
    pub home_welfare_pct: f64,
    /// The partner's welfare change, %.
    pub partner_welfare_pct: f64,
}

/// The Bagwell–Staiger check of the solution against the disagreement point.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReciprocityOut {
    /// Home's bilateral terms of trade change, % (0 when reciprocal).
    pub terms_of_trade_pct: f64,
    /// Gap of the import-volume changes at fixed world prices, % of bilateral trade.
    pub imbalance_pct: f64,
    /// Home's import-volume change from the partner.
    pub home_import_change: f64,
    /// The partner's import-volume change from home.
    pub partner_import_change: f64,
    /// Whether the deal is reciprocal (terms of trade within 0.1%).
    pub reciprocal: bool,
    /// The partner's rate (%) that would make home's side of the deal reciprocal (null: none in
    /// [0, 500%]).
    pub reciprocal_partner_rate_pct: Option<f64>,
}

/// One point of the Pareto frontier (max ω·W_home + (1−ω)·W_partner).
#[derive(Debug, Serialize, ToSchema)]
pub struct FrontierOut {
    /// ω.
    pub omega: f64,
    /// Home's import-weighted rate on the partner, %.
    pub home_rate_pct: f64,
    /// The partner's rate on home, %.
    pub partner_rate_pct: f64,
    /// Home's welfare change, %.
    pub home_welfare_pct: f64,
    /// The partner's welfare change, %.
    pub partner_welfare_pct: f64,
    /// Home's gain over the disagreement point, points.
    pub home_gain: f64,
    /// The partner's gain, points.
    pub partner_gain: f64,
}

/// The talks.
#[derive(Debug, Serialize, ToSchema)]
pub struct BargainOut {
    /// The world.
    pub world: String,
    /// Home.
    pub home: String,
    /// The partner.
    pub partner: String,
    /// The disagreement point.
    pub threat: String,
    /// Home's weight.
    pub weight: f64,
    /// The controls (one per side).
    pub controls: Vec<String>,
    /// The disagreement point.
    pub disagreement: DealOut,
    /// The Nash bargaining solution.
    pub solution: DealOut,
    /// Home's gain at the solution, points.
    pub home_gain: f64,
    /// The partner's gain, points.
    pub partner_gain: f64,
    /// The log Nash product at the solution.
    pub log_nash_product: f64,
    /// The Bagwell–Staiger check.
    pub reciprocity: ReciprocityOut,
    /// Equilibrium solves.
    pub solves: usize,
    /// The Pareto frontier.
    pub frontier: Vec<FrontierOut>,
}

fn deal(d: service::DealSummary) -> DealOut {
    DealOut {
        home_rates_pct: d.home_rates_pct,
        partner_rates_pct: d.partner_rates_pct,
        home_welfare_pct: d.home_welfare_pct,
        partner_welfare_pct: d.partner_welfare_pct,
    }
}

impl From<service::BargainSummary> for BargainOut {
    fn from(s: service::BargainSummary) -> Self {
        let r = s.reciprocity;
        BargainOut {
            world: s.world,
            home: s.home,
            partner: s.partner,
            threat: s.threat,
            weight: s.weight,
            controls: s.controls,
            disagreement: deal(s.disagreement),
            solution: deal(s.solution),
            home_gain: s.home_gain,
            partner_gain: s.partner_gain,
            log_nash_product: s.log_nash_product,
            reciprocity: ReciprocityOut {
                terms_of_trade_pct: r.terms_of_trade_pct,
                imbalance_pct: r.imbalance_pct,
                home_import_change: r.home_import_change,
                partner_import_change: r.partner_import_change,
                reciprocal: r.reciprocal,
                reciprocal_partner_rate_pct: r.reciprocal_partner_rate_pct,
            },
            solves: s.solves,
            frontier: s
                .frontier
                .into_iter()
                .map(|f| FrontierOut {
                    omega: f.omega,
                    home_rate_pct: f.home_rate_pct,
                    partner_rate_pct: f.partner_rate_pct,
                    home_welfare_pct: f.home_welfare_pct,
                    partner_welfare_pct: f.partner_welfare_pct,
                    home_gain: f.home_gain,
                    partner_gain: f.partner_gain,
                })
                .collect(),
        }
    }
}

/// The service request of a body (the bounds of this route checked).
pub fn request(body: BargainBody) -> Result<BargainRequest, ApiError> {
    let threat = match body
        .threat
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("nodeal") => {
            if body.war_players.is_some() {
                return Err(ApiError::bad_request(
                    "war_players: only with threat \"war\"",
                ));
            }
            Threat::NoDeal
        }
        Some("war") => match body.war_players {
            Some(list) if (2..=MAX_WAR_PLAYERS).contains(&list.len()) => Threat::War(Some(list)),
            Some(list) => {
                return Err(ApiError::bad_request(format!(
                    "war_players: expected 2 to {MAX_WAR_PLAYERS} players, found {}",
                    list.len()
                )))
            }
            None => {
                return Err(ApiError::bad_request(format!(
                    "war_players: required with threat \"war\" (2 to {MAX_WAR_PLAYERS} players)"
                )))
            }
        },
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "threat: expected nodeal or war, found {other:?}"
            )))
        }
    };
    let points = body.points.unwrap_or(DEFAULT_POINTS);
    if !(2..=MAX_POINTS).contains(&points) {
        return Err(ApiError::bad_request(format!(
            "points: expected 2 to {MAX_POINTS}, found {points}"
        )));
    }
    Ok(BargainRequest {
        home: body.country.unwrap_or_else(|| "USA".into()),
        partner: body.partner,
        threat,
        weight: body.weight.unwrap_or(0.5),
        instrument: Instrument::Uniform,
        points,
    })
}

/// Trade talks: Pareto frontier and Nash bargaining solution.
#[utoipa::path(post, path = "/api/v1/strategy/bargain", tag = "compute", security(("bearer" = [])),
    request_body = BargainBody,
    responses((status = 200, body = BargainOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "the caller has as many computations as one may (Retry-After)"),
        (status = 503, body = ErrorBody, description = "queue full, deadline passed or shutting down (Retry-After)")))]
pub async fn bargain(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<BargainBody>,
) -> Result<Json<BargainOut>, ApiError> {
    let request = request(body)?;
    let st = state.clone();
    let out = state
        .solve(&caller, move |stop| {
            let revenue = request.threat.revenue(None);
            on_factual_world(&st, revenue, stop, |game| {
                let outcome = service::bargain(game, &request, &|_| {}, &|_, _| {})?;
                Ok(BargainOut::from(outcome.summary))
            })
        })
        .await?;
    Ok(Json(out))
}
