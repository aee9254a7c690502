//! Partners' dated retaliation in the built sector world's baseline (issue 13, item 2;
//! docs/sector-world.md, "Retaliation"): the world built on two dates of 2025 differs by the
//! measures of `crates/data/registry/retaliation.toml` in force on each. Needs ../shared/data; the
//! worlds are written to a temporary folder only.

use std::path::Path;

use chrono::NaiveDate;
use reciprocity_data::world::icio::baseline::report_lines;
use reciprocity_data::world::icio::TariffReport;
use reciprocity_model::Dataset;
use reciprocity_service::world_build::{build_world, WorldBuildRequest};

fn build(out: &Path, date: &str) -> (Dataset, TariffReport) {
    let built = build_world(WorldBuildRequest {
        out: out.to_path_buf(),
        tariffs_as_of: Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()),
        ..WorldBuildRequest::default()
    })
    .unwrap();
    for line in report_lines(&built.report.tariffs) {
        println!("{date}: {line}");
    }
    (
        reciprocity_data::load_dataset(out).unwrap(),
        built.report.tariffs,
    )
}

fn ids(rep: &TariffReport) -> Vec<&str> {
    rep.retaliation.iter().map(|a| a.id.as_str()).collect()
}

fn covered(rep: &TariffReport, id: &str) -> f64 {
    rep.retaliation
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.covered_pct)
        .unwrap()
}

#[test]
#[ignore = "needs ../shared/data"]
fn retaliation_in_force_enters_the_partners_tariffs_on_us_goods() {
    assert!(
        reciprocity_data::shared_data_dir().is_some(),
        "needs ../shared/data"
    );
    let dir = tempfile::tempdir().unwrap();
    let (april, april_rep) = build(&dir.path().join("april"), "2025-04-15");
    let (october, october_rep) = build(&dir.path().join("october"), "2025-10-01");
    assert_eq!(
        ids(&april_rep),
        [
            "chn-2025-no2-15",
            "chn-2025-no2-10",
            "chn-2025-no6",
            "can-2025-03-04",
            "can-2025-03-13-steel-aluminium",
            "can-2025-03-13-other"
        ]
    );
    assert_eq!(
        ids(&october_rep),
        [
            "chn-2025-no2-15",
            "chn-2025-no2-10",
            "chn-2025-geneva",
            "can-2025-03-13-steel-aluminium"
        ]
    );
    assert_eq!(october_rep.retaliation_not_modelled.len(), 4);

    // China: 125 % on everything in April, 10 % in October, the March farm lists in force on both
    // days, so the difference is 115 points in every goods sector, none in services.
    let us = april.country_index("USA").unwrap();
    let chn = april.country_index("CHN").unwrap();
    let can = april.country_index("CAN").unwrap();
    let (ta, to) = (april.tariff_table(), october.tariff_table());
    for (k, name) in april.sectors.iter().enumerate() {
        let d = ta.get(k, us, chn) - to.get(k, us, chn);
        let services = to.get(k, us, chn) == 0.0 && ta.get(k, us, chn) == 0.0;
        assert!(services || (d - 1.15).abs() < 1e-9, "{name}: {d}");
        // Canada: more in April (the first list and the other goods of the second), never less.
        assert!(ta.get(k, us, can) >= to.get(k, us, can) - 1e-12, "{name}");
    }
    let food = april.sector_index("FOOD").unwrap();
    assert!(ta.get(food, us, can) - to.get(food, us, can) > 0.01);

    // Coverage against the built US exports: China's farm lists ($21.9bn at HS6) are about a
    // tenth of US goods exports to China; Canada's steel and aluminium list ($11.4bn announced) a
    // few per cent of US goods exports to Canada.
    let farm = covered(&october_rep, "chn-2025-no2-10") + covered(&october_rep, "chn-2025-no2-15");
    assert!((8.0..20.0).contains(&farm), "{farm}");
    let steel = covered(&october_rep, "can-2025-03-13-steel-aluminium");
    assert!((1.0..6.0).contains(&steel), "{steel}");
    assert!((covered(&april_rep, "chn-2025-no6") - 100.0).abs() < 1e-9);
}
