//! A player's optimal tariffs (docs/model.md §7): the closed form and the numerical best response.
#[allow(unused_imports)]
use super::*;

/// A request for a player's optimal tariffs, everyone else's held at the start.
#[derive(Debug, Clone)]
pub struct OptimalRequest {
    /// The country (ISO3) or bloc choosing its tariffs.
    pub country: String,
    /// One uniform rate, one per partner, or one per sector.
    pub instrument: Instrument,
    /// Highest tariff the search considers (a fraction: 5 = 500%).
    pub max_rate: f64,
}

/// A player's optimal tariffs.
pub struct OptimalResult {
    /// The player.
    pub player: Player,
    /// The ILMS closed form, expenditure denominator (fraction); None where undefined.
    pub closed_form_expenditure: Option<f64>,
    /// The closed form, income denominator.
    pub closed_form_income: Option<f64>,
    /// The player's welfare (%) at the closed-form uniform rate; None when undefined or out of
    /// the model's domain.
    pub welfare_at_closed_form_pct: Option<f64>,
    /// The player's welfare (%) at the start.
    pub welfare_at_start_pct: f64,
    /// The numerical best response.
    pub best_response: BestResponse,
    /// Import weight of each control.
    pub weights: Vec<f64>,
    /// Sum of the weights.
    pub total_weight: f64,
    /// The import-weighted mean of the optimal rates (fraction).
    pub uniform_equivalent: f64,
}

/// A player's optimal tariffs: the closed form of docs/model.md §7 (at the start's equilibrium when
/// the start is not factual), the welfare it gives, and the numerical best response.
pub fn optimal(game: Game<'_>, req: &OptimalRequest) -> Result<OptimalResult> {
    let cal = game.cal;
    if !(req.max_rate > 0.0 && req.max_rate.is_finite()) {
        return Err(ServiceError::bad_field(
            "max_rate",
            format!("expected a positive fraction, found {}", req.max_rate),
        ));
    }
    if req.instrument == Instrument::BySector && cal.k == 1 {
        return Err(ServiceError::bad_field(
            "by",
            format!(
                "sector needs data with sectors; the data ({}) have one",
                game.world.source
            ),
        ));
    }
    let player = player(cal, game.world, &req.country).map_err(field("country"))?;
    let solver = ge::SolverOptions::default();
    let at_start =
        ge::solve(cal, game.start, &solver).map_err(model_error("solving the starting point"))?;
    let start_out = ge::outcomes(cal, &at_start);
    let factual = game.start == cal.tariffs.as_slice();
    let eq_for_cf = if factual { None } else { Some(&at_start) };
    let cf_e = closed_form_at(cal, eq_for_cf, &player.members, Denominator::Expenditure).ok();
    let cf_y = closed_form_at(cal, eq_for_cf, &player.members, Denominator::Income).ok();
    let welfare_cf = cf_e.and_then(|t| {
        let (ctrls, _) = strategy::controls(cal, &player, Instrument::Uniform);
        let mut tariffs = game.start.to_vec();
        apply_controls(&ctrls, &[t], &mut tariffs);
        // None when the closed-form rate lies outside the model's domain (no equilibrium).
        ge::solve(cal, &tariffs, &solver)
            .ok()
            .map(|eq| player_welfare(cal, &ge::outcomes(cal, &eq), &player.members))
    });
    let options = game.search(SearchOptions {
        upper: req.max_rate,
        ..SearchOptions::default()
    });
    let br = strategy::best_response(cal, game.start, &player, req.instrument, None, &options)
        .map_err(strategy_error)?;
    let weights: Vec<f64> = br
        .controls
        .iter()
        .map(|c| c.weights.iter().sum::<f64>())
        .collect();
    let total: f64 = weights.iter().sum();
    let equivalent = weighted_mean(&br.controls, &br.rates);
    Ok(OptimalResult {
        welfare_at_start_pct: player_welfare(cal, &start_out, &player.members),
        player,
        closed_form_expenditure: cf_e,
        closed_form_income: cf_y,
        welfare_at_closed_form_pct: welfare_cf,
        best_response: br,
        weights,
        total_weight: total,
        uniform_equivalent: equivalent,
    })
}
