//! `/strategy/retaliate` and `/strategy/bargain` on the embedded world: the same numbers as the
//! service called directly (the CLI's use cases), and the economics they must satisfy.

use axum::http::StatusCode;
use reciprocity_model::strategy::Instrument;
use reciprocity_service::scenario::load_world;
use reciprocity_service::strategy::{
    self as service, AggressorTariff, BargainRequest, RetaliateRequest, Setup, Threat,
};
use serde_json::{json, Value};

use super::common::{app, call};

/// The embedded world from the factual tariffs, as `reciprocity strategy ...` sets it up.
fn setup() -> Setup {
    service::setup_on(load_world(None).unwrap(), None, None).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

/// Equal up to the JSON round trip of an f64.
fn same(api: &Value, direct: f64, what: &str) {
    let a = num(api);
    assert!(
        (a - direct).abs() <= 1e-9 * (1.0 + direct.abs()),
        "{what}: API {a} vs service {direct}"
    );
}

#[tokio::test]
async fn retaliation_against_liberation_day_matches_the_service_and_costs_the_us() {
    let app = app();
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/retaliate",
        Some(&app.tokens.analyst),
        Some(json!({"country": "USA", "tariff": "liberation-day"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let b = &r.body;

    let s = setup();
    let direct = service::retaliate(
        s.game(),
        &RetaliateRequest {
            country: "USA".into(),
            tariff: AggressorTariff::LiberationDay,
            by: None,
            rates: Vec::new(),
        },
    )
    .unwrap();
    let summaries = direct.summaries(&s.cal);
    assert_eq!(b["target"], "USA");
    assert_eq!(b["tariffs"], direct.tariffs_label.as_str());
    assert_eq!(b["retaliators"].as_array().unwrap().len(), s.cal.n - 1);
    let rules = b["rules"].as_array().unwrap();
    let names: Vec<&str> = rules.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(names, ["none", "reciprocal", "optimal"]);
    for (api, d) in rules.iter().zip(&summaries) {
        same(&api["target_welfare_pct"], d.target_welfare_pct, &d.rule);
        same(
            &api["retaliators_welfare_pct"],
            d.retaliators_welfare_pct,
            &d.rule,
        );
        same(
            &api["world_trade_to_gdp_pct"],
            d.world_trade_to_gdp_pct,
            &d.rule,
        );
    }
    let rows = b["countries"].as_array().unwrap();
    let direct_rows = direct.rows(&s.cal);
    assert_eq!(rows.len(), direct_rows.len());
    assert_eq!(rows.len(), 3 * s.cal.n);
    for (api, d) in rows.iter().zip(&direct_rows) {
        assert_eq!(api["iso3"], d.iso3.as_str());
        same(&api["welfare_pct"], d.welfare_pct, &d.iso3);
        if d.iso3 == "USA" {
            assert!(api["rate_on_target_pct"].is_null());
        } else {
            same(&api["rate_on_target_pct"], d.rate_on_target_pct, &d.iso3);
        }
    }
    // China under reciprocal retaliation mirrors the rate it faces (the Liberation Day column,
    // floor 10%): its rate on the US equals the US rate on it.
    let chn = rows
        .iter()
        .find(|r| r["rule"] == "reciprocal" && r["iso3"] == "CHN")
        .unwrap();
    same(
        &chn["rate_on_target_pct"],
        num(&chn["target_rate_on_it_pct"]),
        "CHN mirror",
    );
    assert!(num(&chn["rate_on_target_pct"]) >= 10.0);

    // Retaliation lowers US welfare against no retaliation.
    let us =
        |rule: &str| num(&rules.iter().find(|r| r["rule"] == rule).unwrap()["target_welfare_pct"]);
    assert!(
        us("reciprocal") < us("none"),
        "{} vs {}",
        us("reciprocal"),
        us("none")
    );
    assert!(
        us("optimal") < us("none"),
        "{} vs {}",
        us("optimal"),
        us("none")
    );
}

#[tokio::test]
async fn retaliation_with_explicit_rates_by_a_bloc() {
    let app = app();
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/retaliate",
        Some(&app.tokens.jpn),
        Some(
            json!({"tariff": "uniform", "rate": 0.2, "by": ["CHN", "EU27"],
            "rates": [{"by": "CHN", "rate": 0.34}, {"by": "EU27", "rate": 0.2}]}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let b = &r.body;
    let s = setup();
    let eu = service::player(&s.cal, &s.world, "EU27").unwrap();
    assert_eq!(
        b["retaliators"].as_array().unwrap().len(),
        1 + eu.members.len()
    );
    let rules = b["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 4);
    assert_eq!(rules[3]["rule"], "explicit");
    assert_eq!(rules[3]["description"], "CHN 34.00%, EU27 20.00%");
    let rate_of = |rule: &str, iso3: &str| {
        num(&b["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule && r["iso3"] == iso3)
            .unwrap()["rate_on_target_pct"])
    };
    same(&json!(rate_of("explicit", "CHN")), 34.0, "CHN explicit");
    same(&json!(rate_of("explicit", "DEU")), 20.0, "DEU explicit");
    // The US's uniform 20% applies to everyone.
    let deu = b["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "none" && r["iso3"] == "DEU")
        .unwrap();
    same(&deu["target_rate_on_it_pct"], 20.0, "US on DEU");
}

#[tokio::test]
async fn bargain_matches_the_service_is_individually_rational_and_on_the_frontier() {
    let app = app();
    let started = std::time::Instant::now();
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/bargain",
        Some(&app.tokens.kor),
        Some(json!({"partner": "CHN", "threat": "nodeal", "weight": 0.5, "points": 5})),
    )
    .await;
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    eprintln!("bargain USA–CHN, 5 frontier points: {seconds:.1} s");
    let b = &r.body;

    let s = setup();
    let direct = service::bargain(
        s.game(),
        &BargainRequest {
            home: "USA".into(),
            partner: "CHN".into(),
            threat: Threat::NoDeal,
            weight: 0.5,
            instrument: Instrument::Uniform,
            points: 5,
        },
        &|_| {},
        &|_, _| {},
    )
    .unwrap()
    .summary;
    assert_eq!(b["home"], "USA");
    assert_eq!(b["partner"], "CHN");
    assert_eq!(b["threat"], direct.threat.as_str());
    same(
        &b["solution"]["home_welfare_pct"],
        direct.solution.home_welfare_pct,
        "solution home",
    );
    same(
        &b["solution"]["partner_welfare_pct"],
        direct.solution.partner_welfare_pct,
        "solution partner",
    );
    same(
        &b["solution"]["home_rates_pct"][0],
        direct.solution.home_rates_pct[0],
        "solution rate",
    );
    same(
        &b["disagreement"]["home_welfare_pct"],
        direct.disagreement.home_welfare_pct,
        "threat home",
    );
    same(&b["log_nash_product"], direct.log_nash_product, "log Nash");
    same(
        &b["reciprocity"]["terms_of_trade_pct"],
        direct.reciprocity.terms_of_trade_pct,
        "terms of trade",
    );
    assert_eq!(b["solves"].as_u64().unwrap() as usize, direct.solves);
    let frontier = b["frontier"].as_array().unwrap();
    assert_eq!(frontier.len(), 5);
    for (api, d) in frontier.iter().zip(&direct.frontier) {
        same(
            &api["home_welfare_pct"],
            d.home_welfare_pct,
            "frontier home",
        );
        same(
            &api["partner_welfare_pct"],
            d.partner_welfare_pct,
            "frontier partner",
        );
    }
    // The no-deal point: the embedded Liberation Day column's rate on China (54%), mirrored.
    same(
        &b["disagreement"]["home_rates_pct"][0],
        54.0,
        "US on CHN, no deal",
    );
    same(
        &b["disagreement"]["partner_rates_pct"][0],
        54.0,
        "CHN on US, no deal",
    );

    // Individually rational: both gain against the threat point.
    let (hg, pg) = (num(&b["home_gain"]), num(&b["partner_gain"]));
    assert!(hg >= 0.0 && pg >= 0.0, "gains {hg}, {pg}");
    same(
        &b["home_gain"],
        num(&b["solution"]["home_welfare_pct"]) - num(&b["disagreement"]["home_welfare_pct"]),
        "home gain",
    );
    // The log Nash product is w ln(gain_home) + (1 − w) ln(gain_partner).
    same(
        &b["log_nash_product"],
        0.5 * hg.ln() + 0.5 * pg.ln(),
        "log Nash product",
    );

    assert_on_the_frontier(b, frontier);
}

/// Every frontier point maximises ω W_home + (1 − ω) W_partner, so the solution is never above
/// it; no frontier point beats it for both sides; and it lies between the frontier's extremes, at
/// or above the chord of the two points around it.
fn assert_on_the_frontier(b: &serde_json::Value, frontier: &[serde_json::Value]) {
    let (sh, sp) = (
        num(&b["solution"]["home_welfare_pct"]),
        num(&b["solution"]["partner_welfare_pct"]),
    );
    let pts: Vec<(f64, f64, f64)> = frontier
        .iter()
        .map(|f| {
            (
                num(&f["omega"]),
                num(&f["home_welfare_pct"]),
                num(&f["partner_welfare_pct"]),
            )
        })
        .collect();
    let tol = 1e-4;
    for &(w, h, p) in &pts {
        assert!(
            w * sh + (1.0 - w) * sp <= w * h + (1.0 - w) * p + tol,
            "the solution ({sh}, {sp}) is beyond the frontier at ω = {w} ({h}, {p})"
        );
        assert!(
            !(h > sh + tol && p > sp + tol),
            "({h}, {p}) dominates ({sh}, {sp})"
        );
    }
    let bracket = pts
        .windows(2)
        .find(|ab| ab[0].1 <= sh + tol && sh <= ab[1].1 + tol)
        .unwrap_or_else(|| panic!("the solution's home welfare {sh} is outside the frontier"));
    let (a, c) = (bracket[0], bracket[1]);
    let chord = if (c.1 - a.1).abs() < 1e-12 {
        a.2.min(c.2)
    } else {
        a.2 + (sh - a.1) * (c.2 - a.2) / (c.1 - a.1)
    };
    assert!(
        sp >= chord - tol,
        "the solution {sp} is below the chord {chord}"
    );
}

#[tokio::test]
async fn bargain_bounds_and_unknown_fields_are_400() {
    let app = app();
    let t = Some(app.tokens.analyst.as_str());
    let cases = [
        (json!({"partner": "CHN", "grid": 5}), "unknown field"),
        (json!({"partner": "CHN", "points": 1000}), "points: "),
        (json!({"partner": "CHN", "weight": 1.5}), "weight: "),
        (json!({"partner": "CHN", "threat": "war"}), "war_players: "),
        (json!({"partner": "CHN", "threat": "truce"}), "threat: "),
        (json!({"partner": "Atlantis", "points": 2}), "partner: "),
    ];
    for (body, message) in cases {
        let r = call(
            &app,
            "POST",
            "/api/v1/strategy/bargain",
            t,
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {:?}", r.body);
        assert_eq!(r.code(), "bad_request");
        assert!(r.message().contains(message), "{body}: {}", r.message());
    }
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/retaliate",
        t,
        Some(json!({"country": "USA", "retaliators": ["CHN"]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    assert!(r.message().contains("unknown field"), "{}", r.message());
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/retaliate",
        t,
        Some(json!({"tariff": "uniform"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("rate: "), "{}", r.message());
    // No token: 401.
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/retaliate",
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bargain_from_a_small_war_matches_the_service() {
    let app = app();
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/bargain",
        Some(&app.tokens.admin),
        Some(
            json!({"partner": "CHN", "threat": "war", "war_players": ["USA", "CHN"],
            "weight": 0.6, "points": 11}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let b = &r.body;
    // The war is under the lump-sum rebate, as `reciprocity strategy bargain --threat war`.
    let threat = Threat::War(Some(vec!["USA".into(), "CHN".into()]));
    let revenue = threat.revenue(None);
    let s = service::setup_on(load_world(None).unwrap(), None, revenue).unwrap();
    let direct = service::bargain(
        s.game(),
        &BargainRequest {
            home: "USA".into(),
            partner: "CHN".into(),
            threat,
            weight: 0.6,
            instrument: Instrument::Uniform,
            points: 11,
        },
        &|_| {},
        &|_, _| {},
    )
    .unwrap()
    .summary;
    assert!(
        direct.threat.starts_with("the Nash war among 2 players"),
        "{}",
        direct.threat
    );
    assert_eq!(b["threat"], direct.threat.as_str());
    same(
        &b["disagreement"]["home_rates_pct"][0],
        direct.disagreement.home_rates_pct[0],
        "war rate",
    );
    same(
        &b["solution"]["home_welfare_pct"],
        direct.solution.home_welfare_pct,
        "solution home",
    );
    // In the war both levy positive tariffs; the deal leaves both better off.
    assert!(num(&b["disagreement"]["home_rates_pct"][0]) > 0.0);
    assert!(num(&b["disagreement"]["partner_rates_pct"][0]) > 0.0);
    assert!(num(&b["home_gain"]) >= 0.0 && num(&b["partner_gain"]) >= 0.0);
}
