//! The generic long CSV: `exporter,importer[,sector],value[,tariff]`, one row per non-zero cell,
//! codes as ISO3 (or any spelling the registry knows, `ROW` for the rest of the world). A folder
//! holds it as `flows.csv`, with an optional `gdp.csv` (`country,gdp`, same units as the flows) and
//! an optional `columns.csv` (`country,<name>,...`: named per-country columns scenarios can use,
//! e.g. `us_tariff_liberation_day`; every country of the flows needs a value).
//!
//! The value column may be named `value` or `value_<unit>` (`value_usd_thousands`): the unit is
//! taken from the suffix. Other columns (e.g. `year`) are ignored and reported.

use std::collections::HashMap;
use std::path::Path;

use reciprocity_model::Dataset;

use super::{known_iso3, Diag};
use crate::table::{at, number, Table};
use crate::Error;

/// The canonical code of a country cell: registry ISO3, or `ROW`.
fn code(cell: &str) -> Option<String> {
    if cell.eq_ignore_ascii_case("ROW") {
        return Some("ROW".to_string());
    }
    known_iso3(cell).map(str::to_string)
}

pub(super) fn load(path: &Path, d: &mut Diag) -> Result<Dataset, Error> {
    let (flows_path, gdp_path, columns_path) = if path.is_dir() {
        (
            path.join("flows.csv"),
            Some(path.join("gdp.csv")).filter(|p| p.is_file()),
            Some(path.join("columns.csv")).filter(|p| p.is_file()),
        )
    } else {
        (path.to_path_buf(), None, None)
    };
    let t = Table::read(&flows_path)?;
    t.require_rows()?;
    let c_e = t.col("exporter")?;
    let c_i = t.col("importer")?;
    let c_s = t.find("sector");
    let c_t = t.find("tariff");
    let c_v = match t.find("value") {
        Some(c) => c,
        None => t
            .headers
            .iter()
            .position(|h| h.to_ascii_lowercase().starts_with("value_"))
            .ok_or_else(|| {
                at(
                    &t.file,
                    1,
                    "value",
                    format!(
                        "expected a column `value` (or `value_<unit>`), found columns: {}",
                        t.headers.join(", ")
                    ),
                )
            })?,
    };
    let units = t.headers[c_v]
        .strip_prefix("value")
        .unwrap_or("")
        .trim_start_matches('_')
        .replace('_', " ");
    let used = [Some(c_e), Some(c_i), c_s, c_t, Some(c_v)];
    let ignored: Vec<&str> = t
        .headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(&Some(*i)))
        .map(|(_, h)| h.as_str())
        .collect();
    if !ignored.is_empty() {
        d.note(format!(
            "{}: columns ignored: {}",
            t.file,
            ignored.join(", ")
        ));
    }

    // First pass: the country and sector sets, so the dense arrays can be sized.
    let mut countries: Vec<String> = Vec::new();
    let mut sectors: Vec<String> = Vec::new();
    let mut parsed = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let mut ok = true;
        let mut ends = [String::new(), String::new()];
        for (slot, (c, field)) in [(c_e, "exporter"), (c_i, "importer")]
            .into_iter()
            .enumerate()
        {
            match code(&row[c]) {
                Some(iso) => ends[slot] = iso,
                None => {
                    d.problem(at(
                        &t.file,
                        *line,
                        field,
                        format!("expected a known country code (ISO3), found {:?}", row[c]),
                    ));
                    ok = false;
                }
            }
        }
        let sector = c_s.map_or("TOTAL".to_string(), |c| row[c].clone());
        if sector.is_empty() {
            d.problem(at(
                &t.file,
                *line,
                "sector",
                "expected a sector code, found an empty cell",
            ));
            ok = false;
        }
        let value = match number(&t.file, *line, &t.headers[c_v], &row[c_v]) {
            Ok(Some(v)) if v >= 0.0 => Some(v),
            Ok(Some(v)) => {
                d.problem(at(
                    &t.file,
                    *line,
                    &t.headers[c_v],
                    format!("expected a flow ≥ 0, found {v}"),
                ));
                None
            }
            Ok(None) => {
                d.problem(at(
                    &t.file,
                    *line,
                    &t.headers[c_v],
                    "expected a flow, found an empty cell",
                ));
                None
            }
            Err(e) => {
                d.problem(e);
                None
            }
        };
        let tariff = match c_t.map(|c| number(&t.file, *line, "tariff", &row[c])) {
            None | Some(Ok(None)) => Some(0.0),
            Some(Ok(Some(v))) if v > -1.0 => Some(v),
            Some(Ok(Some(v))) => {
                d.problem(at(
                    &t.file,
                    *line,
                    "tariff",
                    format!("expected a fraction > −1, found {v}"),
                ));
                None
            }
            Some(Err(e)) => {
                d.problem(e);
                None
            }
        };
        let (Some(value), Some(tariff), true) = (value, tariff, ok) else {
            continue;
        };
        let [e, i] = ends;
        for c in [&e, &i] {
            if !countries.contains(c) {
                countries.push(c.clone());
            }
        }
        if !sectors.contains(&sector) {
            sectors.push(sector.clone());
        }
        parsed.push((*line, e, i, sector, value, tariff));
    }
    countries.sort();
    let name = flows_path
        .file_stem()
        .map_or("long CSV".to_string(), |s| s.to_string_lossy().into_owned());
    let mut ds = Dataset::zeros(&name, countries, sectors);
    ds.country_names = ds
        .countries
        .iter()
        .map(|c| crate::registry::country(c).map_or(c.clone(), |x| x.name.clone()))
        .collect();
    ds.units = units;
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut diagonal = 0usize;
    for (line, e, i, s, value, tariff) in parsed {
        let (j, i, k) = (
            ds.country_index(&e).unwrap_or(0),
            ds.country_index(&i).unwrap_or(0),
            ds.sector_index(&s).unwrap_or(0),
        );
        let idx = ds.index(k, j, i);
        if let Some(first) = seen.insert(idx, line) {
            d.problem(at(
                &t.file,
                line,
                "exporter,importer,sector",
                format!("expected each cell once, found a duplicate of line {first}"),
            ));
            continue;
        }
        diagonal += usize::from(i == j);
        ds.flows[idx] = value;
        ds.tariffs[idx] = tariff;
    }
    ds.has_domestic_flows = diagonal > 0;
    let cells = ds.flows.len();
    d.note(format!(
        "{}: {} cells given, {} absent read as 0; domestic flows {}",
        t.file,
        seen.len(),
        cells - seen.len(),
        if ds.has_domestic_flows {
            "present (every country must have them)"
        } else {
            "absent (calibration builds them)"
        }
    ));

    if let Some(gp) = gdp_path {
        let g = Table::read(&gp)?;
        g.require_rows()?;
        let c_c = g
            .find("country")
            .or_else(|| g.find("iso3"))
            .ok_or_else(|| {
                at(
                    &g.file,
                    1,
                    "country",
                    format!(
                        "expected a column `country` (or `iso3`), found columns: {}",
                        g.headers.join(", ")
                    ),
                )
            })?;
        let c_g = g.col("gdp")?;
        let mut gdp = vec![f64::NAN; ds.n_countries()];
        let mut extra = 0usize;
        for (line, row) in &g.rows {
            let Some(iso) = code(&row[c_c]) else {
                d.problem(at(
                    &g.file,
                    *line,
                    "country",
                    format!("expected a known country code (ISO3), found {:?}", row[c_c]),
                ));
                continue;
            };
            let Some(i) = ds.country_index(&iso) else {
                extra += 1;
                continue;
            };
            if !gdp[i].is_nan() {
                d.problem(at(
                    &g.file,
                    *line,
                    "country",
                    format!("expected each country once, found {iso} again"),
                ));
                continue;
            }
            match number(&g.file, *line, "gdp", &row[c_g]) {
                Ok(Some(v)) if v > 0.0 => gdp[i] = v,
                Ok(other) => d.problem(at(
                    &g.file,
                    *line,
                    "gdp",
                    format!("expected a positive number, found {other:?}"),
                )),
                Err(e) => d.problem(e),
            }
        }
        if extra > 0 {
            d.note(format!(
                "{}: {extra} rows dropped: countries without any flow in {}",
                g.file, t.file
            ));
        }
        for (i, v) in gdp.iter().enumerate() {
            if v.is_nan() {
                d.problem(at(
                    &g.file,
                    0,
                    "gdp",
                    format!("expected a GDP for {}, found none", ds.countries[i]),
                ));
            }
        }
        if gdp.iter().all(|v| !v.is_nan()) {
            ds.gdp = Some(gdp);
        }
    }
    if let Some(cp) = columns_path {
        read_columns(&cp, &mut ds, d)?;
    }
    Ok(ds)
}

/// `columns.csv`: `country,<name>,...`, one row per country of the flows (others are noted and
/// dropped), each named column becoming `ds.columns[name]`.
fn read_columns(path: &Path, ds: &mut Dataset, d: &mut Diag) -> Result<(), Error> {
    let t = Table::read(path)?;
    t.require_rows()?;
    let c_c = t.col("country")?;
    let names: Vec<(usize, String)> = t
        .headers
        .iter()
        .enumerate()
        .filter(|(c, _)| *c != c_c)
        .map(|(c, h)| (c, h.clone()))
        .collect();
    let n = ds.n_countries();
    let mut values = vec![vec![f64::NAN; n]; names.len()];
    let mut extra = 0usize;
    for (line, row) in &t.rows {
        let Some(i) = code(&row[c_c]).and_then(|iso| ds.country_index(&iso)) else {
            extra += 1;
            continue;
        };
        for (slot, (c, name)) in names.iter().enumerate() {
            match number(&t.file, *line, name, &row[*c]) {
                Ok(Some(v)) => values[slot][i] = v,
                Ok(None) => d.problem(at(
                    &t.file,
                    *line,
                    name,
                    "expected a number, found an empty cell",
                )),
                Err(e) => d.problem(e),
            }
        }
    }
    if extra > 0 {
        d.note(format!(
            "{}: {extra} rows dropped: countries without any flow",
            t.file
        ));
    }
    for ((_, name), v) in names.into_iter().zip(values) {
        if let Some(i) = v.iter().position(|x| x.is_nan()) {
            d.problem(at(
                &t.file,
                0,
                &name,
                format!("expected a value for {}, found none", ds.countries[i]),
            ));
            continue;
        }
        ds.columns.insert(name, v);
    }
    Ok(())
}
