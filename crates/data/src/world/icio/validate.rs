//! The validation table: the built world against ICIO's exact parts, BACI 2023 and Census 2024.

use std::collections::HashMap;

use super::read::{CensusPartner, IcioTables};
use super::Work;

/// US imports from one partner: built vs Census 2024.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerCheck {
    /// ISO3.
    pub iso3: String,
    /// Census name.
    pub name: String,
    /// Census 2024 general imports, million USD.
    pub census_musd: f64,
    /// Goods imports of the built world (sum over goods sectors), million USD.
    pub built_musd: f64,
}

impl PartnerCheck {
    /// (built − Census) / Census.
    pub fn relative_difference(&self) -> f64 {
        if self.census_musd > 0.0 {
            (self.built_musd - self.census_musd) / self.census_musd
        } else {
            0.0
        }
    }
}

/// Checks of the built world.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// max over the 80 × 50 nodes of |Σ_i X_jis − gross output_js| / max(gross output, 1). Bounded
    /// below by the input's own identity errors ([`super::ReadReport`]).
    pub gross_output_max_relative_error: f64,
    /// max over the nodes of |Σ_i X_jis − (Σ_i Z_jis + final_and_row_sales_js)| / max(gross output, 1):
    /// the build's own identity (what it reproduces exactly).
    pub sales_identity_max_relative_error: f64,
    /// The smallest flow of the built world (must be ≥ 0).
    pub min_flow: f64,
    /// US imports by partner for the 20 largest Census partners in the world.
    pub us_imports_top20: Vec<PartnerCheck>,
    /// US exports by partner for the 20 largest Census export partners in the world: built
    /// (re-balanced to BACI, not to Census) vs Census 2024 exports, an independent check.
    pub us_exports_top20: Vec<PartnerCheck>,
    /// Built goods trade on the foreign pairs among the 80 that BACI covers (US imports excluded:
    /// Census), million USD.
    pub baci_pairs_built_musd: f64,
    /// `fob_to_basic` × BACI on the same pairs, million USD.
    pub baci_pairs_target_musd: f64,
    /// BACI (unscaled) on the same pairs, million USD.
    pub baci_pairs_raw_musd: f64,
    /// Goods trade of the whole built world between distinct regions (80 + ROW), million USD.
    pub world_goods_trade_musd: f64,
    /// All of BACI 2023 (including trade inside ROW), million USD.
    pub baci_world_musd: f64,
    /// Built US goods imports (all partners incl. ROW) vs Census total over its country rows.
    pub us_imports_total_musd: (f64, f64),
}

impl Validation {
    /// The largest |relative difference| over the top 20 US partners.
    pub fn us_imports_top20_max_abs_difference(&self) -> f64 {
        self.us_imports_top20
            .iter()
            .map(|p| p.relative_difference().abs())
            .fold(0.0, f64::max)
    }
}

pub(crate) fn validate(
    w: &Work,
    icio: &IcioTables,
    countries: &[String],
    census: &[CensusPartner],
    baci: &HashMap<(String, String), f64>,
    fob: f64,
) -> Validation {
    let n80 = icio.countries.len();
    let ns = w.ns;
    let mut go_err = 0.0_f64;
    let mut sales_err = 0.0_f64;
    for j in 0..n80 {
        for s in 0..ns {
            let sold: f64 = (0..w.n).map(|i| w.x(s, j, i)).sum();
            let go = icio.gross_output[j * ns + s];
            go_err = go_err.max((sold - go).abs() / go.max(1.0));
            let z: f64 = (0..n80).map(|i| icio.interm[(s * n80 + j) * n80 + i]).sum();
            let own = z + icio.final_and_row[j * ns + s];
            sales_err = sales_err.max((sold - own).abs() / go.max(1.0));
        }
    }
    let min_flow =
        w.z.iter()
            .zip(&w.fd)
            .map(|(a, b)| a + b)
            .fold(f64::INFINITY, f64::min);
    let pos = |c: &str| countries.iter().position(|x| x == c);
    let us = pos("USA");
    let mut partners: Vec<&CensusPartner> = census
        .iter()
        .filter(|p| p.iso3 != "USA" && pos(&p.iso3).is_some())
        .collect();
    partners.sort_by(|a, b| b.imports_usd.total_cmp(&a.imports_usd));
    let us_imports_top20 = match us {
        Some(u) => partners
            .iter()
            .take(20)
            .filter_map(|p| {
                let j = pos(&p.iso3)?;
                Some(PartnerCheck {
                    iso3: p.iso3.clone(),
                    name: p.name.clone(),
                    census_musd: p.imports_usd / 1e6,
                    built_musd: w.pair_goods(&w.z, j, u) + w.pair_goods(&w.fd, j, u),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let mut by_exports = partners.clone();
    by_exports.sort_by(|a, b| b.exports_usd.total_cmp(&a.exports_usd));
    let us_exports_top20 = match us {
        Some(u) => by_exports
            .iter()
            .take(20)
            .filter_map(|p| {
                let i = pos(&p.iso3)?;
                Some(PartnerCheck {
                    iso3: p.iso3.clone(),
                    name: p.name.clone(),
                    census_musd: p.exports_usd / 1e6,
                    built_musd: w.pair_goods(&w.z, u, i) + w.pair_goods(&w.fd, u, i),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let (mut built, mut target, mut raw) = (0.0, 0.0, 0.0);
    for j in 0..n80 {
        for i in (0..n80).filter(|&i| i != j && Some(i) != us) {
            if let Some(v) = baci.get(&(countries[j].clone(), countries[i].clone())) {
                built += w.pair_goods(&w.z, j, i) + w.pair_goods(&w.fd, j, i);
                target += fob * v / 1e3;
                raw += v / 1e3;
            }
        }
    }
    let mut world = 0.0;
    for j in 0..w.n {
        for i in (0..w.n).filter(|&i| i != j) {
            world += w.pair_goods(&w.z, j, i) + w.pair_goods(&w.fd, j, i);
        }
    }
    let us_total = match us {
        Some(u) => (0..w.n)
            .filter(|&j| j != u)
            .map(|j| w.pair_goods(&w.z, j, u) + w.pair_goods(&w.fd, j, u))
            .sum(),
        None => 0.0,
    };
    let census_total: f64 = census
        .iter()
        .filter(|p| p.iso3 != "USA")
        .map(|p| p.imports_usd / 1e6)
        .sum();
    Validation {
        gross_output_max_relative_error: go_err,
        sales_identity_max_relative_error: sales_err,
        min_flow,
        us_imports_top20,
        us_exports_top20,
        baci_pairs_built_musd: built,
        baci_pairs_target_musd: target,
        baci_pairs_raw_musd: raw,
        world_goods_trade_musd: world,
        baci_world_musd: baci.values().sum::<f64>() / 1e3,
        us_imports_total_musd: (us_total, census_total),
    }
}
