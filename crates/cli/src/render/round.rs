//! A simulated pause round (`reciprocity_service::round`) as tables, CSV, JSON, Markdown and a
//! chart: for `negotiate simulate` and the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reciprocity_negotiation::State;
use reciprocity_service::round::Round;
use serde_json::json;

use crate::chart::deals::DealsChart;
use crate::chart::{Caption, Chart};
use crate::output::{csv_text, md_table, table, write_atomic};

pub const TALK_HEADERS: [&str; 14] = [
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

/// One row per talk of the round.
pub fn talk_cells(round: &Round) -> Vec<Vec<String>> {
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

pub const COMPARISON_HEADERS: [&str; 9] = [
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

/// One row per partner with a simulated or a real deal.
pub fn comparison_cells(round: &Round) -> Vec<Vec<String>> {
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

/// The round as the command prints it.
pub fn summary_text(round: &Round) -> String {
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

/// The round as one JSON document (the command's `--format json`, `round.json`).
pub fn round_json(round: &Round) -> serde_json::Value {
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
        title: format!(
            "Deals during a {}-day pause: simulated (seed {}) and 2025",
            round.spec.days, round.spec.seed
        ),
        start: round.spec.start,
        days: round.spec.days,
        simulated: round.result.deals_by_day(),
        real_days: round
            .history
            .iter()
            .filter(|h| h.date >= round.spec.start && h.date <= c.window_end)
            .map(|h| (h.date - round.spec.start).num_days() as u32)
            .collect(),
        caption: deals_caption(round),
    }
}

/// The deals chart's caption: the round's settings, the world and the record's last deal.
fn deals_caption(round: &Round) -> Caption {
    let s = &round.spec;
    let last = round.history.iter().map(|h| h.date).max();
    Caption {
        scenario: format!(
            "a simulated {}-day pause from {} to {}: the {} largest US partners (the EU as one bloc) and the US as agents, seed {}; no deal means {}",
            s.days, s.start, round.comparison.window_end, s.partners, s.seed, round.no_deal
        ),
        source: format!(
            "reciprocity negotiate simulate --partners {} --days {} --seed {} (GE: ILMS preset, {}); 2025: the first deal per partner in the embedded events (White House documents)",
            s.partners, s.days, s.seed, round.world.source
        ),
        date: match last {
            Some(d) => format!("the record of deals (embedded events) up to {d}"),
            None => format!("the simulated days from {}", s.start),
        },
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
                let (f, nd, e) = (
                    cal.tariff_table().get(k, j, i),
                    cal.pairs(&r.no_deal.tariffs).get(k, j, i),
                    cal.pairs(&r.end.tariffs).get(k, j, i),
                );
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
    deals_chart(round).write_figure(dir, "deals_over_time")?;
    files.extend(["svg", "png"].map(|e| dir.join(format!("deals_over_time.{e}"))));
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
         {} GE solves in {:.1} s.\n\n",
        round.spec.partners, round.spec.days, round.spec.seed, round.world.source, round.no_deal, r.solves, round.simulate_s
    );
    let figure = deals_chart(round).figure("Deals over time", &format!("{rel}/deals_over_time"))?;
    md.push_str(&figure);
    md.push('\n');
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
