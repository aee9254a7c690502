//! Scoring against independent checks: identities (a proposal that changes nothing scores zero),
//! the quota and purchase fixed points re-checked on the GE flows, and group averages.

mod common;

use common::{eu, jpn, toy};
use reciprocity_negotiation::score::{evaluate, Partner};
use reciprocity_negotiation::{
    PurchaseCommitment, QuotaMethod, Scope, Side, TariffLine, TariffRateQuota, Terms,
};

fn line(by: Side, scope: Scope, rate_pct: f64) -> TariffLine {
    TariffLine {
        levied_by: by,
        scope,
        rate_pct,
    }
}

fn lines(v: Vec<TariffLine>) -> Terms {
    Terms {
        tariff_lines: v,
        ..Default::default()
    }
}

#[test]
fn a_proposal_that_restates_no_deal_scores_zero() {
    let (world, reference) = toy();
    let terms = lines(vec![
        line(Side::Us, Scope::All, 24.0),
        line(Side::Partner, Scope::All, 4.0),
    ]);
    let e = evaluate(&world, &reference, &jpn(), &terms).unwrap();
    let s = &e.score;
    assert!(
        s.us_welfare_pct.abs() < 1e-9 && s.partner_welfare_pct.abs() < 1e-9,
        "{s:?}"
    );
    assert!((s.balance_deal_usd - s.balance_no_deal_usd).abs() < 1e-3);
    assert!(
        (s.us_rate_no_deal_pct - 24.0).abs() < 1e-12 && (s.us_rate_deal_pct - 24.0).abs() < 1e-12
    );
    assert!((s.partner_rate_no_deal_pct - 4.0).abs() < 1e-12);
    assert_eq!(s.solves, 1);
    assert!(s.max_residual < 1e-10);
}

#[test]
fn a_lower_us_rate_helps_the_partner_and_moves_trade() {
    let (world, reference) = toy();
    let s = evaluate(
        &world,
        &reference,
        &jpn(),
        &lines(vec![line(Side::Us, Scope::All, 10.0)]),
    )
    .unwrap()
    .score;
    assert!(s.partner_welfare_pct > 0.0, "{s:?}");
    assert!((s.us_rate_deal_pct - 10.0).abs() < 1e-12);
    // US imports from Japan rise, so the bilateral balance (exports − imports) falls.
    let sector = &s.sectors[0];
    assert!(sector.us_imports_deal_usd > sector.us_imports_no_deal_usd);
    assert!(s.balance_deal_usd < s.balance_no_deal_usd);
    // US revenue: lower rate on a larger flow; here the rate effect dominates.
    assert!(s.us_revenue_deal_usd < s.us_revenue_no_deal_usd);
    // The same partner cutting its own tariff to zero helps the US.
    let s2 = evaluate(
        &world,
        &reference,
        &jpn(),
        &lines(vec![line(Side::Partner, Scope::All, 0.0)]),
    )
    .unwrap()
    .score;
    assert!(s2.us_welfare_pct > 0.0 && s2.partner_rate_deal_pct == 0.0);
    assert!(s2.partner_revenue_deal_usd < s2.partner_revenue_no_deal_usd);
}

#[test]
fn a_bloc_scores_the_expenditure_weighted_mean_of_its_members() {
    let (world, reference) = toy();
    let e = evaluate(
        &world,
        &reference,
        &eu(),
        &lines(vec![line(Side::Us, Scope::All, 15.0)]),
    )
    .unwrap();
    let cal = &world.cal;
    let ratio = |i: usize| {
        100.0
            * ((1.0 + e.outcomes.countries[i].welfare_pct / 100.0)
                / (1.0 + reference.outcomes.countries[i].welfare_pct / 100.0)
                - 1.0)
    };
    let expected = (cal.expenditure[2] * ratio(2) + cal.expenditure[3] * ratio(3))
        / (cal.expenditure[2] + cal.expenditure[3]);
    assert!((e.score.partner_welfare_pct - expected).abs() < 1e-12);
    // Both members' US tariffs moved to 15%.
    for m in [2, 3] {
        assert!((cal.pairs(&e.tariffs).get(0, m, 0) - 0.15).abs() < 1e-15);
    }
}

fn quota(volume_usd: f64, in_pct: f64, out_pct: f64) -> Terms {
    Terms {
        quotas: vec![TariffRateQuota {
            levied_by: Side::Us,
            scope: Scope::All,
            volume: volume_usd,
            unit_value_usd: 1.0,
            in_quota_pct: in_pct,
            out_quota_pct: out_pct,
        }],
        ..Default::default()
    }
}

#[test]
fn the_quota_rate_is_consistent_with_the_ge_flow() {
    let (world, reference) = toy();
    let cal = &world.cal;
    let flow_at =
        |e: &reference_eval::E| cal.pairs(&e.equilibrium.flows).get(0, 1, 0) * world.usd_per_unit;
    // No-deal imports from Japan are about 45m; a 30m quota at 2.5/25% binds part-way.
    let e = evaluate(&world, &reference, &jpn(), &quota(30e6, 2.5, 25.0)).unwrap();
    let m = flow_at(&e);
    let t = e.score.constraints[0].rate_pct / 100.0;
    let implied = 0.025 + (0.25 - 0.025) * (1.0 - 30e6 / m);
    assert!(
        (t - implied).abs() < 1e-7,
        "rate {t} vs fill-implied {implied} (flow {m})"
    );
    assert!(t > 0.025 && t < 0.25);
    assert!((cal.pairs(&e.tariffs).get(0, 1, 0) - t).abs() < 1e-15);
    assert!(e.score.solves > 1);
    // A quota that never fills is the in-quota rate; one that is negligible is (almost) the out-of-quota rate.
    let slack = evaluate(&world, &reference, &jpn(), &quota(1e12, 2.5, 25.0))
        .unwrap()
        .score;
    let plain = evaluate(
        &world,
        &reference,
        &jpn(),
        &lines(vec![line(Side::Us, Scope::All, 2.5)]),
    )
    .unwrap()
    .score;
    assert!((slack.us_welfare_pct - plain.us_welfare_pct).abs() < 1e-12);
    let tight = evaluate(&world, &reference, &jpn(), &quota(1.0, 2.5, 25.0))
        .unwrap()
        .score;
    assert!((tight.constraints[0].rate_pct - 25.0).abs() < 1e-4);
}

#[test]
fn the_marginal_quota_rate_fills_the_quota_exactly() {
    let (mut world, reference) = toy();
    world.quota_method = QuotaMethod::Marginal;
    let cal = world.cal.clone();
    let e = evaluate(&world, &reference, &jpn(), &quota(40e6, 0.0, 40.0)).unwrap();
    let m = cal.pairs(&e.equilibrium.flows).get(0, 1, 0) * world.usd_per_unit;
    assert!((m / 40e6 - 1.0).abs() < 1e-6, "flow {m}");
    let t = e.score.constraints[0].rate_pct;
    assert!(t > 0.0 && t < 40.0);
}

#[test]
fn a_purchase_commitment_is_met_in_equilibrium_or_does_not_bind() {
    let (world, reference) = toy();
    let cal = world.cal.clone();
    let base = cal.pairs(&reference.equilibrium.flows).get(0, 0, 1) * world.usd_per_unit;
    let buy = |usd| Terms {
        purchases: vec![PurchaseCommitment {
            buyer: Side::Partner,
            scope: Scope::All,
            usd,
        }],
        ..Default::default()
    };
    let e = evaluate(&world, &reference, &jpn(), &buy(1.2 * base)).unwrap();
    let reached = cal.pairs(&e.equilibrium.flows).get(0, 0, 1) * world.usd_per_unit;
    assert!(
        (reached / (1.2 * base) - 1.0).abs() < 1e-6,
        "{reached} vs {}",
        1.2 * base
    );
    assert!(e.score.constraints[0].rate_pct < 0.0 && !e.score.constraints[0].capped);
    assert!(e.score.balance_deal_usd > e.score.balance_no_deal_usd);
    // Below the no-deal flow it does not bind: nothing changes.
    let slack = evaluate(&world, &reference, &jpn(), &buy(0.5 * base))
        .unwrap()
        .score;
    assert!(slack.us_welfare_pct.abs() < 1e-12 && slack.constraints[0].rate_pct == 0.0);
}

#[test]
fn an_hs_chapter_line_applies_to_its_share_of_the_sector() {
    let (world, reference) = toy();
    let cal = world.cal.clone();
    let terms = lines(vec![
        line(Side::Us, Scope::All, 24.0),
        line(Side::Us, Scope::Chapter(87), 0.0),
    ]);
    let e = evaluate(&world, &reference, &jpn(), &terms).unwrap();
    // 96 chapters share the one sector equally.
    let expected = 0.24 * 95.0 / 96.0;
    assert!((cal.pairs(&e.tariffs).get(0, 1, 0) - expected).abs() < 1e-15);
    assert!(e.score.notes.iter().any(|n| n.contains("equal share")));
}

#[test]
fn terms_the_world_cannot_represent_are_errors() {
    let (world, reference) = toy();
    let err = evaluate(
        &world,
        &reference,
        &jpn(),
        &lines(vec![line(Side::Us, Scope::Sector("mvh".into()), 0.0)]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "tariff line 1: sector mvh is not a sector of world toy (TOTAL)"
    );
    let usa = Partner {
        code: "USA".into(),
        name: "US".into(),
        members: vec![0],
    };
    assert!(evaluate(
        &world,
        &reference,
        &usa,
        &lines(vec![line(Side::Us, Scope::All, 0.0)])
    )
    .is_err());
}

mod reference_eval {
    pub type E = reciprocity_negotiation::score::Evaluation;
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// For any quota, the effective rate lies between its two rates and satisfies the fill
    /// formula on the GE flow it produces.
    #[test]
    fn any_quota_rate_is_bracketed_and_consistent(volume in 1e6f64..1e8, t_in in 0.0f64..20.0, spread in 0.0f64..40.0) {
        let (world, reference) = toy();
        let e = evaluate(&world, &reference, &jpn(), &quota(volume, t_in, t_in + spread)).unwrap();
        let t = e.score.constraints[0].rate_pct;
        proptest::prop_assert!(t >= t_in - 1e-9 && t <= t_in + spread + 1e-9);
        let m = world.cal.pairs(&e.equilibrium.flows).get(0, 1, 0) * world.usd_per_unit;
        let implied = t_in + spread * (1.0 - volume / m).max(0.0);
        proptest::prop_assert!((t - implied).abs() < 1e-5, "rate {} vs {}", t, implied);
    }
}
