//! The distributions of the uncertain parameters and one draw of them (docs/uncertainty.md).
//!
//! Each draw has its own generator, seeded from (seed, draw index) alone, and takes its random
//! numbers in a fixed order whatever the distributions switched on: a draw is the same on any
//! number of threads and in any order of execution.

use reciprocity_model::ge::{Params, PhiRule, Revenue};
use reciprocity_negotiation::rng::SplitMix64;

/// A broad sector of ILMS (2025) Table 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table7Sector {
    /// Agriculture.
    Agriculture,
    /// Mining.
    Mining,
    /// Manufacturing (also used for sectors Table 7 does not cover: see [`table7_sector`]).
    Manufacturing,
}

/// One row of ILMS (2025) Table 7: the trade elasticity (minus the coefficient on ln(1 + t_ij))
/// and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Table7Row {
    /// The broad sector.
    pub sector: Table7Sector,
    /// Its name as the table prints it.
    pub name: &'static str,
    /// The estimate (the elasticity, positive).
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
}

/// Ignatenko, Lashkaripour, Macedoni & Simonovska (2025), "Making America Great Again? The
/// Economic Impacts of Liberation Day Tariffs", Journal of International Economics 157, Table 7:
/// trade elasticity estimates (coefficient on ln(1 + t_ij), sign flipped) with their standard
/// errors, as transcribed in `../shared/data/ilms2025/published/published_tables.csv`.
pub const TABLE7: [Table7Row; 3] = [
    Table7Row {
        sector: Table7Sector::Agriculture,
        name: "Agriculture",
        estimate: 3.339,
        se: 0.529,
    },
    Table7Row {
        sector: Table7Sector::Mining,
        name: "Mining",
        estimate: 4.056,
        se: 2.198,
    },
    Table7Row {
        sector: Table7Sector::Manufacturing,
        name: "Manufacturing",
        estimate: 3.801,
        se: 0.170,
    },
];

/// A drawn elasticity below this share of its estimate is drawn again (a normal draw can be
/// negative for mining, whose standard error is half its estimate).
const ELASTICITY_FLOOR_SHARE: f64 = 0.25;

/// The Table 7 sector of a world's sector, by its name: ICIO codes A* (agriculture), B*
/// (mining), C* (manufacturing), or names starting `agri`, `mining`, `manu`; every other sector
/// (services, the one goods sector of a one-sector world) moves with manufacturing, an
/// assumption (docs/uncertainty.md).
pub fn table7_sector(name: &str) -> Table7Sector {
    let lower = name.trim().to_ascii_lowercase();
    let code = |c: char| {
        lower.starts_with(c)
            && lower[1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_digit())
    };
    if lower.starts_with("agri") || code('a') {
        Table7Sector::Agriculture
    } else if lower.starts_with("mining") || code('b') {
        Table7Sector::Mining
    } else {
        Table7Sector::Manufacturing
    }
}

/// What is drawn, and how widely.
#[derive(Debug, Clone, PartialEq)]
pub struct Distributions {
    /// Multiplies the Table 7 standard errors: 1 draws the published sampling distribution, 0
    /// keeps every elasticity at its point value.
    pub elasticity_se_scale: f64,
    /// κ is drawn uniformly in [κ (1 − s), κ (1 + s)] (an assumption: s = 0.5; no published
    /// standard error for the model's κ).
    pub kappa_spread: f64,
    /// The pass-through shift of φ = shift + g(ν) drawn uniformly in [lo, hi] (an assumption:
    /// between the model's incomplete-pass-through variant, 0.25, and the baseline, 1); None
    /// keeps the scenario's. A uniform φ (Eaton–Kortum, the textbook case) is never drawn.
    pub pass_through: Option<(f64, f64)>,
    /// The probability that a draw uses the other revenue closure than the scenario's (0.5: each
    /// closure as likely; 0: the scenario's closure in every draw).
    pub closure_switch: f64,
}

impl Default for Distributions {
    fn default() -> Self {
        Distributions::published()
    }
}

impl Distributions {
    /// The project's distributions: Table 7's standard errors, κ ± 50 %, pass-through shift
    /// between the model's two presets, each revenue closure with probability one half.
    pub fn published() -> Distributions {
        Distributions {
            elasticity_se_scale: 1.0,
            kappa_spread: 0.5,
            pass_through: Some((0.25, 1.0)),
            closure_switch: 0.5,
        }
    }

    /// No spread at all: every draw is the point estimate (a test of the machinery).
    pub fn none() -> Distributions {
        Distributions {
            elasticity_se_scale: 0.0,
            kappa_spread: 0.0,
            pass_through: None,
            closure_switch: 0.0,
        }
    }

    /// The same, with the scenario's revenue closure in every draw.
    pub fn keep_closure(mut self) -> Distributions {
        self.closure_switch = 0.0;
        self
    }

    /// One line per parameter: what is drawn, from what, and whether it is published or assumed.
    pub fn describe(&self) -> Vec<String> {
        let table7 = TABLE7
            .iter()
            .map(|r| format!("{} {} (s.e. {})", r.name.to_lowercase(), r.estimate, r.se))
            .collect::<Vec<_>>()
            .join(", ");
        let mut lines = vec![format!(
            "trade elasticity: each sector's ε scaled by a normal draw of its ILMS (2025) Table 7 estimate over the estimate \
             ({table7}; published); sectors without an estimate (services, a one-sector world) move with manufacturing \
             (assumption); ψ kept at ψ·ε of the preset; standard errors x {}",
            self.elasticity_se_scale
        )];
        lines.push(format!(
            "labour-supply elasticity κ: uniform within ±{:.0}% of the scenario's (assumption, no published standard error)",
            100.0 * self.kappa_spread
        ));
        lines.push(match self.pass_through {
            Some((lo, hi)) => format!(
                "pass-through: the shift of φ = shift + g(ν) uniform in [{lo}, {hi}], between the model's incomplete-pass-through \
                 variant and its baseline (assumption)"
            ),
            None => "pass-through: the scenario's".to_string(),
        });
        lines.push(match self.closure_switch {
            p if p > 0.0 => format!(
                "revenue closure: the other closure than the scenario's (income-tax relief / lump-sum rebate) with probability {p} \
                 (assumption: ILMS report both)"
            ),
            _ => "revenue closure: the scenario's in every draw".to_string(),
        });
        lines
    }
}

/// The generator of draw `index` under `seed`: a function of the pair alone.
pub fn draw_rng(seed: u64, index: usize) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    SplitMix64::new(mix.next_u64() ^ (index as u64))
}

/// A standard normal (Box–Muller on two uniforms).
fn normal(rng: &mut SplitMix64) -> f64 {
    let u1 = 1.0 - rng.uniform(); // (0, 1]
    let u2 = rng.uniform();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Table 7 estimate drawn for `row`, relative to the estimate (1 at zero spread).
fn elasticity_factor(rng: &mut SplitMix64, row: &Table7Row, scale: f64) -> f64 {
    // Up to 32 normals are taken whatever the outcome, so that the later draws keep their place.
    let mut factor = None;
    for _ in 0..32 {
        let z = normal(rng);
        let value = row.estimate + scale * row.se * z;
        if factor.is_none() && value >= ELASTICITY_FLOOR_SHARE * row.estimate {
            factor = Some(value / row.estimate);
        }
    }
    factor.unwrap_or(ELASTICITY_FLOOR_SHARE)
}

/// The parameters of draw `index` under `seed`: `base` with its uncertain parameters drawn.
/// `sectors` are the world's sector names (for the Table 7 sector of each).
pub fn draw_params(
    base: &Params,
    sectors: &[String],
    dist: &Distributions,
    seed: u64,
    index: usize,
) -> Params {
    let mut rng = draw_rng(seed, index);
    let factors: Vec<f64> = TABLE7
        .iter()
        .map(|row| elasticity_factor(&mut rng, row, dist.elasticity_se_scale))
        .collect();
    let u_kappa = rng.uniform();
    let u_phi = rng.uniform();
    let u_closure = rng.uniform();
    let mut p = base.clone();
    let k = sectors.len().max(1);
    let (mut epsilon, mut psi) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for s in 0..k {
        let sector = sectors
            .get(s)
            .map_or(Table7Sector::Manufacturing, |n| table7_sector(n));
        let pos = TABLE7.iter().position(|r| r.sector == sector).unwrap_or(2);
        epsilon.push(base.epsilon_of(s) * factors[pos]);
        psi.push(base.psi_of(s) / factors[pos]);
    }
    p.epsilon = epsilon;
    p.psi = psi;
    p.kappa = base.kappa * (1.0 + dist.kappa_spread * (2.0 * u_kappa - 1.0));
    if let (Some((lo, hi)), PhiRule::FromNu { shift, .. }) = (dist.pass_through, &mut p.phi) {
        *shift = lo + (hi - lo) * u_phi;
    }
    if u_closure < dist.closure_switch {
        p.revenue = match base.revenue {
            Revenue::IncomeTaxRelief => Revenue::LumpSum,
            Revenue::LumpSum => Revenue::IncomeTaxRelief,
        };
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_map_to_table7() {
        assert_eq!(table7_sector("A01_02"), Table7Sector::Agriculture);
        assert_eq!(table7_sector("agriculture"), Table7Sector::Agriculture);
        assert_eq!(table7_sector("B05_06"), Table7Sector::Mining);
        assert_eq!(table7_sector("Mining"), Table7Sector::Mining);
        assert_eq!(
            table7_sector("Mineral products"),
            Table7Sector::Manufacturing
        );
        assert_eq!(table7_sector("C26"), Table7Sector::Manufacturing);
        assert_eq!(table7_sector("services"), Table7Sector::Manufacturing);
        assert_eq!(table7_sector("all"), Table7Sector::Manufacturing);
    }

    #[test]
    fn zero_spread_is_the_base_exactly_and_a_draw_is_a_function_of_seed_and_index() {
        let base = Params::ilms();
        let sectors = vec!["goods".to_string()];
        let same = draw_params(&base, &sectors, &Distributions::none(), 7, 3);
        assert_eq!(same.epsilon, vec![base.epsilon[0]]);
        assert_eq!(same.psi, vec![base.psi[0]]);
        assert_eq!(same.kappa, base.kappa);
        assert_eq!(same.phi, base.phi);
        assert_eq!(same.revenue, base.revenue);
        let d = Distributions::published();
        assert_eq!(
            draw_params(&base, &sectors, &d, 7, 3),
            draw_params(&base, &sectors, &d, 7, 3)
        );
        assert_ne!(
            draw_params(&base, &sectors, &d, 7, 3),
            draw_params(&base, &sectors, &d, 7, 4)
        );
    }

    #[test]
    fn the_manufacturing_draws_have_the_published_spread() {
        let base = Params::ilms();
        let sectors = vec!["goods".to_string()];
        let d = Distributions::published();
        let eps: Vec<f64> = (0..4000)
            .map(|i| draw_params(&base, &sectors, &d, 11, i).epsilon[0])
            .collect();
        let mean = eps.iter().sum::<f64>() / eps.len() as f64;
        let sd = (eps.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / eps.len() as f64).sqrt();
        // ε = 4 x N(3.801, 0.170²) / 3.801: mean 4, s.d. 4 x 0.170 / 3.801 = 0.179.
        assert!((mean - 4.0).abs() < 0.02, "{mean}");
        assert!((sd - 0.179).abs() < 0.01, "{sd}");
        for (i, e) in eps.iter().enumerate().take(50) {
            let p = draw_params(&base, &sectors, &d, 11, i);
            assert!((p.psi[0] * e - base.psi[0] * base.epsilon[0]).abs() < 1e-12);
        }
    }
}
