//! The US tariffs in force on partners at a date: the measure-by-measure breakdown of the policy
//! engine, for every partner or one.

use chrono::NaiveDate;
use reciprocity_policy::engine::{Breakdown, PartnerDay};
use reciprocity_policy::{Product, Registry};

/// The partners listed by default: every Census 2024 partner and the EU as one.
pub fn all_partners() -> Vec<String> {
    let mut v: Vec<String> = reciprocity_data::embedded::census_2024()
        .iter()
        .map(|c| c.iso3.clone())
        .collect();
    v.push("EUU".into());
    v
}

/// The name of a partner code (`EUU`: the European Union; an unknown code: itself).
pub fn partner_name(code: &str) -> String {
    if code == "EUU" {
        return "European Union".into();
    }
    reciprocity_data::registry::country(code)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| code.to_string())
}

/// The tariffs in force on `date` on `product` from each of `partners` (registry codes), with
/// the MFN duty `mfn_pct` when known; `as_known`: as known on `date` (later announcements
/// ignored).
pub fn in_force(
    registry: &Registry,
    date: NaiveDate,
    partners: &[String],
    product: Product,
    mfn_pct: Option<f64>,
    as_known: bool,
) -> Vec<Breakdown> {
    let known_on = as_known.then_some(date);
    partners
        .iter()
        .map(|p| PartnerDay::new(registry, date, p, known_on).breakdown(product, mfn_pct))
        .collect()
}
