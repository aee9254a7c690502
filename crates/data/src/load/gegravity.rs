//! The gegravity sample (`gegravity/sample_data_set.csv`): 30 countries × 30 including domestic
//! flows, one sector, one year; `Y` (output) per exporter, `E` (expenditure) per importer.

use std::collections::BTreeMap;
use std::path::Path;

use reciprocity_model::Dataset;

use super::{known_iso3, Diag};
use crate::table::{at, number, Table};
use crate::Error;

/// The columns of the sample: `year` is optional.
struct Columns {
    exporter: usize,
    importer: usize,
    trade: usize,
    output: usize,
    expenditure: usize,
    year: Option<usize>,
}

pub(super) fn load(file: &Path, d: &mut Diag) -> Result<Dataset, Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let cols = Columns {
        exporter: t.col("exporter")?,
        importer: t.col("importer")?,
        trade: t.col("trade")?,
        output: t.col("Y")?,
        expenditure: t.col("E")?,
        year: t.find("year"),
    };
    let codes = country_codes(&t, &cols, d);
    let n = codes.len();
    let mut ds = Dataset::zeros("gegravity sample (2006)", codes, vec!["TOTAL".to_string()]);
    ds.country_names = ds
        .countries
        .iter()
        .map(|c| crate::registry::country(c).map_or(c.clone(), |x| x.name.clone()))
        .collect();
    ds.units = "million USD".to_string();
    ds.has_domestic_flows = true;

    let (pairs, y, e) = read_rows(&t, &cols, &mut ds, d);
    let missing = n * n - pairs;
    if missing > 0 {
        d.note(format!(
            "{}: {missing} of {} exporter-importer pairs absent, read as 0",
            t.file,
            n * n
        ));
    }
    d.note(format!("{}: gdp = Y (output, which equals value added in this one-sector model); E kept as column `expenditure`", t.file));
    ds.gdp = Some(y);
    ds.columns.insert("expenditure".to_string(), e);
    Ok(ds)
}

/// The sorted ISO3 codes of every exporter and importer, with a problem for each unknown code.
fn country_codes(t: &Table, cols: &Columns, d: &mut Diag) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for (line, row) in &t.rows {
        for (c, field) in [(cols.exporter, "exporter"), (cols.importer, "importer")] {
            let code = row[c].to_ascii_uppercase();
            if known_iso3(&code) != Some(code.as_str()) {
                d.problem(at(
                    &t.file,
                    *line,
                    field,
                    format!("expected a known ISO3 code, found {:?}", row[c]),
                ));
            } else if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes.sort();
    codes
}

/// The rows into `ds.flows`: returns the number of distinct pairs read, `Y` per exporter and `E`
/// per importer (NaN where no row gives one). Records duplicate pairs, bad flows, `Y` or `E`
/// differing from earlier rows, and more than one year as problems.
fn read_rows(
    t: &Table,
    cols: &Columns,
    ds: &mut Dataset,
    d: &mut Diag,
) -> (usize, Vec<f64>, Vec<f64>) {
    let n = ds.n_countries();
    let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut y = vec![f64::NAN; n];
    let mut e = vec![f64::NAN; n];
    let mut years: Vec<String> = Vec::new();
    for (line, row) in &t.rows {
        let (Some(j), Some(i)) = (
            ds.country_index(&row[cols.exporter]),
            ds.country_index(&row[cols.importer]),
        ) else {
            continue;
        };
        if let Some(cy) = cols.year {
            if !years.contains(&row[cy]) {
                years.push(row[cy].clone());
            }
        }
        if let Some(first) = seen.insert((j, i), *line) {
            d.problem(at(
                &t.file,
                *line,
                "exporter,importer",
                format!("expected each pair once, found a duplicate of line {first}"),
            ));
            continue;
        }
        match number(&t.file, *line, "trade", &row[cols.trade]) {
            Ok(Some(v)) if v >= 0.0 => {
                let idx = ds.index(0, j, i);
                ds.flows[idx] = v;
            }
            Ok(Some(v)) => d.problem(at(
                &t.file,
                *line,
                "trade",
                format!("expected a flow ≥ 0, found {v}"),
            )),
            Ok(None) => d.problem(at(
                &t.file,
                *line,
                "trade",
                "expected a flow, found an empty cell",
            )),
            Err(err) => d.problem(err),
        }
        // Y belongs to the exporter and E to the importer; every row must repeat the same value.
        for (c, field, who, store) in [
            (cols.output, "Y", j, &mut y),
            (cols.expenditure, "E", i, &mut e),
        ] {
            match number(&t.file, *line, field, &row[c]) {
                Ok(Some(v)) if store[who].is_nan() => store[who] = v,
                Ok(Some(v)) if (v - store[who]).abs() > 1e-9 * v.abs().max(1.0) => d.problem(at(
                    &t.file,
                    *line,
                    field,
                    format!(
                        "expected {} for {} (as on earlier rows), found {v}",
                        store[who], ds.countries[who]
                    ),
                )),
                Ok(Some(_)) => {}
                Ok(None) => d.problem(at(
                    &t.file,
                    *line,
                    field,
                    "expected a number, found an empty cell",
                )),
                Err(err) => d.problem(err),
            }
        }
    }
    if years.len() > 1 {
        d.problem(at(
            &t.file,
            0,
            "year",
            format!("expected a single year, found {}", years.join(", ")),
        ));
    }
    (seen.len(), y, e)
}
