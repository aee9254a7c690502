//! Proposals: tariff lines, tariff-rate quotas, purchase commitments and non-tariff terms, and
//! their validation from what a user typed (or a file held) into checked domain values.

use chrono::NaiveDate;

/// A side of a talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// The United States.
    Us,
    /// The partner (a country or a bloc).
    Partner,
}

impl Side {
    /// `us` or `partner`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Us => "us",
            Side::Partner => "partner",
        }
    }

    /// Parse [`Side::as_str`].
    pub fn parse(text: &str) -> Option<Side> {
        match text.trim().to_ascii_lowercase().as_str() {
            "us" | "usa" => Some(Side::Us),
            "partner" => Some(Side::Partner),
            _ => None,
        }
    }

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Us => Side::Partner,
            Side::Partner => Side::Us,
        }
    }
}

/// The goods a term covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every good.
    All,
    /// One model sector of the world (its code, e.g. `TOTAL`, `mvh`, `i_s`).
    Sector(String),
    /// One HS chapter (1–97), mapped to its model sector for scoring.
    Chapter(u16),
}

impl Scope {
    /// `all`, the sector code, or `hs87`.
    pub fn code(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Sector(s) => s.clone(),
            Scope::Chapter(c) => format!("hs{c:02}"),
        }
    }
}

/// A tariff one side levies on the other side's goods in a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffLine {
    /// Who levies it (the importer).
    pub levied_by: Side,
    /// The goods.
    pub scope: Scope,
    /// The ad-valorem rate, percent (the additional US duty, or the partner's applied tariff on US goods).
    pub rate_pct: f64,
}

/// A tariff-rate quota: imports up to the quota pay the in-quota rate, the rest the out-of-quota rate.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffRateQuota {
    /// Who levies it (the importer).
    pub levied_by: Side,
    /// The goods.
    pub scope: Scope,
    /// The quota in units (vehicles, tonnes) or in USD when `unit_value_usd` is 1.
    pub volume: f64,
    /// USD per unit of `volume` (1 when the quota is a value).
    pub unit_value_usd: f64,
    /// In-quota rate, percent.
    pub in_quota_pct: f64,
    /// Out-of-quota rate, percent.
    pub out_quota_pct: f64,
}

impl TariffRateQuota {
    /// The quota as a value, USD per year.
    pub fn quota_usd(&self) -> f64 {
        self.volume * self.unit_value_usd
    }
}

/// A commitment to buy at least `usd` a year of the other side's goods in a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseCommitment {
    /// Who buys (the importer).
    pub buyer: Side,
    /// The goods.
    pub scope: Scope,
    /// The committed annual value, USD.
    pub usd: f64,
}

/// The terms of a proposal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Terms {
    /// Tariff lines.
    pub tariff_lines: Vec<TariffLine>,
    /// Tariff-rate quotas.
    pub quotas: Vec<TariffRateQuota>,
    /// Purchase commitments.
    pub purchases: Vec<PurchaseCommitment>,
    /// Non-tariff terms, as text (recorded, not scored).
    pub non_tariff: Vec<String>,
}

impl Terms {
    /// No term at all.
    pub fn is_empty(&self) -> bool {
        self.tariff_lines.is_empty()
            && self.quotas.is_empty()
            && self.purchases.is_empty()
            && self.non_tariff.is_empty()
    }

    /// A one-line summary: `US all 15%; JPN hs87 TRQ 100000×40000 USD @2.5/25%; buys 8.0bn USD all; 1 text term`.
    pub fn summary(&self, partner: &str) -> String {
        let who = |s: Side| {
            if s == Side::Us {
                "USA".to_string()
            } else {
                partner.to_string()
            }
        };
        let mut parts: Vec<String> = Vec::new();
        for l in &self.tariff_lines {
            parts.push(format!(
                "{} {} {}%",
                who(l.levied_by),
                l.scope.code(),
                trim(l.rate_pct)
            ));
        }
        for q in &self.quotas {
            parts.push(format!(
                "{} {} quota {} USD @{}/{}%",
                who(q.levied_by),
                q.scope.code(),
                usd(q.quota_usd()),
                trim(q.in_quota_pct),
                trim(q.out_quota_pct)
            ));
        }
        for p in &self.purchases {
            parts.push(format!(
                "{} buys {} USD {}",
                who(p.buyer),
                usd(p.usd),
                p.scope.code()
            ));
        }
        if !self.non_tariff.is_empty() {
            parts.push(format!(
                "{} text term{}",
                self.non_tariff.len(),
                if self.non_tariff.len() == 1 { "" } else { "s" }
            ));
        }
        parts.join("; ")
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A USD amount in k/m/bn.
pub fn usd(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("{}bn", trim(x / 1e9))
    } else if a >= 1e6 {
        format!("{}m", trim(x / 1e6))
    } else if a >= 1e3 {
        format!("{}k", trim(x / 1e3))
    } else {
        trim(x)
    }
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProposalStatus {
    /// On the table.
    Open,
    /// Accepted by the other side.
    Accepted,
    /// Rejected by the other side.
    Rejected,
    /// Answered by a counterproposal.
    Countered,
    /// Another proposal was accepted.
    Superseded,
    /// Taken off the record by the US lead (the admin): its score is dropped, its terms kept.
    Withdrawn,
}

impl ProposalStatus {
    /// Every status.
    pub const ALL: [ProposalStatus; 6] = [
        ProposalStatus::Open,
        ProposalStatus::Accepted,
        ProposalStatus::Rejected,
        ProposalStatus::Countered,
        ProposalStatus::Superseded,
        ProposalStatus::Withdrawn,
    ];

    /// The name used in the store and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Open => "open",
            ProposalStatus::Accepted => "accepted",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Countered => "countered",
            ProposalStatus::Superseded => "superseded",
            ProposalStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parse [`ProposalStatus::as_str`].
    pub fn parse(text: &str) -> Option<ProposalStatus> {
        ProposalStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
    }
}

impl std::fmt::Display for ProposalStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A proposal of one side in a talk.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The talk.
    pub negotiation: String,
    /// Its number in the talk, from 1.
    pub number: u32,
    /// Who tabled it.
    pub side: Side,
    /// The proposal it counters, if any.
    pub counter_to: Option<u32>,
    /// Where it stands.
    pub status: ProposalStatus,
    /// The terms.
    pub terms: Terms,
    /// When it was tabled.
    pub tabled: NaiveDate,
    /// Optimistic-concurrency version: the stored version this value was read at (1 after insert).
    pub version: u64,
}

// ---------------------------------------------------------------------------------------------
// Drafts: what the user typed, every field optional, checked by `validate`.

/// A tariff line as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TariffLineDraft {
    /// `USA`/`us`, or the partner's code/`partner`.
    pub by: Option<String>,
    /// `all`, a sector code, or `hs87`.
    pub scope: Option<String>,
    /// Percent.
    pub rate_pct: Option<f64>,
}

/// A tariff-rate quota as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuotaDraft {
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PurchaseDraft {
    /// Who buys (default: the partner).
    pub by: Option<String>,
    /// The goods (default: all).
    pub scope: Option<String>,
    /// USD a year.
    pub usd: Option<f64>,
}

/// Proposal terms as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TermsDraft {
    /// Tariff lines.
    pub tariff_lines: Vec<TariffLineDraft>,
    /// Quotas.
    pub quotas: Vec<QuotaDraft>,
    /// Purchases.
    pub purchases: Vec<PurchaseDraft>,
    /// Non-tariff terms.
    pub non_tariff: Vec<String>,
}

/// What a proposal is checked against: the talk's partner and the world's sectors.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationContext {
    /// The partner's code (`JPN`, `EUU`).
    pub partner: String,
    /// Other names accepted for the partner (`EU` for `EUU`).
    pub partner_aliases: Vec<String>,
    /// The sector codes of the world the proposal is scored on.
    pub sectors: Vec<String>,
}

/// The highest rate accepted, percent (China's 2025 peak was 145%).
pub const MAX_RATE_PCT: f64 = 1000.0;

/// A proposal term that fails a check: `tariff line 2: rate: expected ..., found ...`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{item}: {field}: {message}")]
pub struct ValidationError {
    /// Which term (`tariff line 2`, `quota 1`, `proposal`).
    pub item: String,
    /// The field.
    pub field: &'static str,
    /// Expected vs found.
    pub message: String,
}

fn verr(item: &str, field: &'static str, message: String) -> ValidationError {
    ValidationError {
        item: item.to_string(),
        field,
        message,
    }
}

impl ValidationContext {
    fn side(
        &self,
        item: &str,
        field: &'static str,
        text: Option<&str>,
        default: Option<Side>,
    ) -> Result<Side, ValidationError> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return default.ok_or_else(|| {
                verr(
                    item,
                    field,
                    format!(
                        "expected who levies it (USA or {}), found nothing",
                        self.partner
                    ),
                )
            });
        };
        let upper = text.to_ascii_uppercase();
        if upper == "USA" || upper == "US" {
            return Ok(Side::Us);
        }
        if upper == "PARTNER"
            || upper == self.partner
            || self
                .partner_aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(text))
        {
            return Ok(Side::Partner);
        }
        Err(verr(
            item,
            field,
            format!(
                "unknown partner {text:?} for this talk: expected USA or {} (its parties)",
                self.partner
            ),
        ))
    }

    fn scope(
        &self,
        item: &str,
        text: Option<&str>,
        default: Option<Scope>,
    ) -> Result<Scope, ValidationError> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return default.ok_or_else(|| {
                verr(
                    item,
                    "sector",
                    "expected `all`, a sector code or an HS chapter (hs87), found nothing".into(),
                )
            });
        };
        if text.eq_ignore_ascii_case("all") {
            return Ok(Scope::All);
        }
        let lower = text.to_ascii_lowercase();
        if let Some(digits) = lower
            .strip_prefix("hs")
            .or_else(|| lower.strip_prefix("ch"))
        {
            let digits = digits.trim_start_matches([':', '-']);
            return match digits.parse::<u16>() {
                Ok(c) if digits.len() <= 2 && is_hs_chapter(c) => Ok(Scope::Chapter(c)),
                _ => Err(verr(
                    item,
                    "sector",
                    format!("expected an HS chapter 01-97 (not 77), found {text:?}"),
                )),
            };
        }
        match self.sectors.iter().find(|s| s.eq_ignore_ascii_case(text)) {
            Some(s) => Ok(Scope::Sector(s.clone())),
            None => Err(verr(
                item,
                "sector",
                format!(
                    "unknown sector {text:?}: expected `all`, hsNN, or one of this world's sectors ({})",
                    list(&self.sectors)
                ),
            )),
        }
    }
}

fn list(items: &[String]) -> String {
    if items.len() <= 12 {
        items.join(", ")
    } else {
        format!("{}, ... {} in all", items[..12].join(", "), items.len())
    }
}

/// Whether `c` is an HS chapter that exists (1–97 without the reserved 77).
pub fn is_hs_chapter(c: u16) -> bool {
    (1..=97).contains(&c) && c != 77
}

fn rate(
    item: &str,
    field: &'static str,
    value: Option<f64>,
    what: &str,
) -> Result<f64, ValidationError> {
    match value {
        None => Err(verr(
            item,
            field,
            format!("expected {what} in percent, found nothing"),
        )),
        Some(v) if !v.is_finite() || !(0.0..=MAX_RATE_PCT).contains(&v) => Err(verr(
            item,
            field,
            format!("expected {what} between 0 and {MAX_RATE_PCT} percent, found {v}"),
        )),
        Some(v) => Ok(v),
    }
}

fn positive(
    item: &str,
    field: &'static str,
    value: Option<f64>,
    what: &str,
) -> Result<f64, ValidationError> {
    match value {
        None => Err(verr(item, field, format!("expected {what}, found nothing"))),
        Some(v) if !v.is_finite() || v <= 0.0 => {
            Err(verr(item, field, format!("expected {what} > 0, found {v}")))
        }
        Some(v) => Ok(v),
    }
}

/// The largest value in USD a quota or purchase may name: ten trillion, three times all US goods
/// imports of 2024. Anything larger means nothing in these talks, and values near the limits of
/// a float overflow the scoring (a quota of 1e300 units at 1e300 USD is infinite).
pub const MAX_VALUE_USD: f64 = 1e13;

/// `positive`, and at most `max`.
fn bounded(
    item: &str,
    field: &'static str,
    value: Option<f64>,
    what: &str,
    max: f64,
) -> Result<f64, ValidationError> {
    let v = positive(item, field, value, what)?;
    if v > max {
        return Err(verr(
            item,
            field,
            format!("expected {what} of at most {max:e}, found {v:e}"),
        ));
    }
    Ok(v)
}

/// Check a draft against the talk and the world; the first problem is the error.
pub fn validate(draft: &TermsDraft, ctx: &ValidationContext) -> Result<Terms, ValidationError> {
    let mut terms = Terms::default();
    let mut seen: Vec<(Side, Scope, &'static str)> = Vec::new();
    let mut claim = |item: &str,
                     side: Side,
                     scope: &Scope,
                     what: &'static str|
     -> Result<(), ValidationError> {
        if let Some((_, _, before)) = seen.iter().find(|(s, sc, _)| *s == side && sc == scope) {
            return Err(verr(
                item,
                "sector",
                format!(
                    "{} already has a {before} on {}: one rate per side and scope (a quota carries its own rates)",
                    if side == Side::Us { "USA".to_string() } else { ctx.partner.clone() },
                    scope.code()
                ),
            ));
        }
        seen.push((side, scope.clone(), what));
        Ok(())
    };
    for (i, l) in draft.tariff_lines.iter().enumerate() {
        let item = format!("tariff line {}", i + 1);
        let levied_by = ctx.side(&item, "by", l.by.as_deref(), None)?;
        let scope = ctx.scope(&item, l.scope.as_deref(), None)?;
        let rate_pct = rate(&item, "rate", l.rate_pct, "a rate")?;
        claim(&item, levied_by, &scope, "tariff line")?;
        terms.tariff_lines.push(TariffLine {
            levied_by,
            scope,
            rate_pct,
        });
    }
    for (i, q) in draft.quotas.iter().enumerate() {
        let item = format!("quota {}", i + 1);
        let levied_by = ctx.side(&item, "by", q.by.as_deref(), None)?;
        let scope = ctx.scope(&item, q.scope.as_deref(), None)?;
        let volume = bounded(&item, "volume", q.volume, "the quota volume", MAX_VALUE_USD)?;
        let unit_value_usd = bounded(
            &item,
            "unit_value",
            q.unit_value_usd.or(Some(1.0)),
            "a unit value in USD",
            MAX_VALUE_USD,
        )?;
        if volume * unit_value_usd > MAX_VALUE_USD {
            return Err(verr(
                &item,
                "volume",
                format!(
                    "expected a quota worth at most {MAX_VALUE_USD:e} USD, found {:e} ({volume:e} × {unit_value_usd:e})",
                    volume * unit_value_usd
                ),
            ));
        }
        let in_quota_pct = rate(&item, "in", q.in_quota_pct, "the in-quota rate")?;
        let out_quota_pct = rate(&item, "out", q.out_quota_pct, "the out-of-quota rate")?;
        if out_quota_pct < in_quota_pct {
            return Err(verr(
                &item,
                "out",
                format!("expected an out-of-quota rate at least the in-quota rate ({in_quota_pct}%), found {out_quota_pct}%"),
            ));
        }
        claim(&item, levied_by, &scope, "quota")?;
        terms.quotas.push(TariffRateQuota {
            levied_by,
            scope,
            volume,
            unit_value_usd,
            in_quota_pct,
            out_quota_pct,
        });
    }
    let mut bought: Vec<(Side, Scope)> = Vec::new();
    for (i, p) in draft.purchases.iter().enumerate() {
        let item = format!("purchase {}", i + 1);
        let buyer = ctx.side(&item, "by", p.by.as_deref(), Some(Side::Partner))?;
        let scope = ctx.scope(&item, p.scope.as_deref(), Some(Scope::All))?;
        let usd = bounded(&item, "usd", p.usd, "an annual value in USD", MAX_VALUE_USD)?;
        if bought.iter().any(|(s, sc)| *s == buyer && *sc == scope) {
            return Err(verr(
                &item,
                "sector",
                format!(
                    "a second purchase commitment on {}: add them up",
                    scope.code()
                ),
            ));
        }
        bought.push((buyer, scope.clone()));
        terms
            .purchases
            .push(PurchaseCommitment { buyer, scope, usd });
    }
    for (i, t) in draft.non_tariff.iter().enumerate() {
        let text = t.trim();
        if text.is_empty() {
            return Err(verr(
                &format!("term {}", i + 1),
                "text",
                "expected a non-empty text".into(),
            ));
        }
        terms.non_tariff.push(text.to_string());
    }
    if terms.is_empty() {
        return Err(verr(
            "proposal",
            "terms",
            "expected at least one tariff line, quota, purchase or text term, found none".into(),
        ));
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ValidationContext {
        ValidationContext {
            partner: "JPN".into(),
            partner_aliases: vec![],
            sectors: vec!["TOTAL".into()],
        }
    }

    fn line(by: &str, scope: &str, rate: Option<f64>) -> TariffLineDraft {
        TariffLineDraft {
            by: Some(by.into()),
            scope: Some(scope.into()),
            rate_pct: rate,
        }
    }

    /// Validate a draft; `expect` is Ok(summary) or Err(message).
    fn check(draft: TermsDraft, expect: Result<&str, &str>) {
        match (validate(&draft, &ctx()), expect) {
            (Ok(t), Ok(s)) => assert_eq!(t.summary("JPN"), s),
            (Err(e), Err(s)) => assert_eq!(e.to_string(), s),
            (got, expect) => panic!("got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn valid_terms_are_accepted() {
        check(
            TermsDraft {
                tariff_lines: vec![line("USA", "all", Some(15.0)), line("jpn", "hs87", Some(0.0)), line("partner", "total", Some(2.5))],
                quotas: vec![QuotaDraft {
                    by: Some("us".into()),
                    scope: Some("hs87".into()),
                    volume: Some(100_000.0),
                    unit_value_usd: Some(40_000.0),
                    in_quota_pct: Some(2.5),
                    out_quota_pct: Some(25.0),
                }],
                purchases: vec![PurchaseDraft { usd: Some(8e9), ..Default::default() }],
                non_tariff: vec!["  rice access  ".into()],
            },
            Ok("USA all 15%; JPN hs87 0%; JPN TOTAL 2.5%; USA hs87 quota 4bn USD @2.5/25%; JPN buys 8bn USD all; 1 text term"),
        );
    }

    #[test]
    fn bad_terms_are_refused_with_the_reason() {
        let one = |l| TermsDraft {
            tariff_lines: vec![l],
            ..Default::default()
        };
        check(one(line("KOR", "all", Some(10.0))), Err("tariff line 1: by: unknown partner \"KOR\" for this talk: expected USA or JPN (its parties)"));
        check(one(line("USA", "autos", Some(10.0))), Err("tariff line 1: sector: unknown sector \"autos\": expected `all`, hsNN, or one of this world's sectors (TOTAL)"));
        check(
            one(line("USA", "hs77", Some(10.0))),
            Err("tariff line 1: sector: expected an HS chapter 01-97 (not 77), found \"hs77\""),
        );
        check(
            one(line("USA", "all", None)),
            Err("tariff line 1: rate: expected a rate in percent, found nothing"),
        );
        check(
            one(line("USA", "all", Some(-1.0))),
            Err("tariff line 1: rate: expected a rate between 0 and 1000 percent, found -1"),
        );
        check(
            TermsDraft { tariff_lines: vec![line("USA", "all", Some(10.0)), line("us", "ALL", Some(12.0))], ..Default::default() },
            Err("tariff line 2: sector: USA already has a tariff line on all: one rate per side and scope (a quota carries its own rates)"),
        );
        let quota = |i, o| TermsDraft {
            quotas: vec![QuotaDraft {
                by: Some("USA".into()),
                scope: Some("all".into()),
                volume: Some(5e9),
                in_quota_pct: i,
                out_quota_pct: o,
                ..Default::default()
            }],
            ..Default::default()
        };
        check(
            quota(None, Some(25.0)),
            Err("quota 1: in: expected the in-quota rate in percent, found nothing"),
        );
        check(
            quota(Some(2.5), None),
            Err("quota 1: out: expected the out-of-quota rate in percent, found nothing"),
        );
        check(quota(Some(25.0), Some(2.5)), Err("quota 1: out: expected an out-of-quota rate at least the in-quota rate (25%), found 2.5%"));
        check(
            TermsDraft {
                purchases: vec![PurchaseDraft {
                    usd: Some(0.0),
                    ..Default::default()
                }],
                ..Default::default()
            },
            Err("purchase 1: usd: expected an annual value in USD > 0, found 0"),
        );
        check(TermsDraft::default(), Err("proposal: terms: expected at least one tariff line, quota, purchase or text term, found none"));
    }

    /// Issue 15, item 1: a quota of 1e300 units at 1e300 USD was accepted, its score overflowed
    /// and could not be read back, and every board read failed from then on.
    #[test]
    fn values_beyond_any_trade_are_refused() {
        let quota = |volume, unit_value| TermsDraft {
            quotas: vec![QuotaDraft {
                by: Some("USA".into()),
                scope: Some("all".into()),
                volume: Some(volume),
                unit_value_usd: Some(unit_value),
                in_quota_pct: Some(0.0),
                out_quota_pct: Some(25.0),
            }],
            ..Default::default()
        };
        check(
            quota(1e300, 1e300),
            Err("quota 1: volume: expected the quota volume of at most 1e13, found 1e300"),
        );
        check(
            quota(1e7, 1e7),
            Err("quota 1: volume: expected a quota worth at most 1e13 USD, found 1e14 (1e7 × 1e7)"),
        );
        check(quota(1e6, 4e4), Ok("USA all quota 40bn USD @0/25%"));
        check(
            TermsDraft {
                purchases: vec![PurchaseDraft {
                    usd: Some(f64::MAX),
                    ..Default::default()
                }],
                ..Default::default()
            },
            Err("purchase 1: usd: expected an annual value in USD of at most 1e13, found 1.7976931348623157e308"),
        );
    }

    #[test]
    fn usd_is_readable() {
        assert_eq!(usd(5.5e11), "550bn");
        assert_eq!(usd(1_250_000.0), "1.25m");
        assert_eq!(usd(999.0), "999");
    }
}
