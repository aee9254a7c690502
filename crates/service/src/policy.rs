//! The US tariff registry and the 2024 import weights: what the timeline of the average US
//! tariff, the tariffs in force and the no-deal rates are computed from. Loading the registry
//! (embedded or from files), the weights (embedded Census partner totals; HS detail from
//! `../shared/data/tariffs_hs2` when it is there, else from the compiled-in Census HS8 table) and
//! the USMCA assumptions.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reciprocity_policy::effective::{
    timeline, Assumptions, ImportRow, PartnerImports, TimelinePoint,
};
use reciprocity_policy::{KnownPartners, Product, Registry};

use crate::{Result, ServiceError};

/// The default USMCA-qualifying shares: implied by the peer's modelled fentanyl-duty coverage
/// (TWT `country-by-time.csv` on 2025-03-06: Canada 8.75 = 25 x 0.35, Mexico 4.5 = 25 x 0.18).
pub const DEFAULT_USMCA_SHARES: [(&str, f64); 2] = [("CAN", 0.65), ("MEX", 0.82)];

/// The partner codes the country registry knows (ISO3 and `EUU`).
pub fn known_partners() -> KnownPartners {
    KnownPartners::from_codes(
        reciprocity_data::registry::all()
            .iter()
            .map(|c| c.iso3.clone()),
    )
}

/// The embedded registry, or the file / directory at `path`, validated against the country
/// registry. Every problem of a file is [`ServiceError::BadInput`] naming the file.
pub fn load_registry(path: Option<&Path>) -> Result<Registry> {
    let known = known_partners();
    let result = match path {
        None => return embedded_registry(),
        Some(path) => {
            let mut files: Vec<PathBuf> = if path.is_dir() {
                let mut v: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(|e| {
                        ServiceError::bad_input(format!("reading {}: {e}", path.display()))
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                v.sort();
                v
            } else {
                vec![path.to_path_buf()]
            };
            if files.is_empty() {
                return Err(ServiceError::bad_input(format!(
                    "{}: no .toml registry files",
                    path.display()
                )));
            }
            let mut texts = Vec::new();
            for f in files.drain(..) {
                let text = std::fs::read_to_string(&f)
                    .map_err(|e| ServiceError::bad_input(format!("{}: {e}", f.display())))?;
                texts.push((f.display().to_string(), text));
            }
            let refs: Vec<(&str, &str)> = texts
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            Registry::parse(&refs, &known)
        }
    };
    result.map_err(|e| ServiceError::bad_input(e.to_string()))
}

/// The embedded registry, parsed and validated once per process (every API request that asks
/// for a rate would parse it again otherwise) and cloned for each caller.
fn embedded_registry() -> Result<Registry> {
    static CELL: std::sync::OnceLock<std::result::Result<Registry, String>> =
        std::sync::OnceLock::new();
    CELL.get_or_init(|| reciprocity_policy::embedded(&known_partners()).map_err(|e| e.to_string()))
        .clone()
        .map_err(ServiceError::bad_input)
}

/// The shared data folder when none is named: $RECIPROCITY_SHARED_DATA, else `../shared/data`,
/// whichever has a `tariffs_hs2/` folder; `None` when neither has.
pub fn find_shared_dir() -> Option<PathBuf> {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("../shared/data")])
        .find(|dir| dir.join("tariffs_hs2").is_dir())
}

/// The default assumptions: the USMCA-qualifying shares of [`DEFAULT_USMCA_SHARES`].
pub fn default_assumptions() -> Assumptions {
    let mut a = Assumptions::default();
    for (iso3, share) in DEFAULT_USMCA_SHARES {
        a.usmca_qualifying_share.insert(iso3.into(), share);
    }
    a
}

/// Import weights and what they are made of.
#[derive(Debug, Clone)]
pub struct Weights {
    /// One entry per Census partner (232), with HS rows when available.
    pub imports: Vec<PartnerImports>,
    /// Where the HS detail came from (`None`: partner totals only).
    pub hs_source: Option<String>,
    /// Partners with HS detail.
    pub hs_partners: usize,
    /// Rows left out of the HS detail (chapters 98/99 and unknown codes), and their value (USD).
    pub dropped_rows: usize,
    /// Value of those rows, USD.
    pub dropped_usd: f64,
}

#[derive(Debug, serde::Deserialize)]
struct Hs2Row {
    iso3: String,
    census_cty_code: String,
    hs2: String,
    us_imports_2024_usd: f64,
    us_calc_duty_2024_usd: f64,
}

#[derive(Debug, serde::Deserialize)]
struct Hs8Row {
    iso3: String,
    hs8: String,
    us_imports_2024_usd: f64,
    us_calc_duty_2024_usd: f64,
}

fn read_csv<T: for<'de> serde::Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| ServiceError::bad_input(format!("{}: {e}", path.display())))?;
    let mut rows = Vec::new();
    for (i, rec) in reader.deserialize::<T>().enumerate() {
        rows.push(
            rec.map_err(|e| ServiceError::bad_input(format!("{}:{}: {e}", path.display(), i + 2)))?,
        );
    }
    Ok(rows)
}

/// Headings of one chapter with their imports and duties (USD).
type HeadingSplit = Vec<(u16, f64, f64)>;

/// 2024 import weights: the embedded Census partner totals, split by HS heading: with the shared
/// `tariffs_hs2` files, HS8 for 50 partners and the EU, HS2 for the rest, with headings inside a
/// chapter split like the partner's own HS8, the EU's for EU members, or all 51's; without them,
/// the compiled-in HS8 table ([`embedded_weights`]).
pub fn load_weights(shared: Option<&Path>) -> Result<Weights> {
    let mut imports: Vec<PartnerImports> = reciprocity_data::embedded::census_2024()
        .iter()
        .map(|c| PartnerImports {
            partner: c.iso3.clone(),
            value: c.imports_usd,
            rows: Vec::new(),
        })
        .collect();
    let Some(dir) = shared else {
        return embedded_weights(imports);
    };
    let hs2_path = dir.join("tariffs_hs2/hs2_us_tariffs_by_partner_2025-09-22_aug2025-regime.csv");
    let hs8_path = dir.join("tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv");
    let hs2: Vec<Hs2Row> = read_csv(&hs2_path)?;
    let hs8: Vec<Hs8Row> = read_csv(&hs8_path)?;
    let mut dropped = Dropped::default();
    // (partner, heading) -> (value, duty), from HS8.
    let by_heading = headings_of(&hs8, &mut dropped);
    let hs8_partners: std::collections::BTreeSet<String> =
        by_heading.keys().map(|(p, _)| p.clone()).collect();
    let chapter_split = chapter_splits(&by_heading);
    let eu: Vec<&'static str> = reciprocity_data::registry::group("EU27").unwrap_or_default();
    let index: HashMap<String, usize> = imports
        .iter()
        .enumerate()
        .map(|(i, p)| (p.partner.clone(), i))
        .collect();
    // Partners with their own HS8: heading rows directly.
    for ((p, h), (v, d)) in &by_heading {
        if p == "EUU" || *v <= 0.0 {
            continue;
        }
        if let Some(&i) = index.get(p) {
            let mfn = if *v > 0.0 { Some(100.0 * d / v) } else { None };
            imports[i].rows.push(ImportRow {
                product: Product::Heading(*h),
                value: *v,
                mfn_pct: mfn,
            });
        }
    }
    // Everyone else: HS2 rows split into headings.
    for r in &hs2 {
        if r.iso3 == "EUU" || r.census_cty_code == "0003" || hs8_partners.contains(&r.iso3) {
            continue;
        }
        let Some(&i) = index.get(&r.iso3) else {
            dropped.add(r.us_imports_2024_usd);
            continue;
        };
        let Ok(Product::Chapter(chapter)) = Product::parse(&r.hs2) else {
            dropped.add(r.us_imports_2024_usd);
            continue;
        };
        if r.us_imports_2024_usd > 0.0 {
            imports[i]
                .rows
                .extend(split_chapter(r, chapter, &chapter_split, &eu));
        }
    }
    let (dropped_rows, dropped_usd) = (dropped.rows, dropped.usd);
    let hs_partners = imports.iter().filter(|p| !p.rows.is_empty()).count();
    Ok(Weights {
        imports,
        hs_source: Some(format!("{} and {}", hs8_path.display(), hs2_path.display())),
        hs_partners,
        dropped_rows,
        dropped_usd,
    })
}

/// The Census 2024 HS8 table compiled into the binary (`crates/policy/embedded/product/`).
const EMBEDDED_HS8: &str = "us_imports_2024_hs8_by_partner_51.csv";

/// The HS detail without `../shared`: the compiled-in Census 2024 HS8 table for its 50 partners
/// and the EU; every other partner's 2024 total spread over headings like the EU's (EU members,
/// at the EU's duty rates, as the shared path does) or like the 50 partners' together without
/// China (whose 2024 duties include Section 301), at their duty rates: the shared path has each
/// partner's own chapters, this one does not.
fn embedded_weights(mut imports: Vec<PartnerImports>) -> Result<Weights> {
    let text = reciprocity_policy::product::embedded::texts(&[EMBEDDED_HS8])?
        .pop()
        .unwrap_or_default();
    let hs8: Vec<Hs8Row> = csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| ServiceError::bad_input(format!("embedded {EMBEDDED_HS8}: {e}")))?;
    let mut dropped = Dropped::default();
    let by_heading = headings_of(&hs8, &mut dropped);
    // Heading mixes: the EU's, and the reference one (every HS8 partner but China and the EU
    // aggregate, whose members are not in it).
    let mut mix: BTreeMap<(&str, u16), (f64, f64)> = BTreeMap::new();
    for ((p, h), (v, d)) in &by_heading {
        let key = match p.as_str() {
            "EUU" => "EUU",
            "CHN" => continue,
            _ => "REF",
        };
        let e = mix.entry((key, *h)).or_default();
        e.0 += v;
        e.1 += d;
    }
    let eu: Vec<&'static str> = reciprocity_data::registry::group("EU27").unwrap_or_default();
    for partner in imports.iter_mut().filter(|p| p.value > 0.0) {
        let own: Vec<ImportRow> = by_heading
            .range((partner.partner.clone(), 0)..=(partner.partner.clone(), u16::MAX))
            .filter(|(_, (v, _))| *v > 0.0)
            .map(|((_, h), (v, d))| ImportRow {
                product: Product::Heading(*h),
                value: *v,
                mfn_pct: Some(100.0 * d / v),
            })
            .collect();
        if !own.is_empty() {
            partner.rows = own;
            continue;
        }
        let key = if eu.contains(&partner.partner.as_str()) {
            "EUU"
        } else {
            "REF"
        };
        let total: f64 = mix
            .range((key, 0)..=(key, u16::MAX))
            .map(|(_, x)| x.0)
            .sum();
        partner.rows = mix
            .range((key, 0)..=(key, u16::MAX))
            .filter(|(_, (v, _))| *v > 0.0 && total > 0.0)
            .map(|((_, h), (v, d))| ImportRow {
                product: Product::Heading(*h),
                value: partner.value * v / total,
                mfn_pct: Some(100.0 * d / v),
            })
            .collect();
    }
    let hs_partners = imports.iter().filter(|p| !p.rows.is_empty()).count();
    Ok(Weights {
        imports,
        hs_source: Some(format!(
            "the compiled-in Census 2024 HS8 table ({EMBEDDED_HS8}: 50 partners and the EU); other partners' totals spread over headings like the EU's for EU members, like the 50 without China for the rest"
        )),
        hs_partners,
        dropped_rows: dropped.rows,
        dropped_usd: dropped.usd,
    })
}

/// Rows left out of the weights, and their imports.
#[derive(Default)]
struct Dropped {
    rows: usize,
    usd: f64,
}

impl Dropped {
    fn add(&mut self, usd: f64) {
        self.rows += 1;
        self.usd += usd;
    }
}

/// HS8 imports and duties summed by (partner, heading); rows that are not an HS8 line are dropped.
fn headings_of(hs8: &[Hs8Row], dropped: &mut Dropped) -> BTreeMap<(String, u16), (f64, f64)> {
    let mut by_heading: BTreeMap<(String, u16), (f64, f64)> = BTreeMap::new();
    for r in hs8 {
        match Product::parse(&r.hs8) {
            Ok(Product::Heading(h)) => {
                let e = by_heading.entry((r.iso3.clone(), h)).or_default();
                e.0 += r.us_imports_2024_usd;
                e.1 += r.us_calc_duty_2024_usd;
            }
            _ => dropped.add(r.us_imports_2024_usd),
        }
    }
    by_heading
}

/// Heading shares within a chapter: per HS8 partner, and over all of them ("ALL").
fn chapter_splits(
    by_heading: &BTreeMap<(String, u16), (f64, f64)>,
) -> HashMap<(String, u16), HeadingSplit> {
    let mut chapter_split: HashMap<(String, u16), HeadingSplit> = HashMap::new();
    for ((p, h), (v, d)) in by_heading {
        for key in [p.clone(), "ALL".to_string()] {
            let list = chapter_split.entry((key, h / 100)).or_default();
            match list.iter_mut().find(|x| x.0 == *h) {
                Some(x) => {
                    x.1 += v;
                    x.2 += d;
                }
                None => list.push((*h, *v, *d)),
            }
        }
    }
    chapter_split
}

/// An HS2 row split into headings like the EU's HS8 (for EU members) or all HS8 partners', or
/// kept whole when no partner's HS8 has the chapter.
fn split_chapter(
    r: &Hs2Row,
    chapter: u16,
    chapter_split: &HashMap<(String, u16), HeadingSplit>,
    eu: &[&str],
) -> Vec<ImportRow> {
    let chapter_mfn = Some(100.0 * r.us_calc_duty_2024_usd / r.us_imports_2024_usd);
    let split_key = if eu.contains(&r.iso3.as_str()) {
        "EUU"
    } else {
        "ALL"
    };
    let Some(list) = chapter_split.get(&(split_key.to_string(), chapter)) else {
        return vec![ImportRow {
            product: Product::Chapter(chapter),
            value: r.us_imports_2024_usd,
            mfn_pct: chapter_mfn,
        }];
    };
    let total: f64 = list.iter().map(|x| x.1).sum();
    let mut rows = Vec::new();
    for (h, v, d) in list {
        if total <= 0.0 || *v <= 0.0 {
            continue;
        }
        // EU members share the EU's MFN schedule: the EU's heading duty rate is theirs.
        let mfn = if split_key == "EUU" {
            Some(100.0 * d / v)
        } else {
            chapter_mfn
        };
        rows.push(ImportRow {
            product: Product::Heading(*h),
            value: r.us_imports_2024_usd * v / total,
            mfn_pct: mfn,
        });
    }
    rows
}

/// Everything the timeline of the average US tariff needs, loaded once.
pub struct TariffTimeline {
    /// The registry.
    pub registry: Registry,
    /// The import weights.
    pub weights: Weights,
    /// The assumptions.
    pub assumptions: Assumptions,
}

impl TariffTimeline {
    /// The embedded registry with the default assumptions, weighted by the embedded Census
    /// partner totals and, when `shared` is given, the HS detail of `shared/tariffs_hs2`.
    pub fn load(shared: Option<&Path>) -> Result<TariffTimeline> {
        Ok(TariffTimeline {
            registry: load_registry(None)?,
            weights: load_weights(shared)?,
            assumptions: default_assumptions(),
        })
    }

    /// The import-weighted average US tariff from `from` to `to`, one point per change.
    pub fn series(&self, from: NaiveDate, to: NaiveDate) -> Vec<TimelinePoint> {
        timeline(
            &self.registry,
            from,
            to,
            &self.weights.imports,
            &self.assumptions,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_registry_is_parsed_once_and_handed_out_whole() {
        let a = load_registry(None).expect("the embedded registry");
        let b = load_registry(None).expect("the embedded registry");
        assert!(a.measures.len() > 20, "{} measures", a.measures.len());
        let ids = |r: &Registry| r.measures.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
    }
}
