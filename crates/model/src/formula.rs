//! The official USTR reciprocal-tariff formula of April 2025 (docs/model.md §8).
//!
//! USTR wrote the tariff change that would balance bilateral goods trade as
//! Δτ_i = (x_i − m_i)/(ε·φ·m_i), with x_i U.S. exports to i, m_i U.S. imports from i, ε the trade
//! elasticity (4) and φ the pass-through of tariffs to import prices (0.25). For a deficit (m > x) the
//! magnitude is (m − x)/(ε φ m); with ε φ = 1 it is the deficit over imports. The chart of
//! 2025-04-02 printed it, rounded to a whole percent with a floor of 10, as the "tariff charged to the
//! U.S.A.", and half of it, rounded up, again with a floor of 10, as the "discounted reciprocal tariff".
//!
//! Critics (Corinth & Veuger, AEI, 2025-04) argued that φ should be the pass-through to *retail*
//! import prices, about 0.945 (Cavallo et al. 2021), which divides every rate by 3.78.

/// The pass-through used by USTR.
pub const OFFICIAL_PASS_THROUGH: f64 = 0.25;
/// The trade elasticity used by USTR.
pub const OFFICIAL_TRADE_ELASTICITY: f64 = 4.0;
/// The pass-through that critics of the formula proposed (import prices at retail).
pub const CRITICS_PASS_THROUGH: f64 = 0.945;

/// How rates are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// The chart's rule for 182 of 185 partners: charged = round(ratio); reciprocal =
    /// ceil(discount × rounded charged).
    #[default]
    Official,
    /// charged = round(ratio); reciprocal = ceil(discount × *unrounded* ratio). The chart's rule for
    /// Vietnam (90.4 → 46) and Japan (46.2 → 24).
    Unrounded,
    /// No rounding at all (floors still apply).
    None,
}

/// The parameters of the formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormulaParams {
    /// ε, the elasticity of imports with respect to import prices.
    pub trade_elasticity: f64,
    /// φ, the pass-through of tariffs to import prices.
    pub pass_through: f64,
    /// The lowest rate, percent, applied to both the charged and the reciprocal rate.
    pub floor_pct: f64,
    /// The share of the charged rate that the U.S. levies (0.5: "discounted" by half).
    pub discount: f64,
    /// How rates are rounded.
    pub rounding: Rounding,
}

impl Default for FormulaParams {
    /// The official parameters: ε = 4, φ = 0.25, floor 10, discount 0.5, official rounding.
    fn default() -> Self {
        FormulaParams {
            trade_elasticity: OFFICIAL_TRADE_ELASTICITY,
            pass_through: OFFICIAL_PASS_THROUGH,
            floor_pct: 10.0,
            discount: 0.5,
            rounding: Rounding::Official,
        }
    }
}

/// Why parameters are invalid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormulaError {
    /// ε·φ must be a positive finite number.
    #[error("trade elasticity × pass-through must be positive and finite, found {0}")]
    NonPositiveScale(f64),
    /// The discount must be in (0, 1].
    #[error("discount must be in (0, 1], found {0}")]
    BadDiscount(f64),
    /// The floor must be finite and ≥ 0.
    #[error("floor must be a finite number ≥ 0, found {0}")]
    BadFloor(f64),
}

impl FormulaParams {
    /// Check that the parameters give meaningful rates.
    pub fn validate(&self) -> Result<(), FormulaError> {
        let scale = self.trade_elasticity * self.pass_through;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(FormulaError::NonPositiveScale(scale));
        }
        if !(self.discount > 0.0 && self.discount <= 1.0) {
            return Err(FormulaError::BadDiscount(self.discount));
        }
        if !(self.floor_pct.is_finite() && self.floor_pct >= 0.0) {
            return Err(FormulaError::BadFloor(self.floor_pct));
        }
        Ok(())
    }
}

/// The formula's result for one partner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormulaRates {
    /// 100·(m − x)/m: the deficit as a percent of imports (negative for a surplus). `None` if m = 0.
    pub deficit_pct: Option<f64>,
    /// 100·(m − x)/(ε φ m), before rounding and floor. `None` if m = 0.
    pub charged_exact_pct: Option<f64>,
    /// The "tariff charged to the U.S.A.", percent, rounded and floored.
    pub charged_pct: f64,
    /// The "discounted reciprocal tariff", percent, rounded and floored.
    pub reciprocal_pct: f64,
}

/// `ceil` that ignores floating-point dust (0.3 × 30 = 9.000000000000002 must give 9, not 10).
fn ceil_tol(v: f64) -> f64 {
    (v - 1e-9).ceil()
}

/// Round half away from zero, ignoring floating-point dust below the half.
fn round_tol(v: f64) -> f64 {
    (v + 1e-9 * v.signum()).round()
}

/// Apply the formula to U.S. exports `x` and imports `m` (same units) with parameters `p`.
///
/// A partner with no U.S. imports (m = 0) has no deficit ratio and gets the floor.
///
/// ```
/// use reciprocity_model::formula::{rates, FormulaParams};
/// // China 2024: x = 143.5 $bn, m = 438.9 $bn → 67 % charged, 34 % reciprocal.
/// let r = rates(143_545_739_507.0, 438_947_386_145.0, &FormulaParams::default());
/// assert_eq!((r.charged_pct, r.reciprocal_pct), (67.0, 34.0));
/// ```
pub fn rates(x: f64, m: f64, p: &FormulaParams) -> FormulaRates {
    if m <= 0.0 || !m.is_finite() || !x.is_finite() {
        return FormulaRates {
            deficit_pct: None,
            charged_exact_pct: None,
            charged_pct: p.floor_pct,
            reciprocal_pct: p.floor_pct,
        };
    }
    let deficit_pct = 100.0 * (m - x) / m;
    let exact = deficit_pct / (p.trade_elasticity * p.pass_through);
    let (charged, reciprocal) = match p.rounding {
        Rounding::Official => {
            let c = round_tol(exact);
            (c, ceil_tol(p.discount * c))
        }
        Rounding::Unrounded => (round_tol(exact), ceil_tol(p.discount * exact)),
        Rounding::None => (exact, p.discount * exact),
    };
    FormulaRates {
        deficit_pct: Some(deficit_pct),
        charged_exact_pct: Some(exact),
        charged_pct: charged.max(p.floor_pct),
        reciprocal_pct: reciprocal.max(p.floor_pct),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (x, m) in $bn-like units → (charged, reciprocal) with the official parameters.
    fn check(x: f64, m: f64, p: &FormulaParams, expect: (f64, f64)) {
        let r = rates(x, m, p);
        assert_eq!(
            (r.charged_pct, r.reciprocal_pct),
            expect,
            "x={x} m={m} {p:?}"
        );
    }

    #[test]
    fn official_values_from_census_2024() {
        let p = FormulaParams::default();
        // Census 2024 (USD); chart values of 2025-04-02.
        check(143_545_739_507.0, 438_947_386_145.0, &p, (67.0, 34.0)); // China
        check(370_189_230_351.0, 605_760_393_292.0, &p, (39.0, 20.0)); // EU
        check(13_098_155_121.0, 136_561_155_809.0, &p, (90.0, 45.0)); // Vietnam: chart says 46
        check(79_740_845_546.0, 148_208_566_623.0, &p, (46.0, 23.0)); // Japan: chart says 24
    }

    #[test]
    fn unrounded_rule_reproduces_vietnam_and_japan() {
        let p = FormulaParams {
            rounding: Rounding::Unrounded,
            ..Default::default()
        };
        check(13_098_155_121.0, 136_561_155_809.0, &p, (90.0, 46.0));
        check(79_740_845_546.0, 148_208_566_623.0, &p, (46.0, 24.0));
    }

    #[test]
    fn surplus_and_no_imports_give_the_floor() {
        let p = FormulaParams::default();
        check(80.0, 60.0, &p, (10.0, 10.0));
        check(5.0, 0.0, &p, (10.0, 10.0));
        assert_eq!(rates(5.0, 0.0, &p).deficit_pct, None);
        assert_eq!(rates(80.0, 60.0, &p).deficit_pct, Some(-100.0 / 3.0));
    }

    #[test]
    fn critics_pass_through_divides_by_3_78() {
        // Lesotho 2024: ratio 99 % → 99/3.78 = 26.2 → 26 charged, ceil(13) = 13 reciprocal.
        let p = FormulaParams {
            pass_through: CRITICS_PASS_THROUGH,
            ..Default::default()
        };
        let r = rates(2.8, 237.0, &p);
        let exact = 100.0 * (237.0 - 2.8) / 237.0 / 3.78;
        assert!((r.charged_exact_pct.unwrap() - exact).abs() < 1e-12);
        assert_eq!(r.charged_pct, exact.round());
        assert_eq!(r.reciprocal_pct, (exact.round() / 2.0).ceil());
        assert_eq!(r.reciprocal_pct, 13.0);
    }

    #[test]
    fn no_rounding_is_exact_and_dust_is_ignored() {
        let p = FormulaParams {
            rounding: Rounding::None,
            floor_pct: 0.0,
            ..Default::default()
        };
        let r = rates(25.0, 100.0, &p);
        assert_eq!((r.charged_pct, r.reciprocal_pct), (75.0, 37.5));
        // 0.3 × 30 is 9.000000000000002 in floating point; the rate is 9, not 10.
        let p = FormulaParams {
            discount: 0.3,
            floor_pct: 0.0,
            ..Default::default()
        };
        check(70.0, 100.0, &p, (30.0, 9.0));
    }

    #[test]
    fn validation() {
        assert!(FormulaParams::default().validate().is_ok());
        let bad = |p: FormulaParams| p.validate().is_err();
        assert!(bad(FormulaParams {
            pass_through: 0.0,
            ..Default::default()
        }));
        assert!(bad(FormulaParams {
            trade_elasticity: -4.0,
            ..Default::default()
        }));
        assert!(bad(FormulaParams {
            discount: 1.5,
            ..Default::default()
        }));
        assert!(bad(FormulaParams {
            floor_pct: f64::NAN,
            ..Default::default()
        }));
    }

    proptest::proptest! {
        #[test]
        fn rates_respect_floor_and_order(x in 0.0f64..1e12, m in 1.0f64..1e12, phi in 0.05f64..1.0) {
            let p = FormulaParams { pass_through: phi, ..Default::default() };
            let r = rates(x, m, &p);
            proptest::prop_assert!(r.charged_pct >= 10.0 && r.reciprocal_pct >= 10.0);
            proptest::prop_assert!(r.reciprocal_pct <= r.charged_pct);
            // More imports at equal exports never lowers the rate.
            let r2 = rates(x, m * 1.5, &p);
            proptest::prop_assert!(r2.charged_pct >= r.charged_pct);
            proptest::prop_assert!(r2.reciprocal_pct >= r.reciprocal_pct);
        }
    }
}
