//! The timeline of the import-weighted average US tariff (`reciprocity timeline`, the report, and
//! the API's `/tariffs/average` through [`TariffTimeline`]): its rows with the events, the peer's
//! estimates (The Budget Lab's `tariffs_hs2/` series) and the comparison with them.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use reciprocity_policy::effective::TimelinePoint;

use crate::policy::TariffTimeline;
use crate::{Result, ServiceError};

/// One row of the timeline: a day (every day, or each change) with the events of that day.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct TimelineRow {
    /// The day.
    pub date: String,
    /// The additional duty of the 2025-26 measures, percent.
    pub additional_pct: f64,
    /// The 2024 applied base, percent (with HS detail only).
    pub base_pct: Option<f64>,
    /// Base + additional.
    pub total_pct: Option<f64>,
    /// The peer's total on that day, when its series has it.
    pub peer_total_pct: Option<f64>,
    /// The registry's events of the day.
    pub events: String,
}

/// The rows from `from` to `to` (every day when `daily`, else one per change) of the step series
/// `points` (which starts at `from`), with the peer's daily totals.
pub fn rows(
    t: &TariffTimeline,
    points: &[TimelinePoint],
    peer: &BTreeMap<NaiveDate, f64>,
    from: NaiveDate,
    to: NaiveDate,
    daily: bool,
) -> Vec<TimelineRow> {
    let dates: Vec<NaiveDate> = if daily {
        from.iter_days().take_while(|d| *d <= to).collect()
    } else {
        points.iter().map(|p| p.date).collect()
    };
    dates
        .into_iter()
        .filter_map(|d| {
            let p = points.iter().rev().find(|p| p.date <= d)?;
            let events: Vec<&str> = t
                .registry
                .events
                .iter()
                .filter(|e| e.date == d)
                .map(|e| e.label.as_str())
                .collect();
            Some(TimelineRow {
                date: d.to_string(),
                additional_pct: p.additional_pct,
                base_pct: p.base_pct,
                total_pct: p.base_pct.map(|b| b + p.additional_pct),
                peer_total_pct: peer.get(&d).copied(),
                events: events.join("; "),
            })
        })
        .collect()
}

/// A line naming the weights and the assumptions behind a timeline.
pub fn footer(t: &TariffTimeline) -> String {
    let shares: Vec<String> = t
        .assumptions
        .usmca_qualifying_share
        .iter()
        .map(|(k, v)| format!("{k} {:.0}%", v * 100.0))
        .collect();
    let w = &t.weights;
    let detail = if let Some(source) = &w.hs_source {
        format!(
            ", HS detail for {} partners from {source} (2024 applied tariff as base; {} rows, ${:.1}bn, of chapters 98-99 left out)",
            w.hs_partners,
            w.dropped_rows,
            w.dropped_usd / 1e9
        )
    } else {
        " (partner totals only: sector measures left out)".to_string()
    };
    format!(
        "Registry: official US documents (crates/policy/registry). Weights: Census 2024 imports{detail}. USMCA-qualifying shares assumed: {}.",
        shares.join(", ")
    )
}

/// The peer's national daily series (`tariffs_hs2/daily-tariff-latest-data.csv`): date → total
/// tariff, percent. A bad row names the file, the line and the field.
pub fn load_peer_daily(shared: &Path) -> Result<BTreeMap<NaiveDate, f64>> {
    let path = shared.join("tariffs_hs2/daily-tariff-latest-data.csv");
    let at = |line: usize, what: String| {
        ServiceError::bad_input(format!("{}:{line}: {what}", path.display()))
    };
    let mut reader = csv::Reader::from_path(&path)
        .map_err(|e| ServiceError::bad_input(format!("{}: {e}", path.display())))?;
    let mut out = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| at(i + 2, e.to_string()))?;
        let (Some(d), Some(v)) = (rec.get(1), rec.get(2)) else {
            continue;
        };
        let d = reciprocity_policy::date(d).map_err(|e| at(i + 2, format!("date: {e}")))?;
        let v: f64 = v.parse().map_err(|_| {
            at(
                i + 2,
                format!("import_weighted_avg_tariff: expected a number, found {v:?}"),
            )
        })?;
        out.insert(d, v);
    }
    Ok(out)
}

/// One row of the peer's `country-by-time.csv`.
#[derive(Debug, Clone)]
pub struct PeerCountry {
    /// The policy date.
    pub date: NaiveDate,
    /// ISO3 (`EUU` for the EU).
    pub partner: String,
    /// The peer's additional 2025 tariff, percent.
    pub effective_pct: f64,
}

/// The peer's per-partner series (51 partners x 23 dates).
pub fn load_peer_countries(shared: &Path) -> Result<Vec<PeerCountry>> {
    let path = shared.join("tariffs_hs2/country-by-time.csv");
    let at = |line: usize, what: String| {
        ServiceError::bad_input(format!("{}:{line}: {what}", path.display()))
    };
    let mut reader = csv::Reader::from_path(&path)
        .map_err(|e| ServiceError::bad_input(format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| at(line, e.to_string()))?;
        let date = reciprocity_policy::date(rec.get(0).unwrap_or(""))
            .map_err(|e| at(line, format!("date: {e}")))?;
        let name = rec.get(1).unwrap_or("");
        let partner = if name.eq_ignore_ascii_case("European Union") {
            "EUU".to_string()
        } else {
            reciprocity_data::registry::country(name)
                .map(|c| c.iso3.clone())
                .ok_or_else(|| at(line, format!("country_name: unknown partner {name:?}")))?
        };
        let effective_pct: f64 = rec
            .get(2)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| at(line, "effective tariff: expected a number".into()))?;
        out.push(PeerCountry {
            date,
            partner,
            effective_pct,
        });
    }
    Ok(out)
}

/// Ours against the peer's on one of its dates, for one partner or the national total.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct PeerComparison {
    /// The peer's date.
    pub date: String,
    /// ISO3, `EUU`, or the national total.
    pub partner: String,
    /// Our rate, percent.
    pub ours_pct: f64,
    /// The peer's, percent.
    pub peer_pct: f64,
    /// Ours − the peer's, points.
    pub diff_pts: f64,
    /// Whether the difference exceeds 2 points.
    pub over_2pts: bool,
}

/// Our additional tariff against the peer's, per peer date and partner (the EU as one), plus the
/// national totals (the peer's 2024 base is its own: 2.3% on 2025-01-01).
pub fn compare_peer(t: &TariffTimeline, shared: &Path) -> Result<Vec<PeerComparison>> {
    let peer = load_peer_countries(shared)?;
    let daily = load_peer_daily(shared)?;
    let mut dates: Vec<NaiveDate> = peer.iter().map(|p| p.date).collect();
    dates.sort();
    dates.dedup();
    let eu: Vec<&str> = reciprocity_data::registry::group("EU27").unwrap_or_default();
    let row = |d: &NaiveDate, partner: String, ours_pct: f64, peer_pct: f64| {
        let diff = ours_pct - peer_pct;
        PeerComparison {
            date: d.to_string(),
            partner,
            ours_pct,
            peer_pct,
            diff_pts: diff,
            over_2pts: diff.abs() > 2.0,
        }
    };
    let mut rows = Vec::new();
    for d in &dates {
        let r = reciprocity_policy::effective::effective_rates(
            &t.registry,
            *d,
            &t.weights.imports,
            &t.assumptions,
            None,
        );
        let ours: HashMap<&str, (f64, f64)> = r
            .partners
            .iter()
            .map(|p| (p.partner.as_str(), (p.additional_pct, p.value)))
            .collect();
        let (s, w) = eu
            .iter()
            .filter_map(|m| ours.get(m))
            .fold((0.0, 0.0), |a, (v, w)| (a.0 + v * w, a.1 + w));
        let eu_rate = if w > 0.0 { s / w } else { 0.0 };
        for p in peer.iter().filter(|p| p.date == *d) {
            let ours_pct = if p.partner == "EUU" {
                eu_rate
            } else {
                ours.get(p.partner.as_str()).map(|x| x.0).unwrap_or(0.0)
            };
            rows.push(row(d, p.partner.clone(), ours_pct, p.effective_pct));
        }
        if let (Some(total), Some(peer_total)) = (r.total_pct(), daily.get(d)) {
            rows.push(row(
                d,
                "US total (incl. 2024 base)".into(),
                total,
                *peer_total,
            ));
        }
    }
    Ok(rows)
}
