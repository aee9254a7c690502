// The checks of issue 13, item 5, shared by the tests on the built and the embedded sector worlds.

use chrono::NaiveDate;
use reciprocity_negotiation::score::{evaluate, Evaluation};
use reciprocity_negotiation::{QuotaDraft, TariffLineDraft, TermsDraft, ValidationContext};
use reciprocity_service::NegotiationWorld;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn line(by: &str, scope: &str, rate: f64) -> TariffLineDraft {
    TariffLineDraft {
        by: Some(by.into()),
        scope: Some(scope.into()),
        rate_pct: Some(rate),
    }
}

/// The UK's car quota of May 2025 on Japan's cars: 100,000 vehicles at 40,000 USD (4 bn USD) at
/// 7.5% additional duty (10% with the 2.5% MFN), 25% above it.
fn car_quota() -> QuotaDraft {
    QuotaDraft {
        by: Some("USA".into()),
        scope: Some("hs87".into()),
        volume: Some(100_000.0),
        unit_value_usd: Some(40_000.0),
        in_quota_pct: Some(7.5),
        out_quota_pct: Some(25.0),
    }
}

fn evaluate_draft(w: &NegotiationWorld, draft: TermsDraft) -> Evaluation {
    let ctx = ValidationContext {
        partner: "JPN".into(),
        partner_aliases: vec![],
        sectors: w.data.sectors.clone(),
    };
    let terms = reciprocity_negotiation::validate(&draft, &ctx).unwrap();
    let partner = w.partner("JPN", "Japan").unwrap();
    // Japan's pause ended on August 1, 2025; scored as known before the July 22 deal.
    let reference = w.reference(day("2025-08-01"), day("2025-07-20")).unwrap();
    evaluate(&w.world, &reference.0, &partner, &terms).unwrap()
}

/// The checks of item 5 on any ICIO sector world with a `MOTOR_VEHICLES` sector.
pub fn autos_line_and_car_quota_land_in_motor_vehicles(w: &NegotiationWorld) {
    let d = &w.data;
    let cal = &w.world.cal;
    let (jpn, us) = (
        d.country_index("JPN").unwrap(),
        d.country_index("USA").unwrap(),
    );
    let autos = d
        .sectors
        .iter()
        .position(|s| s == "MOTOR_VEHICLES")
        .unwrap();
    let reference = w.reference(day("2025-08-01"), day("2025-07-20")).unwrap();
    let us_on_jpn =
        |t: &[f64], k: usize| cal.pairs(t).get(k, jpn, us) - cal.tariff_table().get(k, jpn, us);
    // No deal: Section 232 on cars (25%) differs from the reciprocal rate on other goods (25% for
    // Japan in the July letters), and services carry no tariff.
    let services = d
        .sectors
        .iter()
        .position(|s| s.contains("SERVICES"))
        .unwrap();
    assert_eq!(us_on_jpn(&reference.0.tariffs, services), 0.0);
    println!(
        "no deal, US additional rate on JPN: autos {:.2} %",
        100.0 * us_on_jpn(&reference.0.tariffs, autos)
    );

    let base = TermsDraft {
        tariff_lines: vec![line("USA", "all", 15.0), line("JPN", "all", 0.0)],
        ..TermsDraft::default()
    };
    let mut with_line = base.clone();
    with_line.tariff_lines.push(line("USA", "hs87", 25.0));
    let mut with_quota = base.clone();
    with_quota.quotas.push(car_quota());

    let a = evaluate_draft(w, base);
    let b = evaluate_draft(w, with_line);
    let c = evaluate_draft(w, with_quota);

    // `all` at 15 %: every goods sector at 15 %, services untouched.
    assert!((us_on_jpn(&a.tariffs, autos) - 0.15).abs() < 1e-12);
    assert_eq!(us_on_jpn(&a.tariffs, services), 0.0);
    // The autos line moves the motor-vehicle cell of the pair, and nothing else.
    assert!((us_on_jpn(&b.tariffs, autos) - 0.25).abs() < 1e-12);
    let changed: Vec<usize> = (0..a.tariffs.len())
        .filter(|&i| a.tariffs[i] != b.tariffs[i])
        .collect();
    assert_eq!(changed, [cal.index(autos, jpn, us)]);
    // The score changes with it: the US imports fewer Japanese cars and Japan loses.
    let car_imports = |e: &Evaluation| {
        e.score
            .sectors
            .iter()
            .find(|s| s.sector == "MOTOR_VEHICLES")
            .unwrap()
            .us_imports_deal_usd
    };
    println!(
        "deal at 15 %: US {:+.4} %, JPN {:+.4} %, US car imports from JPN {:.1} bn; with autos at 25 %: US {:+.4} %, JPN {:+.4} %, {:.1} bn",
        a.score.us_welfare_pct,
        a.score.partner_welfare_pct,
        car_imports(&a) / 1e9,
        b.score.us_welfare_pct,
        b.score.partner_welfare_pct,
        car_imports(&b) / 1e9
    );
    assert!(car_imports(&b) < 0.9 * car_imports(&a));
    assert!(b.score.partner_welfare_pct < a.score.partner_welfare_pct - 1e-4);
    assert!(b.score.us_rate_deal_pct > a.score.us_rate_deal_pct + 0.1);

    // The car quota: its sector is motor vehicles; its tariff equivalent is reported, between the
    // in- and out-of-quota rates (Japan ships far more than 4 bn USD of cars: it fills).
    let q = &c.score.constraints[0];
    println!(
        "car quota: sector {:?}, tariff equivalent {:.3} %, flow {:.1} bn of {:.1} bn",
        q.sectors,
        q.rate_pct,
        q.flow_usd / 1e9,
        q.target_usd / 1e9
    );
    assert_eq!(q.term, "quota 1");
    assert_eq!(q.sectors, ["MOTOR_VEHICLES"]);
    assert_eq!(q.target_usd, 4e9);
    assert!(q.flow_usd > q.target_usd);
    assert!(q.rate_pct > 7.5 && q.rate_pct < 25.0, "{}", q.rate_pct);
    // The fill formula holds at the deal's flow, and the cell carries that rate.
    let implied = 7.5 + 17.5 * (1.0 - q.target_usd / q.flow_usd);
    assert!(
        (q.rate_pct - implied).abs() < 1e-5,
        "{} vs {implied}",
        q.rate_pct
    );
    assert!((100.0 * us_on_jpn(&c.tariffs, autos) - q.rate_pct).abs() < 1e-9);
    // Only the autos cell differs from the deal without the quota.
    let changed: Vec<usize> = (0..a.tariffs.len())
        .filter(|&i| a.tariffs[i] != c.tariffs[i])
        .collect();
    assert_eq!(changed, [cal.index(autos, jpn, us)]);
    assert!(c.score.partner_welfare_pct != a.score.partner_welfare_pct);
}

