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
mod run;

pub use compare::{compare, Agreement, Comparison, ComparisonRow, HistoricalDeal};
use round::{play_round, Offer, Outcome, Played, RoundCtx};
use run::{Agent, Run};

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
            let flows = cal.pairs(&reference.equilibrium.flows);
            let rates = cal.pairs(&reference.tariffs);
            for &m in &p.partner.members {
                let x = flows.get(k, world.us, m);
                w += x;
                t += x * rates.get(k, world.us, m);
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
    let flows = cal.pairs(&reference.equilibrium.flows);
    let x: f64 = p
        .members
        .iter()
        .map(|&m| flows.bilateral_sum(world.us, m))
        .sum();
    x * world.usd_per_unit
}

fn copy_pair(world: &World, from: &[f64], to: &mut [f64], p: &Partner) {
    let cal = &world.cal;
    let (from, mut to) = (cal.pairs(from), cal.pairs_mut(to));
    for k in 0..cal.k {
        for &m in &p.members {
            for (exporter, importer) in [(m, world.us), (world.us, m)] {
                to.set(k, exporter, importer, from.get(k, exporter, importer));
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
    let (mut run, no_deal) = Run::start(world, partners, config)?;
    for day in 0..config.days {
        progress(day);
        run.day(day)?;
    }
    progress(config.days);
    Ok(run.finish(no_deal))
}
