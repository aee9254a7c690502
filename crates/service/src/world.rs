//! The world proposals are scored on: a dataset (embedded or a path), calibrated with the ILMS
//! preset (the dataset's own elasticities when it has them), with the partners' tariffs on US goods
//! and the no-deal US rates of a pause end.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use reciprocity_data::world::icio::SectorMap as IcioMap;
use reciprocity_model::Dataset;
use reciprocity_negotiation::score::{Partner, Reference, World};

use crate::crosswalk::HsCrosswalk;
use crate::no_deal::NoDeal;
use crate::scenario;
use crate::{Result, ServiceError};

/// A calibrated world with what the scoring needs to know about it.
pub struct NegotiationWorld {
    /// The dataset (with the partner tariffs filled in).
    pub data: Dataset,
    /// The scoring world.
    pub world: World,
    /// Where the data came from.
    pub source: String,
    /// What was assumed in building it.
    pub notes: Vec<String>,
    /// HS chapters → its sectors (scoring and the no-deal rates).
    pub crosswalk: HsCrosswalk,
    /// Milliseconds spent loading and calibrating it.
    pub load_ms: f64,
    /// No-deal references solved so far, by (pause end, known on): a server scores many
    /// proposals against the same few pause ends, and each reference costs a registry parse and
    /// a GE solve.
    references: Mutex<HashMap<(NaiveDate, NaiveDate), SolvedReference>>,
}

/// A solved no-deal reference with the rates it was solved at.
pub type SolvedReference = Arc<(Reference, NoDeal)>;

/// USD per unit of a dataset's flows, from its `units`.
pub(crate) fn usd_per_unit(units: &str) -> f64 {
    let u = units.to_ascii_lowercase();
    if u.contains("billion") {
        1e9
    } else if u.contains("million") {
        1e6
    } else if u.contains("thousand") {
        1e3
    } else {
        1.0
    }
}

/// When the dataset has no tariffs on US goods at all (the one-sector worlds are calibrated at
/// zero tariffs), use what partners really charge on US goods: the WITS simple average of applied
/// HS6 tariffs on US goods (embedded headline table; the EU's row for EU members), else WDI's
/// trade-weighted applied tariff on all origins, else 0. Returns a note saying what was done.
/// Sectors no tariff reaches (`untaxed[k]`) keep a zero rate.
fn fill_partner_tariffs(data: &mut Dataset, untaxed: &[bool]) -> Option<String> {
    let us = data.country_index("USA")?;
    let n = data.n_countries();
    let tariffs = data.tariff_table();
    let any = (0..n).any(|m| m != us && tariffs.bilateral(us, m).any(|t| t != 0.0));
    if any {
        return None;
    }
    let eu27 = reciprocity_data::registry::group("EU27").unwrap_or_default();
    let table = reciprocity_data::partner_tariffs::embedded_headline();
    let (mut wits, mut wdi, mut none) = (0usize, 0usize, Vec::new());
    for m in 0..n {
        if m == us {
            continue;
        }
        let code = data.countries[m].as_str();
        // The EU as one region (`EU` in the embedded sector world) has the EU row too.
        let key = if eu27.contains(&code) || code == "EU" {
            "EUU"
        } else {
            code
        };
        let row = table.iter().find(|r| r.iso3 == key);
        let pct = match row {
            Some(r) if r.simple_on_us_pct.is_some() => {
                wits += 1;
                r.simple_on_us_pct
            }
            Some(r) if r.weighted_all_pct.is_some() => {
                wdi += 1;
                r.weighted_all_pct
            }
            _ => {
                none.push(code.to_string());
                None
            }
        };
        let mut tariffs = data.tariff_table_mut();
        for k in (0..tariffs.view().shape().sectors)
            .filter(|&k| !untaxed.get(k).copied().unwrap_or(false))
        {
            tariffs.set(k, us, m, pct.unwrap_or(0.0) / 100.0);
        }
    }
    Some(format!(
        "partners' tariffs on US goods: WITS applied simple average on US goods for {wits} countries, WDI weighted applied \
         tariff for {wdi}, none known (0%) for {}{}",
        none.len(),
        if none.is_empty() { String::new() } else { format!(" ({})", none.join(", ")) }
    ))
}

impl NegotiationWorld {
    /// Load and calibrate the dataset at `path`, or the embedded world when `None`. A folder
    /// written by `world build` (with its `sectors.csv` ICIO sector map) is a sector world: HS
    /// chapters reach its sectors through ICIO (docs/sector-world.md).
    pub fn load(path: Option<&Path>) -> Result<NegotiationWorld> {
        Self::load_named(path, None)
    }

    /// Load `--data PATH` or the embedded world `name` (`default`, `sectors`: the compact ICIO
    /// sector world; [`scenario::load_named_world`]), and calibrate it.
    pub fn load_named(path: Option<&Path>, name: Option<&str>) -> Result<NegotiationWorld> {
        let t0 = Instant::now();
        let loaded = scenario::load_named_world(path, name)?;
        let icio = loaded.icio.clone();
        let label = match (path, name) {
            (Some(p), _) => p.display().to_string(),
            (None, Some(n)) if !n.eq_ignore_ascii_case("default") => format!("embedded {n}"),
            _ => "embedded".to_string(),
        };
        Self::calibrated(loaded, &label, icio.as_ref(), t0)
    }

    fn calibrated(
        loaded: scenario::World,
        name: &str,
        icio: Option<&IcioMap>,
        t0: Instant,
    ) -> Result<NegotiationWorld> {
        let mut data = loaded.data;
        let mut notes = Vec::new();
        if data.country_index("USA").is_none() {
            return Err(ServiceError::bad_input(format!(
                "{}: the world has no USA",
                loaded.source
            )));
        }
        let crosswalk = HsCrosswalk::for_world(&data.sectors, icio);
        notes.extend(fill_partner_tariffs(&mut data, &crosswalk.untaxed));
        let untaxed = crosswalk.untaxed_sectors(&data.sectors);
        if !untaxed.is_empty() {
            notes.push(format!(
                "HS chapters reach the sectors through {}; no tariff on {} (`all` terms leave them alone)",
                crosswalk.name,
                untaxed.join(", ")
            ));
        }
        let scenario = reciprocity_scenario::parse("", "negotiate")?;
        let params = scenario.params(&data, "negotiate")?;
        let cal = Arc::new(crate::scenario::calibrate(&data, &params)?);
        let world = World::new(
            name,
            cal,
            usd_per_unit(&data.units),
            crosswalk.chapter_map(),
        )?;
        Ok(NegotiationWorld {
            data,
            world,
            source: loaded.source,
            notes,
            crosswalk,
            load_ms: t0.elapsed().as_secs_f64() * 1e3,
            references: Mutex::new(HashMap::new()),
        })
    }

    /// The talk's partner in this world: a country of the world, or a bloc (`EUU`: the EU27
    /// members the world has, or its `EU` region).
    pub fn partner(&self, code: &str, name: &str) -> Result<Partner> {
        let data = &self.data;
        if let Some(i) = data.country_index(code) {
            return Ok(Partner {
                code: code.into(),
                name: name.into(),
                members: vec![i],
            });
        }
        if code == "EUU" {
            if let Some(i) = data.country_index("EU") {
                return Ok(Partner {
                    code: code.into(),
                    name: name.into(),
                    members: vec![i],
                });
            }
            let members: Vec<usize> = reciprocity_data::registry::group("EU27")
                .unwrap_or_default()
                .iter()
                .filter_map(|m| data.country_index(m))
                .collect();
            if !members.is_empty() {
                return Ok(Partner {
                    code: code.into(),
                    name: name.into(),
                    members,
                });
            }
        }
        Err(ServiceError::bad_input(format!(
            "partner {code} is not in the world {} (its countries: {})",
            self.world.name,
            short_list(&data.countries)
        )))
    }

    /// The no-deal reference for a pause ending on `end`, as known on `known_on`: the US at the
    /// snap-back rate on every partner.
    /// Solved once per (end, known_on) and kept (the world and the registry do not change).
    pub fn reference(&self, end: NaiveDate, known_on: NaiveDate) -> Result<SolvedReference> {
        let key = (end, known_on);
        if let Some(hit) = self.cached_reference(key) {
            return Ok(hit);
        }
        // Solved outside the lock: two first requests may both solve it; the results are equal.
        let no_deal = NoDeal::with_crosswalk(end, known_on, &self.crosswalk)?;
        let rates = self.no_deal_rates(&no_deal);
        let tariffs = self.world.with_us_rates(&self.world.cal.tariffs, &rates);
        let reference = self.world.reference(tariffs, None)?;
        let solved = Arc::new((reference, no_deal));
        let mut cache = self
            .references
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(cache.entry(key).or_insert(solved).clone())
    }

    fn cached_reference(&self, key: (NaiveDate, NaiveDate)) -> Option<SolvedReference> {
        self.references
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&key)
            .cloned()
    }

    /// The no-deal additional US rates (fractions) per exporter and sector.
    pub fn no_deal_rates(&self, no_deal: &NoDeal) -> Vec<(usize, Vec<f64>)> {
        let k = self.data.n_sectors();
        (0..self.data.n_countries())
            .filter(|&j| j != self.world.us)
            .map(|j| {
                (
                    j,
                    no_deal
                        .rates_pct(&self.data.countries[j], k)
                        .iter()
                        .map(|r| r / 100.0)
                        .collect(),
                )
            })
            .collect()
    }
}

fn short_list(codes: &[String]) -> String {
    if codes.len() <= 10 {
        codes.join(", ")
    } else {
        format!("{}, ... {} in all", codes[..10].join(", "), codes.len())
    }
}
