//! The serialized forms of the store (JSON export/import and the score details column), kept
//! apart from the domain types so either can change without the other. The export carries a
//! format name and a schema version; an import checks both and every value.

use chrono::NaiveDate;
use reciprocity_negotiation::proposal::MAX_VALUE_USD;
use reciprocity_negotiation::score::{ConstraintScore, SectorScore};
use reciprocity_negotiation::{
    Event, EventKind, Extension, Negotiation, PauseWindow, Proposal, ProposalStatus,
    PurchaseCommitment, Scope, Score, Side, State, TariffLine, TariffRateQuota, Terms,
};
use serde::{Deserialize, Serialize};

use crate::{ScoreRecord, StoreError};

/// The `format` field of an export.
pub const FORMAT: &str = "reciprocity-negotiations";
/// The version of the export layout: 2 adds each event's `number` in its talk's log. Version 1
/// files still import (their events are numbered on the way in).
pub const EXPORT_VERSION: u32 = 2;

/// The oldest export layout this build imports.
pub const OLDEST_EXPORT_VERSION: u32 = 1;

/// A whole store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`FORMAT`].
    pub format: String,
    /// The export layout version ([`EXPORT_VERSION`]).
    pub export_version: u32,
    /// The database schema version it was exported from.
    pub schema_version: u32,
    /// The talks, with their proposals and scores.
    pub negotiations: Vec<NegotiationDto>,
    /// The event log, in order.
    pub events: Vec<EventDto>,
}

/// A talk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegotiationDto {
    /// The id (partner code).
    pub id: String,
    /// The partner code.
    pub partner: String,
    /// The partner's name.
    pub partner_name: String,
    /// The state (`in_talks`, ...).
    pub state: String,
    /// First day of the pause.
    pub pause_start: String,
    /// The end as first set.
    pub pause_original_end: String,
    /// Extensions.
    #[serde(default)]
    pub pause_extensions: Vec<ExtensionDto>,
    /// When it was opened.
    pub opened: String,
    /// The version.
    pub version: u64,
    /// Its proposals.
    #[serde(default)]
    pub proposals: Vec<ProposalDto>,
    /// Their scores.
    #[serde(default)]
    pub scores: Vec<ScoreRecordDto>,
}

/// A pause extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDto {
    /// When decided.
    pub announced: String,
    /// The new end.
    pub new_end: String,
}

/// A proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalDto {
    /// Its number.
    pub number: u32,
    /// `us` or `partner`.
    pub side: String,
    /// The proposal it counters.
    pub counter_to: Option<u32>,
    /// `open`, `accepted`, ...
    pub status: String,
    /// When tabled.
    pub tabled: String,
    /// Its version.
    pub version: u64,
    /// Tariff lines.
    #[serde(default)]
    pub tariff_lines: Vec<TariffLineDto>,
    /// Quotas.
    #[serde(default)]
    pub quotas: Vec<QuotaDto>,
    /// Purchases.
    #[serde(default)]
    pub purchases: Vec<PurchaseDto>,
    /// Text terms.
    #[serde(default)]
    pub non_tariff: Vec<String>,
}

/// A tariff line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffLineDto {
    /// `us` or `partner`.
    pub by: String,
    /// `all`, a sector code or `hs87`.
    pub scope: String,
    /// Percent.
    pub rate_pct: Option<f64>,
}

/// A tariff-rate quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaDto {
    /// `us` or `partner`.
    pub by: String,
    /// The goods.
    pub scope: String,
    /// Volume.
    pub volume: Option<f64>,
    /// USD per unit.
    pub unit_value_usd: Option<f64>,
    /// In-quota rate, percent.
    pub in_quota_pct: Option<f64>,
    /// Out-of-quota rate, percent.
    pub out_quota_pct: Option<f64>,
}

/// A purchase commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseDto {
    /// `us` or `partner`.
    pub by: String,
    /// The goods.
    pub scope: String,
    /// USD a year.
    pub usd: Option<f64>,
}

/// A stored score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRecordDto {
    /// The proposal number.
    pub proposal: u32,
    /// The proposal version scored.
    pub proposal_version: u64,
    /// When scored (the talk's date).
    pub scored_on: String,
    /// The score.
    pub score: ScoreDto,
}

/// A score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ScoreDto {
    pub world: String,
    pub partner: String,
    pub us_welfare_pct: f64,
    pub partner_welfare_pct: f64,
    pub us_rate_no_deal_pct: f64,
    pub us_rate_deal_pct: f64,
    pub partner_rate_no_deal_pct: f64,
    pub partner_rate_deal_pct: f64,
    pub balance_no_deal_usd: f64,
    pub balance_deal_usd: f64,
    pub us_deficit_change_pct: f64,
    pub us_revenue_no_deal_usd: f64,
    pub us_revenue_deal_usd: f64,
    pub partner_revenue_no_deal_usd: f64,
    pub partner_revenue_deal_usd: f64,
    pub sectors: Vec<SectorScoreDto>,
    pub us_output_pct: Vec<f64>,
    pub constraints: Vec<ConstraintScoreDto>,
    pub solves: usize,
    pub iterations: usize,
    pub max_residual: f64,
    pub notes: Vec<String>,
}

/// A sector of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SectorScoreDto {
    pub sector: String,
    pub us_output_pct: f64,
    pub partner_output_pct: f64,
    pub us_exports_no_deal_usd: f64,
    pub us_exports_deal_usd: f64,
    pub us_imports_no_deal_usd: f64,
    pub us_imports_deal_usd: f64,
}

/// A quota or purchase of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ConstraintScoreDto {
    pub term: String,
    /// Absent in scores stored before the field existed.
    #[serde(default)]
    pub sectors: Vec<String>,
    pub rate_pct: f64,
    pub flow_usd: f64,
    pub target_usd: f64,
    pub capped: bool,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDto {
    /// Position in the log.
    pub seq: u64,
    /// Position in its talk's log (1, 2, ...); absent (0) in version 1 exports.
    #[serde(default)]
    pub number: u64,
    /// The talk.
    pub negotiation: String,
    /// Date.
    pub date: String,
    /// Kind.
    pub kind: String,
    /// Proposal.
    pub proposal: Option<u32>,
    /// Detail.
    pub detail: String,
}

// ---------------------------------------------------------------------------------------------
// Domain → DTO

/// The text of a scope.
pub fn scope_text(s: &Scope) -> String {
    s.code()
}

/// A scope from its text (structural: sector codes are not checked against a world here).
pub fn parse_scope(text: &str) -> Option<Scope> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.eq_ignore_ascii_case("all") {
        return Some(Scope::All);
    }
    if let Some(d) = t.strip_prefix("hs") {
        return d
            .parse::<u16>()
            .ok()
            .filter(|c| reciprocity_negotiation::proposal::is_hs_chapter(*c))
            .map(Scope::Chapter);
    }
    Some(Scope::Sector(t.to_string()))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `Score` and `ScoreDto` (and their sector and constraint rows) have the same fields: one list
/// serves both directions, so a field added to one cannot be forgotten in the other.
macro_rules! convert_score {
    ($from:ty => $to:ident, $sector:ident, $constraint:ident) => {
        impl From<&$from> for $to {
            fn from(s: &$from) -> Self {
                $to {
                    world: s.world.clone(),
                    partner: s.partner.clone(),
                    us_welfare_pct: s.us_welfare_pct,
                    partner_welfare_pct: s.partner_welfare_pct,
                    us_rate_no_deal_pct: s.us_rate_no_deal_pct,
                    us_rate_deal_pct: s.us_rate_deal_pct,
                    partner_rate_no_deal_pct: s.partner_rate_no_deal_pct,
                    partner_rate_deal_pct: s.partner_rate_deal_pct,
                    balance_no_deal_usd: s.balance_no_deal_usd,
                    balance_deal_usd: s.balance_deal_usd,
                    us_deficit_change_pct: s.us_deficit_change_pct,
                    us_revenue_no_deal_usd: s.us_revenue_no_deal_usd,
                    us_revenue_deal_usd: s.us_revenue_deal_usd,
                    partner_revenue_no_deal_usd: s.partner_revenue_no_deal_usd,
                    partner_revenue_deal_usd: s.partner_revenue_deal_usd,
                    sectors: s
                        .sectors
                        .iter()
                        .map(|x| $sector {
                            sector: x.sector.clone(),
                            us_output_pct: x.us_output_pct,
                            partner_output_pct: x.partner_output_pct,
                            us_exports_no_deal_usd: x.us_exports_no_deal_usd,
                            us_exports_deal_usd: x.us_exports_deal_usd,
                            us_imports_no_deal_usd: x.us_imports_no_deal_usd,
                            us_imports_deal_usd: x.us_imports_deal_usd,
                        })
                        .collect(),
                    us_output_pct: s.us_output_pct.clone(),
                    constraints: s
                        .constraints
                        .iter()
                        .map(|c| $constraint {
                            term: c.term.clone(),
                            sectors: c.sectors.clone(),
                            rate_pct: c.rate_pct,
                            flow_usd: c.flow_usd,
                            target_usd: c.target_usd,
                            capped: c.capped,
                        })
                        .collect(),
                    solves: s.solves,
                    iterations: s.iterations,
                    max_residual: s.max_residual,
                    notes: s.notes.clone(),
                }
            }
        }
    };
}

convert_score!(Score => ScoreDto, SectorScoreDto, ConstraintScoreDto);
convert_score!(ScoreDto => Score, SectorScore, ConstraintScore);

/// A proposal as its DTO.
pub fn proposal_dto(p: &Proposal) -> ProposalDto {
    ProposalDto {
        number: p.number,
        side: p.side.as_str().into(),
        counter_to: p.counter_to,
        status: p.status.as_str().into(),
        tabled: date_text(p.tabled),
        version: p.version,
        tariff_lines: p
            .terms
            .tariff_lines
            .iter()
            .map(|l| TariffLineDto {
                by: l.levied_by.as_str().into(),
                scope: scope_text(&l.scope),
                rate_pct: Some(l.rate_pct),
            })
            .collect(),
        quotas: p
            .terms
            .quotas
            .iter()
            .map(|q| QuotaDto {
                by: q.levied_by.as_str().into(),
                scope: scope_text(&q.scope),
                volume: Some(q.volume),
                unit_value_usd: Some(q.unit_value_usd),
                in_quota_pct: Some(q.in_quota_pct),
                out_quota_pct: Some(q.out_quota_pct),
            })
            .collect(),
        purchases: p
            .terms
            .purchases
            .iter()
            .map(|x| PurchaseDto {
                by: x.buyer.as_str().into(),
                scope: scope_text(&x.scope),
                usd: Some(x.usd),
            })
            .collect(),
        non_tariff: p.terms.non_tariff.clone(),
    }
}

/// A talk as its DTO (without proposals and scores).
pub fn negotiation_dto(n: &Negotiation) -> NegotiationDto {
    NegotiationDto {
        id: n.id.clone(),
        partner: n.partner.clone(),
        partner_name: n.partner_name.clone(),
        state: n.state.as_str().into(),
        pause_start: date_text(n.pause.start),
        pause_original_end: date_text(n.pause.original_end),
        pause_extensions: n
            .pause
            .extensions
            .iter()
            .map(|e| ExtensionDto {
                announced: date_text(e.announced),
                new_end: date_text(e.new_end),
            })
            .collect(),
        opened: date_text(n.opened),
        version: n.version,
        proposals: Vec::new(),
        scores: Vec::new(),
    }
}

/// An event as its DTO.
pub fn event_dto(e: &Event) -> EventDto {
    EventDto {
        seq: e.seq,
        number: e.number,
        negotiation: e.negotiation.clone(),
        date: date_text(e.date),
        kind: e.kind.as_str().into(),
        proposal: e.proposal,
        detail: e.detail.clone(),
    }
}

/// A score record as its DTO.
pub fn score_record_dto(r: &ScoreRecord) -> ScoreRecordDto {
    ScoreRecordDto {
        proposal: r.proposal,
        proposal_version: r.proposal_version,
        scored_on: date_text(r.scored_on),
        score: ScoreDto::from(&r.score),
    }
}

// ---------------------------------------------------------------------------------------------
// DTO → domain, checked. `at` names the place in the file (`negotiations[2].proposals[0]`).

fn bad(at: &str, field: &str, message: String) -> StoreError {
    StoreError::Import(format!("{at}: {field}: {message}"))
}

fn date(at: &str, field: &str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        bad(
            at,
            field,
            format!("expected a date as YYYY-MM-DD, found {text:?}"),
        )
    })
}

fn side(at: &str, field: &str, text: &str) -> Result<Side, StoreError> {
    Side::parse(text).ok_or_else(|| {
        bad(
            at,
            field,
            format!("expected `us` or `partner`, found {text:?}"),
        )
    })
}

fn scope(at: &str, text: &str) -> Result<Scope, StoreError> {
    parse_scope(text).ok_or_else(|| {
        bad(
            at,
            "scope",
            format!("expected `all`, a sector code or hsNN (01-97), found {text:?}"),
        )
    })
}

fn pct(at: &str, field: &str, v: Option<f64>) -> Result<f64, StoreError> {
    match v {
        None => Err(bad(
            at,
            field,
            "expected a rate in percent, found nothing".into(),
        )),
        Some(x)
            if !x.is_finite()
                || !(0.0..=reciprocity_negotiation::proposal::MAX_RATE_PCT).contains(&x) =>
        {
            Err(bad(
                at,
                field,
                format!("expected a rate between 0 and 1000 percent, found {x}"),
            ))
        }
        Some(x) => Ok(x),
    }
}

fn positive(at: &str, field: &str, v: Option<f64>) -> Result<f64, StoreError> {
    match v {
        Some(x) if x.is_finite() && x > 0.0 => Ok(x),
        Some(x) => Err(bad(at, field, format!("expected a number > 0, found {x}"))),
        None => Err(bad(
            at,
            field,
            "expected a number > 0, found nothing".into(),
        )),
    }
}

/// `v`, refused above [`MAX_VALUE_USD`] (the service's bound on a quota or a purchase).
fn at_most(at: &str, field: &str, v: f64) -> Result<f64, StoreError> {
    if v > MAX_VALUE_USD {
        return Err(bad(
            at,
            field,
            format!("expected at most {MAX_VALUE_USD:e}, found {v:e}"),
        ));
    }
    Ok(v)
}

/// A talk from its DTO.
pub fn negotiation_from(d: &NegotiationDto, at: &str) -> Result<Negotiation, StoreError> {
    let state = State::parse(&d.state)
        .ok_or_else(|| bad(at, "state", format!("unknown state {:?}", d.state)))?;
    let start = date(at, "pause_start", &d.pause_start)?;
    let original_end = date(at, "pause_original_end", &d.pause_original_end)?;
    if original_end <= start {
        return Err(bad(
            at,
            "pause_original_end",
            format!("expected a date after the start {start}, found {original_end}"),
        ));
    }
    let mut extensions = Vec::new();
    for (i, e) in d.pause_extensions.iter().enumerate() {
        let at = format!("{at}.pause_extensions[{i}]");
        extensions.push(Extension {
            announced: date(&at, "announced", &e.announced)?,
            new_end: date(&at, "new_end", &e.new_end)?,
        });
    }
    if d.version == 0 {
        return Err(bad(at, "version", "expected a version ≥ 1, found 0".into()));
    }
    if d.id.trim().is_empty() || d.partner.trim().is_empty() {
        return Err(bad(
            at,
            "id",
            "expected a partner code, found nothing".into(),
        ));
    }
    Ok(Negotiation {
        id: d.id.clone(),
        partner: d.partner.clone(),
        partner_name: d.partner_name.clone(),
        state,
        pause: PauseWindow {
            start,
            original_end,
            extensions,
        },
        opened: date(at, "opened", &d.opened)?,
        version: d.version,
    })
}

/// A proposal from its DTO.
pub fn proposal_from(negotiation: &str, d: &ProposalDto, at: &str) -> Result<Proposal, StoreError> {
    let mut terms = Terms::default();
    for (i, l) in d.tariff_lines.iter().enumerate() {
        let at = format!("{at}.tariff_lines[{i}]");
        terms.tariff_lines.push(TariffLine {
            levied_by: side(&at, "by", &l.by)?,
            scope: scope(&at, &l.scope)?,
            rate_pct: pct(&at, "rate_pct", l.rate_pct)?,
        });
    }
    for (i, q) in d.quotas.iter().enumerate() {
        let at = format!("{at}.quotas[{i}]");
        let in_quota_pct = pct(&at, "in_quota_pct", q.in_quota_pct)?;
        let out_quota_pct = pct(&at, "out_quota_pct", q.out_quota_pct)?;
        if out_quota_pct < in_quota_pct {
            return Err(bad(
                &at,
                "out_quota_pct",
                format!(
                    "expected at least the in-quota rate {in_quota_pct}, found {out_quota_pct}"
                ),
            ));
        }
        let volume = at_most(&at, "volume", positive(&at, "volume", q.volume)?)?;
        let unit_value_usd = at_most(
            &at,
            "unit_value_usd",
            positive(&at, "unit_value_usd", q.unit_value_usd.or(Some(1.0)))?,
        )?;
        // The quota's worth, as the service bounds it when a proposal is tabled: 1e300 × 1e300
        // is infinite and would break its score.
        if volume * unit_value_usd > MAX_VALUE_USD {
            return Err(bad(
                &at,
                "volume",
                format!(
                    "expected a quota worth at most {MAX_VALUE_USD:e} USD, found {:e} ({volume:e} × {unit_value_usd:e})",
                    volume * unit_value_usd
                ),
            ));
        }
        terms.quotas.push(TariffRateQuota {
            levied_by: side(&at, "by", &q.by)?,
            scope: scope(&at, &q.scope)?,
            volume,
            unit_value_usd,
            in_quota_pct,
            out_quota_pct,
        });
    }
    for (i, p) in d.purchases.iter().enumerate() {
        let at = format!("{at}.purchases[{i}]");
        terms.purchases.push(PurchaseCommitment {
            buyer: side(&at, "by", &p.by)?,
            scope: scope(&at, &p.scope)?,
            usd: at_most(&at, "usd", positive(&at, "usd", p.usd)?)?,
        });
    }
    terms.non_tariff = d.non_tariff.clone();
    if terms.is_empty() {
        return Err(bad(
            at,
            "terms",
            "expected at least one term, found none".into(),
        ));
    }
    if d.number == 0 || d.version == 0 {
        return Err(bad(
            at,
            "number",
            "expected a number and a version ≥ 1".into(),
        ));
    }
    Ok(Proposal {
        negotiation: negotiation.to_string(),
        number: d.number,
        side: side(at, "side", &d.side)?,
        counter_to: d.counter_to,
        status: ProposalStatus::parse(&d.status)
            .ok_or_else(|| bad(at, "status", format!("unknown status {:?}", d.status)))?,
        terms,
        tabled: date(at, "tabled", &d.tabled)?,
        version: d.version,
    })
}

/// An event from its DTO.
pub fn event_from(d: &EventDto, at: &str) -> Result<Event, StoreError> {
    Ok(Event {
        seq: d.seq,
        number: d.number,
        negotiation: d.negotiation.clone(),
        date: date(at, "date", &d.date)?,
        kind: EventKind::parse(&d.kind)
            .ok_or_else(|| bad(at, "kind", format!("unknown event kind {:?}", d.kind)))?,
        proposal: d.proposal,
        detail: d.detail.clone(),
    })
}

/// A score record from its DTO.
pub fn score_record_from(
    negotiation: &str,
    d: &ScoreRecordDto,
    at: &str,
) -> Result<ScoreRecord, StoreError> {
    Ok(ScoreRecord {
        negotiation: negotiation.to_string(),
        proposal: d.proposal,
        proposal_version: d.proposal_version,
        scored_on: date(at, "scored_on", &d.scored_on)?,
        score: Score::from(&d.score),
    })
}
