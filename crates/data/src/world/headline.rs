//! The headline figures per country (`embedded/world_countries.csv`, written by
//! `scripts/gen_world_tables.py`; the source of every column is in `embedded/world_sources.csv`).

use serde::Deserialize;

use crate::Error;

/// `world_countries.csv`: one row per country of the ILMS 2025 world.
pub const WORLD_COUNTRIES_CSV: &str = include_str!("../../embedded/world_countries.csv");
/// `world_sources.csv`: unit and source of every column of `world_countries.csv`.
pub const WORLD_SOURCES_CSV: &str = include_str!("../../embedded/world_sources.csv");

const FILE: &str = "embedded/world_countries.csv";

/// The compact public figures of one country.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Headline {
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// Display name (ILMS spelling).
    pub name: String,
    /// GDP, thousand current USD (World Bank WDI, latest year).
    pub gdp_kusd: f64,
    /// The WDI year of `gdp_kusd`.
    pub gdp_year: u16,
    /// Total goods exports to the other countries of the table, thousand USD (BACI 2023 row total).
    pub exports_kusd: f64,
    /// Total goods imports from the other countries of the table, thousand USD (BACI 2023 column total).
    pub imports_kusd: f64,
    /// The capital (GeoNames).
    pub capital: String,
    /// Capital latitude, degrees north (GeoNames).
    pub capital_lat: f64,
    /// Capital longitude, degrees east (GeoNames).
    pub capital_lon: f64,
}

/// One row of `world_sources.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ColumnSource {
    /// The column of `world_countries.csv`.
    pub column: String,
    /// Its unit (empty for text).
    pub unit: String,
    /// Where the values come from.
    pub source: String,
}

/// Parse the headline table, checking every value (positive GDP, non-negative trade totals,
/// coordinates in range, unique ISO3 codes).
pub fn headline_figures() -> Result<Vec<Headline>, Error> {
    parse_headlines(FILE, WORLD_COUNTRIES_CSV)
}

/// The source of every column of the headline table.
pub fn headline_sources() -> Result<Vec<ColumnSource>, Error> {
    let mut reader = csv::Reader::from_reader(WORLD_SOURCES_CSV.as_bytes());
    reader
        .deserialize()
        .enumerate()
        .map(|(k, row)| {
            row.map_err(|e| at("embedded/world_sources.csv", k + 2, "row", e.to_string()))
        })
        .collect()
}

/// Parse headline rows from CSV text (the embedded table, or a test's).
pub(crate) fn parse_headlines(file: &str, text: &str) -> Result<Vec<Headline>, Error> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows: Vec<Headline> = Vec::new();
    for (k, row) in reader.deserialize::<Headline>().enumerate() {
        let line = k + 2; // the header is line 1
        let row = row.map_err(|e| at(file, line, "row", e.to_string()))?;
        let check = |ok: bool, field: &str, expected: &str, found: f64| {
            if ok {
                Ok(())
            } else {
                Err(at(
                    file,
                    line,
                    field,
                    format!("expected {expected}, found {found}"),
                ))
            }
        };
        check(
            row.gdp_kusd.is_finite() && row.gdp_kusd > 0.0,
            "gdp_kusd",
            "a positive number",
            row.gdp_kusd,
        )?;
        check(
            row.exports_kusd.is_finite() && row.exports_kusd >= 0.0,
            "exports_kusd",
            "a number >= 0",
            row.exports_kusd,
        )?;
        check(
            row.imports_kusd.is_finite() && row.imports_kusd >= 0.0,
            "imports_kusd",
            "a number >= 0",
            row.imports_kusd,
        )?;
        check(
            (-90.0..=90.0).contains(&row.capital_lat),
            "capital_lat",
            "a latitude in [-90, 90]",
            row.capital_lat,
        )?;
        check(
            (-180.0..=180.0).contains(&row.capital_lon),
            "capital_lon",
            "a longitude in [-180, 180]",
            row.capital_lon,
        )?;
        if rows.iter().any(|r| r.iso3 == row.iso3) {
            return Err(at(
                file,
                line,
                "iso3",
                format!("expected a unique code, found {} again", row.iso3),
            ));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(at(file, 1, "header", "expected data rows, found none"));
    }
    Ok(rows)
}

fn at(file: &str, line: usize, field: &str, message: impl Into<String>) -> Error {
    Error::At {
        file: file.to_string(),
        line,
        field: field.to_string(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "iso3,name,gdp_kusd,gdp_year,exports_kusd,imports_kusd,capital,capital_lat,capital_lon\n";

    #[test]
    fn bad_rows_name_file_line_and_field() {
        let text = format!("{HEADER}AAA,A,1,2023,1,1,X,0,0\nBBB,B,-5,2023,1,1,Y,0,0\n");
        let err = parse_headlines("t.csv", &text).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv:3: gdp_kusd: expected a positive number, found -5"
        );
        let text = format!("{HEADER}AAA,A,1,2023,1,1,X,95,0\n");
        let err = parse_headlines("t.csv", &text).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv:2: capital_lat: expected a latitude in [-90, 90], found 95"
        );
        let text = format!("{HEADER}AAA,A,1,2023,1,1,X,0,0\nAAA,A,1,2023,1,1,X,0,0\n");
        let err = parse_headlines("t.csv", &text).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv:3: iso3: expected a unique code, found AAA again"
        );
        let err = parse_headlines("t.csv", HEADER).unwrap_err().to_string();
        assert_eq!(err, "t.csv:1: header: expected data rows, found none");
    }

    #[test]
    fn every_column_has_a_named_source() {
        let sources = headline_sources().unwrap();
        let header = WORLD_COUNTRIES_CSV.lines().next().unwrap();
        let columns: Vec<&str> = header.split(',').collect();
        assert_eq!(
            sources
                .iter()
                .map(|s| s.column.as_str())
                .collect::<Vec<_>>(),
            columns
        );
        assert!(sources.iter().all(|s| s.source.len() > 20), "{sources:?}");
    }
}
