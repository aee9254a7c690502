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

/// Settings of [`nash`].
#[derive(Debug, Clone)]
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
    let mut war = War::start(cal, start, players, options, progress)?;
    let mut damping = options.damping;
    while war.rounds < options.max_rounds {
        if war.uniform && options.guided {
            war.guided();
        }
        war.rounds += 1;
        let responses = war.best_responses(progress)?;
        let residual = war.residual_of(&responses);
        war.residual = residual;
        war.history.push(residual);
        if residual < options.tolerance {
            break;
        }
        if war.history.len() >= 2 && residual > war.history[war.history.len() - 2] {
            // Overshooting: damp harder.
            damping *= 0.5;
        }
        war.correct(&responses);
        war.step_towards(&responses, damping)?;
    }
    if war.residual.is_nan() || war.residual >= options.tolerance {
        return Err(StrategyError::NotConverged {
            what: "the Nash tariff war".into(),
            iterations: war.rounds,
            residual: war.residual,
        });
    }
    Ok(war.finish())
}

/// The state of the war between phases.
struct War<'a> {
    cal: &'a Calibration,
    players: &'a [Player],
    options: &'a NashOptions,
    uniform: bool,
    ctrls: Vec<Vec<Control>>,
    skipped: Vec<Vec<String>>,
    /// Each player's rates, one per control.
    rates: Vec<Vec<f64>>,
    /// The full tariff vector with those rates.
    t: Vec<f64>,
    eq: Equilibrium,
    /// Each player's c_i (method, step 2).
    correction: Vec<f64>,
    solves: AtomicUsize,
    guided_steps: usize,
    rounds: usize,
    residual: f64,
    history: Vec<f64>,
}

impl<'a> War<'a> {
    /// The players' controls and the equilibrium at `start`; with sector or partner rates, the
    /// war starts from the uniform Nash equilibrium.
    fn start(
        cal: &'a Calibration,
        start: &[f64],
        players: &'a [Player],
        options: &'a NashOptions,
        progress: &(dyn Fn(&NashProgress) + Sync),
    ) -> Result<War<'a>, StrategyError> {
        let (mut t, mut guided_steps, mut solves) = (start.to_vec(), 0, 0);
        if options.instrument != Instrument::Uniform {
            let uniform_options = NashOptions {
                instrument: Instrument::Uniform,
                ..options.clone()
            };
            let uniform = nash(cal, start, players, &uniform_options, progress)?;
            t = uniform.tariffs;
            guided_steps += uniform.guided_steps;
            solves += uniform.solves;
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
        let rates: Vec<Vec<f64>> = ctrls.iter().map(|c| read_controls(c, &t)).collect();
        let solves = AtomicUsize::new(solves + 1);
        let eq = robust_solve(cal, &t, None, &options.search.solver)?;
        Ok(War {
            cal,
            players,
            options,
            uniform: options.instrument == Instrument::Uniform,
            ctrls,
            skipped,
            rates,
            t,
            eq,
            correction: vec![0.0; players.len()],
            solves,
            guided_steps,
            rounds: 0,
            residual: f64::NAN,
            history: Vec::new(),
        })
    }

    fn solve(&self, from: Option<&Equilibrium>) -> Result<Equilibrium, StrategyError> {
        self.solves.fetch_add(1, Ordering::Relaxed);
        robust_solve(self.cal, &self.t, from, &self.options.search.solver)
    }

    fn apply_all(&mut self) {
        for (ctrls, rates) in self.ctrls.iter().zip(&self.rates) {
            apply_controls(ctrls, rates, &mut self.t);
        }
    }

    fn closed_forms(&self, eq: &Equilibrium) -> Vec<Option<f64>> {
        let cal = self.cal;
        self.players
            .iter()
            .map(|p| closed_form_at(cal, Some(eq), &p.members, Denominator::Expenditure).ok())
            .collect()
    }

    /// Step 1: guided iteration towards t*(eq) + correction, at most GUIDED_STEP per step; it
    /// stops when it stalls or diverges (the closed form is only a guide far from the answer).
    fn guided(&mut self) {
        let search = &self.options.search;
        let clamp = |v: f64| v.clamp(search.lower, search.upper);
        let mut last_change = f64::INFINITY;
        for _ in 0..200 {
            let cf = self.closed_forms(&self.eq);
            let mut change: f64 = 0.0;
            let previous = self.rates.clone();
            for (p, rates) in self.rates.iter_mut().enumerate() {
                let target = clamp(cf[p].unwrap_or(rates[0]) + self.correction[p]);
                change = change.max((target - rates[0]).abs());
                rates[0] +=
                    (self.options.damping * (target - rates[0])).clamp(-GUIDED_STEP, GUIDED_STEP);
            }
            self.apply_all();
            match self.solve(Some(&self.eq)) {
                Ok(e) => self.eq = e,
                Err(_) => {
                    // The guided step left the model's domain: undo it and let the numerical
                    // best responses (which stay inside) take over.
                    self.rates = previous;
                    self.apply_all();
                    return;
                }
            }
            self.guided_steps += 1;
            if change < 0.1 * self.options.tolerance || change > 0.99 * last_change {
                return;
            }
            last_change = change;
        }
    }

    /// Step 2: every player's best response to the others' current tariffs, in parallel.
    fn best_responses(
        &self,
        progress: &(dyn Fn(&NashProgress) + Sync),
    ) -> Result<Vec<Vec<f64>>, StrategyError> {
        let total = self.players.len();
        let (round, residual) = (self.rounds, self.residual);
        let done = AtomicUsize::new(0);
        progress(&NashProgress {
            round,
            done: 0,
            total,
            residual,
        });
        let here = ge::outcomes(self.cal, &self.eq);
        let indices: Vec<usize> = (0..total).collect();
        let responses = par_map(self.options.threads, &indices, |&p| {
            let r = self.best_response(p, &here);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(&NashProgress {
                round,
                done: d,
                total,
                residual,
            });
            r
        });
        let responses: Vec<_> = responses.into_iter().collect::<Result<_, _>>()?;
        Ok(responses
            .into_iter()
            .map(|(r, n)| {
                self.solves.fetch_add(n, Ordering::Relaxed);
                r
            })
            .collect())
    }

    /// Player `p`'s best response and the solves it spent beyond those counted on the way:
    /// the three-point check near its rate first (uniform rates after round 1), the full search
    /// otherwise.
    fn best_response(&self, p: usize, here: &Outcomes) -> Result<(Vec<f64>, usize), StrategyError> {
        let (cal, search, player) = (self.cal, &self.options.search, &self.players[p]);
        if self.uniform && self.rounds > 1 {
            let at = player_welfare(cal, here, &player.members);
            if let Some(q) = self.quick_response(p, at)? {
                return Ok((vec![q], 0));
            }
        }
        // Far from the answer: wider bracketing steps, and no more precision than the last
        // round's residual warrants (the final rounds use the full tolerance).
        let residual = self.residual;
        let wide = SearchOptions {
            initial_step: if self.rounds == 1 {
                0.02
            } else {
                search.initial_step
            },
            tolerance: if residual.is_nan() {
                1e-3
            } else {
                (residual / 100.0).clamp(search.tolerance, 1e-3)
            },
            ..search.clone()
        };
        best_response(
            cal,
            &self.t,
            player,
            self.options.instrument,
            Some(&self.rates[p]),
            &wide,
        )
        .map(|b| (b.rates, b.solves))
    }

    /// Player `p`'s uniform best response near its rate x0 from few solves: the parabola through (x0 − h, x0, x0 + h)
    /// (f(x0) is known). Accepted when the middle point is the highest and the vertex lies within h
    /// of x0 (the vertex error is O(h²·W'''/W''), far below the war's tolerance). When the vertex is
    /// further but within 0.1, the check is repeated once around it (three solves). None otherwise:
    /// the caller runs the full search.
    fn quick_response(&self, p: usize, f0: f64) -> Result<Option<f64>, StrategyError> {
        let (cal, search, members) = (self.cal, &self.options.search, &self.players[p].members);
        let (x0, h) = (self.rates[p][0], QUICK_STEP);
        let mut t = self.t.clone();
        let mut at = |x: f64| -> Result<Option<f64>, StrategyError> {
            apply_controls(&self.ctrls[p], &[x], &mut t);
            match welfare_at(
                cal,
                &t,
                members,
                Some(&self.eq),
                &search.solver,
                &self.solves,
            ) {
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

    /// The round's residual: the largest |best response − current rate|.
    fn residual_of(&self, responses: &[Vec<f64>]) -> f64 {
        let mut residual: f64 = 0.0;
        for (r, rates) in responses.iter().zip(&self.rates) {
            for (a, b) in r.iter().zip(rates) {
                residual = residual.max((a - b).abs());
            }
        }
        residual
    }

    /// c_i ← BR_i − t*_i(eq): the closed form's error at this point (uniform rates only).
    fn correct(&mut self, responses: &[Vec<f64>]) {
        if !self.uniform {
            return;
        }
        let cf = self.closed_forms(&self.eq);
        for (p, r) in responses.iter().enumerate() {
            self.correction[p] = cf[p].map_or(0.0, |c| r[0] - c);
        }
    }

    /// A damped step towards the best responses, shortened if the joint profile has no
    /// equilibrium.
    fn step_towards(&mut self, responses: &[Vec<f64>], damping: f64) -> Result<(), StrategyError> {
        let previous = self.rates.clone();
        let mut step = damping;
        loop {
            for ((rates, r), old) in self.rates.iter_mut().zip(responses).zip(&previous) {
                for ((rate, br), old) in rates.iter_mut().zip(r).zip(old) {
                    *rate = old + step * (br - old);
                }
            }
            self.apply_all();
            match self.solve(Some(&self.eq)) {
                Ok(e) => {
                    self.eq = e;
                    return Ok(());
                }
                Err(e) if step < 1e-3 => return Err(e),
                Err(_) => step *= 0.5,
            }
        }
    }

    fn finish(self) -> NashResult {
        let outcomes = ge::outcomes(self.cal, &self.eq);
        let welfare_pct = self
            .players
            .iter()
            .map(|p| player_welfare(self.cal, &outcomes, &p.members))
            .collect();
        let closed_form = self.closed_forms(&self.eq);
        NashResult {
            players: self.players.to_vec(),
            controls: self.ctrls,
            skipped: self.skipped,
            rates: self.rates,
            tariffs: self.t,
            equilibrium: self.eq,
            outcomes,
            welfare_pct,
            closed_form,
            rounds: self.rounds,
            guided_steps: self.guided_steps,
            residual: self.residual,
            history: self.history,
            solves: self.solves.load(Ordering::Relaxed),
        }
    }
}
