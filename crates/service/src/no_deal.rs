//! The no-deal ("snap-back") US rates: what applies to a partner's goods when the pause ends
//! without a deal. One function, [`NoDeal::rates_pct`], behind one switch, [`SOURCE`].

use chrono::NaiveDate;
use reciprocity_policy::engine::PartnerDay;
use reciprocity_policy::{Product, Registry};

use crate::crosswalk::HsCrosswalk;
use crate::policy;
use crate::{Result, ServiceError};

/// Where the no-deal rates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The policy timeline (`reciprocity-policy`): the additional duties in force on the day the
    /// pause ends, as known on the scoring date (pauses, extensions, exemptions and stacking applied).
    PolicyTimeline,
    /// The EO 14257 Annex I rates as implemented on April 9, 2025 (10% for partners not listed).
    #[allow(dead_code)] // the fallback: selected by editing `SOURCE`
    AnnexI,
}

/// The one-line switch.
pub const SOURCE: Source = Source::PolicyTimeline;

/// The no-deal rates for one pause end, as known on one date.
pub struct NoDeal {
    /// The source used.
    pub source: Source,
    /// The first day the suspended rates apply.
    pub end: NaiveDate,
    /// The date the rates are known on.
    pub known_on: NaiveDate,
    registry: Option<Registry>,
    /// Each sector's HS chapters for multi-sector worlds, and whether tariffs reach it (None: one
    /// sector, headline rate).
    map: Option<(Vec<Vec<u16>>, Vec<bool>)>,
    usmca: Vec<(String, f64)>,
}

/// Codes of dataset regions that the registry spells differently.
fn registry_code(code: &str) -> &str {
    match code {
        "EU" | "EU27" => "EUU",
        other => other,
    }
}

impl NoDeal {
    /// Rates on `end` as known on `known_on`, for a world with `sectors` (one sector, or Ossa's
    /// GTAP-7 sectors; [`NoDeal::with_crosswalk`] for the ICIO sector worlds).
    pub fn new(end: NaiveDate, known_on: NaiveDate, sectors: &[String]) -> Result<NoDeal> {
        Self::with_crosswalk(end, known_on, &HsCrosswalk::for_world(sectors, None))
    }

    /// Rates on `end` as known on `known_on`, for a world whose HS crosswalk is `crosswalk`: a
    /// sector's rate is the mean of its chapters' (the headline rate when it has none), 0 for a
    /// sector no tariff reaches.
    pub fn with_crosswalk(
        end: NaiveDate,
        known_on: NaiveDate,
        crosswalk: &HsCrosswalk,
    ) -> Result<NoDeal> {
        let registry = match SOURCE {
            Source::PolicyTimeline => Some(policy::load_registry(None)?),
            Source::AnnexI => None,
        };
        let map = if crosswalk.chapters.len() > 1 {
            if let Some(why) = &crosswalk.missing {
                return Err(ServiceError::bad_input(why.clone()));
            }
            Some((crosswalk.chapters.clone(), crosswalk.untaxed.clone()))
        } else {
            None
        };
        let usmca = policy::DEFAULT_USMCA_SHARES
            .iter()
            .map(|(c, s)| (c.to_string(), *s))
            .collect();
        Ok(NoDeal {
            source: SOURCE,
            end,
            known_on,
            registry,
            map,
            usmca,
        })
    }

    /// A line for reports: where the rates come from.
    pub fn describe(&self) -> String {
        match self.source {
            Source::PolicyTimeline => format!(
                "policy timeline: US additional duties in force on {} (the first day after the pause), as known on {}",
                self.end, self.known_on
            ),
            Source::AnnexI => "EO 14257 Annex I rates as implemented on 2025-04-09 (10% for partners not listed)".into(),
        }
    }

    /// The additional US rate (percent) on goods from `code` (a world country code), per sector
    /// (one value for a one-sector world).
    pub fn rates_pct(&self, code: &str, n_sectors: usize) -> Vec<f64> {
        let code = registry_code(code);
        match (&self.registry, &self.map) {
            (None, _) => vec![annex_i_pct(code); n_sectors.max(1)],
            (Some(reg), None) => vec![self.total(reg, code, Product::General); n_sectors.max(1)],
            (Some(reg), Some((chapters, untaxed))) => chapters
                .iter()
                .zip(untaxed)
                .map(|(chapters, untaxed)| {
                    if *untaxed {
                        return 0.0;
                    }
                    if chapters.is_empty() {
                        return self.total(reg, code, Product::General);
                    }
                    chapters
                        .iter()
                        .map(|c| self.total(reg, code, Product::Chapter(*c)))
                        .sum::<f64>()
                        / chapters.len() as f64
                })
                .collect(),
        }
    }

    /// The headline (all goods) rate, percent.
    pub fn headline_pct(&self, code: &str) -> f64 {
        let code = registry_code(code);
        match &self.registry {
            None => annex_i_pct(code),
            Some(reg) => self.total(reg, code, Product::General),
        }
    }

    fn total(&self, reg: &Registry, code: &str, product: Product) -> f64 {
        let day = PartnerDay::new(reg, self.end, code, Some(self.known_on));
        let full = day.total(product, None, false);
        match self.usmca.iter().find(|(c, _)| c == code) {
            Some((_, share)) if day.has_usmca_condition() => {
                share * day.total(product, None, true) + (1.0 - share) * full
            }
            _ => full,
        }
    }
}

/// The Annex I rate as implemented on April 9, 2025: the partner's row, its bloc's row for an
/// EU member, else the 10% baseline.
pub fn annex_i_pct(code: &str) -> f64 {
    let rates = reciprocity_data::embedded::official_rates_2025_04_02();
    let in_eu = reciprocity_data::registry::group("EU27").is_some_and(|m| m.contains(&code));
    let key = if in_eu { "EUU" } else { code };
    rates
        .iter()
        .find(|r| r.iso3 == key && r.in_annex_i)
        .map_or(10.0, |r| r.as_implemented_pct.max(10.0))
}
