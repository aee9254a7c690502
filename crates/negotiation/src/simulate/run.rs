//! The run of a round: the draws and stakes before day 0, then day by day requests, offers,
//! deals and their later stages, then the pause's end (steps 1-6 of the module's doc).

use super::*;

/// One partner's agent: its draws (made up front) and the state of its talk.
pub(super) struct Agent {
    pub(super) step: f64,
    engage_draw: f64,
    request_day: u32,
    pub(super) intervals: Vec<u32>,
    to_agreement: u32,
    to_implementation: u32,
    // dynamic
    state: State,
    pub(super) offers: u32,
    next_offer: Option<u32>,
    pub(super) last_acceptable: Option<Offer>,
    pub(super) final_offer: bool,
}

impl Agent {
    /// The agent's draws, in the fixed order that makes a seed give one run.
    fn draw(rules: &Rules, rng: &mut SplitMix64, max_rounds: usize) -> Agent {
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
    }

    /// Whether the agent requested talks.
    fn engaged(&self) -> bool {
        self.request_day != u32::MAX
    }

    /// Days until the agent's next offer, from the interval of its current round.
    pub(super) fn interval(&self) -> u32 {
        self.intervals[self.offers as usize % self.intervals.len()]
    }
}

/// The state of a run between days.
pub(super) struct Run<'a> {
    world: &'a World,
    partners: &'a [SimPartner],
    config: &'a SimConfig,
    agents: Vec<Agent>,
    stakes: Vec<f64>,
    base_exports: Vec<f64>,
    events: Vec<Event>,
    deals: Vec<Option<SimDeal>>,
    reference: Reference,
    solves: usize,
}

impl<'a> Run<'a> {
    /// The draws, the no-deal world, the stakes and who engages (steps 1 and 2).
    pub(super) fn start(
        world: &'a World,
        partners: &'a [SimPartner],
        config: &'a SimConfig,
    ) -> Result<(Run<'a>, Reference), ScoreError> {
        let rules = &config.rules;
        let no_deal = no_deal_world(world, partners)?;
        // Draws, all up front, in partner order.
        let mut rng = SplitMix64::new(config.seed);
        let max_rounds = (config.days / rules.round_days.0.max(1) + 2) as usize;
        let mut agents: Vec<Agent> = partners
            .iter()
            .map(|_| Agent::draw(rules, &mut rng, max_rounds))
            .collect();
        let base_exports: Vec<f64> = partners
            .iter()
            .map(|p| us_exports_usd(world, &no_deal, &p.partner))
            .collect();
        let stakes = stakes(world, &no_deal, partners, rules)?;
        engage(&mut agents, &stakes, rules);
        let run = Run {
            world,
            partners,
            config,
            agents,
            stakes,
            base_exports,
            events: Vec::new(),
            deals: vec![None; partners.len()],
            reference: no_deal.clone(),
            solves: 1 + partners.len(),
        };
        Ok((run, no_deal))
    }

    fn date(&self, day: u32) -> NaiveDate {
        self.config.start + chrono::Days::new(u64::from(day))
    }

    fn log(&mut self, i: usize, day: u32, kind: EventKind, offer: Option<u32>, detail: String) {
        let event = Event::new(
            &self.partners[i].partner.code,
            self.date(day),
            kind,
            offer,
            detail,
        );
        self.events.push(event);
    }

    /// One day: requests, the offers due (step 3-5), then the deals' later stages (step 6).
    pub(super) fn day(&mut self, day: u32) -> Result<(), ScoreError> {
        self.requests(day);
        self.offers(day)?;
        self.advance_deals(day);
        Ok(())
    }

    fn requests(&mut self, day: u32) {
        for i in 0..self.agents.len() {
            if self.agents[i].request_day == day {
                let a = &mut self.agents[i];
                a.state = State::Requested;
                a.next_offer = Some((day + a.intervals[0] / 2).min(self.config.days - 1));
                let detail = format!(
                    "requests talks (stake {:+.3}% welfare; snap-back {:.0}%)",
                    self.stakes[i], self.partners[i].snap_back_pct
                );
                self.log(i, day, EventKind::Opened, None, detail);
            }
        }
        if day + 1 == self.config.rules.request_window_days {
            for i in 0..self.agents.len() {
                if !self.agents[i].engaged() {
                    let detail = format!(
                        "no request for talks (stake {:+.3}% welfare)",
                        self.stakes[i]
                    );
                    self.log(i, day, EventKind::Declined, None, detail);
                }
            }
        }
    }

    /// Offers due today: each partner's round is played against the reference of this morning,
    /// in parallel; the outcomes are applied in partner order.
    fn offers(&mut self, day: u32) -> Result<(), ScoreError> {
        let due: Vec<usize> = (0..self.partners.len())
            .filter(|&i| {
                let a = &self.agents[i];
                matches!(a.state, State::Requested | State::InTalks) && a.next_offer == Some(day)
            })
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let ctx = RoundCtx {
            world: self.world,
            reference: &self.reference,
            objective: &self.config.objective,
            rules: &self.config.rules,
            days_left: self.config.days - day,
        };
        let played: Vec<Result<Played, ScoreError>> = due
            .par_iter()
            .map(|&i| {
                play_round(
                    &ctx,
                    &self.partners[i],
                    self.base_exports[i],
                    &self.agents[i],
                )
            })
            .collect();
        let mut closed = false;
        for (&i, played) in due.iter().zip(played) {
            closed |= self.apply(i, day, played?);
        }
        // Deals enter the reference world, re-solved once for the day.
        if closed {
            let tariffs = std::mem::take(&mut self.reference.tariffs);
            self.reference = self
                .world
                .reference(tariffs, Some(&self.reference.equilibrium))?;
            self.solves += 1;
        }
        Ok(())
    }

    /// Apply partner `i`'s round; true when it closed a deal.
    fn apply(&mut self, i: usize, day: u32, played: Played) -> bool {
        self.solves += played.solves;
        let a = &mut self.agents[i];
        a.state = State::InTalks;
        a.offers += 1;
        a.last_acceptable = played.last_acceptable;
        a.final_offer = played.final_offer;
        let offers = a.offers;
        for (kind, detail) in played.events {
            self.log(i, day, kind, Some(offers), detail);
        }
        match played.outcome {
            Outcome::Deal {
                by,
                offer,
                terms,
                eval,
            } => {
                self.close(i, day, by, offer, terms, *eval);
                return true;
            }
            Outcome::Quit => {
                let a = &mut self.agents[i];
                a.state = State::Collapsed;
                a.next_offer = None;
            }
            Outcome::Continue => {
                let a = &mut self.agents[i];
                let next = day + a.interval();
                a.next_offer = (next < self.config.days).then_some(next);
            }
            Outcome::Stall => {
                self.agents[i].next_offer = None;
                let detail = "talks stall: the final offer was refused".to_string();
                self.log(i, day, EventKind::Rejected, Some(offers), detail);
            }
        }
        false
    }

    /// A framework: logged, its rates copied into the reference world, the deal recorded.
    fn close(
        &mut self,
        i: usize,
        day: u32,
        by: Side,
        offer: Offer,
        terms: Terms,
        eval: Evaluation,
    ) {
        let a = &mut self.agents[i];
        a.state = State::Framework;
        a.next_offer = None;
        let offers = a.offers;
        let partners = self.partners;
        let p = &partners[i];
        let code = &p.partner.code;
        let detail = format!(
            "framework ({} terms): US {:.1}% (snap-back {:.0}%), {} cuts its tariff on US goods by {:.0}%{}; US {:+.4}%, {} {:+.4}% welfare vs no deal",
            if by == Side::Us { "US" } else { "partner" },
            offer.ask,
            p.snap_back_pct,
            code,
            100.0 * offer.cut,
            if offer.purchase > 0.0 {
                format!(", buys {} USD a year", usd((1.0 + offer.purchase) * self.base_exports[i]))
            } else {
                String::new()
            },
            eval.score.us_welfare_pct,
            code,
            eval.score.partner_welfare_pct
        );
        self.log(i, day, EventKind::Accepted, Some(offers), detail);
        copy_pair(
            self.world,
            &eval.tariffs,
            &mut self.reference.tariffs,
            &p.partner,
        );
        self.deals[i] = Some(SimDeal {
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

    /// Frameworks become agreements, agreements are implemented.
    fn advance_deals(&mut self, day: u32) {
        for i in 0..self.agents.len() {
            let (a, Some(deal)) = (&mut self.agents[i], self.deals[i].as_mut()) else {
                continue;
            };
            let stage = if a.state == State::Framework && day == deal.day + a.to_agreement {
                a.state = State::Agreement;
                deal.agreement_day = Some(day);
                Some((EventKind::Accepted, "agreement on the framework's terms"))
            } else if a.state == State::Agreement
                && Some(day) == deal.agreement_day.map(|d| d + a.to_implementation)
            {
                a.state = State::Implemented;
                deal.implemented_day = Some(day);
                Some((EventKind::Implemented, "agreement implemented"))
            } else {
                None
            };
            if let Some((kind, detail)) = stage {
                self.log(i, day, kind, None, detail.to_string());
            }
        }
    }

    /// The pause is over: talks without a deal expire, and the run's result.
    pub(super) fn finish(mut self, no_deal: Reference) -> SimResult {
        let days = self.config.days;
        for i in 0..self.agents.len() {
            let a = &mut self.agents[i];
            if a.state.expires_at_pause_end() && a.engaged() {
                a.state = State::Expired;
                let detail = format!(
                    "pause over without a deal: {:.0}% applies",
                    self.partners[i].snap_back_pct
                );
                self.log(i, days, EventKind::Expired, None, detail);
            }
        }
        let cal = &self.world.cal;
        let welfare = (0..cal.n)
            .map(|i| {
                let e = self.reference.outcomes.countries[i].welfare_pct;
                let n = no_deal.outcomes.countries[i].welfare_pct;
                CountryWelfare {
                    code: cal.countries[i].clone(),
                    vs_factual_pct: e,
                    vs_no_deal_pct: 100.0 * ((1.0 + e / 100.0) / (1.0 + n / 100.0) - 1.0),
                }
            })
            .collect();
        let talks = self
            .partners
            .iter()
            .zip(self.agents)
            .zip(self.deals)
            .zip(self.stakes)
            .map(|(((p, a), deal), stake)| SimTalk {
                partner: p.clone(),
                stake_pct: stake,
                engaged: a.request_day != u32::MAX,
                request_day: (a.request_day != u32::MAX).then_some(a.request_day),
                offers: a.offers,
                state: a.state,
                deal,
            })
            .collect();
        SimResult {
            config: self.config.clone(),
            events: self.events,
            talks,
            no_deal,
            end: self.reference,
            welfare,
            solves: self.solves,
        }
    }
}

/// The no-deal world: every partner at its snap-back rates.
fn no_deal_world(world: &World, partners: &[SimPartner]) -> Result<Reference, ScoreError> {
    let cal = &world.cal;
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
    world.reference(world.with_us_rates(&cal.tariffs, &rates), None)
}

/// Stakes: the baseline rate with nothing in return, against no deal (one solve per partner).
fn stakes(
    world: &World,
    no_deal: &Reference,
    partners: &[SimPartner],
    rules: &Rules,
) -> Result<Vec<f64>, ScoreError> {
    partners
        .par_iter()
        .map(|p| {
            let rate = rules.baseline_pct.min(p.snap_back_pct);
            let terms = offer_terms(world, no_deal, p, rate, 0.0, 0.0, 0.0);
            evaluate(world, no_deal, &p.partner, &terms).map(|e| e.score.partner_welfare_pct)
        })
        .collect()
}

/// Who engages (step 2): an agent whose draw misses its engagement probability never requests.
fn engage(agents: &mut [Agent], stakes: &[f64], rules: &Rules) {
    let typical = median(
        stakes
            .iter()
            .copied()
            .filter(|s| *s > STAKE_NOISE_PCT)
            .collect(),
    );
    for (a, &stake) in agents.iter_mut().zip(stakes) {
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
}
