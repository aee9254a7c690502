//! Partners' dated retaliation on US goods (issue 13, item 2): the registry
//! `crates/data/registry/retaliation.toml` and its product lists (`tariffs_hs2/retaliation/`),
//! added to the partner's tariff on US goods per ICIO sector on the baseline date (assumption A17).
//!
//! A list measure adds `rate × covered` in a sector, `covered` being the list's 2024 US exports
//! in the sector (HS6 → ICIO by the concordance, scaled down to the announced value where the
//! HS6 match holds more) over the built world's US exports to the partner in that sector, at most 1.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::super::agreements::{check_source, toml_day};
use super::super::sectors::{is_goods, ICIO_SECTORS};
use crate::table::{at, number, Table};
use crate::Error;

/// The embedded retaliation registry.
pub const RETALIATION_TOML: &str = include_str!("../../../../registry/retaliation.toml");

const REGISTRY_FILE: &str = "crates/data/registry/retaliation.toml";

/// What a measure covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Every US good.
    All,
    /// The HS6 codes of a list file, optionally only inside or outside some HS chapters.
    List {
        /// The file in the lists folder.
        file: String,
        /// Only these HS chapters (empty: all).
        chapters: Vec<String>,
        /// Not these HS chapters.
        not_chapters: Vec<String>,
        /// The value the partner announced, US$ bn.
        announced_usd_bn: Option<f64>,
    },
}

/// One dated retaliatory measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Unique id.
    pub id: String,
    /// The retaliating economy, ISO3.
    pub partner: String,
    /// The instrument.
    pub name: String,
    /// The additional rate, %.
    pub rate_pct: f64,
    /// First day in force, YYYY-MM-DD.
    pub start: String,
    /// Last day in force (`None`: in force at the registry's last check).
    pub until: Option<String>,
    /// What it covers.
    pub scope: Scope,
    /// The page that states it.
    pub source: String,
    /// Whether `source` states rate and dates.
    pub verified: bool,
}

impl Measure {
    /// Whether the measure is in force on `as_of` (YYYY-MM-DD; such dates order as strings).
    pub fn in_force(&self, as_of: &str) -> bool {
        self.start.as_str() <= as_of && self.until.as_deref().is_none_or(|u| as_of <= u)
    }
}

/// A measure the registry names but the world leaves out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NotModelled {
    /// Unique id.
    pub id: String,
    /// The retaliating economy.
    pub partner: String,
    /// The instrument.
    pub name: String,
    /// First day in force.
    pub start: String,
    /// Why it is left out.
    pub why: String,
}

/// The dated registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    /// The measures, in file order.
    pub measures: Vec<Measure>,
    /// The measures left out.
    pub not_modelled: Vec<NotModelled>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    measure: Vec<RawMeasure>,
    #[serde(default)]
    not_modelled: Vec<RawNotModelled>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: String,
    partner: String,
    name: String,
    rate_pct: f64,
    start: toml::value::Datetime,
    #[serde(default)]
    until: Option<toml::value::Datetime>,
    scope: String,
    #[serde(default)]
    list: Option<String>,
    #[serde(default)]
    chapters: Vec<String>,
    #[serde(default)]
    not_chapters: Vec<String>,
    #[serde(default)]
    announced_usd_bn: Option<f64>,
    source: String,
    verified: bool,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotModelled {
    id: String,
    partner: String,
    name: String,
    start: toml::value::Datetime,
    why: String,
}

fn day(file: &str, id: &str, field: &str, d: &toml::value::Datetime) -> Result<String, Error> {
    toml_day(file, &format!("measure {id}: {field}"), d)
}

impl Registry {
    /// The registry compiled into the program.
    pub fn embedded() -> Result<Registry, Error> {
        Self::parse(REGISTRY_FILE, RETALIATION_TOML)
    }

    /// Parse and check a registry text (`file` names it in errors).
    pub fn parse(file: &str, text: &str) -> Result<Registry, Error> {
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| at(file, 0, "registry", format!("invalid TOML: {e}")))?;
        let mut measures = Vec::with_capacity(raw.measure.len());
        for m in raw.measure {
            measures.push(Self::measure(file, m)?);
        }
        let mut ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(at(file, 0, "id", format!("{} appears twice", w[0])));
        }
        let not_modelled = raw
            .not_modelled
            .into_iter()
            .map(|n| {
                Ok(NotModelled {
                    start: day(file, &n.id, "start", &n.start)?,
                    id: n.id,
                    partner: n.partner,
                    name: n.name,
                    why: n.why,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Registry {
            measures,
            not_modelled,
        })
    }

    fn measure(file: &str, m: RawMeasure) -> Result<Measure, Error> {
        let bad =
            |field: &str, why: String| at(file, 0, &format!("measure {}: {field}", m.id), why);
        if !(m.rate_pct.is_finite() && m.rate_pct > 0.0) {
            return Err(bad(
                "rate_pct",
                format!("expected a rate > 0, found {}", m.rate_pct),
            ));
        }
        if m.partner.len() != 3 || !m.partner.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(
                "partner",
                format!("expected ISO3, found {:?}", m.partner),
            ));
        }
        check_source(file, &format!("measure {}: source", m.id), &m.source)?;
        let start = day(file, &m.id, "start", &m.start)?;
        let until = match &m.until {
            Some(u) => Some(day(file, &m.id, "until", u)?),
            None => None,
        };
        if until.as_deref().is_some_and(|u| u < start.as_str()) {
            return Err(bad("until", format!("ends before its start {start}")));
        }
        let scope = match (m.scope.as_str(), m.list) {
            ("all", None) if m.chapters.is_empty() && m.not_chapters.is_empty() => Scope::All,
            ("list", Some(list)) => Scope::List {
                file: list,
                chapters: m.chapters,
                not_chapters: m.not_chapters,
                announced_usd_bn: m.announced_usd_bn,
            },
            (s, _) => {
                return Err(bad(
                    "scope",
                    format!("expected \"all\" (no list, no chapters) or \"list\" with a list file, found {s:?}"),
                ))
            }
        };
        Ok(Measure {
            id: m.id,
            partner: m.partner,
            name: m.name,
            rate_pct: m.rate_pct,
            start,
            until,
            scope,
            source: m.source,
            verified: m.verified,
        })
    }

    /// The measures in force on `as_of`.
    pub fn in_force<'a>(&'a self, as_of: &'a str) -> impl Iterator<Item = &'a Measure> + 'a {
        self.measures.iter().filter(move |m| m.in_force(as_of))
    }
}

/// HS6 → (ICIO sector index, share).
pub(crate) type Hs6Map = HashMap<String, Vec<(usize, f64)>>;

/// The additions per retaliating partner and ICIO sector (fractions).
pub(crate) type Additions = BTreeMap<String, Vec<f64>>;

/// What one measure in force added.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The measure's id.
    pub id: String,
    /// The retaliating economy.
    pub partner: String,
    /// Its rate, %.
    pub rate_pct: f64,
    /// For a list: the 2024 US exports its HS6 codes hold, US$ bn, and the scale to its announced
    /// value (1 when none is given or the match holds less).
    pub matched_usd_bn: Option<(f64, f64)>,
    /// For a list: the 2024 US exports of its HS6 codes without an ICIO goods sector (left out),
    /// US$ bn.
    pub unmapped_usd_bn: f64,
    /// Share of the partner's built US goods imports the measure covers, %.
    pub covered_pct: f64,
    /// Sectors where the list held more than the built flow (coverage capped at 1).
    pub capped_sectors: usize,
}

/// A list file's 2024 US exports by ICIO sector (USD), with what had no goods sector (USD).
fn list_by_sector(
    path: &Path,
    scope: (&[String], &[String]),
    hs6: &Hs6Map,
) -> Result<(Vec<f64>, f64), Error> {
    let t = Table::read(path)?;
    t.require_rows()?;
    let (c_x, c_h) = (t.col("exports")?, t.col("hs-code")?);
    let (only, not) = scope;
    let mut by = vec![0.0; ICIO_SECTORS.len()];
    let mut unmapped = 0.0;
    for (line, row) in &t.rows {
        let hs = row[c_h].as_str();
        if hs.len() != 6 || !hs.bytes().all(|b| b.is_ascii_digit()) {
            return Err(at(
                &t.file,
                *line,
                "hs-code",
                format!("expected 6 digits, found {hs:?}"),
            ));
        }
        let chapter = &hs[..2];
        if (!only.is_empty() && !only.iter().any(|c| c == chapter))
            || not.iter().any(|c| c == chapter)
        {
            continue;
        }
        // An empty cell: a listed code without US exports.
        let x = number(&t.file, *line, "exports", &row[c_x])?.unwrap_or(0.0);
        match hs6.get(hs) {
            Some(shares) => shares.iter().for_each(|(s, w)| by[*s] += w * x),
            None => unmapped += x,
        }
    }
    Ok((by, unmapped))
}

/// The inputs of [`additions`].
pub(crate) struct Context<'a> {
    /// The baseline date.
    pub as_of: &'a str,
    /// `tariffs_hs2/retaliation/`, when given.
    pub lists: Option<&'a Path>,
    /// The HS6 → ICIO map, made on first need.
    pub hs6: &'a mut dyn FnMut() -> Result<Hs6Map, Error>,
    /// The built US goods exports to a partner in an ICIO sector, USD.
    pub us_exports: &'a dyn Fn(&str, usize) -> f64,
}

/// The additions to each retaliating partner's tariffs on US goods per ICIO sector (fractions),
/// and what each measure in force added. List files are read only when a list measure is in force.
pub(crate) fn additions(
    registry: &Registry,
    ctx: Context<'_>,
) -> Result<(Additions, Vec<Applied>), Error> {
    let mut add = Additions::new();
    let mut applied = Vec::new();
    let mut hs6: Option<Hs6Map> = None;
    for m in registry.in_force(ctx.as_of) {
        let rate = m.rate_pct / 100.0;
        let row = add
            .entry(m.partner.clone())
            .or_insert_with(|| vec![0.0; ICIO_SECTORS.len()]);
        let goods = |s: &usize| is_goods(ICIO_SECTORS[*s]);
        let total: f64 = (0..ICIO_SECTORS.len())
            .filter(goods)
            .map(|s| (ctx.us_exports)(&m.partner, s))
            .sum();
        let (covered, matched, capped, unmapped) = match &m.scope {
            Scope::All => (vec![1.0; ICIO_SECTORS.len()], None, 0, 0.0),
            Scope::List {
                file,
                chapters,
                not_chapters,
                announced_usd_bn,
            } => {
                let dir = ctx.lists.ok_or_else(|| {
                    Error::Invalid(format!(
                        "retaliation measure {} is in force on {} and needs its product list {file} in ../shared/data/tariffs_hs2/retaliation/ (set RECIPROCITY_SHARED_DATA)",
                        m.id, ctx.as_of
                    ))
                })?;
                if hs6.is_none() {
                    hs6 = Some((ctx.hs6)()?);
                }
                let map = hs6.as_ref().expect("made above");
                let (by, unmapped) =
                    list_by_sector(&dir.join(file), (chapters, not_chapters), map)?;
                let sum: f64 = by.iter().sum();
                let scale = match announced_usd_bn {
                    Some(a) if sum > 0.0 => (a * 1e9 / sum).min(1.0),
                    _ => 1.0,
                };
                let mut capped = 0;
                let covered = (0..ICIO_SECTORS.len())
                    .map(|s| {
                        let base = (ctx.us_exports)(&m.partner, s);
                        let c = if base > 0.0 {
                            scale * by[s] / base
                        } else {
                            0.0
                        };
                        if c > 1.0 {
                            capped += 1;
                        }
                        c.min(1.0)
                    })
                    .collect();
                (covered, Some((sum / 1e9, scale)), capped, unmapped / 1e9)
            }
        };
        let mut hit = 0.0;
        for s in (0..ICIO_SECTORS.len()).filter(goods) {
            row[s] += rate * covered[s];
            hit += covered[s] * (ctx.us_exports)(&m.partner, s);
        }
        applied.push(Applied {
            id: m.id.clone(),
            partner: m.partner.clone(),
            rate_pct: m.rate_pct,
            matched_usd_bn: matched,
            unmapped_usd_bn: unmapped,
            covered_pct: if total > 0.0 {
                100.0 * hit / total
            } else {
                0.0
            },
            capped_sectors: capped,
        });
    }
    Ok((add, applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_registry_parses_and_dates_china_s_escalation() {
        let r = Registry::embedded().unwrap();
        let all = |d: &str| -> f64 {
            r.in_force(d)
                .filter(|m| m.partner == "CHN" && m.scope == Scope::All)
                .map(|m| m.rate_pct)
                .sum()
        };
        assert_eq!(all("2025-04-09"), 0.0);
        assert_eq!(all("2025-04-10"), 84.0);
        assert_eq!(all("2025-04-12"), 125.0);
        assert_eq!(all("2025-05-13"), 125.0);
        assert_eq!(all("2025-05-14"), 10.0);
        assert_eq!(all("2026-06-01"), 10.0);
        assert_eq!(r.in_force("2024-12-31").count(), 0);
        let canada = |d: &str| r.in_force(d).filter(|m| m.partner == "CAN").count();
        assert_eq!(
            (
                canada("2025-03-04"),
                canada("2025-03-13"),
                canada("2025-09-01")
            ),
            (1, 3, 1)
        );
        assert!(r.measures.iter().all(|m| m.verified));
        assert_eq!(r.not_modelled.len(), 4);
    }

    #[test]
    fn bad_entries_name_the_measure_and_field() {
        let text = "[[measure]]\nid = \"x\"\npartner = \"CHN\"\nname = \"n\"\nrate_pct = 10.0\nstart = 2025-05-01\nuntil = 2025-04-01\nscope = \"all\"\nsource = \"https://a\"\nverified = true\n";
        let e = Registry::parse("r.toml", text).unwrap_err().to_string();
        assert!(
            e.contains("measure x: until") && e.contains("ends before"),
            "{e}"
        );
        let text = text
            .replace("until = 2025-04-01\n", "")
            .replace("\"all\"", "\"list\"");
        let e = Registry::parse("r.toml", &text).unwrap_err().to_string();
        assert!(e.contains("measure x: scope"), "{e}");
    }

    #[test]
    fn a_list_covers_its_share_scaled_to_the_announced_value_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        // Two HS6 codes in sector 0 (60 + 40) and one in sector 1 (300); one outside the chapters.
        std::fs::write(
            dir.path().join("l.csv"),
            "exports,hs-code,tariff\n60,010100,25\n40,010200,25\n300,020100,25\n999,720100,25\n",
        )
        .unwrap();
        let text = "[[measure]]\nid = \"l\"\npartner = \"CAN\"\nname = \"n\"\nrate_pct = 20.0\nstart = 2025-01-01\nscope = \"list\"\nlist = \"l.csv\"\nnot_chapters = [\"72\"]\nannounced_usd_bn = 0.0000002\nsource = \"https://a\"\nverified = true\n";
        let r = Registry::parse("r.toml", text).unwrap();
        let mut map = || {
            Ok(HashMap::from([
                ("010100".to_string(), vec![(0, 1.0)]),
                ("010200".to_string(), vec![(0, 1.0)]),
                ("020100".to_string(), vec![(1, 1.0)]),
            ]))
        };
        // Built exports: 400 in sector 0, 100 in sector 1, nothing else.
        let exports = |_: &str, s: usize| [400.0, 100.0].get(s).copied().unwrap_or(0.0);
        let ctx = Context {
            as_of: "2025-06-01",
            lists: Some(dir.path()),
            hs6: &mut map,
            us_exports: &exports,
        };
        let (add, applied) = additions(&r, ctx).unwrap();
        // Matched 400, announced 200: scale 0.5. Sector 0: 0.5 * 100 / 400 = 0.125 covered;
        // sector 1: 0.5 * 300 / 100 = 1.5, capped at 1.
        let can = &add["CAN"];
        assert!((can[0] - 0.2 * 0.125).abs() < 1e-12 && (can[1] - 0.2).abs() < 1e-12);
        let a = &applied[0];
        assert_eq!(
            (a.capped_sectors, a.matched_usd_bn),
            (1, Some((400.0 / 1e9, 0.5)))
        );
        assert!((a.covered_pct - 100.0 * (0.125 * 400.0 + 100.0) / 500.0).abs() < 1e-9);
        // No lists folder: a clear error naming the measure.
        let ctx = Context {
            as_of: "2025-06-01",
            lists: None,
            hs6: &mut map,
            us_exports: &exports,
        };
        let e = additions(&r, ctx).unwrap_err().to_string();
        assert!(
            e.contains("measure l") && e.contains("tariffs_hs2/retaliation"),
            "{e}"
        );
    }
}
