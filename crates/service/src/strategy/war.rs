//! The Nash tariff war (docs/model.md §7): players choose their tariffs by damped best-response
//! iteration from the game's start, every best response a numerical maximum of the player's own
//! welfare; everyone else keeps its starting tariffs.
#[allow(unused_imports)]
use super::*;
use reciprocity_model::strategy::NashResult;

/// A request for a tariff war.
#[derive(Debug, Clone)]
pub struct WarRequest {
    /// The players: ISO3 codes or groups (a group acts as one bloc). None: every country.
    pub players: Option<Vec<String>>,
    /// The instrument (uniform, or one rate per sector: partner rates are refused), damping,
    /// tolerance, rounds and threads of the iteration.
    pub options: NashOptions,
}

/// A finished war.
pub struct War {
    /// The iteration's result: rates, welfare, outcomes, rounds and residual.
    pub result: NashResult,
    /// Seconds spent.
    pub seconds: f64,
    /// Countries outside the war, with their welfare (%) in its equilibrium.
    pub non_players: Vec<(String, f64)>,
}

/// Fight the war of `req` on `game`; `progress` hears each best response.
pub fn war(
    game: Game<'_>,
    req: &WarRequest,
    progress: &(dyn Fn(&NashProgress) + Sync),
) -> Result<War> {
    let cal = game.cal;
    if req.options.instrument == Instrument::ByPartner {
        return Err(ServiceError::bad_field(
            "by",
            "partner: a war over partner-specific rates is not offered (N rates per player); use uniform or sector",
        ));
    }
    if req.options.instrument == Instrument::BySector && cal.k == 1 {
        return Err(ServiceError::bad_field(
            "by",
            format!("sector: the data ({}) have one sector", game.world.source),
        ));
    }
    let players: Vec<Player> = match &req.players {
        Some(names) => players(cal, game.world, names).map_err(field("players"))?,
        None => (0..cal.n).map(|i| Player::country(cal, i)).collect(),
    };
    let started = std::time::Instant::now();
    let options = NashOptions {
        search: game.search(req.options.search.clone()),
        ..req.options.clone()
    };
    let result =
        strategy::nash(cal, game.start, &players, &options, progress).map_err(strategy_error)?;
    let seconds = started.elapsed().as_secs_f64();
    let in_war: Vec<usize> = players
        .iter()
        .flat_map(|p| p.members.iter().copied())
        .collect();
    let non_players = (0..cal.n)
        .filter(|i| !in_war.contains(i))
        .map(|i| {
            (
                cal.countries[i].clone(),
                result.outcomes.countries[i].welfare_pct,
            )
        })
        .collect();
    Ok(War {
        result,
        seconds,
        non_players,
    })
}

/// The welfare (%) of a country or bloc in `out` (a bloc: its members' expenditure-weighted mean).
pub fn welfare_of(game: Game<'_>, out: &Outcomes, name: &str) -> Result<f64> {
    let p = player(game.cal, game.world, name)?;
    Ok(player_welfare(game.cal, out, &p.members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Setup {
        let world = scenario::load_world(None).expect("embedded world");
        setup_on(world, None, Some(Revenue::LumpSum)).expect("setup")
    }

    #[test]
    fn a_stopped_game_ends_its_searches_with_stopped() {
        let s = embedded();
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let stop = Stop::on(flag);
        let req = OptimalRequest {
            country: "USA".into(),
            instrument: Instrument::ByPartner,
            max_rate: 5.0,
        };
        match optimal(s.game().stoppable(&stop), &req) {
            Err(e @ ServiceError::Stopped) => assert_eq!(e.kind(), crate::ErrorKind::Stopped),
            other => panic!("expected stopped, got {:?}", other.err()),
        }
        let war_req = WarRequest {
            players: Some(vec!["USA".into(), "CHN".into()]),
            options: NashOptions::default(),
        };
        assert!(matches!(
            war(s.game().stoppable(&stop), &war_req, &|_| {}),
            Err(ServiceError::Stopped)
        ));
    }

    #[test]
    fn a_war_refuses_partner_rates_and_names_its_field() {
        let s = embedded();
        let req = WarRequest {
            players: Some(vec!["USA".into(), "CHN".into()]),
            options: NashOptions {
                instrument: Instrument::ByPartner,
                ..NashOptions::default()
            },
        };
        match war(s.game(), &req, &|_| {}) {
            Err(ServiceError::BadInput { field, .. }) => assert_eq!(field, Some("by")),
            other => panic!("expected bad input, got {:?}", other.err()),
        }
        let unknown = WarRequest {
            players: Some(vec!["USA".into(), "XXX".into()]),
            options: NashOptions::default(),
        };
        match war(s.game(), &unknown, &|_| {}) {
            Err(ServiceError::BadInput { field, .. }) => assert_eq!(field, Some("players")),
            other => panic!("expected bad input, got {:?}", other.err()),
        }
    }

    #[test]
    fn in_a_two_player_war_each_rate_is_a_best_response_to_the_other() {
        let s = embedded();
        let req = WarRequest {
            players: Some(vec!["USA".into(), "CHN".into()]),
            options: NashOptions::default(),
        };
        let w = war(s.game(), &req, &|_| {}).expect("war");
        let r = &w.result;
        assert!(r.residual < 1e-4, "residual {}", r.residual);
        assert_eq!(w.non_players.len(), s.cal.n - 2);
        // Independent check: hold China at its Nash rate and let the US best-respond from scratch.
        let mut t = s.start.clone();
        for (p, player) in r.players.iter().enumerate() {
            let (ctrls, _) = strategy::controls(&s.cal, player, Instrument::Uniform);
            apply_controls(&ctrls, &r.rates[p], &mut t);
        }
        let us = Player::country(&s.cal, s.world.data.country_index("USA").expect("USA"));
        let br = strategy::best_response(
            &s.cal,
            &t,
            &us,
            Instrument::Uniform,
            None,
            &SearchOptions::default(),
        )
        .expect("best response");
        assert!(
            (br.rates[0] - r.rates[0][0]).abs() < 2e-3,
            "{} vs {}",
            br.rates[0],
            r.rates[0][0]
        );
        assert!(
            r.rates[0][0] > 0.05 && r.rates[1][0] > 0.05,
            "{:?}",
            r.rates
        );
    }
}
