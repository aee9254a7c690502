//! Scoring a proposal with the GE engine against the no-deal alternative (docs/negotiations.md).
//!
//! The *reference* is the world when the pause ends without a deal: the factual tariffs, with the
//! US levying the snap-back rate on every partner (plus any deals already in force). A proposal
//! changes only the tariffs between the US and one partner (each member of a bloc):
//!
//! - a US tariff line is an **additional** duty on top of the world's factual US tariff (as the
//!   reciprocal rates are); a partner's tariff line is its **applied** tariff on US goods;
//! - an HS-chapter line applies to the chapter's share of its model sector's flow
//!   ([`ChapterMap`]); a sector line to the whole sector; `all` to every sector; the more specific wins;
//! - a tariff-rate quota is one ad-valorem rate found from the quota fill at the counterfactual
//!   flow ([`crate::trq`]); a purchase commitment is the import-subsidy-equivalent wedge that makes
//!   the buyer's imports in the scope reach the committed value (it does not bind when they already do).
//!
//! Quotas and purchases make the tariffs depend on the flows: the deal is solved, the rates are
//! updated on each flow's own demand curve, and the equilibrium is re-solved (warm-started) until
//! no rate moves by more than 1e-8 (a millionth of a percentage point).
//!
//! Welfare changes are 100(Ŵ_deal/Ŵ_no-deal − 1); a bloc's is the expenditure-weighted mean of
//! its members' (docs/model.md §4 group average).

use std::sync::Arc;

use reciprocity_model::ge::{self, Calibration, Equilibrium, ModelError, Outcomes, SolverOptions};

use crate::proposal::{usd, Scope, Side, Terms};
use crate::trq::{purchase_wedge, quota_rate, LocalDemand, QuotaMethod};

/// A partner of the US in the world: a country or a bloc of countries.
#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    /// ISO3 or group code (`JPN`, `EUU`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Its countries, as world indices (one for a country).
    pub members: Vec<usize>,
}

/// HS chapters → model sectors, with each chapter's share of its sector's flow.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterMap {
    sector: Vec<Option<usize>>,
    share: Vec<f64>,
    /// Whether the shares come from trade weights (otherwise each chapter of a sector has an equal share).
    pub weighted: bool,
    /// Sectors no tariff reaches (services of a sector world): `all` terms leave them alone.
    untaxed: Vec<bool>,
}

impl ChapterMap {
    /// Every chapter of a sector gets an equal share of it (no chapter trade weights: the same
    /// fallback the policy timeline uses). `sector_of(chapter)` gives the model sector index.
    pub fn unweighted(sector_of: impl Fn(u16) -> Option<usize>) -> ChapterMap {
        let sector: Vec<Option<usize>> = (0..100u16)
            .map(|c| {
                if crate::proposal::is_hs_chapter(c) {
                    sector_of(c)
                } else {
                    None
                }
            })
            .collect();
        let mut count = std::collections::BTreeMap::<usize, usize>::new();
        for k in sector.iter().flatten() {
            *count.entry(*k).or_default() += 1;
        }
        let share = sector
            .iter()
            .map(|k| k.map_or(0.0, |k| 1.0 / count[&k] as f64))
            .collect();
        ChapterMap {
            sector,
            share,
            weighted: false,
            untaxed: Vec::new(),
        }
    }

    /// Mark the sectors no tariff reaches (`untaxed[k]`: services of a sector world): an `all`
    /// term covers the other sectors only. A sector term may still name them.
    pub fn with_untaxed(mut self, untaxed: Vec<bool>) -> ChapterMap {
        self.untaxed = untaxed;
        self
    }

    /// Whether an `all` term covers sector `k`.
    pub fn covers_all(&self, k: usize) -> bool {
        !self.untaxed.get(k).copied().unwrap_or(false)
    }

    /// Every chapter in sector 0 (one-sector worlds).
    pub fn single_sector() -> ChapterMap {
        ChapterMap::unweighted(|_| Some(0))
    }

    /// The sector and share of a chapter.
    pub fn get(&self, chapter: u16) -> Option<(usize, f64)> {
        let c = usize::from(chapter);
        self.sector
            .get(c)
            .copied()
            .flatten()
            .map(|k| (k, self.share[c]))
    }
}

/// A calibrated world ready to score proposals: cheap to share between threads (a server holds one).
#[derive(Debug, Clone)]
pub struct World {
    /// A name for messages and stored scores.
    pub name: String,
    /// The calibration.
    pub cal: Arc<Calibration>,
    /// Index of the USA.
    pub us: usize,
    /// USD per unit of the world's flows (1000 for thousand USD).
    pub usd_per_unit: f64,
    /// HS chapters → sectors.
    pub chapters: ChapterMap,
    /// Solver settings.
    pub solver: SolverOptions,
    /// How quotas become one rate.
    pub quota_method: QuotaMethod,
}

/// The no-deal world, solved.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Its tariffs.
    pub tariffs: Vec<f64>,
    /// Its equilibrium.
    pub equilibrium: Equilibrium,
    /// Its outcomes (against the factual state).
    pub outcomes: Outcomes,
}

/// Why a proposal cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    /// The world lacks something the scoring needs.
    #[error("world {world}: {message}")]
    World {
        /// The world.
        world: String,
        /// What is missing.
        message: String,
    },
    /// A term names goods the world cannot represent.
    #[error("{term}: {message}")]
    Term {
        /// The term (`tariff line 2`).
        term: String,
        /// Why.
        message: String,
    },
    /// The equilibrium solver failed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The quota/purchase fixed point did not settle.
    #[error("the quota and purchase rates did not settle after {iterations} GE solves (last change {change:.3e})")]
    NotConverged {
        /// Solves done.
        iterations: usize,
        /// The last largest change of a rate.
        change: f64,
    },
}

/// Output and trade in one sector concerned by a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorScore {
    /// The sector code.
    pub sector: String,
    /// US output (value added) in the sector, % change deal vs no deal.
    pub us_output_pct: f64,
    /// The partner's output in the sector, % change.
    pub partner_output_pct: f64,
    /// US exports to the partner in the sector, no deal, USD.
    pub us_exports_no_deal_usd: f64,
    /// The same with the deal.
    pub us_exports_deal_usd: f64,
    /// US imports from the partner in the sector, no deal, USD.
    pub us_imports_no_deal_usd: f64,
    /// The same with the deal.
    pub us_imports_deal_usd: f64,
}

/// What a quota or purchase commitment became.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintScore {
    /// `quota 1` or `purchase 1`.
    pub term: String,
    /// The world's sectors the term falls in (`MOTOR_VEHICLES` for a car quota on `hs87`).
    pub sectors: Vec<String>,
    /// Its rate: the quota's ad-valorem equivalent, or the purchase wedge on (1+t), percent.
    pub rate_pct: f64,
    /// The constrained flow at the deal, USD.
    pub flow_usd: f64,
    /// The quota or the committed value, USD.
    pub target_usd: f64,
    /// Whether a purchase commitment hit the wedge floor (not fully met).
    pub capped: bool,
}

/// The score of a proposal: the deal against the no-deal reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The world it was computed on.
    pub world: String,
    /// The partner.
    pub partner: String,
    /// US welfare, % change deal vs no deal.
    pub us_welfare_pct: f64,
    /// The partner's welfare (bloc: expenditure-weighted mean), % change deal vs no deal.
    pub partner_welfare_pct: f64,
    /// The additional US tariff on the partner's goods, no deal, % (weighted by no-deal flows).
    pub us_rate_no_deal_pct: f64,
    /// The same with the deal (quotas at their effective rate; purchase wedges are in `constraints`).
    pub us_rate_deal_pct: f64,
    /// The partner's applied tariff on US goods, no deal, %.
    pub partner_rate_no_deal_pct: f64,
    /// The same with the deal (quotas at their effective rate; purchase wedges are in `constraints`).
    pub partner_rate_deal_pct: f64,
    /// US exports minus imports with the partner, no deal, USD.
    pub balance_no_deal_usd: f64,
    /// The same with the deal.
    pub balance_deal_usd: f64,
    /// The change of the US total trade deficit (foreign flows), % of its no-deal value.
    pub us_deficit_change_pct: f64,
    /// US tariff revenue, no deal, USD.
    pub us_revenue_no_deal_usd: f64,
    /// The same with the deal.
    pub us_revenue_deal_usd: f64,
    /// The partner's tariff revenue, no deal, USD.
    pub partner_revenue_no_deal_usd: f64,
    /// The same with the deal.
    pub partner_revenue_deal_usd: f64,
    /// The sectors the proposal touches (every sector for an `all` term).
    pub sectors: Vec<SectorScore>,
    /// US output in every sector of the world, % change (for objectives on protected sectors).
    pub us_output_pct: Vec<f64>,
    /// Quotas and purchase commitments.
    pub constraints: Vec<ConstraintScore>,
    /// GE solves done.
    pub solves: usize,
    /// Solver iterations, summed.
    pub iterations: usize,
    /// The largest residual of the final solve.
    pub max_residual: f64,
    /// Caveats (approximations used, terms not scored).
    pub notes: Vec<String>,
}

impl Score {
    /// The smaller of the two sides' welfare gains: a deal both accept has it ≥ 0; the best
    /// proposal of a talk is the one whose worse-off side does best.
    pub fn worse_side_gain_pct(&self) -> f64 {
        self.us_welfare_pct.min(self.partner_welfare_pct)
    }
}

/// A scored proposal with the tariffs and equilibrium of the deal (for callers that keep the deal).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The score.
    pub score: Score,
    /// The deal's tariffs (quotas and purchases at their effective rates).
    pub tariffs: Vec<f64>,
    /// The deal's equilibrium.
    pub equilibrium: Equilibrium,
    /// The deal's outcomes against the factual state.
    pub outcomes: Outcomes,
}

impl World {
    /// A world for scoring: the calibration must contain the USA.
    pub fn new(
        name: &str,
        cal: Arc<Calibration>,
        usd_per_unit: f64,
        chapters: ChapterMap,
    ) -> Result<World, ScoreError> {
        let us = cal
            .countries
            .iter()
            .position(|c| c == "USA")
            .ok_or_else(|| ScoreError::World {
                world: name.to_string(),
                message: "the world has no USA".into(),
            })?;
        Ok(World {
            name: name.to_string(),
            cal,
            us,
            usd_per_unit,
            chapters,
            solver: SolverOptions::default(),
            quota_method: QuotaMethod::Average,
        })
    }

    /// The factual tariffs with the US levying `additional[k]` (fractions, on top of the factual
    /// US tariff) on each listed exporter's goods in every sector k.
    pub fn with_us_rates(&self, base: &[f64], rates: &[(usize, Vec<f64>)]) -> Vec<f64> {
        let mut t = base.to_vec();
        let (factual, mut table) = (self.cal.tariff_table(), self.cal.pairs_mut(&mut t));
        for (j, add) in rates {
            for k in 0..self.cal.k {
                let rate = factual.get(k, *j, self.us) + add[k.min(add.len() - 1)];
                table.set(k, *j, self.us, rate);
            }
        }
        t
    }

    /// Solve a reference (no-deal) world, optionally warm-started.
    pub fn reference(
        &self,
        tariffs: Vec<f64>,
        start: Option<&Equilibrium>,
    ) -> Result<Reference, ScoreError> {
        let equilibrium = ge::solve_from(&self.cal, &tariffs, start, &self.solver)?;
        let outcomes = ge::outcomes(&self.cal, &equilibrium);
        Ok(Reference {
            tariffs,
            equilibrium,
            outcomes,
        })
    }
}

mod plan;
mod summary;

use plan::{plan, SegRate};

/// The quota and purchase loop stops when no rate (fraction) moves by more than this.
pub const RATE_TOLERANCE: f64 = 1e-8;

/// The most GE solves the quota/purchase loop does.
pub const MAX_CONSTRAINT_SOLVES: usize = 40;

/// Score `terms` between the US and `partner` against `reference`. A pure function of its inputs.
pub fn score(
    world: &World,
    reference: &Reference,
    partner: &Partner,
    terms: &Terms,
) -> Result<Score, ScoreError> {
    evaluate(world, reference, partner, terms).map(|e| e.score)
}

/// As [`score`], keeping the deal's tariffs and equilibrium.
pub fn evaluate(
    world: &World,
    reference: &Reference,
    partner: &Partner,
    terms: &Terms,
) -> Result<Evaluation, ScoreError> {
    let cal = &world.cal;
    if partner.members.is_empty() || partner.members.contains(&world.us) {
        return Err(ScoreError::World {
            world: world.name.clone(),
            message: format!(
                "partner {} must have members other than the USA",
                partner.code
            ),
        });
    }
    let mut plan = plan(world, terms)?;
    let mut tariffs = reference.tariffs.clone();
    plan.apply(world, reference, partner, &mut tariffs, true);
    let constrained = !plan.quotas.is_empty() || !plan.purchases.is_empty();
    if constrained {
        plan.predict(world, reference, partner, &mut tariffs);
    }
    let mut eq = ge::solve_from(cal, &tariffs, Some(&reference.equilibrium), &world.solver)?;
    let mut solves = 1;
    let mut iterations = eq.report.iterations;
    let mut last_quota = vec![None; plan.quotas.len()];
    let mut last_purchase = vec![None; plan.purchases.len()];
    // Exits by `break` when the rates settle (at once without quotas or purchases), or by the solve limit.
    loop {
        if !constrained {
            break;
        }
        let mut change: f64 = 0.0;
        let mut new_rates = Vec::with_capacity(plan.quotas.len());
        for (qi, q) in plan.quotas.iter().enumerate() {
            let mut d = plan.demand(
                world,
                partner,
                &eq,
                |s| s.rate == SegRate::Quota(qi),
                q.rate,
                true,
            );
            secant(&mut last_quota[qi], &mut d);
            let (rate, _) = quota_rate(q.quota_usd, q.t_in, q.t_out, &d, world.quota_method);
            change = change.max((rate - q.rate).abs());
            new_rates.push(rate);
        }
        let mut new_wedges = Vec::with_capacity(plan.purchases.len());
        for (pi, p) in plan.purchases.iter().enumerate() {
            let mut d = plan.demand(world, partner, &eq, |s| s.wedge == Some(pi), p.wedge, false);
            secant(&mut last_purchase[pi], &mut d);
            let (w, capped) = purchase_wedge(p.target_usd, &d);
            change = change.max((w - p.wedge).abs());
            new_wedges.push((w, capped));
        }
        if change < RATE_TOLERANCE {
            break;
        }
        if solves >= MAX_CONSTRAINT_SOLVES {
            return Err(ScoreError::NotConverged {
                iterations: solves,
                change,
            });
        }
        for (q, r) in plan.quotas.iter_mut().zip(new_rates) {
            q.rate = r;
        }
        for (p, (w, capped)) in plan.purchases.iter_mut().zip(new_wedges) {
            p.wedge = w;
            p.capped = capped;
        }
        plan.apply(world, reference, partner, &mut tariffs, true);
        eq = ge::solve_from(cal, &tariffs, Some(&eq), &world.solver)?;
        solves += 1;
        iterations += eq.report.iterations;
    }
    let outcomes = ge::outcomes(cal, &eq);
    let scored = summary::Scored {
        world,
        reference,
        partner,
        plan: &plan,
        eq: &eq,
        outcomes: &outcomes,
    };
    let score = scored.summarize(solves, iterations);
    Ok(Evaluation {
        score,
        tariffs,
        equilibrium: eq,
        outcomes,
    })
}

/// Replace the partial elasticity of `d` by the one the last two GE solves show (a secant step:
/// the GE response includes wage and price feedback the partial curve leaves out), when it is
/// measurable and within a factor 20 of the partial one. `last` keeps (ln(1+o+t), ln M).
fn secant(last: &mut Option<(f64, f64)>, d: &mut LocalDemand) {
    if d.flow <= 0.0 {
        return;
    }
    let point = ((1.0 + d.offset + d.rate).ln(), d.flow.ln());
    if let Some((x0, y0)) = *last {
        let dx = point.0 - x0;
        if dx.abs() > 1e-9 {
            let observed = -(point.1 - y0) / dx;
            if observed > d.elasticity / 20.0 && observed < d.elasticity * 20.0 {
                d.elasticity = observed;
            }
        }
    }
    *last = Some(point);
}
