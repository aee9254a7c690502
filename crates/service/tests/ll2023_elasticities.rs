//! `model.epsilon = "ll2023"` on the embedded sector world: Lashkaripour-Lugovskyy's trade
//! elasticities by industry, named in every output, leave the baseline alone and solve the
//! Liberation Day tariffs.

use std::path::PathBuf;

use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput};

fn input(toml: &str) -> ScenarioInput {
    ScenarioInput {
        path: PathBuf::from("request"),
        file: reciprocity_scenario::parse(toml, "request").unwrap(),
    }
}

const LIBERATION_DAY: &str =
    "name = \"LD, LL2023\"\n[model]\npreset = \"ilms\"\nepsilon = \"ll2023\"\n\
    [[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\nhs_chapters = [\"all\"]\n\
    column = \"us_tariff_liberation_day\"\nfloor = 0.10\nmode = \"add\"\n";

#[test]
fn ll2023_elasticities_by_sector_on_the_sector_world() {
    let world = scenario::load_named_world(None, Some("sectors")).unwrap();
    // The status quo under these elasticities is the baseline.
    let none = input("name = \"status quo\"\n[model]\nepsilon = \"ll2023\"\n");
    let params = scenario::scenario_params(&world, &none).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let base = scenario::run_scenario(&world, &none, cal).unwrap();
    assert!(base
        .outcomes
        .countries
        .iter()
        .all(|c| c.welfare_pct.abs() < 1e-8));
    let ld = input(LIBERATION_DAY);
    let params = scenario::scenario_params(&world, &ld).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let eps = cal.params.epsilon.clone();
    let psi = cal.params.psi.clone();
    let r = scenario::run_scenario(&world, &ld, cal).unwrap();
    assert!(
        r.notes[0].contains("Lashkaripour-Lugovskyy"),
        "{}",
        r.notes[0]
    );
    let at = |name: &str| eps[world.data.sectors.iter().position(|s| s == name).unwrap()];
    // Goods divided by the same φ̄: the ratio of two goods sectors is the ratio of the estimates.
    assert!((at("ELECTRONICS") / at("MOTOR_VEHICLES") - 7.75 / 2.805).abs() < 1e-9);
    assert_eq!(at("SERVICES"), 3.0);
    for (e, p) in eps.iter().zip(&psi) {
        assert!((e * p - 0.67).abs() < 1e-12);
    }
    let us = world.data.country_index("USA").unwrap();
    let w = r.outcomes.countries[us].welfare_pct;
    eprintln!("US welfare under LL2023 elasticities: {w:+.3} %");
    assert!(w.is_finite() && w.abs() < 5.0, "{w}");
}
