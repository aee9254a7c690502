//! The embedded compact sector world with its baseline tariffs (issue 13, item 2): rebuilt from
//! ../shared/data with the applied baseline, it equals the embedded text byte for byte (what
//! `scripts/gen_sector_world.sh --check` checks), and its tariffs are the built world's.

use reciprocity_data::world::icio::{build_icio_world, compact, IcioInputs};
use reciprocity_service::world_build::applied_baseline;

#[test]
#[ignore = "needs ../shared/data"]
fn the_embedded_sector_world_carries_the_applied_baseline() {
    let shared = reciprocity_data::shared_data_dir().expect("needs ../shared/data");
    let mut inputs = IcioInputs::from_shared(&shared);
    inputs.sectors = compact::compact_sector_map();
    inputs.baseline = applied_baseline(None, None, None, Some(&shared)).unwrap();
    let (built, _) = build_icio_world(&inputs).unwrap();
    let rebuilt = compact::aggregate_regions(&built).unwrap();
    assert_eq!(
        compact::to_text(&rebuilt),
        compact::embedded_text().unwrap()
    );
    let embedded = compact::embedded_sector_world().unwrap();
    let t = |ds: &reciprocity_model::Dataset, k: &str, e: &str, i: &str| {
        ds.tariff_table().get(
            ds.sector_index(k).unwrap(),
            ds.country_index(e).unwrap(),
            ds.country_index(i).unwrap(),
        )
    };
    // One-country regions keep the built world's pair tariffs (to the text's 1e-6).
    for (k, e, i) in [
        ("MOTOR_VEHICLES", "USA", "JPN"),
        ("MOTOR_VEHICLES", "USA", "IND"),
        ("IRON_STEEL", "CHN", "IND"),
        ("MOTOR_VEHICLES", "CHN", "USA"),
    ] {
        assert!(
            (t(&embedded, k, e, i) - t(&built, k, e, i)).abs() <= 5e-7,
            "{k} {e} {i}"
        );
    }
    // The EU region: no tariff inside it (domestic sales), Japan's cars enter it duty-free (EPA).
    assert_eq!(t(&embedded, "MOTOR_VEHICLES", "JPN", "EU"), 0.0);
    assert!(t(&embedded, "MOTOR_VEHICLES", "CHN", "EU") > 0.05);
    assert_eq!(t(&embedded, "SERVICES", "USA", "EU"), 0.0);
}
