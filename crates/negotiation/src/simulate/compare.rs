//! The simulated round against the real record of 2025-26 deals.

use super::*;

/// A deal in the real record: a partner's first deal-type event.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoricalDeal {
    /// ISO3 or group code.
    pub partner: String,
    /// The date.
    pub date: NaiveDate,
    /// The event type (`deal_general_terms`, `deal_framework`, ...).
    pub kind: String,
    /// The US rate after it, percent, when stated.
    pub rate_pct: Option<f64>,
}

/// How a partner's simulated talk compares with the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Both have a deal inside the window.
    BothDeal,
    /// Only the simulation has one inside the window.
    SimulatedOnly,
    /// Only the record has one inside the window.
    RealOnly,
    /// Neither.
    Neither,
}

impl Agreement {
    /// A short label.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::BothDeal => "both deal",
            Agreement::SimulatedOnly => "simulated only",
            Agreement::RealOnly => "real only",
            Agreement::Neither => "neither",
        }
    }
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// The partner.
    pub partner: String,
    /// Whether it was in the simulated round.
    pub simulated: bool,
    /// The simulated final state.
    pub simulated_state: Option<State>,
    /// The simulated framework date.
    pub simulated_deal: Option<NaiveDate>,
    /// The simulated US rate, percent.
    pub simulated_rate_pct: Option<f64>,
    /// The record's first deal.
    pub real: Option<HistoricalDeal>,
    /// Inside the window (on or before the end of the simulated pause).
    pub agreement: Agreement,
    /// Simulated minus real date, days (both deal inside the window).
    pub timing_gap_days: Option<i64>,
}

/// The comparison and its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The window's last day (the day before the rates snap back).
    pub window_end: NaiveDate,
    /// Rows: every simulated partner, then record partners outside the round.
    pub rows: Vec<ComparisonRow>,
    /// Counts by [`Agreement`], over simulated partners: both, sim only, real only, neither.
    pub counts: [usize; 4],
    /// Record deals inside the window by partners outside the round.
    pub real_outside_round: usize,
    /// Record deals after the window by partners in the round (context: the pause was extended).
    pub real_after_window: usize,
    /// Mean |timing gap| over `both deal` rows, days.
    pub mean_abs_gap_days: Option<f64>,
    /// Partners of the round with a simulated deal and a real deal at any date with a stated
    /// rate: (partner, simulated US rate, real US rate), percent.
    pub rate_pairs: Vec<(String, f64, f64)>,
    /// Partners of the round with a real deal at any date in the record.
    pub real_ever: usize,
    /// Of those, how many also have a simulated deal.
    pub real_ever_simulated: usize,
}

impl Comparison {
    /// Mean |simulated − real| US rate over [`Comparison::rate_pairs`], percentage points.
    pub fn mean_abs_rate_gap(&self) -> Option<f64> {
        (!self.rate_pairs.is_empty()).then(|| {
            self.rate_pairs
                .iter()
                .map(|(_, s, r)| (s - r).abs())
                .sum::<f64>()
                / self.rate_pairs.len() as f64
        })
    }
}

/// Compare a run with the record (`history`: first deal per partner).
pub fn compare(result: &SimResult, history: &[HistoricalDeal]) -> Comparison {
    let window_end = result.date(result.config.days) - chrono::Days::new(1);
    let mut rows = Vec::new();
    let mut counts = [0usize; 4];
    let mut gaps = Vec::new();
    let mut real_after_window = 0;
    let (mut rate_pairs, mut real_ever, mut real_ever_simulated) = (Vec::new(), 0, 0);
    for t in &result.talks {
        let code = &t.partner.partner.code;
        let real = history.iter().find(|h| &h.partner == code).cloned();
        let sim_in = t.deal.is_some();
        let real_in = real
            .as_ref()
            .is_some_and(|h| h.date <= window_end && h.date >= result.config.start);
        if real.as_ref().is_some_and(|h| h.date > window_end) {
            real_after_window += 1;
        }
        if let Some(h) = &real {
            real_ever += 1;
            if let Some(d) = &t.deal {
                real_ever_simulated += 1;
                if let Some(r) = h.rate_pct {
                    rate_pairs.push((code.clone(), d.us_rate_pct, r));
                }
            }
        }
        let agreement = match (sim_in, real_in) {
            (true, true) => Agreement::BothDeal,
            (true, false) => Agreement::SimulatedOnly,
            (false, true) => Agreement::RealOnly,
            (false, false) => Agreement::Neither,
        };
        counts[agreement as usize] += 1;
        let simulated_deal = t.deal.as_ref().map(|d| result.date(d.day));
        let timing_gap_days = match (agreement, simulated_deal, &real) {
            (Agreement::BothDeal, Some(s), Some(r)) => {
                let g = (s - r.date).num_days();
                gaps.push(g.abs() as f64);
                Some(g)
            }
            _ => None,
        };
        rows.push(ComparisonRow {
            partner: code.clone(),
            simulated: true,
            simulated_state: Some(t.state),
            simulated_deal,
            simulated_rate_pct: t.deal.as_ref().map(|d| d.us_rate_pct),
            real,
            agreement,
            timing_gap_days,
        });
    }
    let mut real_outside_round = 0;
    for h in history {
        if result
            .talks
            .iter()
            .any(|t| t.partner.partner.code == h.partner)
        {
            continue;
        }
        let inside = h.date <= window_end && h.date >= result.config.start;
        if inside {
            real_outside_round += 1;
        }
        rows.push(ComparisonRow {
            partner: h.partner.clone(),
            simulated: false,
            simulated_state: None,
            simulated_deal: None,
            simulated_rate_pct: None,
            real: Some(h.clone()),
            agreement: if inside {
                Agreement::RealOnly
            } else {
                Agreement::Neither
            },
            timing_gap_days: None,
        });
    }
    let mean_abs_gap_days =
        (!gaps.is_empty()).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64);
    Comparison {
        window_end,
        rows,
        counts,
        real_outside_round,
        real_after_window,
        mean_abs_gap_days,
        rate_pairs,
        real_ever,
        real_ever_simulated,
    }
}
