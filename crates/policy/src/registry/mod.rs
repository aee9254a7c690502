//! The registry schema (TOML), its parser and its validation.
//!
//! A registry is one or more TOML files with these tables (see `registry/README.md`):
//! `[groups]` (partner groups such as `EUU`), `[sectors]` (named HS scopes), `[[measure]]`,
//! `[[pause]]` (with `[[pause.extension]]`), `[[exemption]]` and `[[event]]`. Dates are TOML dates
//! and mean "goods entered on or after 12:01 a.m. that day"; an `end` is the first day a measure no
//! longer applies. Rates are percent ad valorem.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::Error;
use crate::hs::HsScope;

mod parse;

use parse::*;

/// The partner codes a registry may name. The CLI passes the country registry's ISO3 codes;
/// [`KnownPartners::any`] accepts any three upper-case letters (for tests and pure use).
#[derive(Debug, Clone, Default)]
pub struct KnownPartners {
    codes: Option<HashSet<String>>,
}

impl KnownPartners {
    /// Accept any code of three upper-case ASCII letters.
    pub fn any() -> KnownPartners {
        KnownPartners { codes: None }
    }

    /// Accept exactly these codes (plus the registry's own group names).
    pub fn from_codes<I: IntoIterator<Item = S>, S: Into<String>>(codes: I) -> KnownPartners {
        KnownPartners {
            codes: Some(codes.into_iter().map(Into::into).collect()),
        }
    }

    fn is_known(&self, code: &str) -> bool {
        match &self.codes {
            Some(set) => set.contains(code),
            None => code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()),
        }
    }
}

/// How a measure combines with the others that apply to the same goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stacking {
    /// Adds to the MFN duty and to every other measure that applies.
    Adds,
    /// Applies instead of the measures in `over` (they drop out while this one applies).
    Replaces,
    /// Only the highest of this measure and those in `over` applies.
    HighestOf,
}

impl Stacking {
    /// The registry spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Stacking::Adds => "adds",
            Stacking::Replaces => "replaces",
            Stacking::HighestOf => "highest_of",
        }
    }
}

/// The rate of a measure.
#[derive(Debug, Clone, PartialEq)]
pub enum RateRule {
    /// One rate for every partner in scope, percent.
    Flat(f64),
    /// A rate per partner (or group), percent; the partners are the keys.
    ByPartner(BTreeMap<String, f64>),
    /// "All-in" rate: the additional duty tops the MFN (Column 1) duty up to this many percent, and
    /// is zero for goods whose MFN duty is already higher (the EU/Japan 15% rule).
    AllIn(f64),
}

/// A condition narrowing the goods a measure reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Only goods that do not qualify for USMCA preference (Canada, Mexico).
    NonUsmca,
}

/// Which partners an entry reaches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PartnerScope {
    /// Every partner (minus `except`).
    pub all: bool,
    /// Listed partners or groups (when not `all`).
    pub list: BTreeSet<String>,
    /// Partners or groups left out.
    pub except: BTreeSet<String>,
}

impl PartnerScope {
    /// Whether `partner` (an ISO3 or a group code) is reached, given the registry's groups.
    pub fn matches(&self, partner: &str, groups: &BTreeMap<String, Vec<String>>) -> bool {
        let named = |set: &BTreeSet<String>| {
            set.contains(partner)
                || set.iter().any(|g| {
                    groups
                        .get(g)
                        .is_some_and(|m| m.iter().any(|x| x == partner))
                })
        };
        if named(&self.except) {
            return false;
        }
        self.all || named(&self.list)
    }

    fn expanded(
        set: &BTreeSet<String>,
        groups: &BTreeMap<String, Vec<String>>,
    ) -> BTreeSet<String> {
        let mut out = set.clone();
        for code in set {
            if let Some(members) = groups.get(code) {
                out.extend(members.iter().cloned());
            }
        }
        out
    }

    fn overlaps(&self, other: &PartnerScope, groups: &BTreeMap<String, Vec<String>>) -> bool {
        let (a_ex, b_ex) = (
            Self::expanded(&self.except, groups),
            Self::expanded(&other.except, groups),
        );
        match (self.all, other.all) {
            (true, true) => true,
            (true, false) => Self::expanded(&other.list, groups)
                .iter()
                .any(|p| !a_ex.contains(p) && !b_ex.contains(p)),
            (false, true) => Self::expanded(&self.list, groups)
                .iter()
                .any(|p| !a_ex.contains(p) && !b_ex.contains(p)),
            (false, false) => {
                let b = Self::expanded(&other.list, groups);
                Self::expanded(&self.list, groups)
                    .iter()
                    .any(|p| b.contains(p) && !a_ex.contains(p) && !b_ex.contains(p))
            }
        }
    }

    /// A short description: `all except CAN, MEX` or `CHN, HKG, MAC`.
    pub fn describe(&self) -> String {
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
        match (self.all, self.except.is_empty()) {
            (true, true) => "all partners".into(),
            (true, false) => format!("all partners except {}", list(&self.except)),
            (false, _) => list(&self.list),
        }
    }
}

/// One dated tariff measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Unique id (`eo14326-rates`).
    pub id: String,
    /// The program it belongs to (`ieepa-reciprocal`, `s232-steel`): measures of one program that
    /// overlap must say which replaces which.
    pub program: String,
    /// The legal instrument (`EO 14257`, `Proclamation 10896`).
    pub instrument: String,
    /// One line on what it does.
    pub title: String,
    /// The date the instrument was signed or published.
    pub announced: NaiveDate,
    /// The first day goods entered pay it.
    pub effective: NaiveDate,
    /// The first day it no longer applies (`None`: still in force as far as the registry knows).
    pub end: Option<NaiveDate>,
    /// Partners reached.
    pub partners: PartnerScope,
    /// Goods reached (`hs` minus `hs_except`).
    pub hs: HsScope,
    /// The rate.
    pub rate: RateRule,
    /// How it combines with others.
    pub stacking: Stacking,
    /// Measures (ids) or programs that `stacking` refers to.
    pub over: Vec<String>,
    /// Measures or programs whose application to the same goods switches this one off.
    pub excluded_when: Vec<String>,
    /// A narrower condition on the goods.
    pub condition: Option<Condition>,
    /// Whether a date, rate or scope is not settled by the cited document (see `note`).
    pub provisional: bool,
    /// Whether the effective date lies before the announcement (refunds were due).
    pub retroactive: bool,
    /// The official document.
    pub source: String,
    /// Caveats.
    pub note: String,
    /// The registry file it came from.
    pub file: String,
}

impl Measure {
    /// Whether the measure is in force on `date` (ignoring pauses and exemptions).
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.effective <= date && self.end.is_none_or(|end| date < end)
    }

    /// The end as it was known on `known_on`: when the measures of the same program that take
    /// over on the end date were all announced after `known_on`, nobody knew then that this one
    /// would end (China's 125% as seen in April 2025 had no end; the Geneva order came in May).
    /// An end with no successor in the registry is taken as known (a termination order).
    pub fn end_as_known(
        &self,
        measures: &[Measure],
        known_on: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let (Some(end), Some(known_on)) = (self.end, known_on) else {
            return self.end;
        };
        let mut successors = measures
            .iter()
            .filter(|m| m.id != self.id && m.program == self.program && m.effective == end)
            .peekable();
        if successors.peek().is_some() && successors.all(|m| m.announced > known_on) {
            None
        } else {
            Some(end)
        }
    }

    /// Whether it applies on `date` as known on `known_on` (`None`: as finally determined).
    pub fn in_force_as_known(
        &self,
        date: NaiveDate,
        measures: &[Measure],
        known_on: Option<NaiveDate>,
    ) -> bool {
        self.effective <= date
            && self
                .end_as_known(measures, known_on)
                .is_none_or(|end| date < end)
    }

    /// Whether `reference` (an id or a program name) names this measure.
    pub fn is_named_by(&self, reference: &str) -> bool {
        self.id == reference || self.program == reference
    }

    /// The registry's rate text: `25`, `15 all-in (15 - MFN)`, `by partner`.
    pub fn rate_text(&self) -> String {
        match &self.rate {
            RateRule::Flat(r) => fmt_pct(*r),
            RateRule::ByPartner(_) => "by partner".into(),
            RateRule::AllIn(r) => format!(
                "{} all-in ({} - MFN, not below 0)",
                fmt_pct(*r),
                fmt_pct(*r)
            ),
        }
    }
}

/// A number of percent without needless decimals: `10`, `12.5`.
pub fn fmt_pct(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{}", (x * 100.0).round() / 100.0)
    }
}

/// A later order that moved a pause's end.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    /// When the extension was signed.
    pub announced: NaiveDate,
    /// The new end (first day the suspended rates apply again).
    pub end: NaiveDate,
    /// The instrument.
    pub instrument: String,
    /// The official document.
    pub source: String,
}

/// A suspension of measures for a period, with the rates snapping back at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Pause {
    /// Unique id.
    pub id: String,
    /// One line.
    pub title: String,
    /// The instrument that ordered it.
    pub instrument: String,
    /// When it was signed.
    pub announced: NaiveDate,
    /// The measures suspended (ids).
    pub suspends: Vec<String>,
    /// Partners it covers (default: all partners of the suspended measures).
    pub partners: PartnerScope,
    /// First day of the suspension.
    pub start: NaiveDate,
    /// The end as first ordered (first day the rates apply again).
    pub end: NaiveDate,
    /// Later extensions, in order.
    pub extensions: Vec<Extension>,
    /// The official document.
    pub source: String,
    /// Caveats.
    pub note: String,
    /// The registry file.
    pub file: String,
}

impl Pause {
    /// The end as known on `known_on` (`None`: the final end after every extension).
    pub fn end_as_known(&self, known_on: Option<NaiveDate>) -> NaiveDate {
        self.extensions
            .iter()
            .filter(|e| known_on.is_none_or(|k| e.announced <= k))
            .map(|e| e.end)
            .next_back()
            .unwrap_or(self.end)
    }

    /// Whether the pause suspends measure `id` for `partner` on `date`.
    pub fn suspends_on(
        &self,
        id: &str,
        partner: &str,
        date: NaiveDate,
        known_on: Option<NaiveDate>,
        groups: &BTreeMap<String, Vec<String>>,
    ) -> bool {
        known_on.is_none_or(|k| self.announced <= k)
            && self.suspends.iter().any(|s| s == id)
            && self.partners.matches(partner, groups)
            && self.start <= date
            && date < self.end_as_known(known_on)
    }
}

/// Goods taken out of measures' scope for a period (Annex II, the April 11 electronics, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Exemption {
    /// Unique id.
    pub id: String,
    /// One line.
    pub title: String,
    /// The instrument.
    pub instrument: String,
    /// When it was signed.
    pub announced: NaiveDate,
    /// First day.
    pub effective: NaiveDate,
    /// First day it no longer applies.
    pub end: Option<NaiveDate>,
    /// Measures (ids) or programs it exempts from.
    pub applies_to: Vec<String>,
    /// Partners it covers.
    pub partners: PartnerScope,
    /// Goods exempted.
    pub hs: HsScope,
    /// Whether the HS scope or date is an approximation (see `note`).
    pub provisional: bool,
    /// The official document.
    pub source: String,
    /// Caveats.
    pub note: String,
    /// The registry file.
    pub file: String,
}

/// A dated event for the chart and the explanations (announcements, deals, letters).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The date.
    pub date: NaiveDate,
    /// A short label for the chart.
    pub label: String,
    /// Whether the chart marks it.
    pub major: bool,
    /// Partners concerned (empty: all).
    pub partners: Vec<String>,
    /// The official document.
    pub source: String,
}

/// A parsed and validated registry.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Every measure, in file order.
    pub measures: Vec<Measure>,
    /// Every pause.
    pub pauses: Vec<Pause>,
    /// Every exemption.
    pub exemptions: Vec<Exemption>,
    /// Every event, sorted by date.
    pub events: Vec<Event>,
    /// Partner groups (`EUU` → the 27 members).
    pub groups: BTreeMap<String, Vec<String>>,
    /// Named sectors (`steel` → its HS scope), with the scope as written.
    pub sectors: BTreeMap<String, (HsScope, String)>,
}

impl Registry {
    /// Parse and validate registry files given as `(file name, text)`; the files are merged.
    pub fn parse(sources: &[(&str, &str)], known: &KnownPartners) -> Result<Registry, Error> {
        let mut raws = Vec::with_capacity(sources.len());
        for (file, text) in sources {
            let raw: RawFile = toml::from_str(text).map_err(|e| Error::Syntax {
                file: file.to_string(),
                message: e.to_string().trim_end().replace('\n', " | "),
            })?;
            raws.push((file.to_string(), raw));
        }
        let mut reg = Registry::default();
        // Groups and sectors first: entries refer to them.
        for (file, raw) in &raws {
            for (name, members) in &raw.groups {
                let ctx = Ctx {
                    file,
                    kind: "group",
                    id: name.clone(),
                };
                if reg.groups.contains_key(name) {
                    return Err(ctx.err("groups", "defined twice"));
                }
                for m in members {
                    if !known.is_known(m) {
                        return Err(ctx.err("members", format!("unknown partner {m:?}")));
                    }
                }
                reg.groups.insert(name.clone(), members.clone());
            }
            for (name, codes) in &raw.sectors {
                let ctx = Ctx {
                    file,
                    kind: "sector",
                    id: name.clone(),
                };
                if reg.sectors.contains_key(name) {
                    return Err(ctx.err("sectors", "defined twice"));
                }
                let scope = hs_scope(&ctx, "sectors", codes)?;
                reg.sectors.insert(name.clone(), (scope, codes.join(", ")));
            }
        }
        for (file, raw) in raws {
            for (i, m) in raw.measure.into_iter().enumerate() {
                reg.measures
                    .push(parse_measure(&file, i, m, known, &reg.groups)?);
            }
            for (i, p) in raw.pause.into_iter().enumerate() {
                reg.pauses
                    .push(parse_pause(&file, i, p, known, &reg.groups)?);
            }
            for (i, e) in raw.exemption.into_iter().enumerate() {
                reg.exemptions
                    .push(parse_exemption(&file, i, e, known, &reg.groups)?);
            }
            for (i, e) in raw.event.into_iter().enumerate() {
                reg.events
                    .push(parse_event(&file, i, e, known, &reg.groups)?);
            }
        }
        reg.events.sort_by_key(|e| e.date);
        reg.validate()?;
        Ok(reg)
    }

    /// Cross-entry rules: unique ids, references that resolve, no overlap without a stacking rule.
    fn validate(&self) -> Result<(), Error> {
        let mut ids: HashMap<&str, (&str, &'static str)> = HashMap::new();
        let programs: HashSet<&str> = self.measures.iter().map(|m| m.program.as_str()).collect();
        let entries = self
            .measures
            .iter()
            .map(|m| (m.id.as_str(), m.file.as_str(), "measure"))
            .chain(
                self.pauses
                    .iter()
                    .map(|p| (p.id.as_str(), p.file.as_str(), "pause")),
            )
            .chain(
                self.exemptions
                    .iter()
                    .map(|e| (e.id.as_str(), e.file.as_str(), "exemption")),
            );
        for (id, file, kind) in entries {
            let ctx = Ctx {
                file,
                kind,
                id: id.to_string(),
            };
            if let Some((other_file, _)) = ids.insert(id, (file, kind)) {
                return Err(ctx.err("id", format!("duplicate id (also in {other_file})")));
            }
            if programs.contains(id) {
                return Err(ctx.err(
                    "id",
                    "the same name is used as a program; references would be ambiguous",
                ));
            }
        }
        let measure_ids: HashSet<&str> = self.measures.iter().map(|m| m.id.as_str()).collect();
        let resolves = |r: &str| measure_ids.contains(r) || programs.contains(r);
        for m in &self.measures {
            let ctx = Ctx {
                file: &m.file,
                kind: "measure",
                id: m.id.clone(),
            };
            for (field, refs) in [("over", &m.over), ("excluded_when", &m.excluded_when)] {
                for r in refs {
                    if !resolves(r) {
                        return Err(ctx.err(
                            field,
                            format!("{r:?} is neither a measure id nor a program"),
                        ));
                    }
                    if r == &m.id {
                        return Err(ctx.err(field, "a measure cannot refer to itself"));
                    }
                }
            }
        }
        for p in &self.pauses {
            let ctx = Ctx {
                file: &p.file,
                kind: "pause",
                id: p.id.clone(),
            };
            for s in &p.suspends {
                if !measure_ids.contains(s.as_str()) {
                    return Err(ctx.err("suspends", format!("{s:?} is not a measure id")));
                }
            }
        }
        for e in &self.exemptions {
            let ctx = Ctx {
                file: &e.file,
                kind: "exemption",
                id: e.id.clone(),
            };
            for r in &e.applies_to {
                if !resolves(r) {
                    return Err(ctx.err(
                        "applies_to",
                        format!("{r:?} is neither a measure id nor a program"),
                    ));
                }
            }
        }
        // Overlapping measures of one program must say how they stack; otherwise both would add
        // (a forgotten `end` or `replaces` doubles a rate silently).
        for (i, a) in self.measures.iter().enumerate() {
            for b in &self.measures[i + 1..] {
                if a.program != b.program || !dates_overlap(a, b) {
                    continue;
                }
                if !a.partners.overlaps(&b.partners, &self.groups) || !a.hs.intersects(&b.hs) {
                    continue;
                }
                if rate_partners_disjoint(a, b) {
                    continue;
                }
                let related = |x: &Measure, y: &Measure| {
                    x.stacking != Stacking::Adds && x.over.iter().any(|r| y.is_named_by(r))
                };
                if !related(a, b) && !related(b, a) {
                    let ctx = Ctx {
                        file: &b.file,
                        kind: "measure",
                        id: b.id.clone(),
                    };
                    return Err(ctx.err(
                        "stacking",
                        format!(
                            "overlaps `{}` (program {}, same partners, goods and dates) with no stacking rule between them: give one of them stacking = \"replaces\" or \"highest_of\" with over = [\"<the other>\"], or end one before the other starts",
                            a.id, a.program
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The measure with this id.
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// Whether `code` names a group.
    pub fn is_group(&self, code: &str) -> bool {
        self.groups.contains_key(code)
    }

    /// Every date on which some measure, pause or exemption starts or ends, sorted and unique.
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut dates = BTreeSet::new();
        for m in &self.measures {
            dates.insert(m.effective);
            dates.extend(m.end);
        }
        for p in &self.pauses {
            dates.insert(p.start);
            dates.insert(p.end_as_known(None));
        }
        for e in &self.exemptions {
            dates.insert(e.effective);
            dates.extend(e.end);
        }
        dates.into_iter().collect()
    }
}
