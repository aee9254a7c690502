//! The headline rows of `reciprocity_service::costs`: for `reciprocity costs` and the report.

use reciprocity_service::costs::{Costs, QuintileCost};

/// The headline numbers as (label, value) rows, shared by this table and the report's section.
pub fn headline_rows(c: &Costs) -> [(&'static str, String); 6] {
    [
        (
            "Effective US tariff rate",
            format!("{:.2}% (2024: {:.2}%)", c.etr_pct, c.etr_baseline_pct),
        ),
        (
            "Increase since 2024",
            format!("{:+.2} percentage points", c.etr_increase_pts),
        ),
        (
            "Consumer price level, short run",
            format!("{:+.2}%", c.price_level_pct),
        ),
        (
            "Cost per household",
            format!("${:.0} a year", c.cost_per_household_usd),
        ),
        (
            "Customs revenue, all duties",
            format!(
                "${:.1}bn a year, ${:.0}bn over ten years",
                c.revenue_usd_bn, c.revenue_10y_usd_bn
            ),
        ),
        (
            "  of which added since 2024",
            format!(
                "${:.1}bn a year, ${:.0}bn over ten years",
                c.revenue_increase_usd_bn, c.revenue_increase_10y_usd_bn
            ),
        ),
    ]
}

/// The cost by income quintile as (label, value) rows, shared by this table and the report.
pub fn quintile_rows(q: &[QuintileCost]) -> Vec<(String, String)> {
    q.iter()
        .map(|r| {
            (
                format!("{} of income", r.label),
                format!(
                    "${:.0} a year; {:.1}% of income (on the survey's own spending and income)",
                    r.cost_usd, r.cost_pct_of_income
                ),
            )
        })
        .collect()
}
