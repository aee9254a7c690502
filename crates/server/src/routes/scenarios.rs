//! `POST /scenarios`: a scenario in the schema of the TOML scenario files, sent as JSON, solved
//! on the embedded world (calibrations are cached per parameter set for the server's life). The
//! answer is the document `reciprocity simulate --format json` prints
//! (`reciprocity_service::scenario_report`). With `draws` (at most [`MAX_DRAWS`]) and `seed` in
//! the body, the answer carries the bands of every headline number (`bands`,
//! `reciprocity_service::bands`), the draws run one after the other inside the request's one
//! compute permit. With `"by_sector": true`, also every country x sector (`by_sector`,
//! `reciprocity_service::sector_outputs`, as `simulate --by-sector`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use reciprocity_scenario::ScenarioFile;
use reciprocity_service::bands::{scenario::scenario_bands, DrawRequest, Exec};
use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput, World};
use reciprocity_service::scenario_report::{self, ScenarioReport};
use reciprocity_service::sector_outputs;
use serde_json::{Map, Value};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::json::Json;
use crate::AppState;

/// The scenario world and its calibrations (shared with the strategy routes).
pub(crate) struct Scenarios {
    pub(crate) world: World,
    pub(crate) cache: Mutex<CalibrationCache>,
}

/// Solve a scenario (the scenario files' schema as JSON: `name`, `model`, `tariffs`,
/// `retaliation`, `report_groups`; rates are fractions), with `draws` (at most 500) and `seed`
/// for uncertainty bands, and `by_sector` for the country x sector rows.
#[utoipa::path(post, path = "/api/v1/scenarios", tag = "compute", security(("bearer" = [])),
    request_body(content = Object, description = "A scenario in the schema of the TOML scenario files, as JSON",
        example = json!({"name": "Liberation Day", "model": {"preset": "ilms"},
            "tariffs": [{"importers": ["USA"], "exporters": ["all"], "official": "2025-04-02-annex"}]})),
    responses((status = 200, body = ScenarioReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "more draws than the cap (`draws`), or no equilibrium"),
        (status = 429, body = ErrorBody, description = "the caller has as many computations as one may (Retry-After)"),
        (status = 503, body = ErrorBody, description = "queue full, deadline passed or shutting down (Retry-After)")))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(mut body): ApiJson<Map<String, Value>>,
) -> Result<Json<ScenarioReport>, ApiError> {
    let draws = draw_request(&mut body)?;
    let by_sector = match body.remove("by_sector") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(v) => {
            return Err(ApiError::bad_request(format!(
                "by_sector: expected true or false, found {v}"
            )))
        }
    };
    let file: ScenarioFile = crate::extract::from_value(Value::Object(body))?;
    let st = state.clone();
    let out = state
        // One solve after the calibration (the stop is checked when the job starts), and the
        // draws, each checking it.
        .solve(&caller, move |stop| {
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
            let mut doc = scenario_report::report(&s.world, &r, false);
            doc.by_sector = by_sector.then(|| sector_outputs::sector_rows(&s.world, &r));
            if let Some(req) = draws {
                let exec = Exec {
                    sequential: true,
                    stop: stop.clone(),
                    progress: None,
                };
                doc.bands = Some(scenario_bands(&s.world, &input, &r, &req, &exec)?);
            }
            Ok(doc)
        })
        .await?;
    Ok(Json(out))
}

/// Most draws one request may ask for: 500 solves of the embedded world take a few seconds of
/// one permit, well within the solve deadline.
pub(crate) const MAX_DRAWS: usize = 500;

/// Take `draws` and `seed` out of a body: `None` without draws (or with 0); 400 for a value of
/// the wrong type, 422 for more than [`MAX_DRAWS`] draws.
pub(crate) fn draw_request(body: &mut Map<String, Value>) -> Result<Option<DrawRequest>, ApiError> {
    let draws = body.remove("draws");
    let seed = body.remove("seed");
    let draws = match draws {
        None | Some(Value::Null) => 0,
        Some(v) => v.as_u64().ok_or_else(|| {
            ApiError::bad_request(format!(
                "draws: expected a whole number of draws, found {v}"
            ))
        })?,
    };
    let seed = match seed {
        None | Some(Value::Null) => 1,
        Some(v) => v.as_u64().ok_or_else(|| {
            ApiError::bad_request(format!("seed: expected a whole number, found {v}"))
        })?,
    };
    checked(draws, seed)
}

/// The draws asked for, or 422 naming `draws` above [`MAX_DRAWS`].
pub(crate) fn checked(draws: u64, seed: u64) -> Result<Option<DrawRequest>, ApiError> {
    if draws > MAX_DRAWS as u64 {
        return Err(ApiError::unprocessable(format!(
            "draws: expected at most {MAX_DRAWS} draws, found {draws}"
        )));
    }
    Ok((draws > 0).then(|| DrawRequest::new(draws as usize, seed)))
}
