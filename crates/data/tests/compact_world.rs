//! The embedded compact sector world against the builder (issue 13, item 6): rebuilt from
//! ../shared/data with the same code and maps, its flows equal the embedded ones to the 1,000 USD
//! the text keeps, and its totals are the full 81 x 25 world's (aggregation moves nothing).

use reciprocity_data::shared_data_dir;
use reciprocity_data::world::icio::{build_icio_world, compact, IcioInputs};
use reciprocity_model::Dataset;

fn total(ds: &Dataset) -> f64 {
    ds.flows.iter().sum()
}

/// (US imports from abroad, US exports abroad), all sectors.
fn us_trade(ds: &Dataset) -> (f64, f64) {
    let us = ds.country_index("USA").unwrap();
    let (mut m, mut x) = (0.0, 0.0);
    for k in 0..ds.n_sectors() {
        for j in (0..ds.n_countries()).filter(|&j| j != us) {
            m += ds.flow_table().get(k, j, us);
            x += ds.flow_table().get(k, us, j);
        }
    }
    (m, x)
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_embedded_sector_world_is_the_builders_output_aggregated() {
    let shared = shared_data_dir().expect("needs ../shared/data (or RECIPROCITY_SHARED_DATA)");
    let embedded = compact::embedded_sector_world().unwrap();

    // The same build as scripts/gen_sector_world.sh: equal to the text's rounding.
    let mut inputs = IcioInputs::from_shared(&shared);
    inputs.sectors = compact::compact_sector_map();
    let (built, _) = build_icio_world(&inputs).unwrap();
    let rebuilt = compact::aggregate_regions(&built).unwrap();
    assert_eq!(rebuilt.countries, embedded.countries);
    assert_eq!(rebuilt.sectors, embedded.sectors);
    let worst = rebuilt
        .flows
        .iter()
        .zip(&embedded.flows)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(
        worst <= 5.0001e-4,
        "largest flow difference {worst} million USD"
    );
    // The flows' text is the builder's byte for byte; the tariff rows need the policy engine's US
    // column (crates/service/tests/compact_world.rs and `scripts/gen_sector_world.sh --check`).
    let embedded_text = compact::embedded_text().unwrap();
    let flows_only: String = embedded_text
        .lines()
        .filter(|l| !l.starts_with("tariff:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(compact::to_text(&rebuilt), flows_only);

    // Identity: the default 25-sector world of 81 regions has the same totals.
    let (full, _) = build_icio_world(&IcioInputs::from_shared(&shared)).unwrap();
    let cells = embedded.flows.len() as f64;
    let (t_full, t_emb) = (total(&full), total(&embedded));
    println!(
        "world sales: 81 x 25 {t_full:.1}, embedded 30 x 14 {t_emb:.1} million USD ({} cells)",
        embedded.flows.len()
    );
    assert!(
        (t_full - t_emb).abs() <= 5e-4 * cells,
        "{t_full} vs {t_emb}"
    );
    let gdp = |d: &Dataset| d.gdp.as_ref().unwrap().iter().sum::<f64>();
    assert!(
        (gdp(&full) - gdp(&embedded)).abs() < 0.02,
        "{} vs {}",
        gdp(&full),
        gdp(&embedded)
    );
    let (m_full, x_full) = us_trade(&full);
    let (m_emb, x_emb) = us_trade(&embedded);
    println!("US imports {m_full:.1} vs {m_emb:.1}; US exports {x_full:.1} vs {x_emb:.1}");
    assert!((m_full - m_emb).abs() < 1.0 && (x_full - x_emb).abs() < 1.0);
    // The motor-vehicle sector is ICIO's C29 in both.
    let autos = |d: &Dataset| {
        let k = d
            .sectors
            .iter()
            .position(|s| s == "MOTOR_VEHICLES")
            .unwrap();
        let n = d.n_countries();
        (0..n * n)
            .map(|x| d.flow_table().get(k, x / n, x % n))
            .sum::<f64>()
    };
    assert!((autos(&full) - autos(&embedded)).abs() < 1.0);
}
