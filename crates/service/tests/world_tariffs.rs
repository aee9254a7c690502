//! The built sector world's baseline tariffs (issue 13, item 2; docs/sector-world.md, "Baseline
//! tariffs"): values against the source files, pair rules, and the zero baseline unchanged. Needs
//! ../shared/data; the worlds are written to a temporary folder only.

use std::collections::HashMap;
use std::path::Path;

use reciprocity_data::world::icio::TariffReport;
use reciprocity_model::Dataset;
use reciprocity_service::world_build::{build_world, BaselineTariffs, WorldBuildRequest};

/// `iso3,country_name,indicator,year,value_pct,source` → (iso3, indicator) → value.
fn table(path: &Path) -> HashMap<(String, String), f64> {
    let mut out = HashMap::new();
    let mut r = csv::Reader::from_path(path).unwrap();
    for row in r.records() {
        let row = row.unwrap();
        out.insert(
            (row[0].to_string(), row[2].to_string()),
            row[4].parse().unwrap(),
        );
    }
    out
}

fn sector(ds: &Dataset, name: &str) -> usize {
    ds.sector_index(name).unwrap()
}

/// The importer's tariff on the exporter's goods in a sector.
fn t(ds: &Dataset, k: &str, exporter: &str, importer: &str) -> f64 {
    let (j, i) = (
        ds.country_index(exporter).unwrap(),
        ds.country_index(importer).unwrap(),
    );
    ds.tariff_table().get(sector(ds, k), j, i)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_applied_baseline_follows_the_sources_and_the_zero_one_is_unchanged() {
    let shared = reciprocity_data::shared_data_dir().expect("needs ../shared/data");
    let dir = tempfile::tempdir().unwrap();
    let (applied_dir, zero_dir) = (dir.path().join("applied"), dir.path().join("zero"));
    let built = build_world(WorldBuildRequest {
        out: applied_dir.clone(),
        ..WorldBuildRequest::default()
    })
    .unwrap();
    let rep = &built.report.tariffs;
    assert_eq!(rep.mode, "applied");
    assert_eq!(rep.as_of, "2024-12-31");
    // The one registry date no source reached states (trade_agreements.toml, verified = false).
    assert_eq!(rep.unverified_agreements, ["uk-singapore"]);
    for a in built.report.assumptions.iter().skip(9) {
        println!("{a}");
    }
    for line in reciprocity_data::world::icio::baseline::report_lines(rep) {
        println!("{line}");
    }
    let ds = reciprocity_data::load_dataset(&applied_dir).unwrap();
    partners_on_us_goods(&ds, &shared, rep);
    third_countries(&ds, &shared);
    us_and_services(&ds, rep);
    zero_baseline_is_unchanged(&ds, &applied_dir, &zero_dir);
}

fn partners_on_us_goods(ds: &Dataset, shared: &Path, rep: &TariffReport) {
    // Partners on US goods: WITS product groups, capped at 100 %. Motor vehicles (C29 alone in the
    // default map) = the mean of cars, trucks and parts.
    let wits = table(&shared.join("partner_tariffs/wits_bilateral_tariffs_us_2022.csv"));
    let group = |iso: &str, g: &str| {
        wits[&(iso.to_string(), format!("PARTNER_AHS_ON_US_SIMPLE_AVG_{g}"))].min(100.0) / 100.0
    };
    for iso in ["JPN", "KOR", "IND", "CHN", "AUS", "BRA"] {
        let cars = (group(iso, "HS8703_PASSENGER_CARS")
            + group(iso, "HS8704_TRUCKS")
            + group(iso, "HS8708_MOTOR_VEHICLE_PARTS"))
            / 3.0;
        assert!(close(t(ds, "MOTOR_VEHICLES", "USA", iso), cars), "{iso}");
        assert!(
            close(
                t(ds, "IRON_STEEL", "USA", iso),
                group(iso, "HS72_IRON_STEEL")
            ),
            "{iso}"
        );
        assert!(close(
            t(ds, "PHARMACEUTICALS", "USA", iso),
            group(iso, "HS30_PHARMACEUTICALS")
        ));
    }
    // India's cars (125 %) are capped.
    assert!(rep
        .capped
        .iter()
        .any(|(e, g, _)| e == "IND" && g == "HS8703_PASSENGER_CARS"));
    // EU members take the EU's row.
    assert!(close(
        t(ds, "IRON_STEEL", "USA", "DEU"),
        group("EUU", "HS72_IRON_STEEL")
    ));
    assert!(close(
        t(ds, "IRON_STEEL", "USA", "FRA"),
        t(ds, "IRON_STEEL", "USA", "DEU")
    ));
}

fn third_countries(ds: &Dataset, shared: &Path) {
    // Third countries: duty-free inside the EU, under CPTPP (Canada-Japan, in force 2018-12-30:
    // not duty-free in the 2014 pattern), under the EU-Japan EPA; MFN where no agreement.
    for k in 0..ds.n_sectors() {
        let name = ds.sectors[k].clone();
        assert_eq!(t(ds, &name, "DEU", "FRA"), 0.0, "{name}");
        assert_eq!(t(ds, &name, "CAN", "JPN"), 0.0, "{name}");
        assert_eq!(t(ds, &name, "JPN", "CAN"), 0.0, "{name}");
        assert_eq!(t(ds, &name, "ITA", "JPN"), 0.0, "{name}");
    }
    let wto = table(&shared.join("partner_tariffs/wto_mfn_by_product_group_top5.csv"));
    let mtn = |iso: &str, code: &str, name: &str| {
        wto[&(
            iso.to_string(),
            format!("WTO_MFN_APPLIED_SIMPLE_AVG|MTN_{code}|{name}"),
        )] / 100.0
    };
    // China → India: no agreement; India's MFN by WTO product group.
    assert!(close(
        t(ds, "IRON_STEEL", "CHN", "IND"),
        mtn("IND", "L06", "Iron and steel")
    ));
    assert!(close(
        t(ds, "MOTOR_VEHICLES", "CHN", "IND"),
        mtn("IND", "U01", "Motor vehicles")
    ));
    assert!(close(
        t(ds, "MOTOR_VEHICLES", "CHN", "DEU"),
        mtn("EUU", "U01", "Motor vehicles")
    ));
    // China → Brazil: WDI's MFN simple mean on manufactured goods.
    let wdi = table(&shared.join("partner_tariffs/wdi_applied_mfn_tariff_latest.csv"));
    let brazil = wdi[&("BRA".to_string(), "TM.TAX.MANF.SM.FN.ZS".to_string())] / 100.0;
    assert!(close(t(ds, "MACHINERY", "CHN", "BRA"), brazil));
    assert!(close(t(ds, "MOTOR_VEHICLES", "CHN", "BRA"), brazil));
    // Argentina → Brazil: Mercosur.
    assert_eq!(t(ds, "MACHINERY", "ARG", "BRA"), 0.0);
}

fn us_and_services(ds: &Dataset, rep: &TariffReport) {
    // The US: the 2024 applied duty; Section 301 on China's cars, almost nothing on Canada's
    // (USMCA), the average around the 2024 figure (2.2-2.5 %).
    assert!(t(ds, "MOTOR_VEHICLES", "CHN", "USA") > 0.2);
    assert!(t(ds, "MOTOR_VEHICLES", "CAN", "USA") < 0.01);
    assert!(
        (1.5..3.5).contains(&rep.us_weighted_pct),
        "{}",
        rep.us_weighted_pct
    );
    assert!(rep.us_missing.is_empty(), "{:?}", rep.us_missing);

    // Services carry no tariff; tariffs are fractions in [0, 1].
    for name in [
        "UTILITIES",
        "CONSTRUCTION",
        "TRADE_TRANSPORT_HOSPITALITY",
        "OTHER_SERVICES",
    ] {
        let k = sector(ds, name);
        for j in 0..ds.n_countries() {
            assert!(
                ds.tariff_table().sales(k, j).iter().all(|v| *v == 0.0),
                "{name}"
            );
        }
    }
    assert!(ds.tariffs.iter().all(|v| (0.0..=1.0).contains(v)));
}

fn zero_baseline_is_unchanged(ds: &Dataset, applied_dir: &Path, zero_dir: &Path) {
    // The zero baseline: the same flows, no tariff column, no tariff.
    build_world(WorldBuildRequest {
        out: zero_dir.to_path_buf(),
        baseline_tariffs: BaselineTariffs::Zero,
        ..WorldBuildRequest::default()
    })
    .unwrap();
    let zero = reciprocity_data::load_dataset(zero_dir).unwrap();
    // Equal to rounding: the builder sums BACI pairs in hash order, so two builds differ in the
    // last bits (1e-16 relative), with or without tariffs.
    assert_eq!(zero.flows.len(), ds.flows.len());
    for (a, b) in zero.flows.iter().zip(&ds.flows) {
        assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "{a} {b}");
    }
    assert!(zero.tariffs.iter().all(|v| *v == 0.0));
    let header = std::fs::read_to_string(zero_dir.join("flows.csv")).unwrap();
    assert!(header.starts_with("exporter,importer,sector,value_million_usd\n"));
    let readme = std::fs::read_to_string(applied_dir.join("README.md")).unwrap();
    assert!(readme.contains("A16 ") && readme.contains("## Baseline tariffs (applied)"));
}
