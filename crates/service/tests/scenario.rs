//! Scenario runs as the server makes them: a parsed file (no path on disk) on the embedded world.

use std::path::PathBuf;

use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput};
use reciprocity_service::ErrorKind;

fn input(toml: &str) -> ScenarioInput {
    ScenarioInput {
        path: PathBuf::from("request"),
        file: reciprocity_scenario::parse(toml, "request").unwrap(),
    }
}

#[test]
fn no_tariff_change_leaves_every_country_where_it_was() {
    let world = scenario::load_world(None).unwrap();
    let none = input("name = \"status quo\"\n");
    let params = scenario::scenario_params(&world, &none).unwrap();
    let mut cache = CalibrationCache::default();
    let cal = cache.get(&world.data, &params).unwrap();
    let result = scenario::run_scenario(&world, &none, cal.clone()).unwrap();
    assert_eq!(result.name, "status quo");
    assert_eq!(result.outcomes.countries.len(), world.data.n_countries());
    // The factual tariffs solve to the calibrated equilibrium: no welfare or price change.
    for (code, c) in world.data.countries.iter().zip(&result.outcomes.countries) {
        assert!(c.welfare_pct.abs() < 1e-6, "{code}: {}", c.welfare_pct);
        assert!(c.cpi_pct.abs() < 1e-6, "{code}: {}", c.cpi_pct);
    }
    // The same parameters reuse the calibration.
    assert!(std::sync::Arc::ptr_eq(
        &cal,
        &cache.get(&world.data, &params).unwrap()
    ));
}

#[test]
fn a_scenario_naming_an_unknown_country_is_bad_input() {
    let world = scenario::load_world(None).unwrap();
    let bad = input("[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"XXX\"]\nrate = 0.1\n");
    let params = scenario::scenario_params(&world, &bad).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let err = match scenario::run_scenario(&world, &bad, cal) {
        Ok(_) => panic!("XXX is not a country of the embedded world"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), ErrorKind::BadInput);
    assert!(
        err.to_string().starts_with("request: tariffs[0].exporters"),
        "{err}"
    );
}
