//! The simulated pause round: the largest US partners and the US as agents
//! (`reciprocity_negotiation::simulate`) against the no-deal rates of the snap-back date, and its
//! comparison with the real 2025 sequence (the first deal of each partner in the embedded events).
//! `reciprocity negotiate simulate` and the report render it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use reciprocity_negotiation::score::Partner;
use reciprocity_negotiation::simulate::{
    compare, simulate, Comparison, HistoricalDeal, Rules, SimConfig, SimPartner, SimResult,
    UsObjective,
};

use crate::no_deal::NoDeal;
use crate::{NegotiationWorld, Result, ServiceError};

/// What a round is asked for.
#[derive(Debug, Clone)]
pub struct RoundRequest {
    /// A dataset folder (None: the embedded world).
    pub data: Option<PathBuf>,
    /// An embedded world by name instead (`default`, `sectors`: the compact ICIO sector world).
    pub world: Option<String>,
    /// How many partners take part (the largest by trade with the US, the EU as one bloc).
    pub partners: usize,
    /// Length of the pause in days.
    pub days: u32,
    /// The seed of every random draw.
    pub seed: u64,
    /// First day of the pause.
    pub start: NaiveDate,
    /// US objective: weight on US welfare (% change).
    pub welfare_weight: f64,
    /// US objective: weight on the fall of the US trade deficit.
    pub deficit_weight: f64,
    /// US objective: `SECTOR=WEIGHT` items, weights on US output in protected sectors.
    pub protect: Vec<String>,
}

/// The settings a round ran with (the objective resolved against the world's sectors).
#[derive(Debug, Clone)]
pub struct RoundSpec {
    /// The world.
    pub data: Option<PathBuf>,
    /// Partners.
    pub partners: usize,
    /// Days.
    pub days: u32,
    /// Seed.
    pub seed: u64,
    /// Start.
    pub start: NaiveDate,
    /// The US objective.
    pub objective: UsObjective,
}

/// A finished round with its context.
pub struct Round {
    /// The settings.
    pub spec: RoundSpec,
    /// The world it ran on.
    pub world: NegotiationWorld,
    /// The result.
    pub result: SimResult,
    /// The real first deals.
    pub history: Vec<HistoricalDeal>,
    /// The comparison.
    pub comparison: Comparison,
    /// Where the no-deal rates came from.
    pub no_deal: String,
    /// Seconds: loading and calibrating the world.
    pub setup_s: f64,
    /// Seconds: the simulation.
    pub simulate_s: f64,
}

/// Run a round; `progress` hears each simulated day.
pub fn run_round(req: RoundRequest, progress: &(dyn Fn(u32) + Sync)) -> Result<Round> {
    if req.partners == 0 {
        return Err(ServiceError::bad_field("partners", "must be at least 1"));
    }
    if req.days == 0 {
        return Err(ServiceError::bad_field("days", "must be at least 1"));
    }
    let t0 = Instant::now();
    let world = NegotiationWorld::load_named(req.data.as_deref(), req.world.as_deref())?;
    let objective = us_objective(&req, &world.data.sectors)?;
    let end = req.start + chrono::Days::new(u64::from(req.days));
    let no_deal = NoDeal::with_crosswalk(end, req.start, &world.crosswalk)?;
    let partners = select_partners(&world, req.partners, &no_deal);
    let setup_s = t0.elapsed().as_secs_f64();
    let spec = RoundSpec {
        data: req.data,
        partners: req.partners,
        days: req.days,
        seed: req.seed,
        start: req.start,
        objective,
    };
    let config = SimConfig {
        start: spec.start,
        days: spec.days,
        seed: spec.seed,
        objective: spec.objective.clone(),
        rules: Rules::default(),
    };
    let t1 = Instant::now();
    let result = simulate(&world.world, &partners, &config, progress)?;
    let simulate_s = t1.elapsed().as_secs_f64();
    let history = history();
    let comparison = compare(&result, &history);
    Ok(Round {
        spec,
        no_deal: no_deal.describe(),
        world,
        result,
        history,
        comparison,
        setup_s,
        simulate_s,
    })
}

/// The US objective of a request, its protected sectors found among `sectors`.
fn us_objective(req: &RoundRequest, sectors: &[String]) -> Result<UsObjective> {
    let mut protect = Vec::new();
    for item in &req.protect {
        let (s, w) = item.split_once('=').ok_or_else(|| {
            ServiceError::bad_field(
                "us_protect",
                format!("expected SECTOR=WEIGHT such as mvh=0.5, found {item:?}"),
            )
        })?;
        let k = sectors
            .iter()
            .position(|x| x.eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                ServiceError::bad_field(
                    "us_protect",
                    format!(
                        "unknown sector {s:?}: this world's sectors are {}",
                        sectors.join(", ")
                    ),
                )
            })?;
        let w: f64 = w.trim().parse().map_err(|_| {
            ServiceError::bad_field(
                "us_protect",
                format!("expected a number weight, found {w:?}"),
            )
        })?;
        protect.push((k, w));
    }
    Ok(UsObjective {
        welfare: req.welfare_weight,
        deficit: req.deficit_weight,
        protect,
    })
}

/// The first deal of each partner in the embedded 2025–2026 events (types `deal_*`).
pub fn history() -> Vec<HistoricalDeal> {
    let mut first: BTreeMap<String, HistoricalDeal> = BTreeMap::new();
    for e in reciprocity_data::embedded::events() {
        let Some(iso3) = e.iso3.as_ref().filter(|c| !c.is_empty()) else {
            continue;
        };
        if !e.event_type.starts_with("deal_") {
            continue;
        }
        let Ok(date) = NaiveDate::parse_from_str(&e.date, "%Y-%m-%d") else {
            continue;
        };
        let entry = HistoricalDeal {
            partner: iso3.clone(),
            date,
            kind: e.event_type.clone(),
            rate_pct: e.rate_after,
        };
        match first.get(iso3) {
            Some(h) if h.date <= date => {}
            _ => {
                first.insert(iso3.clone(), entry);
            }
        }
    }
    let mut v: Vec<HistoricalDeal> = first.into_values().collect();
    v.sort_by(|a, b| a.date.cmp(&b.date).then(a.partner.cmp(&b.partner)));
    v
}

/// The partners of the round: every country but the US (EU27 members as one bloc, `EUU`), the
/// `n` largest by US exports plus imports in the world's flows, with their no-deal rates.
pub fn select_partners(world: &NegotiationWorld, n: usize, no_deal: &NoDeal) -> Vec<SimPartner> {
    let data = &world.data;
    let cal = &world.world.cal;
    let us = world.world.us;
    let eu27 = reciprocity_data::registry::group("EU27").unwrap_or_default();
    let mut groups: Vec<Partner> = Vec::new();
    let mut eu = Partner {
        code: "EUU".into(),
        name: "European Union".into(),
        members: vec![],
    };
    for (i, code) in data.countries.iter().enumerate() {
        if i == us {
            continue;
        }
        if eu27.contains(&code.as_str()) || code == "EU" {
            eu.members.push(i);
        } else {
            groups.push(Partner {
                code: code.clone(),
                name: data
                    .country_names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| code.clone()),
                members: vec![i],
            });
        }
    }
    if !eu.members.is_empty() {
        groups.push(eu);
    }
    let flows = cal.flow_table();
    let trade = |p: &Partner| -> f64 {
        let pair = |m: usize| flows.bilateral_sum(m, us) + flows.bilateral_sum(us, m);
        p.members.iter().map(|&m| pair(m)).sum()
    };
    groups.sort_by(|a, b| trade(b).total_cmp(&trade(a)).then(a.code.cmp(&b.code)));
    groups.truncate(n);
    groups
        .into_iter()
        .map(|p| {
            // Rates are those of the members, weighted by US imports from each.
            let kk = cal.k;
            let mut by_sector = vec![0.0; kk];
            let mut weight = vec![0.0; kk];
            let (mut head, mut head_w) = (0.0, 0.0);
            for &m in &p.members {
                let rates = no_deal.rates_pct(&data.countries[m], kk);
                let h = no_deal.headline_pct(&data.countries[m]);
                for k in 0..kk {
                    let x = flows.get(k, m, us).max(1e-12);
                    by_sector[k] += x * rates[k];
                    weight[k] += x;
                    head += x * h;
                    head_w += x;
                }
            }
            SimPartner {
                snap_back_pct: head / head_w,
                snap_back_by_sector_pct: by_sector
                    .iter()
                    .zip(&weight)
                    .map(|(s, w)| s / w)
                    .collect(),
                partner: p,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RoundRequest {
        RoundRequest {
            data: None,
            world: None,
            partners: 4,
            days: 10,
            seed: 1,
            start: NaiveDate::from_ymd_opt(2025, 4, 10).expect("date"),
            welfare_weight: 1.0,
            deficit_weight: 0.0,
            protect: Vec::new(),
        }
    }

    #[test]
    fn the_history_holds_each_partners_first_deal_in_date_order() {
        let h = history();
        assert!(h.len() >= 5, "{} first deals", h.len());
        assert!(h.windows(2).all(|w| w[0].date <= w[1].date));
        let gbr = h.iter().find(|d| d.partner == "GBR").expect("the UK deal");
        assert_eq!(gbr.date, NaiveDate::from_ymd_opt(2025, 5, 8).expect("date"));
        let mut partners: Vec<&str> = h.iter().map(|d| d.partner.as_str()).collect();
        partners.sort_unstable();
        partners.dedup();
        assert_eq!(partners.len(), h.len(), "one first deal per partner");
    }

    #[test]
    fn a_bad_round_request_names_its_field() {
        let zero = RoundRequest {
            days: 0,
            ..request()
        };
        match run_round(zero, &|_| {}) {
            Err(ServiceError::BadInput { field, .. }) => assert_eq!(field, Some("days")),
            other => panic!("expected bad input, got {:?}", other.err()),
        }
        let protect = RoundRequest {
            protect: vec!["nowhere=1".into()],
            ..request()
        };
        match run_round(protect, &|_| {}) {
            Err(ServiceError::BadInput { field, message }) => {
                assert_eq!(field, Some("us_protect"));
                assert!(message.contains("unknown sector \"nowhere\""), "{message}");
            }
            other => panic!("expected bad input, got {:?}", other.err()),
        }
    }

    #[test]
    fn a_round_is_reproducible_and_its_comparison_names_the_real_deals() {
        let req = RoundRequest {
            partners: 12,
            days: 60,
            seed: 7,
            ..request()
        };
        let a = run_round(req.clone(), &|_| {}).expect("round");
        let b = run_round(req.clone(), &|_| {}).expect("round");
        // Same seed, same round.
        assert_eq!(a.result.events, b.result.events);
        let states = |r: &Round| r.result.talks.iter().map(|t| t.state).collect::<Vec<_>>();
        assert_eq!(states(&a), states(&b));
        assert_eq!(a.result.talks.len(), 12);
        // The twelve largest partners include the EU bloc, China, Japan, Mexico and Canada.
        for code in ["EUU", "CHN", "JPN", "MEX", "CAN"] {
            let found = a
                .result
                .talks
                .iter()
                .any(|t| t.partner.partner.code == code);
            assert!(found, "{code} missing");
        }
        // Every deal beats no deal for the partner.
        for t in &a.result.talks {
            if let Some(deal) = &t.deal {
                let code = &t.partner.partner.code;
                assert!(deal.score.partner_welfare_pct > 0.0, "{code}");
            }
        }
        // The comparison covers the 60 days, and names the real deals of the UK (May 8) and
        // China (May 12).
        let c = &a.comparison;
        assert_eq!(
            c.window_end,
            NaiveDate::from_ymd_opt(2025, 6, 8).expect("date")
        );
        for code in ["GBR", "CHN"] {
            let row = c.rows.iter().find(|r| r.partner == code).expect("a row");
            assert!(row.real.is_some(), "{code} has no real deal");
        }
        assert_eq!(c.counts.iter().sum::<usize>(), 12);
        // Another seed gives another round.
        let other = run_round(RoundRequest { seed: 8, ..req }, &|_| {}).expect("round");
        assert_ne!(other.result.events, a.result.events);
    }

    #[test]
    fn a_round_selects_the_largest_partners_and_compares_with_2025() {
        let round = run_round(request(), &|_| {}).expect("round");
        let codes: Vec<&str> = round
            .result
            .talks
            .iter()
            .map(|t| t.partner.partner.code.as_str())
            .collect();
        assert_eq!(codes.len(), 4);
        // The four largest by 2024 goods trade with the US (Census): the EU, Mexico, Canada, China.
        for c in ["EUU", "MEX", "CAN", "CHN"] {
            assert!(codes.contains(&c), "{c} missing from {codes:?}");
        }
        // The comparison window is the pause: its last day is day 9 of a 10-day pause.
        assert_eq!(
            round.comparison.window_end,
            round.spec.start + chrono::Days::new(9)
        );
        // The snap-back rates on 2025-04-20 as known on 2025-04-10, from the registry: the EU at
        // the 10% baseline (the pause of EO 14266 runs on), Mexico's 25% fentanyl duty on the
        // goods that do not qualify for USMCA (the default qualifying share 82%).
        let rate = |code: &str| {
            let t = round
                .result
                .talks
                .iter()
                .find(|t| t.partner.partner.code == code);
            t.expect("in the round").partner.snap_back_pct
        };
        assert!((rate("EUU") - 10.0).abs() < 1e-9, "{}", rate("EUU"));
        assert!(
            (rate("MEX") - 25.0 * (1.0 - 0.82)).abs() < 1e-9,
            "{}",
            rate("MEX")
        );
    }
}
