//! The Nash tariff war: every player's tariffs are a best response to everyone else's.
//!
//! Method (damped best-response iteration, each best response verified numerically):
//! 1. With uniform tariffs, a cheap *guided* iteration moves each player towards its closed-form
//!    rate evaluated at the current equilibrium plus a per-player correction (zero at first):
//!    t_i ← t_i + d·(t*_i(eq) + c_i − t_i), one equilibrium solve per step.
//! 2. A *round*: every player's numerical best response to the current tariffs of the others
//!    (1-D Brent search, or projected BFGS over partner/sector rates), in parallel. The round's
//!    residual is the largest |best response − current rate|; below the tolerance the profile is
//!    a Nash equilibrium. Otherwise c_i ← BR_i − t*_i(eq) (the closed form's error at this point),
//!    t_i moves a damped step towards BR_i, and the guided iteration runs again.
//!
//! Players that are not listed keep their starting tariffs. Non-convergence is an error.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::best_response::{
    apply_controls, best_response, closed_form_at, controls, player_welfare, read_controls,
    robust_solve, welfare_at, Control, Instrument, Player, SearchOptions,
};
use super::optimal::Denominator;
use super::{par_map, StrategyError};
use crate::ge::{self, Calibration, Equilibrium, Outcomes};

/// The largest move of a rate in one guided step.
const GUIDED_STEP: f64 = 0.05;

/// Half-width of the three-point check of a uniform best response near the current rate.
const QUICK_STEP: f64 = 0.002;

/// A uniform best response near `x0` from few solves: the parabola through (x0 − h, x0, x0 + h)
/// (f(x0) is known). Accepted when the middle point is the highest and the vertex lies within h
/// of x0 (the vertex error is O(h²·W'''/W''), far below the war's tolerance). When the vertex is
/// further but within 0.1, the check is repeated once around it (three solves). None otherwise:
/// the caller runs the full search.
#[allow(clippy::too_many_arguments)]
fn quick_response(
    cal: &Calibration,
    tariffs: &[f64],
    eq: &Equilibrium,
    player: &Player,
    ctrls: &[Control],
    x0: f64,
    f0: f64,
    search: &SearchOptions,
    counter: &AtomicUsize,
) -> Result<Option<f64>, StrategyError> {
    let h = QUICK_STEP;
    let mut t = tariffs.to_vec();
    let mut at = |x: f64| -> Result<Option<f64>, StrategyError> {
        apply_controls(ctrls, &[x], &mut t);
        match welfare_at(cal, &t, &player.members, Some(eq), &search.solver, counter) {
            Ok((w, _)) => Ok(Some(w)),
            Err(StrategyError::Model(_)) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let (mut center, mut f_center) = (x0, Some(f0));
    for _ in 0..2 {
        if center - h < search.lower || center + h > search.upper {
            return Ok(None);
        }
        let fc = match f_center {
            Some(v) => v,
            None => match at(center)? {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        let (Some(fm), Some(fp)) = (at(center - h)?, at(center + h)?) else {
            return Ok(None);
        };
        let curvature = fp - 2.0 * fc + fm;
        if curvature.is_nan() || curvature >= 0.0 {
            return Ok(None);
        }
        let vertex = center - 0.5 * h * (fp - fm) / curvature;
        if (vertex - center).abs() <= h && fc >= fm && fc >= fp {
            return Ok(Some(vertex));
        }
        if (vertex - x0).abs() > 0.1 {
            return Ok(None);
        }
        center = vertex;
        f_center = None;
    }
    Ok(None)
}

/// Settings of [`nash`].
#[derive(Debug, Clone, Copy)]
pub struct NashOptions {
    /// What each player chooses (uniform or by sector; by partner works but costs N solves per gradient).
    pub instrument: Instrument,
    /// Weight of the new best response in each update, in (0, 1]; halved whenever a round's
    /// residual exceeds the previous one's. Tariff best responses depend weakly on the others'
    /// tariffs, so undamped steps (1) contract fastest on the shared worlds.
    pub damping: f64,
    /// Converged when no player's best response differs from its rate by more than this (fraction).
    pub tolerance: f64,
    /// Limit on numerical best-response rounds.
    pub max_rounds: usize,
    /// The best-response searches.
    pub search: SearchOptions,
    /// Players searched in parallel: 1 serial, 0 rayon's global pool, n a pool of n threads.
    pub threads: usize,
    /// Run the guided closed-form iteration between rounds (uniform tariffs only).
    pub guided: bool,
}

impl Default for NashOptions {
    fn default() -> Self {
        NashOptions {
            instrument: Instrument::Uniform,
            damping: 1.0,
            tolerance: 1e-4,
            max_rounds: 30,
            search: SearchOptions {
                tolerance: 1e-6,
                initial_step: 0.002,
                ..SearchOptions::default()
            },
            threads: 0,
            guided: false,
        }
    }
}

/// Where the computation is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NashProgress {
    /// Best-response round (1-based); 0 during the guided iteration before the first round.
    pub round: usize,
    /// Players whose best response is done in this round.
    pub done: usize,
    /// Players in the war.
    pub total: usize,
    /// The residual of the previous round (NaN before the first).
    pub residual: f64,
}

/// A Nash equilibrium of tariffs.
#[derive(Debug, Clone)]
pub struct NashResult {
    /// The players.
    pub players: Vec<Player>,
    /// Each player's choice variables.
    pub controls: Vec<Vec<Control>>,
    /// Partners or sectors left out for each player (no imports from them).
    pub skipped: Vec<Vec<String>>,
    /// Each player's Nash rates, one per control.
    pub rates: Vec<Vec<f64>>,
    /// The full tariff vector at the equilibrium.
    pub tariffs: Vec<f64>,
    /// The GE equilibrium there.
    pub equilibrium: Equilibrium,
    /// Outcomes of every country against the factual state.
    pub outcomes: Outcomes,
    /// Each player's welfare change (%) against the factual state.
    pub welfare_pct: Vec<f64>,
    /// Each player's closed-form rate at the Nash equilibrium (None where undefined).
    pub closed_form: Vec<Option<f64>>,
    /// Numerical best-response rounds.
    pub rounds: usize,
    /// Steps of the guided (closed-form) iteration.
    pub guided_steps: usize,
    /// The last round's residual: max |best response − rate| over players and controls.
    pub residual: f64,
    /// The residual of every round.
    pub history: Vec<f64>,
    /// Equilibrium solves used in total.
    pub solves: usize,
}

/// Check that the players are non-empty, inside the world and disjoint.
fn validate(cal: &Calibration, players: &[Player]) -> Result<(), StrategyError> {
    if players.is_empty() {
        return Err(StrategyError::InvalidInput(
            "a tariff war needs at least one player".into(),
        ));
    }
    let mut seen = vec![false; cal.n];
    for p in players {
        if p.members.is_empty() {
            return Err(StrategyError::InvalidInput(format!(
                "player {} has no members in the data",
                p.name
            )));
        }
        for &m in &p.members {
            if m >= cal.n {
                return Err(StrategyError::InvalidInput(format!(
                    "player {}: country index {m} out of range",
                    p.name
                )));
            }
            if seen[m] {
                return Err(StrategyError::InvalidInput(format!(
                    "{} belongs to two players",
                    cal.countries[m]
                )));
            }
            seen[m] = true;
        }
    }
    Ok(())
}

/// Damped best-response iteration from `start` (usually the factual tariffs) to a Nash
/// equilibrium among `players`. `progress` is called as players finish.
pub fn nash(
    cal: &Calibration,
    start: &[f64],
    players: &[Player],
    options: &NashOptions,
    progress: &(dyn Fn(&NashProgress) + Sync),
) -> Result<NashResult, StrategyError> {
    validate(cal, players)?;
    if !(options.damping > 0.0 && options.damping <= 1.0) {
        return Err(StrategyError::InvalidInput(format!(
            "damping must be in (0, 1], got {}",
            options.damping
        )));
    }
    if options.tolerance.is_nan() || options.tolerance <= 0.0 {
        return Err(StrategyError::InvalidInput(format!(
            "the tolerance must be positive, got {}",
            options.tolerance
        )));
    }
    let search = &options.search;
    let solves = AtomicUsize::new(0);
    let solve = |t: &[f64], from: Option<&Equilibrium>| -> Result<Equilibrium, StrategyError> {
        solves.fetch_add(1, Ordering::Relaxed);
        robust_solve(cal, t, from, &search.solver)
    };
    let mut t = start.to_vec();
    let mut guided_steps = 0;
    let mut history = Vec::new();
    // With sector or partner rates, start from the uniform Nash equilibrium.
    if options.instrument != Instrument::Uniform {
        let uniform = nash(
            cal,
            start,
            players,
            &NashOptions {
                instrument: Instrument::Uniform,
                ..*options
            },
            progress,
        )?;
        t = uniform.tariffs;
        guided_steps += uniform.guided_steps;
        solves.fetch_add(uniform.solves, Ordering::Relaxed);
    }
    let mut ctrls = Vec::with_capacity(players.len());
    let mut skipped = Vec::with_capacity(players.len());
    for p in players {
        let (c, s) = controls(cal, p, options.instrument);
        if c.is_empty() {
            return Err(StrategyError::InvalidInput(format!(
                "{} imports nothing from outside itself: no tariff to choose",
                p.name
            )));
        }
        ctrls.push(c);
        skipped.push(s);
    }
    let mut rates: Vec<Vec<f64>> = ctrls.iter().map(|c| read_controls(c, &t)).collect();
    let mut eq = solve(&t, None)?;
    let uniform = options.instrument == Instrument::Uniform;
    let mut correction = vec![0.0; players.len()];
    let clamp = |v: f64| v.clamp(search.lower, search.upper);
    let closed_forms = |eq: &Equilibrium| -> Vec<Option<f64>> {
        players
            .iter()
            .map(|p| closed_form_at(cal, Some(eq), &p.members, Denominator::Expenditure).ok())
            .collect()
    };
    let total = players.len();
    let mut residual = f64::NAN;
    let mut rounds = 0;
    let mut damping = options.damping;
    let indices: Vec<usize> = (0..total).collect();
    while rounds < options.max_rounds {
        if uniform && options.guided {
            // Guided iteration towards t*(eq) + correction, at most GUIDED_STEP per step; it stops
            // when it stalls or diverges (the closed form is only a guide far from the answer).
            let mut last_change = f64::INFINITY;
            for _ in 0..200 {
                let cf = closed_forms(&eq);
                let mut change: f64 = 0.0;
                let previous = rates.clone();
                for p in 0..total {
                    let target = clamp(cf[p].unwrap_or(rates[p][0]) + correction[p]);
                    change = change.max((target - rates[p][0]).abs());
                    rates[p][0] +=
                        (options.damping * (target - rates[p][0])).clamp(-GUIDED_STEP, GUIDED_STEP);
                    apply_controls(&ctrls[p], &rates[p], &mut t);
                }
                match solve(&t, Some(&eq)) {
                    Ok(e) => eq = e,
                    Err(_) => {
                        // The guided step left the model's domain: undo it and let the
                        // numerical best responses (which stay inside) take over.
                        rates = previous;
                        for p in 0..total {
                            apply_controls(&ctrls[p], &rates[p], &mut t);
                        }
                        break;
                    }
                }
                guided_steps += 1;
                if change < 0.1 * options.tolerance || change > 0.99 * last_change {
                    break;
                }
                last_change = change;
            }
        }
        rounds += 1;
        let done = AtomicUsize::new(0);
        progress(&NashProgress {
            round: rounds,
            done: 0,
            total,
            residual,
        });
        let here = ge::outcomes(cal, &eq);
        let responses = par_map(options.threads, &indices, |&p| {
            let quick = if uniform && rounds > 1 {
                let at = player_welfare(cal, &here, &players[p].members);
                quick_response(
                    cal,
                    &t,
                    &eq,
                    &players[p],
                    &ctrls[p],
                    rates[p][0],
                    at,
                    search,
                    &solves,
                )
            } else {
                Ok(None)
            };
            let r = match quick {
                Ok(Some(q)) => Ok((vec![q], 0)),
                Ok(None) => {
                    // Far from the answer: wider bracketing steps, and no more precision than
                    // the last round's residual warrants (the final rounds use the full tolerance).
                    let wide = SearchOptions {
                        initial_step: if rounds == 1 {
                            0.02
                        } else {
                            search.initial_step
                        },
                        tolerance: if residual.is_nan() {
                            1e-3
                        } else {
                            (residual / 100.0).clamp(search.tolerance, 1e-3)
                        },
                        ..*search
                    };
                    best_response(
                        cal,
                        &t,
                        &players[p],
                        options.instrument,
                        Some(&rates[p]),
                        &wide,
                    )
                    .map(|b| (b.rates, b.solves))
                }
                Err(e) => Err(e),
            };
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(&NashProgress {
                round: rounds,
                done: d,
                total,
                residual,
            });
            r
        });
        let responses: Vec<_> = responses.into_iter().collect::<Result<_, _>>()?;
        residual = 0.0;
        let responses: Vec<Vec<f64>> = responses
            .into_iter()
            .map(|(r, n)| {
                solves.fetch_add(n, Ordering::Relaxed);
                r
            })
            .collect();
        for (p, r) in responses.iter().enumerate() {
            for (a, b) in r.iter().zip(&rates[p]) {
                residual = residual.max((a - b).abs());
            }
        }
        history.push(residual);
        if residual < options.tolerance {
            break;
        }
        if history.len() >= 2 && residual > history[history.len() - 2] {
            // Overshooting: damp harder.
            damping *= 0.5;
        }
        let cf = if uniform {
            closed_forms(&eq)
        } else {
            Vec::new()
        };
        for (p, r) in responses.iter().enumerate() {
            if uniform {
                correction[p] = cf[p].map_or(0.0, |c| r[0] - c);
            }
        }
        // Damped step towards the best responses, shortened if the joint profile has no equilibrium.
        let previous = rates.clone();
        let mut step = damping;
        loop {
            for (p, r) in responses.iter().enumerate() {
                for ((rate, br), old) in rates[p].iter_mut().zip(r).zip(&previous[p]) {
                    *rate = old + step * (br - old);
                }
                apply_controls(&ctrls[p], &rates[p], &mut t);
            }
            match solve(&t, Some(&eq)) {
                Ok(e) => {
                    eq = e;
                    break;
                }
                Err(e) if step < 1e-3 => return Err(e),
                Err(_) => step *= 0.5,
            }
        }
    }
    if residual.is_nan() || residual >= options.tolerance {
        return Err(StrategyError::NotConverged {
            what: "the Nash tariff war".into(),
            iterations: rounds,
            residual,
        });
    }
    let outcomes = ge::outcomes(cal, &eq);
    let welfare_pct = players
        .iter()
        .map(|p| player_welfare(cal, &outcomes, &p.members))
        .collect();
    let closed_form = closed_forms(&eq);
    Ok(NashResult {
        players: players.to_vec(),
        controls: ctrls,
        skipped,
        rates,
        tariffs: t,
        equilibrium: eq,
        outcomes,
        welfare_pct,
        closed_form,
        rounds,
        guided_steps,
        residual,
        history,
        solves: solves.load(Ordering::Relaxed),
    })
}
