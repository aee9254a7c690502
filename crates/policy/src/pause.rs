//! The pause clock: on a date, which partners are inside a pause, how many days are left, and
//! which rates snap back when it ends — all as known on that date (later extensions unknown).

use chrono::NaiveDate;

use crate::engine::PartnerDay;
use crate::hs::Product;
use crate::registry::{Pause, RateRule, Registry};

/// One partner inside a pause.
#[derive(Debug, Clone, PartialEq)]
pub struct PausedPartner {
    /// ISO3 or group code.
    pub partner: String,
    /// The additional duty on all goods now, percent.
    pub now_pct: f64,
    /// The additional duty on all goods on the day the pause ends (as known), percent.
    pub snap_back_pct: f64,
    /// The suspended measures reaching this partner.
    pub suspended: Vec<String>,
}

/// A pause in force on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct PauseStatus {
    /// The pause id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The ordering instrument.
    pub instrument: String,
    /// First day.
    pub start: NaiveDate,
    /// The end as first ordered.
    pub original_end: NaiveDate,
    /// The end as known on the date asked (first day the rates snap back).
    pub end: NaiveDate,
    /// Days from the date asked to `end`.
    pub days_left: i64,
    /// Extensions known on the date asked.
    pub extensions_known: usize,
    /// The partners inside it.
    pub partners: Vec<PausedPartner>,
    /// The official document.
    pub source: String,
}

fn pause_partners(reg: &Registry, pause: &Pause, date: NaiveDate) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for id in &pause.suspends {
        let Some(m) = reg.measure(id) else { continue };
        // A pause on a measure that has ended is moot.
        if !m.in_force(date) {
            continue;
        }
        let codes: Vec<String> = match &m.rate {
            RateRule::ByPartner(table) => table.keys().cloned().collect(),
            _ if m.partners.all => vec!["ALL".into()],
            _ => m.partners.list.iter().cloned().collect(),
        };
        for code in codes {
            if code != "ALL" && !pause.partners.matches(&code, &reg.groups) {
                continue;
            }
            match out.iter_mut().find(|(p, _)| *p == code) {
                Some((_, ids)) => ids.push(id.clone()),
                None => out.push((code, vec![id.clone()])),
            }
        }
    }
    out
}

/// The pauses in force on `date`, as known on `date`, with their partners sorted by the size of
/// the snap-back (largest first).
pub fn pause_clock(reg: &Registry, date: NaiveDate) -> Vec<PauseStatus> {
    let known_on = Some(date);
    let mut out = Vec::new();
    for pause in &reg.pauses {
        let end = pause.end_as_known(known_on);
        if pause.announced > date || date < pause.start || date >= end {
            continue;
        }
        let mut partners: Vec<PausedPartner> = pause_partners(reg, pause, date)
            .into_iter()
            .map(|(partner, suspended)| {
                let now = PartnerDay::new(reg, date, &partner, known_on).total(
                    Product::General,
                    None,
                    false,
                );
                let later = PartnerDay::new(reg, end, &partner, known_on).total(
                    Product::General,
                    None,
                    false,
                );
                PausedPartner {
                    partner,
                    now_pct: now,
                    snap_back_pct: later,
                    suspended,
                }
            })
            .collect();
        if partners.is_empty() {
            continue;
        }
        partners.sort_by(|a, b| {
            (b.snap_back_pct - b.now_pct)
                .total_cmp(&(a.snap_back_pct - a.now_pct))
                .then(a.partner.cmp(&b.partner))
        });
        out.push(PauseStatus {
            id: pause.id.clone(),
            title: pause.title.clone(),
            instrument: pause.instrument.clone(),
            start: pause.start,
            original_end: pause.end,
            end,
            days_left: (end - date).num_days(),
            extensions_known: pause
                .extensions
                .iter()
                .filter(|e| e.announced <= date)
                .count(),
            partners,
            source: pause.source.clone(),
        });
    }
    out
}
