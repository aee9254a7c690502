//! The policy timeline as a source of scenario tariffs (`tariffs_at = "YYYY-MM-DD"`).

use std::sync::OnceLock;

use reciprocity_data::world::icio::{SectorMap as IcioMap, ICIO_SECTORS};
use reciprocity_model::Dataset;
use reciprocity_policy::effective::{Assumptions, PartnerImports};
use reciprocity_policy::sectors::{us_tariffs_for_regions, Region, SectorMap};
use reciprocity_policy::Registry;
use reciprocity_scenario::PolicyRates;

use crate::policy;
use crate::Result;

/// The embedded registry with 2024 import weights (HS detail from ../shared/data when present,
/// else from the compiled-in Census HS8 table).
pub struct TimelineRates {
    registry: Registry,
    imports: Vec<PartnerImports>,
    assumptions: Assumptions,
    /// Where the HS weights came from (`None`: partner totals only).
    hs_source: Option<String>,
}

impl TimelineRates {
    /// Load the embedded registry and the weights (HS detail from the shared data folder
    /// [`policy::find_shared_dir`] finds, if any).
    pub fn load() -> Result<Self> {
        let t = policy::TariffTimeline::load(policy::find_shared_dir().as_deref())?;
        Ok(TimelineRates {
            registry: t.registry,
            imports: t.weights.imports,
            assumptions: t.assumptions,
            hs_source: t.weights.hs_source,
        })
    }

    /// How a sector's rate is averaged over its HS lines, in words (for the figures that use it).
    pub fn weighting(&self) -> String {
        match &self.hs_source {
            Some(src) => format!("weighted by 2024 US imports by partner and HS line ({src})"),
            None => "unweighted means over each sector's HS chapters (no ../shared/data: measures on \
                     single headings, such as the Section 232 tariffs on cars and on steel products, \
                     are missed or diluted)"
                .into(),
        }
    }

    /// Loaded once per process: the embedded registry and the shared folder do not change while
    /// it runs, and a server or a `simulate DIR` run would otherwise parse them per scenario.
    pub fn shared() -> Result<&'static TimelineRates> {
        static RATES: OnceLock<TimelineRates> = OnceLock::new();
        if let Some(r) = RATES.get() {
            return Ok(r);
        }
        let r = TimelineRates::load()?;
        Ok(RATES.get_or_init(|| r))
    }
}

/// The ISO3 partners a dataset country stands for: itself, a registry group (EU, EU27), or for a
/// rest-of-world region (`ROW`) every Census partner no other country of the dataset covers.
fn regions_of(data: &Dataset) -> Vec<Region> {
    let mut regions: Vec<Region> = data
        .countries
        .iter()
        .map(|code| {
            let members = if let Some(c) = reciprocity_data::registry::country(code) {
                vec![c.iso3.clone()]
            } else if let Some(group) = reciprocity_data::registry::group(code) {
                group.iter().map(|m| m.to_string()).collect()
            } else {
                Vec::new()
            };
            Region {
                name: code.clone(),
                members,
            }
        })
        .collect();
    let covered: Vec<String> = regions.iter().flat_map(|r| r.members.clone()).collect();
    for region in regions
        .iter_mut()
        .filter(|r| r.members.is_empty() && r.name.eq_ignore_ascii_case("ROW"))
    {
        region.members = reciprocity_data::embedded::census_2024()
            .iter()
            .map(|c| c.iso3.clone())
            .filter(|c| !covered.contains(c))
            .collect();
    }
    regions
}

impl PolicyRates for TimelineRates {
    fn us_additional_rates(&self, date: &str, data: &Dataset) -> Result<Vec<f64>, String> {
        self.rates_on(date, data, None)
    }
}

/// The timeline's rates on one world, with the world's ICIO sector map when it is a sector world
/// built from ICIO (HS → ICIO code → the world's sector, `crosswalk_icio2022.toml`).
pub struct WorldRates<'a> {
    /// The timeline.
    pub rates: &'a TimelineRates,
    /// The world's ICIO sector map.
    pub icio: Option<&'a IcioMap>,
}

impl PolicyRates for WorldRates<'_> {
    fn us_additional_rates(&self, date: &str, data: &Dataset) -> Result<Vec<f64>, String> {
        self.rates.rates_on(date, data, self.icio)
    }
}

/// The HS crosswalk of a dataset's sectors: one sector, an ICIO world's map, or Ossa's GTAP-7.
fn crosswalk_of(data: &Dataset, icio: Option<&IcioMap>) -> Result<SectorMap, String> {
    if data.n_sectors() == 1 {
        return Ok(SectorMap::single(&data.sectors[0]));
    }
    if let Some(map) = icio {
        if map.sectors.iter().all(|s| data.sector_index(s).is_some()) {
            // Services carry no tariff (as in the HS crosswalk of proposal scoring): a sector
            // with no ICIO code in sections A-C is outside (electricity, HS 2716, included).
            let rename = |code: &str| {
                let p = ICIO_SECTORS.iter().position(|c| *c == code)?;
                let m = map.of_icio[p];
                map.is_goods_sector(m).then(|| map.sectors[m].clone())
            };
            return Ok(
                SectorMap::icio2022().relabel(&format!("icio2022 via {}", map.source), rename)
            );
        }
    }
    let gtap = SectorMap::ossa_gtap7();
    let known = gtap.sectors();
    if !data
        .sectors
        .iter()
        .all(|s| known.iter().any(|k| k.eq_ignore_ascii_case(s)))
    {
        return Err(format!(
            "no HS crosswalk for the sectors of {} (known: one sector, Ossa's GTAP-7 codes, or a \
             world built from ICIO with its sectors.csv)",
            data.name
        ));
    }
    Ok(gtap)
}

impl TimelineRates {
    /// The additional US tariffs on `date`, layout `[sector][country]`, through the world's crosswalk.
    fn rates_on(
        &self,
        date: &str,
        data: &Dataset,
        icio: Option<&IcioMap>,
    ) -> Result<Vec<f64>, String> {
        let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| format!("expected a date as YYYY-MM-DD, found \"{date}\""))?;
        let map = crosswalk_of(data, icio)?;
        let regions = regions_of(data);
        if let Some(empty) = regions.iter().find(|r| r.members.is_empty()) {
            return Err(format!(
                "\"{}\" is neither a country nor a known group",
                empty.name
            ));
        }
        let rows = us_tariffs_for_regions(
            &self.registry,
            day,
            &regions,
            &map,
            &self.imports,
            &self.assumptions,
        );
        let n = data.n_countries();
        let mut rates = vec![0.0; data.n_sectors() * n];
        for row in rows {
            let (Some(j), Some(k)) = (
                data.country_index(&row.partner),
                data.sector_index(&row.sector),
            ) else {
                continue;
            };
            if data.countries[j].eq_ignore_ascii_case("USA") {
                continue;
            }
            rates[k * n + j] = row.additional_pct / 100.0;
        }
        Ok(rates)
    }
}
