//! What partners really charge: the tariff tables of `partner_tariffs/` (WITS bilateral on US goods,
//! WDI, WTO), all in the long layout `iso3,country_name,indicator,year,value_pct,source`, and two
//! headline figures per economy, also embedded for the report.

use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::table::{at, number, Table};
use crate::Error;

/// WITS: the partner's effectively applied tariff on US goods, simple average over all HS6.
pub const SIMPLE_ON_US: &str = "PARTNER_AHS_ON_US_SIMPLE_AVG_ALL_HS6";
/// WDI: the partner's applied tariff, import-weighted mean over all products and all origins.
pub const WEIGHTED_ALL: &str = "TM.TAX.MRCH.WM.AR.ZS";

/// One row of a `partner_tariffs/` table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    /// ISO3 of the economy applying the tariff (`EUU` for the EU).
    pub iso3: String,
    /// The indicator code.
    pub indicator: String,
    /// The tariff year of the value.
    pub year: i32,
    /// The value in percent.
    pub value_pct: f64,
    /// The source key.
    pub source: String,
}

/// Two headline figures of what an economy charges.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PartnerHeadline {
    /// ISO3 (`EUU` for the EU).
    pub iso3: String,
    /// WITS: applied tariff on US goods, simple average of HS6, percent.
    pub simple_on_us_pct: Option<f64>,
    /// Its year.
    pub simple_year: Option<i32>,
    /// WDI: applied tariff, trade-weighted over all origins, percent.
    pub weighted_all_pct: Option<f64>,
    /// Its year.
    pub weighted_year: Option<i32>,
}

/// Read every row of one long-layout table. Unknown ISO3 codes are errors.
pub fn read_table(path: &Path) -> Result<Vec<IndicatorRow>, Error> {
    let t = Table::read(path)?;
    t.require_rows()?;
    let (c_iso, c_ind, c_year, c_val, c_src) = (
        t.col("iso3")?,
        t.col("indicator")?,
        t.col("year")?,
        t.col("value_pct")?,
        t.col("source")?,
    );
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let iso = row[c_iso].to_ascii_uppercase();
        if crate::registry::country(&iso).map(|c| c.iso3.as_str()) != Some(iso.as_str()) {
            return Err(at(
                &t.file,
                *line,
                "iso3",
                format!("expected a known ISO3 code, found {:?}", row[c_iso]),
            ));
        }
        let year = row[c_year].parse::<i32>().map_err(|_| {
            at(
                &t.file,
                *line,
                "year",
                format!("expected a year, found {:?}", row[c_year]),
            )
        })?;
        let value = number(&t.file, *line, "value_pct", &row[c_val])?.ok_or_else(|| {
            at(
                &t.file,
                *line,
                "value_pct",
                "expected a number, found an empty cell",
            )
        })?;
        out.push(IndicatorRow {
            iso3: iso,
            indicator: row[c_ind].clone(),
            year,
            value_pct: value,
            source: row[c_src].clone(),
        });
    }
    Ok(out)
}

/// Whether a folder looks like `partner_tariffs/`.
pub fn is_partner_tariffs_dir(dir: &Path) -> bool {
    dir.join("wits_bilateral_tariffs_us_2022.csv").is_file()
}

/// Read every `*.csv` of a `partner_tariffs/` folder; per file: (file name, rows, distinct indicators,
/// distinct economies). Fails on the first bad row (file:line: field: expected, found).
pub fn check_folder(dir: &Path) -> Result<Vec<(String, usize, usize, usize)>, Error> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|cause| Error::Io {
            file: dir.display().to_string(),
            cause,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let rows = read_table(&f)?;
        let mut ind: Vec<&str> = rows.iter().map(|r| r.indicator.as_str()).collect();
        ind.sort();
        ind.dedup();
        let mut eco: Vec<&str> = rows.iter().map(|r| r.iso3.as_str()).collect();
        eco.sort();
        eco.dedup();
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((name, rows.len(), ind.len(), eco.len()));
    }
    Ok(out)
}

/// The headline figures from a `partner_tariffs/` folder (WITS bilateral and WDI files), sorted by ISO3.
pub fn load_headline(dir: &Path) -> Result<Vec<PartnerHeadline>, Error> {
    let wits = read_table(&dir.join("wits_bilateral_tariffs_us_2022.csv"))?;
    let wdi = read_table(&dir.join("wdi_applied_mfn_tariff_latest.csv"))?;
    let mut out: Vec<PartnerHeadline> = Vec::new();
    let mut slot = |iso: &str| -> usize {
        match out.iter().position(|h| h.iso3 == iso) {
            Some(i) => i,
            None => {
                out.push(PartnerHeadline {
                    iso3: iso.to_string(),
                    simple_on_us_pct: None,
                    simple_year: None,
                    weighted_all_pct: None,
                    weighted_year: None,
                });
                out.len() - 1
            }
        }
    };
    let mut pairs = Vec::new();
    for r in wits.iter().filter(|r| r.indicator == SIMPLE_ON_US) {
        pairs.push((slot(&r.iso3), true, r.value_pct, r.year));
    }
    for r in wdi.iter().filter(|r| r.indicator == WEIGHTED_ALL) {
        pairs.push((slot(&r.iso3), false, r.value_pct, r.year));
    }
    for (i, simple, v, y) in pairs {
        if simple {
            out[i].simple_on_us_pct = Some(v);
            out[i].simple_year = Some(y);
        } else {
            out[i].weighted_all_pct = Some(v);
            out[i].weighted_year = Some(y);
        }
    }
    out.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    Ok(out)
}

/// The same headline figures, embedded (generated by `scripts/gen_embedded.py`).
pub fn embedded_headline() -> &'static [PartnerHeadline] {
    static CELL: OnceLock<Vec<PartnerHeadline>> = OnceLock::new();
    CELL.get_or_init(|| {
        crate::table::parse_table(
            "partner_tariffs_headline.csv",
            include_str!("../embedded/partner_tariffs_headline.csv"),
        )
        .unwrap_or_else(|e| panic!("bug in embedded table: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_headline_values() {
        let h = embedded_headline();
        assert_eq!(h.len(), 198);
        let chn = h.iter().find(|r| r.iso3 == "CHN").unwrap();
        // PROVENANCE sanity table: China MFN simple ≈ 7.4 (WITS 2022).
        assert_eq!(chn.simple_on_us_pct, Some(7.435));
        assert_eq!(chn.weighted_all_pct, Some(2.18));
        let eu = h.iter().find(|r| r.iso3 == "EUU").unwrap();
        assert_eq!(eu.simple_on_us_pct, Some(5.277));
        for r in h {
            assert!(crate::registry::country(&r.iso3).is_some(), "{}", r.iso3);
            assert_eq!(r.simple_on_us_pct.is_some(), r.simple_year.is_some());
        }
    }
}
