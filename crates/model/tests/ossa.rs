//! The Ossa (2014) world: 7 regions × 33 sectors with factual tariffs both ways.

#![allow(clippy::needless_range_loop)]

mod common;

use reciprocity_model::ge::{self, Params};

fn presets(data: &reciprocity_model::Dataset) -> Vec<(&'static str, Params)> {
    let eps = data.trade_elasticity.clone().unwrap();
    vec![
        ("textbook", Params::textbook(eps)),
        (
            "ilms-like (ν = 0, ψ_k = 0.67/ε_k)",
            common::ossa_ilms_like(data),
        ),
    ]
}

#[test]
#[ignore = "needs ../shared/data"]
fn factual_tariffs_return_the_baseline() {
    let data = common::ossa_world();
    for (name, params) in presets(&data) {
        let cal = ge::calibrate(&data, &params).unwrap();
        let eq = ge::solve(&cal, &cal.tariffs, &ge::SolverOptions::default()).unwrap();
        assert_eq!(
            eq.report.iterations, 0,
            "{name}: the factual point is the start point"
        );
        for i in 0..cal.n {
            assert!((eq.wage[i] - 1.0).abs() < 1e-12, "{name}");
            assert!((eq.price_index[i] - 1.0).abs() < 1e-12, "{name}");
        }
        let out = ge::outcomes(&cal, &eq);
        assert!(
            out.countries.iter().all(|c| c.welfare_pct.abs() < 1e-10),
            "{name}"
        );
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn free_trade_and_a_us_sector_tariff_solve_to_tolerance() {
    let data = common::ossa_world();
    let us = data.country_index("USA").unwrap();
    for (name, params) in presets(&data) {
        let cal = ge::calibrate(&data, &params).unwrap();
        let free = vec![0.0; cal.tariffs.len()];
        let eq = ge::solve(&cal, &free, &ge::SolverOptions::default()).unwrap();
        assert!(eq.report.max_residual < 1e-10, "{name}: {:?}", eq.report);
        let world = ge::outcomes(&cal, &eq);
        assert!(
            world.world_trade_to_gdp_pct > 0.0,
            "{name}: removing tariffs raises world trade"
        );
        // Ossa Table 2: the US raises its tariff by 50 points on all partners in one sector.
        let mut t = cal.tariffs.clone();
        let sector = data.sector_index("crp").unwrap();
        for j in (0..cal.n).filter(|&j| j != us) {
            *cal.pairs_mut(&mut t).get_mut(sector, j, us) += 0.5;
        }
        let eq = ge::solve(&cal, &t, &ge::SolverOptions::default()).unwrap();
        assert!(eq.report.max_residual < 1e-10, "{name}: {:?}", eq.report);
        let us_imports_before: f64 = (0..cal.n)
            .filter(|&j| j != us)
            .map(|j| cal.flow_table().get(sector, j, us))
            .sum();
        let us_imports_after: f64 = (0..cal.n)
            .filter(|&j| j != us)
            .map(|j| cal.pairs(&eq.flows).get(sector, j, us))
            .sum();
        assert!(
            us_imports_after < 0.5 * us_imports_before,
            "{name}: a 50-point tariff cuts US chemical imports"
        );
    }
}
