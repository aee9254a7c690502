//! Retaliation: the aggressor's tariffs met by no, reciprocal, optimal and explicit retaliation.
#[allow(unused_imports)]
use super::*;

/// The aggressor's tariffs in a retaliation analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggressorTariff {
    /// The closed-form optimal uniform tariff (expenditure denominator).
    Optimal,
    /// Its numerical uniform optimum.
    Numerical,
    /// The April 2, 2025 rates, floor 10% (US only).
    LiberationDay,
    /// As the scenario sets them.
    Scenario,
    /// A uniform rate (fraction).
    Uniform(f64),
}

/// One retaliation rule applied and solved.
pub struct Case {
    /// "none", "reciprocal", "optimal", "explicit".
    pub rule: String,
    /// What it does.
    pub description: String,
    /// The tariffs.
    pub tariffs: Vec<f64>,
    /// The outcomes.
    pub outcomes: Outcomes,
}

/// No retaliation, reciprocal mirror and the two-region optimal rate, by `retaliators` against
/// `target`, on top of the tariffs `base`.
pub fn standard_cases(
    cal: &Calibration,
    target: usize,
    base: &[f64],
    retaliators: &[usize],
) -> Result<Vec<Case>> {
    let solver = ge::SolverOptions::default();
    let solve = |t: &[f64], what: &str| -> Result<Outcomes> {
        let eq = ge::solve(cal, t, &solver).map_err(model_error(what))?;
        Ok(ge::outcomes(cal, &eq))
    };
    let mut cases = vec![Case {
        rule: "none".into(),
        description: "no retaliation".into(),
        outcomes: solve(base, "solving the case without retaliation")?,
        tariffs: base.to_vec(),
    }];
    let sectors = retaliation::all_sectors(cal);
    let mut mirror = base.to_vec();
    retaliation::retaliate(
        cal,
        &mut mirror,
        target,
        retaliators,
        &sectors,
        Rule::Mirror,
    );
    cases.push(Case {
        rule: "reciprocal".into(),
        description: "each retaliator mirrors the rate it faces".into(),
        outcomes: solve(&mirror, "solving reciprocal retaliation")?,
        tariffs: mirror,
    });
    let r_opt = strategy::optimal_retaliation_rate(cal, target)
        .map_err(|e| ServiceError::Refused(e.to_string()))?;
    let mut optimal = base.to_vec();
    retaliation::retaliate(
        cal,
        &mut optimal,
        target,
        retaliators,
        &sectors,
        Rule::Rate(r_opt),
    );
    cases.push(Case {
        rule: "optimal".into(),
        description: format!(
            "two-region optimal retaliation rate {}% (docs/model.md §7)",
            rate(r_opt)
        ),
        outcomes: solve(&optimal, "solving optimal retaliation")?,
        tariffs: optimal,
    });
    Ok(cases)
}

pub use reciprocity_model::retaliation::bilateral_rate;

/// The aggressor's tariffs on top of the start, and a label.
pub fn aggressor_tariffs(
    game: Game<'_>,
    target: usize,
    which: AggressorTariff,
) -> Result<(Vec<f64>, String)> {
    let cal = game.cal;
    let me = Player::country(cal, target);
    let (ctrls, _) = strategy::controls(cal, &me, Instrument::Uniform);
    let mut t = game.start.to_vec();
    let label = match which {
        AggressorTariff::Scenario => {
            if game.start == cal.tariffs.as_slice() {
                return Err(ServiceError::bad_field(
                    "tariff",
                    "\"scenario\" needs a starting scenario file (scenario)",
                ));
            }
            format!("as in {}", game.start_label)
        }
        AggressorTariff::Optimal => {
            let r = closed_form_at(cal, None, &[target], Denominator::Expenditure)
                .map_err(strategy_error)?;
            apply_controls(&ctrls, &[r], &mut t);
            format!("closed-form optimal uniform tariff {}%", rate(r))
        }
        AggressorTariff::Numerical => {
            let br = strategy::best_response(
                cal,
                game.start,
                &me,
                Instrument::Uniform,
                None,
                &game.search(SearchOptions::default()),
            )
            .map_err(strategy_error)?;
            t = br.tariffs;
            format!("numerical optimal uniform tariff {}%", rate(br.rates[0]))
        }
        AggressorTariff::LiberationDay => {
            if cal.countries[target] != "USA" {
                return Err(ServiceError::bad_field(
                    "tariff",
                    format!(
                        "liberation-day: the April 2, 2025 rates are US tariffs, not {}'s",
                        cal.countries[target]
                    ),
                ));
            }
            let (rates, source) = liberation_day(game.world, cal)?;
            let (from, mut to) = (cal.pairs(&rates), cal.pairs_mut(&mut t));
            for k in 0..cal.k {
                for j in (0..cal.n).filter(|&j| j != target) {
                    to.set(k, j, target, from.get(k, j, target));
                }
            }
            source.aggressor_label().to_string()
        }
        AggressorTariff::Uniform(r) => {
            // A tariff, not an import subsidy: -0.999 left the model without an equilibrium.
            if !(r.is_finite() && (0.0..=100.0).contains(&r)) {
                return Err(ServiceError::bad_field(
                    "tariff",
                    format!("expected a tariff as a fraction in [0, 100], found {r}"),
                ));
            }
            apply_controls(&ctrls, &[r], &mut t);
            format!("uniform tariff {}%", rate(r))
        }
    };
    Ok((t, label))
}

/// A retaliation analysis.
#[derive(Debug, Clone)]
pub struct RetaliateRequest {
    /// The country retaliated against (ISO3).
    pub country: String,
    /// Its tariffs.
    pub tariff: AggressorTariff,
    /// The retaliators (ISO3 codes or groups); None: every other country.
    pub by: Option<Vec<String>>,
    /// Explicit partner-specific rates (player, fraction): adds an "explicit" case.
    pub rates: Vec<(String, f64)>,
}

/// The outcomes under each retaliation rule.
pub struct RetaliateResult {
    /// The target's index.
    pub target: usize,
    /// What the target's tariffs are.
    pub tariffs_label: String,
    /// The retaliators' indices (sorted).
    pub retaliators: Vec<usize>,
    /// One case per rule: none, reciprocal, optimal, then explicit when rates were given.
    pub cases: Vec<Case>,
}

/// One country under one rule (the target's own rows have NaN rates).
#[derive(Debug, Clone, Serialize)]
pub struct RetaliationRow {
    /// The rule.
    pub rule: String,
    /// The country.
    pub iso3: String,
    /// The rate it levies on the target (%).
    pub rate_on_target_pct: f64,
    /// The rate the target levies on it (%).
    pub target_rate_on_it_pct: f64,
    /// Its welfare change (%).
    pub welfare_pct: f64,
}

/// One rule's headline.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    /// The rule.
    pub rule: String,
    /// What it does.
    pub description: String,
    /// The target's welfare change (%).
    pub target_welfare_pct: f64,
    /// The retaliators' expenditure-weighted welfare change (%).
    pub retaliators_welfare_pct: f64,
    /// World trade-to-GDP, % change.
    pub world_trade_to_gdp_pct: f64,
}

/// The target's tariffs met by each retaliation rule.
pub fn retaliate(game: Game<'_>, req: &RetaliateRequest) -> Result<RetaliateResult> {
    let cal = game.cal;
    let target = game
        .world
        .data
        .country_index(req.country.trim())
        .ok_or_else(|| {
            ServiceError::bad_field("country", format!("\"{}\" is not in the data", req.country))
        })?;
    let (base, label) = aggressor_tariffs(game, target, req.tariff)?;
    let retaliators: Vec<usize> = match &req.by {
        Some(list) => {
            let mut v: Vec<usize> = players(cal, game.world, list)
                .map_err(field("by"))?
                .into_iter()
                .flat_map(|p| p.members)
                .collect();
            v.retain(|&i| i != target);
            v.sort_unstable();
            v.dedup();
            v
        }
        None => (0..cal.n).filter(|&i| i != target).collect(),
    };
    if retaliators.is_empty() {
        return Err(ServiceError::bad_field(
            "by",
            "no retaliator left besides the target",
        ));
    }
    let mut cases = standard_cases(cal, target, &base, &retaliators)?;
    if !req.rates.is_empty() {
        let sectors = retaliation::all_sectors(cal);
        let mut explicit = base.clone();
        let mut parts = Vec::new();
        for (name, r) in &req.rates {
            let r = *r;
            // Retaliation is a tariff, not an import subsidy: a rate of -0.999 (a 99.9 %
            // subsidy) left the model without an equilibrium (issue 15, item 9).
            if !(r.is_finite() && (0.0..=100.0).contains(&r)) {
                return Err(ServiceError::bad_field(
                    "rates",
                    format!("{name}: expected a tariff as a fraction in [0, 100], found {r}"),
                ));
            }
            let who = player(cal, game.world, name).map_err(field("rates"))?;
            retaliation::retaliate(
                cal,
                &mut explicit,
                target,
                &who.members,
                &sectors,
                Rule::Rate(r),
            );
            parts.push(format!("{} {}%", who.name, rate(r)));
        }
        let eq = ge::solve(cal, &explicit, &ge::SolverOptions::default())
            .map_err(model_error("solving the explicit retaliation (rates)"))?;
        cases.push(Case {
            rule: "explicit".into(),
            description: parts.join(", "),
            outcomes: ge::outcomes(cal, &eq),
            tariffs: explicit,
        });
    }
    Ok(RetaliateResult {
        target,
        tariffs_label: label,
        retaliators,
        cases,
    })
}

impl RetaliateResult {
    /// Every country but the target under every rule, then the target under every rule.
    pub fn rows(&self, cal: &Calibration) -> Vec<RetaliationRow> {
        let target = self.target;
        self.cases
            .iter()
            .flat_map(|c| {
                (0..cal.n)
                    .filter(move |&i| i != target)
                    .map(move |i| RetaliationRow {
                        rule: c.rule.clone(),
                        iso3: cal.countries[i].clone(),
                        rate_on_target_pct: 100.0 * bilateral_rate(cal, &c.tariffs, target, i),
                        target_rate_on_it_pct: 100.0 * bilateral_rate(cal, &c.tariffs, i, target),
                        welfare_pct: c.outcomes.countries[i].welfare_pct,
                    })
            })
            .chain(self.cases.iter().map(|c| RetaliationRow {
                rule: c.rule.clone(),
                iso3: cal.countries[target].clone(),
                rate_on_target_pct: f64::NAN,
                target_rate_on_it_pct: f64::NAN,
                welfare_pct: c.outcomes.countries[target].welfare_pct,
            }))
            .collect()
    }

    /// One headline per rule.
    pub fn summaries(&self, cal: &Calibration) -> Vec<RuleSummary> {
        self.cases
            .iter()
            .map(|c| RuleSummary {
                rule: c.rule.clone(),
                description: c.description.clone(),
                target_welfare_pct: c.outcomes.countries[self.target].welfare_pct,
                retaliators_welfare_pct: ge::group_average(cal, &self.retaliators, |i| {
                    c.outcomes.countries[i].welfare_pct
                }),
                world_trade_to_gdp_pct: c.outcomes.world_trade_to_gdp_pct,
            })
            .collect()
    }
}
