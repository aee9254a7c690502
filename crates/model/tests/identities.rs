//! Identities and analytic cases of the GE engine on seeded synthetic worlds (no data needed):
//! zero shock, numéraire and unit invariance, the textbook case against an independent solver,
//! an analytic two-country case, the ACR welfare identity, K identical sectors, error paths.

#![allow(clippy::needless_range_loop)]

mod common;

use common::{ilms_like, synthetic_world, Rng};
use proptest::prelude::*;
use reciprocity_model::ge::{self, Calibration, Equilibrium, NuRule, Params, PhiRule, Revenue};
use reciprocity_model::Dataset;

fn solve(cal: &Calibration, t: &[f64]) -> Equilibrium {
    let eq = ge::solve(cal, t, &ge::SolverOptions::default()).unwrap();
    assert!(
        eq.report.max_residual < 1e-10,
        "residual {:e}",
        eq.report.max_residual
    );
    eq
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn zero_shock_returns_the_baseline(seed in 0u64..1_000_000, n in 2usize..7, k in 1usize..4, tariffs in any::<bool>()) {
        let data = synthetic_world(seed, n, k, tariffs);
        let cal = ge::calibrate(&data, &ilms_like(k)).unwrap();
        let eq = solve(&cal, &cal.tariffs);
        for i in 0..n {
            prop_assert!((eq.wage[i] - 1.0).abs() < 1e-12);
            prop_assert!((eq.expenditure[i] - 1.0).abs() < 1e-12);
            prop_assert!((eq.employment[i] - 1.0).abs() < 1e-12);
            prop_assert!((eq.price_index[i] - 1.0).abs() < 1e-12);
        }
        for (a, b) in eq.flows.iter().zip(&cal.flows) {
            prop_assert!((a - b).abs() <= 1e-12 * b.max(1.0));
        }
        let out = ge::outcomes(&cal, &eq);
        for c in &out.countries {
            prop_assert!(c.welfare_pct.abs() < 1e-10 && c.price_index_pct.abs() < 1e-10);
            prop_assert!(c.real_gdp_pct.abs() < 1e-10);
        }
    }

    #[test]
    fn random_shocks_satisfy_every_equation(seed in 0u64..1_000_000, n in 2usize..7, k in 1usize..4) {
        let data = synthetic_world(seed, n, k, true);
        let cal = ge::calibrate(&data, &ilms_like(k)).unwrap();
        let mut rng = Rng(seed ^ 0xABCD);
        let t: Vec<f64> = cal.tariffs.iter().enumerate().map(|(id, t0)| {
            let (j, i) = ((id / n) % n, id % n);
            if i == j { 0.0 } else { t0 + 0.6 * rng.uniform() }
        }).collect();
        let eq = solve(&cal, &t);
        let parts = ge::residual_parts(&cal, &eq);
        prop_assert!(parts.max() < 1e-10, "{:?}", parts);
    }
}

#[test]
fn numeraire_and_units_do_not_change_real_outcomes() {
    let data = synthetic_world(7, 5, 2, true);
    let cal = ge::calibrate(&data, &ilms_like(2)).unwrap();
    let mut t = cal.tariffs.clone();
    *cal.pairs_mut(&mut t).get_mut(0, 1, 0) += 0.4;
    *cal.pairs_mut(&mut t).get_mut(1, 2, 3) += 0.2;
    let eq = solve(&cal, &t);
    let base = ge::outcomes(&cal, &eq);
    // Another numéraire: every nominal hat times c. Real equations still hold, welfare is unchanged.
    let c = 1.7;
    let scaled = Equilibrium {
        wage: eq.wage.iter().map(|v| v * c).collect(),
        expenditure: eq.expenditure.iter().map(|v| v * c).collect(),
        price_index: eq.price_index.iter().map(|v| v * c).collect(),
        revenue: eq.revenue.iter().map(|v| v * c).collect(),
        flows: eq.flows.iter().map(|v| v * c).collect(),
        ..eq.clone()
    };
    let parts = ge::residual_parts(&cal, &scaled);
    assert!(parts.max_real() < 1e-10, "{parts:?}");
    assert!(
        parts.numeraire > 0.1,
        "the numéraire equation must notice the rescaling"
    );
    let moved = ge::outcomes(&cal, &scaled);
    for (a, b) in base.countries.iter().zip(&moved.countries) {
        assert!((a.welfare_pct - b.welfare_pct).abs() < 1e-10);
        assert!((a.employment_pct - b.employment_pct).abs() < 1e-10);
        // Real GDP is real: a nominal rescaling leaves it alone.
        assert!((a.real_gdp_pct - b.real_gdp_pct).abs() < 1e-10);
    }
    // Units: the same world in thousands gives the same hats.
    let mut thousand = data.clone();
    thousand.flows.iter_mut().for_each(|v| *v *= 1000.0);
    let cal_k = ge::calibrate(&thousand, &ilms_like(2)).unwrap();
    let eq_k = solve(&cal_k, &t);
    for i in 0..5 {
        assert!((eq.wage[i] - eq_k.wage[i]).abs() < 1e-10);
        assert!((eq.price_index[i] - eq_k.price_index[i]).abs() < 1e-10);
    }
}

/// An independent textbook solver (Costinot & Rodríguez-Clare 2014, §3 with revenue and fixed
/// deficits), written from the hat-algebra equations without the engine's reductions:
/// tâtonnement on wages with world income fixed as numéraire, revenue by inner fixed point.
fn textbook_independent(cal: &Calibration, t1: &[f64], eps: &[f64]) -> Vec<f64> {
    let (n, kk) = (cal.n, cal.k);
    // Its own layout arithmetic, so that the check does not lean on the engine's.
    let at = |k: usize, j: usize, i: usize| (k * n + j) * n + i;
    let y = &cal.income;
    let world: f64 = y.iter().sum();
    let mut w = vec![1.0; n];
    let mut welfare = vec![1.0; n];
    for _ in 0..200_000 {
        let mut lam = vec![0.0; kk * n * n];
        let mut ln_p = vec![0.0; n];
        for k in 0..kk {
            for i in 0..n {
                let mut total = 0.0;
                for j in 0..n {
                    let id = at(k, j, i);
                    let v = cal.lambda[id]
                        * (w[j] * (1.0 + t1[id]) / (1.0 + cal.tariffs[id])).powf(-eps[k]);
                    lam[id] = v;
                    total += v;
                }
                for j in 0..n {
                    lam[at(k, j, i)] /= total;
                }
                ln_p[i] += cal.beta[i * kk + k] * (-1.0 / eps[k]) * total.ln();
            }
        }
        let scale = (0..n).map(|i| w[i] * y[i]).sum::<f64>() / world;
        let mut spend = vec![0.0; n];
        for i in 0..n {
            let share_tax: f64 = (0..kk)
                .map(|k| {
                    cal.beta[i * kk + k]
                        * (0..n)
                            .map(|j| lam[at(k, j, i)] * t1[at(k, j, i)] / (1.0 + t1[at(k, j, i)]))
                            .sum::<f64>()
                })
                .sum();
            spend[i] = (w[i] * y[i] + cal.transfers[i] * scale) / (1.0 - share_tax);
        }
        let mut excess: f64 = 0.0;
        let mut next = w.clone();
        for j in 0..n {
            let sales: f64 = (0..kk)
                .map(|k| {
                    (0..n)
                        .map(|i| {
                            lam[at(k, j, i)] * cal.beta[i * kk + k] * spend[i]
                                / (1.0 + t1[at(k, j, i)])
                        })
                        .sum::<f64>()
                })
                .sum();
            excess = excess.max((sales / (w[j] * y[j]) - 1.0).abs());
            next[j] = w[j] * (sales / (w[j] * y[j])).powf(0.2);
        }
        for i in 0..n {
            welfare[i] = spend[i] / cal.expenditure[i] / ln_p[i].exp();
        }
        if excess < 1e-13 {
            return welfare;
        }
        w = next;
    }
    panic!("the independent textbook solver did not converge");
}

#[test]
fn textbook_case_matches_an_independent_implementation() {
    for (seed, n, k) in [(11, 4, 1), (12, 5, 3), (13, 3, 2)] {
        let data = synthetic_world(seed, n, k, true);
        let eps: Vec<f64> = (0..k).map(|s| 2.5 + 1.5 * s as f64).collect();
        let cal = ge::calibrate(&data, &Params::textbook(eps.clone())).unwrap();
        let mut rng = Rng(seed);
        let t: Vec<f64> = cal
            .tariffs
            .iter()
            .enumerate()
            .map(|(id, t0)| {
                let (j, i) = ((id / n) % n, id % n);
                if i == j {
                    0.0
                } else {
                    (t0 + 0.5 * rng.uniform() - 0.1).max(0.0)
                }
            })
            .collect();
        let eq = solve(&cal, &t);
        let ours = ge::outcomes(&cal, &eq);
        let theirs = textbook_independent(&cal, &t, &eps);
        for i in 0..n {
            let w = 100.0 * (theirs[i] - 1.0);
            assert!(
                (ours.countries[i].welfare_pct - w).abs() < 1e-8,
                "seed {seed} country {i}: {} vs {w}",
                ours.countries[i].welfare_pct
            );
        }
    }
}

#[test]
fn two_country_case_matches_the_analytic_solution() {
    // Symmetric countries, one sector, ε = 5, domestic share a = 0.8, no deficits; Home taxes
    // Foreign's goods at t. With ŵ_F = 1 the model reduces to one equation in ŵ_H = w:
    //   w = λ′_HH(w) E′_H(w) + λ′_HF(w)·1,  E′_H = w / (1 − λ′_FH t/(1+t)).
    let (eps, a, t) = (5.0f64, 0.8f64, 0.3f64);
    let mut data = Dataset::zeros(
        "two symmetric countries",
        vec!["HOM".into(), "FOR".into()],
        vec!["TOTAL".into()],
    );
    data.flows = vec![a, 1.0 - a, 1.0 - a, a]; // [exporter][importer]
    data.has_domestic_flows = true;
    let cal = ge::calibrate(&data, &Params::textbook(vec![eps])).unwrap();
    let mut tariffs = vec![0.0; 4];
    cal.pairs_mut(&mut tariffs).set(0, 1, 0, t);
    let eq = solve(&cal, &tariffs);
    let out = ge::outcomes(&cal, &eq);

    let denom_h = |w: f64| a * w.powf(-eps) + (1.0 - a) * (1.0 + t).powf(-eps);
    let spend_h =
        |w: f64| w / (1.0 - (1.0 - a) * (1.0 + t).powf(-eps) / denom_h(w) * t / (1.0 + t));
    let excess = |w: f64| {
        let home = a * w.powf(-eps) / denom_h(w) * spend_h(w);
        let foreign = (1.0 - a) * w.powf(-eps) / ((1.0 - a) * w.powf(-eps) + a);
        home + foreign - w
    };
    let (mut lo, mut hi) = (0.5, 2.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if excess(mid) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    let w = 0.5 * (lo + hi);
    let welfare_home = spend_h(w) * denom_h(w).powf(1.0 / eps) - 1.0;
    let welfare_foreign = ((1.0 - a) * w.powf(-eps) + a).powf(1.0 / eps) - 1.0;
    assert!(
        (out.countries[0].welfare_pct - 100.0 * welfare_home).abs() < 1e-9,
        "{} vs {}",
        out.countries[0].welfare_pct,
        100.0 * welfare_home
    );
    assert!((out.countries[1].welfare_pct - 100.0 * welfare_foreign).abs() < 1e-9);
    assert!(
        welfare_home > 0.0 && welfare_foreign < 0.0,
        "a small tariff improves Home's terms of trade"
    );
}

#[test]
fn acr_identity_holds_in_the_one_sector_textbook_case() {
    // With φ = 1, ψ = κ = 0 and lump-sum revenue: Ŵ_i = (Ê_i/ŵ_i) · λ̂_ii^(−1/ε).
    let data = synthetic_world(21, 6, 1, false);
    let eps = 4.0;
    let cal = ge::calibrate(&data, &Params::textbook(vec![eps])).unwrap();
    let mut t = vec![0.0; 36];
    for j in 1..6 {
        cal.pairs_mut(&mut t).set(0, j, 0, 0.25);
        cal.pairs_mut(&mut t).set(0, 0, j, 0.10);
    }
    let eq = solve(&cal, &t);
    let out = ge::outcomes(&cal, &eq);
    for i in 0..6 {
        let id = cal.index(0, i, i);
        let spend_new = eq.expenditure[i] * cal.expenditure[i];
        let lambda_hat = eq.flows[id] / spend_new / cal.lambda[id];
        let acr = eq.expenditure[i] / eq.wage[i] * lambda_hat.powf(-1.0 / eps);
        assert!((out.countries[i].welfare_pct - 100.0 * (acr - 1.0)).abs() < 1e-9);
    }
}

#[test]
fn identical_sectors_give_the_one_sector_answer() {
    let one = synthetic_world(31, 5, 1, true);
    let k = 3;
    let mut many = Dataset::zeros(
        "three identical sectors",
        one.countries.clone(),
        (0..k).map(|s| format!("S{s}")).collect(),
    );
    many.has_domestic_flows = true;
    for s in 0..k {
        for j in 0..5 {
            for i in 0..5 {
                let id = many.index(s, j, i);
                many.flows[id] = one.flow_table().get(0, j, i) / k as f64;
                many.tariffs[id] = one.tariff_table().get(0, j, i);
            }
        }
    }
    let params = Params {
        epsilon: vec![4.0],
        nu: NuRule::Uniform(0.1),
        ..Params::ilms()
    };
    let cal1 = ge::calibrate(&one, &params).unwrap();
    let calk = ge::calibrate(&many, &params).unwrap();
    let mut t1 = cal1.tariffs.clone();
    *cal1.pairs_mut(&mut t1).get_mut(0, 2, 0) += 0.3;
    *cal1.pairs_mut(&mut t1).get_mut(0, 0, 4) += 0.15;
    let mut tk = calk.tariffs.clone();
    for s in 0..k {
        for j in 0..5 {
            for i in 0..5 {
                calk.pairs_mut(&mut tk)
                    .set(s, j, i, cal1.pairs(&t1).get(0, j, i));
            }
        }
    }
    let a = ge::outcomes(&cal1, &solve(&cal1, &t1));
    let b = ge::outcomes(&calk, &solve(&calk, &tk));
    for i in 0..5 {
        assert!((a.countries[i].welfare_pct - b.countries[i].welfare_pct).abs() < 1e-9);
        assert!((a.countries[i].price_index_pct - b.countries[i].price_index_pct).abs() < 1e-9);
    }
}

#[test]
fn lump_sum_and_income_tax_relief_differ_only_with_revenue() {
    let data = synthetic_world(41, 4, 1, false);
    let relief = ge::calibrate(&data, &ilms_like(1)).unwrap();
    let lump = ge::calibrate(
        &data,
        &Params {
            revenue: Revenue::LumpSum,
            ..ilms_like(1)
        },
    )
    .unwrap();
    let mut t = vec![0.0; 16];
    relief.pairs_mut(&mut t).set(0, 1, 0, 0.3);
    let a = ge::outcomes(&relief, &solve(&relief, &t));
    let b = ge::outcomes(&lump, &solve(&lump, &t));
    assert!(
        a.countries[0].employment_pct > b.countries[0].employment_pct,
        "tax relief raises labour supply in the taxing country"
    );
}

#[test]
fn non_convergence_is_an_error_with_its_reason() {
    let data = synthetic_world(51, 4, 1, false);
    let cal = ge::calibrate(&data, &ilms_like(1)).unwrap();
    let mut t = vec![0.0; 16];
    cal.pairs_mut(&mut t).set(0, 1, 0, 0.5);
    let options = ge::SolverOptions {
        max_iterations: 2,
        newton_fallback: false,
        ..Default::default()
    };
    match ge::solve(&cal, &t, &options) {
        Err(ge::ModelError::NotConverged {
            termination,
            iterations,
            residual,
        }) => {
            assert_eq!(termination, ge::Termination::MaxIterations);
            assert_eq!(iterations, 2);
            assert!(residual > 1e-10);
        }
        other => panic!("expected NotConverged, got {other:?}"),
    }
    assert!(matches!(
        ge::solve(&cal, &[-1.5; 16], &Default::default()),
        Err(ge::ModelError::InvalidInput(_))
    ));
    let mut bad = data.clone();
    bad.flows[3] = -1.0;
    assert!(matches!(
        ge::calibrate(&bad, &ilms_like(1)),
        Err(ge::ModelError::InvalidInput(_))
    ));
}

#[test]
fn phi_follows_nu_as_in_ilms() {
    let theta = ge::ILMS_EPSILON / ge::ILMS_SCALE_NUMERATOR;
    assert!(
        (1.0 + ge::markup_wedge(0.0, theta) - 1.0).abs() < 1e-15,
        "ν = 0 gives φ = 1"
    );
    let data = synthetic_world(61, 3, 1, false);
    let cal = ge::calibrate(
        &data,
        &Params {
            phi: PhiRule::FromNu { shift: 0.25, theta },
            ..ilms_like(1)
        },
    )
    .unwrap();
    assert!((cal.phi[0] - (0.25 + ge::markup_wedge(0.12, theta))).abs() < 1e-15);
}

#[test]
fn a_warm_start_reaches_the_same_equilibrium_in_fewer_iterations() {
    let data = synthetic_world(71, 6, 2, true);
    let cal = ge::calibrate(&data, &ilms_like(2)).unwrap();
    let mut t = cal.tariffs.clone();
    *cal.pairs_mut(&mut t).get_mut(0, 1, 0) += 0.3;
    let first = solve(&cal, &t);
    *cal.pairs_mut(&mut t).get_mut(1, 2, 0) += 1e-4;
    let cold = solve(&cal, &t);
    let warm = ge::solve_from(&cal, &t, Some(&first), &ge::SolverOptions::default()).unwrap();
    assert!(
        warm.report.iterations < cold.report.iterations,
        "{} vs {}",
        warm.report.iterations,
        cold.report.iterations
    );
    for i in 0..6 {
        assert!((warm.wage[i] - cold.wage[i]).abs() < 1e-10);
        assert!((warm.employment[i] - cold.employment[i]).abs() < 1e-10);
    }
}
