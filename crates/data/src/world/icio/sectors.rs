//! Sector maps: which model sector each of the 50 ICIO sectors is summed into.

use std::path::Path;

use crate::table::{at, Table};
use crate::Error;

/// The ICIO 2025-release sector codes of `icio2022/` (ISIC Rev. 4 groups), in file order.
pub const ICIO_SECTORS: [&str; 50] = [
    "A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16", "C17_18",
    "C19", "C20", "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28", "C29", "C301",
    "C302T309", "C31T33", "D", "E", "F", "G", "H49", "H50", "H51", "H52", "H53", "I", "J58T60",
    "J61", "J62_63", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T",
];

/// Whether an ICIO sector produces goods (ISIC sections A, B and C: the scope of BACI and Census
/// goods trade). Everything else (utilities, construction, services) is not re-balanced.
pub fn is_goods(icio_code: &str) -> bool {
    matches!(icio_code.as_bytes().first(), Some(b'A' | b'B' | b'C'))
}

/// The default aggregation for the 2025 talks: 25 sectors. Basic iron and steel, other basic
/// metals (aluminium, copper), motor vehicles, other transport, agriculture, food, wood, furniture,
/// electronics, pharmaceuticals, machinery, chemicals and textiles stay separate; services are three
/// sectors (utilities, construction, trade-transport-hospitality) plus the rest of services.
pub const DEFAULT_SECTORS: [(&str, &str); 50] = [
    ("A01", "AGRICULTURE"),
    ("A02", "FORESTRY_FISHING"),
    ("A03", "FORESTRY_FISHING"),
    ("B05", "MINING_ENERGY"),
    ("B06", "MINING_ENERGY"),
    ("B07", "MINING_ENERGY"),
    ("B08", "MINING_ENERGY"),
    ("B09", "MINING_ENERGY"),
    ("C10T12", "FOOD"),
    ("C13T15", "TEXTILES_APPAREL"),
    ("C16", "WOOD"),
    ("C17_18", "PAPER_PRINTING"),
    ("C19", "PETROLEUM_PRODUCTS"),
    ("C20", "CHEMICALS"),
    ("C21", "PHARMACEUTICALS"),
    ("C22", "RUBBER_PLASTICS"),
    ("C23", "NONMETALLIC_MINERALS"),
    ("C24A", "IRON_STEEL"),
    ("C24B", "OTHER_BASIC_METALS"),
    ("C25", "FABRICATED_METALS"),
    ("C26", "ELECTRONICS"),
    ("C27", "ELECTRICAL_EQUIPMENT"),
    ("C28", "MACHINERY"),
    ("C29", "MOTOR_VEHICLES"),
    ("C301", "OTHER_TRANSPORT"),
    ("C302T309", "OTHER_TRANSPORT"),
    ("C31T33", "FURNITURE_OTHER_MFG"),
    ("D", "UTILITIES"),
    ("E", "UTILITIES"),
    ("F", "CONSTRUCTION"),
    ("G", "TRADE_TRANSPORT_HOSPITALITY"),
    ("H49", "TRADE_TRANSPORT_HOSPITALITY"),
    ("H50", "TRADE_TRANSPORT_HOSPITALITY"),
    ("H51", "TRADE_TRANSPORT_HOSPITALITY"),
    ("H52", "TRADE_TRANSPORT_HOSPITALITY"),
    ("H53", "TRADE_TRANSPORT_HOSPITALITY"),
    ("I", "TRADE_TRANSPORT_HOSPITALITY"),
    ("J58T60", "OTHER_SERVICES"),
    ("J61", "OTHER_SERVICES"),
    ("J62_63", "OTHER_SERVICES"),
    ("K", "OTHER_SERVICES"),
    ("L", "OTHER_SERVICES"),
    ("M", "OTHER_SERVICES"),
    ("N", "OTHER_SERVICES"),
    ("O", "OTHER_SERVICES"),
    ("P", "OTHER_SERVICES"),
    ("Q", "OTHER_SERVICES"),
    ("R", "OTHER_SERVICES"),
    ("S", "OTHER_SERVICES"),
    ("T", "OTHER_SERVICES"),
];

/// A map from the 50 ICIO sectors to model sectors.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorMap {
    /// Where the map came from ("default (25 sectors for the talks)" or the file's path).
    pub source: String,
    /// Model sector codes, in order of first appearance in the map.
    pub sectors: Vec<String>,
    /// For each ICIO sector (in [`ICIO_SECTORS`] order), the index of its model sector.
    pub of_icio: Vec<usize>,
}

impl SectorMap {
    /// The default 25-sector map ([`DEFAULT_SECTORS`]).
    pub fn default_map() -> SectorMap {
        Self::from_table("default (25 sectors for the talks)", &DEFAULT_SECTORS)
    }

    /// A map compiled into the program: every ICIO code once, in order (a unit test checks each).
    pub fn from_table(name: &str, table: &[(&str, &str); 50]) -> SectorMap {
        let pairs: Vec<(String, String)> = table
            .iter()
            .map(|(i, s)| (i.to_string(), s.to_string()))
            .collect();
        Self::from_pairs(name, &pairs, &[])
            .unwrap_or_else(|e| unreachable!("a compiled-in sector map is complete: {e}"))
    }

    /// Read a map from a CSV file with columns `icio_code,sector`: every ICIO code exactly once.
    pub fn read(path: &Path) -> Result<SectorMap, Error> {
        let t = Table::read(path)?;
        t.require_rows()?;
        let c_i = t.col("icio_code")?;
        let c_s = t.col("sector")?;
        let mut pairs = Vec::with_capacity(t.rows.len());
        let mut lines = Vec::with_capacity(t.rows.len());
        for (line, row) in &t.rows {
            pairs.push((row[c_i].clone(), row[c_s].clone()));
            lines.push(*line);
        }
        Self::from_pairs(&t.file, &pairs, &lines)
    }

    /// Build a map from (icio_code, sector) pairs; `lines` (parallel, may be empty) locate errors.
    fn from_pairs(
        file: &str,
        pairs: &[(String, String)],
        lines: &[usize],
    ) -> Result<SectorMap, Error> {
        let mut sectors: Vec<String> = Vec::new();
        let mut of_icio = vec![usize::MAX; ICIO_SECTORS.len()];
        for (n, (code, sector)) in pairs.iter().enumerate() {
            let line = lines.get(n).copied().unwrap_or(0);
            let Some(pos) = ICIO_SECTORS
                .iter()
                .position(|c| c.eq_ignore_ascii_case(code))
            else {
                return Err(at(
                    file,
                    line,
                    "icio_code",
                    format!(
                        "expected one of the 50 ICIO sector codes ({}), found {code:?}",
                        ICIO_SECTORS.join(" ")
                    ),
                ));
            };
            if sector.is_empty() {
                return Err(at(
                    file,
                    line,
                    "sector",
                    "expected a sector name, found an empty cell",
                ));
            }
            if of_icio[pos] != usize::MAX {
                return Err(at(
                    file,
                    line,
                    "icio_code",
                    format!("expected each ICIO code once, found {code} again"),
                ));
            }
            let s = match sectors.iter().position(|x| x == sector) {
                Some(s) => s,
                None => {
                    sectors.push(sector.clone());
                    sectors.len() - 1
                }
            };
            of_icio[pos] = s;
        }
        let missing: Vec<&str> = ICIO_SECTORS
            .iter()
            .zip(&of_icio)
            .filter(|(_, s)| **s == usize::MAX)
            .map(|(c, _)| *c)
            .collect();
        if !missing.is_empty() {
            return Err(at(
                file,
                0,
                "icio_code",
                format!(
                    "expected every ICIO sector to be mapped, missing: {}",
                    missing.join(" ")
                ),
            ));
        }
        Ok(SectorMap {
            source: file.to_string(),
            sectors,
            of_icio,
        })
    }

    /// The sector map of a world folder written by `world build` (its `sectors.csv`, columns
    /// `icio_code,sector`); `None` when the folder has no such file (not an ICIO world).
    pub fn of_world(dir: &Path) -> Result<Option<SectorMap>, Error> {
        let path = dir.join("sectors.csv");
        if !dir.is_dir() || !path.is_file() {
            return Ok(None);
        }
        let t = Table::read(&path)?;
        if t.find("icio_code").is_none() {
            return Ok(None);
        }
        SectorMap::read(&path).map(Some)
    }

    /// Whether model sector `s` produces goods (one of its ICIO codes is in sections A, B or C):
    /// the sectors tariffs reach.
    pub fn is_goods_sector(&self, s: usize) -> bool {
        self.members(s).iter().any(|c| is_goods(c))
    }

    /// The ICIO codes summed into model sector `s`.
    pub fn members(&self, s: usize) -> Vec<&'static str> {
        ICIO_SECTORS
            .iter()
            .zip(&self.of_icio)
            .filter(|(_, m)| **m == s)
            .map(|(c, _)| *c)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_map_has_25_sectors_and_keeps_the_talks_sectors_apart() {
        let m = SectorMap::default_map();
        assert_eq!(m.sectors.len(), 25);
        let steel = m.sectors.iter().position(|s| s == "IRON_STEEL").unwrap();
        assert_eq!(m.members(steel), ["C24A"]);
        let autos = m
            .sectors
            .iter()
            .position(|s| s == "MOTOR_VEHICLES")
            .unwrap();
        assert_eq!(m.members(autos), ["C29"]);
        assert!(is_goods("C31T33") && is_goods("A01") && !is_goods("D"));
    }

    #[test]
    fn a_map_file_with_an_unknown_code_names_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.csv");
        std::fs::write(&path, "icio_code,sector\nA01,AGR\nC99,MFG\n").unwrap();
        let err = SectorMap::read(&path).unwrap_err().to_string();
        assert!(
            err.contains("map.csv:3: icio_code: expected one of the 50 ICIO sector codes"),
            "{err}"
        );
        std::fs::write(&path, "icio_code,sector\nA01,AGR\n").unwrap();
        let err = SectorMap::read(&path).unwrap_err().to_string();
        assert!(err.contains("missing: A02"), "{err}");
    }
}
