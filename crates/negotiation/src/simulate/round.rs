//! One round of a talk between the US and a partner agent: offers, reservation values, outcome.

use super::*;

/// A partner's offer: the US rate it asks for, its cut of its own tariff on US goods, and its
/// extra purchases (fraction of no-deal US exports).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Offer {
    pub(super) ask: f64,
    pub(super) cut: f64,
    pub(super) purchase: f64,
}

pub(super) struct RoundCtx<'a> {
    pub(super) world: &'a World,
    pub(super) reference: &'a Reference,
    pub(super) objective: &'a UsObjective,
    pub(super) rules: &'a Rules,
    pub(super) days_left: u32,
}

pub(super) enum Outcome {
    Deal {
        by: Side,
        offer: Offer,
        terms: Terms,
        eval: Box<Evaluation>,
    },
    Continue,
    Stall,
    Quit,
}

pub(super) struct Played {
    pub(super) outcome: Outcome,
    pub(super) events: Vec<(EventKind, String)>,
    pub(super) solves: usize,
    pub(super) last_acceptable: Option<Offer>,
    pub(super) final_offer: bool,
}

/// The most GE solves the US spends finding its reservation rate.
pub(super) const RESERVATION_SOLVES: usize = 6;

/// One round of a talk: the partner's offer, the US answer, the partner's answer to a counter.
pub(super) fn play_round(
    ctx: &RoundCtx<'_>,
    p: &SimPartner,
    base_exports: f64,
    agent: &Agent,
) -> Result<Played, ScoreError> {
    let mut round = Round {
        ctx,
        p,
        base_exports,
        solves: 0,
        events: Vec::new(),
    };
    let Some(Tabled {
        offer,
        terms,
        eval: e,
        acceptable,
        is_final,
    }) = round.table(agent)?
    else {
        return Ok(round.played(Outcome::Quit, agent.last_acceptable, true));
    };
    let gain = ctx.objective.gain(&e.score);
    round.events.push((
        EventKind::Proposed,
        format!(
            "{}offer: US {:.1}%, own tariff cut {:.0}%{}; US objective {gain:+.4}, partner {:+.4}% welfare vs no deal",
            if is_final { "final " } else { "" },
            offer.ask,
            100.0 * offer.cut,
            if offer.purchase > 0.0 { format!(", buys {:.0}% more US goods", 100.0 * offer.purchase) } else { String::new() },
            e.score.partner_welfare_pct
        ),
    ));
    let outcome = if gain >= 0.0 {
        Outcome::Deal {
            by: Side::Partner,
            offer,
            terms,
            eval: Box::new(e),
        }
    } else {
        round.us_answer(offer, gain, is_final)?
    };
    Ok(round.played(outcome, acceptable, is_final))
}

/// The offer a partner tables, scored.
struct Tabled {
    offer: Offer,
    terms: Terms,
    eval: Evaluation,
    /// The partner's last offer that beat no deal for itself, this one included.
    acceptable: Option<Offer>,
    is_final: bool,
}

/// One round in progress: what it has logged and how many GE solves it spent.
struct Round<'r, 'a> {
    ctx: &'r RoundCtx<'a>,
    p: &'r SimPartner,
    base_exports: f64,
    solves: usize,
    events: Vec<(EventKind, String)>,
}

impl Round<'_, '_> {
    fn eval(&mut self, o: &Offer) -> Result<(Terms, Evaluation), ScoreError> {
        let ctx = self.ctx;
        let terms = offer_terms(
            ctx.world,
            ctx.reference,
            self.p,
            o.ask,
            o.cut,
            o.purchase,
            self.base_exports,
        );
        self.solves += 1;
        let e = evaluate(ctx.world, ctx.reference, &self.p.partner, &terms)?;
        Ok((terms, e))
    }

    /// The US objective's gain with the partner's concessions at the US rate `rate`.
    fn at(&mut self, offer: &Offer, rate: f64) -> Result<(Terms, Evaluation, f64), ScoreError> {
        let (t, e) = self.eval(&Offer {
            ask: rate,
            ..*offer
        })?;
        let g = self.ctx.objective.gain(&e.score);
        Ok((t, e, g))
    }

    fn played(self, outcome: Outcome, last_acceptable: Option<Offer>, final_offer: bool) -> Played {
        Played {
            outcome,
            events: self.events,
            solves: self.solves,
            last_acceptable,
            final_offer,
        }
    }

    /// The partner's offer (step 3), or `None` when it leaves the talks.
    fn table(&mut self, agent: &Agent) -> Result<Option<Tabled>, ScoreError> {
        let (rules, snap) = (self.ctx.rules, self.p.snap_back_pct);
        let floor = rules.baseline_pct.min(snap);
        // Deadline pressure: with less than a round left, the partner jumps two offers ahead.
        let pressure = if self.ctx.days_left < agent.interval() {
            2
        } else {
            0
        };
        let k = f64::from(agent.offers + pressure);
        let step = agent.step;
        let mut offer = Offer {
            ask: floor + (snap - floor) * (k * step).min(1.0),
            cut: (rules.first_cut + k * step).min(1.0),
            purchase: if k >= 1.0 {
                (rules.purchase_step * k).min(rules.max_purchase)
            } else {
                0.0
            },
        };
        let last_acceptable = agent.last_acceptable;
        let mut is_final = agent.final_offer;
        if let (true, Some(prev)) = (agent.final_offer, last_acceptable) {
            offer = prev;
        }
        let (mut terms, mut e) = self.eval(&offer)?;
        if e.score.partner_welfare_pct > 0.0 {
            return Ok(Some(Tabled {
                offer,
                terms,
                eval: e,
                acceptable: Some(offer),
                is_final,
            }));
        }
        // The partner never tables an offer worse for itself than no deal: it repeats its last
        // acceptable offer as final, or leaves.
        let Some(prev) = last_acceptable.filter(|prev| *prev != offer) else {
            self.events.push((EventKind::Collapsed, format!(
                "leaves the talks: conceding a {:.0}% cut for a {:.1}% US rate would leave it worse than no deal ({:+.4}%)",
                100.0 * offer.cut, offer.ask, e.score.partner_welfare_pct
            )));
            return Ok(None);
        };
        offer = prev;
        (terms, e) = self.eval(&offer)?;
        is_final = true;
        if e.score.partner_welfare_pct <= 0.0 {
            self.events.push((
                EventKind::Collapsed,
                "leaves the talks: no offer left that beats no deal".into(),
            ));
            return Ok(None);
        }
        Ok(Some(Tabled {
            offer,
            terms,
            eval: e,
            acceptable: last_acceptable,
            is_final,
        }))
    }

    /// The US answer to an offer it does not accept (step 4) and the partner's answer to a
    /// counter (step 5): the US counters at its reservation rate r* (objective gain 0 with the
    /// partner's concessions) plus a share of the distance to the snap-back rate.
    fn us_answer(
        &mut self,
        offer: Offer,
        gain: f64,
        is_final: bool,
    ) -> Result<Outcome, ScoreError> {
        let snap = self.p.snap_back_pct;
        let no_more = if is_final {
            Outcome::Stall
        } else {
            Outcome::Continue
        };
        let (t_hi, e_hi, g_hi) = self.at(&offer, snap)?;
        if g_hi < 0.0 {
            self.events.push((
                EventKind::Rejected,
                format!("the US rejects the offer: even at the snap-back rate ({snap:.1}%) its objective falls ({g_hi:+.4})"),
            ));
            return Ok(no_more);
        }
        let reservation = self.reservation(&offer, gain, g_hi)?;
        let rate = reservation + self.ctx.rules.us_split * (snap - reservation);
        let (t_c, e_c, g_c) = if (rate - snap).abs() < 1e-9 {
            (t_hi, e_hi, g_hi)
        } else {
            self.at(&offer, rate)?
        };
        self.events.push((
            EventKind::Countered,
            format!(
                "US counter: {rate:.1}% (its reservation {reservation:.1}%); US objective {g_c:+.4}, partner {:+.4}% welfare vs no deal",
                e_c.score.partner_welfare_pct
            ),
        ));
        if g_c >= 0.0 && e_c.score.partner_welfare_pct > 0.0 {
            return Ok(Outcome::Deal {
                by: Side::Us,
                offer: Offer { ask: rate, ..offer },
                terms: t_c,
                eval: Box::new(e_c),
            });
        }
        self.events.push((
            EventKind::Rejected,
            "the partner rejects the US counter: no better than no deal".into(),
        ));
        Ok(no_more)
    }

    /// The US reservation rate: regula falsi (Illinois variant) between the ask, where the
    /// objective's gain is `gain` < 0, and the snap-back rate, where it is `g_snap` >= 0; at most
    /// [`RESERVATION_SOLVES`] solves.
    fn reservation(&mut self, offer: &Offer, gain: f64, g_snap: f64) -> Result<f64, ScoreError> {
        let (mut lo, mut g_lo, mut hi, mut g_h) = (offer.ask, gain, self.p.snap_back_pct, g_snap);
        let mut reservation = hi;
        let mut side = 0i8;
        for _ in 0..RESERVATION_SOLVES {
            if hi - lo < 0.05 {
                break;
            }
            // Illinois: halve the weight of an end that stays, so the bracket shrinks from both sides.
            let r = (lo * g_h - hi * g_lo) / (g_h - g_lo);
            let r = r.clamp(lo + 0.01 * (hi - lo), hi - 0.01 * (hi - lo));
            let (_, _, g) = self.at(offer, r)?;
            if g >= 0.0 {
                hi = r;
                g_h = g;
                reservation = r;
                if side == 1 {
                    g_lo /= 2.0;
                }
                side = 1;
            } else {
                lo = r;
                g_lo = g;
                if side == -1 {
                    g_h /= 2.0;
                }
                side = -1;
            }
        }
        Ok(reservation)
    }
}
