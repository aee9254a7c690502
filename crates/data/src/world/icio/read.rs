//! Reading the inputs of the ICIO world in place: every bad cell is an error naming file, line,
//! field and what was expected.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::sectors::ICIO_SECTORS;
use crate::table::{at, number, Table};
use crate::Error;

/// The exact parts of ICIO 2022, 80 economies × 50 sectors, million USD.
#[derive(Debug, Clone)]
pub struct IcioTables {
    /// ISO3 codes of the 80 economies, sorted.
    pub countries: Vec<String>,
    /// Gross output, [country · 50 + sector].
    pub gross_output: Vec<f64>,
    /// Final demand everywhere plus all sales to ROW, [country · 50 + sector].
    pub final_and_row: Vec<f64>,
    /// Intermediate sales to the 80 as the node file states them, [country · 50 + sector].
    pub interm_sales_80: Vec<f64>,
    /// Intermediate sales, [(sector · N + exporter) · N + importer], domestic diagonal included.
    pub interm: Vec<f64>,
    /// Rows read from the node file and from the bilateral file.
    pub rows_read: (usize, usize),
}

fn cell(file: &str, line: usize, field: &str, raw: &str) -> Result<f64, Error> {
    match number(file, line, field, raw)? {
        Some(v) if v >= 0.0 => Ok(v),
        Some(v) => Err(at(
            file,
            line,
            field,
            format!("expected a value ≥ 0, found {v}"),
        )),
        None => Err(at(
            file,
            line,
            field,
            "expected a number, found an empty cell",
        )),
    }
}

fn sector_of(file: &str, line: usize, code: &str) -> Result<usize, Error> {
    ICIO_SECTORS.iter().position(|c| *c == code).ok_or_else(|| {
        at(
            file,
            line,
            "sector",
            format!("expected one of the 50 ICIO sector codes, found {code:?}"),
        )
    })
}

/// Read `node_output_2022.csv` and `intermediate_bilateral_by_sector_2022.csv.gz` from `dir`.
pub fn read_icio(dir: &Path) -> Result<IcioTables, Error> {
    let node = Table::read(&dir.join("node_output_2022.csv"))?;
    node.require_rows()?;
    let (c_c, c_s) = (node.col("country")?, node.col("sector")?);
    let c_go = node.col("gross_output")?;
    let c_i80 = node.col("interm_sales_80")?;
    let c_f = node.col("final_and_row_sales")?;
    let mut countries: Vec<String> = node.rows.iter().map(|(_, r)| r[c_c].clone()).collect();
    countries.sort();
    countries.dedup();
    for (line, row) in &node.rows {
        if row[c_c].len() != 3 || !row[c_c].bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(at(
                &node.file,
                *line,
                "country",
                format!("expected an ISO3 code, found {:?}", row[c_c]),
            ));
        }
    }
    let n = countries.len();
    let ns = ICIO_SECTORS.len();
    let pos: HashMap<&str, usize> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut gross_output = vec![f64::NAN; n * ns];
    let mut final_and_row = vec![0.0; n * ns];
    let mut interm_sales_80 = vec![0.0; n * ns];
    for (line, row) in &node.rows {
        let c = *pos.get(row[c_c].as_str()).ok_or_else(|| {
            at(
                &node.file,
                *line,
                "country",
                "expected a country of this file",
            )
        })?;
        let s = sector_of(&node.file, *line, &row[c_s])?;
        if !gross_output[c * ns + s].is_nan() {
            return Err(at(
                &node.file,
                *line,
                "country,sector",
                format!(
                    "expected each country and sector once, found {} {} again",
                    row[c_c], row[c_s]
                ),
            ));
        }
        gross_output[c * ns + s] = cell(&node.file, *line, "gross_output", &row[c_go])?;
        interm_sales_80[c * ns + s] = cell(&node.file, *line, "interm_sales_80", &row[c_i80])?;
        final_and_row[c * ns + s] = cell(&node.file, *line, "final_and_row_sales", &row[c_f])?;
    }
    if let Some(missing) = gross_output.iter().position(|v| v.is_nan()) {
        return Err(at(
            &node.file,
            0,
            "country,sector",
            format!(
                "expected every country × sector, missing {} {}",
                countries[missing / ns],
                ICIO_SECTORS[missing % ns]
            ),
        ));
    }

    let (interm, bilateral_rows) = read_bilateral(dir, &pos, n)?;
    Ok(IcioTables {
        countries,
        gross_output,
        final_and_row,
        interm_sales_80,
        interm,
        rows_read: (node.rows.len(), bilateral_rows),
    })
}

/// The gzip-compressed bilateral file: intermediate sales `[(sector · n + exporter) · n + importer]`
/// and the number of rows read. `pos` places the economies of the node file.
fn read_bilateral(
    dir: &Path,
    pos: &HashMap<&str, usize>,
    n: usize,
) -> Result<(Vec<f64>, usize), Error> {
    let ns = ICIO_SECTORS.len();
    let gz_path = dir.join("intermediate_bilateral_by_sector_2022.csv.gz");
    let gz_name = gz_path.display().to_string();
    let compressed = std::fs::read(&gz_path).map_err(|cause| Error::Io {
        file: gz_name.clone(),
        cause,
    })?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut bytes)
        .map_err(|e| {
            at(
                &gz_name,
                0,
                "gzip",
                format!("expected a gzip-compressed CSV: {e}"),
            )
        })?;
    let bil = Table::parse(&gz_name, &bytes)?;
    bil.require_rows()?;
    let (c_e, c_m) = (bil.col("exporter")?, bil.col("importer")?);
    let (c_bs, c_v) = (bil.col("sector")?, bil.col("interm_value")?);
    let mut interm = vec![0.0; ns * n * n];
    let mut seen = vec![false; ns * n * n];
    for (line, row) in &bil.rows {
        let mut ends = [0usize; 2];
        for (slot, (c, field)) in [(c_e, "exporter"), (c_m, "importer")]
            .into_iter()
            .enumerate()
        {
            ends[slot] = *pos.get(row[c].as_str()).ok_or_else(|| {
                at(
                    &bil.file,
                    *line,
                    field,
                    format!(
                        "expected one of the 80 economies of node_output_2022.csv, found {:?}",
                        row[c]
                    ),
                )
            })?;
        }
        let s = sector_of(&bil.file, *line, &row[c_bs])?;
        let idx = (s * n + ends[0]) * n + ends[1];
        if seen[idx] {
            return Err(at(
                &bil.file,
                *line,
                "exporter,importer,sector",
                "expected each cell once, found a duplicate",
            ));
        }
        seen[idx] = true;
        interm[idx] = cell(&bil.file, *line, "interm_value", &row[c_v])?;
    }
    Ok((interm, bil.rows.len()))
}

/// BACI pair totals: (exporter ISO3, importer ISO3) → thousand USD.
pub type BaciPairs = HashMap<(String, String), f64>;

/// BACI 2023 pair totals, `trade_cepii_long.csv`, and the number of rows read.
pub fn read_baci(file: &Path) -> Result<(BaciPairs, usize), Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let (c_e, c_i, c_v) = (
        t.col("exporter_iso3")?,
        t.col("importer_iso3")?,
        t.col("value_kusd")?,
    );
    let mut pairs = HashMap::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let v = cell(&t.file, *line, "value_kusd", &row[c_v])?;
        if pairs
            .insert((row[c_e].clone(), row[c_i].clone()), v)
            .is_some()
        {
            return Err(at(
                &t.file,
                *line,
                "exporter_iso3,importer_iso3",
                "expected each pair once, found a duplicate",
            ));
        }
    }
    Ok((pairs, t.rows.len()))
}

/// ILMS GDP by ISO3 (`countries.csv`: `iso3,gdp_usd`), current USD.
pub fn read_gdp(file: &Path) -> Result<HashMap<String, f64>, Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let (c_c, c_g) = (t.col("iso3")?, t.col("gdp_usd")?);
    let mut gdp = HashMap::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let v = cell(&t.file, *line, "gdp_usd", &row[c_g])?;
        gdp.insert(row[c_c].clone(), v);
    }
    Ok(gdp)
}

/// A Census 2024 partner: ISO3, name, US exports to it and imports from it (USD).
#[derive(Debug, Clone, PartialEq)]
pub struct CensusPartner {
    /// ISO3.
    pub iso3: String,
    /// The Census name.
    pub name: String,
    /// US exports, USD.
    pub exports_usd: f64,
    /// US general imports, USD.
    pub imports_usd: f64,
}

/// `us_trade_2024_by_country.csv`: the `country_or_territory` rows (aggregates are counted and
/// skipped, and the count is returned).
pub fn read_census(file: &Path) -> Result<(Vec<CensusPartner>, usize), Error> {
    let t = Table::read(file)?;
    t.require_rows()?;
    let (c_n, c_c, c_t) = (
        t.col("country_name")?,
        t.col("iso3")?,
        t.col("entity_type")?,
    );
    let (c_x, c_m) = (t.col("exports_usd")?, t.col("imports_usd")?);
    let mut out = Vec::new();
    let mut aggregates = 0;
    for (line, row) in &t.rows {
        if row[c_t] != "country_or_territory" {
            aggregates += 1;
            continue;
        }
        if row[c_c].len() != 3 {
            return Err(at(
                &t.file,
                *line,
                "iso3",
                format!(
                    "expected an ISO3 code for a country row, found {:?}",
                    row[c_c]
                ),
            ));
        }
        out.push(CensusPartner {
            iso3: row[c_c].clone(),
            name: row[c_n].clone(),
            exports_usd: cell(&t.file, *line, "exports_usd", &row[c_x])?,
            imports_usd: cell(&t.file, *line, "imports_usd", &row[c_m])?,
        });
    }
    Ok((out, aggregates))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A synthetic two-economy ICIO folder (not data): every node and cell, gzip-compressed
    /// bilateral file; `bad_node` replaces the node file's text.
    fn synthetic_icio(dir: &Path, bad_node: Option<&str>) {
        let mut node = String::from(
            "country,sector,gross_output,interm_sales_80,interm_sales_domestic,final_and_row_sales\n",
        );
        let mut bil = String::from("exporter,importer,sector,interm_value\n");
        for c in ["AAA", "BBB"] {
            for s in ICIO_SECTORS {
                node.push_str(&format!("{c},{s},10,4,3,6\n"));
                for d in ["AAA", "BBB"] {
                    bil.push_str(&format!("{c},{d},{s},2\n"));
                }
            }
        }
        std::fs::write(dir.join("node_output_2022.csv"), bad_node.unwrap_or(&node)).unwrap();
        let file = std::fs::File::create(dir.join("intermediate_bilateral_by_sector_2022.csv.gz"))
            .unwrap();
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        gz.write_all(bil.as_bytes()).unwrap();
        gz.finish().unwrap();
    }

    #[test]
    fn a_synthetic_icio_folder_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        synthetic_icio(dir.path(), None);
        let t = read_icio(dir.path()).unwrap();
        assert_eq!(t.countries, ["AAA", "BBB"]);
        assert_eq!(t.rows_read, (100, 200));
        assert_eq!(t.interm.len(), 50 * 4);
        assert!(t.interm.iter().all(|v| *v == 2.0));
    }

    #[test]
    fn a_malformed_row_names_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let node = "country,sector,gross_output,interm_sales_80,interm_sales_domestic,final_and_row_sales\n\
                    AAA,A01,10,4,3,6\nAAA,A02,ten,4,3,6\n";
        synthetic_icio(dir.path(), Some(node));
        let err = read_icio(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("node_output_2022.csv:3: gross_output: expected a number, found \"ten\""),
            "{err}"
        );
        let node = "country,sector,gross_output,interm_sales_80,interm_sales_domestic,final_and_row_sales\n\
                    AAA,A01,10,-4,3,6\n";
        synthetic_icio(dir.path(), Some(node));
        let err = read_icio(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("node_output_2022.csv:2: interm_sales_80: expected a value ≥ 0, found -4"),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("census.csv"), "country_name,iso3,entity_type,exports_usd,imports_usd\nX,XXX,country_or_territory,1,oops\n").unwrap();
        let err = read_census(&dir.path().join("census.csv"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("census.csv:2: imports_usd: expected a number"),
            "{err}"
        );
    }
}
