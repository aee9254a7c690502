//! The ICIO 2022 sector world (docs/sector-world.md): built from ../shared/data in place, written
//! to a temporary folder only, and read back by the loaders.

use std::time::Instant;

use reciprocity_data::world::icio::{
    build_and_write, check_us_imports_by_sector, BuildReport, IcioInputs, SectorMap,
};
use reciprocity_data::{load_dataset, shared_data_dir};

fn print_report(r: &BuildReport) {
    println!("read: {:?}", r.read);
    println!(
        "final demand: overall residual {:.3e}, median of sector medians {:.3e}",
        r.final_demand_residual(),
        r.final_demand_median_error()
    );
    for f in &r.final_demand {
        println!(
            "  {:9} F {:>12.0} residual {:.2e} median {:.2e} max {:.2e} nnls {} to-domestic {}",
            f.sector,
            f.final_sales,
            f.relative_residual,
            f.median_relative_error,
            f.max_relative_error,
            f.nnls_steps,
            f.rows_to_domestic
        );
    }
    let rb = &r.rebalance;
    println!(
        "rebalance: pairs BACI {} Census {} none {}; interm above target {} (excess {:.0}); final goods exports {:.0} -> {:.0}; to ROW {:.0}; moved {:.0}",
        rb.pairs_baci,
        rb.pairs_census,
        rb.pairs_without_target,
        rb.pairs_intermediates_above_target,
        rb.intermediates_excess_musd,
        rb.final_goods_exports_before_musd,
        rb.final_goods_exports_after_musd,
        rb.exports_to_row_musd,
        rb.moved_across_sectors_musd
    );
    for h in &rb.hubs {
        println!(
            "  hub {} needed {:.0} available {:.0} shortfall {:.0}",
            h.iso3, h.needed_musd, h.available_musd, h.shortfall_musd
        );
    }
    println!("row: {:?}", r.row);
    println!("US GDP (VA) {:.0}", r.us_gdp_musd);
    for d in &r.dropped {
        println!("dropped: {d:?}");
    }
    let v = &r.validation;
    println!(
        "validation: sales identity {:.2e}; GO max rel err {:.2e}; min flow {:.3e}; BACI pairs built {:.0} target {:.0} raw {:.0}; world {:.0} vs BACI {:.0}; US imports {:?}",
        v.sales_identity_max_relative_error,
        v.gross_output_max_relative_error,
        v.min_flow,
        v.baci_pairs_built_musd,
        v.baci_pairs_target_musd,
        v.baci_pairs_raw_musd,
        v.world_goods_trade_musd,
        v.baci_world_musd,
        v.us_imports_total_musd
    );
    for p in &v.us_exports_top20 {
        println!(
            "  exports {} {:>10.0} {:>10.0} {:+.2}%",
            p.iso3,
            p.census_musd,
            p.built_musd,
            100.0 * p.relative_difference()
        );
    }
    for p in &v.us_imports_top20 {
        println!(
            "  {} {:>10.0} {:>10.0} {:+.3}%",
            p.iso3,
            p.census_musd,
            p.built_musd,
            100.0 * p.relative_difference()
        );
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn icio_world_reproduces_icio_output_and_census_us_imports() {
    let shared = shared_data_dir().expect("../shared/data");
    let inputs = IcioInputs::from_shared(&shared);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icio25");
    let t0 = Instant::now();
    let (built, report) = build_and_write(&inputs, &out).unwrap();
    println!("build + write: {:.2} s", t0.elapsed().as_secs_f64());
    print_report(&report);

    // Identity: each node's sales are its ICIO intermediate sales plus final-and-ROW sales (to
    // 1e-9 of gross output), so gross output is reproduced up to the input's own identity error
    // (interm_sales_80 + final_and_row_sales vs gross_output: 1.4e-2 at worst, on a small node).
    let v = &report.validation;
    assert!(
        v.sales_identity_max_relative_error < 1e-9,
        "{}",
        v.sales_identity_max_relative_error
    );
    let data_err = report.read.output_identity_error + report.read.interm_identity_error;
    assert!(
        v.gross_output_max_relative_error <= data_err + 1e-9,
        "{} vs {data_err}",
        v.gross_output_max_relative_error
    );
    assert!(v.min_flow >= 0.0, "{}", v.min_flow);
    // US imports by partner within 2 % of Census for the 20 largest partners.
    assert_eq!(v.us_imports_top20.len(), 20);
    for p in &v.us_imports_top20 {
        assert!(p.relative_difference().abs() < 0.02, "{p:?}");
    }
    // Written, and read back by the loaders as the same world.
    let loaded = load_dataset(&out).unwrap();
    assert_eq!(loaded.n_countries(), 81);
    assert_eq!(loaded.n_sectors(), 25);
    assert!(loaded.has_domestic_flows);
    assert_eq!(loaded.units, "million usd");
    for (k, s) in built.sectors.iter().enumerate() {
        let lk = loaded.sector_index(s).unwrap();
        for (j, c) in built.countries.iter().enumerate() {
            let lj = loaded.country_index(c).unwrap();
            let row: f64 = (0..81).map(|i| built.flow_table().get(k, j, i)).sum();
            let lrow: f64 = (0..81).map(|i| loaded.flow_table().get(lk, lj, i)).sum();
            assert!(
                (row - lrow).abs() <= 1e-9 * row.max(1.0),
                "{c} {s}: {row} vs {lrow}"
            );
        }
    }
    let check = check_us_imports_by_sector(
        &built,
        &inputs.sectors,
        report.census_by_sector.as_ref().unwrap(),
        Some(&report.us_imports_before_rebalance),
    )
    .unwrap();
    println!("by sector: unmapped {:?}", check.unmapped);
    for p in &check.partners {
        println!(
            "  {} {:.0} r = {:.3} (before re-balancing {:.3})",
            p.iso3,
            p.census_musd,
            p.correlation,
            p.correlation_before.unwrap()
        );
    }
    assert_eq!(check.partners.len(), 10);
    // The target: the built US imports by sector correlate above 0.9 with Census for the
    // 10 largest partners (the re-balancing targets Census by sector where the HS8 file has the
    // partner; the EU is its members summed, which keep the estimate's mix).
    for p in &check.partners {
        assert!(p.correlation > 0.9, "{}: r = {}", p.iso3, p.correlation);
    }
    // 35 of the 51 HS8 partners are among the 80 with room for final goods (measured 2026-12-02).
    assert_eq!(report.rebalance.pairs_census_by_sector, 35);
    let rates = &loaded.columns["us_tariff_liberation_day"];
    assert_eq!(rates[loaded.country_index("CHN").unwrap()], 0.54);
    let text = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(text.contains(
        "OECD (2025), Inter-Country Input-Output Tables, 2025 edition, http://oe.cd/icio"
    ));
}

#[test]
#[ignore = "needs ../shared/data"]
fn icio_world_in_four_ilms_sectors() {
    let shared = shared_data_dir().expect("../shared/data");
    let mut inputs = IcioInputs::from_shared(&shared);
    let map =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sectors/ilms4.csv");
    inputs.sectors = SectorMap::read(&map).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ilms4");
    let (built, _) = build_and_write(&inputs, &out).unwrap();
    assert_eq!(
        built.sectors,
        ["AGRICULTURE", "MINING_ENERGY", "MANUFACTURING", "SERVICES"]
    );
    let loaded = load_dataset(&out).unwrap();
    assert_eq!(loaded.n_sectors(), 4);
}
