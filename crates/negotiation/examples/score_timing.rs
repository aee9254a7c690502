//! Time the scoring of proposals on the embedded 194-country world (run with `--release`):
//!
//! ```text
//! cargo run --release -p reciprocity-negotiation --example score_timing
//! ```
//!
//! The no-deal reference (the US at the Liberation Day rates, 10% floor) is solved once; each
//! proposal is then scored against it, warm-started. Prints the median and worst of 21 runs.

use std::sync::Arc;
use std::time::Instant;

use reciprocity_model::ge::{self, Params};
use reciprocity_negotiation::score::{evaluate, ChapterMap, Partner, World};
use reciprocity_negotiation::{
    PurchaseCommitment, Scope, Side, TariffLine, TariffRateQuota, Terms,
};

fn main() {
    let data = reciprocity_data::world::embedded_world().expect("embedded world");
    let t0 = Instant::now();
    let cal = Arc::new(ge::calibrate(&data, &Params::ilms()).expect("calibrates"));
    let world =
        World::new("embedded", cal.clone(), 1e3, ChapterMap::single_sector()).expect("world");
    let lib = &data.columns["us_tariff_liberation_day"];
    let rates: Vec<(usize, Vec<f64>)> = (0..cal.n)
        .filter(|&j| j != world.us)
        .map(|j| (j, vec![lib[j].max(0.10)]))
        .collect();
    let reference = world
        .reference(world.with_us_rates(&cal.tariffs, &rates), None)
        .expect("reference");
    println!(
        "calibration + no-deal solve: {:.1} ms ({} countries)",
        t0.elapsed().as_secs_f64() * 1e3,
        cal.n
    );
    let idx = |c: &str| data.country_index(c).expect(c);
    let jpn = Partner {
        code: "JPN".into(),
        name: "Japan".into(),
        members: vec![idx("JPN")],
    };
    let eu: Vec<usize> = reciprocity_data::registry::group("EU27")
        .unwrap()
        .iter()
        .filter_map(|m| data.country_index(m))
        .collect();
    let eu = Partner {
        code: "EUU".into(),
        name: "European Union".into(),
        members: eu,
    };
    let lines = |us: f64, partner: f64| Terms {
        tariff_lines: vec![
            TariffLine {
                levied_by: Side::Us,
                scope: Scope::All,
                rate_pct: us,
            },
            TariffLine {
                levied_by: Side::Partner,
                scope: Scope::All,
                rate_pct: partner,
            },
        ],
        ..Default::default()
    };
    let mut quota = lines(15.0, 0.0);
    quota.quotas.push(TariffRateQuota {
        levied_by: Side::Us,
        scope: Scope::Chapter(87),
        volume: 100_000.0,
        unit_value_usd: 40_000.0,
        in_quota_pct: 2.5,
        out_quota_pct: 25.0,
    });
    let mut binding = lines(15.0, 0.0);
    binding.tariff_lines.remove(0);
    binding.quotas.push(TariffRateQuota {
        levied_by: Side::Us,
        scope: Scope::All,
        volume: 60e9,
        unit_value_usd: 1.0,
        in_quota_pct: 10.0,
        out_quota_pct: 25.0,
    });
    let mut purchase = lines(15.0, 0.0);
    purchase.purchases.push(PurchaseCommitment {
        buyer: Side::Partner,
        scope: Scope::All,
        usd: 80e9,
    });
    for (name, partner, terms) in [
        ("JPN: tariff lines", &jpn, lines(15.0, 0.0)),
        ("EU27 bloc: tariff lines", &eu, lines(15.0, 0.0)),
        ("JPN: lines + auto TRQ (hs87)", &jpn, quota),
        ("JPN: binding TRQ 60bn @10/25%", &jpn, binding),
        ("JPN: lines + 80bn purchases", &jpn, purchase),
    ] {
        let mut ms = Vec::new();
        let mut last = None;
        for _ in 0..21 {
            let t = Instant::now();
            let e = evaluate(&world, &reference, partner, &terms).expect("scores");
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            last = Some(e.score);
        }
        ms.sort_by(f64::total_cmp);
        let s = last.unwrap();
        println!(
            "{name:32} median {:6.1} ms, worst {:6.1} ms; {} solve(s), residual {:.1e}; US {:+.4}%, {} {:+.4}%",
            ms[10], ms[20], s.solves, s.max_residual, s.us_welfare_pct, s.partner, s.partner_welfare_pct
        );
    }
}
