//! Import-weighted (effective) rates: per partner, overall, and as a step series over time.
//!
//! The weights come from the caller (the CLI passes 2024 Census imports, with HS detail when
//! `../shared/data` is there); this module does no I/O. A partner with HS rows is priced row by row,
//! each row at its own MFN duty for the all-in rules; a partner without rows is priced at its
//! headline (`General`) rate, which leaves sector measures out — the result says which it was.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::PartnerDay;
use crate::hs::Product;
use crate::registry::Registry;

/// One product line of a partner's imports.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The goods (a heading, or a chapter when no finer detail exists).
    pub product: Product,
    /// Imports, any currency unit (only shares matter).
    pub value: f64,
    /// The MFN (or 2024 applied) duty on these goods, percent, when known.
    pub mfn_pct: Option<f64>,
}

/// One partner's imports: a total and, optionally, their split by product.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerImports {
    /// ISO3.
    pub partner: String,
    /// Total imports (the partner's weight in averages).
    pub value: f64,
    /// The split by product; empty when no HS detail is available.
    pub rows: Vec<ImportRow>,
}

/// Assumptions the registry cannot supply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assumptions {
    /// Share of a partner's imports that qualifies for USMCA preference (0..=1), by ISO3. A
    /// partner not listed is taken as 0: every good pays the non-USMCA rate (an upper bound).
    pub usmca_qualifying_share: BTreeMap<String, f64>,
}

/// A partner's effective rate on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRate {
    /// ISO3.
    pub partner: String,
    /// Weight (total imports).
    pub value: f64,
    /// Import-weighted additional duty, percent.
    pub additional_pct: f64,
    /// Import-weighted MFN / 2024 applied duty, percent, when every row has one.
    pub base_pct: Option<f64>,
    /// Whether HS detail was used (otherwise the headline rate on all goods).
    pub hs_detail: bool,
}

/// Effective rates on one date.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveRates {
    /// The date.
    pub date: NaiveDate,
    /// Per partner, in input order.
    pub partners: Vec<PartnerRate>,
    /// Import-weighted additional duty over all partners, percent.
    pub additional_pct: f64,
    /// Import-weighted base duty over the partners that have one, percent.
    pub base_pct: Option<f64>,
    /// Share of the import weight priced with HS detail (0..=1).
    pub hs_detail_share: f64,
}

impl EffectiveRates {
    /// Base plus additional, when the base is known.
    pub fn total_pct(&self) -> Option<f64> {
        self.base_pct.map(|b| b + self.additional_pct)
    }
}

/// The effective rate of one partner on `date`.
pub fn partner_rate(
    reg: &Registry,
    date: NaiveDate,
    imports: &PartnerImports,
    assumptions: &Assumptions,
    known_on: Option<NaiveDate>,
) -> PartnerRate {
    let day = PartnerDay::new(reg, date, &imports.partner, known_on);
    let share = if day.has_usmca_condition() {
        assumptions
            .usmca_qualifying_share
            .get(&imports.partner)
            .copied()
            .unwrap_or(0.0)
            .clamp(0.0, 1.0)
    } else {
        0.0
    };
    let price = |product: Product, mfn: Option<f64>| {
        let full = day.total(product, mfn, false);
        if share > 0.0 {
            share * day.total(product, mfn, true) + (1.0 - share) * full
        } else {
            full
        }
    };
    let row_total: f64 = imports.rows.iter().map(|r| r.value).sum();
    if imports.rows.is_empty() || row_total <= 0.0 {
        return PartnerRate {
            partner: imports.partner.clone(),
            value: imports.value,
            additional_pct: price(Product::General, None),
            base_pct: None,
            hs_detail: false,
        };
    }
    let mut additional = 0.0;
    // The base is averaged over the rows that have one (rows without imports carry no duty rate).
    let (mut base_sum, mut base_weight) = (0.0, 0.0);
    for row in &imports.rows {
        let w = row.value / row_total;
        additional += w * price(row.product, row.mfn_pct);
        if let Some(m) = row.mfn_pct {
            base_sum += w * m;
            base_weight += w;
        }
    }
    let base = (base_weight > 0.0).then(|| base_sum / base_weight);
    PartnerRate {
        partner: imports.partner.clone(),
        value: imports.value,
        additional_pct: additional,
        base_pct: base,
        hs_detail: true,
    }
}

/// Effective rates of every partner and overall on `date`.
pub fn effective_rates(
    reg: &Registry,
    date: NaiveDate,
    imports: &[PartnerImports],
    assumptions: &Assumptions,
    known_on: Option<NaiveDate>,
) -> EffectiveRates {
    let partners: Vec<PartnerRate> = imports
        .iter()
        .map(|p| partner_rate(reg, date, p, assumptions, known_on))
        .collect();
    let total: f64 = partners.iter().map(|p| p.value).sum();
    let additional = if total > 0.0 {
        partners
            .iter()
            .map(|p| p.value * p.additional_pct)
            .sum::<f64>()
            / total
    } else {
        0.0
    };
    let with_base: Vec<&PartnerRate> = partners.iter().filter(|p| p.base_pct.is_some()).collect();
    let base_weight: f64 = with_base.iter().map(|p| p.value).sum();
    let base = (base_weight > 0.0).then(|| {
        with_base
            .iter()
            .map(|p| p.value * p.base_pct.unwrap_or(0.0))
            .sum::<f64>()
            / base_weight
    });
    let detail: f64 = partners
        .iter()
        .filter(|p| p.hs_detail)
        .map(|p| p.value)
        .sum();
    EffectiveRates {
        date,
        partners,
        additional_pct: additional,
        base_pct: base,
        hs_detail_share: if total > 0.0 { detail / total } else { 0.0 },
    }
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    /// The first day of the step.
    pub date: NaiveDate,
    /// Overall import-weighted additional duty, percent.
    pub additional_pct: f64,
    /// Overall base (2024 applied / MFN) duty, percent, when known.
    pub base_pct: Option<f64>,
    /// Per-partner additional duty, percent, in input order.
    pub partners: Vec<f64>,
}

/// The step series of effective rates from `from` to `to` (inclusive): one point at `from` and one
/// at every date in between on which the registry changes something. Rates are constant between
/// points, so this is exact and far cheaper than pricing every day.
pub fn timeline(
    reg: &Registry,
    from: NaiveDate,
    to: NaiveDate,
    imports: &[PartnerImports],
    assumptions: &Assumptions,
) -> Vec<TimelinePoint> {
    let mut dates = vec![from];
    dates.extend(
        reg.change_dates()
            .into_iter()
            .filter(|d| *d > from && *d <= to),
    );
    dates
        .into_iter()
        .map(|date| {
            let r = effective_rates(reg, date, imports, assumptions, None);
            TimelinePoint {
                date,
                additional_pct: r.additional_pct,
                base_pct: r.base_pct,
                partners: r.partners.iter().map(|p| p.additional_pct).collect(),
            }
        })
        .collect()
}
