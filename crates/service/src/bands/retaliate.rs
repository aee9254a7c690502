//! Bands of a retaliation analysis: each rule's headline (the target's and the retaliators'
//! welfare, world trade) and every country's welfare under each rule, as medians and 90 % bands
//! (`strategy retaliate --draws`, `POST /strategy/retaliate` with `draws`).

use reciprocity_model::ge::{self, Revenue};
use reciprocity_scenario::ScenarioFile;

use super::{Band, DrawRequest, DrawSummary, Exec};
use crate::scenario::World;
use crate::strategy::{self, Game, RetaliateRequest, RetaliateResult};
use crate::{Result, ServiceError};

/// One rule's headline under the draws.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleBand {
    /// The rule.
    pub rule: String,
    /// The target's welfare change, %.
    pub target_welfare_pct: Band,
    /// The retaliators' expenditure-weighted welfare change, %.
    pub retaliators_welfare_pct: Band,
    /// World trade-to-GDP, % change.
    pub world_trade_to_gdp_pct: Band,
}

/// One country's welfare under one rule, under the draws.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryRuleBand {
    /// The rule.
    pub rule: String,
    /// The country.
    pub iso3: String,
    /// Its welfare change, %.
    pub welfare_pct: Band,
}

/// A retaliation analysis's bands.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetaliationBands {
    /// The draws: how many, the seed, how many failed and why, what was drawn.
    #[cfg_attr(feature = "json", serde(flatten))]
    pub summary: DrawSummary,
    /// One per rule, in the analysis's order.
    pub rules: Vec<RuleBand>,
    /// Every country under every rule (rule by rule, countries in the world's order).
    pub countries: Vec<CountryRuleBand>,
}

/// Where a retaliation analysis starts: the scenario file (or the defaults) and its origin.
pub struct RetaliationSetup<'a> {
    /// The world.
    pub world: &'a World,
    /// The scenario file ([`strategy::scenario_file`]).
    pub file: &'a ScenarioFile,
    /// Where it came from.
    pub origin: &'a str,
    /// Whether a scenario file set the start.
    pub from_scenario: bool,
    /// The revenue closure override, if any.
    pub revenue: Option<Revenue>,
}

fn headline(cal: &ge::Calibration, r: &RetaliateResult) -> Vec<f64> {
    let mut v = Vec::new();
    for s in r.summaries(cal) {
        v.extend([
            s.target_welfare_pct,
            s.retaliators_welfare_pct,
            s.world_trade_to_gdp_pct,
        ]);
    }
    for c in &r.cases {
        v.extend(c.outcomes.countries.iter().map(|o| o.welfare_pct));
    }
    v
}

/// Run the retaliation analysis `request` once per draw of `req` and band its headline numbers.
/// `rules` are the rules of the run at the point estimate, in order.
pub fn retaliation_bands(
    setup: &RetaliationSetup<'_>,
    request: &RetaliateRequest,
    rules: &[String],
    req: &DrawRequest,
    exec: &Exec<'_>,
) -> Result<RetaliationBands> {
    req.check(super::MAX_DRAWS)?;
    let world = setup.world;
    let base = strategy::params(world, setup.file, setup.origin, setup.revenue)?;
    let set = super::run(&base, &world.data.sectors, req, exec, |params| {
        let mut cal = crate::scenario::calibrate(&world.data, &params)?;
        strategy::goods_only(world, &mut cal);
        let start = strategy::start(world, &cal, setup.file, setup.origin, setup.from_scenario)?;
        let game = Game::new(world, &cal, &start).stoppable(&exec.stop);
        let r = strategy::retaliate(game, request)?;
        if r.cases.len() != rules.len() {
            return Err(ServiceError::Refused(format!(
                "the draw gave {} rules, the point estimate {}",
                r.cases.len(),
                rules.len()
            )));
        }
        Ok(headline(&cal, &r))
    })?;
    let n = world.data.n_countries();
    let bands_of_rules = rules
        .iter()
        .enumerate()
        .map(|(c, rule)| RuleBand {
            rule: rule.clone(),
            target_welfare_pct: set.band(3 * c),
            retaliators_welfare_pct: set.band(3 * c + 1),
            world_trade_to_gdp_pct: set.band(3 * c + 2),
        })
        .collect();
    let countries = rules
        .iter()
        .enumerate()
        .flat_map(|(c, rule)| {
            let set = &set;
            (0..n).map(move |i| CountryRuleBand {
                rule: rule.clone(),
                iso3: world.data.countries[i].clone(),
                welfare_pct: set.band(3 * rules.len() + c * n + i),
            })
        })
        .collect();
    Ok(RetaliationBands {
        summary: set.summary,
        rules: bands_of_rules,
        countries,
    })
}
