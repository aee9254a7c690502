//! US imports by partner and sector: the built world against Census 2024 HS8 imports mapped to
//! ICIO sectors (HS6 → ISIC Rev. 4 → ICIO group), for the validation table.
//!
//! The HS6 → ISIC map is the `concordance` R package's, with the fixes of `icio2022/README.md`:
//! HS 8471/8473/8517 are electronics (C26); ISIC 33xx (repair) is dropped where an HS6 has another
//! code; ISIC 2410 and 2431 are C24A, the rest of 24 is C24B; and one of ours: HS chapter 30
//! (pharmaceutical products) is C21. An HS6 with several ICIO sectors is split equally among them
//! (assumption: the concordance gives no weights).

use std::collections::HashMap;
use std::path::Path;

use reciprocity_model::Dataset;

use super::sectors::{SectorMap, ICIO_SECTORS};
use crate::table::{at, number, Table};
use crate::Error;

/// One partner: sector correlation between the built world and Census.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorCorrelation {
    /// ISO3 (`EUU`: the EU27 members of the world summed).
    pub iso3: String,
    /// Census 2024 imports from it over mapped HS8 lines, million USD.
    pub census_musd: f64,
    /// Pearson correlation over the model's goods sectors of built vs Census US imports.
    pub correlation: f64,
    /// The same before the re-balancing to Census by sector (the sourcing-share estimate with
    /// partner totals unscaled), when known: the independent check.
    pub correlation_before: Option<f64>,
}

/// The by-sector check.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorValidation {
    /// The 10 largest partners of the HS8 file present in the world.
    pub partners: Vec<SectorCorrelation>,
    /// HS8 rows whose HS6 has no ICIO goods sector (count, million USD): left out of the check.
    pub unmapped: (usize, f64),
}

/// The ICIO group of an ISIC Rev. 4 class (4 digits), `None` outside the goods and utilities map.
fn icio_of_isic(isic: &str) -> Option<&'static str> {
    let d2: u32 = isic.get(..2)?.parse().ok()?;
    let d3: u32 = isic.get(..3)?.parse().ok()?;
    Some(match d2 {
        1 => "A01",
        2 => "A02",
        3 => "A03",
        5 => "B05",
        6 => "B06",
        7 => "B07",
        8 => "B08",
        9 => "B09",
        10..=12 => "C10T12",
        13..=15 => "C13T15",
        16 => "C16",
        17 | 18 => "C17_18",
        19 => "C19",
        20 => "C20",
        21 => "C21",
        22 => "C22",
        23 => "C23",
        24 if isic == "2410" || isic == "2431" => "C24A",
        24 => "C24B",
        25 => "C25",
        26 => "C26",
        27 => "C27",
        28 => "C28",
        29 => "C29",
        30 if d3 == 301 => "C301",
        30 => "C302T309",
        31..=33 => "C31T33",
        35 => "D",
        36..=39 => "E",
        58..=60 => "J58T60",
        _ => return None,
    })
}

/// HS6 → (ICIO sector index, share), from the concordance file with the README's fixes.
pub(crate) fn hs6_map(file: &Path) -> Result<HashMap<String, Vec<(usize, f64)>>, Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let (c_h, c_i) = (t.col("HS_6d")?, t.col("ISIC4_4d")?);
    let mut codes: HashMap<String, Vec<String>> = HashMap::new();
    for (line, row) in &t.rows {
        let hs = &row[c_h];
        if hs.len() != 6 || !hs.bytes().all(|b| b.is_ascii_digit()) {
            return Err(at(
                &t.file,
                *line,
                "HS_6d",
                format!("expected 6 digits, found {hs:?}"),
            ));
        }
        codes.entry(hs.clone()).or_default().push(row[c_i].clone());
    }
    let mut out = HashMap::with_capacity(codes.len());
    for (hs, isics) in codes {
        let mut sectors: Vec<&str> = if ["8471", "8473", "8517"].contains(&&hs[..4]) {
            vec!["C26"]
        } else if &hs[..2] == "30" {
            // Our fix: the concordance lists ISIC 3250 (medical instruments) beside 2100 for
            // medicaments (HS 3002, 3004); an equal split put half of pharmaceuticals in C31T33.
            vec!["C21"]
        } else {
            let not_repair: Vec<&String> = isics.iter().filter(|c| !c.starts_with("33")).collect();
            let kept = if not_repair.is_empty() {
                isics.iter().collect()
            } else {
                not_repair
            };
            kept.into_iter().filter_map(|c| icio_of_isic(c)).collect()
        };
        sectors.sort_unstable();
        sectors.dedup();
        if sectors.is_empty() {
            continue;
        }
        let share = 1.0 / sectors.len() as f64;
        let v = sectors
            .iter()
            .filter_map(|s| ICIO_SECTORS.iter().position(|c| c == s))
            .map(|s| (s, share))
            .collect();
        out.insert(hs, v);
    }
    Ok(out)
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va > 0.0 && vb > 0.0 {
        cov / (va * vb).sqrt()
    } else {
        0.0
    }
}

/// Census 2024 US imports by partner and ICIO sector (the 50 of [`ICIO_SECTORS`]), million USD,
/// from the HS8 file mapped through the concordance; the HS8 rows without a goods sector are
/// counted apart.
#[derive(Debug, Clone, PartialEq)]
pub struct CensusBySector {
    /// ISO3 (`EUU` for the EU aggregate of the file) → imports by ICIO sector.
    pub by_partner: HashMap<String, Vec<f64>>,
    /// HS8 rows whose HS6 has no ICIO goods sector (count, million USD).
    pub unmapped: (usize, f64),
}

impl CensusBySector {
    /// Read `hs8_file` (columns `iso3,hs8,us_imports_2024_usd`) and map it with `concordance`
    /// (`HS_6d,ISIC4_4d`).
    pub fn read(hs8_file: &Path, concordance: &Path) -> Result<CensusBySector, Error> {
        let hs6 = hs6_map(concordance)?;
        let t = Table::read(hs8_file)?;
        t.require_rows()?;
        let (c_c, c_h, c_v) = (t.col("iso3")?, t.col("hs8")?, t.col("us_imports_2024_usd")?);
        let mut by_partner: HashMap<String, Vec<f64>> = HashMap::new();
        let mut unmapped = (0usize, 0.0);
        for (line, row) in &t.rows {
            let v = number(&t.file, *line, "us_imports_2024_usd", &row[c_v])?.unwrap_or(0.0) / 1e6;
            let Some(shares) = row[c_h].get(..6).and_then(|h| hs6.get(h)) else {
                unmapped.0 += 1;
                unmapped.1 += v;
                continue;
            };
            let entry = by_partner
                .entry(row[c_c].clone())
                .or_insert_with(|| vec![0.0; ICIO_SECTORS.len()]);
            for (s, share) in shares {
                entry[*s] += v * share;
            }
        }
        Ok(CensusBySector {
            by_partner,
            unmapped,
        })
    }

    /// A partner's imports on the world's sectors (`map`), million USD.
    fn on_map(&self, iso3: &str, map: &SectorMap, k: usize) -> Option<Vec<f64>> {
        let icio = self.by_partner.get(iso3)?;
        let mut out = vec![0.0; k];
        for (s, v) in icio.iter().enumerate() {
            out[map.of_icio[s]] += v;
        }
        Some(out)
    }
}

/// Compare the built world's US imports by sector with Census HS8 imports (`census`) for the 10
/// largest partners. Sectors are the world's sectors that hold at least one goods ICIO sector.
/// `before`, when given, is the US import column before the re-balancing (`[exporter][ICIO
/// sector]`, the 80 economies), compared the same way: the independent check, since the
/// re-balancing targets Census by sector.
pub fn check_us_imports_by_sector(
    world: &Dataset,
    map: &SectorMap,
    census: &CensusBySector,
    before: Option<&[f64]>,
) -> Result<SectorValidation, Error> {
    let k = world.n_sectors();
    let goods_sectors: Vec<usize> = (0..k)
        .filter(|&s| map.members(s).iter().any(|c| super::sectors::is_goods(c)))
        .collect();
    let us = world
        .country_index("USA")
        .ok_or_else(|| Error::Invalid("the world has no USA".into()))?;
    let eu27 = crate::registry::group("EU27").unwrap_or_default();
    let members = |iso: &str| -> Vec<usize> {
        if iso == "EUU" {
            eu27.iter().filter_map(|c| world.country_index(c)).collect()
        } else {
            world.country_index(iso).into_iter().collect()
        }
    };
    let mut ranked: Vec<(&String, f64)> = census
        .by_partner
        .iter()
        .filter(|(iso, _)| !members(iso).is_empty())
        .map(|(iso, v)| (iso, v.iter().sum()))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let ns = ICIO_SECTORS.len();
    let partners = ranked
        .into_iter()
        .take(10)
        .map(|(iso, total)| {
            let from = members(iso);
            let on_map = census.on_map(iso, map, k).unwrap_or_else(|| vec![0.0; k]);
            let cen: Vec<f64> = goods_sectors.iter().map(|&s| on_map[s]).collect();
            let built: Vec<f64> = goods_sectors
                .iter()
                .map(|&s| from.iter().map(|&j| world.flow_table().get(s, j, us)).sum())
                .collect();
            let correlation_before = before.map(|b| {
                let mut agg = vec![0.0; k];
                for &j in from.iter().filter(|&&j| (j + 1) * ns <= b.len()) {
                    for (s, v) in b[j * ns..(j + 1) * ns].iter().enumerate() {
                        agg[map.of_icio[s]] += v;
                    }
                }
                let agg: Vec<f64> = goods_sectors.iter().map(|&s| agg[s]).collect();
                pearson(&agg, &cen)
            });
            SectorCorrelation {
                iso3: iso.clone(),
                census_musd: total,
                correlation: pearson(&built, &cen),
                correlation_before,
            }
        })
        .collect();
    Ok(SectorValidation {
        partners,
        unmapped: census.unmapped,
    })
}
