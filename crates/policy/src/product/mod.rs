//! Tariffs at the product level: the total US duty on an HTS line from a partner on a date —
//! MFN plus every measure in force, stacked by the rules of the orders — and the statutory
//! effective tariff rate on 2024 imports ([`etr`]).
//!
//! The product tables ([`data::ProductData`]) are parsed from text: the caller reads them from
//! `../shared/data` or from the embedded compressed copy. The product-scoped measures
//! (Section 301, 232, 201) are dated rules in [`programs`]; the country-wide ones come from the
//! registry ([`country`]); [`eval`] stacks them.

pub mod codes;
pub mod country;
pub mod data;
pub mod embedded;
pub mod etr;
pub mod eval;
pub mod facts;
pub mod programs;
mod search;

use chrono::NaiveDate;
use serde::Serialize;

pub use codes::normalize;
pub use data::{ProductData, ProductTexts};
pub use facts::{Assumptions, Facts, UsmcaShares};

use country::{country_lines, Partner};
use eval::Source;
use programs::Rule;

use crate::{Error, Registry};

/// What every output states is left out of the statutory rates.
pub const EXCLUDED: &str = "Not included: antidumping and countervailing duties (AD/CVD), de minimis entries, \
refunds of IEEPA duties after Learning Resources v. Trump, Section 301 exclusions, tariff-rate quota fill, \
preference programmes other than USMCA, column 2 rates (Russia, Belarus, Cuba, North Korea), \
Section 232 pharmaceuticals (no product list before the registry's cut-off).";

/// One measure on a product, for output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DutyLine {
    /// Authority (`mfn`, `section-232-steel`, `ieepa-reciprocal`, ...).
    pub authority: String,
    /// Measure id.
    pub measure: String,
    /// `applied`, `replaced`, `excluded`, `exempt`, `suspended`.
    pub status: String,
    /// Why not applied (the measure or list responsible).
    pub reason: String,
    /// The rate on the value it reaches, percent.
    pub rate_pct: f64,
    /// The share of customs value it reaches (metal content, qualifying share, non-metal part).
    pub share: f64,
    /// Its contribution to the total, percent of customs value.
    pub applied_pct: f64,
    /// Legal instrument.
    pub instrument: String,
    /// Federal Register citation (when among the sources).
    pub citation: String,
    /// Source address.
    pub source: String,
    /// Why provisional (empty when settled).
    pub provisional: String,
}

/// USMCA view for Canada and Mexico.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UsmcaView {
    /// Total for goods qualifying for USMCA preference (MFN 0).
    pub qualifying_total_pct: f64,
    /// Share of the line's imports claiming USMCA in the year of assumption `usmca-shares`
    /// (USITC DataWeb), when known.
    pub claim_share: Option<f64>,
    /// That year.
    pub claim_year: u16,
    /// Expected total at that share.
    pub expected_total_pct: Option<f64>,
}

/// The total duty on one line from one partner on one date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProductDuty {
    /// The HTS code asked for.
    pub hts: String,
    /// Census 2024 description.
    pub description: String,
    /// Partner ISO3.
    pub partner: String,
    /// Date (goods entered that day).
    pub date: NaiveDate,
    /// MFN duty, percent (ad valorem or equivalent).
    pub mfn_pct: f64,
    /// How the MFN duty was found.
    pub mfn_note: String,
    /// MFN + every applied measure, percent (goods not qualifying for USMCA).
    pub total_pct: f64,
    /// Total minus MFN.
    pub additional_pct: f64,
    /// One line per measure (MFN first).
    pub measures: Vec<DutyLine>,
    /// Canada and Mexico: the USMCA-qualifying total.
    pub usmca: Option<UsmcaView>,
    /// Assumptions and partial list memberships that shaped the answer.
    pub notes: Vec<String>,
    /// The registry's cut-off (nothing announced after it is known).
    pub cutoff: NaiveDate,
    /// What is excluded.
    pub excluded: String,
}

/// The product engine: tables, rules, assumptions.
pub struct ProductEngine {
    /// The tables.
    pub data: ProductData,
    /// Product-scoped rules.
    pub rules: Vec<Rule>,
    /// Assumptions.
    pub assumptions: Assumptions,
}

/// The registry's cut-off: the last announcement it holds (measures, pauses and their
/// extensions, exemptions); nothing announced later is known.
pub fn cutoff(reg: &Registry) -> NaiveDate {
    let measures = reg.measures.iter().map(|m| m.announced);
    let pauses = reg
        .pauses
        .iter()
        .flat_map(|p| std::iter::once(p.announced).chain(p.extensions.iter().map(|e| e.announced)));
    let exemptions = reg.exemptions.iter().map(|e| e.announced);
    measures
        .chain(pauses)
        .chain(exemptions)
        .max()
        .unwrap_or(NaiveDate::MIN)
}

impl ProductEngine {
    /// An engine over parsed tables.
    pub fn new(data: ProductData, assumptions: Assumptions) -> ProductEngine {
        ProductEngine {
            data,
            rules: programs::rules(),
            assumptions,
        }
    }

    /// Rules in force on `date`.
    pub fn rules_on(&self, date: NaiveDate) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|r| r.from <= date && r.to.is_none_or(|t| date < t))
            .collect()
    }

    /// Dates on which a product rule starts or ends, a stacking rule or a deal's civil aircraft
    /// exemption changes, or a dated list (derivatives, the country orders' exemptions) changes.
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .rules
            .iter()
            .flat_map(|r| [Some(r.from), r.to])
            .flatten()
            .collect();
        v.extend(eval::rule_dates());
        v.extend(eval::civil_aircraft_dates());
        v.extend(self.data.derivatives.iter().filter_map(|(_, d, _)| *d));
        v.extend(
            self.data
                .country_eo
                .iter()
                .flat_map(|l| [Some(l.start), l.end])
                .flatten(),
        );
        v.sort();
        v.dedup();
        v
    }

    /// The total duty on `hts` from `partner` on `date`, measure by measure.
    pub fn lookup(
        &self,
        reg: &Registry,
        hts: &str,
        partner: &str,
        date: NaiveDate,
    ) -> Result<ProductDuty, Error> {
        let code = normalize(hts)?;
        if code.len() < 8 {
            // No CLI flag here: the API answers with this text too (issue 15, item 12).
            return Err(Error::Query(format!(
                "expected an HTS-8 or HTS-10 line, found {hts:?} ({} digits)",
                code.len()
            )));
        }
        let partner = partner.trim().to_uppercase();
        let iso3_like = partner.len() == 3 && partner.chars().all(|c| c.is_ascii_uppercase());
        if !(reg.is_group(&partner) || iso3_like) {
            return Err(Error::Query(format!(
                "expected a partner ISO3 code, found {partner:?}"
            )));
        }
        let mut facts = Facts::of(&self.data, &code, &self.assumptions);
        facts.date_exemption(reg);
        if !facts.mfn_known && self.data.children(&code).next().is_none() {
            return Err(Error::Query(format!("unknown HTS line {hts:?}: not in the 2025 HTS MFN table nor in the Census 2024 descriptions")));
        }
        let p = Partner::new(reg, &partner);
        let country = country_lines(reg, date, &partner);
        let rules = self.rules_on(date);
        let e = eval::evaluate(
            &facts,
            &p,
            date,
            &rules,
            &country,
            &self.data,
            &self.assumptions,
            true,
        );
        let mut measures = vec![DutyLine {
            authority: "mfn".into(),
            measure: "hts-column-1".into(),
            status: "applied".into(),
            reason: String::new(),
            rate_pct: e.mfn_pct,
            share: 1.0,
            applied_pct: e.mfn_pct,
            instrument: "Harmonized Tariff Schedule, column 1 (general), 2025".into(),
            citation: String::new(),
            source: "https://hts.usitc.gov/".into(),
            provisional: String::new(),
        }];
        for c in &e.lines {
            let (instrument, citation, source, provisional) = match c.source {
                Source::Rule(r) => (
                    r.instrument.to_string(),
                    r.citation.to_string(),
                    r.source.to_string(),
                    r.provisional.to_string(),
                ),
                Source::Country(l) => (
                    l.instrument.clone(),
                    String::new(),
                    l.source.clone(),
                    l.provisional.clone().unwrap_or_default(),
                ),
            };
            measures.push(DutyLine {
                authority: c.authority().to_string(),
                measure: c.id().to_string(),
                status: c.status.name().into(),
                reason: c.status.reason().to_string(),
                rate_pct: c.rate_pct,
                share: c.share,
                applied_pct: c.applied_pct,
                instrument,
                citation,
                source,
                provisional,
            });
        }
        let usmca = e.usmca_total_pct.map(|q| {
            let share = p.cty.and_then(|cty| self.data.usmca_share(&code, cty));
            UsmcaView {
                qualifying_total_pct: q,
                claim_share: share,
                claim_year: self.assumptions.usmca_shares.year(),
                expected_total_pct: share.map(|s| s * q + (1.0 - s) * e.total_pct),
            }
        });
        let mut notes = facts.notes.clone();
        if p.usmca() {
            notes.push(format!("assumption usmca-us-content = {}: USMCA-qualifying vehicles pay the 232 duty on non-US content only", self.assumptions.usmca_us_content));
            notes.push(format!("assumption usmca-shares = {}: the expected total weights the qualifying and other totals by the line's {} USMCA-claim share (USITC DataWeb)", self.assumptions.usmca_shares, self.assumptions.usmca_shares));
        }
        if e.lines
            .iter()
            .any(|l| l.applied_pct > 0.0 && l.share < 1.0 && l.share > 0.0)
        {
            notes.push("assumption metal-content: derivative duties on the BEA metal-content share of the line (metal_content_shares_bea_hs10.csv); the rest of the value pays the country-wide duties".into());
        }
        Ok(ProductDuty {
            hts: code.clone(),
            description: self.data.description(&code).unwrap_or("").to_string(),
            partner,
            date,
            mfn_pct: e.mfn_pct,
            mfn_note: facts.mfn_note.clone(),
            total_pct: e.total_pct,
            additional_pct: e.total_pct - e.mfn_pct,
            measures,
            usmca,
            notes,
            cutoff: cutoff(reg),
            excluded: EXCLUDED.into(),
        })
    }
}
