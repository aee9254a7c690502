//! The proposal route returns the GE score for both sides, the same numbers the service computes
//! for the same terms, and stores it.

use axum::http::StatusCode;
use chrono::NaiveDate;
use reciprocity_service::talks;
use serde_json::json;

use super::common::{app, call, terms, world, CLOCK};

#[tokio::test]
async fn proposal_score_equals_the_service_score_for_the_same_terms() {
    let app = app();
    // The 2025 pause: the suspended rates applied again on July 9.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations",
        Some(&app.tokens.admin),
        Some(json!({"partner": "JPN", "date": "2025-04-09", "end": "2025-07-09"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let body = json!({"side": "us", "terms": terms(15.0, 0.0), "if_version": 1});
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&app.tokens.admin),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let score = &r.body["score"];
    let us = score["us_welfare_pct"].as_f64().unwrap();
    let partner = score["partner_welfare_pct"].as_f64().unwrap();

    // The same terms through the service, on the same world, talk and date.
    let direct = service_score(&app).await;
    // serde_json parses floats to within one ulp (no float_roundtrip feature): equal to 1e-12.
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
    assert!(
        same(us, direct.score.us_welfare_pct),
        "{us} vs {}",
        direct.score.us_welfare_pct
    );
    assert!(
        same(partner, direct.score.partner_welfare_pct),
        "{partner} vs {}",
        direct.score.partner_welfare_pct
    );
    assert!(us != 0.0 && partner != 0.0);
    assert!(us.is_finite() && partner.is_finite());
    // US output by sector: carried as the store and the CLI carry it (it once was missing here).
    let output = score["us_output_pct"].as_array().unwrap();
    assert_eq!(output.len(), direct.score.us_output_pct.len());
    for (a, b) in output.iter().zip(&direct.score.us_output_pct) {
        assert!(same(a.as_f64().unwrap(), *b), "{a} vs {b}");
    }
    assert!(direct.score.us_output_pct.iter().any(|v| *v != 0.0));
    // Independent checks: the US rate on Japan's goods with the deal is the 15% of the terms;
    // without a deal it is the snap-back rate (24% for Japan in Annex I), and a cut from 24% to
    // 15% raises Japan's welfare against no deal.
    assert!((score["us_rate_deal_pct"].as_f64().unwrap() - 15.0).abs() < 1e-9);
    assert!(
        (score["us_rate_no_deal_pct"].as_f64().unwrap() - 24.0).abs() < 1e-9,
        "{score:#}\n{:#}",
        r.body["no_deal"]
    );
    assert!(
        partner > 0.0,
        "Japan gains from a lower US tariff: {partner}"
    );
    assert!(score["max_residual"].as_f64().unwrap() < 1e-6);

    // The talk's detail carries the stored score of proposal 1, current (not stale).
    let d = call(
        &app,
        "GET",
        "/api/v1/negotiations/JPN",
        Some(&app.tokens.jpn),
        None,
    )
    .await;
    assert_eq!(d.status, StatusCode::OK);
    let p = &d.body["proposals"][0];
    assert_eq!(p["number"], 1);
    assert_eq!(p["score"]["stale"], false);
    assert!(same(
        p["score"]["score"]["us_welfare_pct"].as_f64().unwrap(),
        us
    ));
    assert!(same(
        p["score"]["score"]["partner_welfare_pct"].as_f64().unwrap(),
        partner
    ));
    // The board shows it as the best proposal.
    let b = call(
        &app,
        "GET",
        "/api/v1/negotiations",
        Some(&app.tokens.admin),
        None,
    )
    .await;
    assert_eq!(b.body[0]["best_score"]["proposal"], 1);
    assert!(same(
        b.body[0]["best_score"]["us_welfare_pct"].as_f64().unwrap(),
        us
    ));
    assert_eq!(b.body[0]["version"], 2);
    assert_eq!(b.body[0]["days_left"], 90);
}

/// The service's evaluation of US 15 % / Japan 0 % on the app's talk JPN, today.
async fn service_score(app: &super::common::App) -> talks::Scored {
    let today = NaiveDate::parse_from_str(CLOCK, "%Y-%m-%d").unwrap();
    let db = app.db.clone().unwrap();
    let w = world();
    tokio::task::spawn_blocking(move || {
        let store = reciprocity_store::SqliteStore::open(&db).unwrap();
        let (talk, _) = talks::load_talk(&store, "JPN").unwrap();
        let draft = reciprocity_negotiation::TermsDraft {
            tariff_lines: vec![
                reciprocity_negotiation::TariffLineDraft {
                    by: Some("us".into()),
                    scope: Some("all".into()),
                    rate_pct: Some(15.0),
                },
                reciprocity_negotiation::TariffLineDraft {
                    by: Some("partner".into()),
                    scope: Some("all".into()),
                    rate_pct: Some(0.0),
                },
            ],
            ..Default::default()
        };
        let terms = talks::validate_terms(w.data.sectors.clone(), &talk, &draft).unwrap();
        talks::score_terms(&w, &talk, &terms, today).unwrap()
    })
    .await
    .unwrap()
}
