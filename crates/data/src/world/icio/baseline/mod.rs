//! Baseline applied tariffs of the built world, by importer x exporter x sector (issue 13, item 2):
//! the US's on its partners (given: the service computes them with the policy engine), partners'
//! on US goods (WITS 2022 by product group), third countries' (the importer's MFN, zero for pairs
//! with an agreement in force), ROW by its members. Computed on the 50 ICIO sectors, then summed
//! into the sector map weighted by the pair's built flows. Every rule is a named assumption
//! ([`assumptions`]); docs/sector-world.md, "Baseline tariffs".

mod retaliation;
mod sources;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub use retaliation::{Applied as RetaliationApplied, Measure, NotModelled, Registry, Scope};
pub use sources::{is_primary, Level, Schedule, Sources, CAP_PCT};

use super::agreements::{read_zero_pattern, Agreements, ZeroPattern, ZERO_2014};
use super::read::BaciPairs;
use super::sectors::{is_goods, SectorMap, ICIO_SECTORS};
use super::{Work, ROW};
use crate::Error;

/// The LL2023 file of `ll2023_wiod2014/`.
pub const LL_FILE: &str = "ll2023_wiod2014_44x44x16_trade_tariffs.csv";

/// Which baseline tariffs the built world carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Baseline {
    /// Zero on every pair (ILMS 2025 start from zero tariffs).
    #[default]
    Zero,
    /// Applied tariffs on every pair and goods sector.
    Applied(Box<AppliedBaseline>),
}

/// The inputs of the applied baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedBaseline {
    /// `partner_tariffs/` (WITS, WDI, WTO).
    pub partner_tariffs: PathBuf,
    /// `ll2023_wiod2014/` (the 2014 zero pattern).
    pub ll2023: PathBuf,
    /// The baseline date (YYYY-MM-DD): agreements in force and US rates on this day.
    pub as_of: String,
    /// The US tariffs on each partner, by ICIO sector.
    pub us: UsTariffs,
    /// `tariffs_hs2/retaliation/` (the partners' product lists), needed when a list measure of
    /// the retaliation registry is in force on `as_of`.
    pub retaliation_lists: Option<PathBuf>,
    /// The HS6 → ISIC Rev. 4 concordance, to put the lists' HS6 codes in sectors.
    pub concordance: Option<PathBuf>,
}

/// The US tariff on one partner's goods by ICIO sector, with the weights to sum partners.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsPartner {
    /// Tariff per ICIO sector ([`ICIO_SECTORS`] order), a fraction.
    pub rates: Vec<f64>,
    /// US imports per ICIO sector (any unit): the weights of ROW's members.
    pub imports: Vec<f64>,
}

/// The US's tariffs on every partner (ISO3), computed outside this crate.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsTariffs {
    /// How they were computed (printed as an assumption).
    pub rule: String,
    /// By partner ISO3.
    pub partners: BTreeMap<String, UsPartner>,
}

/// What the baseline did, with counts of every fallback and the measured means.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TariffReport {
    /// `zero` or `applied`.
    pub mode: String,
    /// The baseline date.
    pub as_of: String,
    /// Partners' tariffs on US goods: (economy, goods ICIO sector) cells by source level.
    pub on_us_levels: BTreeMap<Level, usize>,
    /// MFN schedules used: (economy, goods ICIO sector) cells by source level.
    pub mfn_levels: BTreeMap<Level, usize>,
    /// Third-country pairs among the 80 (neither the US): duty-free by the 2014 pattern.
    pub pairs_2014: usize,
    /// ... duty-free by a registry agreement (id → pairs; intra-EU is `eu-customs-union`).
    pub pairs_registry: BTreeMap<String, usize>,
    /// ... at the importer's MFN.
    pub pairs_mfn: usize,
    /// Directional pairs of the 2014 pattern, and the source's artefacts left out.
    pub pattern_2014: (usize, usize),
    /// Registry entries whose date no reached source states ([`Agreements::unverified`]).
    pub unverified_agreements: Vec<String>,
    /// Group figures capped at [`CAP_PCT`]: (economy, group, value %).
    pub capped: Vec<(String, String, f64)>,
    /// Partners of the 80 without a US rate (0 used).
    pub us_missing: Vec<String>,
    /// ROW members without any figure (left out of ROW's weights).
    pub row_members_without_figures: Vec<String>,
    /// Partners' retaliation in force on the date, measure by measure (A17).
    pub retaliation: Vec<RetaliationApplied>,
    /// Registry measures left out, `id: why`.
    pub retaliation_not_modelled: Vec<String>,
    /// Mean tariff partners charge on US goods, weighted by the built US goods exports, %.
    pub on_us_weighted_pct: f64,
    /// Mean US tariff, weighted by the built US goods imports, %.
    pub us_weighted_pct: f64,
    /// Mean third-country tariff (neither side the US), weighted by built goods trade, %.
    pub third_weighted_pct: f64,
    /// Mean third-country tariff over the (importer, exporter, goods ICIO sector) cells, %.
    pub third_simple_pct: f64,
    /// Share of third-country goods trade (built) on duty-free pairs, %.
    pub third_duty_free_share_pct: f64,
}

impl TariffReport {
    /// The report of the zero baseline.
    pub fn zero() -> TariffReport {
        TariffReport {
            mode: "zero".into(),
            ..TariffReport::default()
        }
    }
}

/// Why a third-country pair is duty-free, if it is.
enum PairRule {
    Pattern2014,
    Agreement(String),
    Mfn,
}

/// The rules, with the sources read and each economy's schedules cached.
struct Rules<'a> {
    b: &'a AppliedBaseline,
    sources: Sources,
    pattern: ZeroPattern,
    agreements: Agreements,
    on_us: HashMap<String, Schedule>,
    mfn: HashMap<String, Schedule>,
    report: TariffReport,
}

impl Rules<'_> {
    fn pair_rule(&self, e: &str, i: &str) -> PairRule {
        if self.pattern.pairs.contains(&(e.to_string(), i.to_string())) {
            return PairRule::Pattern2014;
        }
        match self.agreements.covering(e, i, &self.b.as_of) {
            Some(a) => PairRule::Agreement(a.id.clone()),
            None => PairRule::Mfn,
        }
    }

    fn on_us_of(&mut self, iso3: &str) -> &Schedule {
        let levels = &mut self.report.on_us_levels;
        let sources = &mut self.sources;
        cached(&mut self.on_us, levels, iso3, || sources.on_us(iso3))
    }

    fn mfn_of(&mut self, iso3: &str) -> &Schedule {
        let levels = &mut self.report.mfn_levels;
        let sources = &self.sources;
        cached(&mut self.mfn, levels, iso3, || sources.mfn(iso3))
    }

    /// The third-country tariff of importer `i` on exporter `e` per ICIO sector (fractions; `None`
    /// entries where the importer has no MFN figure).
    fn third(&mut self, e: &str, i: &str) -> (Vec<Option<f64>>, PairRule) {
        let rule = self.pair_rule(e, i);
        let t = match rule {
            PairRule::Mfn => self
                .mfn_of(i)
                .iter()
                .map(|(v, l)| (*l != Level::Missing).then_some(v / 100.0))
                .collect(),
            _ => vec![Some(0.0); ICIO_SECTORS.len()],
        };
        (t, rule)
    }

    fn on_us_rates(&mut self, i: &str) -> Vec<Option<f64>> {
        self.on_us_of(i)
            .iter()
            .map(|(v, l)| (*l != Level::Missing).then_some(v / 100.0))
            .collect()
    }
}

/// The schedule of `iso3` from `cache`, made (and its levels counted) on first use.
fn cached<'a>(
    cache: &'a mut HashMap<String, Schedule>,
    levels: &mut BTreeMap<Level, usize>,
    iso3: &str,
    make: impl FnOnce() -> Schedule,
) -> &'a Schedule {
    cache.entry(iso3.to_string()).or_insert_with(|| {
        let s = make();
        count_levels(levels, &s);
        s
    })
}

fn count_levels(into: &mut BTreeMap<Level, usize>, s: &Schedule) {
    for (code, (_, level)) in ICIO_SECTORS.iter().zip(s) {
        if is_goods(code) {
            *into.entry(*level).or_default() += 1;
        }
    }
}

/// Σ_m w_m t_m / Σ_m w_m per sector over the members with a figure (simple mean when no member
/// has weight); `None` when no member has a figure.
fn weighted(members: &[(f64, Vec<Option<f64>>)]) -> Vec<Option<f64>> {
    (0..ICIO_SECTORS.len())
        .map(|s| {
            let (mut num, mut den, mut sum, mut cnt) = (0.0, 0.0, 0.0, 0usize);
            for (w, t) in members {
                if let Some(v) = t[s] {
                    num += w * v;
                    den += w;
                    sum += v;
                    cnt += 1;
                }
            }
            if den > 0.0 {
                Some(num / den)
            } else if cnt > 0 {
                Some(sum / cnt as f64)
            } else {
                None
            }
        })
        .collect()
}

/// The applied tariffs on the ICIO sectors, `t[(s · n + j) · n + i]` (exporter j, importer i,
/// ROW last), and the report. `baci` gives ROW's members their weights.
pub(crate) fn compute(
    w: &Work,
    countries: &[String],
    baci: &BaciPairs,
    row_members: &[String],
    b: &AppliedBaseline,
    fob_to_basic: f64,
) -> Result<(Vec<f64>, TariffReport), Error> {
    let pattern = read_zero_pattern(&b.ll2023.join(LL_FILE))?;
    let agreements = Agreements::embedded()?;
    let mut rules = Rules {
        b,
        sources: Sources::read(&b.partner_tariffs)?,
        report: TariffReport {
            mode: "applied".into(),
            as_of: b.as_of.clone(),
            pattern_2014: (pattern.pairs.len(), pattern.artefacts),
            unverified_agreements: agreements.unverified(),
            ..TariffReport::default()
        },
        pattern,
        agreements,
        on_us: HashMap::new(),
        mfn: HashMap::new(),
    };
    let n = w.n;
    let mut t = vec![0.0; w.z.len()];
    for j in 0..n {
        for i in (0..n).filter(|&i| i != j) {
            let rates = pair_rates(&mut rules, countries, baci, row_members, j, i);
            for (s, v) in rates.into_iter().enumerate() {
                if is_goods(ICIO_SECTORS[s]) {
                    t[w.idx(s, j, i)] = v.unwrap_or(0.0);
                }
            }
        }
    }
    let mut report = rules.report;
    report.capped = rules.sources.capped;
    add_retaliation(w, countries, b, fob_to_basic, &mut t, &mut report)?;
    measure(w, countries, &t, &mut report);
    Ok((t, report))
}

const NO_CONCORDANCE: &str = "a retaliation list is in force on the baseline date and needs the HS6-ISIC concordance (../shared/data/crosswalks/concordance_hs6_isic4.csv; set RECIPROCITY_SHARED_DATA)";

/// Add the partners' retaliation in force on the date to their tariffs on US goods (A17).
fn add_retaliation(
    w: &Work,
    countries: &[String],
    b: &AppliedBaseline,
    fob_to_basic: f64,
    t: &mut [f64],
    report: &mut TariffReport,
) -> Result<(), Error> {
    let registry = Registry::embedded()?;
    report.retaliation_not_modelled = registry
        .not_modelled
        .iter()
        .map(|n| format!("{} ({}, from {}): {}", n.id, n.partner, n.start, n.why))
        .collect();
    let Some(us) = countries.iter().position(|c| c == "USA") else {
        return Ok(());
    };
    let at = |p: &str| countries.iter().position(|c| c == p);
    // Built flows are million USD at basic prices: back to the lists' USD at FOB.
    let us_exports = |p: &str, s: usize| at(p).map_or(0.0, |i| w.x(s, us, i) * 1e6 / fob_to_basic);
    let concordance = b.concordance.clone();
    let mut hs6 = || match &concordance {
        Some(c) => super::by_sector::hs6_map(c),
        None => Err(Error::Invalid(NO_CONCORDANCE.into())),
    };
    let ctx = retaliation::Context {
        as_of: &b.as_of,
        lists: b.retaliation_lists.as_deref(),
        hs6: &mut hs6,
        us_exports: &us_exports,
    };
    let (add, applied) = retaliation::additions(&registry, ctx)?;
    for (partner, rates) in &add {
        // A retaliating economy outside the 80 would sit in ROW: none of the registry's does.
        let Some(i) = at(partner) else { continue };
        for (s, v) in rates.iter().enumerate().filter(|(s, _)| w.goods[*s]) {
            t[w.idx(s, us, i)] += v;
        }
    }
    report.retaliation = applied;
    Ok(())
}

/// The tariff of importer `i` on exporter `j` per ICIO sector, by the rules of [`assumptions`].
fn pair_rates(
    rules: &mut Rules<'_>,
    countries: &[String],
    baci: &BaciPairs,
    row_members: &[String],
    j: usize,
    i: usize,
) -> Vec<Option<f64>> {
    let (e, m) = (countries[j].as_str(), countries[i].as_str());
    let pair = |a: &str, b: &str| {
        baci.get(&(a.to_string(), b.to_string()))
            .copied()
            .unwrap_or(0.0)
    };
    match (e, m) {
        (_, "USA") => us_rates(rules, countries, e),
        ("USA", ROW) => {
            let members: Vec<(f64, Vec<Option<f64>>)> = row_members
                .iter()
                .map(|r| (pair("USA", r), rules.on_us_rates(r)))
                .collect();
            note_empty(rules, row_members, &members);
            weighted(&members)
        }
        ("USA", _) => rules.on_us_rates(m),
        (_, ROW) => {
            let members: Vec<(f64, Vec<Option<f64>>)> = row_members
                .iter()
                .map(|r| (pair(e, r), rules.third(e, r).0))
                .collect();
            note_empty(rules, row_members, &members);
            weighted(&members)
        }
        (ROW, _) => {
            let members: Vec<(f64, Vec<Option<f64>>)> = row_members
                .iter()
                .map(|r| (pair(r, m), rules.third(r, m).0))
                .collect();
            weighted(&members)
        }
        _ => {
            let (t, rule) = rules.third(e, m);
            let r = &mut rules.report;
            match rule {
                PairRule::Pattern2014 => r.pairs_2014 += 1,
                PairRule::Agreement(id) => *r.pairs_registry.entry(id).or_default() += 1,
                PairRule::Mfn => r.pairs_mfn += 1,
            }
            t
        }
    }
}

/// The US rates on `e` (a partner, or ROW: the Census partners outside the 80, import-weighted).
fn us_rates(rules: &mut Rules<'_>, countries: &[String], e: &str) -> Vec<Option<f64>> {
    let us = &rules.b.us;
    if e == ROW {
        let members: Vec<&UsPartner> = us
            .partners
            .iter()
            .filter(|(p, _)| !countries.contains(p))
            .map(|(_, v)| v)
            .collect();
        return (0..ICIO_SECTORS.len())
            .map(|s| {
                let (num, den) = members.iter().fold((0.0, 0.0), |(a, b), p| {
                    let w = p.imports.get(s).copied().unwrap_or(0.0);
                    (a + w * p.rates.get(s).copied().unwrap_or(0.0), b + w)
                });
                (den > 0.0).then(|| num / den)
            })
            .collect();
    }
    match us.partners.get(e) {
        Some(p) => p.rates.iter().map(|v| Some(*v)).collect(),
        None => {
            if !rules.report.us_missing.iter().any(|c| c == e) {
                rules.report.us_missing.push(e.to_string());
            }
            vec![None; ICIO_SECTORS.len()]
        }
    }
}

fn note_empty(rules: &mut Rules<'_>, members: &[String], rates: &[(f64, Vec<Option<f64>>)]) {
    for (m, (_, t)) in members.iter().zip(rates) {
        let goods_missing = ICIO_SECTORS
            .iter()
            .zip(t)
            .all(|(c, v)| !is_goods(c) || v.is_none());
        let list = &mut rules.report.row_members_without_figures;
        if goods_missing && !list.contains(m) {
            list.push(m.clone());
        }
    }
}

/// The measured means of the report, on the ICIO sectors with the built flows.
fn measure(w: &Work, countries: &[String], t: &[f64], r: &mut TariffReport) {
    let us = countries.iter().position(|c| c == "USA");
    let n80 = countries.len() - 1;
    let (mut on_us, mut us_in, mut third, mut free) = ([0.0; 2], [0.0; 2], [0.0; 2], 0.0);
    let (mut simple, mut cells) = (0.0, 0usize);
    for s in (0..w.ns).filter(|&s| w.goods[s]) {
        for j in 0..w.n {
            for i in (0..w.n).filter(|&i| i != j) {
                let (x, v) = (w.x(s, j, i), t[w.idx(s, j, i)]);
                let slot = if Some(j) == us {
                    &mut on_us
                } else if Some(i) == us {
                    &mut us_in
                } else {
                    free += if v == 0.0 { x } else { 0.0 };
                    if i < n80 && j < n80 {
                        simple += v;
                        cells += 1;
                    }
                    &mut third
                };
                slot[0] += x * v;
                slot[1] += x;
            }
        }
    }
    let pct = |a: [f64; 2]| if a[1] > 0.0 { 100.0 * a[0] / a[1] } else { 0.0 };
    r.on_us_weighted_pct = pct(on_us);
    r.us_weighted_pct = pct(us_in);
    r.third_weighted_pct = pct(third);
    r.third_simple_pct = if cells > 0 {
        100.0 * simple / cells as f64
    } else {
        0.0
    };
    r.third_duty_free_share_pct = pct([free, third[1]]);
}

/// Sum the ICIO-sector tariffs `t` into the map's sectors of `ds`: the mean over a sector's ICIO
/// sectors weighted by the pair's built flows, the simple mean when the pair has none.
pub(crate) fn aggregate_into(
    w: &Work,
    t: &[f64],
    map: &SectorMap,
    ds: &mut reciprocity_model::Dataset,
) {
    let kk = map.sectors.len();
    let mut tariffs = ds.tariff_table_mut();
    for k in 0..kk {
        let members: Vec<usize> = (0..w.ns).filter(|&s| map.of_icio[s] == k).collect();
        for j in 0..w.n {
            for i in (0..w.n).filter(|&i| i != j) {
                let (mut num, mut den, mut sum) = (0.0, 0.0, 0.0);
                for &s in &members {
                    let (x, v) = (w.x(s, j, i), t[w.idx(s, j, i)]);
                    num += x * v;
                    den += x;
                    sum += v;
                }
                let v = if den > 0.0 {
                    num / den
                } else if members.is_empty() {
                    0.0
                } else {
                    sum / members.len() as f64
                };
                tariffs.set(k, j, i, v);
            }
        }
    }
}

/// The report as lines of text (the README of the built world and `world build` print them); one
/// line for the zero baseline.
pub fn report_lines(t: &TariffReport) -> Vec<String> {
    if t.mode != "applied" {
        return vec!["zero on every pair and sector (A10)".into()];
    }
    let levels = |m: &BTreeMap<Level, usize>| {
        m.iter()
            .map(|(l, c)| format!("{} {c}", l.label()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let registry: Vec<String> = t
        .pairs_registry
        .iter()
        .map(|(id, c)| format!("{id} {c}"))
        .collect();
    let capped: Vec<String> = t
        .capped
        .iter()
        .map(|(e, g, v)| format!("{e} {g} {v:.1}"))
        .collect();
    vec![
        format!("as of {}", t.as_of),
        format!("partners' tariffs on US goods, (economy, goods ICIO sector) cells by source: {}", levels(&t.on_us_levels)),
        format!("group figures capped at {CAP_PCT} %: {} ({})", t.capped.len(), capped.join("; ")),
        format!("MFN schedules used, (economy, goods ICIO sector) cells by source: {}", levels(&t.mfn_levels)),
        format!("third-country pairs among the 80 (directional): {} duty-free by the 2014 pattern, {} by a registry agreement ({}), {} at the importer's MFN", t.pairs_2014, t.pairs_registry.values().sum::<usize>(), registry.join(", "), t.pairs_mfn),
        format!("2014 zero pattern: {} directional pairs; {} pairs left out as artefacts of the source", t.pattern_2014.0, t.pattern_2014.1),
        format!("agreement registry dates no source reached states (verified = false): {}", if t.unverified_agreements.is_empty() { "none".to_string() } else { t.unverified_agreements.join(", ") }),
        format!("partners without a US rate (0 used): {}", if t.us_missing.is_empty() { "none".to_string() } else { t.us_missing.join(", ") }),
        format!("ROW members without any figure (left out of ROW's weights): {}", t.row_members_without_figures.len()),
        format!("partners' retaliation in force (A17): {}", retaliation_line(t)),
        format!("retaliation left out: {}", if t.retaliation_not_modelled.is_empty() { "none".to_string() } else { t.retaliation_not_modelled.join("; ") }),
        format!("measured on the built flows (goods): partners' tariff on US goods {:.2} % (US-export-weighted); US tariff {:.2} % (US-import-weighted); third-country tariff {:.2} % trade-weighted, {:.2} % simple mean over the 80's cells; {:.1} % of third-country goods trade duty-free", t.on_us_weighted_pct, t.us_weighted_pct, t.third_weighted_pct, t.third_simple_pct, t.third_duty_free_share_pct),
    ]
}

fn retaliation_line(t: &TariffReport) -> String {
    if t.retaliation.is_empty() {
        return "none".into();
    }
    let one = |a: &RetaliationApplied| {
        let list = match a.matched_usd_bn {
            Some((m, scale)) => format!(
                ", list matched at HS6 ${m:.1}bn x {scale:.2} (${:.2}bn without a goods sector left out)",
                a.unmapped_usd_bn
            ),
            None => String::new(),
        };
        let capped = match a.capped_sectors {
            0 => String::new(),
            n => format!(", capped in {n} sectors"),
        };
        format!(
            "{} {} +{} % on {:.1} % of its US goods imports{list}{capped}",
            a.partner, a.id, a.rate_pct, a.covered_pct
        )
    };
    t.retaliation.iter().map(one).collect::<Vec<_>>().join("; ")
}

/// The named assumptions of the baseline tariffs (continuing the builder's A1-A9).
pub fn assumptions(baseline: &Baseline) -> Vec<String> {
    let b = match baseline {
        Baseline::Zero => {
            return vec!["A10 baseline tariffs: zero on every pair and sector (--baseline-tariffs zero; ILMS 2025 start from zero tariffs)".into()]
        }
        Baseline::Applied(b) => b,
    };
    vec![
        format!("A10 baseline tariffs: applied tariffs in force on {} by importer x exporter x sector, computed on the 50 ICIO sectors; services (ICIO D-T) carry none", b.as_of),
        format!("A11 US tariffs on partners: {}", b.us.rule),
        format!("A12 partners' tariffs on US goods: WITS 2022 applied (AHS) simple averages on US goods by product group (partner_tariffs/wits_bilateral_tariffs_us_2022.csv), the mean of the groups standing for an ICIO sector (A01 fruit, cereals, soybeans; C10T12 meat, dairy, beverages; B05/B06/C19 mineral fuels; C20 organic chemicals; C21 pharmaceuticals; C22 plastics; C24A iron and steel; C24B aluminium; C25 articles of iron and steel; C26 electrical machinery and instruments; C27 electrical machinery; C28 machinery; C29 the mean of cars 8703, trucks 8704 and parts 8708; C302T309 aircraft), group figures capped at {CAP_PCT} % (out-of-quota and specific-duty equivalents); else the partner's WITS agricultural (A01, C10T12) or non-agricultural figure, else its all-goods figure, else WDI's applied simple mean on all products; EU members take the EUU row; China's 2018-19 retaliation, in force at the end of 2024, is not in WITS and is left out"),
        "A13 third-country tariffs (neither side the US): the importer's MFN: WTO MFN applied simple averages by MTN product group mapped to ICIO sectors for CHN, EUU (every EU member), IND and JPN; WDI simple means for the rest (primary products, i.e. A, B, C10T12, C19, C24B: the applied series, WDI's only primary-products figure; manufactured: the MFN series); else WITS MFN agricultural / non-agricultural simple means; else WDI's MFN simple mean on all products".into(),
        format!("A14 duty-free third-country pairs: (a) the 2014 zero pattern of ll2023_wiod2014 (importer tariff <= {} % in every manufacturing sector 4-15; EU members by the EU's majority; Switzerland as importer and every pair with Brazil left out as artefacts of the source), (b) the agreements of crates/data/registry/trade_agreements.toml in force on {} (intra-EU customs union, EU, UK, CPTPP, RCEP, ASEAN, Mercosur, GCC, EAEU, ...); such a pair pays 0 in every goods sector, farm goods and tariffs still phasing out included", 100.0 * ZERO_2014, b.as_of),
        "A15 ROW: as importer, its members' tariffs (the rules above, pair by pair) weighted by their BACI 2023 imports from the exporter; as exporter to a third country, the importer's tariffs on the members weighted by their BACI exports to it; the US on ROW: the Census partners outside the 80 weighted by their 2024 US imports by sector".into(),
        "A16 a model sector's tariff on a pair is the mean of its ICIO sectors' tariffs weighted by the pair's built flows (the simple mean when the pair has no flow in the sector)".into(),
        format!("A17 partners' retaliation: the measures of crates/data/registry/retaliation.toml in force on {} add their rate to the partner's tariff on US goods, on every goods sector (scope all) or on the share of the partner's built US imports in each ICIO sector that the product list covers (tariffs_hs2/retaliation/: HS6 codes with 2024 US exports, mapped by the HS6-ISIC concordance, an HS6 on the list counted whole, scaled down to the partner's announced value where one is given, the share at most 1); measures without a product list are left out and listed", b.as_of),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_weighted_and_missing_figures_left_out() {
        let n = ICIO_SECTORS.len();
        let a = (3.0, vec![Some(0.1); n]);
        let b = (1.0, vec![Some(0.3); n]);
        let c = (5.0, vec![None; n]);
        let v = weighted(&[a.clone(), b, c.clone()]);
        assert!((v[0].unwrap() - 0.15).abs() < 1e-12);
        let unweighted = weighted(&[(0.0, vec![Some(0.2); n]), (0.0, vec![Some(0.4); n])]);
        assert!((unweighted[0].unwrap() - 0.3).abs() < 1e-12);
        assert_eq!(weighted(&[c])[0], None);
    }

    #[test]
    fn the_zero_baseline_has_one_assumption_and_the_applied_eight() {
        assert_eq!(assumptions(&Baseline::Zero).len(), 1);
        let applied = Baseline::Applied(Box::new(AppliedBaseline {
            partner_tariffs: "p".into(),
            ll2023: "l".into(),
            as_of: "2024-12-31".into(),
            us: UsTariffs::default(),
            retaliation_lists: None,
            concordance: None,
        }));
        let a = assumptions(&applied);
        assert_eq!(a.len(), 8);
        assert!(a
            .iter()
            .enumerate()
            .all(|(k, s)| s.starts_with(&format!("A{}", 10 + k))));
    }
}
