//! Trade talks: Nash bargaining between a home country (or bloc) and a partner over the pair of
//! bilateral tariffs (home on partner, partner on home; one rate each or one per sector), every
//! other tariff held at the disagreement point.
//!
//! - The Pareto frontier is traced by maximising ω·W_home + (1−ω)·W_partner over the pair for ω
//!   on a grid (each search starts from the previous ω's answer). Weighted sums find the
//!   supported part of the frontier; the bargaining solution below does not rely on it.
//! - The (generalised) Nash bargaining solution maximises w·ln(W_home − d_home) +
//!   (1−w)·ln(W_partner − d_partner) over the individually rational deals, starting from the
//!   frontier point with the largest Nash product.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::best_response::{
    apply_controls, gradient, player_welfare, read_controls, robust_solve, Control, Instrument,
    Player, SearchOptions,
};
use super::search::{maximize_nd, MaxNd, NdOptions};
use super::StrategyError;
use crate::ge::{self, Calibration, Equilibrium, Outcomes};

/// Settings of [`bargain`].
#[derive(Debug, Clone)]
pub struct BargainOptions {
    /// One rate per side ([`Instrument::Uniform`]) or one per sector ([`Instrument::BySector`]).
    pub instrument: Instrument,
    /// The home side's bargaining weight w in (0, 1) (0.5: symmetric Nash bargaining).
    pub weight: f64,
    /// Points on the frontier (ω = 0, 1/(m−1), ..., 1).
    pub frontier_points: usize,
    /// The searches.
    pub search: SearchOptions,
}

impl Default for BargainOptions {
    fn default() -> Self {
        BargainOptions {
            instrument: Instrument::Uniform,
            weight: 0.5,
            frontier_points: 21,
            search: SearchOptions::default(),
        }
    }
}

/// A pair of bilateral tariff schedules and what each side gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    /// ω for a frontier point, w for the bargaining solution, NaN for the disagreement point.
    pub weight: f64,
    /// What home levies on the partner's goods, one rate per control.
    pub home_rates: Vec<f64>,
    /// What the partner levies on home's goods.
    pub partner_rates: Vec<f64>,
    /// Home's welfare change (%) against the factual state.
    pub home_welfare_pct: f64,
    /// The partner's welfare change (%) against the factual state.
    pub partner_welfare_pct: f64,
}

/// The outcome of the talks.
#[derive(Debug, Clone)]
pub struct BargainResult {
    /// Home.
    pub home: Player,
    /// The partner.
    pub partner: Player,
    /// Home's tariffs on the partner (choice variables).
    pub home_controls: Vec<Control>,
    /// The partner's tariffs on home.
    pub partner_controls: Vec<Control>,
    /// The disagreement point.
    pub disagreement: Deal,
    /// The Pareto frontier, by ω.
    pub frontier: Vec<Deal>,
    /// The Nash bargaining solution.
    pub solution: Deal,
    /// The full tariff vector of the solution.
    pub solution_tariffs: Vec<f64>,
    /// The equilibrium at the disagreement point.
    pub disagreement_equilibrium: Equilibrium,
    /// The equilibrium at the solution.
    pub solution_equilibrium: Equilibrium,
    /// w ln(gain_home) + (1−w) ln(gain_partner) at the solution.
    pub log_nash_product: f64,
    /// Largest projected-gradient component of the Nash-product search at the solution.
    pub projected_gradient: f64,
    /// Equilibrium solves used.
    pub solves: usize,
}

impl Deal {
    /// Home's gain over `d` (welfare points).
    pub fn home_gain(&self, d: &Deal) -> f64 {
        self.home_welfare_pct - d.home_welfare_pct
    }
    /// The partner's gain over `d`.
    pub fn partner_gain(&self, d: &Deal) -> f64 {
        self.partner_welfare_pct - d.partner_welfare_pct
    }
}

/// The tariffs `levier` charges on `target`'s goods: one control, or one per sector.
pub fn pair_controls(
    cal: &Calibration,
    levier: &Player,
    target: &Player,
    instrument: Instrument,
) -> Result<Vec<Control>, StrategyError> {
    let sectors: Vec<Vec<usize>> = match instrument {
        Instrument::Uniform => vec![(0..cal.k).filter(|&k| cal.tariffable[k]).collect()],
        Instrument::BySector => (0..cal.k)
            .filter(|&k| cal.tariffable[k])
            .map(|k| vec![k])
            .collect(),
        Instrument::ByPartner => {
            return Err(StrategyError::InvalidInput(
                "bilateral talks set one rate per side or one per sector, not per partner".into(),
            ))
        }
    };
    let mut out = Vec::new();
    for ks in sectors {
        let mut entries = Vec::new();
        for &k in &ks {
            for &j in &target.members {
                for &i in &levier.members {
                    entries.push(cal.index(k, j, i));
                }
            }
        }
        let weights: Vec<f64> = entries.iter().map(|&e| cal.flows[e]).collect();
        let label = if ks.len() == 1 && cal.k > 1 {
            cal.sectors[ks[0]].clone()
        } else {
            "all".into()
        };
        out.push(Control {
            label,
            entries,
            weights,
        });
    }
    Ok(out)
}

/// Bargain over the bilateral tariffs from the disagreement tariffs `threat`.
pub fn bargain(
    cal: &Calibration,
    threat: &[f64],
    home: &Player,
    partner: &Player,
    options: &BargainOptions,
) -> Result<BargainResult, StrategyError> {
    if home.members.is_empty() || partner.members.is_empty() {
        return Err(StrategyError::InvalidInput(
            "both sides of the talks need members in the data".into(),
        ));
    }
    if home.members.iter().any(|m| partner.members.contains(m)) {
        return Err(StrategyError::InvalidInput(format!(
            "{} and {} overlap",
            home.name, partner.name
        )));
    }
    if !(options.weight > 0.0 && options.weight < 1.0) {
        return Err(StrategyError::InvalidInput(format!(
            "the bargaining weight must be in (0, 1), got {}",
            options.weight
        )));
    }
    let home_controls = pair_controls(cal, home, partner, options.instrument)?;
    let partner_controls = pair_controls(cal, partner, home, options.instrument)?;
    let talks = Talks {
        cal,
        threat,
        home,
        partner,
        search: &options.search,
        all: home_controls
            .iter()
            .chain(&partner_controls)
            .cloned()
            .collect(),
        split: home_controls.len(),
        counter: AtomicUsize::new(0),
    };
    let x_threat = read_controls(&talks.all, threat);
    let (dh, dp, disagreement_equilibrium) = talks.both(&x_threat)?;
    let disagreement = talks.deal(f64::NAN, &x_threat, dh, dp);
    let frontier = talks.frontier(options.frontier_points.max(2), &x_threat)?;
    let w = options.weight;
    let r = talks.solution(w, (dh, dp), &frontier)?;
    let (wh, wp, solution_equilibrium) = talks.both(&r.x)?;
    let mut solution_tariffs = threat.to_vec();
    apply_controls(&talks.all, &r.x, &mut solution_tariffs);
    Ok(BargainResult {
        home: home.clone(),
        partner: partner.clone(),
        home_controls,
        partner_controls,
        disagreement,
        frontier,
        solution: talks.deal(w, &r.x, wh, wp),
        solution_tariffs,
        disagreement_equilibrium,
        solution_equilibrium,
        log_nash_product: r.value,
        projected_gradient: r.projected_gradient,
        solves: talks.counter.load(Ordering::Relaxed),
    })
}

/// The two sides' bilateral rates on top of the disagreement tariffs.
struct Talks<'a> {
    cal: &'a Calibration,
    threat: &'a [f64],
    home: &'a Player,
    partner: &'a Player,
    search: &'a SearchOptions,
    /// The home side's controls, then the partner's.
    all: Vec<Control>,
    split: usize,
    counter: AtomicUsize,
}

impl Talks<'_> {
    /// Both sides' welfare (%) and the equilibrium at the rates `x`.
    fn both(&self, x: &[f64]) -> Result<(f64, f64, Equilibrium), StrategyError> {
        let cal = self.cal;
        let mut t = self.threat.to_vec();
        apply_controls(&self.all, x, &mut t);
        self.counter.fetch_add(1, Ordering::Relaxed);
        let eq = robust_solve(cal, &t, None, &self.search.solver)?;
        let out = ge::outcomes(cal, &eq);
        Ok((
            player_welfare(cal, &out, &self.home.members),
            player_welfare(cal, &out, &self.partner.members),
            eq,
        ))
    }

    /// Like [`Talks::both`], with a solver failure (rates outside the model's domain) as `None`.
    fn value(
        &self,
        x: &[f64],
        of: impl Fn(f64, f64) -> Option<f64>,
    ) -> Result<Option<f64>, StrategyError> {
        match self.both(x) {
            Ok((wh, wp, _)) => Ok(of(wh, wp)),
            Err(StrategyError::Model(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn deal(&self, weight: f64, x: &[f64], wh: f64, wp: f64) -> Deal {
        Deal {
            weight,
            home_rates: x[..self.split].to_vec(),
            partner_rates: x[self.split..].to_vec(),
            home_welfare_pct: wh,
            partner_welfare_pct: wp,
        }
    }

    fn nd_options(&self) -> NdOptions {
        NdOptions {
            gradient_tolerance: self.search.gradient_tolerance,
            step_tolerance: self.search.tolerance,
            max_step: 0.25,
            max_iterations: self.search.max_iterations,
        }
    }

    /// Maximise `of(home welfare, partner welfare)` from `x` (its numerical gradient evaluates
    /// `of` on the outcomes).
    fn maximize(
        &self,
        x: &[f64],
        value: impl Fn(&[f64]) -> Result<Option<f64>, StrategyError>,
        of: impl Fn(&Outcomes, f64) -> f64 + Sync,
    ) -> Result<MaxNd, StrategyError> {
        let (cal, search) = (self.cal, self.search);
        let grad = |x: &[f64], fx: f64| {
            let objective = |out: &Outcomes| of(out, fx);
            gradient(
                cal,
                self.threat,
                &self.all,
                x,
                fx,
                search.upper,
                search,
                &self.counter,
                objective,
            )
        };
        maximize_nd(
            value,
            grad,
            x,
            search.lower,
            search.upper,
            &self.nd_options(),
        )
    }

    /// The Pareto frontier: maximise ω·home + (1 − ω)·partner for `points` weights ω from 0 to 1,
    /// each search starting where the previous one ended.
    fn frontier(&self, points: usize, x_threat: &[f64]) -> Result<Vec<Deal>, StrategyError> {
        let cal = self.cal;
        let mut frontier = Vec::with_capacity(points);
        let mut x = x_threat.to_vec();
        for p in 0..points {
            let omega = p as f64 / (points - 1) as f64;
            let value = |x: &[f64]| self.value(x, |wh, wp| Some(omega * wh + (1.0 - omega) * wp));
            let of = |out: &Outcomes, _: f64| {
                omega * player_welfare(cal, out, &self.home.members)
                    + (1.0 - omega) * player_welfare(cal, out, &self.partner.members)
            };
            x = self.maximize(&x, value, of)?.x;
            let (wh, wp, _) = self.both(&x)?;
            frontier.push(self.deal(omega, &x, wh, wp));
        }
        Ok(frontier)
    }

    /// The bargaining solution: the weighted Nash product w·ln(gain home) + (1 − w)·ln(gain
    /// partner), maximised from the best point of the frontier.
    fn solution(
        &self,
        w: f64,
        (dh, dp): (f64, f64),
        frontier: &[Deal],
    ) -> Result<MaxNd, StrategyError> {
        let cal = self.cal;
        let log_product = |wh: f64, wp: f64| {
            let (gh, gp) = (wh - dh, wp - dp);
            (gh > 0.0 && gp > 0.0).then(|| w * gh.ln() + (1.0 - w) * gp.ln())
        };
        let start = frontier
            .iter()
            .filter_map(|d| log_product(d.home_welfare_pct, d.partner_welfare_pct).map(|v| (v, d)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, d)| [d.home_rates.clone(), d.partner_rates.clone()].concat())
            .ok_or_else(|| {
                StrategyError::NoDeal(format!(
                    "no point of the frontier leaves both {} and {} better off than the disagreement point",
                    self.home.name, self.partner.name
                ))
            })?;
        let value = |x: &[f64]| self.value(x, log_product);
        let of = |out: &Outcomes, fx: f64| {
            let wh = player_welfare(cal, out, &self.home.members);
            let wp = player_welfare(cal, out, &self.partner.members);
            // Outside the rational set the log is undefined: a steep penalty points back inside.
            log_product(wh, wp).unwrap_or(fx - 1e6)
        };
        self.maximize(&start, value, of)
    }
}
