//! Proposal scoring on the ICIO sector world (issue 13, item 5): a US-Japan deal's autos line
//! and a UK-style car quota land in the motor-vehicles sector, and the quota's sector and tariff
//! equivalent are reported. The built world needs ../shared/data (written to a temporary folder
//! only).

use reciprocity_service::world_build::{build_world, WorldBuildRequest};
use reciprocity_service::NegotiationWorld;

mod checks {
    include!("sector_scoring/checks.rs");
}
use checks::autos_line_and_car_quota_land_in_motor_vehicles;

#[test]
#[ignore = "needs ../shared/data"]
fn on_the_built_icio_world_an_autos_line_and_a_car_quota_land_in_motor_vehicles() {
    assert!(
        reciprocity_data::shared_data_dir().is_some(),
        "needs ../shared/data (or RECIPROCITY_SHARED_DATA)"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icio");
    build_world(WorldBuildRequest {
        out: out.clone(),
        ..WorldBuildRequest::default()
    })
    .unwrap();
    let w = NegotiationWorld::load(Some(&out)).unwrap();
    assert_eq!(w.data.n_sectors(), 25);
    assert!(w.crosswalk.missing.is_none(), "{:?}", w.crosswalk.missing);
    autos_line_and_car_quota_land_in_motor_vehicles(&w);
}
