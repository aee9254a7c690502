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
use super::search::{maximize_nd, NdOptions};
use super::StrategyError;
use crate::ge::{self, Calibration, Equilibrium};

/// Settings of [`bargain`].
#[derive(Debug, Clone, Copy)]
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
        Instrument::Uniform => vec![(0..cal.k).collect()],
        Instrument::BySector => (0..cal.k).map(|k| vec![k]).collect(),
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
    let search = &options.search;
    let home_controls = pair_controls(cal, home, partner, options.instrument)?;
    let partner_controls = pair_controls(cal, partner, home, options.instrument)?;
    let all: Vec<Control> = home_controls
        .iter()
        .chain(&partner_controls)
        .cloned()
        .collect();
    let split = home_controls.len();
    let counter = AtomicUsize::new(0);
    let both = |x: &[f64]| -> Result<(f64, f64, Equilibrium), StrategyError> {
        let mut t = threat.to_vec();
        apply_controls(&all, x, &mut t);
        counter.fetch_add(1, Ordering::Relaxed);
        let eq = robust_solve(cal, &t, None, &search.solver)?;
        let out = ge::outcomes(cal, &eq);
        Ok((
            player_welfare(cal, &out, &home.members),
            player_welfare(cal, &out, &partner.members),
            eq,
        ))
    };
    let deal = |weight: f64, x: &[f64], wh: f64, wp: f64| Deal {
        weight,
        home_rates: x[..split].to_vec(),
        partner_rates: x[split..].to_vec(),
        home_welfare_pct: wh,
        partner_welfare_pct: wp,
    };
    let x_threat = read_controls(&all, threat);
    let (dh, dp, disagreement_equilibrium) = both(&x_threat)?;
    let disagreement = deal(f64::NAN, &x_threat, dh, dp);
    let nd = NdOptions {
        gradient_tolerance: search.gradient_tolerance,
        step_tolerance: search.tolerance,
        max_step: 0.25,
        max_iterations: search.max_iterations,
    };
    // The frontier.
    let points = options.frontier_points.max(2);
    let mut frontier = Vec::with_capacity(points);
    let mut x = x_threat.clone();
    for p in 0..points {
        let omega = p as f64 / (points - 1) as f64;
        let value = |x: &[f64]| -> Result<Option<f64>, StrategyError> {
            match both(x) {
                Ok((wh, wp, _)) => Ok(Some(omega * wh + (1.0 - omega) * wp)),
                Err(StrategyError::Model(_)) => Ok(None),
                Err(e) => Err(e),
            }
        };
        let grad = |x: &[f64], fx: f64| {
            gradient(
                cal,
                threat,
                &all,
                x,
                fx,
                search.upper,
                search,
                &counter,
                |out| {
                    omega * player_welfare(cal, out, &home.members)
                        + (1.0 - omega) * player_welfare(cal, out, &partner.members)
                },
            )
        };
        let r = maximize_nd(value, grad, &x, search.lower, search.upper, &nd)?;
        x = r.x;
        let (wh, wp, _) = both(&x)?;
        frontier.push(deal(omega, &x, wh, wp));
    }
    // The bargaining solution.
    let w = options.weight;
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
                home.name, partner.name
            ))
        })?;
    let value = |x: &[f64]| -> Result<Option<f64>, StrategyError> {
        match both(x) {
            Ok((wh, wp, _)) => Ok(log_product(wh, wp)),
            Err(StrategyError::Model(_)) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let grad = |x: &[f64], fx: f64| {
        gradient(
            cal,
            threat,
            &all,
            x,
            fx,
            search.upper,
            search,
            &counter,
            |out| {
                let wh = player_welfare(cal, out, &home.members);
                let wp = player_welfare(cal, out, &partner.members);
                // Outside the rational set the log is undefined: a steep penalty points back inside.
                log_product(wh, wp).unwrap_or(fx - 1e6)
            },
        )
    };
    let r = maximize_nd(value, grad, &start, search.lower, search.upper, &nd)?;
    let (wh, wp, solution_equilibrium) = both(&r.x)?;
    let mut solution_tariffs = threat.to_vec();
    apply_controls(&all, &r.x, &mut solution_tariffs);
    Ok(BargainResult {
        home: home.clone(),
        partner: partner.clone(),
        home_controls,
        partner_controls,
        disagreement,
        frontier,
        solution: deal(w, &r.x, wh, wp),
        solution_tariffs,
        disagreement_equilibrium,
        solution_equilibrium,
        log_nash_product: r.value,
        projected_gradient: r.projected_gradient,
        solves: counter.load(Ordering::Relaxed),
    })
}
