// Shared loader of the product tables for the tests that need ../shared/data.
#![allow(dead_code)]

use std::path::PathBuf;

use reciprocity_policy::product::{Assumptions, ProductData, ProductEngine, ProductTexts};
use reciprocity_policy::{embedded, KnownPartners, Registry};

pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn read(rel: &str) -> String {
    let p = shared().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn load() -> (Registry, ProductEngine) {
    let files: Vec<String> = [
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
    ]
    .iter()
    .map(|f| read(f))
    .collect();
    let t = ProductTexts {
        mfn: &files[0],
        s301: &files[1],
        annex: &files[2],
        derivatives: &files[3],
        copper: &files[4],
        auto_parts: &files[5],
        mhd_parts: &files[6],
        semi: &files[7],
        semi_shares: &files[8],
        metal: &files[9],
        ieepa_exempt: &files[10],
        country_eo: &files[11],
        fentanyl: &files[12],
        floor: &files[13],
        s122: &files[14],
        s201: &files[15],
        usmca: &files[16],
        descriptions: &files[17],
        imports: &files[18],
        mfn_exemption: &files[19],
    };
    let data = ProductData::parse(&t).expect("product tables parse");
    let reg = embedded(&KnownPartners::any()).expect("registry");
    (reg, ProductEngine::new(data, Assumptions::default()))
}

pub fn rest_rows() -> Vec<reciprocity_policy::product::etr::RestRow> {
    let text = read("tariffs_hs2/hs2_us_tariffs_by_partner_2025-09-22_aug2025-regime.csv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = f.len();
            reciprocity_policy::product::etr::RestRow {
                iso3: f[0].to_string(),
                cty: f[1].parse().expect("cty"),
                hs2: f[n - 5].to_string(),
                value: f[n - 4].parse().expect("value"),
            }
        })
        .collect()
}
