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
#[allow(clippy::too_many_arguments)]
pub(super) fn play_round(
    ctx: &RoundCtx<'_>,
    p: &SimPartner,
    base_exports: f64,
    step: f64,
    offers: u32,
    interval: u32,
    last_acceptable: Option<Offer>,
    final_offer: bool,
) -> Result<Played, ScoreError> {
    let rules = ctx.rules;
    let mut solves = 0;
    let mut events = Vec::new();
    let eval = |o: &Offer, solves: &mut usize| -> Result<(Terms, Evaluation), ScoreError> {
        let terms = offer_terms(
            ctx.world,
            ctx.reference,
            p,
            o.ask,
            o.cut,
            o.purchase,
            base_exports,
        );
        *solves += 1;
        let e = evaluate(ctx.world, ctx.reference, &p.partner, &terms)?;
        Ok((terms, e))
    };
    let snap = p.snap_back_pct;
    let floor = rules.baseline_pct.min(snap);
    // Deadline pressure: with less than a round left, the partner jumps two offers ahead.
    let k = f64::from(offers + if ctx.days_left < interval { 2 } else { 0 });
    let mut offer = Offer {
        ask: floor + (snap - floor) * (k * step).min(1.0),
        cut: (rules.first_cut + k * step).min(1.0),
        purchase: if k >= 1.0 {
            (rules.purchase_step * k).min(rules.max_purchase)
        } else {
            0.0
        },
    };
    let mut is_final = final_offer;
    if let (true, Some(prev)) = (final_offer, last_acceptable) {
        offer = prev;
    }
    let (mut terms, mut e) = eval(&offer, &mut solves)?;
    let mut acceptable = last_acceptable;
    if e.score.partner_welfare_pct <= 0.0 {
        // The partner never tables an offer worse for itself than no deal: it repeats its last
        // acceptable offer as final, or leaves.
        match last_acceptable.filter(|prev| *prev != offer) {
            Some(prev) => {
                offer = prev;
                (terms, e) = eval(&offer, &mut solves)?;
                is_final = true;
            }
            None => {
                events.push((EventKind::Collapsed, format!(
                    "leaves the talks: conceding a {:.0}% cut for a {:.1}% US rate would leave it worse than no deal ({:+.4}%)",
                    100.0 * offer.cut, offer.ask, e.score.partner_welfare_pct
                )));
                return Ok(Played {
                    outcome: Outcome::Quit,
                    events,
                    solves,
                    last_acceptable,
                    final_offer: true,
                });
            }
        }
        if e.score.partner_welfare_pct <= 0.0 {
            events.push((
                EventKind::Collapsed,
                "leaves the talks: no offer left that beats no deal".into(),
            ));
            return Ok(Played {
                outcome: Outcome::Quit,
                events,
                solves,
                last_acceptable,
                final_offer: true,
            });
        }
    } else {
        acceptable = Some(offer);
    }
    let gain = ctx.objective.gain(&e.score);
    events.push((
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
    if gain >= 0.0 {
        return Ok(Played {
            outcome: Outcome::Deal {
                by: Side::Partner,
                offer,
                terms,
                eval: Box::new(e),
            },
            events,
            solves,
            last_acceptable: acceptable,
            final_offer: is_final,
        });
    }
    // The US counter: its reservation rate r* (objective gain 0 with the partner's concessions),
    // found by regula falsi between the ask and the snap-back rate, plus a share of the distance
    // to the snap-back rate.
    let at = |rate: f64, solves: &mut usize| -> Result<(Terms, Evaluation, f64), ScoreError> {
        let (t, e) = eval(&Offer { ask: rate, ..offer }, solves)?;
        let g = ctx.objective.gain(&e.score);
        Ok((t, e, g))
    };
    let (t_hi, e_hi, g_hi) = at(snap, &mut solves)?;
    let no_more = || {
        if is_final {
            Outcome::Stall
        } else {
            Outcome::Continue
        }
    };
    if g_hi < 0.0 {
        events.push((
            EventKind::Rejected,
            format!("the US rejects the offer: even at the snap-back rate ({snap:.1}%) its objective falls ({g_hi:+.4})"),
        ));
        let outcome = no_more();
        return Ok(Played {
            outcome,
            events,
            solves,
            last_acceptable: acceptable,
            final_offer: is_final,
        });
    }
    let (mut lo, mut g_lo, mut hi, mut g_h) = (offer.ask, gain, snap, g_hi);
    let mut reservation = hi;
    let mut side = 0i8;
    for _ in 0..RESERVATION_SOLVES {
        if hi - lo < 0.05 {
            break;
        }
        // Illinois variant: halve the weight of an end that stays, so the bracket shrinks from both sides.
        let r = (lo * g_h - hi * g_lo) / (g_h - g_lo);
        let r = r.clamp(lo + 0.01 * (hi - lo), hi - 0.01 * (hi - lo));
        let (_, _, g) = at(r, &mut solves)?;
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
    let rate = reservation + rules.us_split * (snap - reservation);
    let (t_c, e_c, g_c) = if (rate - snap).abs() < 1e-9 {
        (t_hi, e_hi, g_hi)
    } else {
        at(rate, &mut solves)?
    };
    events.push((
        EventKind::Countered,
        format!(
            "US counter: {rate:.1}% (its reservation {reservation:.1}%); US objective {g_c:+.4}, partner {:+.4}% welfare vs no deal",
            e_c.score.partner_welfare_pct
        ),
    ));
    if g_c >= 0.0 && e_c.score.partner_welfare_pct > 0.0 {
        return Ok(Played {
            outcome: Outcome::Deal {
                by: Side::Us,
                offer: Offer { ask: rate, ..offer },
                terms: t_c,
                eval: Box::new(e_c),
            },
            events,
            solves,
            last_acceptable: acceptable,
            final_offer: is_final,
        });
    }
    events.push((
        EventKind::Rejected,
        "the partner rejects the US counter: no better than no deal".into(),
    ));
    let outcome = no_more();
    Ok(Played {
        outcome,
        events,
        solves,
        last_acceptable: acceptable,
        final_offer: is_final,
    })
}
