//! Stacking: the total duty on one line from one partner on one date, measure by measure.
//!
//! Rules, with their legal source (docs/product-tariffs.md has the long form):
//! 1. A country deal of a Section 232 programme replaces the general rule for its partners (UK,
//!    EU, Japan, Korea); the 2024 Section 301 review increases replace the list rates (89 FR 76581).
//! 2. Section 232 programmes do not stack on each other: autos/parts (Proclamation 10908, EO 14289)
//!    before trucks/buses (Proclamation 10984) before wood (Proclamation 10976) before
//!    semiconductors before copper, steel and aluminium, which apply on their metal content.
//! 3. IEEPA reciprocal, Brazil and India duties, Section 122 and the 2026 Section 301 action do not
//!    apply to the value a Section 232 duty reaches (EO 14257 sec. 3(b); Proclamation 10947 for the
//!    non-metal content of derivatives).
//! 4. Canada/Mexico fentanyl duties: not on autos/parts/trucks (EO 14289 sec. 2); from 2025-03-04
//!    to 2025-06-03 they displace steel/aluminium 232 (EO 14289); from 2025-06-04 the metal duty
//!    applies and fentanyl only to the non-metal content (Proclamation 10947). Energy and potash pay
//!    10% (EO 14231 / 9903.01.13, .05, .15).
//! 5. Everything else adds: Section 301 China, China fentanyl, Section 201, MFN.

use chrono::NaiveDate;

use super::country::{CountryLine, Partner};
use super::data::ProductData;
use super::facts::{Assumptions, Facts};
use super::programs::{Rate, Rule, Scope, Usmca};
use crate::engine::Status as RegStatus;

/// Why a line counts or not.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// It applies.
    Applied,
    /// Another measure applies instead (a deal, a later review).
    Replaced(String),
    /// A measure that takes precedence applies.
    Excluded(String),
    /// The product is on an exemption list.
    Exempt(String),
    /// Suspended (a pause, or never put in effect).
    Suspended(String),
}

impl Status {
    /// Short name: applied, replaced, excluded, exempt, suspended.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Replaced(_) => "replaced",
            Status::Excluded(_) => "excluded",
            Status::Exempt(_) => "exempt",
            Status::Suspended(_) => "suspended",
        }
    }

    /// The reason (the measure or list responsible).
    pub fn reason(&self) -> &str {
        match self {
            Status::Applied => "",
            Status::Replaced(s)
            | Status::Excluded(s)
            | Status::Exempt(s)
            | Status::Suspended(s) => s,
        }
    }
}

/// Where a line comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A product-scoped rule.
    Rule(&'a Rule),
    /// A registry measure.
    Country(&'a CountryLine),
}

/// One measure on one product.
#[derive(Debug, Clone)]
pub struct Core<'a> {
    /// The measure.
    pub source: Source<'a>,
    /// Its rate on the part of the value it reaches, percent.
    pub rate_pct: f64,
    /// The share of the customs value it reaches.
    pub share: f64,
    /// Status for goods that do not qualify for USMCA (every good for other partners).
    pub status: Status,
    /// Contribution to the total, percent of customs value.
    pub applied_pct: f64,
    /// Contribution for USMCA-qualifying goods of Canada and Mexico.
    pub usmca_pct: f64,
}

impl Core<'_> {
    /// The authority name.
    pub fn authority(&self) -> &str {
        match self.source {
            Source::Rule(r) => r.authority,
            Source::Country(c) => &c.program,
        }
    }

    /// The measure id.
    pub fn id(&self) -> &str {
        match self.source {
            Source::Rule(r) => r.id,
            Source::Country(c) => &c.measure,
        }
    }
}

/// The evaluation of one line.
#[derive(Debug, Clone)]
pub struct Eval<'a> {
    /// MFN percent (for goods not qualifying for USMCA).
    pub mfn_pct: f64,
    /// Every measure.
    pub lines: Vec<Core<'a>>,
    /// MFN + applied measures, percent.
    pub total_pct: f64,
    /// The same for USMCA-qualifying goods (Canada, Mexico; MFN 0).
    pub usmca_total_pct: Option<f64>,
}

fn rank(scope: Scope) -> Option<u8> {
    Some(match scope {
        Scope::AutoVehicle | Scope::AutoPart => 0,
        Scope::MhdVehicle | Scope::MhdPart | Scope::Bus => 1,
        Scope::Lumber | Scope::Upholstered | Scope::Cabinets => 2,
        Scope::Semi => 3,
        Scope::Copper | Scope::Steel | Scope::Aluminium | Scope::Annex(..) => 4,
        Scope::S301(_) | Scope::Solar => return None,
    })
}

/// A reason text, built only when the caller wants explanations (the effective-rate loops do not).
fn txt(explain: bool, f: impl FnOnce() -> String) -> String {
    if explain {
        f()
    } else {
        String::new()
    }
}

/// The dates from which the UK's and Japan's civil aircraft exemptions apply.
pub fn civil_aircraft_dates() -> [NaiveDate; 2] {
    [date(2025, 6, 30), date(2025, 9, 16)]
}

/// Dates on which the stacking rules themselves change (EO 14289 from 2025-03-04; Proclamation
/// 10947 from 2025-06-04; the floor exemptions of the EU, Japan, Korea and Switzerland).
pub fn rule_dates() -> [NaiveDate; 5] {
    [
        date(2025, 3, 4),
        date(2025, 6, 4),
        date(2025, 9, 1),
        date(2025, 9, 16),
        date(2025, 11, 14),
    ]
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid literal date")
}

/// Whether product rule `r` can reach partner `p` (its partner list).
pub(super) fn matches(r: &Rule, p: &Partner) -> bool {
    use super::programs::Partners;
    match r.partners {
        Partners::All => true,
        Partners::Only(list) => p.named_in(list),
        Partners::Except(list) => !p.named_in(list),
    }
}

/// Candidates among the product rules, with deals and the 301 review applied.
fn rule_lines<'a>(
    f: &Facts,
    p: &Partner,
    d: NaiveDate,
    rules: &[&'a Rule],
    a: &Assumptions,
    explain: bool,
) -> Vec<Core<'a>> {
    let mut out: Vec<Core<'a>> = Vec::new();
    for r in rules {
        if f.rule_mask.is_some_and(|m| m & (1u128 << r.index) == 0) || !matches(r, p) {
            continue;
        }
        let Some(share) = f.covers(r.scope, d, a) else {
            continue;
        };
        let (rate, status) = match r.rate {
            Rate::Add(x) => (x, Status::Applied),
            Rate::AllIn(x) => ((x - f.mfn_pct).max(0.0), Status::Applied),
            Rate::Suspended(x) => (
                x,
                Status::Suspended(txt(explain, || {
                    format!("{} ({})", r.instrument, r.citation)
                })),
            ),
        };
        out.push(Core {
            source: Source::Rule(r),
            rate_pct: rate,
            share,
            status,
            applied_pct: 0.0,
            usmca_pct: 0.0,
        });
    }
    // Deals replace the general rule of the same scope.
    let deals: Vec<(Scope, &str)> = out
        .iter()
        .filter_map(|c| match c.source {
            Source::Rule(r) if r.deal && c.status == Status::Applied => Some((r.scope, r.id)),
            _ => None,
        })
        .collect();
    let review = out.iter().find_map(|c| match c.source {
        Source::Rule(r) if r.authority.ends_with("2024-review") && c.status == Status::Applied => {
            Some((r.id, c.rate_pct))
        }
        _ => None,
    });
    for c in out.iter_mut().filter(|c| c.status == Status::Applied) {
        let Source::Rule(r) = c.source else { continue };
        if !r.deal {
            if let Some((_, id)) = deals.iter().find(|(s, _)| *s == r.scope) {
                c.status = Status::Replaced(txt(explain, || id.to_string()));
                continue;
            }
        }
        if let (Scope::S301(list), Some((id, rate))) = (r.scope, review) {
            if !list.starts_with("9903.91") && rate >= c.rate_pct {
                c.status = Status::Replaced(txt(explain, || id.to_string()));
            }
        }
    }
    out
}

/// Section 232 precedence; returns the id of the full-value 232 measure that applies (if any)
/// and the share of value the applied 232 duties reach.
fn stack_232<'a>(lines: &mut [Core<'a>], explain: bool) -> (Option<&'a str>, f64) {
    let top = lines
        .iter()
        .filter(|c| c.status == Status::Applied)
        .filter_map(|c| match c.source {
            Source::Rule(r) => rank(r.scope).map(|k| (k, r.id)),
            _ => None,
        })
        .min_by_key(|(k, _)| *k);
    let Some((top_rank, top_id)) = top else {
        return (None, 0.0);
    };
    let mut metal = 0.0;
    for c in lines.iter_mut().filter(|c| c.status == Status::Applied) {
        let Source::Rule(r) = c.source else { continue };
        match rank(r.scope) {
            Some(k) if k > top_rank => {
                c.status = Status::Excluded(txt(explain, || top_id.to_string()))
            }
            Some(4) => metal += c.share,
            _ => {}
        }
    }
    if top_rank < 4 {
        (Some(top_id), 1.0)
    } else {
        (Some(top_id), metal.min(1.0))
    }
}

/// Exemption of a country-wide line by the product lists.
fn exemption(
    f: &Facts,
    p: &Partner,
    d: NaiveDate,
    data: &ProductData,
    program: &str,
    explain: bool,
) -> Option<String> {
    match program {
        "ieepa-reciprocal" => {
            if f.ieepa_exempt && f.ieepa_exempt_since.is_none_or(|s| d >= s) {
                return Some(txt(explain, || {
                    "Annex II of EO 14257 and later additions (ieepa_exempt_products.csv)".into()
                }));
            }
            if let Some(why) = civil_aircraft_of_deal(f, p, d, explain) {
                return Some(why);
            }
            let (group, since) = match p.floor_group()? {
                "eu" => ("eu", date(2025, 9, 1)),
                "japan" => ("japan", date(2025, 9, 16)),
                "korea" => ("korea", date(2025, 11, 14)),
                _ => ("swiss", date(2025, 11, 14)),
            };
            f.floor
                .iter()
                .find(|(g, _)| g == group)
                .filter(|_| d >= since)
                .map(|(_, c)| txt(explain, || format!("{c} exempt from the {group} all-in rate from {since} (floor_exempt_products.csv)")))
        }
        "ieepa-india" => {
            (f.ieepa_exempt && f.ieepa_exempt_since.is_none_or(|s| d >= s)).then(|| {
                txt(explain, || {
                    "Annex II of EO 14257, carried by EO 14329 sec. 3 (ieepa_exempt_products.csv)"
                        .into()
                })
            })
        }
        "ieepa-brazil" => f
            .country_eo
            .iter()
            .map(|&i| &data.country_eo[i])
            .find(|l| l.ch99 == "9903.01.77" && l.start <= d && l.end.is_none_or(|e| d < e))
            .map(|l| txt(explain, || format!("{} ({})", l.source, l.ch99))),
        "s122" => f.s122_exempt.then(|| {
            txt(explain, || {
                "Section 122 proclamation annexes (s122_exempt_products.csv)".into()
            })
        }),
        _ => None,
    }
}

/// The civil aircraft exemptions of the UK (EO of 2025-06-16, 9903.96.01, from 2025-06-30) and Japan
/// (EO of 2025-09-04, 9903.96.02, from 2025-09-16). Their scope is the Agreement on Trade in Civil
/// Aircraft's, the same products as the EU's 9903.02.76 list, which is the list we have (the
/// transcription holds only 8 Japanese lines).
fn civil_aircraft_of_deal(f: &Facts, p: &Partner, d: NaiveDate, explain: bool) -> Option<String> {
    let [gbr, jpn] = civil_aircraft_dates();
    let (since, heading, order) = match p.iso3.as_str() {
        "GBR" => (
            gbr,
            "9903.96.01",
            "EO of 2025-06-16, US-UK Economic Prosperity Deal",
        ),
        "JPN" => (jpn, "9903.96.02", "EO of 2025-09-04, US-Japan Agreement"),
        _ => return None,
    };
    let listed = f
        .floor
        .iter()
        .any(|(g, c)| g == "eu" && c == "civil_aircraft");
    (listed && d >= since).then(|| {
        txt(explain, || {
            format!("civil aircraft and parts, exempt from {since} ({heading}, {order}; scope of the EU's 9903.02.76 list)")
        })
    })
}

/// The Section 232 outcome the country-wide measures are stacked against.
struct Top232<'a> {
    /// The id of the full-value 232 measure that applies, if any.
    id: Option<&'a str>,
    /// Its precedence rank (0 autos/parts, 1 trucks/buses, ..., 4 metals).
    rank: Option<u8>,
    /// The share of the value the applied 232 duties reach.
    covered: f64,
}

impl<'a> Top232<'a> {
    /// The 232 outcome of the product lines, after [`stack_232`].
    fn of(lines: &[Core<'a>], id: Option<&'a str>, covered: f64) -> Top232<'a> {
        let by = id.unwrap_or_default();
        let rank = lines
            .iter()
            .filter(|l| l.status == Status::Applied && l.id() == by)
            .find_map(|l| match l.source {
                Source::Rule(r) => rank(r.scope),
                _ => None,
            });
        Top232 { id, rank, covered }
    }
}

/// The status the registry gave a country-wide measure, as a line status.
fn registry_status(status: &RegStatus, explain: bool) -> Status {
    match status {
        RegStatus::Applied => Status::Applied,
        RegStatus::Suspended { pause, until } => {
            Status::Suspended(txt(explain, || format!("{pause} until {until}")))
        }
        RegStatus::Exempt { exemption } => Status::Exempt(txt(explain, || exemption.clone())),
        RegStatus::Replaced { by } => Status::Replaced(txt(explain, || by.clone())),
        RegStatus::Excluded { by } | RegStatus::Lower { than: by } => {
            Status::Excluded(txt(explain, || by.clone()))
        }
        RegStatus::NotForUsmcaGoods => Status::Excluded(txt(explain, || "USMCA".into())),
    }
}

/// The line of one country-wide measure on this product (rules 3 and 4 of the module docs), and
/// whether it is a Canada/Mexico fentanyl duty displacing the metal duties (2025-03-04 to
/// 2025-06-03).
fn country_core<'a>(
    c: &'a CountryLine,
    f: &Facts,
    p: &Partner,
    d: NaiveDate,
    data: &ProductData,
    top: &Top232,
    explain: bool,
) -> (Core<'a>, bool) {
    let mut rate = if c.all_in {
        (c.level - f.mfn_pct).max(0.0)
    } else {
        c.level
    };
    let mut share = 1.0;
    let mut displaces_metals = false;
    let mut status = registry_status(&c.status, explain);
    if status == Status::Applied {
        if let Some(why) = exemption(f, p, d, data, &c.program, explain) {
            status = Status::Exempt(why);
        }
    }
    let fentanyl_na = c.program == "ieepa-fentanyl-can" || c.program == "ieepa-fentanyl-mex";
    if status == Status::Applied {
        let by = top.id.unwrap_or_default();
        if fentanyl_na {
            if f.fentanyl.is_some() {
                rate = 10.0;
            }
            match top.rank {
                Some(0) | Some(1) if d >= date(2025, 3, 4) => {
                    status = Status::Excluded(txt(explain, || format!("{by} (EO 14289 sec. 2)")))
                }
                Some(4) if (date(2025, 3, 4)..date(2025, 6, 4)).contains(&d) => {
                    displaces_metals = true
                }
                Some(4) => share = 1.0 - top.covered,
                _ => {}
            }
        } else if matches!(
            c.program.as_str(),
            "ieepa-reciprocal" | "ieepa-brazil" | "ieepa-india" | "s122" | "s301-forced-labor"
        ) && top.id.is_some()
        {
            if top.covered >= 1.0 - 1e-9 {
                status = Status::Excluded(txt(explain, || {
                    format!("{by} (Section 232 goods are outside this measure)")
                }));
            } else {
                share = 1.0 - top.covered;
            }
        }
    }
    if status == Status::Applied && share <= 1e-12 {
        status = Status::Excluded(txt(explain, || {
            format!(
                "{} (its duty reaches the whole value)",
                top.id.unwrap_or_default()
            )
        }));
    }
    let core = Core {
        source: Source::Country(c),
        rate_pct: rate,
        share,
        status,
        applied_pct: 0.0,
        usmca_pct: 0.0,
    };
    (core, displaces_metals)
}

/// Rule 4, 2025-03-04 to 2025-06-03: the Canada/Mexico fentanyl duty `fid` excludes the applied
/// steel and aluminium 232 lines, which still apply to USMCA-qualifying goods.
fn fentanyl_before_metals(lines: &mut [Core], fid: &str, explain: bool) {
    for l in lines.iter_mut() {
        if let Source::Rule(r) = l.source {
            if matches!(r.scope, Scope::Steel | Scope::Aluminium) && l.status == Status::Applied {
                l.status = Status::Excluded(txt(explain, || {
                    format!("{fid} (EO 14289 sec. 2: IEEPA Canada/Mexico duties before Section 232 steel/aluminium until Proclamation 10947)")
                }));
                // USMCA-qualifying goods owe no fentanyl duty, so the metal duty still applies to them.
                l.usmca_pct = l.rate_pct * l.share;
            }
        }
    }
}

/// The contribution of each applied line, for goods that do not qualify for USMCA and for those
/// that do.
fn settle(lines: &mut [Core], a: &Assumptions) {
    for l in lines.iter_mut() {
        let applied = l.status == Status::Applied;
        l.applied_pct = if applied { l.rate_pct * l.share } else { 0.0 };
        if applied {
            l.usmca_pct = match l.source {
                Source::Rule(r) => match r.usmca {
                    Usmca::Same => l.applied_pct,
                    Usmca::Exempt => 0.0,
                    Usmca::NonUsContent => l.applied_pct * (1.0 - a.usmca_us_content),
                },
                Source::Country(c) if c.non_usmca_only => 0.0,
                Source::Country(_) => l.applied_pct,
            };
        }
    }
}

/// Evaluate one line (`explain`: build the reason texts; the effective-rate loops skip them).
#[allow(clippy::too_many_arguments)]
pub fn evaluate<'a>(
    f: &Facts,
    p: &Partner,
    d: NaiveDate,
    rules: &[&'a Rule],
    country: &'a [CountryLine],
    data: &ProductData,
    a: &Assumptions,
    explain: bool,
) -> Eval<'a> {
    let mut lines = rule_lines(f, p, d, rules, a, explain);
    let (top_232, covered) = stack_232(&mut lines, explain);
    // The country lines pushed below never carry a 232 rank, so the rank is read once here.
    let top = Top232::of(&lines, top_232, covered);
    let heading = f.heading;
    let mut fentanyl_applied: Option<&str> = None;
    for c in country {
        if let Some(hs) = &c.hs {
            if !heading.is_some_and(|h| hs.covers(h)) {
                continue;
            }
        }
        let (core, displaces_metals) = country_core(c, f, p, d, data, &top, explain);
        if displaces_metals {
            fentanyl_applied = Some(c.measure.as_str());
        }
        lines.push(core);
    }
    if let Some(fid) = fentanyl_applied {
        fentanyl_before_metals(&mut lines, fid, explain);
    }
    settle(&mut lines, a);
    let total_pct = f.mfn_pct + lines.iter().map(|l| l.applied_pct).sum::<f64>();
    let usmca_total_pct = p
        .usmca()
        .then(|| lines.iter().map(|l| l.usmca_pct).sum::<f64>());
    Eval {
        mfn_pct: f.mfn_pct,
        lines,
        total_pct,
        usmca_total_pct,
    }
}
