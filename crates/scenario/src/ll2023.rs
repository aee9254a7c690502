//! `model.epsilon = "ll2023"`: Lashkaripour and Lugovskyy's trade elasticities by industry on a
//! world built from OECD ICIO with the default (25-sector) or compact (14-sector) map.
//!
//! The 16 estimates are the paper's (Lashkaripour, A. and Lugovskyy, V. (2023), "Profits, Scale
//! Economies, and the Gains from Trade and Industrial Policy", American Economic Review 113(10),
//! the trade elasticities of its WIOD industries, as in `ll2023_wiod2014/ll2023_sector_params.csv`).
//! Each ICIO industry takes the estimate of its WIOD industry; a world sector takes the mean over
//! the ICIO industries it holds (unweighted: no weights are compiled in; named in the note). Like
//! ILMS's Table 7 they are gravity estimates of the tariff elasticity, which this model's
//! exponent ε·φ carries, so goods sectors get estimate / φ̄; service sectors get 3, as in ILMS's
//! multi-sector code (LL2023 treat services as non-traded). The scale elasticity keeps ILMS's
//! ψ_k ε_k = 0.67 in every sector; the paper's own scale elasticities belong to its model.

use reciprocity_data::world::icio::compact::COMPACT_SECTORS;
use reciprocity_data::world::icio::DEFAULT_SECTORS;
use reciprocity_model::ge::Params;

use crate::context::Ctx;
use crate::file::ModelSpec;
use crate::ScenarioError;

/// The line every output carries for this preset.
pub(crate) const SOURCE: &str =
    "Lashkaripour-Lugovskyy (2023, AER) trade elasticities by industry, \
     mapped from ICIO industries (unweighted mean within a sector; goods: the estimate / the \
     GDP-weighted mean φ; services 3; ψ_k ε_k = 0.67)";

/// The paper's trade elasticities of its 15 traded WIOD industries, by the id of
/// `ll2023_sector_params.csv` (1-15; 16, services, is non-traded in the paper).
const ESTIMATES: [f64; 15] = [
    6.227, // 1 agriculture, forestry, fishing
    6.227, // 2 mining and quarrying
    2.303, // 3 food, beverages, tobacco
    3.359, // 4 textiles, apparel, leather
    3.896, // 5 wood
    2.646, // 6 paper, printing
    0.397, // 7 coke and refined petroleum
    3.966, // 8 chemicals, pharmaceuticals
    5.157, // 9 rubber and plastics
    5.283, // 10 other non-metallic minerals
    3.004, // 11 basic and fabricated metals
    7.750, // 12 computer, electronic and electrical equipment
    1.235, // 13 machinery n.e.c.
    2.805, // 14 motor vehicles, other transport
    6.169, // 15 furniture, other manufacturing
];

/// The services' ε (ILMS's multi-sector code; not divided by φ̄).
const SERVICES_EPSILON: f64 = 3.0;

/// The WIOD industry (1-15) of an ICIO industry code; `None` for services (D onwards).
fn wiod_industry(icio: &str) -> Option<usize> {
    let id = match icio {
        "A01" | "A02" | "A03" => 1,
        "B05" | "B06" | "B07" | "B08" | "B09" => 2,
        "C10T12" => 3,
        "C13T15" => 4,
        "C16" => 5,
        "C17_18" => 6,
        "C19" => 7,
        "C20" | "C21" => 8,
        "C22" => 9,
        "C23" => 10,
        "C24A" | "C24B" | "C25" => 11,
        "C26" | "C27" => 12,
        "C28" => 13,
        "C29" | "C301" | "C302T309" => 14,
        "C31T33" => 15,
        _ => return None,
    };
    Some(id)
}

/// The ICIO industries a world sector holds: those the default map names so, and those the
/// compact map names so unless the world has the default map's own sector for them (the compact
/// map's MACHINERY holds electrical equipment only when the world has no ELECTRICAL_EQUIPMENT).
fn members(sector: &str, world: &[String]) -> Vec<&'static str> {
    let has = |name: &str| world.iter().any(|s| s == name);
    DEFAULT_SECTORS
        .iter()
        .zip(COMPACT_SECTORS.iter())
        .filter(|((_, default), (_, compact))| {
            *default == sector || (*compact == sector && !has(default))
        })
        .map(|((code, _), _)| *code)
        .collect()
}

/// ε for every sector of the world, before the φ̄ division, and whether each is a goods sector;
/// `Err(sector)` names a sector neither map knows.
fn raw(world: &[String]) -> Result<Vec<(f64, bool)>, String> {
    world
        .iter()
        .map(|s| {
            let codes = members(s, world);
            if codes.is_empty() {
                return Err(s.clone());
            }
            let goods: Vec<f64> = codes
                .iter()
                .filter_map(|c| wiod_industry(c))
                .map(|id| ESTIMATES[id - 1])
                .collect();
            Ok(match goods.len() {
                0 => (SERVICES_EPSILON, false),
                n => (goods.iter().sum::<f64>() / n as f64, true),
            })
        })
        .collect()
}

/// Set ε (and ψ) from the estimates; runs after ν and φ are final (φ̄ depends on them).
pub(crate) fn apply(ctx: &Ctx, spec: &ModelSpec, params: &mut Params) -> Result<(), ScenarioError> {
    let table = raw(&ctx.data.sectors).map_err(|s| {
        ctx.invalid(
            "model.epsilon",
            format!(
                "\"ll2023\" needs a world built from OECD ICIO with the default or compact sector \
                 map (`world build`, `--world sectors`); sector {s} is in neither (for ILMS's four \
                 sectors use \"ilms-table7\")"
            ),
        )
    })?;
    params.epsilon = crate::gravity::from_gravity(ctx, params, "ll2023", &table)?;
    if spec.psi.is_none() {
        params.psi = crate::gravity::psi_tied_to(&params.epsilon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(map: &[(&str, &str); 50]) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for (_, s) in map {
            if !v.iter().any(|x| x == s) {
                v.push(s.to_string());
            }
        }
        v
    }

    #[test]
    fn every_industry_lands_in_exactly_one_sector_of_either_map() {
        for map in [&DEFAULT_SECTORS, &COMPACT_SECTORS] {
            let world = names(map);
            let mut seen: Vec<&str> = world.iter().flat_map(|s| members(s, &world)).collect();
            seen.sort();
            let mut all: Vec<&str> = map.iter().map(|(c, _)| *c).collect();
            all.sort();
            assert_eq!(seen, all);
            // And each sector holds what the map gives it.
            for (code, sector) in map.iter() {
                assert!(members(sector, &world).contains(code), "{code} {sector}");
            }
        }
    }

    #[test]
    fn the_estimates_by_sector() {
        let default = names(&DEFAULT_SECTORS);
        let e = raw(&default).unwrap();
        let at = |name: &str| e[default.iter().position(|s| s == name).unwrap()];
        assert_eq!(at("MOTOR_VEHICLES"), (2.805, true));
        assert_eq!(at("ELECTRONICS"), (7.75, true));
        assert_eq!(at("MACHINERY"), (1.235, true));
        assert_eq!(at("OTHER_SERVICES"), (3.0, false));
        let compact = names(&COMPACT_SECTORS);
        let e = raw(&compact).unwrap();
        let at = |name: &str| e[compact.iter().position(|s| s == name).unwrap()];
        // Compact MACHINERY holds C27 (7.75) and C28 (1.235); MINING_ENERGY five mining codes and
        // refined petroleum; CHEMICALS C20 (3.966) and C22 (5.157).
        assert!((at("MACHINERY").0 - (7.75 + 1.235) / 2.0).abs() < 1e-12);
        assert!((at("MINING_ENERGY").0 - (5.0 * 6.227 + 0.397) / 6.0).abs() < 1e-12);
        assert!((at("CHEMICALS").0 - (3.966 + 5.157) / 2.0).abs() < 1e-12);
        assert_eq!(at("SERVICES"), (3.0, false));
        let ilms4: Vec<String> = ["AGRICULTURE", "MINING_ENERGY", "MANUFACTURING", "SERVICES"]
            .map(String::from)
            .to_vec();
        assert_eq!(raw(&ilms4).unwrap_err(), "MANUFACTURING");
    }
}
