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
        assert!(
            c.price_index_pct.abs() < 1e-6,
            "{code}: {}",
            c.price_index_pct
        );
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

/// A world-wide 100 % tariff under income-tax relief on the ILMS world has no equilibrium (the
/// Gambia imports everything it buys): a refusal naming the country, said once, not a failure.
#[test]
#[ignore = "needs ../shared/data"]
fn tariffs_with_no_equilibrium_are_a_refusal_that_names_the_country() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ilms2025");
    let world = scenario::load_world(Some(&dir)).unwrap();
    let war = input("[model]\npreset = \"ilms\"\n[[tariffs]]\nimporters = [\"all\"]\nexporters = [\"all\"]\nrate = 1.0\n");
    let params = scenario::scenario_params(&world, &war).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let err = match scenario::run_scenario(&world, &war, cal) {
        Ok(_) => panic!("no equilibrium exists at these tariffs"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), ErrorKind::Refused);
    let text = err.to_string();
    assert!(
        text.starts_with("solving request: GMB: tariff revenue would be at least 100 % of income"),
        "{text}"
    );
    assert_eq!(text.matches("no equilibrium").count(), 1, "{text}");
    assert!(
        std::error::Error::source(&err).is_none(),
        "the cause is in the message, once"
    );
    // Balanced trade and lump-sum rebates solve the same tariffs.
    let balanced = input("[model]\npreset = \"ilms\"\nvariant = [\"lump-sum\", \"balanced-trade\"]\n[[tariffs]]\nimporters = [\"all\"]\nexporters = [\"all\"]\nrate = 1.0\n");
    let params = scenario::scenario_params(&world, &balanced).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let result = scenario::run_scenario(&world, &balanced, cal).unwrap();
    assert!(result.reports.iter().all(|r| r.max_residual < 1e-10));
    assert!(
        result.outcomes.world_trade_to_gdp_pct < -90.0,
        "{}",
        result.outcomes.world_trade_to_gdp_pct
    );
}

/// The cache keeps the most recently used calibrations only: a server that sees many parameter
/// sets must not grow without bound (issue 15).
#[test]
fn the_calibration_cache_is_bounded_and_keeps_the_most_recent() {
    let world = scenario::load_world(None).unwrap();
    let base = scenario::scenario_params(&world, &input("name = \"x\"\n")).unwrap();
    let with_eps = |eps: f64| {
        let mut p = base.clone();
        p.epsilon = vec![eps; p.epsilon.len()];
        p
    };
    let same = std::sync::Arc::ptr_eq;
    let mut cache = CalibrationCache::with_capacity(2);
    let four = cache.get(&world.data, &with_eps(4.0)).unwrap();
    let five = cache.get(&world.data, &with_eps(5.0)).unwrap();
    // A hit makes eps = 4 the most recent, so eps = 6 evicts eps = 5, not eps = 4.
    assert!(same(
        &four,
        &cache.get(&world.data, &with_eps(4.0)).unwrap()
    ));
    cache.get(&world.data, &with_eps(6.0)).unwrap();
    assert_eq!(cache.len(), 2);
    assert!(same(
        &four,
        &cache.get(&world.data, &with_eps(4.0)).unwrap()
    ));
    let five_again = cache.get(&world.data, &with_eps(5.0)).unwrap();
    assert!(
        !same(&five, &five_again),
        "eps = 5 should have been evicted"
    );
    assert_eq!(cache.len(), 2);
    assert_eq!(CalibrationCache::default().len(), 0);
}

/// A US 10 % tariff on everyone: the static revenue is 10 % of the US's baseline imports in the
/// world's dollars (checked against the flows directly), and the revenue after behaviour is
/// smaller (imports fall) but positive; real GDP is the model's wage bill over its price index.
#[test]
fn revenue_in_dollars_static_and_after_behaviour() {
    let world = scenario::load_world(None).unwrap();
    let ten = input(
        "name = \"US 10\"\n[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\nrate = 0.10\n",
    );
    let params = scenario::scenario_params(&world, &ten).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let result = scenario::run_scenario(&world, &ten, cal).unwrap();
    let rows = reciprocity_service::scenario_report::country_rows(&world, &result);
    let us = world
        .data
        .countries
        .iter()
        .position(|c| c == "USA")
        .unwrap();
    assert_eq!(world.data.units, "thousand USD");
    let n = world.data.n_countries();
    let imports_usd: f64 = (0..n)
        .filter(|&j| j != us)
        .map(|j| world.data.flows[j * n + us] * 1e3)
        .sum();
    let row = &rows[us];
    eprintln!(
        "US 10 %: static {:.1} bn, after behaviour {:.1} bn, real GDP {:+.3} %",
        row.revenue_static_usd_bn, row.revenue_usd_bn, row.real_gdp_pct
    );
    assert!(
        (row.revenue_static_usd_bn - 0.10 * imports_usd / 1e9).abs() < 1e-6,
        "{} vs {}",
        row.revenue_static_usd_bn,
        0.10 * imports_usd / 1e9
    );
    assert!(
        row.revenue_usd_bn > 0.5 * row.revenue_static_usd_bn
            && row.revenue_usd_bn < row.revenue_static_usd_bn,
        "{} vs {}",
        row.revenue_usd_bn,
        row.revenue_static_usd_bn
    );
    let eq = &result.equilibrium;
    let real_gdp = 100.0 * (eq.wage[us] * eq.employment[us] / eq.price_index[us] - 1.0);
    assert!((row.real_gdp_pct - real_gdp).abs() < 1e-12);
    // Real GDP is employment over consumer prices in wage units: (1 + L) / (1 + P/w).
    let implied = 100.0
        * ((1.0 + row.employment_pct / 100.0) / (1.0 + row.consumer_prices_wage_units_pct / 100.0)
            - 1.0);
    assert!((row.real_gdp_pct - implied).abs() < 1e-9, "{implied}");
    // Everyone else levies nothing new, so collects nothing.
    assert!(rows
        .iter()
        .enumerate()
        .all(|(i, r)| i == us || r.revenue_static_usd_bn.abs() < 1e-9));
}
