//! The JSON forms of the API (serde + OpenAPI schemas). The domain crates have no serde by
//! design; the conversions live here. Request bodies refuse unknown fields.

use chrono::NaiveDate;
use reciprocity_negotiation::{
    Event, Negotiation, Proposal, PurchaseDraft, QuotaDraft, Score, Side, State, TariffLineDraft,
    Terms, TermsDraft,
};
use reciprocity_store::ScoreRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// `YYYY-MM-DD` → a date; the error names the field.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(format!(
            "{field}: expected a date YYYY-MM-DD, found {text:?}"
        ))
    })
}

/// An optional date field.
pub fn parse_opt_date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    text.map(|t| parse_date(field, t)).transpose()
}

/// `us` or `partner`; the error names the field.
pub fn parse_side(text: Option<&str>) -> Result<Option<Side>, ApiError> {
    text.map(|t| {
        Side::parse(t).ok_or_else(|| {
            ApiError::bad_request(format!("side: expected us or partner, found {t:?}"))
        })
    })
    .transpose()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

// ------------------------------------------------------------------------------------ requests

/// `POST /negotiations`: open a talk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenTalkBody {
    /// The partner: ISO3 code, country name, or EU.
    pub partner: String,
    /// The date of the request (default: the server's today).
    #[schema(format = Date, example = "2025-04-09")]
    pub date: Option<String>,
    /// The first day of the pause (default: the date).
    #[schema(format = Date)]
    pub start: Option<String>,
    /// The pause length in days (default 90). Give `days` or `end`, not both.
    pub days: Option<u32>,
    /// The day the rates snap back.
    #[schema(format = Date)]
    pub end: Option<String>,
}

/// A tariff line as typed.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffLineBody {
    /// Who levies it: `us`/`USA`, or `partner`/the partner's code.
    pub by: Option<String>,
    /// `all`, a sector code of the world, or `hs87`.
    pub scope: Option<String>,
    /// Percent.
    pub rate_pct: Option<f64>,
}

/// A tariff-rate quota as typed.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaBody {
    /// Who levies it.
    pub by: Option<String>,
    /// The goods.
    pub scope: Option<String>,
    /// The quota volume.
    pub volume: Option<f64>,
    /// USD per unit (default 1: the volume is a value in USD).
    pub unit_value_usd: Option<f64>,
    /// In-quota rate, percent.
    pub in_quota_pct: Option<f64>,
    /// Out-of-quota rate, percent.
    pub out_quota_pct: Option<f64>,
}

/// A purchase commitment as typed.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseBody {
    /// Who buys (default: the partner).
    pub by: Option<String>,
    /// The goods (default: all).
    pub scope: Option<String>,
    /// USD a year.
    pub usd: Option<f64>,
}

/// Proposal terms as typed (`reciprocity_negotiation::TermsDraft`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsBody {
    /// Tariff lines.
    #[serde(default)]
    pub tariff_lines: Vec<TariffLineBody>,
    /// Tariff-rate quotas.
    #[serde(default)]
    pub quotas: Vec<QuotaBody>,
    /// Purchase commitments.
    #[serde(default)]
    pub purchases: Vec<PurchaseBody>,
    /// Non-tariff terms, as text (recorded, not scored).
    #[serde(default, alias = "non_tariff")]
    pub text: Vec<String>,
}

impl TermsBody {
    /// The draft the service validates.
    pub fn draft(&self) -> TermsDraft {
        TermsDraft {
            tariff_lines: self
                .tariff_lines
                .iter()
                .map(|l| TariffLineDraft {
                    by: l.by.clone(),
                    scope: l.scope.clone(),
                    rate_pct: l.rate_pct,
                })
                .collect(),
            quotas: self
                .quotas
                .iter()
                .map(|q| QuotaDraft {
                    by: q.by.clone(),
                    scope: q.scope.clone(),
                    volume: q.volume,
                    unit_value_usd: q.unit_value_usd,
                    in_quota_pct: q.in_quota_pct,
                    out_quota_pct: q.out_quota_pct,
                })
                .collect(),
            purchases: self
                .purchases
                .iter()
                .map(|p| PurchaseDraft {
                    by: p.by.clone(),
                    scope: p.scope.clone(),
                    usd: p.usd,
                })
                .collect(),
            non_tariff: self.text.clone(),
        }
    }
}

/// `POST /negotiations/{id}/proposals`: table a proposal, a counterproposal or an amendment.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalBody {
    /// `us` or `partner` (a team tables as `partner` only). Optional for a counterproposal.
    pub side: Option<String>,
    /// The terms.
    pub terms: TermsBody,
    /// The open proposal it answers.
    pub counter_to: Option<u32>,
    /// The open proposal (of the same side) whose terms it replaces.
    pub amend: Option<u32>,
    /// Fail with 409 unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date (default: the server's today).
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// `POST .../accept`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The side accepting (`None`: the side that did not table it; a team: `partner`).
    pub side: Option<String>,
    /// framework, agreement or implemented (default: the next stage).
    pub stage: Option<String>,
    /// Fail with 409 unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date (default: the server's today).
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// `POST .../reject`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    /// The side rejecting (`None`: the side that did not table it; a team: `partner`).
    pub side: Option<String>,
    /// The talks break off.
    #[serde(default)]
    pub collapse: bool,
    /// Why, for the log.
    pub reason: Option<String>,
    /// Fail with 409 unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date (default: the server's today).
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// `POST .../withdraw` (admin only).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {
    /// Why, for the log (at most 4 KiB).
    pub reason: Option<String>,
    /// Fail with 409 unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date (default: the server's today).
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// A page of a list numbered 1, 2, ... (a talk's proposals, its log): `?after=N&limit=M`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The number of the last item already seen (`next_after` of the previous page); default 0.
    pub after: Option<u64>,
    /// At most this many items: 1 to 500, default 100.
    pub limit: Option<u32>,
}

/// `POST .../extend`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    /// The new day the rates snap back.
    #[schema(format = Date, example = "2025-08-01")]
    pub new_end: String,
    /// Fail with 409 unless the talk is at this version.
    pub if_version: Option<u64>,
    /// The date of the decision (default: the server's today).
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// A state name as typed (`framework`, ...).
pub fn parse_stage(text: Option<&str>) -> Result<Option<State>, ApiError> {
    text.map(|t| {
        State::parse(t).ok_or_else(|| {
            ApiError::bad_request(format!(
                "stage: expected framework, agreement or implemented, found {t:?}"
            ))
        })
    })
    .transpose()
}

// ------------------------------------------------------------------------------------- answers

/// A pause extension.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionOut {
    /// When it was decided.
    #[schema(format = Date)]
    pub announced: String,
    /// The new end.
    #[schema(format = Date)]
    pub new_end: String,
}

/// A talk.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalkOut {
    /// The id (the partner code).
    pub id: String,
    /// The partner's code.
    pub partner: String,
    /// The partner's name.
    pub partner_name: String,
    /// The state on the server's today (an ended pause counts as expired).
    pub state: String,
    /// The state as last recorded.
    pub recorded_state: String,
    /// The first day of the pause.
    #[schema(format = Date)]
    pub pause_start: String,
    /// The day the rates snap back (extensions included).
    #[schema(format = Date)]
    pub pause_end: String,
    /// The end as first set.
    #[schema(format = Date)]
    pub pause_original_end: String,
    /// The extensions, in order.
    pub extensions: Vec<ExtensionOut>,
    /// Days left in the pause on the server's today (0 once ended or a deal is reached).
    pub days_left: i64,
    /// When the talk was opened.
    #[schema(format = Date)]
    pub opened: String,
    /// The version (send it as `if_version`).
    pub version: u64,
}

impl TalkOut {
    /// The talk as seen on `today`.
    pub fn new(t: &Negotiation, today: NaiveDate) -> TalkOut {
        let state = t.state_on(today);
        let live = !state.is_final() && !state.has_deal();
        TalkOut {
            id: t.id.clone(),
            partner: t.partner.clone(),
            partner_name: t.partner_name.clone(),
            state: state.as_str().into(),
            recorded_state: t.state.as_str().into(),
            pause_start: day(t.pause.start),
            pause_end: day(t.pause.end()),
            pause_original_end: day(t.pause.original_end),
            extensions: t
                .pause
                .extensions
                .iter()
                .map(|e| ExtensionOut {
                    announced: day(e.announced),
                    new_end: day(e.new_end),
                })
                .collect(),
            days_left: if live {
                t.pause.days_left(today).max(0)
            } else {
                0
            },
            opened: day(t.opened),
            version: t.version,
        }
    }
}

/// A tariff line.
#[derive(Debug, Serialize, ToSchema)]
pub struct TariffLineOut {
    /// `us` or `partner`: who levies it.
    pub by: String,
    /// `all`, a sector code, or `hs87`.
    pub scope: String,
    /// Percent.
    pub rate_pct: f64,
}

/// A tariff-rate quota.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaOut {
    /// Who levies it.
    pub by: String,
    /// The goods.
    pub scope: String,
    /// The quota volume.
    pub volume: f64,
    /// USD per unit.
    pub unit_value_usd: f64,
    /// In-quota rate, percent.
    pub in_quota_pct: f64,
    /// Out-of-quota rate, percent.
    pub out_quota_pct: f64,
}

/// A purchase commitment.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseOut {
    /// Who buys.
    pub by: String,
    /// The goods.
    pub scope: String,
    /// USD a year.
    pub usd: f64,
}

/// The checked terms of a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermsOut {
    /// Tariff lines.
    pub tariff_lines: Vec<TariffLineOut>,
    /// Tariff-rate quotas.
    pub quotas: Vec<QuotaOut>,
    /// Purchase commitments.
    pub purchases: Vec<PurchaseOut>,
    /// Non-tariff terms.
    pub text: Vec<String>,
}

impl From<&Terms> for TermsOut {
    fn from(t: &Terms) -> TermsOut {
        TermsOut {
            tariff_lines: t
                .tariff_lines
                .iter()
                .map(|l| TariffLineOut {
                    by: l.levied_by.as_str().into(),
                    scope: l.scope.code(),
                    rate_pct: l.rate_pct,
                })
                .collect(),
            quotas: t
                .quotas
                .iter()
                .map(|q| QuotaOut {
                    by: q.levied_by.as_str().into(),
                    scope: q.scope.code(),
                    volume: q.volume,
                    unit_value_usd: q.unit_value_usd,
                    in_quota_pct: q.in_quota_pct,
                    out_quota_pct: q.out_quota_pct,
                })
                .collect(),
            purchases: t
                .purchases
                .iter()
                .map(|p| PurchaseOut {
                    by: p.buyer.as_str().into(),
                    scope: p.scope.code(),
                    usd: p.usd,
                })
                .collect(),
            text: t.non_tariff.clone(),
        }
    }
}

/// One sector of a score.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectorScoreOut {
    /// The sector code.
    pub sector: String,
    /// US output, % change vs no deal.
    pub us_output_pct: f64,
    /// The partner's output, % change vs no deal.
    pub partner_output_pct: f64,
    /// US exports to the partner without a deal, USD.
    pub us_exports_no_deal_usd: f64,
    /// With the deal.
    pub us_exports_deal_usd: f64,
    /// US imports from the partner without a deal, USD.
    pub us_imports_no_deal_usd: f64,
    /// With the deal.
    pub us_imports_deal_usd: f64,
}

/// A quota or purchase constraint of a score.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConstraintScoreOut {
    /// The term (`quota 1`, `purchase 2`).
    pub term: String,
    /// The world's sectors the term falls in (`MOTOR_VEHICLES` for a car quota on `hs87`).
    pub sectors: Vec<String>,
    /// The effective rate (quota) or wedge (purchase), percent.
    pub rate_pct: f64,
    /// The flow in equilibrium, USD.
    pub flow_usd: f64,
    /// The quota or the commitment, USD.
    pub target_usd: f64,
    /// Whether the constraint binds.
    pub capped: bool,
}

/// A GE score of terms against no deal, for both sides.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreOut {
    /// The world scored on.
    pub world: String,
    /// The partner.
    pub partner: String,
    /// US welfare (real income), % vs no deal.
    pub us_welfare_pct: f64,
    /// The partner's welfare, % vs no deal.
    pub partner_welfare_pct: f64,
    /// The US rate on the partner's goods without a deal, %.
    pub us_rate_no_deal_pct: f64,
    /// With the deal.
    pub us_rate_deal_pct: f64,
    /// The partner's rate on US goods without a deal, %.
    pub partner_rate_no_deal_pct: f64,
    /// With the deal.
    pub partner_rate_deal_pct: f64,
    /// US trade balance with the partner without a deal, USD.
    pub balance_no_deal_usd: f64,
    /// With the deal.
    pub balance_deal_usd: f64,
    /// US total deficit, % change.
    pub us_deficit_change_pct: f64,
    /// US tariff revenue without a deal, USD.
    pub us_revenue_no_deal_usd: f64,
    /// With the deal.
    pub us_revenue_deal_usd: f64,
    /// The partner's tariff revenue without a deal, USD.
    pub partner_revenue_no_deal_usd: f64,
    /// With the deal.
    pub partner_revenue_deal_usd: f64,
    /// By sector.
    pub sectors: Vec<SectorScoreOut>,
    /// US output in every sector of the world, % change (as stored, and as the CLI shows it).
    pub us_output_pct: Vec<f64>,
    /// The quota and purchase constraints.
    pub constraints: Vec<ConstraintScoreOut>,
    /// GE solves.
    pub solves: usize,
    /// Solver iterations.
    pub iterations: usize,
    /// The largest equilibrium residual.
    pub max_residual: f64,
    /// Notes.
    pub notes: Vec<String>,
}

impl From<&Score> for ScoreOut {
    fn from(s: &Score) -> ScoreOut {
        ScoreOut {
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
                .map(|x| SectorScoreOut {
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
                .map(|c| ConstraintScoreOut {
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

/// A stored score of a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredScoreOut {
    /// The proposal version it scored.
    pub proposal_version: u64,
    /// Whether the proposal was amended since (the score is of older terms).
    pub stale: bool,
    /// The talk date it was computed for.
    #[schema(format = Date)]
    pub scored_on: String,
    /// The score.
    pub score: ScoreOut,
}

/// A proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalOut {
    /// Its number in the talk.
    pub number: u32,
    /// Who tabled it: `us` or `partner`.
    pub side: String,
    /// The proposal it answers.
    pub counter_to: Option<u32>,
    /// open, countered, accepted, rejected, superseded, ...
    pub status: String,
    /// When it was tabled.
    #[schema(format = Date)]
    pub tabled: String,
    /// Its version (amendments bump it).
    pub version: u64,
    /// The terms in one line.
    pub summary: String,
    /// The terms.
    pub terms: TermsOut,
    /// Its stored score, if scored.
    pub score: Option<StoredScoreOut>,
}

impl ProposalOut {
    /// A proposal with its stored score (if any) and the talk's partner (for the summary).
    pub fn new(p: &Proposal, partner: &str, score: Option<&ScoreRecord>) -> ProposalOut {
        ProposalOut {
            number: p.number,
            side: p.side.as_str().into(),
            counter_to: p.counter_to,
            status: p.status.as_str().into(),
            tabled: day(p.tabled),
            version: p.version,
            summary: p.terms.summary(partner),
            terms: TermsOut::from(&p.terms),
            score: score.map(|s| StoredScoreOut {
                proposal_version: s.proposal_version,
                stale: s.proposal_version != p.version,
                scored_on: day(s.scored_on),
                score: ScoreOut::from(&s.score),
            }),
        }
    }
}

/// An event of the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// Its position in its talk's log: 1, 2, ... without gaps. (The store's global position is
    /// not shown: it would count the events of other talks.)
    pub number: u64,
    /// The talk.
    pub negotiation: String,
    /// The date.
    #[schema(format = Date)]
    pub date: String,
    /// opened, proposed, countered, amended, accepted, ...
    pub kind: String,
    /// The proposal concerned.
    pub proposal: Option<u32>,
    /// What happened.
    pub detail: String,
}

impl From<&Event> for EventOut {
    fn from(e: &Event) -> EventOut {
        EventOut {
            number: e.number,
            negotiation: e.negotiation.clone(),
            date: day(e.date),
            kind: e.kind.as_str().into(),
            proposal: e.proposal,
            detail: e.detail.clone(),
        }
    }
}
