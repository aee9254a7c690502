//! Strategy on the GE engine: best responses, the Nash tariff war, Nash bargaining and
//! Bagwell–Staiger reciprocity. Seeded synthetic worlds (named so) run without data; the ILMS and
//! Ossa checks need ../shared/data.
//!
//! Tolerances for "no deviation pays": a search stops within δ of the maximiser (1e-6 for the
//! 1-D search, 1e-4 for the war); near a smooth maximum the welfare lost by being δ off is about
//! c·δ²/2 with c the curvature of welfare in the own tariff, which is below 100 welfare points per
//! unit² in these worlds, so a deviation can gain at most ~5e-7 points at δ = 1e-4. We allow 1e-6.

#![allow(clippy::needless_range_loop)]

mod common;

use common::{ilms_like, synthetic_world};

use reciprocity_model::ge::{self, Calibration, NuRule, Params};
use reciprocity_model::strategy::{
    self, apply_controls, closed_form_at, controls, player_welfare, BargainOptions, BestResponse,
    Denominator, Instrument, NashOptions, Player, SearchOptions, StrategyError,
};
use reciprocity_model::Dataset;

/// Welfare points a unilateral deviation may gain at a verified optimum (see the module doc).
const DEVIATION_TOLERANCE: f64 = 1e-6;

/// As [`ilms_like`] with the lump-sum rebate: under income-tax relief, welfare can rise again at
/// very high tariffs (revenue finances ever more labour supply), so wars and multi-rate searches
/// are run with the rebate, as `reciprocity strategy nash` does by default.
fn ilms_like_rebate(k: usize) -> Params {
    Params {
        revenue: ge::Revenue::LumpSum,
        ..ilms_like(k)
    }
}

fn welfare_with(
    cal: &Calibration,
    tariffs: &[f64],
    player: &Player,
    instrument: Instrument,
    rates: &[f64],
) -> f64 {
    let (ctrls, _) = controls(cal, player, instrument);
    let mut t = tariffs.to_vec();
    apply_controls(&ctrls, rates, &mut t);
    let eq = ge::solve(cal, &t, &ge::SolverOptions::default()).unwrap();
    player_welfare(cal, &ge::outcomes(cal, &eq), &player.members)
}

/// The numerical uniform optimum of `player` from the factual tariffs, default search.
fn optimal_uniform(cal: &Calibration, player: &Player) -> BestResponse {
    strategy::best_response(
        cal,
        &cal.tariffs,
        player,
        Instrument::Uniform,
        None,
        &SearchOptions::default(),
    )
    .unwrap()
}

/// The largest gain from a unilateral deviation of one uniform rate: ±0.5 point and a coarse grid.
fn best_uniform_deviation(
    cal: &Calibration,
    tariffs: &[f64],
    player: &Player,
    rate: f64,
    at: f64,
) -> (f64, f64) {
    let mut trials = vec![rate - 0.005, rate + 0.005];
    trials.extend((0..=20).map(|g| g as f64 * 0.05));
    trials
        .into_iter()
        .filter(|r| *r >= 0.0)
        .map(|r| {
            (
                welfare_with(cal, tariffs, player, Instrument::Uniform, &[r]) - at,
                r,
            )
        })
        .fold(
            (f64::NEG_INFINITY, 0.0),
            |a, b| if b.0 > a.0 { b } else { a },
        )
}

#[test]
fn closed_form_at_the_factual_state_is_the_ilms_formula() {
    let data = synthetic_world(3, 5, 2, false);
    let cal = ge::calibrate(&data, &ilms_like(2)).unwrap();
    for i in 0..cal.n {
        for d in [Denominator::Expenditure, Denominator::Income] {
            let a = closed_form_at(&cal, None, &[i], d).unwrap();
            let b = strategy::optimal_tariff_closed_form(&cal, i, d).unwrap();
            assert!((a - b).abs() < 1e-13, "{i} {d:?}: {a} vs {b}");
        }
    }
    // A bloc has more market power than any of its members alone.
    let bloc = closed_form_at(&cal, None, &[0, 1], Denominator::Expenditure).unwrap();
    let alone = closed_form_at(&cal, None, &[0], Denominator::Expenditure).unwrap();
    assert!(bloc > alone, "bloc {bloc} vs member {alone}");
}

#[test]
fn textbook_two_country_optimum_matches_the_sufficient_statistic_formula() {
    // Two countries, balanced trade (symmetric foreign flows), textbook Armington: the optimal
    // uniform tariff is t* = 1/(ε λ_FF), λ_FF the foreign domestic share at the optimum (Gros 1987;
    // Costinot & Rodríguez-Clare 2014). An independent check of the numerical search.
    let mut data = Dataset::zeros(
        "synthetic two-country",
        vec!["H".into(), "F".into()],
        vec!["TOTAL".into()],
    );
    data.flows = vec![80.0, 20.0, 20.0, 50.0];
    data.has_domestic_flows = true;
    let cal = ge::calibrate(&data, &Params::textbook(vec![4.0])).unwrap();
    let home = Player::country(&cal, 0);
    let br = optimal_uniform(&cal, &home);
    let at_optimum =
        closed_form_at(&cal, Some(&br.equilibrium), &[0], Denominator::Expenditure).unwrap();
    let lambda_ff = br.equilibrium.flows[3] / (br.equilibrium.expenditure[1] * cal.expenditure[1]);
    let gros = 1.0 / (4.0 * lambda_ff);
    assert!(
        (br.rates[0] - gros).abs() < 1e-5,
        "numerical {} vs 1/(ε λ_FF) = {gros}",
        br.rates[0]
    );
    // The ILMS form divides by imports gross of the tariff, so at the optimum it reads (1 + t*) times that.
    assert!(
        (at_optimum - (1.0 + br.rates[0]) * gros).abs() < 1e-5,
        "{at_optimum}"
    );
    assert!(br.welfare_pct > 0.0);
}

#[test]
fn textbook_multi_country_optimum_is_the_closed_form_at_the_optimum() {
    // Five countries, balanced trade (symmetrised seeded synthetic flows), textbook Armington.
    // The §7 closed form is a sufficient statistic: evaluated at the optimum's own trade shares it
    // is the optimum (up to the (1+t) of imports measured gross of the tariff: ILMS's factual
    // tariffs are zero, so the published form does not distinguish). Evaluated at the factual
    // shares, as ILMS publish it, it is off by up to several points here; on the ILMS world, whose
    // deficits, ν, φ and elastic labour the formula does not carry, it is off by 3.3 points.
    let mut data = synthetic_world(5, 5, 1, false);
    let n = 5;
    for j in 0..n {
        for i in 0..j {
            let mean = (data.flows[j * n + i] + data.flows[i * n + j]) / 2.0;
            data.flows[j * n + i] = mean;
            data.flows[i * n + j] = mean;
        }
    }
    let cal = ge::calibrate(&data, &Params::textbook(vec![4.0])).unwrap();
    let mut worst_factual: f64 = 0.0;
    for c in 0..n {
        let player = Player::country(&cal, c);
        let br = optimal_uniform(&cal, &player);
        let t = br.rates[0];
        let at_optimum =
            closed_form_at(&cal, Some(&br.equilibrium), &[c], Denominator::Expenditure).unwrap()
                / (1.0 + t);
        assert!(
            (at_optimum - t).abs() < 0.001,
            "country {c}: numerical {t} vs the closed form at the optimum {at_optimum}"
        );
        let factual =
            strategy::optimal_tariff_closed_form(&cal, c, Denominator::Expenditure).unwrap();
        worst_factual = worst_factual.max((factual - t).abs());
    }
    // The factual-share evaluation is a first-order approximation, and visibly so.
    assert!(worst_factual > 0.01, "{worst_factual}");
}

#[test]
fn uniform_best_response_is_a_maximum() {
    let data = synthetic_world(11, 5, 1, false);
    let cal = ge::calibrate(&data, &ilms_like(1)).unwrap();
    for country in [0, 3] {
        let player = Player::country(&cal, country);
        let br = optimal_uniform(&cal, &player);
        assert!(br.rates[0] > 0.01 && br.rates[0] < 1.0, "{}", br.rates[0]);
        assert!(
            br.welfare_pct > 0.0,
            "a large-enough country gains from its optimal tariff"
        );
        let (gain, at) =
            best_uniform_deviation(&cal, &cal.tariffs, &player, br.rates[0], br.welfare_pct);
        assert!(
            gain <= DEVIATION_TOLERANCE,
            "deviating to {at} gains {gain:e}"
        );
    }
}

#[test]
fn richer_instruments_do_at_least_as_well_and_are_maxima() {
    let data = synthetic_world(5, 4, 3, false);
    let cal = ge::calibrate(&data, &ilms_like_rebate(3)).unwrap();
    let player = Player::country(&cal, 1);
    let options = SearchOptions {
        gradient_tolerance: 1e-6,
        ..SearchOptions::default()
    };
    let uniform = strategy::best_response(
        &cal,
        &cal.tariffs,
        &player,
        Instrument::Uniform,
        None,
        &options,
    )
    .unwrap();
    for instrument in [Instrument::BySector, Instrument::ByPartner] {
        let br = strategy::best_response(&cal, &cal.tariffs, &player, instrument, None, &options)
            .unwrap();
        assert_eq!(br.rates.len(), 3, "{instrument:?}");
        assert!(
            br.welfare_pct >= uniform.welfare_pct - 1e-9,
            "{instrument:?}: {} < {}",
            br.welfare_pct,
            uniform.welfare_pct
        );
        for c in 0..br.rates.len() {
            for h in [-0.005, 0.005] {
                let mut r = br.rates.clone();
                r[c] = (r[c] + h).max(0.0);
                let gain =
                    welfare_with(&cal, &cal.tariffs, &player, instrument, &r) - br.welfare_pct;
                assert!(
                    gain <= DEVIATION_TOLERANCE,
                    "{instrument:?} control {c} {h:+}: gain {gain:e}"
                );
            }
        }
    }
    // With sector-specific elasticities the sector rates differ.
    let by_sector = strategy::best_response(
        &cal,
        &cal.tariffs,
        &player,
        Instrument::BySector,
        None,
        &options,
    )
    .unwrap();
    assert!(
        (by_sector.rates[0] - by_sector.rates[2]).abs() > 0.01,
        "{:?}",
        by_sector.rates
    );
}

#[test]
fn nash_equilibrium_has_no_profitable_unilateral_deviation() {
    let data = synthetic_world(21, 5, 1, false);
    let cal = ge::calibrate(&data, &ilms_like_rebate(1)).unwrap();
    let players: Vec<Player> = (0..cal.n).map(|i| Player::country(&cal, i)).collect();
    let r = strategy::nash(
        &cal,
        &cal.tariffs,
        &players,
        &NashOptions::default(),
        &|_| {},
    )
    .unwrap();
    assert!(
        r.residual < 1e-4 && r.rounds >= 2,
        "residual {} rounds {}",
        r.residual,
        r.rounds
    );
    assert!(
        r.history.windows(2).all(|w| w[1] < w[0]),
        "residuals fall: {:?}",
        r.history
    );
    for (p, player) in players.iter().enumerate() {
        assert!(
            r.rates[p][0] > 0.0,
            "every player levies a tariff in the war"
        );
        let (gain, at) =
            best_uniform_deviation(&cal, &r.tariffs, player, r.rates[p][0], r.welfare_pct[p]);
        assert!(
            gain <= DEVIATION_TOLERANCE,
            "{}: deviating to {at} gains {gain:e}",
            player.name
        );
    }
    // A tariff war is worse for the world than free trade: world trade falls.
    assert!(r.outcomes.world_trade_to_gdp_pct < 0.0);
    // Serial and parallel runs agree.
    let serial = strategy::nash(
        &cal,
        &cal.tariffs,
        &players,
        &NashOptions {
            threads: 1,
            ..NashOptions::default()
        },
        &|_| {},
    )
    .unwrap();
    for p in 0..players.len() {
        assert!((serial.rates[p][0] - r.rates[p][0]).abs() < 1e-12);
    }
}

#[test]
fn nash_with_a_bloc_and_sector_tariffs() {
    let data = synthetic_world(33, 4, 2, false);
    let cal = ge::calibrate(&data, &ilms_like_rebate(2)).unwrap();
    let players = vec![
        Player {
            name: "BLOC".into(),
            members: vec![0, 1],
        },
        Player::country(&cal, 2),
        Player::country(&cal, 3),
    ];
    let options = NashOptions {
        instrument: Instrument::BySector,
        search: SearchOptions {
            gradient_tolerance: 1e-6,
            ..NashOptions::default().search
        },
        ..NashOptions::default()
    };
    let r = strategy::nash(&cal, &cal.tariffs, &players, &options, &|_| {}).unwrap();
    assert!(r.residual < 1e-4);
    for (p, player) in players.iter().enumerate() {
        assert_eq!(r.rates[p].len(), 2);
        for c in 0..2 {
            for h in [-0.005, 0.005] {
                let mut rates = r.rates[p].clone();
                rates[c] = (rates[c] + h).max(0.0);
                let gain = welfare_with(&cal, &r.tariffs, player, Instrument::BySector, &rates)
                    - r.welfare_pct[p];
                assert!(
                    gain <= DEVIATION_TOLERANCE,
                    "{} sector {c} {h:+}: gain {gain:e}",
                    player.name
                );
            }
        }
    }
    // The bloc keeps free trade inside.
    assert_eq!(cal.pairs(&r.tariffs).get(0, 0, 1), 0.0);
}

#[test]
fn bad_war_input_is_rejected_and_non_convergence_is_an_error() {
    let data = synthetic_world(1, 3, 1, false);
    let cal = ge::calibrate(&data, &ilms_like(1)).unwrap();
    let overlap = vec![
        Player {
            name: "A".into(),
            members: vec![0, 1],
        },
        Player::country(&cal, 1),
    ];
    let e = strategy::nash(
        &cal,
        &cal.tariffs,
        &overlap,
        &NashOptions::default(),
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(e, StrategyError::InvalidInput(_)), "{e}");
    let players: Vec<Player> = (0..3).map(|i| Player::country(&cal, i)).collect();
    let e = strategy::nash(
        &cal,
        &cal.tariffs,
        &players,
        &NashOptions {
            damping: 0.0,
            ..NashOptions::default()
        },
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(e, StrategyError::InvalidInput(_)), "{e}");
    let e = strategy::nash(
        &cal,
        &cal.tariffs,
        &players,
        &NashOptions {
            max_rounds: 1,
            ..NashOptions::default()
        },
        &|_| {},
    )
    .unwrap_err();
    assert!(
        matches!(e, StrategyError::NotConverged { iterations: 1, .. }),
        "{e}"
    );
}

#[test]
fn bargaining_solution_is_on_the_frontier_and_individually_rational() {
    let data = synthetic_world(7, 4, 1, false);
    let cal = ge::calibrate(&data, &ilms_like_rebate(1)).unwrap();
    let (home, partner) = (Player::country(&cal, 0), Player::country(&cal, 1));
    // Disagreement: a bilateral trade war at 40% both ways.
    let mut threat = cal.tariffs.clone();
    cal.pairs_mut(&mut threat).set(0, 1, 0, 0.4);
    cal.pairs_mut(&mut threat).set(0, 0, 1, 0.4);
    let options = BargainOptions {
        frontier_points: 11,
        search: SearchOptions {
            gradient_tolerance: 1e-7,
            ..SearchOptions::default()
        },
        ..BargainOptions::default()
    };
    let r = strategy::bargain(&cal, &threat, &home, &partner, &options).unwrap();
    let d = &r.disagreement;
    let (gh, gp) = (r.solution.home_gain(d), r.solution.partner_gain(d));
    assert!(
        gh > 0.0 && gp > 0.0,
        "individually rational: gains {gh} {gp}"
    );
    // On the frontier: no nearby pair of tariffs raises both welfares.
    let both = |x: f64, y: f64| {
        let mut t = threat.clone();
        cal.pairs_mut(&mut t).set(0, 1, 0, x);
        cal.pairs_mut(&mut t).set(0, 0, 1, y);
        let out = ge::outcomes(
            &cal,
            &ge::solve(&cal, &t, &ge::SolverOptions::default()).unwrap(),
        );
        (out.countries[0].welfare_pct, out.countries[1].welfare_pct)
    };
    let (x, y) = (r.solution.home_rates[0], r.solution.partner_rates[0]);
    for step in [0.002, 0.02] {
        for a in 0..8 {
            let angle = a as f64 * std::f64::consts::FRAC_PI_4;
            let (dx, dy) = (step * angle.cos(), step * angle.sin());
            if x + dx < 0.0 || y + dy < 0.0 {
                continue;
            }
            let (wh, wp) = both(x + dx, y + dy);
            let better =
                (wh - r.solution.home_welfare_pct).min(wp - r.solution.partner_welfare_pct);
            assert!(
                better <= DEVIATION_TOLERANCE,
                "({dx:+.3}, {dy:+.3}) raises both by {better:e}"
            );
        }
    }
    // The solution maximises the Nash product over the frontier points, and the frontier is
    // ordered: more weight on home, more welfare for home.
    let product = |wh: f64, wp: f64| {
        0.5 * (wh - d.home_welfare_pct).ln() + 0.5 * (wp - d.partner_welfare_pct).ln()
    };
    for f in &r.frontier {
        let v = product(f.home_welfare_pct, f.partner_welfare_pct);
        assert!(
            v.is_nan() || v <= r.log_nash_product + 1e-9,
            "frontier point ω={} beats the solution",
            f.weight
        );
    }
    assert!(r
        .frontier
        .windows(2)
        .all(|w| w[1].home_welfare_pct >= w[0].home_welfare_pct - 1e-7));
    // A larger weight on home moves the deal towards home.
    let tilted = strategy::bargain(
        &cal,
        &threat,
        &home,
        &partner,
        &BargainOptions {
            weight: 0.8,
            ..options
        },
    )
    .unwrap();
    assert!(tilted.solution.home_welfare_pct > r.solution.home_welfare_pct);
}

#[test]
fn symmetric_cuts_are_reciprocal_and_one_sided_cuts_are_not() {
    // Two identical countries and a third: a symmetric world (synthetic).
    let mut data = Dataset::zeros(
        "synthetic symmetric",
        vec!["A".into(), "B".into(), "R".into()],
        vec!["TOTAL".into()],
    );
    data.flows = vec![100.0, 20.0, 10.0, 20.0, 100.0, 10.0, 10.0, 10.0, 150.0];
    data.has_domestic_flows = true;
    let cal = ge::calibrate(&data, &ilms_like(1)).unwrap();
    let (a, b) = (Player::country(&cal, 0), Player::country(&cal, 1));
    let mut threat = cal.tariffs.clone();
    cal.pairs_mut(&mut threat).set(0, 1, 0, 0.3);
    cal.pairs_mut(&mut threat).set(0, 0, 1, 0.3);
    let solve = |t: &[f64]| ge::solve(&cal, t, &ge::SolverOptions::default()).unwrap();
    let before = solve(&threat);
    let mut both = threat.clone();
    cal.pairs_mut(&mut both).set(0, 1, 0, 0.1);
    cal.pairs_mut(&mut both).set(0, 0, 1, 0.1);
    let r = strategy::reciprocity(&cal, &before, &solve(&both), &[0], &[1]);
    assert!(
        r.terms_of_trade_pct.abs() < 1e-9 && r.imbalance_pct.abs() < 1e-9 && r.reciprocal,
        "{r:?}"
    );
    assert!(r.home_import_change > 0.0, "a cut raises imports");
    let mut one = threat.clone();
    cal.pairs_mut(&mut one).set(0, 1, 0, 0.1); // only A cuts
    let r = strategy::reciprocity(&cal, &before, &solve(&one), &[0], &[1]);
    assert!(
        r.terms_of_trade_pct < -0.1 && !r.reciprocal,
        "a one-sided cut worsens A's terms of trade: {r:?}"
    );
    assert!(
        r.imbalance_pct > 0.0,
        "A's imports rise more than its exports: {r:?}"
    );
    // The partner rate that restores reciprocity for A's cut to 10% is B's symmetric cut.
    let rate = strategy::reciprocal_partner_rate(
        &cal,
        &one,
        &before,
        &a,
        &b,
        0.0,
        5.0,
        &ge::SolverOptions::default(),
    )
    .unwrap()
    .unwrap();
    assert!((rate - 0.1).abs() < 1e-6, "{rate}");
}

// ---- the shared worlds ----

#[test]
#[ignore = "needs ../shared/data"]
fn ilms_us_optimal_tariff_closed_form_and_numerical() {
    let data = common::ilms_world();
    let cal = ge::calibrate(&data, &Params::ilms()).unwrap();
    let us = data.country_index("USA").unwrap();
    let cf = strategy::optimal_tariff_closed_form(&cal, us, Denominator::Expenditure).unwrap();
    assert!((cf - 0.2179882150).abs() < 1e-9, "{cf}");
    let player = Player::country(&cal, us);
    let br = optimal_uniform(&cal, &player);
    let at_cf = welfare_with(&cal, &cal.tariffs, &player, Instrument::Uniform, &[cf]);
    // Published: +1.79 at the closed-form rate. The numerical optimum is higher and does better.
    assert!((at_cf - 1.79).abs() < 0.005, "{at_cf}");
    assert!(
        (br.rates[0] - 0.2512).abs() < 0.0005,
        "numerical optimum {}",
        br.rates[0]
    );
    assert!(
        (br.welfare_pct - 1.806).abs() < 0.0005 && br.welfare_pct > at_cf,
        "{}",
        br.welfare_pct
    );
    let (gain, at) =
        best_uniform_deviation(&cal, &cal.tariffs, &player, br.rates[0], br.welfare_pct);
    assert!(
        gain <= DEVIATION_TOLERANCE,
        "deviating to {at} gains {gain:e}"
    );
    // The closed form does not depend on how revenue is used or on κ; the exact optimum does:
    // it is 14.23% with the lump-sum rebate and 19.53% with inelastic labour (κ = 0). Income-tax
    // relief with elastic labour adds a revenue motive (cheaper labour-supply distortion), which
    // is why the baseline optimum lies above the formula.
    for (params, expected) in [
        (
            Params {
                revenue: ge::Revenue::LumpSum,
                ..Params::ilms()
            },
            0.1423,
        ),
        (
            Params {
                kappa: 0.0,
                ..Params::ilms()
            },
            0.1953,
        ),
    ] {
        let cal = ge::calibrate(&data, &params).unwrap();
        let player = Player::country(&cal, us);
        let again =
            strategy::optimal_tariff_closed_form(&cal, us, Denominator::Expenditure).unwrap();
        assert!((again - cf).abs() < 1e-12);
        let br = optimal_uniform(&cal, &player);
        assert!(
            (br.rates[0] - expected).abs() < 0.0005,
            "{} vs {expected}",
            br.rates[0]
        );
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn ilms_war_among_the_main_players() {
    let data = common::ilms_world();
    let cal = ge::calibrate(
        &data,
        &Params {
            revenue: ge::Revenue::LumpSum,
            ..Params::ilms()
        },
    )
    .unwrap();
    let idx = |c: &str| data.country_index(c).unwrap();
    let eu: Vec<usize> = data.groups["EU25"].iter().map(|c| idx(c)).collect();
    let mut players: Vec<Player> = ["USA", "CHN", "JPN", "CAN", "MEX"]
        .iter()
        .map(|c| Player::country(&cal, idx(c)))
        .collect();
    players.push(Player {
        name: "EU25".into(),
        members: eu,
    });
    let r = strategy::nash(
        &cal,
        &cal.tariffs,
        &players,
        &NashOptions::default(),
        &|_| {},
    )
    .unwrap();
    assert!(r.residual < 1e-4);
    for (p, player) in players.iter().enumerate() {
        let (gain, at) =
            best_uniform_deviation(&cal, &r.tariffs, player, r.rates[p][0], r.welfare_pct[p]);
        assert!(
            gain <= DEVIATION_TOLERANCE,
            "{}: deviating to {at} gains {gain:e}",
            player.name
        );
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn ossa_sector_level_war() {
    let data = common::ossa_world();
    let eps = data.trade_elasticity.clone().unwrap();
    let params = Params {
        psi: eps.iter().map(|e| ge::ILMS_SCALE_NUMERATOR / e).collect(),
        epsilon: eps,
        nu: NuRule::Uniform(0.0),
        ..Params::ilms()
    };
    let cal = ge::calibrate(&data, &params).unwrap();
    let players: Vec<Player> = (0..cal.n).map(|i| Player::country(&cal, i)).collect();
    let options = NashOptions {
        instrument: Instrument::BySector,
        ..NashOptions::default()
    };
    let r = strategy::nash(&cal, &cal.tariffs, &players, &options, &|_| {}).unwrap();
    assert!(r.residual < 1e-4);
    let us = data.country_index("USA").unwrap();
    for c in 0..r.rates[us].len() {
        for h in [-0.005, 0.005] {
            let mut rates = r.rates[us].clone();
            rates[c] = (rates[c] + h).max(0.0);
            let gain = welfare_with(&cal, &r.tariffs, &players[us], Instrument::BySector, &rates)
                - r.welfare_pct[us];
            assert!(
                gain <= DEVIATION_TOLERANCE,
                "USA sector {c} {h:+}: gain {gain:e}"
            );
        }
    }
}

/// A sector the calibration marks as not tariffable (services) is in no control, so every
/// instrument leaves its tariffs where they started.
#[test]
fn untariffable_sectors_are_left_at_their_start() {
    let data = synthetic_world(7, 4, 3, true);
    let mut cal = ge::calibrate(&data, &ilms_like(3)).unwrap();
    cal.tariffable = vec![true, false, true];
    let me = Player::country(&cal, 0);
    for instrument in [
        Instrument::Uniform,
        Instrument::ByPartner,
        Instrument::BySector,
    ] {
        let (ctrls, _) = controls(&cal, &me, instrument);
        assert!(!ctrls.is_empty());
        let mut t = cal.tariffs.clone();
        apply_controls(&ctrls, &vec![0.37; ctrls.len()], &mut t);
        for j in 1..cal.n {
            assert_eq!(
                t[cal.index(1, j, 0)],
                cal.tariffs[cal.index(1, j, 0)],
                "{instrument:?}"
            );
            assert_eq!(t[cal.index(0, j, 0)], 0.37, "{instrument:?}");
            assert_eq!(t[cal.index(2, j, 0)], 0.37, "{instrument:?}");
        }
    }
    assert_eq!(controls(&cal, &me, Instrument::BySector).0.len(), 2);
}
