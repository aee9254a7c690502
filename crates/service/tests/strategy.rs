//! Strategy use cases at the service boundary, on the embedded world (no ../shared needed).

use std::path::PathBuf;

use reciprocity_model::strategy::Instrument;
use reciprocity_service::scenario;
use reciprocity_service::strategy::{self, AggressorTariff, OptimalRequest};
use reciprocity_service::ErrorKind;

fn example(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/scenarios")
        .join(rel)
}

/// Issue 11: `strategy optimal --scenario august-2025.toml` failed with "no policy timeline is
/// available here" while `simulate` ran the same file. A strategy's start now resolves a file
/// the way a scenario run does: same tariffs, same notes.
#[test]
fn a_strategy_starts_from_a_tariffs_at_scenario_as_simulate_resolves_it() {
    let path = example("policy/august-2025.toml");
    let world = scenario::load_world(None).unwrap();
    let setup = strategy::setup_on(world, Some(&path), None).unwrap();
    assert!(setup.from_scenario);
    assert!(setup
        .start_label
        .starts_with("scenario US tariffs in force on 2025-08-07"));
    assert!(
        setup
            .notes
            .iter()
            .any(|n| n.contains("tariffs_at: the US tariffs in force on 2025-08-07")),
        "{:?}",
        setup.notes
    );
    // The same file run as a scenario solves at the same tariffs.
    let world = scenario::load_world(None).unwrap();
    let input = &scenario::read_scenarios(&path).unwrap()[0];
    let params = scenario::scenario_params(&world, input).unwrap();
    let cal = scenario::CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    let run = scenario::run_scenario(&world, input, cal).unwrap();
    assert_eq!(setup.start, run.equilibrium.tariffs);
    // The US rates moved: China's goods face more than the factual tariff.
    let (us, chn) = (
        setup.world.data.country_index("USA").unwrap(),
        setup.world.data.country_index("CHN").unwrap(),
    );
    let id = setup.cal.index(0, chn, us);
    assert!(
        setup.start[id] > setup.cal.tariffs[id] + 0.2,
        "{}",
        setup.start[id]
    );
    // And the use case runs from there.
    let best = strategy::optimal(
        setup.game(),
        &OptimalRequest {
            country: "USA".into(),
            instrument: Instrument::Uniform,
            max_rate: 5.0,
        },
    )
    .unwrap();
    assert!(best.best_response.rates[0] > 0.0);
}

/// The Liberation Day rates of a world are resolved once: the retaliation analysis's aggressor
/// tariffs and the mirrored no-deal point of talks both come from [`strategy::liberation_day`]:
/// the data's column floored at 10%, else the embedded April 2 chart.
#[test]
fn liberation_day_rates_are_the_column_or_the_chart_floored_at_ten_percent() {
    let world = scenario::load_world(None).unwrap();
    let setup = strategy::setup_on(world, None, None).unwrap();
    let (rates, source) = strategy::liberation_day(&setup.world, &setup.cal).unwrap();
    assert_eq!(source, strategy::LiberationDaySource::Column);
    let d = &setup.world.data;
    let us = d.country_index("USA").unwrap();
    let column = &d.columns["us_tariff_liberation_day"];
    for j in (0..d.n_countries()).filter(|&j| j != us) {
        assert_eq!(
            setup.cal.pairs(&rates).get(0, j, us),
            column[j].max(0.10),
            "{}",
            d.countries[j]
        );
    }
    let (t, label) =
        strategy::aggressor_tariffs(setup.game(), us, AggressorTariff::LiberationDay).unwrap();
    let chn = d.country_index("CHN").unwrap();
    assert_eq!(
        setup.cal.pairs(&t).get(0, chn, us),
        setup.cal.pairs(&rates).get(0, chn, us)
    );
    assert_eq!(label, source.aggressor_label());

    // Without the column: the embedded chart (China 34%, Vietnam 46%, the UK at the 10% floor).
    let mut data = setup.world.data.clone();
    data.columns.remove("us_tariff_liberation_day");
    let world = scenario::World {
        data,
        source: "test".into(),
    };
    let (rates, source) = strategy::liberation_day(&world, &setup.cal).unwrap();
    assert_eq!(source, strategy::LiberationDaySource::Chart);
    let rate = |iso: &str| {
        setup
            .cal
            .pairs(&rates)
            .get(0, d.country_index(iso).unwrap(), us)
    };
    assert!((rate("CHN") - 0.34).abs() < 1e-12, "{}", rate("CHN"));
    assert!((rate("VNM") - 0.46).abs() < 1e-12, "{}", rate("VNM"));
    assert!((rate("GBR") - 0.10).abs() < 1e-12, "{}", rate("GBR"));
}

#[test]
fn an_unknown_country_is_bad_input_naming_the_field() {
    let world = scenario::load_world(None).unwrap();
    let setup = strategy::setup_on(world, None, None).unwrap();
    let e = strategy::optimal(
        setup.game(),
        &OptimalRequest {
            country: "XXX".into(),
            instrument: Instrument::Uniform,
            max_rate: 5.0,
        },
    )
    .err()
    .unwrap();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(
        e.to_string().starts_with("country: expected an ISO3 code"),
        "{e}"
    );
}
