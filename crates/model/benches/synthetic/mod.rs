//! Seeded synthetic worlds for benchmarks (shared by `benches/ge.rs` and `examples/peak_memory.rs`).
//! Every world made here is synthetic, named so, and reproducible from its seed.

#![allow(dead_code)]

use reciprocity_model::ge::{NuRule, Params, ILMS_SCALE_NUMERATOR};
use reciprocity_model::Dataset;

/// The seed every benchmark world uses unless told otherwise.
pub const SEED: u64 = 20_250_402;

/// SplitMix64 (the same generator as the model's identity tests).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Uniform in [0, 1).
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A synthetic world of `n` countries and `k` sectors: gravity-like foreign flows (size × size ×
/// noise / distance), a domestic diagonal that takes 50–90 % of each importer's sector
/// expenditure, and factual tariffs of 0–15 % on half the foreign pairs.
/// Country 0 is the largest economy (it plays the tariff-raising role in the scenarios).
pub fn world(seed: u64, n: usize, k: usize) -> Dataset {
    let mut rng = Rng::new(seed);
    let countries: Vec<String> = (0..n).map(|i| format!("SYN{i:03}")).collect();
    let sectors: Vec<String> = (0..k).map(|s| format!("S{s:02}")).collect();
    let mut data = Dataset::zeros(
        &format!("synthetic {n}x{k} (seed {seed})"),
        countries,
        sectors,
    );
    // Sizes: Pareto-like tail, country 0 the largest.
    let mut size: Vec<f64> = (0..n)
        .map(|_| (1.0 - rng.next()).powf(-1.0 / 1.2))
        .collect();
    let largest = size.iter().cloned().fold(0.0, f64::max);
    size[0] = 2.0 * largest;
    let position: Vec<(f64, f64)> = (0..n).map(|_| (rng.next(), rng.next())).collect();
    for s in 0..k {
        let sector_scale = 0.5 + rng.next();
        for i in 0..n {
            let mut foreign = 0.0;
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (dx, dy) = (position[i].0 - position[j].0, position[i].1 - position[j].1);
                let distance = 0.05 + (dx * dx + dy * dy).sqrt();
                let x = sector_scale * size[j] * size[i] * (0.2 + rng.next()) / distance;
                let id = data.index(s, j, i);
                data.flows[id] = x;
                foreign += x;
                if rng.next() < 0.5 {
                    data.tariffs[id] = 0.15 * rng.next();
                }
            }
            let domestic_share = 0.5 + 0.4 * rng.next();
            let id = data.index(s, i, i);
            data.flows[id] = foreign * domestic_share / (1.0 - domestic_share);
        }
    }
    data.has_domestic_flows = true;
    data
}

/// Trade elasticities ε_k for `k` synthetic sectors, spread over [2, 10] (4 when K = 1).
pub fn elasticities(k: usize) -> Vec<f64> {
    if k == 1 {
        return vec![4.0];
    }
    (0..k)
        .map(|s| 2.0 + 8.0 * s as f64 / (k - 1) as f64)
        .collect()
}

/// The ILMS preset adapted to a synthetic world (no anchor country, no GDP): ν uniform at the
/// ILMS rest-of-world target 0.12, ψ_k = 0.67/ε_k, everything else as [`Params::ilms`].
pub fn ilms_like(k: usize) -> Params {
    let epsilon = elasticities(k);
    Params {
        psi: epsilon.iter().map(|e| ILMS_SCALE_NUMERATOR / e).collect(),
        epsilon,
        nu: NuRule::Uniform(0.12),
        ..Params::ilms()
    }
}

/// The scenario: country 0 raises its tariff on every partner and sector by a seeded
/// "reciprocal" rate of 10–50 points (the 10 % floor of April 2025 and the spread of Annex I).
pub fn country0_raises(data: &Dataset, seed: u64) -> Vec<f64> {
    let (n, k) = (data.n_countries(), data.n_sectors());
    let mut rng = Rng::new(seed ^ 0x5EED);
    let rate: Vec<f64> = (0..n).map(|_| 0.10 + 0.40 * rng.next()).collect();
    let mut t = data.tariffs.clone();
    let mut table = data.pairs_mut(&mut t);
    for s in 0..k {
        for (j, r) in rate.iter().enumerate().skip(1) {
            *table.get_mut(s, j, 0) += r;
        }
    }
    t
}

/// Peak resident memory of this process (VmHWM from /proc/self/status), in bytes, when available.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
