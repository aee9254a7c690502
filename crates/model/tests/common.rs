//! Shared helpers for the model's integration tests: a minimal reader of the ILMS world so the
//! model's tests do not depend on the data crate (which depends on the model).
#![allow(dead_code)]
#![allow(clippy::needless_range_loop)]

use std::path::PathBuf;

use reciprocity_model::ge::{NuRule, Params};
use reciprocity_model::Dataset;

/// ../shared/data, or RECIPROCITY_SHARED_DATA.
pub fn shared_data() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn lines(path: &PathBuf) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

/// The ILMS 2025 world: 194 countries, one sector, flows in thousand USD, GDP / 1000.
pub fn ilms_world() -> Dataset {
    let dir = shared_data().join("ilms2025");
    let labels = lines(&dir.join("country_labels.csv"));
    let countries: Vec<String> = labels[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let n = countries.len();
    let mut data = Dataset::zeros("ILMS 2025", countries, vec!["TOTAL".into()]);
    for (j, row) in lines(&dir.join("trade_cepii.csv"))[1..].iter().enumerate() {
        for (i, cell) in row.split(',').enumerate() {
            if !cell.is_empty() {
                data.flows[j * n + i] = cell.parse().unwrap();
            }
        }
    }
    data.gdp = Some(
        lines(&dir.join("gdp.csv"))[1..]
            .iter()
            .map(|l| l.parse::<f64>().unwrap() / 1000.0)
            .collect(),
    );
    let tariffs: Vec<f64> = lines(&dir.join("tariffs.csv"))[1..]
        .iter()
        .map(|l| l.parse().unwrap())
        .collect();
    data.columns
        .insert("us_tariff_liberation_day".into(), tariffs);
    let eu: Vec<String> = lines(&dir.join("eu_countries.csv"))[1..]
        .iter()
        .filter(|l| l.ends_with(",1"))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    data.groups.insert("EU25".into(), eu);
    data
}

/// The Ossa (2014) world: 7 regions × 33 sectors, `trade_baseline` flows with the diagonal,
/// factual tariffs, ε_s = σ_s − 1.
pub fn ossa_world() -> Dataset {
    let dir = shared_data().join("ossa2014");
    let regions: Vec<String> = lines(&dir.join("regions.csv"))[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    let sector_rows = lines(&dir.join("sectors.csv"));
    let sectors: Vec<String> = sector_rows[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    // sigma is the 4th column; names contain no commas in this file's first 3 columns? name may: parse from the end.
    let sigma: Vec<f64> = sector_rows[1..]
        .iter()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells[cells.len() - 5].parse().unwrap()
        })
        .collect();
    let mut data = Dataset::zeros("Ossa 2014", regions, sectors);
    for row in &lines(&dir.join("bilateral.csv"))[1..] {
        let c: Vec<&str> = row.split(',').collect();
        let (j, i, s): (usize, usize, usize) = (
            c[0].parse().unwrap(),
            c[1].parse().unwrap(),
            c[2].parse().unwrap(),
        );
        let id = data.index(s - 1, j - 1, i - 1);
        data.flows[id] = c[4].parse().unwrap();
        data.tariffs[id] = c[5].parse().unwrap();
    }
    data.has_domestic_flows = true;
    data.trade_elasticity = Some(sigma.iter().map(|s| s - 1.0).collect());
    data
}

/// SplitMix64: a tiny seeded generator for synthetic worlds.
pub struct Rng(pub u64);
impl Rng {
    /// The next uniform draw in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A synthetic world (named so): gravity-like flows with a large domestic diagonal and optional
/// factual tariffs.
pub fn synthetic_world(seed: u64, n: usize, k: usize, factual_tariffs: bool) -> Dataset {
    let mut rng = Rng(seed);
    let countries: Vec<String> = (0..n).map(|i| format!("C{i:02}")).collect();
    let sectors: Vec<String> = (0..k).map(|s| format!("S{s}")).collect();
    let mut data = Dataset::zeros("synthetic (seeded)", countries, sectors);
    let size: Vec<f64> = (0..n).map(|_| 1.0 + 9.0 * rng.uniform()).collect();
    for s in 0..k {
        for j in 0..n {
            for i in 0..n {
                let id = data.index(s, j, i);
                let base = size[j] * size[i] * (0.2 + rng.uniform());
                data.flows[id] = if i == j { 6.0 * base } else { base };
                if factual_tariffs && i != j {
                    data.tariffs[id] = 0.3 * rng.uniform();
                }
            }
        }
    }
    data.has_domestic_flows = true;
    data
}

pub fn ilms_like(k: usize) -> Params {
    Params {
        epsilon: (0..k).map(|s| 3.0 + s as f64).collect(),
        nu: NuRule::Uniform(0.12),
        ..Params::ilms()
    }
}

/// The ILMS-like preset on the Ossa world: its own σ_k − 1 as ε_k, ψ_k = 0.67/ε_k, ν = 0.
pub fn ossa_ilms_like(data: &Dataset) -> Params {
    let eps = data.trade_elasticity.clone().unwrap();
    Params {
        psi: eps
            .iter()
            .map(|e| reciprocity_model::ge::ILMS_SCALE_NUMERATOR / e)
            .collect(),
        epsilon: eps,
        nu: NuRule::Uniform(0.0),
        ..Params::ilms()
    }
}
