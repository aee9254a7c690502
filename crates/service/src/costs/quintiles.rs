//! The cost per household by income quintile: the average cost spread in proportion to each
//! quintile's consumption, as published by the BLS Consumer Expenditure Survey.
//!
//! Why this way: the Budget Lab at Yale distributes its price-level cost with the CE's consumption
//! by income group scaled to PCE (Budget-Lab-Yale/Household-Tariff-Distribution); we do the same with
//! the published quintile means, so the five costs average to the headline cost per household. The
//! import content of consumption is the same in every quintile (assumption, stated in the output):
//! no public table gives it by income group.

/// The BLS source of the quintile table, printed with it.
pub const CE_QUINTILES_SOURCE: &str = "BLS, Consumer Expenditure Surveys, Table 1101 (quintiles of income before taxes), 2024 (released 2025-12); series CXUTOTALEXPLB0102M-0106M and CXUINCBEFTXLB0102M-0106M";

/// Average annual expenditures of consumer units by quintile of income before taxes, 2024, USD.
pub const CE_EXPENDITURES_2024_USD: [f64; 5] = [35_046.0, 50_054.0, 66_900.0, 89_972.0, 150_342.0];

/// Average income before taxes of the same quintiles, 2024, USD.
pub const CE_INCOME_2024_USD: [f64; 5] = [16_658.0, 42_925.0, 74_474.0, 121_548.0, 264_510.0];

/// Average annual expenditures of all consumer units, 2024, USD (the table's first column; the
/// quintiles hold equal numbers of units, so their mean is this to rounding).
pub const CE_EXPENDITURES_ALL_2024_USD: f64 = 78_535.0;

const LABELS: [&str; 5] = [
    "lowest 20 percent",
    "second 20 percent",
    "middle 20 percent",
    "fourth 20 percent",
    "highest 20 percent",
];

/// The cost for the households of one income quintile.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct QuintileCost {
    /// 1 (lowest income) to 5.
    pub quintile: u8,
    /// "lowest 20 percent" ... "highest 20 percent" (income before taxes).
    pub label: &'static str,
    /// The quintile's average annual expenditures (CE 2024), USD.
    pub ce_expenditures_usd: f64,
    /// The quintile's average income before taxes (CE 2024), USD.
    pub ce_income_usd: f64,
    /// The cost per household of this quintile, USD a year.
    pub cost_usd: f64,
    /// The burden as a percent of the quintile's income before taxes: the price level times the
    /// quintile's CE expenditures over its CE income (one table, one unit, so the share does not
    /// depend on how the dollars are scaled to PCE).
    pub cost_pct_of_income: f64,
}

/// Spread `average_cost_usd` over the quintiles by their consumption: each quintile pays the
/// average times its expenditures over the mean of the five. `price_level_pct` gives the burden as
/// a share of income.
pub fn by_quintile(average_cost_usd: f64, price_level_pct: f64) -> Vec<QuintileCost> {
    let mean = CE_EXPENDITURES_2024_USD.iter().sum::<f64>() / 5.0;
    (0..5)
        .map(|q| {
            let cost = average_cost_usd * CE_EXPENDITURES_2024_USD[q] / mean;
            QuintileCost {
                quintile: q as u8 + 1,
                label: LABELS[q],
                ce_expenditures_usd: CE_EXPENDITURES_2024_USD[q],
                ce_income_usd: CE_INCOME_2024_USD[q],
                cost_usd: cost,
                cost_pct_of_income: price_level_pct * CE_EXPENDITURES_2024_USD[q]
                    / CE_INCOME_2024_USD[q],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_average_to_the_headline_and_the_burden_falls_with_income() {
        let q = by_quintile(2_000.0, 1.5);
        let mean: f64 = q.iter().map(|r| r.cost_usd).sum::<f64>() / 5.0;
        assert!((mean - 2_000.0).abs() < 1e-9, "{mean}");
        // 35,046 / 78,462.8 of the average; 150,342 / 78,462.8.
        assert!((q[0].cost_usd - 893.32).abs() < 0.01, "{}", q[0].cost_usd);
        assert!((q[4].cost_usd - 3832.19).abs() < 0.01, "{}", q[4].cost_usd);
        // 1.5 % of 35,046 over 16,658; of 150,342 over 264,510.
        assert!(
            (q[0].cost_pct_of_income - 3.1557).abs() < 1e-4,
            "{}",
            q[0].cost_pct_of_income
        );
        assert!(
            (q[4].cost_pct_of_income - 0.8526).abs() < 1e-4,
            "{}",
            q[4].cost_pct_of_income
        );
        // Regressive as a share of income: every quintile pays a smaller share than the one below.
        for w in q.windows(2) {
            assert!(w[1].cost_usd > w[0].cost_usd);
            assert!(w[1].cost_pct_of_income < w[0].cost_pct_of_income);
        }
    }

    #[test]
    fn the_published_table_is_consistent_with_itself() {
        // The five quintile means average to the all-units mean within 0.1 % (equal-size quintiles).
        let mean = CE_EXPENDITURES_2024_USD.iter().sum::<f64>() / 5.0;
        assert!(
            (mean / CE_EXPENDITURES_ALL_2024_USD - 1.0).abs() < 1e-3,
            "{mean}"
        );
        assert!(CE_INCOME_2024_USD.windows(2).all(|w| w[1] > w[0]));
        assert!(CE_EXPENDITURES_2024_USD.windows(2).all(|w| w[1] > w[0]));
        assert!(by_quintile(0.0, 0.0).iter().all(|r| r.cost_usd == 0.0));
    }
}
