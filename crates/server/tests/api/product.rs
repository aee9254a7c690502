//! Public product-level reference data: the total duty on an HTS line and the effective rate,
//! without a token.

use axum::http::StatusCode;

use super::common::{app, call};

#[tokio::test]
async fn product_duty_and_effective_rate_need_no_token() {
    let app = app();
    // Japanese cars on 2025-08-07: 25 (Proclamation 10908, 90 FR 14705) + 2.5 MFN.
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs/product?hts=8703.23.01&partner=JPN&date=2025-08-07",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["duty"]["total_pct"], 27.5);
    assert_eq!(r.body["duty"]["mfn_pct"], 2.5);
    let measures = r.body["duty"]["measures"].as_array().unwrap();
    assert!(measures
        .iter()
        .any(|m| m["measure"] == "s232-autos-vehicles" && m["status"] == "applied"));
    // The address, `GET /tariffs?hts=&partner=&date=`, answers the same document.
    let same = call(
        &app,
        "GET",
        "/api/v1/tariffs?hts=8703.23.01&partner=JPN&date=2025-08-07",
        None,
        None,
    )
    .await;
    assert_eq!(same.status, StatusCode::OK, "{:?}", same.body);
    assert_eq!(same.body, r.body);
    let r = call(&app, "GET", "/api/v1/tariffs?hts=8703.23.01", None, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("partner: "), "{}", r.message());
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs/product?hts=87&partner=JPN",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Issue 15, item 12: the API's messages name no CLI flag (this one said "with --search").
    assert!(r.message().contains("HTS-8"), "{}", r.message());
    assert!(!r.message().contains("--"), "{}", r.message());
    let r = call(&app, "GET", "/api/v1/etr?date=2025-09-03", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let total = r.body["total_pct"].as_f64().unwrap();
    let sum: f64 = r.body["by_authority"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!(
        (total - sum).abs() < 1e-6 && total > 10.0,
        "{total} vs {sum}"
    );
    assert!(r.body["meta"]["excluded"]
        .as_str()
        .unwrap()
        .contains("AD/CVD"));
    let r = call(
        &app,
        "GET",
        "/api/v1/etr?date=2025-09-03&from=2025-01-01",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn costs_need_no_token_and_name_bad_fields() {
    let app = app();
    let r = call(&app, "GET", "/api/v1/costs?date=2025-09-04", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    for key in [
        "etr_increase_pts",
        "price_level_pct",
        "cost_per_household_usd",
        "revenue_usd_bn",
        "revenue_10y_usd_bn",
    ] {
        assert!(r.body[key].is_number(), "{key}: {:?}", r.body);
    }
    assert_eq!(r.body["date"], "2025-09-04");
    let increase = r.body["etr_increase_pts"].as_f64().unwrap();
    let price = r.body["price_level_pct"].as_f64().unwrap();
    assert!(increase > 5.0 && (price - increase * 0.107).abs() < 1e-9);
    let r = call(
        &app,
        "GET",
        "/api/v1/costs?date=2025-09-04&pass_through=140",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    assert!(r.body.to_string().contains("pass_through"), "{:?}", r.body);
}

#[tokio::test]
async fn product_search_finds_watches_without_a_token() {
    let app = app();
    // "wrist" finds the Census abbreviation WRST, "watches" the singular.
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs/search?q=wrist%20watches&limit=5",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let lines = r.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 5, "{:?}", r.body);
    for l in lines {
        let d = l["description"].as_str().unwrap().to_uppercase();
        assert!(d.contains("WRIST") || d.contains("WRST"), "{d}");
        assert!(l["hts10"].as_str().unwrap().starts_with("91"), "{l:?}");
    }
    let r = call(&app, "GET", "/api/v1/tariffs/search?q=9102", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(r.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["hts10"].as_str().unwrap().starts_with("9102")));
    let r = call(
        &app,
        "GET",
        "/api/v1/tariffs/search?q=watches&limit=0",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("limit: "), "{}", r.message());
    let r = call(&app, "GET", "/api/v1/tariffs/search?q=%20", None, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("q: "), "{}", r.message());
}
