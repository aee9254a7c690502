//! `POST /scenarios`: a scenario in the schema of the TOML scenario files, sent as JSON, solved
//! on the embedded world (calibrations are cached per parameter set for the server's life). The
//! answer is the document `reciprocity simulate --format json` prints
//! (`reciprocity_service::scenario_report`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use reciprocity_scenario::ScenarioFile;
use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput, World};
use reciprocity_service::scenario_report::{self, ScenarioReport};

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
/// `retaliation`, `report_groups`; rates are fractions).
#[utoipa::path(post, path = "/api/v1/scenarios", tag = "compute", security(("bearer" = [])),
    request_body(content = Object, description = "A scenario in the schema of the TOML scenario files, as JSON",
        example = json!({"name": "Liberation Day", "model": {"preset": "ilms"},
            "tariffs": [{"importers": ["USA"], "exporters": ["all"], "official": "2025-04-02-annex"}]})),
    responses((status = 200, body = ScenarioReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "the caller has as many computations as one may (Retry-After)"),
        (status = 503, body = ErrorBody, description = "queue full, deadline passed or shutting down (Retry-After)")))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(file): ApiJson<ScenarioFile>,
) -> Result<Json<ScenarioReport>, ApiError> {
    let st = state.clone();
    let out = state
        // One solve after the calibration: the stop is checked when the job starts.
        .solve(&caller, move |_stop| {
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
            Ok(scenario_report::report(&s.world, &r, false))
        })
        .await?;
    Ok(Json(out))
}
