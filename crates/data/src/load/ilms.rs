//! The ILMS 2025 world (`ilms2025/`): 194 countries, one sector, BACI 2023 flows in thousand USD
//! (rows of `trade_cepii.csv` are exporters, no diagonal), WDI GDP in USD (divided by 1000 to match
//! flows), the paper's Liberation-Day US tariff vector and its 25-country EU group.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use reciprocity_model::Dataset;

use super::{known_iso3, Diag};
use crate::table::{at, number, Table};
use crate::Error;

pub(super) fn load(dir: &Path, d: &mut Diag) -> Result<Dataset, Error> {
    let (countries, names) = read_labels(dir, d)?;
    let n = countries.len();
    let mut ds = Dataset::zeros(
        "ILMS 2025 (BACI 2023)",
        countries,
        vec!["TOTAL".to_string()],
    );
    ds.country_names = names;
    ds.units = "thousand USD".to_string();
    ds.has_domestic_flows = false;

    read_trade(dir, &mut ds, d)?;

    let gdp = read_vector(&dir.join("gdp.csv"), "gdp", n, d)?;
    ds.gdp = Some(gdp.iter().map(|g| g / 1000.0).collect());
    let tariffs = read_tariffs(dir, n, d)?;
    ds.columns
        .insert("us_tariff_liberation_day".to_string(), tariffs);

    read_eu_group(dir, &mut ds, d)?;
    Ok(ds)
}

/// `country_labels.csv`: the ISO3 codes and names of the countries, in matrix order. Records a
/// problem for an `iso_code` that is not the 1-based row position, an unknown ISO3 code and a
/// country listed twice.
fn read_labels(dir: &Path, d: &mut Diag) -> Result<(Vec<String>, Vec<String>), Error> {
    let labels = Table::read(&dir.join("country_labels.csv"))?;
    labels.require_rows()?;
    let c_iso = labels.col("iso3")?;
    let c_code = labels.col("iso_code")?;
    let c_name = labels.col("CountryName")?;
    let mut countries = Vec::with_capacity(labels.rows.len());
    let mut names = Vec::with_capacity(labels.rows.len());
    let mut seen = HashSet::new();
    for (pos, (line, row)) in labels.rows.iter().enumerate() {
        let iso = row[c_iso].to_ascii_uppercase();
        // The matrices are indexed by iso_code: it must be the 1-based row position.
        if row[c_code] != (pos + 1).to_string() {
            d.problem(at(
                &labels.file,
                *line,
                "iso_code",
                format!("expected {}, found {:?}", pos + 1, row[c_code]),
            ));
        }
        if known_iso3(&iso) != Some(iso.as_str()) {
            d.problem(at(
                &labels.file,
                *line,
                "iso3",
                format!("expected a known ISO3 code, found {iso:?}"),
            ));
        }
        if !seen.insert(iso.clone()) {
            d.problem(at(
                &labels.file,
                *line,
                "iso3",
                format!("expected each country once, found {iso} again"),
            ));
        }
        countries.push(iso);
        names.push(row[c_name].clone());
    }
    Ok((countries, names))
}

/// `trade_cepii.csv` into `ds.flows`: row j = exporter j, column export_ij<i> = importer i. Fails
/// on a table of the wrong shape; records negative or unreadable cells as problems, and notes the
/// empty cells and any diagonal values (read as domestic flows).
fn read_trade(dir: &Path, ds: &mut Dataset, d: &mut Diag) -> Result<(), Error> {
    let n = ds.n_countries();
    let trade = Table::read(&dir.join("trade_cepii.csv"))?;
    check_trade_shape(&trade, n)?;
    let mut empty = 0usize;
    let mut diag_values = 0usize;
    for (j, (line, row)) in trade.rows.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            match number(&trade.file, *line, &trade.headers[i], cell) {
                Ok(None) => empty += 1,
                Ok(Some(v)) if v < 0.0 => d.problem(at(
                    &trade.file,
                    *line,
                    &trade.headers[i],
                    format!(
                        "expected a flow ≥ 0 ({} → {}), found {v}",
                        ds.countries[j], ds.countries[i]
                    ),
                )),
                Ok(Some(v)) => {
                    if i == j {
                        diag_values += 1;
                    }
                    let idx = ds.index(0, j, i);
                    ds.flows[idx] = v;
                }
                Err(e) => d.problem(e),
            }
        }
    }
    d.note(format!(
        "{}: {empty} empty cells read as 0 (no recorded flow; includes the {} diagonal cells, which the \
         calibration fills from GDP)",
        trade.file,
        n - diag_values
    ));
    if diag_values > 0 {
        ds.has_domestic_flows = true;
        d.note(format!(
            "{}: {diag_values} diagonal cells carry values: read as domestic flows",
            trade.file
        ));
    }
    Ok(())
}

/// The trade matrix is `n` × `n` with the columns `export_ij1` … `export_ij<n>` in order: the first
/// mismatch (column count, then names, then row count) is the error.
fn check_trade_shape(trade: &Table, n: usize) -> Result<(), Error> {
    if trade.headers.len() != n {
        return Err(at(
            &trade.file,
            1,
            "header",
            format!(
                "expected {n} columns (one per country), found {}",
                trade.headers.len()
            ),
        ));
    }
    for (i, h) in trade.headers.iter().enumerate() {
        if *h != format!("export_ij{}", i + 1) {
            return Err(at(
                &trade.file,
                1,
                h,
                format!("expected column `export_ij{}`, found `{h}`", i + 1),
            ));
        }
    }
    if trade.rows.len() != n {
        return Err(at(
            &trade.file,
            0,
            "row",
            format!(
                "expected {n} rows (one per exporter), found {}",
                trade.rows.len()
            ),
        ));
    }
    Ok(())
}

/// `tariffs.csv`: the Liberation-Day US tariff on each of the `n` countries, with a problem for
/// each one outside [0, 10].
fn read_tariffs(dir: &Path, n: usize, d: &mut Diag) -> Result<Vec<f64>, Error> {
    let tariffs = read_vector(&dir.join("tariffs.csv"), "applied_tariff", n, d)?;
    for (i, t) in tariffs.iter().enumerate() {
        if !(0.0..=10.0).contains(t) {
            d.problem(at(
                &dir.join("tariffs.csv").display().to_string(),
                i + 2,
                "applied_tariff",
                format!("expected a fraction in [0, 10], found {t}"),
            ));
        }
    }
    Ok(tariffs)
}

/// `eu_countries.csv`, when present: the members flagged `in_model_eu_group` become the group
/// `EU25` of `ds.groups`; without the file, a note and no group.
fn read_eu_group(dir: &Path, ds: &mut Dataset, d: &mut Diag) -> Result<(), Error> {
    let eu_path = dir.join("eu_countries.csv");
    if !eu_path.is_file() {
        d.note(format!("{}: not found; no EU25 group", eu_path.display()));
        return Ok(());
    }
    let eu = Table::read(&eu_path)?;
    let c_iso = eu.col("iso3")?;
    let c_in = eu.col("in_model_eu_group")?;
    let mut group = Vec::new();
    for (line, row) in &eu.rows {
        let iso = row[c_iso].to_ascii_uppercase();
        if ds.country_index(&iso).is_none() {
            d.problem(at(
                &eu.file,
                *line,
                "iso3",
                format!("expected a country of country_labels.csv, found {iso:?}"),
            ));
            continue;
        }
        match row[c_in].as_str() {
            "1" => group.push(iso),
            "0" => {}
            other => d.problem(at(
                &eu.file,
                *line,
                "in_model_eu_group",
                format!("expected 0 or 1, found {other:?}"),
            )),
        }
    }
    d.note(format!(
        "{}: {} of {} EU members are in the model's EU group (EU25)",
        eu.file,
        group.len(),
        eu.rows.len()
    ));
    let mut groups = BTreeMap::new();
    groups.insert("EU25".to_string(), group);
    ds.groups = groups;
    Ok(())
}

/// A one-column file of `n` numbers with the given header (`gdp.csv`, `tariffs.csv`).
fn read_vector(path: &Path, header: &str, n: usize, d: &mut Diag) -> Result<Vec<f64>, Error> {
    let t = Table::read(path)?;
    let c = t.col(header)?;
    if t.rows.len() != n {
        return Err(at(
            &t.file,
            0,
            header,
            format!(
                "expected {n} rows (one per country), found {}",
                t.rows.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(n);
    for (line, row) in &t.rows {
        match number(&t.file, *line, header, &row[c]) {
            Ok(Some(v)) => out.push(v),
            Ok(None) => {
                d.problem(at(
                    &t.file,
                    *line,
                    header,
                    "expected a number, found an empty cell",
                ));
                out.push(f64::NAN);
            }
            Err(e) => {
                d.problem(e);
                out.push(f64::NAN);
            }
        }
    }
    Ok(out)
}
