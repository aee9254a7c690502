//! Strategy on the GE engine (MODEL.md §7), shared by `reciprocity strategy ...` and the server's
//! `/strategy/*` routes: the calibrated world with its starting tariffs ([`Setup`], [`Game`]),
//! players by ISO3 code or bloc ([`player`]), a country's optimal tariffs ([`optimal`]), its
//! tariffs met by retaliation ([`retaliate`]) and trade talks by Nash bargaining ([`bargain`]).
//!
//! No rendering: the CLI prints the results, the server serialises them. Progress is reported
//! through callbacks.

use std::path::Path;

use reciprocity_model::ge::{self, Calibration, Outcomes, Params, Revenue};
use reciprocity_model::retaliation::{self, Rule};
use reciprocity_model::strategy::{
    self, apply_controls, closed_form_at, player_welfare, BargainOptions, BargainResult,
    BestResponse, Control, Deal, Denominator, Instrument, NashOptions, NashProgress, Player,
    Reciprocity, SearchOptions, StrategyError,
};
use reciprocity_scenario::{ScenarioFile, TariffLayer};
use serde::Serialize;

use crate::scenario::{self, World};
use crate::{Result, ServiceError};

/// The scenario file of the factual tariffs under the ILMS preset (no scenario given).
pub fn default_scenario() -> Result<ScenarioFile> {
    Ok(reciprocity_scenario::parse("", "defaults")?)
}

/// The model parameters of `file` (read from `origin`) on `world`, with the revenue recycling
/// overridden when `revenue` is given.
pub fn params(
    world: &World,
    file: &ScenarioFile,
    origin: &str,
    revenue: Option<Revenue>,
) -> Result<Params> {
    let mut params: Params = file.params(&world.data, origin)?;
    if let Some(r) = revenue {
        params.revenue = r;
    }
    Ok(params)
}

/// Where a strategy starts: everyone's tariffs before the player moves.
#[derive(Debug, Clone)]
pub struct Start {
    /// The tariffs (the model's layout).
    pub tariffs: Vec<f64>,
    /// Where they came from (for output): "the factual tariffs" or "scenario NAME".
    pub label: String,
    /// Notes from resolving the scenario.
    pub notes: Vec<String>,
    /// Whether a scenario file set them (else: the factual tariffs).
    pub from_scenario: bool,
}

/// Resolve the starting tariffs of `file` (a user's scenario when `from_scenario`, else
/// [`default_scenario`]) on a calibrated world.
pub fn start(
    world: &World,
    cal: &Calibration,
    file: &ScenarioFile,
    origin: &str,
    from_scenario: bool,
) -> Result<Start> {
    let resolved = scenario::resolve(&world.data, cal, file, origin)?;
    Ok(Start {
        label: match from_scenario {
            true => format!("scenario {}", resolved.name),
            false => origin.to_string(),
        },
        tariffs: resolved.tariffs,
        notes: resolved.notes,
        from_scenario,
    })
}

/// A calibrated world with its starting tariffs (owned: the CLI's).
pub struct Setup {
    /// The data.
    pub world: World,
    /// The calibration.
    pub cal: Calibration,
    /// Starting tariffs: the scenario's, or the factual ones.
    pub start: Vec<f64>,
    /// Where the start came from (for output).
    pub start_label: String,
    /// Notes from resolving the scenario.
    pub notes: Vec<String>,
    /// Whether a scenario file set the start.
    pub from_scenario: bool,
}

impl Setup {
    /// The borrowed view the use cases take.
    pub fn game(&self) -> Game<'_> {
        Game {
            world: &self.world,
            cal: &self.cal,
            start: &self.start,
            start_label: &self.start_label,
            notes: &self.notes,
            from_scenario: self.from_scenario,
        }
    }
}

/// What the strategy use cases run on: a world, its calibration and the starting tariffs.
#[derive(Clone, Copy)]
pub struct Game<'a> {
    /// The data.
    pub world: &'a World,
    /// The calibration.
    pub cal: &'a Calibration,
    /// Starting tariffs.
    pub start: &'a [f64],
    /// Where the start came from.
    pub start_label: &'a str,
    /// Notes from resolving the scenario.
    pub notes: &'a [String],
    /// Whether a scenario file set the start.
    pub from_scenario: bool,
}

impl<'a> Game<'a> {
    /// A game on a world already calibrated (the server's cached calibration), from `start`.
    pub fn new(world: &'a World, cal: &'a Calibration, start: &'a Start) -> Game<'a> {
        Game {
            world,
            cal,
            start: &start.tariffs,
            start_label: &start.label,
            notes: &start.notes,
            from_scenario: start.from_scenario,
        }
    }
}

/// Load the scenario (one file) or the defaults, calibrate `world` and resolve the start.
pub fn setup_on(
    world: World,
    scenario_path: Option<&Path>,
    revenue: Option<Revenue>,
) -> Result<Setup> {
    let (file, origin) = match scenario_path {
        Some(path) => {
            let mut inputs = scenario::read_scenarios(path)?;
            if inputs.len() != 1 {
                return Err(ServiceError::bad_input(format!(
                    "{}: expected one scenario file, found a directory of {}",
                    path.display(),
                    inputs.len()
                )));
            }
            let input = inputs.remove(0);
            (input.file, input.path.display().to_string())
        }
        None => (default_scenario()?, "the factual tariffs".to_string()),
    };
    let params = params(&world, &file, &origin, revenue)?;
    let cal = ge::calibrate(&world.data, &params)
        .map_err(|e| ServiceError::bad_input(format!("calibration: {e}")))?;
    let s = start(&world, &cal, &file, &origin, scenario_path.is_some())?;
    Ok(Setup {
        world,
        cal,
        start: s.tariffs,
        start_label: s.label,
        notes: s.notes,
        from_scenario: s.from_scenario,
    })
}

/// A strategy error: ill-posed input is the user's (400, exit 2); a failed solve is the model's;
/// no optimum or no convergence is a refusal (422).
pub fn strategy_error(e: StrategyError) -> ServiceError {
    match e {
        StrategyError::InvalidInput(m) => ServiceError::bad_input(m),
        StrategyError::Model(source) => ServiceError::Model {
            context: String::new(),
            source,
        },
        other => ServiceError::Refused(other.to_string()),
    }
}

fn model_error(context: &str) -> impl Fn(ge::ModelError) -> ServiceError + '_ {
    move |source| ServiceError::Model {
        context: context.to_string(),
        source,
    }
}

/// Name the request field a bad-input error is about (`country: expected ...`).
fn field(name: &'static str) -> impl Fn(ServiceError) -> ServiceError {
    move |e| match e {
        ServiceError::BadInput {
            field: Some(inner),
            message,
        } => ServiceError::bad_field(name, format!("{inner}: {message}")),
        ServiceError::BadInput {
            field: None,
            message,
        } => ServiceError::bad_field(name, message),
        other => other,
    }
}

/// Resolve one player name: an ISO3 code of the data (any case), or a group (the dataset's,
/// EU27, ...) as a bloc.
pub fn player(cal: &Calibration, world: &World, name: &str) -> Result<Player> {
    let name = name.trim();
    let upper = name.to_ascii_uppercase();
    if let Some(i) = world
        .data
        .country_index(name)
        .or_else(|| world.data.country_index(&upper))
    {
        return Ok(Player::country(cal, i));
    }
    let codes: Option<Vec<String>> = world.data.groups.get(name).cloned().or_else(|| {
        reciprocity_data::registry::group(name).map(|g| g.into_iter().map(str::to_string).collect())
    });
    match codes {
        Some(codes) => {
            let members: Vec<usize> = codes
                .iter()
                .filter_map(|c| world.data.country_index(c))
                .collect();
            if members.is_empty() {
                return Err(ServiceError::bad_input(format!(
                    "group {name}: none of its members is in the data"
                )));
            }
            Ok(Player {
                name: name.to_string(),
                members,
            })
        }
        None => Err(ServiceError::bad_input(format!(
            "expected an ISO3 code of the data or a group (EU27, EU25, ...), found \"{name}\"{}",
            if world.data.n_countries() <= 20 {
                format!(" (the data have: {})", world.data.countries.join(", "))
            } else {
                String::new()
            }
        ))),
    }
}

/// A list of players (empty names skipped; at least one).
pub fn players<S: AsRef<str>>(
    cal: &Calibration,
    world: &World,
    names: &[S],
) -> Result<Vec<Player>> {
    let out: Vec<Player> = names
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| !s.trim().is_empty())
        .map(|s| player(cal, world, s))
        .collect::<Result<_>>()?;
    if out.is_empty() {
        return Err(ServiceError::bad_input("expected at least one player"));
    }
    Ok(out)
}

/// Import-weighted mean of `rates` over `controls` (plain mean when nothing is imported).
pub fn weighted_mean(controls: &[Control], rates: &[f64]) -> f64 {
    let w: Vec<f64> = controls
        .iter()
        .map(|c| c.weights.iter().sum::<f64>())
        .collect();
    let total: f64 = w.iter().sum();
    if total > 0.0 {
        rates.iter().zip(&w).map(|(r, w)| r * w).sum::<f64>() / total
    } else {
        rates.iter().sum::<f64>() / rates.len().max(1) as f64
    }
}

// ---------------------------------------------------------------------------------------------
// Optimal tariffs

/// A request for a player's optimal tariffs, everyone else's held at the start.
#[derive(Debug, Clone)]
pub struct OptimalRequest {
    /// The country (ISO3) or bloc choosing its tariffs.
    pub country: String,
    /// One uniform rate, one per partner, or one per sector.
    pub instrument: Instrument,
    /// Highest tariff the search considers (a fraction: 5 = 500%).
    pub max_rate: f64,
}

/// A player's optimal tariffs.
pub struct OptimalResult {
    /// The player.
    pub player: Player,
    /// The ILMS closed form, expenditure denominator (fraction); None where undefined.
    pub closed_form_expenditure: Option<f64>,
    /// The closed form, income denominator.
    pub closed_form_income: Option<f64>,
    /// The player's welfare (%) at the closed-form uniform rate; None when undefined or out of
    /// the model's domain.
    pub welfare_at_closed_form_pct: Option<f64>,
    /// The player's welfare (%) at the start.
    pub welfare_at_start_pct: f64,
    /// The numerical best response.
    pub best_response: BestResponse,
    /// Import weight of each control.
    pub weights: Vec<f64>,
    /// Sum of the weights.
    pub total_weight: f64,
    /// The import-weighted mean of the optimal rates (fraction).
    pub uniform_equivalent: f64,
}

/// A player's optimal tariffs: the closed form of MODEL.md §7 (at the start's equilibrium when
/// the start is not factual), the welfare it gives, and the numerical best response.
pub fn optimal(game: Game<'_>, req: &OptimalRequest) -> Result<OptimalResult> {
    let cal = game.cal;
    if !(req.max_rate > 0.0 && req.max_rate.is_finite()) {
        return Err(ServiceError::bad_field(
            "max_rate",
            format!("expected a positive fraction, found {}", req.max_rate),
        ));
    }
    if req.instrument == Instrument::BySector && cal.k == 1 {
        return Err(ServiceError::bad_field(
            "by",
            format!(
                "sector needs data with sectors; the data ({}) have one",
                game.world.source
            ),
        ));
    }
    let player = player(cal, game.world, &req.country).map_err(field("country"))?;
    let solver = ge::SolverOptions::default();
    let at_start =
        ge::solve(cal, game.start, &solver).map_err(model_error("solving the starting point"))?;
    let start_out = ge::outcomes(cal, &at_start);
    let factual = game.start == cal.tariffs.as_slice();
    let eq_for_cf = if factual { None } else { Some(&at_start) };
    let cf_e = closed_form_at(cal, eq_for_cf, &player.members, Denominator::Expenditure).ok();
    let cf_y = closed_form_at(cal, eq_for_cf, &player.members, Denominator::Income).ok();
    let welfare_cf = cf_e.and_then(|t| {
        let (ctrls, _) = strategy::controls(cal, &player, Instrument::Uniform);
        let mut tariffs = game.start.to_vec();
        apply_controls(&ctrls, &[t], &mut tariffs);
        // None when the closed-form rate lies outside the model's domain (no equilibrium).
        ge::solve(cal, &tariffs, &solver)
            .ok()
            .map(|eq| player_welfare(cal, &ge::outcomes(cal, &eq), &player.members))
    });
    let options = SearchOptions {
        upper: req.max_rate,
        ..SearchOptions::default()
    };
    let br = strategy::best_response(cal, game.start, &player, req.instrument, None, &options)
        .map_err(strategy_error)?;
    let weights: Vec<f64> = br
        .controls
        .iter()
        .map(|c| c.weights.iter().sum::<f64>())
        .collect();
    let total: f64 = weights.iter().sum();
    let equivalent = weighted_mean(&br.controls, &br.rates);
    Ok(OptimalResult {
        welfare_at_start_pct: player_welfare(cal, &start_out, &player.members),
        player,
        closed_form_expenditure: cf_e,
        closed_form_income: cf_y,
        welfare_at_closed_form_pct: welfare_cf,
        best_response: br,
        weights,
        total_weight: total,
        uniform_equivalent: equivalent,
    })
}

// ---------------------------------------------------------------------------------------------
// Retaliation

/// The aggressor's tariffs in a retaliation analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggressorTariff {
    /// The closed-form optimal uniform tariff (expenditure denominator).
    Optimal,
    /// Its numerical uniform optimum.
    Numerical,
    /// The April 2, 2025 rates, floor 10% (US only).
    LiberationDay,
    /// As the scenario sets them.
    Scenario,
    /// A uniform rate (fraction).
    Uniform(f64),
}

/// One retaliation rule applied and solved.
pub struct Case {
    /// "none", "reciprocal", "optimal", "explicit".
    pub rule: String,
    /// What it does.
    pub description: String,
    /// The tariffs.
    pub tariffs: Vec<f64>,
    /// The outcomes.
    pub outcomes: Outcomes,
}

/// No retaliation, reciprocal mirror and the two-region optimal rate, by `retaliators` against
/// `target`, on top of the tariffs `base`.
pub fn standard_cases(
    cal: &Calibration,
    target: usize,
    base: &[f64],
    retaliators: &[usize],
) -> Result<Vec<Case>> {
    let solver = ge::SolverOptions::default();
    let solve = |t: &[f64], what: &str| -> Result<Outcomes> {
        let eq = ge::solve(cal, t, &solver).map_err(model_error(what))?;
        Ok(ge::outcomes(cal, &eq))
    };
    let mut cases = vec![Case {
        rule: "none".into(),
        description: "no retaliation".into(),
        outcomes: solve(base, "solving the case without retaliation")?,
        tariffs: base.to_vec(),
    }];
    let sectors = retaliation::all_sectors(cal);
    let mut mirror = base.to_vec();
    retaliation::retaliate(
        cal,
        &mut mirror,
        target,
        retaliators,
        &sectors,
        Rule::Mirror,
    );
    cases.push(Case {
        rule: "reciprocal".into(),
        description: "each retaliator mirrors the rate it faces".into(),
        outcomes: solve(&mirror, "solving reciprocal retaliation")?,
        tariffs: mirror,
    });
    let r_opt = strategy::optimal_retaliation_rate(cal, target)
        .map_err(|e| ServiceError::Refused(e.to_string()))?;
    let mut optimal = base.to_vec();
    retaliation::retaliate(
        cal,
        &mut optimal,
        target,
        retaliators,
        &sectors,
        Rule::Rate(r_opt),
    );
    cases.push(Case {
        rule: "optimal".into(),
        description: format!(
            "two-region optimal retaliation rate {}% (MODEL.md §7)",
            rate(r_opt)
        ),
        outcomes: solve(&optimal, "solving optimal retaliation")?,
        tariffs: optimal,
    });
    Ok(cases)
}

/// A rate (fraction) as a percent with two decimals (as in the descriptions).
fn rate(v: f64) -> String {
    format!("{:.2}", 100.0 * v)
}

pub use reciprocity_model::retaliation::bilateral_rate;

/// The aggressor's tariffs on top of the start, and a label.
pub fn aggressor_tariffs(
    game: Game<'_>,
    target: usize,
    which: AggressorTariff,
) -> Result<(Vec<f64>, String)> {
    let cal = game.cal;
    let me = Player::country(cal, target);
    let (ctrls, _) = strategy::controls(cal, &me, Instrument::Uniform);
    let mut t = game.start.to_vec();
    let label = match which {
        AggressorTariff::Scenario => {
            if game.start == cal.tariffs.as_slice() {
                return Err(ServiceError::bad_field(
                    "tariff",
                    "\"scenario\" needs a starting scenario file (scenario)",
                ));
            }
            format!("as in {}", game.start_label)
        }
        AggressorTariff::Optimal => {
            let r = closed_form_at(cal, None, &[target], Denominator::Expenditure)
                .map_err(strategy_error)?;
            apply_controls(&ctrls, &[r], &mut t);
            format!("closed-form optimal uniform tariff {}%", rate(r))
        }
        AggressorTariff::Numerical => {
            let br = strategy::best_response(
                cal,
                game.start,
                &me,
                Instrument::Uniform,
                None,
                &SearchOptions::default(),
            )
            .map_err(strategy_error)?;
            t = br.tariffs;
            format!("numerical optimal uniform tariff {}%", rate(br.rates[0]))
        }
        AggressorTariff::LiberationDay => {
            if cal.countries[target] != "USA" {
                return Err(ServiceError::bad_field(
                    "tariff",
                    format!(
                        "liberation-day: the April 2, 2025 rates are US tariffs, not {}'s",
                        cal.countries[target]
                    ),
                ));
            }
            let (rates, source) = liberation_day(game.world, cal)?;
            for k in 0..cal.k {
                for j in (0..cal.n).filter(|&j| j != target) {
                    let id = cal.index(k, j, target);
                    t[id] = rates[id];
                }
            }
            source.aggressor_label().to_string()
        }
        AggressorTariff::Uniform(r) => {
            if !(r.is_finite() && r > -1.0 && r <= 100.0) {
                return Err(ServiceError::bad_field(
                    "tariff",
                    format!("expected a fraction in (−1, 100], found {r}"),
                ));
            }
            apply_controls(&ctrls, &[r], &mut t);
            format!("uniform tariff {}%", rate(r))
        }
    };
    Ok((t, label))
}

/// A retaliation analysis.
#[derive(Debug, Clone)]
pub struct RetaliateRequest {
    /// The country retaliated against (ISO3).
    pub country: String,
    /// Its tariffs.
    pub tariff: AggressorTariff,
    /// The retaliators (ISO3 codes or groups); None: every other country.
    pub by: Option<Vec<String>>,
    /// Explicit partner-specific rates (player, fraction): adds an "explicit" case.
    pub rates: Vec<(String, f64)>,
}

/// The outcomes under each retaliation rule.
pub struct RetaliateResult {
    /// The target's index.
    pub target: usize,
    /// What the target's tariffs are.
    pub tariffs_label: String,
    /// The retaliators' indices (sorted).
    pub retaliators: Vec<usize>,
    /// One case per rule: none, reciprocal, optimal, then explicit when rates were given.
    pub cases: Vec<Case>,
}

/// One country under one rule (the target's own rows have NaN rates).
#[derive(Debug, Clone, Serialize)]
pub struct RetaliationRow {
    /// The rule.
    pub rule: String,
    /// The country.
    pub iso3: String,
    /// The rate it levies on the target (%).
    pub rate_on_target_pct: f64,
    /// The rate the target levies on it (%).
    pub target_rate_on_it_pct: f64,
    /// Its welfare change (%).
    pub welfare_pct: f64,
}

/// One rule's headline.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    /// The rule.
    pub rule: String,
    /// What it does.
    pub description: String,
    /// The target's welfare change (%).
    pub target_welfare_pct: f64,
    /// The retaliators' expenditure-weighted welfare change (%).
    pub retaliators_welfare_pct: f64,
    /// World trade-to-GDP, % change.
    pub world_trade_to_gdp_pct: f64,
}

/// The target's tariffs met by each retaliation rule.
pub fn retaliate(game: Game<'_>, req: &RetaliateRequest) -> Result<RetaliateResult> {
    let cal = game.cal;
    let target = game
        .world
        .data
        .country_index(req.country.trim())
        .ok_or_else(|| {
            ServiceError::bad_field("country", format!("\"{}\" is not in the data", req.country))
        })?;
    let (base, label) = aggressor_tariffs(game, target, req.tariff)?;
    let retaliators: Vec<usize> = match &req.by {
        Some(list) => {
            let mut v: Vec<usize> = players(cal, game.world, list)
                .map_err(field("by"))?
                .into_iter()
                .flat_map(|p| p.members)
                .collect();
            v.retain(|&i| i != target);
            v.sort_unstable();
            v.dedup();
            v
        }
        None => (0..cal.n).filter(|&i| i != target).collect(),
    };
    if retaliators.is_empty() {
        return Err(ServiceError::bad_field(
            "by",
            "no retaliator left besides the target",
        ));
    }
    let mut cases = standard_cases(cal, target, &base, &retaliators)?;
    if !req.rates.is_empty() {
        let sectors = retaliation::all_sectors(cal);
        let mut explicit = base.clone();
        let mut parts = Vec::new();
        for (name, r) in &req.rates {
            let r = *r;
            if !(r.is_finite() && r > -1.0 && r <= 100.0) {
                return Err(ServiceError::bad_field(
                    "rates",
                    format!("{name}: expected a fraction in (−1, 100], found {r}"),
                ));
            }
            let who = player(cal, game.world, name).map_err(field("rates"))?;
            retaliation::retaliate(
                cal,
                &mut explicit,
                target,
                &who.members,
                &sectors,
                Rule::Rate(r),
            );
            parts.push(format!("{} {}%", who.name, rate(r)));
        }
        let eq = ge::solve(cal, &explicit, &ge::SolverOptions::default())
            .map_err(model_error("solving explicit retaliation"))?;
        cases.push(Case {
            rule: "explicit".into(),
            description: parts.join(", "),
            outcomes: ge::outcomes(cal, &eq),
            tariffs: explicit,
        });
    }
    Ok(RetaliateResult {
        target,
        tariffs_label: label,
        retaliators,
        cases,
    })
}

impl RetaliateResult {
    /// Every country but the target under every rule, then the target under every rule.
    pub fn rows(&self, cal: &Calibration) -> Vec<RetaliationRow> {
        let target = self.target;
        self.cases
            .iter()
            .flat_map(|c| {
                (0..cal.n)
                    .filter(move |&i| i != target)
                    .map(move |i| RetaliationRow {
                        rule: c.rule.clone(),
                        iso3: cal.countries[i].clone(),
                        rate_on_target_pct: 100.0 * bilateral_rate(cal, &c.tariffs, target, i),
                        target_rate_on_it_pct: 100.0 * bilateral_rate(cal, &c.tariffs, i, target),
                        welfare_pct: c.outcomes.countries[i].welfare_pct,
                    })
            })
            .chain(self.cases.iter().map(|c| RetaliationRow {
                rule: c.rule.clone(),
                iso3: cal.countries[target].clone(),
                rate_on_target_pct: f64::NAN,
                target_rate_on_it_pct: f64::NAN,
                welfare_pct: c.outcomes.countries[target].welfare_pct,
            }))
            .collect()
    }

    /// One headline per rule.
    pub fn summaries(&self, cal: &Calibration) -> Vec<RuleSummary> {
        self.cases
            .iter()
            .map(|c| RuleSummary {
                rule: c.rule.clone(),
                description: c.description.clone(),
                target_welfare_pct: c.outcomes.countries[self.target].welfare_pct,
                retaliators_welfare_pct: ge::group_average(cal, &self.retaliators, |i| {
                    c.outcomes.countries[i].welfare_pct
                }),
                world_trade_to_gdp_pct: c.outcomes.world_trade_to_gdp_pct,
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Bargaining

/// The disagreement point of the talks.
#[derive(Debug, Clone, PartialEq)]
pub enum Threat {
    /// No deal: the scenario's tariffs (without a scenario: the US's Liberation Day rates
    /// mirrored by the partner when home is the US, else the factual tariffs).
    NoDeal,
    /// The Nash tariff war among these players (None: every country).
    War(Option<Vec<String>>),
}

impl Threat {
    /// The revenue recycling the talks need: the war exists under the lump-sum rebate (as
    /// `strategy nash`), so it is the default there.
    pub fn revenue(&self, asked: Option<Revenue>) -> Option<Revenue> {
        match self {
            Threat::War(_) if asked.is_none() => Some(Revenue::LumpSum),
            _ => asked,
        }
    }
}

/// Trade talks between `home` and `partner`.
#[derive(Debug, Clone)]
pub struct BargainRequest {
    /// Home (ISO3 or bloc).
    pub home: String,
    /// The partner (ISO3 or bloc).
    pub partner: String,
    /// The disagreement point.
    pub threat: Threat,
    /// Home's bargaining weight in (0, 1).
    pub weight: f64,
    /// One rate per side ([`Instrument::Uniform`]) or one per sector.
    pub instrument: Instrument,
    /// Points on the Pareto frontier (at least 2).
    pub points: usize,
}

/// A deal in percent.
#[derive(Debug, Clone, Serialize)]
pub struct DealSummary {
    /// Home's rates on the partner, one per control (%).
    pub home_rates_pct: Vec<f64>,
    /// The partner's rates on home (%).
    pub partner_rates_pct: Vec<f64>,
    /// Home's welfare change (%).
    pub home_welfare_pct: f64,
    /// The partner's welfare change (%).
    pub partner_welfare_pct: f64,
}

/// The Bagwell–Staiger check of the solution.
#[derive(Debug, Clone, Serialize)]
pub struct ReciprocitySummary {
    /// Home's bilateral terms of trade change (%).
    pub terms_of_trade_pct: f64,
    /// Gap of the import-volume changes, % of bilateral trade.
    pub imbalance_pct: f64,
    /// Home's import-volume change at fixed world prices.
    pub home_import_change: f64,
    /// The partner's.
    pub partner_import_change: f64,
    /// Whether the deal is reciprocal (within tolerance).
    pub reciprocal: bool,
    /// The partner's rate (%) that would make home's side of the deal reciprocal.
    pub reciprocal_partner_rate_pct: Option<f64>,
}

/// One point of the Pareto frontier.
#[derive(Debug, Clone, Serialize)]
pub struct FrontierRow {
    /// The weight ω of home's welfare.
    pub omega: f64,
    /// Home's import-weighted rate on the partner (%).
    pub home_rate_pct: f64,
    /// The partner's rate on home (%).
    pub partner_rate_pct: f64,
    /// Home's welfare change (%).
    pub home_welfare_pct: f64,
    /// The partner's welfare change (%).
    pub partner_welfare_pct: f64,
    /// Home's gain over the disagreement point (points).
    pub home_gain: f64,
    /// The partner's gain.
    pub partner_gain: f64,
}

/// The talks' summary (serialised as is by `strategy bargain --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct BargainSummary {
    /// The world.
    pub world: String,
    /// Home.
    pub home: String,
    /// The partner.
    pub partner: String,
    /// The disagreement point.
    pub threat: String,
    /// Home's weight.
    pub weight: f64,
    /// The controls (one per side, or per sector).
    pub controls: Vec<String>,
    /// The disagreement point.
    pub disagreement: DealSummary,
    /// The Nash bargaining solution.
    pub solution: DealSummary,
    /// Home's gain at the solution (points).
    pub home_gain: f64,
    /// The partner's gain.
    pub partner_gain: f64,
    /// The log Nash product at the solution.
    pub log_nash_product: f64,
    /// The Bagwell–Staiger check.
    pub reciprocity: ReciprocitySummary,
    /// Equilibrium solves.
    pub solves: usize,
    /// The Pareto frontier.
    pub frontier: Vec<FrontierRow>,
}

/// The talks solved.
pub struct BargainOutcome {
    /// The model's result.
    pub result: BargainResult,
    /// The Bagwell–Staiger measure of the solution against the disagreement point.
    pub reciprocity: Reciprocity,
    /// The partner's rate making home's side reciprocal (fraction), if any in [0, 500%].
    pub reciprocal_partner_rate: Option<f64>,
    /// The summary.
    pub summary: BargainSummary,
}

/// Where the Liberation Day rates of a world come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiberationDaySource {
    /// The dataset's `us_tariff_liberation_day` column (the ILMS data).
    Column,
    /// The embedded April 2, 2025 chart.
    Chart,
}

impl LiberationDaySource {
    /// As the retaliation analysis labels the aggressor's tariffs.
    pub fn aggressor_label(self) -> &'static str {
        match self {
            LiberationDaySource::Column => {
                "Liberation Day rates (the data's us_tariff_liberation_day column, floor 10%)"
            }
            LiberationDaySource::Chart => {
                "Liberation Day rates (embedded April 2, 2025 chart, floor 10%)"
            }
        }
    }

    /// The source in a sentence (the no-deal label of trade talks).
    pub fn phrase(self) -> &'static str {
        match self {
            LiberationDaySource::Column => "the data's us_tariff_liberation_day column",
            LiberationDaySource::Chart => "the embedded April 2, 2025 chart",
        }
    }
}

/// The factual tariffs with the US rates of April 2, 2025 on everyone, floor 10%: the one
/// resolution of the Liberation Day rates, from the dataset's `us_tariff_liberation_day` column
/// when it has one, else from the embedded chart (a scenario layer, resolved as a file's).
pub fn liberation_day(world: &World, cal: &Calibration) -> Result<(Vec<f64>, LiberationDaySource)> {
    let source = match world.data.columns.contains_key("us_tariff_liberation_day") {
        true => LiberationDaySource::Column,
        false => LiberationDaySource::Chart,
    };
    let (column, official) = match source {
        LiberationDaySource::Column => (Some("us_tariff_liberation_day".to_string()), None),
        LiberationDaySource::Chart => (None, Some("2025-04-02".to_string())),
    };
    let file = ScenarioFile {
        name: None,
        description: None,
        model: Default::default(),
        tariffs: vec![TariffLayer {
            importers: vec!["USA".into()],
            exporters: vec!["all".into()],
            exclude: Vec::new(),
            sectors: None,
            rate: None,
            column,
            official,
            optimal: None,
            tariffs_at: None,
            floor: Some(0.10),
            mode: None,
        }],
        retaliation: Vec::new(),
        report_groups: Vec::new(),
    };
    let resolved = scenario::resolve(&world.data, cal, &file, "liberation-day")?;
    Ok((resolved.tariffs, source))
}

/// The no-deal point without a scenario: for the US, its Liberation Day rates mirrored by the partner.
fn default_nodeal(game: Game<'_>, home: &Player, partner: &Player) -> Result<(Vec<f64>, String)> {
    let cal = game.cal;
    if home.members.len() == 1 && cal.countries[home.members[0]] == "USA" {
        let us = home.members[0];
        let (mut t, source) = liberation_day(game.world, cal)?;
        let sectors = retaliation::all_sectors(cal);
        retaliation::retaliate(cal, &mut t, us, &partner.members, &sectors, Rule::Mirror);
        Ok((
            t,
            format!(
                "no deal: US Liberation Day rates ({}, floor 10%) on everyone, mirrored by {}",
                source.phrase(),
                partner.name
            ),
        ))
    } else {
        Ok((
            cal.tariffs.clone(),
            "no deal: the factual tariffs".to_string(),
        ))
    }
}

/// The disagreement point's tariffs and label. `progress` follows the war's best responses.
pub fn threat_point(
    game: Game<'_>,
    threat: &Threat,
    home: &Player,
    partner: &Player,
    progress: &(dyn Fn(&NashProgress) + Sync),
) -> Result<(Vec<f64>, String)> {
    match threat {
        Threat::NoDeal if game.from_scenario => Ok((
            game.start.to_vec(),
            format!("no deal: {}", game.start_label),
        )),
        Threat::NoDeal => default_nodeal(game, home, partner),
        Threat::War(list) => {
            let players: Vec<Player> = match list {
                Some(list) => players(game.cal, game.world, list).map_err(field("war_players"))?,
                None => (0..game.cal.n)
                    .map(|i| Player::country(game.cal, i))
                    .collect(),
            };
            let war = strategy::nash(
                game.cal,
                game.start,
                &players,
                &NashOptions::default(),
                progress,
            )
            .map_err(|e| match strategy_error(e) {
                ServiceError::Refused(m) => {
                    ServiceError::Refused(format!("the Nash war (disagreement point): {m}"))
                }
                ServiceError::BadInput { field, message } => ServiceError::BadInput {
                    field,
                    message: format!("the Nash war (disagreement point): {message}"),
                },
                ServiceError::Model { source, .. } => ServiceError::Model {
                    context: "the Nash war (disagreement point)".into(),
                    source,
                },
                other => other,
            })?;
            Ok((
                war.tariffs,
                format!(
                    "the Nash war among {} players ({} rounds, residual {:.1e})",
                    players.len(),
                    war.rounds,
                    war.residual
                ),
            ))
        }
    }
}

/// Trade talks: the disagreement point, the Pareto frontier, the Nash bargaining solution and the
/// Bagwell–Staiger check. `war_progress` follows the war when the threat is the war; `on_bargain`
/// is called once the disagreement point is known, before the (long) bargaining search.
pub fn bargain(
    game: Game<'_>,
    req: &BargainRequest,
    war_progress: &(dyn Fn(&NashProgress) + Sync),
    on_bargain: &dyn Fn(&Player, &Player),
) -> Result<BargainOutcome> {
    let cal = game.cal;
    if !(req.weight > 0.0 && req.weight < 1.0) {
        return Err(ServiceError::bad_field(
            "weight",
            format!("expected a number in (0, 1), found {}", req.weight),
        ));
    }
    if req.points < 2 {
        return Err(ServiceError::bad_field(
            "points",
            format!("expected at least 2, found {}", req.points),
        ));
    }
    match req.instrument {
        Instrument::ByPartner => {
            return Err(ServiceError::bad_field(
                "by",
                "talks are over one rate per side or one per sector",
            ))
        }
        Instrument::BySector if cal.k == 1 => {
            return Err(ServiceError::bad_field(
                "by",
                format!(
                    "sector needs data with sectors; the data ({}) have one",
                    game.world.source
                ),
            ))
        }
        _ => {}
    }
    let home = player(cal, game.world, &req.home).map_err(field("country"))?;
    let partner = player(cal, game.world, &req.partner).map_err(field("partner"))?;
    let (threat, threat_label) = threat_point(game, &req.threat, &home, &partner, war_progress)?;
    let options = BargainOptions {
        instrument: req.instrument,
        weight: req.weight,
        frontier_points: req.points,
        ..BargainOptions::default()
    };
    on_bargain(&home, &partner);
    let r = strategy::bargain(cal, &threat, &home, &partner, &options).map_err(strategy_error)?;
    let recip = strategy::reciprocity(
        cal,
        &r.disagreement_equilibrium,
        &r.solution_equilibrium,
        &home.members,
        &partner.members,
    );
    // The partner's rate that would make home's side of the deal reciprocal.
    let mut home_side = threat.clone();
    apply_controls(&r.home_controls, &r.solution.home_rates, &mut home_side);
    let reciprocal_rate = strategy::reciprocal_partner_rate(
        cal,
        &home_side,
        &r.disagreement_equilibrium,
        &home,
        &partner,
        0.0,
        5.0,
        &ge::SolverOptions::default(),
    )
    .map_err(strategy_error)?;
    let summary = summary(game, &r, &threat_label, req.weight, &recip, reciprocal_rate);
    Ok(BargainOutcome {
        result: r,
        reciprocity: recip,
        reciprocal_partner_rate: reciprocal_rate,
        summary,
    })
}

fn deal_summary(d: &Deal) -> DealSummary {
    DealSummary {
        home_rates_pct: d.home_rates.iter().map(|r| 100.0 * r).collect(),
        partner_rates_pct: d.partner_rates.iter().map(|r| 100.0 * r).collect(),
        home_welfare_pct: d.home_welfare_pct,
        partner_welfare_pct: d.partner_welfare_pct,
    }
}

fn summary(
    game: Game<'_>,
    r: &BargainResult,
    threat: &str,
    weight: f64,
    recip: &Reciprocity,
    reciprocal_rate: Option<f64>,
) -> BargainSummary {
    let d = &r.disagreement;
    BargainSummary {
        world: game.world.source.clone(),
        home: r.home.name.clone(),
        partner: r.partner.name.clone(),
        threat: threat.to_string(),
        weight,
        controls: r.home_controls.iter().map(|c| c.label.clone()).collect(),
        disagreement: deal_summary(d),
        solution: deal_summary(&r.solution),
        home_gain: r.solution.home_gain(d),
        partner_gain: r.solution.partner_gain(d),
        log_nash_product: r.log_nash_product,
        reciprocity: ReciprocitySummary {
            terms_of_trade_pct: recip.terms_of_trade_pct,
            imbalance_pct: recip.imbalance_pct,
            home_import_change: recip.home_import_change,
            partner_import_change: recip.partner_import_change,
            reciprocal: recip.reciprocal,
            reciprocal_partner_rate_pct: reciprocal_rate.map(|v| 100.0 * v),
        },
        solves: r.solves,
        frontier: r
            .frontier
            .iter()
            .map(|f| FrontierRow {
                omega: f.weight,
                home_rate_pct: 100.0 * weighted_mean(&r.home_controls, &f.home_rates),
                partner_rate_pct: 100.0 * weighted_mean(&r.partner_controls, &f.partner_rates),
                home_welfare_pct: f.home_welfare_pct,
                partner_welfare_pct: f.partner_welfare_pct,
                home_gain: f.home_gain(d),
                partner_gain: f.partner_gain(d),
            })
            .collect(),
    }
}
