// Shared loader of the product tables for the tests that need ../shared/data.
#![allow(dead_code)]

use std::path::PathBuf;

use reciprocity_policy::product::data::files;
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
    load_with(Assumptions::default())
}

/// The tables under named assumptions (`usmca-shares` picks the claim table).
pub fn load_with(a: Assumptions) -> (Registry, ProductEngine) {
    let texts: [String; reciprocity_policy::product::data::TABLES] =
        files(a.usmca_shares).map(|(_, rel)| read(rel));
    let data = ProductData::parse(&ProductTexts::from_texts(&texts)).expect("product tables parse");
    let reg = embedded(&KnownPartners::any()).expect("registry");
    (reg, ProductEngine::new(data, a))
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
