//! Rates in force pinned to the official documents: (partner, date, goods) → the additional US duty,
//! each with the document it comes from. These use the embedded registry only (no ../shared).

use reciprocity_policy::engine::{rates_at, Status};
use reciprocity_policy::{date, embedded, KnownPartners, Product, Registry};

fn reg() -> Registry {
    embedded(&KnownPartners::any()).expect("embedded registry is valid")
}

/// The total on all goods, as finally determined.
fn headline(reg: &Registry, partner: &str, day: &str) -> f64 {
    rates_at(
        reg,
        date(day).unwrap(),
        partner,
        Product::General,
        None,
        None,
    )
    .total_pct
}

fn on(reg: &Registry, partner: &str, day: &str, hs: &str) -> f64 {
    rates_at(
        reg,
        date(day).unwrap(),
        partner,
        Product::parse(hs).unwrap(),
        None,
        None,
    )
    .total_pct
}

struct Pin {
    partner: &'static str,
    day: &'static str,
    goods: &'static str,
    pct: f64,
    source: &'static str,
}

const EO14257: &str = "EO 14257 (2025-04-02), Annex I: https://www.whitehouse.gov/presidential-actions/2025/04/regulating-imports-with-a-reciprocal-tariff-to-rectify-trade-practices-that-contribute-to-large-and-persistent-annual-united-states-goods-trade-deficits/";
const EO14266: &str = "EO 14266 (2025-04-09), 90-day pause, China 125%: https://www.whitehouse.gov/presidential-actions/2025/04/modifying-reciprocal-tariff-rates-to-reflect-trading-partner-retaliation-and-alignment/";
const EO14326: &str = "EO 14326 (2025-07-31), Annex I: https://www.whitehouse.gov/presidential-actions/2025/07/further-modifying-the-reciprocal-tariff-rates/";

const PINS: &[Pin] = &[
    // 1. Baseline: 10% from 2025-04-05 on a partner not in Annex I.
    Pin { partner: "AUS", day: "2025-04-05", goods: "", pct: 10.0, source: EO14257 },
    // 2. Nothing before the baseline.
    Pin { partner: "AUS", day: "2025-04-04", goods: "", pct: 0.0, source: EO14257 },
    // 3-5. Annex I rates for the one day they applied.
    Pin { partner: "VNM", day: "2025-04-09", goods: "", pct: 46.0, source: EO14257 },
    Pin { partner: "KHM", day: "2025-04-09", goods: "", pct: 49.0, source: EO14257 },
    Pin { partner: "FRA", day: "2025-04-09", goods: "", pct: 20.0, source: EO14257 },
    // 6. The pause: 10% from 2025-04-10.
    Pin { partner: "VNM", day: "2025-04-10", goods: "", pct: 10.0, source: EO14266 },
    // 7. China: 84% reciprocal + 20% fentanyl on 2025-04-09 (EO 14259 + EO 14228).
    Pin { partner: "CHN", day: "2025-04-09", goods: "", pct: 104.0, source: "EO 14259 (2025-04-08): https://www.whitehouse.gov/presidential-actions/2025/04/amendment-to-recipricol-tariffs-and-updated-duties-as-applied-to-low-value-imports-from-the-peoples-republic-of-china/" },
    // 8. China: 125% + 20% = 145% from 2025-04-10.
    Pin { partner: "CHN", day: "2025-04-10", goods: "", pct: 145.0, source: EO14266 },
    // 9. China after Geneva: 10% + 20% = 30%.
    Pin { partner: "CHN", day: "2025-05-14", goods: "", pct: 30.0, source: "EO 14298 (2025-05-12): https://www.whitehouse.gov/presidential-actions/2025/05/modifying-reciprocal-tariff-rates-to-reflect-discussions-with-the-peoples-republic-of-china/" },
    // 10. China after Busan: fentanyl 10% from 2025-11-10, so 10% + 10% = 20%.
    Pin { partner: "CHN", day: "2025-11-10", goods: "", pct: 20.0, source: "EO of 2025-11-04: https://www.whitehouse.gov/presidential-actions/2025/11/modifying-duties-addressing-the-synthetic-opioid-supply-chain-in-the-peoples-republic-of-china/" },
    // 11. China fentanyl alone before the reciprocal tariff.
    Pin { partner: "CHN", day: "2025-02-04", goods: "", pct: 10.0, source: "EO 14195 (2025-02-01): https://www.whitehouse.gov/presidential-actions/2025/02/imposing-duties-to-address-the-synthetic-opioid-supply-chain-in-the-peoples-republic-of-china/" },
    // 12. Canada paused on 2025-02-04 (30-day pause), 25% from 2025-03-04.
    Pin { partner: "CAN", day: "2025-02-10", goods: "", pct: 0.0, source: "EO of 2025-02-03: https://www.whitehouse.gov/presidential-actions/2025/02/progress-on-the-situation-at-our-northern-border/" },
    Pin { partner: "CAN", day: "2025-03-04", goods: "", pct: 25.0, source: "EO 14193 (2025-02-01): https://www.whitehouse.gov/presidential-actions/2025/02/imposing-duties-to-address-the-flow-of-illicit-drugs-across-our-national-border/" },
    // 14. Canada 35% on non-USMCA goods from 2025-08-01.
    Pin { partner: "CAN", day: "2025-08-01", goods: "", pct: 35.0, source: "EO 14325 (2025-07-31): https://www.whitehouse.gov/presidential-actions/2025/07/amendment-to-duties-to-address-the-flow-of-illicit-drugs-across-our-northern-border-9350/" },
    // 15. Canadian energy 10%.
    Pin { partner: "CAN", day: "2025-03-04", goods: "2709", pct: 10.0, source: "EO 14193 (2025-02-01): https://www.whitehouse.gov/presidential-actions/2025/02/imposing-duties-to-address-the-flow-of-illicit-drugs-across-our-national-border/" },
    // 16-18. EO 14326 rates from 2025-08-07.
    Pin { partner: "VNM", day: "2025-08-07", goods: "", pct: 20.0, source: EO14326 },
    Pin { partner: "CHE", day: "2025-08-07", goods: "", pct: 39.0, source: EO14326 },
    Pin { partner: "LAO", day: "2025-08-07", goods: "", pct: 40.0, source: EO14326 },
    // 19. Brazil: 10% (EO 14326) + 40% (EO 14323) = 50%.
    Pin { partner: "BRA", day: "2025-08-07", goods: "", pct: 50.0, source: "EO 14323 (2025-07-30): https://www.whitehouse.gov/presidential-actions/2025/07/addressing-threats-to-the-us/ + EO 14326" },
    // 20. India: 25% (EO 14326) + 25% (EO 14329) = 50% from 2025-08-27.
    Pin { partner: "IND", day: "2025-08-27", goods: "", pct: 50.0, source: "EO 14329 (2025-08-06): https://www.whitehouse.gov/presidential-actions/2025/08/addressing-threats-to-the-united-states-by-the-government-of-the-russian-federation/" },
    // 21. India: the Russian-oil 25% removed from 2026-02-07.
    Pin { partner: "IND", day: "2026-02-07", goods: "", pct: 25.0, source: "EO of 2026-02-06: https://www.whitehouse.gov/presidential-actions/2026/02/modifying-duties-to-address-threats-to-the-united-states-by-the-government-of-the-russian-federation-04b2/" },
    // 22. EU: 15% all-in; a good with MFN 0 pays 15% (rate checked with MFN below).
    Pin { partner: "DEU", day: "2025-08-07", goods: "", pct: 15.0, source: EO14326 },
    // 23. All IEEPA duties end 2026-02-20.
    Pin { partner: "VNM", day: "2026-02-20", goods: "", pct: 0.0, source: "Ending Certain Tariff Actions (2026-02-20): https://www.whitehouse.gov/presidential-actions/2026/02/ending-certain-tariff-actions/" },
    // 24. Section 122: 10% from 2026-02-24.
    Pin { partner: "CHN", day: "2026-02-24", goods: "", pct: 10.0, source: "Proclamation of 2026-02-20 (Section 122): https://www.whitehouse.gov/presidential-actions/2026/02/imposing-a-temporary-import-surcharge-to-address-fundamental-international-payments-problems/" },
    // 25-26. Steel: 25% from 2025-03-12, 50% from 2025-06-04; UK stays at 25%.
    Pin { partner: "KOR", day: "2025-03-12", goods: "7208", pct: 25.0, source: "Proclamation 10896 (2025-02-10): https://www.whitehouse.gov/presidential-actions/2025/02/adjusting-imports-of-steel-into-the-united-states/" },
    Pin { partner: "KOR", day: "2025-06-04", goods: "7208", pct: 50.0, source: "Proclamation 10947 (2025-06-03): https://www.whitehouse.gov/presidential-actions/2025/06/adjusting-imports-of-aluminum-and-steel-into-the-united-states/" },
    Pin { partner: "GBR", day: "2025-06-04", goods: "7601", pct: 25.0, source: "Proclamation 10947 (2025-06-03): https://www.whitehouse.gov/presidential-actions/2025/06/adjusting-imports-of-aluminum-and-steel-into-the-united-states/" },
    // 28. Autos 25% from 2025-04-03, and the reciprocal does not stack on them.
    Pin { partner: "DEU", day: "2025-05-01", goods: "8703", pct: 25.0, source: "Proclamation 10908 (2025-03-26): https://www.whitehouse.gov/presidential-actions/2025/03/adjusting-imports-of-automobiles-and-autombile-parts-into-the-united-states/" },
    // 29. Annex II goods pay no reciprocal tariff (pharmaceuticals from Ireland, 2025-08-07).
    Pin { partner: "IRL", day: "2025-08-07", goods: "3004", pct: 0.0, source: EO14257 },
    // 30. Section 301 forced-labour (provisional date): 12.5% on Vietnam, 10% on the UK.
    Pin { partner: "VNM", day: "2026-08-01", goods: "", pct: 12.5, source: "Memorandum of 2026-07-23 (Section 301): https://www.whitehouse.gov/presidential-actions/2026/07/actions-by-the-united-states-in-the-investigations-under-section-301-of-the-trade-act-of-1974-of-the-acts-policies-and-practices-of-60-economies-related-to-the-failure-of-each-economy-to-impose-and/" },
];

#[test]
fn pinned_rates_match_the_official_documents() {
    let reg = reg();
    let mut failures = Vec::new();
    for pin in PINS {
        let got = if pin.goods.is_empty() {
            headline(&reg, pin.partner, pin.day)
        } else {
            on(&reg, pin.partner, pin.day, pin.goods)
        };
        if (got - pin.pct).abs() > 1e-9 {
            failures.push(format!(
                "{} {} {}: got {got}, want {} ({})",
                pin.partner, pin.day, pin.goods, pin.pct, pin.source
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(PINS.len() >= 20);
}

#[test]
fn eu_all_in_rule_tops_up_mfn() {
    let reg = reg();
    let d = date("2025-09-01").unwrap();
    // A good with a 4% MFN duty pays 11% more (15 all-in); one with 20% MFN pays nothing more.
    let b = rates_at(&reg, d, "FRA", Product::General, Some(4.0), None);
    assert!((b.total_pct - 11.0).abs() < 1e-9, "{b:?}");
    let b = rates_at(&reg, d, "FRA", Product::General, Some(20.0), None);
    assert_eq!(b.total_pct, 0.0);
}

#[test]
fn japan_all_in_is_retroactive_but_not_known_in_august() {
    let reg = reg();
    let d = date("2025-08-10").unwrap();
    // As finally determined (EO of 2025-09-04, retroactive to 2025-08-07): 15 - MFN 2.5 = 12.5.
    assert_eq!(
        rates_at(&reg, d, "JPN", Product::General, Some(2.5), None).total_pct,
        12.5
    );
    // As known on 2025-08-10: EO 14326's 15% on top of MFN.
    assert_eq!(
        rates_at(&reg, d, "JPN", Product::General, Some(2.5), Some(d)).total_pct,
        15.0
    );
}

#[test]
fn usmca_goods_are_spared_and_stacking_follows_eo14289() {
    let reg = reg();
    let b = rates_at(
        &reg,
        date("2025-08-01").unwrap(),
        "CAN",
        Product::General,
        None,
        None,
    );
    assert_eq!(b.total_pct, 35.0);
    assert_eq!(b.usmca_total_pct, Some(0.0));
    // From 2025-06-04 Canadian steel pays the 50% 232 duty and not the fentanyl duty
    // (Proclamation 10947, 90 FR 24199, reversing EO 14289 sec. 2), USMCA or not.
    let b = rates_at(
        &reg,
        date("2025-08-01").unwrap(),
        "CAN",
        Product::Heading(7208),
        None,
        None,
    );
    assert_eq!(b.total_pct, 50.0, "{b:#?}");
    assert_eq!(b.usmca_total_pct, Some(50.0));
    let fentanyl = b
        .lines
        .iter()
        .find(|l| l.program == "ieepa-fentanyl-can")
        .unwrap();
    assert!(matches!(fentanyl.status, Status::Excluded { .. }));
    // Before it (2025-03-04 to 2025-06-03), non-USMCA steel paid the fentanyl duty instead of the
    // 232 duty (EO 14289 sec. 2); USMCA steel paid the 232 duty.
    let b = rates_at(
        &reg,
        date("2025-05-01").unwrap(),
        "CAN",
        Product::Heading(7208),
        None,
        None,
    );
    assert_eq!(b.total_pct, 25.0, "{b:#?}");
    assert_eq!(b.usmca_total_pct, Some(25.0));
    let steel = b.lines.iter().find(|l| l.program == "s232-steel").unwrap();
    assert!(matches!(steel.status, Status::Excluded { .. }));
}

#[test]
fn breakdown_explains_the_pause() {
    let reg = reg();
    let b = rates_at(
        &reg,
        date("2025-05-01").unwrap(),
        "VNM",
        Product::General,
        None,
        None,
    );
    assert_eq!(b.total_pct, 10.0);
    let annex = b
        .lines
        .iter()
        .find(|l| l.measure == "eo14257-annex1")
        .unwrap();
    assert_eq!(annex.rate_pct, 46.0);
    assert!(
        matches!(&annex.status, Status::Suspended { pause, until } if pause == "pause-2025-04-09" && until.to_string() == "2025-08-07")
    );
}

#[test]
fn an_end_ordered_later_is_not_known_earlier() {
    // China's 125% (EO 14266, 2025-04-09) was ended by the Geneva order of 2025-05-12 (EO 14298,
    // effective 2025-05-14). Asked in April what applies on 2025-07-09 (the pause's end), the
    // answer is the 125% still in force then plus the 20% fentanyl duty; as finally determined it is 30.
    let reg = reg();
    let d = date("2025-07-09").unwrap();
    let april = date("2025-04-20").unwrap();
    assert_eq!(
        rates_at(&reg, d, "CHN", Product::General, None, Some(april)).total_pct,
        145.0
    );
    assert_eq!(
        rates_at(&reg, d, "CHN", Product::General, None, None).total_pct,
        30.0
    );
    // Known by then: on 2025-05-13 the Geneva order was public.
    let may = date("2025-05-13").unwrap();
    assert_eq!(
        rates_at(&reg, d, "CHN", Product::General, None, Some(may)).total_pct,
        30.0
    );
}
