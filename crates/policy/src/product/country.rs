//! The country-wide measures of one partner on one date, from the registry (IEEPA reciprocal,
//! fentanyl, Brazil, India, Section 122, the 2026 Section 301 and 338 actions): computed once per
//! partner and date, then combined with each product's facts.

use chrono::NaiveDate;

use crate::engine::{PartnerDay, Status};
use crate::hs::{HsScope, Product};
use crate::registry::RateRule;
use crate::Registry;

/// One registry measure as it stands for a partner on a date.
#[derive(Debug, Clone)]
pub struct CountryLine {
    /// Registry program (`ieepa-reciprocal`).
    pub program: String,
    /// Registry measure id.
    pub measure: String,
    /// Legal instrument.
    pub instrument: String,
    /// Title.
    pub title: String,
    /// Source address.
    pub source: String,
    /// The rate, or the all-in level when `all_in`.
    pub level: f64,
    /// Whether the rate tops MFN up to `level`.
    pub all_in: bool,
    /// The registry's status for general goods.
    pub status: Status,
    /// Provisional in the registry (with its note).
    pub provisional: Option<String>,
    /// Reaches only goods that do not qualify for USMCA.
    pub non_usmca_only: bool,
    /// Headings reached when narrower than every good.
    pub hs: Option<HsScope>,
}

/// Partner facts used by the stacking rules.
#[derive(Debug, Clone)]
pub struct Partner {
    /// ISO3 (or `EUU`).
    pub iso3: String,
    /// Member of the EU (or `EUU` itself).
    pub eu: bool,
    /// Census country code (for USMCA shares), when known.
    pub cty: Option<u16>,
}

impl Partner {
    /// Partner facts from the registry's `EUU` group.
    pub fn new(reg: &Registry, iso3: &str) -> Partner {
        let eu = iso3 == "EUU"
            || reg
                .groups
                .get("EUU")
                .is_some_and(|m| m.iter().any(|x| x == iso3));
        let cty = match iso3 {
            "CAN" => Some(1220),
            "MEX" => Some(2010),
            _ => None,
        };
        Partner {
            iso3: iso3.to_string(),
            eu,
            cty,
        }
    }

    /// Canada or Mexico.
    pub fn usmca(&self) -> bool {
        self.iso3 == "CAN" || self.iso3 == "MEX"
    }

    /// The country group of the all-in floors' exemption lists (`eu`, `japan`, `korea`, `swiss`).
    pub fn floor_group(&self) -> Option<&'static str> {
        match self.iso3.as_str() {
            _ if self.eu => Some("eu"),
            "JPN" => Some("japan"),
            "KOR" => Some("korea"),
            "CHE" | "LIE" => Some("swiss"),
            _ => None,
        }
    }

    /// Whether a list of partner codes (`EUU` for members) names this partner.
    pub fn named_in(&self, list: &[&str]) -> bool {
        list.iter()
            .any(|p| *p == self.iso3 || (*p == "EUU" && self.eu))
    }
}

fn line_of(reg: &Registry, l: &crate::engine::Line, hs: Option<HsScope>) -> CountryLine {
    let m = reg.measure(&l.measure);
    CountryLine {
        program: l.program.clone(),
        measure: l.measure.clone(),
        instrument: l.instrument.clone(),
        title: l.title.clone(),
        source: l.source.clone(),
        level: l.rate_pct,
        all_in: m.is_some_and(|m| matches!(m.rate, RateRule::AllIn(_))),
        status: l.status.clone(),
        provisional: l
            .provisional
            .then(|| m.map(|m| m.note.clone()).unwrap_or_default()),
        non_usmca_only: l.non_usmca_only,
        hs,
    }
}

/// The country-wide lines of `partner` on `date` (as finally determined: retroactive orders in).
pub fn country_lines(reg: &Registry, date: NaiveDate, partner: &str) -> Vec<CountryLine> {
    let day = PartnerDay::new(reg, date, partner, None);
    let general = day.breakdown(Product::General, Some(0.0));
    let mut out: Vec<CountryLine> = general
        .lines
        .iter()
        .map(|l| line_of(reg, l, None))
        .collect();
    // Heading-scoped programs that never reach goods in general (Section 338 on Canada).
    for m in &reg.measures {
        let new_program = !out.iter().any(|l| l.program == m.program);
        if !new_program || m.hs.is_all() || m.program.starts_with("s232") {
            continue;
        }
        let Some(&(lo, _)) = m.hs.intervals().first() else {
            continue;
        };
        let b = day.breakdown(Product::Heading(lo), Some(0.0));
        for l in b.lines.iter().filter(|l| l.measure == m.id) {
            out.push(line_of(reg, l, Some(m.hs.clone())));
        }
    }
    out
}
