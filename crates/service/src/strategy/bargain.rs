//! Trade talks: the disagreement point, the Pareto frontier, the Nash bargaining solution and the
//! Bagwell–Staiger check.
#[allow(unused_imports)]
use super::*;

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
                &NashOptions {
                    search: game.search(SearchOptions::default()),
                    ..NashOptions::default()
                },
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
                ServiceError::Model { cause, .. } => ServiceError::Model {
                    context: "the Nash war (disagreement point)".into(),
                    cause,
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
        search: game.search(SearchOptions::default()),
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
