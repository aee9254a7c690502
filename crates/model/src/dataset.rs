//! The canonical dataset: countries, sectors, bilateral flows and factual tariffs.

use std::collections::BTreeMap;

use crate::pairs::{Pairs, PairsMut, Shape};

/// A world of `N` countries and `K` sectors, as read from data.
///
/// Flows and tariffs are stored sector-major, then exporter, then importer:
/// the value for exporter `j`, importer `i`, sector `k` sits at
/// [`Dataset::index`]`(k, j, i)` = `k·N·N + j·N + i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// A short human name ("ILMS 2025 (BACI 2023)").
    pub name: String,
    /// ISO3 codes (or region codes such as `ROW`), in model order.
    pub countries: Vec<String>,
    /// Display names, parallel to `countries`.
    pub country_names: Vec<String>,
    /// Sector codes (`TOTAL` when K = 1).
    pub sectors: Vec<String>,
    /// X_jik: sales from exporter j to importer i in sector k at producer prices
    /// (net of tariffs). Missing flows are 0.
    pub flows: Vec<f64>,
    /// t⁰_jik: the factual ad-valorem tariff importer i levies on j's sector-k goods (fraction).
    pub tariffs: Vec<f64>,
    /// GDP (value added) per country in the units of `flows`, when the data give it.
    pub gdp: Option<Vec<f64>>,
    /// Whether `flows` carries domestic sales on the diagonal. If not, calibration builds it.
    pub has_domestic_flows: bool,
    /// Trade elasticity per sector, when the data carry one (Ossa: σ_k − 1).
    pub trade_elasticity: Option<Vec<f64>>,
    /// Named per-country vectors that scenarios may use, e.g. `us_tariff_liberation_day`.
    pub columns: BTreeMap<String, Vec<f64>>,
    /// Named country groups the dataset defines itself (ILMS: `EU25`).
    pub groups: BTreeMap<String, Vec<String>>,
    /// The unit of `flows` and `gdp` ("thousand USD").
    pub units: String,
}

impl Dataset {
    /// Number of countries N.
    pub fn n_countries(&self) -> usize {
        self.countries.len()
    }

    /// Number of sectors K.
    pub fn n_sectors(&self) -> usize {
        self.sectors.len()
    }

    /// Flat index of (sector k, exporter j, importer i), for loaders that fill `flows` in file
    /// order; read through [`Dataset::flow_table`] and [`Dataset::tariff_table`].
    #[inline]
    pub fn index(&self, k: usize, exporter: usize, importer: usize) -> usize {
        let n = self.countries.len();
        (k * n + exporter) * n + importer
    }

    /// The shape of the dataset's tables.
    pub fn shape(&self) -> Shape {
        Shape {
            sectors: self.sectors.len(),
            countries: self.countries.len(),
        }
    }

    /// The flows X_jik, by sector, exporter and importer.
    pub fn flow_table(&self) -> Pairs<'_> {
        Pairs::new(self.shape(), &self.flows)
    }

    /// The factual tariffs t⁰_jik, by sector, exporter and importer.
    pub fn tariff_table(&self) -> Pairs<'_> {
        Pairs::new(self.shape(), &self.tariffs)
    }

    /// A read view of a table of this dataset's shape (a tariff scenario).
    pub fn pairs<'a>(&self, values: &'a [f64]) -> Pairs<'a> {
        Pairs::new(self.shape(), values)
    }

    /// A write view of a table of this dataset's shape.
    pub fn pairs_mut<'a>(&self, values: &'a mut [f64]) -> PairsMut<'a> {
        PairsMut::new(self.shape(), values)
    }

    /// Write access to the flows.
    pub fn flow_table_mut(&mut self) -> PairsMut<'_> {
        let shape = self.shape();
        PairsMut::new(shape, &mut self.flows)
    }

    /// Write access to the factual tariffs.
    pub fn tariff_table_mut(&mut self) -> PairsMut<'_> {
        let shape = self.shape();
        PairsMut::new(shape, &mut self.tariffs)
    }

    /// Position of a country code, if present.
    pub fn country_index(&self, code: &str) -> Option<usize> {
        self.countries
            .iter()
            .position(|c| c.eq_ignore_ascii_case(code))
    }

    /// Position of a sector code, if present.
    pub fn sector_index(&self, code: &str) -> Option<usize> {
        self.sectors
            .iter()
            .position(|c| c.eq_ignore_ascii_case(code))
    }

    /// An empty dataset of the given shape (all flows and tariffs zero).
    pub fn zeros(name: &str, countries: Vec<String>, sectors: Vec<String>) -> Self {
        let n = countries.len();
        let k = sectors.len();
        Dataset {
            name: name.to_string(),
            country_names: countries.clone(),
            countries,
            sectors,
            flows: vec![0.0; k * n * n],
            tariffs: vec![0.0; k * n * n],
            gdp: None,
            has_domestic_flows: false,
            trade_elasticity: None,
            columns: BTreeMap::new(),
            groups: BTreeMap::new(),
            units: String::new(),
        }
    }
}
