//! The US column of the built sector world's baseline tariffs (docs/sector-world.md, "Baseline
//! tariffs"): for every Census partner and ICIO sector, the 2024 applied duty (Census calculated
//! duties over imports, by HS heading: MFN, preferences and the Section 232/301 duties in force in
//! 2024) plus the additional duties of the policy registry in force on the date (measures from 2025
//! on), both weighted by the partner's 2024 imports by HS heading within the sector. The data crate
//! takes the result as an input ([`reciprocity_data::world::icio::UsTariffs`]): it does not depend
//! on the policy engine.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use reciprocity_data::world::icio::{UsPartner, UsTariffs, ICIO_SECTORS};
use reciprocity_policy::effective::PartnerImports;
use reciprocity_policy::sectors::{us_tariffs_for_regions, Region, SectorMap};

use crate::policy;
use crate::Result;

/// Per ICIO sector: Σ imports x applied 2024 duty and Σ imports over the partner's HS rows that
/// carry a duty rate, plus the partner's totals over all its rows.
fn base_by_sector(p: &PartnerImports, map: &SectorMap) -> (Vec<f64>, Vec<f64>, f64) {
    let ns = ICIO_SECTORS.len();
    let (mut num, mut den) = (vec![0.0; ns], vec![0.0; ns]);
    let (mut all_num, mut all_den) = (0.0, 0.0);
    for row in &p.rows {
        let (Some(code), Some(mfn)) = (map.sector_of(row.product), row.mfn_pct) else {
            continue;
        };
        if row.value <= 0.0 {
            continue;
        }
        all_num += row.value * mfn;
        all_den += row.value;
        if let Some(s) = ICIO_SECTORS.iter().position(|c| *c == code) {
            num[s] += row.value * mfn;
            den[s] += row.value;
        }
    }
    let all = if all_den > 0.0 {
        all_num / all_den
    } else {
        0.0
    };
    let base = num
        .iter()
        .zip(&den)
        .map(|(a, b)| if *b > 0.0 { a / b } else { all })
        .collect();
    (base, den, all_den)
}

/// The US tariffs on every Census partner by ICIO sector on `as_of`, with the rule as text.
/// `shared` is the `../shared/data` folder (the HS detail of `tariffs_hs2/`); without it the
/// weights and the 2024 duty come from the compiled-in Census HS8 table ([`policy::load_weights`]).
pub fn us_baseline_tariffs(shared: Option<&Path>, as_of: NaiveDate) -> Result<UsTariffs> {
    let t = policy::TariffTimeline::load(shared)?;
    let map = SectorMap::icio2022();
    let regions: Vec<Region> = t
        .weights
        .imports
        .iter()
        .map(|p| Region {
            name: p.partner.clone(),
            members: vec![p.partner.clone()],
        })
        .collect();
    let extra = us_tariffs_for_regions(
        &t.registry,
        as_of,
        &regions,
        &map,
        &t.weights.imports,
        &t.assumptions,
    );
    let mut additional: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for row in &extra {
        additional.insert(
            (row.partner.as_str(), row.sector.as_str()),
            row.additional_pct,
        );
    }
    let (mut with_hs, mut sum_add, mut sum_w) = (0usize, 0.0, 0.0);
    let mut partners = BTreeMap::new();
    for p in &t.weights.imports {
        let (base, weights, total) = base_by_sector(p, &map);
        with_hs += usize::from(total > 0.0);
        let rates: Vec<f64> = ICIO_SECTORS
            .iter()
            .enumerate()
            .map(|(s, code)| {
                if !reciprocity_data::world::icio::sectors::is_goods(code) {
                    return 0.0;
                }
                let add = additional
                    .get(&(p.partner.as_str(), *code))
                    .copied()
                    .unwrap_or(0.0);
                sum_add += weights[s] * add;
                sum_w += weights[s];
                (base[s] + add) / 100.0
            })
            .collect();
        let imports = if total > 0.0 {
            weights
        } else {
            // No HS detail: the partner's total spread evenly, so ROW can still weigh it.
            vec![p.value / ICIO_SECTORS.len() as f64; ICIO_SECTORS.len()]
        };
        partners.insert(p.partner.clone(), UsPartner { rates, imports });
    }
    let mean_add = if sum_w > 0.0 { sum_add / sum_w } else { 0.0 };
    let rule = format!(
        "the 2024 applied duty by HS heading (Census calculated duties / 2024 imports: MFN, preferences and the \
         Section 232 and 301 duties in force in 2024; {}, {with_hs} partners with HS detail{}) plus the \
         policy registry's additional duties in force on {as_of} (its measures start in 2025; import-weighted \
         mean {mean_add:.2} points), each weighted by the partner's 2024 imports by HS heading within the ICIO \
         sector (crosswalk_icio2022); a sector without imports takes the partner's all-goods 2024 duty",
        if shared.is_some() {
            "tariffs_hs2/"
        } else {
            "the compiled-in Census 2024 HS8 table"
        },
        if with_hs == 0 { ": none, so the 2024 duty is 0" } else { "" }
    );
    Ok(UsTariffs { rule, partners })
}
