//! Uncertainty bands (issue 14, item 2) on the embedded world: zero-spread draws give the point
//! estimate exactly, a seed gives one set of bands on any number of threads, another seed
//! another, the band holds the point estimate, failed draws are counted with their reason and
//! a stop ends the run.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use reciprocity_model::ge::{Params, Revenue, Stop};
use reciprocity_service::bands::retaliate::{retaliation_bands, RetaliationSetup};
use reciprocity_service::bands::scenario::{scenario_bands, ScenarioBands};
use reciprocity_service::bands::{self, Distributions, DrawRequest, Exec};
use reciprocity_service::scenario::{self, CalibrationCache, ScenarioInput, ScenarioResult, World};
use reciprocity_service::strategy::{self, AggressorTariff, RetaliateRequest};
use reciprocity_service::ServiceError;

fn liberation_day() -> ScenarioInput {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/scenarios/ilms/liberation-day.toml");
    scenario::read_scenarios(&path).unwrap().remove(0)
}

fn point(world: &World, input: &ScenarioInput) -> ScenarioResult {
    let params = scenario::scenario_params(world, input).unwrap();
    let cal = CalibrationCache::default()
        .get(&world.data, &params)
        .unwrap();
    scenario::run_scenario(world, input, cal).unwrap()
}

fn bands_of(
    world: &World,
    input: &ScenarioInput,
    r: &ScenarioResult,
    req: &DrawRequest,
    sequential: bool,
) -> ScenarioBands {
    let exec = Exec {
        sequential,
        ..Exec::default()
    };
    scenario_bands(world, input, r, req, &exec).unwrap()
}

#[test]
fn zero_spread_draws_reproduce_the_point_estimate_exactly() {
    let world = scenario::load_world(None).unwrap();
    let input = liberation_day();
    let r = point(&world, &input);
    let req = DrawRequest {
        draws: 3,
        seed: 9,
        distributions: Distributions::none(),
    };
    let b = bands_of(&world, &input, &r, &req, false);
    assert_eq!(
        (b.summary.draws, b.summary.converged, b.summary.failed),
        (3, 3, 0)
    );
    for (c, out) in b.countries.iter().zip(&r.outcomes.countries) {
        for (band, value) in [
            (c.welfare_pct, out.welfare_pct),
            (c.price_index_pct, out.price_index_pct),
            (c.employment_pct, out.employment_pct),
            (c.revenue_share, out.revenue_share),
            (c.imports_gdp_pct, out.imports_gdp_pct),
        ] {
            assert_eq!(
                (band.median, band.p05, band.p95),
                (value, value, value),
                "{}",
                c.iso3
            );
        }
    }
    assert_eq!(
        b.world_trade_to_gdp_pct.median,
        r.outcomes.world_trade_to_gdp_pct
    );
}

#[test]
fn a_seed_gives_one_set_of_bands_on_any_thread_count_and_another_seed_another() {
    let world = scenario::load_world(None).unwrap();
    let input = liberation_day();
    let r = point(&world, &input);
    let req = DrawRequest::new(8, 42);
    let parallel = bands_of(&world, &input, &r, &req, false);
    let sequential = bands_of(&world, &input, &r, &req, true);
    let us = world.data.country_index("USA").unwrap();
    assert_eq!(parallel.summary, sequential.summary);
    for (a, b) in parallel.countries.iter().zip(&sequential.countries) {
        assert_eq!(a.welfare_pct, b.welfare_pct, "{}", a.iso3);
        assert_eq!(a.price_index_pct, b.price_index_pct, "{}", a.iso3);
    }
    let other = bands_of(&world, &input, &r, &DrawRequest::new(8, 43), false);
    assert_ne!(
        parallel.countries[us].welfare_pct,
        other.countries[us].welfare_pct
    );
    // The draws vary the answer: a band of width zero would mean nothing was drawn.
    let w = parallel.countries[us].welfare_pct;
    assert!(w.p95 - w.p05 > 0.05, "{w:?}");
}

#[test]
fn the_band_holds_the_point_estimate_of_the_default_preset() {
    let world = scenario::load_world(None).unwrap();
    let input = liberation_day();
    let r = point(&world, &input);
    let b = bands_of(&world, &input, &r, &DrawRequest::new(60, 1), false);
    assert_eq!(b.summary.failed, 0, "{:?}", b.summary.failures);
    let us = world.data.country_index("USA").unwrap();
    let (band, value) = (
        b.countries[us].welfare_pct,
        r.outcomes.countries[us].welfare_pct,
    );
    assert!(
        band.p05 <= value && value <= band.p95,
        "US welfare {value} outside {band:?}"
    );
    assert!(band.p05 <= band.median && band.median <= band.p95);
    // The baseline has the most complete pass-through of the drawn range [0.25, 1]: every draw
    // passes less of the tariff on, so the numbers it drives (the US price index, world trade)
    // have their point estimate at the end of the band (docs/uncertainty.md). With the
    // pass-through kept, the bands hold them.
    let prices = |b: &ScenarioBands| b.countries[us].price_index_pct;
    let (p, t) = (
        r.outcomes.countries[us].price_index_pct,
        r.outcomes.world_trade_to_gdp_pct,
    );
    assert!(
        prices(&b).median < p && p > prices(&b).p95 - 0.5,
        "{:?}",
        prices(&b)
    );
    assert!(
        b.world_trade_to_gdp_pct.median > t,
        "{:?}",
        b.world_trade_to_gdp_pct
    );
    let mut kept = DrawRequest::new(60, 1);
    kept.distributions.pass_through = None;
    let kept = bands_of(&world, &input, &r, &kept, false);
    let band = prices(&kept);
    assert!(
        band.p05 <= p && p <= band.p95,
        "US prices {p} outside {band:?}"
    );
    let band = kept.world_trade_to_gdp_pct;
    assert!(
        band.p05 <= t && t <= band.p95,
        "world trade {t} outside {band:?}"
    );
}

#[test]
fn failed_draws_are_counted_with_their_reason_and_kept_out_of_the_bands() {
    let base = Params::ilms();
    let sectors = vec!["goods".to_string()];
    let req = DrawRequest::new(40, 5);
    let set = bands::run(&base, &sectors, &req, &Exec::default(), |p| {
        match p.revenue {
            Revenue::LumpSum => Err(ServiceError::Refused("no equilibrium (test)".into())),
            Revenue::IncomeTaxRelief => Ok(vec![p.kappa]),
        }
    })
    .unwrap();
    let switched = (0..40)
        .filter(|&i| {
            bands::draw_params(&base, &sectors, &req.distributions, 5, i).revenue
                == Revenue::LumpSum
        })
        .count();
    assert!(switched > 5 && switched < 35, "{switched}");
    assert_eq!(set.summary.failed, switched);
    assert_eq!(set.summary.converged, 40 - switched);
    assert_eq!(set.values.len(), 40 - switched);
    assert!(set
        .summary
        .failures
        .iter()
        .all(|f| f.reason == "no equilibrium (test)"));
    // κ = 0.5 ± 50 %: every value in the band is inside [0.25, 0.75].
    let b = set.band(0);
    assert!(0.25 <= b.p05 && b.p95 <= 0.75, "{b:?}");
}

#[test]
fn a_stop_ends_the_run() {
    let stop = Stop::on(Arc::new(AtomicBool::new(true)));
    let exec = Exec {
        stop,
        ..Exec::default()
    };
    let r = bands::run(
        &Params::ilms(),
        &[],
        &DrawRequest::new(10, 1),
        &exec,
        |_| Ok(vec![1.0]),
    );
    assert!(matches!(r, Err(ServiceError::Stopped)));
}

#[test]
fn retaliation_bands_at_zero_spread_are_the_point_estimate() {
    let world = scenario::load_world(None).unwrap();
    let (file, origin) = strategy::scenario_file(None).unwrap();
    let params = strategy::params(&world, &file, &origin, None).unwrap();
    let cal = reciprocity_model::ge::calibrate(&world.data, &params).unwrap();
    let start = strategy::start(&world, &cal, &file, &origin, false).unwrap();
    let request = RetaliateRequest {
        country: "USA".into(),
        tariff: AggressorTariff::Uniform(0.2),
        by: None,
        rates: Vec::new(),
    };
    let point = strategy::retaliate(strategy::Game::new(&world, &cal, &start), &request).unwrap();
    let rules: Vec<String> = point.cases.iter().map(|c| c.rule.clone()).collect();
    let setup = RetaliationSetup {
        world: &world,
        file: &file,
        origin: &origin,
        from_scenario: false,
        revenue: None,
    };
    let req = DrawRequest {
        draws: 2,
        seed: 3,
        distributions: Distributions::none(),
    };
    let b = retaliation_bands(&setup, &request, &rules, &req, &Exec::default()).unwrap();
    for (band, summary) in b.rules.iter().zip(point.summaries(&cal)) {
        assert_eq!(band.rule, summary.rule);
        let w = band.target_welfare_pct;
        assert_eq!(
            (w.median, w.p05, w.p95),
            (
                summary.target_welfare_pct,
                summary.target_welfare_pct,
                summary.target_welfare_pct
            )
        );
    }
    assert_eq!(b.countries.len(), rules.len() * world.data.n_countries());
}
