//! The Lashkaripour-Lugovskyy (2023) world (`ll2023_wiod2014/`): 44 regions (43 economies and ROW)
//! x 16 sectors, WIOD 2016 release for 2014, with bilateral applied tariffs by sector (WITS) and
//! the paper's trade elasticities. Flows include the domestic diagonal; sector 16 (services and
//! utilities) is non-tradable in the paper and carries its placeholder elasticity 10.

use std::collections::HashMap;
use std::path::Path;

use reciprocity_model::Dataset;

use super::ossa::{check_complete, read_flow_and_tariff};
use super::Diag;
use crate::table::{at, number, Table};
use crate::Error;

/// The flows file of the folder.
pub(super) const FLOWS: &str = "ll2023_wiod2014_44x44x16_trade_tariffs.csv";
/// The sector parameters file of the folder.
pub(super) const PARAMS: &str = "ll2023_sector_params.csv";

/// Short codes for the paper's 16 sectors, in `sector_id` order (the descriptions are the
/// sector names).
const CODES: [&str; 16] = [
    "AGRICULTURE",
    "MINING",
    "FOOD",
    "TEXTILES",
    "WOOD",
    "PAPER_PRINTING",
    "PETROLEUM",
    "CHEMICALS_PHARMA",
    "RUBBER_PLASTICS",
    "NONMETALLIC_MINERALS",
    "METALS",
    "ELECTRONICS_ELECTRICAL",
    "MACHINERY",
    "TRANSPORT_EQUIPMENT",
    "FURNITURE_OTHER",
    "SERVICES",
];

pub(super) fn load(dir: &Path, d: &mut Diag) -> Result<Dataset, Error> {
    let (names, elasticity) = read_params(&dir.join(PARAMS), d)?;
    let flows = Table::read(&dir.join(FLOWS))?;
    flows.require_rows()?;
    let (c_e, c_i, c_s) = (
        flows.col("exporter")?,
        flows.col("importer")?,
        flows.col("sector_id")?,
    );
    let (c_v, c_t) = (
        flows.col("trade_usd_mn")?,
        flows.col("importer_applied_tariff")?,
    );
    // The regions in order of first appearance as exporters.
    let mut countries: Vec<String> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for (_, row) in &flows.rows {
        if !position.contains_key(&row[c_e]) {
            position.insert(row[c_e].clone(), countries.len());
            countries.push(row[c_e].clone());
        }
    }
    let mut ds = Dataset::zeros(
        "Lashkaripour-Lugovskyy (2023), WIOD 2014",
        countries,
        CODES.iter().map(|c| c.to_string()).collect(),
    );
    ds.country_names = ds.countries.clone();
    ds.units = "million USD".to_string();
    ds.has_domestic_flows = true;
    ds.trade_elasticity = Some(elasticity);
    let (n, k) = (ds.n_countries(), ds.n_sectors());
    let mut seen = vec![0usize; n * n * k];
    for (line, row) in &flows.rows {
        let Some(&i) = position.get(&row[c_i]) else {
            d.problem(at(
                &flows.file,
                *line,
                "importer",
                format!("expected one of the exporters' codes, found {:?}", row[c_i]),
            ));
            continue;
        };
        let s = match row[c_s].trim().parse::<usize>() {
            Ok(v) if (1..=k).contains(&v) => v - 1,
            _ => {
                d.problem(at(
                    &flows.file,
                    *line,
                    "sector_id",
                    format!("expected an id in 1..={k}, found {:?}", row[c_s]),
                ));
                continue;
            }
        };
        let idx = ds.index(s, position[&row[c_e]], i);
        if seen[idx] != 0 {
            d.problem(at(
                &flows.file,
                *line,
                "exporter,importer,sector_id",
                format!(
                    "expected each cell once, found a duplicate of line {}",
                    seen[idx]
                ),
            ));
            continue;
        }
        seen[idx] = *line;
        let flow = ("trade_usd_mn", row[c_v].as_str());
        let tariff = ("importer_applied_tariff", row[c_t].as_str());
        read_flow_and_tariff(&flows, *line, flow, tariff, idx, &mut ds, d);
    }
    check_complete(&flows, &seen, &ds, d);
    d.note(format!(
        "{}: sectors {} ({}); services and utilities are non-tradable in the paper, ε = 10 its placeholder",
        flows.file,
        CODES.join(", "),
        names.join("; ")
    ));
    Ok(ds)
}

/// `ll2023_sector_params.csv`: the sector descriptions and trade elasticities, ids 1..=16 in order.
fn read_params(path: &Path, d: &mut Diag) -> Result<(Vec<String>, Vec<f64>), Error> {
    let t = Table::read(path)?;
    t.require_rows()?;
    let (c_id, c_desc, c_eps) = (
        t.col("sector_id")?,
        t.col("sector_desc")?,
        t.col("trade_elasticity")?,
    );
    if t.rows.len() != CODES.len() {
        return Err(at(
            &t.file,
            0,
            "sector_id",
            format!("expected {} sectors, found {}", CODES.len(), t.rows.len()),
        ));
    }
    let mut names = Vec::new();
    let mut eps = Vec::new();
    for (pos, (line, row)) in t.rows.iter().enumerate() {
        if row[c_id].trim() != (pos + 1).to_string() {
            return Err(at(
                &t.file,
                *line,
                "sector_id",
                format!("expected {}, found {:?}", pos + 1, row[c_id]),
            ));
        }
        names.push(row[c_desc].clone());
        match number(&t.file, *line, "trade_elasticity", &row[c_eps]) {
            Ok(Some(v)) if v > 0.0 => eps.push(v),
            Ok(other) => {
                d.problem(at(
                    &t.file,
                    *line,
                    "trade_elasticity",
                    format!("expected a number > 0, found {other:?}"),
                ));
                eps.push(f64::NAN);
            }
            Err(e) => {
                d.problem(e);
                eps.push(f64::NAN);
            }
        }
    }
    Ok((names, eps))
}
