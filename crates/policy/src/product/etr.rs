//! The statutory effective tariff rate: duties of the rates in force on 2024 imports, before
//! any substitution. HTS-8 x partner weights for the partners of the Census HTS-8 file (51, the
//! EU as one); HS-2 x partner weights for the rest, each chapter priced on the HTS-8 mix of the 51.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::country::{country_lines, CountryLine, Partner};
use super::eval::{evaluate, Source, Status};
use super::facts::Facts;
use super::programs::Rule;
use super::ProductEngine;
use crate::engine::Status as RegStatus;
use crate::Registry;

/// 2024 imports of a partner outside the HTS-8 file, by HS-2 chapter.
#[derive(Debug, Clone)]
pub struct RestRow {
    /// ISO3.
    pub iso3: String,
    /// Census country code.
    pub cty: u16,
    /// HS-2 chapter, two digits.
    pub hs2: String,
    /// Customs value, USD.
    pub value: f64,
}

/// One partner's rate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PartnerRate {
    /// ISO3 (`EUU`: the EU as one).
    pub partner: String,
    /// 2024 imports, USD.
    pub imports_usd: f64,
    /// Statutory total rate, percent.
    pub total_pct: f64,
    /// Its MFN base, percent.
    pub base_pct: f64,
    /// `HTS-8` or `HS-2` weights.
    pub detail: &'static str,
    /// Percent of the partner's 2024 imports by authority (`mfn` is the base).
    pub by_authority: BTreeMap<String, f64>,
}

/// One HS-2 chapter's rate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SectorRate {
    /// HS-2 chapter.
    pub hs2: String,
    /// 2024 imports, USD.
    pub imports_usd: f64,
    /// Statutory total rate, percent.
    pub total_pct: f64,
}

/// The effective rate on one date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EtrPoint {
    /// Date.
    pub date: NaiveDate,
    /// Total (MFN base + additional), percent of 2024 imports.
    pub total_pct: f64,
    /// The MFN base, percent.
    pub base_pct: f64,
    /// Every other authority, percent.
    pub additional_pct: f64,
    /// Percentage points by authority (`mfn` is the base).
    pub by_authority: BTreeMap<String, f64>,
    /// By partner.
    pub by_partner: Vec<PartnerRate>,
    /// By HS-2 chapter.
    pub by_sector: Vec<SectorRate>,
}

/// Sums of one partner (or all): no allocation per row (authorities are few; chapters index).
#[derive(Debug, Clone)]
struct Acc {
    value: f64,
    duty: f64,
    base: f64,
    by_authority: Vec<(String, f64)>,
    by_sector: Vec<(f64, f64)>,
}

impl Default for Acc {
    fn default() -> Acc {
        Acc {
            value: 0.0,
            duty: 0.0,
            base: 0.0,
            by_authority: Vec::new(),
            by_sector: vec![(0.0, 0.0); 100],
        }
    }
}

impl Acc {
    fn authority(&mut self, k: &str, x: f64) {
        match self.by_authority.iter_mut().find(|(a, _)| a == k) {
            Some(e) => e.1 += x,
            None => self.by_authority.push((k.to_string(), x)),
        }
    }

    fn sector(&mut self, chapter: usize, value: f64, duty: f64) {
        let e = &mut self.by_sector[chapter.min(99)];
        e.0 += value;
        e.1 += duty;
    }

    /// One row: its value, its total duty and MFN duty in percent.
    fn row(&mut self, chapter: usize, value: f64, duty_pct: f64, mfn_pct: f64) {
        self.value += value;
        self.duty += duty_pct * value / 100.0;
        self.base += mfn_pct * value / 100.0;
        self.sector(chapter, value, duty_pct * value / 100.0);
    }

    /// Book the MFN base as its own authority.
    fn close(mut self) -> Acc {
        let base = self.base;
        self.authority("mfn", base);
        self
    }

    fn rate(&self, partner: &str, detail: &'static str) -> PartnerRate {
        PartnerRate {
            partner: partner.to_string(),
            imports_usd: self.value,
            total_pct: pct(self.duty, self.value),
            base_pct: pct(self.base, self.value),
            detail,
            by_authority: self
                .by_authority
                .iter()
                .map(|(k, v)| (k.clone(), pct(*v, self.value)))
                .collect(),
        }
    }

    fn add(&mut self, o: &Acc) {
        self.value += o.value;
        self.duty += o.duty;
        self.base += o.base;
        for (k, v) in &o.by_authority {
            self.authority(k, *v);
        }
        for (k, (v, d)) in o.by_sector.iter().enumerate() {
            self.sector(k, *v, *d);
        }
    }
}

fn chapter(code: &str) -> usize {
    code.get(..2).and_then(|c| c.parse().ok()).unwrap_or(99)
}

struct Row {
    facts: usize,
    value: f64,
    mfn_free_share: f64,
    usmca_share: f64,
}

/// The weights, with the facts of every line, built once.
pub struct EtrWeights {
    facts: Vec<Facts>,
    partners: Vec<(Partner, Vec<Row>)>,
    rest: Vec<RestRow>,
    mix: HashMap<String, Vec<(usize, f64)>>,
    /// Rows of the HS-2 file left out (partners of the HTS-8 file, EU members), and their value.
    pub rest_skipped: (usize, f64),
}

fn hs2(code: &str) -> String {
    code[..2].to_string()
}

impl EtrWeights {
    /// Build the weights from the engine's imports and the HS-2 rows of the other partners.
    pub fn new(engine: &ProductEngine, reg: &Registry, rest: Vec<RestRow>) -> EtrWeights {
        let d = &engine.data;
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut facts = Vec::new();
        let mut partners: Vec<(Partner, Vec<Row>)> = Vec::new();
        let mut mix: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
        for r in &d.imports {
            if r.value <= 0.0 {
                continue;
            }
            let fi = *index.entry(r.hts8.clone()).or_insert_with(|| {
                let mut f = Facts::of(d, &r.hts8, &engine.assumptions);
                f.date_exemption(reg);
                f.mask_rules(&engine.rules, &engine.assumptions);
                facts.push(f);
                facts.len() - 1
            });
            let pi = match partners.iter().position(|(p, _)| p.iso3 == r.iso3) {
                Some(i) => i,
                None => {
                    partners.push((Partner::new(reg, &r.iso3), Vec::new()));
                    partners.len() - 1
                }
            };
            let p = &partners[pi].0;
            let usmca_share = match p.cty {
                Some(cty) => d.usmca_share(&r.hts8, cty).unwrap_or(0.0),
                None => 0.0,
            };
            let mfn_free_share = if p.usmca() {
                0.0
            } else {
                d.mfn_exemption
                    .get(&(hs2(&r.hts8), r.cty))
                    .copied()
                    .unwrap_or(0.0)
            };
            partners[pi].1.push(Row {
                facts: fi,
                value: r.value,
                mfn_free_share,
                usmca_share,
            });
            let m = mix.entry(hs2(&r.hts8)).or_default();
            match m.iter_mut().find(|(f, _)| *f == fi) {
                Some(x) => x.1 += r.value,
                None => m.push((fi, r.value)),
            }
        }
        for m in mix.values_mut() {
            let total: f64 = m.iter().map(|x| x.1).sum();
            m.iter_mut().for_each(|x| x.1 /= total);
        }
        let known: Vec<String> = partners.iter().map(|(p, _)| p.iso3.clone()).collect();
        let (keep, skip): (Vec<RestRow>, Vec<RestRow>) = rest.into_iter().partition(|r| {
            !known.contains(&r.iso3) && !Partner::new(reg, &r.iso3).eu && r.iso3 != "EUU"
        });
        let rest_skipped = (skip.len(), skip.iter().map(|r| r.value).sum());
        EtrWeights {
            facts,
            partners,
            rest: keep,
            mix,
            rest_skipped,
        }
    }

    /// Number of HTS-8 x partner rows and of HS-2 rows.
    pub fn sizes(&self) -> (usize, usize) {
        (
            self.partners.iter().map(|p| p.1.len()).sum(),
            self.rest.len(),
        )
    }
}

/// What a partner's rows depend on besides the product rules: its registry lines and the dated
/// stacking rules and lists (a change re-evaluates every row).
fn country_key(country: &[CountryLine], epoch: usize) -> String {
    let mut s = format!("{epoch};");
    for c in country {
        s.push_str(&format!(
            "{}:{:?}:{};",
            c.measure,
            std::mem::discriminant(&c.status),
            c.level
        ));
    }
    s
}

/// The product rules in force that can reach the partner, as a mask of rule positions.
fn active_mask(rules: &[&Rule], p: &Partner) -> u128 {
    rules
        .iter()
        .filter(|r| super::eval::matches(r, p))
        .fold(0u128, |m, r| m | (1u128 << r.index))
}

/// One HTS-8 row's duty, kept between dates.
#[derive(Debug, Clone, Default)]
struct RowDuty {
    /// Total and MFN duty, percent of the row's value.
    duty: f64,
    mfn: f64,
    /// Applied authorities: (position in the series' authority names, percent).
    parts: Vec<(u16, f64)>,
}

/// A partner's rows as last computed. Valid while `key` (country lines, epoch) stays; when only
/// the product rules reaching it change, only the rows those rules can reach are evaluated again
/// (the rows' rule masks), which keeps the daily series cheap.
struct PartnerRows {
    key: String,
    active: u128,
    rows: Vec<RowDuty>,
    acc: Acc,
}

/// The authority names of a series, each kept once.
#[derive(Default)]
struct Names(Vec<String>);

impl Names {
    fn of(&mut self, k: &str) -> u16 {
        match self.0.iter().position(|n| n == k) {
            Some(i) => i as u16,
            None => {
                self.0.push(k.to_string());
                (self.0.len() - 1) as u16
            }
        }
    }
}

/// What [`row_duty`] needs besides the row: one partner on one date.
struct RowCtx<'a> {
    engine: &'a ProductEngine,
    w: &'a EtrWeights,
    p: &'a Partner,
    d: NaiveDate,
    rules: &'a [&'a Rule],
    country: &'a [CountryLine],
}

fn row_duty(cx: &RowCtx<'_>, r: &Row, names: &mut Names) -> RowDuty {
    let f = &cx.w.facts[r.facts];
    let e = evaluate(
        f,
        cx.p,
        cx.d,
        cx.rules,
        cx.country,
        &cx.engine.data,
        &cx.engine.assumptions,
        false,
    );
    let s = r.usmca_share;
    let mfn = f.mfn_pct * (1.0 - r.mfn_free_share) * (1.0 - s);
    let mut out = RowDuty {
        duty: mfn,
        mfn,
        parts: Vec::new(),
    };
    for l in &e.lines {
        let x = (1.0 - s) * l.applied_pct + s * l.usmca_pct;
        if x != 0.0 {
            out.parts.push((names.of(l.authority()), x));
            out.duty += x;
        }
    }
    out
}

fn partner_acc(w: &EtrWeights, rows: &[Row], duties: &[RowDuty], names: &Names) -> Acc {
    let mut acc = Acc::default();
    for (r, rd) in rows.iter().zip(duties) {
        for &(k, x) in &rd.parts {
            acc.authority(&names.0[k as usize], x * r.value / 100.0);
        }
        acc.row(chapter(&w.facts[r.facts].hts8), r.value, rd.duty, rd.mfn);
    }
    acc.close()
}

/// A partner's sums on one date, from `cache` where nothing that reaches a row changed.
fn partner_on(
    cx: &RowCtx<'_>,
    rows: &[Row],
    epoch: usize,
    cache: &mut HashMap<String, PartnerRows>,
    names: &mut Names,
) -> Acc {
    let key = country_key(cx.country, epoch);
    let active = active_mask(cx.rules, cx.p);
    match cache.get_mut(&cx.p.iso3) {
        Some(c) if c.key == key && c.active == active => c.acc.clone(),
        Some(c) if c.key == key => {
            let changed = c.active ^ active;
            for (r, rd) in rows.iter().zip(c.rows.iter_mut()) {
                if cx.w.facts[r.facts]
                    .rule_mask
                    .is_none_or(|m| m & changed != 0)
                {
                    *rd = row_duty(cx, r, names);
                }
            }
            c.active = active;
            c.acc = partner_acc(cx.w, rows, &c.rows, names);
            c.acc.clone()
        }
        _ => {
            let duties: Vec<RowDuty> = rows.iter().map(|r| row_duty(cx, r, names)).collect();
            let acc = partner_acc(cx.w, rows, &duties, names);
            cache.insert(
                cx.p.iso3.clone(),
                PartnerRows {
                    key,
                    active,
                    rows: duties,
                    acc: acc.clone(),
                },
            );
            acc
        }
    }
}

/// Per HS-2 chapter, for a partner with no deal: MFN, product-rule duties by authority, and the
/// share of value each country-wide program can reach (exemptions, Section 232).
struct Profile {
    mfn: f64,
    rules: BTreeMap<String, f64>,
    reach: BTreeMap<String, f64>,
}

const WIDE: [&str; 3] = ["ieepa-reciprocal", "s122", "s301-forced-labor"];

fn profiles(
    engine: &ProductEngine,
    w: &EtrWeights,
    d: NaiveDate,
    rules: &[&Rule],
) -> HashMap<String, Profile> {
    let generic = Partner {
        iso3: "ZZZ".into(),
        eu: false,
        cty: None,
    };
    let probes: Vec<CountryLine> = WIDE
        .iter()
        .map(|p| CountryLine {
            program: p.to_string(),
            measure: format!("probe-{p}"),
            instrument: String::new(),
            title: String::new(),
            source: String::new(),
            level: 1.0,
            all_in: false,
            status: RegStatus::Applied,
            provisional: None,
            non_usmca_only: false,
            hs: None,
        })
        .collect();
    let mut out = HashMap::new();
    for (ch, mix) in &w.mix {
        let mut p = Profile {
            mfn: 0.0,
            rules: BTreeMap::new(),
            reach: BTreeMap::new(),
        };
        for (fi, share) in mix {
            let f = &w.facts[*fi];
            let e = evaluate(
                f,
                &generic,
                d,
                rules,
                &probes,
                &engine.data,
                &engine.assumptions,
                false,
            );
            p.mfn += share * f.mfn_pct;
            for l in &e.lines {
                match l.source {
                    Source::Country(c) => {
                        *p.reach.entry(c.program.clone()).or_default() += share * l.applied_pct
                    }
                    Source::Rule(r) if l.status == Status::Applied => {
                        *p.rules.entry(r.authority.to_string()).or_default() +=
                            share * l.applied_pct
                    }
                    _ => {}
                }
            }
        }
        out.insert(ch.clone(), p);
    }
    out
}

fn rest_acc(
    engine: &ProductEngine,
    rows: &[&RestRow],
    prof: &HashMap<String, Profile>,
    country: &[CountryLine],
) -> Acc {
    let mut acc = Acc::default();
    for r in rows {
        let Some(p) = prof.get(&r.hs2) else { continue };
        let free = engine
            .data
            .mfn_exemption
            .get(&(r.hs2.clone(), r.cty))
            .copied()
            .unwrap_or(0.0);
        let mfn = p.mfn * (1.0 - free);
        let mut duty = mfn;
        let mut add = |k: &str, x: f64, acc: &mut Acc| {
            acc.authority(k, x * r.value / 100.0);
            duty += x;
        };
        for (k, x) in &p.rules {
            add(k, *x, &mut acc);
        }
        for c in country
            .iter()
            .filter(|c| c.status == RegStatus::Applied && c.hs.is_none())
        {
            let reach = p.reach.get(&c.program).copied().unwrap_or(1.0);
            add(&c.program, c.level * reach, &mut acc);
        }
        acc.row(chapter(&r.hs2), r.value, duty, mfn);
    }
    acc.close()
}

fn pct(duty: f64, value: f64) -> f64 {
    if value > 0.0 {
        100.0 * duty / value
    } else {
        0.0
    }
}

/// Every date on which a row's evaluation can change other than through the product rules and
/// the registry's lines: the stacking rules' dates, the deals' civil aircraft exemptions, the
/// derivative lists, the country orders' dated exemption lists and the dated reciprocal exemptions.
/// Crossing one re-evaluates every row ([`PartnerRows`]).
fn row_dates(engine: &ProductEngine, w: &EtrWeights) -> Vec<NaiveDate> {
    let data = &engine.data;
    let mut v: Vec<NaiveDate> = super::eval::rule_dates().to_vec();
    v.extend(super::eval::civil_aircraft_dates());
    v.extend(data.derivatives.iter().filter_map(|(_, d, _)| *d));
    v.extend(
        data.country_eo
            .iter()
            .flat_map(|l| [Some(l.start), l.end])
            .flatten(),
    );
    v.extend(w.facts.iter().filter_map(|f| f.ieepa_exempt_since));
    v.sort();
    v.dedup();
    v
}

/// The effective rate on each of `dates` (sorted), reusing a partner's result while nothing
/// that concerns it changes.
pub fn etr_on(
    engine: &ProductEngine,
    reg: &Registry,
    w: &EtrWeights,
    dates: &[NaiveDate],
) -> Vec<EtrPoint> {
    let mut cache: HashMap<String, PartnerRows> = HashMap::new();
    let mut names = Names::default();
    let mut prof_cache: Option<(String, HashMap<String, Profile>)> = None;
    let mut rest_by: BTreeMap<&str, Vec<&RestRow>> = BTreeMap::new();
    for r in &w.rest {
        rest_by.entry(r.iso3.as_str()).or_default().push(r);
    }
    let mut out = Vec::with_capacity(dates.len());
    let epochs = row_dates(engine, w);
    for &d in dates {
        let rules = engine.rules_on(d);
        let epoch = epochs.iter().filter(|e| **e <= d).count();
        let mut total = Acc::default();
        let mut by_partner = Vec::new();
        for (p, rows) in &w.partners {
            let country = country_lines(reg, d, &p.iso3);
            let cx = RowCtx {
                engine,
                w,
                p,
                d,
                rules: &rules,
                country: &country,
            };
            let acc = partner_on(&cx, rows, epoch, &mut cache, &mut names);
            by_partner.push(acc.rate(&p.iso3, "HTS-8"));
            total.add(&acc);
        }
        let rule_sig = format!(
            "{epoch};{}",
            rules.iter().map(|r| r.id).collect::<Vec<_>>().join(";")
        );
        if prof_cache.as_ref().is_none_or(|(s, _)| *s != rule_sig) {
            prof_cache = Some((rule_sig.clone(), profiles(engine, w, d, &rules)));
        }
        let prof = &prof_cache.as_ref().expect("set above").1;
        for (iso3, rows) in &rest_by {
            let country = country_lines(reg, d, iso3);
            let acc = rest_acc(engine, rows, prof, &country);
            by_partner.push(acc.rate(iso3, "HS-2"));
            total.add(&acc);
        }
        let by_authority: BTreeMap<String, f64> = total
            .by_authority
            .iter()
            .map(|(k, v)| (k.clone(), pct(*v, total.value)))
            .collect();
        let by_sector = total
            .by_sector
            .iter()
            .enumerate()
            .filter(|(_, (v, _))| *v > 0.0)
            .map(|(k, (v, du))| SectorRate {
                hs2: format!("{k:02}"),
                imports_usd: *v,
                total_pct: pct(*du, *v),
            })
            .collect();
        out.push(EtrPoint {
            date: d,
            total_pct: pct(total.duty, total.value),
            base_pct: pct(total.base, total.value),
            additional_pct: pct(total.duty - total.base, total.value),
            by_authority,
            by_partner,
            by_sector,
        });
    }
    out
}

/// The dates in `from..=to` on which some measure starts or ends (and `from`).
pub fn change_dates(
    engine: &ProductEngine,
    reg: &Registry,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    let mut v: Vec<NaiveDate> = reg
        .change_dates()
        .into_iter()
        .chain(engine.change_dates())
        .filter(|d| *d > from && *d <= to)
        .collect();
    v.push(from);
    v.sort();
    v.dedup();
    v
}
