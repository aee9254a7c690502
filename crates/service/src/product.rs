//! Tariffs at the product level: the total US duty on an HTS line from a partner on a date
//! (MFN plus every measure, stacked by the orders' rules), and HTS search by description. Reads
//! the product tables from the shared data folder, else from the copy embedded in the binary.

use std::path::Path;

use chrono::NaiveDate;
use reciprocity_policy::product::data::files;
use reciprocity_policy::product::{
    Assumptions, ProductData, ProductDuty, ProductEngine, ProductTexts, UsmcaShares,
};
use reciprocity_policy::Registry;

use crate::{Result, ServiceError};

/// The product tables: (field, path under the shared data folder).
pub use reciprocity_policy::product::data::FILES;

/// The tables as read, with where they came from.
pub struct Tables {
    texts: [String; reciprocity_policy::product::data::TABLES],
    /// `shared data folder PATH` or `embedded copy`.
    pub origin: String,
}

impl Tables {
    /// Read every table from the shared data folder, the USMCA-claim shares of the year
    /// `usmca` names (assumption `usmca-shares`).
    pub fn read(shared: &Path, usmca: UsmcaShares) -> Result<Tables> {
        let texts = files(usmca)
            .iter()
            .map(|(_, rel)| {
                let p = shared.join(rel);
                std::fs::read_to_string(&p)
                    .map_err(|e| ServiceError::bad_input(format!("{}: {e}", p.display())))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Tables {
            texts: fixed(texts)?,
            origin: format!("shared data folder {}", shared.display()),
        })
    }

    /// The tables embedded in the binary (US-government tables only; see docs/product-tariffs.md).
    pub fn embedded(usmca: UsmcaShares) -> Result<Tables> {
        let texts =
            reciprocity_policy::product::embedded::texts(files(usmca).map(|f| f.1).as_slice())
                .map_err(|e| ServiceError::bad_input(e.to_string()))?;
        Ok(Tables {
            texts: fixed(texts)?,
            origin: "embedded copy (scripts/gen_product_tables.py)".into(),
        })
    }

    /// From the shared folder when given, else the embedded copy.
    pub fn load(shared: Option<&Path>, usmca: UsmcaShares) -> Result<Tables> {
        match shared {
            Some(dir) => Tables::read(dir, usmca),
            None => Tables::embedded(usmca),
        }
    }

    fn texts(&self) -> ProductTexts<'_> {
        ProductTexts::from_texts(&self.texts)
    }

    /// The product engine over these tables.
    pub fn engine(&self, assumptions: Assumptions) -> Result<ProductEngine> {
        let data = ProductData::parse(&self.texts())
            .map_err(|e| ServiceError::bad_input(e.to_string()))?;
        Ok(ProductEngine::new(data, assumptions))
    }
}

fn fixed(v: Vec<String>) -> Result<[String; reciprocity_policy::product::data::TABLES]> {
    v.try_into()
        .map_err(|_| ServiceError::bad_input("product tables: expected 20 tables"))
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
        .map_err(|e| ServiceError::bad_input(e.to_string()))
}

/// HTS-10 lines whose Census 2024 description holds every word of `query` (or whose code starts
/// with it), at most `limit`.
pub fn search(engine: &ProductEngine, query: &str, limit: usize) -> Result<Vec<(String, String)>> {
    if query.trim().is_empty() {
        return Err(ServiceError::bad_input(
            "search: expected words or an HTS code prefix",
        ));
    }
    Ok(engine.data.search(query, limit))
}
