//! The second multi-sector world (issue 13, item 7): Lashkaripour-Lugovskyy (2023)'s WIOD 2014
//! world, 44 regions x 16 sectors with tariffs both ways, loaded from `ll2023_wiod2014/` and
//! solved by the K-sector engine: the README's totals, zero shock, every equation after a shock,
//! and the multi-sector ACR welfare formula (Costinot and Rodríguez-Clare 2014) as an analytic check.

#![allow(clippy::needless_range_loop)]

use reciprocity_data::{load_dataset, shared_data_dir};
use reciprocity_model::ge::{self, Calibration, Equilibrium, NuRule, Params};
use reciprocity_model::Dataset;

fn world() -> Dataset {
    let shared = shared_data_dir().expect("../shared/data");
    load_dataset(&shared.join("ll2023_wiod2014")).unwrap()
}

fn solve(cal: &Calibration, t: &[f64]) -> Equilibrium {
    let eq = ge::solve(cal, t, &ge::SolverOptions::default()).unwrap();
    assert!(eq.report.max_residual < 1e-10, "{:?}", eq.report);
    eq
}

/// US tariffs on every goods sector of every partner raised by 20 points.
fn us_shock(cal: &Calibration) -> Vec<f64> {
    let us = cal.countries.iter().position(|c| c == "USA").unwrap();
    let mut t = cal.tariffs.clone();
    for k in 0..cal.k - 1 {
        for j in (0..cal.n).filter(|&j| j != us) {
            t[cal.index(k, j, us)] += 0.20;
        }
    }
    t
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_ll2023_world_loads_as_its_readme_describes() {
    let w = world();
    assert_eq!((w.n_countries(), w.n_sectors()), (44, 16));
    assert!(w.country_index("ROW").is_some() && w.country_index("USA").is_some());
    let eps = w.trade_elasticity.as_ref().unwrap();
    assert_eq!(
        (eps[0], eps[6], eps[12], eps[15]),
        (6.227, 0.397, 1.235, 10.0)
    );
    // README: 161.8 tn including domestic sales, 87.2 % domestic, goods tariff 3.0 % trade-weighted.
    let n = w.n_countries();
    let (mut total, mut domestic, mut goods, mut duty) = (0.0, 0.0, 0.0, 0.0);
    for k in 0..16 {
        for j in 0..n {
            for i in 0..n {
                let (x, t) = (w.flow_table().get(k, j, i), w.tariff_table().get(k, j, i));
                total += x;
                if i == j {
                    domestic += x;
                } else if k < 15 {
                    goods += x;
                    duty += x * t;
                }
            }
        }
    }
    assert!((total / 1e6 - 161.8).abs() < 0.05, "{total}");
    assert!((100.0 * domestic / total - 87.2).abs() < 0.05);
    assert!(
        (100.0 * duty / goods - 3.0).abs() < 0.05,
        "{}",
        100.0 * duty / goods
    );
    // EU internal pairs and USA-MEX are duty free.
    let at = |k, a: &str, b: &str| {
        w.tariff_table()
            .get(k, w.country_index(a).unwrap(), w.country_index(b).unwrap())
    };
    assert_eq!((at(13, "DEU", "FRA"), at(13, "MEX", "USA")), (0.0, 0.0));
    assert!(at(13, "DEU", "CHN") > 0.05, "China's tariff on German cars");
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_k_sector_engine_on_the_ll2023_world() {
    let w = world();
    let eps = w.trade_elasticity.clone().unwrap();
    // The ILMS model with the paper's elasticities (ψ = 0.67/ε_k, ν = 0: the world has no GDP
    // apart from its flows) and the textbook one.
    let mut ilms = Params::ilms();
    ilms.epsilon = eps.clone();
    ilms.psi = eps.iter().map(|e| ge::ILMS_SCALE_NUMERATOR / e).collect();
    ilms.nu = NuRule::Uniform(0.0);
    for params in [ilms, Params::textbook(eps.clone())] {
        let cal = ge::calibrate(&w, &params).unwrap();
        // Zero shock: the baseline.
        let eq = solve(&cal, &cal.tariffs);
        let out = ge::outcomes(&cal, &eq);
        assert!(out.countries.iter().all(|c| c.welfare_pct.abs() < 1e-9));
        for (a, b) in eq.flows.iter().zip(&cal.flows) {
            assert!((a - b).abs() <= 1e-9 * b.max(1.0));
        }
        // A shock: every equation of the model holds (independent residual).
        let eq = solve(&cal, &us_shock(&cal));
        let parts = ge::residual_parts(&cal, &eq);
        assert!(parts.max() < 1e-10, "{parts:?}");
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_multi_sector_acr_formula_holds_on_the_ll2023_world() {
    // Textbook case (φ = 1, ψ = κ = ν = 0, lump-sum revenue): real income changes by
    // Ŵ_i = (Ê_i / ŵ_i) Π_k λ̂_ii,k^(−β_ik/ε_k) (Costinot and Rodríguez-Clare 2014, eq. 21 with
    // expenditure instead of income), whatever the shock.
    let w = world();
    let eps = w.trade_elasticity.clone().unwrap();
    let cal = ge::calibrate(&w, &Params::textbook(eps.clone())).unwrap();
    let eq = solve(&cal, &us_shock(&cal));
    let out = ge::outcomes(&cal, &eq);
    let (n, kk) = (cal.n, cal.k);
    let mut largest = (0.0_f64, String::new());
    let mut skipped = Vec::new();
    for i in 0..n {
        // The formula reads the price index off the domestic share: a sector bought wholly
        // abroad (λ_ii,k = 0, β_ik > 0) has none, so the country is left out (counted below).
        if (0..kk).any(|k| cal.lambda[cal.index(k, i, i)] == 0.0 && cal.beta[i * kk + k] > 0.0) {
            skipped.push(cal.countries[i].clone());
            continue;
        }
        let spend = eq.expenditure[i] * cal.expenditure[i];
        let mut ln = (eq.expenditure[i] / eq.wage[i]).ln();
        for k in 0..kk {
            let (id, beta) = (cal.index(k, i, i), cal.beta[i * kk + k]);
            let lambda_hat = eq.flows[id] / (beta * spend) / cal.lambda[id];
            ln -= beta / eps[k] * lambda_hat.ln();
        }
        let acr = 100.0 * (ln.exp() - 1.0);
        let ours = out.countries[i].welfare_pct;
        assert!(
            (ours - acr).abs() < 1e-8,
            "{}: {ours} vs {acr}",
            cal.countries[i]
        );
        if ours.abs() > largest.0.abs() {
            largest = (ours, cal.countries[i].clone());
        }
    }
    assert!(skipped.len() <= 3, "left out: {skipped:?}");
    let us = cal.countries.iter().position(|c| c == "USA").unwrap();
    println!("left out (a sector with no domestic supply): {skipped:?}");
    println!(
        "US +20 pts on all goods, textbook, LL elasticities: US welfare {:+.3} %, largest change {} {:+.3} %",
        out.countries[us].welfare_pct, largest.1, largest.0
    );
}
