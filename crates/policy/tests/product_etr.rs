//! The statutory effective rate: identities, and the comparison with the Budget Lab at Yale's
//! published pre-substitution rates (State of U.S. Tariffs reports, budgetlab.yale.edu).

mod common_product;

use reciprocity_policy::date;
use reciprocity_policy::product::etr::{change_dates, etr_on, EtrWeights};

#[test]
#[ignore = "needs ../shared/data"]
fn effective_rate_identities_and_published_comparison() {
    let (reg, eng) = common_product::load();
    let w = EtrWeights::new(&eng, &reg, common_product::rest_rows());
    // (date, Budget Lab pre-substitution rate, report)
    let published = [(
        "2025-09-03",
        17.4,
        "https://budgetlab.yale.edu/research/state-us-tariffs-september-4-2025",
    )];
    let dates: Vec<_> = published.iter().map(|p| date(p.0).unwrap()).collect();
    let pts = etr_on(&eng, &reg, &w, &dates);
    for (p, (d, theirs, src)) in pts.iter().zip(published) {
        // Identities: total = base + additional = sum of the authorities; partners add up.
        assert!((p.total_pct - p.base_pct - p.additional_pct).abs() < 1e-9);
        let sum: f64 = p.by_authority.values().sum();
        assert!(
            (sum - p.total_pct).abs() < 1e-6,
            "{d}: authorities {sum} vs {}",
            p.total_pct
        );
        let v: f64 = p.by_partner.iter().map(|r| r.imports_usd).sum();
        let dv: f64 = p
            .by_partner
            .iter()
            .map(|r| r.imports_usd * r.total_pct)
            .sum();
        assert!((dv / v - p.total_pct).abs() < 1e-6);
        assert!(v > 3.2e12 && v < 3.4e12, "2024 imports {v}");
        assert!(
            (p.total_pct - theirs).abs() <= 1.5,
            "{d}: ours {:.2} vs Budget Lab {theirs} ({src})",
            p.total_pct
        );
    }
    // The daily series is piecewise constant between change dates and the cache changes nothing.
    let cd = change_dates(
        &eng,
        &reg,
        date("2025-01-01").unwrap(),
        date("2026-12-31").unwrap(),
    );
    let series = etr_on(&eng, &reg, &w, &cd);
    let k = cd
        .iter()
        .rposition(|x| *x <= date("2025-09-03").unwrap())
        .unwrap();
    assert!(
        (series[k].total_pct - pts[0].total_pct).abs() < 1e-9,
        "{} vs {}",
        series[k].total_pct,
        pts[0].total_pct
    );
}
