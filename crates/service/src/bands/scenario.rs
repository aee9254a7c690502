//! Bands of a scenario run: every country's outcomes, the report groups' averages and the world
//! totals, each as its median and 90 % band (`simulate --draws`, `POST /scenarios` with `draws`,
//! the report's GE section).

use std::sync::Arc;

use reciprocity_model::ge;

use super::{DrawRequest, DrawSet, DrawSummary, Exec};
use crate::scenario::{run_scenario, scenario_params, ScenarioInput, ScenarioResult, World};
use crate::Result;

pub use super::Band;

/// One country's outcomes under the draws.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryBand {
    /// ISO3.
    pub iso3: String,
    /// Real income, % change.
    pub welfare_pct: Band,
    /// Trade deficit, % change.
    pub deficit_pct: Band,
    /// Exports/GDP, % change.
    pub exports_gdp_pct: Band,
    /// Imports/GDP, % change.
    pub imports_gdp_pct: Band,
    /// Employment, % change.
    pub employment_pct: Band,
    /// Price index vs world, % change.
    pub price_index_pct: Band,
    /// Tariff revenue as a share of income.
    pub revenue_share: Band,
    /// Real GDP (value added over the price index), % change.
    pub real_gdp_pct: Band,
}

/// A report group's averages under the draws.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupBand {
    /// The group.
    pub group: String,
    /// Welfare, % change.
    pub welfare_pct: Band,
    /// Trade deficit, % change.
    pub deficit_pct: Band,
    /// Exports/GDP, % change.
    pub exports_gdp_pct: Band,
    /// Imports/GDP, % change.
    pub imports_gdp_pct: Band,
    /// Employment, % change.
    pub employment_pct: Band,
    /// Price index vs world, % change.
    pub price_index_pct: Band,
}

/// A scenario's bands.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScenarioBands {
    /// The draws: how many, the seed, how many failed and why, what was drawn.
    #[cfg_attr(feature = "json", serde(flatten))]
    pub summary: DrawSummary,
    /// World trade/GDP, % change.
    pub world_trade_to_gdp_pct: Band,
    /// World employment, % change.
    pub world_employment_pct: Band,
    /// The report groups with members in the data.
    pub groups: Vec<GroupBand>,
    /// Every country, in the world's order.
    pub countries: Vec<CountryBand>,
}

/// Per country, in this order.
const COUNTRY_FIELDS: usize = 8;
/// Per group, in this order.
const GROUP_FIELDS: usize = 6;

/// A solved scenario's headline numbers, flat: the countries' (8 each), the groups' (6 each),
/// then world trade/GDP and world employment.
fn headline(r: &ScenarioResult) -> Vec<f64> {
    let mut v = Vec::new();
    for c in &r.outcomes.countries {
        v.extend([
            c.welfare_pct,
            c.deficit_pct,
            c.exports_gdp_pct,
            c.imports_gdp_pct,
            c.employment_pct,
            c.price_index_pct,
            c.revenue_share,
            c.real_gdp_pct,
        ]);
    }
    let out = &r.outcomes.countries;
    for (_, members) in groups(r) {
        let avg = |f: &dyn Fn(usize) -> f64| ge::group_average(&r.calibration, members, f);
        v.extend([
            avg(&|i| out[i].welfare_pct),
            avg(&|i| out[i].deficit_pct),
            avg(&|i| out[i].exports_gdp_pct),
            avg(&|i| out[i].imports_gdp_pct),
            avg(&|i| out[i].employment_pct),
            avg(&|i| out[i].price_index_pct),
        ]);
    }
    v.push(r.outcomes.world_trade_to_gdp_pct);
    v.push(r.outcomes.world_employment_pct);
    v
}

/// The report groups with members in the data (as `scenario_report::group_rows`).
fn groups(r: &ScenarioResult) -> impl Iterator<Item = &(String, Vec<usize>)> {
    r.groups.iter().filter(|(_, members)| !members.is_empty())
}

/// Solve `input` on `world` once per draw of `req` and band every headline number. `point` is
/// the run at the scenario's own parameters (for the group names and the layout).
pub fn scenario_bands(
    world: &World,
    input: &ScenarioInput,
    point: &ScenarioResult,
    req: &DrawRequest,
    exec: &Exec<'_>,
) -> Result<ScenarioBands> {
    req.check(super::MAX_DRAWS)?;
    let base = scenario_params(world, input)?;
    let set = super::run(&base, &world.data.sectors, req, exec, |params| {
        let cal = crate::scenario::calibrate(&world.data, &params)?;
        Ok(headline(&run_scenario(world, input, Arc::new(cal))?))
    })?;
    Ok(assemble(world, point, &set))
}

fn assemble(world: &World, point: &ScenarioResult, set: &DrawSet) -> ScenarioBands {
    let n = world.data.n_countries();
    let countries = (0..n)
        .map(|i| {
            let b = |f: usize| set.band(i * COUNTRY_FIELDS + f);
            CountryBand {
                iso3: world.data.countries[i].clone(),
                welfare_pct: b(0),
                deficit_pct: b(1),
                exports_gdp_pct: b(2),
                imports_gdp_pct: b(3),
                employment_pct: b(4),
                price_index_pct: b(5),
                revenue_share: b(6),
                real_gdp_pct: b(7),
            }
        })
        .collect();
    let groups: Vec<GroupBand> = groups(point)
        .enumerate()
        .map(|(g, (name, _))| {
            let b = |f: usize| set.band(n * COUNTRY_FIELDS + g * GROUP_FIELDS + f);
            GroupBand {
                group: name.clone(),
                welfare_pct: b(0),
                deficit_pct: b(1),
                exports_gdp_pct: b(2),
                imports_gdp_pct: b(3),
                employment_pct: b(4),
                price_index_pct: b(5),
            }
        })
        .collect();
    let world_at = n * COUNTRY_FIELDS + groups.len() * GROUP_FIELDS;
    ScenarioBands {
        summary: set.summary.clone(),
        world_trade_to_gdp_pct: set.band(world_at),
        world_employment_pct: set.band(world_at + 1),
        groups,
        countries,
    }
}
