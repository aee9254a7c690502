//! Outputs per country and for the world (docs/model.md §4).

use super::calibrate::Calibration;
use super::equilibrium::Equilibrium;
use super::params::Revenue;

/// One country's results, in percent changes unless noted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountryOutcome {
    /// 100(Ŵ − 1).
    pub welfare_pct: f64,
    /// Change of the trade deficit (imports − exports, foreign flows), 100(D′ − D)/|D|.
    pub deficit_pct: f64,
    /// Change of exports/GDP.
    pub exports_gdp_pct: f64,
    /// Change of imports/GDP.
    pub imports_gdp_pct: f64,
    /// 100(L̂ − 1).
    pub employment_pct: f64,
    /// Real GDP: 100(ŵL̂/P̂ − 1), the model's value added (labour income Y = wL) deflated by its
    /// price index. Unlike welfare it leaves out tariff revenue and the deficit's transfer.
    pub real_gdp_pct: f64,
    /// 100(P̂ − 1): the model's price index relative to the world numéraire (Σ E(P̂ − 1) = 0),
    /// not consumer inflation (which `costs` measures in its own units).
    pub price_index_pct: f64,
    /// Counterfactual tariff revenue over factual expenditure, R_i / E_i (a fraction).
    pub revenue_share: f64,
}

/// Results for every country and the world.
#[derive(Debug, Clone)]
pub struct Outcomes {
    /// Per country, in calibration order.
    pub countries: Vec<CountryOutcome>,
    /// World trade-to-GDP change (%): 100[(Σ X′(1+t¹)/Σ X(1+t⁰)) / (ΣY′/ΣY) − 1] over foreign flows.
    pub world_trade_to_gdp_pct: f64,
    /// World employment change (%), weighted by factual income.
    pub world_employment_pct: f64,
}

/// Compute §4's outputs from an equilibrium.
pub fn outcomes(cal: &Calibration, eq: &Equilibrium) -> Outcomes {
    let (n, kk) = (cal.n, cal.k);
    let mut exports = vec![0.0; n];
    let mut imports = vec![0.0; n];
    let mut exports_new = vec![0.0; n];
    let mut imports_new = vec![0.0; n];
    let mut trade = 0.0;
    let mut trade_new = 0.0;
    for k in 0..kk {
        for j in 0..n {
            for i in 0..n {
                if i == j {
                    continue;
                }
                let id = cal.index(k, j, i);
                exports[j] += cal.flows[id];
                imports[i] += cal.flows[id];
                exports_new[j] += eq.flows[id];
                imports_new[i] += eq.flows[id];
                trade += cal.flows[id] * (1.0 + cal.tariffs[id]);
                trade_new += eq.flows[id] * (1.0 + eq.tariffs[id]);
            }
        }
    }
    let world_income: f64 = cal.income.iter().sum();
    let world_income_new: f64 = (0..n)
        .map(|i| eq.wage[i] * eq.employment[i] * cal.income[i])
        .sum();
    let kappa = cal.params.kappa;
    let countries = (0..n)
        .map(|i| {
            let income_new = eq.wage[i] * eq.employment[i] * cal.income[i];
            let tau = match cal.params.revenue {
                Revenue::IncomeTaxRelief => eq.revenue[i] / income_new,
                Revenue::LumpSum => 0.0,
            };
            let e = cal.expenditure[i];
            let delta = e / (e - kappa * (1.0 - tau) * cal.income[i] / (1.0 + kappa));
            let welfare = delta * eq.expenditure[i] / eq.price_index[i]
                + (1.0 - delta) * eq.wage[i] * eq.employment[i] / eq.price_index[i];
            let deficit = imports[i] - exports[i];
            let deficit_new = imports_new[i] - exports_new[i];
            CountryOutcome {
                welfare_pct: 100.0 * (welfare - 1.0),
                deficit_pct: 100.0 * (deficit_new - deficit) / deficit.abs(),
                exports_gdp_pct: 100.0
                    * ((exports_new[i] / income_new) / (exports[i] / cal.income[i]) - 1.0),
                imports_gdp_pct: 100.0
                    * ((imports_new[i] / income_new) / (imports[i] / cal.income[i]) - 1.0),
                employment_pct: 100.0 * (eq.employment[i] - 1.0),
                real_gdp_pct: 100.0 * (eq.wage[i] * eq.employment[i] / eq.price_index[i] - 1.0),
                price_index_pct: 100.0 * (eq.price_index[i] - 1.0),
                revenue_share: eq.revenue[i] / e,
            }
        })
        .collect::<Vec<_>>();
    let world_employment_pct = (0..n)
        .map(|i| 100.0 * (eq.employment[i] - 1.0) * cal.income[i])
        .sum::<f64>()
        / world_income;
    Outcomes {
        countries,
        world_trade_to_gdp_pct: 100.0
            * ((trade_new / trade) / (world_income_new / world_income) - 1.0),
        world_employment_pct,
    }
}

/// Average of `value` over `members`, weighted by factual expenditure E_i (§4 group averages).
pub fn group_average(cal: &Calibration, members: &[usize], value: impl Fn(usize) -> f64) -> f64 {
    let total: f64 = members.iter().map(|&i| cal.expenditure[i]).sum();
    members
        .iter()
        .map(|&i| cal.expenditure[i] * value(i))
        .sum::<f64>()
        / total
}
