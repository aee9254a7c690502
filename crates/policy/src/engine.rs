//! The rates in force: for a partner, a product and a date, which measures apply, which are
//! suspended, exempted, replaced or excluded, and the total additional duty.
//!
//! Rules, in order: a measure is a candidate when it is known (announced on or before `known_on`),
//! in force on the date, reaches the partner and covers the product. A candidate is *suspended*
//! by a pause or *exempt* by an exemption; of the rest, one named in the `over` list of another
//! active `replaces` measure is *replaced*; of what remains, one whose `excluded_when` names
//! another remaining measure is *excluded*; of a `highest_of` group only the highest applies.
//! Everything left adds up.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::hs::Product;
use crate::registry::{
    fmt_pct, Condition, Exemption, Measure, Pause, RateRule, Registry, Stacking,
};

/// Why a measure does or does not apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// It applies and its rate counts.
    Applied,
    /// A pause suspends it until `until` (first day it applies again, as known).
    Suspended {
        /// The pause id.
        pause: String,
        /// The end of the pause.
        until: NaiveDate,
    },
    /// An exemption takes the goods out of its scope.
    Exempt {
        /// The exemption id.
        exemption: String,
    },
    /// Another measure applies instead.
    Replaced {
        /// The replacing measure.
        by: String,
    },
    /// It does not apply to goods that another measure reaches.
    Excluded {
        /// The measure that excludes it.
        by: String,
    },
    /// A `highest_of` group kept a higher rate.
    Lower {
        /// The measure kept.
        than: String,
    },
    /// It reaches only goods that do not qualify for USMCA preference.
    NotForUsmcaGoods,
}

impl Status {
    /// A short text: `applied`, `suspended by pause-2025-04-09 until 2025-08-07`, ...
    pub fn describe(&self) -> String {
        match self {
            Status::Applied => "applied".into(),
            Status::Suspended { pause, until } => format!("suspended by {pause} until {until}"),
            Status::Exempt { exemption } => format!("exempt ({exemption})"),
            Status::Replaced { by } => format!("replaced by {by}"),
            Status::Excluded { by } => format!("excluded: {by} applies"),
            Status::Lower { than } => format!("lower than {than}"),
            Status::NotForUsmcaGoods => "not on USMCA-qualifying goods".into(),
        }
    }
}

/// One measure in a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The measure id.
    pub measure: String,
    /// Its program.
    pub program: String,
    /// Its legal instrument.
    pub instrument: String,
    /// Its title.
    pub title: String,
    /// The rate it charges (or would charge) on these goods, percent.
    pub rate_pct: f64,
    /// The rate rule as written (`15 all-in (15 - MFN, not below 0)`).
    pub rule: String,
    /// Whether it counts, and why not.
    pub status: Status,
    /// Whether the registry marks it provisional.
    pub provisional: bool,
    /// Whether it reaches only non-USMCA goods.
    pub non_usmca_only: bool,
    /// The official document.
    pub source: String,
}

/// The additional duty on one partner's goods on one date, measure by measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// The date.
    pub date: NaiveDate,
    /// The partner (ISO3 or group).
    pub partner: String,
    /// The goods.
    pub product: Product,
    /// The MFN duty used for all-in rules (`None`: taken as 0).
    pub mfn_pct: Option<f64>,
    /// Every candidate measure, applied or not.
    pub lines: Vec<Line>,
    /// The sum of applied rates, percent, for goods that do not qualify for USMCA preference
    /// (for every partner but Canada and Mexico this is simply the rate).
    pub total_pct: f64,
    /// For Canada and Mexico when some measure spares USMCA-qualifying goods: their total.
    pub usmca_total_pct: Option<f64>,
}

/// A measure's rate for a partner before the MFN rule: `None` when the partner has no rate.
fn partner_rate(m: &Measure, partner: &str, groups: &BTreeMap<String, Vec<String>>) -> Option<f64> {
    match &m.rate {
        RateRule::Flat(r) | RateRule::AllIn(r) => Some(*r),
        RateRule::ByPartner(table) => table.get(partner).copied().or_else(|| {
            table
                .iter()
                .find(|(g, _)| {
                    groups
                        .get(*g)
                        .is_some_and(|members| members.iter().any(|x| x == partner))
                })
                .map(|(_, r)| *r)
        }),
    }
}

/// Whether a scope reaches a product: `General` only by `ALL`, chapters only when fully covered.
fn reaches(m: &Measure, product: Product) -> bool {
    m.hs.covers(product)
}

fn exempts(e: &Exemption, m: &Measure, product: Product) -> bool {
    e.applies_to.iter().any(|r| m.is_named_by(r)) && e.hs.covers(product)
}

/// Why a candidate does or does not apply, by index (no allocation); see [`Status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Applied,
    Suspended,
    Exempt(usize),
    Replaced(usize),
    Excluded(usize),
    Lower(usize),
    NotForUsmca,
}

struct Candidate<'r> {
    measure: &'r Measure,
    rate: f64,
    suspended: Option<(&'r Pause, NaiveDate)>,
}

/// The measures, pauses and exemptions that concern one partner on one date: built once, then
/// asked for many products (the effective-rate loops price thousands of headings per date).
pub struct PartnerDay<'r> {
    date: NaiveDate,
    partner: String,
    candidates: Vec<Candidate<'r>>,
    exemptions: Vec<&'r Exemption>,
}

impl<'r> PartnerDay<'r> {
    /// Filter the registry for `partner` on `date`, using only what was announced by `known_on`
    /// (`None`: everything, i.e. the rates as finally determined, retroactive orders included).
    pub fn new(
        reg: &'r Registry,
        date: NaiveDate,
        partner: &str,
        known_on: Option<NaiveDate>,
    ) -> PartnerDay<'r> {
        let known = |d: NaiveDate| known_on.is_none_or(|k| d <= k);
        let candidates = reg
            .measures
            .iter()
            .filter(|m| {
                known(m.announced)
                    && m.in_force_as_known(date, &reg.measures, known_on)
                    && m.partners.matches(partner, &reg.groups)
            })
            .filter_map(|m| {
                let rate = partner_rate(m, partner, &reg.groups)?;
                let suspended = reg
                    .pauses
                    .iter()
                    .find(|p| p.suspends_on(&m.id, partner, date, known_on, &reg.groups))
                    .map(|p| (p, p.end_as_known(known_on)));
                Some(Candidate {
                    measure: m,
                    rate,
                    suspended,
                })
            })
            .collect();
        let exemptions = reg
            .exemptions
            .iter()
            .filter(|e| {
                known(e.announced)
                    && e.effective <= date
                    && e.end.is_none_or(|end| date < end)
                    && e.partners.matches(partner, &reg.groups)
            })
            .collect();
        PartnerDay {
            date,
            partner: partner.to_string(),
            candidates,
            exemptions,
        }
    }

    /// Status of every candidate that reaches `product` (indices into `self.candidates`), without
    /// allocating: this runs for every heading of every partner on every date of a timeline.
    fn statuses(&self, product: Product, usmca_qualifying: bool) -> Vec<(usize, Why)> {
        let mut out: Vec<(usize, Why)> = Vec::with_capacity(self.candidates.len());
        for (i, c) in self.candidates.iter().enumerate() {
            let m = c.measure;
            if !reaches(m, product) {
                continue;
            }
            let status = if usmca_qualifying && m.condition == Some(Condition::NonUsmca) {
                Why::NotForUsmca
            } else if c.suspended.is_some() {
                Why::Suspended
            } else if let Some(k) = self.exemptions.iter().position(|e| exempts(e, m, product)) {
                Why::Exempt(k)
            } else {
                Why::Applied
            };
            out.push((i, status));
        }
        // Replacement among the active measures.
        let active: Vec<usize> = out
            .iter()
            .filter(|(_, s)| *s == Why::Applied)
            .map(|(i, _)| *i)
            .collect();
        for (i, status) in out.iter_mut() {
            if *status != Why::Applied {
                continue;
            }
            let m = self.candidates[*i].measure;
            if let Some(&j) = active.iter().find(|&&j| {
                let other = self.candidates[j].measure;
                j != *i
                    && other.stacking == Stacking::Replaces
                    && other.over.iter().any(|r| m.is_named_by(r))
            }) {
                *status = Why::Replaced(j);
            }
        }
        // Exclusion against what remains after replacement.
        let remaining: Vec<usize> = out
            .iter()
            .filter(|(_, s)| *s == Why::Applied)
            .map(|(i, _)| *i)
            .collect();
        for (i, status) in out.iter_mut() {
            if *status != Why::Applied {
                continue;
            }
            let m = self.candidates[*i].measure;
            if let Some(&j) = remaining.iter().find(|&&j| {
                j != *i
                    && m.excluded_when
                        .iter()
                        .any(|r| self.candidates[j].measure.is_named_by(r))
            }) {
                *status = Why::Excluded(j);
            }
        }
        out
    }

    fn rate_of(&self, i: usize, mfn_pct: Option<f64>) -> f64 {
        let c = &self.candidates[i];
        match c.measure.rate {
            RateRule::AllIn(_) => (c.rate - mfn_pct.unwrap_or(0.0)).max(0.0),
            _ => c.rate,
        }
    }

    /// Apply `highest_of` groups to the statuses, in place.
    fn apply_highest_of(&self, statuses: &mut [(usize, Why)], mfn_pct: Option<f64>) {
        let applied: Vec<usize> = statuses
            .iter()
            .filter(|(_, s)| *s == Why::Applied)
            .map(|(i, _)| *i)
            .collect();
        for &i in &applied {
            let m = self.candidates[i].measure;
            if m.stacking != Stacking::HighestOf {
                continue;
            }
            let group: Vec<usize> = applied
                .iter()
                .copied()
                .filter(|&j| {
                    j == i
                        || m.over
                            .iter()
                            .any(|r| self.candidates[j].measure.is_named_by(r))
                })
                .collect();
            let best = group
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    self.rate_of(a, mfn_pct)
                        .total_cmp(&self.rate_of(b, mfn_pct))
                        .then(b.cmp(&a))
                })
                .expect("group holds i");
            for (j, status) in statuses.iter_mut() {
                if *j != best && group.contains(j) && *status == Why::Applied {
                    *status = Why::Lower(best);
                }
            }
        }
    }

    fn describe(&self, why: &Why) -> Status {
        let id = |j: usize| self.candidates[j].measure.id.clone();
        match *why {
            Why::Applied => Status::Applied,
            Why::Suspended => Status::Suspended {
                pause: String::new(),
                until: NaiveDate::MIN,
            },
            Why::Exempt(k) => Status::Exempt {
                exemption: self.exemptions[k].id.clone(),
            },
            Why::Replaced(j) => Status::Replaced { by: id(j) },
            Why::Excluded(j) => Status::Excluded { by: id(j) },
            Why::Lower(j) => Status::Lower { than: id(j) },
            Why::NotForUsmca => Status::NotForUsmcaGoods,
        }
    }

    /// The total additional duty on `product`, percent (the fast path of the effective-rate loops).
    pub fn total(&self, product: Product, mfn_pct: Option<f64>, usmca_qualifying: bool) -> f64 {
        let mut statuses = self.statuses(product, usmca_qualifying);
        self.apply_highest_of(&mut statuses, mfn_pct);
        statuses
            .iter()
            .filter(|(_, s)| *s == Why::Applied)
            .map(|(i, _)| self.rate_of(*i, mfn_pct))
            .sum()
    }

    /// Whether some applicable measure reaches only non-USMCA goods (so the USMCA view differs).
    pub fn has_usmca_condition(&self) -> bool {
        self.candidates
            .iter()
            .any(|c| c.measure.condition == Some(Condition::NonUsmca))
    }

    /// The measure-by-measure breakdown on `product`.
    pub fn breakdown(&self, product: Product, mfn_pct: Option<f64>) -> Breakdown {
        let mut statuses = self.statuses(product, false);
        self.apply_highest_of(&mut statuses, mfn_pct);
        let lines: Vec<Line> = statuses
            .iter()
            .map(|(i, status)| {
                let c = &self.candidates[*i];
                let m = c.measure;
                let status = match (status, c.suspended) {
                    (Why::Suspended, Some((pause, until))) => Status::Suspended {
                        pause: pause.id.clone(),
                        until,
                    },
                    _ => self.describe(status),
                };
                Line {
                    measure: m.id.clone(),
                    program: m.program.clone(),
                    instrument: m.instrument.clone(),
                    title: m.title.clone(),
                    rate_pct: self.rate_of(*i, mfn_pct),
                    rule: match &m.rate {
                        RateRule::ByPartner(_) => {
                            format!("{} ({})", fmt_pct(self.candidates[*i].rate), self.partner)
                        }
                        _ => m.rate_text(),
                    },
                    status,
                    provisional: m.provisional,
                    non_usmca_only: m.condition == Some(Condition::NonUsmca),
                    source: m.source.clone(),
                }
            })
            .collect();
        let total_pct = lines
            .iter()
            .filter(|l| l.status == Status::Applied)
            .map(|l| l.rate_pct)
            .sum();
        let reaches_usmca = lines.iter().any(|l| l.non_usmca_only);
        Breakdown {
            date: self.date,
            partner: self.partner.clone(),
            product,
            mfn_pct,
            lines,
            total_pct,
            usmca_total_pct: reaches_usmca.then(|| self.total(product, mfn_pct, true)),
        }
    }
}

/// The breakdown for one partner, product and date (see [`PartnerDay`] for many products).
pub fn rates_at(
    reg: &Registry,
    date: NaiveDate,
    partner: &str,
    product: Product,
    mfn_pct: Option<f64>,
    known_on: Option<NaiveDate>,
) -> Breakdown {
    PartnerDay::new(reg, date, partner, known_on).breakdown(product, mfn_pct)
}

/// Every partner code a registry names (ISO3 and groups), sorted: the default list of `tariffs`.
pub fn partners_named(reg: &Registry) -> Vec<String> {
    let mut set = std::collections::BTreeSet::new();
    for m in &reg.measures {
        set.extend(m.partners.list.iter().cloned());
        if let RateRule::ByPartner(t) = &m.rate {
            set.extend(t.keys().cloned());
        }
    }
    set.into_iter().collect()
}
