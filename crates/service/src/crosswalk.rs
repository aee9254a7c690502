//! HS chapters → the sectors of a world, for proposal scoring (a `hs87` line lands in its sector)
//! and the per-sector no-deal rates. Three kinds of world are known:
//!
//! - one sector: every chapter is in it;
//! - Ossa's 33 GTAP-7 sectors: the embedded `crosswalk_ossa_gtap7.toml`;
//! - a sector world built from OECD ICIO (`world build`, or the embedded compact one): chapter →
//!   ICIO code (`crosswalk_icio2022.toml`) → the world's sector (its ICIO sector map). Sectors with
//!   no goods (utilities, construction, services) carry no tariff: `all` terms and the no-deal
//!   rates leave them at zero.

use reciprocity_data::world::icio::{SectorMap as IcioMap, ICIO_SECTORS};
use reciprocity_negotiation::score::ChapterMap;
use reciprocity_policy::sectors::SectorMap;
use reciprocity_policy::Product;

/// HS chapters → a world's sectors.
#[derive(Debug, Clone, PartialEq)]
pub struct HsCrosswalk {
    /// Its name (`one sector`, `ossa2014-gtap7`, `icio2022 via <map>`).
    pub name: String,
    /// For each sector of the world (dataset order), its HS chapters.
    pub chapters: Vec<Vec<u16>>,
    /// Sectors no tariff reaches (services of an ICIO world).
    pub untaxed: Vec<bool>,
    /// Why the world's sectors have no crosswalk (then `chapters` is empty for every sector).
    pub missing: Option<String>,
}

fn hs_chapters() -> impl Iterator<Item = u16> {
    (1..=97u16).filter(|c| *c != 77)
}

impl HsCrosswalk {
    /// The crosswalk of a world with `sectors`; `icio` is the world's ICIO sector map when it is a
    /// sector world built from ICIO.
    pub fn for_world(sectors: &[String], icio: Option<&IcioMap>) -> HsCrosswalk {
        let k = sectors.len();
        if k == 1 {
            return HsCrosswalk {
                name: "one sector".into(),
                chapters: vec![hs_chapters().collect()],
                untaxed: vec![false],
                missing: None,
            };
        }
        match icio {
            Some(map) => Self::icio(sectors, map),
            None => Self::ossa(sectors),
        }
    }

    fn unknown(sectors: &[String], why: String) -> HsCrosswalk {
        HsCrosswalk {
            name: "none".into(),
            chapters: vec![Vec::new(); sectors.len()],
            untaxed: vec![false; sectors.len()],
            missing: Some(why),
        }
    }

    fn ossa(sectors: &[String]) -> HsCrosswalk {
        let ossa = SectorMap::ossa_gtap7();
        let known = ossa.sectors();
        if !sectors.iter().all(|s| known.contains(s)) {
            return Self::unknown(
                sectors,
                format!(
                    "no HS crosswalk for the sectors of this world ({}); multi-sector worlds must use the Ossa GTAP-7 \
                     sectors or be built by `world build` (a sectors.csv with icio_code,sector beside the flows)",
                    sectors.join(", ")
                ),
            );
        }
        let chapters = sectors
            .iter()
            .map(|s| {
                hs_chapters()
                    .filter(|c| ossa.sector_of(Product::Chapter(*c)) == Some(s.as_str()))
                    .collect()
            })
            .collect();
        HsCrosswalk {
            name: ossa.name.clone(),
            chapters,
            untaxed: vec![false; sectors.len()],
            missing: None,
        }
    }

    fn icio(sectors: &[String], map: &IcioMap) -> HsCrosswalk {
        // The world's sector k ← the map's sector of the same name.
        let of_map: Vec<Option<usize>> = map
            .sectors
            .iter()
            .map(|s| sectors.iter().position(|x| x == s))
            .collect();
        if let Some((name, _)) = map.sectors.iter().zip(&of_map).find(|(_, k)| k.is_none()) {
            return Self::unknown(
                sectors,
                format!(
                    "the ICIO sector map ({}) names sector {name}, which the world does not have ({})",
                    map.source,
                    sectors.join(", ")
                ),
            );
        }
        let hs = SectorMap::icio2022();
        let mut chapters = vec![Vec::new(); sectors.len()];
        for c in hs_chapters() {
            let code = hs.sector_of(Product::Chapter(c));
            let pos = code.and_then(|code| ICIO_SECTORS.iter().position(|x| *x == code));
            if let Some(k) = pos.and_then(|p| of_map[map.of_icio[p]]) {
                chapters[k].push(c);
            }
        }
        let mut untaxed = vec![false; sectors.len()];
        for (m, k) in of_map.iter().enumerate() {
            if let Some(k) = k {
                untaxed[*k] = !map.is_goods_sector(m);
            }
        }
        HsCrosswalk {
            name: format!("{} via the ICIO sector map {}", hs.name, map.source),
            chapters,
            untaxed,
            missing: None,
        }
    }

    /// The names of the sectors no tariff reaches, in the world's order.
    pub fn untaxed_sectors<'a>(&self, sectors: &'a [String]) -> Vec<&'a str> {
        sectors
            .iter()
            .zip(&self.untaxed)
            .filter(|(_, u)| **u)
            .map(|(s, _)| s.as_str())
            .collect()
    }

    /// The world's sector of an HS chapter.
    pub fn sector_of(&self, chapter: u16) -> Option<usize> {
        self.chapters.iter().position(|cs| cs.contains(&chapter))
    }

    /// The scoring's chapter map (equal shares among the chapters of a sector).
    pub fn chapter_map(&self) -> ChapterMap {
        if self.chapters.len() == 1 {
            return ChapterMap::single_sector();
        }
        ChapterMap::unweighted(|c| self.sector_of(c)).with_untaxed(self.untaxed.clone())
    }
}

impl reciprocity_scenario::HsSectors for HsCrosswalk {
    fn sector_of_chapter(&self, chapter: u16) -> Result<Option<usize>, String> {
        match &self.missing {
            Some(why) => Err(why.clone()),
            None => Ok(self.sector_of(chapter)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[String]) -> Vec<String> {
        v.to_vec()
    }

    #[test]
    fn the_default_icio_map_puts_hs87_in_motor_vehicles_and_leaves_services_untaxed() {
        let map = IcioMap::default_map();
        let sectors = names(&map.sectors);
        let x = HsCrosswalk::for_world(&sectors, Some(&map));
        assert!(x.missing.is_none());
        let autos = sectors.iter().position(|s| s == "MOTOR_VEHICLES").unwrap();
        assert_eq!(x.chapters[autos], [87]);
        let steel = sectors.iter().position(|s| s == "IRON_STEEL").unwrap();
        assert_eq!(x.chapters[steel], [72]);
        let services = sectors.iter().position(|s| s == "OTHER_SERVICES").unwrap();
        assert!(x.untaxed[services] && x.chapters[services].is_empty());
        assert!(!x.untaxed[autos]);
        // Every chapter lands somewhere.
        assert!(hs_chapters().all(|c| x.sector_of(c).is_some()));
        let cm = x.chapter_map();
        assert_eq!(cm.get(87), Some((autos, 1.0)));
        assert!(!cm.covers_all(services) && cm.covers_all(autos));
    }

    #[test]
    fn an_unknown_multi_sector_world_says_so() {
        let x = HsCrosswalk::for_world(&["A".into(), "B".into()], None);
        assert!(x.missing.unwrap().contains("no HS crosswalk"));
        let one = HsCrosswalk::for_world(&["TOTAL".into()], None);
        assert_eq!(one.chapters[0].len(), 96);
    }
}
