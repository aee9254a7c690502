//! A multi-sector world of today from the OECD ICIO 2022 (2025 release): 80 economies and a rest
//! of the world (ROW), aggregated to a sector map (docs/sector-world.md).
//!
//! Steps, each with its report ([`BuildReport`]):
//! 1. read the exact parts of ICIO in place (`icio2022/`) and check their identities;
//! 2. split each exporter-sector's final-plus-ROW sales across destinations by the destination's
//!    sourcing shares of intermediates, with destination final demand fit by NNLS ([`final_demand`]);
//! 3. re-balance each pair's goods trade to `fob_to_basic` × BACI 2023 (Census 2024 for the US
//!    imports), the exporter's domestic final sales absorbing the rest ([`rebalance`]);
//! 4. build ROW from the BACI pairs outside the 80 and WDI GDP (ILMS `countries.csv`);
//! 5. GDP = value added (gross output − intermediate purchases from the 80) for the 80;
//! 6. sum the 50 ICIO sectors into the sector map;
//! 7. baseline tariffs on every pair and sector, zero or applied ([`baseline`]).
//!
//! Source: OECD (2025), Inter-Country Input-Output Tables, 2025 edition, http://oe.cd/icio.

pub mod agreements;
pub mod baseline;
mod by_sector;
pub mod compact;
pub mod final_demand;
mod read;
pub mod rebalance;
mod row;
pub mod sectors;
mod validate;
mod write;

use std::path::{Path, PathBuf};

use reciprocity_model::Dataset;

pub use baseline::{AppliedBaseline, Baseline, TariffReport, UsPartner, UsTariffs};
pub use by_sector::{
    check_us_imports_by_sector, CensusBySector, SectorCorrelation, SectorValidation,
};
pub use final_demand::SectorFit;
pub use read::CensusPartner;
pub use rebalance::{Hub, RebalanceReport};
pub use row::RowReport;
pub use sectors::{SectorMap, DEFAULT_SECTORS, ICIO_SECTORS};
pub use validate::{PartnerCheck, Validation};
pub use write::write_world;

use crate::Error;

/// The ROW region's code in the built world.
pub const ROW: &str = "ROW";

/// The OECD attribution every output of the ICIO world carries.
pub const OECD_ATTRIBUTION: &str =
    "OECD (2025), Inter-Country Input-Output Tables, 2025 edition, http://oe.cd/icio";

/// The default FOB-to-basic-prices factor on BACI values (`icio2022/README.md`: "about 0.9 x BACI").
pub const FOB_TO_BASIC: f64 = 0.9;

/// Where the inputs are.
#[derive(Debug, Clone, PartialEq)]
pub struct IcioInputs {
    /// `icio2022/`.
    pub icio: PathBuf,
    /// `ilms2025/` (BACI 2023 `trade_cepii_long.csv`, WDI GDP `countries.csv`).
    pub baci: PathBuf,
    /// `us_trade_2024_by_country.csv` (Census 2024).
    pub census: PathBuf,
    /// Census 2024 US imports by partner and HS8 (`tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv`)
    /// and the HS6 → ISIC Rev. 4 concordance (`crosswalks/concordance_hs6_isic4.csv`): the sector
    /// mix of the US import column. Without them the column keeps the estimate's mix.
    pub census_by_sector: Option<(PathBuf, PathBuf)>,
    /// The sector map.
    pub sectors: SectorMap,
    /// The factor applied to BACI values (FOB to basic prices).
    pub fob_to_basic: f64,
    /// The baseline tariffs (zero, or applied with their inputs).
    pub baseline: Baseline,
}

impl IcioInputs {
    /// The inputs inside a `shared/data` folder, with the default sector map.
    pub fn from_shared(shared: &Path) -> IcioInputs {
        IcioInputs {
            icio: shared.join("icio2022"),
            baci: shared.join("ilms2025"),
            census: shared.join("us_trade_2024_by_country.csv"),
            census_by_sector: Some((
                shared.join("tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv"),
                shared.join("crosswalks/concordance_hs6_isic4.csv"),
            )),
            sectors: SectorMap::default_map(),
            fob_to_basic: FOB_TO_BASIC,
            baseline: Baseline::Zero,
        }
    }
}

/// What was read, and the identities of the exact parts.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadReport {
    /// Rows of `node_output_2022.csv` and of the bilateral file.
    pub icio_rows: (usize, usize),
    /// Rows of `trade_cepii_long.csv`.
    pub baci_rows: usize,
    /// Census country rows used, and aggregate rows skipped (world, regions, EU, ...).
    pub census_rows: (usize, usize),
    /// max |Σ_i Z_jis − interm_sales_80_js| / max(gross output, 1) over the 80 × 50 nodes (the
    /// cache capped two input columns: this bounds how well any build can reproduce gross output).
    pub interm_identity_error: f64,
    /// max |interm_sales_80 + final_and_row_sales − gross_output| / max(gross output, 1).
    pub output_identity_error: f64,
}

/// Rows or pairs left out of the built world, with counts and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// What was left out.
    pub what: String,
    /// How many.
    pub count: usize,
    /// Their value, million USD (0 when not a flow).
    pub value_musd: f64,
    /// Why.
    pub reason: String,
}

/// Everything the build did.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildReport {
    /// The inputs.
    pub inputs: IcioInputs,
    /// The assumptions the documents leave open, as applied.
    pub assumptions: Vec<String>,
    /// Step 1.
    pub read: ReadReport,
    /// Step 2: the NNLS fit of each ICIO sector.
    pub final_demand: Vec<SectorFit>,
    /// Step 3.
    pub rebalance: RebalanceReport,
    /// Step 4.
    pub row: RowReport,
    /// US value added (GDP) in the built world, million USD (README sanity: 25.15 tn).
    pub us_gdp_musd: f64,
    /// What was dropped.
    pub dropped: Vec<Dropped>,
    /// Checks of the result against ICIO, BACI and Census.
    pub validation: Validation,
    /// Census 2024 US imports by partner and ICIO sector, when the inputs had them.
    pub census_by_sector: Option<CensusBySector>,
    /// The US import column before the re-balancing, `[exporter][ICIO sector]` over the 80,
    /// million USD: what the by-sector check compares independently of Census.
    pub us_imports_before_rebalance: Vec<f64>,
    /// Step 7: the baseline tariffs.
    pub tariffs: TariffReport,
}

impl BuildReport {
    /// Σ_sectors Σ_j |A·D − F| / Σ F: the final-demand fit's overall residual, before the rows
    /// are closed.
    pub fn final_demand_residual(&self) -> f64 {
        let total: f64 = self.final_demand.iter().map(|f| f.final_sales).sum();
        let abs: f64 = self
            .final_demand
            .iter()
            .map(|f| f.relative_residual * f.final_sales)
            .sum();
        if total > 0.0 {
            abs / total
        } else {
            0.0
        }
    }

    /// The median over sectors of each sector's median relative row error.
    pub fn final_demand_median_error(&self) -> f64 {
        let mut m: Vec<f64> = self
            .final_demand
            .iter()
            .map(|f| f.median_relative_error)
            .collect();
        m.sort_by(f64::total_cmp);
        m.get(m.len() / 2).copied().unwrap_or(0.0)
    }
}

/// The working arrays, ICIO sectors × (80 + ROW)²: intermediate sales `z` (exact, 0 for ROW) and
/// final-plus-ROW sales `fd` (estimated), indexed `(s · n + j) · n + i`, ROW last.
pub(crate) struct Work {
    pub n: usize,
    pub ns: usize,
    pub z: Vec<f64>,
    pub fd: Vec<f64>,
    pub goods: Vec<bool>,
}

impl Work {
    #[inline]
    pub fn idx(&self, s: usize, j: usize, i: usize) -> usize {
        (s * self.n + j) * self.n + i
    }

    /// Σ over goods sectors of `a[s, j, i]`.
    pub fn pair_goods(&self, a: &[f64], j: usize, i: usize) -> f64 {
        (0..self.ns)
            .filter(|&s| self.goods[s])
            .map(|s| a[self.idx(s, j, i)])
            .sum()
    }

    /// Total sales X = z + fd at (s, j, i).
    pub fn x(&self, s: usize, j: usize, i: usize) -> f64 {
        let k = self.idx(s, j, i);
        self.z[k] + self.fd[k]
    }
}

/// Build the world (see the module docs). Flows and GDP in million USD, domestic flows included.
pub fn build_icio_world(inputs: &IcioInputs) -> Result<(Dataset, BuildReport), Error> {
    let icio = read::read_icio(&inputs.icio)?;
    let (baci, baci_rows) = read::read_baci(&inputs.baci.join("trade_cepii_long.csv"))?;
    let wdi = read::read_gdp(&inputs.baci.join("countries.csv"))?;
    let (census, census_aggregates) = read::read_census(&inputs.census)?;
    let n80 = icio.countries.len();
    let ns = ICIO_SECTORS.len();
    let n = n80 + 1;

    let (interm_err, output_err) = input_identities(&icio);
    let read_report = ReadReport {
        icio_rows: icio.rows_read,
        baci_rows,
        census_rows: (census.len(), census_aggregates),
        interm_identity_error: interm_err,
        output_identity_error: output_err,
    };

    // Step 2: final demand by destination, per ICIO sector.
    let mut w = Work {
        n,
        ns,
        z: vec![0.0; ns * n * n],
        fd: vec![0.0; ns * n * n],
        goods: ICIO_SECTORS.iter().map(|c| sectors::is_goods(c)).collect(),
    };
    let mut fits = Vec::with_capacity(ns);
    for (s, code) in ICIO_SECTORS.iter().enumerate() {
        let z80 = &icio.interm[s * n80 * n80..(s + 1) * n80 * n80];
        let f: Vec<f64> = (0..n80).map(|j| icio.final_and_row[j * ns + s]).collect();
        let (fd, fit) = final_demand::split_final_demand(code, z80, &f);
        for j in 0..n80 {
            for i in 0..n80 {
                let k = w.idx(s, j, i);
                w.z[k] = z80[j * n80 + i];
                w.fd[k] = fd[j * n80 + i];
            }
        }
        fits.push(fit);
    }

    // Steps 3 and 4: targets, re-balancing, ROW.
    let plan = row::plan_targets(&icio.countries, &baci, &census, &wdi, inputs.fob_to_basic)?;
    let census_by_sector = match &inputs.census_by_sector {
        Some((hs8, concordance)) => Some(CensusBySector::read(hs8, concordance)?),
        None => None,
    };
    let us_by_sector: Vec<Option<Vec<f64>>> = icio
        .countries
        .iter()
        .map(|c| census_by_sector.as_ref()?.by_partner.get(c).cloned())
        .collect();
    let us_imports_before_rebalance = us_column(&w, &icio.countries);
    let rebalance = rebalance::rebalance(
        &mut w,
        &icio.countries,
        &plan.targets,
        &plan.exports_to_row,
        &us_by_sector,
    );
    let gdp80 = value_added(&icio);
    let row_report = row::fill_row(&mut w, &plan, &gdp80)?;
    let mut gdp = gdp80;
    gdp.push(plan.row_gdp_musd);
    if let Some(bad) = gdp.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
        return Err(Error::Invalid(format!(
            "value added of {} is {} (gross output less intermediate purchases): expected > 0",
            icio.countries.get(bad).map_or(ROW, |c| c.as_str()),
            gdp[bad]
        )));
    }

    // Step 6: aggregate to the sector map.
    let mut countries = icio.countries.clone();
    countries.push(ROW.to_string());
    let mut ds = aggregate(&w, &countries, &inputs.sectors);
    ds.gdp = Some(gdp);
    ds.has_domestic_flows = true;
    ds.units = "million USD".to_string();
    ds.columns.insert(
        "us_tariff_liberation_day".to_string(),
        plan.liberation_day.clone(),
    );
    // Step 7: baseline tariffs.
    let fob = inputs.fob_to_basic;
    let tariffs = match &inputs.baseline {
        Baseline::Zero => TariffReport::zero(),
        Baseline::Applied(b) => {
            let (t, report) = baseline::compute(&w, &countries, &baci, &plan.row_members, b, fob)?;
            baseline::aggregate_into(&w, &t, &inputs.sectors, &mut ds);
            report
        }
    };

    let us_gdp_musd = ds
        .country_index("USA")
        .and_then(|u| ds.gdp.as_ref().map(|g| g[u]))
        .unwrap_or(0.0);
    let validation = validate::validate(&w, &icio, &countries, &census, &baci, inputs.fob_to_basic);
    let report = BuildReport {
        inputs: inputs.clone(),
        assumptions: assumptions(inputs.fob_to_basic, &inputs.baseline),
        read: read_report,
        final_demand: fits,
        rebalance,
        row: row_report,
        us_gdp_musd,
        dropped: plan.dropped.clone(),
        validation,
        census_by_sector,
        us_imports_before_rebalance,
        tariffs,
    };
    Ok((ds, report))
}

/// Step 5: value added of the 80 = gross output − intermediate purchases from the 80 (A8).
fn value_added(icio: &read::IcioTables) -> Vec<f64> {
    let (n80, ns) = (icio.countries.len(), ICIO_SECTORS.len());
    (0..n80)
        .map(|j| {
            let go: f64 = (0..ns).map(|s| icio.gross_output[j * ns + s]).sum();
            let bought: f64 = (0..ns)
                .map(|s| {
                    (0..n80)
                        .map(|o| icio.interm[(s * n80 + o) * n80 + j])
                        .sum::<f64>()
                })
                .sum();
            go - bought
        })
        .collect()
}

/// The US import column `[exporter][ICIO sector]` (intermediate + final), million USD.
fn us_column(w: &Work, countries: &[String]) -> Vec<f64> {
    let Some(us) = countries.iter().position(|c| c == "USA") else {
        return Vec::new();
    };
    let mut out = vec![0.0; countries.len() * w.ns];
    for j in (0..countries.len()).filter(|&j| j != us) {
        for s in 0..w.ns {
            out[j * w.ns + s] = w.x(s, j, us);
        }
    }
    out
}

/// The input's own identities, as max errors relative to max(gross output, 1): Σ bilateral vs
/// `interm_sales_80`, and `interm_sales_80 + final_and_row_sales` vs `gross_output`.
fn input_identities(icio: &read::IcioTables) -> (f64, f64) {
    let n80 = icio.countries.len();
    let ns = ICIO_SECTORS.len();
    let mut interm_err = 0.0_f64;
    let mut output_err = 0.0_f64;
    for j in 0..n80 {
        for s in 0..ns {
            let go = icio.gross_output[j * ns + s];
            let sold: f64 = (0..n80).map(|i| icio.interm[(s * n80 + j) * n80 + i]).sum();
            let i80 = icio.interm_sales_80[j * ns + s];
            let denom = go.max(1.0);
            interm_err = interm_err.max((sold - i80).abs() / denom);
            output_err = output_err.max((i80 + icio.final_and_row[j * ns + s] - go).abs() / denom);
        }
    }
    (interm_err, output_err)
}

/// Sum the ICIO sectors of `w` into the map's sectors: the dataset's flows and country names.
fn aggregate(w: &Work, countries: &[String], map: &SectorMap) -> Dataset {
    let name = format!(
        "ICIO 2022 world, 80 economies + ROW x {} sectors ({})",
        map.sectors.len(),
        map.source
    );
    let mut ds = Dataset::zeros(&name, countries.to_vec(), map.sectors.clone());
    let mut flows = ds.flow_table_mut();
    for s in 0..w.ns {
        let k = map.of_icio[s];
        for j in 0..w.n {
            for i in 0..w.n {
                *flows.get_mut(k, j, i) += w.x(s, j, i);
            }
        }
    }
    ds.country_names = countries
        .iter()
        .map(|c| match crate::registry::country(c) {
            Some(x) => x.name.clone(),
            None if c == ROW => "Rest of the world".to_string(),
            None => c.clone(),
        })
        .collect();
    ds
}

/// The named assumptions of the method, as applied.
pub fn assumptions(fob_to_basic: f64, baseline: &Baseline) -> Vec<String> {
    let mut out: Vec<String> = vec![
        "A1 final demand: a destination sources its final purchases of a sector from the same exporters, in the same proportions, as its intermediate purchases of that sector (icio2022/README.md route)".into(),
        format!("A2 valuation: BACI 2023 pair values (FOB) x {fob_to_basic} approximate basic prices (icio2022/README.md: about 0.9 x BACI); Census 2024 general imports (customs value) are taken at face value for the US import column, by partner and, where the Census HS8 file has the partner (51 partners; EU members only as the EU aggregate, so they keep the estimate's mix), by sector: HS8 mapped to ICIO sectors by the HS6-ISIC concordance, each sector's final goods filling the gap between its Census share and ICIO's intermediates, scaled to the partner total"),
        "A3 goods = ICIO sections A, B, C; only goods are re-balanced; services keep the sourcing-share estimate".into(),
        "A4 where an exporter-sector's final sales cannot carry its targets (re-export hubs), its exports are scaled down, the Census-targeted US column last, and the missing pair totals are carried by the exporter's other goods sectors in proportion to their remaining domestic final sales (the US column first); what still cannot be placed is reported as a hub shortfall".into(),
        "A5 exports of the 80 to ROW are split across goods sectors like the exporter's goods exports to the 80; imports from ROW like the importer's goods imports from the 80".into(),
        "A6 ROW trades no services with the 80 (BACI has none); pairs with an economy outside BACI (TWN, STP) keep the ICIO-based estimate, and their trade with ROW is 0".into(),
        "A7 ROW domestic sales by sector = ROW GDP x (the 80's domestic sales of the sector / the 80's value added)".into(),
        "A8 GDP of the 80 = gross output - intermediate purchases from the 80 (purchases from ROW are not in the data); ROW GDP = WDI GDP of the BACI countries outside the 80".into(),
        "A9 us_tariff_liberation_day: the April 2, 2025 rates (China 34 + 20); ROW gets the BACI-import-weighted mean of its members' rates".into(),
    ];
    out.extend(baseline::assumptions(baseline));
    out
}

/// Build and write in one go: the world folder at `out` (atomic), with its README.
pub fn build_and_write(inputs: &IcioInputs, out: &Path) -> Result<(Dataset, BuildReport), Error> {
    let (ds, report) = build_icio_world(inputs)?;
    write_world(&ds, &report, out)?;
    Ok((ds, report))
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A report with nothing in it, for tests of the writer.
    pub fn empty_report() -> BuildReport {
        BuildReport {
            inputs: IcioInputs::from_shared(Path::new("shared")),
            assumptions: assumptions(FOB_TO_BASIC, &Baseline::Zero),
            read: ReadReport {
                icio_rows: (0, 0),
                baci_rows: 0,
                census_rows: (0, 0),
                interm_identity_error: 0.0,
                output_identity_error: 0.0,
            },
            final_demand: Vec::new(),
            rebalance: RebalanceReport::default(),
            row: RowReport::default(),
            us_gdp_musd: 0.0,
            dropped: Vec::new(),
            validation: Validation {
                gross_output_max_relative_error: 0.0,
                sales_identity_max_relative_error: 0.0,
                min_flow: 0.0,
                us_imports_top20: Vec::new(),
                us_exports_top20: Vec::new(),
                baci_pairs_built_musd: 0.0,
                baci_pairs_target_musd: 0.0,
                baci_pairs_raw_musd: 0.0,
                world_goods_trade_musd: 0.0,
                baci_world_musd: 0.0,
                us_imports_total_musd: (0.0, 0.0),
            },
            census_by_sector: None,
            us_imports_before_rebalance: Vec::new(),
            tariffs: TariffReport::zero(),
        }
    }
}
