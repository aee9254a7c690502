//! The gegravity sample (`gegravity/sample_data_set.csv`): 30 countries × 30 including domestic
//! flows, one sector, one year; `Y` (output) per exporter, `E` (expenditure) per importer.

use std::collections::BTreeMap;
use std::path::Path;

use reciprocity_model::Dataset;

use super::{known_iso3, Diag};
use crate::table::{at, number, Table};
use crate::Error;

pub(super) fn load(file: &Path, d: &mut Diag) -> Result<Dataset, Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let (c_e, c_i, c_trade, c_y, c_ex) = (
        t.col("exporter")?,
        t.col("importer")?,
        t.col("trade")?,
        t.col("Y")?,
        t.col("E")?,
    );
    let c_year = t.find("year");
    let mut codes: Vec<String> = Vec::new();
    for (line, row) in &t.rows {
        for (c, field) in [(c_e, "exporter"), (c_i, "importer")] {
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
    let n = codes.len();
    let mut ds = Dataset::zeros("gegravity sample (2006)", codes, vec!["TOTAL".to_string()]);
    ds.country_names = ds
        .countries
        .iter()
        .map(|c| crate::registry::country(c).map_or(c.clone(), |x| x.name.clone()))
        .collect();
    ds.units = "million USD".to_string();
    ds.has_domestic_flows = true;

    let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut y = vec![f64::NAN; n];
    let mut e = vec![f64::NAN; n];
    let mut years: Vec<String> = Vec::new();
    for (line, row) in &t.rows {
        let (Some(j), Some(i)) = (ds.country_index(&row[c_e]), ds.country_index(&row[c_i])) else {
            continue;
        };
        if let Some(cy) = c_year {
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
        match number(&t.file, *line, "trade", &row[c_trade]) {
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
        for (c, field, who, store) in [(c_y, "Y", j, &mut y), (c_ex, "E", i, &mut e)] {
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
    let missing = n * n - seen.len();
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
