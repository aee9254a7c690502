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

/// The columns of the flows file: `sector` and `tariff` are optional.
struct FlowColumns {
    exporter: usize,
    importer: usize,
    sector: Option<usize>,
    tariff: Option<usize>,
    /// `value` or `value_<unit>`.
    value: usize,
}

/// One accepted row of the flows file: its line, canonical country codes, sector, flow and tariff.
struct FlowRow {
    line: usize,
    exporter: String,
    importer: String,
    sector: String,
    value: f64,
    tariff: f64,
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
    let cols = flow_columns(&t)?;
    note_ignored_columns(&t, &cols, d);

    let (countries, sectors, rows) = read_rows(&t, &cols, d);
    let name = flows_path
        .file_stem()
        .map_or("long CSV".to_string(), |s| s.to_string_lossy().into_owned());
    let mut ds = Dataset::zeros(&name, countries, sectors);
    ds.country_names = ds
        .countries
        .iter()
        .map(|c| crate::registry::country(c).map_or(c.clone(), |x| x.name.clone()))
        .collect();
    ds.units = units(&t.headers[cols.value]);
    fill_cells(&t, rows, &mut ds, d);

    if let Some(gp) = gdp_path {
        read_gdp(&gp, &t.file, &mut ds, d)?;
    }
    if let Some(cp) = columns_path {
        read_columns(&cp, &mut ds, d)?;
    }
    Ok(ds)
}

/// Find the columns of the flows file; fails without `exporter`, `importer` or a value column.
fn flow_columns(t: &Table) -> Result<FlowColumns, Error> {
    let exporter = t.col("exporter")?;
    let importer = t.col("importer")?;
    let sector = t.find("sector");
    let tariff = t.find("tariff");
    let value = match t.find("value") {
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
    Ok(FlowColumns {
        exporter,
        importer,
        sector,
        tariff,
        value,
    })
}

/// The unit named by the value column's suffix: `value_usd_thousands` → `usd thousands`; none for `value`.
fn units(value_header: &str) -> String {
    value_header
        .strip_prefix("value")
        .unwrap_or("")
        .trim_start_matches('_')
        .replace('_', " ")
}

/// A note listing the columns of the flows file that are not read, if any.
fn note_ignored_columns(t: &Table, cols: &FlowColumns, d: &mut Diag) {
    let used = [
        Some(cols.exporter),
        Some(cols.importer),
        cols.sector,
        cols.tariff,
        Some(cols.value),
    ];
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
}

/// First pass over the flows: the accepted rows, with the sorted country set and the sector set in
/// order of appearance, so the dense arrays can be sized.
fn read_rows(
    t: &Table,
    cols: &FlowColumns,
    d: &mut Diag,
) -> (Vec<String>, Vec<String>, Vec<FlowRow>) {
    let mut countries: Vec<String> = Vec::new();
    let mut sectors: Vec<String> = Vec::new();
    let mut parsed = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let Some(flow) = read_row(t, cols, *line, row, d) else {
            continue;
        };
        for c in [&flow.exporter, &flow.importer] {
            if !countries.contains(c) {
                countries.push(c.clone());
            }
        }
        if !sectors.contains(&flow.sector) {
            sectors.push(flow.sector.clone());
        }
        parsed.push(flow);
    }
    countries.sort();
    (countries, sectors, parsed)
}

/// One row of the flows file, or `None` after recording its problems (countries, sector, value,
/// tariff, in that order: every bad cell of the row is reported).
fn read_row(
    t: &Table,
    cols: &FlowColumns,
    line: usize,
    row: &[String],
    d: &mut Diag,
) -> Option<FlowRow> {
    let mut ok = true;
    let mut ends = [String::new(), String::new()];
    for (slot, (c, field)) in [(cols.exporter, "exporter"), (cols.importer, "importer")]
        .into_iter()
        .enumerate()
    {
        match code(&row[c]) {
            Some(iso) => ends[slot] = iso,
            None => {
                d.problem(at(
                    &t.file,
                    line,
                    field,
                    format!("expected a known country code (ISO3), found {:?}", row[c]),
                ));
                ok = false;
            }
        }
    }
    let sector = cols.sector.map_or("TOTAL".to_string(), |c| row[c].clone());
    if sector.is_empty() {
        d.problem(at(
            &t.file,
            line,
            "sector",
            "expected a sector code, found an empty cell",
        ));
        ok = false;
    }
    let value = flow_value(t, cols.value, line, row, d);
    let tariff = flow_tariff(t, cols.tariff, line, row, d);
    let (Some(value), Some(tariff), true) = (value, tariff, ok) else {
        return None;
    };
    let [exporter, importer] = ends;
    Some(FlowRow {
        line,
        exporter,
        importer,
        sector,
        value,
        tariff,
    })
}

/// The flow of a row (≥ 0), or `None` after recording why not.
fn flow_value(t: &Table, c_v: usize, line: usize, row: &[String], d: &mut Diag) -> Option<f64> {
    match number(&t.file, line, &t.headers[c_v], &row[c_v]) {
        Ok(Some(v)) if v >= 0.0 => Some(v),
        Ok(Some(v)) => {
            d.problem(at(
                &t.file,
                line,
                &t.headers[c_v],
                format!("expected a flow ≥ 0, found {v}"),
            ));
            None
        }
        Ok(None) => {
            d.problem(at(
                &t.file,
                line,
                &t.headers[c_v],
                "expected a flow, found an empty cell",
            ));
            None
        }
        Err(e) => {
            d.problem(e);
            None
        }
    }
}

/// The tariff of a row (a fraction > −1; 0 without a tariff column or with an empty cell), or
/// `None` after recording why not.
fn flow_tariff(
    t: &Table,
    c_t: Option<usize>,
    line: usize,
    row: &[String],
    d: &mut Diag,
) -> Option<f64> {
    match c_t.map(|c| number(&t.file, line, "tariff", &row[c])) {
        None | Some(Ok(None)) => Some(0.0),
        Some(Ok(Some(v))) if v > -1.0 => Some(v),
        Some(Ok(Some(v))) => {
            d.problem(at(
                &t.file,
                line,
                "tariff",
                format!("expected a fraction > −1, found {v}"),
            ));
            None
        }
        Some(Err(e)) => {
            d.problem(e);
            None
        }
    }
}

/// Second pass: the accepted rows into `ds.flows` and `ds.tariffs`, a problem for each cell given
/// twice, `ds.has_domestic_flows` from the diagonal, and a note counting the cells.
fn fill_cells(t: &Table, rows: Vec<FlowRow>, ds: &mut Dataset, d: &mut Diag) {
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut diagonal = 0usize;
    for row in rows {
        let (j, i, k) = (
            ds.country_index(&row.exporter).unwrap_or(0),
            ds.country_index(&row.importer).unwrap_or(0),
            ds.sector_index(&row.sector).unwrap_or(0),
        );
        let idx = ds.index(k, j, i);
        if let Some(first) = seen.insert(idx, row.line) {
            d.problem(at(
                &t.file,
                row.line,
                "exporter,importer,sector",
                format!("expected each cell once, found a duplicate of line {first}"),
            ));
            continue;
        }
        diagonal += usize::from(i == j);
        ds.flows[idx] = row.value;
        ds.tariffs[idx] = row.tariff;
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
}

/// `gdp.csv`: `country,gdp` (or `iso3,gdp`), one positive GDP per country of the flows (read from
/// `flows_file`); rows of other countries are noted and dropped. `ds.gdp` is set only when every
/// country has one; each missing or bad value is a problem.
fn read_gdp(path: &Path, flows_file: &str, ds: &mut Dataset, d: &mut Diag) -> Result<(), Error> {
    let g = Table::read(path)?;
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
            "{}: {extra} rows dropped: countries without any flow in {flows_file}",
            g.file
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
    Ok(())
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
