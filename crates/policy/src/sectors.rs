//! HS chapters and headings → a dataset's model sectors, and the US tariffs of a date as sector
//! tariffs for `simulate` (`tariffs_at = "2025-08-07"` in a scenario).
//!
//! The crosswalk for Ossa's 33 GTAP-7 sectors is a compact chapter-level mapping written in the
//! project (`registry/crosswalk_ossa_gtap7.toml`); one-sector datasets (ILMS, gegravity) use
//! [`SectorMap::single`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::effective::{Assumptions, PartnerImports};
use crate::engine::PartnerDay;
use crate::error::Error;
use crate::hs::{is_valid_chapter, Product};
use crate::registry::Registry;

/// The embedded Ossa (2014) GTAP-7 crosswalk.
pub const OSSA_GTAP7_TOML: &str = include_str!("../registry/crosswalk_ossa_gtap7.toml");

/// The embedded HS → OECD ICIO 2022 (50 ISIC Rev. 4 groups) crosswalk, for the sector worlds built
/// from ICIO (`reciprocity world build`).
pub const ICIO2022_TOML: &str = include_str!("../registry/crosswalk_icio2022.toml");

/// The sector code for goods outside a dataset's sectors (they get no model tariff).
pub const OUTSIDE: &str = "xxx";

/// A crosswalk from HS chapters (with heading overrides) to model sectors.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorMap {
    /// Its name (`ossa2014-gtap7`, `single:TOTAL`).
    pub name: String,
    chapters: BTreeMap<u16, String>,
    headings: BTreeMap<u16, String>,
    single: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    name: String,
    chapters: BTreeMap<String, String>,
    #[serde(default)]
    headings: BTreeMap<String, String>,
}

impl SectorMap {
    /// Parse a crosswalk file (`name`, `[chapters]`, `[headings]`).
    pub fn parse(file: &str, text: &str) -> Result<SectorMap, Error> {
        let raw: RawMap = toml::from_str(text).map_err(|e| Error::Syntax {
            file: file.into(),
            message: e.to_string().trim_end().replace('\n', " | "),
        })?;
        let err = |field: &str, id: &str, message: String| Error::Entry {
            file: file.into(),
            kind: "sector",
            id: id.into(),
            field: field.into(),
            message,
        };
        let mut chapters = BTreeMap::new();
        for (code, sector) in raw.chapters {
            let ch: u16 = code.parse().map_err(|_| {
                err(
                    "chapters",
                    &code,
                    format!("expected a 2-digit chapter, found {code:?}"),
                )
            })?;
            if code.len() != 2 || !is_valid_chapter(ch) {
                return Err(err(
                    "chapters",
                    &code,
                    format!("unknown HS chapter {code:?}"),
                ));
            }
            chapters.insert(ch, sector);
        }
        let mut headings = BTreeMap::new();
        for (code, sector) in raw.headings {
            match Product::parse(&code) {
                Ok(Product::Heading(h)) if code.len() == 4 => {
                    headings.insert(h, sector);
                }
                _ => {
                    return Err(err(
                        "headings",
                        &code,
                        format!("expected a 4-digit HS heading, found {code:?}"),
                    ))
                }
            }
        }
        for ch in 1..=97u16 {
            if is_valid_chapter(ch) && !chapters.contains_key(&ch) {
                return Err(err(
                    "chapters",
                    &format!("{ch:02}"),
                    "chapter missing from the crosswalk".into(),
                ));
            }
        }
        Ok(SectorMap {
            name: raw.name,
            chapters,
            headings,
            single: None,
        })
    }

    /// The embedded Ossa (2014) 33-sector GTAP-7 crosswalk.
    pub fn ossa_gtap7() -> SectorMap {
        // The embedded file is checked by a unit test; a failure here is a build defect.
        SectorMap::parse("crosswalk_ossa_gtap7.toml", OSSA_GTAP7_TOML)
            .expect("embedded crosswalk parses")
    }

    /// The embedded HS → ICIO 2022 crosswalk: chapters (and a few headings) to the 50 ICIO sector
    /// codes (`C29` motor vehicles, `C24A` basic iron and steel, ...).
    pub fn icio2022() -> SectorMap {
        // The embedded file is checked by a unit test; a failure here is a build defect.
        SectorMap::parse("crosswalk_icio2022.toml", ICIO2022_TOML)
            .expect("embedded crosswalk parses")
    }

    /// Every good in one sector (ILMS, gegravity: `TOTAL_GOODS`).
    pub fn single(sector: &str) -> SectorMap {
        SectorMap {
            name: format!("single:{sector}"),
            chapters: BTreeMap::new(),
            headings: BTreeMap::new(),
            single: Some(sector.into()),
        }
    }

    /// The same crosswalk with every sector renamed by `rename` (`None`: [`OUTSIDE`]), e.g. the
    /// ICIO codes of [`SectorMap::icio2022`] to the sectors of a world built from ICIO.
    pub fn relabel(&self, name: &str, rename: impl Fn(&str) -> Option<String>) -> SectorMap {
        let map = |m: &BTreeMap<u16, String>| {
            m.iter()
                .map(|(c, s)| (*c, rename(s).unwrap_or_else(|| OUTSIDE.to_string())))
                .collect()
        };
        SectorMap {
            name: name.to_string(),
            chapters: map(&self.chapters),
            headings: map(&self.headings),
            single: self
                .single
                .as_deref()
                .map(|s| rename(s).unwrap_or_else(|| OUTSIDE.into())),
        }
    }

    /// The sector of a product (`None` for `General` in a multi-sector map).
    pub fn sector_of(&self, product: Product) -> Option<&str> {
        if let Some(s) = &self.single {
            return Some(s);
        }
        match product {
            Product::General => None,
            Product::Chapter(c) => self.chapters.get(&c).map(String::as_str),
            Product::Heading(h) => self
                .headings
                .get(&h)
                .or_else(|| self.chapters.get(&(h / 100)))
                .map(String::as_str),
        }
    }

    /// The model sectors, sorted, without the outside code.
    pub fn sectors(&self) -> Vec<String> {
        if let Some(s) = &self.single {
            return vec![s.clone()];
        }
        let set: BTreeSet<&String> = self
            .chapters
            .values()
            .chain(self.headings.values())
            .collect();
        set.into_iter().filter(|s| *s != OUTSIDE).cloned().collect()
    }

    /// Products standing for a sector when no import weights exist: its chapters and its headings.
    fn products_of(&self, sector: &str) -> Vec<Product> {
        if self.single.is_some() {
            return vec![Product::General];
        }
        let mut out: Vec<Product> = self
            .chapters
            .iter()
            .filter(|(_, s)| *s == sector)
            .map(|(c, _)| Product::Chapter(*c))
            .collect();
        out.extend(
            self.headings
                .iter()
                .filter(|(_, s)| *s == sector)
                .map(|(h, _)| Product::Heading(*h)),
        );
        out
    }
}

/// A US additional tariff on one partner (or region) in one model sector.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorTariff {
    /// The partner or region name.
    pub partner: String,
    /// The model sector.
    pub sector: String,
    /// The additional US duty, percent ad valorem (divide by 100 for the model's fraction).
    pub additional_pct: f64,
    /// Whether 2024 import weights were used (otherwise an unweighted mean over the sector's
    /// chapters, which misses measures on single headings such as 8703 inside chapter 87).
    pub weighted: bool,
}

/// A region of a dataset (`EU`, `ROW`) made of ISO3 partners.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The dataset's name for it.
    pub name: String,
    /// Its ISO3 members.
    pub members: Vec<String>,
}

/// The US additional tariffs in force on `date` on each region's goods, per model sector:
/// import-weighted over the members' HS rows when `imports` has them (MFN of each row used for the
/// all-in rules), else the unweighted mean over the sector's chapters and headings. Sectors are
/// those of `map` (without [`OUTSIDE`]); the result has one entry per region and sector.
pub fn us_tariffs_for_regions(
    reg: &Registry,
    date: NaiveDate,
    regions: &[Region],
    map: &SectorMap,
    imports: &[PartnerImports],
    assumptions: &Assumptions,
) -> Vec<SectorTariff> {
    let sectors = map.sectors();
    let mut out = Vec::with_capacity(regions.len() * sectors.len());
    for region in regions {
        // sector -> (weighted sum, weight); plus an unweighted fallback per member
        let mut sums: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        let mut fallback: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for member in &region.members {
            let day = PartnerDay::new(reg, date, member, None);
            let share = if day.has_usmca_condition() {
                assumptions
                    .usmca_qualifying_share
                    .get(member)
                    .copied()
                    .unwrap_or(0.0)
                    .clamp(0.0, 1.0)
            } else {
                0.0
            };
            let price = |p: Product, mfn: Option<f64>| {
                let full = day.total(p, mfn, false);
                if share > 0.0 {
                    share * day.total(p, mfn, true) + (1.0 - share) * full
                } else {
                    full
                }
            };
            let rows = imports.iter().find(|p| &p.partner == member);
            let mut covered: BTreeSet<&str> = BTreeSet::new();
            if let Some(pi) = rows {
                for row in &pi.rows {
                    let Some(sector) = map.sector_of(row.product) else {
                        continue;
                    };
                    if sector == OUTSIDE || row.value <= 0.0 {
                        continue;
                    }
                    let key = sectors
                        .iter()
                        .find(|s| s.as_str() == sector)
                        .map(String::as_str)
                        .unwrap_or(OUTSIDE);
                    let e = sums.entry(key).or_insert((0.0, 0.0));
                    e.0 += row.value * price(row.product, row.mfn_pct);
                    e.1 += row.value;
                    covered.insert(key);
                }
            }
            let member_weight = rows.map(|p| p.value).unwrap_or(1.0).max(0.0);
            for sector in &sectors {
                if covered.contains(sector.as_str()) {
                    continue;
                }
                let products = map.products_of(sector);
                if products.is_empty() {
                    continue;
                }
                let mean =
                    products.iter().map(|p| price(*p, None)).sum::<f64>() / products.len() as f64;
                let e = fallback.entry(sector.clone()).or_insert((0.0, 0.0));
                e.0 += member_weight.max(f64::MIN_POSITIVE) * mean;
                e.1 += member_weight.max(f64::MIN_POSITIVE);
            }
        }
        for sector in &sectors {
            let (additional_pct, weighted) = match (sums.get(sector.as_str()), fallback.get(sector))
            {
                (Some(&(s, w)), _) if w > 0.0 => (s / w, true),
                (_, Some(&(s, w))) if w > 0.0 => (s / w, false),
                _ => (0.0, false),
            };
            out.push(SectorTariff {
                partner: region.name.clone(),
                sector: sector.clone(),
                additional_pct,
                weighted,
            });
        }
    }
    out
}

/// The US additional tariffs in force on `date` per (partner, model sector): the single-partner
/// form of [`us_tariffs_for_regions`] (a group code such as `EUU` is expanded to its members).
pub fn us_tariffs_at(
    reg: &Registry,
    date: NaiveDate,
    partners: &[&str],
    map: &SectorMap,
    imports: &[PartnerImports],
    assumptions: &Assumptions,
) -> Vec<SectorTariff> {
    let regions: Vec<Region> = partners
        .iter()
        .map(|p| Region {
            name: p.to_string(),
            members: reg
                .groups
                .get(*p)
                .cloned()
                .unwrap_or_else(|| vec![p.to_string()]),
        })
        .collect();
    us_tariffs_for_regions(reg, date, &regions, map, imports, assumptions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icio_crosswalk_puts_cars_steel_and_computers_in_their_icio_groups() {
        let m = SectorMap::icio2022();
        assert_eq!(m.sector_of(Product::Chapter(87)), Some("C29"));
        assert_eq!(m.sector_of(Product::Chapter(72)), Some("C24A"));
        assert_eq!(m.sector_of(Product::Chapter(76)), Some("C24B"));
        assert_eq!(m.sector_of(Product::Chapter(30)), Some("C21"));
        assert_eq!(m.sector_of(Product::Heading(8471)), Some("C26"));
        assert_eq!(m.sector_of(Product::Heading(8711)), Some("C302T309"));
        assert_eq!(m.sector_of(Product::Heading(8703)), Some("C29"));
        // Goods only, plus electricity (2716 → D).
        let sectors = m.sectors();
        assert!(
            sectors
                .iter()
                .all(|s| s == "D" || s.starts_with(['A', 'B', 'C'])),
            "{sectors:?}"
        );
    }
}
