//! `negotiate simulate`: the pause round with the partners and the US as agents
//! (`reciprocity_negotiation::simulate`), its outputs, and the comparison with the real 2025
//! sequence (`embedded::events()`: the first deal of each partner).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use reciprocity_negotiation::score::Partner;
use reciprocity_negotiation::simulate::{
    compare, simulate, Comparison, HistoricalDeal, Rules, SimConfig, SimPartner, SimResult,
    UsObjective,
};
use reciprocity_negotiation::State;
use reciprocity_service::no_deal::NoDeal;
use reciprocity_service::NegotiationWorld;
use serde_json::json;

use super::chart::DealsChart;
use super::common::{csv_text, table};
use crate::chart::Chart;
use crate::output::{emit, write_atomic, Format};
use crate::BadInput;

/// Flags of `negotiate simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A dataset folder (default: the embedded 194-country world).
    #[arg(long)]
    data: Option<PathBuf>,
    /// How many partners take part: the largest by 2024 trade with the US (the EU as one bloc).
    #[arg(long, default_value_t = 75)]
    partners: usize,
    /// Length of the pause in days.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// The seed of every random draw.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First day of the pause (2025-04-10: the rates snap back on 2025-07-09 after 90 days).
    #[arg(long, default_value = "2025-04-10")]
    start: String,
    /// US objective: weight on US welfare (% change).
    #[arg(long, default_value_t = 1.0)]
    us_welfare_weight: f64,
    /// US objective: weight on the fall of the US trade deficit (% of its no-deal value).
    #[arg(long, default_value_t = 0.0)]
    us_deficit_weight: f64,
    /// US objective: weight on US output in a protected sector, `SECTOR=WEIGHT` (repeatable).
    #[arg(long = "us-protect", value_name = "SECTOR=WEIGHT")]
    us_protect: Vec<String>,
    /// Write every output (events, talks, tariffs, welfare, comparison, chart) into this directory.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format of what is printed.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The settings of a round as the command takes them.
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
    /// Show a progress bar.
    pub progress: bool,
}

/// A finished round with its context.
pub struct Round {
    /// The spec.
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
    let trade = |p: &Partner| -> f64 {
        let mut t = 0.0;
        for k in 0..cal.k {
            for &m in &p.members {
                t += cal.flows[cal.index(k, m, us)] + cal.flows[cal.index(k, us, m)];
            }
        }
        t
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
                    let x = cal.flows[cal.index(k, m, us)].max(1e-12);
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

/// Run a round.
pub fn run_round(spec: RoundSpec) -> anyhow::Result<Round> {
    let t0 = Instant::now();
    let world = NegotiationWorld::load(spec.data.as_deref())?;
    let end = spec.start + chrono::Days::new(u64::from(spec.days));
    let no_deal = NoDeal::new(end, spec.start, &world.data.sectors)?;
    let partners = select_partners(&world, spec.partners, &no_deal);
    let setup_s = t0.elapsed().as_secs_f64();
    let config = SimConfig {
        start: spec.start,
        days: spec.days,
        seed: spec.seed,
        objective: spec.objective.clone(),
        rules: Rules::default(),
    };
    let bar = if spec.progress {
        ProgressBar::new(u64::from(spec.days))
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} day {pos}/{len} {msg}").expect("static template"),
    );
    let t1 = Instant::now();
    let result = simulate(&world.world, &partners, &config, &|day| {
        bar.set_position(u64::from(day))
    })
    .map_err(|e| anyhow::anyhow!("simulation: {e}"))?;
    bar.finish_and_clear();
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

fn parse_objective(args: &Args, sectors: &[String]) -> anyhow::Result<UsObjective> {
    let mut protect = Vec::new();
    for item in &args.us_protect {
        let (s, w) = item.split_once('=').ok_or_else(|| {
            BadInput(format!(
                "--us-protect: expected SECTOR=WEIGHT such as mvh=0.5, found {item:?}"
            ))
        })?;
        let k = sectors
            .iter()
            .position(|x| x.eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                BadInput(format!(
                    "--us-protect: unknown sector {s:?}: this world's sectors are {}",
                    sectors.join(", ")
                ))
            })?;
        let w: f64 = w.trim().parse().map_err(|_| {
            BadInput(format!(
                "--us-protect: expected a number weight, found {w:?}"
            ))
        })?;
        protect.push((k, w));
    }
    Ok(UsObjective {
        welfare: args.us_welfare_weight,
        deficit: args.us_deficit_weight,
        protect,
    })
}

/// Run it.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.partners == 0 || args.days == 0 {
        return Err(BadInput("--partners and --days must be at least 1".into()).into());
    }
    let start = crate::cmd::flags::parse_date("start", &args.start)?;
    // Only --us-protect names sectors; the round loads (and checks) the world itself.
    let sectors = if args.us_protect.is_empty() {
        Vec::new()
    } else {
        reciprocity_service::scenario::load_world(args.data.as_deref())?
            .data
            .sectors
    };
    let objective = parse_objective(&args, &sectors)?;
    let spec = RoundSpec {
        data: args.data.clone(),
        partners: args.partners,
        days: args.days,
        seed: args.seed,
        start,
        objective,
        progress: true,
    };
    let round = run_round(spec)?;
    if let Some(dir) = &args.out {
        let files = write_dir(dir, &round)?;
        eprintln!("wrote {} files into {}", files.len(), dir.display());
    }
    let text = match args.format {
        Format::Table => summary_text(&round),
        Format::Csv => csv_text(&TALK_HEADERS, &talk_cells(&round))?,
        Format::Json => serde_json::to_string_pretty(&round_json(&round))? + "\n",
    };
    emit(None, &text)
}

const TALK_HEADERS: [&str; 14] = [
    "partner",
    "name",
    "snap_back_pct",
    "stake_pct",
    "engaged",
    "requested",
    "offers",
    "state",
    "framework",
    "us_rate_pct",
    "partner_cut_pct",
    "purchases_pct",
    "us_welfare_pct",
    "partner_welfare_pct",
];

fn talk_cells(round: &Round) -> Vec<Vec<String>> {
    let r = &round.result;
    r.talks
        .iter()
        .map(|t| {
            let d = t.deal.as_ref();
            vec![
                t.partner.partner.code.clone(),
                t.partner.partner.name.clone(),
                format!("{:.1}", t.partner.snap_back_pct),
                format!("{:+.4}", t.stake_pct),
                if t.engaged { "yes" } else { "no" }.into(),
                t.request_day.map_or("-".into(), |d| r.date(d).to_string()),
                t.offers.to_string(),
                t.state.to_string(),
                d.map_or("-".into(), |d| r.date(d.day).to_string()),
                d.map_or("-".into(), |d| format!("{:.1}", d.us_rate_pct)),
                d.map_or("-".into(), |d| format!("{:.0}", 100.0 * d.partner_cut)),
                d.map_or("-".into(), |d| format!("{:.0}", 100.0 * d.purchase_share)),
                d.map_or("-".into(), |d| format!("{:+.4}", d.score.us_welfare_pct)),
                d.map_or("-".into(), |d| {
                    format!("{:+.4}", d.score.partner_welfare_pct)
                }),
            ]
        })
        .collect()
}

const COMPARISON_HEADERS: [&str; 9] = [
    "partner",
    "in_round",
    "simulated_state",
    "simulated_deal",
    "simulated_rate_pct",
    "real_first_deal",
    "real_type",
    "real_rate_pct",
    "agreement",
];

fn comparison_cells(round: &Round) -> Vec<Vec<String>> {
    round
        .comparison
        .rows
        .iter()
        .filter(|r| r.simulated_deal.is_some() || r.real.is_some())
        .map(|r| {
            vec![
                r.partner.clone(),
                if r.simulated { "yes" } else { "no" }.into(),
                r.simulated_state.map_or("-".into(), |s| s.to_string()),
                r.simulated_deal.map_or("-".into(), |d| d.to_string()),
                r.simulated_rate_pct
                    .map_or("-".into(), |x| format!("{x:.1}")),
                r.real.as_ref().map_or("-".into(), |h| h.date.to_string()),
                r.real.as_ref().map_or("-".into(), |h| h.kind.clone()),
                r.real
                    .as_ref()
                    .and_then(|h| h.rate_pct)
                    .map_or("-".into(), |x| format!("{x:.0}")),
                match r.timing_gap_days {
                    Some(g) => format!("{} ({g:+} days)", r.agreement.as_str()),
                    None => r.agreement.as_str().into(),
                },
            ]
        })
        .collect()
}

fn counts(round: &Round) -> (usize, usize, usize, usize, usize) {
    let t = &round.result.talks;
    let engaged = t.iter().filter(|t| t.engaged).count();
    let deals = t.iter().filter(|t| t.deal.is_some()).count();
    let expired = t.iter().filter(|t| t.state == State::Expired).count();
    let declined = t.iter().filter(|t| !t.engaged).count();
    (t.len(), engaged, deals, expired, declined)
}

/// The comparison in a paragraph.
pub fn comparison_summary(round: &Round) -> String {
    let c = &round.comparison;
    let [both, sim_only, real_only, neither] = c.counts;
    let real_in: Vec<String> = round
        .history
        .iter()
        .filter(|h| h.date >= round.spec.start && h.date <= c.window_end)
        .map(|h| format!("{} {}", h.partner, h.date))
        .collect();
    let sim_deals = round
        .result
        .talks
        .iter()
        .filter(|t| t.deal.is_some())
        .count();
    let rates = match c.mean_abs_rate_gap() {
        Some(g) => format!(
            " Where a partner has both a simulated deal and a real deal with a stated rate ({}), the simulated US rate is \
             {:.1} points from the real one on average ({}).",
            c.rate_pairs.len(),
            g,
            c.rate_pairs.iter().map(|(p, s, r)| format!("{p} {s:.1} vs {r:.0}")).collect::<Vec<_>>().join(", ")
        ),
        None => String::new(),
    };
    format!(
        "Inside the window ({} to {}) the record has {} first deal(s) ({}); the simulation has {sim_deals}. \
         Of the {} partners in the round: both deal {both}, simulated only {sim_only}, real only {real_only}, neither {neither}{}. \
         Over the whole record (deals to {}), {} partners of the round reached a deal, {} of them also in the simulation; \
         {} did so only after the window (the real pause was extended to 2025-08-01 and the rates reset on 2025-08-07).{rates}",
        round.spec.start,
        c.window_end,
        real_in.len(),
        if real_in.is_empty() { "none".into() } else { real_in.join(", ") },
        round.result.talks.len(),
        c.mean_abs_gap_days.map_or(String::new(), |g| format!("; mean timing gap where both deal: {g:.0} days")),
        round.history.iter().map(|h| h.date).max().map_or("-".into(), |d| d.to_string()),
        c.real_ever,
        c.real_ever_simulated,
        c.real_after_window,
    )
}

fn summary_text(round: &Round) -> String {
    let r = &round.result;
    let (n, engaged, deals, expired, declined) = counts(round);
    let mut out = format!(
        "Simulated pause round: {} partners, {} days from {} (rates snap back on {}), seed {}, world {}\n\
         no deal: {}\n\
         {}\n\
         {engaged} requested talks, {declined} did not; {deals} framework(s), {expired} expired. {} GE solves; \
         setup {:.1} s, simulation {:.1} s.\n\n",
        n,
        round.spec.days,
        round.spec.start,
        r.date(round.spec.days),
        round.spec.seed,
        round.world.source,
        round.no_deal,
        round.world.notes.join("; "),
        r.solves,
        round.setup_s,
        round.simulate_s
    );
    let deal_rows: Vec<Vec<String>> = talk_cells(round)
        .into_iter()
        .filter(|c| c[8] != "-")
        .collect();
    if deal_rows.is_empty() {
        out.push_str("No deals.\n");
    } else {
        out.push_str("Deals\n");
        out.push_str(&table(&TALK_HEADERS, &deal_rows));
    }
    let us = round.world.world.us;
    out.push_str(&format!(
        "\nUS welfare at the end of the round: {:+.4}% vs no deal, {:+.4}% vs the pre-2025 world\n",
        r.welfare[us].vs_no_deal_pct, r.welfare[us].vs_factual_pct
    ));
    out.push_str("\nSimulation vs 2025\n");
    out.push_str(&table(&COMPARISON_HEADERS, &comparison_cells(round)));
    out.push_str(&comparison_summary(round));
    out.push('\n');
    out
}

fn round_json(round: &Round) -> serde_json::Value {
    let r = &round.result;
    let (n, engaged, deals, expired, declined) = counts(round);
    json!({
        "seed": round.spec.seed,
        "start": round.spec.start.to_string(),
        "days": round.spec.days,
        "snap_back_on": r.date(round.spec.days).to_string(),
        "world": round.world.source,
        "no_deal": round.no_deal,
        "objective": {"welfare": round.spec.objective.welfare, "deficit": round.spec.objective.deficit,
                      "protect": round.spec.objective.protect.iter().map(|(k, w)| json!({"sector": round.world.data.sectors[*k], "weight": w})).collect::<Vec<_>>()},
        "partners": n, "engaged": engaged, "deals": deals, "expired": expired, "declined": declined,
        "solves": r.solves, "setup_seconds": round.setup_s, "simulate_seconds": round.simulate_s,
        "talks": talk_cells(round).iter().map(|c| TALK_HEADERS.iter().zip(c).map(|(h, v)| (h.to_string(), json!(v))).collect::<serde_json::Map<_, _>>()).collect::<Vec<_>>(),
        "events": r.events.iter().map(|e| json!({"date": e.date.to_string(), "talk": e.negotiation, "kind": e.kind.as_str(), "proposal": e.proposal, "detail": e.detail})).collect::<Vec<_>>(),
        "comparison": {
            "window_end": round.comparison.window_end.to_string(),
            "both_deal": round.comparison.counts[0], "simulated_only": round.comparison.counts[1],
            "real_only": round.comparison.counts[2], "neither": round.comparison.counts[3],
            "real_after_window": round.comparison.real_after_window, "real_outside_round": round.comparison.real_outside_round,
            "mean_abs_gap_days": round.comparison.mean_abs_gap_days,
            "real_ever": round.comparison.real_ever, "real_ever_simulated": round.comparison.real_ever_simulated,
            "mean_abs_rate_gap_pp": round.comparison.mean_abs_rate_gap(),
            "rate_pairs": round.comparison.rate_pairs.iter().map(|(p, s, r)| json!({"partner": p, "simulated_pct": s, "real_pct": r})).collect::<Vec<_>>(),
            "rows": comparison_cells(round).iter().map(|c| COMPARISON_HEADERS.iter().zip(c).map(|(h, v)| (h.to_string(), json!(v))).collect::<serde_json::Map<_, _>>()).collect::<Vec<_>>(),
            "summary": comparison_summary(round),
        },
        "welfare": r.welfare.iter().map(|w| json!({"country": w.code, "vs_factual_pct": w.vs_factual_pct, "vs_no_deal_pct": w.vs_no_deal_pct})).collect::<Vec<_>>(),
    })
}

/// The chart of deals over time.
pub fn deals_chart(round: &Round) -> DealsChart {
    let c = &round.comparison;
    DealsChart {
        title: format!("Deals during a {}-day pause: simulated (seed {}) and 2025", round.spec.days, round.spec.seed),
        start: round.spec.start,
        days: round.spec.days,
        simulated: round.result.deals_by_day(),
        real_days: round
            .history
            .iter()
            .filter(|h| h.date >= round.spec.start && h.date <= c.window_end)
            .map(|h| (h.date - round.spec.start).num_days() as u32)
            .collect(),
        footer: format!(
            "Simulation: reciprocity negotiate simulate --partners {} --days {} --seed {} (GE: ILMS preset, {}). 2025: embedded events (White House documents).",
            round.spec.partners, round.spec.days, round.spec.seed, round.world.source
        ),
    }
}

/// Write every output file of a round into `dir`; returns the paths.
pub fn write_dir(dir: &Path, round: &Round) -> anyhow::Result<Vec<PathBuf>> {
    let r = &round.result;
    let cal = &round.world.world.cal;
    let data = &round.world.data;
    let mut files = Vec::new();
    let mut put = |name: &str, text: String| -> anyhow::Result<()> {
        let p = dir.join(name);
        write_atomic(&p, text.as_bytes())?;
        files.push(p);
        Ok(())
    };
    let events: Vec<Vec<String>> = r
        .events
        .iter()
        .map(|e| {
            vec![
                e.date.to_string(),
                e.negotiation.clone(),
                e.kind.to_string(),
                e.proposal.map_or(String::new(), |p| p.to_string()),
                e.detail.clone(),
            ]
        })
        .collect();
    put(
        "events.csv",
        csv_text(&["date", "talk", "kind", "offer", "detail"], &events)?,
    )?;
    put("talks.csv", csv_text(&TALK_HEADERS, &talk_cells(round))?)?;
    put(
        "comparison.csv",
        csv_text(&COMPARISON_HEADERS, &comparison_cells(round))?,
    )?;
    // The tariff matrix: every cell that is not zero or that the round changed.
    let mut rows = Vec::new();
    for k in 0..cal.k {
        for j in 0..cal.n {
            for i in 0..cal.n {
                let id = cal.index(k, j, i);
                let (f, nd, e) = (cal.tariffs[id], r.no_deal.tariffs[id], r.end.tariffs[id]);
                if f == 0.0 && nd == 0.0 && e == 0.0 {
                    continue;
                }
                rows.push(vec![
                    data.countries[i].clone(),
                    data.countries[j].clone(),
                    cal.sectors[k].clone(),
                    format!("{:.4}", 100.0 * f),
                    format!("{:.4}", 100.0 * nd),
                    format!("{:.4}", 100.0 * e),
                ]);
            }
        }
    }
    put(
        "tariffs.csv",
        csv_text(
            &[
                "importer",
                "exporter",
                "sector",
                "factual_pct",
                "no_deal_pct",
                "end_of_round_pct",
            ],
            &rows,
        )?,
    )?;
    let in_round: BTreeMap<usize, &str> = r
        .talks
        .iter()
        .flat_map(|t| {
            t.partner
                .partner
                .members
                .iter()
                .map(move |&m| (m, t.partner.partner.code.as_str()))
        })
        .collect();
    let welfare: Vec<Vec<String>> = r
        .welfare
        .iter()
        .enumerate()
        .map(|(i, w)| {
            vec![
                w.code.clone(),
                data.country_names.get(i).cloned().unwrap_or_default(),
                in_round.get(&i).copied().unwrap_or("").to_string(),
                format!("{:.6}", w.vs_factual_pct),
                format!("{:.6}", w.vs_no_deal_pct),
            ]
        })
        .collect();
    put(
        "welfare.csv",
        csv_text(
            &[
                "country",
                "name",
                "talk",
                "welfare_vs_factual_pct",
                "welfare_vs_no_deal_pct",
            ],
            &welfare,
        )?,
    )?;
    put(
        "round.json",
        serde_json::to_string_pretty(&round_json(round))? + "\n",
    )?;
    let chart = dir.join("deals_over_time.svg");
    deals_chart(round).write(&chart)?;
    files.push(chart);
    Ok(files)
}

/// Markdown for the report: summary, deals, comparison.
pub fn markdown(round: &Round, rel: &str) -> anyhow::Result<String> {
    let r = &round.result;
    let (n, engaged, deals, expired, declined) = counts(round);
    let mut md = format!(
        "### The simulated round\n\n\
         `reciprocity negotiate simulate --partners {} --days {} --seed {}` on the {} world: the {n} largest US partners \
         (the EU as one bloc) and the US as agents; the US maximises its welfare. No deal means {}. \
         {engaged} partners requested talks and {declined} did not; **{deals} reached a framework** and {expired} expired. \
         {} GE solves in {:.1} s.\n\n![deals over time]({rel}/deals_over_time.svg)\n\n",
        round.spec.partners, round.spec.days, round.spec.seed, round.world.source, round.no_deal, r.solves, round.simulate_s
    );
    let deal_rows: Vec<Vec<String>> = talk_cells(round)
        .into_iter()
        .filter(|c| c[8] != "-")
        .collect();
    md.push_str(&md_table(&TALK_HEADERS, &deal_rows));
    md.push_str("\n#### Simulation vs 2025\n\n");
    md.push_str(&md_table(&COMPARISON_HEADERS, &comparison_cells(round)));
    md.push('\n');
    md.push_str(&comparison_summary(round));
    md.push_str(&format!(
        "\n\nFiles: `{rel}/events.csv` (dated log), `{rel}/talks.csv`, `{rel}/tariffs.csv` (final tariff matrix), \
         `{rel}/welfare.csv` (every country), `{rel}/comparison.csv`, `{rel}/round.json`.\n"
    ));
    Ok(md)
}

/// A Markdown table.
pub fn md_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "(none)\n".into();
    }
    let mut s = format!(
        "| {} |\n|{}|\n",
        headers.join(" | "),
        headers.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter()
                .map(|c| c.replace('|', "/"))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    s
}
