//! The policy timeline as a source of scenario tariffs (`tariffs_at = "YYYY-MM-DD"`).

use std::sync::OnceLock;

use reciprocity_model::Dataset;
use reciprocity_policy::effective::{Assumptions, PartnerImports};
use reciprocity_policy::sectors::{us_tariffs_for_regions, Region, SectorMap};
use reciprocity_policy::Registry;
use reciprocity_scenario::PolicyRates;

use crate::policy;
use crate::Result;

/// The embedded registry with 2024 import weights (HS detail when ../shared/data is present).
pub struct TimelineRates {
    registry: Registry,
    imports: Vec<PartnerImports>,
    assumptions: Assumptions,
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
        })
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
        let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| format!("expected a date as YYYY-MM-DD, found \"{date}\""))?;
        let map = if data.n_sectors() == 1 {
            SectorMap::single(&data.sectors[0])
        } else {
            let gtap = SectorMap::ossa_gtap7();
            let known = gtap.sectors();
            if !data
                .sectors
                .iter()
                .all(|s| known.iter().any(|k| k.eq_ignore_ascii_case(s)))
            {
                return Err(format!(
                    "no HS crosswalk for the sectors of {} (known: one sector, or Ossa's GTAP-7 codes)",
                    data.name
                ));
            }
            gtap
        };
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
