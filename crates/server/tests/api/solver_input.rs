//! Issue 15, item 9: input that makes a solver fail is the caller's error, never a 500. A value
//! outside its meaningful range is a 400 `bad_request`, an in-range value for which the model
//! finds no equilibrium a 422 `unprocessable`; both name the JSON field.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::common::{app, call, App};

/// POST `body` to `path` as the analyst; the answer must be a 400 or 422 naming `field`.
async fn refused(app: &App, path: &str, body: Value, field: &str) -> (StatusCode, String) {
    let r = call(
        app,
        "POST",
        path,
        Some(&app.tokens.analyst),
        Some(body.clone()),
    )
    .await;
    assert!(
        r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{path} {body}: {} {:?}",
        r.status,
        r.body
    );
    assert!(
        r.message().contains(field),
        "{path} {body}: expected {field:?} in {:?}",
        r.message()
    );
    (r.status, r.message().to_string())
}

/// Before: a shift of 1e308 overflowed the calibration and the answer was a 500.
#[tokio::test]
async fn a_passthrough_shift_out_of_range_is_400_naming_the_field() {
    let app = app();
    for shift in [1e308, -3.0, 50.0] {
        let (status, _) = refused(
            &app,
            "/api/v1/scenarios",
            json!({"name": "x", "model": {"passthrough_shift": shift}}),
            "model.passthrough_shift",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{shift}");
    }
}

/// Before: 422 "solving explicit retaliation: GIN: no equilibrium ..." (no field named) for the
/// explicit rate, 422 "solving the case without retaliation: ..." for the uniform one.
#[tokio::test]
async fn retaliation_at_minus_99_9_percent_is_400_naming_the_field() {
    let app = app();
    let (status, message) = refused(
        &app,
        "/api/v1/strategy/retaliate",
        json!({"rates": [{"by": "CHN", "rate": -0.999}]}),
        "rates: ",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
    let (status, message) = refused(
        &app,
        "/api/v1/strategy/retaliate",
        json!({"tariff": "uniform", "rate": -0.999}),
        "rate: ",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
    assert!(message.starts_with("rate: "), "{message}");
}

/// A scenario's rates may be negative (a subsidy, or a cut added to a layer: `add = true`); one
/// for which no equilibrium exists is a 422 naming the country and the condition (already so
/// before these changes).
#[tokio::test]
async fn a_scenario_without_equilibrium_is_422_naming_the_country() {
    let app = app();
    for body in [
        json!({"retaliation": [{"rule": "explicit", "rate": -0.999, "target": "USA", "by": ["CHN"]}]}),
        json!({"tariffs": [{"importers": ["USA"], "exporters": ["all"], "rate": -0.999}]}),
        // An "optimal" tariff for every importer at once.
        json!({"tariffs": [{"importers": ["all"], "exporters": ["all"], "optimal": "expenditure"}]}),
    ] {
        let (status, message) = refused(&app, "/api/v1/scenarios", body, "no equilibrium").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
    }
}
