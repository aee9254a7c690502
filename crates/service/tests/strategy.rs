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
        icio: None,
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

/// The US optimal tariff on the embedded world (moved here from the CLI's test, issue 11): the
/// closed form and the numerical optimum are interior rates, and the numerical optimum does at
/// least as well as the closed-form rate, with a US gain.
#[test]
fn the_optimal_us_tariff_is_interior_and_beats_the_closed_form() {
    let world = scenario::load_world(None).unwrap();
    let s = strategy::setup_on(world, None, None).unwrap();
    let r = strategy::optimal(
        s.game(),
        &OptimalRequest {
            country: "USA".into(),
            instrument: Instrument::Uniform,
            max_rate: reciprocity_model::strategy::SearchOptions::default().upper,
        },
    )
    .unwrap();
    let cf = 100.0 * r.closed_form_expenditure.unwrap();
    let numerical = 100.0 * r.uniform_equivalent;
    assert!(cf > 5.0 && cf < 60.0, "{cf}");
    assert!(numerical > 5.0 && numerical < 60.0, "{numerical}");
    let (w, w_cf) = (
        r.best_response.welfare_pct,
        r.welfare_at_closed_form_pct.unwrap(),
    );
    assert!(w >= w_cf - 1e-9 && w > 0.0, "{w} vs {w_cf}");
}

/// Retaliation against the Liberation Day tariffs (moved here from the CLI's test, issue 11):
/// any retaliation turns the US gain into less; China and the EU retaliating alone cost the US
/// less than everyone mirroring.
#[test]
fn retaliation_against_liberation_day_costs_the_us_its_gain() {
    let world = scenario::load_world(None).unwrap();
    let s = strategy::setup_on(world, None, None).unwrap();
    let r = strategy::retaliate(
        s.game(),
        &strategy::RetaliateRequest {
            country: "USA".into(),
            tariff: AggressorTariff::LiberationDay,
            by: None,
            rates: vec![("CHN".into(), 0.34), ("EU27".into(), 0.2)],
        },
    )
    .unwrap();
    let rules: Vec<&str> = r.cases.iter().map(|c| c.rule.as_str()).collect();
    assert_eq!(rules, ["none", "reciprocal", "optimal", "explicit"]);
    let us = |i: usize| r.cases[i].outcomes.countries[r.target].welfare_pct;
    assert!(
        us(0) > 0.0 && us(1) < us(0) && us(2) < us(0),
        "{:?}",
        (0..4).map(us).collect::<Vec<_>>()
    );
    assert!(
        us(3) < us(0) && us(3) > us(1),
        "{:?}",
        (0..4).map(us).collect::<Vec<_>>()
    );
}
