//! Outputs by country and sector (docs/model.md §4, "by sector"): what an equilibrium gives for
//! each country's sector, read off the solved unknowns and flows, nothing estimated on the side.
//!
//! - *Output* is gross output at producer prices, Σ_d X_idk over every buyer d (the domestic
//!   diagonal included): on a world built from ICIO it is the node's gross output (intermediate
//!   and final sales). The model has no input-output loops, so this is also total sales.
//! - *Value added* is the model's sector income Y_ik (sales net of the ν share, plus ν of the
//!   country's own purchases); its hat is ŵ_i L̂_i ℓ̂_ik.
//! - *Employment*: labour moves across sectors at one wage, so sector k employs the share ℓ_ik of
//!   L_i and its hat is L̂_i ℓ̂_ik (with K = 1, L̂_i).
//! - *Producer price*: the unit cost the model's prices use, ŵ_i (L̂_i ℓ̂_ik)^(−ψ_k) (external
//!   scale economies lower it as the sector grows); like every price of the model it is measured
//!   against the world numéraire (Σ E_i (P̂_i − 1) = 0). *Real output* is output over it.
//! - *Exports* and *imports* are foreign flows at producer prices (tariffs excluded).

use super::calibrate::Calibration;
use super::equilibrium::Equilibrium;

/// One country's results in one sector: levels in the data's units, changes in percent (NaN
/// where the level before is zero).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectorOutcome {
    /// Gross output at producer prices before, Σ_d X_idk.
    pub output_before: f64,
    /// Gross output at producer prices after.
    pub output_after: f64,
    /// 100 (output′/output − 1).
    pub output_pct: f64,
    /// Output deflated by the sector's producer price: 100 (output′/output / p̂ − 1).
    pub real_output_pct: f64,
    /// The sector's income (value added in the model): 100 (ŵ L̂ ℓ̂ − 1).
    pub value_added_pct: f64,
    /// The sector's employment: 100 (L̂ ℓ̂ − 1).
    pub employment_pct: f64,
    /// The sector's producer price: 100 (ŵ (L̂ ℓ̂)^(−ψ_k) − 1), against the world numéraire.
    pub producer_price_pct: f64,
    /// Foreign exports before, Σ_{d≠i} X_idk.
    pub exports_before: f64,
    /// Foreign exports after.
    pub exports_after: f64,
    /// 100 (exports′/exports − 1).
    pub exports_pct: f64,
    /// Foreign imports before, Σ_{o≠i} X_oik.
    pub imports_before: f64,
    /// Foreign imports after.
    pub imports_after: f64,
    /// 100 (imports′/imports − 1).
    pub imports_pct: f64,
}

/// The unknowns and flows of one point: the calibrated baseline or a solved equilibrium.
struct Point<'a> {
    flows: &'a [f64],
    wage: Option<&'a [f64]>,
    employment: Option<&'a [f64]>,
    share: Option<&'a [f64]>,
}

impl<'a> Point<'a> {
    fn of(cal: &'a Calibration, eq: Option<&'a Equilibrium>) -> Point<'a> {
        match eq {
            Some(eq) => Point {
                flows: &eq.flows,
                wage: Some(&eq.wage),
                employment: Some(&eq.employment),
                share: Some(&eq.sector_share),
            },
            None => Point {
                flows: &cal.flows,
                wage: None,
                employment: None,
                share: None,
            },
        }
    }

    /// (ŵ_i, L̂_i ℓ̂_ik) at this point (ones at the baseline).
    fn hats(&self, i: usize, ik: usize) -> (f64, f64) {
        let at = |v: Option<&[f64]>, x: usize| v.map_or(1.0, |v| v[x]);
        (
            at(self.wage, i),
            at(self.employment, i) * at(self.share, ik),
        )
    }

    /// (output, exports, imports) of country i in sector k.
    fn trade(&self, cal: &Calibration, i: usize, k: usize) -> (f64, f64, f64) {
        let x = cal.pairs(self.flows);
        let own = x.get(k, i, i);
        let output: f64 = x.sales(k, i).iter().sum();
        let bought: f64 = x.purchases(k, i).sum();
        (output, output - own, bought - own)
    }
}

fn change(after: f64, before: f64) -> f64 {
    if before > 0.0 {
        100.0 * (after / before - 1.0)
    } else {
        f64::NAN
    }
}

/// Every country's outcomes by sector, layout `[country][sector]` (calibration order), from
/// `before` (the calibrated baseline when `None`; a closure that moves the transfers reads its
/// scenario against its own zero-shock equilibrium) to `after`.
pub fn sector_outcomes(
    cal: &Calibration,
    before: Option<&Equilibrium>,
    after: &Equilibrium,
) -> Vec<SectorOutcome> {
    let (n, kk) = (cal.n, cal.k);
    let (p0, p1) = (Point::of(cal, before), Point::of(cal, Some(after)));
    let mut rows = Vec::with_capacity(n * kk);
    for i in 0..n {
        for k in 0..kk {
            let ik = i * kk + k;
            let ((w0, l0), (w1, l1)) = (p0.hats(i, ik), p1.hats(i, ik));
            let (wage, labour) = (w1 / w0, l1 / l0);
            let price = wage * labour.powf(-cal.params.psi_of(k));
            let (out0, exp0, imp0) = p0.trade(cal, i, k);
            let (out1, exp1, imp1) = p1.trade(cal, i, k);
            rows.push(SectorOutcome {
                output_before: out0,
                output_after: out1,
                output_pct: change(out1, out0),
                real_output_pct: change(out1 / price, out0),
                value_added_pct: 100.0 * (wage * labour - 1.0),
                employment_pct: 100.0 * (labour - 1.0),
                producer_price_pct: 100.0 * (price - 1.0),
                exports_before: exp0,
                exports_after: exp1,
                exports_pct: change(exp1, exp0),
                imports_before: imp0,
                imports_after: imp1,
                imports_pct: change(imp1, imp0),
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ge::{calibrate, outcomes, solve, NuRule, Params, SolverOptions};
    use crate::Dataset;

    /// Three countries, two sectors, domestic flows given.
    fn world() -> Dataset {
        let c: Vec<String> = ["USA", "BBB", "CCC"].map(String::from).to_vec();
        let s: Vec<String> = ["GOODS", "CARS"].map(String::from).to_vec();
        let mut d = Dataset::zeros("toy", c, s);
        d.has_domestic_flows = true;
        #[rustfmt::skip]
        let flows = [
            // GOODS: exporter rows, importer columns
            100.0, 10.0, 5.0,
            8.0, 90.0, 6.0,
            4.0, 7.0, 80.0,
            // CARS
            50.0, 12.0, 3.0,
            9.0, 40.0, 2.0,
            6.0, 5.0, 30.0,
        ];
        d.flows = flows.to_vec();
        d
    }

    /// ILMS, with ν given (the two-region rule needs GDP).
    fn params() -> Params {
        let mut p = Params::ilms();
        p.nu = NuRule::Uniform(0.1);
        p
    }

    #[test]
    fn a_tariff_on_one_sector_moves_its_output_and_imports_and_sums_match_totals() {
        let data = world();
        let cal = calibrate(&data, &params()).unwrap();
        let mut t = cal.tariffs.clone();
        cal.pairs_mut(&mut t).set(1, 1, 0, 0.25); // USA taxes BBB's cars
        cal.pairs_mut(&mut t).set(1, 2, 0, 0.25); // and CCC's
        let eq = solve(&cal, &t, &SolverOptions::default()).unwrap();
        let rows = sector_outcomes(&cal, None, &eq);
        let cars = rows[1];
        // Before: the flow table itself.
        assert_eq!(cars.output_before, 65.0);
        assert_eq!(cars.exports_before, 15.0);
        assert_eq!(cars.imports_before, 15.0);
        assert!(cars.imports_pct < 0.0 && cars.output_pct > 0.0, "{cars:?}");
        assert!(cars.employment_pct > 0.0, "{cars:?}");
        // Exports by sector add up to the country's exports, before and after.
        let out = outcomes(&cal, &eq);
        for i in 0..3 {
            let before: f64 = rows[2 * i..2 * i + 2]
                .iter()
                .map(|r| r.exports_before)
                .sum();
            let after: f64 = rows[2 * i..2 * i + 2].iter().map(|r| r.exports_after).sum();
            assert!((before - cal.exports(i)).abs() < 1e-12);
            let income = eq.wage[i] * eq.employment[i];
            let pct = 100.0 * ((after / income) / before - 1.0);
            assert!((pct - out.countries[i].exports_gdp_pct).abs() < 1e-9);
            // Sector employment shares still sum to one.
            let share: f64 = (0..2)
                .map(|k| cal.sector_share[2 * i + k] * eq.sector_share[2 * i + k])
                .sum();
            assert!((share - 1.0).abs() < 1e-9, "{share}");
        }
    }

    #[test]
    fn a_zero_shock_changes_nothing() {
        let data = world();
        let cal = calibrate(&data, &params()).unwrap();
        let eq = solve(&cal, &cal.tariffs, &SolverOptions::default()).unwrap();
        for r in sector_outcomes(&cal, None, &eq) {
            for v in [
                r.output_pct,
                r.real_output_pct,
                r.value_added_pct,
                r.employment_pct,
                r.producer_price_pct,
                r.exports_pct,
                r.imports_pct,
            ] {
                assert!(v.abs() < 1e-8, "{r:?}");
            }
        }
    }
}
