//! The read-and-compute routes: countries, formula, tariffs, the average, scenarios.

use axum::http::StatusCode;
use serde_json::json;

use super::common::{app, call};

#[tokio::test]
async fn formula_rows_match_the_published_chart() {
    let app = app();
    let t = Some(app.tokens.analyst.as_str());
    let r = call(&app, "GET", "/api/v1/formula", t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // The document `reciprocity formula --format json` prints: parameters, summary, rows.
    assert_eq!(r.body["rounding"], "official");
    assert_eq!(r.body["summary"]["chart_partners"], 185);
    let rows = r.body["rows"].as_array().unwrap();
    // China 2024 (Census): x = 143.5 bn, m = 438.9 bn → 67% charged, 34% reciprocal, as on the chart.
    let chn = rows.iter().find(|r| r["iso3"] == "CHN").unwrap();
    assert_eq!(chn["charged_pct"], 67.0);
    assert_eq!(chn["reciprocal_pct"], 34.0);
    assert_eq!(chn["official_charged_pct"], 67.0);
    assert_eq!(chn["official_reciprocal_pct"], 34.0);
    let (x, m) = (
        chn["us_exports_usd"].as_f64().unwrap(),
        chn["us_imports_usd"].as_f64().unwrap(),
    );
    // The row carries the embedded Census table's figures, and the deficit share is theirs.
    let (x0, m0) = reciprocity_data::embedded::census_trade("CHN").unwrap();
    assert_eq!((x, m), (x0, m0));
    assert!((chn["deficit_pct"].as_f64().unwrap() - 100.0 * (m0 - x0) / m0).abs() < 1e-9);
    // Sorted by US imports, largest first; the EU is one row.
    let imports: Vec<f64> = rows
        .iter()
        .map(|r| r["us_imports_usd"].as_f64().unwrap())
        .collect();
    assert!(imports.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(rows.iter().filter(|r| r["iso3"] == "EUU").count(), 1);
    // No rounding, full pass-through: China's charged rate is the exact ratio / (4 × 1).
    let r = call(
        &app,
        "GET",
        "/api/v1/formula?rounding=none&pass_through=1&floor=0",
        t,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let chn = r.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["iso3"] == "CHN")
        .unwrap()
        .clone();
    let exact = 100.0 * (m - x) / m / 4.0;
    assert!((chn["charged_pct"].as_f64().unwrap() - exact).abs() < 1e-9);
    // Bad values name the parameter.
    let r = call(&app, "GET", "/api/v1/formula?rounding=up", t, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("rounding: "), "{}", r.message());
    let r = call(&app, "GET", "/api/v1/formula?floor=abc", t, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().contains("floor"), "{}", r.message());
    let r = call(&app, "GET", "/api/v1/formula?discount=2", t, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tariffs_at_a_date_and_the_average() {
    let app = app();
    let t = Some(app.tokens.jpn.as_str());
    // During the pause (April 10, 2025) Japan pays the 10% baseline; its 24% is suspended.
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs?date=2025-04-10&partner=JPN",
        t,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let rows = r.body.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["partner"], "JPN");
    assert_eq!(rows[0]["total_pct"], 10.0);
    let measures = rows[0]["measures"].as_array().unwrap();
    assert!(
        measures.iter().any(
            |m| m["status"].as_str().unwrap().starts_with("suspended") && m["rate_pct"] == 24.0
        ),
        "{measures:#?}"
    );
    let applied: f64 = measures
        .iter()
        .filter(|m| m["applied"] == true)
        .map(|m| m["rate_pct"].as_f64().unwrap())
        .sum();
    assert_eq!(applied, 10.0);
    // Before April 5, 2025 no reciprocal measure applied to Japan.
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs?date=2025-03-01&partner=Japan",
        t,
        None,
    )
    .await;
    assert_eq!(r.body[0]["total_pct"], 0.0);
    // Every partner by default.
    let r = call(&app, "GET", "/api/v1/tariffs?date=2025-04-10", t, None).await;
    assert_eq!(
        r.body.as_array().unwrap().len(),
        reciprocity_service::tariffs::all_partners().len()
    );
    let r = call(&app, "GET", "/api/v1/tariffs?date=10/04/2025", t, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("date: "));

    // The average: one row per change, starting on `from`, rising after April 5, 2025.
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs/average?from=2025-01-01&to=2025-12-31",
        t,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let points = r.body["points"].as_array().unwrap();
    assert_eq!(points[0]["date"], "2025-01-01");
    assert_eq!(points[0]["additional_pct"], 0.0);
    assert!(points.len() > 3);
    let dates: Vec<&str> = points.iter().map(|p| p["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] < w[1]));
    let after = points
        .iter()
        .rfind(|p| p["date"].as_str().unwrap() <= "2025-04-10")
        .unwrap();
    assert!(after["additional_pct"].as_f64().unwrap() > 5.0, "{after}");
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs/average?from=2025-05-01&to=2025-04-01",
        t,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn scenarios_solve_and_a_zero_shock_changes_nothing() {
    let app = app();
    let t = Some(app.tokens.analyst.as_str());
    // No tariff layer: the calibrated equilibrium itself; every change is zero.
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"name": "nothing"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["scenario"], "nothing");
    let countries = r.body["countries"].as_array().unwrap();
    assert!(countries.len() > 100);
    for c in countries {
        assert!(c["welfare_pct"].as_f64().unwrap().abs() < 1e-8, "{c}");
    }
    // A 10% US tariff on everyone: solved, the US row is there, others lose; `by_sector` adds a
    // row per country x sector (one sector here: US imports fall).
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({
            "name": "ten",
            "by_sector": true,
            "report_groups": ["non-USA"],
            "tariffs": [{"importers": ["USA"], "exporters": ["all"], "rate": 0.10}]
        })),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["solver"][0]["termination"], "converged");
    assert!(r.body["solver"][0]["max_residual"].as_f64().unwrap() < 1e-6);
    let usa = r.body["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["iso3"] == "USA")
        .unwrap();
    assert!(usa["revenue_share"].as_f64().unwrap() > 0.0);
    let rows = r.body["by_sector"].as_array().unwrap();
    assert_eq!(rows.len(), countries.len());
    let us = rows.iter().find(|c| c["iso3"] == "USA").unwrap();
    assert!(us["imports_pct"].as_f64().unwrap() < 0.0, "{us}");
    assert!(
        (us["tariff_after_pct"].as_f64().unwrap() - 10.0).abs() < 1e-9,
        "{us}"
    );
    assert_eq!(r.body["groups"][0]["group"], "non-USA");
    assert!(
        r.body["groups"][0]["welfare_pct"].as_f64().unwrap() < 0.0,
        "{}",
        r.body["groups"]
    );
    // The schema's rules hold: unknown keys name themselves.
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"tariffs": [{"importers": ["USA"], "exporters": ["all"], "rat": 0.1}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.message().contains("tariffs[0]") && r.message().contains("`rat`"),
        "{}",
        r.message()
    );
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"tariffs": [{"importers": ["XXX"], "exporters": ["all"], "rate": 0.1}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"by_sector": "yes"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    assert!(
        r.message().contains("by_sector: expected true or false"),
        "{}",
        r.message()
    );
}

#[tokio::test]
async fn countries_and_me() {
    let app = app();
    let r = call(
        &app,
        "GET",
        "/api/v1/countries",
        Some(&app.tokens.analyst),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let kor = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["iso3"] == "KOR")
        .unwrap()
        .clone();
    assert_eq!(kor["iso2"], "KR");
    let r = call(&app, "GET", "/api/v1/me", Some(&app.tokens.analyst), None).await;
    assert_eq!(r.body, json!({"name": "analyst", "role": "analyst"}));
    let r = call(&app, "GET", "/api/v1/health", None, None).await;
    assert_eq!(r.body["backend"], "sqlite");
    assert_eq!(r.body["today"], "2025-04-10");
    assert_eq!(
        r.body["schema_version"],
        reciprocity_store::migrate::SCHEMA_VERSION
    );
    assert_eq!(r.body["world"]["name"], "embedded");
}

#[tokio::test]
async fn strategy_optimal_uniform_beats_the_closed_form() {
    let app = app();
    let t = Some(app.tokens.jpn.as_str());
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/optimal",
        t,
        Some(json!({"country": "USA", "by": "uniform"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let b = &r.body;
    let rates = b["rates"].as_array().unwrap();
    assert_eq!(rates.len(), 1);
    let rate = rates[0]["rate_pct"].as_f64().unwrap();
    // One uniform rate: its import-weighted average is itself.
    assert!((b["numerical_uniform_equivalent_pct"].as_f64().unwrap() - rate).abs() < 1e-9);
    // The numerical optimum is at least as good as the closed-form rate, and better than the
    // factual tariffs (0 by construction); it is interior (0 < t < 500%).
    let w = b["welfare_pct"].as_f64().unwrap();
    let w_cf = b["welfare_at_closed_form_pct"].as_f64().unwrap();
    assert!(w >= w_cf - 1e-9, "{w} < {w_cf}");
    assert!(w > 0.0);
    assert!(rate > 0.0 && rate < 500.0, "{rate}");
    let cf = b["closed_form_expenditure_pct"].as_f64().unwrap();
    assert!(cf > 0.0 && cf < 100.0, "{cf}");
    // Bad input names the field.
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/optimal",
        t,
        Some(json!({"country": "USA", "by": "sector"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("by: "), "{}", r.message());
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/optimal",
        t,
        Some(json!({"country": "Atlantis"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("country: "), "{}", r.message());
}

#[tokio::test]
async fn scenario_draws_give_bands_and_the_cap_is_a_422_naming_draws() {
    let app = app();
    let t = Some(app.tokens.analyst.as_str());
    let ten = json!([{"importers": ["USA"], "exporters": ["all"], "rate": 0.10}]);
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"name": "ten", "tariffs": ten, "draws": 501, "seed": 1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert!(r.message().starts_with("draws:"), "{}", r.message());
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"name": "ten", "tariffs": ten, "draws": 4, "seed": 7})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let bands = &r.body["bands"];
    assert_eq!(
        (bands["draws"].as_u64(), bands["seed"].as_u64()),
        (Some(4), Some(7))
    );
    assert_eq!(bands["failed"], 0);
    let us = bands["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["iso3"] == "USA")
        .unwrap();
    let w = &us["welfare_pct"];
    assert!(
        w["p05"].as_f64().unwrap() <= w["p95"].as_f64().unwrap(),
        "{w}"
    );
    // Without draws, no bands; a draws of the wrong type is a 400 naming it.
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"name": "ten", "tariffs": ten})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.get("bands").is_none());
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        t,
        Some(json!({"draws": "many"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("draws:"), "{}", r.message());
    // The retaliation route has the same cap.
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/retaliate",
        t,
        Some(json!({"tariff": "uniform", "rate": 0.2, "draws": 501})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert!(r.message().starts_with("draws:"), "{}", r.message());
}
