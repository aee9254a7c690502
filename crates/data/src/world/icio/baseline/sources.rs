//! The tariff sources of the baseline, by ICIO sector: what an economy charges on US goods (WITS
//! 2022 by product group), and its MFN tariff (WTO by MTN product group for CHN, EUU, IND, JPN;
//! WDI primary / manufactured simple means for the rest; WITS MFN as the last resort).

use std::collections::HashMap;
use std::path::Path;

use crate::partner_tariffs::read_table;
use crate::world::icio::sectors::{is_goods, ICIO_SECTORS};
use crate::Error;

/// WITS file of `partner_tariffs/`.
pub const WITS_FILE: &str = "wits_bilateral_tariffs_us_2022.csv";
/// WDI file of `partner_tariffs/`.
pub const WDI_FILE: &str = "wdi_applied_mfn_tariff_latest.csv";
/// WTO MTN file of `partner_tariffs/`.
pub const WTO_FILE: &str = "wto_mfn_by_product_group_top5.csv";

/// Group figures above this (percent) are capped: out-of-quota rates of tariff-rate quotas and
/// specific duties' equivalents (Korea's soybeans 426 %, Egypt's spirits 1,658 %).
pub const CAP_PCT: f64 = 100.0;

const WITS_PREFIX: &str = "PARTNER_AHS_ON_US_SIMPLE_AVG_";

/// WITS product groups (partners' applied tariffs on US goods) standing for each ICIO goods
/// sector; a sector with several is their simple mean, one without any takes the broad figure.
const WITS_GROUPS: [(&str, &[&str]); 16] = [
    (
        "A01",
        &["HS08_FRUIT_NUTS", "HS10_CEREALS", "HS1201_SOYBEANS"],
    ),
    ("B05", &["HS27_MINERAL_FUELS"]),
    ("B06", &["HS27_MINERAL_FUELS"]),
    (
        "C10T12",
        &[
            "HS02_MEAT",
            "HS04_DAIRY_EGGS_HONEY",
            "HS22_BEVERAGES_SPIRITS",
        ],
    ),
    ("C19", &["HS27_MINERAL_FUELS"]),
    ("C20", &["HS29_ORGANIC_CHEMICALS"]),
    ("C21", &["HS30_PHARMACEUTICALS"]),
    ("C22", &["HS39_PLASTICS"]),
    ("C24A", &["HS72_IRON_STEEL"]),
    ("C24B", &["HS76_ALUMINIUM"]),
    ("C25", &["HS73_ARTICLES_IRON_STEEL"]),
    (
        "C26",
        &["HS85_ELECTRICAL_MACHINERY", "HS90_INSTRUMENTS_MEDICAL"],
    ),
    ("C27", &["HS85_ELECTRICAL_MACHINERY"]),
    ("C28", &["HS84_MACHINERY"]),
    (
        "C29",
        &[
            "HS8703_PASSENGER_CARS",
            "HS8704_TRUCKS",
            "HS8708_MOTOR_VEHICLE_PARTS",
        ],
    ),
    ("C302T309", &["HS88_AIRCRAFT"]),
];

/// WTO MTN categories (MFN applied simple averages) standing for each ICIO goods sector.
const MTN_GROUPS: [(&str, &[&str]); 27] = [
    ("A01", &["A01", "C01", "C02", "E01", "F01", "I01"]),
    ("A02", &["O01"]),
    ("A03", &["K00"]),
    ("B05", &["L01"]),
    ("B06", &["M01"]),
    ("B07", &["L02"]),
    ("B08", &["L02"]),
    ("B09", &["L02"]),
    (
        "C10T12",
        &[
            "A02", "B00", "C03", "E02", "F03", "G00", "H01", "H02", "H03",
        ],
    ),
    ("C13T15", &["P01", "P02", "P09", "Q00", "R02", "R03"]),
    ("C16", &["O01"]),
    ("C17_18", &["O02"]),
    ("C19", &["M02"]),
    ("C20", &["N01", "N02", "N05", "N09"]),
    ("C21", &["N03"]),
    ("C22", &["N04", "R01"]),
    ("C23", &["L03"]),
    ("C24A", &["L06"]),
    ("C24B", &["L05"]),
    ("C25", &["L07"]),
    ("C26", &["S04", "T02", "T03", "T04", "T05", "V01", "V02"]),
    ("C27", &["T01", "T06"]),
    ("C28", &["S01", "S02", "S03"]),
    ("C29", &["U01"]),
    ("C301", &["U03"]),
    ("C302T309", &["U02", "U04", "U05", "V05"]),
    ("C31T33", &["O03", "L04", "V03", "V04", "V06", "V09"]),
];

/// ICIO sectors whose goods are WDI "primary products" (SITC 0-4 and 68: food, agricultural raw
/// materials, fuels, ores and non-ferrous metals); the other goods sectors are "manufactured".
pub fn is_primary(code: &str) -> bool {
    code.starts_with('A') || code.starts_with('B') || matches!(code, "C10T12" | "C19" | "C24B")
}

/// ICIO sectors of the WTO's agricultural products (WITS's `_AG_WTO_DEF` figures).
fn is_agricultural(code: &str) -> bool {
    matches!(code, "A01" | "C10T12")
}

/// Where a figure came from (the levels of the fallbacks, best first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// WITS product groups of the sector (on US goods).
    WitsGroup,
    /// WITS agricultural / non-agricultural figure (on US goods).
    WitsBroad,
    /// WITS all-goods figure (on US goods).
    WitsAll,
    /// WTO MFN by MTN product group.
    WtoGroup,
    /// WDI primary products (applied simple mean) or manufactured products (MFN simple mean).
    Wdi,
    /// WITS MFN agricultural / non-agricultural simple mean.
    WitsMfn,
    /// WDI all products (MFN simple mean; for partners on US goods, the applied simple mean).
    WdiAll,
    /// No figure: 0.
    Missing,
}

impl Level {
    /// A short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            Level::WitsGroup => "WITS product groups",
            Level::WitsBroad => "WITS agricultural / non-agricultural",
            Level::WitsAll => "WITS all goods",
            Level::WtoGroup => "WTO MTN product groups",
            Level::Wdi => "WDI primary (applied) / manufactured (MFN)",
            Level::WitsMfn => "WITS MFN agricultural / non-agricultural",
            Level::WdiAll => "WDI all products",
            Level::Missing => "none (0)",
        }
    }
}

/// A figure per ICIO sector (percent; 0 for services) with where each came from.
pub type Schedule = Vec<(f64, Level)>;

/// The three tables of `partner_tariffs/`, by economy and indicator.
pub struct Sources {
    wits: HashMap<String, HashMap<String, f64>>,
    wdi: HashMap<String, HashMap<String, f64>>,
    wto: HashMap<String, HashMap<String, f64>>,
    /// Group figures capped at [`CAP_PCT`]: (economy, group, value).
    pub capped: Vec<(String, String, f64)>,
}

type ByEconomy = HashMap<String, HashMap<String, f64>>;

fn by_economy(path: &Path, key: impl Fn(&str) -> Option<String>) -> Result<ByEconomy, Error> {
    let mut out: ByEconomy = HashMap::new();
    for r in read_table(path)? {
        if let Some(k) = key(&r.indicator) {
            out.entry(r.iso3).or_default().insert(k, r.value_pct);
        }
    }
    Ok(out)
}

impl Sources {
    /// Read the three files of the `partner_tariffs/` folder `dir`.
    pub fn read(dir: &Path) -> Result<Sources, Error> {
        let wits = by_economy(&dir.join(WITS_FILE), |i| Some(i.to_string()))?;
        let wdi = by_economy(&dir.join(WDI_FILE), |i| Some(i.to_string()))?;
        // `WTO_MFN_APPLIED_SIMPLE_AVG|MTN_U01|Motor vehicles` -> `U01`.
        let wto = by_economy(&dir.join(WTO_FILE), |i| {
            let mut parts = i.split('|');
            match (parts.next(), parts.next()) {
                (Some("WTO_MFN_APPLIED_SIMPLE_AVG"), Some(code)) => {
                    code.strip_prefix("MTN_").map(str::to_string)
                }
                _ => None,
            }
        })?;
        Ok(Sources {
            wits,
            wdi,
            wto,
            capped: Vec::new(),
        })
    }

    /// Whether the economy has a figure on US goods in WITS.
    pub fn has_wits(&self, iso3: &str) -> bool {
        self.wits.contains_key(key(iso3))
    }

    /// What `iso3` charges on US goods, per ICIO sector: the WITS groups of the sector (capped),
    /// else its agricultural / non-agricultural figure, else all goods, else WDI's applied simple
    /// mean on all products. EU members take the `EUU` row.
    pub fn on_us(&mut self, iso3: &str) -> Schedule {
        let k = key(iso3);
        let wits = self.wits.get(k);
        let wdi_all = self
            .wdi
            .get(k)
            .and_then(|m| m.get("TM.TAX.MRCH.SM.AR.ZS"))
            .copied();
        let mut capped = Vec::new();
        let out = ICIO_SECTORS
            .iter()
            .map(|code| {
                if !is_goods(code) {
                    return (0.0, Level::WitsGroup);
                }
                let get =
                    |ind: &str| wits.and_then(|m| m.get(&format!("{WITS_PREFIX}{ind}")).copied());
                let groups: Vec<(&str, f64)> = groups_of(&WITS_GROUPS, code)
                    .iter()
                    .filter_map(|g| get(g).map(|v| (*g, v)))
                    .collect();
                if !groups.is_empty() {
                    let mut sum = 0.0;
                    for (g, v) in &groups {
                        if *v > CAP_PCT {
                            capped.push((k.to_string(), g.to_string(), *v));
                        }
                        sum += v.min(CAP_PCT);
                    }
                    return (sum / groups.len() as f64, Level::WitsGroup);
                }
                let broad = if is_agricultural(code) {
                    "AG_WTO_DEF"
                } else {
                    "NONAG_WTO_DEF"
                };
                if let Some(v) = get(broad) {
                    return (v, Level::WitsBroad);
                }
                if let Some(v) = get("ALL_HS6") {
                    return (v, Level::WitsAll);
                }
                wdi_all.map_or((0.0, Level::Missing), |v| (v, Level::WdiAll))
            })
            .collect();
        capped.sort_by(|a, b| a.1.cmp(&b.1));
        capped.dedup();
        for c in capped {
            if !self.capped.contains(&c) {
                self.capped.push(c);
            }
        }
        out
    }

    /// The MFN tariff of `iso3` per ICIO sector: WTO MTN groups (CHN, EUU, IND, JPN), else WDI
    /// (primary products: applied simple mean; manufactured: MFN simple mean), else WITS MFN
    /// agricultural / non-agricultural, else WDI's MFN simple mean on all products.
    pub fn mfn(&self, iso3: &str) -> Schedule {
        let k = key(iso3);
        let (wto, wdi, wits) = (self.wto.get(k), self.wdi.get(k), self.wits.get(k));
        ICIO_SECTORS
            .iter()
            .map(|code| {
                if !is_goods(code) {
                    return (0.0, Level::WtoGroup);
                }
                if let Some(m) = wto {
                    let v: Vec<f64> = groups_of(&MTN_GROUPS, code)
                        .iter()
                        .filter_map(|g| m.get(*g).copied())
                        .collect();
                    if !v.is_empty() {
                        return (v.iter().sum::<f64>() / v.len() as f64, Level::WtoGroup);
                    }
                }
                let ind = if is_primary(code) {
                    "TM.TAX.TCOM.SM.AR.ZS"
                } else {
                    "TM.TAX.MANF.SM.FN.ZS"
                };
                if let Some(v) = wdi.and_then(|m| m.get(ind)) {
                    return (*v, Level::Wdi);
                }
                let broad = if is_agricultural(code) {
                    "PARTNER_MFN_SIMPLE_AVG_AG_WTO_DEF"
                } else {
                    "PARTNER_MFN_SIMPLE_AVG_NONAG_WTO_DEF"
                };
                if let Some(v) = wits.and_then(|m| m.get(broad)) {
                    return (*v, Level::WitsMfn);
                }
                match wdi.and_then(|m| m.get("TM.TAX.MRCH.SM.FN.ZS")) {
                    Some(v) => (*v, Level::WdiAll),
                    None => (0.0, Level::Missing),
                }
            })
            .collect()
    }
}

/// The key of an economy in the tables: `EUU` for the EU's members.
fn key(iso3: &str) -> &str {
    let eu = crate::registry::group("EU27").unwrap_or_default();
    if eu.contains(&iso3) {
        "EUU"
    } else {
        iso3
    }
}

fn groups_of(
    table: &'static [(&'static str, &'static [&'static str])],
    code: &str,
) -> &'static [&'static str] {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&[], |(_, g)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_code_is_an_icio_goods_sector() {
        for (code, groups) in WITS_GROUPS.iter().chain(MTN_GROUPS.iter()) {
            assert!(ICIO_SECTORS.contains(code) && is_goods(code), "{code}");
            assert!(!groups.is_empty(), "{code}");
        }
        // Every goods sector has WTO groups.
        for code in ICIO_SECTORS.iter().filter(|c| is_goods(c)) {
            assert!(!groups_of(&MTN_GROUPS, code).is_empty(), "{code}");
        }
        assert!(is_primary("C24B") && is_primary("B06") && !is_primary("C29"));
    }

    #[test]
    fn partners_schedules_fall_back_and_cap() {
        let mut s = Sources {
            wits: HashMap::from([(
                "KOR".to_string(),
                HashMap::from([
                    (format!("{WITS_PREFIX}HS1201_SOYBEANS"), 426.0),
                    (format!("{WITS_PREFIX}HS10_CEREALS"), 40.0),
                    (format!("{WITS_PREFIX}NONAG_WTO_DEF"), 2.0),
                    ("PARTNER_MFN_SIMPLE_AVG_NONAG_WTO_DEF".to_string(), 6.0),
                ]),
            )]),
            wdi: HashMap::from([(
                "KOR".to_string(),
                HashMap::from([("TM.TAX.TCOM.SM.AR.ZS".to_string(), 30.0)]),
            )]),
            wto: HashMap::new(),
            capped: Vec::new(),
        };
        let at = |code: &str| ICIO_SECTORS.iter().position(|c| *c == code).unwrap();
        let on_us = s.on_us("KOR");
        assert_eq!(on_us[at("A01")], (70.0, Level::WitsGroup)); // (100 + 40) / 2
        assert_eq!(on_us[at("C29")], (2.0, Level::WitsBroad));
        assert_eq!(on_us[at("K")].0, 0.0);
        assert_eq!(s.capped, [("KOR".into(), "HS1201_SOYBEANS".into(), 426.0)]);
        let mfn = s.mfn("KOR");
        assert_eq!(mfn[at("A01")], (30.0, Level::Wdi));
        assert_eq!(mfn[at("C29")], (6.0, Level::WitsMfn));
        assert_eq!(s.on_us("ATL")[at("C29")], (0.0, Level::Missing));
    }
}
