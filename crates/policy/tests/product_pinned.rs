//! Pinned total duties (HTS line, partner, date): each expected value is worked out by hand from
//! the official documents cited beside it (MFN from the 2025 HTS column 1), not taken from the
//! engine. Totals are for goods not claiming USMCA preference.

mod common_product;

use reciprocity_policy::date;
use reciprocity_policy::product::ProductDuty;

struct Case {
    hts: &'static str,
    partner: &'static str,
    date: &'static str,
    total: f64,
    why: &'static str,
}

const fn case(
    hts: &'static str,
    partner: &'static str,
    date: &'static str,
    total: f64,
    why: &'static str,
) -> Case {
    Case {
        hts,
        partner,
        date,
        total,
        why,
    }
}

const CASES: &[Case] = &[
    // Steel and aluminium, Section 232.
    // Proclamation 10947 (90 FR 24199): 50% from 2025-06-04; metal duty applies, IEEPA Canada/Mexico not on the steel content.
    case(
        "72085100",
        "CAN",
        "2025-06-10",
        50.0,
        "Proc 10947, 90 FR 24199: CAN steel 50",
    ),
    case(
        "72085100",
        "MEX",
        "2025-06-10",
        50.0,
        "Proc 10947, 90 FR 24199: MEX steel 50",
    ),
    // EO 14289 (90 FR 18907) sec. 2: IEEPA Canada 25% instead of 232 steel from 2025-03-04 to 2025-06-03.
    case(
        "72085100",
        "CAN",
        "2025-05-01",
        25.0,
        "EO 14289: fentanyl 25 displaces 232 steel",
    ),
    // Proclamation 10947: UK stays at 25%.
    case(
        "72085100",
        "GBR",
        "2025-06-10",
        25.0,
        "Proc 10947: UK steel 25",
    ),
    // Proclamation 10896 (90 FR 9817): 25% for all from 2025-03-12; reciprocal not on 232 goods (EO 14257 sec. 3(b)).
    case(
        "72085100",
        "DEU",
        "2025-04-10",
        25.0,
        "Proc 10896 + EO 14257 sec 3(b)",
    ),
    // China steel: 232 50% + 301 review 25% (89 FR 76581, 9903.91.01) + fentanyl 20% (EO 14228).
    case(
        "72085100",
        "CHN",
        "2025-06-10",
        95.0,
        "Proc 10947 + 89 FR 76581 + EO 14228",
    ),
    // Before 2025-03-12 (Proc 9705 regime): Canada exempt; nothing else on 2025-01-15.
    case(
        "72085100",
        "CAN",
        "2025-01-15",
        0.0,
        "Proc 9705 exemption of Canada (ended by Proc 10896)",
    ),
    // Autos, Proclamation 10908 (90 FR 14705): 25% from 2025-04-03; MFN 2.5%.
    case(
        "87032301",
        "JPN",
        "2025-04-02",
        2.5,
        "MFN only, before Proc 10908 and EO 14257",
    ),
    case(
        "87032301",
        "JPN",
        "2025-08-07",
        27.5,
        "Proc 10908 25 + MFN 2.5 (reciprocal not on 232 goods)",
    ),
    // EO 14345 (US-Japan agreement) sec. 4: 15% all-in from 2025-09-16.
    case("87032301", "JPN", "2025-09-16", 15.0, "EO 14345: 15 all-in"),
    case(
        "87032301",
        "KOR",
        "2025-10-01",
        27.5,
        "Proc 10908 25 + MFN 2.5",
    ),
    // Korea fact sheet (2025-11-13): 15% all-in retroactive to 2025-11-01.
    case(
        "87032301",
        "KOR",
        "2025-11-01",
        15.0,
        "US-Korea fact sheet: 15 all-in",
    ),
    // EU framework (2025-08-21), FR notice of 2025-09-25: 15% all-in retroactive to 2025-08-01.
    case(
        "87032301",
        "DEU",
        "2025-08-01",
        15.0,
        "US-EU framework: 15 all-in",
    ),
    case(
        "87032301",
        "DEU",
        "2025-07-31",
        27.5,
        "Proc 10908 25 + MFN 2.5",
    ),
    // UK EO of 2025-06-16: 7.5% + 2.5% MFN within the quota from 2025-06-30.
    case(
        "87032301",
        "GBR",
        "2025-07-01",
        10.0,
        "UK EPD EO: 10 all-in in quota",
    ),
    // China EV: MFN 2.5 + 301 review 100 (9903.91.03, 89 FR 76581) + 232 autos 25 + fentanyl 20.
    case(
        "87038000",
        "CHN",
        "2025-06-01",
        147.5,
        "89 FR 76581 + Proc 10908 + EO 14228",
    ),
    // Wood, Proclamation 10976: lumber 10%, upholstered furniture and cabinets 25% from 2025-10-14;
    // the rise of 2026-01-01 was postponed to 2027-01-01 (proclamation of 2025-12-31).
    case(
        "44071100",
        "SWE",
        "2025-10-20",
        10.0,
        "Proc 10976: softwood lumber 10",
    ),
    case(
        "44071100",
        "SWE",
        "2025-10-13",
        15.0,
        "EO 14326 EU 15 all-in, MFN free, before Proc 10976",
    ),
    case(
        "9401614011",
        "VNM",
        "2025-10-20",
        25.0,
        "Proc 10976: upholstered 25",
    ),
    case(
        "9401614011",
        "VNM",
        "2026-01-05",
        25.0,
        "Proc of 2025-12-31: rise postponed, still 25",
    ),
    case(
        "9401614011",
        "ITA",
        "2025-10-20",
        15.0,
        "Proc 10976: EU at most 15 with MFN",
    ),
    case("9401614011", "GBR", "2025-10-20", 10.0, "Proc 10976: UK 10"),
    // Kitchen cabinets from China: 232 25 + 301 list 3 25 (84 FR 20459) + fentanyl 20.
    case(
        "9403409060",
        "CHN",
        "2025-10-20",
        70.0,
        "Proc 10976 + 84 FR 20459 + EO 14228",
    ),
    // Trucks and buses, Proclamation 10984 (90 FR 48451): 25% trucks, 10% buses from 2025-11-01.
    case(
        "87042301",
        "DEU",
        "2025-11-05",
        50.0,
        "Proc 10984 25 + MFN 25",
    ),
    case(
        "87021031",
        "JPN",
        "2025-11-05",
        12.0,
        "Proc 10984 buses 10 + MFN 2",
    ),
    // Semiconductors (note 39, 2026-01-16): 25% on qualifying articles; reciprocal exemption (Annex II).
    case(
        "8471804000",
        "TWN",
        "2026-01-20",
        25.0,
        "note 39 9903.79.01: 25 (line fully qualifying per peer calibration)",
    ),
    // China under the 301 lists and the IEEPA orders.
    // T-shirts: MFN 16.5 + list 4A 7.5 (85 FR 3741) + fentanyl 20 (EO 14228) + reciprocal 125 (EO 14266).
    case(
        "61091000",
        "CHN",
        "2025-04-10",
        169.0,
        "EO 14266 + EO 14228 + 85 FR 3741",
    ),
    // Geneva, EO 14298: reciprocal 10 from 2025-05-14.
    case("61091000", "CHN", "2025-05-14", 54.0, "EO 14298 (Geneva)"),
    // November 2025 arrangement: fentanyl 10 from 2025-11-10.
    case(
        "61091000",
        "CHN",
        "2025-11-10",
        44.0,
        "EO of 2025-11-04 (Busan/Kuala Lumpur)",
    ),
    // After the end of IEEPA duties: Section 122 10% from 2026-02-24.
    case(
        "61091000",
        "CHN",
        "2026-02-25",
        34.0,
        "Section 122 proclamation of 2026-02-20",
    ),
    // Toys on list 4B (suspended, 84 FR 69447): fentanyl 20 + reciprocal 125.
    case(
        "95030000",
        "CHN",
        "2025-04-10",
        145.0,
        "84 FR 69447 4B suspended + EO 14266",
    ),
    // Semiconductors from China: 301 review 50 from 2025-01-01 (9903.91.05), reciprocal exempt (Annex II), fentanyl 20.
    case(
        "85423100",
        "CHN",
        "2025-01-01",
        50.0,
        "89 FR 76581 9903.91.05",
    ),
    case(
        "85423100",
        "CHN",
        "2025-06-01",
        70.0,
        "89 FR 76581 + EO 14228; Annex II",
    ),
    // Solar cells from China on 2026-03-01: 301 review 50 (9903.91.02) + Section 122 10 (not on its annexes).
    case(
        "85414200",
        "CHN",
        "2026-03-01",
        60.0,
        "89 FR 76581 + Section 122",
    ),
    // Reciprocal rates: Annex I of EO 14257 on 2025-04-09, pause (EO 14266) from 2025-04-10, EO 14326 from 2025-08-07.
    case(
        "61091000",
        "VNM",
        "2025-04-09",
        62.5,
        "EO 14257 Annex I 46 + MFN 16.5",
    ),
    case(
        "61091000",
        "VNM",
        "2025-04-10",
        26.5,
        "EO 14266 pause: 10 + MFN 16.5",
    ),
    case(
        "61091000",
        "VNM",
        "2025-08-07",
        36.5,
        "EO 14326: 20 + MFN 16.5",
    ),
    // EU 15% all-in (EO 14326): MFN above 15 pays MFN only; MFN-free pays 15.
    case("61091000", "DEU", "2025-08-07", 16.5, "EO 14326 EU all-in"),
    case("90189080", "DEU", "2025-08-07", 15.0, "EO 14326 EU all-in"),
    // Switzerland: 39 (EO 14326), then 15 all-in from 2025-11-14 (framework, FR 2025-23316).
    case("90189080", "CHE", "2025-08-07", 39.0, "EO 14326 CHE 39"),
    case(
        "90189080",
        "CHE",
        "2025-11-14",
        15.0,
        "US-Switzerland framework: 15 all-in",
    ),
    // India: 25 (EO 14326) + 25 (EO 14329, from 2025-08-27).
    case("90189080", "IND", "2025-08-27", 50.0, "EO 14326 + EO 14329"),
    // Brazil coffee: 10 + 40 (EO 14323) from 2025-08-06; both removed 2025-11-13 (EOs of 2025-11-14 and 2025-11-20).
    case("09011100", "BRA", "2025-08-06", 50.0, "EO 14323 + EO 14257"),
    case(
        "09011100",
        "BRA",
        "2025-11-20",
        0.0,
        "EOs of Nov 2025: agricultural exemptions",
    ),
    // Canada/Mexico fentanyl: 25 from 2025-03-07 for non-USMCA goods; potash 10 (EO 14231).
    case(
        "94036080",
        "MEX",
        "2025-03-07",
        25.0,
        "EO 14232 (USMCA goods exempt)",
    ),
    case("31042000", "CAN", "2025-03-07", 10.0, "EO 14231: potash 10"),
    // Copper, Proclamation 10962: 50% from 2025-08-01 (semi-finished copper, full value here), MFN 3.
    case("74081160", "KOR", "2025-08-05", 53.0, "Proc 10962 + MFN 3"),
    // Section 201 solar modules (Proc 10339, year 8: 14.5%) + reciprocal 10 (8541.43 is not on
    // Annex II of EO 14257 as transcribed in ieepa_exempt_products.csv).
    case(
        "8541430010",
        "KOR",
        "2025-06-01",
        24.5,
        "Proc 10339 + EO 14257 baseline",
    ),
    // Pharmaceuticals: Annex II exempts them from reciprocal and the India duty.
    case(
        "30049010",
        "IND",
        "2025-08-27",
        0.0,
        "EO 14257 Annex II, EO 14329",
    ),
    // Civil aircraft parts (8411.91.90, MFN free): exempt from the reciprocal duty only for the
    // partners whose deals say so. UK: EO of 2025-06-16 (Economic Prosperity Deal), 9903.96.01, from 2025-06-30.
    case(
        "84119190",
        "GBR",
        "2025-06-15",
        10.0,
        "EO 14257 baseline 10; UK aircraft exemption not yet in force",
    ),
    case(
        "84119190",
        "GBR",
        "2025-07-15",
        0.0,
        "EO of 2025-06-16, 9903.96.01: UK civil aircraft and parts exempt from 2025-06-30",
    ),
    // Vietnam has no such exemption: EO 14326 Annex I, 20% from 2025-08-07.
    case(
        "84119190",
        "VNM",
        "2025-10-01",
        20.0,
        "EO 14326 Annex I: VNM 20; the civil aircraft exemptions are the deal partners' only",
    ),
];

fn show(r: &ProductDuty) -> String {
    let mut s = format!("total {:.3} (mfn {:.3})\n", r.total_pct, r.mfn_pct);
    for m in &r.measures {
        s.push_str(&format!(
            "  {} {} {} {:.2}x{:.3}={:.3} {}\n",
            m.authority, m.measure, m.status, m.rate_pct, m.share, m.applied_pct, m.reason
        ));
    }
    s
}

#[test]
#[ignore = "needs ../shared/data"]
fn pinned_total_duties() {
    let (reg, eng) = common_product::load();
    let mut bad = Vec::new();
    for c in CASES {
        let r = eng
            .lookup(&reg, c.hts, c.partner, date(c.date).unwrap())
            .unwrap();
        if (r.total_pct - c.total).abs() > 1e-6 {
            bad.push(format!(
                "{} {} {}: expected {} ({}), got {}",
                c.hts,
                c.partner,
                c.date,
                c.total,
                c.why,
                show(&r)
            ));
        }
    }
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        CASES.len(),
        bad.join("\n")
    );
}
