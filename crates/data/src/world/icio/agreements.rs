//! Which third-country pairs trade duty-free: the registry of free-trade agreements and customs
//! unions (`crates/data/registry/trade_agreements.toml`, dated) and the 2014 zero pattern of
//! Lashkaripour and Lugovskyy (2023)'s WIOD world (`ll2023_wiod2014/`).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::table::{at, number, Table};
use crate::Error;

/// The embedded agreement registry.
pub const AGREEMENTS_TOML: &str = include_str!("../../../registry/trade_agreements.toml");

const REGISTRY_FILE: &str = "crates/data/registry/trade_agreements.toml";

/// A member token of the registry that stands for the EU's 27 members.
const EU27: &str = "EU27";

/// One member of an agreement and the date its membership took effect (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// ISO3.
    pub iso3: String,
    /// Entry into force for this member.
    pub in_force: String,
    /// Whether the member came in through the `EU27` token: such members trade with each other
    /// under the EU's customs union, not under this agreement.
    pub via_eu27: bool,
    /// Whether the member joined by an accession (its own date and source).
    pub accession: bool,
    /// Whether the date was checked against its source (the agreement's, or the accession's).
    pub verified: bool,
}

/// A free-trade agreement or customs union.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Unique id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `fta` or `customs_union`.
    pub kind: String,
    /// Entry into force for the founding members.
    pub in_force: String,
    /// Every member with its own date (EU27 expanded).
    pub members: Vec<Member>,
    /// The page the date was checked against.
    pub source: String,
    /// Whether `source` states the date (`false`: no page reached states it).
    pub verified: bool,
}

impl Agreement {
    fn member(&self, iso3: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.iso3 == iso3)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    agreement: Vec<RawAgreement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    id: String,
    name: String,
    kind: String,
    in_force: toml::value::Datetime,
    members: Vec<String>,
    source: String,
    verified: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    accession: Vec<RawAccession>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccession {
    iso3: String,
    in_force: toml::value::Datetime,
    source: String,
    verified: bool,
    #[serde(default)]
    note: Option<String>,
}

/// The dated registry of agreements.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreements {
    /// Every agreement, in file order.
    pub list: Vec<Agreement>,
}

/// A TOML date as `YYYY-MM-DD`, or an error naming the entry's field (`what`).
pub(crate) fn toml_day(file: &str, what: &str, d: &toml::value::Datetime) -> Result<String, Error> {
    match (&d.date, &d.time) {
        (Some(date), None) => Ok(date.to_string()),
        _ => Err(at(
            file,
            0,
            what,
            format!("expected a date YYYY-MM-DD, found {d}"),
        )),
    }
}

fn day(file: &str, id: &str, field: &str, d: &toml::value::Datetime) -> Result<String, Error> {
    toml_day(file, &format!("agreement {id}: {field}"), d)
}

impl Agreements {
    /// The registry compiled into the program.
    pub fn embedded() -> Result<Agreements, Error> {
        Self::parse(REGISTRY_FILE, AGREEMENTS_TOML)
    }

    /// Parse a registry (`file` names it in errors): unique ids, known ISO3 members (or `EU27`),
    /// `kind` `fta` or `customs_union`, dates as TOML dates, an https source on each entry.
    pub fn parse(file: &str, text: &str) -> Result<Agreements, Error> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            at(
                file,
                0,
                "toml",
                e.to_string().trim_end().replace('\n', " | "),
            )
        })?;
        let mut ids = HashSet::new();
        let mut list = Vec::with_capacity(raw.agreement.len());
        for a in raw.agreement {
            let field = |f: &str| format!("agreement {}: {f}", a.id);
            if !ids.insert(a.id.clone()) {
                return Err(at(
                    file,
                    0,
                    &field("id"),
                    "expected a unique id, found it again",
                ));
            }
            if a.kind != "fta" && a.kind != "customs_union" {
                return Err(at(
                    file,
                    0,
                    &field("kind"),
                    format!("expected \"fta\" or \"customs_union\", found {:?}", a.kind),
                ));
            }
            let in_force = day(file, &a.id, "in_force", &a.in_force)?;
            let mut members = Vec::new();
            for m in &a.members {
                for iso3 in expand(file, &field("members"), m)? {
                    members.push(Member {
                        iso3,
                        in_force: in_force.clone(),
                        via_eu27: m == EU27,
                        accession: false,
                        verified: a.verified,
                    });
                }
            }
            for acc in &a.accession {
                let _ = &acc.note;
                let since = day(file, &a.id, "accession.in_force", &acc.in_force)?;
                check_source(file, &field("accession.source"), &acc.source)?;
                for iso3 in expand(file, &field("accession.iso3"), &acc.iso3)? {
                    members.push(Member {
                        iso3,
                        in_force: since.clone(),
                        via_eu27: acc.iso3 == EU27,
                        accession: true,
                        verified: acc.verified,
                    });
                }
            }
            check_source(file, &field("source"), &a.source)?;
            let _ = a.note;
            list.push(Agreement {
                id: a.id,
                name: a.name,
                kind: a.kind,
                in_force,
                members,
                source: a.source,
                verified: a.verified,
            });
        }
        Ok(Agreements { list })
    }

    /// The first agreement in force on `as_of` (YYYY-MM-DD) with both `a` and `b` as members (two
    /// EU members are never partners through an EU agreement with third countries). An EU member
    /// is taken in an EU agreement from the agreement's date, also when it joined the EU later:
    /// right for any date after 2013-07-01, when the last of the 27 joined.
    pub fn covering(&self, a: &str, b: &str, as_of: &str) -> Option<&Agreement> {
        self.list
            .iter()
            .find(|ag| match (ag.member(a), ag.member(b)) {
                (Some(x), Some(y)) => {
                    !(x.via_eu27 && y.via_eu27)
                        && x.in_force.as_str() <= as_of
                        && y.in_force.as_str() <= as_of
                }
                _ => false,
            })
    }
}

impl Agreements {
    /// The entries whose date no reached source states: `id` for an agreement, `id:ISO3` for an
    /// accession (docs/sector-world.md, "The agreement registry").
    pub fn unverified(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in &self.list {
            if !a.verified {
                out.push(a.id.clone());
            }
            for m in a.members.iter().filter(|m| m.accession && !m.verified) {
                out.push(format!("{}:{}", a.id, m.iso3));
            }
        }
        out
    }
}

/// An entry's `source` must be the address of the document that states it.
pub(crate) fn check_source(file: &str, field: &str, source: &str) -> Result<(), Error> {
    if source.starts_with("https://") || source.starts_with("http://") {
        Ok(())
    } else {
        Err(at(
            file,
            0,
            field,
            format!(
                "expected the http(s) address of the document that states it, found {source:?}"
            ),
        ))
    }
}

/// A member token: an ISO3 code the country registry knows, or `EU27`.
fn expand(file: &str, field: &str, token: &str) -> Result<Vec<String>, Error> {
    if token == EU27 {
        let eu = crate::registry::group(EU27).unwrap_or_default();
        return Ok(eu.iter().map(|c| c.to_string()).collect());
    }
    match crate::registry::country(token) {
        Some(c) if c.iso3 == token => Ok(vec![token.to_string()]),
        _ => Err(at(
            file,
            0,
            field,
            format!("expected an ISO3 code or EU27, found {token:?}"),
        )),
    }
}

/// The directional pairs (exporter, importer) that traded duty-free in 2014 in the world of
/// Lashkaripour and Lugovskyy (2023), with the rule that picked them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZeroPattern {
    /// (exporter, importer), ISO3; EU members stand for themselves.
    pub pairs: BTreeSet<(String, String)>,
    /// Pairs left out as artefacts of the source (importer CHE, any pair with BRA).
    pub artefacts: usize,
}

/// The largest tariff (a fraction) still read as zero in the 2014 pattern: 0.5 %.
pub const ZERO_2014: f64 = 0.005;

/// The manufacturing sectors of `ll2023_wiod2014/` (4-15: textiles to furniture). Agriculture (1),
/// mining (2) and food (3) are left out of the test: agreements commonly keep farm tariffs.
const LL_MANUFACTURING: std::ops::RangeInclusive<usize> = 4..=15;

/// Read `ll2023_wiod2014_44x44x16_trade_tariffs.csv` and keep the pairs whose importer applied at
/// most [`ZERO_2014`] in every manufacturing sector. Left out: the US's pairs (the US side has
/// sources of its own), ROW, pairs where Switzerland imports (its row is 0 in the source: specific
/// duties without ad-valorem equivalents) and pairs with Brazil (the source has zeros between
/// Brazil and the EU, Mexico, Norway and Turkey, none of which had an agreement with it in 2014).
/// EU members other than the UK take the EU's pattern: a pair is zero for every member when it is
/// zero for most of the 2014 members.
pub fn read_zero_pattern(file: &Path) -> Result<ZeroPattern, Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let (c_e, c_i, c_s, c_t) = (
        t.col("exporter")?,
        t.col("importer")?,
        t.col("sector_id")?,
        t.col("importer_applied_tariff")?,
    );
    // (exporter, importer) -> whether every manufacturing sector seen so far is zero.
    let mut zero: std::collections::BTreeMap<(String, String), bool> = Default::default();
    for (line, row) in &t.rows {
        let sector = number(&t.file, *line, "sector_id", &row[c_s])?.ok_or_else(|| {
            at(
                &t.file,
                *line,
                "sector_id",
                "expected a sector id, found an empty cell",
            )
        })?;
        if !LL_MANUFACTURING.contains(&(sector as usize)) || row[c_e] == row[c_i] {
            continue;
        }
        let tariff =
            number(&t.file, *line, "importer_applied_tariff", &row[c_t])?.ok_or_else(|| {
                at(
                    &t.file,
                    *line,
                    "importer_applied_tariff",
                    "expected a fraction, found an empty cell",
                )
            })?;
        let e = zero
            .entry((row[c_e].clone(), row[c_i].clone()))
            .or_insert(true);
        *e &= tariff <= ZERO_2014;
    }
    Ok(pattern_of(&zero))
}

/// The pattern from each pair's all-manufacturing-zero flag (see [`read_zero_pattern`]).
fn pattern_of(zero: &std::collections::BTreeMap<(String, String), bool>) -> ZeroPattern {
    let eu: Vec<&str> = crate::registry::group(EU27).unwrap_or_default();
    let is_eu = |c: &str| eu.contains(&c);
    let mut out = ZeroPattern::default();
    let skip = |e: &str, i: &str| {
        e == "USA" || i == "USA" || e == "ROW" || i == "ROW" || (is_eu(e) && is_eu(i))
    };
    let artefact = |e: &str, i: &str| i == "CHE" || e == "BRA" || i == "BRA";
    // Majority over the EU members of the source for one non-EU partner and one direction.
    let eu_majority = |partner: &str, eu_exports: bool| {
        let (mut yes, mut all) = (0usize, 0usize);
        for ((e, i), z) in zero {
            let hit = if eu_exports {
                i == partner && is_eu(e)
            } else {
                e == partner && is_eu(i)
            };
            if hit {
                all += 1;
                yes += usize::from(*z);
            }
        }
        all > 0 && 2 * yes > all
    };
    for ((e, i), z) in zero {
        if !*z || skip(e, i) {
            continue;
        }
        if artefact(e, i) {
            out.artefacts += 1;
            continue;
        }
        if is_eu(e) || is_eu(i) {
            continue; // decided below, by the EU's majority
        }
        out.pairs.insert((e.clone(), i.clone()));
    }
    let partners: BTreeSet<&String> = zero
        .keys()
        .flat_map(|(e, i)| [e, i])
        .filter(|c| !is_eu(c) && !skip(c, c) && *c != "BRA")
        .collect();
    for p in partners {
        for (eu_exports, ok) in [(true, p != "CHE"), (false, true)] {
            if !ok || !eu_majority(p, eu_exports) {
                continue;
            }
            for m in &eu {
                let pair = if eu_exports {
                    (m.to_string(), p.clone())
                } else {
                    (p.clone(), m.to_string())
                };
                out.pairs.insert(pair);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_registry_parses_and_dates_the_agreements() {
        let a = Agreements::embedded().unwrap();
        assert!(a.list.len() >= 30);
        // CPTPP: Japan-Canada from 2018-12-30, not before; Vietnam joined 2019-01-14.
        assert_eq!(a.covering("JPN", "CAN", "2018-12-30").unwrap().id, "cptpp");
        assert!(a.covering("JPN", "CAN", "2018-12-29").is_none());
        assert!(a.covering("VNM", "CAN", "2019-01-13").is_none());
        assert_eq!(a.covering("VNM", "CAN", "2019-01-14").unwrap().id, "cptpp");
        // Intra-EU, both ways; Croatia from its accession.
        assert_eq!(
            a.covering("DEU", "FRA", "2024-12-31").unwrap().kind,
            "customs_union"
        );
        assert!(a.covering("HRV", "DEU", "2013-06-30").is_none());
        assert!(a.covering("HRV", "DEU", "2013-07-01").is_some());
        // EU-Japan from 2019-02-01; the UK left the EU customs union, the TCA took over.
        assert_eq!(
            a.covering("JPN", "ITA", "2019-02-01").unwrap().id,
            "eu-japan-epa"
        );
        assert_eq!(
            a.covering("GBR", "DEU", "2024-12-31").unwrap().id,
            "eu-uk-tca"
        );
        // No agreement between China and India, nor between the EU and India.
        assert!(a.covering("CHN", "IND", "2024-12-31").is_none());
        assert!(a.covering("DEU", "IND", "2024-12-31").is_none());
    }

    #[test]
    fn a_bad_registry_entry_names_the_agreement_and_the_field() {
        let text = r#"
[[agreement]]
id = "x"
name = "X"
kind = "fta"
in_force = 2020-01-01
members = ["JPN", "ATLANTIS"]
source = "https://example.org"
verified = true
"#;
        let err = Agreements::parse("t.toml", text).unwrap_err().to_string();
        assert!(
            err.contains("t.toml") && err.contains("agreement x: members"),
            "{err}"
        );
        assert!(err.contains("ATLANTIS"), "{err}");
        let unknown = text.replace("kind = \"fta\"", "kind = \"fta\"\nrate = 3");
        let err = Agreements::parse("t.toml", &unknown)
            .unwrap_err()
            .to_string();
        assert!(err.contains("rate"), "{err}");
        // `verified` is required: no date passes for checked by default.
        let fixed = text.replace("\"ATLANTIS\"", "\"KOR\"");
        assert!(Agreements::parse("t.toml", &fixed).unwrap().list[0].verified);
        let silent = fixed.replace("verified = true\n", "");
        let err = Agreements::parse("t.toml", &silent)
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.toml") && err.contains("verified"), "{err}");
    }

    #[test]
    fn every_entry_has_a_source_and_the_unchecked_ones_are_listed() {
        let a = Agreements::embedded().unwrap();
        // Each date was checked against the page in its `source` (2026-12-03) but one: no page
        // reached gives the UK-Singapore agreement's entry into force.
        assert_eq!(a.unverified(), ["uk-singapore"]);
        for ag in &a.list {
            assert!(ag.source.starts_with("http"), "{}", ag.id);
        }
        let text = AGREEMENTS_TOML.replace(
            "in_force = 2004-05-01\nsource = \"http://ec.europa.eu/enlargement/5th_enlargement/index_en.htm\"\nverified = true",
            "in_force = 2004-05-01\nsource = \"http://ec.europa.eu/enlargement/5th_enlargement/index_en.htm\"\nverified = false",
        );
        let b = Agreements::parse("t.toml", &text).unwrap();
        // The ten members of 2004 share that source and date: each is listed, then uk-singapore.
        assert_eq!(b.unverified().len(), 11);
        assert_eq!(b.unverified()[0], "eu-customs-union:CYP");
        // Corrected on checking: Kyrgyzstan's accession to the EAEU took effect on 2015-08-06.
        assert!(a.covering("KGZ", "RUS", "2015-08-05").is_none());
        assert_eq!(a.covering("KGZ", "RUS", "2015-08-06").unwrap().id, "eaeu");
    }

    #[test]
    fn the_2014_pattern_keeps_agreements_and_drops_the_sources_artefacts() {
        let mut zero = std::collections::BTreeMap::new();
        let eu = crate::registry::group(EU27).unwrap();
        for m in &eu {
            // Every EU member imports duty-free from Mexico but Luxembourg (an artefact).
            zero.insert(("MEX".to_string(), m.to_string()), *m != "LUX");
            // Brazil's zeros with the EU are an artefact of the source.
            zero.insert((m.to_string(), "BRA".to_string()), true);
        }
        zero.insert(("KOR".into(), "NOR".into()), true);
        zero.insert(("DEU".into(), "CHE".into()), true);
        zero.insert(("CHN".into(), "JPN".into()), false);
        let p = pattern_of(&zero);
        assert!(p.pairs.contains(&("MEX".into(), "LUX".into())));
        assert!(p.pairs.contains(&("KOR".into(), "NOR".into())));
        assert!(!p.pairs.contains(&("DEU".into(), "BRA".into())));
        assert!(!p.pairs.contains(&("DEU".into(), "CHE".into())));
        assert!(!p.pairs.contains(&("CHN".into(), "JPN".into())));
        assert_eq!(p.artefacts, eu.len() + 1);
    }
}
