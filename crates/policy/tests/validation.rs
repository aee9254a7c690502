//! Bad registry entries are errors naming the file, the entry id and the field; the stacking rules
//! and the pause clock behave as documented on small synthetic registries.

use reciprocity_policy::effective::{effective_rates, Assumptions, ImportRow, PartnerImports};
use reciprocity_policy::engine::rates_at;
use reciprocity_policy::pause::pause_clock;
use reciprocity_policy::sectors::{us_tariffs_at, SectorMap};
use reciprocity_policy::{date, embedded, KnownPartners, Product, Registry};

const SRC: &str = "https://example.gov/doc";

fn measure(id: &str, program: &str, extra: &str) -> String {
    format!(
        "[[measure]]\nid = \"{id}\"\nprogram = \"{program}\"\ninstrument = \"EO 1\"\ntitle = \"t\"\nannounced = 2025-01-01\neffective = 2025-02-01\nhs = [\"ALL\"]\nsource = \"{SRC}\"\n{extra}\n"
    )
}

fn parse(text: &str) -> Result<Registry, String> {
    Registry::parse(
        &[("test.toml", text)],
        &KnownPartners::from_codes(["AAA", "BBB", "CCC"]),
    )
    .map_err(|e| e.to_string())
}

fn err(text: &str) -> String {
    parse(text).expect_err("should be rejected")
}

#[test]
fn overlapping_measures_without_stacking_rule_are_rejected() {
    let text = measure(
        "a",
        "p",
        "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"",
    ) + &measure(
        "b",
        "p",
        "partners = [\"ALL\"]\nrate = 20\nstacking = \"adds\"",
    );
    let e = err(&text);
    assert!(
        e.starts_with("test.toml: measure `b`: stacking: overlaps `a`"),
        "{e}"
    );
    // Saying which replaces which makes it valid; so do disjoint partners, goods or dates.
    let ok = measure(
        "a",
        "p",
        "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"",
    ) + &measure(
        "b",
        "p",
        "partners = [\"ALL\"]\nrate = 20\nstacking = \"replaces\"\nover = [\"a\"]",
    );
    parse(&ok).unwrap();
    let disjoint = measure(
        "a",
        "p",
        "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"",
    ) + &measure(
        "b",
        "p",
        "partners = [\"BBB\"]\nrate = 20\nstacking = \"adds\"",
    );
    parse(&disjoint).unwrap();
    let other_program = measure(
        "a",
        "p",
        "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"",
    ) + &measure(
        "b",
        "q",
        "partners = [\"AAA\"]\nrate = 20\nstacking = \"adds\"",
    );
    parse(&other_program).unwrap();
}

#[test]
fn entry_errors_name_the_id_and_field() {
    let cases = [
        (
            measure(
                "a",
                "p",
                "partners = [\"ZZZ\"]\nrate = 10\nstacking = \"adds\"",
            ),
            "measure `a`: partners: unknown partner \"ZZZ\"",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"\nhs_except = [\"7700\"]",
            ),
            "measure `a`: hs_except: unknown HS chapter 77",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"\nend = 2025-01-15",
            ),
            "measure `a`: end: dates out of order",
        ),
        (
            measure("a", "p", "partners = [\"AAA\"]\nrate = 10"),
            "measure `a`: stacking: missing",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"stacks\"",
            ),
            "measure `a`: stacking: expected",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"replaces\"",
            ),
            "measure `a`: over: stacking = \"replaces\" needs",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"\nexcluded_when = [\"nope\"]",
            ),
            "measure `a`: excluded_when: \"nope\" is neither",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nall_in = 15\nstacking = \"adds\"",
            ),
            "measure `a`: rate: give only one",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = -3\nstacking = \"adds\"",
            ),
            "measure `a`: rate: expected a rate",
        ),
        (
            measure(
                "a",
                "p",
                "rates = { AAA = 10, QQQ = 5 }\nstacking = \"adds\"",
            ),
            "measure `a`: rates: unknown partner \"QQQ\"",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"\nsource = \"x\"",
            ),
            "test.toml",
        ),
        (
            measure(
                "a",
                "p",
                "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"",
            )
            .replace("announced = 2025-01-01", "announced = 2025-03-01"),
            "measure `a`: effective: dates out of order",
        ),
    ];
    for (text, want) in cases {
        let e = err(&text);
        assert!(e.contains(want), "want {want:?} in {e:?}");
    }
    let pause = measure("a", "p", "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"")
        + &format!("[[pause]]\nid = \"z\"\ntitle = \"t\"\ninstrument = \"i\"\nannounced = 2025-01-01\nsuspends = [\"a\"]\nstart = 2025-02-01\nend = 2025-03-01\nsource = \"{SRC}\"\n[[pause.extension]]\nannounced = 2025-02-10\nend = 2025-02-20\ninstrument = \"i\"\nsource = \"{SRC}\"\n");
    let e = err(&pause);
    assert!(
        e.contains("pause `z`: extension[1].end: dates out of order"),
        "{e}"
    );
    let unknown_key = measure(
        "a",
        "p",
        "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"\nrat = 3",
    );
    assert!(err(&unknown_key).contains("unknown field `rat`"));
}

#[test]
fn highest_of_keeps_the_higher_and_exclusion_drops() {
    let text = measure(
        "low",
        "p",
        "partners = [\"AAA\"]\nrate = 10\nstacking = \"adds\"",
    ) + &measure(
        "high",
        "q",
        "partners = [\"AAA\"]\nrate = 25\nstacking = \"highest_of\"\nover = [\"low\"]",
    ) + &measure(
        "sector",
        "s",
        "partners = [\"ALL\"]\nrate = 50\nstacking = \"adds\"",
    )
    .replace("hs = [\"ALL\"]", "hs = [\"72\"]")
        + &measure(
            "excl",
            "r",
            "partners = [\"AAA\"]\nrate = 7\nstacking = \"adds\"\nexcluded_when = [\"s\"]",
        );
    let reg = parse(&text).unwrap();
    let d = date("2025-03-01").unwrap();
    let b = rates_at(&reg, d, "AAA", Product::General, None, None);
    assert_eq!(b.total_pct, 25.0 + 7.0, "{b:#?}");
    let b = rates_at(&reg, d, "AAA", Product::Heading(7208), None, None);
    assert_eq!(b.total_pct, 25.0 + 50.0, "excl drops on steel: {b:#?}");
    assert_eq!(
        rates_at(&reg, d, "BBB", Product::Heading(7208), None, None).total_pct,
        50.0
    );
    assert_eq!(
        rates_at(
            &reg,
            date("2025-01-31").unwrap(),
            "AAA",
            Product::General,
            None,
            None
        )
        .total_pct,
        0.0
    );
}

#[test]
fn pause_clock_counts_days_and_snap_back_as_known() {
    let reg = embedded(&KnownPartners::any()).unwrap();
    // 2025-06-01: the 90-day pause runs to 2025-07-09 (the extension was not yet known).
    let clock = pause_clock(&reg, date("2025-06-01").unwrap());
    let p = clock
        .iter()
        .find(|p| p.id == "pause-2025-04-09")
        .expect("in force");
    assert_eq!(p.end.to_string(), "2025-07-09");
    assert_eq!(p.days_left, 38);
    let vnm = p.partners.iter().find(|x| x.partner == "VNM").unwrap();
    assert_eq!((vnm.now_pct, vnm.snap_back_pct), (10.0, 46.0));
    assert_eq!(p.partners.len(), 56, "55 Annex I partners + the EU");
    // China's Geneva suspension on the same day: 30% now, 54% at the snap-back on 2025-08-12.
    let c = clock
        .iter()
        .find(|p| p.id == "pause-china-2025-05-12")
        .unwrap();
    let chn = c.partners.iter().find(|x| x.partner == "CHN").unwrap();
    assert_eq!(
        (chn.now_pct, chn.snap_back_pct, c.days_left),
        (30.0, 54.0, 72)
    );
    // 2025-08-02: extended twice; snaps back on 2025-08-07 to the EO 14326 rate.
    let clock = pause_clock(&reg, date("2025-08-02").unwrap());
    let p = clock.iter().find(|p| p.id == "pause-2025-04-09").unwrap();
    assert_eq!(
        (p.end.to_string().as_str(), p.days_left, p.extensions_known),
        ("2025-08-07", 5, 2)
    );
    let vnm = p.partners.iter().find(|x| x.partner == "VNM").unwrap();
    assert_eq!(vnm.snap_back_pct, 20.0);
    // After IEEPA ended, China's suspension is moot; on 2026-08-20 only the Canada 338 pause runs.
    let clock = pause_clock(&reg, date("2026-08-20").unwrap());
    assert_eq!(
        clock.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["pause-s338-2026-08-18"]
    );
    assert!(pause_clock(&reg, date("2026-11-28").unwrap()).is_empty());
}

#[test]
fn effective_rates_weight_rows_and_partners() {
    let reg = embedded(&KnownPartners::any()).unwrap();
    let imports = vec![
        // Korea: half steel (50%), half other goods (15% from EO 14326) on 2025-08-07.
        PartnerImports {
            partner: "KOR".into(),
            value: 100.0,
            rows: vec![
                ImportRow {
                    product: Product::Heading(7208),
                    value: 1.0,
                    mfn_pct: Some(0.0),
                },
                ImportRow {
                    product: Product::Chapter(61),
                    value: 1.0,
                    mfn_pct: Some(10.0),
                },
            ],
        },
        // Australia without detail: the 10% headline.
        PartnerImports {
            partner: "AUS".into(),
            value: 300.0,
            rows: vec![],
        },
    ];
    let r = effective_rates(
        &reg,
        date("2025-08-07").unwrap(),
        &imports,
        &Assumptions::default(),
        None,
    );
    assert!(
        (r.partners[0].additional_pct - 32.5).abs() < 1e-9,
        "{:?}",
        r.partners[0]
    );
    assert_eq!(r.partners[0].base_pct, Some(5.0));
    assert_eq!(r.partners[1].additional_pct, 10.0);
    assert!((r.additional_pct - (100.0 * 32.5 + 300.0 * 10.0) / 400.0).abs() < 1e-9);
    assert!((r.hs_detail_share - 0.25).abs() < 1e-12);
    // Canada with 60% USMCA-qualifying goods: 0.4 * 35 = 14 on 2025-08-01.
    let can = vec![PartnerImports {
        partner: "CAN".into(),
        value: 1.0,
        rows: vec![],
    }];
    let mut a = Assumptions::default();
    a.usmca_qualifying_share.insert("CAN".into(), 0.6);
    let r = effective_rates(&reg, date("2025-08-01").unwrap(), &can, &a, None);
    assert!((r.additional_pct - 14.0).abs() < 1e-9);
}

#[test]
fn sector_tariffs_for_simulate() {
    let reg = embedded(&KnownPartners::any()).unwrap();
    let map = SectorMap::ossa_gtap7();
    assert_eq!(map.sectors().len(), 33);
    assert_eq!(map.sector_of(Product::Heading(8703)), Some("mvh"));
    assert_eq!(map.sector_of(Product::Heading(1006)), Some("ric"));
    assert_eq!(map.sector_of(Product::Heading(8471)), Some("ele"));
    let imports = vec![PartnerImports {
        partner: "JPN".into(),
        value: 10.0,
        rows: vec![
            ImportRow {
                product: Product::Heading(8703),
                value: 3.0,
                mfn_pct: Some(2.5),
            },
            ImportRow {
                product: Product::Heading(8708),
                value: 1.0,
                mfn_pct: Some(2.5),
            },
        ],
    }];
    let d = date("2025-08-07").unwrap();
    let t = us_tariffs_at(
        &reg,
        d,
        &["JPN", "EUU"],
        &map,
        &imports,
        &Assumptions::default(),
    );
    assert_eq!(t.len(), 66);
    let mvh = t
        .iter()
        .find(|x| x.partner == "JPN" && x.sector == "mvh")
        .unwrap();
    assert!(
        mvh.weighted && (mvh.additional_pct - 25.0).abs() < 1e-9,
        "{mvh:?}"
    );
    // Unweighted fallback for the EU's textiles: 15% all-in at MFN taken as 0.
    let tex = t
        .iter()
        .find(|x| x.partner == "EUU" && x.sector == "tex")
        .unwrap();
    assert!(
        !tex.weighted && (tex.additional_pct - 15.0).abs() < 1e-9,
        "{tex:?}"
    );
    let single = us_tariffs_at(
        &reg,
        d,
        &["VNM"],
        &SectorMap::single("TOTAL"),
        &[],
        &Assumptions::default(),
    );
    assert_eq!(single[0].additional_pct, 20.0);
}
