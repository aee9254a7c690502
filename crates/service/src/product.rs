//! Tariffs at the product level: the total US duty on an HTS line from a partner on a date
//! (MFN plus every measure, stacked by the orders' rules), and HTS search by description. Reads
//! the product tables from the shared data folder, else from the copy embedded in the binary.

use std::path::Path;

use chrono::NaiveDate;
use reciprocity_policy::product::{
    Assumptions, ProductData, ProductDuty, ProductEngine, ProductTexts,
};
use reciprocity_policy::Registry;

use crate::{Result, ServiceError};

/// The product tables: (field, path under the shared data folder).
pub const FILES: [(&str, &str); 20] = [
    ("mfn", "crosswalks/yale_mfn_rates_2025.csv"),
    ("s301", "us_product_lists/s301_product_lists.csv"),
    ("annex", "us_product_lists/s232_annex_products.csv"),
    (
        "derivatives",
        "us_product_lists/s232_derivative_products.csv",
    ),
    ("copper", "us_product_lists/s232_copper_products.csv"),
    ("auto_parts", "us_product_lists/s232_auto_parts.txt"),
    ("mhd_parts", "us_product_lists/s232_mhd_parts.txt"),
    ("semi", "us_product_lists/s232_semi_products.csv"),
    ("semi_shares", "us_product_lists/semi_qualifying_shares.csv"),
    (
        "metal",
        "us_product_lists/metal_content_shares_bea_hs10.csv",
    ),
    ("ieepa_exempt", "us_product_lists/ieepa_exempt_products.csv"),
    (
        "country_eo",
        "us_product_lists/country_eo_exempt_products.csv",
    ),
    (
        "fentanyl",
        "us_product_lists/fentanyl_carveout_products.csv",
    ),
    ("floor", "us_product_lists/floor_exempt_products.csv"),
    ("s122", "us_product_lists/s122_exempt_products.csv"),
    ("s201", "us_product_lists/s201_solar_products.csv"),
    ("usmca", "us_product_lists/usmca_product_shares_2025.csv"),
    (
        "descriptions",
        "tariffs_hs2/hs10_descriptions_census_2024.csv",
    ),
    (
        "imports",
        "tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv",
    ),
    ("mfn_exemption", "us_product_lists/mfn_exemption_shares.csv"),
];

/// The tables as read, with where they came from.
pub struct Tables {
    texts: Vec<String>,
    /// `shared data folder PATH` or `embedded copy`.
    pub origin: String,
}

impl Tables {
    /// Read every table from the shared data folder.
    pub fn read(shared: &Path) -> Result<Tables> {
        let texts = FILES
            .iter()
            .map(|(_, rel)| {
                let p = shared.join(rel);
                std::fs::read_to_string(&p)
                    .map_err(|e| ServiceError::BadInput(format!("{}: {e}", p.display())))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Tables {
            texts,
            origin: format!("shared data folder {}", shared.display()),
        })
    }

    /// The tables embedded in the binary (US-government tables only; see docs/product-tariffs.md).
    pub fn embedded() -> Result<Tables> {
        let texts = reciprocity_policy::product::embedded::texts(FILES.map(|f| f.1).as_slice())
            .map_err(|e| ServiceError::BadInput(e.to_string()))?;
        Ok(Tables {
            texts,
            origin: "embedded copy (scripts/gen_product_tables.py)".into(),
        })
    }

    /// From the shared folder when given, else the embedded copy.
    pub fn load(shared: Option<&Path>) -> Result<Tables> {
        match shared {
            Some(dir) => Tables::read(dir),
            None => Tables::embedded(),
        }
    }

    fn texts(&self) -> ProductTexts<'_> {
        let t = |i: usize| self.texts[i].as_str();
        ProductTexts {
            mfn: t(0),
            s301: t(1),
            annex: t(2),
            derivatives: t(3),
            copper: t(4),
            auto_parts: t(5),
            mhd_parts: t(6),
            semi: t(7),
            semi_shares: t(8),
            metal: t(9),
            ieepa_exempt: t(10),
            country_eo: t(11),
            fentanyl: t(12),
            floor: t(13),
            s122: t(14),
            s201: t(15),
            usmca: t(16),
            descriptions: t(17),
            imports: t(18),
            mfn_exemption: t(19),
        }
    }

    /// The product engine over these tables.
    pub fn engine(&self, assumptions: Assumptions) -> Result<ProductEngine> {
        let data =
            ProductData::parse(&self.texts()).map_err(|e| ServiceError::BadInput(e.to_string()))?;
        Ok(ProductEngine::new(data, assumptions))
    }
}

/// The total duty on `hts` from `partner` on `date`.
pub fn lookup(
    engine: &ProductEngine,
    reg: &Registry,
    hts: &str,
    partner: &str,
    date: NaiveDate,
) -> Result<ProductDuty> {
    engine
        .lookup(reg, hts, partner, date)
        .map_err(|e| ServiceError::BadInput(e.to_string()))
}

/// HTS-10 lines whose Census 2024 description holds every word of `query` (or whose code starts
/// with it), at most `limit`.
pub fn search(engine: &ProductEngine, query: &str, limit: usize) -> Result<Vec<(String, String)>> {
    if query.trim().is_empty() {
        return Err(ServiceError::BadInput(
            "search: expected words or an HTS code prefix".into(),
        ));
    }
    Ok(engine.data.search(query, limit))
}
