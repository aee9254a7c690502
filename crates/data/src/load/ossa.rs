//! The Ossa (2014) world (`ossa2014/`): 7 regions × 33 GTAP-7 sectors, 2007. Flows are
//! `trade_baseline` (aggregate imbalances purged, as Ossa's counterfactuals use), diagonal =
//! domestic absorption; `tariff` is the importer's factual tariff; trade elasticity = σ_s − 1.

use std::path::Path;

use reciprocity_model::Dataset;

use super::Diag;
use crate::table::{at, number, Table};
use crate::Error;

/// Read an id column: an integer in 1..=max.
fn id(file: &str, line: usize, field: &str, cell: &str, max: usize) -> Result<usize, Error> {
    match cell.trim().parse::<usize>() {
        Ok(v) if (1..=max).contains(&v) => Ok(v - 1),
        _ => Err(at(
            file,
            line,
            field,
            format!("expected an id in 1..={max}, found {cell:?}"),
        )),
    }
}

pub(super) fn load(dir: &Path, d: &mut Diag) -> Result<Dataset, Error> {
    let (countries, names) = read_regions(dir, d)?;
    let (codes, elasticity) = read_sectors(dir, d)?;
    let mut ds = Dataset::zeros("Ossa 2014 (GTAP 7, 2007)", countries, codes);
    ds.country_names = names;
    ds.units = "million USD".to_string();
    ds.has_domestic_flows = true;
    ds.trade_elasticity = Some(elasticity);
    read_bilateral(dir, &mut ds, d)?;
    Ok(ds)
}

/// `regions.csv`: the region codes and names, in id order. Fails on a `region_id` that is not the
/// 1-based row position; records an empty or repeated code as a problem.
fn read_regions(dir: &Path, d: &mut Diag) -> Result<(Vec<String>, Vec<String>), Error> {
    let regions = Table::read(&dir.join("regions.csv"))?;
    regions.require_rows()?;
    let (r_id, r_code, r_name) = (
        regions.col("region_id")?,
        regions.col("code")?,
        regions.col("name")?,
    );
    let mut countries = Vec::new();
    let mut names = Vec::new();
    for (pos, (line, row)) in regions.rows.iter().enumerate() {
        if row[r_id] != (pos + 1).to_string() {
            return Err(at(
                &regions.file,
                *line,
                "region_id",
                format!("expected {}, found {:?}", pos + 1, row[r_id]),
            ));
        }
        let code = row[r_code].to_ascii_uppercase();
        if code.is_empty() || countries.contains(&code) {
            d.problem(at(
                &regions.file,
                *line,
                "code",
                format!("expected a new, non-empty region code, found {code:?}"),
            ));
        }
        countries.push(code);
        names.push(row[r_name].clone());
    }
    Ok((countries, names))
}

/// `sectors.csv`: the GTAP sector codes and their trade elasticities σ − 1, in id order. Fails on
/// a `sector_id` that is not the 1-based row position; records a σ ≤ 1 or unreadable σ as a
/// problem (its elasticity NaN).
fn read_sectors(dir: &Path, d: &mut Diag) -> Result<(Vec<String>, Vec<f64>), Error> {
    let sectors = Table::read(&dir.join("sectors.csv"))?;
    sectors.require_rows()?;
    let (s_id, s_code, s_sigma) = (
        sectors.col("sector_id")?,
        sectors.col("gtap_code")?,
        sectors.col("sigma")?,
    );
    let mut codes = Vec::new();
    let mut elasticity = Vec::new();
    for (pos, (line, row)) in sectors.rows.iter().enumerate() {
        if row[s_id] != (pos + 1).to_string() {
            return Err(at(
                &sectors.file,
                *line,
                "sector_id",
                format!("expected {}, found {:?}", pos + 1, row[s_id]),
            ));
        }
        codes.push(row[s_code].clone());
        match number(&sectors.file, *line, "sigma", &row[s_sigma]) {
            Ok(Some(sigma)) if sigma > 1.0 => elasticity.push(sigma - 1.0),
            Ok(other) => {
                d.problem(at(
                    &sectors.file,
                    *line,
                    "sigma",
                    format!("expected σ > 1, found {other:?}"),
                ));
                elasticity.push(f64::NAN);
            }
            Err(e) => {
                d.problem(e);
                elasticity.push(f64::NAN);
            }
        }
    }
    Ok((codes, elasticity))
}

/// `bilateral.csv` into `ds.flows` and `ds.tariffs`, one row per (exporter, importer, sector)
/// cell. Records bad ids, duplicate cells, bad values and missing cells as problems, and notes the
/// unused `trade_raw` column.
fn read_bilateral(dir: &Path, ds: &mut Dataset, d: &mut Diag) -> Result<(), Error> {
    let (n, k) = (ds.n_countries(), ds.n_sectors());
    let bil = Table::read(&dir.join("bilateral.csv"))?;
    bil.require_rows()?;
    let (c_e, c_i, c_s) = (
        bil.col("exporter_id")?,
        bil.col("importer_id")?,
        bil.col("sector_id")?,
    );
    let (c_flow, c_tariff) = (bil.col("trade_baseline")?, bil.col("tariff")?);
    let mut seen = vec![0usize; n * n * k]; // line where each cell was first set
    for (line, row) in &bil.rows {
        let ids = (
            id(&bil.file, *line, "exporter_id", &row[c_e], n),
            id(&bil.file, *line, "importer_id", &row[c_i], n),
            id(&bil.file, *line, "sector_id", &row[c_s], k),
        );
        let (j, i, s) = match ids {
            (Ok(j), Ok(i), Ok(s)) => (j, i, s),
            (a, b, c) => {
                for e in [a.err(), b.err(), c.err()].into_iter().flatten() {
                    d.problem(e);
                }
                continue;
            }
        };
        let idx = ds.index(s, j, i);
        if seen[idx] != 0 {
            d.problem(at(
                &bil.file,
                *line,
                "exporter_id,importer_id,sector_id",
                format!(
                    "expected each cell once, found a duplicate of line {}",
                    seen[idx]
                ),
            ));
            continue;
        }
        seen[idx] = *line;
        read_cell(&bil, *line, &row[c_flow], &row[c_tariff], idx, ds, d);
    }
    check_complete(&bil, &seen, ds, d);
    d.note(format!(
        "{}: column trade_raw not used (flows are trade_baseline, as in Ossa's counterfactuals)",
        bil.file
    ));
    Ok(())
}

/// The flow (`trade_baseline`, ≥ 0) and the tariff (> −1) of one bilateral row into cell `idx`;
/// a bad value is recorded as a problem and leaves its cell 0.
fn read_cell(
    bil: &Table,
    line: usize,
    flow: &str,
    tariff: &str,
    idx: usize,
    ds: &mut Dataset,
    d: &mut Diag,
) {
    read_flow_and_tariff(
        bil,
        line,
        ("trade_baseline", flow),
        ("tariff", tariff),
        idx,
        ds,
        d,
    );
}

/// A flow (≥ 0) and a tariff (> −1), each `(field, cell)`, into cell `idx` of `ds`; a bad value
/// is recorded as a problem and leaves its cell 0.
pub(super) fn read_flow_and_tariff(
    bil: &Table,
    line: usize,
    (flow_field, flow): (&str, &str),
    (tariff_field, tariff): (&str, &str),
    idx: usize,
    ds: &mut Dataset,
    d: &mut Diag,
) {
    match number(&bil.file, line, flow_field, flow) {
        Ok(Some(v)) if v >= 0.0 => ds.flows[idx] = v,
        Ok(Some(v)) => d.problem(at(
            &bil.file,
            line,
            flow_field,
            format!("expected a flow ≥ 0, found {v}"),
        )),
        Ok(None) => d.problem(at(
            &bil.file,
            line,
            flow_field,
            "expected a flow, found an empty cell",
        )),
        Err(e) => d.problem(e),
    }
    match number(&bil.file, line, tariff_field, tariff) {
        Ok(Some(v)) if v > -1.0 => ds.tariffs[idx] = v,
        Ok(Some(v)) => d.problem(at(
            &bil.file,
            line,
            tariff_field,
            format!("expected a tariff > −1, found {v}"),
        )),
        Ok(None) => d.problem(at(
            &bil.file,
            line,
            tariff_field,
            "expected a tariff, found an empty cell",
        )),
        Err(e) => d.problem(e),
    }
}

/// One problem when some of the N·N·K cells have no row (`seen` holds 0 for them), naming the
/// count and the first missing cell.
pub(super) fn check_complete(bil: &Table, seen: &[usize], ds: &Dataset, d: &mut Diag) {
    let (n, k) = (ds.n_countries(), ds.n_sectors());
    let missing = seen.iter().filter(|&&l| l == 0).count();
    if missing > 0 {
        let first = seen.iter().position(|&l| l == 0).unwrap_or(0);
        let (s, rest) = (first / (n * n), first % (n * n));
        d.problem(at(
            &bil.file,
            0,
            "row",
            format!(
                "expected {} rows (N·N·K), {missing} cells missing, the first exporter {} importer {} sector {}",
                n * n * k,
                ds.countries[rest / n],
                ds.countries[rest % n],
                ds.sectors[s]
            ),
        ));
    }
}
