//! Outputs by country and sector of a solved scenario (`simulate --by-sector`, the report's "The
//! US by sector"): one row per country x sector with output, value added, employment, the
//! producer price, exports and imports, as the model's equilibrium gives them
//! (`reciprocity_model::ge::sector_outcomes`; definitions in docs/sector-world.md, "Outputs by
//! sector"). On a one-sector world there is one row per country, its whole economy.

use reciprocity_model::ge;

use std::path::PathBuf;

use crate::scenario::{self, ScenarioInput, ScenarioResult, World};
use crate::Result;

/// What the sector rows measure, in one line (for the CLI's table and the report).
pub const DEFINITIONS: &str = "output: gross output at producer prices (sales to every buyer, \
the domestic diagonal included; on an ICIO world the node's gross output), in the world's units; \
real output: output over the sector's producer price; value added: the model's sector income \
(wage x sector employment); employment: the sector's workers (labour moves across sectors at one \
wage); producer price: the sector's unit cost with scale economies, against the world numéraire; \
exports and imports: foreign flows at producer prices, tariffs excluded";

/// One country's results in one sector (changes in %, NaN (JSON null) where the level before is zero).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorRow {
    /// The scenario's name.
    pub scenario: String,
    /// ISO3 (or the world's region code).
    pub iso3: String,
    /// The sector's code.
    pub sector: String,
    /// Gross output at producer prices before, in the world's units.
    pub output_before: f64,
    /// Gross output at producer prices after.
    pub output_after: f64,
    /// Gross output, % change.
    pub output_pct: f64,
    /// Gross output over the producer price, % change.
    pub real_output_pct: f64,
    /// Value added (the model's sector income), % change.
    pub value_added_pct: f64,
    /// Employment in the sector, % change.
    pub employment_pct: f64,
    /// The producer price against the world numéraire, % change.
    pub producer_price_pct: f64,
    /// Foreign exports before.
    pub exports_before: f64,
    /// Foreign exports after.
    pub exports_after: f64,
    /// Exports, % change.
    pub exports_pct: f64,
    /// Foreign imports before.
    pub imports_before: f64,
    /// Foreign imports after.
    pub imports_after: f64,
    /// Imports, % change.
    pub imports_pct: f64,
    /// The country's tariff on its imports of the sector before (%), weighted by imports before.
    pub tariff_before_pct: f64,
    /// The same after the scenario (%), with the same weights.
    pub tariff_after_pct: f64,
}

/// Every country x sector row of a solved scenario, countries in the world's order and sectors
/// within each country.
pub fn sector_rows(world: &World, r: &ScenarioResult) -> Vec<SectorRow> {
    let cal = &r.calibration;
    let outcomes = ge::sector_outcomes(cal, r.baseline.as_ref(), &r.equilibrium);
    let (flows, before, after) = (
        cal.flow_table(),
        cal.tariff_table(),
        cal.pairs(&r.equilibrium.tariffs),
    );
    // Import-weighted tariff of importer i on sector k.
    let tariff = |t: &reciprocity_model::pairs::Pairs, k: usize, i: usize| {
        let (mut sum, mut weight) = (0.0, 0.0);
        for j in (0..cal.n).filter(|&j| j != i) {
            sum += t.get(k, j, i) * flows.get(k, j, i);
            weight += flows.get(k, j, i);
        }
        match weight > 0.0 {
            true => 100.0 * sum / weight,
            false => 0.0,
        }
    };
    outcomes
        .iter()
        .enumerate()
        .map(|(ik, o)| SectorRow {
            tariff_before_pct: tariff(&before, ik % cal.k, ik / cal.k),
            tariff_after_pct: tariff(&after, ik % cal.k, ik / cal.k),
            scenario: r.name.clone(),
            iso3: world.data.countries[ik / cal.k].clone(),
            sector: world.data.sectors[ik % cal.k].clone(),
            output_before: o.output_before,
            output_after: o.output_after,
            output_pct: o.output_pct,
            real_output_pct: o.real_output_pct,
            value_added_pct: o.value_added_pct,
            employment_pct: o.employment_pct,
            producer_price_pct: o.producer_price_pct,
            exports_before: o.exports_before,
            exports_after: o.exports_after,
            exports_pct: o.exports_pct,
            imports_before: o.imports_before,
            imports_after: o.imports_after,
            imports_pct: o.imports_pct,
        })
        .collect()
}

/// One country's rows (`iso3` as the world spells it, any case); `None` when the world lacks it.
pub fn country_sector_rows(
    world: &World,
    r: &ScenarioResult,
    iso3: &str,
) -> Option<Vec<SectorRow>> {
    let i = world.data.country_index(iso3)?;
    let k = r.calibration.k;
    let mut rows = sector_rows(world, r);
    Some(rows.drain(i * k..(i + 1) * k).collect())
}

/// Solve the additional US tariffs in force on `date` (`tariffs_at`, every partner, the goods
/// sectors; ILMS preset, no retaliation) on `world`: the scenario of the report's "The US by
/// sector". The rates are added to the world's factual tariffs (`mode = "add"`): on a world with
/// the applied baseline of the end of 2024 they stack on the duties already in force, as the
/// measures themselves do; on a world at zero tariffs this is the same as setting them.
pub fn tariffs_in_force(world: &World, date: &str) -> Result<ScenarioResult> {
    let origin = format!("report: tariffs_at = \"{date}\"");
    let text = format!(
        "name = \"The US tariffs in force on {date}\"\n\
         [model]\npreset = \"ilms\"\n\
         [[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\ntariffs_at = \"{date}\"\nmode = \"add\"\n"
    );
    let input = ScenarioInput {
        path: PathBuf::from(&origin),
        file: reciprocity_scenario::parse(&text, &origin)?,
    };
    scenario::solve_scenario(world, &input)
}
