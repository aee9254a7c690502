//! The "Liberation Day" US tariff per exporter (`columns["us_tariff_liberation_day"]`), built from the
//! official April 2, 2025 figures by the rule of the ILMS 2025 `tariffs.csv`.
//!
//! The rule, in order:
//! 1. the USA itself: 0;
//! 2. EU27 members: the European Union's rate (20%);
//! 3. China: its 34% plus the 20% IEEPA fentanyl tariff already in force = 54%;
//! 4. Russia: 0 (left out of EO 14257; ILMS sets 0 and the scenario's 10% floor applies);
//! 5. partners in EO 14257 Annex I: the rate printed in the Annex I PDF (ILMS used it: India 27, Korea 26);
//! 6. other partners on the chart: the chart's reciprocal rate;
//! 7. partners not on the chart (Canada, Mexico, Belarus, ...): the chart's own formula on Census 2024
//!    trade, max(10, ⌈round(100 (m − x)/m)/2⌉), as the ILMS calculator did (Mexico 17%, Canada 10%).
//!
//! Rates are fractions; the Liberation Day scenario applies max(0.10, rate) itself.

use reciprocity_model::formula::{rates, FormulaParams};

use crate::embedded::{census_partner, official_rates_2025_04_02};
use crate::Error;

/// Which step of the rule set a country's rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateRule {
    /// The anchor (USA): no tariff on itself.
    Anchor,
    /// An EU27 member: the EU row of the chart.
    EuMember,
    /// China: chart rate plus the 20% fentanyl tariff.
    ChinaWithFentanyl,
    /// Russia: not subject to EO 14257.
    NotSubject,
    /// The rate printed in EO 14257 Annex I.
    AnnexI,
    /// The chart's reciprocal rate (partners not in Annex I).
    Chart,
    /// The chart's formula applied to Census 2024 trade (partners not on the chart).
    CensusFormula,
}

/// The IEEPA fentanyl tariff on China in force on April 2, 2025 (EO 14195 10% + EO 14228 10%), percent.
pub const CHINA_FENTANYL_PCT: f64 = 20.0;

/// The Liberation Day rate (fraction) and the rule that set it, for `iso3` with EU27 membership `eu27`.
pub fn liberation_day_rate(iso3: &str, eu27: &[&str]) -> Result<(f64, RateRule), Error> {
    let chart = |code: &str| official_rates_2025_04_02().iter().find(|r| r.iso3 == code);
    let pct = |rule| -> Result<(f64, RateRule), Error> {
        let row = chart(iso3)
            .ok_or_else(|| Error::Invalid(format!("{iso3}: not on the April 2 chart")))?;
        Ok((row.annex_i_pdf_pct.unwrap_or(row.reciprocal_pct), rule))
    };
    let (rate_pct, rule) = match iso3 {
        "USA" => (0.0, RateRule::Anchor),
        "RUS" => (0.0, RateRule::NotSubject),
        "CHN" => {
            let (p, _) = pct(RateRule::ChinaWithFentanyl)?;
            (p + CHINA_FENTANYL_PCT, RateRule::ChinaWithFentanyl)
        }
        _ if eu27.contains(&iso3) => {
            let eu = chart("EUU")
                .ok_or_else(|| Error::Invalid("EUU: not on the April 2 chart".into()))?;
            (
                eu.annex_i_pdf_pct.unwrap_or(eu.reciprocal_pct),
                RateRule::EuMember,
            )
        }
        _ => match chart(iso3) {
            Some(row) if row.annex_i_pdf_pct.is_some() => pct(RateRule::AnnexI)?,
            Some(row) => (row.reciprocal_pct, RateRule::Chart),
            None => {
                let census = census_partner(iso3).ok_or_else(|| {
                    Error::Invalid(format!(
                        "{iso3}: neither on the April 2 chart nor in Census 2024"
                    ))
                })?;
                let r = rates(
                    census.exports_usd,
                    census.imports_usd,
                    &FormulaParams::default(),
                );
                (r.reciprocal_pct, RateRule::CensusFormula)
            }
        },
    };
    Ok((rate_pct / 100.0, rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(iso3: &str, rate: f64, rule: RateRule) {
        let eu27 = crate::registry::group("EU27").unwrap();
        let (r, why) = liberation_day_rate(iso3, &eu27).unwrap();
        assert!(
            (r - rate).abs() < 1e-12 && why == rule,
            "{iso3}: {r} {why:?}"
        );
    }

    #[test]
    fn the_rule_reproduces_the_ilms_tariffs_csv_values() {
        // ILMS 2025 README: VNM 0.46, JPN 0.24, KOR 0.26, IND 0.27, MEX 0.17, CAN 0.10, GBR 0.10, CHN 0.54.
        check("USA", 0.0, RateRule::Anchor);
        check("CHN", 0.54, RateRule::ChinaWithFentanyl);
        check("DEU", 0.20, RateRule::EuMember);
        check("CZE", 0.20, RateRule::EuMember);
        check("VNM", 0.46, RateRule::AnnexI);
        check("JPN", 0.24, RateRule::AnnexI);
        check("KOR", 0.26, RateRule::AnnexI);
        check("IND", 0.27, RateRule::AnnexI);
        check("GBR", 0.10, RateRule::Chart);
        check("MEX", 0.17, RateRule::CensusFormula);
        check("CAN", 0.10, RateRule::CensusFormula);
        check("RUS", 0.0, RateRule::NotSubject);
    }
}
