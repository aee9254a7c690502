//! Calibration (docs/model.md §2): from a [`Dataset`] and [`Params`] to the baseline the equilibrium
//! is solved against.

use super::params::{markup_wedge, Deficits, NuRule, Params, PhiRule};
use super::ModelError;
use crate::pairs::{Pairs, PairsMut, Shape};
use crate::Dataset;

/// The calibrated baseline: everything the equilibrium needs, computed once per world and preset
/// and reused for every tariff scenario.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// Number of countries N.
    pub n: usize,
    /// Number of sectors K.
    pub k: usize,
    /// Country codes (dataset order).
    pub countries: Vec<String>,
    /// Sector codes.
    pub sectors: Vec<String>,
    /// X_jik at producer prices, with the domestic diagonal, layout `[k][exporter][importer]`.
    pub flows: Vec<f64>,
    /// Factual tariffs t⁰, same layout.
    pub tariffs: Vec<f64>,
    /// λ_jik: shares of importer i's sector-k expenditure (gross of tariffs), same layout.
    pub lambda: Vec<f64>,
    /// β_ik: Cobb–Douglas expenditure shares, layout `[i][k]`.
    pub beta: Vec<f64>,
    /// E_i: total expenditure, gross of tariffs.
    pub expenditure: Vec<f64>,
    /// Y_i: income (value added).
    pub income: Vec<f64>,
    /// Y_ik: sector-k income of country i, layout `[i][k]`.
    pub sector_income: Vec<f64>,
    /// ℓ_ik = Y_ik / Y_i, layout `[i][k]`.
    pub sector_share: Vec<f64>,
    /// T_i = E_i − Y_i − R⁰_i: the transfer that finances the deficit.
    pub transfers: Vec<f64>,
    /// The transfers used in counterfactuals (equal to `transfers` unless a deficit variant changes them).
    pub transfers_counterfactual: Vec<f64>,
    /// R⁰_i: factual tariff revenue.
    pub revenue: Vec<f64>,
    /// ν_i.
    pub nu: Vec<f64>,
    /// φ_i.
    pub phi: Vec<f64>,
    /// The two-region ν when the two-region rule was used: (rest, anchor).
    pub nu_two_region: Option<(f64, f64)>,
    /// Index of the anchor country (the US), when present.
    pub anchor: Option<usize>,
    /// The parameters used.
    pub params: Params,
    /// Sectors a government taxes at the border (goods), by sector: the strategies choose rates
    /// only on these. All true from [`calibrate`]; a caller that knows which sectors are services
    /// (a sector world's HS crosswalk) clears theirs.
    pub tariffable: Vec<bool>,
}

impl Calibration {
    /// Flat index of (sector k, exporter j, importer i): for the solver's inner loops. Elsewhere
    /// read through [`Calibration::flow_table`], [`Calibration::pairs`] and [`Calibration::pairs_mut`].
    #[inline]
    pub fn index(&self, k: usize, exporter: usize, importer: usize) -> usize {
        (k * self.n + exporter) * self.n + importer
    }

    /// The shape of the calibration's tables.
    pub fn shape(&self) -> Shape {
        Shape {
            sectors: self.k,
            countries: self.n,
        }
    }

    /// The baseline flows X_jik at producer prices, by sector, exporter and importer.
    pub fn flow_table(&self) -> Pairs<'_> {
        Pairs::new(self.shape(), &self.flows)
    }

    /// The factual tariffs t⁰, by sector, exporter and importer.
    pub fn tariff_table(&self) -> Pairs<'_> {
        Pairs::new(self.shape(), &self.tariffs)
    }

    /// A read view of a table of this calibration's shape (a tariff scenario, a solution's flows).
    pub fn pairs<'a>(&self, values: &'a [f64]) -> Pairs<'a> {
        Pairs::new(self.shape(), values)
    }

    /// A write view of a table of this calibration's shape.
    pub fn pairs_mut<'a>(&self, values: &'a mut [f64]) -> PairsMut<'a> {
        PairsMut::new(self.shape(), values)
    }

    /// Foreign exports of country j at producer prices (all sectors).
    pub fn exports(&self, j: usize) -> f64 {
        let flows = self.flow_table();
        (0..self.n)
            .filter(|&i| i != j)
            .map(|i| flows.bilateral_sum(j, i))
            .sum()
    }

    /// Foreign imports of country i at producer prices (all sectors).
    pub fn imports(&self, i: usize) -> f64 {
        let flows = self.flow_table();
        (0..self.n)
            .filter(|&j| j != i)
            .map(|j| flows.bilateral_sum(j, i))
            .sum()
    }
}

/// Calibrate the model to a dataset.
pub fn calibrate(data: &Dataset, params: &Params) -> Result<Calibration, ModelError> {
    let (n, k_count) = (data.n_countries(), data.n_sectors());
    validate(data, params)?;
    let anchor = data.country_index(&params.anchor);
    let mut flows = data.flows.clone();
    let tariffs = data.tariffs.clone();
    let (nu_data, nu_two_region) = nu_of_data(data, params, anchor)?;
    if !data.has_domestic_flows {
        build_domestic_flows(data, &nu_data, &mut flows)?;
    }
    let phi = phi_of_nu(params, &nu_data);
    let nu = if params.eaton_kortum {
        vec![0.0; n]
    } else {
        nu_data
    };
    let spending = Spending::of(data, &flows, &tariffs)?;
    let (sector_income, income) = incomes(data, &flows, &nu, &spending.sales_into)?;
    let sector_share: Vec<f64> = (0..n * k_count)
        .map(|ik| sector_income[ik] / income[ik / k_count])
        .collect();
    let transfers: Vec<f64> = (0..n)
        .map(|i| spending.expenditure[i] - income[i] - spending.revenue[i])
        .collect();
    let transfers_counterfactual =
        counterfactual_transfers(data, params, anchor, &flows, &transfers)?;
    Ok(Calibration {
        n,
        k: k_count,
        countries: data.countries.clone(),
        sectors: data.sectors.clone(),
        flows,
        tariffs,
        lambda: spending.lambda,
        beta: spending.beta,
        expenditure: spending.expenditure,
        income,
        sector_income,
        sector_share,
        transfers,
        transfers_counterfactual,
        revenue: spending.revenue,
        nu,
        phi,
        nu_two_region,
        anchor,
        params: params.clone(),
        tariffable: vec![true; k_count],
    })
}

/// φ_i by the φ rule of `params` (1 for every country in the Eaton–Kortum variant).
fn phi_of_nu(params: &Params, nu: &[f64]) -> Vec<f64> {
    if params.eaton_kortum {
        return vec![1.0; nu.len()];
    }
    match &params.phi {
        PhiRule::Uniform(v) => vec![*v; nu.len()],
        PhiRule::FromNu { shift, theta } => nu
            .iter()
            .map(|&v| shift + markup_wedge(v, *theta))
            .collect(),
    }
}

/// The GDP-weighted mean of φ_i that [`calibrate`] would set, without calibrating (φ does not
/// depend on ε). ILMS divide their gravity estimates of the tariff elasticity, which measure
/// ε·φ, by this mean to get the ε of each sector (their multi-sector code).
pub fn mean_phi(data: &Dataset, params: &Params) -> Result<f64, ModelError> {
    let gdp = data.gdp.as_ref().ok_or_else(|| {
        ModelError::InvalidInput("the mean φ is weighted by GDP: the data has none".into())
    })?;
    let anchor = data.country_index(&params.anchor);
    let (nu, _) = nu_of_data(data, params, anchor)?;
    let phi = phi_of_nu(params, &nu);
    let total: f64 = gdp.iter().sum();
    if !(total.is_finite() && total > 0.0) {
        return Err(ModelError::InvalidInput(format!(
            "the mean φ is weighted by GDP: the data's GDP sums to {total}"
        )));
    }
    Ok(phi.iter().zip(gdp).map(|(p, y)| p * y).sum::<f64>() / total)
}

/// ν per country, and the two-region pair (rest, anchor) when that rule was used.
type NuOfData = (Vec<f64>, Option<(f64, f64)>);

/// ν from the rule (§2.2: the two-region rule uses foreign flows and GDP).
fn nu_of_data(
    data: &Dataset,
    params: &Params,
    anchor: Option<usize>,
) -> Result<NuOfData, ModelError> {
    let n = data.n_countries();
    Ok(match &params.nu {
        NuRule::Uniform(v) => (vec![*v; n], None),
        NuRule::PerCountry(v) => (v.clone(), None),
        NuRule::TwoRegion { targets } => {
            let anchor = anchor.ok_or_else(|| {
                ModelError::InvalidInput(format!(
                    "the two-region ν rule needs the anchor country {} in the data",
                    params.anchor
                ))
            })?;
            let gdp = data.gdp.as_ref().ok_or_else(|| {
                ModelError::InvalidInput("the two-region ν rule needs GDP in the data".into())
            })?;
            let (rest, us) =
                two_region_nu(&data.flows, gdp, n, data.n_sectors(), anchor, *targets)?;
            let nu = (0..n)
                .map(|i| if i == anchor { us } else { rest })
                .collect();
            (nu, Some((rest, us)))
        }
    })
}

/// §2.3: build the domestic diagonal from GDP and the ν-adjusted deficit (one-sector data).
fn build_domestic_flows(data: &Dataset, nu: &[f64], flows: &mut [f64]) -> Result<(), ModelError> {
    if data.n_sectors() != 1 {
        return Err(ModelError::InvalidInput(
            "a dataset without domestic flows must have one sector; multi-sector data need the diagonal".into(),
        ));
    }
    let gdp = data.gdp.as_ref().ok_or_else(|| {
        ModelError::InvalidInput("a dataset without domestic flows needs GDP".into())
    })?;
    let n = data.n_countries();
    let mut x = PairsMut::new(data.shape(), flows);
    for i in 0..n {
        x.set(0, i, i, 0.0);
    }
    let imports: Vec<f64> = (0..n).map(|i| x.view().purchases(0, i).sum()).collect();
    let weighted_exports: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|d| (1.0 - nu[d]) * x.get(0, i, d)).sum())
        .collect();
    for i in 0..n {
        let transfer = (1.0 - nu[i]) * (imports[i] - weighted_exports[i]);
        let expenditure = gdp[i] + transfer;
        x.set(0, i, i, (expenditure - imports[i]).max(0.0));
    }
    Ok(())
}

/// Spending at the baseline: expenditure gross of tariffs, its shares, revenue.
struct Spending {
    /// E_i.
    expenditure: Vec<f64>,
    /// β_ik, layout `[i][k]`.
    beta: Vec<f64>,
    /// λ_jik.
    lambda: Vec<f64>,
    /// R⁰_i.
    revenue: Vec<f64>,
    /// Σ_o X_oik at producer prices, layout `[i][k]`.
    sales_into: Vec<f64>,
}

impl Spending {
    fn of(data: &Dataset, flows: &[f64], tariffs: &[f64]) -> Result<Spending, ModelError> {
        let (n, k_count) = (data.n_countries(), data.n_sectors());
        let shape = data.shape();
        let mut sector_expenditure = vec![0.0; n * k_count];
        let mut revenue = vec![0.0; n];
        let mut sales_into = vec![0.0; n * k_count];
        for k in 0..k_count {
            for j in 0..n {
                for i in 0..n {
                    let id = shape.at(k, j, i);
                    let (x, t) = (flows[id], tariffs[id]);
                    sector_expenditure[i * k_count + k] += x * (1.0 + t);
                    sales_into[i * k_count + k] += x;
                    revenue[i] += t * x;
                }
            }
        }
        let expenditure: Vec<f64> = (0..n)
            .map(|i| {
                (0..k_count)
                    .map(|k| sector_expenditure[i * k_count + k])
                    .sum()
            })
            .collect();
        for (i, &e) in expenditure.iter().enumerate() {
            if e <= 0.0 {
                return Err(ModelError::InvalidInput(format!(
                    "country {} has no expenditure after calibration",
                    data.countries[i]
                )));
            }
        }
        let beta = (0..n * k_count)
            .map(|ik| sector_expenditure[ik] / expenditure[ik / k_count])
            .collect();
        let mut lambda = vec![0.0; flows.len()];
        for k in 0..k_count {
            for j in 0..n {
                for i in 0..n {
                    let e = sector_expenditure[i * k_count + k];
                    if e > 0.0 {
                        let id = shape.at(k, j, i);
                        lambda[id] = flows[id] * (1.0 + tariffs[id]) / e;
                    }
                }
            }
        }
        Ok(Spending {
            expenditure,
            beta,
            lambda,
            revenue,
            sales_into,
        })
    }
}

/// Y_ik (layout `[i][k]`) and Y_i: sales net of the ν share, plus ν of purchases.
fn incomes(
    data: &Dataset,
    flows: &[f64],
    nu: &[f64],
    sales_into: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
    let (n, k_count) = (data.n_countries(), data.n_sectors());
    let x = Pairs::new(data.shape(), flows);
    let mut sector_income = vec![0.0; n * k_count];
    for k in 0..k_count {
        for j in 0..n {
            let mut sold: f64 = 0.0;
            for (d, &v) in x.sales(k, j).iter().enumerate() {
                sold += (1.0 - nu[d]) * v;
            }
            sector_income[j * k_count + k] = sold + nu[j] * sales_into[j * k_count + k];
        }
    }
    let income: Vec<f64> = (0..n)
        .map(|i| (0..k_count).map(|k| sector_income[i * k_count + k]).sum())
        .collect();
    for (i, &y) in income.iter().enumerate() {
        if y <= 0.0 {
            return Err(ModelError::InvalidInput(format!(
                "country {} has no income after calibration",
                data.countries[i]
            )));
        }
    }
    Ok((sector_income, income))
}

/// The transfers of counterfactuals under the deficit rule.
fn counterfactual_transfers(
    data: &Dataset,
    params: &Params,
    anchor: Option<usize>,
    flows: &[f64],
    transfers: &[f64],
) -> Result<Vec<f64>, ModelError> {
    let n = data.n_countries();
    Ok(match params.deficits {
        Deficits::FixedShareOfWorldGdp => transfers.to_vec(),
        Deficits::Balanced => vec![0.0; n],
        Deficits::BalancedWithAnchor => {
            let a = anchor.ok_or_else(|| {
                ModelError::InvalidInput(format!(
                    "the balanced-trade variant needs {} in the data",
                    params.anchor
                ))
            })?;
            // Every other country's transfer loses its bilateral imbalance with the anchor. The
            // anchor takes minus the sum of the others, so world transfers still sum to zero and
            // Walras' law holds (ILMS set it to 0, which leaves one income equation unsatisfiable).
            let x = Pairs::new(data.shape(), flows);
            let mut t: Vec<f64> = (0..n)
                .map(|i| {
                    if i == a {
                        return 0.0;
                    }
                    let bilateral_deficit: f64 = (0..data.n_sectors())
                        .map(|k| x.get(k, a, i) - x.get(k, i, a))
                        .sum();
                    transfers[i] - bilateral_deficit
                })
                .collect();
            t[a] = -t.iter().sum::<f64>();
            t
        }
    })
}

fn validate(data: &Dataset, params: &Params) -> Result<(), ModelError> {
    let n = data.n_countries();
    let k = data.n_sectors();
    if n < 2 {
        return Err(ModelError::InvalidInput(format!(
            "need at least 2 countries, got {n}"
        )));
    }
    if k < 1 {
        return Err(ModelError::InvalidInput("need at least one sector".into()));
    }
    if data.flows.len() != k * n * n || data.tariffs.len() != k * n * n {
        return Err(ModelError::InvalidInput(format!(
            "flows/tariffs must have K·N·N = {} entries, got {} and {}",
            k * n * n,
            data.flows.len(),
            data.tariffs.len()
        )));
    }
    if let Some(pos) = data.flows.iter().position(|x| !x.is_finite() || *x < 0.0) {
        return Err(ModelError::InvalidInput(format!(
            "flow #{pos} is negative or not finite: {}",
            data.flows[pos]
        )));
    }
    if let Some(pos) = data
        .tariffs
        .iter()
        .position(|t| !t.is_finite() || *t <= -1.0)
    {
        return Err(ModelError::InvalidInput(format!(
            "factual tariff #{pos} must be > −1, got {}",
            data.tariffs[pos]
        )));
    }
    if let Some(gdp) = &data.gdp {
        if gdp.len() != n || gdp.iter().any(|y| !y.is_finite() || *y <= 0.0) {
            return Err(ModelError::InvalidInput(
                "GDP must be positive and finite for every country".into(),
            ));
        }
    }
    if params.epsilon.is_empty() || (params.epsilon.len() != 1 && params.epsilon.len() != k) {
        return Err(ModelError::InvalidInput(format!(
            "ε needs 1 or K = {k} values, got {}",
            params.epsilon.len()
        )));
    }
    if params.epsilon.iter().any(|e| !e.is_finite() || *e <= 0.0) {
        return Err(ModelError::InvalidInput("ε must be positive".into()));
    }
    if !(params.kappa.is_finite() && params.kappa >= 0.0) {
        return Err(ModelError::InvalidInput("κ must be ≥ 0".into()));
    }
    if params.psi.is_empty()
        || (params.psi.len() != 1 && params.psi.len() != k)
        || params.psi.iter().any(|p| !p.is_finite() || *p < 0.0)
    {
        return Err(ModelError::InvalidInput(format!(
            "ψ needs 1 or K = {k} values, all ≥ 0"
        )));
    }
    if k > 1 {
        // With labour mobile across sectors, external scale economies with ψ_k ε_k ≥ 1 make
        // sector output self-reinforcing: the equilibrium is a corner or not unique.
        for s in 0..k {
            let product = params.psi_of(s) * params.epsilon_of(s);
            if product >= 1.0 {
                return Err(ModelError::InvalidInput(format!(
                    "scale economies too strong in sector {}: ψ·ε = {product:.3} ≥ 1 makes the multi-sector equilibrium indeterminate (use ψ_k = 0.67/ε_k)",
                    data.sectors[s]
                )));
            }
        }
    }
    if let NuRule::PerCountry(v) = &params.nu {
        if v.len() != n {
            return Err(ModelError::InvalidInput(format!(
                "ν needs {n} values, got {}",
                v.len()
            )));
        }
    }
    let nu_ok = |v: f64| (0.0..1.0).contains(&v);
    match &params.nu {
        NuRule::Uniform(v) if !nu_ok(*v) => {
            return Err(ModelError::InvalidInput(format!(
                "ν must be in [0,1), got {v}"
            )))
        }
        NuRule::PerCountry(v) if !v.iter().all(|x| nu_ok(*x)) => {
            return Err(ModelError::InvalidInput("ν must be in [0,1)".into()))
        }
        _ => {}
    }
    Ok(())
}

/// ILMS §2.2: solve for (ν_rest, ν_anchor) on the two-region aggregate by Newton's method.
fn two_region_nu(
    flows: &[f64],
    gdp: &[f64],
    n: usize,
    k_count: usize,
    anchor: usize,
    targets: (f64, f64),
) -> Result<(f64, f64), ModelError> {
    // Aggregate foreign flows into {rest = 0, anchor = 1} (the rest-rest block keeps intra-rest trade).
    let mut x = [[0.0f64; 2]; 2];
    for k in 0..k_count {
        for j in 0..n {
            for i in 0..n {
                if i == j {
                    continue;
                }
                let a = usize::from(j == anchor);
                let b = usize::from(i == anchor);
                x[a][b] += flows[(k * n + j) * n + i];
            }
        }
    }
    let y = [
        gdp.iter()
            .enumerate()
            .filter(|(i, _)| *i != anchor)
            .map(|(_, v)| v)
            .sum::<f64>(),
        gdp[anchor],
    ];
    let residual = |nu: [f64; 2]| -> [f64; 2] {
        let mut e = [0.0; 2];
        for r in 0..2 {
            let imports = x[0][r] + x[1][r];
            let weighted_exports = (1.0 - nu[0]) * x[r][0] + (1.0 - nu[1]) * x[r][1];
            e[r] = y[r] + (1.0 - nu[r]) * (imports - weighted_exports);
        }
        let r_rest = (e[0] - x[1][0]) / (e[0] - x[1][0] + x[0][1]);
        let r_us = (e[1] - x[0][1]) / (e[1] - x[0][1] + x[1][0]);
        [
            (1.0 - r_rest) * nu[1] + r_rest * nu[0] - targets.0,
            r_us * nu[1] + (1.0 - r_us) * nu[0] - targets.1,
        ]
    };
    let mut nu = [0.1, 0.24];
    for _ in 0..100 {
        let f = residual(nu);
        if f[0].abs().max(f[1].abs()) < 1e-15 {
            return Ok((nu[0].max(0.0), nu[1].max(0.0)));
        }
        let h = 1e-7;
        let f0 = residual([nu[0] + h, nu[1]]);
        let f1 = residual([nu[0], nu[1] + h]);
        let j = [
            [(f0[0] - f[0]) / h, (f1[0] - f[0]) / h],
            [(f0[1] - f[1]) / h, (f1[1] - f[1]) / h],
        ];
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        if det.abs() < 1e-300 || !det.is_finite() {
            break;
        }
        nu[0] -= (j[1][1] * f[0] - j[0][1] * f[1]) / det;
        nu[1] -= (-j[1][0] * f[0] + j[0][0] * f[1]) / det;
    }
    let f = residual(nu);
    if f[0].abs().max(f[1].abs()) < 1e-12 {
        Ok((nu[0].max(0.0), nu[1].max(0.0)))
    } else {
        Err(ModelError::InvalidInput(
            "the two-region ν calibration did not converge".into(),
        ))
    }
}
