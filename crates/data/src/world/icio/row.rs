//! Targets for the re-balancing and the rest of the world (ROW): BACI 2023 pairs, Census 2024 US
//! imports, WDI GDP.

use std::collections::{HashMap, HashSet};

use super::read::CensusPartner;
use super::rebalance::Target;
use super::{Dropped, Work};
use crate::Error;

/// The targets and ROW totals, million USD.
pub(crate) struct Plan {
    /// Pair targets among the 80, `[j * n80 + i]`.
    pub targets: Vec<Target>,
    /// Goods exports of each of the 80 to ROW.
    pub exports_to_row: Vec<f64>,
    /// Goods imports of each of the 80 from ROW.
    pub imports_from_row: Vec<f64>,
    /// ROW's GDP (WDI, BACI countries outside the 80).
    pub row_gdp_musd: f64,
    /// ROW's members (ISO3).
    pub row_members: Vec<String>,
    /// The Liberation Day rate per country of the built world (80 + ROW).
    pub liberation_day: Vec<f64>,
    /// What the plan leaves out.
    pub dropped: Vec<Dropped>,
}

/// How ROW was built.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowReport {
    /// BACI countries outside the 80 that make up ROW.
    pub members: usize,
    /// ROW GDP, million USD.
    pub gdp_musd: f64,
    /// ROW's goods exports to the 80, million USD.
    pub exports_musd: f64,
    /// ROW's goods imports from the 80, million USD.
    pub imports_musd: f64,
    /// ROW's domestic sales (assumption A7), million USD.
    pub domestic_musd: f64,
    /// ROW members without an April 2 rate (left out of ROW's weighted rate).
    pub members_without_rate: Vec<String>,
}

pub(crate) fn plan_targets(
    countries: &[String],
    baci: &HashMap<(String, String), f64>,
    census: &[CensusPartner],
    wdi: &HashMap<String, f64>,
    fob: f64,
) -> Result<Plan, Error> {
    let n80 = countries.len();
    let in80: HashSet<&str> = countries.iter().map(String::as_str).collect();
    let in_baci = |c: &str| wdi.contains_key(c);
    let mut row_members: Vec<String> = wdi
        .keys()
        .filter(|c| !in80.contains(c.as_str()))
        .cloned()
        .collect();
    row_members.sort();
    let is_row = |c: &str| in_baci(c) && !in80.contains(c);
    let us = countries.iter().position(|c| c == "USA");
    let census_of: HashMap<&str, f64> = census
        .iter()
        .map(|p| (p.iso3.as_str(), p.imports_usd / 1e6))
        .collect();

    let mut targets = vec![Target::None; n80 * n80];
    for (j, cj) in countries.iter().enumerate() {
        for (i, ci) in countries.iter().enumerate().filter(|(i, _)| *i != j) {
            targets[j * n80 + i] = match (Some(i) == us, census_of.get(cj.as_str())) {
                (true, Some(m)) => Target::Census(*m),
                _ if in_baci(cj) && in_baci(ci) => Target::Baci(
                    fob * baci.get(&(cj.clone(), ci.clone())).copied().unwrap_or(0.0) / 1e3,
                ),
                _ => Target::None,
            };
        }
    }
    let mut exports_to_row = vec![0.0; n80];
    let mut imports_from_row = vec![0.0; n80];
    let mut within_row = (0usize, 0.0);
    let mut unknown = (0usize, 0.0);
    for ((e, m), v) in baci {
        let (ei, mi) = (
            countries.iter().position(|c| c == e),
            countries.iter().position(|c| c == m),
        );
        match (ei, mi) {
            (Some(j), None) if is_row(m) => exports_to_row[j] += fob * v / 1e3,
            (None, Some(i)) if is_row(e) => {
                // ROW -> USA is Census's (below); the BACI value is reported as replaced.
                if Some(i) != us {
                    imports_from_row[i] += fob * v / 1e3;
                }
            }
            (None, None) if is_row(e) && is_row(m) => {
                within_row.0 += 1;
                within_row.1 += v / 1e3;
            }
            (Some(_), Some(_)) => {}
            _ => {
                unknown.0 += 1;
                unknown.1 += v / 1e3;
            }
        }
    }
    let mut census_row = (0usize, 0.0);
    if let Some(u) = us {
        for p in census.iter().filter(|p| !in80.contains(p.iso3.as_str())) {
            imports_from_row[u] += p.imports_usd / 1e6;
            census_row.0 += 1;
            census_row.1 += p.imports_usd / 1e6;
        }
    }
    let row_gdp_musd: f64 = row_members.iter().map(|c| wdi[c] / 1e6).sum();
    if row_gdp_musd <= 0.0 {
        return Err(Error::Invalid(
            "ROW: no GDP for the BACI countries outside the 80 (countries.csv)".into(),
        ));
    }

    let liberation_day = liberation_day_column(countries, &row_members, baci)?;

    let dropped = vec![
        Dropped {
            what: "BACI pairs with both ends in ROW".into(),
            count: within_row.0,
            value_musd: within_row.1,
            reason: "trade inside ROW is ROW's domestic sales (assumption A7), not a pair of the world".into(),
        },
        Dropped {
            what: "BACI pairs with an end in neither the 80 nor countries.csv".into(),
            count: unknown.0,
            value_musd: unknown.1,
            reason: "no GDP for the country in countries.csv".into(),
        },
        Dropped {
            what: "BACI pairs ROW -> USA".into(),
            count: row_members.len(),
            value_musd: row_members
                .iter()
                .filter_map(|m| baci.get(&(m.clone(), "USA".to_string())))
                .sum::<f64>()
                / 1e3,
            reason: format!(
                "replaced by Census 2024 imports from the {} partners outside the 80 ({:.0} million USD)",
                census_row.0, census_row.1
            ),
        },
    ];
    Ok(Plan {
        targets,
        exports_to_row,
        imports_from_row,
        row_gdp_musd,
        row_members,
        liberation_day,
        dropped,
    })
}

/// The April 2, 2025 rate of each of the 80 (the embedded world's rule), and ROW's as the
/// BACI-import-weighted mean of its members' (members without a rate are left out of the mean).
fn liberation_day_column(
    countries: &[String],
    row_members: &[String],
    baci: &HashMap<(String, String), f64>,
) -> Result<Vec<f64>, Error> {
    let eu27: Vec<&str> = crate::registry::group("EU27")
        .ok_or_else(|| Error::Invalid("the registry has no EU27 group".into()))?;
    let mut liberation_day = Vec::with_capacity(countries.len() + 1);
    for c in countries {
        let (rate, _) = crate::world::liberation_day_rate(c, &eu27)
            .map_err(|e| Error::Invalid(format!("us_tariff_liberation_day: {e}")))?;
        liberation_day.push(rate);
    }
    let (mut num, mut den) = (0.0, 0.0);
    for m in row_members {
        let to_us = baci
            .get(&(m.clone(), "USA".to_string()))
            .copied()
            .unwrap_or(0.0);
        if let Ok((rate, _)) = crate::world::liberation_day_rate(m, &eu27) {
            num += rate * to_us;
            den += to_us;
        }
    }
    liberation_day.push(if den > 0.0 { num / den } else { 0.0 });
    Ok(liberation_day)
}

/// Fill ROW's row (exports to the 80 and its domestic sales) after the re-balancing.
pub(crate) fn fill_row(w: &mut Work, plan: &Plan, gdp80: &[f64]) -> Result<RowReport, Error> {
    let r = w.n - 1;
    let mut rep = RowReport {
        members: plan.row_members.len(),
        gdp_musd: plan.row_gdp_musd,
        ..RowReport::default()
    };
    for (i, total) in plan.imports_from_row.iter().enumerate() {
        let weights: Vec<f64> = (0..w.ns)
            .map(|s| {
                if !w.goods[s] {
                    return 0.0;
                }
                (0..r).filter(|&j| j != i).map(|j| w.x(s, j, i)).sum()
            })
            .collect();
        let sum: f64 = weights.iter().sum();
        if sum <= 0.0 && *total > 0.0 {
            return Err(Error::Invalid(format!(
                "ROW: importer {i} has imports from ROW but no goods imports from the 80 to split them by"
            )));
        }
        for (s, wt) in weights.iter().enumerate() {
            let k = w.idx(s, r, i);
            w.fd[k] = if sum > 0.0 { total * wt / sum } else { 0.0 };
        }
        rep.exports_musd += total;
    }
    for j in 0..r {
        rep.imports_musd += w.pair_goods(&w.fd, j, r);
    }
    let va80: f64 = gdp80.iter().sum();
    for s in 0..w.ns {
        let domestic: f64 = (0..r).map(|j| w.x(s, j, j)).sum();
        let k = w.idx(s, r, r);
        w.fd[k] = plan.row_gdp_musd * domestic / va80;
        rep.domestic_musd += w.fd[k];
    }
    let eu27: Vec<&str> = crate::registry::group("EU27").unwrap_or_default();
    rep.members_without_rate = plan
        .row_members
        .iter()
        .filter(|m| crate::world::liberation_day_rate(m, &eu27).is_err())
        .cloned()
        .collect();
    Ok(rep)
}
