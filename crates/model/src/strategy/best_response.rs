//! A player's numerical best response: the tariffs that maximise its own GE welfare, holding
//! every other tariff fixed. A player is one country or a bloc levying a common external tariff;
//! its instrument is one uniform rate, one rate per partner, or one rate per sector.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::optimal::Denominator;
use super::search::{maximize_1d, maximize_nd, NdOptions};
use super::{par_map, StrategyError};
use crate::ge::{self, Calibration, Equilibrium, Outcomes, SolverOptions};

/// Which tariffs a player chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instrument {
    /// One rate on every import from outside the player (all partners, all sectors).
    Uniform,
    /// One rate per partner country (all sectors).
    ByPartner,
    /// One rate per sector (all partners).
    BySector,
}

/// One choice variable: entries of the tariff vector (`[k][exporter][importer]`) that move together.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// What it is: "all", a partner code or a sector code.
    pub label: String,
    /// Indices into the tariff vector.
    pub entries: Vec<usize>,
    /// Factual flows of those entries (to read a flow-weighted mean rate).
    pub weights: Vec<f64>,
}

/// A player: one country, or a bloc (a customs union) whose members levy a common tariff on
/// outsiders and whose welfare is the expenditure-weighted mean of its members'.
#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    /// Display name (ISO3 or group name).
    pub name: String,
    /// Calibration indices of the members.
    pub members: Vec<usize>,
}

impl Player {
    /// A one-country player.
    pub fn country(cal: &Calibration, index: usize) -> Self {
        Player {
            name: cal.countries[index].clone(),
            members: vec![index],
        }
    }
}

/// The choice variables of `player` under `instrument`, and the labels of the partners or
/// sectors left out because the player imports nothing from them (their rate changes nothing).
/// Only the sectors of `cal.tariffable` are taxed: the others keep their starting rates.
pub fn controls(
    cal: &Calibration,
    player: &Player,
    instrument: Instrument,
) -> (Vec<Control>, Vec<String>) {
    let (n, kk) = (cal.n, cal.k);
    let inside = |c: usize| player.members.contains(&c);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut push = |label: String, entries: Vec<usize>, out: &mut Vec<Control>| {
        let weights: Vec<f64> = entries.iter().map(|&e| cal.flows[e]).collect();
        if weights.iter().sum::<f64>() > 0.0 {
            out.push(Control {
                label,
                entries,
                weights,
            });
        } else {
            skipped.push(label);
        }
    };
    match instrument {
        Instrument::Uniform => {
            let mut entries = Vec::new();
            for k in (0..kk).filter(|&k| cal.tariffable[k]) {
                for j in (0..n).filter(|&j| !inside(j)) {
                    for &i in &player.members {
                        entries.push(cal.index(k, j, i));
                    }
                }
            }
            push("all".into(), entries, &mut out);
        }
        Instrument::ByPartner => {
            for j in (0..n).filter(|&j| !inside(j)) {
                let entries = (0..kk)
                    .filter(|&k| cal.tariffable[k])
                    .flat_map(|k| player.members.iter().map(move |&i| (k, i)))
                    .map(|(k, i)| cal.index(k, j, i))
                    .collect();
                push(cal.countries[j].clone(), entries, &mut out);
            }
        }
        Instrument::BySector => {
            for k in (0..kk).filter(|&k| cal.tariffable[k]) {
                let entries = (0..n)
                    .filter(|&j| !inside(j))
                    .flat_map(|j| player.members.iter().map(move |&i| (j, i)))
                    .map(|(j, i)| cal.index(k, j, i))
                    .collect();
                push(cal.sectors[k].clone(), entries, &mut out);
            }
        }
    }
    (out, skipped)
}

/// Set every control's entries to its value.
pub fn apply_controls(controls: &[Control], values: &[f64], tariffs: &mut [f64]) {
    for (c, v) in controls.iter().zip(values) {
        for &e in &c.entries {
            tariffs[e] = *v;
        }
    }
}

/// The current rate of each control: the mean of its entries weighted by factual flows.
pub fn read_controls(controls: &[Control], tariffs: &[f64]) -> Vec<f64> {
    controls
        .iter()
        .map(|c| {
            let total: f64 = c.weights.iter().sum();
            if total > 0.0 {
                c.entries
                    .iter()
                    .zip(&c.weights)
                    .map(|(&e, w)| tariffs[e] * w)
                    .sum::<f64>()
                    / total
            } else {
                c.entries.iter().map(|&e| tariffs[e]).sum::<f64>() / c.entries.len().max(1) as f64
            }
        })
        .collect()
}

/// The welfare change (%) of a player: its own, or its members' expenditure-weighted mean.
pub fn player_welfare(cal: &Calibration, outcomes: &Outcomes, members: &[usize]) -> f64 {
    if let [i] = members {
        return outcomes.countries[*i].welfare_pct;
    }
    ge::group_average(cal, members, |i| outcomes.countries[i].welfare_pct)
}

/// The ILMS closed form t* = 1/((1 + ε δ) φ − 1) for a country or a bloc, evaluated at an
/// equilibrium (or at the factual state when `eq` is None). For one country at the factual state
/// this is [`super::optimal_tariff_closed_form`]. A bloc is aggregated into one region: its
/// exports, its share λ of each outside market, its internal trade, and the income-weighted ν
/// and expenditure-weighted φ of its members. Evaluated at a Nash equilibrium this is the
/// "sufficient statistics" form of the best response; the numerical search verifies it.
pub fn closed_form_at(
    cal: &Calibration,
    eq: Option<&Equilibrium>,
    members: &[usize],
    denominator: Denominator,
) -> Result<f64, StrategyError> {
    let (n, kk) = (cal.n, cal.k);
    if members.is_empty() || members.iter().any(|&m| m >= n) {
        return Err(StrategyError::InvalidInput(
            "a player needs members inside the world".into(),
        ));
    }
    let (flows, tariffs) = match eq {
        Some(e) => (&e.flows, &e.tariffs),
        None => (&cal.flows, &cal.tariffs),
    };
    let expenditure: Vec<f64> = match eq {
        Some(e) => (0..n)
            .map(|i| e.expenditure[i] * cal.expenditure[i])
            .collect(),
        None => cal.expenditure.clone(),
    };
    let income: Vec<f64> = match eq {
        Some(e) => (0..n)
            .map(|i| e.wage[i] * e.employment[i] * cal.income[i])
            .collect(),
        None => cal.income.clone(),
    };
    let inside = |c: usize| members.contains(&c);
    // Sector aggregation as in the one-country closed form: ε is the mean over all foreign flows.
    let mut eps_weighted = 0.0;
    let mut eps_weight = 0.0;
    let mut exports = vec![0.0; n]; // bloc → i, producer prices
    let mut bloc_gross = vec![0.0; n]; // bloc → i, gross of tariffs
    let mut internal = 0.0;
    for k in 0..kk {
        let eps = cal.params.epsilon_of(k);
        for j in 0..n {
            for i in 0..n {
                let id = cal.index(k, j, i);
                let x = flows[id];
                if i != j {
                    eps_weighted += eps * x;
                    eps_weight += x;
                }
                if inside(j) {
                    if inside(i) {
                        internal += x;
                    } else {
                        exports[i] += x;
                        bloc_gross[i] += x * (1.0 + tariffs[id]);
                    }
                }
            }
        }
    }
    let eps = if eps_weight > 0.0 {
        eps_weighted / eps_weight
    } else {
        cal.params.epsilon_of(0)
    };
    let numerator: f64 = (0..n)
        .filter(|&i| !inside(i))
        .map(|i| exports[i] * (1.0 - cal.nu[i]) * (1.0 - bloc_gross[i] / expenditure[i]))
        .sum();
    let (nu, phi) = if let [j] = members {
        (cal.nu[*j], cal.phi[*j])
    } else {
        let y: f64 = members.iter().map(|&m| cal.income[m]).sum();
        let e: f64 = members.iter().map(|&m| cal.expenditure[m]).sum();
        (
            members
                .iter()
                .map(|&m| cal.nu[m] * cal.income[m])
                .sum::<f64>()
                / y,
            members
                .iter()
                .map(|&m| cal.phi[m] * cal.expenditure[m])
                .sum::<f64>()
                / e,
        )
    };
    let base: f64 = members
        .iter()
        .map(|&m| match denominator {
            Denominator::Expenditure => expenditure[m],
            Denominator::Income => income[m],
        })
        .sum();
    let delta = numerator / ((1.0 - nu) * (base - internal));
    let denom = (1.0 + eps * delta) * phi - 1.0;
    if denom.is_nan() || denom <= 0.0 || !delta.is_finite() {
        return Err(StrategyError::InvalidInput(format!(
            "the closed-form optimal tariff is undefined here ((1+εδ)φ − 1 = {denom:.4})"
        )));
    }
    Ok(1.0 / denom)
}

/// Settings of the numerical searches.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Lowest tariff considered (0: no import subsidies).
    pub lower: f64,
    /// Highest tariff considered (a fraction; 5 = 500%).
    pub upper: f64,
    /// Absolute tolerance on a uniform rate (1-D search).
    pub tolerance: f64,
    /// First step of the 1-D bracketing walk from the guess.
    pub initial_step: f64,
    /// Tolerance on the projected gradient, in welfare points per unit of tariff (many rates).
    pub gradient_tolerance: f64,
    /// Quasi-Newton iteration limit.
    pub max_iterations: usize,
    /// The equilibrium solver's settings. The default caps the iterations at 400 and skips the
    /// Newton fallback: a converging solve takes ~25-40 iterations, and a point with no
    /// equilibrium (outside the model's domain) must be rejected quickly, not polished.
    pub solver: SolverOptions,
    /// Threads for the finite-difference gradients (1 serial, 0 rayon's pool).
    pub threads: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            lower: 0.0,
            upper: 5.0,
            tolerance: 1e-6,
            initial_step: 0.01,
            gradient_tolerance: 1e-4,
            max_iterations: 200,
            solver: SolverOptions {
                max_iterations: 400,
                newton_fallback: false,
                ..SolverOptions::default()
            },
            threads: 0,
        }
    }
}

/// A numerical best response.
#[derive(Debug, Clone)]
pub struct BestResponse {
    /// Who.
    pub player: Player,
    /// With which instrument.
    pub instrument: Instrument,
    /// The choice variables.
    pub controls: Vec<Control>,
    /// Partners or sectors left out (no imports from them).
    pub skipped: Vec<String>,
    /// The optimal rate of each control.
    pub rates: Vec<f64>,
    /// The full tariff vector with the best response in place.
    pub tariffs: Vec<f64>,
    /// The player's welfare change (%) at the best response.
    pub welfare_pct: f64,
    /// The equilibrium at the best response.
    pub equilibrium: Equilibrium,
    /// Its outcomes.
    pub outcomes: Outcomes,
    /// Equilibrium solves used.
    pub solves: usize,
    /// Search iterations (objective evaluations for the 1-D search).
    pub iterations: usize,
    /// Largest projected-gradient component at the answer (0 for the 1-D search).
    pub projected_gradient: f64,
}

/// Solve, warm-started when a start is given, with the search settings; if that fails, once more
/// from the factual state with the engine's default settings (longer, with the Newton fallback),
/// so a point is declared outside the model's domain only when both fail. Every search solves
/// through here, so this is where a requested stop ends it (`StrategyError::Stopped`).
pub(crate) fn robust_solve(
    cal: &Calibration,
    tariffs: &[f64],
    start: Option<&Equilibrium>,
    solver: &SolverOptions,
) -> Result<Equilibrium, StrategyError> {
    if solver.stop.requested() {
        return Err(StrategyError::Stopped);
    }
    match ge::solve_from(cal, tariffs, start, solver) {
        Ok(eq) => Ok(eq),
        Err(_) => Ok(ge::solve(cal, tariffs, &SolverOptions::default())?),
    }
}

/// Solve and return the player's welfare (%), counting the solve.
pub(crate) fn welfare_at(
    cal: &Calibration,
    tariffs: &[f64],
    members: &[usize],
    start: Option<&Equilibrium>,
    solver: &SolverOptions,
    counter: &AtomicUsize,
) -> Result<(f64, Equilibrium), StrategyError> {
    counter.fetch_add(1, Ordering::Relaxed);
    let eq = robust_solve(cal, tariffs, start, solver)?;
    let out = ge::outcomes(cal, &eq);
    Ok((player_welfare(cal, &out, members), eq))
}

/// Forward-difference step on a tariff: small against the rates, large against the solver's
/// 1e-12 residual (welfare noise ~1e-10 points gives a gradient error ~1e-5).
pub(crate) const GRADIENT_STEP: f64 = 1e-5;

/// ∇ of an objective over `controls` by forward differences, in parallel, each solve
/// warm-started from the equilibrium at x.
#[allow(clippy::too_many_arguments)]
pub(crate) fn gradient<V>(
    cal: &Calibration,
    base_tariffs: &[f64],
    controls: &[Control],
    x: &[f64],
    fx: f64,
    upper: f64,
    options: &SearchOptions,
    counter: &AtomicUsize,
    value: V,
) -> Result<Vec<f64>, StrategyError>
where
    V: Fn(&Outcomes) -> f64 + Sync,
{
    let mut tariffs = base_tariffs.to_vec();
    apply_controls(controls, x, &mut tariffs);
    counter.fetch_add(1, Ordering::Relaxed);
    let eq = robust_solve(cal, &tariffs, None, &options.solver)?;
    let indices: Vec<usize> = (0..controls.len()).collect();
    let parts = par_map(
        options.threads,
        &indices,
        |&c| -> Result<f64, StrategyError> {
            let h = if x[c] + GRADIENT_STEP <= upper {
                GRADIENT_STEP
            } else {
                -GRADIENT_STEP
            };
            let mut t = tariffs.clone();
            for &e in &controls[c].entries {
                t[e] = x[c] + h;
            }
            counter.fetch_add(1, Ordering::Relaxed);
            let e = robust_solve(cal, &t, Some(&eq), &options.solver)?;
            Ok((value(&ge::outcomes(cal, &e)) - fx) / h)
        },
    );
    parts.into_iter().collect()
}

/// The numerical best response of `player` to `tariffs` (everything it does not control stays).
/// `guess` starts the search (default: the closed form at the equilibrium of `tariffs` for every
/// control, or the current rates where the closed form is undefined).
pub fn best_response(
    cal: &Calibration,
    tariffs: &[f64],
    player: &Player,
    instrument: Instrument,
    guess: Option<&[f64]>,
    options: &SearchOptions,
) -> Result<BestResponse, StrategyError> {
    if options.lower >= options.upper
        || options.lower.is_nan()
        || options.upper.is_nan()
        || options.lower <= -1.0
    {
        return Err(StrategyError::InvalidInput(format!(
            "tariff bounds must satisfy −1 < lower < upper, got [{}, {}]",
            options.lower, options.upper
        )));
    }
    let (ctrls, skipped) = controls(cal, player, instrument);
    if ctrls.is_empty() {
        return Err(StrategyError::InvalidInput(format!(
            "{} imports nothing from outside itself: no tariff to choose",
            player.name
        )));
    }
    let counter = AtomicUsize::new(0);
    let start: Vec<f64> = match guess {
        Some(g) if g.len() == ctrls.len() => g.to_vec(),
        Some(g) => {
            return Err(StrategyError::InvalidInput(format!(
                "the guess has {} rates, the player has {} controls",
                g.len(),
                ctrls.len()
            )))
        }
        None => {
            counter.fetch_add(1, Ordering::Relaxed);
            let eq = robust_solve(cal, tariffs, None, &options.solver)?;
            match closed_form_at(cal, Some(&eq), &player.members, Denominator::Expenditure) {
                Ok(t) => vec![t; ctrls.len()],
                Err(_) => read_controls(&ctrls, tariffs),
            }
        }
    };
    let search = Search {
        cal,
        tariffs,
        player,
        ctrls: &ctrls,
        options,
        counter: &counter,
    };
    let (rates, iterations, projected_gradient) = if ctrls.len() == 1 {
        search.uniform(start[0])?
    } else {
        search.by_control(&start)?
    };
    let members = &player.members;
    let mut best = tariffs.to_vec();
    apply_controls(&ctrls, &rates, &mut best);
    counter.fetch_add(1, Ordering::Relaxed);
    let equilibrium = robust_solve(cal, &best, None, &options.solver)?;
    let outcomes = ge::outcomes(cal, &equilibrium);
    Ok(BestResponse {
        player: player.clone(),
        instrument,
        controls: ctrls,
        skipped,
        rates,
        tariffs: best,
        welfare_pct: player_welfare(cal, &outcomes, members),
        equilibrium,
        outcomes,
        solves: counter.load(Ordering::Relaxed),
        iterations,
        projected_gradient,
    })
}

/// One best-response search: the player's controls on top of `tariffs`.
struct Search<'a> {
    cal: &'a Calibration,
    tariffs: &'a [f64],
    player: &'a Player,
    ctrls: &'a [Control],
    options: &'a SearchOptions,
    counter: &'a AtomicUsize,
}

/// The rates found, the search's iterations (evaluations in 1-D) and its projected gradient.
type Found = (Vec<f64>, usize, f64);

impl Search<'_> {
    /// One uniform rate: Brent's method from `start`, then a check that the optimum is not the
    /// edge of the model's domain.
    fn uniform(&self, start: f64) -> Result<Found, StrategyError> {
        let (cal, tariffs, ctrls, options, counter) = (
            self.cal,
            self.tariffs,
            self.ctrls,
            self.options,
            self.counter,
        );
        let (player, members) = (self.player, &self.player.members);
        let mut t = tariffs.to_vec();
        let mut last: Option<Equilibrium> = None;
        let r = maximize_1d(
            |v| {
                apply_controls(ctrls, &[v], &mut t);
                // Outside the model's domain (no equilibrium) counts as the worst outcome.
                match welfare_at(cal, &t, members, last.as_ref(), &options.solver, counter) {
                    Ok((w, eq)) => {
                        last = Some(eq);
                        Ok(w)
                    }
                    Err(StrategyError::Model(_)) => Ok(f64::NEG_INFINITY),
                    Err(e) => Err(e),
                }
            },
            start,
            options.lower,
            options.upper,
            options.initial_step,
            options.tolerance,
            200,
        )?;
        // An optimum at the edge of the domain is no optimum: check just above it.
        let probe = (r.x + 1e-3).min(options.upper);
        if probe > r.x {
            apply_controls(ctrls, &[probe], &mut t);
            if let Err(StrategyError::Model(_)) =
                welfare_at(cal, &t, members, last.as_ref(), &options.solver, counter)
            {
                let hint = if cal.params.revenue == ge::Revenue::IncomeTaxRelief {
                    "; under income-tax relief tariff revenue approaching income drives labour supply without bound — use the lump-sum rebate"
                } else {
                    ""
                };
                return Err(StrategyError::NoOptimum {
                    player: player.name.clone(),
                    rate_pct: 100.0 * r.x,
                    hint: hint.into(),
                });
            }
        }
        Ok((vec![r.x], r.evaluations, 0.0))
    }

    /// Several rates: projected BFGS from `start` with numerical gradients.
    fn by_control(&self, start: &[f64]) -> Result<Found, StrategyError> {
        let (cal, tariffs, ctrls, options, counter) = (
            self.cal,
            self.tariffs,
            self.ctrls,
            self.options,
            self.counter,
        );
        let members = &self.player.members;
        let value = |x: &[f64]| -> Result<Option<f64>, StrategyError> {
            let mut t = tariffs.to_vec();
            apply_controls(ctrls, x, &mut t);
            match welfare_at(cal, &t, members, None, &options.solver, counter) {
                Ok((w, _)) => Ok(Some(w)),
                Err(StrategyError::Model(_)) => Ok(None),
                Err(e) => Err(e),
            }
        };
        let grad = |x: &[f64], fx: f64| {
            gradient(
                cal,
                tariffs,
                ctrls,
                x,
                fx,
                options.upper,
                options,
                counter,
                |out| player_welfare(cal, out, members),
            )
        };
        let nd = NdOptions {
            gradient_tolerance: options.gradient_tolerance,
            step_tolerance: options.tolerance,
            max_step: 0.25,
            max_iterations: options.max_iterations,
        };
        let r = maximize_nd(value, grad, start, options.lower, options.upper, &nd)?;
        Ok((r.x, r.iterations, r.projected_gradient))
    }
}
