//! The agent simulation of a pause round (docs/negotiations.md §Simulation).
//!
//! Day 0 is the start of the pause; on day `days` the suspended rates snap back for every partner
//! without a deal. The behavioural rules are deliberately simple and every random draw is made up
//! front from one seeded [`SplitMix64`], so a seed gives one run whatever the thread count:
//!
//! 1. **Stake.** Each partner's stake is its welfare gain, against no deal, from the US keeping only
//!    the baseline rate on its goods with nothing given in return (one GE solve per partner).
//! 2. **Engagement.** A partner with a positive stake requests talks with probability
//!    `p = min_engage + (1 − min_engage)·stake/(stake + engage_half·median stake)`, on a day drawn
//!    uniformly in the request window. The others decline (logged at the end of the window).
//! 3. **Offers.** Every `round_days` (drawn per round) the partner tables offer k: it cuts its own
//!    tariff on US goods by `c_k = min(1, first_cut + k·step)`, asks the US for the rate
//!    `baseline + (snap − baseline)·min(1, k·step)`, and from offer 1 on commits to buy
//!    `min(max_purchase, purchase_step·k)` more US goods than at no deal. `step` is drawn per
//!    partner (tough partners concede slowly). When less than a round is left, the partner jumps
//!    two offers ahead (deadline pressure). A partner never tables an offer that leaves it worse
//!    off than no deal: it repeats its last acceptable offer as *final*, or leaves the talks.
//! 4. **US response.** The US accepts an offer when its objective (welfare, trade deficit,
//!    protected sectors; [`UsObjective`]) is at least as high as at no deal. Otherwise it finds
//!    its reservation rate r* (objective gain 0 given the partner's concessions; regula falsi
//!    between the ask and the snap-back rate, at most 6 solves) and counters with
//!    `r* + us_split·(snap − r*)`; when even the snap-back rate leaves its objective below no
//!    deal, it rejects.
//! 5. **Partner response.** The partner accepts a counter that beats its no-deal welfare. A
//!    refused final offer stalls the talks until the pause ends.
//! 6. **Deals.** An accepted offer or counter is a framework: its rates enter the reference world
//!    (re-solved that day) against which later offers are scored. A framework becomes an agreement
//!    and then is implemented after delays drawn up front (if inside the horizon).
//!
//! Every offer and counter is scored with [`crate::score::evaluate`], warm-started from the
//! reference; the offers of one day are scored in parallel against the reference of that morning.

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::event::{Event, EventKind};
use crate::proposal::{usd, PurchaseCommitment, Scope, Side, TariffLine, Terms};
use crate::rng::SplitMix64;
use crate::score::{evaluate, Evaluation, Partner, Reference, Score, ScoreError, World};
use crate::talk::State;

mod compare;
mod round;

pub use compare::{compare, Agreement, Comparison, ComparisonRow, HistoricalDeal};
use round::{play_round, Offer, Outcome, Played, RoundCtx};

/// What the US maximises when it weighs an offer (each term against no deal).
#[derive(Debug, Clone, PartialEq)]
pub struct UsObjective {
    /// Weight on US welfare (% change).
    pub welfare: f64,
    /// Weight on the fall of the US total trade deficit (% of its no-deal value).
    pub deficit: f64,
    /// Weights on US output (% change) of protected sectors: (sector index, weight).
    pub protect: Vec<(usize, f64)>,
}

impl Default for UsObjective {
    fn default() -> Self {
        UsObjective {
            welfare: 1.0,
            deficit: 0.0,
            protect: Vec::new(),
        }
    }
}

impl UsObjective {
    /// The objective's gain of a deal over no deal.
    pub fn gain(&self, s: &Score) -> f64 {
        self.welfare * s.us_welfare_pct - self.deficit * s.us_deficit_change_pct
            + self
                .protect
                .iter()
                .map(|(k, w)| w * s.us_output_pct.get(*k).copied().unwrap_or(0.0))
                .sum::<f64>()
    }
}

/// The behavioural parameters (defaults documented in docs/negotiations.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// The rate in force during the pause and the lowest the US grants, percent.
    pub baseline_pct: f64,
    /// Partners request talks within this many days.
    pub request_window_days: u32,
    /// Days between a partner's offers: drawn uniformly in this range for every round.
    pub round_days: (u32, u32),
    /// The first offer's cut of the partner's own tariff on US goods (fraction).
    pub first_cut: f64,
    /// Concession per offer, drawn uniformly per partner in this range.
    pub step: (f64, f64),
    /// Extra purchases per offer from offer 2 on (fraction of no-deal US exports to the partner).
    pub purchase_step: f64,
    /// The most extra purchases offered (fraction).
    pub max_purchase: f64,
    /// Where the US counter puts the rate, from its reservation rate (0) to the snap-back rate (1).
    pub us_split: f64,
    /// The engagement probability of a partner with a tiny stake.
    pub min_engage: f64,
    /// The stake (as a multiple of the median stake) at which the engagement probability is
    /// half-way between `min_engage` and 1.
    pub engage_half: f64,
    /// Days from framework to agreement, drawn uniformly in this range.
    pub to_agreement_days: (u32, u32),
    /// Days from agreement to implementation, drawn uniformly in this range.
    pub to_implementation_days: (u32, u32),
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            baseline_pct: 10.0,
            request_window_days: 30,
            round_days: (7, 21),
            first_cut: 0.25,
            step: (0.10, 0.35),
            purchase_step: 0.05,
            max_purchase: 0.30,
            us_split: 0.5,
            min_engage: 0.2,
            engage_half: 0.25,
            to_agreement_days: (20, 60),
            to_implementation_days: (10, 40),
        }
    }
}

/// A partner in the round with the rates that snap back on it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimPartner {
    /// The partner.
    pub partner: Partner,
    /// The headline additional US rate at the end of the pause without a deal, percent.
    pub snap_back_pct: f64,
    /// The same per sector of the world, percent (sector measures included where the world has sectors).
    pub snap_back_by_sector_pct: Vec<f64>,
}

/// The settings of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// First day of the pause.
    pub start: NaiveDate,
    /// Its length: the rates snap back on `start + days`.
    pub days: u32,
    /// The seed.
    pub seed: u64,
    /// The US objective.
    pub objective: UsObjective,
    /// Behaviour.
    pub rules: Rules,
}

/// A deal reached in the round.
#[derive(Debug, Clone, PartialEq)]
pub struct SimDeal {
    /// Day of the framework.
    pub day: u32,
    /// The headline US rate agreed, percent.
    pub us_rate_pct: f64,
    /// The partner's tariff cut on US goods (fraction of its factual tariff).
    pub partner_cut: f64,
    /// Extra purchases committed (fraction of no-deal US exports), 0 when none.
    pub purchase_share: f64,
    /// Who tabled the accepted terms.
    pub tabled_by: Side,
    /// The terms.
    pub terms: Terms,
    /// Its score against the reference of that day.
    pub score: Score,
    /// Day the agreement was reached, if inside the horizon.
    pub agreement_day: Option<u32>,
    /// Day it was implemented, if inside the horizon.
    pub implemented_day: Option<u32>,
}

/// One partner's talk in the round.
#[derive(Debug, Clone, PartialEq)]
pub struct SimTalk {
    /// The partner.
    pub partner: SimPartner,
    /// Its stake (welfare gain of the baseline rate with no concessions vs no deal), %.
    pub stake_pct: f64,
    /// Whether it requested talks.
    pub engaged: bool,
    /// The day it requested talks.
    pub request_day: Option<u32>,
    /// Offers tabled.
    pub offers: u32,
    /// The final state.
    pub state: State,
    /// The deal, if any.
    pub deal: Option<SimDeal>,
}

/// Welfare of one country at the end of the round.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryWelfare {
    /// ISO3 (or the world's code).
    pub code: String,
    /// % change against the factual (pre-tariff) state.
    pub vs_factual_pct: f64,
    /// % change against the round in which nobody deals.
    pub vs_no_deal_pct: f64,
}

/// Everything a run produces.
#[derive(Debug, Clone)]
pub struct SimResult {
    /// The settings.
    pub config: SimConfig,
    /// The dated event log.
    pub events: Vec<Event>,
    /// One talk per partner, in input order.
    pub talks: Vec<SimTalk>,
    /// The world in which nobody deals.
    pub no_deal: Reference,
    /// The world at the end of the round (deals in force, snap-back elsewhere).
    pub end: Reference,
    /// Welfare of every country.
    pub welfare: Vec<CountryWelfare>,
    /// GE solves done.
    pub solves: usize,
}

impl SimResult {
    /// The date of a day of the round.
    pub fn date(&self, day: u32) -> NaiveDate {
        self.config.start + chrono::Days::new(u64::from(day))
    }

    /// Frameworks reached by the end of each day (day 0..=days).
    pub fn deals_by_day(&self) -> Vec<u32> {
        let mut out = vec![0u32; self.config.days as usize + 1];
        for t in &self.talks {
            if let Some(d) = &t.deal {
                for v in out.iter_mut().skip(d.day as usize) {
                    *v += 1;
                }
            }
        }
        out
    }
}

struct Agent {
    step: f64,
    engage_draw: f64,
    request_day: u32,
    intervals: Vec<u32>,
    to_agreement: u32,
    to_implementation: u32,
    // dynamic
    state: State,
    offers: u32,
    next_offer: Option<u32>,
    last_acceptable: Option<Offer>,
    final_offer: bool,
}

/// The headline US rate of an offer and the partner's tariff cut, as terms on this world.
fn offer_terms(
    world: &World,
    reference: &Reference,
    p: &SimPartner,
    us_rate_pct: f64,
    cut: f64,
    purchase: f64,
    base_exports_usd: f64,
) -> Terms {
    let cal = &world.cal;
    let mut terms = Terms::default();
    if cal.k == 1 {
        terms.tariff_lines.push(TariffLine {
            levied_by: Side::Us,
            scope: Scope::All,
            rate_pct: us_rate_pct,
        });
    } else {
        // Lower every sector's rate by the same cut of the headline rate (sector measures stay).
        let reduction = (p.snap_back_pct - us_rate_pct).max(0.0);
        for (k, s) in cal.sectors.iter().enumerate() {
            let rate = (p
                .snap_back_by_sector_pct
                .get(k)
                .copied()
                .unwrap_or(p.snap_back_pct)
                - reduction)
                .max(0.0);
            terms.tariff_lines.push(TariffLine {
                levied_by: Side::Us,
                scope: Scope::Sector(s.clone()),
                rate_pct: rate,
            });
        }
    }
    if cut > 0.0 {
        for (k, s) in cal.sectors.iter().enumerate() {
            // The partner's applied tariff on US goods in the sector, weighted by no-deal flows.
            let (mut w, mut t) = (0.0, 0.0);
            for &m in &p.partner.members {
                let id = cal.index(k, world.us, m);
                let x = reference.equilibrium.flows[id];
                w += x;
                t += x * reference.tariffs[id];
            }
            let now = if w > 0.0 { t / w } else { 0.0 };
            let scope = if cal.k == 1 {
                Scope::All
            } else {
                Scope::Sector(s.clone())
            };
            terms.tariff_lines.push(TariffLine {
                levied_by: Side::Partner,
                scope,
                rate_pct: 100.0 * (1.0 - cut) * now,
            });
        }
    }
    if purchase > 0.0 && base_exports_usd > 0.0 {
        terms.purchases.push(PurchaseCommitment {
            buyer: Side::Partner,
            scope: Scope::All,
            usd: (1.0 + purchase) * base_exports_usd,
        });
    }
    terms
}

fn us_exports_usd(world: &World, reference: &Reference, p: &Partner) -> f64 {
    let cal = &world.cal;
    let mut x = 0.0;
    for k in 0..cal.k {
        for &m in &p.members {
            x += reference.equilibrium.flows[cal.index(k, world.us, m)];
        }
    }
    x * world.usd_per_unit
}

fn copy_pair(world: &World, from: &[f64], to: &mut [f64], p: &Partner) {
    let cal = &world.cal;
    for k in 0..cal.k {
        for &m in &p.members {
            for id in [cal.index(k, m, world.us), cal.index(k, world.us, m)] {
                to[id] = from[id];
            }
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Stakes below this (percent of welfare) are solver noise around zero: the partner has nothing
/// at stake (its snap-back rate is the baseline).
pub const STAKE_NOISE_PCT: f64 = 1e-7;

/// Run the round. `progress(day)` is called at the start of every day.
pub fn simulate(
    world: &World,
    partners: &[SimPartner],
    config: &SimConfig,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<SimResult, ScoreError> {
    let rules = &config.rules;
    let cal = &world.cal;
    let date = |day: u32| config.start + chrono::Days::new(u64::from(day));
    let mut solves = 0usize;

    // The no-deal world: every partner at its snap-back rates.
    let rates: Vec<(usize, Vec<f64>)> = partners
        .iter()
        .flat_map(|p| {
            let add: Vec<f64> = (0..cal.k)
                .map(|k| {
                    p.snap_back_by_sector_pct
                        .get(k)
                        .copied()
                        .unwrap_or(p.snap_back_pct)
                        / 100.0
                })
                .collect();
            p.partner.members.iter().map(move |&m| (m, add.clone()))
        })
        .collect();
    let no_deal = world.reference(world.with_us_rates(&cal.tariffs, &rates), None)?;
    solves += 1;

    // Draws, all up front, in partner order.
    let mut rng = SplitMix64::new(config.seed);
    let max_rounds = (config.days / rules.round_days.0.max(1) + 2) as usize;
    let mut agents: Vec<Agent> = partners
        .iter()
        .map(|_| {
            let step = rules.step.0 + (rules.step.1 - rules.step.0) * rng.uniform();
            let engage_draw = rng.uniform();
            let request_day = rng.between(0, rules.request_window_days.saturating_sub(1));
            let intervals = (0..max_rounds)
                .map(|_| rng.between(rules.round_days.0, rules.round_days.1))
                .collect();
            let to_agreement = rng.between(rules.to_agreement_days.0, rules.to_agreement_days.1);
            let to_implementation = rng.between(
                rules.to_implementation_days.0,
                rules.to_implementation_days.1,
            );
            Agent {
                step,
                engage_draw,
                request_day,
                intervals,
                to_agreement,
                to_implementation,
                state: State::NotStarted,
                offers: 0,
                next_offer: None,
                last_acceptable: None,
                final_offer: false,
            }
        })
        .collect();

    // Stakes: the baseline rate with nothing in return, against no deal.
    let base_exports: Vec<f64> = partners
        .iter()
        .map(|p| us_exports_usd(world, &no_deal, &p.partner))
        .collect();
    let stakes: Vec<f64> = partners
        .par_iter()
        .map(|p| {
            let rate = rules.baseline_pct.min(p.snap_back_pct);
            let terms = offer_terms(world, &no_deal, p, rate, 0.0, 0.0, 0.0);
            evaluate(world, &no_deal, &p.partner, &terms).map(|e| e.score.partner_welfare_pct)
        })
        .collect::<Result<_, _>>()?;
    solves += partners.len();
    let typical = median(
        stakes
            .iter()
            .copied()
            .filter(|s| *s > STAKE_NOISE_PCT)
            .collect(),
    );
    for (a, &stake) in agents.iter_mut().zip(&stakes) {
        let p = if stake > STAKE_NOISE_PCT && typical > 0.0 {
            (rules.min_engage
                + (1.0 - rules.min_engage) * stake / (stake + rules.engage_half * typical))
                .min(1.0)
        } else {
            0.0
        };
        if a.engage_draw >= p {
            a.request_day = u32::MAX;
        }
    }

    let mut events = Vec::new();
    let mut deals: Vec<Option<SimDeal>> = vec![None; partners.len()];
    let mut reference = no_deal.clone();
    let objective = &config.objective;
    for day in 0..config.days {
        progress(day);
        let today = date(day);
        // Requests.
        for (i, a) in agents.iter_mut().enumerate() {
            if a.request_day == day {
                a.state = State::Requested;
                a.next_offer = Some((day + a.intervals[0] / 2).min(config.days - 1));
                events.push(Event::new(
                    &partners[i].partner.code,
                    today,
                    EventKind::Opened,
                    None,
                    format!(
                        "requests talks (stake {:+.3}% welfare; snap-back {:.0}%)",
                        stakes[i], partners[i].snap_back_pct
                    ),
                ));
            }
        }
        if day + 1 == rules.request_window_days {
            for (i, a) in agents.iter().enumerate() {
                if a.request_day == u32::MAX {
                    events.push(Event::new(
                        &partners[i].partner.code,
                        today,
                        EventKind::Declined,
                        None,
                        format!("no request for talks (stake {:+.3}% welfare)", stakes[i]),
                    ));
                }
            }
        }
        // Offers due today: each partner's round is played against the reference of this morning,
        // in parallel; the outcomes are applied in partner order.
        let due: Vec<usize> = (0..partners.len())
            .filter(|&i| {
                matches!(agents[i].state, State::Requested | State::InTalks)
                    && agents[i].next_offer == Some(day)
            })
            .collect();
        if !due.is_empty() {
            let ctx = RoundCtx {
                world,
                reference: &reference,
                objective,
                rules,
                days_left: config.days - day,
            };
            let played: Vec<Result<Played, ScoreError>> = due
                .par_iter()
                .map(|&i| {
                    let a = &agents[i];
                    play_round(
                        &ctx,
                        &partners[i],
                        base_exports[i],
                        a.step,
                        a.offers,
                        a.intervals[a.offers as usize % a.intervals.len()],
                        a.last_acceptable,
                        a.final_offer,
                    )
                })
                .collect();
            let mut closed = false;
            for (&i, played) in due.iter().zip(played) {
                let played = played?;
                solves += played.solves;
                let a = &mut agents[i];
                a.state = State::InTalks;
                a.offers += 1;
                a.last_acceptable = played.last_acceptable;
                a.final_offer = played.final_offer;
                let code = &partners[i].partner.code;
                for (kind, detail) in played.events {
                    events.push(Event::new(code, today, kind, Some(a.offers), detail));
                }
                match played.outcome {
                    Outcome::Deal {
                        by,
                        offer,
                        terms,
                        eval,
                    } => {
                        a.state = State::Framework;
                        a.next_offer = None;
                        let p = &partners[i];
                        events.push(Event::new(
                            code,
                            today,
                            EventKind::Accepted,
                            Some(a.offers),
                            format!(
                                "framework ({} terms): US {:.1}% (snap-back {:.0}%), {} cuts its tariff on US goods by {:.0}%{}; US {:+.4}%, {} {:+.4}% welfare vs no deal",
                                if by == Side::Us { "US" } else { "partner" },
                                offer.ask,
                                p.snap_back_pct,
                                code,
                                100.0 * offer.cut,
                                if offer.purchase > 0.0 {
                                    format!(", buys {} USD a year", usd((1.0 + offer.purchase) * base_exports[i]))
                                } else {
                                    String::new()
                                },
                                eval.score.us_welfare_pct,
                                code,
                                eval.score.partner_welfare_pct
                            ),
                        ));
                        copy_pair(world, &eval.tariffs, &mut reference.tariffs, &p.partner);
                        closed = true;
                        deals[i] = Some(SimDeal {
                            day,
                            us_rate_pct: offer.ask,
                            partner_cut: offer.cut,
                            purchase_share: offer.purchase,
                            tabled_by: by,
                            terms,
                            score: eval.score,
                            agreement_day: None,
                            implemented_day: None,
                        });
                    }
                    Outcome::Quit => {
                        a.state = State::Collapsed;
                        a.next_offer = None;
                    }
                    Outcome::Continue => {
                        let next = day + a.intervals[a.offers as usize % a.intervals.len()];
                        a.next_offer = (next < config.days).then_some(next);
                    }
                    Outcome::Stall => {
                        a.next_offer = None;
                        events.push(Event::new(
                            code,
                            today,
                            EventKind::Rejected,
                            Some(a.offers),
                            "talks stall: the final offer was refused",
                        ));
                    }
                }
            }
            // Deals enter the reference world, re-solved once for the day.
            if closed {
                let tariffs = std::mem::take(&mut reference.tariffs);
                reference = world.reference(tariffs, Some(&reference.equilibrium))?;
                solves += 1;
            }
        }
        // Frameworks become agreements, agreements are implemented.
        for (i, a) in agents.iter_mut().enumerate() {
            let Some(deal) = deals[i].as_mut() else {
                continue;
            };
            if a.state == State::Framework && day == deal.day + a.to_agreement {
                a.state = State::Agreement;
                deal.agreement_day = Some(day);
                events.push(Event::new(
                    &partners[i].partner.code,
                    today,
                    EventKind::Accepted,
                    None,
                    "agreement on the framework's terms",
                ));
            } else if a.state == State::Agreement
                && Some(day) == deal.agreement_day.map(|d| d + a.to_implementation)
            {
                a.state = State::Implemented;
                deal.implemented_day = Some(day);
                events.push(Event::new(
                    &partners[i].partner.code,
                    today,
                    EventKind::Implemented,
                    None,
                    "agreement implemented",
                ));
            }
        }
    }
    progress(config.days);
    let end_date = date(config.days);
    for (i, a) in agents.iter_mut().enumerate() {
        if a.state.expires_at_pause_end() && a.request_day != u32::MAX {
            a.state = State::Expired;
            events.push(Event::new(
                &partners[i].partner.code,
                end_date,
                EventKind::Expired,
                None,
                format!(
                    "pause over without a deal: {:.0}% applies",
                    partners[i].snap_back_pct
                ),
            ));
        }
    }
    let welfare = (0..cal.n)
        .map(|i| {
            let e = reference.outcomes.countries[i].welfare_pct;
            let n = no_deal.outcomes.countries[i].welfare_pct;
            CountryWelfare {
                code: cal.countries[i].clone(),
                vs_factual_pct: e,
                vs_no_deal_pct: 100.0 * ((1.0 + e / 100.0) / (1.0 + n / 100.0) - 1.0),
            }
        })
        .collect();
    let talks = partners
        .iter()
        .zip(agents)
        .zip(deals)
        .zip(stakes)
        .map(|(((p, a), deal), stake)| SimTalk {
            partner: p.clone(),
            stake_pct: stake,
            engaged: a.request_day != u32::MAX,
            request_day: (a.request_day != u32::MAX).then_some(a.request_day),
            offers: a.offers,
            state: if a.state == State::NotStarted {
                State::NotStarted
            } else {
                a.state
            },
            deal,
        })
        .collect();
    Ok(SimResult {
        config: config.clone(),
        events,
        talks,
        no_deal,
        end: reference,
        welfare,
        solves,
    })
}
