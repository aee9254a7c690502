//! The embedded sector world (issue 13, item 6): it loads without ../shared, a zero shock returns
//! the baseline, the Liberation Day scenario solves on it, and proposals score in its sectors.

use std::path::PathBuf;

use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput};
use reciprocity_service::{ErrorKind, NegotiationWorld};

mod sector_scoring_checks {
    include!("sector_scoring/checks.rs");
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn a_zero_shock_on_the_embedded_sector_world_returns_the_baseline() {
    let world = scenario::load_named_world(None, Some("sectors")).unwrap();
    assert_eq!(world.data.n_countries(), 30);
    assert_eq!(world.data.n_sectors(), 14);
    assert!(world
        .source
        .contains("OECD Inter-Country Input-Output Tables, 2025 release"));
    let none = ScenarioInput {
        path: PathBuf::from("request"),
        file: reciprocity_scenario::parse("name = \"status quo\"\n", "request").unwrap(),
    };
    let params = scenario::scenario_params(&world, &none).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let result = scenario::run_scenario(&world, &none, cal).unwrap();
    let worst = result
        .outcomes
        .countries
        .iter()
        .map(|c| c.welfare_pct.abs().max(c.price_index_pct.abs()))
        .fold(0.0, f64::max);
    assert!(worst < 1e-9, "largest welfare or price change {worst}");
}

#[test]
fn the_liberation_day_scenario_solves_on_the_embedded_sector_world() {
    let world = scenario::load_named_world(None, Some("sectors")).unwrap();
    let inputs = scenario::read_scenarios(
        &repo().join("examples/scenarios/sectors/embedded-liberation-day.toml"),
    )
    .unwrap();
    let params = scenario::scenario_params(&world, &inputs[0]).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let result = scenario::run_scenario(&world, &inputs[0], cal).unwrap();
    assert!(result.reports.iter().all(|r| r.max_residual < 1e-10));
    let us = world.data.country_index("USA").unwrap();
    let chn = world.data.country_index("CHN").unwrap();
    let (us_w, chn_w) = (
        result.outcomes.countries[us].welfare_pct,
        result.outcomes.countries[chn].welfare_pct,
    );
    println!("embedded sector world, Liberation Day: US welfare {us_w:+.3} %, China {chn_w:+.3} %");
    assert!(us_w > 0.0 && us_w < 1.5, "{us_w}");
    assert!(chn_w < 0.0, "{chn_w}");
}

#[test]
fn an_unknown_embedded_world_or_both_sources_are_bad_input() {
    let e = scenario::load_named_world(None, Some("gtap"))
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.to_string().contains("default, sectors"), "{e}");
    let e = scenario::load_named_world(Some(&repo()), Some("sectors"))
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::BadInput);
}

#[test]
fn on_the_embedded_sector_world_an_autos_line_and_a_car_quota_land_in_motor_vehicles() {
    let w = NegotiationWorld::load_named(None, Some("sectors")).unwrap();
    assert!(w.crosswalk.missing.is_none());
    sector_scoring_checks::autos_line_and_car_quota_land_in_motor_vehicles(&w);
}
