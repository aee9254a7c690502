//! Our headline numbers for the Liberation Day tariffs beside the published ones of the budget
//! models (the Budget Lab at Yale, the Penn Wharton Budget Model, the Tax Foundation), with why
//! they differ, so that nobody quotes the GE model's welfare gain as GDP.
//!
//! The published figures are compiled in with their source and date; each is for "the tariffs of
//! 2025 through the April 2 announcement" (before the pause of April 9), which our product engine
//! prices on [`policy_date`] and our GE model runs as the Liberation Day scenario.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::scenario::{ScenarioInput, World};
use crate::Result;

/// The date whose measures are the policy the published estimates score: the April 2 rates in
/// force, before the pause (they took effect on April 9 and were paused the next day).
pub fn policy_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 9).expect("a valid date")
}

/// A measure compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Measure {
    /// Increase of the average effective tariff rate since 2024, percentage points.
    EtrIncreasePts,
    /// Short-run consumer price level, %.
    PriceLevelPct,
    /// Cost per household, USD a year.
    CostPerHouseholdUsd,
    /// Ten-year customs revenue at the statutory rates on 2024 imports (no import response), USD bn.
    Revenue10yStaticUsdBn,
    /// Ten-year revenue with the import response (the budget models' conventional score; ours:
    /// the GE model's revenue after behaviour), USD bn.
    Revenue10yConventionalUsdBn,
    /// Ten-year revenue with macroeconomic feedback (dynamic), USD bn.
    Revenue10yDynamicUsdBn,
    /// Long-run real GDP, %.
    LongRunGdpPct,
    /// Welfare (real income, the GE model's measure), %; no budget model publishes it.
    WelfarePct,
}

impl Measure {
    /// Every measure, in display order.
    pub const ALL: [Measure; 8] = [
        Measure::EtrIncreasePts,
        Measure::PriceLevelPct,
        Measure::CostPerHouseholdUsd,
        Measure::Revenue10yStaticUsdBn,
        Measure::Revenue10yConventionalUsdBn,
        Measure::Revenue10yDynamicUsdBn,
        Measure::LongRunGdpPct,
        Measure::WelfarePct,
    ];

    /// A label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Measure::EtrIncreasePts => "effective tariff rate increase, pts",
            Measure::PriceLevelPct => "consumer price level, short run, %",
            Measure::CostPerHouseholdUsd => "cost per household, USD a year",
            Measure::Revenue10yStaticUsdBn => {
                "10-year revenue, static (no import response), USD bn"
            }
            Measure::Revenue10yConventionalUsdBn => {
                "10-year revenue, conventional (imports respond; ours: the GE model's), USD bn"
            }
            Measure::Revenue10yDynamicUsdBn => "10-year revenue, dynamic (macro feedback), USD bn",
            Measure::LongRunGdpPct => "real GDP, long run, %",
            Measure::WelfarePct => "welfare (real income), %",
        }
    }
}

/// One published figure.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Published {
    /// Who.
    pub who: &'static str,
    /// What.
    pub measure: Measure,
    /// The value, in the measure's unit.
    pub value: f64,
    /// What exactly they measured, when it differs from the measure's label.
    pub note: &'static str,
    /// Publication and address.
    pub source: &'static str,
}

const YALE: &str = "Budget Lab at Yale, \"Where We Stand: The Fiscal, Economic, and Distributional Effects of All U.S. Tariffs Enacted in 2025 Through April 2\" (2025-04-02), budgetlab.yale.edu";
const PWBM: &str = "Penn Wharton Budget Model, \"The Economic Effects of President Trump's Tariffs\" (2025-04-10, tariffs as of April 8), budgetmodel.wharton.upenn.edu/issues/2025/4/10/economic-effects-of-president-trumps-tariffs";
const TAXF: &str = "Tax Foundation, \"Trump Tariffs: Tracking the Economic Impact of the Trump Trade War\" (as of 2025-04-04: the tariffs announced for 2025 through April 2), taxfoundation.org";

const fn published(
    who: &'static str,
    measure: Measure,
    value: f64,
    note: &'static str,
    source: &'static str,
) -> Published {
    Published {
        who,
        measure,
        value,
        note,
        source,
    }
}

/// The published figures for the tariffs of 2025 through April 2.
pub const PUBLISHED: [Published; 12] = [
    published(
        "Budget Lab at Yale",
        Measure::EtrIncreasePts,
        20.1,
        "22.5 % against 2.4 % in 2024, pre-substitution",
        YALE,
    ),
    published(
        "Budget Lab at Yale",
        Measure::PriceLevelPct,
        2.3,
        "PCE price level, pre-substitution",
        YALE,
    ),
    published(
        "Budget Lab at Yale",
        Measure::CostPerHouseholdUsd,
        3_800.0,
        "2024 dollars",
        YALE,
    ),
    published(
        "Budget Lab at Yale",
        Measure::Revenue10yConventionalUsdBn,
        3_100.0,
        "2026-35, with retaliation",
        YALE,
    ),
    published(
        "Budget Lab at Yale",
        Measure::Revenue10yDynamicUsdBn,
        2_518.0,
        "2026-35: $3.1tn less $582bn of dynamic effects",
        YALE,
    ),
    published(
        "Budget Lab at Yale",
        Measure::LongRunGdpPct,
        -0.6,
        "persistent level effect",
        YALE,
    ),
    published(
        "Penn Wharton Budget Model",
        Measure::Revenue10yConventionalUsdBn,
        5_200.0,
        "\"strict conventional\", ten years",
        PWBM,
    ),
    published(
        "Penn Wharton Budget Model",
        Measure::Revenue10yDynamicUsdBn,
        4_200.0,
        "\"partially dynamic\", ten years",
        PWBM,
    ),
    published(
        "Penn Wharton Budget Model",
        Measure::LongRunGdpPct,
        -8.0,
        "about -8 %, from the revised page (the first version: -6 %, and $4.5tn dynamic); with capital-flow effects",
        PWBM,
    ),
    published(
        "Tax Foundation",
        Measure::CostPerHouseholdUsd,
        1_900.0,
        "average tax increase per household in 2025 (a part-year, after imports fall)",
        TAXF,
    ),
    published(
        "Tax Foundation",
        Measure::Revenue10yConventionalUsdBn,
        2_900.0,
        "2025-34",
        TAXF,
    ),
    published(
        "Tax Foundation",
        Measure::LongRunGdpPct,
        -0.7,
        "before retaliation",
        TAXF,
    ),
];

/// Why the numbers differ, one line each, printed under the comparison.
pub const WHY_THEY_DIFFER: [&str; 6] = [
    "The budget models are short-run price models (the Budget Lab's pre-substitution price level) and macroeconomic models of output (all three's GDP, with capital; Penn Wharton adds the fall in foreign purchases of US assets). Ours are a static statutory score and a one-period general-equilibrium trade model (ILMS 2025): no capital, no dynamics.",
    "The GE rows score the ILMS Liberation Day scenario: the April 2 formula rates (floored at 10 %) on every partner's goods, Canada and Mexico included, with no USMCA exemption, no Section 232 and no fentanyl duties; the static rows score the measures in force on 2025-04-09 line by line. The two are close in size, not the same policy.",
    "The GE model's welfare is real income, counting the tariff revenue rebated through the income tax and the terms-of-trade gain paid by foreign exporters; it can rise while GDP falls. It is not GDP and not a forecast: never quote it as growth.",
    "Our real GDP is the model's value added (its wage bill) over its price index, in the long run of a model without capital; the budget models' GDP falls mostly through capital and productivity channels ours does not have.",
    "Revenue: ours holds imports flat in dollars for ten years (no growth): static is the statutory rates on 2024 imports with no import response and no offsets; the GE figure includes the model's import response (the nearest to a conventional score) but not the income and payroll tax offsets the budget models net out; theirs also grow with the economy, and their dynamic scores add macro feedback, which ours has no counterpart for.",
    "Households: ours and the Budget Lab's spread the price increase over consumption per household (ours PCE / households, about $144,000 in 2023; theirs about $165,000 in 2024 dollars); the Tax Foundation counts the tariff as a tax on 2025's lower imports.",
];

/// Our numbers for the same policy, filled by the caller from `costs` and the GE run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Ours {
    /// Statutory effective rate increase on [`policy_date`] against 2024, points.
    pub etr_increase_pts: f64,
    /// Short-run price level, %.
    pub price_level_pct: f64,
    /// Cost per household, USD a year.
    pub cost_per_household_usd: f64,
    /// Static added revenue over ten years, USD bn.
    pub revenue_10y_static_usd_bn: f64,
    /// The GE model's US revenue after behaviour over ten years (flat), USD bn.
    pub revenue_10y_ge_usd_bn: f64,
    /// The GE model's US real GDP, %.
    pub real_gdp_pct: f64,
    /// The GE model's US welfare, %.
    pub welfare_pct: f64,
}

impl Ours {
    /// Our value of `m`.
    pub fn value(&self, m: Measure) -> Option<f64> {
        Some(match m {
            Measure::EtrIncreasePts => self.etr_increase_pts,
            Measure::PriceLevelPct => self.price_level_pct,
            Measure::CostPerHouseholdUsd => self.cost_per_household_usd,
            Measure::Revenue10yStaticUsdBn => self.revenue_10y_static_usd_bn,
            Measure::Revenue10yConventionalUsdBn => self.revenue_10y_ge_usd_bn,
            Measure::Revenue10yDynamicUsdBn => return None,
            Measure::LongRunGdpPct => self.real_gdp_pct,
            Measure::WelfarePct => self.welfare_pct,
        })
    }
}

/// One row of the comparison: our value and every published one for a measure.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ComparisonRow {
    /// The measure.
    pub measure: Measure,
    /// Ours.
    pub ours: Option<f64>,
    /// Theirs, in [`PUBLISHED`] order.
    pub published: Vec<Published>,
}

/// The comparison table, one row per measure.
pub fn rows(ours: &Ours) -> Vec<ComparisonRow> {
    Measure::ALL
        .iter()
        .map(|&m| ComparisonRow {
            measure: m,
            ours: ours.value(m),
            published: PUBLISHED
                .iter()
                .filter(|p| p.measure == m)
                .copied()
                .collect(),
        })
        .collect()
}

/// The Liberation Day scenario shipped in `examples/`, compiled in: the April 2 rates on every
/// partner (on a sector world, on the goods sectors only), income-tax relief, no retaliation.
pub fn liberation_day(world: &World) -> Result<ScenarioInput> {
    const ONE_SECTOR: (&str, &str) = (
        include_str!("../../../examples/scenarios/ilms/liberation-day.toml"),
        "examples/scenarios/ilms/liberation-day.toml",
    );
    const GOODS: (&str, &str) = (
        include_str!("../../../examples/scenarios/sectors/liberation-day-goods.toml"),
        "examples/scenarios/sectors/liberation-day-goods.toml",
    );
    let (text, path) = if world.has_sectors() {
        GOODS
    } else {
        ONE_SECTOR
    };
    let file = reciprocity_scenario::parse(text, path)?;
    Ok(ScenarioInput {
        path: PathBuf::from(path),
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_measure_has_a_row_and_every_published_figure_lands_once() {
        let ours = Ours {
            etr_increase_pts: 1.0,
            price_level_pct: 2.0,
            cost_per_household_usd: 3.0,
            revenue_10y_static_usd_bn: 4.0,
            revenue_10y_ge_usd_bn: 5.0,
            real_gdp_pct: 6.0,
            welfare_pct: 7.0,
        };
        let r = rows(&ours);
        assert_eq!(r.len(), Measure::ALL.len());
        let ours_values: Vec<Option<f64>> = r.iter().map(|row| row.ours).collect();
        assert_eq!(
            ours_values,
            [1.0, 2.0, 3.0, 4.0, 5.0]
                .map(Some)
                .into_iter()
                .chain([None, Some(6.0), Some(7.0)])
                .collect::<Vec<_>>()
        );
        let landed: usize = r.iter().map(|row| row.published.len()).sum();
        assert_eq!(landed, PUBLISHED.len());
        // Nobody publishes welfare: the row says so by being empty.
        assert!(r[7].published.is_empty());
        assert!(PUBLISHED.iter().all(|p| !p.source.is_empty()));
    }
}
