//! The statutory effective US tariff rate (pre-substitution, 2024 import weights): total, base
//! and each authority, by partner and by HS-2 chapter, on a date or every day of a period.

use std::path::Path;

use chrono::NaiveDate;
use reciprocity_policy::product::etr::{change_dates, etr_on, EtrPoint, EtrWeights, RestRow};
use reciprocity_policy::product::ProductEngine;
use reciprocity_policy::Registry;

use crate::{Result, ServiceError};

/// HS-2 x partner 2024 imports of every partner (`tariffs_hs2/hs2_us_tariffs_by_partner_*.csv`);
/// the partners of the HTS-8 file are dropped later (their HTS-8 rows are used).
pub fn read_rest(shared: &Path) -> Result<Vec<RestRow>> {
    let path = shared.join("tariffs_hs2/hs2_us_tariffs_by_partner_2025-09-22_aug2025-regime.csv");
    let mut reader = csv::Reader::from_path(&path)
        .map_err(|e| ServiceError::bad_input(format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec =
            rec.map_err(|e| ServiceError::bad_input(format!("{}:{}: {e}", path.display(), i + 2)))?;
        let field = |k: usize, name: &str| -> Result<&str> {
            rec.get(k).ok_or_else(|| {
                ServiceError::bad_input(format!("{}:{}: missing {name}", path.display(), i + 2))
            })
        };
        let num = |k: usize, name: &str| -> Result<f64> {
            field(k, name)?.trim().parse::<f64>().map_err(|_| {
                ServiceError::bad_input(format!(
                    "{}:{}: {name}: expected a number",
                    path.display(),
                    i + 2
                ))
            })
        };
        out.push(RestRow {
            iso3: field(0, "iso3")?.to_string(),
            cty: num(1, "census_cty_code")? as u16,
            hs2: field(3, "hs2")?.to_string(),
            value: num(4, "us_imports_2024_usd")?,
        });
    }
    Ok(out)
}

/// The effective rate on `date`.
pub fn on(engine: &ProductEngine, reg: &Registry, w: &EtrWeights, date: NaiveDate) -> EtrPoint {
    etr_on(engine, reg, w, &[date]).remove(0)
}

/// The effective rate on every day of `from..=to` (computed on change dates, carried between).
pub fn daily(
    engine: &ProductEngine,
    reg: &Registry,
    w: &EtrWeights,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EtrPoint>> {
    if to < from {
        return Err(ServiceError::bad_field(
            "to",
            format!("{to} is before the start date {from}"),
        ));
    }
    let dates = change_dates(engine, reg, from, to);
    let points = etr_on(engine, reg, w, &dates);
    let mut out = Vec::new();
    let mut d = from;
    let mut k = 0;
    while d <= to {
        while k + 1 < points.len() && points[k + 1].date <= d {
            k += 1;
        }
        let mut p = points[k].clone();
        p.date = d;
        out.push(p);
        d = d.succ_opt().expect("date in range");
    }
    Ok(out)
}

/// The measures in force on `date` whose date, rate or scope the cited document does not settle,
/// with the reason: (id, reason).
pub fn provisional_on(
    engine: &ProductEngine,
    reg: &Registry,
    date: NaiveDate,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = reg
        .measures
        .iter()
        .filter(|m| m.provisional && m.in_force(date))
        .map(|m| (m.id.clone(), m.note.clone()))
        .collect();
    out.extend(
        engine
            .rules_on(date)
            .into_iter()
            .filter(|r| !r.provisional.is_empty())
            .map(|r| (r.id.to_string(), r.provisional.to_string())),
    );
    out.sort();
    out.dedup();
    out
}

/// What every product-level use case needs, loaded once: the registry, the product engine over the
/// shared tables (else the embedded copy) and the effective rate's weights.
pub struct RateContext {
    /// The tariff registry.
    pub registry: Registry,
    /// The product engine.
    pub engine: ProductEngine,
    /// 2024 import weights.
    pub weights: EtrWeights,
    /// Where the tables came from (`shared data folder PATH` or `embedded copy`).
    pub tables: String,
}

impl RateContext {
    /// Load from the shared data folder when given (its HS-2 rows weight the other partners),
    /// else from the embedded tables.
    pub fn load(
        shared: Option<&Path>,
        registry: Registry,
        assumptions: reciprocity_policy::product::Assumptions,
    ) -> Result<RateContext> {
        let tables = crate::product::Tables::load(shared, assumptions.usmca_shares)?;
        let engine = tables.engine(assumptions)?;
        let rest = match shared {
            Some(d) => read_rest(d)?,
            None => Vec::new(),
        };
        let weights = EtrWeights::new(&engine, &registry, rest);
        Ok(RateContext {
            registry,
            engine,
            weights,
            tables: tables.origin.clone(),
        })
    }
}
