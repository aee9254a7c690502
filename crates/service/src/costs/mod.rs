//! What the US tariffs in force on a date cost, in the units budget models lead with: the statutory
//! effective rate against 2024, the short-run (pre-substitution) consumer price level, the cost per
//! household and customs revenue in dollars, annual and over ten years.
//!
//! The method is the published, static one of the Budget Lab at Yale ("State of U.S. Tariffs"): the
//! increase in the effective rate, passed fully into the prices of imports, raises the consumer price
//! level by that increase times the import content of consumption; a household loses that share of
//! its consumption. No behaviour: imports keep their 2024 weights (the GE model is where behaviour
//! lives; see `simulate`). Every figure it uses is a named public figure below, printed with its
//! source in every output, and every choice the sources leave open is an assumption with a flag.

use chrono::NaiveDate;
use reciprocity_policy::product::etr::EtrWeights;
use reciprocity_policy::product::ProductEngine;
use reciprocity_policy::Registry;

use crate::{Result, ServiceError};

mod quintiles;

pub use quintiles::{
    by_quintile, QuintileCost, CE_EXPENDITURES_2024_USD, CE_INCOME_2024_USD, CE_QUINTILES_SOURCE,
};

/// A public figure with its source, as printed in every output.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct PublicFigure {
    /// Short name, e.g. `import_content_of_pce_pct`.
    pub name: &'static str,
    /// The value, in `unit`.
    pub value: f64,
    /// Unit of `value`.
    pub unit: &'static str,
    /// Who published it, where, and for which year.
    pub source: &'static str,
}

/// The import content of US personal consumption expenditures: the share of every consumer dollar
/// that pays for imports at any stage of production, net of the US distribution margins on them.
pub const IMPORT_CONTENT_OF_PCE: PublicFigure = PublicFigure {
    name: "import_content_of_pce_pct",
    value: 10.7,
    unit: "percent of PCE",
    source: "Hale, Hobijn, Nechio and Wilson, \"How Much Do We Spend on Imports?\", FRBSF Economic Letter 2019-01 (2017 data; stable over 2002-2017)",
};

/// US personal consumption expenditures, the consumption that the price level applies to.
pub const PCE_USD_BN: PublicFigure = PublicFigure {
    name: "pce_usd_bn",
    value: 18_914.478,
    unit: "billion USD, seasonally adjusted annual rate",
    source: "BEA, NIPA Table 2.3.5, personal consumption expenditures, 2023 Q4 (via FRED)",
};

/// US households, to turn the aggregate into a cost per household.
pub const HOUSEHOLDS_MN: PublicFigure = PublicFigure {
    name: "households_mn",
    value: 131.434,
    unit: "million households",
    source: "Census Bureau, Current Population Survey ASEC 2023, Table HH-1",
};

/// Consumer units' mean expenditures (printed with the quintile means it summarises; [`by_quintile`]
/// divides by the mean of the five, 0.09 % below it).
pub const CE_EXPENDITURES_ALL: PublicFigure = PublicFigure {
    name: "ce_expenditures_all_units_usd",
    value: quintiles::CE_EXPENDITURES_ALL_2024_USD,
    unit: "USD a year per consumer unit (quintiles: lowest 35,046, second 50,054, middle 66,900, fourth 89,972, highest 150,342)",
    source: CE_QUINTILES_SOURCE,
};

/// The date whose measures make the 2024 baseline: the last day before the 2025 measures.
pub fn baseline_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).expect("a valid date")
}

/// The choices the sources leave open, each a flag at the edges.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct CostAssumptions {
    /// The import content of consumption, percent (default [`IMPORT_CONTENT_OF_PCE`]).
    pub import_content_pct: f64,
    /// Nominal growth of imports per year over the ten-year window, percent (default 0: 2024
    /// imports held flat in dollars; no official projection is compiled in).
    pub import_growth_pct: f64,
    /// Share of the tariff passed into consumer prices, percent (default 100, as the Budget Lab's
    /// short-run measure assumes).
    pub pass_through_pct: f64,
}

impl Default for CostAssumptions {
    fn default() -> Self {
        CostAssumptions {
            import_content_pct: IMPORT_CONTENT_OF_PCE.value,
            import_growth_pct: 0.0,
            pass_through_pct: 100.0,
        }
    }
}

impl CostAssumptions {
    /// The defaults with the values a caller gave (each edge's flags or query fields).
    pub fn with_overrides(
        import_content_pct: Option<f64>,
        import_growth_pct: Option<f64>,
        pass_through_pct: Option<f64>,
    ) -> Self {
        let d = CostAssumptions::default();
        CostAssumptions {
            import_content_pct: import_content_pct.unwrap_or(d.import_content_pct),
            import_growth_pct: import_growth_pct.unwrap_or(d.import_growth_pct),
            pass_through_pct: pass_through_pct.unwrap_or(d.pass_through_pct),
        }
    }

    /// Refuse values outside their meaning, naming the field.
    pub fn check(&self) -> Result<()> {
        let fields = [
            (
                "import_content",
                self.import_content_pct,
                0.0,
                100.0,
                "a percentage",
            ),
            (
                "import_growth",
                self.import_growth_pct,
                -50.0,
                50.0,
                "a yearly growth in percent",
            ),
            (
                "pass_through",
                self.pass_through_pct,
                0.0,
                100.0,
                "a percentage",
            ),
        ];
        for (field, value, lo, hi, what) in fields {
            if !(value.is_finite() && (lo..=hi).contains(&value)) {
                return Err(ServiceError::bad_field(
                    field,
                    format!("expected {what} in {lo}..={hi}, got {value}"),
                ));
            }
        }
        Ok(())
    }
}

/// The costs of the US tariffs in force on one date, against the 2024 baseline.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Costs {
    /// The date.
    pub date: NaiveDate,
    /// The baseline date (the measures in force at the end of 2024).
    pub baseline_date: NaiveDate,
    /// Statutory effective rate on `date`, percent of 2024 imports (pre-substitution).
    pub etr_pct: f64,
    /// The same on the baseline date.
    pub etr_baseline_pct: f64,
    /// `etr_pct - etr_baseline_pct`, percentage points.
    pub etr_increase_pts: f64,
    /// Short-run consumer price level increase, percent: the rate increase x pass-through x
    /// the import content of consumption (before anyone substitutes).
    pub price_level_pct: f64,
    /// That increase on the consumption of the average household, USD a year.
    pub cost_per_household_usd: f64,
    /// The same cost by quintile of income before taxes, in proportion to each quintile's
    /// consumption (BLS CE 2024, [`CE_QUINTILES_SOURCE`]).
    pub by_quintile: Vec<QuintileCost>,
    /// All customs duties at the statutory rates on 2024 imports, billion USD a year (static).
    pub revenue_usd_bn: f64,
    /// The part of `revenue_usd_bn` the measures since 2024 add, billion USD a year (static).
    pub revenue_increase_usd_bn: f64,
    /// `revenue_usd_bn` over ten years with imports growing at the assumed rate, billion USD.
    pub revenue_10y_usd_bn: f64,
    /// `revenue_increase_usd_bn` over the same ten years, billion USD.
    pub revenue_increase_10y_usd_bn: f64,
    /// The imports the rates apply to: all US goods imports of 2024 (Census), billion USD.
    pub imports_2024_usd_bn: f64,
    /// The share of those imports the effective rate is computed on (the weights' coverage), percent.
    pub coverage_pct: f64,
    /// The assumptions used.
    pub assumptions: CostAssumptions,
    /// Every public figure used, with its source.
    pub figures: Vec<PublicFigure>,
    /// What each number means, in one line each.
    pub definitions: Vec<Definition>,
}

/// One term of the glossary printed with every cost table.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Definition {
    /// The term.
    pub term: &'static str,
    /// What it means here.
    pub meaning: &'static str,
}

const fn def(term: &'static str, meaning: &'static str) -> Definition {
    Definition { term, meaning }
}

/// The definitions printed with every cost table.
pub const DEFINITIONS: [Definition; 6] = [
    def("effective rate", "customs duties due at the statutory rates on 2024 imports, over those imports (pre-substitution: no one changes what they buy)"),
    def("price level", "the short-run increase in the consumer price level if the rate increase passes into the prices of imports (at the assumed pass-through), before substitution; not the GE model's price index"),
    def("cost per household", "the price level increase times average consumption per household (PCE / households); a loss of purchasing power, in dollars of the PCE year"),
    def("cost by income quintile", "the cost per household spread over the five income quintiles in proportion to their consumption (BLS Consumer Expenditure Survey 2024); assumes the same import content of consumption in every quintile; the share of income is the price level times the quintile's CE spending over its CE income before taxes, and falls from the lowest quintile to the highest"),
    def("revenue", "statutory rates times 2024 imports, a static score (no import response, no offsets; not the budget models' conventional score); the GE model's revenue after behaviour is in `simulate`"),
    def("ten-year revenue", "the annual static revenue summed over ten years with imports growing at the assumed rate (undiscounted)"),
];

/// The inputs [`costs`] reads from the effective rate: totals on the date and on the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePair {
    /// Effective rate on the date, percent.
    pub on_date_pct: f64,
    /// Effective rate on the baseline date, percent.
    pub baseline_pct: f64,
    /// Imports the weights cover, USD.
    pub covered_imports_usd: f64,
}

/// The costs from the two effective rates: the arithmetic alone, no I/O, no engine.
pub fn costs_from_rates(
    date: NaiveDate,
    rates: RatePair,
    imports_2024_usd: f64,
    a: CostAssumptions,
) -> Result<Costs> {
    a.check()?;
    if !(imports_2024_usd.is_finite() && imports_2024_usd > 0.0) {
        return Err(ServiceError::bad_input(format!(
            "2024 imports must be positive, got {imports_2024_usd}"
        )));
    }
    let increase = rates.on_date_pct - rates.baseline_pct;
    let price_level_pct = increase * a.pass_through_pct / 100.0 * a.import_content_pct / 100.0;
    let per_household_usd = PCE_USD_BN.value * 1e9 / (HOUSEHOLDS_MN.value * 1e6);
    let imports_bn = imports_2024_usd / 1e9;
    let revenue = rates.on_date_pct / 100.0 * imports_bn;
    let revenue_increase = increase / 100.0 * imports_bn;
    let growth = 1.0 + a.import_growth_pct / 100.0;
    let ten_years: f64 = (0..10).map(|y| growth.powi(y)).sum();
    let mut figures = vec![PCE_USD_BN, HOUSEHOLDS_MN, CE_EXPENDITURES_ALL];
    if a.import_content_pct == IMPORT_CONTENT_OF_PCE.value {
        figures.insert(0, IMPORT_CONTENT_OF_PCE);
    }
    let cost_per_household_usd = price_level_pct / 100.0 * per_household_usd;
    Ok(Costs {
        date,
        baseline_date: baseline_date(),
        etr_pct: rates.on_date_pct,
        etr_baseline_pct: rates.baseline_pct,
        etr_increase_pts: increase,
        price_level_pct,
        cost_per_household_usd,
        by_quintile: by_quintile(cost_per_household_usd, price_level_pct),
        revenue_usd_bn: revenue,
        revenue_increase_usd_bn: revenue_increase,
        revenue_10y_usd_bn: revenue * ten_years,
        revenue_increase_10y_usd_bn: revenue_increase * ten_years,
        imports_2024_usd_bn: imports_bn,
        coverage_pct: 100.0 * rates.covered_imports_usd / imports_2024_usd,
        assumptions: a,
        figures,
        definitions: DEFINITIONS.to_vec(),
    })
}

/// All US goods imports of 2024 (Census, the 232 partners compiled in), USD.
pub fn imports_2024_usd() -> f64 {
    reciprocity_data::embedded::census_2024()
        .iter()
        .map(|p| p.imports_usd)
        .sum()
}

/// The costs of the US tariffs in force on `date`, on the product engine's effective rate.
pub fn costs(
    engine: &ProductEngine,
    registry: &Registry,
    weights: &EtrWeights,
    date: NaiveDate,
    assumptions: CostAssumptions,
) -> Result<Costs> {
    assumptions.check()?;
    if date < baseline_date() {
        return Err(ServiceError::bad_field(
            "date",
            format!(
                "{date} is before the 2024 baseline ({}); costs are measured against it",
                baseline_date()
            ),
        ));
    }
    let points = reciprocity_policy::product::etr::etr_on(
        engine,
        registry,
        weights,
        &[baseline_date(), date],
    );
    let covered: f64 = points[1].by_partner.iter().map(|p| p.imports_usd).sum();
    let rates = RatePair {
        on_date_pct: points[1].total_pct,
        baseline_pct: points[0].total_pct,
        covered_imports_usd: covered,
    };
    costs_from_rates(date, rates, imports_2024_usd(), assumptions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rates(on_date_pct: f64, baseline_pct: f64) -> RatePair {
        RatePair {
            on_date_pct,
            baseline_pct,
            covered_imports_usd: 3.0e12,
        }
    }

    #[test]
    fn no_increase_costs_nothing_but_the_base_revenue() {
        let c = costs_from_rates(
            day("2024-12-31"),
            rates(2.4, 2.4),
            3.2674e12,
            CostAssumptions::default(),
        )
        .unwrap();
        assert_eq!(c.etr_increase_pts, 0.0);
        assert_eq!(c.price_level_pct, 0.0);
        assert_eq!(c.cost_per_household_usd, 0.0);
        assert_eq!(c.revenue_increase_usd_bn, 0.0);
        // 2.4 % of $3,267.4bn.
        assert!(
            (c.revenue_usd_bn - 78.4176).abs() < 1e-9,
            "{}",
            c.revenue_usd_bn
        );
        assert!((c.revenue_10y_usd_bn - 784.176).abs() < 1e-9);
    }

    #[test]
    fn the_arithmetic_by_hand() {
        // +20 points x 10.7 % = 2.14 % of PCE; PCE per household 18,914.478e9 / 131.434e6.
        let c = costs_from_rates(
            day("2025-04-10"),
            rates(22.4, 2.4),
            3.2674e12,
            CostAssumptions::default(),
        )
        .unwrap();
        assert!((c.price_level_pct - 2.14).abs() < 1e-12);
        let per_household = 18_914.478e9 / 131.434e6;
        assert!((c.cost_per_household_usd - 0.0214 * per_household).abs() < 1e-6);
        assert!(
            (c.cost_per_household_usd - 3079.6).abs() < 0.1,
            "{}",
            c.cost_per_household_usd
        );
        assert!((c.revenue_increase_usd_bn - 653.48).abs() < 1e-9);
        assert!((c.coverage_pct - 100.0 * 3.0 / 3.2674).abs() < 1e-9);
        assert_eq!(c.figures.len(), 4);
    }

    #[test]
    fn growth_compounds_over_ten_years_and_half_pass_through_halves_prices() {
        let a = CostAssumptions {
            import_growth_pct: 10.0,
            pass_through_pct: 50.0,
            ..CostAssumptions::default()
        };
        let c = costs_from_rates(day("2025-08-07"), rates(12.0, 2.0), 1e12, a).unwrap();
        // Sum of 1.1^0..1.1^9 = (1.1^10 - 1) / 0.1 = 15.937424601.
        assert!((c.revenue_10y_usd_bn - 120.0 * 15.937_424_601).abs() < 1e-6);
        assert!((c.price_level_pct - 10.0 * 0.5 * 0.107).abs() < 1e-12);
    }

    #[test]
    fn assumptions_out_of_range_name_their_field() {
        for (a, field) in [
            (
                CostAssumptions {
                    import_content_pct: 120.0,
                    ..Default::default()
                },
                "import_content",
            ),
            (
                CostAssumptions {
                    import_growth_pct: f64::NAN,
                    ..Default::default()
                },
                "import_growth",
            ),
            (
                CostAssumptions {
                    pass_through_pct: -1.0,
                    ..Default::default()
                },
                "pass_through",
            ),
        ] {
            let e = costs_from_rates(day("2025-05-01"), rates(10.0, 2.0), 1e12, a).unwrap_err();
            assert!(
                matches!(e, ServiceError::BadInput { field: Some(f), .. } if f == field),
                "{e:?}"
            );
        }
    }
}
