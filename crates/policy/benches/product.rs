//! Product lookups and the daily effective-rate series (needs ../shared/data; skipped without it).
//! `cargo bench -p reciprocity-policy --bench product`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use reciprocity_policy::product::etr::{change_dates, etr_on, EtrWeights, RestRow};
use reciprocity_policy::product::{Assumptions, ProductData, ProductEngine, ProductTexts};
use reciprocity_policy::{date, embedded, KnownPartners, Registry};

const FILES: [&str; 20] = [
    "crosswalks/yale_mfn_rates_2025.csv",
    "us_product_lists/s301_product_lists.csv",
    "us_product_lists/s232_annex_products.csv",
    "us_product_lists/s232_derivative_products.csv",
    "us_product_lists/s232_copper_products.csv",
    "us_product_lists/s232_auto_parts.txt",
    "us_product_lists/s232_mhd_parts.txt",
    "us_product_lists/s232_semi_products.csv",
    "us_product_lists/semi_qualifying_shares.csv",
    "us_product_lists/metal_content_shares_bea_hs10.csv",
    "us_product_lists/ieepa_exempt_products.csv",
    "us_product_lists/country_eo_exempt_products.csv",
    "us_product_lists/fentanyl_carveout_products.csv",
    "us_product_lists/floor_exempt_products.csv",
    "us_product_lists/s122_exempt_products.csv",
    "us_product_lists/s201_solar_products.csv",
    "us_product_lists/usmca_product_shares_2025.csv",
    "tariffs_hs2/hs10_descriptions_census_2024.csv",
    "tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv",
    "us_product_lists/mfn_exemption_shares.csv",
];

fn load() -> Option<(Registry, ProductEngine, Vec<RestRow>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let t: Vec<String> = FILES
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).ok())
        .collect::<Option<_>>()?;
    let pt = ProductTexts {
        mfn: &t[0],
        s301: &t[1],
        annex: &t[2],
        derivatives: &t[3],
        copper: &t[4],
        auto_parts: &t[5],
        mhd_parts: &t[6],
        semi: &t[7],
        semi_shares: &t[8],
        metal: &t[9],
        ieepa_exempt: &t[10],
        country_eo: &t[11],
        fentanyl: &t[12],
        floor: &t[13],
        s122: &t[14],
        s201: &t[15],
        usmca: &t[16],
        descriptions: &t[17],
        imports: &t[18],
        mfn_exemption: &t[19],
    };
    let data = ProductData::parse(&pt).expect("tables");
    let hs2 = std::fs::read_to_string(
        dir.join("tariffs_hs2/hs2_us_tariffs_by_partner_2025-09-22_aug2025-regime.csv"),
    )
    .ok()?;
    let rest = hs2
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = f.len();
            Some(RestRow {
                iso3: f[0].into(),
                cty: f[1].parse().ok()?,
                hs2: f[n - 5].into(),
                value: f[n - 4].parse().ok()?,
            })
        })
        .collect();
    Some((
        embedded(&KnownPartners::any()).ok()?,
        ProductEngine::new(data, Assumptions::default()),
        rest,
    ))
}

fn bench(c: &mut Criterion) {
    let Some((reg, eng, rest)) = load() else {
        eprintln!("product bench skipped: ../shared/data not found");
        return;
    };
    let d = date("2025-06-10").unwrap();
    c.bench_function("lookup 72085100 CAN 2025-06-10", |b| {
        b.iter(|| eng.lookup(&reg, "72085100", "CAN", d).unwrap())
    });
    let d2 = date("2025-05-14").unwrap();
    c.bench_function("lookup 61091000 CHN 2025-05-14", |b| {
        b.iter(|| eng.lookup(&reg, "61091000", "CHN", d2).unwrap())
    });
    let w = EtrWeights::new(&eng, &reg, rest);
    let dates = change_dates(
        &eng,
        &reg,
        date("2025-01-01").unwrap(),
        date("2026-12-31").unwrap(),
    );
    let mut g = c.benchmark_group("etr");
    g.sample_size(10);
    g.bench_function("daily series 2025-01-01..2026-12-31, every partner", |b| {
        b.iter(|| etr_on(&eng, &reg, &w, &dates))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
