//! The official April 2025 reciprocal-tariff formula for every partner of the embedded 2024
//! Census data, next to the published chart values, with the reason for every difference: the
//! table `reciprocity formula`, `reciprocity chart`, the report and `GET /formula` show.

use reciprocity_data::{embedded, registry};
use reciprocity_model::formula::{self, FormulaParams, Rounding};

use crate::{Result, ServiceError};

/// Which partners to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Partners {
    /// Every country in the Census 2024 data, plus the EU as one partner.
    #[default]
    All,
    /// Only the 185 partners of the April 2 chart.
    Chart,
}

/// Validate the formula's parameters: a bad value is bad input (`formula parameters: ...`).
pub fn check_params(p: &FormulaParams) -> Result<()> {
    p.validate()
        .map_err(|e| ServiceError::bad_input(format!("formula parameters: {e}")))
}

/// One partner: Census trade, the formula's rates, the published ones.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// ISO3 (`EUU` for the EU).
    pub iso3: String,
    /// Display name.
    pub country: String,
    /// US exports 2024, USD.
    pub us_exports_usd: f64,
    /// US imports 2024, USD.
    pub us_imports_usd: f64,
    /// 100(m − x)/m, unrounded.
    pub deficit_pct: Option<f64>,
    /// The formula's "tariff charged to the USA".
    pub charged_pct: f64,
    /// The formula's "discounted reciprocal tariff".
    pub reciprocal_pct: f64,
    /// The chart's charged rate.
    pub official_charged_pct: Option<f64>,
    /// The chart's reciprocal rate.
    pub official_reciprocal_pct: Option<f64>,
    /// The Annex I PDF rate.
    pub annex_i_pdf_pct: Option<f64>,
    /// The rate as implemented in the HTSUS (10 for partners outside Annex I).
    pub as_implemented_pct: Option<f64>,
    /// Formula charged = chart charged.
    pub charged_match: Option<bool>,
    /// Formula reciprocal = chart reciprocal.
    pub reciprocal_match: Option<bool>,
    /// Why the formula and the chart differ, when they do.
    pub difference_reason: String,
}

/// Match counts over the chart's partners.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Partners on the chart.
    pub chart_partners: usize,
    /// Of them, with the same charged rate.
    pub charged_matches: usize,
    /// Of them, with the same reciprocal rate.
    pub reciprocal_matches: usize,
    /// The partners whose formula rates differ from the chart, with the reason.
    pub differences: Vec<Difference>,
}

/// A partner whose formula rates differ from the chart.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Difference {
    /// ISO3.
    pub iso3: String,
    /// Display name.
    pub country: String,
    /// Why.
    pub reason: String,
}

/// The whole computation.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormulaTable {
    /// ε.
    pub trade_elasticity: f64,
    /// φ.
    pub pass_through: f64,
    /// Floor, percent.
    pub floor_pct: f64,
    /// Discount.
    pub discount: f64,
    /// Rounding rule.
    pub rounding: String,
    /// Match counts.
    pub summary: Summary,
    /// One row per partner, by US imports, largest first.
    pub rows: Vec<Row>,
}

fn rounding_name(r: Rounding) -> &'static str {
    match r {
        Rounding::Official => "official",
        Rounding::Unrounded => "unrounded",
        Rounding::None => "none",
    }
}

/// Compute the table on the embedded data.
pub fn table(p: &FormulaParams, partners: Partners) -> Result<FormulaTable> {
    check_params(p)?;
    let official = embedded::official_rates_2025_04_02();
    let mut isos: Vec<&str> = match partners {
        Partners::Chart => official.iter().map(|r| r.iso3.as_str()).collect(),
        Partners::All => embedded::census_2024()
            .iter()
            .map(|c| c.iso3.as_str())
            .chain(["EUU"])
            .collect(),
    };
    isos.dedup();
    let is_official_params = *p == FormulaParams::default();
    let unrounded = FormulaParams {
        rounding: Rounding::Unrounded,
        ..*p
    };
    let mut rows = Vec::with_capacity(isos.len());
    for iso in isos {
        let (x, m) = embedded::census_trade(iso).ok_or_else(|| {
            ServiceError::Data(reciprocity_data::Error::Invalid(format!(
                "no 2024 Census trade for {iso}"
            )))
        })?;
        let r = formula::rates(x, m, p);
        let off = official.iter().find(|o| o.iso3 == iso);
        let country = off.map(|o| o.chart_name.clone()).unwrap_or_else(|| {
            registry::country(iso).map_or_else(|| iso.to_string(), |c| c.name.clone())
        });
        let charged_match = off.map(|o| o.charged_pct == r.charged_pct);
        let reciprocal_match = off.map(|o| o.reciprocal_pct == r.reciprocal_pct);
        let mut reason = String::new();
        if let Some(o) = off {
            if charged_match == Some(false) || reciprocal_match == Some(false) {
                let alt = formula::rates(x, m, &unrounded);
                reason = if !is_official_params {
                    format!(
                        "non-official parameters: formula {}/{} vs chart {}/{}",
                        r.charged_pct, r.reciprocal_pct, o.charged_pct, o.reciprocal_pct
                    )
                } else if alt.charged_pct == o.charged_pct && alt.reciprocal_pct == o.reciprocal_pct
                {
                    format!(
                        "the chart halves the unrounded ratio: ceil({:.1} × {}) = {}, not ceil({} × {}) = {}",
                        r.charged_exact_pct.unwrap_or(f64::NAN),
                        p.discount,
                        o.reciprocal_pct,
                        r.charged_pct,
                        p.discount,
                        r.reciprocal_pct
                    )
                } else if !o.note.is_empty() {
                    o.note.clone()
                } else {
                    format!(
                        "unexplained: formula {}/{} vs chart {}/{}",
                        r.charged_pct, r.reciprocal_pct, o.charged_pct, o.reciprocal_pct
                    )
                };
            }
        }
        rows.push(Row {
            iso3: iso.to_string(),
            country,
            us_exports_usd: x,
            us_imports_usd: m,
            deficit_pct: r.deficit_pct,
            charged_pct: r.charged_pct,
            reciprocal_pct: r.reciprocal_pct,
            official_charged_pct: off.map(|o| o.charged_pct),
            official_reciprocal_pct: off.map(|o| o.reciprocal_pct),
            annex_i_pdf_pct: off.and_then(|o| o.annex_i_pdf_pct),
            as_implemented_pct: off.map(|o| o.as_implemented_pct),
            charged_match,
            reciprocal_match,
            difference_reason: reason,
        });
    }
    rows.sort_by(|a, b| {
        b.us_imports_usd
            .total_cmp(&a.us_imports_usd)
            .then_with(|| a.iso3.cmp(&b.iso3))
    });
    let on_chart: Vec<&Row> = rows
        .iter()
        .filter(|r| r.official_charged_pct.is_some())
        .collect();
    let summary = Summary {
        chart_partners: on_chart.len(),
        charged_matches: on_chart
            .iter()
            .filter(|r| r.charged_match == Some(true))
            .count(),
        reciprocal_matches: on_chart
            .iter()
            .filter(|r| r.reciprocal_match == Some(true))
            .count(),
        differences: on_chart
            .iter()
            .filter(|r| !r.difference_reason.is_empty())
            .map(|r| Difference {
                iso3: r.iso3.clone(),
                country: r.country.clone(),
                reason: r.difference_reason.clone(),
            })
            .collect(),
    };
    Ok(FormulaTable {
        trade_elasticity: p.trade_elasticity,
        pass_through: p.pass_through,
        floor_pct: p.floor_pct,
        discount: p.discount,
        rounding: rounding_name(p.rounding).to_string(),
        summary,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_parameters_reproduce_the_chart() {
        let t = table(&FormulaParams::default(), Partners::All).unwrap();
        assert_eq!(t.summary.chart_partners, 185);
        assert_eq!(t.summary.charged_matches, 185);
        assert_eq!(t.summary.reciprocal_matches, 182);
        let mut diff: Vec<&str> = t
            .summary
            .differences
            .iter()
            .map(|d| d.iso3.as_str())
            .collect();
        diff.sort();
        assert_eq!(diff, ["AFG", "JPN", "VNM"]);
        let row = |iso: &str| t.rows.iter().find(|r| r.iso3 == iso).unwrap();
        assert!(row("VNM")
            .difference_reason
            .starts_with("the chart halves the unrounded ratio: ceil(90.4 × 0.5) = 46"));
        assert!(row("JPN").difference_reason.contains("= 24"));
        assert!(row("AFG")
            .difference_reason
            .contains("49% charged but only 10% reciprocal"));
        // All Census partners plus the EU; the first is the largest US supplier.
        assert_eq!(t.rows.len(), 233);
        assert_eq!(t.rows[0].iso3, "EUU");
        assert_eq!(row("CAN").official_charged_pct, None);
    }

    #[test]
    fn unrounded_rule_fixes_vietnam_and_japan_but_breaks_others() {
        let p = FormulaParams {
            rounding: Rounding::Unrounded,
            ..Default::default()
        };
        let t = table(&p, Partners::Chart).unwrap();
        let row = |iso: &str| t.rows.iter().find(|r| r.iso3 == iso).unwrap();
        assert_eq!(row("VNM").reciprocal_match, Some(true));
        assert_eq!(row("JPN").reciprocal_match, Some(true));
        assert!(
            t.summary.reciprocal_matches < 182,
            "{}",
            t.summary.reciprocal_matches
        );
    }

    #[test]
    fn critics_pass_through_lowers_every_rate() {
        let p = FormulaParams {
            pass_through: formula::CRITICS_PASS_THROUGH,
            ..Default::default()
        };
        let t = table(&p, Partners::Chart).unwrap();
        let official = table(&FormulaParams::default(), Partners::Chart).unwrap();
        for (a, b) in t.rows.iter().zip(&official.rows) {
            assert_eq!(a.iso3, b.iso3);
            assert!(a.reciprocal_pct <= b.reciprocal_pct, "{}", a.iso3);
        }
        // The highest official reciprocal rate, 50 % (Lesotho), becomes 13 %.
        let max = t.rows.iter().map(|r| r.reciprocal_pct).fold(0.0, f64::max);
        assert_eq!(max, 13.0);
    }
}
